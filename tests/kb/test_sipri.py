"""SIPRI trade-register import: the export's quirks, bad rows and files, and claim matching."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from armstrace.errors import DataFileError, InputError
from armstrace.kb import sipri
from armstrace.kb.sipri import (
    SipriDeal,
    SipriImport,
    description_category,
    match_deals,
    read_trade_register,
)
from armstrace.records import CATEGORIES
from armstrace.resources import load_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "sipri_trade_register.csv"
# The fixture's 11 preamble lines and its header (line 12), reused to build small exports.
HEAD = FIXTURE.read_bytes().split(b"\n")[:12]


@pytest.fixture(scope="module")
def register() -> SipriImport:
    return read_trade_register(FIXTURE)


def by_line(register: SipriImport, line: int) -> SipriDeal:
    return next(deal for deal in register.deals if deal.line == line)


def write_export(tmp_path: Path, rows: list[str], head: list[bytes] = HEAD) -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(b"\n".join([*head, *(row.encode("iso-8859-1") for row in rows)]) + b"\n")
    return path


ROW = "Georgia,Ukraine,2008,,2,,{designation},{description},2,,2009,New,{comments},1,2,2"


# --- the fixture -------------------------------------------------------------------------------


def test_every_good_row_is_read_with_its_physical_line(register: SipriImport) -> None:
    lines = [deal.line for deal in register.deals]
    assert lines == [13, 14, 15, 16, 17, 18, 19, 20, 22, 26, 27, 28, 29, 30]
    assert register.generated == "14 March 2025"


@pytest.mark.parametrize(
    "line, field, expected",
    [
        # actors: states, non-state (*), organisations (**), unknown, Soviet Union
        (13, "recipient", "RUS"),
        (13, "supplier", "IRN"),
        (15, "recipient", "Houthis"),
        (15, "recipient_name", "Houthi rebels (Yemen)*"),
        (16, "recipient", "Hezbollah"),
        (26, "recipient", "Wagner"),
        (17, "recipient", "NATO"),
        (29, "recipient", "AU"),
        (18, "supplier", "SUN"),
        (27, "recipient", None),
        (30, "supplier", None),
        (28, "supplier", "ARE"),
        # uncertainty flags sit in the column after the value they qualify
        (13, "year_of_order_uncertain", True),
        (13, "number_ordered_uncertain", False),
        (13, "number_delivered_uncertain", True),
        (18, "year_of_order_uncertain", False),
        (18, "number_ordered_uncertain", True),
        (18, "number_delivered_uncertain", False),
        # empty Number ordered is "not available", not zero
        (13, "number_ordered", None),
        (30, "number_ordered", None),
        (30, "number_delivered", 5),
        (29, "number_delivered", 0),
        # years of delivery, status, TIV
        (16, "delivery_years", (2006, 2007, 2008, 2009, 2010)),
        (20, "delivery_years", (2019, 2020, 2021, 2022)),
        (29, "delivery_years", ()),
        (19, "status", "Second hand"),
        (27, "status", "Second hand but modernized"),
        (13, "tiv_unit", 0.02),
        (28, "tiv_total", 0.0),
        (29, "tiv_total", None),
        # descriptions to categories
        (13, "category", "uav"),
        (14, "category", "air_defence"),
        (16, "category", "missile"),
        (18, "category", "armoured_vehicle"),
        (19, "category", "aircraft"),
        (28, "category", "armoured_vehicle"),  # "armored car", a variant spelling
        (29, "category", "other"),  # "field kitchen" is unknown
        # intermediaries, financing and other designations, from the comments
        (13, "via", ("Caspian Sea",)),
        (13, "aliases", ("Geran-2",)),
        (14, "via", ("POL",)),
        (14, "financed_by", ("NOR",)),
        (15, "via", ("OMN",)),
        (19, "via", ()),  # "via a Bulgarian company" names no country
        (26, "via", ("SYR",)),
    ],
)
def test_fields(register: SipriImport, line: int, field: str, expected: object) -> None:
    assert getattr(by_line(register, line), field) == expected


def test_comment_broken_by_an_unquoted_line_break_is_rejoined(register: SipriImport) -> None:
    deal = by_line(register, 20)
    assert deal.comments.endswith("includes weapons and support")
    assert (deal.tiv_unit, deal.tiv_total, deal.tiv_delivered) == (55.0, 1980.0, 1980.0)


def test_comment_with_a_quoted_line_break_is_one_record(register: SipriImport) -> None:
    deal = by_line(register, 22)
    assert "\n" not in deal.comments
    assert deal.via == ("CYP",)
    assert deal.financed_by == ("USA",)
    assert deal.tiv_delivered == 48.0


def test_latin1_names_are_decoded(register: SipriImport) -> None:
    assert b"C\xf4te d'Ivoire" in FIXTURE.read_bytes()  # the fixture really is ISO-8859-1
    deal = by_line(register, 19)
    assert (deal.recipient_name, deal.recipient) == ("Côte d'Ivoire", "CIV")


def test_malformed_rows_are_reported_by_line_and_skipped(register: SipriImport) -> None:
    assert any(w.startswith("line 24:") and "4-digit year" in w for w in register.warnings)
    assert any(w.startswith("line 25:") and "7 fields" in w for w in register.warnings)
    assert not {24, 25} & {deal.line for deal in register.deals}


def test_unknown_description_is_counted_once(register: SipriImport) -> None:
    found = [w for w in register.warnings if "'field kitchen'" in w]
    assert found == [
        "line 29: weapon description 'field kitchen' is not in "
        "sipri_descriptions.yaml; category 'other' (1 row(s))"
    ]


def test_ids_are_stable_and_distinct(register: SipriImport) -> None:
    again = read_trade_register(FIXTURE)
    assert [d.id for d in again.deals] == [d.id for d in register.deals]
    assert len({d.id for d in register.deals}) == len(register.deals)


# --- files that are not quite SIPRI's, or not SIPRI's at all ------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"name,email\nAda,ada@example.org\n",
        b"Recipient,Supplier\nRussia,Iran\n",
        b"just some text, no header\n" * 80,
        b"\x00\x01\x02binary",
    ],
)
def test_a_file_that_is_not_a_sipri_export_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="SIPRI trade-register CSV"):
        read_trade_register(path)


def test_missing_or_empty_file_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"\n\n")
    for name in ("empty.csv", "absent.csv"):
        with pytest.raises(InputError):
            read_trade_register(tmp_path / name)


def test_header_found_elsewhere_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write_export(
        tmp_path, ["Chile,Spain,2010,,1,,Scorpene,submarine,1,,2011,New,,5,5,5"], head=HEAD[3:]
    )
    result = read_trade_register(path)
    assert [d.category for d in result.deals] == ["ship"]
    assert "header on line 9, not line 12; read it anyway" in result.warnings


def test_utf8_and_crlf_exports_are_read(tmp_path: Path) -> None:
    text = FIXTURE.read_bytes().decode("iso-8859-1").replace("\n", "\r\n")
    path = tmp_path / "resaved.csv"
    path.write_bytes(text.encode("utf-8"))
    result = read_trade_register(path)
    assert by_line(result, 19).recipient_name == "Côte d'Ivoire"
    assert by_line(result, 20).tiv_total == 1980.0
    assert any("UTF-8" in w for w in result.warnings)


def test_comment_continuing_with_text_on_the_next_line(tmp_path: Path) -> None:
    rows = [
        "Peru,Italy,2013,,2,,C-27J Spartan,transport aircraft,2,,2015,New,first part",
        "second part,20,40,40",
        "Peru,Italy,2015,,1,,C-27J Spartan,transport aircraft,1,,2017,New,,20,20,20",
    ]
    result = read_trade_register(write_export(tmp_path, rows))
    assert [(d.line, d.comments) for d in result.deals] == [
        (13, "first part second part"),
        (15, ""),
    ]


@pytest.mark.parametrize(
    "row, message",
    [
        ("Georgia,Ukraine,2008,,2,,Buk-M1,extra,SAM system,2,,2009,New,,1,2,2", "17 fields"),
        ("Georgia,Ukraine,2008,,2,,Buk-M1,SAM system,2,,2009,New,,1,2,2x", "not a number"),
        ("Georgia,Ukraine,2008,,two,,Buk-M1,SAM system,2,,2009,New,,1,2,2", "whole number"),
        ("Georgia,Ukraine,2008,,2,,Buk-M1,SAM system,2,,2009; 20O9,New,,1,2,2", "4-digit"),
        ("Georgia,Ukraine,2008,x,2,,Buk-M1,SAM system,2,,2009,New,,1,2,2", "uncertainty flag"),
        (",Ukraine,2008,,2,,Buk-M1,SAM system,2,,2009,New,,1,2,2", "Recipient or Supplier"),
    ],
)
def test_bad_rows_are_skipped_with_a_reason(tmp_path: Path, row: str, message: str) -> None:
    good = "Chile,Spain,2010,,1,,Scorpene,submarine,1,,2011,New,,5,5,5"
    result = read_trade_register(write_export(tmp_path, [row, good]))
    assert [deal.line for deal in result.deals] == [14]
    assert any(w.startswith("line 13:") and message in w for w in result.warnings)


def test_unknown_actors_are_warned_about(tmp_path: Path) -> None:
    rows = [
        "Atlantis,Ukraine,2008,,2,,Buk-M1,SAM system,2,,2009,New,,1,2,2",
        "Free Atlantis Front (Atlantis)*,Ukraine,2009,,2,,Buk-M1,SAM system,2,,2010,New,,1,2,2",
    ]
    result = read_trade_register(write_export(tmp_path, rows))
    assert [d.recipient for d in result.deals] == [None, "Free Atlantis Front"]
    assert any("actor 'Atlantis' is unknown" in w for w in result.warnings)
    assert any("non-state actor 'Free Atlantis Front (Atlantis)*'" in w for w in result.warnings)


def test_same_deal_twice_keeps_both_with_distinct_ids(tmp_path: Path) -> None:
    row = ROW.format(designation="Buk-M1", description="SAM system", comments="")
    result = read_trade_register(write_export(tmp_path, [row, row]))
    assert len({d.id for d in result.deals}) == 2


def test_injected_resolver_is_used(tmp_path: Path) -> None:
    path = write_export(tmp_path, [ROW.format(designation="X", description="SAM", comments="")])
    result = read_trade_register(path, resolve=lambda name: name[:3].upper())
    assert (result.deals[0].recipient, result.deals[0].supplier) == ("GEO", "UKR")


# --- descriptions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "description, expected",
    [
        ("FGA aircraft", "aircraft"),
        ("combat helicopter", "aircraft"),
        ("sam", "air_defence"),
        ("portable SAM", "air_defence"),
        ("AA gun", "air_defence"),
        ("BVRAAM", "missile"),
        ("anti-ship missile", "missile"),
        ("anti-tank missile", "small_arms"),
        ("Self propelled gun", "artillery"),
        ("self-propelled  MRL", "artillery"),
        ("armored car", "armoured_vehicle"),
        ("IFV", "armoured_vehicle"),
        ("light frigate", "ship"),
        ("patrol craft", "ship"),
        ("turbofans", "engine"),
        ("diesel engine", "engine"),
        ("guided bomb", "ammunition"),
        ("ASW torpedo", "ammunition"),
        ("fire-control radar", "sensor"),
        ("air search radar", "sensor"),
        ("UCAV", "uav"),
        ("Loitering munition", "uav"),
        ("helicoper", "aircraft"),
        ("field kitchen", None),
    ],
)
def test_description_category(description: str, expected: str | None) -> None:
    assert description_category(description) == expected


def test_description_file_is_complete_and_valid() -> None:
    data = load_yaml("sipri_descriptions.yaml")
    assert set(data["categories"]) <= set(CATEGORIES)
    assert sum(len(names) for names in data["categories"].values()) >= 120
    for variant, target in data["variants"].items():
        assert description_category(variant) == description_category(target)


# --- matching claims to deals ------------------------------------------------------------------

BASE = SipriDeal(
    recipient_name="Russia",
    supplier_name="Iran",
    recipient="RUS",
    supplier="IRN",
    year_of_order=2022,
    year_of_order_uncertain=False,
    number_ordered=None,
    number_ordered_uncertain=False,
    designation="Shahed-136",
    description="loitering munition",
    category="uav",
    number_delivered=100,
    number_delivered_uncertain=False,
    delivery_years=(2022, 2023),
    status="New",
    comments="",
    via=(),
    tiv_unit=None,
    tiv_total=None,
    tiv_delivered=None,
    line=13,
    id="base",
    aliases=("Geran-2",),
)
MISSILES = replace(
    BASE,
    designation="Fath-360",
    description="BM",
    category="missile",
    line=14,
    delivery_years=(),
    year_of_order=2023,
    aliases=(),
    id="bm",
)
FIGHTERS = replace(
    BASE,
    recipient="IRN",
    supplier="RUS",
    designation="Su-35S",
    line=15,
    description="FGA aircraft",
    category="aircraft",
    aliases=(),
    id="su35",
)
DEALS = (BASE, MISSILES, FIGHTERS)


@pytest.mark.parametrize(
    "supplier, recipient, category, designations, year, expected",
    [
        ("IRN", "RUS", None, ["Shahed-136"], 2023, ["base"]),
        ("irn", "rus", None, ["SHAHED 136"], 2023, ["base"]),  # case, space for hyphen
        ("IRN", "RUS", None, ["Geran 2"], 2023, ["base"]),  # another designation in comments
        ("IRN", "RUS", "uav", [], 2024, ["base"]),  # last delivery + 1
        ("IRN", "RUS", "uav", [], 2025, []),  # too late
        ("IRN", "RUS", "uav", [], 2021, []),  # before the order
        ("IRN", "RUS", "missile", [], 2028, ["bm"]),  # undelivered: order + 5
        ("IRN", "RUS", "missile", [], 2029, []),
        ("IRN", "RUS", "missile", ["Shahed-136"], 2023, ["base", "bm"]),  # designation first
        ("IRN", "RUS", "aircraft", [], 2023, []),  # category differs, no designation
        ("RUS", "IRN", None, ["Su-35"], 2023, ["su35"]),  # a variant of the named type
        ("RUS", "IRN", None, ["Su-3"], 2023, []),
        ("RUS", "RUS", "uav", [], None, []),  # wrong pair
        (None, "RUS", "uav", [], None, []),  # unknown side matches nothing
        ("IRN", "RUS", "uav", [], None, ["base"]),  # no year: any year
    ],
)
def test_match_deals(
    supplier: str | None,
    recipient: str | None,
    category: str | None,
    designations: list[str],
    year: int | None,
    expected: list[str],
) -> None:
    found = match_deals(DEALS, supplier, recipient, category, designations, year)
    assert [deal.id for deal in found] == expected


@pytest.mark.parametrize(
    "broken, message",
    [
        ({"categories": {"lasers": ["laser"]}}, "unknown category"),
        ({"categories": {"ship": ["frigate", "Frigate"]}}, "listed twice"),
        ({"variants": {"frigat": "hovership"}}, "unlisted"),
        ({"non_state": {"Houthi rebels (Yemen)": ""}}, "non-empty string"),
        ({"states": None}, "'states' must be a mapping"),
    ],
)
def test_broken_description_file_fails_fast(
    monkeypatch: pytest.MonkeyPatch, broken: dict[str, object], message: str
) -> None:
    data = dict(load_yaml("sipri_descriptions.yaml")) | broken
    monkeypatch.setattr(sipri, "load_yaml", lambda name: data)
    sipri._tables.cache_clear()
    try:
        with pytest.raises(DataFileError, match=message):
            sipri.description_category("frigate")
    finally:
        sipri._tables.cache_clear()
