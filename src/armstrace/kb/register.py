"""Reconcile transfer records with what states declared to the UN Register (UNROCA).

For each (exporter, importer, year, Register category) the exporter's and the importer's
declarations are compared: declared by both with the same number (matching), or a mirror gap
(one side only, or different numbers). Records with status delivered that no declaration of
either side covers are undeclared. Pure functions over plain records and declarations; the
store and the display are elsewhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from armstrace.kb.model import plain
from armstrace.kb.unroca import Declaration

__all__ = [
    "COVERED",
    "MirrorRow",
    "Reconciliation",
    "reconcile",
    "record_register",
]

# armstrace categories the Register's seven categories cover; ammunition, components and the
# rest are outside it, so a record about them is never "undeclared".
COVERED = frozenset(
    {"armoured_vehicle", "artillery", "aircraft", "uav", "ship", "missile", "air_defence"}
)
# Which declared categories can stand for a record's category: surface-to-air missiles are
# declared in category VII (missiles) as well as VII a (MANPADS), and armed UAVs are reported
# in category IV beside combat aircraft.
COVERS: dict[str, frozenset[str]] = {
    "air_defence": frozenset({"air_defence", "missile"}),
    "missile": frozenset({"missile", "air_defence"}),
    "uav": frozenset({"uav", "aircraft"}),
    "aircraft": frozenset({"aircraft", "uav"}),
}


@dataclass(frozen=True, slots=True)
class MirrorRow:
    """One (exporter, importer, year, category) of the Register, both sides side by side."""

    exporter: str | None
    importer: str | None
    year: int
    register_code: str
    register_name: str
    category: str
    exporter_items: int | None  # None: the exporter declared nothing here
    importer_items: int | None
    exporter_declared: bool
    importer_declared: bool
    verdict: str  # matching | mirror_gap
    gap: str  # "" | exporter_only | importer_only | different_numbers
    descriptions: tuple[str, ...] = ()
    records: tuple[str, ...] = ()  # armstrace records about this transfer

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = plain(self)
        return result


@dataclass(frozen=True, slots=True)
class Undeclared:
    record_id: str
    supplier: str | None
    recipient: str | None
    category: str
    years: tuple[int, ...]
    designations: tuple[str, ...]
    independent_sources: int

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = plain(self)
        return result


@dataclass(frozen=True, slots=True)
class Reconciliation:
    rows: tuple[MirrorRow, ...] = ()
    undeclared: tuple[Undeclared, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": dict(self.counts),
            "rows": [row.to_dict() for row in self.rows],
            "undeclared": [item.to_dict() for item in self.undeclared],
        }


def _total(declarations: Iterable[Declaration]) -> int | None:
    numbers = [d.items for d in declarations if d.items is not None]
    return sum(numbers) if numbers else None


def record_years(record: Mapping[str, Any]) -> tuple[int, ...]:
    """The calendar years a record spans, from first to last seen (none when undated)."""
    first, last = record.get("first_seen"), record.get("last_seen")
    if not first and not last:
        return ()
    start = int(str(first or last)[:4])
    end = int(str(last or first)[:4])
    return tuple(range(min(start, end), max(start, end) + 1))


def _covers(declaration: Declaration, record: Mapping[str, Any], years: Sequence[int]) -> bool:
    return (
        declaration.exporter == record["supplier"]
        and declaration.importer == record["recipient"]
        and declaration.category in COVERS.get(record["category"], {record["category"]})
        and (not years or declaration.year in years)
    )


def mirror_rows(
    declarations: Sequence[Declaration], records: Sequence[Mapping[str, Any]] = ()
) -> list[MirrorRow]:
    groups: dict[tuple[Any, ...], dict[str, list[Declaration]]] = defaultdict(
        lambda: {"exporter": [], "importer": []}
    )
    for item in declarations:
        groups[item.key][item.reporter].append(item)
    rows = []
    for (exporter, importer, year, code), sides in sorted(
        groups.items(), key=lambda kv: tuple(str(part) for part in kv[0])
    ):
        first = (sides["exporter"] or sides["importer"])[0]
        own, partner = _total(sides["exporter"]), _total(sides["importer"])
        by_exporter, by_importer = bool(sides["exporter"]), bool(sides["importer"])
        if by_exporter and by_importer:
            gap = "" if own == partner else "different_numbers"
        else:
            gap = "exporter_only" if by_exporter else "importer_only"
        related = tuple(r["id"] for r in records if _covers(first, r, record_years(r)))
        descriptions = tuple(
            dict.fromkeys(
                d.description for d in [*sides["exporter"], *sides["importer"]] if d.description
            )
        )
        rows.append(
            MirrorRow(
                exporter, importer, year, code, first.register_name, first.category,
                own, partner, by_exporter, by_importer,
                "matching" if not gap else "mirror_gap", gap, descriptions, related,
            )
        )  # fmt: skip
    return rows


def undeclared(
    records: Sequence[Mapping[str, Any]], declarations: Sequence[Declaration]
) -> list[Undeclared]:
    """Delivered records between states, in a Register category, that no declaration covers."""
    found = []
    for record in records:
        if record["status"] != "delivered" or record["category"] not in COVERED:
            continue
        if not _state(record["supplier"]) or not _state(record["recipient"]):
            continue
        years = record_years(record)
        if any(_covers(d, record, years) for d in declarations):
            continue
        found.append(
            Undeclared(
                record["id"], record["supplier"], record["recipient"], record["category"],
                years, tuple(record["designations"]), int(record["independent_sources"]),
            )
        )  # fmt: skip
    return found


def _state(code: str | None) -> bool:
    return bool(code) and len(code or "") == 3 and (code or "").isupper()


def reconcile(
    declarations: Sequence[Declaration], records: Sequence[Mapping[str, Any]]
) -> Reconciliation:
    """The three lists: matching and mirror-gap rows of the declarations, and undeclared
    records (records as dicts of the records contract)."""
    rows = mirror_rows([d for d in declarations if not d.background], records)
    missing = undeclared(records, declarations)
    counts = {
        "matching": sum(1 for row in rows if row.verdict == "matching"),
        "mirror_gap": sum(1 for row in rows if row.verdict == "mirror_gap"),
        "undeclared": len(missing),
    }
    return Reconciliation(tuple(rows), tuple(missing), counts)


def record_register(
    record: Mapping[str, Any], declarations: Sequence[Declaration]
) -> dict[str, Any]:
    """What the Register says about one record: the rows of its pair and category in the years
    it spans (or any year when it is undated), and whether it is undeclared."""
    years = record_years(record)
    mine = [d for d in declarations if _covers(d, record, years)]
    rows = mirror_rows(mine, [record])
    considered = (
        record["status"] == "delivered"
        and record["category"] in COVERED
        and _state(record["supplier"])
        and _state(record["recipient"])
    )
    return {
        "declared": bool(mine),
        "undeclared": bool(considered and not mine),
        "rows": [row.to_dict() for row in rows],
    }
