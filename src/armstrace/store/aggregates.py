"""The aggregates the dashboard and the API read: claim counts per month, per actor and per
(supplier, recipient, category), and transfer records grouped for the network graph and the map.
A mixin of armstrace.store.database.Store; the few statements that differ between the two
databases take their fragment from the dialect (`pick`, `actor_group`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

from armstrace.store import ALL_CLAIMS, ClaimFilter, RecordFilter
from armstrace.store.kb_tables import record_where
from armstrace.store.where import where_clause

_FROM = " FROM claims c JOIN documents d ON d.id = c.document_id"
_CLAIM_DATE = "coalesce(c.claim_date, d.published)"


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


# level: (its key, the three columns it shows, what it groups by). PostgreSQL refuses a
# constant in GROUP BY, so the pair level shows a NULL category without grouping by it.
_RECORD_LEVELS = {
    "record": ("id", "supplier, recipient, category", "id"),
    "category": ("NULL", "supplier, recipient, category", "supplier, recipient, category"),
    "pair": ("NULL", "supplier, recipient, NULL", "supplier, recipient"),
}


def _claim_where(filters: ClaimFilter) -> tuple[str, dict[str, Any]]:
    from armstrace.store.database import claim_conditions

    return where_clause(claim_conditions(filters))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class Aggregates:
    """Aggregate reads; Store supplies the connection, the dialect and the helpers below."""

    dialect: Any  # armstrace.store.dialects.Dialect

    def _errors(self, action: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    def reading(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _run(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        raise NotImplementedError

    def _one(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        raise NotImplementedError

    def claim_timeline(
        self, filters: ClaimFilter = ALL_CLAIMS
    ) -> list[tuple[str | None, str, int]]:
        """(month "YYYY-MM" or None when undated, status, claims), oldest month first."""
        where, params = _claim_where(filters)
        with self._errors("count claims per month"):
            rows = self._run(
                "SELECT month, status, count(*) FROM ("
                f"SELECT substr({_CLAIM_DATE}, 1, 7) AS month, c.status AS status{_FROM}{where}"
                ") AS dated GROUP BY month, status ORDER BY month IS NULL, month, status",
                params,
            ).all()
        return [(month, status, int(n)) for month, status, n in rows]

    def actor_counts(self) -> list[ActorCount]:
        """Every actor named in a claim, with its claims on each side; most claims first."""
        with self._errors("count claims per actor"):
            rows = self._run(
                "SELECT code, sum(s), sum(r) FROM ("
                " SELECT supplier AS code, 1 AS s, 0 AS r FROM claims WHERE supplier IS NOT NULL"
                " UNION ALL"
                " SELECT recipient, 0, 1 FROM claims WHERE recipient IS NOT NULL"
                f") AS sides GROUP BY {self.dialect.actor_group}"
                " ORDER BY sum(s) + sum(r) DESC, code"
            ).all()
        return [ActorCount(code, int(s), int(r)) for code, s, r in rows]

    def claim_edges(self, filters: ClaimFilter = ALL_CLAIMS) -> list[Edge]:
        """Claims with both parties named, grouped by (supplier, recipient, category)."""
        where, params = _claim_where(filters)
        both = " AND " if where else " WHERE "
        latest = f"coalesce({_CLAIM_DATE}, '')"
        with self._errors("aggregate claims"):
            rows = self._run(
                f"SELECT c.supplier, c.recipient, c.category, max({latest}),"
                f" {self.dialect.pick('c.status', latest)}, count(*),"
                f" count(DISTINCT c.document_id){_FROM}{where}{both}"
                "c.supplier IS NOT NULL AND c.recipient IS NOT NULL"
                " GROUP BY c.supplier, c.recipient, c.category ORDER BY count(*) DESC,"
                " c.supplier, c.recipient, c.category",
                params,
            ).all()
        return [
            Edge(s, r, cat, status, int(n), int(docs), _day(last))
            for s, r, cat, last, status, n, docs in rows
        ]

    def record_routes(self, filters: RecordFilter, limit: int) -> tuple[int, list[RecordRoute]]:
        """The distinct routes of matching records, most support first: how many there are in
        all, and the first `limit`."""
        where, params = record_where(filters)
        both = (" AND " if where else " WHERE ") + "supplier IS NOT NULL AND recipient IS NOT NULL"
        group = " GROUP BY supplier, recipient, via, route"
        pick = self.dialect.pick
        with self._errors("aggregate record routes"), self.reading():
            total = self._one(
                f"SELECT count(*) FROM (SELECT 1 FROM transfer_records{where}{both}{group}) AS g",
                params,
            )
            rows = self._run(
                "SELECT supplier, recipient, via, route, count(*), sum(support),"
                f" {pick('id', 'support')}, {pick('status', 'support')},"
                f" max(support) FROM transfer_records{where}{both}{group}"
                " ORDER BY sum(support) DESC, supplier, recipient, via, route LIMIT :limit",
                {**params, "limit": limit},
            ).all()
        return int(total), [
            RecordRoute(
                s, r, tuple(json.loads(via)), tuple(json.loads(route)), int(n), int(k), i, st
            )
            for s, r, via, route, n, k, i, st, _ in rows
        ]

    def record_edges(
        self, filters: RecordFilter, levels: Sequence[tuple[str, int]]
    ) -> tuple[str, int, list[RecordEdge]]:
        """Matching transfer records at the first of `levels` (record, category or pair, each
        with the most edges it may have) whose group count fits; the last level is cut to its
        limit. Returns the level, how many groups it has in all, and its edges, most support
        first."""
        where, params = record_where(filters)
        both = (" AND " if where else " WHERE ") + "supplier IS NOT NULL AND recipient IS NOT NULL"
        latest = "coalesce(last_seen, '')"
        with self._errors("aggregate transfer records"), self.reading():
            for number, (level, limit) in enumerate(levels):
                key, columns, grouping = _RECORD_LEVELS[level]
                group = f" GROUP BY {grouping}" if level != "record" else ""
                total = self._one(
                    f"SELECT count(*) FROM (SELECT 1 FROM transfer_records{where}{both}{group})"
                    " AS g",
                    params,
                )
                if total <= limit or number == len(levels) - 1:
                    break
            rows = self._run(
                f"SELECT {key}, {columns}, max({latest}),"
                f" {self.dialect.pick('status', latest)}, sum(support),"
                " max(independent_sources), max(embargo), count(*)"
                f" FROM transfer_records{where}{both}"
                f"{group or ' GROUP BY id'} ORDER BY sum(support) DESC, 2, 3, 4 LIMIT :limit",
                {**params, "limit": limit},
            ).all()
        return level, int(total), [
            RecordEdge(
                rid, s, r, cat, status, int(n), int(src), bool(emb), int(k), _day(last),
            )
            for rid, s, r, cat, last, status, n, src, emb, k in rows
        ]  # fmt: skip
