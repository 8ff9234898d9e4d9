"""Shared fixtures: the shipped demo corpus ingested once per session, the shared dev corpus
where it exists, and empty or demo databases on both backends (SQLite and PostgreSQL)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
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


# --- the two databases ----------------------------------------------------------------------
# Store, kb, serve and CLI tests run on SQLite and on PostgreSQL. The PostgreSQL tests need a
# server: $ARMSTRACE_TEST_POSTGRES, or the local one that `make postgres` starts (as root) with
# the role and database below. Without one they skip with the reason, except when
# ARMSTRACE_REQUIRE_POSTGRES=1 (as .ci/run sets it): then they fail.

POSTGRES_VARIABLE = "ARMSTRACE_TEST_POSTGRES"
REQUIRE_POSTGRES = "ARMSTRACE_REQUIRE_POSTGRES"
LOCAL_POSTGRES = "postgresql://armstrace:armstrace@127.0.0.1:5432/armstrace_test"
BACKENDS = ("sqlite", "postgresql")


def _schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of a PostgreSQL database where tests may create schemas, or a skip (a failure
    under ARMSTRACE_REQUIRE_POSTGRES=1) that says why there is none."""
    import os

    import psycopg

    url = os.environ.get(POSTGRES_VARIABLE) or LOCAL_POSTGRES
    try:
        with psycopg.connect(
            url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=5
        ):
            pass
    except psycopg.Error as exc:
        reason = (
            f"no PostgreSQL server for the tests at {url.split('@')[-1]} ({str(exc).strip()}); "
            f"run `make postgres` as root, or set {POSTGRES_VARIABLE} to a database URL"
        )
        if os.environ.get(REQUIRE_POSTGRES) == "1":
            pytest.fail(reason + f" ({REQUIRE_POSTGRES}=1: PostgreSQL tests may not be skipped)")
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def postgres_schemas(postgres_server: str) -> Iterator[Callable[[], str]]:
    """Make fresh schemas in the test database (a URL each, with its search_path); all are
    dropped at the end of the session."""
    import uuid

    import psycopg

    made: list[str] = []
    plain = postgres_server.replace("postgresql+psycopg://", "postgresql://")

    def make() -> str:
        schema = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")  # a generated identifier, not input
        made.append(schema)
        return _schema_url(postgres_server, schema)

    yield make
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute("SET lock_timeout = '10s'")
        for schema in made:
            # a schema still locked by a connection a failed test left open stays behind
            with contextlib.suppress(psycopg.Error):
                connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[..., str]:
    """Make an empty database of the test's backend: a file under tmp_path, or a fresh
    PostgreSQL schema; returns what `--db` and open_store take."""
    if backend == "sqlite":
        return lambda name="store": str(tmp_path / f"{name}.db")
    make = request.getfixturevalue("postgres_schemas")
    return lambda name="store": make()


@pytest.fixture
def db_url(new_db: Callable[..., str]) -> str:
    """One empty database of the test's backend."""
    return new_db()


def copy_store(source: str | Path, target: str) -> None:
    """Every extraction of one store saved into another, and its records rebuilt (a PostgreSQL
    twin of a SQLite database without extracting again)."""
    from armstrace.kb.transfer_records import refresh_records
    from armstrace.store import open_store

    with open_store(source) as origin, open_store(target) as copy:
        for document in origin.documents(with_text=False):
            copy.save(origin.extraction(document.id))
        deals = origin.sipri_deal_bodies()
        if deals:
            copy.replace_sipri_deals([_deal_row(body) for body in deals])
        refresh_records(copy)


def _deal_row(body: str) -> tuple[str, str | None, str | None, str]:
    import json

    data = json.loads(body)
    return data["id"], data.get("supplier"), data.get("recipient"), body


@pytest.fixture(scope="session", params=BACKENDS)
def demo_target(request: pytest.FixtureRequest, demo_db: Path) -> str:
    """The demo database on each backend (PostgreSQL: a copy of the SQLite one). Shared by the
    session: tests that write must work on a copy."""
    if request.param == "sqlite":
        return str(demo_db)
    target = request.getfixturevalue("postgres_schemas")()
    copy_store(demo_db, target)
    return target
