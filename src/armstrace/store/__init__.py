"""The store stage: persist extractions and read them back as records.

`open_store()` picks a backend from a path or URL and returns a `Store`; only SQLite exists for
now. The store never extracts or interprets text: it writes what it is given, once per document.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Protocol, Self

from armstrace.errors import InputError, StoreError
from armstrace.records import CATEGORIES, STATUSES, Claim, Document, Extraction, Quote

__all__ = [
    "ALL_CLAIMS",
    "ALL_RECORDS",
    "DEFAULT_DATABASE",
    "ClaimFilter",
    "DeclarationRow",
    "EntryRow",
    "FeedRow",
    "RecordFilter",
    "RecordRow",
    "SearchHit",
    "Store",
    "StoreStats",
    "open_store",
]

DEFAULT_DATABASE = "armstrace.db"
ENV_VARIABLE = "ARMSTRACE_DB"

# A URL scheme has at least two characters, so a Windows drive letter ("C:\\...") is a path.
_URL = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]+)://(?P<rest>.*)$", re.DOTALL)
_POSTGRES_SCHEMES = {"postgres", "postgresql"}


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """Which claims to read; every field left as None matches everything.

    `since` keeps claims dated on or after that day, by the claim's own date or else the
    document's publication date; claims with neither are left out when `since` is set.
    """

    supplier: str | None = None
    recipient: str | None = None
    category: str | None = None
    status: str | None = None
    since: date | None = None
    document_id: str | None = None

    def __post_init__(self) -> None:
        # Fail on a misspelt value here, with the choices, rather than silently match nothing.
        if self.category is not None and self.category not in CATEGORIES:
            raise InputError(
                f"unknown category {self.category!r}; choose one of: {', '.join(CATEGORIES)}"
            )
        if self.status is not None and self.status not in STATUSES:
            raise InputError(
                f"unknown status {self.status!r}; choose one of: {', '.join(STATUSES)}"
            )


ALL_CLAIMS = ClaimFilter()


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """Which transfer records to read; every field left as None (or False) matches everything.

    `actor` matches either side. `since` keeps records last seen on or after that day, `until`
    records first seen on or before it; undated records are left out when either is set.
    """

    supplier: str | None = None
    recipient: str | None = None
    actor: str | None = None
    category: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    embargo_only: bool = False
    min_sources: int | None = None

    def __post_init__(self) -> None:
        ClaimFilter(category=self.category, status=self.status)  # the same checks, one message
        if self.min_sources is not None and not 0 <= self.min_sources <= 2**31:
            raise InputError(f"min_sources must be 0 to 2**31 (got {self.min_sources})")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise InputError(f"since ({self.since}) is after until ({self.until})")


ALL_RECORDS = RecordFilter()


@dataclass(frozen=True, slots=True)
class RecordRow:
    """A transfer record as the store keeps it: the filterable fields, and `body`, its JSON.

    The store never interprets `body`; armstrace.kb.transfer_records builds and reads it.
    """

    id: str
    supplier: str | None
    recipient: str | None
    category: str
    status: str
    first_seen: date | None
    last_seen: date | None
    support: int
    independent_sources: int
    confidence: float
    embargo: bool
    body: str
    claims: tuple[tuple[str, str], ...] = ()  # (claim id, "support" | "denial")
    via: tuple[str, ...] = ()
    route: tuple[str, ...] = ()  # names of the route points, in order


@dataclass(frozen=True, slots=True)
class FeedRow:
    """A watched feed's state: columns to list it by, and `body`, the JSON armstrace.watch
    builds and reads."""

    url: str
    status: str
    failures: float
    last_success: str | None
    next_attempt: str | None
    body: str


@dataclass(frozen=True, slots=True)
class EntryRow:
    """A feed entry met by watch: its key, canonical URL, document (if stored) and dates."""

    key: str
    url: str
    feed_url: str
    document_id: str | None
    feed_date: str | None
    page_date: str | None
    status: str  # stored | unchanged | duplicate | skipped


@dataclass(frozen=True, slots=True)
class DeclarationRow:
    """One line of a UNROCA report as the store keeps it; `body` is the Declaration's JSON."""

    id: str
    exporter: str | None
    importer: str | None
    year: int
    category: str
    reporter: str  # "exporter" | "importer": whose report the line is from
    body: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A document that matched a full-text search, with a short extract around the match."""

    document: Document
    snippet: str


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Counts over the whole store; the breakdowns are ordered by count, largest first."""

    documents: int
    claims: int
    by_pair: dict[tuple[str | None, str | None], int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)


