"""Attribution: quotes and their speakers, transcript turns, title lines, sentence sources.

Every sentence here is written for these tests. Cases marked `model` parse with the pinned
spaCy model; the data-file checks need no model.
"""

from __future__ import annotations

from typing import Any

import pytest

from armstrace.errors import DataFileError
from armstrace.extract import speech_cues
from armstrace.extract.attribution import (
    Attribution,
    document_speaker,
    find_quotes,
    load_cues,
    sentence_sources,
    source_at,
    transcript_turns,
)
from armstrace.records import Speaker


def parse(text: str) -> Any:
    from armstrace.nlp import get_nlp

    return get_nlp()(text)


# ------------------------------------------------------------------- quotes and their speakers

QUOTE_CASES = [
    # post-posed frame, straight marks
    (
        '"The convoy crossed the border at night," Maria Lopez said.',
        [("The convoy crossed the border", "Maria Lopez", None, None)],
    ),
    # pre-posed frame with a colon, curly marks
    (
        "Maria Lopez said: \u201cThe convoy crossed the border at night.\u201d",
        [("The convoy crossed the border", "Maria Lopez", None, None)],
    ),
    # inverted frame, rank abbreviation as title, apposition as affiliation
    (
        "\u201cThe shipments have not stopped,\u201d said Vice Adm. Jane Holt, commander of the"
        " Fourth Fleet.",
        [("The shipments have not stopped", "Jane Holt", "Vice Adm.", "Fourth Fleet")],
    ),
    # apposition gives title and affiliation
    (
        "\u201cWe have seen no evidence of a delivery,\u201d said John Doe, spokesperson for the"
        " National Security Council.",
        [("We have seen no evidence", "John Doe", "spokesperson", "National Security Council")],
    ),
    # according to X
    (
        "According to Tom Baker, \u201cthe crates were loaded onto two cargo planes"
        " last week.\u201d",
        [("the crates were loaded", "Tom Baker", None, None)],
    ),
    # told reporters, partial quote after the frame, title before the name
    (
        "Defense Minister Ana Petrova told reporters the frigates \u201cwill be handed over"
        " before the end of the year.\u201d",
        [("will be handed over", "Ana Petrova", "Defense Minister", None)],
    ),
    # he said -> the last named person
    (
        "Analyst Peter Quinn studies the drone trade. \u201cThe parts come from three different"
        " countries,\u201d he said.",
        [("The parts come from", "Peter Quinn", None, None)],
    ),
    # an organisation keeps its full noun phrase
    (
        "\u201cThe reports of arms deliveries are groundless,\u201d Iran\u2019s foreign ministry"
        " said in a statement.",
        [("The reports of arms deliveries", "Iran\u2019s foreign ministry", None, None)],
    ),
    # a surname resolves to the full name given earlier, with its title
    (
        "Colonel Sarah Kent briefed the press on Monday. \u201cThe radar units arrived in"
        " March,\u201d Kent said.",
        [("The radar units arrived", "Sarah Kent", None, None)],
    ),
    # a quotation continued into a second paragraph is one quote
    (
        "\u201cThe first batch was delivered in May.\n\u201cA second batch is due in the"
        " autumn,\u201d said Ruth Adler.",
        [("The first batch was delivered in May.\nA second batch", "Ruth Adler", None, None)],
    ),
    # an unframed quote continues the speaker of the quote before it in the paragraph
    (
        "\u201cThe ships were inspected,\u201d said Mark Ellis. \u201cNothing illegal was found"
        " on board.\u201d",
        [
            ("The ships were inspected", "Mark Ellis", None, None),
            ("Nothing illegal was found", "Mark Ellis", None, None),
        ],
    ),
    # two speakers in two paragraphs
    (
        "\u201cThe rifles were hidden under sacks of rice,\u201d said Karen Voss.\n\n"
        "\u201cWe will return them to the navy,\u201d said Ivan Petrov, a port official.",
        [
            ("The rifles were hidden", "Karen Voss", None, None),
            ("We will return them", "Ivan Petrov", "port official", None),
        ],
    ),
    # an opening mark never closed: the fragment is dropped
    ("He called it \u201ca serious breach of the embargo and walked out.", []),
    # a stray closing mark: nothing recorded
    ("The deal was signed.\u201d Nothing else was said about the helicopters.", []),
    # an opening mark not continued by the next paragraph is dropped, the next quote kept
    (
        "She warned of \u201cdeliveries by sea and air\nOfficials said nothing.\n"
        '"The tanks left the depot on Friday," said Omar Farah.',
        [("The tanks left the depot", "Omar Farah", None, None)],
    ),
    # scare quotes of a few words without a finite verb are not quotations
    ("Officials described the network as \u201ccovertly supplying\u201d the militia.", []),
    ("China\u2019s so-called \u201cno limits\u201d partnership worries Kyiv.", []),
    # a short quote with a finite verb is a quotation; "she" names no one here
    ("\u201cIt is done,\u201d she said.", [("It is done", None, None, None)]),
    # the spokesman's apposed name is the speaker
    (
        "The spokesman, Luis Ortega, said the drones \u201cwere assembled from kits shipped by"
        " sea.\u201d",
        [("were assembled from kits", "Luis Ortega", None, None)],
    ),
    # honorific stripped into the title, affiliation from "a researcher at X"
    (
        "\u201cWe are tracking the cargo,\u201d Ms. Lena Park, a researcher at the Arms Monitor"
        " institute, said.",
        [("We are tracking the cargo", "Lena Park", "Ms.", "Arms Monitor institute")],
    ),
]


