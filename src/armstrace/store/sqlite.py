"""The SQLite backend of the store: one file (or memory), migrated on open, one transaction per
document. Values always travel as bound parameters; rows never leave this module, only records.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from types import TracebackType
from typing import Any, Self

from armstrace.errors import ArmstraceError, InputError, NotFoundError, StoreError
from armstrace.records import (
    CATEGORIES,
    STATUSES,
    Claim,
    Document,
    Extraction,
    Quote,
    Speaker,
    content_id,
)
from armstrace.store import ALL_CLAIMS, ClaimFilter, SearchHit, StoreStats
from armstrace.store.kb_tables import KnowledgeTables
from armstrace.store.watch_tables import WatchTables
from armstrace.store.where import Condition, page_bounds, where_clause

# Writers wait for each other this long: a records rebuild under contention holds the lock.
BUSY_TIMEOUT_SECONDS = 60.0
MIN_PREFIX = 6
SNIPPET_START, SNIPPET_END, SNIPPET_ELLIPSIS, SNIPPET_TOKENS = "[", "]", "…", 16

# A claim's own date, else its document's publication date.
CLAIM_DATE = "coalesce(c.claim_date, d.published)"

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

_DOCUMENT_COLUMNS = (
    "d.id, d.name, d.text, d.url, d.title, d.published, d.outlet, d.language, d.origin"
)
_CLAIM_COLUMNS = (
    "c.document_id, c.supplier, c.recipient, c.category, c.status, c.items, c.evidence,"
    " c.evidence_start, c.evidence_end, c.sentence, c.sentence_start, c.via, c.route, c.source,"
    " c.speaker_name, c.speaker_title, c.speaker_affiliation, c.designations, c.quantity,"
    " c.claim_date, c.rule, c.score, d.name"
)
_CLAIM_INSERT = (
    "INSERT INTO claims (id, document_id, supplier, recipient, category, status, items, evidence,"
    " evidence_start, evidence_end, sentence, sentence_start, via, route, source, speaker_name,"
    " speaker_title, speaker_affiliation, designations, quantity, claim_date, rule, score)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@lru_cache(maxsize=1)
def migrations() -> tuple[tuple[int, str], ...]:
    """The shipped migrations as (version, SQL), numbered 1, 2, 3... without gaps."""
    folder = resources.files("armstrace.store") / "migrations"
    found: list[tuple[int, str]] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match[1]), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"the packaged store migrations must be numbered 1, 2, 3...: {versions}")
    return tuple(found)


def split_statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, so each can run inside the caller's transaction
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


def _json(values: Sequence[str]) -> str:
    return json.dumps(list(values), sort_keys=True, ensure_ascii=False)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _speaker(name: str | None, title: str | None, affiliation: str | None) -> Speaker | None:
    return Speaker(name, title, affiliation) if name is not None else None


def _speaker_columns(speaker: Speaker | None) -> tuple[str | None, str | None, str | None]:
    if speaker is None:
        return None, None, None
    return speaker.name, speaker.title, speaker.affiliation


def _document(row: Sequence[Any]) -> Document:
    id_, name, text, url, title, published, outlet, language, origin = row
    return Document(id_, name, text, url, title, _date(published), outlet, language, origin)


def _claim(row: Sequence[Any]) -> Claim:
    (document_id, supplier, recipient, category, status, items, evidence, evidence_start,
     evidence_end, sentence, sentence_start, via, route, source, speaker_name, speaker_title,
     speaker_affiliation, designations, quantity, claim_date, rule, score,
     document_name) = row  # fmt: skip
    return Claim(
        document_id=document_id,
        supplier=supplier,
        recipient=recipient,
        category=category,
        status=status,
        items=tuple(json.loads(items)),
        evidence=evidence,
        evidence_start=evidence_start,
        evidence_end=evidence_end,
        sentence=sentence,
        sentence_start=sentence_start,
        via=tuple(json.loads(via)),
        route=tuple(json.loads(route)),
        source=source,
        speaker=_speaker(speaker_name, speaker_title, speaker_affiliation),
        designations=tuple(json.loads(designations)),
        quantity=quantity,
        claim_date=_date(claim_date),
        rule=rule,
        document_name=document_name,
        score=score,
    )


def _claim_values(claim: Claim) -> tuple[Any, ...]:
    return (
        claim.id, claim.document_id, claim.supplier, claim.recipient, claim.category,
        claim.status, _json(claim.items), claim.evidence, claim.evidence_start,
        claim.evidence_end, claim.sentence, claim.sentence_start, _json(claim.via),
        _json(claim.route), claim.source, *_speaker_columns(claim.speaker),
        _json(claim.designations), claim.quantity, _iso(claim.claim_date), claim.rule,
        claim.score,
    )  # fmt: skip


def claim_conditions(filters: ClaimFilter) -> list[Condition]:
    """Which claim column (of `claims c JOIN documents d`) each ClaimFilter field tests."""
    return [
        ("c.supplier", "=", filters.supplier),
        ("c.recipient", "=", filters.recipient),
        ("c.category", "=", filters.category),
        ("c.status", "=", filters.status),
        ("c.document_id", "=", filters.document_id),
        (CLAIM_DATE, ">=", filters.since),
    ]


def _check_claim(claim: Claim, document: Document) -> None:
    """Refuse what the schema cannot: a claim off the contract, or filed under another document."""
    if claim.document_id != document.id:
        raise StoreError(
            f"claim {claim.id} belongs to document {claim.document_id}, not to "
            f"{document.id} ({document.name}) that it is saved with"
        )
    if claim.category not in CATEGORIES or claim.status not in STATUSES:
        raise StoreError(
            f"claim {claim.id} of document {document.name!r} has category {claim.category!r} "
            f"and status {claim.status!r}; see armstrace.records.CATEGORIES and STATUSES"
        )


def _prefix_range(prefix: str) -> tuple[str, str]:
    """Bounds of the ids that start with `prefix`, as a range the primary-key index can scan."""
    return prefix, prefix + "\U0010ffff"


class SQLiteStore(KnowledgeTables, WatchTables):
    """The SQLite implementation of `armstrace.store.Store`."""

    def __init__(self, path: str) -> None:
        self.location = path
        try:
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path!r}: {exc}") from exc
        try:
            self._configure()
            self._migrate()
        except sqlite3.OperationalError as exc:
            self._db.close()
            raise StoreError(f"cannot open the database {path!r}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(
                f"{path!r} cannot be used as an armstrace database ({exc}); give a new file name "
                "or an existing armstrace database"
            ) from exc
        except ArmstraceError:
            self._db.close()
            raise

    def _configure(self) -> None:
        # Pragmas are constants; foreign_keys and journal_mode cannot change inside a transaction.
        self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        self._db.execute("PRAGMA foreign_keys = ON")
        if self.location != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")

    def _applied_version(self) -> int:
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master")}
        if "schema_migrations" in tables:
            row = self._db.execute("SELECT max(version) FROM schema_migrations").fetchone()
            return int(row[0] or 0)
        if tables:
            raise StoreError(
                f"{self.location!r} is an SQLite database but not an armstrace one (it has no "
                "schema_migrations table); give a new file name"
            )
        return 0

    def _check_version(self, latest: int) -> int:
        current = self._applied_version()
        if current > latest:
            raise StoreError(
                f"{self.location!r} has schema version {current}, newer than this armstrace "
                f"knows (up to {latest}); upgrade armstrace to use it"
            )
        return current

    def _migrate(self) -> None:
        known = migrations()
        latest = known[-1][0] if known else 0
        if self._check_version(latest) == latest:
            return  # the usual case needs no write lock, so a read-only file still opens
        self._db.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the lock: another process may have migrated in the meantime.
            current = self._check_version(latest)
            for version, script in known[current:]:
                try:
                    for statement in split_statements(script):
                        self._db.execute(statement)
                except sqlite3.Error as exc:
                    raise StoreError(
                        f"could not apply store migration {version} to {self.location!r}: {exc}"
                    ) from exc
                self._db.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, _now()),
                )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"could not {action} in {self.location!r}: {exc}") from exc

    @contextmanager
    def _transaction(self, action: str) -> Iterator[None]:
        """One write transaction; inside one already open (write_lock), a part of it."""
        if self._db.in_transaction:
            with self._errors(action):
                yield
            return
        with self._errors(action):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._db.execute(sql, params).fetchone()[0]

    @property
    def schema_version(self) -> int:
        with self._errors("read the schema version"):
            return int(self._one("SELECT max(version) FROM schema_migrations") or 0)

    def save(self, extraction: Extraction, *, replace: bool = False) -> bool:
        """Write a document with its claims, quotes and notes in one transaction.

        Returns False and writes nothing when the document is already stored, unless `replace`
        is set: then its old rows are deleted and the new ones written, still atomically.
        """
        document = extraction.document
        for claim in extraction.claims:
            _check_claim(claim, document)
        with self._transaction(f"save document {document.name!r}"):
            if self._exists(document.id):
                if not replace:
                    return False
                self._db.execute("DELETE FROM documents WHERE id = ?", (document.id,))
            self._insert(extraction)
            self._inputs_changed()
        return True

    def _insert(self, extraction: Extraction) -> None:
        document = extraction.document
        self._db.execute(
            "INSERT INTO documents (id, name, url, title, published, outlet, language, origin,"
            " text, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (document.id, document.name, document.url, document.title, _iso(document.published),
             document.outlet, document.language, document.origin, document.text, _now()),
        )  # fmt: skip
        try:
            self._db.executemany(_CLAIM_INSERT, [_claim_values(c) for c in extraction.claims])
        except sqlite3.IntegrityError as exc:
            raise StoreError(
                f"document {document.name!r} has two claims with the same (supplier, recipient, "
                f"category); merge them before saving ({exc})"
            ) from exc
        self._db.executemany(
            'INSERT INTO quotes (id, document_id, text, start, "end", speaker_name,'
            " speaker_title, speaker_affiliation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (content_id(document.id, str(q.start)), document.id, q.text, q.start, q.end,
                 *_speaker_columns(q.speaker))
                for q in extraction.quotes
            ],
        )  # fmt: skip
        self._db.executemany(
            "INSERT INTO notes (document_id, position, note) VALUES (?, ?, ?)",
            [(document.id, position, note) for position, note in enumerate(extraction.notes)],
        )

    def _exists(self, document_id: str) -> bool:
        row = self._db.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row is not None

    def has_document(self, document_id: str) -> bool:
        with self._errors("look up a document"):
            return self._exists(document_id)

    def document(self, id_or_name: str) -> Document:
        """A document by its id, its name, or a unique prefix of its id (≥ 6 characters)."""
        select = f"SELECT {_DOCUMENT_COLUMNS} FROM documents d"
        with self._errors("read a document"):
            rows = self._db.execute(f"{select} WHERE d.id = ?", (id_or_name,)).fetchall()
            if not rows:
                rows = self._db.execute(
                    f"{select} WHERE d.name = ? ORDER BY d.seq LIMIT 11", (id_or_name,)
                ).fetchall()
            if not rows and len(id_or_name) >= MIN_PREFIX:
                rows = self._db.execute(
                    f"{select} WHERE d.id >= ? AND d.id < ? ORDER BY d.seq LIMIT 11",
                    _prefix_range(id_or_name),
                ).fetchall()
        if not rows:
            raise NotFoundError(
                f"no document with id or name {id_or_name!r}; `armstrace documents` lists them"
            )
        if len(rows) > 1:
            ids = ", ".join(f"{row[0]} ({row[1]})" for row in rows[:10])
            raise NotFoundError(f"{id_or_name!r} matches several documents: {ids}; give an id")
        return _document(rows[0])

    def documents(
        self, limit: int | None = None, offset: int = 0, *, with_text: bool = True
    ) -> list[Document]:
        """Documents in the order they were stored; `with_text=False` leaves `text` empty."""
        columns = _DOCUMENT_COLUMNS if with_text else _DOCUMENT_COLUMNS.replace("d.text", "''")
        with self._errors("list documents"):
            rows = self._db.execute(
                f"SELECT {columns} FROM documents d ORDER BY d.seq LIMIT ? OFFSET ?",
                page_bounds(limit, offset),
            )
            return [_document(row) for row in rows]

    def count_documents(self) -> int:
        with self._errors("count documents"):
            return int(self._one("SELECT count(*) FROM documents"))

    def claims(
        self, filters: ClaimFilter = ALL_CLAIMS, limit: int | None = None, offset: int = 0
    ) -> list[Claim]:
        """Matching claims, by document in the order stored, then by position in the text."""
        where, params = where_clause(claim_conditions(filters))
        with self._errors("list claims"):
            rows = self._db.execute(
                f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.document_id"
                f"{where} ORDER BY d.seq, c.evidence_start, c.id LIMIT ? OFFSET ?",
                [*params, *page_bounds(limit, offset)],
            )
            return [_claim(row) for row in rows]

    def count_claims(self, filters: ClaimFilter = ALL_CLAIMS) -> int:
        where, params = where_clause(claim_conditions(filters))
        with self._errors("count claims"):
            sql = f"SELECT count(*) FROM claims c JOIN documents d ON d.id = c.document_id{where}"
            return int(self._one(sql, params))

    def claim(self, claim_id: str) -> Claim:
        """A claim by its id or by a unique prefix of it (at least 6 characters)."""
        if len(claim_id) < MIN_PREFIX:
            raise NotFoundError(
                f"claim id {claim_id!r} is too short: give at least {MIN_PREFIX} characters"
            )
        with self._errors("read a claim"):
            rows = self._db.execute(
                f"SELECT {_CLAIM_COLUMNS}, c.id FROM claims c"
                " JOIN documents d ON d.id = c.document_id"
                " WHERE c.id >= ? AND c.id < ? ORDER BY c.id LIMIT 11",
                _prefix_range(claim_id.lower()),
            ).fetchall()
        if not rows:
            raise NotFoundError(f"no claim with id {claim_id!r}; `armstrace claims` lists them")
        if len(rows) > 1:
            ids = ", ".join(row[-1] for row in rows[:10])
            raise NotFoundError(f"claim id {claim_id!r} is ambiguous, it starts {ids}; give more")
        return _claim(rows[0][:-1])

    def _require_document(self, document_id: str) -> None:
        if not self._exists(document_id):
            raise NotFoundError(f"no document with id {document_id!r}")

    def quotes(self, document_id: str) -> list[Quote]:
        with self._errors("read quotes"):
            self._require_document(document_id)
            rows = self._db.execute(
                'SELECT text, start, "end", speaker_name, speaker_title, speaker_affiliation'
                " FROM quotes WHERE document_id = ? ORDER BY start",
                (document_id,),
            )
            return [
                Quote(text, start, end, _speaker(*speaker)) for text, start, end, *speaker in rows
            ]

    def notes(self, document_id: str) -> list[str]:
        with self._errors("read notes"):
            self._require_document(document_id)
            rows = self._db.execute(
                "SELECT note FROM notes WHERE document_id = ? ORDER BY position", (document_id,)
            )
            return [row[0] for row in rows]

    def extraction(self, document_id: str) -> Extraction:
        """Everything stored for one document (by id, name or id prefix), as extraction gave it."""
        document = self.document(document_id)
        return Extraction(
            document=document,
            claims=tuple(self.claims(ClaimFilter(document_id=document.id))),
            quotes=tuple(self.quotes(document.id)),
            notes=tuple(self.notes(document.id)),
        )

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Documents whose title or text contain every word of `query`, best match first."""
        match = fts_query(query)
        if not match:
            raise InputError("the search query is empty: give one or more words")
        if limit < 0:
            raise InputError(f"the search limit must not be negative (got {limit})")
        # fts_query leaves no syntax to get wrong: an error here is the database's, not the user's.
        with self._errors(f"search for {query!r}"):
            rows = self._db.execute(
                f"SELECT {_DOCUMENT_COLUMNS}, snippet(documents_fts, 1, ?, ?, ?, ?)"
                " FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid"
                " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?",
                (SNIPPET_START, SNIPPET_END, SNIPPET_ELLIPSIS, SNIPPET_TOKENS, match, limit),
            ).fetchall()
        return [SearchHit(_document(row[:-1]), row[-1]) for row in rows]

    def stats(self) -> StoreStats:
        with self._errors("compute statistics"):

            def counts(columns: str) -> list[Any]:
                return self._db.execute(
                    f"SELECT {columns}, count(*) AS n FROM claims GROUP BY {columns}"
                    f" ORDER BY n DESC, {columns}"
                ).fetchall()

            return StoreStats(
                documents=int(self._one("SELECT count(*) FROM documents")),
                claims=int(self._one("SELECT count(*) FROM claims")),
                by_pair={(s, r): n for s, r, n in counts("supplier, recipient")},
                by_category=dict(counts("category")),
                by_status=dict(counts("status")),
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
