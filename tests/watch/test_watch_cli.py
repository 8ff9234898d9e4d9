"""The issue's done-when, through the real CLI: `armstrace watch --once` against the feed
server stores the new articles, prints a summary and writes the alerts of a watched pair; a
second run fetches nothing new (304s) and sends nothing twice. Plus the parts that need no
server: the feeds file, the policy's address guard, Retry-After and backoff."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.watch.server import FeedServer

from armstrace.cli import main
from armstrace.errors import InputError
from armstrace.watch import FetchRefused, read_feed_list
from armstrace.watch.articles import canonical_url
from armstrace.watch.policy import backoff_delay, check_address, check_url, retry_after_seconds

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.model
def test_watch_once_twice_through_the_cli(tmp_path: Path, feed_server: FeedServer) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(
        "# test feeds\n"
        + "".join(f"{feed_server.base}/{name}.xml\n" for name in ("rss", "atom", "error"))
    )
    rules = tmp_path / "alerts.yaml"
    rules.write_text(
        "watch: [{name: dprk-russia, actors: [PRK, RUS], events: [new_record, status_changed]}]\n"
    )
    alerts = tmp_path / "alerts.jsonl"
    db = str(tmp_path / "arms.db")
    args = ["watch", "--once", "--feeds", str(feeds), "--rules", str(rules), "--alerts-out",
            str(alerts), "--db", db, "--allow-private", "--timeout", "2"]  # fmt: skip
    runner = CliRunner()
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "3 sources: 2 fetched, 1 failed" in first.output
    assert "5 new documents stored" in first.output
    assert "HTTP 500" in first.output and "next try after" in first.output
    written = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert written and all(
        {"supplier", "recipient", "record", "evidence"} <= set(a) for a in written
    )
    assert ("PRK", "RUS") in {(a["supplier"], a["recipient"]) for a in written}

    second = runner.invoke(main, args)
    assert second.exit_code == 0, second.output
    assert second.output.count("not modified") == 3  # the count line and both feeds
    assert "0 new documents stored" in second.output and "0 new alerts" in second.output
    assert alerts.read_text().splitlines() == [
        json.dumps(a, ensure_ascii=False, sort_keys=True) for a in written
    ]
    assert feed_server.statuses("/rss.xml") == [200, 304]


def test_docs_show_a_cron_line_and_a_systemd_unit() -> None:
    watch = (ROOT / "docs" / "watch.md").read_text()
    readme = (ROOT / "README.md").read_text()
    for text in (watch, readme):
        assert "armstrace watch --once" in text and "crontab" in text
    assert "[Service]" in watch and "[Timer]" in watch


def test_the_feeds_file(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    listing = tmp_path / "feeds.txt"
    listing.write_text(
        "# news\nhttps://example.org/rss.xml  # a comment\ninbox\n\nhttps://example.org/rss.xml\n"
    )
    found = read_feed_list(listing)
    assert [(s.kind, s.location) for s in found] == [
        ("feed", "https://example.org/rss.xml"), ("folder", str(tmp_path / "inbox"))
    ]  # fmt: skip
    listing.write_text("file:///etc/passwd\n")
    with pytest.raises(InputError, match="line 1"):
        read_feed_list(listing)
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="World">'
        '<outline text="Wire" xmlUrl="https://example.org/wire.xml"/></outline></body></opml>'
    )
    assert [s.location for s in read_feed_list(opml)] == ["https://example.org/wire.xml"]


@pytest.mark.parametrize(
    "address, allowed",
    [("8.8.8.8", True), ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.9", False),
     ("169.254.169.254", False), ("::1", False), ("::ffff:127.0.0.1", False), ("0.0.0.0", False),
     ("fd00::1", False)],
)  # fmt: skip
def test_the_address_guard(address: str, allowed: bool) -> None:
    if allowed:
        check_address(address, allow_private=False)
    else:
        with pytest.raises(FetchRefused):
            check_address(address, allow_private=False)


def test_urls_other_than_http_are_refused_before_resolving() -> None:
    def never(host: str, port: int) -> list[str]:
        raise AssertionError("resolved")

    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x/"):
        with pytest.raises(FetchRefused, match="only http and https"):
            check_url(url, allow_private=False, resolve=never)
    with pytest.raises(FetchRefused, match="private"):
        check_url("http://intranet/", allow_private=False, resolve=lambda h, p: ["10.0.0.5"])


def test_retry_after_and_backoff() -> None:
    now = datetime(2024, 3, 7, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Thu, 07 Mar 2024 12:05:00 GMT", now) == 300
    assert retry_after_seconds("soon", now) is None
    rng = random.Random(1)
    delays = [backoff_delay(n, base=60, cap=3600, rng=rng) for n in range(1, 8)]
    assert all(d >= 30 for d in delays) and max(delays) <= 3600
    assert delays[4] > delays[0]
    assert backoff_delay(1, base=60, cap=3600, retry_after=7200, rng=rng) == 7200


@pytest.mark.parametrize(
    "url, canonical",
    [
        (
            "https://WWW.Example.org:443/a/b/?utm_source=rss&id=3#top",
            "https://example.org/a/b?id=3",
        ),
        ("http://example.org/a?b=2&a=1", "http://example.org/a?a=1&b=2"),
        ("http://example.org:8080/", "http://example.org:8080/"),
    ],
)
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
