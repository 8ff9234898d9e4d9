"""What the exporters read: transfer records and stored claims, streamed from a store in pages,
and flattened into one row of scalars each (the columns of CSV and GraphML).

This module only reads the store; it never extracts text or recomputes records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from armstrace.errors import InputError
from armstrace.kb.transfer_records import RecordFilter, TransferRecord, list_records
from armstrace.records import Claim, Document
from armstrace.store import ClaimFilter, Store

__all__ = [
    "CLAIM_COLUMNS",
    "PAGE_SIZE",
    "RECORD_COLUMNS",
    "SEPARATOR",
    "ClaimItem",
    "Scalar",
    "flat_claim",
    "flat_record",
    "iter_claims",
    "iter_records",
]

PAGE_SIZE = 500  # rows read per query: bounds memory on a 50,000-claim store
SEPARATOR = "; "  # joins list values in flat (CSV, GraphML) columns

Scalar = str | int | float | bool | None

RECORD_COLUMNS = (
    "id", "supplier", "supplier_name", "recipient", "recipient_name", "category", "status",
    "first_seen", "last_seen", "support", "independent_sources", "confidence", "designations",
    "items", "quantity_low", "quantity_high", "quantity_unit", "quantity_text", "via", "route",
    "embargo", "embargo_regimes", "sources", "denied_by", "documents", "urls", "sipri_deals",
    "confidence_reasons",
)  # fmt: skip
CLAIM_COLUMNS = (
    "id", "document_id", "document_name", "date", "supplier", "recipient", "via", "items",
    "category", "status", "source", "evidence", "score", "designations", "quantity", "route",
    "speaker_title", "speaker_affiliation", "title", "url", "outlet", "record_ids",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ClaimItem:
    """A stored claim with what an export needs beside it: its document, its date (its own, else
    the document's publication date) and the transfer records it supports or denies."""

    claim: Claim
    document: Document | None
    day: date | None
    record_ids: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.claim.id

    def to_dict(self) -> dict[str, Any]:
        """The claims.md contract fields plus ids and provenance, JSON-ready."""
        c, d = self.claim, self.document
        return {
            "id": c.id,
            "document_id": c.document_id,
            "document_name": c.document_name or (d.name if d else ""),
            "date": self.day.isoformat() if self.day else None,
            **c.contract(),
            "designations": list(c.designations),
            "quantity": c.quantity,
            "route": list(c.route),
            "speaker_title": c.speaker.title if c.speaker else None,
            "speaker_affiliation": c.speaker.affiliation if c.speaker else None,
            "title": d.title if d else None,
            "url": d.url if d else None,
            "outlet": d.outlet if d else None,
            "record_ids": list(self.record_ids),
        }


def iter_records(store: Store, filters: RecordFilter) -> Iterator[TransferRecord]:
    """Every matching record, last seen first, read PAGE_SIZE at a time."""
    offset = 0
    while True:
        page = list_records(store, filters, limit=PAGE_SIZE, offset=offset)
        yield from page
        if len(page) < PAGE_SIZE:
            return
        offset += PAGE_SIZE


def claim_filter(filters: RecordFilter) -> ClaimFilter:
    """The claim filter of a record filter: a claim's own date (else its document's) stands for
    `since` and `until`, its parties for `actor`."""
    if filters.embargo_only or filters.min_sources is not None:
        raise InputError(
            "--embargo-only and --min-sources apply to transfer records, not claims: "
            "drop them or export --what records"
        )
    return ClaimFilter(
        supplier=filters.supplier,
        recipient=filters.recipient,
        actor=filters.actor,
        category=filters.category,
        status=filters.status,
        since=filters.since,
        until=filters.until,
    )


def iter_claims(store: Store, filters: RecordFilter) -> Iterator[ClaimItem]:
    """Every matching claim in stored order, read PAGE_SIZE at a time (the store filters)."""
    base = claim_filter(filters)
    documents: Mapping[str, Document] = {
        d.id: d for d in store.documents(limit=None, with_text=False)
    }
    offset = 0
    while True:
        page = store.claims(base, limit=PAGE_SIZE, offset=offset)
        for claim in page:
            document = documents.get(claim.document_id)
            day = claim.claim_date or (document.published if document else None)
            ids = tuple(store.record_ids_for_claim(claim.id))
            yield ClaimItem(claim, document, day, ids)
        if len(page) < PAGE_SIZE:
            return
        offset += PAGE_SIZE


# --- flat rows ----------------------------------------------------------------------------------


def _join(values: Any) -> str:
    return SEPARATOR.join(str(v) for v in values)


def _distinct(values: Any) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def flat_record(record: TransferRecord) -> dict[str, Scalar]:
    """One record as flat columns: lists joined with SEPARATOR, the quantity split in four."""
    r, q = record, record.quantity
    return {
        "id": r.id,
        "supplier": r.supplier,
        "supplier_name": r.supplier_name,
        "recipient": r.recipient,
        "recipient_name": r.recipient_name,
        "category": r.category,
        "status": r.status,
        "first_seen": _iso(r.first_seen),
        "last_seen": _iso(r.last_seen),
        "support": r.support,
        "independent_sources": r.independent_sources,
        "confidence": r.confidence,
        "designations": _join(r.designations),
        "items": _join(r.items),
        "quantity_low": q.low if q else None,
        "quantity_high": q.high if q else None,
        "quantity_unit": q.unit if q else None,
        "quantity_text": q.text if q else None,
        "via": _join(r.via),
        "route": _join(p.name for p in r.route),
        "embargo": bool(r.embargo),
        "embargo_regimes": _join(_distinct(e.regime for e in r.embargo)),
        "sources": _join(_distinct(c.source for c in r.claims)),
        "denied_by": _join(_distinct(c.source or c.outlet or c.document_name for c in r.denials)),
        "documents": _join(_distinct(c.document_name for c in (*r.claims, *r.denials))),
        "urls": _join(_distinct(c.url for c in (*r.claims, *r.denials))),
        "sipri_deals": _join(s.deal_id for s in r.sipri),
        "confidence_reasons": _join(r.confidence_reasons),
    }


def flat_claim(item: ClaimItem) -> dict[str, Scalar]:
    """One claim as flat columns, lists joined with SEPARATOR."""
    data = item.to_dict()
    return {key: _join(value) if isinstance(value, list) else value for key, value in data.items()}
