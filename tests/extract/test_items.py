"""Item finding: categories of compounds, catalogue designations, calibres, quantities, usage."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from armstrace.errors import DataFileError
from armstrace.extract import items as items_module
from armstrace.extract.items import (
    find_items,
    fold,
    lookup_system,
    parse_quantity,
)
from armstrace.records import CATEGORIES
from armstrace.resources import load_yaml


def _summary(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.category) for m in find_items(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # proliferation goods: material, reactors and centrifuges are `other`, designs technology
        ("Paris shipped enriched uranium to Baghdad.", [("enriched uranium", "other")]),
        ("Moscow built a research reactor there.", [("research reactor", "other")]),
        ("The network sold used centrifuges.", [("centrifuges", "other")]),
        ("They bought centrifuge designs.", [("centrifuge designs", "technology")]),
        ("Firms sold dual-use chemicals.", [("dual-use chemicals", "other")]),
        # equipment that packages list
        ("It includes secure communications.", [("secure communications", "other")]),
        ("It includes surveillance systems.", [("surveillance systems", "sensor")]),
        ("It adds 40 riverine boats.", [("riverine boats", "ship")]),
        ("Russia offers technical help.", [("technical help", "technology")]),
        # ammunition versus the guns and launchers that fire it
        ("Seoul quietly sold 155mm shells to a third party.", [("155mm shells", "ammunition")]),
        ("The depot held 122 mm artillery rounds.", [("122 mm artillery rounds", "ammunition")]),
        ("They asked for HIMARS rockets.", [("HIMARS rockets", "ammunition")]),
        ("Kyiv received more HIMARS launchers.", [("HIMARS launchers", "artillery")]),
        ("Paris sent Caesar howitzers.", [("Caesar howitzers", "artillery")]),
        ("They sent 170mm self-propelled guns.", [("170mm self-propelled guns", "artillery")]),
        ("It offered MLRS rockets.", [("MLRS rockets", "ammunition")]),
        ("It offered rocket systems.", [("rocket systems", "artillery")]),
        # air defence keeps its missiles and parts
        ("Berlin will send Patriot missiles.", [("Patriot missiles", "air_defence")]),
        ("spare S-300 interceptors", [("S-300 interceptors", "air_defence")]),
        (
            "air-defence missiles and radars",
            [("air-defence missiles", "air_defence"), ("radars", "sensor")],
        ),
        ("Stinger missiles", [("Stinger missiles", "air_defence")]),
        # anti-tank weapons are small arms; other guided missiles are missiles
        ("anti-tank guided missiles", [("anti-tank guided missiles", "small_arms")]),
        ("Javelin missiles", [("Javelin missiles", "small_arms")]),
        ("anti-ship missiles", [("anti-ship missiles", "missile")]),
        ("laser-guided rockets", [("laser-guided rockets", "missile")]),
        ("GPS-guided bombs", [("GPS-guided bombs", "ammunition")]),
        # drones, their parts and kits; technology heads
        ("drone parts and drone kits", [("drone parts", "uav"), ("drone kits", "uav")]),
        ("components for Shahed drones", [("components for Shahed drones", "uav")]),
        ("missile technology", [("missile technology", "technology")]),
        ("drone know-how", [("drone know-how", "technology")]),
        ("a drone factory", [("drone factory", "technology")]),
        (
            "help with satellite launches and missile design documents",
            [("missile design documents", "technology")],
        ),
        # dual use, other, unspecified
        (
            "microchips and machine tools",
            [("microchips", "dual_use_components"), ("machine tools", "dual_use_components")],
        ),
        ("electronic warfare systems", [("electronic warfare systems", "other")]),
        ("chemical precursors", [("chemical precursors", "other")]),
        ("lethal aid", [("lethal aid", "military_equipment_unspecified")]),
        ("anti-tank weapons", [("anti-tank weapons", "small_arms")]),
        ("counter-battery radars", [("counter-battery radars", "sensor")]),
        (
            "Leopard 2A6 tanks and Marder vehicles",
            [("Leopard 2A6 tanks", "armoured_vehicle"), ("Marder", "armoured_vehicle")],
        ),
        ("Mi-8 helicopters", [("Mi-8 helicopters", "aircraft")]),
    ],
)
def test_categories(text: str, expected: list[tuple[str, str]]) -> None:
    assert _summary(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Overnight drone strikes hit the port.",
        "The missile attacks resumed at dawn.",
        "Pyongyang carried out two missile tests.",
        "The treaty covers arms control.",
        "They welcomed the envoy with open arms.",
        "Analysts at a think tank disagree.",
        "Rocket and drone attacks continued.",
        "He held three rounds of talks.",
        "The Tor browser hides traffic.",
        "General Abrams said nothing.",
        "The cargo vessel left port.",
    ],
)
def test_usage_and_lookalikes_yield_nothing(text: str) -> None:
    assert find_items(text) == []


def test_plural_before_a_usage_word_is_kept() -> None:
    assert _summary("The Iranian drones attack power plants.") == [("drones", "uav")]


@pytest.mark.parametrize(
    "text, designation",
    [
        ("Geran-2 drones", "Shahed-136"),
        ("Shahed 136", "Shahed-136"),
        ("Shahed136s", "Shahed-136"),
        ("the Geran-1", "Shahed-131"),
        ("Fath 360 missiles", "Fateh-360"),
        ("BM-120 missiles", "Fateh-360"),
        ("Hwasong-11 missiles", "KN-23"),
        ("Hwasong-11B", "KN-24"),
        ("SCALP missiles", "Storm Shadow"),
        ("four F-16s", "F-16"),
        ("Bradleys", "M2 Bradley"),
        ("Abrams tanks", "M1 Abrams"),
        ("Lancet drones", "Lancet"),
        ("M142 launchers", "HIMARS"),
        ("Kalashnikov rifles", "AK-47"),
        ("a Type 56 rifle", "Type 56 rifle"),
    ],
)
def test_designations(text: str, designation: str) -> None:
    items = find_items(text)
    assert [m.designation for m in items] == [designation]


def test_parenthetical_abbreviation_joins_its_item() -> None:
    text = "ammunition for the High Mobility Artillery Rocket Systems (HIMARS) and more"
    [item] = find_items(text)
    assert item.text.endswith("(HIMARS)")
    assert (item.category, item.designation) == ("ammunition", "HIMARS")


@pytest.mark.parametrize(
    "text, calibre",
    [
        ("122mm rounds", 122.0),
        ("152 mm shells", 152.0),
        ("155-millimeter artillery ammunition", 155.0),
        ("7.62x39mm ammunition", 7.62),
        ("rounds of 105 mm ammunition", 105.0),
        (".50 caliber machine guns", 12.7),
    ],
)
def test_calibre(text: str, calibre: float) -> None:
    [item] = find_items(text)
    assert item.calibre_mm == calibre
    assert item.start == 0


@pytest.mark.parametrize(
    "text, low, high, unit, approximate",
    [
        ("hundreds of", 200, 999, None, True),
        ("dozens of", 24, 99, None, True),
        ("several hundred", 300, 900, None, True),
        ("tens of thousands of", 20_000, 99_999, None, True),
        ("more than 11,000 containers", 11_000, None, "containers", True),
        ("over 20,000 shipping containers of", 20_000, None, "shipping containers", True),
        ("6 million", 6_000_000, 6_000_000, None, False),
        ("at least six million", 6_000_000, None, None, True),
        ("1.1 million", 1_100_000, 1_100_000, None, False),
        ("up to 150,000", None, 150_000, None, True),
        ("approximately 194", 194, 194, None, True),
        ("two", 2, 2, None, False),
        ("twenty-five", 25, 25, None, False),
        ("about a dozen", 12, 12, None, True),
        ("between 40 and 60", 40, 60, None, False),
        ("a significant number of", None, None, None, True),
        ("thousands of pounds of", 2_000, 9_999, "pounds", True),
    ],
)
def test_parse_quantity(
    text: str, low: float | None, high: float | None, unit: str | None, approximate: bool
) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert (quantity.low, quantity.high, quantity.unit, quantity.approximate) == (
        low,
        high,
        unit,
        approximate,
    )


@pytest.mark.parametrize("text", ["", "the", "rounds of talks", "$375 million"])
def test_parse_quantity_rejects(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    "text, quantity_text, item_text",
    [
        ("Moscow got eight Iranian-made Shahed-136 drones.", "eight", "Shahed-136 drones"),
        ("It sent well over 100 ballistic missiles.", "well over 100", "ballistic missiles"),
        ("It has shipped hundreds of Iranian drones.", "hundreds of", "drones"),
        ("They found 1.1 million rounds of ammunition.", "1.1 million", "rounds of ammunition"),
        ("Five additional counter-battery radars arrived.", "Five", "counter-battery radars"),
        (
            "It loaded more than 9,000 containers of munitions.",
            "more than 9,000 containers of",
            "munitions",
        ),
        ("a significant number of artillery shells", "a significant number of", "artillery shells"),
    ],
)
def test_quantity_before_item(text: str, quantity_text: str, item_text: str) -> None:
    [item] = find_items(text)
    assert item.text == item_text
    assert item.quantity is not None and item.quantity.text == quantity_text


@pytest.mark.parametrize(
    "text",
    ["a $375 million package of drones", "Resolution 2231 missiles", "In 2023 drones"],
)
def test_numbers_that_are_not_quantities(text: str) -> None:
    [item] = find_items(text)
    assert item.quantity is None


def test_generic_flag() -> None:
    items = find_items("arms, weapons and military equipment, and anti-tank weapons")
    assert [(m.text, m.generic) for m in items] == [
        ("arms", True),
        ("weapons", True),
        ("military equipment", True),
        ("anti-tank weapons", False),
    ]


def test_offsets_slice_the_text() -> None:
    text = "Iran sent Mohajer-6 drones, Fateh-110 missiles and 5,000 rifles to its allies."
    for item in find_items(text):
        assert text[item.start : item.end] == item.text


@pytest.mark.parametrize(
    "term, category",
    [
        ("UAV and cruise missile technology", "technology"),
        ("HIMARS ammunition", "ammunition"),
        ("Patriot air defense battery", "air_defence"),
        ("propellant for rocket-propelled grenades", "ammunition"),
        ("armored bridging systems", "armoured_vehicle"),
        ("nonsense words", None),
    ],
)
def test_category_of_the_longest_item(term: str, category: str | None) -> None:
    items = find_items(term)
    longest = max(items, key=lambda m: m.end - m.start) if items else None
    assert (longest.category if longest else None) == category


def test_lookup_system() -> None:
    system = lookup_system("Geran 2")
    assert system is not None and system.name == "Shahed-136" and system.origin == "IRN"
    assert lookup_system("Shaheds") is not None
    assert lookup_system("no such thing") is None


def test_catalogue_entries_are_valid() -> None:
    rows = load_yaml("weapons.yaml")["systems"]
    assert len(rows) >= 150
    for row in rows:
        assert row["category"] in CATEGORIES, row["name"]
        assert re.fullmatch(r"[A-Z]{3}", row["origin"]), row["name"]
        assert row["source"].strip(), row["name"]
        assert lookup_system(row["name"]) is not None, row["name"]


def test_no_alias_names_two_systems() -> None:
    owner: dict[str, str] = {}
    for row in load_yaml("weapons.yaml")["systems"]:
        for alias in [row["name"], *row.get("aliases", []), *row.get("cased", [])]:
            key = " ".join(fold(alias).split())
            assert owner.setdefault(key, row["name"]) == row["name"], alias


def test_item_terms_use_known_categories() -> None:
    data = load_yaml("item_terms.yaml")
    for row in data["terms"]:
        assert row.get("category") in (*CATEGORIES, None), row["term"]
        assert row["role"] in data["roles"], row["term"]


@pytest.mark.parametrize(
    "row, message",
    [
        (
            {
                "name": "X-1",
                "aliases": ["Geran-2"],
                "category": "uav",
                "origin": "IRN",
                "source": "s",
            },
            "names both",
        ),
        (
            {"name": "X-1", "aliases": [], "category": "drone", "origin": "IRN", "source": "s"},
            "category",
        ),
        (
            {"name": "X-1", "aliases": [], "category": "uav", "origin": "Iran", "source": "s"},
            "alpha-3",
        ),
        (
            {"name": "X-1", "aliases": [], "category": "uav", "origin": "IRN", "source": ""},
            "no source",
        ),
    ],
)
def test_broken_catalogue_fails_fast(
    monkeypatch: pytest.MonkeyPatch, row: dict[str, object], message: str
) -> None:
    real = load_yaml("weapons.yaml")
    broken = {"systems": [*real["systems"], row]}
    monkeypatch.setattr(
        items_module,
        "load_yaml",
        lambda name: broken if name == "weapons.yaml" else load_yaml(name),
    )
    items_module._lexicon.cache_clear()
    try:
        with pytest.raises(DataFileError, match=message):
            find_items("drones")
    finally:
        items_module._lexicon.cache_clear()


def test_dev_corpus_categories_are_found(dev_corpus: Path) -> None:
    """Each gold claim's category is among the items found in its document (measured: 94/95)."""
    present = total = 0
    for line in (dev_corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = (dev_corpus / "texts" / f"{row['doc']}.txt").read_text(encoding="utf-8")
        found = {m.category for m in find_items(text)}
        for claim in row["claims"]:
            total += 1
            present += claim["category"] in found
    assert present >= 0.95 * total
