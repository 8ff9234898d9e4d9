"""Roles of a noun trigger ("Iran's supply of drones to Russia", "signed a deal with X for Y"):
the noun's owner, its of/from/to phrases and the verb that governs it give the parties.
It decides roles only: status, attribution and grouping come later."""

from __future__ import annotations

from spacy.tokens import Span, Token

from armstrace.extract.arguments import (
    inherited_subject,
    nested_recipients,
    recipient_parties,
    subject_of,
)
from armstrace.extract.item_heads import item_heads, items_of
from armstrace.extract.lexicon import TriggerEntry, lexicon
from armstrace.extract.mentions import combine
from armstrace.extract.parties import origins, parties, prep_parties
from armstrace.extract.transfer_common import (
    FRAME_DIRECTIONS,
    OBJECT_DEPS,
    SUBJECT_DEPS,
    SentenceIndex,
    TransferMention,
    preps,
)
from armstrace.records import ActorMention

__all__ = ["noun_transfers"]

ANNOUNCING_VERBS = frozenset(
    {
        "announce",
        "approve",
        "authorize",
        "authorise",
        "unveil",
        "pledge",
        "commit",
        "sign",
        "finalize",
        "finalise",
        "offer",
        "prepare",
        "plan",
        "make",
        "conclude",
        "complete",
    }
)


def _contract_transfers(
    noun: Token, entry: TriggerEntry, sent: Span, index: SentenceIndex
) -> list[TransferMention] | None:
    """ "Poland signed agreements with South Korea for K2 tanks": the signer buys, the
    with-party sells (without one, "Egypt signed a contract for 30 Rafale jets", the seller is
    left to the discourse or the system's maker), the for-phrase names the items. None when
    the noun is not so framed."""
    verb = noun.head
    if noun.lemma_.lower() not in lexicon().contracts or noun.dep_ not in (
        *OBJECT_DEPS,
        "nsubjpass",  # "The S-400 deal between Russia and Turkey was signed in 2017"
    ):
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    holders = (noun, verb)
    withs = [p for h in holders for p in preps(h, frozenset({"with"}))]
    sellers = [m for p in withs for m in prep_parties(p, index)]
    goods = [g for h in holders for p in preps(h, frozenset({"for"})) for g in p.children]
    goods += [c for c in noun.children if c.dep_ in ("compound", "nmod") and c.i in index.item_at]
    heads = item_heads(goods, index)
    buyers = parties(subject_of(verb, index)[0], index)
    if not buyers and heads:
        buyers, sellers = _between(noun, heads, index) or (buyers, sellers)
    if not heads or not buyers or (withs and not sellers):
        # "a contract with its own arms maker": a firm at home, not a state, sells
        return None
    items = items_of(heads, index)
    return combine(noun, entry, sent, index, sellers, buyers, items, heads, "noun:contract", None)


def _between(
    noun: Token, heads: list[Token], index: SentenceIndex
) -> tuple[list[ActorMention], list[ActorMention]] | None:
    """ "The S-400 deal between Russia and Turkey": of the two parties, the one that makes the
    system sells it. (buyers, sellers), or None when the text does not say which is which."""
    from armstrace.extract.items import makers

    sides = [m for p in preps(noun, frozenset({"between"})) for m in prep_parties(p, index)]
    made_by = makers(items_of(heads, index))
    sellers = [m for m in sides if m.code in made_by]
    buyers = [m for m in sides if m.code not in made_by]
    if len(sides) == 2 and len(sellers) == 1:
        return buyers, sellers
    return None


def noun_transfers(
    noun: Token, entry: TriggerEntry, sent: Span, index: SentenceIndex
) -> list[TransferMention]:
    contract = _contract_transfers(noun, entry, sent, index)
    if contract is not None:
        return contract
    of_objects = [g for p in preps(noun, frozenset({"of", "in"})) for g in p.children]
    modifiers = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
    heads = item_heads(of_objects + [m for m in modifiers if m.i in index.item_at], index)
    if not heads:
        # "arms shipments", "weapons deliveries": the item can be a compound of the noun itself.
        heads = [m for m in modifiers if m.i in index.item_at]
    if not heads and noun.head.i != noun.i:
        # "provided X as part of a package": look at the governing verb's objects.
        heads = item_heads([c for c in noun.head.children if c.dep_ in OBJECT_DEPS], index)
    if not heads and entry.direction not in FRAME_DIRECTIONS:
        return []
    items = items_of(heads, index)
    owner = [
        index.actor_at[c.i]
        for c in noun.children
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i in index.actor_at
    ]
    if not owner and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children):
        owner = inherited_subject(noun, index)
    if not owner and noun.dep_ == "attr" and noun.head.lemma_ in ("be", "become", "remain"):
        # "The United States is the largest arms supplier to Saudi Arabia"
        owner = parties(
            next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS), None), index
        )
    if not owner and noun.dep_ == "pobj" and noun.head.lower_ == "of":
        # "Biden's announcement of a new package for Ukraine": the announcer owns the package.
        owner = [
            index.actor_at[c.i]
            for c in noun.head.head.children
            if c.dep_ == "poss" and c.i in index.actor_at
        ]
    if not owner and noun.dep_ in OBJECT_DEPS and noun.head.lemma_.lower() in ANNOUNCING_VERBS:
        # "The United States announced a new package of assistance for Ukraine"
        owner = parties(
            next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS), None), index
        )
    from_parties = [m for p in preps(noun, frozenset({"from"})) for m in prep_parties(p, index)]
    to_parties = recipient_parties(noun, index) or nested_recipients(
        of_objects, index, exclude=owner
    )
    if not to_parties and noun.dep_ in OBJECT_DEPS and noun.head.pos_ == "VERB":
        # "failed to prevent the transfer of missiles to the Houthis": the parser hangs the
        # to-phrase on the verb that governs the noun.
        to_parties = [
            m
            for p in preps(noun.head, frozenset({"to", "into"}))
            for m in prep_parties(p, index)
            if m not in owner
        ]
    if (
        not to_parties
        and entry.direction == "supply"
        and noun.dep_ == "dobj"
        and noun.head.lemma_.lower() in lexicon().receiving
    ):
        # "Russia has taken delivery of Iranian drones (from Iran)": the light verb's subject
        # receives; a from-phrase may hang on the verb.
        to_parties = parties(subject_of(noun.head, index)[0], index)
        from_parties = from_parties or [
            m for p in preps(noun.head, frozenset({"from"})) for m in prep_parties(p, index)
        ]
    item_origins = [m for m in origins(heads, index) if m not in to_parties]
    rule = f"noun:{entry.direction}"
    if entry.direction == "acquire":
        recipients = owner or to_parties
        suppliers = from_parties or item_origins
    elif entry.direction == "interdict":
        suppliers = from_parties or item_origins
        recipients = to_parties
    else:
        suppliers = from_parties or [m for m in owner if m not in to_parties] or item_origins
        recipients = to_parties
        if not recipients and noun.dep_ in ("dobj", "pobj", "nsubjpass"):
            # "sanctions on the supplier of drones to Russia" vs "X's supply of drones to Y"
            recipients = []
    return combine(noun, entry, sent, index, suppliers, recipients, items, heads, rule, None)
