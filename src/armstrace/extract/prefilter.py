"""Keyword prefilter: find the sentences worth parsing before any model runs.

An Aho-Corasick automaton over trigger words (every inflection) and item terms scans raw text.
A document with no item term is not about arms transfers and skips the parse; in one that is,
only the sentences with an item term or trigger, their neighbours (for attribution and pronouns)
and the document's first lines (titles, bylines) are kept. `mask` blanks the rest with spaces so
that every character offset stays valid. It must not lose recall: a sentence carrying a claim
always has an item term, and that is all it needs to pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from armstrace.resources import load_yaml

SENTENCE_END = re.compile(r"(?<=[.!?\"”’])\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z\"“]{2})")
HEAD_CHARS = 600  # titles, datelines and "Remarks by ..." lines: always parsed
NEIGHBOURS = 1

IRREGULAR = {
    "send": ["sent"],
    "sell": ["sold"],
    "give": ["gave", "given"],
    "buy": ["bought"],
    "seek": ["sought"],
    "get": ["got", "gotten"],
    "take": ["took", "taken"],
    "lend": ["lent"],
    "deal": ["dealt"],
    "fire": ["fired"],
}


def inflections(lemma: str) -> set[str]:
    """Regular English inflections of a verb or noun lemma, plus the irregular ones we know."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "ing", lemma + "d"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.fullmatch(r"[a-z]*[^aeiou][aeiou][bdgmnprt]", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms.update(IRREGULAR.get(lemma, []))
    return forms


@dataclass(frozen=True, slots=True)
class Hits:
    items: int
    triggers: int


@lru_cache(maxsize=1)
def automaton() -> ahocorasick.Automaton:
    from armstrace.extract.items import all_terms

    auto = ahocorasick.Automaton()
    triggers = load_yaml("triggers.yaml")
    for part in ("verbs", "nouns"):
        for rows in triggers[part].values():
            for row in rows:
                for form in inflections(row["lemma"]):
                    auto.add_word(form, (form, "trigger"))
    for term in all_terms():
        key = term.lower()
        if len(key) >= 3:
            auto.add_word(key, (key, "item"))
    auto.make_automaton()
    return auto


def _is_word(lower: str, start: int, end: int) -> bool:
    before = lower[start - 1] if start > 0 else " "
    after = lower[end] if end < len(lower) else " "
    return not before.isalnum() and not (after.isalpha() and after not in "s")


def scan(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every keyword hit, kind "item" or "trigger"."""
    lower = text.lower()
    out = []
    for end, (word, kind) in automaton().iter(lower):
        start = end - len(word) + 1
        if _is_word(lower, start, end + 1):
            out.append((start, end + 1, kind))
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """A fast, model-free split into sentence-like spans (generous: splits are cheap to undo)."""
    spans = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def relevant(text: str) -> bool:
    """True when the text names at least one weapon, munition or military item."""
    return any(kind == "item" for _, _, kind in scan(text))


def windows(text: str) -> list[tuple[int, int]]:
    """Character ranges to parse: keyword sentences, their neighbours and the document head."""
    hits = scan(text)
    if not any(kind == "item" for _, _, kind in hits):
        return []
    spans = sentences(text)
    keep: set[int] = set()
    cursor = 0
    for start, _end, _kind in sorted(hits):
        while cursor < len(spans) and spans[cursor][1] <= start:
            cursor += 1
        if cursor < len(spans):
            keep.update(
                range(max(0, cursor - NEIGHBOURS), min(len(spans), cursor + NEIGHBOURS + 1))
            )
    for i, (start, _end) in enumerate(spans):
        if start < HEAD_CHARS:
            keep.add(i)
        if text[start : start + 1].isupper() and re.match(r"[A-Z .’']{2,40}:", text[start:]):
            keep.add(i)  # transcript speaker labels ("MR. KIRBY:") attribute what follows
    merged: list[tuple[int, int]] = []
    for i in sorted(keep):
        start, end = spans[i]
        if merged and start - merged[-1][1] <= 2:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def mask(text: str, keep: list[tuple[int, int]]) -> str:
    """The text with everything outside `keep` blanked (newlines kept), offsets unchanged."""
    out = []
    cursor = 0
    for start, end in keep:
        out.append(_blank(text[cursor:start]))
        out.append(text[start:end])
        cursor = end
    out.append(_blank(text[cursor:]))
    return "".join(out)


def _blank(chunk: str) -> str:
    return re.sub(r"[^\n]", " ", chunk)
