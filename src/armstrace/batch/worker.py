"""One task of a batch: read a split, extract its documents and write what came out as Parquet
files named after the split (documents, claims, quotes, notes, problems). The same function
runs in a local worker process and in a Spark executor; spaCy's pipeline is loaded once per
process (armstrace.nlp's cached accessor), never pickled and never per document.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from armstrace.batch.splits import Split

log = logging.getLogger(__name__)

TABLES = ("documents", "claims", "quotes", "notes", "problems")


@dataclass(frozen=True, slots=True)
class Options:
    out: str
    prefilter: bool = False
    min_score: float | None = None


def schemas() -> dict[str, Any]:
    import pyarrow as pa

    from armstrace.store.database import CLAIM_FIELDS, QUOTE_FIELDS

    text = pa.string()
    integer = {"evidence_start", "evidence_end", "sentence_start", "start", "end", "position"}

    def columns(names: Sequence[str]) -> Any:
        fields = []
        for name in names:
            kind = pa.int64() if name in integer else pa.float64() if name == "score" else text
            fields.append(pa.field(name, kind))
        return pa.schema(fields)

    return {
        "documents": columns(
            ("id", "name", "url", "title", "published", "outlet", "language", "origin", "text")
        ),
        "claims": columns(CLAIM_FIELDS),
        "quotes": columns(QUOTE_FIELDS),
        "notes": columns(("document_id", "position", "note")),
        "problems": columns(("origin", "status", "reason", "document_name")),
    }


def part_path(out: str, table: str, split_id: str) -> Path:
    return Path(out) / table / f"part-{split_id}.parquet"


def process_split(split_data: dict[str, Any], options: Options) -> dict[str, Any]:
    """Run one split and write its five Parquet files; return its counts and timings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from armstrace.batch.sources import read_split
    from armstrace.extract.document import extract_documents
    from armstrace.records import Document
    from armstrace.store.database import claim_row, document_row, quote_row

    split = Split.from_dict(split_data)
    started = time.perf_counter()
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    problems = rows["problems"]
    documents: list[Document] = []
    seen: dict[str, str] = {}
    for result in read_split(split):
        if result.document is None:
            problems.append({"origin": result.origin, "status": "skipped", "reason": result.reason})
            continue
        document = result.document
        if document.id in seen:
            reason = f"same content as {seen[document.id]}"
            problems.append(
                {"origin": result.origin, "status": "duplicate", "reason": reason,
                 "document_name": document.name}
            )  # fmt: skip
            continue
        seen[document.id] = document.name
        documents.append(document)
    read_seconds = time.perf_counter() - started

    def failed(document: Document, exc: Exception) -> None:
        log.warning("extraction failed for %s", document.origin, exc_info=exc)
        problems.append(
            {"origin": document.origin, "status": "skipped", "document_name": document.name,
             "reason": f"extraction failed: {exc!r}"}
        )  # fmt: skip

    extracted = 0
    for extraction in extract_documents(
        documents, prefilter=options.prefilter, on_error=failed, min_score=options.min_score
    ):
        document = extraction.document
        row = document_row(document, "")
        del row["ingested_at"]
        rows["documents"].append(row)
        rows["claims"] += [claim_row(c) for c in extraction.claims]
        rows["quotes"] += [quote_row(document.id, q) for q in extraction.quotes]
        rows["notes"] += [
            {"document_id": document.id, "position": n, "note": note}
            for n, note in enumerate(extraction.notes)
        ]
        extracted += 1
    extract_seconds = time.perf_counter() - started - read_seconds

    tables = schemas()
    for table, values in rows.items():
        path = part_path(options.out, table, split.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        pq.write_table(pa.Table.from_pylist(values, schema=tables[table]), temporary)
        os.replace(temporary, path)  # a split's file appears whole or not at all
    return {
        "split": split.id,
        "documents": extracted,
        "claims": len(rows["claims"]),
        "quotes": len(rows["quotes"]),
        "skipped": sum(1 for p in problems if p["status"] == "skipped"),
        "duplicates": sum(1 for p in problems if p["status"] == "duplicate"),
        "read_seconds": read_seconds,
        "extract_seconds": extract_seconds,
        "write_seconds": time.perf_counter() - started - read_seconds - extract_seconds,
        "pid": os.getpid(),
    }
