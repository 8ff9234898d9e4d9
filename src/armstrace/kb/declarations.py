"""UNROCA declarations in the store, and the views that show them beside the records: import
report files, reconcile them with every record, and one record with what the Register says
about it and the PDF page (and UN paragraph) of each piece of its evidence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from armstrace.kb.model import plain
from armstrace.kb.register import Reconciliation, reconcile, record_register
from armstrace.kb.unroca import Declaration, UnrocaImport, read_report
from armstrace.store import DeclarationRow, Store

__all__ = [
    "UnrocaResult",
    "import_unroca",
    "reconciliation",
    "record_view",
    "stored_declarations",
]


@dataclass(frozen=True, slots=True)
class UnrocaResult:
    imports: tuple[tuple[str, UnrocaImport], ...]  # (path, what it held)
    stored: int  # declarations in the store after the import
    reconciliation: Reconciliation


def _row(item: Declaration) -> DeclarationRow:
    body = json.dumps(plain(item), ensure_ascii=False, sort_keys=True)
    return DeclarationRow(
        item.id, item.exporter, item.importer, item.year, item.register_code, item.reporter, body
    )


def stored_declarations(
    store: Store, exporter: str | None = None, importer: str | None = None
) -> list[Declaration]:
    return [
        Declaration(**json.loads(body)) for body in store.declaration_bodies(exporter, importer)
    ]


def _records(store: Store) -> list[dict[str, Any]]:
    from armstrace.kb.transfer_records import list_records

    return [record.to_dict() for record in list_records(store, limit=None)]


def reconciliation(store: Store) -> Reconciliation:
    """Every stored declaration against every record."""
    return reconcile(stored_declarations(store), _records(store))


def import_unroca(
    store: Store, paths: Sequence[str | Path], *, state: str | None = None, year: int | None = None
) -> UnrocaResult:
    """Read every report (InputError on the first that is not one, before anything is
    stored), store their declarations, and reconcile them with the records."""
    imports = [(str(path), read_report(path, state=state, year=year)) for path in paths]
    rows = [_row(item) for _, found in imports for item in found.declarations]
    stored = store.save_declarations(rows)
    return UnrocaResult(tuple(imports), stored, reconciliation(store))


def _located(store: Store, refs: list[dict[str, Any]]) -> None:
    from armstrace.ingest.pdf import PAGE_BREAK, locate

    texts: dict[str, str] = {}
    for ref in refs:
        document_id = ref["document_id"]
        if document_id not in texts:
            try:
                texts[document_id] = store.document(document_id).text
            except Exception:  # a document gone since the records were built: no location
                texts[document_id] = ""
        text = texts[document_id]
        where = locate(text, ref["evidence_start"]) if PAGE_BREAK in text else None
        ref["location"] = (
            None if where is None else {"page": where.page, "paragraph": where.paragraph}
        )


def record_view(store: Store, record_id: str) -> dict[str, Any]:
    """A record as `armstrace transfer`, the API and the dashboard show it: the records
    contract, each claim's `location` in its PDF, and `unroca`, the Register's view of it."""
    from armstrace.kb.transfer_records import get_record

    record = get_record(store, record_id).to_dict()
    _located(store, record["claims"])
    _located(store, record["denials"])
    declarations = (
        stored_declarations(store, record["supplier"], record["recipient"])
        if record["supplier"] and record["recipient"]
        else []
    )
    record["unroca"] = record_register(record, declarations)
    return record
