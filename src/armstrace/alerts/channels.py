"""Where alerts go: a JSONL file, a webhook (a JSON POST signed with HMAC-SHA256, retried), or
any service the apprise library knows (e-mail, Matrix, Slack, ntfy ...). A channel either takes
an alert or raises DeliveryError; the outbox in the store keeps it pending until one takes it.

Alert text comes from untrusted articles: the webhook and the file carry it as JSON values, and
apprise gets it as plain text (which it escapes for HTML services), with controls removed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from armstrace.errors import ArmstraceError, InputError

__all__ = [
    "SIGNATURE_HEADER",
    "AppriseChannel",
    "Channel",
    "DeliveryError",
    "JsonlChannel",
    "WebhookChannel",
    "sign",
]

SIGNATURE_HEADER = "X-Armstrace-Signature-256"
ALERT_HEADER = "X-Armstrace-Alert"
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class DeliveryError(ArmstraceError):
    """A channel did not take an alert; it stays pending and is tried again next run."""


class Channel(Protocol):
    """`key` names the channel in the store (no secrets in it); `send` delivers or raises."""

    key: str

    def send(self, alert_id: str, body: str) -> None: ...


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: sha256= and the hex HMAC-SHA256 of the exact body."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _secret_key(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode('utf-8')).hexdigest()[:16]}"


class JsonlChannel:
    """Appends one JSON object per alert to a file; an alert already in the file (a run killed
    between writing and recording it) is not written again."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.key = f"jsonl:{self.path.resolve()}"
        self._written: set[str] | None = None

    def _ids(self) -> set[str]:
        if self._written is None:
            self._written = set()
            try:
                with self.path.open(encoding="utf-8") as handle:
                    for line in handle:
                        try:
                            self._written.add(str(json.loads(line)["id"]))
                        except (ValueError, KeyError, TypeError):
                            continue
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise DeliveryError(f"cannot read {self.path}: {exc}") from exc
        return self._written

    def send(self, alert_id: str, body: str) -> None:
        written = self._ids()
        if alert_id in written:
            return
        try:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(body.replace("\n", " ") + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise DeliveryError(f"cannot write {self.path}: {exc}") from exc
        written.add(alert_id)


class WebhookChannel:
    """POSTs each alert as JSON, signed with HMAC-SHA256 over the exact body bytes in the
    X-Armstrace-Signature-256 header; a failed POST (no answer, a non-2xx) is retried a few
    times with backoff, then left pending for the next run. The URL passes watch's address
    guard (private addresses only with allow_private)."""

    def __init__(
        self,
        url: str,
        secret: str | None,
        *,
        allow_private: bool = False,
        timeout: float = 10.0,
        retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not secret:
            raise InputError(
                "a webhook needs a signing secret: set ARMSTRACE_WEBHOOK_SECRET (or "
                "--webhook-secret-env NAME) so the receiver can check each alert"
            )
        self.url = url
        self.key = _secret_key("webhook", url)
        self._secret = secret
        self._allow_private = allow_private
        self._timeout = timeout
        self._retries = retries
        self._sleep = sleep

    def send(self, alert_id: str, body: str) -> None:
        import httpx

        from armstrace.watch.policy import FetchRefused, backoff_delay, check_url

        data = body.encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(self._secret, data),
            ALERT_HEADER: alert_id,
        }
        problem = "not tried"
        for attempt in range(1, self._retries + 2):
            try:
                check_url(self.url, allow_private=self._allow_private)
                with httpx.Client(timeout=self._timeout, trust_env=False) as client:
                    response = client.post(self.url, content=data, headers=headers)
                if 200 <= response.status_code < 300:
                    return
                problem = f"HTTP {response.status_code}"
            except FetchRefused as exc:
                raise DeliveryError(str(exc)) from exc
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if attempt <= self._retries:
                self._sleep(backoff_delay(attempt, base=0.5, cap=10.0, rng=random.Random()))
        raise DeliveryError(f"webhook {self.url} did not take the alert ({problem})")


def _plain(text: Any, width: int) -> str:
    text = _CONTROLS.sub(" ", str(text or ""))
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summary(body: dict[str, Any]) -> tuple[str, str]:
    """A title and a plain-text message for a person reading an alert."""
    record = body["record"]
    pair = f"{record['supplier'] or '?'} → {record['recipient'] or '?'}"
    title = f"armstrace [{body['rule']}] {body['event'].replace('_', ' ')}: {pair}"
    lines = [
        f"{pair} {record['category']}, {record['status']}, "
        f"{record['independent_sources']} independent source(s)",
    ]
    if body["change"]:
        lines.append("change: " + json.dumps(body["change"], ensure_ascii=False))
    evidence = body.get("evidence")
    if evidence:
        lines.append(f"“{_plain(evidence['sentence'], 400)}”")
        lines.append(f"{_plain(evidence['outlet'], 80)} {_plain(evidence['url'], 300)}")
    lines.append(f"record {record['id']}")
    return _plain(title, 200), "\n".join(lines)


class AppriseChannel:
    """Any notification service apprise supports (mailto://, matrix://, ntfy://, json:// ...);
    the URL may hold credentials, so only its hash names the channel in the store."""

    def __init__(self, url: str) -> None:
        import apprise

        self._apprise = apprise.Apprise()
        if not self._apprise.add(url):
            raise InputError(
                "apprise does not understand the notification URL given to --notify; see "
                "https://github.com/caronc/apprise/wiki for the URL of each service"
            )
        self.key = _secret_key("apprise", url)

    def send(self, alert_id: str, body: str) -> None:
        import apprise

        title, message = summary(json.loads(body))
        ok = self._apprise.notify(title=title, body=message, body_format=apprise.NotifyFormat.TEXT)
        if not ok:
            raise DeliveryError("apprise could not deliver the notification")