@pytest.mark.model
@pytest.mark.parametrize("text, expected", QUOTE_CASES)
def test_find_quotes(
    text: str, expected: list[tuple[str, str | None, str | None, str | None]]
) -> None:
    quotes = find_quotes(parse(text))
    assert len(quotes) == len(expected)
    for quote, (prefix, name, title, affiliation) in zip(quotes, expected, strict=True):
        assert quote.text.startswith(prefix)
        assert text[quote.start : quote.start + 8] == quote.text[:8]
        if name is None:
            assert quote.speaker is None
            continue
        assert quote.speaker is not None
        assert quote.speaker.name == name
        if title is not None:
            assert quote.speaker.title == title
        if affiliation is not None:
            assert quote.speaker.affiliation == affiliation


# ------------------------------------------------------------------------------ transcripts

BRIEFING = (
    "Press Briefing by State Department Spokesperson Daniel Reyes\n\n"
    "MR. REYES: Good afternoon. We can confirm that the rockets were delivered last month.\n"
    "Q: Did the rockets come from the same supplier?\n"
    "MR. REYES: We believe so.\n"
)
UN_TRANSCRIPT = (
    "Remarks by Ambassador Helen Cole at a Security Council Briefing\n\n"
    "AMBASSADOR COLE: Thank you, Madam President. Iran has shipped drones to Russia.\n"
    "QUESTION: Will the Council act on the drone transfers?\n"
)
GAGGLE = (
    "MODERATOR: Thanks, everyone.\n"
    "MR KOVAC: Thanks. The howitzers arrived on Tuesday.\n"
    "Q    Were they used already?\n"
)

TRANSCRIPT_CASES = [
    (BRIEFING, "rockets were delivered", "Daniel Reyes", False),
    (BRIEFING, "same supplier", None, True),
    (BRIEFING, "We believe so", "Daniel Reyes", False),
    (UN_TRANSCRIPT, "Iran has shipped", "Helen Cole", False),
    (UN_TRANSCRIPT, "Will the Council act", None, True),
    (GAGGLE, "howitzers arrived", "Kovac", False),
    (GAGGLE, "Were they used", None, True),
    (GAGGLE, "Thanks, everyone", "Moderator", False),
]


