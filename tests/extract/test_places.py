"""Place mentions: gazetteer matching, via labels and route-point checks (no model needed)."""

from __future__ import annotations

import pytest

from armstrace.errors import DataFileError
from armstrace.extract import places
from armstrace.extract.places import (
    KINDS,
    Place,
    find_places,
    gazetteer,
    is_inside,
    lookup_place,
    via_label,
)
from armstrace.records import PlaceMention


def names(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.name) for m in find_places(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # transliteration variants resolve to one entry
        ("Freight wagons waited at Khasan for days.", [("Khasan", "Khasan")]),
        ("The train left Hasan station at dawn.", [("Hasan", "Khasan")]),
        ("Officials said Hasan had resigned.", []),  # a person, no rail cue nearby
        ("Trucks reached Rason on Monday.", [("Rason", "Rajin")]),
        ("The vessel docked at Rajin.", [("Rajin", "Rajin")]),
        ("Cargo moved through Tumangang.", [("Tumangang", "Tumangang")]),
        (
            "Containers crossed the Tumen River bridge.",
            [("Tumen River bridge", "Tumen River bridge")],
        ),
        # longest match wins: the sea, not the bare gulf
        ("A dhow was stopped in the Gulf of Oman.", [("Gulf of Oman", "Gulf of Oman")]),
        ("Tankers sailed into the Gulf last week.", [("Gulf", "Persian Gulf")]),
        ("Ministers of the Gulf Cooperation Council met.", []),
        ("a gulf separates the two positions", []),  # lower case is not a place
        ("Exports went to the Gulf states and Egypt.", [("Gulf states", "Gulf states")]),
        ("He served in the Gulf War.", []),
        ("Patrols in the Gulf of Aden increased.", [("Gulf of Aden", "Gulf of Aden")]),
        ("The ship passed Aden.", [("Aden", "Aden")]),
        # lower-case compass adjectives still name the region
        ("weapons bound for north Africa", [("north Africa", "North Africa")]),
        (
            "Buyers in North Africa and the Middle East",
            [
                ("North Africa", "North Africa"),
                ("Middle East", "Middle East"),
            ],
        ),
        ("drones sold across central Asia", [("central Asia", "Central Asia")]),
        ("The Caspian Sea route and the Caspian flotilla", [("Caspian Sea", "Caspian Sea")]),
        (
            "Shipped across the Caspian to Astrakhan.",
            [
                ("Caspian", "Caspian Sea"),
                ("Astrakhan", "Astrakhan"),
            ],
        ),
        (
            "Drones are assembled at Alabuga in Tatarstan.",
            [
                ("Alabuga", "Alabuga"),
                ("Tatarstan", "Tatarstan"),
            ],
        ),
        ("The Yelabuga plant expanded.", [("Yelabuga", "Alabuga")]),
        ("Ships crossed the Bab el-Mandeb strait.", [("Bab el-Mandeb", "Bab el-Mandeb")]),
        ("They met in the Baltic states.", [("Baltic states", "Baltics")]),
        # a region is not a country, and a country name is not a place here
        ("Iran sent drones to Russia.", []),
        ("Port Sudan received a cargo.", [("Port Sudan", "Port Sudan")]),
        ("Seaborne cargo reached Gulfport.", []),
        ("", []),
    ],
)
def test_find_places(text: str, expected: list[tuple[str, str]]) -> None:
    assert names(text) == expected


