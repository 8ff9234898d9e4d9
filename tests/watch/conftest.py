"""Fixtures of the watch tests: the feed server (tests/watch/server.py) started per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.watch.server import FeedServer, panel_pdf


@pytest.fixture(scope="session")
def report_pdf() -> bytes:
    return panel_pdf()


@pytest.fixture
def feed_server(report_pdf: bytes) -> Iterator[FeedServer]:
    server = FeedServer(slow_seconds=1.5, pdf=report_pdf).up()
    yield server
    server.down()
