"""Alerts: after each watch run, the transfer records are compared with what the last run saw,
the rules say which changes matter, and each alert is stored once and delivered to every
channel, retried on later runs while a channel is down.

`run_alerts` is the entry point; rules.py reads the rules file, events.py finds changes and
alerts (pure), channels.py delivers them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from armstrace.alerts.channels import Channel, DeliveryError
from armstrace.alerts.events import changes, evaluate, snapshot
from armstrace.alerts.rules import RuleSet, load_rules, parse_rules

if TYPE_CHECKING:
    from armstrace.store import Store

__all__ = ["AlertReport", "load_rules", "parse_rules", "run_alerts"]


@dataclass(slots=True)
class AlertReport:
    """What one evaluation did: alerts new this run, and deliveries per channel."""

    changes: int = 0
    new: int = 0
    delivered: dict[str, int] = field(default_factory=dict)
    pending: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def deliver(store: Store, channels: Sequence[Channel], report: AlertReport) -> None:
    """Send every pending alert of each channel, oldest first; at a channel's first failure the
    rest wait for the next run (the channel is down: no point in trying each)."""
    for channel in channels:
        pending = store.pending_alerts(channel.key)
        sent = 0
        for alert_id, body in pending:
            try:
                channel.send(alert_id, body)
            except DeliveryError as exc:
                store.mark_delivery(alert_id, channel.key, str(exc))
                report.errors[channel.key] = str(exc)
                break
            store.mark_delivery(alert_id, channel.key, None)
            sent += 1
        report.delivered[channel.key] = sent
        report.pending[channel.key] = len(pending) - sent


def run_alerts(
    store: Store, rules: RuleSet | None, channels: Sequence[Channel] = ()
) -> AlertReport:
    """Compare the records with the last snapshot, store the alerts the rules want (each once,
    with the new snapshot, in one transaction) and deliver what is pending. Without rules the
    snapshot is still kept, so that rules added later alert on what is new from then on."""
    from armstrace.kb.transfer_records import list_records

    records = [record.to_dict() for record in list_records(store, limit=None)]
    old = {key: json.loads(body) for key, body in store.record_snapshots().items()}
    found = changes(records, old)
    report = AlertReport(changes=len(found))

    def sentence(claim_id: str) -> str | None:
        try:
            return store.claim(claim_id).sentence or None
        except Exception:  # the claim is gone (a rebuild in between): the excerpt will do
            return None

    alerts = evaluate(rules, found, sentence) if rules is not None else []
    snapshots = {record["id"]: json.dumps(snapshot(record)) for record in records}
    keys = [channel.key for channel in channels]
    report.new = store.commit_alerts([(a.id, a.json()) for a in alerts], keys, snapshots)
    deliver(store, channels, report)
    return report
