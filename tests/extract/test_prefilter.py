"""The keyword prefilter must never hide a sentence that carries a claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armstrace.extract.prefilter import inflections, mask, relevant, windows
from armstrace.jobs import IngestReport, read_documents


@pytest.mark.parametrize(
    "lemma, form",
    [
        ("supply", "supplied"),
        ("ship", "shipped"),
        ("send", "sent"),
        ("sell", "sold"),
        ("deliver", "delivering"),
        ("provide", "provided"),
        ("buy", "bought"),
    ],
)
def test_inflections(lemma: str, form: str) -> None:
    assert form in inflections(lemma)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Iran shipped drones to Russia.", True),
        ("The central bank held rates steady on Tuesday.", False),
        ("North Korea sent millions of artillery shells.", True),
        ("Farmers sold apples and pears at the market.", False),
    ],
)
def test_relevant(text: str, expected: bool) -> None:
    assert relevant(text) is expected


def test_mask_keeps_offsets() -> None:
    text = "Weather news first.\n\nIran sent drones to Russia. More weather."
    keep = [(21, 48)]
    masked = mask(text, keep)
    assert len(masked) == len(text)
    assert masked[21:48] == text[21:48]
    assert masked[:19].strip() == ""


def test_no_gold_claim_sentence_is_filtered_out(dev_corpus: Path) -> None:
    gold = {}
    for line in (dev_corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold[row["doc"]] = row["claims"]
    lost = []
    report = IngestReport()
    for document, _, _ in read_documents([str(dev_corpus / "texts")], report):
        spans = windows(document.text)
        for claim in gold.get(document.name, []):
            start = document.text.find(claim["evidence"])
            if start < 0:
                continue
            end = start + len(claim["evidence"])
            if not any(a <= start and end <= b for a, b in spans):
                lost.append((document.name, claim["evidence"][:60]))
    assert lost == []
    assert report.outcomes == []


def _kept(text: str) -> list[str]:
    """The sentences (by the prefilter's own split) that windows() keeps."""
    from armstrace.extract.prefilter import sentences

    spans = windows(text)
    return [text[a:b] for a, b in sentences(text) if any(x <= a and b <= y for x, y in spans)]


@pytest.mark.parametrize(
    "text, pieces",
    [
        ("The U.N. Security Council met. Weather was fine.", 2),
        ("On Oct. 2 the ship left port. It arrived later.", 2),
        ("Gen. Smith spoke first. Then Mr. Jones replied.", 2),
        ("Iran sent drones. Russia used them.", 2),
        ("A line without a stop\n\nAnother paragraph.", 2),
    ],
)
def test_sentence_split_skips_abbreviations(text: str, pieces: int) -> None:
    from armstrace.extract.prefilter import sentences

    assert len(sentences(text)) == pieces


FILLER = "The city council voted to extend the tram line to the new hospital."
HEAD = "A title line\n\n" + " ".join([FILLER] * 3) + "\n\n"


@pytest.mark.parametrize(
    "body, kept, dropped",
    [
        # a keyword sentence alone: its unrelated neighbours are not parsed
        (f"{FILLER} Iran sent drones to Russia. {FILLER}", ["Iran sent drones"], [FILLER]),
        # "it" refers back: the sentence before is kept for the antecedent
        (
            "Officials in Tehran spoke on Monday. It shipped drones to Russia.",
            ["Officials in Tehran", "It shipped"],
            [],
        ),
        # a trigger with no item anywhere near it is not about arms
        (
            f"Iran sent drones to Russia. {FILLER} {FILLER} The firm announced record profits.",
            ["Iran sent drones"],
            ["announced record profits"],
        ),
        # a trigger next to a sentence with items may carry them by anaphora
        (
            "Iran built new drones. Russia bought the lot in May.",
            ["Iran built", "Russia bought"],
            [],
        ),
        # a quotation running across sentences is kept whole, with the speaker after it
        (
            f'{FILLER} "We saw the launches. Iran sent drones to Russia." Kirby said so.',
            ["We saw the launches", "Iran sent drones", "Kirby said so"],
            [FILLER],
        ),
        # a colon introduces the keyword sentence: the line before is kept
        (
            "North Korea has provided the following:\n\nartillery shells and rockets.",
            ["North Korea has provided", "artillery shells"],
            [],
        ),
        # "military ... support" is an item even though no catalogue term is named
        (
            f"{FILLER} Iran gave the Houthis military and intelligence support.",
            ["military and intelligence support"],
            [FILLER],
        ),
    ],
)
def test_windows_keep_what_claims_need(body: str, kept: list[str], dropped: list[str]) -> None:
    text = HEAD + body
    sentences_kept = " | ".join(_kept(text))
    for piece in kept:
        assert piece in sentences_kept
    for piece in dropped:
        assert piece not in sentences_kept.replace(HEAD, "")


def test_title_lines_are_kept_but_not_body_paragraphs() -> None:
    text = (
        "Remarks by Ambassador Jane Roe\n\n"
        + " ".join([FILLER] * 3)
        + ("\n\nIran sent drones to Russia.")
    )
    kept = " | ".join(_kept(text))
    assert "Remarks by Ambassador Jane Roe" in kept
    assert FILLER not in kept


def test_text_without_items_is_not_parsed() -> None:
    from armstrace.extract.prefilter import prefiltered

    assert prefiltered("Farmers sold apples. The council met on Monday.") is None
    masked = prefiltered(HEAD + "Iran sent drones to Russia.")
    assert masked is not None and "Iran sent drones" in masked
