"""The view cache: computed once per query and database state, never stale after a write."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from armstrace.serve.cache import ViewCache
from armstrace.store.database import file_signature


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "views.db")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x INTEGER)")
    return path


class Counter:
    def __init__(self, value: Any = None) -> None:
        self.calls = 0
        self.value = value

    def __call__(self) -> Any:
        self.calls += 1
        return self.value if self.value is not None else {"n": self.calls}


def test_a_view_is_computed_once_while_the_database_is_unchanged(db: str) -> None:
    cache = ViewCache(lambda: file_signature(db))
    compute = Counter()
    assert cache.get("graph", compute) == b'{"n":1}'
    with sqlite3.connect(db) as reader:  # reads open and close connections: not a change
        reader.execute("SELECT count(*) FROM t").fetchone()
    assert cache.get("graph", compute) == b'{"n":1}'
    assert compute.calls == 1


def test_a_commit_by_any_connection_makes_the_next_request_compute(db: str) -> None:
    cache = ViewCache(lambda: file_signature(db))
    compute = Counter()
    cache.get("graph", compute)
    holder = sqlite3.connect(db)  # keeps the write-ahead log from being checkpointed away
    try:
        holder.execute("SELECT 1").fetchone()
        with sqlite3.connect(db) as writer:
            writer.execute("INSERT INTO t VALUES (1)")
        assert cache.get("graph", compute) == b'{"n":2}'
        time.sleep(0.01)
        with sqlite3.connect(db) as writer:
            writer.execute("INSERT INTO t VALUES (2)")
        assert cache.get("graph", compute) == b'{"n":3}'
    finally:
        holder.close()
    assert cache.get("graph", compute) in (b'{"n":3}', b'{"n":4}')  # a checkpoint may recompute


def test_keys_are_separate_and_the_oldest_entry_goes_first(db: str) -> None:
    cache = ViewCache(lambda: file_signature(db), size=2)
    cache.get("a", Counter({"a": 1}))
    cache.get("b", Counter({"b": 1}))
    cache.get("a", Counter({"a": 2}))  # a hit: "a" is now the newest
    cache.get("c", Counter({"c": 1}))  # evicts "b"
    again = Counter({"b": 2})
    assert cache.get("b", again) == b'{"b":2}' and again.calls == 1
    assert len(cache) == 2


def test_concurrent_requests_for_one_view_share_one_computation(db: str) -> None:
    cache = ViewCache(lambda: file_signature(db))
    release = threading.Event()
    calls = []

    def slow() -> dict[str, int]:
        calls.append(1)
        release.wait(5)
        return {"n": len(calls)}

    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("map", slow))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    release.set()
    for thread in threads:
        thread.join(5)
    assert calls == [1]
    assert results == [b'{"n":1}'] * 4


def test_a_failure_is_raised_and_not_kept(db: str) -> None:
    cache = ViewCache(lambda: file_signature(db))

    def broken() -> dict[str, int]:
        raise ValueError("no such table")

    with pytest.raises(ValueError):
        cache.get("graph", broken)
    assert cache.get("graph", Counter({"ok": True})) == b'{"ok":true}'


def test_clear_forgets_every_view(db: str) -> None:
    cache = ViewCache(lambda: file_signature(db))
    compute = Counter()
    cache.get("graph", compute)
    cache.clear()
    cache.get("graph", compute)
    assert compute.calls == 2


def test_on_postgres_a_stored_document_changes_the_signature(postgres_schemas) -> None:  # type: ignore[no-untyped-def]
    from armstrace.records import Document, Extraction
    from armstrace.store import shared_engine

    engine = shared_engine(postgres_schemas())
    try:
        cache = ViewCache(engine.signature)
        compute = Counter()
        cache.get("graph", compute)
        assert cache.get("graph", compute) == b'{"n":1}'
        with engine.open() as store:
            store.save(Extraction(Document.make("Rifles were delivered by road.", "r")))
        assert cache.get("graph", compute) == b'{"n":2}'
    finally:
        engine.dispose()
