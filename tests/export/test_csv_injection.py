"""CSV formula injection (issue 11): text that a spreadsheet would run as a formula leaves every
CSV writer of armstrace (`export --format csv`, `claims`/`transfers --format csv`, the API's
/api/export) with a leading single quote, as OWASP advises; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from armstrace.cli import main
from armstrace.export import export
from armstrace.export.csvfile import cell, neutralise
from armstrace.kb.transfer_records import refresh_records
from armstrace.records import Claim, Document, Extraction, Speaker
from armstrace.serve.app import create_app
from armstrace.store import open_store

HOSTILE = ('=HYPERLINK("http://x.example")', "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR")


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_starts_get_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert cell(text) == "'" + text


@pytest.mark.parametrize(
    "value, shown", [("Iran", "Iran"), (-1.5, "-1.5"), (None, ""), (True, "true")]
)
def test_other_cells_are_unchanged(value: object, shown: str) -> None:
    assert cell(value) == shown  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    document = Document.make(
        "A report written for this test about drones.",
        "=cmd|'/c calc'!A1",
        title="@SUM(1+1)",
        published=date(2024, 5, 1),
        outlet="+Outlet",
    )
    claim = Claim(
        document_id=document.id,
        supplier="IRN",
        recipient="RUS",
        category="uav",
        status="delivered",
        items=("-drones",),
        evidence="=drones",
        evidence_start=0,
        evidence_end=7,
        source="@spokesman",
        speaker=Speaker("@spokesman"),
        document_name=document.name,
    )
    with open_store(path) as store:
        store.save(Extraction(document, (claim,)))
        refresh_records(store)
    return path


def assert_neutral(text: str) -> int:
    rows = list(csv.reader(io.StringIO(text)))
    cells = [value for row in rows[1:] for value in row]
    assert any(value.startswith("'") for value in cells)
    for value in cells:
        assert not value.startswith(("=", "+", "@", "\t", "\r")), value
        assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit(), value
    return len(rows) - 1


def test_export_command_and_library(db: Path) -> None:
    with open_store(db) as store:
        for what in ("records", "claims"):
            out = io.StringIO()
            export(store, "csv", out, what=what)
            assert assert_neutral(out.getvalue()) == 1


@pytest.mark.parametrize("command", ["claims", "transfers"])
def test_listing_commands(db: Path, command: str) -> None:
    result = CliRunner().invoke(main, [command, "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert assert_neutral(result.output) == 1


def test_api_export(db: Path) -> None:
    client = TestClient(create_app(str(db)), base_url="http://localhost")
    response = client.get("/api/export?format=csv")
    assert response.status_code == 200
    assert assert_neutral(response.text) == 1
