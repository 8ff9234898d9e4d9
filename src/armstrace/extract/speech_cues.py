"""Speech cues: report verbs, "according to" frames, titles, honorifics and transcript labels,
read and validated from data/speech.yaml. Data only: no rule that reads a parse lives here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from armstrace.resources import load_yaml, require

__all__ = ["SpeechCues", "load_cues"]

DATA_FILE = "speech.yaml"


@dataclass(frozen=True, slots=True)
class SpeechCues:
    report_verbs: frozenset[str]
    quote_verbs: frozenset[str]  # report verbs plus those that frame direct quotes only
    prepositional_frames: tuple[tuple[str, ...], ...]
    document_nouns: frozenset[str]
    person_pronouns: frozenset[str]
    self_pronouns: frozenset[str]
    honorifics: frozenset[str]
    titles: frozenset[str]
    question_labels: frozenset[str]
    moderator_labels: frozenset[str]
    label_prefixes: frozenset[str]
    document_cues: tuple[str, ...]
    byline_prefixes: tuple[str, ...]

    def is_title(self, word: str) -> bool:
        low = word.lower()
        return low in self.honorifics or low.rstrip(".") in self.honorifics or low in self.titles


def _words(data: dict[str, object], key: str, where: str = DATA_FILE) -> list[str]:
    value = data.get(key)
    require(
        isinstance(value, list) and all(isinstance(w, str) and w == w.lower() for w in value),
        where,
        f"`{key}` must be a list of lower-case strings",
    )
    assert isinstance(value, list)
    return value


@lru_cache(maxsize=1)
def load_cues() -> SpeechCues:
    """Read and validate speech.yaml (raises DataFileError naming the problem)."""
    data = load_yaml(DATA_FILE)
    require(isinstance(data, dict), DATA_FILE, "top level must be a mapping")
    frames = data.get("prepositional_frames")
    require(
        isinstance(frames, list)
        and all(
            isinstance(f, list) and len(f) >= 2 and all(isinstance(w, str) for w in f)
            for f in frames
        ),
        DATA_FILE,
        "`prepositional_frames` must be a list of word lists (at least two words each)",
    )
    transcript = data.get("transcript")
    require(isinstance(transcript, dict), DATA_FILE, "`transcript` must be a mapping")
    report = _words(data, "report_verbs")
    return SpeechCues(
        report_verbs=frozenset(report),
        quote_verbs=frozenset(report) | frozenset(_words(data, "quote_only_verbs")),
        prepositional_frames=tuple(tuple(f) for f in frames),
        document_nouns=frozenset(_words(data, "document_nouns")),
        person_pronouns=frozenset(_words(data, "person_pronouns")),
        self_pronouns=frozenset(_words(data, "self_pronouns")),
        honorifics=frozenset(_words(data, "honorifics")),
        titles=frozenset(_words(data, "titles")),
        question_labels=frozenset(_words(transcript, "question_labels")),
        moderator_labels=frozenset(_words(transcript, "moderator_labels")),
        label_prefixes=frozenset(_words(transcript, "label_prefixes")),
        document_cues=tuple(_words(data, "document_cues")),
        byline_prefixes=tuple(_words(data, "byline_prefixes")),
    )
