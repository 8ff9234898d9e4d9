"""The embargo overlay: the shipped data file loads, the validator rejects broken entries, and
check_transfer flags the right party under the right regime on the right dates."""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from armstrace.errors import DataFileError
from armstrace.kb.embargoes import Embargo, check_transfer, in_force, load_embargoes

PROGRAMMES = Path(__file__).resolve().parents[3] / "shared" / "data" / "opensanctions-programmes"


def hits(
    supplier: str | None, recipient: str | None, on: date | None, **kwargs: Any
) -> set[tuple[str, str]]:
    return {(h.embargo.id, h.party) for h in check_transfer(supplier, recipient, on, **kwargs)}


# --- check_transfer on the shipped file -------------------------------------------------------


@pytest.mark.parametrize(
    "supplier, recipient, on, category, expected",
    [
        # UN regimes bind every state: the target side alone decides.
        ("PRK", "RUS", date(2024, 6, 14), None, {("UN-1718", "supplier")}),
        ("prk", "rus", date(2024, 6, 14), "ammunition", {("UN-1718", "supplier")}),
        ("RUS", "PRK", date(2024, 1, 10), None, {("UN-1718", "recipient")}),
        (None, "PRK", date(2023, 5, 1), "small_arms", {("UN-1718", "recipient")}),
        ("PRK", "IRN", date(2010, 1, 5), None, {("UN-1718", "supplier"), ("UN-1737", "recipient")}),
        # Iran: 2231's missile/drone annex outlived its conventional-arms restrictions.
        ("IRN", "RUS", date(2022, 9, 1), "uav", {("UN-2231-MISSILE", "supplier")}),
        ("IRN", "RUS", date(2022, 9, 1), None, {("UN-2231-MISSILE", "supplier")}),
        ("IRN", "RUS", date(2022, 9, 1), "ammunition", set()),
        ("IRN", "RUS", date(2019, 6, 1), "small_arms", {("UN-2231-ARMS", "supplier")}),
        ("IRN", "RUS", date(2023, 10, 18), "uav", {("UN-2231-MISSILE", "supplier")}),
        ("IRN", "RUS", date(2023, 10, 19), "uav", set()),
        ("IRN", "RUS", date(2025, 10, 1), "small_arms", {("UN-1747-2025", "supplier")}),
        # Nothing touches ordinary transfers.
        ("USA", "UKR", date(2023, 3, 1), None, set()),
        ("FRA", "IND", date(2016, 9, 23), "aircraft", set()),
        # EU rules bind EU suppliers only; membership is checked on the date.
        ("DEU", "RUS", date(2024, 1, 1), None, {("EU-RUS-2014", "recipient")}),
        ("CHN", "RUS", date(2024, 1, 1), None, set()),
        (None, "RUS", date(2024, 1, 1), None, set()),
        ("DEU", "RUS", date(2014, 7, 31), None, set()),
        ("GBR", "RUS", date(2019, 1, 1), None, {("EU-RUS-2014", "recipient")}),
        ("GBR", "RUS", date(2022, 3, 1), None, {("UK-RUS", "recipient")}),
        ("HRV", "SYR", date(2012, 6, 1), None, set()),
        ("HRV", "SYR", date(2014, 1, 1), None, {("EU-SYR-2011", "recipient")}),
        ("RUS", "ITA", date(2015, 5, 5), None, {("EU-RUS-2014", "supplier")}),
        # After an end date, and a successor regime with a narrower scope.
        ("FRA", "LBY", date(1999, 6, 1), None, {("EU-LBY-1986", "recipient")}),
        ("SYR", "DEU", date(2025, 6, 1), None, {("EU-SYR-2025", "supplier")}),
        ("DEU", "SYR", date(2025, 6, 1), None, set()),
        # Non-state targets, named as in actors.yaml.
        (
            "IRN",
            "Houthis",
            date(2020, 2, 2),
            None,
            {
                ("UN-2216", "recipient"),
                ("UN-2231-ARMS", "supplier"),
                ("UN-2231-MISSILE", "supplier"),
            },
        ),
        ("IRN", "Hezbollah", date(2005, 1, 1), None, set()),
        ("SYR", "hezbollah", date(2019, 1, 1), "missile", {("UN-1701", "recipient")}),
        # US rules bind the United States.
        ("USA", "CHN", date(2020, 1, 1), None, {("US-ITAR-CHN", "recipient")}),
        ("FRA", "CHN", date(2020, 1, 1), "small_arms", {("EU-CHN-1989", "recipient")}),
        # Unknown actors and a party trading with itself.
        ("XYZ", "Atlantis", date(2020, 1, 1), None, set()),
        ("RUS", "RUS", date(2024, 1, 1), None, set()),
    ],
)
def test_check_transfer(
    supplier: str | None,
    recipient: str | None,
    on: date,
    category: str | None,
    expected: set[tuple[str, str]],
) -> None:
    assert hits(supplier, recipient, on, category=category) == expected


