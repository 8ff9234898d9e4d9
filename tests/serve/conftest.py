"""Shared fixtures of the serve tests: a database ingested from the shipped demo corpus.

Extraction needs the spaCy model, so the database is built once per session and copied for the
tests that write to it. Tests that use these fixtures are marked `model`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from armstrace.resources import data_path

TOKEN = "test-token-7f3a"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with the 18 demo articles ingested (and records refreshed, if any)."""
    from armstrace.jobs import ingest_paths
    from armstrace.store import open_store

    path = tmp_path_factory.mktemp("serve") / "demo.db"
    articles = sorted(str(p) for p in data_path("demo").glob("*.txt"))
    with open_store(path) as store:
        report = ingest_paths(articles, store)
        assert report.stored == len(articles), [o.reason for o in report.skipped]
        try:
            from armstrace.kb.records import refresh_records
        except ModuleNotFoundError:
            pass
        else:
            refresh_records(store)
    return path


@pytest.fixture
def writable_db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database, for tests that ingest."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(demo_db, copy)
    return copy


@pytest.fixture(scope="session")
def token() -> str:
    """The write token of the `client` app."""
    return TOKEN


@pytest.fixture(scope="session")
def client(demo_db: Path) -> Iterator[object]:
    """A TestClient over the demo database: reads open, writes with TOKEN."""
    from fastapi.testclient import TestClient

    from armstrace.serve.app import create_app

    with TestClient(create_app(str(demo_db), token=TOKEN)) as test_client:
        yield test_client
