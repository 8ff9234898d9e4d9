"""One watch run: every due feed fetched (conditional GET), its new entries' pages fetched and
read, stored through the ingest pipeline, and the feed's state saved after its documents are,
so that a run stopped half way fetches the rest again next time. Folders are ingested as by
`armstrace ingest`. Alerts are evaluated after the feeds (armstrace.alerts).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import httpx

from armstrace.errors import ArmstraceError, InputError
from armstrace.jobs import IngestReport, Outcome, extract_stream, ingest_paths, store_extractions
from armstrace.records import Document
from armstrace.store import EntryRow, FeedRow
from armstrace.watch.articles import Article, canonical_url, read_article
from armstrace.watch.feedlist import WatchSource
from armstrace.watch.feeds import FeedEntry, parse_feed
from armstrace.watch.fetch import FetchError, get, make_client
from armstrace.watch.policy import FetchPolicy, FetchRefused
from armstrace.watch.state import FeedState, body_hash

if TYPE_CHECKING:
    from armstrace.alerts import AlertReport
    from armstrace.alerts.channels import Channel
    from armstrace.alerts.rules import RuleSet
    from armstrace.store import Store

__all__ = ["FeedOutcome", "WatchReport", "watch_once"]

NEAR_DUPLICATE = 0.5  # the corroboration threshold: a wire copy above it counts once anyway
RECENT_DOCUMENTS = 500  # stored entry documents a new page is compared with


@dataclass(slots=True)
class FeedOutcome:
    """What happened to one feed or folder in a run."""

    source: str
    status: str  # fetched | not_modified | unchanged | failed | refused | deferred | folder
    entries: int = 0  # items in the feed
    new: int = 0  # items not met before
    stored: int = 0  # documents stored from them
    duplicates: list[str] = field(default_factory=list)  # "url: why"
    skipped: list[str] = field(default_factory=list)  # "url: why"
    attempts: int = 0
    waits: tuple[float, ...] = ()
    error: str | None = None
    failures: float = 0.0
    keeps_failing: bool = False
    last_success: datetime | None = None
    next_attempt: datetime | None = None


@dataclass(slots=True)
class WatchReport:
    feeds: list[FeedOutcome] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)
    alerts: AlertReport | None = None
    records: int = 0

    def count(self, status: str) -> int:
        return sum(1 for feed in self.feeds if feed.status == status)

    @property
    def stored(self) -> int:
        return sum(feed.stored for feed in self.feeds)


def _state_json(state: FeedState) -> str:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime) else value

    return json.dumps({key: plain(value) for key, value in asdict(state).items()}, sort_keys=True)


def _state_from(body: str) -> FeedState:
    data = json.loads(body)
    for key in ("last_attempt", "last_success", "next_attempt"):
        if data.get(key):
            data[key] = datetime.fromisoformat(data[key])
    return FeedState(**data)


def _save_state(store: Store, state: FeedState) -> None:
    store.save_feed_state(
        FeedRow(
            url=state.url,
            status=state.status,
            failures=state.failures,
            last_success=state.last_success.isoformat() if state.last_success else None,
            next_attempt=state.next_attempt.isoformat() if state.next_attempt else None,
            body=_state_json(state),
        )
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class _Run:
    store: Store
    client: httpx.Client
    policy: FetchPolicy
    now: Callable[[], datetime]
    sleep: Callable[[float], None]
    rng: random.Random
    report: WatchReport
    prefilter: bool
    min_score: float | None
    seen_urls: set[str] = field(default_factory=set)  # canonical URLs met in this run
    signatures: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)

    def near_duplicate(self, document: Document) -> str | None:
        from armstrace.kb.corroboration import minhash, similarity

        signature = minhash(document.text)
        for url, other in self.signatures:
            if similarity(signature, other) >= NEAR_DUPLICATE:
                return url
        self.signatures.append((document.url or document.name, signature))
        return None

    def article(self, entry: FeedEntry, outcome: FeedOutcome) -> Article | None:
        """The fetched and read page of an entry; None when it failed (reported)."""
        try:
            fetched = get(self.client, entry.link, self.policy, sleep=self.sleep, rng=self.rng)
        except FetchError as exc:
            outcome.skipped.append(f"{entry.link}: {exc}")
            return None
        article, _ = read_article(entry, fetched.url, fetched.body, fetched.content_type)
        return article

    def feed(self, source: WatchSource, state: FeedState) -> FeedOutcome:
        outcome = FeedOutcome(source.location, "fetched")
        started = self.now()
        if not state.due(started):
            outcome.status = "deferred"
            self._finish(outcome, state)
            return outcome
        try:
            fetched = get(
                self.client,
                source.location,
                self.policy,
                headers=state.conditional_headers(),
                sleep=self.sleep,
                rng=self.rng,
            )
        except FetchRefused as exc:
            outcome.status, outcome.error = "refused", str(exc)
            state = state.failed(started, str(exc), self.policy, rng=self.rng)
            return self._finish(outcome, state, save=True)
        except FetchError as exc:
            outcome.status, outcome.error = "failed", str(exc)
            outcome.attempts = exc.attempts
            state = state.failed(
                started, str(exc), self.policy, retry_after=exc.retry_after, rng=self.rng
            )
            return self._finish(outcome, state, save=True)
        outcome.attempts, outcome.waits = fetched.attempts, fetched.waits
        etag, modified = fetched.headers.get("etag"), fetched.headers.get("last-modified")
        if fetched.not_modified:
            outcome.status = "not_modified"
            state = state.succeeded(started, etag=etag, last_modified=modified, digest=None)
            return self._finish(outcome, state, save=True)
        digest = body_hash(fetched.body)
        if digest == state.body_hash:  # a server without validators sent the same feed again
            outcome.status = "unchanged"
            state = state.succeeded(started, etag=etag, last_modified=modified, digest=digest)
            return self._finish(outcome, state, save=True)
        try:
            parsed = parse_feed(fetched.body, fetched.url, dict(fetched.headers))
        except InputError as exc:
            outcome.status, outcome.error = "failed", str(exc)
            state = state.failed(started, str(exc), self.policy, rng=self.rng)
            return self._finish(outcome, state, save=True)
        outcome.entries = len(parsed.entries)
        self._entries(parsed.entries, source, outcome)
        state = state.succeeded(
            started, etag=etag, last_modified=modified, digest=digest, title=parsed.title
        )
        return self._finish(outcome, state, save=True)

    def _entries(
        self, entries: Sequence[FeedEntry], source: WatchSource, outcome: FeedOutcome
    ) -> None:
        urls = {entry.key: canonical_url(entry.link) for entry in entries}
        known = self.store.seen_entries(list(urls), list(urls.values()))
        rows: list[EntryRow] = []
        items: list[tuple[Document, tuple[str, ...], str]] = []
        for entry in entries:
            url = urls[entry.key]
            if entry.key in known or url in known:
                continue
            if url in self.seen_urls:
                outcome.duplicates.append(f"{entry.link}: same story as an earlier entry")
                rows.append(self._row(entry, url, source, None, None, "duplicate"))
                continue
            outcome.new += 1
            self.seen_urls.add(url)
            article = self.article(entry, outcome)
            if article is None:
                continue  # a transient failure: not recorded, so the next run tries again
            if article.url != url and (
                article.url in self.seen_urls or self.store.seen_entries([], [article.url])
            ):
                outcome.duplicates.append(f"{entry.link}: its page names {article.url}")
                rows.append(self._row(entry, url, source, None, article, "duplicate"))
                continue
            self.seen_urls.add(article.url)
            document = article.document
            if document is None:
                outcome.skipped.append(f"{entry.link}: {article.result.reason}")
                rows.append(self._row(entry, url, source, None, article, "skipped"))
                continue
            copy = self.near_duplicate(document)
            if copy is not None:
                # Stored all the same (its own URL and evidence), but it counts as one source
                # with the copy it repeats: corroboration groups near-duplicates.
                outcome.duplicates.append(f"{entry.link}: a near-duplicate of {copy}")
            rows.append(self._row(entry, url, source, document.id, article, "stored"))
            items.append((document, article.result.warnings, entry.link))
        outcome.stored += self._store(items)
        self.store.save_entries(rows)

    def _store(self, items: list[tuple[Document, tuple[str, ...], str]]) -> int:
        report = self.report.ingest
        before = report.stored

        def new() -> Iterator[tuple[Document, tuple[str, ...], str]]:
            for document, warnings, origin in items:
                if self.store.has_document(document.id):
                    report.outcomes.append(
                        Outcome(origin, "unchanged", "already stored", document.name)
                    )
                    continue
                yield document, warnings, origin

        stream = extract_stream(new(), report, prefilter=self.prefilter, min_score=self.min_score)
        store_extractions(stream, self.store, report)
        return report.stored - before

    @staticmethod
    def _row(
        entry: FeedEntry,
        url: str,
        source: WatchSource,
        document_id: str | None,
        article: Article | None,
        status: str,
    ) -> EntryRow:
        page_date = article.page_date if article is not None else None
        return EntryRow(
            entry.key, url, source.location, document_id, _iso(entry.published), _iso(page_date),
            status,
        )  # fmt: skip

    def _finish(self, outcome: FeedOutcome, state: FeedState, *, save: bool = False) -> FeedOutcome:
        if save:
            _save_state(self.store, state)
        outcome.failures = state.failures
        outcome.keeps_failing = state.keeps_failing
        outcome.last_success = state.last_success
        outcome.next_attempt = state.next_attempt
        if outcome.error is None and state.failures and outcome.status == "deferred":
            outcome.error = state.last_error
        return outcome

    def folder(self, source: WatchSource) -> FeedOutcome:
        found = ingest_paths(
            [source.location], self.store, prefilter=self.prefilter, min_score=self.min_score
        )
        self.report.ingest.outcomes.extend(found.outcomes)
        return FeedOutcome(
            source.location,
            "folder",
            entries=len(found.outcomes),
            new=found.stored,
            stored=found.stored,
            skipped=[f"{o.origin}: {o.reason}" for o in found.skipped],
        )


def watch_once(
    store: Store,
    sources: Sequence[WatchSource],
    *,
    policy: FetchPolicy | None = None,
    rules: RuleSet | None = None,
    channels: Sequence[Channel] = (),
    client: httpx.Client | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    prefilter: bool = False,
    min_score: float | None = None,
) -> WatchReport:
    """Fetch every due source once, store what is new, rebuild the records, run the alerts."""
    from armstrace.alerts import run_alerts
    from armstrace.kb.transfer_records import count_records, refresh_if_stale

    policy = policy or FetchPolicy()
    report = WatchReport()
    refresh_if_stale(store)
    states = {url: _state_from(body) for url, body in store.feed_states().items()}
    own_client = client is None
    http = client or make_client(policy)
    run = _Run(
        store, http, policy, now, sleep, rng or random.Random(), report, prefilter, min_score
    )
    try:
        for source in sources:
            if source.kind == "folder":
                report.feeds.append(run.folder(source))
                continue
            state = states.get(source.location) or FeedState(source.location)
            try:
                report.feeds.append(run.feed(source, state))
            except ArmstraceError as exc:  # a store refusal or a reader bug: this feed only
                report.feeds.append(FeedOutcome(source.location, "failed", error=str(exc)))
    finally:
        if own_client:
            http.close()
    refresh_if_stale(store)
    report.records = count_records(store)
    report.alerts = run_alerts(store, rules, channels)
    return report
