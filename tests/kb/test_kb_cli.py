"""The knowledge-base commands: transfers, transfer, actor, import-sipri."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from armstrace.cli import main
from armstrace.kb.transfer_records import refresh_records
from armstrace.records import Claim, Document, Extraction
from armstrace.store import open_store

SIPRI = Path(__file__).parent / "fixtures" / "sipri_trade_register.csv"


@pytest.fixture
def db(db_url: str) -> str:
    path = db_url
    with open_store(path) as store:
        for name, day, supplier, recipient, category, status in [
            ("c1", "2024-03-05", "PRK", "RUS", "ammunition", "delivered"),
            ("c2", "2024-03-08", "PRK", "RUS", "ammunition", "denied"),
            ("c3", "2022-10-01", "IRN", "RUS", "uav", "delivered"),
        ]:
            doc = Document.make(f"text {name}", name, published=date.fromisoformat(day))
            claim = Claim(doc.id, supplier, recipient, category, status, ("x",), "ev", 0, 2)
            store.save(Extraction(doc, (claim,)))
        refresh_records(store)
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "args, expected",
    [
        ([], 2),
        (["--actor", "Iran"], 1),
        (["--supplier", "North Korea", "--embargo-only"], 1),
        (["--min-sources", "2"], 0),
        (["--category", "uav"], 1),
        (["--limit", "1"], 1),
        (["--limit", "1", "--offset", "1"], 1),
        (["--recipient", "Russia", "--status", "delivered"], 2),
        (["--since", "2023-01-01"], 1),
        (["--until", "2023-01-01"], 1),
    ],
)
def test_transfers_json(db: str, args: list[str], expected: int) -> None:
    code, out = run("transfers", "--db", db, "--format", "json", *args)
    assert code == 0, out
    assert len(json.loads(out)) == expected


def test_transfers_csv_and_table(db: str) -> None:
    code, out = run("transfers", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["supplier"] for r in rows] == ["PRK", "IRN"]
    assert rows[0]["embargo"] == "UN-1718" and rows[0]["denials"] == "1"
    code, out = run("transfers", "--db", db)
    assert code == 0 and "2 of 2 records" in out


def test_transfer_shows_who_confirms_and_denies(db: str) -> None:
    _, out = run("transfers", "--db", db, "--format", "json", "--supplier", "PRK")
    record_id = json.loads(out)[0]["id"]
    code, out = run("transfer", record_id[:8], "--db", db)
    assert code == 0, out
    assert "confirms" in out and "denies" in out and "UN-1718" in out
    code, out = run("transfer", record_id, "--db", db, "--format", "json")
    assert json.loads(out)["id"] == record_id


@pytest.mark.parametrize(
    "args, exit_code",
    [
        (["transfer", "zzzzzzzz"], 5),  # NotFoundError
        (["transfer", "ab"], 5),  # too short a prefix
        (["transfers", "--actor", "Atlantis"], 2),  # InputError
        (["transfers", "--since", "2024-05-01", "--until", "2024-01-01"], 2),
        (["actor", "Atlantis"], 5),
        (["import-sipri", "/nonexistent/file.csv"], 2),
    ],
)
def test_errors_map_to_exit_codes(db: str, args: list[str], exit_code: int) -> None:
    code, out = run(*args, "--db", db)
    assert code == exit_code and "error:" in out


def test_actor_command(db: str) -> None:
    code, out = run("actor", "RUS", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["code"] == "RUS"
    code, out = run("actor", "North Korea", "--db", db)
    assert code == 0 and "North Korea (PRK)" in out


def test_import_sipri_links_records(db: str) -> None:
    code, out = run("import-sipri", str(SIPRI), "--db", db)
    assert code == 0, out
    assert "1 of 2 transfer records match one" in out
    _, out = run("transfers", "--db", db, "--format", "json", "--actor", "IRN")
    assert [s["designation"] for s in json.loads(out)[0]["sipri"]] == ["Shahed-136"]


@pytest.mark.parametrize("command", ["transfers", "transfer", "actor", "import-sipri"])
def test_help_has_an_example(command: str) -> None:
    code, out = run(command, "--help")
    assert code == 0 and "Example:" in out
