"""Tables of the knowledge base (schema version 2): transfer records, SIPRI deals and document
signatures. A mixin of armstrace.store.database.Store, on both databases; it stores what
armstrace.kb computes and never interprets a record's JSON body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from armstrace.errors import NotFoundError
from armstrace.store import ALL_RECORDS, RecordFilter, RecordRow
from armstrace.store.where import page_bounds, where_clause

MIN_RECORD_PREFIX = 6
_ORDER = " ORDER BY last_seen IS NULL, last_seen DESC, id"
_CHUNK = 500  # SQLite allows 999 bound parameters in older builds
_RECORD_FIELDS = (
    "id", "supplier", "recipient", "category", "status", "first_seen", "last_seen", "support",
    "independent_sources", "confidence", "embargo", "body", "via", "route",
)  # fmt: skip


def _names(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def record_row(r: RecordRow) -> dict[str, Any]:
    return {
        "id": r.id, "supplier": r.supplier, "recipient": r.recipient, "category": r.category,
        "status": r.status, "first_seen": _iso(r.first_seen), "last_seen": _iso(r.last_seen),
        "support": r.support, "independent_sources": r.independent_sources,
        "confidence": r.confidence, "embargo": int(r.embargo), "body": r.body,
        "via": _names(r.via), "route": _names(r.route),
    }  # fmt: skip


def record_where(filters: RecordFilter) -> tuple[str, dict[str, Any]]:
    """The WHERE clause for a RecordFilter: which column of transfer_records each field tests."""
    return where_clause(
        [
            ("supplier", "=", filters.supplier),
            ("recipient", "=", filters.recipient),
            ("category", "=", filters.category),
            ("status", "=", filters.status),
            (("supplier", "recipient"), "=", filters.actor),
            ("last_seen", ">=", filters.since),
            ("first_seen", "<=", filters.until),
            ("embargo", "=", 1 if filters.embargo_only else None),
            ("independent_sources", ">=", filters.min_sources),
        ]
    )


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class KnowledgeTables:
    """Record, deal and signature methods; Store supplies the connection and the helpers below."""

    def _errors(self, action: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _transaction(self, action: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _run(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        raise NotImplementedError

    def _many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        raise NotImplementedError

    def _one(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        raise NotImplementedError

    # --- whether the records are current (schema version 4) -----------------------------------

    def _state(self, key: str) -> int:
        return int(self._one("SELECT value FROM store_state WHERE key = :key", {"key": key}))

    def _inputs_changed(self) -> None:
        """Called inside the transaction of every write that records are built from."""
        self._run("UPDATE store_state SET value = value + 1 WHERE key = 'inputs_version'")

    def inputs_version(self) -> int:
        """Goes up with every stored document or SIPRI import; records say which they saw."""
        with self._errors("read the store state"):
            return self._state("inputs_version")

    def records_stale(self) -> bool:
        """True when documents or deals were stored after the records were last built."""
        with self._errors("read the store state"):
            return self._state("records_version") != self._state("inputs_version")

    def state_signature(self) -> tuple[int, int]:
        """(inputs_version, records_version): changes with every write the views read."""
        with self._errors("read the store state"):
            return self._state("inputs_version"), self._state("records_version")

    def replace_records(self, rows: Sequence[RecordRow], *, built_from: int | None = None) -> bool:
        """Replace every stored transfer record with `rows`, in one transaction, and return True.

        `built_from` is the inputs_version that `rows` were computed from: when the inputs have
        changed since (another process stored documents meanwhile), nothing is written and the
        answer is False, so that a stale computation never overwrites a newer one.
        """
        with self._transaction("store transfer records"):
            current = self._state("inputs_version")
            if built_from is not None and built_from != current:
                return False
            self._run(
                "UPDATE store_state SET value = :v WHERE key = 'records_version'", {"v": current}
            )
            self._run("DELETE FROM record_claims")
            self._run("DELETE FROM transfer_records")
            for start in range(0, len(rows), 5000):  # bounded parameter lists on long runs
                chunk = rows[start : start + 5000]
                self._many(
                    "INSERT INTO transfer_records ("
                    + ", ".join(_RECORD_FIELDS)
                    + ") VALUES ("
                    + ", ".join(f":{f}" for f in _RECORD_FIELDS)
                    + ")",
                    [record_row(r) for r in chunk],
                )
                self._many(
                    "INSERT INTO record_claims (record_id, claim_id, role)"
                    " VALUES (:record, :claim, :role) ON CONFLICT DO NOTHING",
                    [
                        {"record": r.id, "claim": claim_id, "role": role}
                        for r in chunk
                        for claim_id, role in r.claims
                    ],
                )
        return True

    def record_bodies(
        self, filters: RecordFilter = ALL_RECORDS, limit: int | None = None, offset: int = 0
    ) -> list[str]:
        """The JSON bodies of matching records, last seen first, then by id."""
        where, params = record_where(filters)
        with self._errors("list transfer records"):
            rows = self._run(
                f"SELECT body FROM transfer_records{where}{_ORDER} LIMIT :limit OFFSET :offset",
                {**params, **page_bounds(limit, offset)},
            )
            return [row[0] for row in rows]

    def count_records(self, filters: RecordFilter = ALL_RECORDS) -> int:
        where, params = record_where(filters)
        with self._errors("count transfer records"):
            return int(self._one(f"SELECT count(*) FROM transfer_records{where}", params))

    def record_body(self, id_or_prefix: str) -> str:
        """A record's JSON body by its id or a unique prefix of it (at least 6 characters)."""
        key = id_or_prefix.strip().lower()
        if len(key) < MIN_RECORD_PREFIX:
            raise NotFoundError(
                f"record id {id_or_prefix!r} is too short: give at least {MIN_RECORD_PREFIX} "
                "characters"
            )
        with self._errors("read a transfer record"):
            rows = self._run(
                "SELECT id, body FROM transfer_records WHERE id >= :low AND id < :high"
                " ORDER BY id LIMIT 11",
                {"low": key, "high": key + "\U0010ffff"},
            ).all()
        if not rows:
            raise NotFoundError(
                f"no transfer record with id {id_or_prefix!r}; `armstrace transfers` lists them"
            )
        if len(rows) > 1:
            ids = ", ".join(row[0] for row in rows[:10])
            raise NotFoundError(f"record id {id_or_prefix!r} is ambiguous ({ids}); give more")
        return str(rows[0][1])

    def record_ids_for_claim(self, claim_id: str) -> list[str]:
        """The records that a claim supports or denies (a denial may touch several)."""
        with self._errors("look up the records of a claim"):
            rows = self._run(
                "SELECT record_id FROM record_claims WHERE claim_id = :id ORDER BY record_id",
                {"id": claim_id},
            )
            return [row[0] for row in rows]

    def replace_sipri_deals(self, rows: Sequence[tuple[str, str | None, str | None, str]]) -> int:
        """Replace the stored SIPRI deals with (id, supplier, recipient, JSON body) rows."""
        with self._transaction("store SIPRI deals"):
            self._inputs_changed()
            self._run("DELETE FROM sipri_deals")
            self._many(
                "INSERT INTO sipri_deals (id, supplier, recipient, body)"
                " VALUES (:id, :supplier, :recipient, :body) ON CONFLICT (id) DO UPDATE SET"
                " supplier = excluded.supplier, recipient = excluded.recipient,"
                " body = excluded.body",
                [
                    {"id": i, "supplier": s, "recipient": r, "body": b}
                    for i, s, r, b in dict((row[0], row) for row in rows).values()
                ],
            )
            return int(self._one("SELECT count(*) FROM sipri_deals"))

    def sipri_deal_bodies(self) -> list[str]:
        with self._errors("read SIPRI deals"):
            return [row[0] for row in self._run("SELECT body FROM sipri_deals ORDER BY id")]

    def signatures(self, document_ids: Sequence[str]) -> dict[str, str]:
        """Stored MinHash signatures of the given documents (those computed so far)."""
        found: dict[str, str] = {}
        with self._errors("read document signatures"):
            for chunk in _chunks(list(document_ids)):
                marks = ", ".join(f":k{n}" for n in range(len(chunk)))
                rows = self._run(
                    "SELECT document_id, signature FROM document_signatures"
                    f" WHERE document_id IN ({marks})",
                    {f"k{n}": key for n, key in enumerate(chunk)},
                )
                found.update((row[0], row[1]) for row in rows)
        return found

    def save_signatures(self, signatures: Mapping[str, str]) -> None:
        if not signatures:
            return
        with self._transaction("store document signatures"):
            self._many(
                "INSERT INTO document_signatures (document_id, signature)"
                " SELECT d.id, :signature FROM documents d WHERE d.id = :id"
                " ON CONFLICT (document_id) DO UPDATE SET signature = excluded.signature",
                [{"id": key, "signature": value} for key, value in signatures.items()],
            )
