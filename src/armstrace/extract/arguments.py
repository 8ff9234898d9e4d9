"""Arguments that verb and noun triggers share: the subject (through control, raising,
conjunction and relative clauses), a subject inherited from an enclosing clause, and recipients
from "to/for X" phrases and purpose clauses. Which role each plays is decided by the callers."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from armstrace.extract.lexicon import lemma, lexicon
from armstrace.extract.parties import parties, party, prep_parties, pronoun_antecedent
from armstrace.extract.transfer_common import (
    MODIFIER_DEPS,
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    RELATIVE_PRONOUNS,
    SUBJECT_DEPS,
    SentenceIndex,
    children,
    preps,
)
from armstrace.records import ActorMention

__all__ = ["inherited_subject", "nested_recipients", "recipient_parties", "subject_of"]

RECIPIENT_PREPS = frozenset({"to", "into", "toward", "towards", "for"})


def subject_of(verb: Token, index: SentenceIndex) -> tuple[Token | None, Token | None, bool]:
    """(subject, raising verb, passive) of a verb, following control, raising and conjunction."""
    lex = lexicon()
    passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children)
    raiser: Token | None = None
    current = verb
    for _ in range(4):
        subjects = children(current, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
        if subjects:
            subject = subjects[0]
            if subject.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
                subject = _relative_head(current.head, index)
            return subject, raiser, passive
        if current.dep_ == "relcl":
            return current.head, raiser, passive
        if current.dep_ == "acl" and current.head.lemma_.lower() in INTENT_NOUNS:
            # "Russia's efforts to acquire", "Russian negotiations to acquire"
            owner = next((c for c in current.head.children if c.dep_ == "poss"), None) or next(
                (
                    c
                    for c in current.head.children
                    if c.dep_ in ("amod", "compound") and c.i in index.actor_at
                ),
                None,
            )
            if owner is not None and owner.pos_ == "PRON":
                owner = pronoun_antecedent(owner, index)
            if owner is not None and party(owner, index) is not None:
                return owner, raiser, passive
        if current.dep_ == "xcomp" and lemma(current.head) in lex.controllers:
            # "urged the United States to send": the controller's object does the sending.
            controller = current.head
            objects = children(controller, OBJECT_DEPS) or [
                g for p in preps(controller, frozenset({"on", "upon"})) for g in p.children
            ]
            if objects and party(objects[0], index) is not None:
                return objects[0], raiser or controller, passive
        if current.dep_ in ("xcomp", "advcl") and lemma(current.head) in lex.raising:
            raiser = raiser or current.head
            current = current.head
            continue
        if current.dep_ == "conj" and current.head.pos_ in ("VERB", "AUX"):
            current = current.head
            continue
        if current.dep_ in ("pcomp", "pobj") and current.head.dep_ == "prep":
            owner = current.head.head
            if current.head.lower_ in ("for", "of") and owner.pos_ == "VERB":
                # "condemn the DPRK for providing": the blamed object is the subject.
                # "Iran is suspected of sending": a passive blaming verb's subject is blamed.
                blamed = [c for c in owner.children if c.dep_ in OBJECT_DEPS] or [
                    c for c in owner.children if c.dep_ in PASSIVE_SUBJECT_DEPS
                ]
                if blamed and party(blamed[0], index) is not None:
                    return blamed[0], raiser, passive
            # "efforts to acquire", "in exchange for supplying": the noun's owner is the subject.
            for child in owner.children:
                if child.dep_ == "poss":
                    return child, raiser, passive
            if owner.lemma_.lower() in lex.raising or owner.pos_ == "NOUN":
                for child in owner.children:
                    if child.dep_ in MODIFIER_DEPS and child.i in index.actor_at:
                        return child, raiser, passive
            break
        break
    return None, raiser, passive


def _relative_head(head: Token, index: SentenceIndex) -> Token:
    """ "assistance for Ukraine, which will provide...": a relative clause after an item's
    recipient phrase describes the item, not the recipient."""
    if (
        head.dep_ == "pobj"
        and head.head.lower_ in ("for", "to")
        and head.head.head.i in index.item_at
    ):
        return head.head.head
    return head


# "Russia's efforts to acquire": the owner of these nouns is the subject of the verb they take;
# not of "Ukraine's ability to transport troops".
INTENT_NOUNS = frozenset(
    {"effort", "attempt", "bid", "plan", "push", "drive", "decision", "move", "offer", "deal"}
    | {"agreement", "request", "need", "desire", "intention", "intent", "readiness", "commitment"}
    | {"promise", "pledge", "willingness", "refusal", "proposal", "scheme", "campaign", "order"}
    | {"negotiation", "talk", "bargain", "quest", "search", "hunt"}
)


def nested_recipients(
    roots: Sequence[Token], index: SentenceIndex, exclude: Sequence[ActorMention]
) -> list[ActorMention]:
    """ "committed $1bn in assistance to Ukraine": a "to/for X" inside the object phrase."""
    out: list[ActorMention] = []
    for root in roots:
        for token in root.subtree:
            if token.dep_ == "prep" and token.lower_ in ("to", "for", "into"):
                out.extend(m for m in prep_parties(token, index) if m not in exclude)
    return out


PURPOSE_VERBS = frozenset(
    {
        "aid",
        "support",
        "help",
        "fuel",
        "sustain",
        "bolster",
        "assist",
        "enable",
        "arm",
        "supply",
        "equip",
        "strengthen",
        "boost",
        "resupply",
        "replenish",
        "prop",
    }
)


def recipient_parties(token: Token, index: SentenceIndex) -> list[ActorMention]:
    """Recipients from "to X", "into X", "for X", "for use by X" (the end user wins), and
    purpose clauses ("sent shells to aid Russia's war")."""
    end_users: list[ActorMention] = []
    direct: list[ActorMention] = []
    for clause in token.children:
        if clause.dep_ in ("advcl", "xcomp") and clause.lemma_.lower() in PURPOSE_VERBS:
            for obj in clause.children:
                if obj.dep_ in OBJECT_DEPS or obj.dep_ == "dative":
                    direct.extend(parties(obj, index))
    for prep in preps(token, RECIPIENT_PREPS):
        for pobj in prep.children:
            if pobj.dep_ not in ("pobj", "pcomp"):
                continue
            found = parties(pobj, index)
            if not found and pobj.lemma_.lower() in ("use", "benefit"):
                for by in preps(pobj, frozenset({"by", "of"})):
                    end_users.extend(prep_parties(by, index))
            if prep.lower_ == "for" and found:
                end_users.extend(found)
            else:
                direct.extend(found)
    return end_users or direct


def inherited_subject(token: Token, index: SentenceIndex) -> list[ActorMention]:
    """The subject of an enclosing clause, for triggers with none of their own or a pronoun
    ("Russia has deepened ties, including through its acquisition of...", "its efforts to buy").
    """
    current = token
    for _ in range(6):
        for child in current.children:
            if child.dep_ == "poss" and child.pos_ == "PRON" and current is not token:
                continue
            if child.dep_ in SUBJECT_DEPS:
                found = parties(child, index)
                if found:
                    return found
        if current.head.i == current.i:
            break
        current = current.head
    return []
