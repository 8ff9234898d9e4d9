"""GET /api/export: every claim matching the claim filters, streamed as CSV or JSON lines, page
by page, so that an export of the whole database never sits in memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from armstrace.export.csvfile import cell
from armstrace.records import Claim
from armstrace.serve.params import Claims, Db
from armstrace.serve.serialise import claim_dict

EXPORT_PAGE = 1000
EXPORT_FIELDS = (
    "id", "document", "date", "supplier", "recipient", "category", "status", "items", "via",
    "source", "evidence",
)  # fmt: skip

router = APIRouter()


def _csv_row(claim: Claim) -> dict[str, str]:
    row = claim_dict(claim)
    row["items"] = "; ".join(claim.items)
    row["via"] = "; ".join(claim.via)
    return {key: cell(row.get(key)) for key in EXPORT_FIELDS}  # neutralised against formulas


@router.get("/export", summary="Every matching claim as CSV or JSON lines (streamed)")
def export(
    db: Db, query: Claims, format: Annotated[Literal["csv", "jsonl"], Query()] = "jsonl"
) -> StreamingResponse:
    def chunks() -> Iterator[str]:
        # Each chunk opens its own connection: a streaming body may resume on another thread.
        offset = 0
        if format == "csv":
            yield ",".join(EXPORT_FIELDS) + "\r\n"
        while True:
            with db.open() as store:
                _, ids = store.claim_ids(query, EXPORT_PAGE, offset)
                claims = [store.claim(claim_id) for claim_id in ids]
            if not ids:
                return
            out = io.StringIO()
            if format == "csv":
                writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
                writer.writerows(_csv_row(c) for c in claims)
            else:
                for claim in claims:
                    out.write(json.dumps(claim_dict(claim), ensure_ascii=False) + "\n")
            yield out.getvalue()
            offset += len(ids)

    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson"
    return StreamingResponse(
        chunks(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="claims.{format}"'},
    )
