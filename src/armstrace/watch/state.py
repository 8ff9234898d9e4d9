"""Per-feed state, after Media Cloud's feed fetcher: the validators for a conditional GET
(ETag, Last-Modified, and a body hash for servers that send neither), the last success, a
fractional failure count and when the feed may be tried next. A failing feed is never dropped:
it is retried after a growing, jittered delay and reported on every run until it recovers.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from datetime import datetime

from armstrace.watch.policy import FetchPolicy, backoff_delay, later

__all__ = [
    "FAILING_AFTER",
    "FeedState",
    "body_hash",
]

# Hard failures (an error answer, a timeout, a broken feed) count 1; being asked to slow down
# (429 with Retry-After) counts half, so a busy server is not reported as broken as soon.
HARD_FAILURE = 1.0
SOFT_FAILURE = 0.5
FAILING_AFTER = 3.0  # from this many failures on, a feed is reported as failing


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the store keeps about one feed between runs."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    title: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    next_attempt: datetime | None = None
    failures: float = 0.0
    status: str = "new"  # new | ok | failing
    last_error: str | None = None

    def due(self, now: datetime) -> bool:
        return self.next_attempt is None or self.next_attempt <= now

    def conditional_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def succeeded(
        self,
        now: datetime,
        *,
        etag: str | None,
        last_modified: str | None,
        digest: str | None,
        title: str | None = None,
    ) -> FeedState:
        """After a 200 or a 304: validators kept, failures cleared, next try on the next run."""
        return replace(
            self,
            etag=etag or self.etag,
            last_modified=last_modified or self.last_modified,
            body_hash=digest or self.body_hash,
            title=title or self.title,
            last_attempt=now,
            last_success=now,
            next_attempt=None,
            failures=0.0,
            status="ok",
            last_error=None,
        )

    def failed(
        self,
        now: datetime,
        error: str,
        policy: FetchPolicy,
        *,
        retry_after: float | None = None,
        rng: random.Random | None = None,
    ) -> FeedState:
        """After a failure: the count grows (half for a 429), the next try waits longer."""
        soft = retry_after is not None and "429" in error
        failures = self.failures + (SOFT_FAILURE if soft else HARD_FAILURE)
        delay = backoff_delay(
            failures,
            base=policy.backoff_base,
            cap=policy.backoff_cap,
            retry_after=retry_after,
            rng=rng,
        )
        return replace(
            self,
            last_attempt=now,
            next_attempt=later(now, delay),
            failures=failures,
            status="failing" if failures >= FAILING_AFTER else self._status_after_failure(),
            last_error=error,
        )

    def _status_after_failure(self) -> str:
        return "failing" if self.status == "failing" else ("ok" if self.last_success else "new")

    @property
    def keeps_failing(self) -> bool:
        return self.failures >= FAILING_AFTER
