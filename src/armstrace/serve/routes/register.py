"""GET /api/unroca: the stored UNROCA declarations reconciled with the transfer records
(matching, mirror gaps, undeclared); each record's own view is in GET /api/transfers/{id}.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from armstrace.serve.params import Db

router = APIRouter()


@router.get("/unroca", summary="UNROCA declarations reconciled with the transfer records")
def get_reconciliation(db: Db) -> dict[str, Any]:
    from armstrace.kb.declarations import reconciliation

    with db.open() as store:
        return reconciliation(store).to_dict()
