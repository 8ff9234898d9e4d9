"""CSV export: one row per record or claim, flat columns (lists joined with "; "), UTF-8 with a
header, for spreadsheets (Excel, LibreOffice) and pandas. Never reads the store itself."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

from armstrace.export.base import Tally
from armstrace.export.source import (
    CLAIM_COLUMNS,
    RECORD_COLUMNS,
    ClaimItem,
    Scalar,
    flat_claim,
    flat_record,
)
from armstrace.kb.transfer_records import TransferRecord

__all__ = ["cell", "neutralise", "write_claims", "write_records"]

# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """OWASP's rule against CSV injection: text that a spreadsheet would run as a formula (it
    starts with = + - @, a tab or a carriage return) gets a leading single quote, so that it is
    shown as the text it is. Every CSV writer of armstrace passes its text through here."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Scalar) -> str:
    """How a value reads in a cell: empty for none, `true`/`false` for flags, numbers as they
    are, text neutralised against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _write(rows: Iterable[Mapping[str, Scalar]], columns: Sequence[str], out: TextIO) -> Tally:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    tally = Tally()
    for row in rows:
        writer.writerow({key: cell(row[key]) for key in columns})
        tally.written += 1
    tally.objects = tally.written
    return tally


def write_records(records: Iterable[TransferRecord], out: TextIO) -> Tally:
    return _write((flat_record(r) for r in records), RECORD_COLUMNS, out)


def write_claims(claims: Iterable[ClaimItem], out: TextIO) -> Tally:
    return _write((flat_claim(c) for c in claims), CLAIM_COLUMNS, out)
