"""Status of transfer mentions and claims, by the precedence of claims.md: the one home where
status is decided.

A mention: denied > speculated > alleged > the stage of the trigger (requested, planned, agreed,
attempted, ongoing, delivered). Cues count only where they govern the trigger: on its chain of
heads, among the auxiliaries, adverbs and negations of that chain, or in the clause before it.
A claim: the status of the mention that stands for it, unless the document's lead denies the
transfer; a list shares its package's status; a request answered by a possible sale is planned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from armstrace.extract.lexicon import lemma as lemma_of
from armstrace.extract.lexicon import lexicon
from armstrace.records import STATUSES
from armstrace.resources import load_yaml, require

if TYPE_CHECKING:
    from armstrace.records import Document

GOVERNING_CHILD_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "acomp", "prt", "mark"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
LEAD_SENTENCES = 2
PENDING = frozenset({"planned", "requested", "agreed"})
HAPPENED = frozenset({"delivered", "ongoing"})
# Modifiers that make a mention look ahead without saying anything about the rest of the story.
PROSPECTIVE = frozenset({"potential", "possible", "prospective", "future"})
STAGE_ORDER = ("requested", "planned", "agreed", "attempted", "ongoing", "delivered")


@dataclass(frozen=True, slots=True)
class StatusCues:
    denial_lemmas: frozenset[str]
    denial_phrases: tuple[str, ...]
    hedge_lemmas: frozenset[str]
    hedge_phrases: tuple[str, ...]
    allegation_lemmas: frozenset[str]
    allegation_phrases: tuple[str, ...]
    stage_lemmas: dict[str, str]


@dataclass(frozen=True, slots=True)
class StatusDecision:
    status: str
    cue: str  # the word or phrase that decided it, for --detail and the claim's reasons


@lru_cache(maxsize=1)
def cues() -> StatusCues:
    name = "status_cues.yaml"
    data = load_yaml(name)
    require(isinstance(data, dict), name, "top level must be a mapping")
    for key in ("denial", "hedge", "allegation", "stage"):
        require(key in data, name, f"missing section {key!r}")
    stage_lemmas: dict[str, str] = {}
    for stage, words in data["stage"].items():
        require(stage in STATUSES, name, f"unknown stage {stage!r}")
        for word in words:
            stage_lemmas.setdefault(str(word), stage)

    def section(key: str) -> tuple[frozenset[str], tuple[str, ...]]:
        block = data[key]
        return (
            frozenset(str(w) for w in block.get("lemmas", [])),
            tuple(str(p).lower() for p in block.get("phrases", [])),
        )

    denial, denial_p = section("denial")
    hedge, hedge_p = section("hedge")
    allegation, allegation_p = section("allegation")
    return StatusCues(denial, denial_p, hedge, hedge_p, allegation, allegation_p, stage_lemmas)


def governing_tokens(trigger: Token, sent: Span) -> list[Token]:
    """The trigger, its heads up to the sentence root, and their function-word children."""
    chain: list[Token] = []
    current = trigger
    for _ in range(12):
        chain.append(current)
        if current.head.i == current.i or current.head.i < sent.start or current.head.i >= sent.end:
            break
        current = current.head
    out: list[Token] = []
    for token in chain:
        out.append(token)
        out.extend(c for c in token.children if c.dep_ in GOVERNING_CHILD_DEPS)
    return out


def _phrase_before(text: str, phrases: tuple[str, ...]) -> str | None:
    lower = text.lower()
    for phrase in phrases:
        if phrase in lower:
            return phrase
    return None


def decide_status(
    doc: Doc, trigger_index: int, sent: Span, stage: str, stage_from: int | None = None
) -> StatusDecision:
    """The status of the transfer whose trigger is doc[trigger_index], read in its sentence."""
    c = cues()
    trigger = doc[trigger_index]
    governing = governing_tokens(trigger, sent)
    if stage_from is not None:
        governing.extend(governing_tokens(doc[stage_from], sent))
    lemmas = [lemma_of(t) for t in governing]
    lowers = [t.lower_ for t in governing]
    prefix = sent.text[: trigger.idx + len(trigger.text) - sent.start_char]  # not Doc.text: O(doc)

    # 1. denial: a denial verb governs the trigger, or the trigger itself is negated.
    for lemma in lemmas:
        if lemma in c.denial_lemmas:
            return StatusDecision("denied", lemma)
    negated = [t for t in governing[:6] if t.dep_ == "neg" or t.lower_ in NEGATIONS]
    if negated and any(t.head.i == trigger.i or t.head.i == stage_from for t in negated):
        return StatusDecision("denied", negated[0].text)
    phrase = _phrase_before(sent.text, c.denial_phrases)
    if phrase is not None:
        return StatusDecision("denied", phrase)

    # 2. hedges.
    for word in lemmas + lowers:
        if word in c.hedge_lemmas:
            return StatusDecision("speculated", word)
    phrase = _phrase_before(prefix, c.hedge_phrases)
    if phrase is not None:
        return StatusDecision("speculated", phrase)

    # 3. allegation framing.
    for word in lemmas + lowers:
        if word in c.allegation_lemmas:
            return StatusDecision("alleged", word)
    phrase = _phrase_before(prefix, c.allegation_phrases)
    if phrase is not None:
        return StatusDecision("alleged", phrase)

    # 4. the stage: raising verbs and stage words on the chain, then tense and aspect.
    return StatusDecision(*_stage(trigger, governing, stage, sent))


# Nouns whose modifier can set the stage of the verb that takes them ("approved a possible sale").
SALE_NOUNS = frozenset({"sale", "transfer", "deal", "purchase", "package", "export", "delivery"})


def _stage(trigger: Token, governing: list[Token], stage: str, sent: Span) -> tuple[str, str]:
    c = cues()
    if stage == "attempted" or c.stage_lemmas.get(trigger.lemma_.lower()) == "attempted":
        # A seizure is what the sentence reports, whoever announced it.
        return "attempted", trigger.lemma_.lower()
    # The noun's own modifier decides before the verb that governs it: "a possible sale" is
    # planned whoever approved it; so is the object of "approved a possible sale".
    nouns = [trigger] if trigger.pos_ == "NOUN" else []
    nouns += [t for t in trigger.children if t.dep_ == "dobj" and t.lemma_.lower() in SALE_NOUNS]
    for noun in nouns:
        for token in noun.children:
            found = c.stage_lemmas.get(token.lemma_.lower())
            if found is not None and token.dep_ == "amod":
                return found, token.lemma_.lower()
    for token in governing[1:]:
        found = c.stage_lemmas.get(lemma_of(token))
        if found is not None and token.pos_ in ("VERB", "NOUN", "ADJ", "AUX"):
            return found, lemma_of(token)
    seizure_words = lexicon().seizure_words
    for token in sent:
        if token.lemma_.lower() in seizure_words:
            return "attempted", token.lemma_.lower()
    if stage == "delivered":
        if trigger.tag_ == "VBG" and any(c.lemma_ == "be" for c in trigger.children):
            return "ongoing", "progressive"
        if any(c.lower_ in ("will", "'ll", "shall") for c in trigger.children):
            # "Norway will transfer six F-16s": a government's stated future transfer is a
            # commitment (claims.md: committed is agreed); plans and hopes have their own cues.
            return "agreed", "will"
    return stage, trigger.lemma_.lower()


# --- claims: the document-level rules --------------------------------------------------------


def prospective(decision: StatusDecision) -> bool:
    """A mention that only looks ahead: planned, or pending under "possible", "potential"."""
    return decision.status == "planned" or (
        decision.status in PENDING and decision.cue in PROSPECTIVE
    )


def reports_done(decision: StatusDecision, trigger: Token) -> bool:
    """A report in a finite past clause ("has received", "delivered"), not "in giving"."""
    return decision.status in HAPPENED and trigger.tag_ in ("VBD", "VBN")


def lead_denials(doc: Doc, document: Document) -> set[str]:
    """Codes of the parties that deny in the document's title or first sentences: the subject
    of a denial verb ("Pyongyang dismissed the reports"), else the parties named before the
    denial word ("Iran calls drone reports baseless")."""
    c = cues()
    denied: set[str] = set()
    denied.update(_deniers_in_text(document.title or "", c))
    for i, sent in enumerate(doc.sents):
        if i >= LEAD_SENTENCES:
            break
        denied.update(_deniers_in_sentence(sent, c))
    return denied


def _denial_at(text: str, c: StatusCues) -> int | None:
    lower = text.lower()
    hits = [m.start() for m in re.finditer(r"[a-z']+", lower) if _is_denial(m.group(), c)]
    hits += [i for p in c.denial_phrases if (i := lower.find(p)) >= 0]
    return min(hits) if hits else None


def _is_denial(word: str, c: StatusCues) -> bool:
    return any(word.startswith(d[:5]) for d in c.denial_lemmas if len(word) >= len(d) - 1)


def _deniers_in_text(text: str, c: StatusCues) -> set[str]:
    from armstrace.extract.actors import find_actors

    at = _denial_at(text, c)
    if at is None:
        return set()
    return {m.code for m in find_actors(text) if m.start < at}


def _deniers_in_sentence(sent: Span, c: StatusCues) -> set[str]:
    from armstrace.extract.actors import find_actors

    for token in sent:
        if lemma_of(token) in c.denial_lemmas and token.pos_ == "VERB":
            subjects = [t for t in token.children if t.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                phrase = subjects[0]
                span = sent.doc[phrase.left_edge.i : phrase.right_edge.i + 1]
                return {m.code for m in find_actors(span.text)}
    return _deniers_in_text(sent.text, c)


def claim_status(
    decision: StatusDecision, supplier: str | None, recipient: str | None, denied: set[str]
) -> StatusDecision:
    """The status of a claim from the decision of the mention that stands for it: where the
    document's lead denies the transfer (the supplier's side, or the recipient's when no supplier
    is named), the lead decides (claims.md)."""
    if supplier in denied or (supplier is None and recipient in denied):
        return StatusDecision("denied", "lead")
    return decision


def listed_status(own: StatusDecision, frame: StatusDecision, direction: str) -> StatusDecision:
    """A list line or "the package includes" shares the status of the package it lists."""
    return frame if direction == "include" else own


def answered_request(
    decision: StatusDecision, pair: tuple[str | None, str | None], notified: Iterable[tuple]
) -> StatusDecision:
    """A request that a possible sale to the same parties answers is at the planned stage: in a
    sale notification, "TECRO has requested to buy X" is part of the possible sale."""
    if decision.status == "requested" and pair in set(notified):
        return StatusDecision("planned", "notified")
    return decision
