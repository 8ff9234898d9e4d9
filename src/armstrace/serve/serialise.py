"""The API's JSON shapes for stored records: claims, documents, quotes and pages of them.
Pure functions from records to JSON-ready dicts; they read nothing from the database.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from armstrace.records import Claim, Document, Quote


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def name_of(code: str | None) -> str | None:
    """The actor's name for a code, None for None."""
    from armstrace.extract.actors import actor_name

    return actor_name(code) if code is not None else None


def claim_dict(claim: Claim) -> dict[str, Any]:
    """A claim as JSON: the contract fields, names for the codes, and its provenance."""
    speaker = claim.speaker
    return {
        "id": claim.id,
        "document_id": claim.document_id,
        "document": claim.document_name,
        **claim.contract(),
        "supplier_name": name_of(claim.supplier),
        "recipient_name": name_of(claim.recipient),
        "route": list(claim.route),
        "designations": list(claim.designations),
        "quantity": claim.quantity,
        "date": iso_date(claim.claim_date),
        "speaker": (
            {"name": speaker.name, "title": speaker.title, "affiliation": speaker.affiliation}
            if speaker is not None
            else None
        ),
        "evidence_start": claim.evidence_start,
        "evidence_end": claim.evidence_end,
        "sentence": claim.sentence,
        "sentence_start": claim.sentence_start,
        "rule": claim.rule,
    }


def document_dict(document: Document, *, text: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": document.id,
        "name": document.name,
        "title": document.title,
        "url": document.url,
        "published": iso_date(document.published),
        "outlet": document.outlet,
        "language": document.language,
        "origin": document.origin,
    }
    if text:
        out["text"] = document.text
    return out


def quote_dict(quote: Quote) -> dict[str, Any]:
    speaker = quote.speaker
    return {
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "speaker": speaker.name if speaker else None,
        "speaker_title": speaker.title if speaker else None,
        "speaker_affiliation": speaker.affiliation if speaker else None,
    }


def page(total: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}
