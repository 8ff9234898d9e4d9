"""Bulk loads: the Parquet files that `armstrace batch` writes, into the store. A mixin of
armstrace.store.database.Store. One transaction per split (its documents with their claims,
quotes and notes), so memory is bounded by a split and a stopped load resumes where it was;
documents already stored are skipped with all their rows, so loading again changes nothing.
PostgreSQL loads through COPY into session-local staging tables; SQLite (and PostgreSQL with
method="insert", for comparison) through batched INSERTs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from armstrace.errors import InputError

Method = Literal["auto", "copy", "insert"]

# The columns of a batch's documents files (the store adds seq, ingested_at and the index).
DOCUMENT_COLUMNS = (
    "id", "name", "url", "title", "published", "outlet", "language", "origin", "text",
)  # fmt: skip
CHILD_TABLES = ("claims", "quotes", "notes")  # rows tied to their document by document_id
_STAGE_TYPES = {
    "evidence_start": "integer", "evidence_end": "integer", "sentence_start": "integer",
    "start": "integer", "end": "integer", "position": "integer", "score": "double precision",
}  # fmt: skip


def _read(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    if not path.exists():
        return []
    return pq.read_table(path).to_pylist()


class BulkLoad:
    """Store supplies the connection, the dialect and the helpers below."""

    @property
    def is_postgres(self) -> bool:
        raise NotImplementedError

    _db: Any  # the store's SQLAlchemy Connection

    def _transaction(self, action: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _run(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        raise NotImplementedError

    def _many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        raise NotImplementedError

    def _inputs_changed(self) -> None:
        raise NotImplementedError

    def known_documents(self, document_ids: Sequence[str]) -> set[str]:
        raise NotImplementedError

    def bulk_load(self, folder: str | Path, *, method: Method = "auto") -> dict[str, int]:
        """Load every split of a batch output folder; return the new rows of each table, and
        `unchanged`, the documents that were already stored."""
        folder = Path(folder)
        parts = sorted((folder / "documents").glob("part-*.parquet"))
        if not parts and not (folder / "documents").is_dir():
            raise InputError(f"{folder} holds no batch output (no documents/ folder)")
        use_copy = self.is_postgres and method in ("auto", "copy")
        if method == "copy" and not self.is_postgres:
            raise InputError("COPY is PostgreSQL's: SQLite loads with inserts (method='insert')")
        totals = {"documents": 0, "claims": 0, "quotes": 0, "notes": 0, "unchanged": 0}
        for part in parts:
            rows = {"documents": _read(part)}
            for table in CHILD_TABLES:
                rows[table] = _read(folder / table / part.name)
            loaded = self._load_copy(rows) if use_copy else self._load_insert(rows)
            for key, value in loaded.items():
                totals[key] += value
        totals["parts"] = len(parts)
        return totals

    # --- INSERT (both databases) -----------------------------------------------------------------

    def _load_insert(self, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
        from armstrace.store.database import (
            CLAIM_FIELDS,
            DOCUMENT_FIELDS,
            NOTE_FIELDS,
            QUOTE_FIELDS,
            insert_sql,
        )

        documents = rows["documents"]
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction("load a batch of documents"):
            known = self.known_documents([d["id"] for d in documents])
            new = [{**d, "ingested_at": now} for d in documents if d["id"] not in known]
            fresh = {d["id"] for d in new}
            self._many(insert_sql("documents", DOCUMENT_FIELDS, "id"), new)
            counts = {"documents": len(new), "unchanged": len(documents) - len(new)}
            for table, fields in (
                ("claims", CLAIM_FIELDS), ("quotes", QUOTE_FIELDS), ("notes", NOTE_FIELDS),
            ):  # fmt: skip
                children = [r for r in rows[table] if r["document_id"] in fresh]
                self._many(insert_sql(table, fields), children)
                counts[table] = len(children)
            if new:
                self._inputs_changed()
        return counts

    # --- COPY (PostgreSQL) -----------------------------------------------------------------------

    def _stage(self, table: str, columns: Sequence[str]) -> str:
        """A session-local staging table for `table` (created once per connection, emptied at
        every commit)."""
        name = f"stage_{table}"
        definition = ", ".join(f'"{c}" {_STAGE_TYPES.get(c, "text")}' for c in columns)
        self._run(
            f"CREATE TEMP TABLE IF NOT EXISTS {name} (ord bigserial, {definition})"
            " ON COMMIT DELETE ROWS"
        )
        return name

    def _copy(self, table: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
        raw = self._db.connection.dbapi_connection
        names = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row[c] for c in columns))

    def _load_copy(self, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
        from armstrace.store.database import CLAIM_FIELDS, NOTE_FIELDS, QUOTE_FIELDS

        fields = {"claims": CLAIM_FIELDS, "quotes": QUOTE_FIELDS, "notes": NOTE_FIELDS}
        now = datetime.now(UTC).isoformat(timespec="seconds")
        documents = rows["documents"]
        names = ", ".join(f'"{c}"' for c in DOCUMENT_COLUMNS)
        with self._transaction("load a batch of documents"):
            stage = self._stage("documents", DOCUMENT_COLUMNS)
            self._run("CREATE TEMP TABLE IF NOT EXISTS stage_new (id text) ON COMMIT DELETE ROWS")
            self._copy(stage, DOCUMENT_COLUMNS, documents)
            self._run(
                f"WITH new AS (INSERT INTO documents ({names}, ingested_at)"
                f" SELECT {names}, :now FROM {stage} ORDER BY ord"
                " ON CONFLICT (id) DO NOTHING RETURNING id)"
                " INSERT INTO stage_new SELECT id FROM new",
                {"now": now},
            )
            new = int(self._run("SELECT count(*) FROM stage_new").scalar())
            counts = {"documents": new, "unchanged": len(documents) - new}
            for table, columns in fields.items():
                stage = self._stage(table, columns)
                self._copy(stage, columns, rows[table])
                listed = ", ".join(f'"{c}"' for c in columns)
                staged = ", ".join(f's."{c}"' for c in columns)
                result = self._run(
                    f"INSERT INTO {table} ({listed}) SELECT {staged} FROM {stage} s"
                    " JOIN stage_new n ON n.id = s.document_id ORDER BY s.ord"
                    " ON CONFLICT DO NOTHING"
                )
                counts[table] = int(result.rowcount)
            if new:
                self._inputs_changed()
        return counts
