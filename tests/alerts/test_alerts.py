"""Alert rules (validated YAML), changes found against the stored snapshot, and delivery: a
JSONL file, a signed webhook to a real receiver on 127.0.0.1 (down at first, then up: every
alert arrives once), and apprise's json:// to the same receiver."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from tests.alerts.receiver import Receiver

from armstrace.alerts import deliver, parse_rules, run_alerts
from armstrace.alerts.channels import (
    SIGNATURE_HEADER,
    AppriseChannel,
    JsonlChannel,
    WebhookChannel,
    summary,
)
from armstrace.alerts.events import changes, evaluate, snapshot
from armstrace.alerts.rules import load_rules
from armstrace.errors import DataFileError, InputError
from armstrace.store import open_store

SECRET = "s3cret-for-tests"


def ref(claim_id: str, status: str = "delivered", **fields: Any) -> dict[str, Any]:
    return {"claim_id": claim_id, "status": status, "date": "2024-03-04", "source": "a minister",
            "evidence": "North Korea delivered shells to Russia", "url": "https://example.org/a",
            "document_name": "a", "title": "A <script>x</script>", "outlet": "Example",
            **fields}  # fmt: skip


def record(**fields: Any) -> dict[str, Any]:
    base = {"id": "rec1", "supplier": "PRK", "supplier_name": "North Korea", "recipient": "RUS",
            "recipient_name": "Russia", "category": "ammunition", "designations": [],
            "items": ["shells"], "status": "alleged", "first_seen": "2024-03-04",
            "last_seen": "2024-03-04", "support": 1, "independent_sources": 1, "confidence": 0.3,
            "claims": [ref("c1", "alleged")], "denials": [],
            "embargo": [{"regime": "UN"}]}  # fmt: skip
    return base | fields


RULES = parse_rules({"watch": [{"name": "dprk-russia", "actors": ["PRK", "RUS"],
                                "events": ["new_record", "status_changed", "new_source",
                                           "denial"]}]})  # fmt: skip


def test_the_issues_minimal_rule_form_loads(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(
        "watch: [{name: dprk-russia, actors: [PRK, RUS], events: [new_record, status_changed]}]"
    )
    (rule,) = load_rules(path).rules
    assert rule.actors == {"PRK", "RUS"} and rule.events == {"new_record", "status_changed"}
    assert rule.matches(record()) and rule.matches(record(supplier="IRN"))
    assert not rule.matches(record(supplier="IRN", recipient="SYR"))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"watch": [{"name": "x", "actors": ["PRK"], "evnts": ["new_record"]}]}, "evnts"),
        ({"watch": [{"name": "x", "events": ["new_thing"]}]}, "events"),
        ({"watch": [{"name": "x", "categories": ["tanks"]}]}, "tanks"),
        ({"watch": [{"name": "x", "actors": ["Atlantis"]}]}, "Atlantis"),
        ({"watch": [{"name": "x"}, {"name": "x"}]}, "unique"),
        ({"rules": []}, "watch"),
    ],
)
def test_bad_rules_fail_with_what_is_wrong(data: object, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        parse_rules(data)


def test_changes_new_status_source_denial() -> None:
    before = record()
    old = {"rec1": snapshot(before)}
    assert [c.event for c in changes([before], {})] == ["new_record"]
    assert changes([before], old) == []
    after = record(
        id="rec1-rebuilt",  # a rebuild may give the record a new id: its claims still match it
        status="delivered",
        independent_sources=2,
        claims=[ref("c1", "alleged"), ref("c2", "delivered", date="2024-03-09")],
        denials=[ref("d1", "denied", source="a spokesman")],
    )
    found = {c.event: c for c in changes([after], old)}
    assert set(found) == {"status_changed", "new_source", "denial"}
    assert found["status_changed"].detail == {"from": "alleged", "to": "delivered"}
    assert found["status_changed"].claim is not None
    assert found["status_changed"].claim["claim_id"] == "c2"
    alerts = evaluate(RULES, list(found.values()), lambda claim: f"sentence of {claim}")
    assert len({a.id for a in alerts}) == 3
    denial = next(a.body for a in alerts if a.body["event"] == "denial")
    assert denial["supplier"] == "PRK" and denial["evidence"]["sentence"] == "sentence of d1"
    # the same change evaluated again gives the same ids: it is alerted once
    assert {a.id for a in evaluate(RULES, list(found.values()))} == {a.id for a in alerts}


def test_rule_filters_narrow_the_records() -> None:
    rules = parse_rules({"watch": [{"name": "uav", "recipient": ["Russia"], "categories": ["uav"],
                                    "embargo_only": True, "min_sources": 2}]})  # fmt: skip
    (rule,) = rules.rules
    assert not rule.matches(record() | {"embargo": True})  # ammunition
    assert not rule.matches(record(category="uav") | {"embargo": True})  # one source
    assert rule.matches(record(category="uav", independent_sources=2) | {"embargo": True})
    assert not rule.matches(record(category="uav", independent_sources=2) | {"embargo": False})


def test_the_webhook_signs_and_an_alert_waits_while_the_receiver_is_down(tmp_path: Path) -> None:
    receiver = Receiver()  # not started yet: the port refuses connections
    hook = WebhookChannel(receiver.url, SECRET, allow_private=True, sleep=lambda _s: None)
    jsonl = JsonlChannel(tmp_path / "alerts.jsonl")
    with open_store(":memory:") as store:
        alerts = evaluate(RULES, changes([record()], {}))
        store.commit_alerts([(a.id, a.json()) for a in alerts], [hook.key, jsonl.key], {})
        from armstrace.alerts import AlertReport

        first = AlertReport()
        deliver(store, [hook, jsonl], first)
        assert first.delivered == {hook.key: 0, jsonl.key: 1}
        assert first.pending[hook.key] == 1 and "did not take" in first.errors[hook.key]
        receiver.up()
        try:
            receiver.failing = True  # up but answering 503: still pending
            deliver(store, [hook], AlertReport())
            assert store.pending_alerts(hook.key)
            receiver.failing = False
            later = AlertReport()
            deliver(store, [hook, jsonl], later)
            assert later.delivered == {hook.key: 1, jsonl.key: 0}
            deliver(store, [hook, jsonl], AlertReport())  # and nothing twice
        finally:
            receiver.down()
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers[SIGNATURE_HEADER.lower()], expected)
    assert headers["content-type"] == "application/json"
    sent = json.loads(body)
    assert sent["id"] == alerts[0].id and (sent["supplier"], sent["recipient"]) == ("PRK", "RUS")
    assert sent["evidence"]["title"] == "A <script>x</script>"  # a JSON value, never markup
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1


def test_a_webhook_without_a_secret_or_to_a_private_address_is_refused() -> None:
    with pytest.raises(InputError, match="signing secret"):
        WebhookChannel("https://example.org/hook", None)
    hook = WebhookChannel("http://127.0.0.1:9/hook", SECRET, sleep=lambda _s: None)
    from armstrace.alerts.channels import DeliveryError

    with pytest.raises(DeliveryError, match="private"):
        hook.send("a", "{}")


def test_apprise_delivers_through_its_json_service() -> None:
    receiver = Receiver().up()
    try:
        channel = AppriseChannel(f"json://127.0.0.1:{receiver.port}/notify")
        (alert,) = evaluate(RULES, changes([record()], {}))
        channel.send(alert.id, alert.json())
    finally:
        receiver.down()
    ((_, body),) = receiver.received
    message = json.loads(body)
    assert "PRK → RUS" in message["title"] and "North Korea delivered" in message["message"]
    assert "\x00" not in summary(alert.body)[1]


def test_run_alerts_is_idempotent_over_the_store(tmp_path: Path) -> None:
    # run_alerts reads stored records; with none stored it only keeps an empty snapshot
    with open_store(":memory:") as store:
        report = run_alerts(store, RULES, [JsonlChannel(tmp_path / "a.jsonl")])
        assert (report.changes, report.new) == (0, 0)
    assert copy.deepcopy(record()) == record()
