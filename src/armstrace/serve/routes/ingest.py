"""POST /api/ingest, the API's only write: extract the posted documents, store them, refresh the
transfer records and clear the view cache. It needs the bearer token (`require_write`).
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
from armstrace.serve.params import Db, require_records
from armstrace.serve.settings import require_write
from armstrace.store import Store

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
    from armstrace.jobs import IngestReport, extract_stream, store_extractions

    report = IngestReport()
    ids: dict[str, str] = {}  # origin -> document id, for every input that made a document
    with db.open() as store:
        pending = list(_new_documents(body.documents, store, report, ids))
        with _EXTRACTION_LOCK:
            extracted = list(extract_stream(pending, report))
        store_extractions(extracted, store, report)
        require_records().refresh_if_stale(store)
    if report.stored:
        db.views.clear()  # the file signature would tell too; this server knows for sure
    items = [
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
    items.sort(key=lambda item: int(str(item["index"])))
    return {"stored": report.stored, "claims": report.claims, "items": items}


def _new_documents(
    documents: list[IngestDocument], store: Store, report: Any, ids: dict[str, str]
) -> Iterator[tuple[Document, tuple[str, ...], str]]:
    """Checked documents not yet stored; the rest are recorded in the report."""
    from armstrace.ingest.readers import Meta, build, check_not_binary, clean_text, plain_field
    from armstrace.jobs import Outcome
    from armstrace.records import content_id, normalise_text

    seen: dict[str, str] = {}
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
        if document.id in seen:
            report.outcomes.append(
                Outcome(origin, "duplicate", f"same text as {seen[document.id]}", name)
            )
        elif store.has_document(document.id):
            report.outcomes.append(Outcome(origin, "unchanged", "already stored", name))
        else:
            seen[document.id] = name
            yield document, result.warnings, origin
