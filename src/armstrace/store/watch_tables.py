"""SQLite tables of `armstrace watch` and of UNROCA declarations (schema version 6): feed
state, entries seen, record snapshots, alerts and their deliveries, declared transfers. A mixin
of SQLiteStore; like kb_tables it stores JSON bodies that other packages build and read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from armstrace.store import DeclarationRow, EntryRow, FeedRow
from armstrace.store.kb_tables import _chunks


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class WatchTables:
    """Feed, entry, alert and declaration methods; SQLiteStore supplies `_db` and helpers."""

    _db: sqlite3.Connection

    def _errors(self, action: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _transaction(self, action: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    # --- feeds and their entries -----------------------------------------------------------

    def feed_states(self) -> dict[str, str]:
        """Every watched feed's state body, by URL."""
        with self._errors("read feed state"):
            rows = self._db.execute("SELECT url, body FROM feed_state ORDER BY url")
            return {row[0]: row[1] for row in rows}

    def save_feed_state(self, row: FeedRow) -> None:
        with self._transaction("store feed state"):
            self._db.execute(
                "INSERT OR REPLACE INTO feed_state (url, status, failures, last_success,"
                " next_attempt, body) VALUES (?, ?, ?, ?, ?, ?)",
                (row.url, row.status, row.failures, row.last_success, row.next_attempt, row.body),
            )

    def seen_entries(self, keys: Sequence[str], urls: Sequence[str]) -> set[str]:
        """Which of the entry keys and canonical URLs given are already known."""
        found: set[str] = set()
        with self._errors("look up feed entries"):
            for column, values in (("key", keys), ("url", urls)):
                for chunk in _chunks(list(values)):
                    marks = ", ".join("?" * len(chunk))
                    rows = self._db.execute(
                        f"SELECT {column} FROM feed_entries WHERE {column} IN ({marks})",
                        list(chunk),
                    )
                    found.update(row[0] for row in rows)
        return found

    def save_entries(self, rows: Sequence[EntryRow]) -> None:
        with self._transaction("store feed entries"):
            self._db.executemany(
                "INSERT OR REPLACE INTO feed_entries (key, url, feed_url, document_id, feed_date,"
                " page_date, status, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (r.key, r.url, r.feed_url, r.document_id, r.feed_date, r.page_date,
                     r.status, _now())
                    for r in rows
                ],
            )  # fmt: skip

    def entry_documents(self, limit: int = 1000) -> list[str]:
        """Documents stored from feed entries, the latest first (for near-duplicate checks)."""
        with self._errors("read feed entries"):
            rows = self._db.execute(
                "SELECT document_id FROM feed_entries WHERE document_id IS NOT NULL"
                " GROUP BY document_id ORDER BY max(seen_at) DESC LIMIT ?",
                (limit,),
            )
            return [row[0] for row in rows]

    # --- alerts -----------------------------------------------------------------------------

    def record_snapshots(self) -> dict[str, str]:
        with self._errors("read record snapshots"):
            rows = self._db.execute("SELECT record_id, body FROM record_snapshots")
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
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO alerts (id, created_at, body) VALUES (?, ?, ?)",
                    (alert_id, _now(), body),
                )
                if cursor.rowcount:
                    new += 1
                    self._db.executemany(
                        "INSERT OR IGNORE INTO alert_deliveries (alert_id, channel) VALUES (?, ?)",
                        [(alert_id, channel) for channel in channels],
                    )
            self._db.execute("DELETE FROM record_snapshots")
            self._db.executemany(
                "INSERT INTO record_snapshots (record_id, body) VALUES (?, ?)",
                list(snapshots.items()),
            )
        return new

    def pending_alerts(self, channel: str) -> list[tuple[str, str]]:
        """(id, body) of the alerts not yet delivered to `channel`, oldest first."""
        with self._errors("read pending alerts"):
            rows = self._db.execute(
                "SELECT a.id, a.body FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id"
                " WHERE d.channel = ? AND d.delivered_at IS NULL ORDER BY a.created_at, a.id",
                (channel,),
            )
            return [(row[0], row[1]) for row in rows]

    def mark_delivery(self, alert_id: str, channel: str, error: str | None) -> None:
        """Record one try to deliver an alert: delivered when `error` is None."""
        with self._transaction("record an alert delivery"):
            self._db.execute(
                "UPDATE alert_deliveries SET attempts = attempts + 1,"
                " delivered_at = CASE WHEN ? IS NULL THEN ? ELSE delivered_at END,"
                " last_error = ? WHERE alert_id = ? AND channel = ?",
                (error, _now(), error, alert_id, channel),
            )

    def alert_bodies(self, limit: int = 100) -> list[str]:
        with self._errors("read alerts"):
            rows = self._db.execute(
                "SELECT body FROM alerts ORDER BY created_at DESC, id LIMIT ?", (limit,)
            )
            return [row[0] for row in rows]

    # --- declared transfers (UNROCA) -------------------------------------------------------

    def save_declarations(self, rows: Sequence[DeclarationRow]) -> int:
        """Upsert declarations (a report imported again replaces its own lines)."""
        with self._transaction("store declared transfers"):
            self._db.executemany(
                "INSERT OR REPLACE INTO declared_transfers (id, exporter, importer, year,"
                " category, reporter, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (r.id, r.exporter, r.importer, r.year, r.category, r.reporter, r.body)
                    for r in rows
                ],
            )
            return int(self._db.execute("SELECT count(*) FROM declared_transfers").fetchone()[0])

    def declaration_bodies(
        self, exporter: str | None = None, importer: str | None = None
    ) -> list[str]:
        """Declaration bodies, all or those of one exporter and/or importer."""
        where, params = [], []
        for column, value in (("exporter", exporter), ("importer", importer)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._errors("read declared transfers"):
            rows = self._db.execute(
                f"SELECT body FROM declared_transfers{clause} ORDER BY year, id", params
            )
            return [row[0] for row in rows]