def test_offsets_point_into_the_text() -> None:
    text = "From Bandar Anzali across the Caspian Sea to Makhachkala."
    for mention in find_places(text):
        assert text[mention.start : mention.end] == mention.text
    assert [m.kind for m in find_places(text)] == ["port", "sea", "port"]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Hasan", ("Khasan", "rail", "RUS")),
        ("rason", ("Rajin", "port", "PRK")),
        ("Sea of Japan", ("Sea of Japan", "sea", None)),
        ("East Sea", ("Sea of Japan", "sea", None)),
        ("Hormuz Strait", ("Strait of Hormuz", "strait", None)),
        ("Kiev", ("Kyiv", "town", "UKR")),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_lookup_place(name: str, expected: tuple[str, str, str | None] | None) -> None:
    place = lookup_place(name)
    got = None if place is None else (place.name, place.kind, place.country)
    assert got == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Caspian Sea", "Caspian Sea"),
        ("Middle East", "Middle East"),
        ("Strait of Hormuz", "Strait of Hormuz"),
        ("Tartus", "SYR"),  # a point in a third country: its country
        ("Bandar Abbas", "IRN"),
        ("Crimea", "UKR"),  # a region inside one country counts as that country
    ],
)
def test_via_label(name: str, expected: str) -> None:
    place = lookup_place(name)
    assert place is not None
    assert via_label(place) == expected


def test_via_label_of_a_mention() -> None:
    (mention,) = find_places("The shells went via the Red Sea.")
    assert via_label(mention) == "Red Sea"


@pytest.mark.parametrize(
    "name, codes, expected",
    [
        ("Khasan", {"PRK", "RUS"}, True),  # a border station inside a party: a route point
        ("Rajin", {"PRK", "RUS"}, True),
        ("Tartus", {"IRN", "RUS"}, False),  # transit through a third country
        ("Tumen River bridge", {"RUS", "SYR"}, True),  # a crossing is inside both sides
        ("Tumen River bridge", {"IRN", "SYR"}, False),
        ("Red Sea", {"IRN", "YEM"}, False),  # seas are never inside a party
        ("Middle East", set(), False),
    ],
)
def test_is_inside(name: str, codes: set[str], expected: bool) -> None:
    place = lookup_place(name)
    assert place is not None
    assert is_inside(place, codes) is expected


def test_is_inside_accepts_a_mention() -> None:
    mention = PlaceMention(0, 6, "Khasan", "Khasan", "rail", "RUS")
    assert is_inside(mention, {"RUS"})
    assert not is_inside(mention, {"PRK", "CHN"})


def test_shipped_gazetteer_is_valid() -> None:
    gaz = gazetteer()
    assert len(gaz.places) >= 150
    assert {p.kind for p in gaz.places} <= KINDS
    for place in gaz.places:
        assert isinstance(place, Place)
        if place.kind in {"sea", "strait"}:
            assert place.country is None
        elif place.kind != "region":
            assert place.country is not None
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


@pytest.mark.parametrize(
    "raw, message",
    [
        ([{"name": "X", "kind": "volcano", "country": None, "lat": 0, "lon": 0}], "kind"),
        ([{"name": "X", "kind": "port", "country": "Russia", "lat": 0, "lon": 0}], "alpha-3"),
        ([{"name": "X", "kind": "port", "country": None, "lat": 0, "lon": 0}], "needs a country"),
        ([{"name": "X", "kind": "sea", "country": "RUS", "lat": 0, "lon": 0}], "no country"),
        ([{"name": "X", "kind": "port", "country": "RUS", "lat": 95, "lon": 0}], "out of range"),
        (
            [
                {"name": "X", "kind": "port", "country": "RUS", "lat": 0, "lon": 0},
                {
                    "name": "Y",
                    "aliases": ["X"],
                    "kind": "port",
                    "country": "RUS",
                    "lat": 0,
                    "lon": 0,
                },
            ],
            "names both",
        ),
        ([{"name": "X", "aliases": [{"txt": "Y"}], "kind": "sea", "lat": 0, "lon": 0}], "keys"),
    ],
)
def test_broken_gazetteer_fails_fast(
    monkeypatch: pytest.MonkeyPatch, raw: list[dict[str, object]], message: str
) -> None:
    monkeypatch.setattr(places, "load_yaml", lambda name: {"places": raw})
    gazetteer.cache_clear()
    try:
        with pytest.raises(DataFileError, match=message):
            gazetteer()
    finally:
        gazetteer.cache_clear()
