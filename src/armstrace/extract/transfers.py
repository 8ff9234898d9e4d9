"""Transfer mentions from the dependency parse: who sends what to whom, per trigger.

A trigger is a supply-type or acquire-type verb or noun (data/triggers.yaml). Its arguments
(subject, object, dative, "to/from/for X", passive agent, control and raising) give the roles;
demonyms and possessives on the items ("Iranian drones") give the origin when no argument names
the supplier. This stage decides roles only: status, attribution and grouping come later.
Verb rules are in verb_roles.py, noun rules in noun_roles.py; this module runs them per token.
"""

from __future__ import annotations

from spacy.tokens import Span

from armstrace.extract.lexicon import lemma, lexicon
from armstrace.extract.mentions import list_line_mention
from armstrace.extract.noun_roles import noun_transfers
from armstrace.extract.transfer_common import SentenceIndex, TransferMention
from armstrace.extract.transit import transit_sentence
from armstrace.extract.verb_roles import verb_transfers

__all__ = [
    "SentenceIndex",
    "TransferMention",
    "find_transfers",
    "list_line_mention",
    "transit_sentence",
]


def find_transfers(sent: Span, index: SentenceIndex) -> list[TransferMention]:
    """Every trigger in the sentence whose arguments name at least one party and an item."""
    lex = lexicon()
    found: list[TransferMention] = []
    for token in sent:
        if token.i in index.actor_at:
            continue
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "ADJ" and token.tag_ == "VBN"):
            entry = lex.verbs.get(lemma(token))
            if entry is not None:
                found.extend(verb_transfers(token, entry, sent, index))
        elif token.pos_ in ("NOUN", "PROPN"):
            entry = lex.nouns.get(token.lemma_.lower())
            if entry is not None and token.i not in index.item_at:
                found.extend(noun_transfers(token, entry, sent, index))
    return found
