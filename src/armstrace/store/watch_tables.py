"""Tables of `armstrace watch` and of UNROCA declarations (schema version 6): feed state,
entries seen, record snapshots, alerts and their deliveries, declared transfers. A mixin of
armstrace.store.database.Store, on both databases; like kb_tables it stores JSON bodies that
other packages build and read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from armstrace.store import DeclarationRow, EntryRow, FeedRow
from armstrace.store.kb_tables import _chunks


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class WatchTables:
    """Feed, entry, alert and declaration methods; Store supplies the connection and helpers."""

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

    # --- feeds and their entries -----------------------------------------------------------

    def feed_states(self) -> dict[str, str]:
        """Every watched feed's state body, by URL."""
        with self._errors("read feed state"):
            rows = self._run("SELECT url, body FROM feed_state ORDER BY url")
            return {row[0]: row[1] for row in rows}

    def save_feed_state(self, row: FeedRow) -> None:
        with self._transaction("store feed state"):
            self._run(
                "INSERT INTO feed_state (url, status, failures, last_success, next_attempt, body)"
                " VALUES (:url, :status, :failures, :last_success, :next_attempt, :body)"
                " ON CONFLICT (url) DO UPDATE SET status = excluded.status,"
                " failures = excluded.failures, last_success = excluded.last_success,"
                " next_attempt = excluded.next_attempt, body = excluded.body",
                {
                    "url": row.url, "status": row.status, "failures": row.failures,
                    "last_success": row.last_success, "next_attempt": row.next_attempt,
                    "body": row.body,
                },
            )  # fmt: skip

    def seen_entries(self, keys: Sequence[str], urls: Sequence[str]) -> set[str]:
        """Which of the entry keys and canonical URLs given are already known."""
        found: set[str] = set()
        with self._errors("look up feed entries"):
            for column, values in (("key", keys), ("url", urls)):
                for chunk in _chunks(list(values)):
                    marks = ", ".join(f":k{n}" for n in range(len(chunk)))
                    rows = self._run(
                        f"SELECT {column} FROM feed_entries WHERE {column} IN ({marks})",
                        {f"k{n}": value for n, value in enumerate(chunk)},
                    )
                    found.update(row[0] for row in rows)
        return found

    def save_entries(self, rows: Sequence[EntryRow]) -> None:
        with self._transaction("store feed entries"):
            self._many(
                "INSERT INTO feed_entries (key, url, feed_url, document_id, feed_date,"
                " page_date, status, seen_at) VALUES (:key, :url, :feed_url, :document_id,"
                " :feed_date, :page_date, :status, :seen_at) ON CONFLICT (key) DO UPDATE SET"
                " url = excluded.url, feed_url = excluded.feed_url,"
                " document_id = excluded.document_id, feed_date = excluded.feed_date,"
                " page_date = excluded.page_date, status = excluded.status,"
                " seen_at = excluded.seen_at",
                [
                    {
                        "key": r.key, "url": r.url, "feed_url": r.feed_url,
                        "document_id": r.document_id, "feed_date": r.feed_date,
                        "page_date": r.page_date, "status": r.status, "seen_at": _now(),
                    }
                    for r in dict((r.key, r) for r in rows).values()
                ],
            )  # fmt: skip

    def entry_documents(self, limit: int = 1000) -> list[str]:
        """Documents stored from feed entries, the latest first (for near-duplicate checks)."""
        with self._errors("read feed entries"):
            rows = self._run(
                "SELECT document_id FROM feed_entries WHERE document_id IS NOT NULL"
                " GROUP BY document_id ORDER BY max(seen_at) DESC, document_id LIMIT :limit",
                {"limit": limit},
            )
            return [row[0] for row in rows]

    # --- alerts -----------------------------------------------------------------------------

    def record_snapshots(self) -> dict[str, str]:
        with self._errors("read record snapshots"):
            rows = self._run("SELECT record_id, body FROM record_snapshots")
            return {row[0]: row[1] for row in rows}

    def commit_alerts(
        self,
        alerts: Sequence[tuple[str, str]],
        channels: Sequence[str],
        snapshots: Mapping[str, str],
    ) -> int:
        """In one transaction: store new alerts (id, body) with a pending delivery to each
        channel, and replace the record snapshots they were computed against. Returns how many
        alerts were new (an alert already stored is never stored or sent again)."""
        new = 0
        with self._transaction("store alerts"):
            for alert_id, body in alerts:
                inserted = self._run(
                    "INSERT INTO alerts (id, created_at, body) VALUES (:id, :at, :body)"
                    " ON CONFLICT (id) DO NOTHING RETURNING id",
                    {"id": alert_id, "at": _now(), "body": body},
                ).first()
                if inserted is not None:
                    new += 1
                    self._many(
                        "INSERT INTO alert_deliveries (alert_id, channel) VALUES (:id, :channel)"
                        " ON CONFLICT DO NOTHING",
                        [{"id": alert_id, "channel": channel} for channel in channels],
                    )
            self._run("DELETE FROM record_snapshots")
            self._many(
                "INSERT INTO record_snapshots (record_id, body) VALUES (:id, :body)",
                [{"id": key, "body": value} for key, value in snapshots.items()],
            )
        return new

    def pending_alerts(self, channel: str) -> list[tuple[str, str]]:
        """(id, body) of the alerts not yet delivered to `channel`, oldest first."""
        with self._errors("read pending alerts"):
            rows = self._run(
                "SELECT a.id, a.body FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id"
                " WHERE d.channel = :channel AND d.delivered_at IS NULL"
                " ORDER BY a.created_at, a.id",
                {"channel": channel},
            )
            return [(row[0], row[1]) for row in rows]

    def mark_delivery(self, alert_id: str, channel: str, error: str | None) -> None:
        """Record one try to deliver an alert: delivered when `error` is None."""
        with self._transaction("record an alert delivery"):
            self._run(
                "UPDATE alert_deliveries SET attempts = attempts + 1,"
                " delivered_at = CASE WHEN :delivered THEN :at ELSE delivered_at END,"
                " last_error = :error WHERE alert_id = :id AND channel = :channel",
                {
                    "delivered": error is None, "at": _now(), "error": error, "id": alert_id,
                    "channel": channel,
                },
            )  # fmt: skip

    def alert_bodies(self, limit: int = 100) -> list[str]:
        with self._errors("read alerts"):
            rows = self._run(
                "SELECT body FROM alerts ORDER BY created_at DESC, id LIMIT :limit",
                {"limit": limit},
            )
            return [row[0] for row in rows]

    # --- declared transfers (UNROCA) -------------------------------------------------------

    def save_declarations(self, rows: Sequence[DeclarationRow]) -> int:
        """Upsert declarations (a report imported again replaces its own lines)."""
        with self._transaction("store declared transfers"):
            self._many(
                "INSERT INTO declared_transfers (id, exporter, importer, year, category,"
                " reporter, body) VALUES (:id, :exporter, :importer, :year, :category,"
                " :reporter, :body) ON CONFLICT (id) DO UPDATE SET exporter = excluded.exporter,"
                " importer = excluded.importer, year = excluded.year,"
                " category = excluded.category, reporter = excluded.reporter,"
                " body = excluded.body",
                [
                    {
                        "id": r.id, "exporter": r.exporter, "importer": r.importer,
                        "year": r.year, "category": r.category, "reporter": r.reporter,
                        "body": r.body,
                    }
                    for r in rows
                ],
            )  # fmt: skip
            return int(self._one("SELECT count(*) FROM declared_transfers"))

    def declaration_bodies(
        self, exporter: str | None = None, importer: str | None = None
    ) -> list[str]:
        """Declaration bodies, all or those of one exporter and/or importer."""
        where: list[str] = []
        params: dict[str, Any] = {}
        for column, value in (("exporter", exporter), ("importer", importer)):
            if value is not None:
                where.append(f"{column} = :{column}")
                params[column] = value
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._errors("read declared transfers"):
            rows = self._run(
                f"SELECT body FROM declared_transfers{clause} ORDER BY year, id", params
            )
            return [row[0] for row in rows]
