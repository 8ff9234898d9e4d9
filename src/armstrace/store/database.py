"""The store: one class that owns every SQL string, on SQLite or PostgreSQL (SQLAlchemy Core),
migrated on open, one transaction per document. Values always travel as bound parameters; rows
never leave this module and its mixins, only records. What differs between the two databases
is in armstrace.store.dialects.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

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
from armstrace.store import ALL_CLAIMS, ClaimFilter, SearchHit, StoreStats, Target
from armstrace.store.aggregates import Aggregates
from armstrace.store.bulk import BulkLoad
from armstrace.store.dialects import Dialect, dialect_for
from armstrace.store.kb_tables import KnowledgeTables
from armstrace.store.watch_tables import WatchTables
from armstrace.store.where import Condition, page_bounds, where_clause

MIN_PREFIX = 6

# A claim's own date, else its document's publication date.
CLAIM_DATE = "coalesce(c.claim_date, d.published)"

_DOCUMENT_COLUMNS = (
    "d.id, d.name, d.text, d.url, d.title, d.published, d.outlet, d.language, d.origin"
)
_CLAIM_COLUMNS = (
    "c.document_id, c.supplier, c.recipient, c.category, c.status, c.items, c.evidence,"
    " c.evidence_start, c.evidence_end, c.sentence, c.sentence_start, c.via, c.route, c.source,"
    " c.speaker_name, c.speaker_title, c.speaker_affiliation, c.designations, c.quantity,"
    " c.claim_date, c.rule, c.score, d.name"
)
CLAIM_FIELDS = (
    "id", "document_id", "supplier", "recipient", "category", "status", "items", "evidence",
    "evidence_start", "evidence_end", "sentence", "sentence_start", "via", "route", "source",
    "speaker_name", "speaker_title", "speaker_affiliation", "designations", "quantity",
    "claim_date", "rule", "score",
)  # fmt: skip
DOCUMENT_FIELDS = (
    "id", "name", "url", "title", "published", "outlet", "language", "origin", "text",
    "ingested_at",
)  # fmt: skip
QUOTE_FIELDS = (
    "id", "document_id", "text", "start", "end", "speaker_name", "speaker_title",
    "speaker_affiliation",
)  # fmt: skip
NOTE_FIELDS = ("document_id", "position", "note")


def insert_sql(table: str, fields: Sequence[str], conflict: str = "") -> str:
    """INSERT of named parameters (one per field); `conflict` the column(s) to skip on."""
    columns = ", ".join(f'"{name}"' for name in fields)
    values = ", ".join(f":{name}" for name in fields)
    tail = f" ON CONFLICT ({conflict}) DO NOTHING" if conflict else ""
    return f"INSERT INTO {table} ({columns}) VALUES ({values}){tail}"


_CLAIM_INSERT = insert_sql("claims", CLAIM_FIELDS)


def migrations(dialect: str = "sqlite") -> tuple[tuple[int, str], ...]:
    """The shipped migrations of a dialect as (version, SQL), numbered 1, 2, 3... without gaps."""
    return dialect_for(Target(dialect, "", "")).migrations()  # type: ignore[arg-type]


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


def claim_row(claim: Claim) -> dict[str, Any]:
    """A claim as the named parameters of a row of `claims` (lists as sorted JSON arrays)."""
    name, title, affiliation = _speaker_columns(claim.speaker)
    return {
        "id": claim.id, "document_id": claim.document_id, "supplier": claim.supplier,
        "recipient": claim.recipient, "category": claim.category, "status": claim.status,
        "items": _json(claim.items), "evidence": claim.evidence,
        "evidence_start": claim.evidence_start, "evidence_end": claim.evidence_end,
        "sentence": claim.sentence, "sentence_start": claim.sentence_start,
        "via": _json(claim.via), "route": _json(claim.route), "source": claim.source,
        "speaker_name": name, "speaker_title": title, "speaker_affiliation": affiliation,
        "designations": _json(claim.designations), "quantity": claim.quantity,
        "claim_date": _iso(claim.claim_date), "rule": claim.rule, "score": claim.score,
    }  # fmt: skip


def document_row(document: Document, ingested_at: str) -> dict[str, Any]:
    return {
        "id": document.id, "name": document.name, "url": document.url, "title": document.title,
        "published": _iso(document.published), "outlet": document.outlet,
        "language": document.language, "origin": document.origin, "text": document.text,
        "ingested_at": ingested_at,
    }  # fmt: skip


def quote_row(document_id: str, quote: Quote) -> dict[str, Any]:
    name, title, affiliation = _speaker_columns(quote.speaker)
    return {
        "id": content_id(document_id, str(quote.start)), "document_id": document_id,
        "text": quote.text, "start": quote.start, "end": quote.end, "speaker_name": name,
        "speaker_title": title, "speaker_affiliation": affiliation,
    }  # fmt: skip


def claim_conditions(filters: ClaimFilter) -> list[Condition]:
    """Which claim column (of `claims c JOIN documents d`) each ClaimFilter field tests."""
    return [
        ("c.supplier", "=", filters.supplier),
        ("c.recipient", "=", filters.recipient),
        (("c.supplier", "c.recipient"), "=", filters.actor),
        ("c.category", "=", filters.category),
        ("c.status", "=", filters.status),
        ("c.document_id", "=", filters.document_id),
        (CLAIM_DATE, ">=", filters.since),
        (CLAIM_DATE, "<=", filters.until),
    ]


def check_claim(claim: Claim, document: Document) -> None:
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


def prefix_range(prefix: str) -> dict[str, str]:
    """Bounds of the ids that start with `prefix`, as a range the primary-key index can scan
    (ids compare bytewise on both databases: BINARY on SQLite, COLLATE "C" on PostgreSQL)."""
    return {"low": prefix, "high": prefix + "\U0010ffff"}


def _reason(exc: BaseException) -> str:
    """The driver's own message of a database error, without SQLAlchemy's statement dump."""
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip()


class Store(KnowledgeTables, WatchTables, Aggregates, BulkLoad):
    """The store on one database connection (SQLite or PostgreSQL). `Store.open(target)` builds
    an engine of its own; the server shares one engine between its requests (`Store(engine,
    ...)`), each with its own connection."""

    def __init__(
        self,
        engine: Engine,
        dialect: Dialect,
        location: str,
        *,
        owns_engine: bool = False,
        migrate: bool = True,
    ) -> None:
        self.location = location
        self.dialect = dialect
        self._engine = engine
        self._owns_engine = owns_engine
        self._in_transaction = False
        try:
            self._db: Connection = engine.connect()
        except SQLAlchemyError as exc:
            if owns_engine:
                engine.dispose()
            raise StoreError(self._cannot_open(exc)) from exc
        if not migrate:
            return
        try:
            self._migrate()
        except OperationalError as exc:
            self.close()
            raise StoreError(self._cannot_open(exc)) from exc
        except DBAPIError as exc:
            self.close()
            raise StoreError(
                f"{location!r} cannot be used as an armstrace database ({_reason(exc)}); give a "
                "new file name or an existing armstrace database"
            ) from exc
        except (ArmstraceError, SQLAlchemyError):
            self.close()
            raise

    @classmethod
    def open(cls, target: Target) -> Store:
        dialect = dialect_for(target)
        return cls(dialect.engine(target), dialect, target.location, owns_engine=True)

    @property
    def is_postgres(self) -> bool:
        return self.dialect.name == "postgresql"

    def _cannot_open(self, exc: BaseException) -> str:
        if self.is_postgres:
            return (
                f"cannot connect to the database {self.location}: {_reason(exc)} (is the server "
                "running, and do the user, password and database exist? see docs/scale.md)"
            )
        return f"cannot open the database {self.location!r}: {_reason(exc)}"

    # --- statements and transactions -----------------------------------------------------------

    def _run(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._db.execute(text(sql), dict(params) if params else {})

    def _many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:  # SQLAlchemy reads an empty list as "no parameters" and runs the statement once
            self._db.execute(text(sql), list(rows))

    def _one(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._run(sql, params).scalar()

    def _applied_version(self) -> int:
        tables = self.dialect.tables(self._db)
        if "schema_migrations" in tables:
            return int(self._one("SELECT max(version) FROM schema_migrations") or 0)
        if tables:
            raise StoreError(
                f"{self.location!r} is a database but not an armstrace one (it has no "
                "schema_migrations table); give a new file name or an empty database"
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
        known = self.dialect.migrations()
        latest = known[-1][0] if known else 0
        if self._check_version(latest) == latest:
            return  # the usual case needs no write lock, so a read-only file still opens
        self._begin(self.dialect.begin_write)
        try:
            # Read again under the lock: another process may have migrated in the meantime.
            current = self._check_version(latest)
            for version, script in known[current:]:
                try:
                    self.dialect.run_script(self._db, script)
                except SQLAlchemyError as exc:
                    raise StoreError(
                        f"could not apply store migration {version} to {self.location!r}: "
                        f"{_reason(exc)}"
                    ) from exc
                self._run(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (:v, :at)",
                    {"v": version, "at": _now()},
                )
            self._end("COMMIT")
        except BaseException:
            self._end("ROLLBACK")
            raise

    def _begin(self, statements: Sequence[str]) -> None:
        for statement in statements:
            self._db.exec_driver_sql(statement)
        self._in_transaction = True

    def _end(self, statement: str) -> None:
        self._in_transaction = False
        self._db.exec_driver_sql(statement)

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            raise StoreError(f"could not {action} in {self.location!r}: {_reason(exc)}") from exc

    @contextmanager
    def _transaction(self, action: str) -> Iterator[None]:
        """One write transaction; inside one already open (write_lock), a part of it."""
        if self._in_transaction:
            with self._errors(action):
                yield
            return
        with self._errors(action):
            self._begin(self.dialect.begin_write)
            try:
                yield
            except BaseException:
                self._end("ROLLBACK")
                raise
            self._end("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One read transaction: every query inside sees the same snapshot of the database."""
        if self._in_transaction:
            yield
            return
        with self._errors("read a snapshot"):
            self._begin((self.dialect.begin_read,))
        try:
            yield
        finally:
            with self._errors("end a snapshot"):
                self._end("COMMIT")

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the database's write lock (other writers wait) for everything inside."""
        with self._transaction("hold the write lock"):
            yield

    @property
    def schema_version(self) -> int:
        with self._errors("read the schema version"):
            return int(self._one("SELECT max(version) FROM schema_migrations") or 0)

    # --- documents and their extractions -------------------------------------------------------

    def save(self, extraction: Extraction, *, replace: bool = False) -> bool:
        """Write a document with its claims, quotes and notes in one transaction.

        Returns False and writes nothing when the document is already stored, unless `replace`
        is set: then its old rows are deleted and the new ones written, still atomically.
        """
        document = extraction.document
        for claim in extraction.claims:
            check_claim(claim, document)
        with self._transaction(f"save document {document.name!r}"):
            if replace:
                self._run("DELETE FROM documents WHERE id = :id", {"id": document.id})
            if not self._insert(extraction):
                return False
            self._inputs_changed()
        return True

    def _insert(self, extraction: Extraction) -> bool:
        """Insert one extraction's rows; False (and nothing written) when its document is known.
        The document row goes first with ON CONFLICT DO NOTHING, so two writers racing on the
        same content store it once."""
        document = extraction.document
        inserted = self._run(
            insert_sql("documents", DOCUMENT_FIELDS, "id") + " RETURNING seq",
            document_row(document, _now()),
        ).first()
        if inserted is None:
            return False
        try:
            self._many(_CLAIM_INSERT, [claim_row(c) for c in extraction.claims])
        except IntegrityError as exc:
            raise StoreError(
                f"document {document.name!r} has two claims with the same (supplier, recipient, "
                f"category); merge them before saving ({_reason(exc)})"
            ) from exc
        self._many(
            insert_sql("quotes", QUOTE_FIELDS),
            [quote_row(document.id, q) for q in extraction.quotes],
        )
        self._many(
            insert_sql("notes", NOTE_FIELDS),
            [
                {"document_id": document.id, "position": position, "note": note}
                for position, note in enumerate(extraction.notes)
            ],
        )
        return True

    def _exists(self, document_id: str) -> bool:
        return (
            self._run("SELECT 1 FROM documents WHERE id = :id", {"id": document_id}).first()
            is not None
        )

    def has_document(self, document_id: str) -> bool:
        with self._errors("look up a document"):
            return self._exists(document_id)

    def known_documents(self, document_ids: Sequence[str]) -> set[str]:
        """Which of `document_ids` are stored (for a batch: one query per 500 ids)."""
        found: set[str] = set()
        with self._errors("look up documents"):
            for start in range(0, len(document_ids), 500):
                chunk = list(document_ids[start : start + 500])
                marks = ", ".join(f":k{n}" for n in range(len(chunk)))
                rows = self._run(
                    f"SELECT id FROM documents WHERE id IN ({marks})",
                    {f"k{n}": key for n, key in enumerate(chunk)},
                )
                found.update(row[0] for row in rows)
        return found

    def document(self, id_or_name: str) -> Document:
        """A document by its id, its name, or a unique prefix of its id (≥ 6 characters)."""
        select = f"SELECT {_DOCUMENT_COLUMNS} FROM documents d"
        with self._errors("read a document"):
            rows = self._run(f"{select} WHERE d.id = :key", {"key": id_or_name}).all()
            if not rows:
                rows = self._run(
                    f"{select} WHERE d.name = :key ORDER BY d.seq LIMIT 11", {"key": id_or_name}
                ).all()
            if not rows and len(id_or_name) >= MIN_PREFIX:
                rows = self._run(
                    f"{select} WHERE d.id >= :low AND d.id < :high ORDER BY d.seq LIMIT 11",
                    prefix_range(id_or_name),
                ).all()
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
            rows = self._run(
                f"SELECT {columns} FROM documents d ORDER BY d.seq LIMIT :limit OFFSET :offset",
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
            rows = self._run(
                f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.document_id"
                f"{where} ORDER BY d.seq, c.evidence_start, c.id LIMIT :limit OFFSET :offset",
                {**params, **page_bounds(limit, offset)},
            )
            return [_claim(row) for row in rows]

    def count_claims(self, filters: ClaimFilter = ALL_CLAIMS) -> int:
        where, params = where_clause(claim_conditions(filters))
        with self._errors("count claims"):
            sql = f"SELECT count(*) FROM claims c JOIN documents d ON d.id = c.document_id{where}"
            return int(self._one(sql, params))

    def claim_ids(
        self, filters: ClaimFilter = ALL_CLAIMS, limit: int | None = None, offset: int = 0
    ) -> tuple[int, list[str]]:
        """How many claims match, and the ids of one page of them, in the order of `claims`."""
        where, params = where_clause(claim_conditions(filters))
        join = " FROM claims c JOIN documents d ON d.id = c.document_id"
        with self._errors("list claims"), self.reading():
            total = int(self._one(f"SELECT count(*){join}{where}", params))
            rows = self._run(
                f"SELECT c.id{join}{where} ORDER BY d.seq, c.evidence_start, c.id"
                " LIMIT :limit OFFSET :offset",
                {**params, **page_bounds(limit, offset)},
            )
            return total, [row[0] for row in rows]

    def claim(self, claim_id: str) -> Claim:
        """A claim by its id or by a unique prefix of it (at least 6 characters)."""
        if len(claim_id) < MIN_PREFIX:
            raise NotFoundError(
                f"claim id {claim_id!r} is too short: give at least {MIN_PREFIX} characters"
            )
        with self._errors("read a claim"):
            rows = self._run(
                f"SELECT {_CLAIM_COLUMNS}, c.id FROM claims c"
                " JOIN documents d ON d.id = c.document_id"
                " WHERE c.id >= :low AND c.id < :high ORDER BY c.id LIMIT 11",
                prefix_range(claim_id.lower()),
            ).all()
        if not rows:
            raise NotFoundError(f"no claim with id {claim_id!r}; `armstrace claims` lists them")
        if len(rows) > 1:
            ids = ", ".join(row[-1] for row in rows[:10])
            raise NotFoundError(f"claim id {claim_id!r} is ambiguous, it starts {ids}; give more")
        return _claim(tuple(rows[0])[:-1])

    def _require_document(self, document_id: str) -> None:
        if not self._exists(document_id):
            raise NotFoundError(f"no document with id {document_id!r}")

    def quotes(self, document_id: str) -> list[Quote]:
        with self._errors("read quotes"):
            self._require_document(document_id)
            rows = self._run(
                'SELECT text, start, "end", speaker_name, speaker_title, speaker_affiliation'
                " FROM quotes WHERE document_id = :id ORDER BY start",
                {"id": document_id},
            )
            return [
                Quote(text, start, end, _speaker(*speaker)) for text, start, end, *speaker in rows
            ]

    def notes(self, document_id: str) -> list[str]:
        with self._errors("read notes"):
            self._require_document(document_id)
            rows = self._run(
                "SELECT note FROM notes WHERE document_id = :id ORDER BY position",
                {"id": document_id},
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
        """Documents whose title or text contain every word of `query`, best match first (FTS5
        on SQLite, a tsvector with a GIN index on PostgreSQL)."""
        if limit < 0:
            raise InputError(f"the search limit must not be negative (got {limit})")
        statement = self.dialect.search(query, limit, _DOCUMENT_COLUMNS)
        if statement is None:
            raise InputError("the search query is empty: give one or more words")
        # The query leaves no syntax to get wrong: an error here is the database's, not the user's.
        with self._errors(f"search for {query!r}"):
            rows = self._run(*statement).all()
        return [SearchHit(_document(row[:-1]), row[-1]) for row in rows]

    def stats(self) -> StoreStats:
        with self._errors("compute statistics"), self.reading():

            def counts(columns: str) -> list[Any]:
                return self._run(
                    f"SELECT {columns}, count(*) AS n FROM claims GROUP BY {columns}"
                    f" ORDER BY n DESC, {columns}"
                ).all()

            return StoreStats(
                documents=int(self._one("SELECT count(*) FROM documents")),
                claims=int(self._one("SELECT count(*) FROM claims")),
                by_pair={(s, r): n for s, r, n in counts("supplier, recipient")},
                by_category={k: n for k, n in counts("category")},
                by_status={k: n for k, n in counts("status")},
            )

    def close(self) -> None:
        try:
            self._db.close()
        finally:
            if self._owns_engine:
                self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def file_signature(path: str) -> tuple[tuple[int, int] | None, ...]:
    """Modification time and size of a SQLite file and of its write-ahead log: every commit
    changes one of them, reads change neither."""
    out: list[tuple[int, int] | None] = []
    for name in (path, path + "-wal"):
        try:
            status = os.stat(name)
        except FileNotFoundError:
            out.append(None)
            continue
        out.append((status.st_mtime_ns, status.st_size) if status.st_size else None)
    return tuple(out)


class SharedEngine:
    """One engine for many short-lived stores: the server opens one store per request (SQLite
    connections must not cross threads; PostgreSQL connections come from the engine's pool).
    The database is created and migrated when this is built, so a bad target fails at once."""

    def __init__(self, target: Target) -> None:
        if target.is_memory:
            raise InputError(
                "the server needs a database file or server (each request opens it): give --db "
                "FILE or --db postgresql://..."
            )
        self.target = target
        self.location = target.location
        self.dialect = dialect_for(target)
        self._engine = self.dialect.engine(target)
        Store(self._engine, self.dialect, self.location).close()  # create and migrate now

    def open(self) -> Store:
        return Store(self._engine, self.dialect, self.location, migrate=False)

    def signature(self) -> tuple[object, ...]:
        """Something that changes with every commit the views read. For SQLite the modification
        time and size of the file and of its write-ahead log (reads change neither; an empty
        log counts as none, since SQLite creates and deletes it as connections open and
        close); for PostgreSQL the store's state counters."""
        if self.target.path is None:
            with self.open() as store:
                return store.state_signature()
        return file_signature(self.target.path)

    def dispose(self) -> None:
        self._engine.dispose()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
