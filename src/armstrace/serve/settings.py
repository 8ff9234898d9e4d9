"""The server's settings and the two guards every request passes: read access and write access.

Writes need `Authorization: Bearer <token>` matching the configured token; with no token
configured the server refuses every write. Reads are open unless `protect_reads` is set.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass, field

from fastapi import HTTPException, Request

from armstrace.errors import InputError, StoreError
from armstrace.serve.cache import ViewCache
from armstrace.store import Store, shared_engine

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "ARMSTRACE_TOKEN"
SESSION_COOKIE = "armstrace_session"


DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    db: str
    token: str | None = field(default=None, repr=False)
    protect_reads: bool = False
    allowed_hosts: frozenset[str] = frozenset()  # see guards.allowed_host_names
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1:
            raise InputError(f"the body limit must be a positive size, not {self.max_body_bytes}")
        if self.token is not None and not self.token.strip():
            raise InputError(f"the API token is empty: set {TOKEN_VARIABLE} to a secret string")
        if self.protect_reads and self.token is None:
            raise InputError(
                f"protecting reads needs a token: set {TOKEN_VARIABLE} to a secret string"
            )


class Database:
    """Where the store lives: one shared engine, and a store of its own for each request."""

    def __init__(self, target: str) -> None:
        self.engine = shared_engine(target)  # creates and migrates: a bad target fails here
        self.location = self.engine.location
        with self.engine.open() as store:
            _repair_records(store)
        self.views = ViewCache(self.engine.signature)

    def open(self) -> Store:
        return self.engine.open()


def _repair_records(store: Store) -> None:
    """Rebuild stale transfer records (an ingest stopped before rebuilding them) at start-up; a
    read-only database is served as it is, with a warning."""
    from armstrace.kb.transfer_records import refresh_if_stale

    try:
        if refresh_if_stale(store):
            log.info("rebuilt the transfer records of %s: they were stale", store.location)
    except StoreError as exc:
        log.warning(
            "the transfer records of %s are stale and cannot be rebuilt: %s", store.location, exc
        )


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def _token_refusal(request: Request, action: str) -> HTTPException | None:
    """Why `request` may not do `action` (401 or 403), or None when it bears the token."""
    settings: Settings = request.app.state.settings
    if settings.token is None:
        return HTTPException(
            403,
            f"{action} is disabled on this server: set {TOKEN_VARIABLE} before starting "
            "`armstrace serve`, then send `Authorization: Bearer <token>`",
        )
    given = _bearer(request)
    if given is None:
        return HTTPException(
            401,
            f"{action} needs `Authorization: Bearer <token>` (the server's {TOKEN_VARIABLE})",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(given.encode(), settings.token.encode()):
        return HTTPException(403, f"wrong token for {action}: send the server's {TOKEN_VARIABLE}")
    return None


def _check_token(request: Request, action: str) -> None:
    refusal = _token_refusal(request, action)
    if refusal is not None:
        raise refusal


def write_refusal(request: Request) -> HTTPException | None:
    """Why a write is refused, checked by guards.WriteGuard before the body is read."""
    return _token_refusal(request, "writing")


def require_write(request: Request) -> None:
    _check_token(request, "writing")


def session_value(token: str) -> str:
    """The sign-in cookie's value: derived from the token, so that it needs no server state,
    lasts across restarts and stops working when the token changes; it cannot be turned back
    into the token, and it grants reads only (writes need the bearer header)."""
    return hmac.new(token.encode(), b"armstrace dashboard session v1", hashlib.sha256).hexdigest()


def may_read(request: Request) -> bool:
    """True when reads are open, or the request carries the sign-in cookie or the token."""
    settings: Settings = request.app.state.settings
    if not settings.protect_reads:
        return True
    assert settings.token is not None  # Settings refuses protect_reads without a token
    cookie = request.cookies.get(SESSION_COOKIE, "")
    if hmac.compare_digest(cookie.encode(), session_value(settings.token).encode()):
        return True
    given = _bearer(request)
    return given is not None and hmac.compare_digest(given.encode(), settings.token.encode())


def require_read(request: Request) -> None:
    if not may_read(request):
        _check_token(request, "reading")  # raises, with the reason
