"""Rendered JSON of the aggregate views (graph, map, timeline, actors, stats), kept between
requests for as long as the database is unchanged.

On 50,000 claims the unfiltered graph takes about half a second to aggregate, and every
dashboard load asks for it. A view is computed once per parsed query ("Iran" and "IRN" share an
entry) and per state of the database, so any ingest, record refresh or SIPRI import, by
this server or by another process, makes the next request compute afresh. Concurrent requests
for the same view wait for one computation instead of running their own.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any

Signature = Hashable


def json_body(value: Any) -> bytes:
    """JSON as FastAPI's JSONResponse writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


class ViewCache:
    """`signature` says what state the database is in (armstrace.store.SharedEngine.signature):
    an entry computed under another signature is computed again."""

    def __init__(self, signature: Callable[[], Signature], size: int = 128) -> None:
        self.signature = signature
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Signature, bytes]] = OrderedDict()
        self._pending: dict[tuple[Hashable, Signature], Future[bytes]] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> bytes:
        """The JSON body of `key`'s view: cached, or computed (once) by `compute`."""
        signature = self.signature()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == signature:
                self._entries.move_to_end(key)
                return entry[1]
            pending = self._pending.get((key, signature))
            owner = pending is None
            if pending is None:
                pending = self._pending[(key, signature)] = Future()
        if not owner:
            return pending.result()
        try:
            body = json_body(compute())
        except BaseException as exc:
            pending.set_exception(exc)
            raise
        finally:
            with self._lock:
                self._pending.pop((key, signature), None)
        with self._lock:
            self._entries[key] = (signature, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        pending.set_result(body)
        return body

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
