"""The catalogues of named systems (weapons.yaml) and of defence companies (companies.yaml)."""

from __future__ import annotations

import re

import pytest

from armstrace.errors import DataFileError
from armstrace.extract import companies as companies_module
from armstrace.extract.companies import companies, find_companies
from armstrace.extract.items import find_items, fold, lookup_system
from armstrace.resources import load_yaml

# --- weapons.yaml --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, item, category, designation",
    [
        # air defence
        ("approved two THAAD batteries", "THAAD batteries", "air_defence", "THAAD"),
        ("Serbia received FK-3 systems", "FK-3 systems", "air_defence", "HQ-22"),
        ("it ordered HQ-16FE launchers", "HQ-16FE launchers", "air_defence", "HQ-16"),
        ("the SPYDER systems arrived", "SPYDER systems", "air_defence", "SPYDER"),
        ("a VL MICA battery", "VL MICA battery", "air_defence", "VL MICA"),
        ("Aster 30 missiles", "Aster 30 missiles", "air_defence", "Aster"),
        ("Sky Sabre launchers", "Sky Sabre launchers", "air_defence", "CAMM"),
        ("S-300PMU2 batteries", "S-300PMU2 batteries", "air_defence", "S-300"),
        ("Buk-M2E launchers", "Buk-M2E launchers", "air_defence", "Buk"),
        ("ZU-23-2 anti-aircraft guns", "ZU-23-2 anti-aircraft guns", "air_defence", "ZU-23-2"),
        ("SM-6 interceptors", "SM-6 interceptors", "air_defence", "SM-6"),
        # aircraft
        ("Pakistan's J-35 jets", "J-35 jets", "aircraft", "J-35"),
        ("Typhoon jets for Qatar", "Typhoon jets", "aircraft", "Eurofighter Typhoon"),
        ("Su-30MK2 fighter jets", "Su-30MK2 fighter jets", "aircraft", "Su-30"),
        ("F-16C jets", "F-16C jets", "aircraft", "F-16"),
        ("Mi-17V5 helicopters", "Mi-17V5 helicopters", "aircraft", "Mi-17"),
        ("it bought Black Hawks", "Black Hawks", "aircraft", "UH-60 Black Hawk"),
        ("H225M helicopters", "H225M helicopters", "aircraft", "H225M Caracal"),
        ("Sea King helicopters", "Sea King helicopters", "aircraft", "Westland Sea King"),
        ("K-8 jets", "K-8 jets", "aircraft", "K-8 Karakorum"),
        (
            "A-29 Super Tucano aircraft",
            "A-29 Super Tucano aircraft",
            "aircraft",
            "A-29 Super Tucano",
        ),
        # drones
        ("Bayraktar TB3 drones", "Bayraktar TB3 drones", "uav", "Bayraktar TB3"),
        ("Hermes 450 drones", "Hermes 450 drones", "uav", "Hermes 450"),
        ("Harpy drones", "Harpy drones", "uav", "IAI Harpy"),
        ("Orbiter drones", "Orbiter drones", "uav", "Orbiter"),
        ("KUB-BLA loitering munitions", "KUB-BLA loitering munitions", "uav", "KUB-BLA"),
        # armour
        ("Boxer vehicles", "Boxer vehicles", "armoured_vehicle", "Boxer"),
        ("KTO Rosomak carriers", "KTO Rosomak", "armoured_vehicle", "KTO Rosomak"),
        ("T-72B3M tanks", "T-72B3M tanks", "armoured_vehicle", "T-72"),
        ("BMP-3F", "BMP-3F", "armoured_vehicle", "BMP"),
        ("Leopard 2A8 tanks", "Leopard 2A8 tanks", "armoured_vehicle", "Leopard 2"),
        ("Al-Khalid tanks", "Al-Khalid tanks", "armoured_vehicle", "Al-Khalid"),
        ("NIMR vehicles", "NIMR vehicles", "armoured_vehicle", "NIMR"),
        # artillery
        ("Homar-K launchers", "Homar-K launchers", "artillery", "K239 Chunmoo"),
        ("ATMOS howitzers", "ATMOS howitzers", "artillery", "ATMOS 2000"),
        ("Pinaka launchers", "Pinaka launchers", "artillery", "Pinaka"),
        ("2S7 Pion guns", "2S7 Pion guns", "artillery", "2S7 Pion"),
        # ships
        ("a Hangor-class submarine", "Hangor-class submarine", "ship", "Hangor-class submarine"),
        ("two Type 054A/P frigates", "Type 054A/P frigates", "ship", "Type 054A frigate"),
        ("FREMM frigates", "FREMM frigates", "ship", "FREMM"),
        ("Gowind corvettes", "Gowind corvettes", "ship", "Gowind"),
        ("Scorpene submarines", "Scorpene submarines", "ship", "Scorpène"),
        ("MEKO A-200 frigates", "MEKO A-200 frigates", "ship", "MEKO A-200"),
        # missiles and anti-tank weapons
        ("Exocet missiles", "Exocet missiles", "missile", "Exocet"),
        ("JASSM-ER missiles", "JASSM-ER missiles", "missile", "JASSM"),
        ("Scud missiles", "Scud missiles", "missile", "Scud"),
        ("Rodong missiles", "Rodong missiles", "missile", "Nodong"),
        ("Milan missiles", "Milan missiles", "small_arms", "MILAN"),
        ("Metis-M launchers", "Metis-M launchers", "small_arms", "Metis-M"),
        ("Paveway IV bombs", "Paveway IV bombs", "ammunition", "Paveway"),
    ],
)
def test_new_systems_are_found(text: str, item: str, category: str, designation: str) -> None:
    found = [(m.text, m.category, m.designation) for m in find_items(text)]
    assert (item, category, designation) in found, found