@pytest.mark.parametrize(
    "supplier, recipient, issuers, expected",
    [
        ("DEU", "RUS", ["UN"], set()),
        ("DEU", "RUS", ["EU", "UN"], {("EU-RUS-2014", "recipient")}),
        ("USA", "CHN", ["US"], {("US-ITAR-CHN", "recipient")}),
        ("PRK", "RUS", ["EU", "US", "UK"], set()),
    ],
)
def test_check_transfer_issuers(
    supplier: str, recipient: str, issuers: list[str], expected: set[tuple[str, str]]
) -> None:
    assert hits(supplier, recipient, date(2024, 6, 1), issuers=issuers) == expected


@pytest.mark.parametrize(
    "supplier, recipient, on, fragments",
    [
        (
            "PRK",
            "RUS",
            date(2024, 6, 14),
            [
                "North Korea was under UN arms embargo UN-1718 (UNSCR 1718 (2006)",
                "on 2024-06-14",
                "bans exports of arms and related materiel",
                "from North Korea",
                "binds every state",
            ],
        ),
        (
            "DEU",
            "RUS",
            date(2024, 1, 1),
            [
                "Russia was under EU arms embargo EU-RUS-2014",
                "to Russia",
                "the supplier, Germany, is bound as an EU member state",
            ],
        ),
        (
            "IRN",
            "RUS",
            date(2022, 9, 1),
            [
                "Iran was under UN arms-related restrictions UN-2231-MISSILE",
                "missile and long-range drone items from Iran",
                "Limitation: ",
                "approval",
            ],
        ),
    ],
)
def test_reason_explains_direction_and_binding(
    supplier: str, recipient: str, on: date, fragments: list[str]
) -> None:
    [hit] = check_transfer(supplier, recipient, on)
    for fragment in fragments:
        assert fragment in hit.reason
    assert hit.actor == supplier if hit.party == "supplier" else hit.actor == recipient


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"category": "tanks"}, "unknown category"),
        ({"issuers": ["NATO"]}, "unknown issuer"),
    ],
)
def test_check_transfer_rejects_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_transfer("DEU", "RUS", date(2024, 1, 1), **kwargs)


# --- in_force ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target, on, expected",
    [
        ("IRN", date(2021, 1, 1), {"UN-2231-MISSILE", "EU-IRN-2007", "US-ITAR-IRN", "UK-IRN"}),
        ("IRN", date(2015, 1, 1), {"UN-1737", "UN-1747", "UN-1929", "EU-IRN-2007", "US-ITAR-IRN"}),
        ("PRK", date(2005, 1, 1), {"US-ITAR-PRK"}),
        ("Houthis", date(2014, 1, 1), set()),
        ("houthis", date(2016, 1, 1), {"UN-2216", "EU-YEM"}),
        ("SOM", date(2024, 1, 1), {"EU-SOM"}),
        ("al-Shabaab", date(2024, 1, 1), {"UN-2713"}),
        ("Narnia", date(2024, 1, 1), set()),
    ],
)
def test_in_force(target: str, on: date, expected: set[str]) -> None:
    assert {embargo.id for embargo in in_force(target, on)} == expected


# --- the shipped file -------------------------------------------------------------------------


def test_every_shipped_entry_loads() -> None:
    embargoes = load_embargoes()
    assert len(embargoes) >= 60
    assert len({e.id for e in embargoes}) == len(embargoes)
    assert all(isinstance(e, Embargo) and e.targets and e.legal_basis for e in embargoes)
    assert all(e.end is None or e.start <= e.end for e in embargoes)
    required = {
        "UN-1718",
        "UN-1747",
        "UN-2231-ARMS",
        "UN-2231-MISSILE",
        "UN-2216",
        "UN-1970",
        "UN-2713",
        "UN-2428",
        "UN-2127",
        "UN-1493",
        "UN-1556",
        "UN-1701",
        "UN-661",
        "UN-1267",
        "EU-RUS-2014",
        "EU-BLR-2011",
        "EU-IRN-2007",
        "EU-PRK",
        "EU-SYR-2011",
        "EU-MMR",
        "EU-CHN-1989",
        "EU-VEN",
        "EU-ZWE",
        "EU-SSD",
        "EU-SDN",
        "EU-LBY-2011",
        "EU-SOM",
        "US-ITAR-CHN",
        "US-ITAR-RUS",
        "US-EAR-RUS",
        "UK-RUS",
    }
    assert required <= {e.id for e in embargoes}


