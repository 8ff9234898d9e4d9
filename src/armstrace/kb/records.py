"""Transfer records: stored claims merged across documents into one record per transfer.

The merge rule (docs/knowledge-base.md): claims of one (supplier, recipient, category) whose
designations overlap, or that name none, form a record while no gap between consecutive dates
exceeds WINDOW_DAYS; denials attach to the records they deny. Records are recomputed from all
claims, so the result never depends on ingest order; this module never extracts text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

from armstrace.errors import NotFoundError
from armstrace.kb.confidence import Support, score
from armstrace.kb.corroboration import (
    DocumentOrigin,
    document_origin,
    independent_groups,
    same_speaker,
    source_kind,
)
from armstrace.kb.sipri import SipriDeal, SipriImport, match_deals, read_trade_register
from armstrace.records import Claim, Document, content_id
from armstrace.store import ALL_CLAIMS, ALL_RECORDS, RecordFilter, RecordRow, Store

__all__ = [
    "WINDOW_DAYS",
    "ClaimRef",
    "EmbargoFlag",
    "QuantityRange",
    "RecordFilter",
    "RoutePoint",
    "SipriLink",
    "SipriResult",
    "StatusEvent",
    "TransferRecord",
    "build_records",
    "count_records",
    "get_record",
    "import_sipri",
    "list_records",
    "refresh_records",
]

WINDOW_DAYS = 365  # a longer silence between two dated claims starts a new record
MAX_SIPRI_LINKS = 5
GENERIC_CATEGORIES = frozenset({"military_equipment_unspecified", "other"})
# Which stage wins when two claims share the latest date: the most advanced one.
STAGE_RANK = {
    s: rank
    for rank, s in enumerate(
        ("speculated", "alleged", "requested", "planned", "attempted", "agreed", "ongoing",
         "delivered")
    )
}  # fmt: skip


# --- the record ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuantityRange:
    low: float | None
    high: float | None
    unit: str | None
    text: str


@dataclass(frozen=True, slots=True)
class StatusEvent:
    date: date | None
    status: str
    claim_id: str
    source: str | None


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """One supporting or denying claim, with its document and source, as a record lists it."""

    claim_id: str
    document_id: str
    document_name: str
    title: str | None
    url: str | None
    outlet: str | None
    date: date | None
    source: str | None
    source_kind: str
    status: str
    evidence: str
    evidence_start: int
    evidence_end: int
    quantity: str | None
    speaker_name: str | None
    speaker_title: str | None
    speaker_affiliation: str | None


@dataclass(frozen=True, slots=True)
class RoutePoint:
    name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class EmbargoFlag:
    regime: str
    issuer: str
    target: str
    side: str  # "supplier" | "recipient": which party is the regime's target
    reason: str
    legal_basis: str
    source: str


@dataclass(frozen=True, slots=True)
class SipriLink:
    deal_id: str
    supplier: str | None
    recipient: str | None
    designation: str
    description: str
    order_year: int
    delivery_years: tuple[int, ...]
    number: int | None


@dataclass(frozen=True, slots=True)
class TransferRecord:
    """One transfer as the knowledge base sees it; `to_dict` is the shared contract."""

    id: str
    supplier: str | None
    supplier_name: str | None
    recipient: str | None
    recipient_name: str | None
    category: str
    designations: tuple[str, ...]
    items: tuple[str, ...]
    quantity: QuantityRange | None
    status: str
    status_history: tuple[StatusEvent, ...]
    first_seen: date | None
    last_seen: date | None
    support: int
    independent_sources: int
    confidence: float
    confidence_reasons: tuple[str, ...]
    claims: tuple[ClaimRef, ...]
    denials: tuple[ClaimRef, ...]
    via: tuple[str, ...]
    route: tuple[RoutePoint, ...]
    embargo: tuple[EmbargoFlag, ...]
    sipri: tuple[SipriLink, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with exactly the keys of the records contract, in its order."""
        result = _plain(self)
        assert isinstance(result, dict)
        return result

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> TransferRecord:
        def refs(values: Iterable[Mapping[str, Any]]) -> tuple[ClaimRef, ...]:
            return tuple(ClaimRef(**{**v, "date": _day(v["date"])}) for v in values)

        quantity = data["quantity"]
        return TransferRecord(
            **{
                **data,
                "designations": tuple(data["designations"]),
                "items": tuple(data["items"]),
                "quantity": QuantityRange(**quantity) if quantity is not None else None,
                "status_history": tuple(
                    StatusEvent(**{**e, "date": _day(e["date"])}) for e in data["status_history"]
                ),
                "first_seen": _day(data["first_seen"]),
                "last_seen": _day(data["last_seen"]),
                "confidence_reasons": tuple(data["confidence_reasons"]),
                "claims": refs(data["claims"]),
                "denials": refs(data["denials"]),
                "via": tuple(data["via"]),
                "route": tuple(RoutePoint(**p) for p in data["route"]),
                "embargo": tuple(EmbargoFlag(**e) for e in data["embargo"]),
                "sipri": tuple(
                    SipriLink(**{**s, "delivery_years": tuple(s["delivery_years"])})
                    for s in data["sipri"]
                ),
            }
        )


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# --- merging ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Dated:
    claim: Claim
    day: date | None

    @property
    def order(self) -> tuple[date, str]:
        return (self.day or date.max, self.claim.id)


