"""Exports: every format validates with the tool its users open it in (CSV round-trips, GraphML
opens in networkx, GeoJSON passes a schema, FtM entities pass followthemoney validation), ids are
stable, and filters select the same items as `transfers` and `claims`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from armstrace.cli.export import FORMAT_NAMES
from armstrace.cli.export import export as export_command
from armstrace.errors import InputError
from armstrace.export import FORMATS, export, export_to_path
from armstrace.export.csvfile import cell
from armstrace.export.source import (
    CLAIM_COLUMNS,
    RECORD_COLUMNS,
    SEPARATOR,
    flat_claim,
    flat_record,
    iter_claims,
    iter_records,
)
from armstrace.kb.transfer_records import RecordFilter, TransferRecord
from armstrace.records import Claim
from armstrace.store import ALL_RECORDS, Store, open_store

WHATS = ("records", "claims")


@pytest.fixture()
def store(synthetic_db: Path) -> Iterator[Store]:
    with open_store(synthetic_db) as opened:
        yield opened


def run(store: Store, fmt: str, what: str, filters: RecordFilter = ALL_RECORDS) -> str:
    out = io.StringIO(newline="")
    export(store, fmt, out, what=what, filters=filters)
    return out.getvalue()


def rows(store: Store, what: str, filters: RecordFilter = ALL_RECORDS) -> list[dict[str, Any]]:
    if what == "records":
        return [flat_record(r) for r in iter_records(store, filters)]
    return [flat_claim(c) for c in iter_claims(store, filters)]


# --- validators, shared by the synthetic and the demo-corpus tests ------------------------------


def check_csv(text: str, store: Store, what: str) -> None:
    read = list(csv.DictReader(io.StringIO(text, newline="")))
    expected = [{key: cell(value) for key, value in row.items()} for row in rows(store, what)]
    assert read == expected
    assert list(read[0]) == list(RECORD_COLUMNS if what == "records" else CLAIM_COLUMNS)


def check_jsonl(text: str, store: Store, what: str) -> None:
    lines = [json.loads(line) for line in text.splitlines()]
    if what == "records":
        expected = [r.to_dict() for r in iter_records(store, ALL_RECORDS)]
        assert lines == expected
        assert [TransferRecord.from_dict(line).to_dict() for line in lines] == lines
    else:
        expected = [c.to_dict() for c in iter_claims(store, ALL_RECORDS)]
        assert lines == expected
        for line in lines:
            contract = {"supplier", "recipient", "via", "items", "category", "status", "source",
                        "evidence"}  # fmt: skip
            assert contract | {"id", "document_id", "record_ids"} <= set(line)


def check_graphml(text: str, store: Store, what: str) -> None:
    import networkx as nx

    graph = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    items: list[TransferRecord | Claim] = (
        list(iter_records(store, ALL_RECORDS))
        if what == "records"
        else [c.claim for c in iter_claims(store, ALL_RECORDS)]
    )
    drawn = [i for i in items if i.supplier and i.recipient]
    assert graph.is_directed() and graph.is_multigraph()
    assert graph.number_of_edges() == len(drawn)
    assert set(graph.nodes) == {code for i in drawn for code in (i.supplier, i.recipient)}
    edges = {key: (u, v, data) for u, v, key, data in graph.edges(keys=True, data=True)}
    assert set(edges) == {i.id for i in drawn}
    for item in drawn:
        u, v, data = edges[item.id]
        assert (u, v) == (item.supplier, item.recipient)
        assert data["category"] == item.category and data["status"] == item.status
        if isinstance(item, TransferRecord):
            assert data["embargo"] is bool(item.embargo)
            assert data["support"] == item.support
            assert data["confidence"] == pytest.approx(item.confidence)
    for _, data in graph.nodes(data=True):
        assert data["name"] and data["kind"]
        assert isinstance(data.get("lat", 0.0), float)


POSITION = {
    "type": "array",
    "minItems": 2,
    "maxItems": 2,
    "prefixItems": [
        {"type": "number", "minimum": -180, "maximum": 180},
        {"type": "number", "minimum": -90, "maximum": 90},
    ],
}
GEOJSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "properties": {"type": "object", "required": ["feature"]},
                    "geometry": {
                        "oneOf": [
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {"type": {"const": "Point"}, "coordinates": POSITION},
                            },
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"const": "LineString"},
                                    "coordinates": {
                                        "type": "array",
                                        "minItems": 2,
                                        "items": POSITION,
                                    },
                                },
                            },
                        ]
                    },
                },
                "if": {
                    "properties": {"geometry": {"properties": {"type": {"const": "LineString"}}}}
                },
                "then": {"properties": {"properties": {"required": ["id", "status", "category"]}}},
            },
        },
    },
}


def check_geojson(text: str, store: Store, what: str) -> dict[str, Any]:
    from jsonschema import Draft202012Validator

    data = json.loads(text)
    Draft202012Validator.check_schema(GEOJSON_SCHEMA)
    Draft202012Validator(GEOJSON_SCHEMA).validate(data)
    ids = {r["id"] for r in rows(store, what)}
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert {f["properties"]["id"] for f in lines} <= ids
    assert len({f["properties"]["id"] for f in lines}) == len(lines)
    return data


def check_ftm(text: str, store: Store, what: str) -> list[dict[str, Any]]:
    from followthemoney import model

    entities = [json.loads(line) for line in text.splitlines()]
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)  # re-cleans every value
        assert proxy.to_dict()["properties"] == data["properties"], data["id"]
        proxy.schema.validate(data)  # raises InvalidData
        missing = {p for p in proxy.schema.required if not data["properties"].get(p)}
        assert not missing, (data["schema"], missing)
        for prop, values in data["properties"].items():
            if proxy.schema.properties[prop].type.name == "entity":
                assert set(values) <= set(ids), (data["id"], prop)  # references resolve
    activities = [e for e in entities if e["schema"] == "EconomicActivity"]
    assert sorted(a["properties"]["recordId"][0] for a in activities) == sorted(
        r["id"] for r in rows(store, what)
    )
    return entities


CHECKS = {
    "csv": check_csv,
    "jsonl": check_jsonl,
    "graphml": check_graphml,
    "geojson": check_geojson,
    "ftm": check_ftm,
}


# --- synthetic store: no model ------------------------------------------------------------------


def test_registry_and_command_offer_the_same_formats() -> None:
    assert tuple(FORMATS) == FORMAT_NAMES == tuple(CHECKS)


@pytest.mark.parametrize("what, columns", [("records", RECORD_COLUMNS), ("claims", CLAIM_COLUMNS)])
def test_flat_rows_have_the_declared_columns(
    store: Store, what: str, columns: tuple[str, ...]
) -> None:
    found = rows(store, what)
    assert found and all(tuple(row) == columns for row in found)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@pytest.mark.parametrize("what", WHATS)
def test_every_format_validates(store: Store, fmt: str, what: str) -> None:
    CHECKS[fmt](run(store, fmt, what), store, what)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@pytest.mark.parametrize("what", WHATS)
def test_exports_are_byte_identical_across_runs(store: Store, fmt: str, what: str) -> None:
    assert run(store, fmt, what) == run(store, fmt, what)


def test_csv_lists_split_back_to_the_record_values(store: Store) -> None:
    text = run(store, "csv", "records")
    read = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    for record in iter_records(store, ALL_RECORDS):
        row = read[record.id]
        assert row["items"].split(SEPARATOR) == list(record.items)
        assert float(row["confidence"]) == record.confidence
        assert row["embargo"] == ("true" if record.embargo else "false")


def test_csv_keeps_quotes_newlines_and_accents_in_evidence(store: Store) -> None:
    read = list(csv.DictReader(io.StringIO(run(store, "csv", "claims"), newline="")))
    evidence = {row["evidence"] for row in read}
    assert "Officials say the shells, bound for Russia's front,\nkeep coming" in evidence
    assert 'Jane Roe said, "thousands of containers, mostly shells" left Rajin' in evidence
    assert "Ministry of Défense" in {row["source"] for row in read}


@pytest.mark.parametrize(
    "supplier, recipient, expected",
    [
        # RFC 7946 order: [lon, lat]. Pyongyang is at lat 39.03, lon 125.75.
        ("PRK", "RUS", [[125.75, 39.03], [130.3, 42.25], [130.6, 42.42], [37.62, 55.76]]),
        # supplier, transit sea, then a route point on the recipient's side, then the recipient
        ("IRN", "RUS", [[51.39, 35.69], [50.5, 42.0], [48.04, 46.35], [37.62, 55.76]]),
    ],
)
def test_geojson_lines_run_supplier_via_route_recipient(
    store: Store, supplier: str, recipient: str, expected: list[list[float]]
) -> None:
    data = check_geojson(run(store, "geojson", "records"), store, "records")
    lines = [
        f["geometry"]["coordinates"]
        for f in data["features"]
        if f["geometry"]["type"] == "LineString"
        and (f["properties"]["supplier"], f["properties"]["recipient"]) == (supplier, recipient)
        and f["properties"]["category"] in {"ammunition", "uav"}
    ]
    assert lines == [expected]


@pytest.mark.parametrize(
    "fmt, what, left_out",
    [
        ("graphml", "records", 1),  # IRN → unknown recipient: no edge
        ("graphml", "claims", 1),
        ("geojson", "records", 2),  # the unknown recipient, and the Houthis (no capital)
        ("csv", "records", 0),
        ("ftm", "claims", 0),
    ],
)
def test_summary_counts_what_a_format_cannot_show(
    store: Store, fmt: str, what: str, left_out: int
) -> None:
    summary = export(store, fmt, io.StringIO(), what=what)
    assert summary.left_out == left_out == sum(summary.reasons.values())
    assert summary.written + summary.left_out == len(rows(store, what))


def test_ftm_maps_direction_countries_and_provenance(store: Store) -> None:
    entities = check_ftm(run(store, "ftm", "records"), store, "records")
    by_id = {e["id"]: e for e in entities}
    schemata = {e["schema"] for e in entities}
    assert schemata == {"PublicBody", "Organization", "Article", "Documentation",
                        "EconomicActivity", "Sanction"}  # fmt: skip
    shells = next(
        e for e in entities
        if e["schema"] == "EconomicActivity"
        and "artillery shells" in e["properties"].get("goodsDescription", [""])[0]
        and "kp" in e["properties"].get("departureCountry", [])
    )  # fmt: skip
    props = shells["properties"]
    assert by_id[props["sender"][0]]["properties"]["country"] == ["kp"]
    assert by_id[props["receiver"][0]]["properties"]["name"] == ["Russia"]
    assert props["startDate"] == ["2024-01-10"] and props["endDate"] == ["2024-02-02"]
    # the denial's article is proof too, with the supporting ones
    assert len(props["proof"]) == 3
    assert {by_id[a]["schema"] for a in props["proof"]} == {"Article"}
    sanctions = [e for e in entities if e["schema"] == "Sanction"]
    assert {s["properties"]["programId"][0] for s in sanctions} >= {"UN-1718"}


def test_ftm_ids_are_stable_and_derived_from_content(store: Store, tmp_path: Path) -> None:
    first = [json.loads(line)["id"] for line in run(store, "ftm", "claims").splitlines()]
    second = [json.loads(line)["id"] for line in run(store, "ftm", "claims").splitlines()]
    assert first == second
    assert all(i.startswith("armstrace-") for i in first)


@pytest.mark.parametrize(
    "filters, what, expected",
    [
        (RecordFilter(supplier="IRN"), "records", 3),
        (RecordFilter(recipient="RUS", category="ammunition"), "records", 1),
        (RecordFilter(since=date(2024, 2, 1)), "records", 2),
        (RecordFilter(until=date(2023, 12, 31)), "records", 3),
        (RecordFilter(actor="Houthis"), "records", 1),
        (RecordFilter(actor="RUS"), "claims", 5),
        (RecordFilter(status="denied"), "claims", 1),
        (RecordFilter(until=date(2023, 12, 31)), "claims", 3),
        (RecordFilter(since=date(2024, 2, 1)), "claims", 3),
        (RecordFilter(since=date(2024, 1, 1), until=date(2024, 1, 31)), "claims", 1),
    ],
)
def test_filters_select_items(
    store: Store, filters: RecordFilter, what: str, expected: int
) -> None:
    assert export(store, "jsonl", io.StringIO(), what=what, filters=filters).written == expected


@pytest.mark.parametrize(
    "fmt, what, filters, message",
    [
        ("xml", "records", ALL_RECORDS, "unknown export format"),
        ("csv", "deals", ALL_RECORDS, "unknown export subject"),
        ("csv", "claims", RecordFilter(embargo_only=True), "apply to transfer records"),
        ("csv", "claims", RecordFilter(min_sources=2), "apply to transfer records"),
    ],
)
def test_bad_requests_say_what_to_do(
    store: Store, fmt: str, what: str, filters: RecordFilter, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        export(store, fmt, io.StringIO(), what=what, filters=filters)


def test_export_to_path_leaves_no_partial_file(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.csv"
    with pytest.raises(InputError, match="cannot write"):
        export_to_path(store, "csv", target)
    assert not target.parent.exists()
    ok = tmp_path / "out.csv"
    summary = export_to_path(store, "csv", ok)
    with ok.open(encoding="utf-8", newline="") as written:
        assert summary.written == len(list(csv.DictReader(written)))
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


# --- the command ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--format", "jsonl"], 5),
        (["--format", "jsonl", "--what", "claims"], 7),
        (["--format", "jsonl", "--supplier", "Iran"], 3),
        (["--format", "jsonl", "--actor", "North Korea", "--what", "claims"], 4),
        (["--format", "jsonl", "--recipient", "RUS", "--since", "2024-02-01"], 2),
        (["--format", "jsonl", "--category", "uav", "--until", "2023-12-31"], 1),
    ],
)
def test_command_writes_to_stdout_and_counts_to_stderr(
    synthetic_db: Path, args: list[str], expected: int
) -> None:
    result = CliRunner().invoke(export_command, [*args, "--db", str(synthetic_db)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == expected
    assert f"{expected} " in result.stderr and "standard output" in result.stderr


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_command_writes_a_file_that_validates(synthetic_db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"export{FORMATS[fmt].suffix}"
    result = CliRunner().invoke(
        export_command, ["--format", fmt, "--out", str(out), "--db", str(synthetic_db)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    with open_store(synthetic_db) as opened:
        CHECKS[fmt](out.read_text(encoding="utf-8"), opened, "records")


@pytest.mark.parametrize(
    "args, error",
    [
        (["--format", "csv", "--supplier", "Atlantis"], "unknown actor 'Atlantis'"),
        (["--format", "csv", "--since", "2024-05-01", "--until", "2024-01-01"], "is after until"),
    ],
)
def test_command_rejects_bad_input(synthetic_db: Path, args: list[str], error: str) -> None:
    result = CliRunner().invoke(export_command, [*args, "--db", str(synthetic_db)])
    assert isinstance(result.exception, InputError)
    assert error in str(result.exception)


def test_command_help_has_an_example() -> None:
    result = CliRunner().invoke(export_command, ["--help"])
    assert result.exit_code == 0 and "Example:" in result.output
    assert "armstrace export --format" in result.output


# --- the demo corpus, ingested with the pinned model ---------------------------------------------


@pytest.mark.model
@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@pytest.mark.parametrize("what", WHATS)
def test_demo_corpus_exports_validate(demo_db: Path, fmt: str, what: str) -> None:
    with open_store(demo_db) as opened:
        assert rows(opened, what), "the demo corpus should yield records and claims"
        CHECKS[fmt](run(opened, fmt, what), opened, what)
