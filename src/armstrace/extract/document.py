"""Run the extraction stages over parsed documents: the one place that composes them.

actors/items/places (model-free matchers) → transfers (parse) → status → attribution → dates →
claims. It parses with the cached spaCy model and never touches the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span

from armstrace.extract.actors import find_actors, official_state
from armstrace.extract.attribution import Attribution, find_quotes, sentence_sources, source_at
from armstrace.extract.claim_score import scorer
from armstrace.extract.claims import ScoredMention, assemble
from armstrace.extract.dates import claim_date
from armstrace.extract.items import find_items
from armstrace.extract.places import find_places
from armstrace.extract.quotes import unmatched_quote_marks
from armstrace.extract.status import decide_status
from armstrace.extract.transfers import (
    SentenceIndex,
    TransferMention,
    find_transfers,
    list_line_mention,
    transit_sentence,
)
from armstrace.nlp import get_nlp, parse_texts
from armstrace.records import ActorMention, Document, Extraction, ItemMention, Quote, Speaker

NOT_PARSED = "prefilter: no arms keywords, not parsed"

__all__ = ["extract_document", "extract_documents", "extract_parsed"]

MAX_SENTENCE_TOKENS = 400
QUOTED_SHARE = 0.8  # of a document's words inside quotation marks: "almost all quotation"
# "LONDON (Wire) —", "SEOUL, March 3 (Agency) -": a dateline names where the story was filed,
# not a party to anything in it.
DATELINE = re.compile(r"(?m)^[A-Z][A-Z .'’-]{2,40}(?:,[^\n(]{0,30})?(?:\([^)\n]{0,40}\))?\s*[—–-]")


def score_threshold(min_score: float | None) -> float:
    """The claim score below which claims are dropped: `min_score` when given, else the shipped
    model's cross-validated threshold if filtering helped when it was trained, else 0."""
    if min_score is not None:
        return min_score
    model = scorer()
    return model.threshold if model is not None and model.enabled else 0.0


def extract_parsed(document: Document, doc: Doc, min_score: float | None = None) -> Extraction:
    """Claims and quotes of one document whose text has been parsed into `doc`; claims whose
    learned score is below the threshold (see score_threshold) are left out."""
    text = document.text
    notes: list[str] = []
    datelines = [m.span() for m in DATELINE.finditer(text)]
    # The title's unambiguous actors resolve the body's "Korean" or "the North".
    titled = find_actors(document.title or "")
    actors = [
        m
        for m in find_actors(text, context=frozenset(m.code for m in titled))
        if not any(a <= m.start < b for a, b in datelines)
    ]
    items = find_items(text)
    places = find_places(text)
    quotes = tuple(find_quotes(doc))
    attributions = sentence_sources(doc, quotes, url=document.url)
    parties = [m for m in actors if m.kind != "organisation"]
    index = SentenceIndex(doc, parties, items, places)
    publisher = official_state(document.url)
    index.discourse.publisher = publisher
    index.discourse.speaker_state = _speaker_states(attributions, publisher)
    scored: list[ScoredMention] = []
    list_open = False
    for sent in doc.sents:
        if len(sent) > MAX_SENTENCE_TOKENS:
            notes.append(f"skipped a sentence of {len(sent)} tokens at offset {sent.start_char}")
            continue
        mentions = [resolve_item_anaphora(m, doc, text, items) for m in find_transfers(sent, index)]
        if not mentions and list_open:
            line = list_line_mention(sent, index)
            mentions = [line] if line is not None else []
            list_open = line is not None or not sent.text.strip()
        if scored and not any(m.items or m.supplier or m.recipient for m in mentions):
            _extend_route(scored, sent, index)
        if sent.text.rstrip().endswith(":"):
            list_open = True
        elif any(m.items for m in mentions) and mentions[0].rule != "list":
            list_open = False
        index.discourse.remember(sent)
        for mention in mentions:
            attribution = source_at(attributions, doc[mention.trigger].idx)
            if attribution is not None and attribution.is_question:
                continue
            status = decide_status(doc, mention.trigger, sent, mention.stage, mention.stage_from)
            scored.append(
                ScoredMention(
                    mention=mention,
                    status=status,
                    speaker=attribution.speaker if attribution is not None else None,
                    claim_date=claim_date(sent.text, sent.start_char, document.published),
                )
            )
    title_parties = [m.code for m in titled if m.kind != "organisation"]
    claims = assemble(document, doc, scored, title_parties)
    threshold = score_threshold(min_score)
    if threshold > 0:
        claims = tuple(c for c in claims if c.score is None or c.score >= threshold)
    notes.extend(_quotation_notes(text, quotes))
    return Extraction(document=document, claims=claims, quotes=quotes, notes=tuple(notes))


