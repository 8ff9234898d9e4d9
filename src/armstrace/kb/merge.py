"""The merge rule: which stored claims form one transfer record (docs/knowledge-base.md).

Claims of one (supplier, recipient, category) whose designations overlap, or that name none, form
a record while no gap between consecutive dates exceeds WINDOW_DAYS; denials attach to the
records they deny. Pure and order-independent; kb/build.py fills in each record's fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from armstrace.records import Claim, Document

__all__ = [
    "GENERIC_CATEGORIES",
    "WINDOW_DAYS",
    "Dated",
    "Draft",
    "merge_claims",
]

WINDOW_DAYS = 365  # a longer silence between two dated claims starts a new record
GENERIC_CATEGORIES = frozenset({"military_equipment_unspecified", "other"})


@dataclass(frozen=True, slots=True)
class Dated:
    """A claim with the day it counts for: its own date, else its document's."""

    claim: Claim
    day: date | None

    @property
    def order(self) -> tuple[date, str]:
        return (self.day or date.max, self.claim.id)


@dataclass(slots=True)
class Draft:
    """The claims of one future record: its merge key, supporting claims and denials."""

    key: str
    members: list[Dated]
    denials: list[Dated]


def merge_claims(
    claims: Sequence[Claim], documents: Mapping[str, Document], window: int = WINDOW_DAYS
) -> list[Draft]:
    """Group claims into drafts of records: supporting claims by the merge rule, each denial
    with the records it denies, and denials that fit no record into records of their own."""

    def dated(claim: Claim) -> Dated:
        document = documents.get(claim.document_id)
        return Dated(claim, claim.claim_date or (document.published if document else None))

    items = [dated(c) for c in claims]
    supports = [i for i in items if i.claim.status != "denied"]
    denials = [i for i in items if i.claim.status == "denied"]
    drafts = [Draft(key, span, []) for key, span in _clusters(supports, window)]
    orphans = _attach_denials(drafts, denials, window)
    drafts += [Draft(key, [], span) for key, span in _clusters(orphans, window)]
    return drafts


def _fold(designation: str) -> str:
    return " ".join(designation.casefold().replace("-", " ").split())


def _by_designation(claims: Sequence[Dated]) -> list[list[Dated]]:
    """Claims whose designations overlap (transitively) together; those naming none together."""
    groups: dict[str, list[Dated]] = {}
    owner: dict[str, str] = {}  # folded designation -> group key
    for item in sorted(claims, key=lambda d: d.claim.id):
        names = sorted({_fold(d) for d in item.claim.designations})
        if not names:
            groups.setdefault("", []).append(item)
            continue
        keys = sorted({owner[n] for n in names if n in owner})
        key = keys[0] if keys else names[0]
        merged = [item]
        for other in keys[1:]:
            merged += groups.pop(other)
        groups.setdefault(key, []).extend(merged)
        for member in groups[key]:
            for name in member.claim.designations:
                owner[_fold(name)] = key
    return [sorted(g, key=lambda d: d.order) for _, g in sorted(groups.items())]


def _by_time(claims: Sequence[Dated], window: int) -> list[list[Dated]]:
    """Split at every gap of more than `window` days; undated claims join the latest span."""
    dated = [c for c in claims if c.day is not None]
    undated = [c for c in claims if c.day is None]
    spans: list[list[Dated]] = []
    for item in dated:
        last = spans[-1][-1].day if spans else None
        if last is None or item.day is None or (item.day - last).days > window:
            spans.append([item])
        else:
            spans[-1].append(item)
    if undated:
        if spans:
            spans[-1].extend(undated)
        else:
            spans.append(undated)
    return spans


def _clusters(claims: Sequence[Dated], window: int) -> list[tuple[str, list[Dated]]]:
    """(merge key, claims) for every record these claims form."""
    by_key: dict[tuple[str, str, str], list[Dated]] = {}
    for item in claims:
        c = item.claim
        by_key.setdefault(((c.supplier or "").upper(), (c.recipient or "").upper(), c.category), [])
        by_key[((c.supplier or "").upper(), (c.recipient or "").upper(), c.category)].append(item)
    out: list[tuple[str, list[Dated]]] = []
    for (supplier, recipient, category), group in sorted(by_key.items()):
        for component in _by_designation(group):
            names = sorted({_fold(d) for c in component for d in c.claim.designations})
            key = "\x1f".join((supplier, recipient, category, names[0] if names else ""))
            out.extend((key, span) for span in _by_time(component, window))
    return out


def _compatible(denial: Dated, record: Draft, window: int) -> int | None:
    """How far (in days) a denial lies from a record it may deny, or None if it cannot."""
    d, first = denial.claim, record.members[0].claim
    same_pair = (d.supplier or "").upper() == (first.supplier or "").upper() and (
        d.recipient or ""
    ).upper() == (first.recipient or "").upper()
    if not same_pair:
        return None
    if d.category != first.category and not (
        d.category in GENERIC_CATEGORIES or first.category in GENERIC_CATEGORIES
    ):
        return None
    denied = {_fold(x) for x in d.designations}
    named = {_fold(x) for m in record.members for x in m.claim.designations}
    if denied and named and not denied & named:
        return None
    days = [m.day for m in record.members if m.day is not None]
    if denial.day is None or not days:
        return 0
    if min(days).toordinal() - window <= denial.day.toordinal() <= max(days).toordinal() + window:
        return 0
    return min(abs((denial.day - day).days) for day in days)


def _pair(claim: Claim) -> tuple[str, str]:
    return ((claim.supplier or "").upper(), (claim.recipient or "").upper())


def _attach_denials(drafts: list[Draft], denials: Sequence[Dated], window: int) -> list[Dated]:
    """Attach each denial to the records it may deny (the nearest when none is in the window);
    return the denials that fit no record."""
    orphans: list[Dated] = []
    by_pair: dict[tuple[str, str], list[Draft]] = {}
    for draft in drafts:
        by_pair.setdefault(_pair(draft.members[0].claim), []).append(draft)
    for denial in sorted(denials, key=lambda d: d.claim.id):
        scored = [
            (dist, draft)
            for draft in by_pair.get(_pair(denial.claim), [])
            if (dist := _compatible(denial, draft, window)) is not None
        ]
        if not scored:
            orphans.append(denial)
            continue
        within = [draft for dist, draft in scored if dist == 0]
        if within:
            for draft in within:
                draft.denials.append(denial)
        else:
            nearest = min(scored, key=lambda pair: (pair[0], pair[1].key, pair[1].members[0].order))
            nearest[1].denials.append(denial)
    return orphans
