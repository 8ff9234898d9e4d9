"""Who a frame names as speaking: the subject of a reporting verb ("X said") or the object of
"according to X", with title and affiliation ("X, commander of Y"). Which quote or sentence the
speaker covers is decided by quotes.py and attribution.py, not here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from armstrace.extract.people import (
    POSSESSIVES,
    People,
    clean,
    inside,
    person_tokens,
    span_text,
    split_title,
    strip_det,
)
from armstrace.extract.speech_cues import load_cues
from armstrace.records import Speaker

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["according_to", "tidy_speaker", "verb_speaker"]

SpeakerClass = Literal["person", "org", "place", "other"]
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
AFFILIATION_PREPS = frozenset({"of", "for", "at", "with", "from", "in"})
RELATIVE_TAGS = frozenset({"WDT", "WP"})
INVERTED_REACH = 10  # words between an inverted "said" and the speaker's name
DEFINITE_DETERMINERS = frozenset({"the", "these", "those"})


def _affiliation(head: Token) -> tuple[str | None, str | None]:
    """Title and affiliation from what follows a name: ", commander of X" or " of X"."""
    title: str | None = None
    for child in head.rights:
        if child.dep_ == "appos":
            left = [t for t in child.subtree if t.i <= child.i]
            title = clean(span_text(strip_det(left)))
            for prep in child.rights:
                if prep.dep_ == "prep" and prep.lower_ in AFFILIATION_PREPS:
                    return title, _object_text(prep)
            return title, None
        if child.dep_ == "prep" and child.lower_ in AFFILIATION_PREPS:
            return title, _object_text(child)
    return title, None


def _object_text(prep: Token) -> str | None:
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if not objects:
        return None
    return clean(span_text(strip_det(list(objects[0].subtree)))) or None


def _speaker_of(token: Token, people: People) -> tuple[Speaker, SpeakerClass] | None:
    """The speaker named by a subject (or `according to` object) token, and what it is."""
    cues = people.cues
    low = token.lower_
    if inside(token.idx, people.metadata):
        return None
    if token.pos_ == "PRON" or low in cues.self_pronouns:
        if low in cues.person_pronouns:
            found = people.last_before(token.idx)
            return (found, "person") if found else None
        return None  # "we", "I", "it": the document's own voice, or no one we can name
    if low in cues.document_nouns or token.lemma_.lower() in cues.document_nouns:
        # "the ministry's statement said", "a report by Conflict Armament Research found"
        owners = [c for c in token.children if c.dep_ == "poss"] + [
            g for p in token.children if p.dep_ == "prep" and p.lower_ == "by" for g in p.children
        ]
        if owners:
            return _speaker_of(owners[0], people)
    left = [t for t in token.subtree if t.i <= token.i]
    for child in token.rights:  # "the Ministry of Defence": keep an `of` complement
        if child.dep_ != "prep" or token.ent_type_ == "PERSON":
            continue
        # "the Panel of Experts on Libya": a complement inside the organisation's name
        objects = [g for g in child.children if g.dep_ == "pobj"]
        named = (
            child.lower_ in ("on", "for")
            and token.pos_ == "PROPN"
            and bool(objects)
            and objects[0].pos_ == "PROPN"
            and objects[0].ent_type_ not in ("DATE", "TIME")
        )
        if child.lower_ == "of" or named:
            left = [t for t in token.subtree if t.i <= child.right_edge.i]
    line_start = people.text.rfind("\n", 0, token.idx) + 1  # a glued parse spans lines
    left = strip_det([t for t in left if t.idx >= line_start and not t.is_space])
    person = _person_in(left, token)
    if person is None and cues.is_title(token.text):
        for child in token.rights:  # "the spokesperson, Jane Roe,"
            if child.dep_ == "appos":
                appositive = _speaker_of(child, people)
                if appositive and appositive[1] == "person":
                    return appositive
    if person is not None:
        title, name = split_title(person, cues)
        before = span_text([t for t in left if t.i < person[0].i]).strip()
        title = clean(" ".join(p for p in (before, title or "") if p)) or None
        extra_title, affiliation = _affiliation(token)
        name = people.resolve(name)
        title = title or extra_title or people.titles.get(name)
        return Speaker(name, title, affiliation), "person"
    if not left:
        return None
    definite = any(c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS for c in token.children)
    if definite and len(left) == 1 and token.tag_ == "NNS":
        # "the officials said": the officials the document named before ("U.S. officials")
        earlier = people.last_group(token.idx, token.lower_)
        if earlier is not None:
            return earlier, "other"
    text = clean(span_text(left))
    kind: SpeakerClass = "other"
    if token.ent_type_ in ("ORG", "NORP") or cues.is_title(token.text):
        kind = "person" if cues.is_title(token.text) and token.ent_type_ != "ORG" else "org"
    elif token.ent_type_ in ("GPE", "LOC"):
        kind = "place"
    return (Speaker(text), kind) if text else None


def _person_in(tokens: list[Token], head: Token) -> list[Token] | None:
    """The person-name tokens of a noun phrase: a PERSON entity, or a proper-noun head."""
    names = [t for t in tokens if t.ent_type_ == "PERSON"]
    if names:
        return person_tokens(names[0], load_cues())
    if head.pos_ == "PROPN" and head.ent_type_ not in ("ORG", "GPE", "NORP", "LOC", "FAC"):
        run = [t for t in tokens if t.pos_ == "PROPN" or t.text in POSSESSIVES or t.text == "-"]
        return run or None
    return None


def tidy_speaker(speaker: Speaker | None) -> Speaker | None:
    """Drop empty names; swap a title parsed as the name with the person parsed as the title
    ("United States Permanent Representative Linda Thomas-Greenfield")."""
    if speaker is None or not speaker.name.strip():
        return None
    name = speaker.name.strip()
    if name.isupper() and " " not in name and len(name) > 4:
        return None  # a dateline's "LONDON" is not a speaker
    cues = load_cues()
    title = speaker.title or ""
    name_words = speaker.name.split()
    title_words = title.split()
    looks_like_person = (
        2 <= len(title_words) <= 4
        and all(w[:1].isupper() for w in title_words)
        and not any(cues.is_title(w) for w in title_words)
    )
    if looks_like_person and any(cues.is_title(w) for w in name_words):
        return Speaker(title, speaker.name, speaker.affiliation)
    return speaker


def verb_speaker(verb: Token, people: People) -> tuple[Speaker, SpeakerClass] | None:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if any(c.dep_ == "auxpass" for c in verb.children):
        # "Iran is accused of ...": the passive subject is talked about; "by X" talks.
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children]
        # "X is said / believed / reported to ...": the subject is talked about, never talks
        subjects = agents if agents or verb.lemma_.lower() != "quote" else subjects
    if not subjects and verb.dep_ == "conj":
        subjects = [c for c in verb.head.children if c.dep_ in SUBJECT_DEPS]
    if subjects and subjects[0].tag_ in RELATIVE_TAGS and verb.dep_ == "relcl":
        subjects = [verb.head]  # "the reporting that confirms ...": the reporting confirms
    text = people.text
    if subjects and text.rfind("\n", 0, subjects[0].idx) != text.rfind("\n", 0, verb.idx):
        subjects = _left_name(verb, text)  # the parser glued a header line to this one
    if subjects:
        return _speaker_of(subjects[0], people)
    for token in verb.doc[verb.i + 1 : verb.i + 1 + INVERTED_REACH]:  # a misparsed "said X"
        if token.is_punct or token.is_quote:
            break
        if token.ent_type_ == "PERSON":
            last = person_tokens(token, people.cues)[-1]
            return _speaker_of(last, people)
    return None


def _left_name(verb: Token, text: str) -> list[Token]:
    """The named entity just before a verb on its line ("The Ministry today announced")."""
    index = verb.i - 1
    while index >= 0 and verb.doc[index].dep_ in ("npadvmod", "advmod", "aux", "neg"):
        index -= 1
    if index < 0 or "\n" in text[verb.doc[index].idx : verb.idx]:
        return []
    token = verb.doc[index]
    return [token] if token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") else []


def according_to(tokens: Sequence[Token], people: People) -> tuple[Speaker, SpeakerClass] | None:
    for token in tokens:
        for frame in people.cues.prepositional_frames:
            if token.lower_ != frame[0] or token.i + len(frame) > len(token.doc):
                continue
            words = token.doc[token.i : token.i + len(frame)]
            if [t.lower_ for t in words] != list(frame):
                continue
            objects = [c for c in words[-1].children if c.dep_ == "pobj"]
            if not objects and words.end >= len(token.doc):
                continue
            target = objects[0] if objects else token.doc[words.end]
            if target is not None:
                found = _speaker_of(target, people)
                if found:
                    return found
    return None