def _speaker_states(
    attributions: Sequence[Attribution], publisher: str | None
) -> Callable[[int], ActorMention | None]:
    """The state a first-person "we" speaks for at an offset: its speaker's, from their name,
    title and affiliation ("Pentagon Press Secretary John Kirby": the United States), else
    the government that publishes the document (an official domain) when nobody else is quoted
    there: the author, a transcript's speaker or the document's own."""
    cache: dict[Speaker, ActorMention | None] = {}
    official = ActorMention(start=0, end=0, text=publisher, code=publisher) if publisher else None

    def state_at(offset: int) -> ActorMention | None:
        attribution = source_at(attributions, offset)
        speaker = attribution.speaker if attribution is not None else None
        if speaker is None:
            return official
        if speaker not in cache:
            words = " ".join(p for p in (speaker.title, speaker.affiliation, speaker.name) if p)
            states = [m for m in find_actors(words) if m.kind == "state"]
            cache[speaker] = states[0] if len({m.code for m in states}) == 1 else None
        own = cache[speaker]
        if own is None and attribution is not None and attribution.kind in OWN_VOICE:
            return official
        return own

    return state_at


OWN_VOICE = frozenset({"transcript", "document", "none"})


ROUTE_REACH = 300  # characters after a transfer's sentence in which its route may be named


def _extend_route(scored: list[ScoredMention], sent: Span, index: SentenceIndex) -> None:
    """ "Iran has sent rockets to Hezbollah. The shipments travel through Iraq and Syria.": the
    route of a movement sentence with no party joins the transfers of the sentence before."""
    last = scored[-1].mention
    if sent.start_char - last.sentence_end > ROUTE_REACH:
        return
    via, route = transit_sentence(sent, index)
    if not via and not route:
        return
    for position in range(len(scored) - 1, -1, -1):
        mention = scored[position].mention
        if mention.sentence_start != last.sentence_start:
            break
        parties = {a.code for a in (mention.supplier, mention.recipient) if a is not None}
        extra_via = tuple(v for v in via if v not in mention.via and v not in parties)
        extra_route = tuple(p for p in route if p not in mention.route)
        scored[position] = replace(
            scored[position],
            mention=replace(
                mention, via=mention.via + extra_via, route=mention.route + extra_route
            ),
        )


def _quotation_notes(text: str, quotes: tuple[Quote, ...]) -> list[str]:
    """Why a document's quotations may read oddly: marks that pair with nothing, or a text that
    is all quotation (nothing outside the quotes says who speaks)."""
    notes = []
    unmatched = unmatched_quote_marks(text)
    if unmatched:
        notes.append(
            f"{len(unmatched)} unmatched quotation mark(s), first at offset {unmatched[0]}: "
            "the words after them are read as narration"
        )
    quoted = sum(len(q.text.split()) for q in quotes)
    words = len(text.split())
    if quotes and quoted >= QUOTED_SHARE * words:
        speakers = sum(1 for q in quotes if q.speaker is not None)
        notes.append(
            f"the text is almost all quotation ({len(quotes)} quotes, {speakers} with a "
            "speaker): claims in them have no source unless a speaker is named"
        )
    return notes


GENERIC = "military_equipment_unspecified"
ANAPHORA_REACH = 600  # characters back that "these weapons" looks for what it refers to
_DEFINITE = re.compile(r"\b(?:these|those|the)\s+(?:\w+\s+)?$", re.I)
_DEMONSTRATIVE = re.compile(r"\b(?:these|this|those|the|such|all|said)\s+(?:\w+\s+)?$", re.I)


def _specific(mention: TransferMention) -> bool:
    return any(item.category != GENERIC for item in mention.items)


def resolve_item_anaphora(
    mention: TransferMention, doc: Doc, text: str, items: list[ItemMention]
) -> TransferMention:
    """ "These armaments were seized...": a generic item under a demonstrative stands for the
    specific items of the closest sentence before it that names some, within ANAPHORA_REACH."""
    if not mention.items:
        return _resolve_batch(mention, doc, items)
    if _specific(mention):
        return _resolve_class_anaphora(mention, text, items)
    first = mention.items[0]
    if not _DEMONSTRATIVE.search(text[max(0, first.start - 24) : first.start]):
        return mention
    before = [i for i in _items_before(mention, items) if i.category != GENERIC]
    if not before:
        return mention
    span = doc.char_span(before[-1].start, before[-1].end, alignment_mode="expand")
    if span is None:
        return mention
    sentence = span[0].sent
    antecedents = tuple(i for i in before if i.start >= sentence.start_char)
    return replace(mention, items=antecedents, rule=mention.rule + ":anaphora")


