"""Attribution: direct quotes with their speakers, and the source of every sentence.

Quotes are found by their marks and tied to a speaker by their frame ("...," X said); transcript
speaker labels and a document's title line give default speakers. This stage decides nothing
about transfers: the claim extractor asks `source_at` for the source of an evidence offset.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from armstrace.records import Quote, Speaker
from armstrace.resources import load_yaml, require

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
SpeakerClass = Literal["person", "org", "place", "other"]

DATA_FILE = "speech.yaml"
OPEN_MARKS = frozenset("\u201c\u201e\u00ab")
CLOSE_MARKS = frozenset("\u201d\u00bb")
STRAIGHT = '"'
QUOTE_CHARS = OPEN_MARKS | CLOSE_MARKS | {STRAIGHT}
OPENING_CONTEXT = frozenset(" \t\n([{\u2014\u2013-/:")
MIN_QUOTE_WORDS = 4
MAX_FRAME_WORDS = 14  # ", said Vice Adm. Jane Holt, commander of the Fleet."
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "dobj", "parataxis", "advcl", "prep"})
AFFILIATION_PREPS = frozenset({"of", "for", "at", "with", "from", "in"})
POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019"})
RELATIVE_TAGS = frozenset({"WDT", "WP"})
PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})
METADATA_RE = re.compile(r"^(URL|DATE|TITLE|SOURCE|AUTHOR|PUBLISHED):\s", re.I)
METADATA_LINE_RE = re.compile(r"^(?:URL|DATE|TITLE|SOURCE|AUTHOR|PUBLISHED):.*$", re.M | re.I)
SLUG_CUES = ("remarks", "statement", "gaggle", "briefing", "testimony", "speech", "interview")
SLUG_STOPS = frozenset({"at", "on", "to", "for", "before", "in", "and", "with", "the", "u", "us"})
NAME_LINE_TOKENS = 8
INVERTED_REACH = 10  # words between an inverted "said" and the speaker's name
MIN_OVERLAP = 3  # a sentence that only holds a quote's closing mark is not inside it
DETERMINERS = frozenset({"the", "a", "an", "this", "that"})
DEFINITE_DETERMINERS = frozenset({"the", "these", "those"})
HEADER_LINES = 30
HEADER_CHARS = 4000
LABEL_RE = re.compile(r"^[ \t]*(?P<label>[A-Z][A-Z.'\u2019\- ]{0,40}?)[ \t]*:(?=\s)", re.M)
Q_LABEL_RE = re.compile(r"^[ \t]*(?P<label>Q)(?:[.:]|[ \t]+)(?=[ \t]*\S)", re.M)


@dataclass(frozen=True, slots=True)
class Attribution:
    """The source of one sentence: `speaker` is None when the author asserts it."""

    start: int
    end: int
    speaker: Speaker | None
    kind: AttributionKind
    is_question: bool = False


@dataclass(frozen=True, slots=True)
class Turn:
    """One labelled turn of a transcript; reporters' turns are questions with no speaker."""

    start: int
    end: int
    speaker: Speaker | None
    is_question: bool


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


# ---------------------------------------------------------------------------- people and names


