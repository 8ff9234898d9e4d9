"""The shape every export format shares: a writer per kind of item, and the tally it returns.

Writers stream: they take an iterable and write as they go, holding only what their format must
gather before the end (GeoJSON's place points, FtM's already-written entity ids).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO

from armstrace.export.source import ClaimItem
from armstrace.kb.transfer_records import TransferRecord

__all__ = ["Format", "Tally"]


@dataclass(slots=True)
class Tally:
    """What a writer did: items (records or claims) written, and those its format cannot show,
    with why (a graph edge needs both parties; a map line needs two located points)."""

    written: int = 0
    left_out: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    objects: int = 0  # what the format counts: rows, lines, nodes + edges, features, entities

    def leave_out(self, reason: str) -> None:
        self.left_out += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


RecordWriter = Callable[[Iterable[TransferRecord], TextIO], Tally]
ClaimWriter = Callable[[Iterable[ClaimItem], TextIO], Tally]


@dataclass(frozen=True, slots=True)
class Format:
    """One export format: its writers, the file suffix it uses and the tools that open it."""

    name: str
    suffix: str
    opens_in: str
    records: RecordWriter
    claims: ClaimWriter
