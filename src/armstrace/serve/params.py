"""The API's shared query parameters and dependencies: paging, the database, the claim and
record filters. They only parse and check input (a bad value is an InputError, so a 400); the
routers in armstrace.serve.routes use them and query nothing here.
"""

from __future__ import annotations

import importlib
from datetime import date
from types import ModuleType
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from armstrace.errors import InputError
from armstrace.records import CATEGORIES, STATUSES
from armstrace.serve.settings import Database
from armstrace.store import ClaimFilter

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
# Every integer parameter is bounded, so none reaches SQLite past its 64-bit range (a 500).
MAX_OFFSET = 1_000_000_000
MAX_SOURCES = 10_000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description=f"How many items to skip, up to {MAX_OFFSET:,}.")
]

# The record filters as record_filter parses them: claim filters, embargo_only, min_sources.
RecordQuery = tuple[ClaimFilter, bool, int | None]


def get_db(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


Db = Annotated[Database, Depends(get_db)]


def resolve(value: str | None, parameter: str) -> str | None:
    """An actor name or code as its code, like the CLI's --supplier; unknown is a 400."""
    if value is None or not value.strip():
        return None
    from armstrace.extract.actors import resolve_actor

    code = resolve_actor(value)
    if code is None:
        raise InputError(
            f"unknown actor {value!r} in `{parameter}`: give an ISO alpha-3 code (RUS) or a "
            "known name (Russia); GET /api/actors lists the actors in the database"
        )
    return code


def _check_range(since: date | None, until: date | None) -> None:
    if since is not None and until is not None and since > until:
        raise InputError(f"`since` ({since}) is after `until` ({until}): swap them")


def claim_query(
    supplier: Annotated[str | None, Query(description="Supplier name or code (Iran, IRN).")] = None,
    recipient: Annotated[str | None, Query(description="Recipient name or code.")] = None,
    actor: Annotated[str | None, Query(description="Either side, name or code.")] = None,
    category: Annotated[str | None, Query(description=f"One of: {', '.join(CATEGORIES)}.")] = None,
    status: Annotated[str | None, Query(description=f"One of: {', '.join(STATUSES)}.")] = None,
    since: Annotated[
        date | None, Query(description="Claims dated on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        date | None, Query(description="Claims dated on or before (YYYY-MM-DD).")
    ] = None,
    document_id: Annotated[str | None, Query(description="Only this document's claims.")] = None,
) -> ClaimFilter:
    _check_range(since, until)
    return ClaimFilter(
        supplier=resolve(supplier, "supplier"),
        recipient=resolve(recipient, "recipient"),
        category=category or None,
        status=status or None,
        since=since,
        document_id=document_id or None,
        actor=resolve(actor, "actor"),
        until=until,
    )


Claims = Annotated[ClaimFilter, Depends(claim_query)]


def require_records() -> ModuleType:
    """The transfer-record engine, imported on first use (it pulls in the embargo data)."""
    return importlib.import_module("armstrace.kb.transfer_records")


def record_filter(
    claims: Claims,
    embargo_only: Annotated[bool, Query(description="Only transfers touching an embargo.")] = False,
    min_sources: Annotated[
        int | None,
        Query(ge=1, le=MAX_SOURCES, description="At least this many independent sources."),
    ] = None,
) -> RecordQuery:
    return claims, embargo_only, min_sources


RecordParams = Annotated[RecordQuery, Depends(record_filter)]


def to_record_filter(records: ModuleType, params: RecordQuery) -> Any:
    """The record engine's RecordFilter for the parsed record filters."""
    query, embargo_only, min_sources = params
    if query.document_id is not None:
        raise InputError("`document_id` filters claims, not transfer records: use /api/claims")
    return records.RecordFilter(
        supplier=query.supplier,
        recipient=query.recipient,
        actor=query.actor,
        category=query.category,
        status=query.status,
        since=query.since,
        until=query.until,
        embargo_only=embargo_only,
        min_sources=min_sources,
    )
