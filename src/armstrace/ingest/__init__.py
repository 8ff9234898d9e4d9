"""Ingest: files, directories, JSONL and stdin in; Document records (or skip reasons) out.

A bad file never stops a batch and nothing is lost silently: every path given yields documents
or a ReadResult that says why it was skipped. Ingest reads text; it does not segment or extract.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from armstrace.errors import InputError
from armstrace.ingest.language import LanguageGuess, detect_english
from armstrace.ingest.readers import (
    DEFAULT_MAX_BYTES,
    PARSERS,
    ReadResult,
    Source,
    decode,
    load_file,
    load_stdin,
    not_regular,
    parse_date,
    skipped,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "LanguageGuess",
    "ReadResult",
    "Source",
    "detect_english",
    "expand_paths",
    "parse_date",
    "read_source",
]

# Suffix → kind. Directories are searched for these only; a file named explicitly is read even
# with another suffix (as plain text), since the user asked for it and binary input is caught.
EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".pdf": "pdf",
}


def expand_paths(paths: Sequence[str]) -> tuple[list[Source], list[ReadResult]]:
    """Sources to read, in order; missing or unreadable paths become skipped results."""
    sources: list[Source] = []
    problems: list[ReadResult] = []
    for raw in paths:
        if raw == "-":
            sources.append(Source(origin="-", kind="stdin"))
            continue
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            problems.append(skipped(raw, "no such file or directory"))
            continue
        except OSError as exc:
            problems.append(skipped(raw, f"cannot read: {exc.strerror or exc}"))
            continue
        problem = not_regular(mode)
        if not os.access(path, os.R_OK):
            problems.append(skipped(raw, "cannot read: permission denied"))
        elif stat.S_ISDIR(mode):
            found = _walk(path, problems)
            if not found:
                known = ", ".join(EXTENSIONS)
                problems.append(skipped(raw, f"directory has no readable files ({known})"))
            sources.extend(found)
        elif problem is not None:
            problems.append(skipped(raw, problem))
        else:
            sources.append(Source(origin=raw, kind=_kind(path)))
    return sources, problems


def _kind(path: Path) -> str:
    """A file's kind from its suffix; a PDF named without one is known by its signature."""
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is not None:
        return kind
    try:
        with path.open("rb") as handle:
            return "pdf" if handle.read(5) == b"%PDF-" else "txt"
    except OSError:
        return "txt"  # the reader reports why it cannot be read


def _walk(root: Path, problems: list[ReadResult]) -> list[Source]:
    """Files with a known suffix under `root`, recursively and sorted; hidden entries skipped,
    and entries that are not regular files (pipes, sockets, devices) reported, never opened."""

    def report(exc: OSError) -> None:
        problems.append(skipped(str(exc.filename), f"cannot read directory: {exc.strerror}"))

    found: list[Path] = []
    for directory, dirnames, filenames in os.walk(root, onerror=report):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for filename in filenames:
            if filename.startswith(".") or Path(filename).suffix.lower() not in EXTENSIONS:
                continue
            path = Path(directory, filename)
            try:
                problem = not_regular(path.stat().st_mode)
            except OSError as exc:
                problem = f"cannot read: {exc.strerror or exc}"
            if problem is None:
                found.append(path)
            else:
                problems.append(skipped(str(path), problem))
    return [
        Source(origin=str(path), kind=EXTENSIONS[path.suffix.lower()]) for path in sorted(found)
    ]


def read_source(
    source: Source, *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: TextIO | None = None
) -> list[ReadResult]:
    """Read one source into results: one per document, or one skipped result saying why."""
    if max_bytes <= 0:
        raise InputError(f"max_bytes must be a positive number of bytes, not {max_bytes}")
    if source.kind == "pdf":  # bytes, read page by page: no text decoding first
        from armstrace.ingest.pdf import read_pdf

        try:
            return read_pdf(source, max_bytes)
        except Exception as exc:  # pypdf on hostile input: cost one source, say which
            return [skipped(source.origin, f"unexpected error: {type(exc).__name__}: {exc}")]
    parser = PARSERS.get(source.kind)
    if parser is None:
        known = ", ".join(PARSERS)
        return [skipped(source.origin, f"unknown source kind {source.kind!r} (known: {known})")]
    try:
        if source.kind == "stdin":
            text, warnings = load_stdin(max_bytes, stdin)
        else:
            text, warnings = decode(load_file(Path(source.origin), max_bytes))
        return parser(source, text, warnings)
    except InputError as exc:
        return [skipped(source.origin, str(exc))]
    except Exception as exc:  # a reader bug must cost one source, not the batch; say which
        return [skipped(source.origin, f"unexpected error: {type(exc).__name__}: {exc}")]