def test_shipped_file_dates_are_as_documented() -> None:
    by_id = {e.id: e for e in load_embargoes()}
    assert by_id["UN-2231-ARMS"].end == date(2020, 10, 18)
    assert by_id["UN-2231-MISSILE"].end == date(2023, 10, 18)
    assert by_id["UN-1747"].end == date(2016, 1, 16)
    assert by_id["UN-1747-2025"].start == date(2025, 9, 28)
    assert by_id["UN-1718"].binds == ("universal",)
    assert by_id["EU-RUS-2014"].binds == ("EU",)


def test_programme_keys_name_real_opensanctions_files() -> None:
    if not PROGRAMMES.is_dir():
        pytest.skip("the OpenSanctions programme files are only on developer machines")
    keys = {e.opensanctions_program for e in load_embargoes()} - {None}
    missing = sorted(k for k in keys if not (PROGRAMMES / f"{k}.yml").exists())
    assert missing == []


# --- the validator ----------------------------------------------------------------------------

VALID: dict[str, Any] = {
    "issuers": {
        "UN": {"name": "UN Security Council", "binds": "universal"},
        "EU": {"name": "European Union", "binds": "EU"},
    },
    "blocs": {"EU": [{"code": "DEU", "name": "Germany"}]},
    "names": {"RUS": "Russia"},
    "coverage": {"arms": {"label": "arms", "categories": ["small_arms", "ammunition"]}},
    "embargoes": [
        {
            "id": "EU-RUS-2014",
            "issuer": "EU",
            "targets": ["RUS"],
            "scope": {"exports_to_target": ["arms"]},
            "legal_basis": "Decision 2014/512/CFSP",
            "start": "2014-08-01",
            "end": None,
            "opensanctions_program": "EU-RUS",
            "source": "Decision 2014/512/CFSP",
        },
    ],
}


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "embargoes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_valid_file_loads_and_is_used_for_checks(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    [embargo] = load_embargoes(path)
    assert embargo.start == date(2014, 8, 1) and embargo.binds == ("EU",)
    assert hits("DEU", "RUS", None, path=path) == {("EU-RUS-2014", "recipient")}
    assert hits("DEU", "RUS", date(2024, 1, 1), category="aircraft", path=path) == set()


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("issuer", "NATO", "unknown issuer 'NATO'"),
        ("targets", [], "`targets` must be a non-empty list"),
        ("end", "2010-01-01", "start 2014-08-01 is after end 2010-01-01"),
        ("start", "1 August 2014", "`start` must be an ISO date"),
        ("start", None, "`start` is required"),
        ("scope", {"exports_to": ["arms"]}, "`scope` must map"),
        ("scope", {"exports_to_target": ["tanks"]}, "scope exports_to_target must list"),
        ("scope", {}, "`scope` must map"),
        ("legal_basis", "  ", "`legal_basis` must be non-empty text"),
        ("opensanctions_program", "eu rus", "`opensanctions_program` must be"),
        ("binds", ["Europe"], "`binds` must be"),
        ("colour", "red", "unknown keys colour"),
        ("id", "embargo one", "`id` must look like"),
    ],
)
def test_validator_rejects_a_broken_entry(
    tmp_path: Path, key: str, value: Any, message: str
) -> None:
    data = copy.deepcopy(VALID)
    data["embargoes"][0][key] = value
    with pytest.raises(DataFileError, match=re.escape(message)) as caught:
        load_embargoes(write(tmp_path, data))
    assert "embargoes.yaml" in str(caught.value)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["embargoes"][0].pop("source"), "entry EU-RUS-2014: missing source"),
        (lambda d: d["embargoes"].append(copy.deepcopy(d["embargoes"][0])), "duplicate id"),
        (lambda d: d["coverage"]["arms"].update(categories=["tanks"]), "coverage arms"),
        (lambda d: d["blocs"]["EU"].append({"code": "Germany"}), "bloc EU"),
        (lambda d: d.pop("names"), "`names` must be a mapping"),
    ],
)
def test_validator_rejects_a_broken_file(tmp_path: Path, mutate: Any, message: str) -> None:
    data = copy.deepcopy(VALID)
    mutate(data)
    with pytest.raises(DataFileError, match=re.escape(message)):
        load_embargoes(write(tmp_path, data))


def test_unreadable_yaml_is_a_data_file_error(tmp_path: Path) -> None:
    path = tmp_path / "embargoes.yaml"
    path.write_text("embargoes: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_embargoes(path)
