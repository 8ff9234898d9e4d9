"""What differs between the two databases the store runs on: how an engine is built, how a
write or a snapshot begins, how migrations are found and run, full-text search, and the few
aggregates that SQLite writes with bare columns. armstrace.store.database uses one of these and
writes every other statement once, for both.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, text
from sqlalchemy.pool import NullPool, StaticPool

from armstrace.errors import StoreError
from armstrace.store import Target

BUSY_TIMEOUT_SECONDS = 60.0  # SQLite writers wait for each other this long
CONNECT_TIMEOUT_SECONDS = 10  # a PostgreSQL server that does not answer in this time is down
SNIPPET_START, SNIPPET_END, SNIPPET_ELLIPSIS, SNIPPET_TOKENS = "[", "]", "…", 16
# PostgreSQL indexes this much of a document for search (a tsvector is capped at 1 MB).
SEARCH_CHARACTERS = 400_000

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_PREFIX_WORD = re.compile(r"\w+")


def split_statements(script: str) -> Iterator[str]:
    """The statements of an SQLite script, so each can run inside the caller's transaction
    (sqlite3's executescript would commit first). Trigger bodies stay whole."""
    pieces = script.split(";")
    buffer = ""
    for piece in pieces[:-1]:
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    rest = buffer + pieces[-1]
    if rest.strip():  # an unterminated statement: let SQLite report it
        yield rest.strip()


def fts_query(query: str) -> str:
    """A user's words as an FTS5 query that cannot be a syntax error: every term is quoted (so
    AND, NEAR, '-', ':' and '"' are plain text) and the terms must all occur. A trailing '*' on a
    term keeps its meaning, a prefix search."""
    terms = []
    for word in query.replace("\x00", " ").split():  # FTS5 reads a NUL as the end of the query
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*") if prefix else word
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


@lru_cache(maxsize=4)
def load_migrations(folder: str) -> tuple[tuple[int, str], ...]:
    """The migrations shipped in store/migrations/<folder> as (version, SQL), numbered 1, 2, 3...
    without gaps."""
    root = resources.files("armstrace.store") / "migrations"
    directory = root / folder if folder else root
    found: list[tuple[int, str]] = []
    for entry in directory.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match[1]), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"the packaged store migrations must be numbered 1, 2, 3...: {versions}")
    return tuple(found)


class Dialect:
    """The SQLite flavour; PostgresDialect overrides what PostgreSQL does differently."""

    name = "sqlite"
    folder = ""  # store/migrations/ itself (the SQLite series predates PostgreSQL)
    begin_write: tuple[str, ...] = ("BEGIN IMMEDIATE",)
    begin_read = "BEGIN"
    # actor_counts groups the codes of both sides the way the columns compare them
    actor_group = "code COLLATE NOCASE"

    def engine(self, target: Target) -> Engine:
        assert target.path is not None
        memory = target.is_memory
        engine = create_engine(
            URL.create("sqlite", database=None if memory else target.path),
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            isolation_level="AUTOCOMMIT",  # the store writes BEGIN and COMMIT itself
            poolclass=StaticPool if memory else NullPool,
        )

        @event.listens_for(engine, "connect")
        def configure(dbapi_connection: Any, _record: Any) -> None:
            # Pragmas are constants; foreign_keys and journal_mode cannot change in a transaction.
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        return engine

    def migrations(self) -> tuple[tuple[int, str], ...]:
        return load_migrations(self.folder)

    def tables(self, connection: Connection) -> set[str]:
        rows = connection.execute(text("SELECT name FROM sqlite_master"))
        return {row[0] for row in rows}

    def run_script(self, connection: Connection, script: str) -> None:
        for statement in split_statements(script):
            connection.exec_driver_sql(statement)

    def pick(self, column: str, by: str) -> str:
        """The value of `column` in the row of the group where `by` is largest. SQLite gives a
        bare column that value when the same SELECT has max(by)."""
        return column

    def search(self, query: str, limit: int, columns: str) -> tuple[str, dict[str, Any]] | None:
        """The statement of a full-text search (None when the query has no term)."""
        match = fts_query(query)
        if not match:
            return None
        sql = (
            f"SELECT {columns}, snippet(documents_fts, 1, :s0, :s1, :s2, :s3)"
            " FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid"
            " WHERE documents_fts MATCH :match ORDER BY rank LIMIT :limit"
        )
        params = {
            "s0": SNIPPET_START,
            "s1": SNIPPET_END,
            "s2": SNIPPET_ELLIPSIS,
            "s3": SNIPPET_TOKENS,
            "match": match,
            "limit": limit,
        }
        return sql, params


class PostgresDialect(Dialect):
    name = "postgresql"
    folder = "postgresql"
    # Every write takes one advisory lock per schema, so writers queue as on SQLite and a
    # records rebuild sees no document arrive between its check and its write.
    begin_write = ("BEGIN", "SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
    begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    actor_group = "code"  # the columns' collation (nocase) already groups case-insensitively

    def engine(self, target: Target) -> Engine:
        return create_engine(
            target.url,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
            isolation_level="AUTOCOMMIT",
            pool_size=5,
            max_overflow=10,
        )

    def tables(self, connection: Connection) -> set[str]:
        schema = connection.execute(text("SELECT current_schema()")).scalar()
        if schema is None:
            raise StoreError(
                "the database has no schema to work in: the search_path names none that exists; "
                "create it (CREATE SCHEMA ...) or drop the search_path option"
            )
        rows = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        )
        return {row[0] for row in rows}

    def run_script(self, connection: Connection, script: str) -> None:
        connection.exec_driver_sql(script)  # psycopg runs a parameterless script whole

    def pick(self, column: str, by: str) -> str:
        return f"(array_agg({column} ORDER BY {by} DESC))[1]"

    def search(self, query: str, limit: int, columns: str) -> tuple[str, dict[str, Any]] | None:
        # Each word is its own plainto_tsquery (which cannot be a syntax error); a trailing '*'
        # keeps its meaning, a prefix, on the word characters only.
        parts: list[str] = []
        params: dict[str, Any] = {}
        for word in query.replace("\x00", " ").split():
            key = f"t{len(params)}"
            stems = _PREFIX_WORD.findall(word) if word.endswith("*") and len(word) > 1 else []
            if stems:
                params[key] = " & ".join(f"{stem}:*" for stem in stems)
                parts.append(f"to_tsquery('english', :{key})")
            else:
                params[key] = word
                parts.append(f"plainto_tsquery('english', :{key})")
        if not parts:
            return None
        options = (
            f"StartSel={SNIPPET_START}, StopSel={SNIPPET_END},"
            f" FragmentDelimiter={SNIPPET_ELLIPSIS}, MaxWords={SNIPPET_TOKENS},"
            f" MinWords={SNIPPET_TOKENS // 3}, MaxFragments=1"
        )
        params.update(limit=limit, options=options)
        sql = (
            f"WITH q AS (SELECT {' && '.join(parts)} AS query)"
            f" SELECT {columns}, ts_headline('english', left(d.text, {SEARCH_CHARACTERS}),"
            " q.query, :options)"
            " FROM documents d, q WHERE d.search @@ q.query"
            " ORDER BY ts_rank(d.search, q.query) DESC, d.seq LIMIT :limit"
        )
        return sql, params


def dialect_for(target: Target) -> Dialect:
    return PostgresDialect() if target.dialect == "postgresql" else Dialect()
