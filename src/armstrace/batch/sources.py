"""Read one split of a batch into documents, with the ingest readers' own checks (cleaning,
binary and prose checks, the English gate): JSONL lines, Parquet rows (`id, url, title, date,
text`), .txt/.html files and WARC response records. Bad input costs its record only: it comes
out as a skipped result with the reason, and reading goes on.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from armstrace.batch.splits import Split
from armstrace.ingest import read_source
from armstrace.ingest.readers import (
    DEFAULT_MAX_BYTES,
    ReadResult,
    Source,
    decode,
    jsonl_record,
    parse_html,
    skipped,
)

MAX_RECORD_BYTES = DEFAULT_MAX_BYTES  # one JSONL line, Parquet text or WARC payload
HTML_TYPES = ("text/html", "application/xhtml+xml")
# How far past a broken WARC record to look for the next one (bytes).
RESYNC_WINDOW = 64 * 1024 * 1024


def read_split(split: Split) -> Iterator[ReadResult]:
    reader = READERS[split.kind]
    yield from reader(split)


def _jsonl_line(raw: bytes, path: str, number: int) -> ReadResult:
    origin = f"{path}:{number}"
    if len(raw) > MAX_RECORD_BYTES:
        return skipped(origin, f"line {number}: longer than {MAX_RECORD_BYTES:,} bytes")
    try:
        line, warnings = decode(raw)
    except Exception as exc:  # undecodable bytes: this line only
        return skipped(origin, f"line {number}: undecodable text ({exc})")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return skipped(origin, f"line {number}: not valid JSON ({exc.msg})", warnings)
    except (RecursionError, ValueError) as exc:
        return skipped(origin, f"line {number}: unreadable JSON ({type(exc).__name__})", warnings)
    return jsonl_record(record, origin, f"{Path(path).stem}:{number}", number, warnings)


def read_jsonl(split: Split) -> Iterator[ReadResult]:
    path = split.paths[0]
    with open(path, "rb") as handle:
        handle.seek(split.start)
        for number in range(split.first_line, split.first_line + split.count):
            raw = handle.readline()
            if not raw:
                return
            if raw.strip():
                yield _jsonl_line(raw.rstrip(b"\r\n"), path, number)


def read_jsonl_gz(split: Split) -> Iterator[ReadResult]:
    path = split.paths[0]
    try:
        with gzip.open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if raw.strip():
                    yield _jsonl_line(raw.rstrip(b"\r\n"), path, number)
    except (OSError, EOFError) as exc:  # a truncated or corrupt gzip stream: the rest is lost
        yield skipped(path, f"compressed stream broken ({exc}); the lines before it were read")


def _cell(value: Any) -> Any:
    # Parquet dates and timestamps come back as date/datetime: read them as ISO text.
    return value.isoformat()[:10] if hasattr(value, "isoformat") else value


def read_parquet(split: Split) -> Iterator[ReadResult]:
    import pyarrow.parquet as pq

    path = split.paths[0]
    stem = Path(path).stem
    try:
        handle = pq.ParquetFile(path)
        groups = list(range(split.start, split.start + split.count))
        wanted = [
            c
            for c in ("id", "url", "title", "date", "outlet", "text")
            if c in handle.schema_arrow.names
        ]
        if "text" not in wanted:
            yield skipped(path, 'no "text" column (the columns are id, url, title, date, text)')
            return
        batches = handle.iter_batches(batch_size=100, row_groups=groups, columns=wanted)
        number = split.first_row
        for batch in batches:
            for row in batch.to_pylist():
                number += 1
                origin = f"{path}#{number}"
                record = {key: _cell(value) for key, value in row.items()}
                text = record.get("text")
                if isinstance(text, str) and len(text) > MAX_RECORD_BYTES:
                    yield skipped(origin, f"row {number}: text longer than {MAX_RECORD_BYTES:,}")
                    continue
                result = jsonl_record(record, origin, f"{stem}:{number}", number, ())
                if result.reason is not None:
                    result = skipped(
                        origin, result.reason.replace("line ", "row ", 1), result.warnings
                    )
                yield result
    except Exception as exc:  # a corrupt page or column: the rows after it in this split are lost
        yield skipped(
            path, f"Parquet read failed in row groups {split.start}+: {type(exc).__name__}: {exc}"
        )


def read_files(split: Split) -> Iterator[ReadResult]:
    for path in split.paths:
        kind = "html" if path.lower().endswith((".html", ".htm")) else "txt"
        yield from read_source(Source(origin=path, kind=kind))


# --- WARC ------------------------------------------------------------------------------------


def _warc_document(record: Any, origin: str) -> ReadResult | None:
    """A document from a WARC response record with an HTML (or plain text) payload; None for
    records that hold no article (requests, metadata, images)."""
    if record.rec_type != "response":
        return None
    http = record.http_headers
    content_type = (http.get_header("Content-Type") if http else "") or ""
    if http is not None and not http.get_statuscode().startswith("2"):
        return None
    payload = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(payload) > MAX_RECORD_BYTES:
        return skipped(origin, f"payload longer than {MAX_RECORD_BYTES:,} bytes")
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        text, warnings = decode(payload)
    except Exception as exc:
        return skipped(origin, f"undecodable payload ({exc})")
    kind = content_type.split(";")[0].strip().lower()
    if kind and kind not in HTML_TYPES and not kind.startswith("text/"):
        return None
    name = url or record.rec_headers.get_header("WARC-Record-ID") or origin
    if kind == "text/plain":
        from armstrace.ingest.readers import parse_txt

        results = parse_txt(Source(origin=origin, kind="txt"), text, warnings)
    else:
        results = parse_html(Source(origin=origin, kind="html"), text, warnings)
    result = results[0]
    if result.document is None:
        return result
    document = result.document
    from dataclasses import replace

    document = replace(document, name=name, url=document.url or url)
    return ReadResult(origin, document, None, result.warnings)


def _resync(data: Any, after: int, gzipped: bool) -> int | None:
    """The offset of the next record start after `after` (a gzip member, or a WARC/1. line),
    or None when there is none in the window."""
    data.seek(after + 1)
    window = data.read(RESYNC_WINDOW)
    marker = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    found = window.find(marker)
    if found < 0:
        return None
    return after + 1 + found + (0 if gzipped else 1)


def read_warc(split: Split) -> Iterator[ReadResult]:
    """Response records of a WARC file (.warc or .warc.gz, as Common Crawl News ships them). A
    broken record is reported and reading resumes at the next record found after it."""
    from warcio.archiveiterator import ArchiveIterator

    path = split.paths[0]
    gzipped = path.lower().endswith(".gz")
    offset: int | None = 0
    index = 0  # records are named by their number in the file: path#n
    tried: set[int] = set()
    recovering = False  # a failure seen and no good record since: report it once
    with open(path, "rb") as data:
        while offset is not None:
            start = offset
            data.seek(start)
            iterator = ArchiveIterator(data)
            position = start
            try:
                for record in iterator:
                    index += 1
                    origin = f"{path}#{index}"
                    try:
                        result = _warc_document(record, origin)
                    except Exception as exc:
                        result = skipped(origin, f"broken WARC record ({_brief(exc)})")
                    # only now: warcio reads the record to its end to know where it began
                    position = start + iterator.get_record_offset()
                    recovering = False
                    if result is not None:
                        yield result
                return
            except Exception as exc:  # the archive itself is broken here: skip to the next record
                if not recovering:
                    index += 1
                    reason = f"broken WARC record, skipped to the next one ({_brief(exc)})"
                    yield skipped(f"{path}#{index}", reason)
                recovering = True
                offset = _resync(data, position, gzipped)
                while offset is not None and offset in tried:  # never retry the same start
                    offset = _resync(data, offset, gzipped)
                if offset is not None:
                    tried.add(offset)


def _brief(exc: Exception) -> str:
    """An exception in one line of at most 200 characters (warcio quotes the bad bytes)."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= 200 else text[:199] + "…"


READERS = {
    "jsonl": read_jsonl,
    "jsonl.gz": read_jsonl_gz,
    "parquet": read_parquet,
    "files": read_files,
    "warc": read_warc,
}
