"""Keyword prefilter: find the sentences worth parsing before any model runs.

An Aho-Corasick automaton over trigger words (every inflection) and item terms scans raw text.
A document with no item term is not about arms transfers and skips the parse; in one that is,
only the sentences with an item term (or a trigger next to one) are kept, with the neighbours
they need (an antecedent for "it" or "the two countries", a speaker named after a quote) and the
document's title lines. `mask` blanks the rest with spaces so that every character offset stays
valid. It must not lose recall: a sentence carrying a claim always has an item term, and that is
all it needs to pass.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from armstrace.resources import load_yaml

SENTENCE_END = re.compile(r"(?<=[.!?\"”’])\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z\"“]{2})")
# A full stop after these does not end a sentence ("U.N. Security Council", "Oct. 2").
ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|Gen|Lt|"
    r"Col|Maj|Capt|Adm|Sgt|Gov|Sen|Rep|Amb|Prof|St|No|Nos|Vol|Art|para|approx|vs|e\.g|i\.e)\.)$"
)
# Modifiers that make a trigger's object military when the item is not a catalogue term:
# "military, logistical and intelligence support", "lethal and non-lethal assistance".
ITEM_CUES = ("military", "lethal", "defence", "defense")
QUOTE_REACH = 6  # sentences a quotation may run across
QUOTE_MARKS = re.compile(r'["\u201c\u201d]')
# What makes a neighbouring sentence matter: words that refer back to an earlier sentence's
# actors or items, and verbs that attribute the sentence before them.
ANAPHORA = re.compile(
    r"\b(?:he|she|it|its|they|them|their|such|both|either|neither|former|latter|"
    r"(?:this|that|these|those)(?!\s+(?:year|month|week|morning|afternoon|evening|spring|summer|"
    r"autumn|fall|winter|time)\b)|"
    r"the (?:two|same|north|south|country|countries|nation|nations|regime|government|state|"
    r"kingdom|republic|militia|group|shipments?|cargo|weapons|arms|deal|transfers?)(?!\s+of\b))\b",
    re.IGNORECASE,
)
ATTRIBUTING = re.compile(
    r"\b(?:said|says|say|told|tells|according|added|adds|stated|noted|claimed|alleged|wrote|"
    r"reported|announced|confirmed|denied|insisted|argued|warned|explained|asked)\b",
    re.IGNORECASE,
)

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
    for word in ITEM_CUES:
        if word not in auto:
            auto.add_word(word, (word, "item"))
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
        if "\n" not in match.group() and ABBREVIATION.search(
            text, max(0, match.start() - 6), match.start()
        ):
            continue
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
    """Character ranges to parse: the sentences with a keyword and the context they need.

    A keyword sentence is kept whole with any sentences its quotation runs across. Its
    neighbours are kept only when they can matter: the sentence before when the kept one
    refers back ("it", "the two countries") or the one before ends with a colon, and the
    sentence after when the kept one quotes and that one attributes ("Kirby said so.").
    Title-like header lines (where the document's speaker is named) and transcript speaker
    labels are always kept.
    """
    hits = scan(text)
    if not any(kind == "item" for _, _, kind in hits):
        return []
    spans = sentences(text)
    opened = _quote_state(text, spans)
    kinds: dict[int, set[str]] = {}
    cursor = 0
    for start, _end, kind in sorted(hits):
        while cursor < len(spans) and spans[cursor][1] <= start:
            cursor += 1
        if cursor < len(spans):
            kinds.setdefault(cursor, set()).add(kind)
    keep: set[int] = set()
    for i, found in kinds.items():
        # A trigger with no item near it ("announced record profits") is not about arms; one
        # next to a sentence that names items may carry them by anaphora ("sent them").
        if "item" in found or any("item" in kinds.get(j, ()) for j in (i - 1, i + 1)):
            keep.update(_context(text, spans, opened, i))
    keep.update(_header(text, spans))
    for i, (start, _end) in enumerate(spans):
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


def _quote_state(text: str, spans: list[tuple[int, int]]) -> list[tuple[bool, bool]]:
    """For each sentence: is a quotation open at its start, and at its end? Quote marks are
    counted from the start of the paragraph, since a paragraph break ends a quote's reach."""
    state = []
    inside = False
    previous_end = 0
    for start, end in spans:
        if "\n\n" in text[previous_end:start] or "\n\n" in text[previous_end : start + 1]:
            inside = False
        at_start = inside
        inside ^= len(QUOTE_MARKS.findall(text, start, end)) % 2 == 1
        state.append((at_start, inside))
        previous_end = end
    return state


def _context(
    text: str, spans: list[tuple[int, int]], opened: list[tuple[bool, bool]], i: int
) -> range:
    """The sentence i, the quotation it sits in, and the neighbours it needs (see windows)."""
    first, last = i, i
    while first > 0 and opened[first][0] and i - first < QUOTE_REACH:
        first -= 1
    while last + 1 < len(spans) and opened[last][1] and last - i < QUOTE_REACH:
        last += 1
    unit = text[spans[first][0] : spans[last][1]]
    if first > 0 and (
        ANAPHORA.search(unit)
        or text[spans[first - 1][0] : spans[first - 1][1]].rstrip().endswith(":")
    ):
        first -= 1
    quoted = QUOTE_MARKS.search(unit) is not None
    if quoted and last + 1 < len(spans) and ATTRIBUTING.search(text, *spans[last + 1]):
        last += 1
    return range(first, last + 1)


def _header(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Sentences that overlap a title-like line of the document's head (attribution reads
    "Remarks by X" and name lines there); body paragraphs of the head are left out."""
    from armstrace.extract.document_speaker import HEADER_CHARS, HEADER_LINES

    keep: set[int] = set()
    offset = 0
    for number, line in enumerate(text[:HEADER_CHARS].split("\n")):
        if number >= HEADER_LINES:
            break
        words = len(line.split())
        sentence_like = line.rstrip(" \"'\u201d\u2019)").endswith((".", "!", "?"))
        if words and words <= 40 and not (sentence_like and words > 12):
            end = offset + len(line)
            keep.update(k for k, (a, b) in enumerate(spans) if a < end and offset < b)
        offset += len(line) + 1
    return keep


def prefiltered(text: str) -> str | None:
    """The text to parse under the prefilter: `text` masked to its windows, or None when the
    text names no item at all and need not be parsed."""
    keep = windows(text)
    return mask(text, keep) if keep else None


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
