"""GET /api/transfers and /api/transfers/{id}: transfer records (claims merged across documents)
from armstrace.kb.transfer_records, filtered and paged, or one by id.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from armstrace.serve.params import (
    DEFAULT_LIMIT,
    Db,
    Limit,
    Offset,
    RecordParams,
    require_records,
    to_record_filter,
)
from armstrace.serve.serialise import page

router = APIRouter()


@router.get("/transfers", summary="Transfer records (claims merged across documents)")
def list_transfers(
    db: Db, params: RecordParams, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    records = require_records()
    filters = to_record_filter(records, params)
    with db.open() as store:
        total = records.count_records(store, filters)
        rows = records.list_records(store, filters, limit=limit, offset=offset)
        return page(total, limit, offset, [r.to_dict() for r in rows])


@router.get("/transfers/{record_id}", summary="One transfer record by id or unique prefix")
def get_transfer(record_id: str, db: Db) -> dict[str, Any]:
    require_records()
    from armstrace.kb.declarations import record_view

    with db.open() as store:
        return record_view(store, record_id)
