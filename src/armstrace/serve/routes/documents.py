"""GET /api/documents and /api/documents/{id}: stored documents, a page of them or one with its
text, claims, quotes and extraction notes.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from armstrace.serve.params import DEFAULT_LIMIT, Db, Limit, Offset
from armstrace.serve.serialise import claim_dict, document_dict, page, quote_dict
from armstrace.store import ClaimFilter

router = APIRouter()


@router.get("/documents", summary="Stored documents, in the order they were stored")
def list_documents(db: Db, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    with db.open() as store:
        total = store.count_documents()
        items = []
        for document in store.documents(limit=limit, offset=offset):
            item = document_dict(document)
            item["claims"] = store.count_claims(ClaimFilter(document_id=document.id))
            items.append(item)
    return page(total, limit, offset, items)


@router.get("/documents/{document_id}", summary="A document with its text, claims, quotes, notes")
def get_document(document_id: str, db: Db) -> dict[str, Any]:
    with db.open() as store:
        extraction = store.extraction(document_id)
    return {
        **document_dict(extraction.document, text=True),
        "claims": [claim_dict(c) for c in extraction.claims],
        "quotes": [quote_dict(q) for q in extraction.quotes],
        "notes": list(extraction.notes),
    }
