"""Shared fixtures: the shipped demo corpus ingested once per session and, where it exists, the
shared dev corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV_CORPUS = ROOT.parent / "shared" / "dev-corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.expected.jsonl from the current extraction (review the diff)",
    )


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """The shared dev corpus; tests that need it skip cleanly on a user's fresh clone."""
    if not (DEV_CORPUS / "gold.jsonl").exists():
        pytest.skip("../shared/dev-corpus is not present (it is only on developer machines)")
    return DEV_CORPUS


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the shipped demo corpus ingested, records included (needs the pinned
    model). Built once per session and shared: tests that write must work on a copy."""
    from armstrace.jobs import ingest_paths
    from armstrace.resources import data_path
    from armstrace.store import open_store

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    articles = sorted(str(p) for p in data_path("demo").glob("*.txt"))
    with open_store(path) as store:
        report = ingest_paths(articles, store)  # which also refreshes the transfer records
        assert report.stored == len(articles), [o.reason for o in report.skipped]
    return path
