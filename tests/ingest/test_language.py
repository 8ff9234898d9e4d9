"""The English gate: accepts short English news, rejects other languages and scripts."""

from __future__ import annotations

import pytest

from armstrace.ingest.language import LanguageGuess, detect_english

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
]

NOT_ENGLISH = [
    (
        "Die Bundesregierung hat der Ukraine weitere Panzer zugesagt, teilte das "
        "Verteidigungsministerium am Montag in Berlin mit. Die Lieferung soll noch in diesem "
        "Jahr erfolgen.",
        "English function words",
    ),
    (
        "Le gouvernement français a annoncé la livraison de nouveaux canons à l'Ukraine, selon "
        "un communiqué publié mardi par le ministère des Armées.",
        "English function words",
    ),
    (
        "El gobierno de España anunció el envío de nuevos sistemas de defensa aérea a Ucrania, "
        "según un comunicado del Ministerio de Defensa publicado el martes.",
        "English function words",
    ),
    (
        "Il governo italiano ha approvato un nuovo pacchetto di aiuti militari per l'Ucraina, "
        "che comprende sistemi di difesa aerea e munizioni.",
        "English function words",
    ),
    (
        "De Nederlandse regering heeft besloten om nog eens twee luchtverdedigingssystemen aan "
        "Oekraïne te leveren, zo meldde het ministerie van Defensie.",
        "English function words",
    ),
    (
        "Pemerintah Indonesia membeli pesawat tempur baru dari Prancis untuk memperkuat "
        "pertahanan udara negara itu dalam beberapa tahun mendatang.",
        "English function words",
    ),
    (
        "Министерство обороны сообщило, что новые поставки вооружений прибудут в течение месяца.",
        "Cyrillic",
    ),
    ("أعلنت وزارة الدفاع أن شحنة جديدة من الأسلحة وصلت إلى الميناء يوم الثلاثاء.", "Arabic"),
    ("국방부는 화요일에 새로운 무기 운송이 항구에 도착했다고 발표했다.", "Hangul"),
    ("国防部周二宣布，一批新的武器已经运抵港口。", "Cjk"),
    ("Die Lieferung der Panzer an die Ukraine", "short text"),
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


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("the cat sat on the mat", 0.49, 0.51),  # 3 of 6 words: the, on, the
        ("Ukraine Russia Iran", 0.0, 0.0),
        ("of and to in", 1.0, 1.0),
    ],
)
def test_score_is_share_of_function_words(text: str, low: float, high: float) -> None:
    guess = detect_english(text)
    assert isinstance(guess, LanguageGuess)
    assert low <= guess.score <= high


def test_judges_the_opening_of_a_long_text() -> None:
    # Only a sample is read, so a 20 MB file costs no more than a short one.
    english = "The ministry said that the weapons were sent by sea to the port. " * 1_000
    guess = detect_english(english + "Министерство обороны " * 300_000)
    assert guess.is_english
