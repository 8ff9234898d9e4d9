"""Person mentions of one document (full names by surname, who was named last, named groups)
and the helpers that split a name from its title. It does not decide who says anything."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from armstrace.extract.speech_cues import SpeechCues
from armstrace.records import Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["People", "clean", "inside", "person_tokens", "span_text", "split_title", "strip_det"]

POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019"})
PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})
METADATA_LINE_RE = re.compile(r"^(?:URL|DATE|TITLE|SOURCE|AUTHOR|PUBLISHED):.*$", re.M | re.I)
DETERMINERS = frozenset({"the", "a", "an", "this", "that"})


class People:
    """Person mentions of one document: full names by surname, and who was named last."""

    def __init__(self, doc: Doc, cues: SpeechCues, skip: Sequence[tuple[int, int]] = ()) -> None:
        self.cues = cues
        self.full: dict[str, str] = {}
        self.titles: dict[str, str] = {}  # a full name's title where the document gives one
        self._offsets: list[int] = []
        self._speakers: list[Speaker] = []
        self._groups: list[tuple[int, Speaker]] = []  # in document order
        self.text = doc.text  # Doc.text joins every token on each call: read it once
        self.metadata = [(m.start(), m.end()) for m in METADATA_LINE_RE.finditer(self.text)]
        self.place_words = {
            t.lower_ for ent in doc.ents if ent.label_ in PLACE_LABELS for t in ent if t.is_alpha
        }
        for ent in doc.ents:
            if ent.label_ != "PERSON" or inside(ent.start_char, skip):
                continue
            title, name = split_title(person_tokens(ent[0], cues), cues)
            if not self.plausible(name):
                continue
            key = name.split()[-1].lower()
            if len(name.split()) > len(self.full.get(key, "").split()):
                self.full[key] = name
            if title and name not in self.titles:
                self.titles[name] = title
            self.add(ent.start_char, Speaker(name=name, title=title))

    def plausible(self, name: str) -> bool:
        """NER calls some title words persons ("Allow Ukraine"): no place word in a name."""
        words = name.lower().split()
        return bool(words) and not any(w in self.place_words for w in words)

    def resolve(self, name: str) -> str:
        """A surname ("Kirby") becomes the fullest name the document gives ("John Kirby")."""
        words = name.split()
        if not words:
            return name
        full = self.full.get(words[-1].lower())
        return full if full and len(full.split()) > len(words) else name

    def add_group(self, offset: int, speaker: Speaker) -> None:
        """A named group source ("U.S. officials"), for a later "the officials said"."""
        self._groups.append((offset, speaker))

    def last_group(self, offset: int, head: str) -> Speaker | None:
        """The latest group source before `offset` whose last word is `head`."""
        for at, speaker in reversed(self._groups):
            if at < offset and speaker.name.split()[-1].lower() == head:
                return speaker
        return None

    def add(self, offset: int, speaker: Speaker) -> None:
        index = bisect.bisect_right(self._offsets, offset)
        self._offsets.insert(index, offset)
        self._speakers.insert(index, speaker)

    def last_before(self, offset: int) -> Speaker | None:
        index = bisect.bisect_left(self._offsets, offset)
        if not index:
            return None
        speaker = self._speakers[index - 1]
        return Speaker(self.resolve(speaker.name), speaker.title, speaker.affiliation)


def inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether `offset` falls in one of `spans` (sorted, not overlapping)."""
    index = bisect.bisect_right(spans, offset, key=lambda span: span[0]) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def person_tokens(first: Token, cues: SpeechCues) -> list[Token]:
    """A PERSON entity from its first token, with a given name NER left out ("Lloyd")."""
    doc = first.doc
    start = first.i
    while (
        start > 0
        and first.i - start < 2
        and doc[start - 1].pos_ == "PROPN"
        and not doc[start - 1].ent_type_
        and doc[start - 1].is_title
        and not cues.is_title(doc[start - 1].text)
    ):
        start -= 1
    end = first.i
    while (
        end < len(doc)
        and doc[end].ent_type_ == "PERSON"
        and not doc[end].is_space  # NER runs some names on into the next line
        and (end == first.i or doc[end].ent_iob_ == "I")
    ):
        end += 1
    return list(doc[start:end])


def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    return re.sub(r"['\u2019]s?$", "", text).strip()


def split_title(tokens: list[Token], cues: SpeechCues) -> tuple[str | None, str]:
    """Split "Vice Adm. Jane Holt's" into ("Vice Adm.", "Jane Holt")."""
    tokens = [t for t in tokens if t.text not in POSSESSIVES]
    cut = 0
    while cut < len(tokens) - 1 and (cues.is_title(tokens[cut].text) or tokens[cut].is_punct):
        cut += 1
    if cut < len(tokens) and cues.is_title(tokens[cut].text):
        cut += 1  # the whole span is a title ("Opening Remarks" is not, but "Ambassador" is)
    title = span_text(tokens[:cut]) if cut else None
    return (clean(title) if title else None), clean(span_text(tokens[cut:]))


def span_text(tokens: Sequence[Token]) -> str:
    if not tokens:
        return ""
    return str(tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text)


def strip_det(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].is_punct):
        tokens = tokens[1:]
    return tokens
