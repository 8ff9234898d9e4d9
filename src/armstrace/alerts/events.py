"""What changed in the transfer records since the last run, and the alerts the rules want.

Records are compared with the snapshot the store kept of them: a record none of whose claims
was known before is new; otherwise its status, independent sources and denials are compared.
Each alert's id is derived from rule, record and change, so that a change is alerted once.
Pure functions over plain records; the store and the channels are elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from armstrace.alerts.rules import RuleSet
from armstrace.records import content_id

__all__ = ["Alert", "Change", "changes", "evaluate", "snapshot"]

RECORD_FIELDS = (
    "id",
    "supplier",
    "supplier_name",
    "recipient",
    "recipient_name",
    "category",
    "designations",
    "items",
    "status",
    "first_seen",
    "last_seen",
    "support",
    "independent_sources",
    "confidence",
)
Sentence = Callable[[str], str | None]  # claim id -> the sentence its evidence stands in


def snapshot(record: Mapping[str, Any]) -> dict[str, Any]:
    """What is kept of a record to compare the next run with."""
    return {
        "status": record["status"],
        "sources": record["independent_sources"],
        "claims": sorted(ref["claim_id"] for ref in record["claims"]),
        "denials": sorted(ref["claim_id"] for ref in record["denials"]),
    }


@dataclass(frozen=True, slots=True)
class Change:
    """One event on one record: what it is, what it was before, and the claim that shows it."""

    event: str
    record: Mapping[str, Any]
    detail: Mapping[str, Any]
    claim: Mapping[str, Any] | None  # the ClaimRef (as a dict) that carries the evidence
    key: str  # what makes this change distinct from another of the same event


def _latest(refs: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    if not refs:
        return None
    return max(refs, key=lambda ref: (ref.get("date") or "", ref["claim_id"]))


def _previous(
    record: Mapping[str, Any], old: Mapping[str, Mapping[str, Any]], by_claim: Mapping[str, str]
) -> Mapping[str, Any] | None:
    if record["id"] in old:
        return old[record["id"]]
    for ref in [*record["claims"], *record["denials"]]:
        if ref["claim_id"] in by_claim:
            return old[by_claim[ref["claim_id"]]]
    return None


def changes(
    records: Sequence[Mapping[str, Any]], old: Mapping[str, Mapping[str, Any]]
) -> list[Change]:
    """Every change of `records` against the snapshots `old` (by record id)."""
    by_claim = {claim: rid for rid, snap in old.items() for claim in snap["claims"]}
    by_claim |= {claim: rid for rid, snap in old.items() for claim in snap["denials"]}
    found: list[Change] = []
    for record in records:
        before = _previous(record, old, by_claim)
        if before is None:
            claim = _latest(record["claims"]) or _latest(record["denials"])
            found.append(Change("new_record", record, {}, claim, ""))
            continue
        if record["status"] != before["status"]:
            current = [ref for ref in record["claims"] if ref["status"] == record["status"]]
            found.append(
                Change(
                    "status_changed",
                    record,
                    {"from": before["status"], "to": record["status"]},
                    _latest(current) or _latest(record["claims"]),
                    f"{before['status']}>{record['status']}",
                )
            )
        if record["independent_sources"] > before["sources"]:
            known = set(before["claims"])
            fresh = [ref for ref in record["claims"] if ref["claim_id"] not in known]
            found.append(
                Change(
                    "new_source",
                    record,
                    {"from": before["sources"], "to": record["independent_sources"]},
                    _latest(fresh) or _latest(record["claims"]),
                    str(record["independent_sources"]),
                )
            )
        denied = set(before["denials"])
        fresh_denials = [ref for ref in record["denials"] if ref["claim_id"] not in denied]
        if fresh_denials:
            found.append(
                Change(
                    "denial",
                    record,
                    {"denied_by": sorted({ref["source"] or "(author)" for ref in fresh_denials})},
                    _latest(fresh_denials),
                    ",".join(sorted(ref["claim_id"] for ref in fresh_denials)),
                )
            )
    return found


@dataclass(frozen=True, slots=True)
class Alert:
    id: str
    body: dict[str, Any]

    def json(self) -> str:
        return json.dumps(self.body, ensure_ascii=False, sort_keys=True)


def _evidence(claim: Mapping[str, Any] | None, sentence: Sentence) -> dict[str, Any] | None:
    if claim is None:
        return None
    return {
        "claim_id": claim["claim_id"],
        "evidence": claim["evidence"],
        "sentence": sentence(claim["claim_id"]) or claim["evidence"],
        "url": claim["url"],
        "document": claim["document_name"],
        "title": claim["title"],
        "outlet": claim["outlet"],
        "date": claim["date"],
        "source": claim["source"],
        "status": claim["status"],
    }


def evaluate(
    rules: RuleSet, found: Sequence[Change], sentence: Sentence = lambda _claim: None
) -> list[Alert]:
    """The alerts that the rules ask for among the changes, one per (rule, record, change)."""
    alerts: list[Alert] = []
    for change in found:
        record = change.record
        for rule in rules.rules:
            if change.event not in rule.events or not rule.matches(_flat(record)):
                continue
            alert_id = content_id("alert", rule.name, change.event, record["id"], change.key)
            body = {
                "id": alert_id,
                "rule": rule.name,
                "event": change.event,
                "change": dict(change.detail),
                "supplier": record["supplier"],
                "recipient": record["recipient"],
                "record": {name: record[name] for name in RECORD_FIELDS}
                | {"embargo": [flag["regime"] for flag in record["embargo"]]},
                "evidence": _evidence(change.claim, sentence),
            }
            alerts.append(Alert(alert_id, body))
    return alerts


def _flat(record: Mapping[str, Any]) -> dict[str, Any]:
    return {**record, "embargo": bool(record["embargo"])}
