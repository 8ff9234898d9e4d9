"""The speaker of a whole document, from its title lines ("Remarks by Ambassador X", a name line
above a title line) or a URL slug of the same form. Bylines name authors, never speakers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from armstrace.extract.people import People, person_tokens, split_title
from armstrace.extract.speech_cues import SpeechCues, load_cues
from armstrace.extract.transcripts import Turn, transcript_turns_of
from armstrace.records import Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["document_speaker", "document_speaker_of"]

METADATA_RE = re.compile(r"^(URL|DATE|TITLE|SOURCE|AUTHOR|PUBLISHED):\s", re.I)
SLUG_CUES = ("remarks", "statement", "gaggle", "briefing", "testimony", "speech", "interview")
SLUG_STOPS = frozenset({"at", "on", "to", "for", "before", "in", "and", "with", "the", "u", "us"})
NAME_LINE_TOKENS = 8
HEADER_LINES = 30
HEADER_CHARS = 4000


def _header_lines(text: str) -> Iterable[tuple[int, int, str]]:
    offset = 0
    for number, line in enumerate(text[:HEADER_CHARS].split("\n")):
        if number >= HEADER_LINES or offset >= HEADER_CHARS:
            return
        if line.strip():
            yield offset, offset + len(line), line.strip()
        offset += len(line) + 1


def document_speaker(doc: Doc, url: str | None = None) -> Speaker | None:
    """Who speaks in the whole document, from its title lines ("Remarks by Ambassador X",
    "Statement by Y", "Attributed to Z:", a name line above a title line) or, failing that, a
    URL slug of the same form ("/remarks-by-ambassador-jane-roe-at-..."). Bylines ("By Jane
    Roe") name authors, never speakers; a URL is also read from a "URL:" metadata line."""
    people = People(doc, load_cues())
    return document_speaker_of(doc, people, transcript_turns_of(people), url)


def document_speaker_of(
    doc: Doc, people: People, turns: Sequence[Turn], url: str | None
) -> Speaker | None:
    cues = people.cues
    body_start = turns[0].start if turns else len(people.text)
    lines = [line for line in _header_lines(people.text) if line[0] < body_start]
    for number, (start, end, line) in enumerate(lines):
        metadata = METADATA_RE.match(line)
        if metadata:
            if metadata.group(1).lower() == "url" and url is None:
                url = line[metadata.end() :].strip()
            continue
        low = line.lower()
        if any(low == p or low.startswith((p + " ", p + ":")) for p in cues.byline_prefixes):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        cue = _cue_match(low, cues)
        if cue is not None:
            found = _first_person(span, people, cue=(start + cue[0], start + cue[1]))
            if found:
                return found
            continue
        following = lines[number + 1][2] if number + 1 < len(lines) else ""
        found = _name_line(span, people)
        if found and (found.title or any(map(cues.is_title, re.findall(r"[\w-]+", following)))):
            return found
    return _slug_speaker(url, people) if url else None


def _cue_match(low: str, cues: SpeechCues) -> tuple[int, int] | None:
    ending = low.rstrip(" \"'\u201d\u2019)")
    if len(low.split()) > 40 or (ending.endswith((".", "!", "?")) and len(low.split()) > 12):
        return None  # a sentence of the body, not a title line
    for cue in cues.document_cues:
        match = re.search(rf"\b{re.escape(cue)}\b", low)
        if match:
            return match.span()
    return None


def _first_person(span: Span, people: People, cue: tuple[int, int]) -> Speaker | None:
    """The first person named after the cue ("Remarks by X"), else before it ("X provided
    the following readout:")."""
    persons = [e for e in span.ents if e.label_ == "PERSON" and not cue[0] <= e.start_char < cue[1]]
    persons.sort(key=lambda e: (e.start_char < cue[1], e.start_char))
    for ent in persons:
        tokens = person_tokens(ent[0], people.cues)
        title, name = split_title(tokens, people.cues)
        if not people.plausible(name):
            continue
        lead = cue[1] if ent.start_char >= cue[1] else span.start_char
        before = [t.text for t in span if lead <= t.idx < tokens[0].idx]
        titled = [w for w in before if people.cues.is_title(w)]
        return Speaker(people.resolve(name), title or (" ".join(titled) or None))
    return None


def _name_line(span: Span, people: People) -> Speaker | None:
    """A line that is only a name, with or without its title ("Ambassador Jane Roe")."""
    words = [t for t in span if not t.is_space]
    names = [t for t in words if t.ent_type_ == "PERSON"]
    if not names or len(words) > NAME_LINE_TOKENS:
        return None
    person = person_tokens(names[0], people.cues)
    rest = [t for t in words if t not in person]
    if any(not (t.is_punct or people.cues.is_title(t.text)) for t in rest):
        return None
    title, name = split_title(person, people.cues)
    if len(name.split()) < 2 or not people.plausible(name):
        return None
    prefix = " ".join(t.text for t in rest if not t.is_punct) or None
    return Speaker(people.resolve(name), title or prefix)


def _slug_speaker(url: str, people: People) -> Speaker | None:
    """ "/remarks-by-ambassador-jane-roe-at-the-council/" -> Jane Roe (a title must follow
    "by", so that "press-gaggle-by-white-house-..." names no one)."""
    cues = people.cues
    words = url.rstrip("/").rsplit("/", 1)[-1].lower().split("-")
    for index, word in enumerate(words[:-2]):
        if word != "by" or not index or not any(c in words[:index] for c in SLUG_CUES):
            continue
        rest = words[index + 1 :]
        titles = 0
        while titles < len(rest) and cues.is_title(rest[titles]):
            titles += 1
        name: list[str] = []
        for part in rest[titles:]:
            if cues.is_title(part) or part in SLUG_STOPS or len(name) == 3:
                break
            name.append(part.upper() if part in ("ii", "iii", "iv") else part.title())
        if titles and len(name) >= 2:
            title = " ".join(rest[:titles]).title()
            return Speaker(people.resolve(" ".join(name)), title)
    return None
