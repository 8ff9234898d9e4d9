"""Item heads: the one token that stands for each item mention in the parse, leaving out item
words that only modify a place or an activity ("ammunition depots"). It decides no roles."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from spacy.tokens import Token

from armstrace.extract.transfer_common import SentenceIndex
from armstrace.records import ItemMention

__all__ = ["item_heads", "items_of", "mention_head"]

# Nouns that an item word can modify without being moved: "ammunition depots", "a drone
# factory", "missile attacks", "shell production", "the missile programme".
NOT_MOVED_UNDER = frozenset(
    {"depot", "factory", "plant", "facility", "site", "warehouse", "storage", "dump", "production"}
    | {"industry", "maker", "manufacturer", "programme", "program", "attack", "strike", "test"}
    | {"launch", "threat", "base", "range", "crew", "operator"}
)


def item_heads(
    tokens: Iterable[Token],
    index: SentenceIndex,
    skip: Callable[[Token], bool] | None = None,
) -> list[Token]:
    """Tokens of the given subtrees that belong to item mentions, one token per mention; an
    item word that only modifies a place or an activity ("ammunition depots") is left out, and
    so are the subtrees of tokens for which `skip` is true."""
    seen: set[int] = set()
    heads: list[Token] = []
    for root in tokens:
        for token in _subtree(root, skip):
            mention = index.item_at.get(token.i)
            if mention is not None and id(mention) not in seen:
                seen.add(id(mention))
                head = mention_head(token, mention, index)
                if not _modifies_other(head, index):
                    heads.append(head)
    return heads


def _subtree(root: Token, skip: Callable[[Token], bool] | None) -> Iterable[Token]:
    if skip is None:
        yield from root.subtree
        return
    stack = [root]
    while stack:
        token = stack.pop()
        if skip(token):
            continue
        yield token
        stack.extend(token.children)


def _modifies_other(head: Token, index: SentenceIndex) -> bool:
    return (
        head.dep_ in ("compound", "amod", "nmod")
        and head.head.i not in index.item_at
        and head.head.lemma_.lower() in NOT_MOVED_UNDER
    )


def mention_head(token: Token, mention: ItemMention, index: SentenceIndex) -> Token:
    """The syntactic head of an item mention: the token whose head lies outside it, preferring
    a noun that is not punctuation ("Iranian-made Shahed-136 drones": the parser may hang
    "Shahed-136" as punctuation on "made"; the head is "drones")."""
    members = [t for t in token.sent if index.item_at.get(t.i) is mention]
    outside = [t for t in members if t.head.i == t.i or index.item_at.get(t.head.i) is not mention]
    nouns = [t for t in outside if t.dep_ != "punct" and t.pos_ in ("NOUN", "PROPN")]
    if nouns:
        return nouns[-1]
    head = token
    while head.head.i != head.i and index.item_at.get(head.head.i) is mention:
        head = head.head
    return head


def items_of(heads: Sequence[Token], index: SentenceIndex) -> tuple[ItemMention, ...]:
    out: list[ItemMention] = []
    for head in heads:
        mention = index.item_at[head.i]
        if mention not in out:
            out.append(mention)
    return tuple(out)
