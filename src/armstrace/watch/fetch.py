"""One HTTP GET under the watch policy: every hop of a redirect checked against the address
guard, the body capped in size, transient failures (timeouts, 429, 5xx) retried within the run
with backoff and Retry-After, and each outcome returned or raised as a FetchError with a reason.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import httpx

from armstrace.errors import InputError
from armstrace.watch.policy import (
    FetchPolicy,
    FetchRefused,
    backoff_delay,
    check_url,
    retry_after_seconds,
)

__all__ = ["FetchError", "Fetched", "get", "make_client"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
Sleep = Callable[[float], None]


class FetchError(InputError):
    """A fetch that failed: `transient` ones (timeouts, 429, 5xx) are worth retrying later."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        status: int | None = None,
        retry_after: float | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status
        self.retry_after = retry_after
        self.attempts = attempts


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response that answered (2xx or 304): the final URL, its headers (lower-case keys)."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    attempts: int = 1
    waits: tuple[float, ...] = field(default=())

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def make_client(policy: FetchPolicy, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The client of one run: no automatic redirects (each hop is checked), no proxy from the
    environment (it could bypass the address guard), the policy's timeout and user agent."""
    return httpx.Client(
        timeout=httpx.Timeout(policy.timeout),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": policy.user_agent},
        transport=transport,
    )


def _read(response: httpx.Response, limit: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            f"response too large ({int(declared):,} bytes; the limit is {limit:,})",
            transient=False,
            status=response.status_code,
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(
                f"response too large (over {limit:,} bytes)",
                transient=False,
                status=response.status_code,
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _once(
    client: httpx.Client, url: str, headers: Mapping[str, str], policy: FetchPolicy
) -> Fetched:
    """One try: follow redirects by hand, checking every hop; FetchError on any failure."""
    for _ in range(policy.max_redirects + 1):
        check_url(url, allow_private=policy.allow_private)
        try:
            with client.stream("GET", url, headers=dict(headers)) as response:
                status = response.status_code
                if status in REDIRECTS and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                kept = {key.lower(): value for key, value in response.headers.items()}
                if status == 304:
                    return Fetched(url, status, kept, b"")
                if 200 <= status < 300:
                    return Fetched(url, status, kept, _read(response, policy.max_bytes))
                retry_after = retry_after_seconds(kept.get("retry-after"), datetime.now(UTC))
                transient = status == 429 or status >= 500 or status == 408
                raise FetchError(
                    f"HTTP {status} {response.reason_phrase}".strip(),
                    transient=transient,
                    status=status,
                    retry_after=retry_after,
                )
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({type(exc).__name__})", transient=True) from exc
        except httpx.TransportError as exc:
            raise FetchError(
                f"connection failed ({type(exc).__name__}: {exc})", transient=True
            ) from exc
    raise FetchError(f"more than {policy.max_redirects} redirects", transient=False)


def get(
    client: httpx.Client,
    url: str,
    policy: FetchPolicy,
    *,
    headers: Mapping[str, str] | None = None,
    sleep: Sleep = time.sleep,
    rng: random.Random | None = None,
) -> Fetched:
    """GET `url`, retrying transient failures up to `policy.retries` times within the run.

    A wait longer than `policy.max_wait` (a long Retry-After) is not slept: the FetchError goes
    up with `retry_after`, and the feed is retried on a later run instead.
    """
    rng = rng or random.Random()
    waits: list[float] = []
    attempt = 0
    while True:
        attempt += 1
        try:
            fetched = _once(client, url, headers or {}, policy)
        except FetchRefused:
            raise
        except FetchError as exc:
            exc.attempts = attempt
            if not exc.transient or attempt > policy.retries:
                raise
            wait = backoff_delay(
                attempt,
                base=policy.retry_base,
                cap=policy.max_wait,
                retry_after=exc.retry_after,
                rng=rng,
            )
            if wait > policy.max_wait:
                raise
            waits.append(wait)
            sleep(wait)
            continue
        return Fetched(
            fetched.url, fetched.status, fetched.headers, fetched.body, attempt, tuple(waits)
        )