@pytest.mark.parametrize(
    "alias, name",
    [
        ("Terminal High Altitude Area Defense", "THAAD"),
        ("FD-2000", "HQ-9"),
        ("LY-80", "HQ-16"),
        ("Cheongung", "Cheongung"),
        ("Sky Sabre", "CAMM"),
        ("SA-6", "2K12 Kub"),
        ("FC-31", "J-35"),
        ("EC725", "H225M Caracal"),
        ("KC-390", "C-390 Millennium"),
        ("Akinci", "Bayraktar Akinci"),
        ("Inokhodets", "Kronshtadt Orion"),
        ("Tughril-class", "Type 054A frigate"),
        ("Babur-class", "MILGEM"),
        ("Kalvari-class", "Scorpène"),
        ("F-15K", "F-15"),
        ("F-16 Block 72", "F-16"),
        ("Su-30MKM", "Su-30"),
        ("Mi-171Sh", "Mi-17"),
        ("MiG-29SMT", "MiG-29"),
        ("M1A2T", "M1 Abrams"),
        ("Homar-A", "HIMARS"),
        ("K9 Vajra", "K9 Thunder"),
        ("AGM-158", "JASSM"),
        ("MM40", "Exocet"),
        ("Hwasong-6", "Scud"),
        ("9M14", "Malyutka"),
        ("Msta-B", "2A65 Msta-B"),
        ("Msta-S", "2S19 Msta-S"),
    ],
)
def test_lookup_system_resolves_aliases(alias: str, name: str) -> None:
    system = lookup_system(alias)
    assert system is not None and system.name == name


def test_related_systems_are_not_merged() -> None:
    """A successor or a sibling is its own system, not an alias of its relative."""
    assert lookup_system("Hermes 450").name == "Hermes 450"  # type: ignore[union-attr]
    assert lookup_system("Hermes 900").name == "Hermes 900"  # type: ignore[union-attr]
    assert lookup_system("Harpy").name == "IAI Harpy"  # type: ignore[union-attr]
    assert lookup_system("Harop").name == "Harop"  # type: ignore[union-attr]
    assert lookup_system("Grom MANPADS").name == "Grom MANPADS"  # type: ignore[union-attr]
    assert lookup_system("Piorun").name == "Piorun"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "Typhoon Haiyan hit the Philippines.",
        "MILAN (Reuters) - Shares fell.",
        "The Rodong Sinmun said so.",
        "Nimr al-Nimr was executed.",
        "Most K-8 schools reopened.",
        "Citius, Altius, Fortius.",
        "The boxer retired; Boxer said nothing.",
        "Tokens like p8, Z9 and vN-1 are not designations.",
        "DANA floods hit Valencia.",
        "Tejas Express runs daily.",
        "Leonardo da Vinci painted.",
    ],
)
def test_ordinary_words_are_not_systems(text: str) -> None:
    assert [m for m in find_items(text) if m.designation] == []


def _forms(row: dict[str, object]) -> list[tuple[str, bool]]:
    cased = set(row.get("cased", []))  # type: ignore[call-overload]
    forms = [row["name"], *row.get("aliases", []), *row.get("cased", [])]  # type: ignore[misc]
    return [(str(form), form in cased) for form in forms]


def test_no_form_names_two_systems() -> None:
    """Across the whole file, also for the run-together forms the matcher adds ("Su35")."""
    owner: dict[str, str] = {}
    for row in load_yaml("weapons.yaml")["systems"]:
        for form, cased in _forms(row):
            key = " ".join(fold(form).split())
            keys = {key}
            if not cased:
                keys.add(re.sub(r"(?<=[a-z]) (?=\d)|(?<=\d) (?=[a-z])", "", key))
            for k in keys:
                assert owner.setdefault(k, row["name"]) == row["name"], (form, owner[k])


