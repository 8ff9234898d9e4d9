"""armstrace watch: follow RSS/Atom feeds and folders, store what is new, alert on changes.

feedlist.py reads the list of sources; policy.py is the HTTP policy (address guard, timeouts,
backoff with jitter, Retry-After); fetch.py one guarded GET; state.py per-feed state (after
Media Cloud's feed fetcher); feeds.py parses feeds; articles.py turns an entry into a Document;
run.py is one run. Alerts are armstrace.alerts.
"""

from __future__ import annotations

from armstrace.watch.feedlist import WatchSource, read_feed_list
from armstrace.watch.policy import FetchPolicy, FetchRefused
from armstrace.watch.run import FeedOutcome, WatchReport, watch_once

__all__ = [
    "FeedOutcome",
    "FetchPolicy",
    "FetchRefused",
    "WatchReport",
    "WatchSource",
    "read_feed_list",
    "watch_once",
]
