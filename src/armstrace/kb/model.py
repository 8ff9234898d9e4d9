"""The transfer record: its frozen dataclasses, their JSON form and the store row they become.

`TransferRecord.to_dict` is the records contract (docs/knowledge-base.md) that the API, the
exports and the store body share; this module builds nothing from claims (kb/build.py does).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import Any

from armstrace.store import RecordRow

__all__ = [
    "ClaimRef",
    "EmbargoFlag",
    "QuantityRange",
    "RoutePoint",
    "SipriLink",
    "StatusEvent",
    "TransferRecord",
    "load_record",
    "plain",
    "stored_row",
]


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
        result = plain(self)
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


def plain(value: Any) -> Any:
    """A dataclass (nested too) as JSON-ready values: dicts, lists, ISO dates."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def stored_row(record: TransferRecord) -> RecordRow:
    """The row the store keeps for a record: its filter columns and the JSON body."""
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


def load_record(body: str) -> TransferRecord:
    """A record from the JSON body `stored_row` stored."""
    return TransferRecord.from_dict(json.loads(body))