class _People:
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
            if ent.label_ != "PERSON" or _inside(ent.start_char, skip):
                continue
            title, name = _split_title(_person_tokens(ent[0], cues), cues)
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


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether `offset` falls in one of `spans` (sorted, not overlapping)."""
    index = bisect.bisect_right(spans, offset, key=lambda span: span[0]) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def _person_tokens(first: Token, cues: SpeechCues) -> list[Token]:
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


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    return re.sub(r"['\u2019]s?$", "", text).strip()


def _split_title(tokens: list[Token], cues: SpeechCues) -> tuple[str | None, str]:
    """Split "Vice Adm. Jane Holt's" into ("Vice Adm.", "Jane Holt")."""
    tokens = [t for t in tokens if t.text not in POSSESSIVES]
    cut = 0
    while cut < len(tokens) - 1 and (cues.is_title(tokens[cut].text) or tokens[cut].is_punct):
        cut += 1
    if cut < len(tokens) and cues.is_title(tokens[cut].text):
        cut += 1  # the whole span is a title ("Opening Remarks" is not, but "Ambassador" is)
    title = _span_text(tokens[:cut]) if cut else None
    return (_clean(title) if title else None), _clean(_span_text(tokens[cut:]))


def _span_text(tokens: Sequence[Token]) -> str:
    if not tokens:
        return ""
    return str(tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text)


def _strip_det(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].is_punct):
        tokens = tokens[1:]
    return tokens


def _affiliation(head: Token) -> tuple[str | None, str | None]:
    """Title and affiliation from what follows a name: ", commander of X" or " of X"."""
    title: str | None = None
    for child in head.rights:
        if child.dep_ == "appos":
            left = [t for t in child.subtree if t.i <= child.i]
            title = _clean(_span_text(_strip_det(left)))
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
    return _clean(_span_text(_strip_det(list(objects[0].subtree)))) or None


def _speaker_of(token: Token, people: _People) -> tuple[Speaker, SpeakerClass] | None:
    """The speaker named by a subject (or `according to` object) token, and what it is."""
    cues = people.cues
    low = token.lower_
    if _inside(token.idx, people.metadata):
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
    left = _strip_det([t for t in left if t.idx >= line_start and not t.is_space])
    person = _person_in(left, token)
    if person is None and cues.is_title(token.text):
        for child in token.rights:  # "the spokesperson, Jane Roe,"
            if child.dep_ == "appos":
                named = _speaker_of(child, people)
                if named and named[1] == "person":
                    return named
    if person is not None:
        title, name = _split_title(person, cues)
        before = _span_text([t for t in left if t.i < person[0].i]).strip()
        title = _clean(" ".join(p for p in (before, title or "") if p)) or None
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
    text = _clean(_span_text(left))
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
        return _person_tokens(names[0], load_cues())
    if head.pos_ == "PROPN" and head.ent_type_ not in ("ORG", "GPE", "NORP", "LOC", "FAC"):
        run = [t for t in tokens if t.pos_ == "PROPN" or t.text in POSSESSIVES or t.text == "-"]
        return run or None
    return None


# ---------------------------------------------------------------------------------- quotes


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
    people = _People(doc, cues, skip=bounds)
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
        if para_start <= t.idx < para_end and not t.is_punct and not _inside(t.idx, bounds)
    ]


def _quote_speaker(
    doc: Doc, start: int, end: int, bounds: Sequence[tuple[int, int]], people: _People
) -> Speaker | None:
    cues = people.cues
    frame = _frame_tokens(doc, people.text, start, end, bounds)
    found = _according_to(frame, people)
    if found:
        return found[0]
    verbs = [t for t in frame if _frames_quote(t, cues)]
    verbs.sort(key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))
    for verb in verbs:
        result = _verb_speaker(verb, people)
        if result:
            return result[0]
    return None


def _frames_quote(token: Token, cues: SpeechCues) -> bool:
    """A verb that can frame a quotation; "continue to buy" is not "...," she continued."""
    lemma = token.lemma_.lower()
    if token.pos_ != "VERB" or lemma not in cues.quote_verbs:
        return False
    return lemma in cues.report_verbs or not any(c.dep_ == "xcomp" for c in token.children)


def _verb_speaker(verb: Token, people: _People) -> tuple[Speaker, SpeakerClass] | None:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
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
            last = _person_tokens(token, people.cues)[-1]
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


def _according_to(tokens: Sequence[Token], people: _People) -> tuple[Speaker, SpeakerClass] | None:
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


# ------------------------------------------------------------------ transcripts and title lines


def transcript_turns(doc: Doc) -> list[Turn]:
    """Labelled turns ("MR. KIRBY:", "Q", "QUESTION:"); empty unless a named speaker is labelled."""
    return _transcript_turns(_People(doc, load_cues()))


def _transcript_turns(people: _People) -> list[Turn]:
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
    people = _People(doc, load_cues())
    return _document_speaker(doc, people, _transcript_turns(people), url)


def _document_speaker(
    doc: Doc, people: _People, turns: Sequence[Turn], url: str | None
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


def _first_person(span: Span, people: _People, cue: tuple[int, int]) -> Speaker | None:
    """The first person named after the cue ("Remarks by X"), else before it ("X provided
    the following readout:")."""
    persons = [e for e in span.ents if e.label_ == "PERSON" and not cue[0] <= e.start_char < cue[1]]
    persons.sort(key=lambda e: (e.start_char < cue[1], e.start_char))
    for ent in persons:
        tokens = _person_tokens(ent[0], people.cues)
        title, name = _split_title(tokens, people.cues)
        if not people.plausible(name):
            continue
        lead = cue[1] if ent.start_char >= cue[1] else span.start_char
        before = [t.text for t in span if lead <= t.idx < tokens[0].idx]
        titled = [w for w in before if people.cues.is_title(w)]
        return Speaker(people.resolve(name), title or (" ".join(titled) or None))
    return None


def _name_line(span: Span, people: _People) -> Speaker | None:
    """A line that is only a name, with or without its title ("Ambassador Jane Roe")."""
    words = [t for t in span if not t.is_space]
    names = [t for t in words if t.ent_type_ == "PERSON"]
    if not names or len(words) > NAME_LINE_TOKENS:
        return None
    person = _person_tokens(names[0], people.cues)
    rest = [t for t in words if t not in person]
    if any(not (t.is_punct or people.cues.is_title(t.text)) for t in rest):
        return None
    title, name = _split_title(person, people.cues)
    if len(name.split()) < 2 or not people.plausible(name):
        return None
    prefix = " ".join(t.text for t in rest if not t.is_punct) or None
    return Speaker(people.resolve(name), title or prefix)


def _slug_speaker(url: str, people: _People) -> Speaker | None:
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


# --------------------------------------------------------------------------- sentence sources


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
    people = _People(doc, load_cues(), skip=[(q.start, q.end) for q in quotes])
    turns = _transcript_turns(people)
    default = None if turns else _document_speaker(doc, people, turns, url)
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
    sent: Span, quote: Quote | None, turn: Turn | None, default: Speaker | None, people: _People
) -> Attribution:
    start, end = sent.start_char, sent.end_char
    if turn is not None and turn.is_question:
        return Attribution(start, end, None, "transcript", is_question=True)
    if quote is not None:
        return Attribution(start, end, quote.speaker, "quote")
    if turn is not None:
        return Attribution(start, end, turn.speaker, "transcript")
    found = _according_to(list(sent), people)
    if found and (default is None or found[1] == "person"):
        return Attribution(start, end, found[0], "according_to")
    found = _reported(sent, people)
    if found and (default is None or found[1] == "person"):
        return Attribution(start, end, found[0], "reported")
    if default is not None:
        return Attribution(start, end, default, "document")
    return Attribution(start, end, None, "none")


def _reported(sent: Span, people: _People) -> tuple[Speaker, SpeakerClass] | None:
    """The subject of the reporting verb nearest the sentence's root that takes content."""
    verbs = [
        t
        for t in sent
        if t.pos_ == "VERB"
        and t.lemma_.lower() in people.cues.report_verbs
        # "X said that ...", or a parenthetical "..., the officials said, ..." (parataxis)
        and (any(c.dep_ in CLAUSE_DEPS for c in t.children) or t.dep_ == "parataxis")
    ]
    verbs.sort(key=lambda t: sum(1 for _ in t.ancestors))
    for verb in verbs:
        found = _verb_speaker(verb, people)
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
