"""JSON Lines export: one JSON object per line, a record's `to_dict()` (the records contract) or
a claim's claims.md fields plus ids, for jq, pandas and other pipelines."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from armstrace.export.base import Tally
from armstrace.export.source import ClaimItem
from armstrace.kb.transfer_records import TransferRecord

__all__ = ["write_claims", "write_records"]


def _write(objects: Iterable[dict[str, Any]], out: TextIO) -> Tally:
    tally = Tally()
    for data in objects:
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        tally.written += 1
    tally.objects = tally.written
    return tally


def write_records(records: Iterable[TransferRecord], out: TextIO) -> Tally:
    return _write((r.to_dict() for r in records), out)


def write_claims(claims: Iterable[ClaimItem], out: TextIO) -> Tally:
    return _write((c.to_dict() for c in claims), out)
