"""The store stage: persist extractions and read them back as records, on SQLite or PostgreSQL.

`open_store()` opens the database that a path or URL names and returns a `Store`, the one class
that owns every SQL string (armstrace.store.database). The store never extracts or interprets
text: it writes what it is given, once per document (content ids make every write idempotent).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from armstrace.errors import InputError, StoreError
from armstrace.records import CATEGORIES, STATUSES, Document

if TYPE_CHECKING:
    from armstrace.store.database import SharedEngine, Store

__all__ = [
    "ALL_CLAIMS",
    "ALL_RECORDS",
    "DEFAULT_DATABASE",
    "ENV_VARIABLE",
    "ClaimFilter",
    "DeclarationRow",
    "EntryRow",
    "FeedRow",
    "RecordFilter",
    "RecordRow",
    "SearchHit",
    "Store",
    "StoreStats",
    "Target",
    "open_store",
    "parse_target",
    "shared_engine",
    "sqlite_path",
]

DEFAULT_DATABASE = "armstrace.db"
ENV_VARIABLE = "ARMSTRACE_DB"

# A URL scheme has at least two characters, so a Windows drive letter ("C:\\...") is a path.
_URL = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]+)://(?P<rest>.*)$", re.DOTALL)
_POSTGRES_SCHEMES = {"postgres", "postgresql"}
_POSTGRES_DRIVER = "psycopg"  # psycopg 3, the driver armstrace installs


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """Which claims to read; every field left as None matches everything.

    `actor` matches either side. `since` and `until` keep claims dated on or after, or on or
    before, that day, by the claim's own date or else the document's publication date; claims
    with neither are left out when either is set.
    """

    supplier: str | None = None
    recipient: str | None = None
    category: str | None = None
    status: str | None = None
    since: date | None = None
    document_id: str | None = None
    actor: str | None = None
    until: date | None = None

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
        if self.since is not None and self.until is not None and self.since > self.until:
            raise InputError(f"since ({self.since}) is after until ({self.until})")


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
        # the same checks, one message
        ClaimFilter(category=self.category, status=self.status, since=self.since, until=self.until)
        if self.min_sources is not None and not 0 <= self.min_sources <= 2**31:
            raise InputError(f"min_sources must be 0 to 2**31 (got {self.min_sources})")


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


@dataclass(frozen=True, slots=True)
class Target:
    """A database that a path or URL names: its dialect, the SQLAlchemy URL to open it with,
    and `location`, how messages name it (a path, or the URL without its password)."""

    dialect: Literal["sqlite", "postgresql"]
    url: str
    location: str
    path: str | None = None  # the SQLite file, or ":memory:"

    @property
    def is_memory(self) -> bool:
        return self.path == ":memory:"


def parse_target(target: str | os.PathLike[str] | None = None) -> Target:
    """The database a target names: a SQLite file path, ":memory:", `sqlite:///relative.db`,
    `sqlite:////absolute/path.db`, `sqlite://` (in memory), or `postgresql://user@host/db`
    (also `postgres://` and `postgresql+psycopg://`). None means `$ARMSTRACE_DB`, or else
    ./armstrace.db. StoreError for any other scheme."""
    if target is None:
        target = os.environ.get(ENV_VARIABLE) or DEFAULT_DATABASE
    text = os.fspath(target)
    match = _URL.match(text)
    if match is None:
        return _sqlite_target(text)
    scheme, _, driver = match["scheme"].lower().partition("+")
    if scheme in _POSTGRES_SCHEMES:
        if driver not in ("", _POSTGRES_DRIVER):
            raise StoreError(
                f"armstrace talks to PostgreSQL through psycopg 3: write postgresql://... or "
                f"postgresql+psycopg://..., not {match['scheme']}://"
            )
        return _postgres_target(match["rest"])
    if scheme != "sqlite" or driver:
        raise StoreError(
            f"unsupported database URL scheme {match['scheme']!r}: give a file path, a "
            "sqlite:/// URL or a postgresql:// URL"
        )
    # SQLAlchemy's convention: sqlite:// is memory, sqlite:///x.db relative, sqlite:////x absolute.
    rest = match["rest"]
    if rest in ("", "/"):
        return _sqlite_target(":memory:")
    if not rest.startswith("/"):
        raise StoreError(
            f"malformed SQLite URL {text!r}: write sqlite:///relative/path.db or "
            "sqlite:////absolute/path.db"
        )
    return _sqlite_target(rest[1:])


def _sqlite_target(path: str) -> Target:
    # The engine is built from `path` itself (URL.create), so no character of it needs quoting.
    return Target("sqlite", "sqlite://" if path == ":memory:" else f"sqlite:///{path}", path, path)


def _postgres_target(rest: str) -> Target:
    url = f"postgresql+{_POSTGRES_DRIVER}://{rest}"
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:  # never print a password
        credentials = credentials.split(":", 1)[0] + ":***"
    location = f"postgresql://{credentials}{at}{host}"
    return Target("postgresql", url, location)


def sqlite_path(target: str | os.PathLike[str] | None) -> str:
    """The SQLite file (or ":memory:") that a target names; StoreError for a PostgreSQL URL."""
    parsed = parse_target(target)
    if parsed.path is None:
        raise StoreError(f"{parsed.location} is a PostgreSQL database, not a SQLite file")
    return parsed.path


def open_store(target: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and migrating if needed) the store at a path or URL (see parse_target)."""
    from armstrace.store.database import Store

    return Store.open(parse_target(target))


def shared_engine(target: str | os.PathLike[str] | None = None) -> SharedEngine:
    """One engine from which many stores are opened, for a server (see SharedEngine)."""
    from armstrace.store.database import SharedEngine

    return SharedEngine(parse_target(target))


def __getattr__(name: str) -> Any:
    # `Store` lives with the SQL in armstrace.store.database; importing it loads SQLAlchemy, which
    # `import armstrace.store` (for the filters) should not.
    if name == "Store":
        from armstrace.store.database import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
