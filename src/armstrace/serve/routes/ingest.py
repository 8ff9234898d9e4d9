"""POST /api/ingest, the API's only write: extract and store the posted documents with the
CLI's own ingest (armstrace.jobs.ingest_documents), which refreshes the transfer records, then
clear the view cache. It needs the bearer token (`require_write`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from armstrace.errors import InputError
from armstrace.records import Document
from armstrace.serve.params import Db
from armstrace.serve.settings import require_write

MAX_INGEST_DOCUMENTS = 100
MAX_INGEST_CHARS = 2_000_000

# spaCy's pipeline is shared by the process; one extraction at a time keeps it safe to use.
_EXTRACTION_LOCK = threading.Lock()

router = APIRouter()


class IngestDocument(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_INGEST_CHARS)
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    published: date | None = None
    outlet: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200, description="Default: api-<id>.")


class IngestRequest(BaseModel):
    documents: list[IngestDocument] = Field(min_length=1, max_length=MAX_INGEST_DOCUMENTS)


@router.post(
    "/ingest",
    summary="Extract and store documents (needs the bearer token)",
    dependencies=[Depends(require_write)],
)
def ingest(body: IngestRequest, db: Db) -> dict[str, Any]:
    """Runs in FastAPI's threadpool (a plain `def`), so extraction does not block the server."""
    from armstrace.jobs import IngestReport, ingest_documents

    report = IngestReport()
    ids: dict[str, str] = {}  # origin -> document id, for every input that made a document
    items = list(_documents(body.documents, report, ids))
    with db.open() as store, _EXTRACTION_LOCK:
        ingest_documents(items, store, report)
    if report.stored:
        db.views.clear()  # the file signature would tell too; this server knows for sure
    results = [
        {
            "index": int(o.origin.rsplit(":", 1)[1]),
            "status": o.status,
            "name": o.document_name,
            "document_id": ids.get(o.origin) if o.status != "skipped" else None,
            "reason": o.reason,
            "claims": o.claims,
            "warnings": list(o.warnings),
        }
        for o in report.outcomes
    ]
    results.sort(key=lambda item: int(str(item["index"])))
    return {"stored": report.stored, "claims": report.claims, "items": results}


def _documents(
    documents: list[IngestDocument], report: Any, ids: dict[str, str]
) -> Iterator[tuple[Document, tuple[str, ...], str]]:
    """The posted documents, cleaned and checked like the readers' (the rest are recorded in
    the report); ingest_documents decides what is a duplicate or already stored."""
    from armstrace.ingest.readers import Meta, build, check_not_binary, clean_text, plain_field
    from armstrace.jobs import Outcome
    from armstrace.records import content_id, normalise_text

    for index, item in enumerate(documents):
        origin = f"api:{index}"
        text, cleaning = clean_text(item.text)
        try:
            check_not_binary(text)
        except InputError as exc:
            report.outcomes.append(Outcome(origin, "skipped", str(exc), item.name))
            continue
        name = item.name or "api-" + content_id(normalise_text(text))[:10]
        meta = Meta(
            url=plain_field(item.url) if item.url else None,
            title=plain_field(item.title) if item.title else None,
            published=item.published,
            outlet=plain_field(item.outlet) if item.outlet else None,
        )
        result = build(text, plain_field(name), origin, meta, cleaning)
        document = result.document
        if document is None:
            report.outcomes.append(Outcome(origin, "skipped", result.reason, name))
            continue
        ids[origin] = document.id
        yield document, result.warnings, origin
