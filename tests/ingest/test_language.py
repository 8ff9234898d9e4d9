"""The English gate: accepts English however short or oddly encoded, rejects other languages
and scripts (thirteen of them in fixtures/other-languages.jsonl, written for these tests)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from armstrace.ingest.language import (
    MIN_ENGLISH_PROBABILITY,
    LanguageGuess,
    detect_english,
    strip_invisible,
)

FIXTURES = Path(__file__).parent / "fixtures"
OTHER_LANGUAGES = [
    json.loads(line)
    for line in (FIXTURES / "other-languages.jsonl").read_text(encoding="utf-8").splitlines()
]

ENGLISH = [
    (
        "Norway Sends Air Defence Systems to Kyiv\n\n"
        "Norway has agreed to send two more air defence systems to Ukraine, its defence "
        "ministry said on Friday, as the country braces for another winter of strikes."
    ),
    "Officials in Washington said the shipment of artillery rounds had arrived in Poland "
    "before it was moved across the border by rail.",
    "The proposed sale includes forty missiles, spare parts, training and logistics support. "
    "The principal contractor will be determined at a later date.",
    '"We will not allow these weapons to reach the militia," the spokesman told reporters '
    "at the briefing on Thursday.",
    "Al-Qaeda fighters were seen with Il-76 cargo planes and Su-35 jets near El Fasher, "
    "according to a report by a panel of United Nations experts.",
    "Putin meets Kim in Vladivostok",
    "Two soldiers die in attack on base",
    "Moscow's envoy, quoted as saying «Мы ничего не поставляли», denied that any drones had "
    "been handed to the Houthis, but the inspectors said they had traced the serial numbers.",
    "TEHRAN DENIES SENDING MISSILES\nIran's foreign ministry rejected claims that it has "
    "shipped ballistic missiles to Russia, calling the reports a fabrication by its enemies.",
    # one-line JSONL records and headlines: short English is never refused
    "Iran sent Shahed drones to Russia.",
    "Drones for Russia",
    "HIMARS to Kyiv",
    "Kim Jong Un met Putin in Vladivostok.",
    "Ukraine Russia Iran",
    "Tehran denies it",
]

# Invisible characters inside words, as copied from web pages and chat apps.
HIDDEN = {
    "zero-width spaces": "\u200b",
    "right-to-left marks": "\u200f",
    "an override and its pop": "\u202e\u202c",
    "soft hyphens": "\u00ad",
    "byte-order marks": "\ufeff",
}

NOT_ENGLISH = [
    ("Die Lieferung der Panzer an die Ukraine", "reads as 'de'"),
    ("Министерство обороны сообщило о новых поставках вооружений.", "Cyrillic"),
    ("국방부는 화요일에 새로운 무기 운송이 항구에 도착했다고 발표했다.", "Hangul"),
    ("2024-05-01 12:00 -- 42 / 17 %", "no letters"),
    ("", "no letters"),
]


@pytest.mark.parametrize("text", ENGLISH)
def test_accepts_english(text: str) -> None:
    guess = detect_english(text)
    assert guess.is_english, guess.reason


@pytest.mark.parametrize("text, reason_part", NOT_ENGLISH)
def test_rejects_other_languages(text: str, reason_part: str) -> None:
    guess = detect_english(text)
    assert not guess.is_english
    assert reason_part in guess.reason


@pytest.mark.parametrize("row", OTHER_LANGUAGES, ids=lambda row: row["language"])
def test_rejects_each_other_language_whole_and_sentence_by_sentence(row: dict[str, str]) -> None:
    assert not detect_english(row["text"]).is_english
    for sentence in filter(None, re.split(r"(?<=[.!?。])\s*", row["text"])):
        guess = detect_english(sentence)
        assert not guess.is_english, (sentence, guess)


@pytest.mark.parametrize("kind", HIDDEN)
def test_invisible_characters_inside_words_do_not_hide_english(kind: str) -> None:
    text = ENGLISH[1]
    hidden = HIDDEN[kind].join(text[i : i + 3] for i in range(0, len(text), 3))
    assert detect_english(hidden).is_english
    assert strip_invisible(hidden) == (text, len(hidden) - len(text))


def test_score_is_the_probability_of_english() -> None:
    guess = detect_english(ENGLISH[1])
    assert isinstance(guess, LanguageGuess)
    assert 0.9 < guess.score <= 1.0
    assert detect_english(NOT_ENGLISH[0][0]).score < MIN_ENGLISH_PROBABILITY


def test_judges_the_opening_of_a_long_text() -> None:
    # Only a sample is read, so a 20 MB file costs no more than a short one.
    english = "The ministry said that the weapons were sent by sea to the port. " * 1_000
    guess = detect_english(english + "Министерство обороны " * 300_000)
    assert guess.is_english
