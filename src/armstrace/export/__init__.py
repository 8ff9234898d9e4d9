"""Exports: transfer records or claims from a store, in the formats analysts' tools read.

`export(store, "graphml", out)` streams one format to a text stream; FORMATS maps each format
name to its writers (one module per format). Exports only read the store: run `ingest` (which
refreshes the records) first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from armstrace.errors import InputError
from armstrace.export import csvfile, ftm, geojson, graphml, jsonl
from armstrace.export.base import Format, Tally
from armstrace.export.source import ClaimItem, iter_claims, iter_records
from armstrace.store import ALL_RECORDS, RecordFilter, Store

__all__ = [
    "FORMATS",
    "WHATS",
    "ClaimItem",
    "ExportSummary",
    "Format",
    "export",
    "export_to_path",
]

WHATS = ("records", "claims")

FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("csv", ".csv", "Excel, LibreOffice Calc, pandas", csvfile.write_records,
               csvfile.write_claims),
        Format("jsonl", ".jsonl", "jq, pandas, any JSON tool", jsonl.write_records,
               jsonl.write_claims),
        Format("graphml", ".graphml", "Gephi, Cytoscape, yEd, networkx", graphml.write_records,
               graphml.write_claims),
        Format("geojson", ".geojson", "QGIS, kepler.gl, geojson.io", geojson.write_records,
               geojson.write_claims),
        Format("ftm", ".ftm.json", "Aleph, OpenSanctions tooling, `ftm` CLI",
               ftm.write_records, ftm.write_claims),
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: `written` records or claims; `left_out` ones the format cannot show
    (counted by reason); `objects` in the format's own unit (rows, nodes + edges, features,
    entities)."""

    format: str
    what: str
    written: int
    left_out: int = 0
    reasons: Mapping[str, int] = field(default_factory=dict)
    objects: int = 0


def _format(name: str, what: str) -> Format:
    if name not in FORMATS:
        raise InputError(f"unknown export format {name!r}; choose one of: {', '.join(FORMATS)}")
    if what not in WHATS:
        raise InputError(f"unknown export subject {what!r}; choose one of: {', '.join(WHATS)}")
    return FORMATS[name]


def export(
    store: Store,
    fmt: str,
    out: TextIO,
    *,
    what: str = "records",
    filters: RecordFilter = ALL_RECORDS,
) -> ExportSummary:
    """Write the matching records (or claims) to `out` in format `fmt`, streaming.

    For claims, `actor`, `since` and `until` apply to the claim's own date (else its
    document's); `embargo_only` and `min_sources` are record-only and raise InputError.
    """
    spec = _format(fmt, what)
    tally: Tally
    if what == "records":
        tally = spec.records(iter_records(store, filters), out)
    else:
        tally = spec.claims(iter_claims(store, filters), out)
    return ExportSummary(fmt, what, tally.written, tally.left_out, dict(tally.reasons),
                         tally.objects)  # fmt: skip


def export_to_path(
    store: Store,
    fmt: str,
    path: str | os.PathLike[str],
    *,
    what: str = "records",
    filters: RecordFilter = ALL_RECORDS,
) -> ExportSummary:
    """`export` into a file, written beside it first and renamed into place when complete, so
    that a failed export never leaves a truncated file behind."""
    _format(fmt, what)
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            summary = export(store, fmt, out, what=what, filters=filters)
        os.replace(partial, target)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return summary
