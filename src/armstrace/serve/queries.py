"""Read-only aggregate queries that the HTTP API needs and the Store protocol does not offer yet:
claim paging with an `until` bound, counts per month, per actor, per edge and per route.

They run on their own read-only connection to the store's file, so they can never write; they
return plain values, and the records themselves still come from the store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from armstrace.errors import StoreError
from armstrace.store import ALL_CLAIMS, ClaimFilter, RecordFilter
from armstrace.store.kb_tables import record_where
from armstrace.store.sqlite import CLAIM_DATE, claim_conditions
from armstrace.store.where import where_clause

BUSY_TIMEOUT_MS = 10_000
_FROM = " FROM claims c JOIN documents d ON d.id = c.document_id"


@dataclass(frozen=True, slots=True)
class ClaimQuery:
    """The API's claim filters: a validated ClaimFilter plus what it lacks (until, actor)."""

    base: ClaimFilter = ALL_CLAIMS
    until: date | None = None
    actor: str | None = None  # either side


@dataclass(frozen=True, slots=True)
class Edge:
    """Claims of one (supplier, recipient, category), summarised."""

    supplier: str
    recipient: str
    category: str
    status: str  # the status of the latest claim
    claims: int
    documents: int
    last_date: date | None


@dataclass(frozen=True, slots=True)
class ActorCount:
    code: str
    as_supplier: int
    as_recipient: int


def _where(query: ClaimQuery) -> tuple[str, list[Any]]:
    """The store's claim conditions and the API's own: an actor on either side, and `until`."""
    return where_clause(
        [
            *claim_conditions(query.base),
            (("c.supplier", "c.recipient"), "=", query.actor),
            (CLAIM_DATE, "<=", query.until),
        ]
    )


class Queries:
    """Aggregates over the database file at `path`, each on a fresh read-only connection (so any
    thread may call them)."""

    def __init__(self, path: str) -> None:
        self.path = path

    @contextmanager
    def _connect(self, action: str) -> Iterator[sqlite3.Connection]:
        uri = "file:" + quote(str(Path(self.path).resolve())) + "?mode=ro"
        try:
            db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.path!r} to {action}: {exc}") from exc
        try:
            yield db
        except sqlite3.Error as exc:
            raise StoreError(f"could not {action} in {self.path!r}: {exc}") from exc
        finally:
            db.close()

    def claim_ids(self, query: ClaimQuery, limit: int, offset: int) -> tuple[int, list[str]]:
        """The total number of matching claims and the ids of one page, in the store's order."""
        where, params = _where(query)
        with self._connect("list claims") as db:
            total = db.execute(f"SELECT count(*){_FROM}{where}", params).fetchone()[0]
            rows = db.execute(
                f"SELECT c.id{_FROM}{where} ORDER BY d.seq, c.evidence_start, c.id"
                " LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return int(total), [row[0] for row in rows]

    def timeline(self, query: ClaimQuery) -> list[tuple[str | None, str, int]]:
        """(month "YYYY-MM" or None when undated, status, claims), oldest month first."""
        where, params = _where(query)
        with self._connect("count claims per month") as db:
            rows = db.execute(
                f"SELECT substr({CLAIM_DATE}, 1, 7) AS month, c.status, count(*){_FROM}{where}"
                " GROUP BY month, c.status ORDER BY month IS NULL, month, c.status",
                params,
            ).fetchall()
        return [(month, status, int(n)) for month, status, n in rows]

    def actor_counts(self) -> list[ActorCount]:
        """Every actor named in a claim, with its claims on each side; most claims first."""
        with self._connect("count claims per actor") as db:
            rows = db.execute(
                "SELECT code, sum(s), sum(r) FROM ("
                " SELECT supplier AS code, 1 AS s, 0 AS r FROM claims WHERE supplier IS NOT NULL"
                " UNION ALL"
                " SELECT recipient, 0, 1 FROM claims WHERE recipient IS NOT NULL"
                ") GROUP BY code COLLATE NOCASE ORDER BY sum(s) + sum(r) DESC, code"
            ).fetchall()
        return [ActorCount(code, int(s), int(r)) for code, s, r in rows]

    def edges(self, query: ClaimQuery) -> list[Edge]:
        """Claims with both parties named, grouped by (supplier, recipient, category)."""
        where, params = _where(query)
        both = " AND " if where else " WHERE "
        # SQLite gives a bare column the value from the row that max() picked: the latest status.
        with self._connect("aggregate claims") as db:
            rows = db.execute(
                f"SELECT c.supplier, c.recipient, c.category, max(coalesce({CLAIM_DATE}, '')),"
                f" c.status, count(*), count(DISTINCT c.document_id){_FROM}{where}{both}"
                "c.supplier IS NOT NULL AND c.recipient IS NOT NULL"
                " GROUP BY c.supplier, c.recipient, c.category ORDER BY count(*) DESC,"
                " c.supplier, c.recipient, c.category",
                params,
            ).fetchall()
        return [
            Edge(s, r, cat, status, int(n), int(docs), date.fromisoformat(last) if last else None)
            for s, r, cat, last, status, n, docs in rows
        ]


@dataclass(frozen=True, slots=True)
class RecordEdge:
    """One transfer record, or a group of them when the network is too large to draw whole."""

    record_id: str | None  # None for a group
    supplier: str
    recipient: str
    category: str | None  # None when grouped by pair only
    status: str  # of the latest record in the group
    support: int
    sources: int  # the most independent sources of any record in the group
    embargo: bool
    records: int
    last_seen: date | None


@dataclass(frozen=True, slots=True)
class RecordRoute:
    """Transfer records that share supplier, recipient, transit and route, for a map line; the
    record with the most support stands for them (its id and status)."""

    supplier: str
    recipient: str
    via: tuple[str, ...]
    route: tuple[str, ...]
    records: int
    support: int
    record_id: str
    status: str


def record_routes(path: str, filters: RecordFilter, limit: int) -> tuple[int, list[RecordRoute]]:
    """The distinct routes of matching records, most support first: how many there are in
    all, and the first `limit`."""
    where, params = record_where(filters)
    both = (" AND " if where else " WHERE ") + "supplier IS NOT NULL AND recipient IS NOT NULL"
    group = " GROUP BY supplier, recipient, via, route"
    with Queries(path)._connect("aggregate record routes") as db:
        total = db.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM transfer_records{where}{both}{group})", params
        ).fetchone()[0]
        # id and status are bare columns: SQLite takes them from the row max(support) picked.
        rows = db.execute(
            "SELECT supplier, recipient, via, route, count(*), sum(support), id, status,"
            f" max(support) FROM transfer_records{where}{both}{group}"
            " ORDER BY sum(support) DESC, supplier, recipient, via, route LIMIT ?",
            [*params, limit],
        ).fetchall()
    return int(total), [
        RecordRoute(s, r, tuple(json.loads(via)), tuple(json.loads(route)), int(n), int(k), i, st)
        for s, r, via, route, n, k, i, st, _ in rows
    ]


