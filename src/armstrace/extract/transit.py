"""Transit: "via/through/across X", "disguised as bound for X" and the seas that seized cargo
crossed give a transfer's via labels and route points, also from a following sentence about
movement. It never names a supplier or a recipient."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from armstrace.extract.lexicon import lexicon
from armstrace.extract.transfer_common import PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, SentenceIndex
from armstrace.records import PlaceMention

__all__ = ["transit", "transit_sentence"]

DISGUISE_LEMMAS = frozenset({"appear", "disguise", "bind", "destine", "mask", "pretend"})
TRANSIT_PREPS = frozenset({"via", "through", "across"})


def transit(
    trigger: Token, heads: Sequence[Token], sent: Span, index: SentenceIndex
) -> tuple[tuple[str, ...], tuple[PlaceMention, ...]]:
    """Transit labels ("via X", "through X", "disguised as bound for X") and route points."""
    from armstrace.extract.places import via_label

    via: list[str] = []
    route: list[PlaceMention] = []
    cue_heads: list[Token] = []
    for token in sent:
        lower = token.lower_
        if (lower in TRANSIT_PREPS and token.dep_ == "prep") or token.lemma_.lower() in (
            DISGUISE_LEMMAS
        ):
            cue_heads.append(token)
    for cue in cue_heads:
        for token in cue.subtree:
            place = index.place_at.get(token.i)
            if place is not None and place not in route:
                route.append(place)
                label = via_label(place)
                if label and label not in via:
                    via.append(label)
            actor = index.actor_at.get(token.i)
            if place is not None:
                continue  # "Aden" inside "the Gulf of Aden" names the sea, not Yemen
            if actor is not None and actor.kind == "state" and actor.code not in via:
                via.append(actor.code)
    for token in sent:
        place = index.place_at.get(token.i)
        if place is not None and token.i in index.actor_at and place not in route:
            continue  # "Pyongyang has shipped": a capital standing for its state, not a stop
        if place is not None and place not in route:
            route.append(place)
        if (
            place is not None
            and trigger.lemma_.lower() in lexicon().seizure_words
            and place.kind in ("sea", "strait")
            and place.name not in via
        ):
            # A cargo seized at sea was crossing it: the sea is on the way.
            via.append(place.name)
    return tuple(via), tuple(route)


# Verbs and nouns of movement whose "through/via/across X" names a route of goods already named:
# "The shipments travel overland through Iraq", "They are smuggled by sea via Oman".
MOVEMENT_LEMMAS = frozenset(
    {"travel", "move", "pass", "go", "come", "cross", "transit", "route", "ship", "send", "run"}
    | {"smuggle", "fly", "sail", "truck", "carry", "ferry", "funnel", "channel", "flow", "arrive"}
    | {"reach", "make", "transport", "deliver", "supply", "shipment", "consignment", "route"}
    | {"journey", "passage", "transfer", "delivery", "cargo", "convoy", "train", "flight"}
)


def transit_sentence(
    sent: Span, index: SentenceIndex
) -> tuple[tuple[str, ...], tuple[PlaceMention, ...]]:
    """Transit named by a sentence about movement that names no party of its own ("The
    shipments travel overland through Iraq and Syria"): it continues the transfer before it."""
    if any(t.i in index.actor_at and t.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for t in sent):
        return (), ()
    moving = any(t.lemma_.lower() in MOVEMENT_LEMMAS or t.i in index.item_at for t in sent)
    preps = [t for t in sent if t.lower_ in TRANSIT_PREPS and t.dep_ == "prep"]
    stops = [t for t in sent if t.i in index.place_at and t.i not in index.actor_at]
    if not moving or not (preps or stops):
        return (), ()  # "The shells travel by rail from Rajin to Khasan" names stops
    return transit((preps or stops)[0].head, [], sent, index)