def test_every_system_has_a_source_and_resolves() -> None:
    for row in load_yaml("weapons.yaml")["systems"]:
        assert str(row["source"]).strip(), row["name"]
        for form, _ in _forms(row):
            system = lookup_system(form)
            assert system is not None and system.name == row["name"], form


# --- companies.yaml ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Turkey's Baykar will deliver drones.", [("Baykar", "Baykar", "TUR")]),
        ("a Rosoboronexport contract", [("Rosoboronexport", "Rosoboronexport", "RUS")]),
        ("Almaz Antey and NORINCO", [("Almaz Antey", "RUS"), ("NORINCO", "CHN")]),
        ("TUSAŞ, or TUSAS", [("TUSAŞ", "TUR"), ("TUSAS", "TUR")]),
        ("MBDA and MBDA UK", [("MBDA", "FRA"), ("MBDA UK", "GBR")]),
        ("BAE Systems Bofors", [("BAE Systems Bofors", "SWE")]),
        ("Rheinmetall Air Defence", [("Rheinmetall Air Defence", "CHE")]),
        ("General Dynamics Land Systems-Canada", [("General Dynamics Land Systems-Canada", "CAN")]),
        ("KNDS Deutschland and KNDS France", [("KNDS Deutschland", "DEU"), ("KNDS France", "FRA")]),
        ("KAI and Hanwha Aerospace", [("KAI", "KOR"), ("Hanwha Aerospace", "KOR")]),
        ("Colt’s Manufacturing Company", [("Colt’s Manufacturing Company", "USA")]),
        ("Heckler & Koch rifles", [("Heckler & Koch", "DEU")]),
        ("Rafael Advanced Defense Systems", [("Rafael Advanced Defense Systems", "ISR")]),
        (
            "Israel Aerospace Industries (IAI)",
            [("Israel Aerospace Industries", "ISR"), ("IAI", "ISR")],
        ),
        ("Bharat Dynamics and HAL", [("Bharat Dynamics", "IND"), ("HAL", "IND")]),
        ("Zastava Arms and Yugoimport-SDPR", [("Zastava Arms", "SRB"), ("Yugoimport-SDPR", "SRB")]),
        ("Patria and Saab", [("Patria", "FIN"), ("Saab", "SWE")]),
    ],
)
def test_find_companies(text: str, expected: list[tuple[str, ...]]) -> None:
    mentions = find_companies(text)
    assert [(m.text, m.country) for m in mentions] == [(e[0], e[-1]) for e in expected]
    for mention, row in zip(mentions, expected, strict=True):
        assert text[mention.start : mention.end] == mention.text
        if len(row) == 3:
            assert mention.name == row[1]


@pytest.mark.parametrize(
    "text",
    [
        "Rafael Grossi visited the plant.",
        "Arsenal beat Chelsea.",
        "a pine forest: green pine trees, a colt and a foal",
        "that was an edge case for the patria potestad",
        "the carrier strike group (CSG) sailed; Kai said hal",
        "the Arsenalization of Baykarish words",
    ],
)
def test_ordinary_words_are_not_companies(text: str) -> None:
    assert find_companies(text) == []


def test_company_catalogue_is_valid() -> None:
    states = {row["code"] for row in load_yaml("actors.yaml")["states"]}
    catalogue = companies()
    assert len(catalogue) >= 80
    for company in catalogue.values():
        assert company.country in states, company.name
        assert company.source.strip(), company.name
    assert catalogue["MBDA"].note and "FRA" in catalogue["MBDA"].note


@pytest.mark.parametrize(
    "row, message",
    [
        (
            {"name": "X", "aliases": ["Baykar Makina"], "country": "TUR", "source": "s"},
            "names both",
        ),
        ({"name": "X", "aliases": [], "country": "Turkey", "source": "s"}, "alpha-3"),
        ({"name": "X", "aliases": [], "country": "TUR", "source": ""}, "no source"),
        ({"name": "X", "aliases": "Y", "country": "TUR", "source": "s"}, "list of names"),
        ({"name": "X", "alias": ["Y"], "country": "TUR", "source": "s"}, "unknown fields"),
        ({"name": "Baykar", "country": "TUR", "source": "s"}, "listed twice"),
    ],
)
def test_broken_company_catalogue_fails_fast(
    monkeypatch: pytest.MonkeyPatch, row: dict[str, object], message: str
) -> None:
    real = load_yaml("companies.yaml")
    broken = {"companies": [*real["companies"], row]}
    monkeypatch.setattr(
        companies_module,
        "load_yaml",
        lambda name: broken if name == "companies.yaml" else load_yaml(name),
    )
    companies_module._catalogue.cache_clear()
    try:
        with pytest.raises(DataFileError, match=message):
            find_companies("Baykar")
    finally:
        companies_module._catalogue.cache_clear()
