"""Plan a batch: the input files, cut into splits of a bounded number of documents that any
worker can read on its own. Both engines run the same splits, so they read, extract and write
exactly the same documents; only who runs which split differs.

A split never holds text: it names a file and a range (JSONL lines, Parquet row groups, a
WARC file, or a list of .txt/.html files), so planning reads no more than JSONL line offsets.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from armstrace.records import content_id

# Documents per split: small enough that two workers share a corpus evenly and a split's
# Parquet files stay small, large enough that each task's overhead is negligible.
JSONL_LINES = 500
PARQUET_ROWS = 500
TEXT_FILES = 200

KINDS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".warc": "warc",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
}


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    if name.endswith((".jsonl.gz", ".ndjson.gz")):
        return "jsonl.gz"
    return KINDS.get(path.suffix.lower())


@dataclass(frozen=True, slots=True)
class Split:
    """A unit of work: `kind` of input, the files, and a range within the first (JSONL: byte
    offset and first line number with the line count; Parquet: row groups)."""

    kind: str
    paths: tuple[str, ...]
    start: int = 0  # JSONL: byte offset; Parquet: first row group
    count: int = 0  # JSONL: lines; Parquet: row groups (0: to the end)
    first_line: int = 1  # JSONL: the number of the first line (for origins and names)
    first_row: int = 0  # Parquet: the index of the first row of the split

    @property
    def id(self) -> str:
        """Names the split's output files: the same split writes the same files on every run."""
        return content_id(self.kind, *self.paths, str(self.start), str(self.count), length=12)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "paths": list(self.paths)}

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Split:
        return Split(**{**data, "paths": tuple(data["paths"])})


@dataclass(slots=True)
class Plan:
    splits: list[Split] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)


def plan(inputs: Sequence[str]) -> Plan:
    """The splits of every input file (folders are walked, in name order)."""
    result = Plan()
    texts: list[str] = []
    for path in _files(inputs, result):
        kind = kind_of(path)
        if kind in ("txt", "html"):
            texts.append(str(path))
        elif kind == "jsonl":
            result.splits += _jsonl_splits(path)
        elif kind == "parquet":
            result.splits += _parquet_splits(path, result)
        elif kind in ("warc", "jsonl.gz"):
            result.splits.append(Split(kind, (str(path),)))
        else:
            result.problems.append(
                (str(path), f"unsupported file type {path.suffix or path.name!r}")
            )
    for start in range(0, len(texts), TEXT_FILES):
        result.splits.append(Split("files", tuple(texts[start : start + TEXT_FILES])))
    return result


def _files(inputs: Sequence[str], result: Plan) -> Iterator[Path]:
    for text in inputs:
        path = Path(text)
        if path.is_dir():
            found = []
            for root, _dirs, names in os.walk(path, onerror=None):
                for name in names:
                    candidate = Path(root) / name
                    if kind_of(candidate) is not None and candidate.is_file():
                        found.append(candidate)
            yield from sorted(found)
        elif path.is_file():
            yield path
        else:
            result.problems.append((text, "no such file or folder"))


def _jsonl_splits(path: Path) -> list[Split]:
    """Splits of JSONL_LINES lines each: one pass over the bytes to find the line offsets."""
    splits: list[Split] = []
    offset, line, start, first = 0, 1, 0, 1
    with path.open("rb") as handle:
        for raw in handle:
            offset += len(raw)
            if line - first + 1 == JSONL_LINES:
                splits.append(Split("jsonl", (str(path),), start, JSONL_LINES, first))
                start, first = offset, line + 1
            line += 1
    if line > first:
        splits.append(Split("jsonl", (str(path),), start, line - first, first))
    return splits


def _parquet_splits(path: Path, result: Plan) -> list[Split]:
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        result.problems.append((str(path), f"not a readable Parquet file ({exc})"))
        return []
    splits: list[Split] = []
    group, rows, first_row, start, first_of_split = 0, 0, 0, 0, 0
    for group in range(metadata.num_row_groups):
        rows += metadata.row_group(group).num_rows
        if rows >= PARQUET_ROWS:
            splits.append(
                Split("parquet", (str(path),), start, group - start + 1, first_row=first_of_split)
            )
            first_row += rows
            first_of_split, start, rows = first_row, group + 1, 0
    if start < metadata.num_row_groups:
        count = metadata.num_row_groups - start
        splits.append(Split("parquet", (str(path),), start, count, first_row=first_of_split))
    return splits
