"""Building transfer records: each draft of merged claims becomes one TransferRecord.

A record's fields come from its claims alone: current status and its history, quantities,
independent sources and confidence, route, embargo flags and SIPRI links. Which claims belong
together is kb/merge.py's decision; nothing here reads the store or extracts text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from armstrace.kb.confidence import Support, score
from armstrace.kb.corroboration import (
    DocumentOrigin,
    document_origin,
    independent_groups,
    same_speaker,
    source_kind,
)
from armstrace.kb.merge import WINDOW_DAYS, Dated, Draft, merge_claims
from armstrace.kb.model import (
    ClaimRef,
    EmbargoFlag,
    QuantityRange,
    RoutePoint,
    SipriLink,
    StatusEvent,
    TransferRecord,
)
from armstrace.kb.sipri import SipriDeal, match_deals
from armstrace.records import Claim, Document, content_id

__all__ = ["build_records"]

MAX_SIPRI_LINKS = 5
# Which stage wins when two claims share the latest date: the most advanced one.
STAGE_RANK = {
    s: rank
    for rank, s in enumerate(
        ("speculated", "alleged", "requested", "planned", "attempted", "agreed", "ongoing",
         "delivered")
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Context:
    documents: Mapping[str, Document]
    origins: Mapping[str, DocumentOrigin]
    deals: Sequence[SipriDeal]
    titles: Mapping[str, list[tuple[str, str | None, str | None]]]


def _speaker_titles(claims: Sequence[Claim]) -> dict[str, list[tuple[str, str | None, str | None]]]:
    """Per document, its speakers with a title or affiliation, so that a later bare "Shin" is
    known as the minister named in full earlier in the same text."""
    table: dict[str, list[tuple[str, str | None, str | None]]] = {}
    for claim in sorted(claims, key=lambda c: c.id):
        speaker = claim.speaker
        if speaker is not None and (speaker.title or speaker.affiliation):
            entry = (speaker.name, speaker.title, speaker.affiliation)
            table.setdefault(claim.document_id, []).append(entry)
    return table


def _kind(claim: Claim, context: _Context) -> str:
    title = claim.speaker.title if claim.speaker else None
    affiliation = claim.speaker.affiliation if claim.speaker else None
    if claim.source and not (title or affiliation):
        for name, known_title, known_affiliation in context.titles.get(claim.document_id, ()):
            if same_speaker(name, claim.source):
                title, affiliation = known_title, known_affiliation
                break
    return source_kind(claim.source, title, affiliation)


def _ref(item: Dated, context: _Context) -> ClaimRef:
    claim = item.claim
    document = context.documents.get(claim.document_id)
    origin = context.origins.get(claim.document_id)
    speaker = claim.speaker
    return ClaimRef(
        claim_id=claim.id,
        document_id=claim.document_id,
        document_name=claim.document_name or (document.name if document else ""),
        title=document.title if document else None,
        url=document.url if document else None,
        outlet=(document.outlet if document and document.outlet else None)
        or (origin.outlet if origin else None),
        date=item.day,
        source=claim.source,
        source_kind=_kind(claim, context),
        status=claim.status,
        evidence=claim.evidence,
        evidence_start=claim.evidence_start,
        evidence_end=claim.evidence_end,
        quantity=claim.quantity,
        speaker_name=speaker.name if speaker else None,
        speaker_title=speaker.title if speaker else None,
        speaker_affiliation=speaker.affiliation if speaker else None,
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return tuple(seen.values())


def _quantity(members: Sequence[Dated]) -> QuantityRange | None:
    from armstrace.extract.items import parse_quantity

    texts = _unique(m.claim.quantity for m in members if m.claim.quantity)
    if not texts:
        return None
    lows: list[float] = []
    highs: list[float] = []
    units: list[str] = []
    for text in texts:
        parsed = parse_quantity(text)
        if parsed is None:
            continue
        if parsed.low is not None:
            lows.append(parsed.low)
        if parsed.high is not None:
            highs.append(parsed.high)
        elif parsed.low is not None:
            highs.append(parsed.low)
        if parsed.unit:
            units.append(parsed.unit)
    return QuantityRange(
        low=min(lows) if lows else None,
        high=max(highs) if highs else None,
        unit=sorted(units)[0] if units else None,
        text="; ".join(texts),
    )


def _status(members: Sequence[Dated]) -> str:
    if not members:
        return "denied"
    latest = max(
        members, key=lambda m: (m.day or date.min, STAGE_RANK.get(m.claim.status, -1), m.claim.id)
    )
    return latest.claim.status


def _embargo(supplier: str | None, recipient: str | None, category: str,
             members: Sequence[Dated]) -> tuple[EmbargoFlag, ...]:  # fmt: skip
    from armstrace.kb.embargoes import check_transfer

    flags: dict[tuple[str, str], EmbargoFlag] = {}
    for day in sorted({m.day for m in members if m.day is not None}):
        for hit in check_transfer(supplier, recipient, day, category=category):
            flags.setdefault(
                (hit.embargo.id, hit.party),
                EmbargoFlag(
                    regime=hit.embargo.id,
                    issuer=hit.embargo.issuer,
                    target=hit.actor,
                    side=hit.party,
                    reason=hit.reason,
                    legal_basis=hit.embargo.legal_basis,
                    source=hit.embargo.source,
                ),
            )
    return tuple(flags[key] for key in sorted(flags))


def _sipri(
    supplier: str | None,
    recipient: str | None,
    category: str,
    designations: Sequence[str],
    members: Sequence[Dated],
    deals: Sequence[SipriDeal],
) -> tuple[SipriLink, ...]:
    if not deals or supplier is None or recipient is None:
        return ()
    years: list[int | None] = [*sorted({m.day.year for m in members if m.day is not None})]
    years = years or [None]
    found: dict[str, SipriDeal] = {}
    for year in years:
        for deal in match_deals(deals, supplier, recipient, category, designations, year):
            found.setdefault(deal.id, deal)
    return tuple(
        SipriLink(
            deal_id=deal.id,
            supplier=deal.supplier or deal.supplier_name,
            recipient=deal.recipient or deal.recipient_name,
            designation=deal.designation,
            description=deal.description,
            order_year=deal.year_of_order,
            delivery_years=deal.delivery_years,
            number=deal.number_ordered,
        )
        for deal in list(found.values())[:MAX_SIPRI_LINKS]
    )


def _route(members: Sequence[Dated]) -> tuple[RoutePoint, ...]:
    from armstrace.extract.places import lookup_place

    points = []
    for name in _unique(n for m in members for n in m.claim.route):
        place = lookup_place(name)
        points.append(RoutePoint(name, place.lat if place else None, place.lon if place else None))
    return tuple(points)


def _name(code: str | None) -> str | None:
    from armstrace.extract.actors import actor_name

    return actor_name(code) if code else None


def _denier(item: Dated, supplier_name: str | None) -> str:
    return item.claim.source or supplier_name or "the supplier"


def _record(draft: Draft, context: _Context) -> TransferRecord:
    members = sorted(draft.members, key=lambda m: m.order)
    denials = sorted(draft.denials, key=lambda m: m.order)
    basis = members or denials
    first = basis[0].claim
    supplier, recipient, category = first.supplier, first.recipient, first.category
    refs = tuple(_ref(m, context) for m in members)
    kinds = {ref.claim_id: ref.source_kind for ref in refs}
    groups = independent_groups([m.claim for m in members], context.origins, kinds)
    supplier_name = _name(supplier)
    confidence = score(
        len(groups),
        [
            Support(
                m.claim.source,
                kinds[m.claim.id],
                m.claim.status,
                m.claim.sentence or m.claim.evidence,
            )
            for m in members
        ],
        [_denier(d, supplier_name) for d in denials],
    )
    days = [m.day for m in basis if m.day is not None]
    designations = tuple(sorted(_unique(d for m in basis for d in m.claim.designations)))
    history = sorted(members + denials, key=lambda m: m.order)
    return TransferRecord(
        id=content_id("record", draft.key, basis[0].claim.id),
        supplier=supplier,
        supplier_name=supplier_name,
        recipient=recipient,
        recipient_name=_name(recipient),
        category=category,
        designations=designations,
        items=_unique(i for m in basis for i in m.claim.items),
        quantity=_quantity(basis),
        status=_status(members),
        status_history=tuple(
            StatusEvent(m.day, m.claim.status, m.claim.id, m.claim.source) for m in history
        ),
        first_seen=min(days) if days else None,
        last_seen=max(days) if days else None,
        support=len(members),
        independent_sources=len(groups),
        confidence=confidence.value,
        confidence_reasons=confidence.reasons,
        claims=refs,
        denials=tuple(_ref(d, context) for d in denials),
        via=_unique(v for m in basis for v in m.claim.via),
        route=_route(basis),
        embargo=_embargo(supplier, recipient, category, members),
        sipri=_sipri(supplier, recipient, category, designations, basis, context.deals),
    )


def build_records(
    claims: Sequence[Claim],
    documents: Mapping[str, Document],
    origins: Mapping[str, DocumentOrigin] | None = None,
    deals: Sequence[SipriDeal] = (),
    *,
    window: int = WINDOW_DAYS,
) -> list[TransferRecord]:
    """Merge claims into transfer records (a pure function: same input, same records).

    A claim's date is its own, else its document's publication date. `origins` (outlet, wire
    agency, MinHash) default to being computed from `documents`, which then need their text.
    """
    if origins is None:
        origins = {key: document_origin(doc) for key, doc in documents.items()}
    drafts = merge_claims(claims, documents, window)
    context = _Context(documents, origins, tuple(deals), _speaker_titles(claims))
    records = [_record(draft, context) for draft in drafts]
    return sorted(
        records, key=lambda r: (r.last_seen is None, -(r.last_seen or date.min).toordinal(), r.id)
    )
