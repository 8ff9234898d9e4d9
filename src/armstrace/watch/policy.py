"""How armstrace watch talks to servers: which addresses it may reach, how long it waits, how
it backs off after failures (exponential, with jitter, honouring Retry-After).

Pure functions and a settings record; nothing here opens a connection (fetch.py does).
"""

from __future__ import annotations

import ipaddress
import random
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from armstrace.errors import InputError

__all__ = [
    "FetchPolicy",
    "FetchRefused",
    "backoff_delay",
    "check_address",
    "check_url",
    "retry_after_seconds",
]

USER_AGENT = "armstrace-watch/0.1 (+https://github.com/armstrace; feed monitor)"
SCHEMES = ("http", "https")
Resolver = Callable[[str, int], list[str]]


class FetchRefused(InputError):
    """A URL that watch will not fetch: a scheme other than http(s), or a private address."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits of one watch run; `allow_private` opens loopback and private networks (for a
    feed server on the same machine or the office network), which are refused by default."""

    timeout: float = 20.0  # seconds for connect, read and each write
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2  # further tries within one run for a transient failure
    max_wait: float = 30.0  # longest in-run wait (backoff or Retry-After); longer defers a feed
    backoff_base: float = 60.0  # seconds before the next run may retry a failed feed
    backoff_cap: float = 24 * 3600.0
    retry_base: float = 1.0  # first in-run retry waits about this long, then doubles
    allow_private: bool = False
    user_agent: str = USER_AGENT

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_bytes <= 0 or self.retries < 0:
            raise InputError("timeout and max_bytes must be positive and retries not negative")


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchRefused(f"cannot resolve host {host!r}: {exc.strerror or exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


def check_address(address: str, *, allow_private: bool) -> None:
    """FetchRefused for a loopback, private, link-local, multicast or reserved address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_private and (ip.is_private or ip.is_loopback or ip.is_link_local):
        return
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        raise FetchRefused(
            f"refused to fetch from {ip} (a loopback, private or reserved address); "
            "pass --allow-private to watch servers on your own network"
        )


def check_url(url: str, *, allow_private: bool, resolve: Resolver = _resolve) -> None:
    """FetchRefused unless `url` is http(s) and every address its host resolves to is public
    (or private ones are allowed). Called again on every redirect."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefused(f"malformed URL {url!r}: {exc}") from exc
    if parts.scheme.lower() not in SCHEMES:
        raise FetchRefused(
            f"refused to fetch {url!r}: only http and https are fetched (not {parts.scheme!r})"
        )
    if not parts.hostname:
        raise FetchRefused(f"malformed URL {url!r}: no host")
    for address in resolve(parts.hostname, port):
        check_address(address, allow_private=allow_private)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(
    failures: float,
    *,
    base: float,
    cap: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after `failures` consecutive failures: base * 2^(failures-1), capped,
    times a jitter of 0.5-1.5 so that many feeds failing together do not retry together; never
    less than what the server asked for in Retry-After."""
    rng = rng or random.Random()
    exponent = max(0.0, failures - 1)
    delay = min(cap, base * 2**exponent) * rng.uniform(0.5, 1.5)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(max(delay, 0.0), max(cap, retry_after or 0.0))


def later(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=seconds)
