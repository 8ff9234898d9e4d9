"""Scale-out benchmarks (docs/scale.md): `armstrace batch` on local processes and on Spark, bulk
loads into PostgreSQL and SQLite, record builds and API calls on a large store.

    python -m benchmarks.scale corpus --docs 100000 --out /tmp/scale/corpus
    python -m benchmarks.scale batch --corpus /tmp/scale/corpus --engine local --workers 2
    python -m benchmarks.scale batch --corpus /tmp/scale/corpus --engine spark --master 'local[2]'
    python -m benchmarks.scale claims --claims 1000000 --out /tmp/scale/claims
    python -m benchmarks.scale load --from /tmp/scale/claims --db postgresql://... --method copy
    python -m benchmarks.scale api --db postgresql://...

Every text is generated here from the templates of benchmarks/extraction.py and
benchmarks/api.py (seeded), so runs are reproducible. Nothing here is asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DOCS_PER_FILE = 10_000
CLAIM_DOCUMENTS_PER_PART = 2_000
ROW_TABLES = ("documents", "claims", "quotes", "notes")


# --- memory of a process tree ----------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


class PeakMemory:
    """Samples the summed resident memory of a process and all its descendants (the workers,
    Spark's JVM and its Python workers) every `interval` seconds."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(_rss_kib(pid) for pid in _tree(self.pid))
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(command: Sequence[str]) -> tuple[float, float, str]:
    """Run a command; its wall seconds, the peak memory of its process tree (MiB), its stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    with PeakMemory(process.pid) as memory:
        out, _ = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
    return seconds, memory.peak_kib / 1024, out


# --- 1. a generated corpus and the batch job ---------------------------------------------------


def write_corpus(out: Path, docs: int, arms_share: float = 0.1, seed: int = 11) -> int:
    """`docs` generated articles (arms_share of them about arms) as JSONL files."""
    from benchmarks.extraction import make_article

    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    arms = set(rng.sample(range(docs), round(docs * arms_share)))
    words = 0
    for start in range(0, docs, DOCS_PER_FILE):
        with (out / f"corpus-{start // DOCS_PER_FILE:04d}.jsonl").open("w", encoding="utf-8") as f:
            for number in range(start, min(start + DOCS_PER_FILE, docs)):
                text = make_article(rng, number in arms)
                words += len(text.split())
                day = f"2023-{1 + number % 12:02d}-{1 + number % 28:02d}"
                row = {
                    "id": f"gen-{number:07d}",
                    "date": day,
                    "title": f"Report {number}",
                    "text": text,
                }
                f.write(json.dumps(row) + "\n")
    return words


def batch(args: argparse.Namespace) -> None:
    out = Path(args.out or f"/tmp/armstrace-scale/batch-{args.engine}")
    command = [sys.executable, "-m", "armstrace.cli", "batch", str(args.corpus), "--out", str(out),
               "--engine", args.engine, "--json"]  # fmt: skip
    if args.prefilter:
        command.append("--prefilter")
    if args.engine == "local":
        command += ["--workers", str(args.workers)]
    else:
        command += ["--master", args.master]
    seconds, peak, text = run_measured(command)
    report = json.loads(text)
    timing = report["seconds"]
    tasks = sum(timing.get(f"tasks_{k}_seconds", 0.0) for k in ("read", "extract", "write"))
    share = {k: timing.get(f"tasks_{k}_seconds", 0.0) / tasks for k in ("read", "extract", "write")}
    print(
        json.dumps(
            {
                "engine": args.engine,
                "workers": args.workers if args.engine == "local" else args.master,
                "prefilter": args.prefilter,
                "documents": report["documents"],
                "claims": report["claims"],
                "splits": report["splits"],
                "wall_seconds": round(seconds, 1),
                "documents_per_second": round(report["documents"] / seconds, 1),
                "peak_memory_mib": round(peak),
                "engine_start_seconds": round(timing.get("engine_start", 0.0), 1),
                "engine_start_share": round(timing.get("engine_start", 0.0) / seconds, 3),
                "task_time_share": {k: round(v, 3) for k, v in share.items()},
            },
            indent=2,
        )
    )


# --- 2. a million claims: bulk loads and the record build --------------------------------------


def write_claims(out: Path, claims: int, seed: int = 5) -> None:
    """Synthetic batch output (the Parquet files of `armstrace batch`) with `claims` claims, five
    per document, from benchmarks/api.py's generator (no spaCy)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from armstrace.batch.worker import schemas
    from armstrace.store.database import claim_row, document_row, quote_row
    from benchmarks.api import CLAIMS_PER_DOCUMENT, synthetic_extraction

    rng = random.Random(seed)
    tables = schemas()
    documents = claims // CLAIMS_PER_DOCUMENT
    (out / "_armstrace_batch.json").parent.mkdir(parents=True, exist_ok=True)
    (out / "_armstrace_batch.json").write_text("{}\n")
    for part, start in enumerate(range(0, documents, CLAIM_DOCUMENTS_PER_PART)):
        rows: dict[str, list[dict[str, Any]]] = {
            t: [] for t in ("documents", "claims", "quotes", "notes")
        }
        for number in range(start, min(start + CLAIM_DOCUMENTS_PER_PART, documents)):
            extraction = synthetic_extraction(number, rng)
            row = document_row(extraction.document, "")
            del row["ingested_at"]
            rows["documents"].append(row)
            rows["claims"] += [claim_row(c) for c in extraction.claims]
            rows["quotes"] += [quote_row(extraction.document.id, q) for q in extraction.quotes]
            rows["notes"] += [
                {"document_id": extraction.document.id, "position": n, "note": note}
                for n, note in enumerate(extraction.notes)
            ]
        for table, values in rows.items():
            folder = out / table
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(
                pa.Table.from_pylist(values, schema=tables[table]),
                folder / f"part-{part:06d}.parquet",
            )


def load(args: argparse.Namespace) -> None:
    """Time one bulk load (and, unless --no-records, the record build after it) in this
    process; peak memory is this process's maximum resident size."""
    from armstrace.kb.transfer_records import refresh_records
    from armstrace.store import open_store

    with open_store(args.db) as store:
        started = time.perf_counter()
        loaded = store.bulk_load(args.source, method=args.method)
        load_seconds = time.perf_counter() - started
        load_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result: dict[str, Any] = {
            "db": store.location, "method": args.method, "loaded": loaded,
            "load_seconds": round(load_seconds, 1),
            "claims_per_second": round(loaded["claims"] / load_seconds),
            "rows_per_second": round(sum(loaded[k] for k in ROW_TABLES) / load_seconds),
            "load_peak_memory_mib": round(load_peak),
        }  # fmt: skip
        if not args.no_records:
            started = time.perf_counter()
            result["records"] = refresh_records(store)
            result["records_seconds"] = round(time.perf_counter() - started, 1)
            result["peak_memory_mib"] = round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            )
    print(json.dumps(result, indent=2))


