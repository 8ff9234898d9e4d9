"""UNROCA reports read from the three documented forms (fixtures written for the tests), the
two sides kept apart, and reconciled with the demo database: matching, mirror gaps and
undeclared records, shown in `armstrace transfer`, `armstrace reconcile` and the API."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from armstrace.cli import main
from armstrace.errors import InputError
from armstrace.kb.register import reconcile, record_register
from armstrace.kb.unroca import declaration, read_report, register_category

FIXTURES = Path(__file__).parent / "fixtures" / "unroca"
REPORTS = [str(FIXTURES / name) for name in ("deu-2023.json", "gbr-2023.csv", "fra-2023.html")]


def test_json_keeps_the_states_own_and_the_partners_report_apart() -> None:
    found = read_report(FIXTURES / "deu-2023.json")
    tanks = {d.reporter: d for d in found.declarations if d.register_code == "bt"}
    assert tanks["exporter"].reporting_state == "DEU" and tanks["exporter"].items == 18
    assert tanks["importer"].reporting_state == "UKR" and tanks["importer"].items == 14
    assert {(d.exporter, d.importer) for d in tanks.values()} == {("DEU", "UKR")}
    imported = [d for d in found.declarations if d.register_code == "mml"]
    assert {(d.exporter, d.importer, d.reporter) for d in imported} == {
        ("USA", "DEU", "importer"), ("USA", "DEU", "exporter")
    }  # fmt: skip
    assert [d.category for d in found.declarations if d.background] == ["small_arms"]
    assert ("DEU", 2022, "exports") in found.nil_reports


def test_csv_and_html_tables_read_state_year_and_direction() -> None:
    csv_found = read_report(FIXTURES / "gbr-2023.csv")
    rows = {
        (d.exporter, d.importer, d.year, d.register_code, d.items) for d in csv_found.declarations
    }
    assert rows == {("GBR", "UKR", 2023, "mml", 1200), ("GBR", "UKR", 2023, "lcas", 4)}
    html = read_report(FIXTURES / "fra-2023.html")
    (guns,) = html.declarations
    assert (guns.exporter, guns.importer, guns.intermediate) == ("FRA", "UKR", "Poland")
    assert guns.description == "Truck-mounted guns <b>155 mm</b>"  # text, kept as text
    assert ("FRA", 2023, "imports") in html.nil_reports


@pytest.mark.parametrize(
    "value, year, description, code",
    [
        ("bt_1", 2023, "", "bt"),
        ("VII", 2023, "", "mml"),
        ("VII a", 2023, "", "mnpd"),
        ("IV", 2020, "", "ca"),
        ("IV", 2020, "armed unmanned aerial vehicles", "auavf"),
        ("battle tanks", 2023, "", "bt"),
    ],
)
def test_register_categories(value: str, year: int, description: str, code: str) -> None:
    found = register_category(value, year, description)
    assert found is not None and found.code == code


def test_warship_threshold_depends_on_the_report_year() -> None:
    before, after = register_category("VI", 2005), register_category("VI", 2006)
    assert before is not None and after is not None
    assert "750" in str(before.threshold) and "500" in str(after.threshold)


@pytest.mark.parametrize("text", ["not a report at all\n", '{"country": "Germany"}'])
def test_a_file_that_is_no_report_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / ("bad.json" if text.startswith("{") else "bad.csv")
    path.write_text(text)
    with pytest.raises(InputError, match="no declarations"):
        read_report(path)


def _record(**fields: object) -> dict[str, object]:
    base = {"id": "r1", "supplier": "DEU", "recipient": "UKR", "category": "armoured_vehicle",
            "status": "delivered", "first_seen": "2023-02-01", "last_seen": "2023-03-01",
            "designations": ["Leopard 2"], "independent_sources": 2}  # fmt: skip
    return base | fields


def test_reconcile_sorts_matching_gaps_and_undeclared() -> None:
    found = read_report(FIXTURES / "deu-2023.json").declarations
    records = [_record(), _record(id="r2", supplier="POL"), _record(id="r3", category="ammunition")]
    result = reconcile(found, records)
    verdicts = {(r.register_code, r.exporter, r.importer): (r.verdict, r.gap) for r in result.rows}
    assert verdicts[("bt", "DEU", "UKR")] == ("mirror_gap", "different_numbers")
    assert verdicts[("acv", "DEU", "UKR")] == ("matching", "")
    assert verdicts[("lcas", "DEU", "LTU")] == ("mirror_gap", "exporter_only")
    # POL -> UKR tanks: delivered, nobody declared them; ammunition is outside the Register
    assert [item.record_id for item in result.undeclared] == ["r2"]
    view = record_register(_record(), found)
    assert view["declared"] and not view["undeclared"]
    assert {row["register_code"] for row in view["rows"]} == {"bt", "acv"}


def test_one_side_only_is_a_mirror_gap() -> None:
    kind = register_category("mml", 2023)
    assert kind is not None
    only = declaration(reporter="importer", reporting_state="UKR", exporter="GBR",
                       importer="UKR", year=2023, kind=kind, items=3, source="t")  # fmt: skip
    (row,) = reconcile([only], []).rows
    assert (row.verdict, row.gap, row.exporter_declared) == ("mirror_gap", "importer_only", False)


@pytest.mark.model
def test_fixtures_reconciled_with_the_demo_database(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copyfile(demo_db, db)
    runner = CliRunner()
    result = runner.invoke(main, ["import-unroca", "--db", str(db), "--format", "json", *REPORTS])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["counts"]["mirror_gap"] >= 1 and summary["counts"]["undeclared"] >= 1
    undeclared = {(u["supplier"], u["recipient"], u["category"]) for u in summary["undeclared"]}
    assert ("POL", "UKR", "armoured_vehicle") in undeclared  # nobody reported those tanks
    assert ("DEU", "UKR", "armoured_vehicle") not in undeclared

    table = runner.invoke(main, ["reconcile", "--db", str(db)])
    assert table.exit_code == 0 and "mirror_gap" in table.output and "undeclared" in table.output

    listing = ["transfers", "--db", str(db), "--format", "json", "--supplier", "DEU"]
    records = json.loads(runner.invoke(main, [*listing, "--recipient", "UKR"]).output)
    tanks = next(r for r in records if r["category"] == "armoured_vehicle")
    shown = runner.invoke(main, ["transfer", tanks["id"], "--db", str(db)])
    assert "unroca      2023 battle tanks: declared by both with different numbers" in shown.output
    poland = next(u for u in summary["undeclared"] if u["supplier"] == "POL")
    shown = runner.invoke(main, ["transfer", poland["record_id"], "--db", str(db)])
    assert "UNDECLARED" in shown.output

    from fastapi.testclient import TestClient

    from armstrace.serve.app import create_app

    with TestClient(create_app(str(db)), base_url="http://localhost") as client:
        body = client.get(f"/api/transfers/{tanks['id']}").json()
        assert body["unroca"]["declared"] and body["unroca"]["rows"]
        assert "sipri" in body  # beside the SIPRI match
        assert client.get("/api/unroca").json()["counts"] == summary["counts"]
