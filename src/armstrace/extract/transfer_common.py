"""What the transfer-role modules share: the per-sentence index of actor, item and place
mentions, the TransferMention record they yield, the dependency labels they read and two small
tree helpers. It holds no extraction rule of its own."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from armstrace.extract.discourse import Discourse
from armstrace.records import ActorMention, ItemMention, PlaceMention

__all__ = ["SentenceIndex", "TransferMention", "children", "preps"]

RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "oprd"})
MODIFIER_DEPS = frozenset({"poss", "compound", "amod", "nmod", "npadvmod"})
# A supply or acquire trigger whose items the catalogue does not know ("a sale to TECRO of a
# tactical network") still sets the frame for the item list that follows; it yields no claim.
FRAME_DIRECTIONS = frozenset({"supply", "acquire"})


@dataclass(frozen=True, slots=True)
class TransferMention:
    """One trigger with its resolved roles inside one sentence (char offsets into the doc)."""

    trigger: int  # token index in the parsed doc
    trigger_text: str
    direction: str
    stage: str
    supplier: ActorMention | None
    recipient: ActorMention | None
    items: tuple[ItemMention, ...]
    via: tuple[str, ...]
    route: tuple[PlaceMention, ...]
    sentence_start: int
    sentence_end: int
    span_start: int  # the tightest char span covering trigger, parties and items
    span_end: int
    rule: str
    stage_from: int | None = None  # token index of a raising verb that set the stage


class SentenceIndex:
    """Maps token indices of one parsed doc to the actor, item and place mentions they belong to."""

    def __init__(
        self,
        doc: Doc,
        actors: Sequence[ActorMention],
        items: Sequence[ItemMention],
        places: Sequence[PlaceMention],
    ) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token on each call: read it once
        self.actor_at: dict[int, ActorMention] = _token_map(doc, actors)
        self.item_at: dict[int, ItemMention] = _token_map(doc, items)
        self.place_at: dict[int, PlaceMention] = _token_map(doc, places)
        self.discourse = Discourse(self.actor_at)  # what the sentences read so far were about


def _token_map(doc: Doc, mentions: Iterable[ActorMention | ItemMention | PlaceMention]) -> dict:
    out: dict[int, object] = {}
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            out.setdefault(token.i, mention)
    return out


def children(token: Token, deps: frozenset[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def preps(token: Token, words: frozenset[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in ("prep", "dative") and c.lower_ in words]
