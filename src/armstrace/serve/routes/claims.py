"""GET /api/claims and /api/claims/{id}: claims filtered and paged, or one claim with its
document.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from armstrace.ingest.pdf import locate
from armstrace.serve.params import DEFAULT_LIMIT, Claims, Db, Limit, Offset
from armstrace.serve.serialise import claim_dict, document_dict, page

router = APIRouter()


@router.get("/claims", summary="Claims, filtered and paged")
def list_claims(
    db: Db, query: Claims, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    with db.open() as store:
        total, ids = store.claim_ids(query, limit, offset)
        items = [claim_dict(store.claim(claim_id)) for claim_id in ids]
    return page(total, limit, offset, items)


@router.get("/claims/{claim_id}", summary="One claim by id or unique prefix (6+ characters)")
def get_claim(claim_id: str, db: Db) -> dict[str, Any]:
    with db.open() as store:
        claim = store.claim(claim_id)
        document = store.document(claim.document_id)
    where = locate(document.text, claim.evidence_start)
    return {
        **claim_dict(claim),
        "location": None if where is None else {"page": where.page, "paragraph": where.paragraph},
        "document_info": document_dict(document),
    }