def _fold(designation: str) -> str:
    return " ".join(designation.casefold().replace("-", " ").split())


def _by_designation(claims: Sequence[_Dated]) -> list[list[_Dated]]:
    """Claims whose designations overlap (transitively) together; those naming none together."""
    groups: dict[str, list[_Dated]] = {}
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


def _by_time(claims: Sequence[_Dated], window: int) -> list[list[_Dated]]:
    """Split at every gap of more than `window` days; undated claims join the latest span."""
    dated = [c for c in claims if c.day is not None]
    undated = [c for c in claims if c.day is None]
    spans: list[list[_Dated]] = []
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


def _clusters(claims: Sequence[_Dated], window: int) -> list[tuple[str, list[_Dated]]]:
    """(merge key, claims) for every record these claims form."""
    by_key: dict[tuple[str, str, str], list[_Dated]] = {}
    for item in claims:
        c = item.claim
        by_key.setdefault(((c.supplier or "").upper(), (c.recipient or "").upper(), c.category), [])
        by_key[((c.supplier or "").upper(), (c.recipient or "").upper(), c.category)].append(item)
    out: list[tuple[str, list[_Dated]]] = []
    for (supplier, recipient, category), group in sorted(by_key.items()):
        for component in _by_designation(group):
            names = sorted({_fold(d) for c in component for d in c.claim.designations})
            key = "\x1f".join((supplier, recipient, category, names[0] if names else ""))
            out.extend((key, span) for span in _by_time(component, window))
    return out


def _compatible(denial: _Dated, record: _Draft, window: int) -> int | None:
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


@dataclass(slots=True)
class _Draft:
    key: str
    members: list[_Dated]
    denials: list[_Dated]


def _attach_denials(drafts: list[_Draft], denials: Sequence[_Dated], window: int) -> list[_Dated]:
    """Attach each denial to the records it may deny (the nearest when none is in the window);
    return the denials that fit no record."""
    orphans: list[_Dated] = []
    by_pair: dict[tuple[str, str], list[_Draft]] = {}
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


# --- building records ---------------------------------------------------------------------------


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


def _ref(item: _Dated, context: _Context) -> ClaimRef:
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


def _quantity(members: Sequence[_Dated]) -> QuantityRange | None:
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


def _status(members: Sequence[_Dated]) -> str:
    if not members:
        return "denied"
    latest = max(
        members, key=lambda m: (m.day or date.min, STAGE_RANK.get(m.claim.status, -1), m.claim.id)
    )
    return latest.claim.status


def _embargo(supplier: str | None, recipient: str | None, category: str,
             members: Sequence[_Dated]) -> tuple[EmbargoFlag, ...]:  # fmt: skip
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
    members: Sequence[_Dated],
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


def _route(members: Sequence[_Dated]) -> tuple[RoutePoint, ...]:
    from armstrace.extract.places import lookup_place

    points = []
    for name in _unique(n for m in members for n in m.claim.route):
        place = lookup_place(name)
        points.append(RoutePoint(name, place.lat if place else None, place.lon if place else None))
    return tuple(points)


def _name(code: str | None) -> str | None:
    from armstrace.extract.actors import actor_name

    return actor_name(code) if code else None


def _denier(item: _Dated, supplier_name: str | None) -> str:
    return item.claim.source or supplier_name or "the supplier"


