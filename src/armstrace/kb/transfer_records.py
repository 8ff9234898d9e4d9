"""Transfer records in the store: the public entry point of the knowledge base.

Records are recomputed from all stored claims (kb/merge.py decides which claims form a record,
kb/build.py fills in its fields, kb/model.py is the record and its stored form); this module
refreshes, lists and reads them, and imports SIPRI deals. It never extracts text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from armstrace.errors import NotFoundError
from armstrace.kb.build import build_records
from armstrace.kb.corroboration import DocumentOrigin, document_origin
from armstrace.kb.merge import WINDOW_DAYS
from armstrace.kb.model import (
    ClaimRef,
    EmbargoFlag,
    QuantityRange,
    RoutePoint,
    SipriLink,
    StatusEvent,
    TransferRecord,
    load_record,
    plain,
    stored_row,
)
from armstrace.kb.sipri import SipriDeal, SipriImport, read_trade_register
from armstrace.store import ALL_CLAIMS, ALL_RECORDS, RecordFilter, RecordRow, Store

__all__ = [
    "WINDOW_DAYS",
    "ClaimRef",
    "EmbargoFlag",
    "QuantityRange",
    "RecordFilter",
    "RoutePoint",
    "SipriLink",
    "SipriResult",
    "StatusEvent",
    "TransferRecord",
    "build_records",
    "count_records",
    "get_record",
    "import_sipri",
    "list_records",
    "refresh_if_stale",
    "refresh_records",
]


def _origins(
    store: Store, document_ids: Sequence[str]
) -> tuple[dict[str, DocumentOrigin], dict[str, str]]:
    """Each document's origin, and the signatures computed now (to keep in the store)."""
    stored = store.signatures(document_ids)
    origins = {key: DocumentOrigin.from_json(json.loads(value)) for key, value in stored.items()}
    fresh: dict[str, str] = {}
    for document_id in document_ids:
        if document_id not in origins:
            origin = document_origin(store.document(document_id))
            origins[document_id] = origin
            fresh[document_id] = json.dumps(origin.to_json(), sort_keys=True)
    return origins, fresh


def _deal_from_json(data: Mapping[str, Any]) -> SipriDeal:
    tuples = {"delivery_years", "via", "financed_by", "aliases"}
    values: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in data.items()}
    return SipriDeal(**values)


def stored_deals(store: Store) -> list[SipriDeal]:
    return [_deal_from_json(json.loads(body)) for body in store.sipri_deal_bodies()]


OPTIMISTIC_TRIES = 3  # rebuilds from a snapshot before rebuilding under the write lock


def _build(store: Store) -> tuple[int, list[RecordRow]]:
    """The records of one consistent snapshot of the store, and the inputs_version it had."""
    with store.reading():
        version = store.inputs_version()
        claims = store.claims(ALL_CLAIMS, limit=None)
        documents = {d.id: d for d in store.documents(limit=None, with_text=False)}
        origins, fresh = _origins(store, sorted({c.document_id for c in claims}))
        deals = stored_deals(store)
    store.save_signatures(fresh)
    records = build_records(claims, documents, origins, deals)
    return version, [stored_row(record) for record in records]


def refresh_records(store: Store) -> int:
    """Recompute every transfer record from the stored claims; return how many there are.

    The records are built from one snapshot and written only if nothing was stored since (in
    the same write transaction that checks it), so two ingests finishing together can never
    leave the older computation in place. After OPTIMISTIC_TRIES lost races the rebuild holds
    the write lock throughout, and other writers wait for it.
    """
    for _ in range(OPTIMISTIC_TRIES):
        version, rows = _build(store)
        if store.replace_records(rows, built_from=version):
            return len(rows)
    with store.write_lock():
        version, rows = _build(store)
        store.replace_records(rows, built_from=version)
    return len(rows)


def refresh_if_stale(store: Store) -> bool:
    """Rebuild the records when documents or deals were stored after they were built (a crash
    or a kill between the two steps, or a database from before schema version 4)."""
    if not store.records_stale():
        return False
    refresh_records(store)
    return True


def list_records(
    store: Store, filters: RecordFilter = ALL_RECORDS, limit: int | None = 100, offset: int = 0
) -> list[TransferRecord]:
    """Matching records, last seen first, then by id."""
    return [load_record(body) for body in store.record_bodies(filters, limit, offset)]


def count_records(store: Store, filters: RecordFilter = ALL_RECORDS) -> int:
    return store.count_records(filters)


def get_record(store: Store, record_id: str) -> TransferRecord:
    """A record by its id or a unique prefix of it; NotFoundError when none or ambiguous."""
    if not record_id.strip():
        raise NotFoundError("give a record id; `armstrace transfers` lists them")
    return load_record(store.record_body(record_id))


@dataclass(frozen=True, slots=True)
class SipriResult:
    imported: SipriImport
    records: int  # transfer records after the refresh
    linked: int  # how many of them list a matching SIPRI deal


def import_sipri(store: Store, path: str | Path) -> SipriResult:
    """Store the deals of a SIPRI trade-register export (replacing earlier ones), then refresh
    the records so that they link to them."""
    imported = read_trade_register(path)
    rows = [
        (deal.id, deal.supplier, deal.recipient, json.dumps(plain(deal), ensure_ascii=False))
        for deal in imported.deals
    ]
    store.replace_sipri_deals(rows)
    total = refresh_records(store)
    linked = sum(1 for body in store.record_bodies(limit=None) if json.loads(body)["sipri"])
    return SipriResult(imported, total, linked)
