"""`armstrace watch`: follow feeds and folders, store what is new, alert on what changed."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from armstrace.cli.options import db_option, min_score_option, prefilter_option
from armstrace.errors import InputError

if TYPE_CHECKING:
    from armstrace.alerts.channels import Channel
    from armstrace.watch import WatchReport

_EVERY = re.compile(r"^(\d+)\s*([smhd]?)$")
_UNITS = {"": 60, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(value: str) -> float:
    """Seconds in an interval such as 15m, 1h, 90s or 30 (minutes)."""
    match = _EVERY.match(value.strip().lower())
    if match is None or int(match.group(1)) == 0:
        raise InputError(f"--every {value!r}: give an interval such as 15m, 1h or 90s")
    return int(match.group(1)) * _UNITS[match.group(2)]


def _channels(
    alerts_out: str | None,
    webhooks: Sequence[str],
    secret_env: str,
    notify: Sequence[str],
    allow_private: bool,
) -> list[Channel]:
    from armstrace.alerts.channels import AppriseChannel, JsonlChannel, WebhookChannel

    channels: list[Channel] = []
    if alerts_out:
        channels.append(JsonlChannel(alerts_out))
    secret = os.environ.get(secret_env)
    channels += [WebhookChannel(url, secret, allow_private=allow_private) for url in webhooks]
    channels += [AppriseChannel(url) for url in notify]
    return channels


_LABELS = {
    "fetched": "fetched",
    "not_modified": "not modified",
    "unchanged": "unchanged",
    "failed": "FAILED",
    "refused": "REFUSED",
    "deferred": "waiting",
    "folder": "folder",
}


def print_report(report: WatchReport) -> None:
    feeds = report.feeds
    counts = ", ".join(
        f"{sum(1 for f in feeds if f.status == status)} {label.lower()}"
        for status, label in _LABELS.items()
        if any(f.status == status for f in feeds)
    )
    click.echo(f"{len(feeds)} sources: {counts}")
    for feed in feeds:
        line = f"  {_LABELS[feed.status]:12} {feed.source}"
        if feed.status in ("fetched", "folder"):
            line += f"  {feed.entries} entries, {feed.new} new, {feed.stored} stored"
            if feed.duplicates:
                line += f", {len(feed.duplicates)} duplicate"
        if feed.attempts > 1:
            line += f"  ({feed.attempts} tries)"
        click.echo(line)
        if feed.error:
            click.echo(f"      {feed.error}")
        if feed.status in ("failed", "refused", "deferred") and feed.next_attempt:
            since = (
                feed.last_success.isoformat(timespec="minutes") if feed.last_success else "never"
            )
            flag = "keeps failing; " if feed.keeps_failing else ""
            click.echo(
                f"      {flag}{feed.failures:g} failure(s), last success {since}, next try "
                f"after {feed.next_attempt.isoformat(timespec='minutes')}"
            )
        for text in feed.duplicates:
            click.echo(f"      duplicate  {text}")
        for text in feed.skipped:
            click.echo(f"      skipped    {text}")
    ingest = report.ingest
    click.echo(
        f"{report.stored} new documents stored, {ingest.claims} claims; "
        f"{report.records} transfer records"
    )
    alerts = report.alerts
    if alerts is not None:
        sent = ", ".join(f"{alerts.delivered[key]} to {key}" for key in alerts.delivered)
        click.echo(
            f"{alerts.new} new alerts ({alerts.changes} record changes)"
            + (f"; delivered {sent}" if sent else "")
        )
        for key, count in alerts.pending.items():
            if count:
                click.echo(
                    f"  {count} alert(s) still pending for {key} (retried next run): "
                    f"{alerts.errors.get(key, '')}"
                )


@click.command()
@click.option(
    "--feeds",
    "feeds_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="File with one RSS/Atom URL or folder per line, or an OPML file.",
)
@click.option("--rules", type=click.Path(dir_okay=False), help="Alert rules (YAML).")
@click.option("--alerts-out", type=click.Path(dir_okay=False), help="Append alerts to this JSONL.")
@click.option("--webhook", multiple=True, help="POST each alert as signed JSON to this URL.")
@click.option(
    "--webhook-secret-env",
    default="ARMSTRACE_WEBHOOK_SECRET",
    show_default=True,
    help="Environment variable holding the webhook's HMAC secret.",
)
@click.option("--notify", multiple=True, help="An apprise URL (mailto://, ntfy://, ...).")
@click.option("--once", is_flag=True, help="One run, then exit (for cron).")
@click.option("--every", default="15m", show_default=True, help="Interval between runs.")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow feeds, pages and webhooks on loopback or private addresses (refused otherwise).",
)
@click.option(
    "--timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True,
    help="Seconds to wait for a server.",
)  # fmt: skip
@db_option
@prefilter_option
@min_score_option
def watch(
    feeds_file: str,
    rules: str | None,
    alerts_out: str | None,
    webhook: tuple[str, ...],
    webhook_secret_env: str,
    notify: tuple[str, ...],
    once: bool,
    every: str,
    allow_private: bool,
    timeout: float,
    db: str | None,
    prefilter: bool,
    min_score: float | None,
) -> None:
    """Fetch feeds and folders, store new articles, and alert on new or changed records.

    Each feed is fetched with a conditional GET (ETag, Last-Modified), a failing one is retried
    with growing delays and reported on every run; alerts are sent once, and kept for the next
    run while a channel is down. See docs/watch.md for the rules file, cron and systemd.

    \b
    Example:
      armstrace watch --once --feeds feeds.txt --rules alerts.yaml \\
          --alerts-out alerts.jsonl --db arms.db
      armstrace watch --feeds feeds.txt --rules alerts.yaml --every 15m --notify ntfy://topic
    """
    from armstrace.alerts import load_rules
    from armstrace.store import open_store
    from armstrace.watch import FetchPolicy, read_feed_list, watch_once

    interval = parse_every(every)
    sources = read_feed_list(feeds_file)
    rule_set = load_rules(rules) if rules else None
    channels = _channels(alerts_out, webhook, webhook_secret_env, notify, allow_private)
    if channels and rule_set is None:
        raise InputError("alert channels were given without --rules: say what to alert on")
    policy = FetchPolicy(timeout=timeout, allow_private=allow_private)
    while True:
        with open_store(db) as store:
            report = watch_once(
                store,
                sources,
                policy=policy,
                rules=rule_set,
                channels=channels,
                prefilter=prefilter,
                min_score=min_score,
            )
        print_report(report)
        if once:
            answered = [f for f in report.feeds if f.status not in ("failed", "refused")]
            if not answered:
                raise click.exceptions.Exit(1)
            return
        try:
            time.sleep(interval)
        except KeyboardInterrupt:
            return


COMMANDS: list[click.Command] = [watch]