@pytest.mark.model
@pytest.mark.parametrize("text, phrase, name, question", TRANSCRIPT_CASES)
def test_transcript_sentences(text: str, phrase: str, name: str | None, question: bool) -> None:
    doc = parse(text)
    found = source_at(sentence_sources(doc, find_quotes(doc)), text.index(phrase))
    assert found is not None
    assert found.kind == "transcript"
    assert found.is_question is question
    assert (found.speaker.name if found.speaker else None) == name


@pytest.mark.model
def test_plain_article_has_no_turns() -> None:
    assert transcript_turns(parse("NOTE: the figures are estimates. Tanks were sent.")) == []


# ----------------------------------------------------------------------- document speakers

DOCUMENT_CASES = [
    (
        "Remarks by Ambassador Helen Cole at a Security Council Briefing\n\n"
        "Thank you, Madam President. Iran has shipped drones to Russia.",
        Speaker("Helen Cole", "Ambassador"),
    ),
    (
        "Statement by Secretary Paul Grant on the New Sanctions\n\n"
        "The regime has sent ballistic missiles to its ally.",
        Speaker("Paul Grant", "Secretary"),
    ),
    (
        "Omar Haddad\nPolitical Counselor\nNew York\n\n"
        "Thank you, Mr. President. The shells were shipped by rail.",
        Speaker("Omar Haddad"),
    ),
    (
        "Attributed to Pentagon Press Secretary Alan Brooks:\n\n"
        "The department announced a new package of mortar rounds for the army.",
        Speaker("Alan Brooks", "Press Secretary"),
    ),
    (
        "URL: https://example.gov/remarks-by-ambassador-helen-cole-at-the-council/\n"
        "DATE: 2024-06-01\n\nThank you. Iran has shipped drones to Russia.",
        Speaker("Helen Cole", "Ambassador"),
    ),
    # a byline names the author, who asserts the text: no speaker
    ("By Jane Roe\n\nThe ministry has sent ballistic missiles to its ally.", None),
    # a slug without a title after "by" names no one
    (
        "URL: https://example.gov/press-gaggle-by-white-house-staff/\n\nThe rounds arrived.",
        None,
    ),
]


@pytest.mark.model
@pytest.mark.parametrize("text, expected", DOCUMENT_CASES)
def test_document_speaker(text: str, expected: Speaker | None) -> None:
    doc = parse(text)
    assert document_speaker(doc) == expected
    last = sentence_sources(doc, find_quotes(doc))[-1]
    assert last.speaker == expected
    assert last.kind == ("document" if expected else "none")


# ------------------------------------------------------------------------ sentence sources