_RECORD_LEVELS = {
    "record": ("id", "id, supplier, recipient, category"),
    "category": ("NULL", "supplier, recipient, category"),
    "pair": ("NULL", "supplier, recipient, NULL"),
}


def record_edges(
    path: str, filters: RecordFilter, levels: Sequence[tuple[str, int]]
) -> tuple[str, int, list[RecordEdge]]:
    """Matching transfer records at the first of `levels` (record, category or pair, each with
    the most edges it may have) whose group count fits; the last level is cut to its limit.
    Returns the level, how many groups it has in all, and its edges, most support first."""
    where, params = record_where(filters)
    both = (" AND " if where else " WHERE ") + "supplier IS NOT NULL AND recipient IS NOT NULL"
    with Queries(path)._connect("aggregate transfer records") as db:
        for number, (level, limit) in enumerate(levels):
            key, columns = _RECORD_LEVELS[level]
            group = f" GROUP BY {columns}" if level != "record" else ""
            total = db.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM transfer_records{where}{both}{group})",
                params,
            ).fetchone()[0]
            if total <= limit or number == len(levels) - 1:
                break
        select = columns.split(", ")
        # A bare column beside max() takes its value from the row max() picked (SQLite).
        rows = db.execute(
            f"SELECT {key}, {select[-3]}, {select[-2]}, {select[-1]},"
            " max(coalesce(last_seen, '')), status, sum(support), max(independent_sources),"
            f" max(embargo), count(*) FROM transfer_records{where}{both}"
            f"{group or ' GROUP BY id'} ORDER BY sum(support) DESC, 2, 3, 4 LIMIT ?",
            [*params, limit],
        ).fetchall()
    return level, int(total), [
        RecordEdge(
            rid, s, r, cat, status, int(n), int(src), bool(emb), int(k),
            date.fromisoformat(last) if last else None,
        )
        for rid, s, r, cat, last, status, n, src, emb, k in rows
    ]  # fmt: skip
