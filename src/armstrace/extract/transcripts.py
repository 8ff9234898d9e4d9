"""Transcript turns from speaker labels ("MR. KIRBY:", "Q", "QUESTION:"); reporters' turns are
questions with no speaker. A document with no labelled named speaker has no turns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from armstrace.extract.people import People
from armstrace.extract.speech_cues import load_cues
from armstrace.records import Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Turn", "transcript_turns", "transcript_turns_of"]

LABEL_RE = re.compile(r"^[ \t]*(?P<label>[A-Z][A-Z.'\u2019\- ]{0,40}?)[ \t]*:(?=\s)", re.M)
Q_LABEL_RE = re.compile(r"^[ \t]*(?P<label>Q)(?:[.:]|[ \t]+)(?=[ \t]*\S)", re.M)


@dataclass(frozen=True, slots=True)
class Turn:
    """One labelled turn of a transcript; reporters' turns are questions with no speaker."""

    start: int
    end: int
    speaker: Speaker | None
    is_question: bool


def transcript_turns(doc: Doc) -> list[Turn]:
    """Labelled turns ("MR. KIRBY:", "Q", "QUESTION:"); empty unless a named speaker is labelled."""
    return transcript_turns_of(People(doc, load_cues()))


def transcript_turns_of(people: People) -> list[Turn]:
    cues = people.cues
    text = people.text
    labels: list[tuple[int, int, str]] = []
    for match in LABEL_RE.finditer(text):
        labels.append((match.start("label"), match.end(), match.group("label")))
    for match in Q_LABEL_RE.finditer(text):
        labels.append((match.start("label"), match.end(), "Q"))
    labels.sort()
    turns: list[tuple[int, Speaker | None, bool]] = []
    named = False
    for start, _, label in labels:
        words = [w for w in re.split(r"[\s.]+", label.lower()) if w]
        if not words or len(words) > 4:
            continue
        phrase = " ".join(words)
        if phrase in cues.question_labels:
            turns.append((start, None, True))
        elif phrase in cues.moderator_labels:
            turns.append((start, Speaker(phrase.title()), False))
        elif words[0] in cues.label_prefixes or words[-1] in people.full:
            title = words[0].title() if words[0] in cues.label_prefixes else None
            if title and title.lower() in cues.honorifics:
                title += "."
            surname = " ".join(w.title() for w in (words[1:] if title else words))
            if not surname:
                continue
            turns.append((start, Speaker(people.resolve(surname), title), False))
            named = True
    if not named:
        return []
    ends = [start for start, _, _ in turns[1:]] + [len(text)]
    return [
        Turn(start, end, speaker, question)
        for (start, speaker, question), end in zip(turns, ends, strict=True)
    ]