SENTENCE_CASES = [
    (
        "Defense Secretary Paul Grant said the missiles had arrived in Kyiv.",
        "missiles",
        "reported",
        "Paul Grant",
    ),
    (
        "According to the ministry, the tanks were shipped by rail.",
        "tanks",
        "according_to",
        "ministry",
    ),
    ("Russia received the drones in August.", "drones", "none", None),
    ("We assess that the shipments continued.", "shipments", "none", None),
    (
        "Pentagon Press Secretary Alan Brooks spoke on Monday. He said the radars were delivered"
        " in May.",
        "radars",
        "reported",
        "Alan Brooks",
    ),
    (
        "The ministry's statement said the rifles had been seized at the port.",
        "rifles",
        "reported",
        "ministry",
    ),
    # a named person's frame overrides the document speaker; "the United States" does not
    (
        "Remarks by Ambassador Helen Cole\n\nAs General Tomas Varga said last week, the missiles"
        " had arrived in Kyiv.",
        "missiles",
        "reported",
        "Tomas Varga",
    ),
    (
        "Remarks by Ambassador Helen Cole\n\nThe United States can confirm that the drones were"
        " delivered.",
        "drones",
        "document",
        "Helen Cole",
    ),
    # investigators' findings: "a report by X found", "the Panel of Experts on Y found"
    (
        "A report by Conflict Armament Research found that the drones had been shipped by sea.",
        "drones",
        "reported",
        "Conflict Armament Research",
    ),
    (
        "The UN Panel of Experts on Yemen found that the rifles came from Iran.",
        "rifles",
        "reported",
        "UN Panel of Experts on Yemen",
    ),
    # "X is believed/said to": the subject is talked about, it does not speak
    ("Moscow is believed to have given Tehran the jets.", "jets", "none", None),
    # the one accused is not the speaker; "by X" is
    ("Iran is accused of sending the drones to Ethiopia.", "drones", "none", None),
    (
        "Iran was accused by Ukraine of sending the drones to Russia.",
        "drones",
        "reported",
        "Ukraine",
    ),
    (
        "The Pentagon on Tuesday said the tanks had arrived.",
        "tanks",
        "reported",
        "Pentagon",
    ),
    # a parenthetical frame ("..., the diplomats said, and ...") attributes its sentence
    (
        "Belarus has moved shells to the border, the diplomats said, and more may follow.",
        "shells",
        "reported",
        "diplomats",
    ),
    # "the officials" are the officials the document named before
    (
        "Ukrainian officials said on Monday that drones had struck the port. The rockets came"
        " by sea, the officials said.",
        "rockets",
        "reported",
        "Ukrainian officials",
    ),
    (
        "European diplomats described the talks. The rockets came by sea, the officials said.",
        "rockets",
        "reported",
        "officials",
    ),
    # a sentence holding a quotation takes the quote's speaker
    (
        "\u201cThe fuel was smuggled across the lake,\u201d said Nadia Roy.",
        "fuel",
        "quote",
        "Nadia Roy",
    ),
]


@pytest.mark.model
@pytest.mark.parametrize("text, phrase, kind, name", SENTENCE_CASES)
def test_sentence_sources(text: str, phrase: str, kind: str, name: str | None) -> None:
    doc = parse(text)
    attributions = sentence_sources(doc, find_quotes(doc))
    found = source_at(attributions, text.index(phrase))
    assert found is not None
    assert found.kind == kind
    assert (found.speaker.name if found.speaker else None) == name


@pytest.mark.model
def test_one_attribution_per_sentence_in_order() -> None:
    text = "The drones arrived. Officials said the shells followed. Kyiv confirmed it."
    doc = parse(text)
    attributions = sentence_sources(doc, find_quotes(doc))
    assert [(a.start, a.end) for a in attributions] == [
        (s.start_char, s.end_char) for s in doc.sents
    ]


# ------------------------------------------------------------------ model-free: source_at, data

ROWS = [
    Attribution(0, 10, None, "none"),
    Attribution(11, 30, Speaker("Jane Roe"), "reported"),
]


@pytest.mark.parametrize(
    "offset, expected",
    [(0, ROWS[0]), (9, ROWS[0]), (10, None), (11, ROWS[1]), (29, ROWS[1]), (30, None), (-1, None)],
)
def test_source_at(offset: int, expected: Attribution | None) -> None:
    assert source_at(ROWS, offset) == expected


def test_shipped_cues_load() -> None:
    cues = load_cues()
    assert {"say", "tell", "deny", "announce"} <= cues.report_verbs
    assert cues.report_verbs <= cues.quote_verbs
    assert ("according", "to") in cues.prepositional_frames
    assert cues.is_title("Gen.") and cues.is_title("spokesperson")


@pytest.mark.parametrize(
    "broken",
    [
        ["not", "a", "mapping"],
        {"report_verbs": "say"},
        {"report_verbs": ["Say"], "prepositional_frames": [["according", "to"]]},
        {"report_verbs": ["say"], "prepositional_frames": [["according"]]},
    ],
)
def test_broken_cues_fail_fast(monkeypatch: pytest.MonkeyPatch, broken: object) -> None:
    monkeypatch.setattr(speech_cues, "load_yaml", lambda name: broken)
    load_cues.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"speech\.yaml"):
            load_cues()
    finally:
        load_cues.cache_clear()