def api(args: argparse.Namespace) -> None:
    from benchmarks.api import TARGET_SECONDS, run

    results = run(args.db, args.repeat)
    print("| call | status | uncached ms | median ms | max ms |")
    print("|---|---|---:|---:|---:|")
    for url, status, uncached, median, worst in results:
        print(f"| `{url}` | {status} | {uncached:.0f} | {median:.0f} | {worst:.0f} |")
    slow = [r[0] for r in results if max(r[2], r[4]) > TARGET_SECONDS * 1000]
    print(f"\n{len(results)} calls; over {TARGET_SECONDS:.0f} s: {slow or 'none'}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale")
    commands = parser.add_subparsers(dest="command", required=True)
    corpus = commands.add_parser("corpus", help="write a generated corpus as JSONL")
    corpus.add_argument("--docs", type=int, default=100_000)
    corpus.add_argument("--out", type=Path, required=True)
    run_batch = commands.add_parser("batch", help="time armstrace batch on a corpus")
    run_batch.add_argument("--corpus", type=Path, required=True)
    run_batch.add_argument("--engine", choices=["local", "spark"], default="local")
    run_batch.add_argument("--workers", type=int, default=2)
    run_batch.add_argument("--master", default="local[2]")
    run_batch.add_argument("--out")
    run_batch.add_argument("--no-prefilter", dest="prefilter", action="store_false")
    claims = commands.add_parser("claims", help="write synthetic batch output with N claims")
    claims.add_argument("--claims", type=int, default=1_000_000)
    claims.add_argument("--out", type=Path, required=True)
    bulk = commands.add_parser("load", help="time a bulk load and the record build")
    bulk.add_argument("--from", dest="source", type=Path, required=True)
    bulk.add_argument("--db", required=True)
    bulk.add_argument("--method", choices=["auto", "copy", "insert"], default="auto")
    bulk.add_argument("--no-records", action="store_true")
    calls = commands.add_parser("api", help="time the API's calls on a database")
    calls.add_argument("--db", required=True)
    calls.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.command == "corpus":
        started = time.perf_counter()
        words = write_corpus(args.out, args.docs)
        seconds = time.perf_counter() - started
        print(f"wrote {args.docs:,} documents ({words:,} words) in {seconds:.0f} s")
    elif args.command == "batch":
        batch(args)
    elif args.command == "claims":
        started = time.perf_counter()
        write_claims(args.out, args.claims)
        print(
            f"wrote {args.claims:,} claims in {time.perf_counter() - started:.0f} s to {args.out}"
        )
    elif args.command == "load":
        load(args)
    else:
        api(args)


if __name__ == "__main__":
    main()