def _record(draft: _Draft, context: _Context) -> TransferRecord:
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

    def dated(claim: Claim) -> _Dated:
        document = documents.get(claim.document_id)
        return _Dated(claim, claim.claim_date or (document.published if document else None))

    items = [dated(c) for c in claims]
    supports = [i for i in items if i.claim.status != "denied"]
    denials = [i for i in items if i.claim.status == "denied"]
    drafts = [_Draft(key, span, []) for key, span in _clusters(supports, window)]
    orphans = _attach_denials(drafts, denials, window)
    drafts += [_Draft(key, [], span) for key, span in _clusters(orphans, window)]
    context = _Context(documents, origins, tuple(deals), _speaker_titles(claims))
    records = [_record(draft, context) for draft in drafts]
    return sorted(
        records, key=lambda r: (r.last_seen is None, -(r.last_seen or date.min).toordinal(), r.id)
    )


# --- the store ------------------------------------------------------------------------------------


def _origins(store: Store, document_ids: Sequence[str]) -> dict[str, DocumentOrigin]:
    """Each document's origin, computed from its text once and kept in the store."""
    stored = store.signatures(document_ids)
    origins = {key: DocumentOrigin.from_json(json.loads(value)) for key, value in stored.items()}
    fresh: dict[str, str] = {}
    for document_id in document_ids:
        if document_id not in origins:
            origin = document_origin(store.document(document_id))
            origins[document_id] = origin
            fresh[document_id] = json.dumps(origin.to_json(), sort_keys=True)
    store.save_signatures(fresh)
    return origins


def _deal_from_json(data: Mapping[str, Any]) -> SipriDeal:
    tuples = {"delivery_years", "via", "financed_by", "aliases"}
    values: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in data.items()}
    return SipriDeal(**values)


def stored_deals(store: Store) -> list[SipriDeal]:
    return [_deal_from_json(json.loads(body)) for body in store.sipri_deal_bodies()]


def refresh_records(store: Store) -> int:
    """Recompute every transfer record from the stored claims; return how many there are."""
    claims = store.claims(ALL_CLAIMS, limit=None)
    documents = {d.id: d for d in store.documents(limit=None, with_text=False)}
    origins = _origins(store, sorted({c.document_id for c in claims}))
    records = build_records(claims, documents, origins, stored_deals(store))
    store.replace_records([_row(record) for record in records])
    return len(records)


def _row(record: TransferRecord) -> RecordRow:
    return RecordRow(
        id=record.id,
        supplier=record.supplier,
        recipient=record.recipient,
        category=record.category,
        status=record.status,
        first_seen=record.first_seen,
        last_seen=record.last_seen,
        support=record.support,
        independent_sources=record.independent_sources,
        confidence=record.confidence,
        embargo=bool(record.embargo),
        body=json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=False),
        claims=tuple((c.claim_id, "support") for c in record.claims)
        + tuple((c.claim_id, "denial") for c in record.denials),
        via=record.via,
        route=tuple(point.name for point in record.route),
    )


def _load(body: str) -> TransferRecord:
    return TransferRecord.from_dict(json.loads(body))


def list_records(
    store: Store, filters: RecordFilter = ALL_RECORDS, limit: int | None = 100, offset: int = 0
) -> list[TransferRecord]:
    """Matching records, last seen first, then by id."""
    return [_load(body) for body in store.record_bodies(filters, limit, offset)]


def count_records(store: Store, filters: RecordFilter = ALL_RECORDS) -> int:
    return store.count_records(filters)


def get_record(store: Store, record_id: str) -> TransferRecord:
    """A record by its id or a unique prefix of it; NotFoundError when none or ambiguous."""
    if not record_id.strip():
        raise NotFoundError("give a record id; `armstrace transfers` lists them")
    return _load(store.record_body(record_id))


@dataclass(frozen=True, slots=True)
class SipriResult:
    imported: SipriImport
    records: int  # transfer records after the refresh
    linked: int  # how many of them list a matching SIPRI deal


def import_sipri(store: Store, path: str | Path) -> SipriResult:
    """Store the deals of a SIPRI trade-register export (replacing earlier ones), then refresh
    the records so that they link to them."""
    imported = read_trade_register(path)
    rows = [
        (deal.id, deal.supplier, deal.recipient, json.dumps(_plain(deal), ensure_ascii=False))
        for deal in imported.deals
    ]
    store.replace_sipri_deals(rows)
    total = refresh_records(store)
    linked = sum(1 for body in store.record_bodies(limit=None) if json.loads(body)["sipri"])
    return SipriResult(imported, total, linked)
