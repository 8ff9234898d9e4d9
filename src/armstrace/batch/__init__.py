"""`armstrace batch`: extract an archive (JSONL, Parquet, .txt/.html folders, WARC) to Parquet
files of documents, claims, quotes and notes, on local worker processes or on Apache Spark, and
optionally bulk-load them into a store and rebuild the transfer records.

The plan (splits.py) is the same for both engines and each split is processed by the same
function (worker.py), so both engines write the same rows; re-running a batch rewrites the same
files, and loading them again changes nothing (content ids, idempotent inserts).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from armstrace.batch.splits import Plan, plan
from armstrace.batch.worker import TABLES, Options
from armstrace.errors import InputError

__all__ = ["ENGINES", "BatchReport", "run_batch"]

MANIFEST = "_armstrace_batch.json"
ENGINES = ("local", "spark")


@dataclass(slots=True)
class BatchReport:
    engine: str
    splits: int = 0
    documents: int = 0
    claims: int = 0
    quotes: int = 0
    skipped: int = 0
    duplicates: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # unreadable inputs
    seconds: dict[str, float] = field(default_factory=dict)
    loaded: dict[str, int] | None = None
    records: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def prepare_out(out: Path) -> None:
    """Make `out` ready for this run's files: new, empty, or written by an earlier batch (whose
    part files are removed, so that none of a changed input lingers). Anything else is refused
    rather than deleted."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file: give a folder for the Parquet output")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise InputError(
            f"--out {out} is a folder with other files in it: give a new or empty folder (or "
            "one an earlier `armstrace batch` wrote)"
        )
    for table in TABLES:
        shutil.rmtree(out / table, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def run_batch(
    inputs: Sequence[str],
    out: str | Path,
    *,
    engine: str = "local",
    workers: int | None = None,
    master: str | None = None,
    prefilter: bool = False,
    min_score: float | None = None,
    db: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> BatchReport:
    """Extract every document of `inputs` into Parquet under `out`; with `db`, load the files
    into that store and rebuild its transfer records."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    say = progress or (lambda _message: None)
    out = Path(out)
    started = time.perf_counter()
    work: Plan = plan(inputs)
    if not work.splits and not work.problems:
        raise InputError(
            "nothing to read: give JSONL, Parquet, WARC, .txt or .html files or folders"
        )
    prepare_out(out)
    report = BatchReport(engine=engine, splits=len(work.splits), problems=work.problems)
    options = Options(str(out.resolve()), prefilter=prefilter, min_score=min_score)
    splits = [s.to_dict() for s in work.splits]
    report.seconds["plan"] = time.perf_counter() - started
    say(f"{len(splits)} splits from {len(inputs)} input(s); engine {engine}")
    if engine == "spark":
        from armstrace.batch.engines import run_spark

        results, timings = run_spark(splits, options, master=master or "local[*]")
    else:
        from armstrace.batch.engines import run_local

        results, timings = run_local(splits, options, workers=workers)
    report.seconds.update(timings)
    for result in results:
        for key in ("documents", "claims", "quotes", "skipped", "duplicates"):
            setattr(report, key, getattr(report, key) + int(result[key]))
        for key in ("read_seconds", "extract_seconds", "write_seconds"):
            report.seconds["tasks_" + key] = report.seconds.get("tasks_" + key, 0.0) + result[key]
    report.seconds["extract"] = time.perf_counter() - started
    say(
        f"extracted {report.documents:,} documents, {report.claims:,} claims; "
        f"{report.skipped:,} skipped, {report.duplicates:,} duplicates"
    )
    if db is not None:
        from armstrace.kb.transfer_records import refresh_records
        from armstrace.store import open_store

        load_started = time.perf_counter()
        with open_store(db) as store:
            report.loaded = store.bulk_load(out)
            report.seconds["load"] = time.perf_counter() - load_started
            say(f"loaded {report.loaded['documents']:,} new documents into {store.location}")
            records_started = time.perf_counter()
            if report.loaded["documents"] or store.records_stale():
                report.records = refresh_records(store)
            else:
                report.records = store.count_records()
            report.seconds["records"] = time.perf_counter() - records_started
    report.seconds["total"] = time.perf_counter() - started
    (out / MANIFEST).write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    return report
