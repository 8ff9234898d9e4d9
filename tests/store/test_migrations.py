"""Store migrations: a new file gets every version, re-opening applies none, a failing migration
leaves the file as it was, and a schema newer than the code is refused; the SQLite and the
PostgreSQL series have the same versions, and PostgreSQL upgrades the same way."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from armstrace.errors import StoreError
from armstrace.records import Document, Extraction
from armstrace.store import database as backend
from armstrace.store import open_store
from armstrace.store.dialects import Dialect, PostgresDialect, split_statements


def applied(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT version, applied_at FROM schema_migrations ORDER BY 1").fetchall()


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master")}


def test_shipped_migrations_are_numbered_from_one_without_gaps() -> None:
    versions = [version for version, _ in backend.migrations()]
    assert versions == list(range(1, len(versions) + 1))


@pytest.mark.parametrize("how", ["new-file", "empty-file"])
def test_a_new_or_empty_file_gets_every_migration(tmp_path: Path, how: str) -> None:
    path = tmp_path / "fresh.db"
    if how == "empty-file":
        path.write_bytes(b"")
    with open_store(path) as store:
        latest = len(backend.migrations())
        assert store.schema_version == latest
    assert [version for version, _ in applied(path)] == list(range(1, latest + 1))
    assert {"documents", "claims", "quotes", "notes", "documents_fts"} <= tables(path)


def test_reopening_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    open_store(path).close()
    first = applied(path)
    with open_store(path) as store:
        store.save(Extraction(Document.make("Tanks were sent by rail.", "t")))
    open_store(path).close()
    assert applied(path) == first


def test_a_schema_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_migrations VALUES (999, '2099-01-01T00:00:00+00:00')")
    with pytest.raises(StoreError, match="schema version 999, newer"):
        open_store(path)


@pytest.mark.parametrize(
    "script, expected",
    [
        ("CREATE TABLE a (x); CREATE TABLE b (y);", 2),
        ("-- a comment; with a semicolon\nCREATE TABLE a (x);", 1),
        ("INSERT INTO a VALUES ('one; two');", 1),
        ("CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); "
         "INSERT INTO b VALUES (2); END; CREATE TABLE c (z);", 2),
    ],
)  # fmt: skip
def test_scripts_split_into_whole_statements(script: str, expected: int) -> None:
    statements = list(split_statements(script))
    assert len(statements) == expected
    assert all(sqlite3.complete_statement(s) for s in statements)


def with_extra(monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """Make the code believe it ships one more migration than it does."""
    series = {dialect: dialect().migrations() for dialect in (Dialect, PostgresDialect)}
    for dialect, shipped in series.items():
        extra = ((len(shipped) + 1, script),)
        monkeypatch.setattr(dialect, "migrations", lambda self, m=shipped + extra: m)


def test_a_new_migration_is_applied_to_an_older_file_and_keeps_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "upgrade.db"
    document = Document.make("Howitzers arrived by ship in spring.", "h")
    with open_store(path) as store:
        store.save(Extraction(document))
        before = store.schema_version
    with_extra(monkeypatch, "CREATE INDEX documents_outlet ON documents (outlet);")
    with open_store(path) as store:
        assert store.schema_version == before + 1
        assert store.document("h") == document
    assert "documents_outlet" in tables(path)


def test_a_failing_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "broken.db"
    open_store(path).close()
    before = (applied(path), tables(path))
    with_extra(monkeypatch, "CREATE TABLE half_done (x);\nINSERT INTO no_such_table VALUES (1);")
    with pytest.raises(StoreError, match=r"migration \d+ .*no_such_table"):
        open_store(path)
    assert (applied(path), tables(path)) == before


def test_migration_3_copies_each_records_route_out_of_its_body(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    db = sqlite3.connect(path)
    for version, sql in backend.migrations()[:2]:
        db.executescript(sql)
        db.execute(
            "INSERT INTO schema_migrations VALUES (?, '2026-01-01T00:00:00+00:00')", (version,)
        )
    body = {"via": ["Caspian Sea"], "route": [{"name": "Amirabad", "lat": 36.9, "lon": 53.4}]}
    db.execute(
        "INSERT INTO transfer_records (id, supplier, recipient, category, status, support,"
        " independent_sources, confidence, body) VALUES ('r1', 'IRN', 'RUS', 'uav', 'delivered',"
        " 1, 1, 0.5, ?)",
        (json.dumps(body),),
    )
    db.commit()
    db.close()
    with open_store(path):
        pass
    db = sqlite3.connect(path)
    row = db.execute("SELECT via, route FROM transfer_records WHERE id = 'r1'").fetchone()
    db.close()
    assert [json.loads(v) for v in row] == [["Caspian Sea"], ["Amirabad"]]


def test_both_databases_ship_the_same_schema_versions() -> None:
    """Version N means the same tables on both: a migration added to one series needs its
    twin in the other (store/migrations/ and store/migrations/postgresql/)."""
    sqlite_versions = [version for version, _ in backend.migrations("sqlite")]
    postgres_versions = [version for version, _ in backend.migrations("postgresql")]
    assert sqlite_versions == postgres_versions


def postgres_versions(url: str) -> list[int]:
    with open_store(url) as store:
        rows = store._run("SELECT version FROM schema_migrations ORDER BY 1")
        return [row[0] for row in rows]


def test_postgres_gets_every_migration_once(postgres_schemas) -> None:  # type: ignore[no-untyped-def]
    url = postgres_schemas()
    latest = len(backend.migrations("postgresql"))
    assert postgres_versions(url) == list(range(1, latest + 1))
    with open_store(url) as store:
        store.save(Extraction(Document.make("Tanks were sent by rail.", "t")))
    assert postgres_versions(url) == list(range(1, latest + 1))


def test_postgres_applies_a_new_migration_and_refuses_a_newer_schema(  # type: ignore[no-untyped-def]
    postgres_schemas, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_schemas()
    document = Document.make("Howitzers arrived by ship in spring.", "h")
    with open_store(url) as store:
        store.save(Extraction(document))
        before = store.schema_version
    with monkeypatch.context() as patch:
        with_extra(patch, "CREATE INDEX documents_outlet ON documents (outlet);")
        with open_store(url) as store:
            assert store.schema_version == before + 1
            assert store.document("h") == document
    with pytest.raises(StoreError, match=f"schema version {before + 1}, newer"):
        open_store(url)


def test_a_failing_postgres_migration_changes_nothing(  # type: ignore[no-untyped-def]
    postgres_schemas, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_schemas()
    before = postgres_versions(url)
    with_extra(
        monkeypatch, "CREATE TABLE half_done (x int);\nINSERT INTO no_such_table VALUES (1);"
    )
    with pytest.raises(StoreError, match=r"migration \d+ .*no_such_table"):
        open_store(url)
    monkeypatch.undo()
    assert postgres_versions(url) == before
    with open_store(url) as store:
        assert "half_done" not in store.dialect.tables(store._db)


def test_a_postgres_schema_of_another_application_is_refused(postgres_schemas) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    url = postgres_schemas()
    plain, _, options = url.replace("postgresql+psycopg://", "postgresql://").partition("?")
    schema = options.rsplit("%3D", 1)[1]
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f"CREATE TABLE {schema}.invoices (id int)")
    with pytest.raises(StoreError, match="not an armstrace one"):
        open_store(url)
