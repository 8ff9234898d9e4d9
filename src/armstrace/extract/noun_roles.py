"""Roles of a noun trigger ("Iran's supply of drones to Russia", "signed a deal with X for Y"):
the noun's owner, its of/from/to phrases and the verb that governs it give the parties.
It decides roles only: status, attribution and grouping come later."""

from __future__ import annotations

from dataclasses import dataclass

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
from armstrace.extract.rules import Roles, first_step, role_rule, role_rules
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
    rule = "noun:contract:with-signer" if withs else "noun:contract:none-signer"
    return combine(noun, entry, sent, index, sellers, buyers, items, heads, rule, None)


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


@dataclass(slots=True)
class NounFrame:
    """The arguments of one noun trigger: its items, its owner and its from/to phrases."""

    noun: Token
    entry: TriggerEntry
    index: SentenceIndex
    heads: list[Token]
    owner: list[ActorMention]
    owner_step: str
    from_parties: list[ActorMention]
    to_parties: list[ActorMention]
    to_step: str
    item_origins: list[ActorMention]


def _owner(noun: Token, index: SentenceIndex) -> tuple[list[ActorMention], str]:
    """Who the noun belongs to: "Iran's supply", "Russian purchases", and the frames that name
    the owner outside the noun phrase."""
    owner = [
        index.actor_at[c.i]
        for c in noun.children
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i in index.actor_at
    ]
    if owner:
        return owner, "owner"
    if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children):
        owner = inherited_subject(noun, index)
        if owner:
            return owner, "inherited"
    if noun.dep_ == "attr" and noun.head.lemma_ in ("be", "become", "remain"):
        # "The United States is the largest arms supplier to Saudi Arabia"
        owner = parties(
            next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS), None), index
        )
        if owner:
            return owner, "copula"
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        # "Biden's announcement of a new package for Ukraine": the announcer owns the package.
        owner = [
            index.actor_at[c.i]
            for c in noun.head.head.children
            if c.dep_ == "poss" and c.i in index.actor_at
        ]
        if owner:
            return owner, "announcer"
    if noun.dep_ in OBJECT_DEPS and noun.head.lemma_.lower() in ANNOUNCING_VERBS:
        # "The United States announced a new package of assistance for Ukraine"
        owner = parties(
            next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS), None), index
        )
        if owner:
            return owner, "announcer"
    return [], "none"


def _read_frame(noun: Token, entry: TriggerEntry, index: SentenceIndex) -> NounFrame | None:
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
        return None
    owner, owner_step = _owner(noun, index)
    from_parties = [m for p in preps(noun, frozenset({"from"})) for m in prep_parties(p, index)]
    to_parties, to_step = list(recipient_parties(noun, index)), "to"
    if not to_parties:
        to_parties, to_step = nested_recipients(of_objects, index, exclude=owner), "nested"
    if not to_parties and noun.dep_ in OBJECT_DEPS and noun.head.pos_ == "VERB":
        # "failed to prevent the transfer of missiles to the Houthis": the parser hangs the
        # to-phrase on the verb that governs the noun.
        to_parties = [
            m
            for p in preps(noun.head, frozenset({"to", "into"}))
            for m in prep_parties(p, index)
            if m not in owner
        ]
        to_step = "verb-to"
    if (
        not to_parties
        and entry.direction == "supply"
        and noun.dep_ == "dobj"
        and noun.head.lemma_.lower() in lexicon().receiving
    ):
        # "Russia has taken delivery of Iranian drones (from Iran)": the light verb's subject
        # receives; a from-phrase may hang on the verb.
        to_parties, to_step = parties(subject_of(noun.head, index)[0], index), "taker"
        from_parties = from_parties or [
            m for p in preps(noun.head, frozenset({"from"})) for m in prep_parties(p, index)
        ]
    return NounFrame(
        noun=noun,
        entry=entry,
        index=index,
        heads=heads,
        owner=owner,
        owner_step=owner_step,
        from_parties=from_parties,
        to_parties=to_parties,
        to_step=to_step if to_parties else "none",
        item_origins=[m for m in origins(heads, index) if m not in to_parties],
    )


@role_rule("noun", "supply")
def _supply(frame: NounFrame) -> Roles:
    suppliers, supplier_step = first_step(
        ("from", lambda: frame.from_parties),
        (frame.owner_step, lambda: [m for m in frame.owner if m not in frame.to_parties]),
        ("origin", lambda: frame.item_origins),
    )
    return Roles(suppliers, tuple(frame.to_parties), supplier_step, frame.to_step)


@role_rule("noun", "acquire")
def _acquire(frame: NounFrame) -> Roles:
    recipients, recipient_step = first_step(
        (frame.owner_step, lambda: frame.owner),
        (frame.to_step, lambda: frame.to_parties),
    )
    suppliers, supplier_step = first_step(
        ("from", lambda: frame.from_parties),
        ("origin", lambda: frame.item_origins),
    )
    return Roles(suppliers, recipients, supplier_step, recipient_step)


@role_rule("noun", "interdict")
def _interdict(frame: NounFrame) -> Roles:
    suppliers, supplier_step = first_step(
        ("from", lambda: frame.from_parties),
        ("origin", lambda: frame.item_origins),
    )
    return Roles(suppliers, tuple(frame.to_parties), supplier_step, frame.to_step)


def noun_transfers(
    noun: Token, entry: TriggerEntry, sent: Span, index: SentenceIndex
) -> list[TransferMention]:
    contract = _contract_transfers(noun, entry, sent, index)
    if contract is not None:
        return contract
    frame = _read_frame(noun, entry, index)
    if frame is None:
        return []
    roles = role_rules("noun")[entry.direction](frame)
    items = items_of(frame.heads, index)
    rule = roles.rule_id("noun", entry.direction)
    return combine(
        noun, entry, sent, index, roles.suppliers, roles.recipients, items, frame.heads, rule, None
    )
