"""Attribution: direct quotes with their speakers, and the source of every sentence.

Quotes are found by their marks and tied to a speaker by their frame ("...," X said); transcript
speaker labels and a document's title line give default speakers. This stage decides nothing
about transfers: the claim extractor asks `source_at` for the source of an evidence offset.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from armstrace.extract.document_speaker import document_speaker, document_speaker_of
from armstrace.extract.people import People
from armstrace.extract.quotes import find_quotes
from armstrace.extract.speakers import SpeakerClass, according_to, tidy_speaker, verb_speaker
from armstrace.extract.speech_cues import SpeechCues, load_cues
from armstrace.extract.transcripts import Turn, transcript_turns, transcript_turns_of
from armstrace.records import Quote, Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "Attribution",
    "SpeechCues",
    "Turn",
    "document_speaker",
    "find_quotes",
    "load_cues",
    "sentence_sources",
    "source_at",
    "transcript_turns",
]

AttributionKind = Literal["quote", "reported", "according_to", "transcript", "document", "none"]
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "dobj", "parataxis", "advcl", "prep"})
MIN_OVERLAP = 3  # a sentence that only holds a quote's closing mark is not inside it


@dataclass(frozen=True, slots=True)
class Attribution:
    """The source of one sentence: `speaker` is None when the author asserts it."""

    start: int
    end: int
    speaker: Speaker | None
    kind: AttributionKind
    is_question: bool = False


def sentence_sources(
    doc: Doc, quotes: Sequence[Quote], *, url: str | None = None
) -> list[Attribution]:
    """One Attribution per sentence of `doc.sents`, in order; a sentence the parser ran across
    a line break gets one per line, since a paragraph break always ends a quote's or a turn's
    reach. Look sources up by offset with `source_at`.

    Precedence: a quotation with a speaker, then a transcript turn (reporters' questions have
    no speaker), then `according to X`, then a reporting frame ("X warned that ..."), then the
    document's speaker. Where a document has a speaker, only a named person's frame overrides it.
    `url` (else a "URL:" line of the text) may name the speaker: "/remarks-by-ambassador-x-y".
    """
    people = People(doc, load_cues(), skip=[(q.start, q.end) for q in quotes])
    turns = transcript_turns_of(people)
    default = None if turns else document_speaker_of(doc, people, turns, url)
    for quote in quotes:
        if quote.speaker is not None:
            people.add(quote.start, quote.speaker)
    quote_starts = [q.start for q in quotes]
    turn_starts = [t.start for t in turns]
    result: list[Attribution] = []
    for sent in doc.sents:
        for piece in _lines_of(sent):
            start, end = piece.start_char, piece.end_char
            over = _quote_over(quotes, quote_starts, start, end)
            turn = _turn_at(turns, turn_starts, start)
            found = _attribute(piece, over, turn, default, people)
            speaker = tidy_speaker(found.speaker)
            words = speaker.name.split() if speaker is not None else []
            named_group = len(words) > 1 and words[-1].islower()
            if speaker is not None and named_group and found.kind != "document":
                people.add_group(start, speaker)
            result.append(replace(found, speaker=speaker))
    return result


def _lines_of(sent: Span) -> list[Span]:
    """The sentence cut at line breaks, each piece trimmed to its words."""
    if "\n" not in sent.text.strip():
        return [sent]
    pieces: list[Span] = []
    offset = sent.start_char
    for line in sent.text.split("\n"):
        stripped = line.strip()
        if stripped:
            begin = offset + line.index(stripped)
            piece = sent.doc.char_span(begin, begin + len(stripped), alignment_mode="expand")
            if piece is not None and len(piece):
                pieces.append(piece)
        offset += len(line) + 1
    return pieces or [sent]


def _attribute(
    sent: Span, quote: Quote | None, turn: Turn | None, default: Speaker | None, people: People
) -> Attribution:
    start, end = sent.start_char, sent.end_char
    if turn is not None and turn.is_question:
        return Attribution(start, end, None, "transcript", is_question=True)
    if quote is not None:
        return Attribution(start, end, quote.speaker, "quote")
    if turn is not None:
        return Attribution(start, end, turn.speaker, "transcript")
    found = according_to(list(sent), people)
    if found and (default is None or found[1] == "person"):
        return Attribution(start, end, found[0], "according_to")
    found = _reported(sent, people)
    if found and (default is None or found[1] == "person"):
        return Attribution(start, end, found[0], "reported")
    if default is not None:
        return Attribution(start, end, default, "document")
    return Attribution(start, end, None, "none")


def _adds_to(verb: Token) -> bool:
    """ "would add to the weapons Moscow relies on": "add to" increases, it reports nothing."""
    deps = {c.dep_ for c in verb.children}
    return (
        verb.lemma_.lower() == "add"
        and any(c.dep_ == "prep" and c.lower_ == "to" for c in verb.children)
        and not deps & {"ccomp", "parataxis", "dobj"}
    )


def _reported(sent: Span, people: People) -> tuple[Speaker, SpeakerClass] | None:
    """The subject of the reporting verb nearest the sentence's root that takes content."""
    verbs = [
        t
        for t in sent
        if t.pos_ == "VERB"
        and t.lemma_.lower() in people.cues.report_verbs
        # "X said that ...", or a parenthetical "..., the officials said, ..." (parataxis)
        and (any(c.dep_ in CLAUSE_DEPS for c in t.children) or t.dep_ == "parataxis")
        and not _adds_to(t)
    ]
    verbs.sort(key=lambda t: sum(1 for _ in t.ancestors))
    for verb in verbs:
        found = verb_speaker(verb, people)
        if found:
            return found
    return None


def _quote_over(
    quotes: Sequence[Quote], starts: Sequence[int], start: int, end: int
) -> Quote | None:
    """The first quote with a speaker that overlaps [start, end)."""
    index = max(bisect.bisect_right(starts, start) - 1, 0)
    for quote in quotes[index:]:
        if quote.start >= end:
            break
        overlap = min(quote.end, end) - max(quote.start, start)
        if overlap >= MIN_OVERLAP and quote.speaker is not None:
            return quote
    return None


def _turn_at(turns: Sequence[Turn], starts: Sequence[int], offset: int) -> Turn | None:
    index = bisect.bisect_right(starts, offset) - 1
    if index < 0 or offset >= turns[index].end:
        return None
    return turns[index]


def source_at(attributions: Sequence[Attribution], char_offset: int) -> Attribution | None:
    """The attribution of the sentence holding `char_offset` (attributions in document order)."""
    starts = [a.start for a in attributions]
    index = bisect.bisect_right(starts, char_offset) - 1
    if index < 0 or char_offset >= attributions[index].end:
        return None
    return attributions[index]
