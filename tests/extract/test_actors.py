"""Actor recognition: case traps, nested names, context, forms, possessives, and the data file."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from armstrace.errors import DataFileError, NotFoundError
from armstrace.extract import actors
from armstrace.extract.actors import (
    actor_kind,
    actor_name,
    all_actors,
    find_actors,
    fold_actor,
    resolve_actor,
)


def pairs(text: str, context: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [(m.text, m.code) for m in find_actors(text, context=context)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # "US" only in capitals; "us" is a pronoun.
        ("Let us see what the US decides.", [("US", "USA")]),
        ("The U.S. will ship more rounds.", [("U.S.", "USA")]),
        ("Officials in the U.S.-led coalition met.", [("U.S.", "USA")]),
        ("Give us the shells, he told them.", []),
        ("The United States of America signed it.", [("United States of America", "USA")]),
        (
            "Britain and the U.K. and Great Britain",
            [("Britain", "GBR"), ("U.K.", "GBR"), ("Great Britain", "GBR")],
        ),
        # Capitalised only.
        ("Turkey sold drones; we ate turkey.", [("Turkey", "TUR")]),
        ("Chad and Jordan bought rifles.", [("Chad", "TCD"), ("Jordan", "JOR")]),
        ("They chad to jordan the turkey.", []),
        ("Türkiye and Turkiye are the same.", [("Türkiye", "TUR"), ("Turkiye", "TUR")]),
        # Names nested in longer names.
        ("Nigeria, not Niger.", [("Nigeria", "NGA"), ("Niger", "NER")]),
        ("Nigerian and Nigerien troops", [("Nigerian", "NGA"), ("Nigerien", "NER")]),
        ("Papua New Guinea and Guinea", [("Papua New Guinea", "PNG"), ("Guinea", "GIN")]),
        (
            "Equatorial Guinea and Guinea-Bissau",
            [("Equatorial Guinea", "GNQ"), ("Guinea-Bissau", "GNB")],
        ),
        ("South Sudan accused Sudan.", [("South Sudan", "SSD"), ("Sudan", "SDN")]),
        ("the Democratic Republic of the Congo", [("Democratic Republic of the Congo", "COD")]),
        ("the Republic of the Congo", [("Republic of the Congo", "COG")]),
        ("Fighting in eastern Congo", [("Congo", "COD")]),
        (
            "South Africa and the Central African Republic",
            [("South Africa", "ZAF"), ("Central African Republic", "CAF")],
        ),
        # Korea: the full names decide; alone, the document's context does.
        ("the Republic of Korea", [("Republic of Korea", "KOR")]),
        (
            "the Democratic People's Republic of Korea",
            [("Democratic People's Republic of Korea", "PRK")],
        ),
        (
            "the Democratic People’s Republic of Korea",
            [("Democratic People’s Republic of Korea", "PRK")],
        ),
        ("DPRK and ROK delegations", [("DPRK", "PRK"), ("ROK", "KOR")]),
        ("Pyongyang praised Korea's workers.", [("Pyongyang", "PRK"), ("Korea", "PRK")]),
        ("Seoul said Korean firms would bid.", [("Seoul", "KOR"), ("Korean", "KOR")]),
        ("Korea will decide.", []),
        (
            "North Korea and South Korea both said Korea is one.",
            [("North Korea", "PRK"), ("South Korea", "KOR")],
        ),
        ("Veterans of the Korean War gathered.", []),
        # China and Taiwan.
        (
            "the People's Republic of China and the Republic of China",
            [("People's Republic of China", "CHN"), ("Republic of China", "TWN")],
        ),
        (
            "the Taipei Economic and Cultural Representative Office in the United States",
            [
                ("Taipei Economic and Cultural Representative Office", "TWN"),
                ("United States", "USA"),
            ],
        ),
        ("a sale to TECRO", [("TECRO", "TWN")]),
        ("Chinese Taipei sent a team.", [("Chinese Taipei", "TWN")]),
        # Places that contain an actor's name but are not actors.
        ("Ships crossed the South China Sea and the Gulf of Oman.", []),
        ("Exports to Latin America and the Indian Ocean rim", []),
        ("Latin Americans and Native Americans voted.", []),
        # Hyphenated demonyms: the demonym is the match.
        ("Iranian-made drones", [("Iranian", "IRN")]),
        ("Russian-backed separatists", [("Russian", "RUS")]),
        ("the Russia-Ukraine war", [("Russia", "RUS"), ("Ukraine", "UKR")]),
        # Accents and curly apostrophes fold.
        ("talks at the Élysée and the Elysee", [("Élysée", "FRA"), ("Elysee", "FRA")]),
        ("Erdoğan met Erdogan's aides.", [("Erdoğan", "TUR"), ("Erdogan", "TUR")]),
        ("Côte d'Ivoire and Cote d’Ivoire", [("Côte d'Ivoire", "CIV"), ("Cote d’Ivoire", "CIV")]),
        # Groups and organisations.
        (
            "Houthi rebels and Ansar Allah and Ansarallah",
            [("Houthi rebels", "Houthis"), ("Ansar Allah", "Houthis"), ("Ansarallah", "Houthis")],
        ),
        (
            "Hizballah and Lebanese Hezbollah",
            [("Hizballah", "Hezbollah"), ("Lebanese Hezbollah", "Hezbollah")],
        ),
        (
            "Kataib Hezbollah is not Hezbollah.",
            [("Kataib Hezbollah", "Kataib Hezbollah"), ("Hezbollah", "Hezbollah")],
        ),
        (
            "the Wagner Group, PMC Wagner and the Africa Corps",
            [("Wagner Group", "Wagner"), ("PMC Wagner", "Wagner"), ("Africa Corps", "Wagner")],
        ),
        (
            "ISIS, ISIL, Daesh and the Islamic State",
            [
                ("ISIS", "Islamic State"),
                ("ISIL", "Islamic State"),
                ("Daesh", "Islamic State"),
                ("Islamic State", "Islamic State"),
            ],
        ),
        ("al-Shabaab and Al Shabab", [("al-Shabaab", "al-Shabaab"), ("Al Shabab", "al-Shabaab")]),
        (
            "the RSF and the Rapid Support Forces",
            [("RSF", "Rapid Support Forces"), ("Rapid Support Forces", "Rapid Support Forces")],
        ),
        ("M23 rebels and the PKK", [("M23 rebels", "M23"), ("PKK", "PKK")]),
        (
            "NATO, Nato, the EU and the U.N. Security Council",
            [("NATO", "NATO"), ("Nato", "NATO"), ("EU", "EU"), ("U.N. Security Council", "UN")],
        ),
        (
            "Palestinian Islamic Jihad and Hamas",
            [("Palestinian Islamic Jihad", "Palestinian Islamic Jihad"), ("Hamas", "Hamas")],
        ),
        # Historical and partly recognised states.
        ("the Soviet Union and the USSR", [("Soviet Union", "SUN"), ("USSR", "SUN")]),
        ("Kosovo and the Holy See", [("Kosovo", "XKX"), ("Holy See", "VAT")]),
        ("the State of Palestine", [("State of Palestine", "PSE")]),
        ("", []),
    ],
)
def test_find_actors(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text, context, expected",
    [
        ("The North fired again.", frozenset({"PRK"}), [("The North", "PRK")]),
        ("He said the South would respond.", frozenset({"KOR"}), [("the South", "KOR")]),
        ("He said the South would respond.", frozenset(), []),
        ("the North and the South", frozenset({"USA"}), []),
        ("Korean engineers", frozenset({"PRK"}), [("Korean", "PRK")]),
        ("Korean engineers", frozenset({"PRK", "KOR"}), []),
        ("the North Atlantic", frozenset({"PRK"}), []),
        (
            "South Korean and North Korean officials",
            frozenset(),
            [("South Korean", "KOR"), ("North Korean", "PRK")],
        ),
    ],
)
def test_context_resolves_ambiguous_names(
    text: str, context: frozenset[str], expected: list[tuple[str, str]]
) -> None:
    assert pairs(text, context) == expected


@pytest.mark.parametrize(
    "text, surface, code, form",
    [
        ("Moscow denied it.", "Moscow", "RUS", "capital"),
        ("Tehran responded.", "Tehran", "IRN", "capital"),
        ("the Kremlin said", "Kremlin", "RUS", "seat"),
        ("the White House said", "White House", "USA", "seat"),
        ("the Pentagon confirmed", "Pentagon", "USA", "seat"),
        ("a State Department spokesman", "State Department", "USA", "seat"),
        ("Downing Street and", "Downing Street", "GBR", "seat"),
        ("officials in Whitehall", "Whitehall", "GBR", "seat"),
        ("Zhongnanhai decided", "Zhongnanhai", "CHN", "seat"),
        ("the Blue House said", "Blue House", "KOR", "seat"),
        ("North Korean troops", "North Korean", "PRK", "demonym"),
        ("American officials", "American", "USA", "demonym"),
        ("British diplomats", "British", "GBR", "demonym"),
        ("the Russians say", "Russians", "RUS", "demonym"),
        ("the IRGC and", "IRGC", "IRN", "agency"),
        ("the Quds Force smuggled", "Quds Force", "IRN", "agency"),
        ("KPA officers", "KPA", "PRK", "agency"),
        ("the GUR claimed", "GUR", "UKR", "agency"),
        ("HUR sources", "HUR", "UKR", "agency"),
        ("the PLA Navy", "PLA Navy", "CHN", "agency"),
        ("the GRU and the FSB", "GRU", "RUS", "agency"),
        ("Rosoboronexport signed", "Rosoboronexport", "RUS", "agency"),
        ("the DSCA notified Congress", "DSCA", "USA", "agency"),
        ("the Department of Defense", "Department of Defense", "USA", "agency"),
        ("the Bundeswehr will", "Bundeswehr", "DEU", "agency"),
        ("Putin said", "Putin", "RUS", "leader"),
        ("Kim Jong-un visited", "Kim Jong-un", "PRK", "leader"),
        ("Ayatollah Ali Khamenei said", "Ayatollah Ali Khamenei", "IRN", "leader"),
        ("Raisi and", "Raisi", "IRN", "leader"),
        ("Pezeshkian said", "Pezeshkian", "IRN", "leader"),
        ("Zelenskyy asked", "Zelenskyy", "UKR", "leader"),
        ("Zelensky asked", "Zelensky", "UKR", "leader"),
        ("Xi Jinping hosted", "Xi Jinping", "CHN", "leader"),
        ("Lukashenko offered", "Lukashenko", "BLR", "leader"),
        ("Shoigu visited", "Shoigu", "RUS", "leader"),
        ("Belousov ordered", "Belousov", "RUS", "leader"),
        ("Lavrov warned", "Lavrov", "RUS", "leader"),
        ("Biden approved", "Biden", "USA", "leader"),
        ("Trump approved", "Trump", "USA", "leader"),
        ("Erdogan said", "Erdogan", "TUR", "leader"),
        ("the Houthis fired", "Houthis", "Houthis", "group"),
        ("Iran delivered", "Iran", "IRN", "name"),
        ("the UAE bought", "UAE", "ARE", "short"),
        ("the KSA and", "KSA", "SAU", "short"),
    ],
)
def test_forms(text: str, surface: str, code: str, form: str) -> None:
    found = [(m.text, m.code, m.form) for m in find_actors(text)]
    assert (surface, code, form) in found


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Russia's war", [("Russia", True)]),
        ("Russia’s war", [("Russia", True)]),
        ("Kim's regime", [("Kim", True)]),
        ("the Houthis' arsenal", [("Houthis", True)]),
        ("the Kremlin’s line and Iran's drones", [("Kremlin", True), ("Iran", True)]),
        ("Russia sent", [("Russia", False)]),
        ("the People's Republic of China", [("People's Republic of China", False)]),
    ],
)
def test_possessive(text: str, expected: list[tuple[str, bool]]) -> None:
    assert [(m.text, m.possessive) for m in find_actors(text)] == expected


def test_offsets_point_into_the_text() -> None:
    text = "Dans le texte: l’Iran et la Russie; in English, Iran’s drones reached  Russia."
    mentions = find_actors(text)
    assert [m.text for m in mentions] == ["Iran", "Iran", "Russia"]
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_kinds_on_mentions() -> None:
    kinds = {m.code: m.kind for m in find_actors("Iran armed Hezbollah, said NATO.")}
    assert kinds == {"IRN": "state", "Hezbollah": "group", "NATO": "organisation"}


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Iran", "IRN"),
        ("irn", "IRN"),
        ("IRN", "IRN"),
        ("the Kremlin", "RUS"),
        ("Pyongyang", "PRK"),
        ("TECRO", "TWN"),
        ("houthis", "Houthis"),
        ("Ansar Allah", "Houthis"),
        ("wagner", "Wagner"),
        ("Russia's", "RUS"),
        ("the Netherlands", "NLD"),
        ("Korea", None),
        ("Atlantis", None),
    ],
)
def test_resolve_actor(name: str, expected: str | None) -> None:
    assert resolve_actor(name) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Islamic Republic of Iran", "IRN"),
        (" DPRK ", "PRK"),
        ("Hizballah", "Hezbollah"),
        (" Gaza armed groups ", "Gaza armed groups"),
        (None, None),
    ],
)
def test_fold_actor(value: str | None, expected: str | None) -> None:
    assert fold_actor(value) == expected


def test_names_and_kinds() -> None:
    assert actor_name("PRK") == "North Korea"
    assert actor_name("unknown thing") == "unknown thing"
    assert actor_kind("Wagner") == "group"
    assert actor_kind("UN") == "organisation"
    assert actor_kind("SUN") == "state"
    with pytest.raises(NotFoundError):
        actor_kind("XYZ")


# --- the data file ----------------------------------------------------------------------------


def fold(alias: str) -> str:
    decomposed = unicodedata.normalize("NFKD", alias)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_shipped_file_loads_and_is_consistent() -> None:
    loaded = all_actors()
    codes = [a.code for a in loaded]
    assert len(codes) == len({c.casefold() for c in codes})
    states = [a for a in loaded if a.kind == "state"]
    # 193 UN members, two observers, Taiwan, Kosovo and the Soviet Union.
    assert len(states) == 198
    assert all(len(a.code) == 3 and a.code.isupper() for a in states)
    owners: dict[str, set[str]] = {}
    for actor in loaded:
        assert actor.aliases and actor.name
        for alias in actor.aliases:
            owners.setdefault(" ".join(fold(alias).replace("-", " ").split()), set()).add(
                actor.code
            )
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    for code in ("TWN", "XKX", "PSE", "VAT", "SUN", "Wagner", "Houthis", "NATO", "EU", "UN"):
        assert code in codes


def test_every_name_finds_its_own_actor() -> None:
    for actor in all_actors():
        found = find_actors(f"Reports named {actor.name} yesterday.")
        assert actor.code in {m.code for m in found}, actor.name


@pytest.fixture
def fresh_index() -> Iterator[None]:
    actors._index.cache_clear()
    yield
    actors._index.cache_clear()


@pytest.mark.parametrize(
    "data",
    [
        {"states": "not a list", "groups": [], "organisations": []},
        {
            "states": [{"name": "No Code"}],
            "groups": [{"code": "G", "name": "G"}],
            "organisations": [{"code": "O", "name": "O"}],
        },
        {
            "states": [
                {"code": "AAA", "name": "A", "short": ["Same"]},
                {"code": "BBB", "name": "B", "short": ["same"]},
            ],
            "groups": [{"code": "G", "name": "G"}],
            "organisations": [{"code": "O", "name": "O"}],
        },
        {
            "states": [{"code": "AAA", "name": "A"}, {"code": "AAA", "name": "A2"}],
            "groups": [{"code": "G", "name": "G"}],
            "organisations": [{"code": "O", "name": "O"}],
        },
        {
            "states": [{"code": "AAA", "name": "A", "capitol": ["typo"]}],
            "groups": [{"code": "G", "name": "G"}],
            "organisations": [{"code": "O", "name": "O"}],
        },
        {
            "states": [{"code": "AAA", "name": "A"}],
            "groups": [{"code": "G", "name": "G"}],
            "organisations": [{"code": "O", "name": "O"}],
            "contextual": [{"alias": "Land", "form": "short", "candidates": ["ZZZ"]}],
        },
    ],
)
def test_broken_data_fails_fast(
    data: dict[str, Any], fresh_index: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(actors, "load_yaml", lambda name: data)
    with pytest.raises(DataFileError):
        all_actors()


def test_dev_corpus_parties_are_found(dev_corpus: Path) -> None:
    """Every gold supplier and recipient that is a known actor is named in its document."""
    known = {a.code for a in all_actors()}
    for line in (dev_corpus / "gold.jsonl").read_text().splitlines():
        row = json.loads(line)
        text = (dev_corpus / "texts" / f"{row['doc']}.txt").read_text()
        found = {m.code for m in find_actors(text)}
        parties = {c[k] for c in row["claims"] for k in ("supplier", "recipient")}
        assert (parties & known) <= found, row["doc"]
