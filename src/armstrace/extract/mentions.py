"""Assembly of TransferMentions: one per supplier-recipient pair of a trigger, spanning trigger,
parties and items; and frame mentions (items, no parties yet) for list lines and "That package
includes X". It resolves no roles itself."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from armstrace.extract.item_heads import item_heads, items_of, mention_head
from armstrace.extract.lexicon import TriggerEntry
from armstrace.extract.transfer_common import SentenceIndex, TransferMention
from armstrace.extract.transit import transit
from armstrace.records import ActorMention, ItemMention

__all__ = ["combine", "frame_mention", "list_line_mention"]


def combine(
    trigger: Token,
    entry: TriggerEntry,
    sent: Span,
    index: SentenceIndex,
    suppliers: Sequence[ActorMention],
    recipients: Sequence[ActorMention],
    items: tuple[ItemMention, ...],
    heads: Sequence[Token],
    rule: str,
    raiser: Token | None,
) -> list[TransferMention]:
    if not suppliers and not recipients:
        return []
    via, route = transit(trigger, heads, sent, index)
    out: list[TransferMention] = []
    supplier_options: list[ActorMention | None] = list(suppliers) or [None]
    recipient_options: list[ActorMention | None] = list(recipients) or [None]
    for supplier in supplier_options:
        for recipient in recipient_options:
            if supplier is not None and recipient is not None and supplier.code == recipient.code:
                continue
            if supplier is None and recipient is None:
                continue
            pieces = [trigger.idx, trigger.idx + len(trigger.text)]
            for actor in (supplier, recipient):
                if actor is not None:
                    pieces.extend((actor.start, actor.end))
            for item in items:
                pieces.extend((item.start, item.end))
            out.append(
                TransferMention(
                    trigger=trigger.i,
                    trigger_text=trigger.text,
                    direction=entry.direction,
                    stage=entry.stage,
                    supplier=supplier,
                    recipient=recipient,
                    items=items,
                    via=tuple(v for v in via if v not in _codes(supplier, recipient)),
                    route=route,
                    sentence_start=sent.start_char,
                    sentence_end=sent.end_char,
                    span_start=min(pieces),
                    span_end=max(pieces),
                    rule=rule,
                    stage_from=raiser.i if raiser is not None else None,
                )
            )
    return out


def frame_mention(
    trigger: Token,
    entry: TriggerEntry | None,
    sent: Span,
    index: SentenceIndex,
    heads: Sequence[Token],
    rule: str,
) -> TransferMention:
    """A mention with items but no parties yet: a list line or "That package includes X"."""
    if not heads:
        heads = item_heads([sent.root], index) or [t for t in sent if t.i in index.item_at]
    items = items_of(heads, index) if heads else ()
    pieces = [trigger.idx, trigger.idx + len(trigger.text)]
    for item in items:
        pieces.extend((item.start, item.end))
    return TransferMention(
        trigger=trigger.i,
        trigger_text=trigger.text,
        direction=entry.direction if entry else "include",
        stage=entry.stage if entry else "agreed",
        supplier=None,
        recipient=None,
        items=items,
        via=(),
        route=(),
        sentence_start=sent.start_char,
        sentence_end=sent.end_char,
        span_start=min(pieces),
        span_end=max(pieces),
        rule=rule,
    )


def list_line_mention(sent: Span, index: SentenceIndex) -> TransferMention | None:
    """A verbless list line of items ("Two NASAMS;", "• 155mm rounds") under a frame."""
    heads = [t for t in sent if t.i in index.item_at]
    if not heads or any(t.pos_ == "VERB" and t.dep_ == "ROOT" for t in sent):
        return None
    first = mention_head(heads[0], index.item_at[heads[0].i], index)
    unique = []
    for head in heads:
        h = mention_head(head, index.item_at[head.i], index)
        if h not in unique:
            unique.append(h)
    return frame_mention(first, None, sent, index, unique, "list")


def _codes(*mentions: ActorMention | None) -> set[str]:
    return {m.code for m in mentions if m is not None}
