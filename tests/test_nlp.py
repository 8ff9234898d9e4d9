"""Parsing in bounded pieces: pieces join back into the text, a long text parses into one Doc
with the original offsets, and one failing text costs only itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from armstrace import nlp
from armstrace.nlp import PIECE_CHARS, parse_texts, pieces

PARAGRAPH = (
    "Norway has delivered two air defence systems to Ukraine, its defence ministry said. "
    "The systems travelled by rail through Poland. "
)


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("short", 10, ["short"]),
        ("aaaa\n\nbbbb\n\ncccc", 12, ["aaaa\n\nbbbb\n\n", "cccc"]),
        ("one line\ntwo lines", 12, ["one line\n", "two lines"]),
        ("A sentence. Another one.", 15, ["A sentence. ", "Another one."]),
        ("words and words", 8, ["words ", "and ", "words"]),
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),
    ],
)
def test_pieces_cut_at_the_best_boundary(text: str, limit: int, expected: list[str]) -> None:
    assert pieces(text, limit) == expected


def test_pieces_of_a_long_text_join_back_and_stay_under_the_limit() -> None:
    text = (PARAGRAPH * 40 + "\n\n") * 30 + "z" * (3 * PIECE_CHARS)
    parts = pieces(text)
    assert "".join(parts) == text
    assert all(len(p) <= PIECE_CHARS for p in parts)


class FakeDoc:
    def __init__(self, text: str) -> None:
        self.text = text


class FakeNlp:
    """Parses anything but a text containing BOOM, in a batch or alone."""

    def pipe(self, texts: Iterable[str], n_process: int = 1) -> Iterator[FakeDoc]:
        texts = list(texts)
        if any("BOOM" in t for t in texts):
            raise ValueError("cannot parse")
        return iter([FakeDoc(t) for t in texts])

    def __call__(self, text: str) -> FakeDoc:
        if "BOOM" in text:
            raise ValueError("cannot parse")
        return FakeDoc(text)


def test_a_failing_text_costs_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "get_nlp", lambda: FakeNlp())
    failures: list[tuple[Any, str]] = []
    items = [("first", 1), ("BOOM", 2), (None, 3), ("fourth", 4)]
    out = list(parse_texts(items, lambda context, exc: failures.append((context, str(exc)))))
    assert [(doc.text if doc else None, context) for doc, context in out] == [
        ("first", 1),
        (None, 3),
        ("fourth", 4),
    ]
    assert failures == [(2, "cannot parse")]


@pytest.mark.model
def test_a_text_longer_than_the_model_limit_parses_with_its_offsets() -> None:
    from armstrace.extract.document import extract_parsed
    from armstrace.records import Document

    model = nlp.get_nlp()
    text = "\n\n".join([PARAGRAPH * 30] * 12)
    assert len(text) > 3 * PIECE_CHARS
    document = Document.make(text, "long")
    whole = extract_parsed(document, model(text))
    assert whole.claims
    saved = model.max_length
    model.max_length = 2 * PIECE_CHARS  # spaCy would refuse the text whole (E088)
    try:
        ((doc, _),) = list(parse_texts([(text, document)], pytest.fail))
    finally:
        model.max_length = saved
    assert doc is not None and doc.text == text
    assert extract_parsed(document, doc).claims == whole.claims
    for claim in whole.claims:
        assert text[claim.evidence_start : claim.evidence_end] == claim.evidence
