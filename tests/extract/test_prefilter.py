"""The keyword prefilter must never hide a sentence that carries a claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armstrace.extract.prefilter import inflections, mask, relevant, windows
from armstrace.ingest import iter_documents


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
    for result in iter_documents([str(dev_corpus / "texts")]):
        document = result.document
        assert document is not None
        spans = windows(document.text)
        for claim in gold.get(document.name, []):
            start = document.text.find(claim["evidence"])
            if start < 0:
                continue
            end = start + len(claim["evidence"])
            if not any(a <= start and end <= b for a, b in spans):
                lost.append((document.name, claim["evidence"][:60]))
    assert lost == []
