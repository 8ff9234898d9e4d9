"""Shared fixtures of the serve tests, over `demo_db` (tests/conftest.py): the shipped demo corpus.

Extraction needs the spaCy model, so that database is built once per session and copied for the
tests that write to it. Tests that use these fixtures are marked `model`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

TOKEN = "test-token-7f3a"


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
def client(demo_target: str) -> Iterator[object]:
    """A TestClient over the demo database, on each backend: reads open, writes with TOKEN."""
    from fastapi.testclient import TestClient

    from armstrace.serve.app import create_app

    with TestClient(
        create_app(demo_target, token=TOKEN), base_url="http://localhost"
    ) as test_client:
        yield test_client
