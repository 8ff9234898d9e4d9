"""Parse the bytes of an RSS or Atom feed (feedparser) into typed entries.

feedparser is only ever given bytes, never a string it could take for a URL or a path to open.
A feed it cannot read at all is an InputError; one it reads with complaints keeps its entries
and says what was wrong.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from armstrace.errors import InputError
from armstrace.records import content_id

__all__ = ["FeedEntry", "ParsedFeed", "parse_feed"]


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed: its link, the feed's own date for it, title and summary."""

    key: str  # the entry's guid/id, or else its link: what "seen before" is decided on
    link: str
    title: str | None
    published: date | None  # the feed's date, kept beside the page's own
    summary: str | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]
    warnings: tuple[str, ...] = ()


def _day(entry: Any) -> date | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                year, month, day, hour, minute, second = value[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC).date()
            except (TypeError, ValueError):
                continue
    return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def parse_feed(body: bytes, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """The entries of a feed body fetched from `url`; InputError when it has no readable feed."""
    import feedparser

    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": url, **(headers or {})},
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and not isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe):
        # Not well-formed XML: what the lenient parser salvages may be half an entry, so the
        # feed is reported as failed this run rather than stored from a guess.
        raise InputError(f"malformed feed: {type(problem).__name__}: {problem}")
    version = parsed.get("version") or ""
    entries = []
    for raw in parsed.entries:
        link = _text(raw.get("link"))
        if not link:
            continue
        key = _text(raw.get("id")) or link
        entries.append(
            FeedEntry(
                key=content_id(url, key),
                link=link,
                title=_text(raw.get("title")),
                published=_day(raw),
                summary=_text(raw.get("summary")),
            )
        )
    if not version and not entries:
        raise InputError("not an RSS or Atom feed (no channel or feed element, no entries)")
    warnings = (f"feed read despite: {problem}",) if problem is not None else ()
    title = _text(parsed.feed.get("title")) if parsed.get("feed") else None
    return ParsedFeed(title, tuple(entries), warnings)
