"""Direct quotations, found by their marks (across paragraphs, scare quotes left out) and tied to
a speaker by their frame ("...," X said) or by the quote before them. It decides nothing about
the sentences outside quotation marks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from armstrace.extract.people import People, inside
from armstrace.extract.speakers import according_to, tidy_speaker, verb_speaker
from armstrace.extract.speech_cues import SpeechCues, load_cues
from armstrace.records import Quote, Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["find_quotes", "unmatched_quote_marks"]

OPEN_MARKS = frozenset("\u201c\u201e\u00ab")
CLOSE_MARKS = frozenset("\u201d\u00bb")
STRAIGHT = '"'
QUOTE_CHARS = OPEN_MARKS | CLOSE_MARKS | {STRAIGHT}
OPENING_CONTEXT = frozenset(" \t\n([{\u2014\u2013-/:")
MIN_QUOTE_WORDS = 4
MAX_FRAME_WORDS = 14  # ", said Vice Adm. Jane Holt, commander of the Fleet."
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _mark_role(text: str, index: int) -> str:
    """'open' or 'close' for a quotation mark, reading straight marks from their context."""
    char = text[index]
    if char in OPEN_MARKS:
        return "open"
    if char in CLOSE_MARKS:
        return "close"
    before = text[index - 1] if index else " "
    return "open" if before in OPENING_CONTEXT else "close"


def unmatched_quote_marks(text: str) -> list[int]:
    """Offsets of the quotation marks that pair with nothing (their fragments are narration)."""
    dropped: list[int] = []
    _quote_spans(text, dropped)
    return dropped


def _quote_spans(text: str, dropped: list[int] | None = None) -> list[list[tuple[int, int]]]:
    """Paired marks as lists of (start, end) content pieces, one piece per paragraph.

    A paragraph that ends inside a quotation continues it only when the next paragraph opens
    with a mark (news convention); any other unmatched mark is dropped with its fragment, and
    its offset added to `dropped` when given.
    """
    lost = dropped if dropped is not None else []
    found: list[list[tuple[int, int]]] = []
    pieces: list[tuple[int, int]] = []
    open_at: int | None = None

    def drop() -> None:
        lost.append(pieces[0][0] - 1 if pieces else (open_at or 1) - 1)

    positions = [i for i, char in enumerate(text) if char in QUOTE_CHARS or char == "\n"]
    for number, index in enumerate(positions):
        if text[index] == "\n":
            if open_at is None:
                continue
            following = positions[number + 1] if number + 1 < len(positions) else None
            gap = text[index:following] if following is not None else text[index:]
            if (
                following is not None
                and not gap.strip()
                and text[following] != "\n"
                and (_mark_role(text, following) == "open")
            ):
                pieces.append((open_at, index))
                open_at = -1  # the continuing paragraph's opening mark resumes the quote
            elif following is not None and text[following] == "\n" and not gap.strip():
                continue  # blank lines between paragraphs: decide at the last of them
            else:
                drop()
                pieces, open_at = [], None
            continue
        role = _mark_role(text, index)
        if open_at == -1:
            open_at = index + 1 if role == "open" else None
            if open_at is None:
                drop()
                pieces = []
            continue
        if role == "open":
            if open_at is not None:
                drop()  # an unclosed earlier mark is dropped
            pieces, open_at = [], index + 1
        elif open_at is not None:
            found.append([*pieces, (open_at, index)])
            pieces, open_at = [], None
        else:
            lost.append(index)  # a closing mark that closes nothing
    if open_at is not None:
        drop()
    return found


def _is_real_quote(doc: Doc, start: int, end: int) -> bool:
    """Scare quotes ("no limits", "covertly supplying") are not quotations."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if t.is_alpha or t.like_num]
    return len(words) >= MIN_QUOTE_WORDS or any(t.tag_ in FINITE_TAGS for t in span)


def find_quotes(doc: Doc) -> list[Quote]:
    """Direct quotations of `doc` with their speakers, in document order.

    A quotation over several paragraphs is one Quote: its text joins the paragraphs with a
    newline, its offsets run from the first opening mark's content to the last closing mark.
    """
    cues = load_cues()
    text = doc.text
    spans: list[tuple[int, int, str]] = []
    for pieces in _quote_spans(text):
        start, end = pieces[0][0], pieces[-1][1]
        body = "\n".join(text[a:b].strip() for a, b in pieces)
        if body.strip() and _is_real_quote(doc, start, end):
            spans.append((start, end, body))
    bounds = [(start, end) for start, end, _ in spans]
    people = People(doc, cues, skip=bounds)
    quotes: list[Quote] = []
    for start, end, body in spans:
        speaker = _quote_speaker(doc, start, end, bounds, people)
        if speaker is None and quotes and quotes[-1].speaker is not None:
            speaker = _continued_speaker(text, quotes[-1], start)
        speaker = tidy_speaker(speaker)
        if speaker is not None:
            people.add(start, speaker)
        quotes.append(Quote(text=body, start=start, end=end, speaker=speaker))
    return quotes


def _continued_speaker(text: str, previous: Quote, start: int) -> Speaker | None:
    """An unframed quote continues the previous speaker in its paragraph, or in the next
    paragraph when that one opens with the quote and the previous one ended with a quote."""
    between = text[previous.end : start]
    if "\n" not in between:
        return previous.speaker
    tail, _, rest = between.partition("\n")
    line_start = text.rfind("\n", 0, start) + 1
    opens_paragraph = not text[line_start:start].strip(' \t"\u201c\u201e\u00ab')
    short_tail = len(tail.split()) <= MAX_FRAME_WORDS
    if opens_paragraph and short_tail and not rest.replace("\n", "").strip(' \t"\u201c'):
        return previous.speaker
    return None


def _frame_tokens(
    doc: Doc, text: str, start: int, end: int, bounds: Sequence[tuple[int, int]]
) -> list[Token]:
    """Words around a quote that may frame it: its sentences, the next one when the quote
    closes its sentence (the parser often splits `...," | said X`), the previous one when it
    ends with a colon; never beyond the quote's own paragraphs, never inside a quotation."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    sents = [span[0].sent]
    while sents[-1].end < len(doc) and sents[-1].end_char < end:
        sents.append(doc[sents[-1].end].sent)
    if sents[-1].end < len(doc) and sents[-1].end_char <= end + 2:
        sents.append(doc[sents[-1].end].sent)
    if sents[0].start > 0 and doc[sents[0].start - 1].text == ":":
        sents.insert(0, doc[sents[0].start - 1].sent)
    return [
        t
        for sent in sents
        for t in sent
        if para_start <= t.idx < para_end and not t.is_punct and not inside(t.idx, bounds)
    ]


def _quote_speaker(
    doc: Doc, start: int, end: int, bounds: Sequence[tuple[int, int]], people: People
) -> Speaker | None:
    cues = people.cues
    frame = _frame_tokens(doc, people.text, start, end, bounds)
    found = according_to(frame, people)
    if found:
        return found[0]
    verbs = [t for t in frame if _frames_quote(t, cues)]
    verbs.sort(key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))
    for verb in verbs:
        result = verb_speaker(verb, people)
        if result:
            return result[0]
    return None


def _frames_quote(token: Token, cues: SpeechCues) -> bool:
    """A verb that can frame a quotation; "continue to buy" is not "...," she continued."""
    lemma = token.lemma_.lower()
    if token.pos_ != "VERB" or lemma not in cues.quote_verbs:
        return False
    return lemma in cues.report_verbs or not any(c.dep_ == "xcomp" for c in token.children)