def _items_before(mention: TransferMention, items: list[ItemMention]) -> list[ItemMention]:
    """The items named in the ANAPHORA_REACH characters before the mention's sentence."""
    start = mention.sentence_start
    return [i for i in items if start - ANAPHORA_REACH <= i.start and i.end <= start]


# Nouns that count an earlier named system without naming it: "took delivery of its first batch"
BATCH_NOUNS = frozenset({"batch", "tranche", "lot", "consignment", "shipment", "delivery"})
# Nouns that stand for a named system only under a definite determiner: "supplied the system
# to Finland", "sold the platform", "the type" (not "a system of checks").
SYSTEM_NOUNS = frozenset({"system", "platform", "type", "model", "variant", "design"})
DEFINITE_WORDS = frozenset({"the", "this", "these", "that", "those"})


def _resolve_batch(mention: TransferMention, doc: Doc, items: list[ItemMention]) -> TransferMention:
    """ "Poland ordered 24 TB2 drones. It took delivery of its first batch in October.": an
    item-less transfer of a batch, or of "the system", moves the named system mentioned last
    before it."""
    trigger = doc[mention.trigger]
    if mention.supplier is None and mention.recipient is None:
        return mention
    counted = [
        t
        for t in trigger.subtree
        if t.pos_ == "NOUN"
        and t.i != trigger.i
        and (
            t.lemma_.lower() in BATCH_NOUNS
            or (
                t.lemma_.lower() in SYSTEM_NOUNS
                and t.dep_ in ("dobj", "nsubjpass", "pobj")
                and any(c.dep_ == "det" and c.lower_ in DEFINITE_WORDS for c in t.children)
            )
        )
    ]
    if not counted or any(c.lower_ == "of" for t in counted for c in t.children):
        return mention  # "a shipment of rifles" names its items itself
    named = [i for i in _items_before(mention, items) if i.designation]
    if not named:
        return mention
    return replace(mention, items=(named[-1],), rule=mention.rule + ":batch")


def _resolve_class_anaphora(
    mention: TransferMention, text: str, items: list[ItemMention]
) -> TransferMention:
    """ "...its Bayraktar TB2 drone... Nigeria has received the drones": a definite class noun
    without a designation stands for the named system of its category mentioned last before
    it, within ANAPHORA_REACH; the name tells who makes it."""
    if any(item.designation for item in mention.items) or len(mention.items) != 1:
        return mention
    item = mention.items[0]
    if not _DEFINITE.search(text[max(0, item.start - 24) : item.start]):
        return mention
    named = [
        i for i in _items_before(mention, items) if i.designation and i.category == item.category
    ]
    if not named:
        return mention
    antecedent = replace(item, designation=named[-1].designation)
    return replace(mention, items=(antecedent,), rule=mention.rule + ":class-anaphora")


def extract_document(document: Document, min_score: float | None = None) -> Extraction:
    """Parse one document and extract its claims and quotes."""
    return extract_parsed(document, get_nlp()(document.text), min_score)


def extract_documents(
    documents: Iterable[Document],
    *,
    prefilter: bool = False,
    n_process: int = 1,
    on_error: Callable[[Document, Exception], None] | None = None,
    min_score: float | None = None,
) -> Iterator[Extraction]:
    """Extract many documents, parsing them through armstrace.nlp.parse_texts: in batches, and
    a long document in bounded pieces joined back into one Doc (offsets unchanged).

    With `prefilter`, only what the keyword prefilter marks is parsed: a document without any
    item term skips the parse (its extraction says so in a note), and in the others sentences
    far from any keyword are blanked, offsets unchanged. A document whose parse or extraction
    fails goes to `on_error` with the exception and is left out; without `on_error` the
    exception propagates.
    """
    from armstrace.extract.prefilter import prefiltered

    def failed(document: Document, exc: Exception) -> None:
        if on_error is None:
            raise exc
        on_error(document, exc)

    texts = ((prefiltered(d.text) if prefilter else d.text, d) for d in documents)
    for doc, document in parse_texts(texts, failed, n_process=n_process):
        if doc is None:
            yield Extraction(document=document, notes=(NOT_PARSED,))
            continue
        try:
            extraction = extract_parsed(document, doc, min_score)
        except Exception as exc:  # a rule's bug on odd input must cost this document only
            failed(document, exc)
            continue
        yield extraction