class Store(Protocol):
    """What every storage backend offers; `open_store` returns one."""

    location: str

    @property
    def schema_version(self) -> int: ...

    def save(self, extraction: Extraction, *, replace: bool = False) -> bool: ...

    def has_document(self, document_id: str) -> bool: ...

    def document(self, id_or_name: str) -> Document: ...

    def documents(
        self, limit: int | None = None, offset: int = 0, *, with_text: bool = True
    ) -> list[Document]: ...

    def count_documents(self) -> int: ...

    def claims(
        self, filters: ClaimFilter = ALL_CLAIMS, limit: int | None = None, offset: int = 0
    ) -> list[Claim]: ...

    def count_claims(self, filters: ClaimFilter = ALL_CLAIMS) -> int: ...

    def claim(self, claim_id: str) -> Claim: ...

    def quotes(self, document_id: str) -> list[Quote]: ...

    def notes(self, document_id: str) -> list[str]: ...

    def extraction(self, document_id: str) -> Extraction: ...

    def search(self, query: str, limit: int = 20) -> list[SearchHit]: ...

    def stats(self) -> StoreStats: ...

    # transfer records, SIPRI deals and document signatures (schema version 2)

    def replace_records(
        self, rows: Sequence[RecordRow], *, built_from: int | None = None
    ) -> bool: ...

    # whether the records are current, and the snapshots and lock to rebuild them (version 4)

    def inputs_version(self) -> int: ...

    def records_stale(self) -> bool: ...

    def reading(self) -> AbstractContextManager[None]: ...

    def write_lock(self) -> AbstractContextManager[None]: ...

    def record_bodies(
        self, filters: RecordFilter = ALL_RECORDS, limit: int | None = None, offset: int = 0
    ) -> list[str]: ...

    def count_records(self, filters: RecordFilter = ALL_RECORDS) -> int: ...

    def record_body(self, id_or_prefix: str) -> str: ...

    def record_ids_for_claim(self, claim_id: str) -> list[str]: ...

    def replace_sipri_deals(
        self, rows: Sequence[tuple[str, str | None, str | None, str]]
    ) -> int: ...

    def sipri_deal_bodies(self) -> list[str]: ...

    def signatures(self, document_ids: Sequence[str]) -> dict[str, str]: ...

    def save_signatures(self, signatures: Mapping[str, str]) -> None: ...

    # armstrace watch and UNROCA declarations (version 6)

    def feed_states(self) -> dict[str, str]: ...

    def save_feed_state(self, row: FeedRow) -> None: ...

    def seen_entries(self, keys: Sequence[str], urls: Sequence[str]) -> set[str]: ...

    def save_entries(self, rows: Sequence[EntryRow]) -> None: ...

    def entry_documents(self, limit: int = 1000) -> list[str]: ...

    def record_snapshots(self) -> dict[str, str]: ...

    def commit_alerts(
        self,
        alerts: Sequence[tuple[str, str]],
        channels: Sequence[str],
        snapshots: Mapping[str, str],
    ) -> int: ...

    def pending_alerts(self, channel: str) -> list[tuple[str, str]]: ...

    def mark_delivery(self, alert_id: str, channel: str, error: str | None) -> None: ...

    def alert_bodies(self, limit: int = 100) -> list[str]: ...

    def save_declarations(self, rows: Sequence[DeclarationRow]) -> int: ...

    def declaration_bodies(
        self, exporter: str | None = None, importer: str | None = None
    ) -> list[str]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


def open_store(target: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and migrating if needed) the store at a path or URL.

    `target` may be a file path, ":memory:", or a URL: `sqlite:///relative.db`,
    `sqlite:////absolute/path.db`, `sqlite://` (in memory). None means `$ARMSTRACE_DB`, or else
    ./armstrace.db.
    """
    from armstrace.store.sqlite import SQLiteStore

    return SQLiteStore(sqlite_path(target))


def sqlite_path(target: str | os.PathLike[str] | None) -> str:
    """The SQLite file (or ":memory:") that a target names; StoreError for any other backend."""
    if target is None:
        target = os.environ.get(ENV_VARIABLE) or DEFAULT_DATABASE
    text = os.fspath(target)
    match = _URL.match(text)
    if match is None:
        return text
    scheme = match["scheme"].lower().split("+", 1)[0]
    if scheme in _POSTGRES_SCHEMES:
        raise StoreError(
            "PostgreSQL support arrives with the scale-out backend; for now give a SQLite file "
            "path or a sqlite:/// URL"
        )
    if scheme != "sqlite":
        raise StoreError(
            f"unsupported database URL scheme {match['scheme']!r}: give a file path or a "
            "sqlite:/// URL"
        )
    # SQLAlchemy's convention: sqlite:// is memory, sqlite:///x.db relative, sqlite:////x absolute.
    rest = match["rest"]
    if rest in ("", "/"):
        return ":memory:"
    if not rest.startswith("/"):
        raise StoreError(
            f"malformed SQLite URL {text!r}: write sqlite:///relative/path.db or "
            "sqlite:////absolute/path.db"
        )
    return rest[1:]
