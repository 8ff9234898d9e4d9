"""armstrace watch against a real feed server on 127.0.0.1: what was fetched, skipped, retried
and stored; a second run gets 304s and stores and alerts nothing twice; failing feeds back off
and stay reported; the address guard refuses private addresses and file:// redirects."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.watch.server import FeedServer

from armstrace.alerts.channels import JsonlChannel
from armstrace.alerts.rules import parse_rules
from armstrace.kb.transfer_records import list_records
from armstrace.store import RecordFilter, open_store
from armstrace.watch import FeedOutcome, FetchPolicy, WatchReport, WatchSource, watch_once

pytestmark = pytest.mark.model

FEEDS = ("rss", "atom", "error", "busy", "broken", "slow", "plain")
RULES = parse_rules({"watch": [{"name": "dprk-russia", "actors": ["PRK", "RUS"],
                                "events": ["new_record", "status_changed"]}]})  # fmt: skip
START = datetime(2024, 3, 7, 6, 0, tzinfo=UTC)


class Clock:
    """The time watch sees: fixed, moved on by the test (no wall clock in any assertion)."""

    def __init__(self) -> None:
        self.now = START
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def sources(server: FeedServer, names: tuple[str, ...] = FEEDS) -> list[WatchSource]:
    return [WatchSource(f"{server.base}/{name}.xml", "feed") for name in names]


def policy(**changes: object) -> FetchPolicy:
    settings: dict[str, object] = {"timeout": 0.5, "allow_private": True, "retries": 2}
    return FetchPolicy(**(settings | changes))  # type: ignore[arg-type]


def run(
    store_path: Path, server: FeedServer, clock: Clock, alerts: Path, **kw: object
) -> WatchReport:
    with open_store(store_path) as store:
        return watch_once(
            store,
            sources(server),
            policy=policy(),
            rules=RULES,
            channels=[JsonlChannel(alerts)],
            now=clock,
            sleep=clock.sleep,
            rng=random.Random(7),
            **kw,  # type: ignore[arg-type]
        )


def by_name(report: WatchReport) -> dict[str, FeedOutcome]:
    return {feed.source.rsplit("/", 1)[1].removesuffix(".xml"): feed for feed in report.feeds}


def test_first_run_fetches_stores_retries_and_reports(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    clock = Clock()
    report = run(tmp_path / "w.db", feed_server, clock, tmp_path / "alerts.jsonl")
    feeds = by_name(report)

    assert feeds["rss"].status == "fetched" and feeds["rss"].new == 3
    assert feeds["rss"].stored == 3  # the wire copy is stored, under its own URL
    assert any("near-duplicate" in text for text in feeds["rss"].duplicates)
    assert feeds["atom"].status == "fetched" and feeds["atom"].stored == 2  # an article, a PDF
    assert feeds["error"].status == "failed" and "HTTP 500" in str(feeds["error"].error)
    assert feed_server.statuses("/error.xml") == [500, 500, 500]  # two retries in the run
    assert feeds["busy"].status == "fetched" and feeds["busy"].attempts == 2
    assert feed_server.statuses("/busy.xml") == [429, 200]
    assert clock.slept.count(1.0) == 1  # waited what Retry-After asked for, then retried
    assert feeds["broken"].status == "failed" and "malformed" in str(feeds["broken"].error)
    assert feeds["slow"].status == "failed" and "timed out" in str(feeds["slow"].error)
    assert feeds["plain"].status == "fetched" and feeds["plain"].new == 0  # seen via rss.xml
    # each page fetched once: the drones story is in two feeds, the shells story in two
    assert feed_server.statuses("/news/iran-drones.html") == [200]
    assert feed_server.statuses("/news/dprk-shells.html") == [200]

    with open_store(tmp_path / "w.db") as store:
        assert store.count_documents() == 5
        shells = list_records(
            store, RecordFilter(supplier="PRK", recipient="RUS", category="ammunition")
        )
        assert len(shells) == 1
        urls = {ref.url for ref in shells[0].claims}
        assert f"{feed_server.base}/wire/seoul-rail-shells.html" in urls
        # three documents (story, wire copy, panel report) but two independent sources
        assert shells[0].support == 3 and shells[0].independent_sources == 2
        pdf = store.document("panel-report")
        assert pdf.text.count("\f") == 3

    alerts = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert report.alerts is not None and report.alerts.new == len(alerts) >= 2
    pairs = {(a["supplier"], a["recipient"], a["record"]["category"]) for a in alerts}
    assert ("PRK", "RUS", "ammunition") in pairs and ("PRK", "RUS", "missile") in pairs
    for alert in alerts:
        assert alert["rule"] == "dprk-russia" and alert["event"] == "new_record"
        assert alert["evidence"]["url"].startswith(feed_server.base)
        assert "Russia" in alert["evidence"]["sentence"]


def test_second_run_gets_304s_and_sends_nothing_twice(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    clock = Clock()
    alerts = tmp_path / "alerts.jsonl"
    run(tmp_path / "w.db", feed_server, clock, alerts)
    first = alerts.read_text()
    requests = len(feed_server.requests)
    clock.now += timedelta(seconds=30)  # before any failed feed is due again

    again = by_name(run(tmp_path / "w.db", feed_server, clock, alerts))
    assert again["rss"].status == again["atom"].status == "not_modified"
    assert feed_server.statuses("/rss.xml")[-1] == 304
    assert feed_server.statuses("/atom.xml")[-1] == 304
    assert again["plain"].status == again["busy"].status == "unchanged"  # same body hash
    for name in ("error", "broken", "slow"):
        assert again[name].status == "deferred"
        assert again[name].error  # reported on every run, never dropped
    new_paths = [path for _, path, _ in feed_server.requests[requests:]]
    assert sorted(new_paths) == ["/atom.xml", "/busy.xml", "/plain.xml", "/rss.xml"]
    assert alerts.read_text() == first


def test_a_failing_feed_backs_off_and_keeps_being_reported(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    clock = Clock()
    delays = []
    with open_store(tmp_path / "w.db") as store:
        for _ in range(4):
            report = watch_once(
                store,
                sources(feed_server, ("error",)),
                policy=policy(retries=0),
                now=clock,
                sleep=clock.sleep,
                rng=random.Random(3),
            )
            feed = report.feeds[0]
            assert feed.status == "failed" and feed.next_attempt is not None
            delays.append((feed.next_attempt - clock.now).total_seconds())
            clock.now = feed.next_attempt + timedelta(seconds=1)
    assert feed.failures == 4 and feed.keeps_failing
    assert delays[-1] > delays[0] * 2  # exponential, jitter of 0.5-1.5 included


def test_private_addresses_and_file_redirects_are_refused(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    with open_store(tmp_path / "w.db") as store:
        closed = watch_once(
            store, sources(feed_server, ("rss",)), policy=policy(allow_private=False)
        )
        assert closed.feeds[0].status == "refused" and "private" in str(closed.feeds[0].error)
        assert feed_server.requests == []  # nothing was sent
        redirect = watch_once(store, sources(feed_server, ("redirect-to-file",)), policy=policy())
    assert redirect.feeds[0].status == "refused"
    assert "only http and https" in str(redirect.feeds[0].error)
