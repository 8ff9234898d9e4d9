"""Corroboration: near-duplicate documents, wire copy, source kinds and independent sources."""

from __future__ import annotations

import pytest

from armstrace.kb.corroboration import (
    NEAR_DUPLICATE,
    credited_agency,
    document_origin,
    independent_groups,
    minhash,
    outlet_of,
    same_speaker,
    similarity,
    source_kind,
)
from armstrace.records import Claim, Document

STORY = (
    "The defence ministry said on Monday that a cargo ship had carried several hundred containers "
    "of artillery ammunition from the northern port to a naval base on the other side of the sea, "
    "and that satellite images showed rail cars waiting at the quay for the next load. Officials "
    "added that the route had been used at least four times since the autumn and that the "
    "shipments appeared to be growing in size as the winter went on."
)
REWRITE = (
    "Satellite pictures show freight wagons lined up at a quay, and ministry officials believe "
    "a merchant vessel has moved hundreds of shipping containers full of shells across the sea "
    "to a navy base. According to the ministry, the voyages began in autumn, have happened at "
    "least four times and keep getting bigger."
)


def document(text: str, name: str = "d", **kwargs: str) -> Document:
    return Document.make(text, name, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "left, right, duplicate",
    [
        (STORY, STORY, True),
        (STORY, "LONDON (Wire) — " + STORY.replace("Monday", "Tuesday"), True),  # new dateline
        (STORY, STORY[: len(STORY) * 3 // 4], True),  # a trimmed copy
        (STORY, REWRITE, False),  # the same facts in other words
        (STORY, "An unrelated note about the weather in the mountains this week.", False),
    ],
)
def test_near_duplicates(left: str, right: str, duplicate: bool) -> None:
    assert (similarity(minhash(left), minhash(right)) >= NEAR_DUPLICATE) is duplicate


def test_minhash_is_deterministic() -> None:
    assert minhash(STORY) == minhash(STORY) and len(set(minhash(STORY))) > 1


@pytest.mark.parametrize(
    "text, outlet, url, expected",
    [
        ("SEOUL (AP) — North Korea has sent shells.", None, None, "Associated Press"),
        ("Iran has sent drones, Reuters reported on Friday.", None, None, "Reuters"),
        ("The minister told Yonhap that the shipments continued.", None, None, "Yonhap"),
        ("Officials spoke, according to TASS.", None, None, "TASS"),
        ("A shipment arrived.", "Agence France-Presse", None, "Agence France-Presse"),
        ("A shipment arrived.", None, "https://www.reuters.com/world/x", "Reuters"),
        ("The AP style guide was not consulted; a map was.", None, None, None),  # no credit
        ("SEOUL (Harbour Daily) — the ship left port.", None, None, None),
        ("The app crashed. Snap decisions followed.", None, None, None),  # lower-case 'ap'
    ],
)
def test_credited_agency(
    text: str, outlet: str | None, url: str | None, expected: str | None
) -> None:
    kwargs = {k: v for k, v in (("outlet", outlet), ("url", url)) if v}
    assert credited_agency(document(text, **kwargs)) == expected


@pytest.mark.parametrize(
    "text, outlet, url, expected",
    [
        ("LONDON (Meridian Wire) — text", None, None, "Meridian Wire"),
        ("text", "Harbour Daily", None, "Harbour Daily"),
        ("text", None, "https://www.example.org/a", "example.org"),
        ("text", None, None, None),
    ],
)
def test_outlet_of(text: str, outlet: str | None, url: str | None, expected: str | None) -> None:
    kwargs = {k: v for k, v in (("outlet", outlet), ("url", url)) if v}
    assert outlet_of(document(text, **kwargs)) == expected


@pytest.mark.parametrize(
    "source, title, affiliation, expected",
    [
        (None, None, None, "author"),
        ("Antony Blinken", "U.S. Secretary of State", None, "official"),
        ("Iran's foreign ministry", None, None, "official"),
        ("White House", None, None, "official"),
        ("North Korea", None, None, "official"),  # a state speaking
        ("U.S. officials", None, None, "anonymous"),
        ("a source familiar with the matter", None, None, "anonymous"),
        ("Rafael Ortiz", "associate fellow", "Royal United Services Institute", "expert"),
        ("analysts", None, None, "expert"),
        ("IISS", None, None, "expert"),
        ("British media reports", None, None, "outlet"),
        ("Someone Unplaced", None, None, "outlet"),  # attributed but unknown: the outlet's
    ],
)
def test_source_kind(
    source: str | None, title: str | None, affiliation: str | None, expected: str
) -> None:
    assert source_kind(source, title, affiliation) == expected


@pytest.mark.parametrize(
    "left, right, same",
    [("Antony Blinken", "Blinken", True), ("Park", "Park Min-ho", True),
     ("Shin Won-sik", "Shin", True), ("White House", "white house", True),
     ("Iran's foreign ministry", "foreign ministry", False),  # not a personal name
     ("Park Min-ho", "Lee Min-ho", False), ("U.S. officials", "officials", False)],
)  # fmt: skip
def test_same_speaker(left: str, right: str, same: bool) -> None:
    assert same_speaker(left, right) is same
    assert same_speaker(right, left) is same


def _claim(doc: Document, source: str | None) -> Claim:
    return Claim(doc.id, "PRK", "RUS", "ammunition", "delivered", (), "e", 0, 1, source=source)


@pytest.mark.parametrize(
    "setup, expected",
    [
        # (text, outlet, source, kind) per document
        ([(STORY, "A", "Park", "official"), (REWRITE, "B", None, "author")], 2),
        ([(STORY, "A", None, "author"), ("X " + STORY, "B", None, "author")], 1),  # near-dup
        ([("(AP) — one.", "A", None, "author"), ("(AP) — two words.", "B", None, "author")], 1),
        ([(STORY, "A", "Park", "official"), (REWRITE, "B", "Park Min-ho", "official")], 1),
        ([(STORY, "A", None, "author"), (REWRITE, "A", None, "anonymous")], 1),  # one outlet
        ([(STORY, "A", "Park", "official"), (REWRITE, "A", "Lee", "official")], 2),
    ],
)
def test_independent_groups(setup: list[tuple[str, str, str | None, str]], expected: int) -> None:
    docs = [document(t, f"n{i}", outlet=o) for i, (t, o, _, _) in enumerate(setup)]
    claims = [_claim(d, s) for d, (_, _, s, _) in zip(docs, setup, strict=True)]
    kinds = {c.id: k for c, (_, _, _, k) in zip(claims, setup, strict=True)}
    origins = {d.id: document_origin(d) for d in docs}
    groups = independent_groups(claims, origins, kinds)
    assert len(groups) == expected
    assert independent_groups(claims[::-1], origins, kinds) == groups
