"""Assemble a document's transfer claims from its transfer mentions.

One claim per (supplier, recipient, category) per document (claims.md): mentions are split by
item category and grouped; the group's best mention (a report over a look-ahead, attributed,
explicit, specific) gives the evidence, source and status, which status.py settles. Generic
items ("arms") fold into a more specific claim of the same pair. This stage neither parses nor
stores.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc

from armstrace.extract.claim_score import claim_features, scorer
from armstrace.extract.items import makers
from armstrace.extract.status import (
    PROSPECTIVE,
    StatusDecision,
    answered_request,
    claim_status,
    lead_denials,
    listed_status,
    prospective,
    reports_done,
)
from armstrace.extract.transfers import TransferMention
from armstrace.records import ActorMention, Claim, Document, ItemMention, Speaker

GroupKey = tuple[str | None, str | None, str]
EVIDENCE_MAX = 160
GENERIC_CATEGORY = "military_equipment_unspecified"


@dataclass(frozen=True, slots=True)
class ScoredMention:
    """A transfer mention with what later stages decided about it."""

    mention: TransferMention
    status: StatusDecision
    speaker: Speaker | None
    claim_date: date | None


def evidence_span(text: str, mention: TransferMention) -> tuple[int, int]:
    """An exact substring of at most EVIDENCE_MAX characters that states the claim."""
    s_start, s_end = mention.sentence_start, mention.sentence_end
    sentence = text[s_start:s_end]
    stripped = sentence.strip()
    if len(stripped) <= EVIDENCE_MAX:
        lead = len(sentence) - len(sentence.lstrip())
        return s_start + lead, s_start + lead + len(stripped)
    start, end = mention.span_start, mention.span_end
    if end - start > EVIDENCE_MAX:
        end = start + EVIDENCE_MAX
    # Widen to whole words on both sides while there is room.
    while start > s_start and end - start < EVIDENCE_MAX and not text[start - 1].isspace():
        start -= 1
    while end < s_end and end - start < EVIDENCE_MAX and text[end].isalnum():
        end += 1
    while end - start > EVIDENCE_MAX:
        end -= 1
    chunk = text[start:end]
    return start + (len(chunk) - len(chunk.lstrip())), start + len(chunk.rstrip())


def _split_by_category(mention: TransferMention) -> dict[str, tuple[ItemMention, ...]]:
    groups: dict[str, list[ItemMention]] = {}
    main = [item for item in mention.items if not item.support]
    # Training and spare parts listed beside a weapon come with it; alone they are the claim.
    for item in main or mention.items:
        groups.setdefault(item.category, []).append(item)
    return {category: tuple(items) for category, items in groups.items()}


FRAME_REACH = 1500  # characters back that a "we"/list/"includes" mention looks for its frame


def complete_parties(
    scored: Sequence[ScoredMention],
    title_parties: Sequence[str] = (),
) -> list[ScoredMention]:
    """Fill missing suppliers and recipients from the document's discourse.

    - One party named ("procurement of arms from the DPRK"): the counterpart comes from the
      nearest complete mention with the same party on the same side, else from the actor most
      often named as a party elsewhere in the document.
    - No party named (a list line, "That package includes...", "We are providing..."): both come
      from the closest complete mention before it, within FRAME_REACH characters.
    A mention that still names a supplier but no recipient is dropped: "Iran sent drones" says
    too little to be a transfer claim. A recipient without a supplier is kept (null supplier).
    """
    ordered = sorted(scored, key=lambda sm: sm.mention.span_start)
    complete = [sm for sm in ordered if sm.mention.supplier and sm.mention.recipient]
    party_counts: Counter[str] = Counter()
    for sm in ordered:
        for actor in (sm.mention.supplier, sm.mention.recipient):
            if actor is not None:
                party_counts[actor.code] += 1
    out: list[ScoredMention] = []
    for sm in ordered:
        m = sm.mention
        if m.supplier is None and m.recipient is None:
            before = [
                c
                for c in out
                if c.mention.supplier
                and c.mention.recipient
                and 0 <= m.span_start - c.mention.span_start <= FRAME_REACH
            ]
            if before:
                frame = before[-1]
                m = replace(
                    m,
                    supplier=frame.mention.supplier,
                    recipient=frame.mention.recipient,
                    rule=m.rule + ":frame",
                )
                status = listed_status(sm.status, frame.status, m.direction)
                out.append(
                    replace(sm, mention=m, speaker=sm.speaker or frame.speaker, status=status)
                )
            continue
        if m.supplier is not None and m.recipient is not None:
            out.append(sm)
            continue
        present = m.supplier or m.recipient
        assert present is not None
        if m.direction == "interdict" and m.recipient is None and _seizer(m, complete):
            continue  # "Israel intercepted a drone launched from Yemen": the interceptor
        if m.supplier is None and makers(m.items) == {present.code}:
            continue  # "the German army plans to order new Leopard tanks": bought at home
        filler = _counterpart(m, present, complete, party_counts, title_parties)
        if filler is not None:
            if m.supplier is None:
                m = replace(m, supplier=filler, rule=m.rule + ":filled")
            else:
                m = replace(m, recipient=filler, rule=m.rule + ":filled")
            out.append(replace(sm, mention=m))
        elif m.supplier is None:
            out.append(sm)
    return out


def _seizer(m: TransferMention, complete: Sequence[ScoredMention]) -> bool:
    """Whether a seizure names no destination of its own and the document gives none for its
    supplier either, so that the only party left to fill in would be the one who seized it."""
    assert m.supplier is not None
    return not any(_code(c.mention.supplier) == m.supplier.code for c in complete)


def _code(actor: ActorMention | None) -> str | None:
    return actor.code if actor is not None else None


def _side(m: TransferMention, supplier: bool) -> ActorMention | None:
    return m.supplier if supplier else m.recipient


def _counterpart(
    m: TransferMention,
    present: ActorMention,
    complete: Sequence[ScoredMention],
    party_counts: Counter[str],
    title_parties: Sequence[str] = (),
) -> ActorMention | None:
    as_supplier = m.supplier is not None
    frames = [
        c.mention
        for c in complete
        if _code(c.mention.supplier if as_supplier else c.mention.recipient) == present.code
    ]
    # The discourse around the mention first, then the named system's maker ("Indonesia has
    # ordered 42 Rafale fighters": France sells them), then what the document says far after.
    close = [f for f in frames if f.span_start - m.span_start <= FRAME_REACH]
    if close:
        nearest = min(close, key=lambda f: abs(f.span_start - m.span_start))
        return nearest.recipient if as_supplier else nearest.supplier
    if not as_supplier:
        made_by = makers(m.items)
        if len(made_by) == 1 and present.code not in made_by:
            maker = made_by.pop()
            return ActorMention(start=m.span_start, end=m.span_start, text=maker, code=maker)
    others = [c for c in dict.fromkeys(title_parties) if c != present.code]
    if len(others) == 1:
        # "Press conference of the ministers of Poland and South Korea ... we received K2
        # tanks from our Korean partners": the title names the story's other party.
        return ActorMention(start=m.span_start, end=m.span_start, text=others[0], code=others[0])
    if frames:
        nearest = min(frames, key=lambda f: f.span_start)
        return nearest.recipient if as_supplier else nearest.supplier
    # A party that this document names mostly on the other side is not filled in: "Ukraine's
    # ability to transport troops" in a story of US deliveries to Ukraine is no supply by Ukraine.
    same_side = sum(1 for c in complete if _code(_side(c.mention, as_supplier)) == present.code)
    other_side = sum(
        1 for c in complete if _code(_side(c.mention, not as_supplier)) == present.code
    )
    if other_side > same_side:
        return None
    # The counterpart plays the missing role: the document's usual recipient when the supplier
    # is named ("Poland handed over its tanks" in a story of deliveries to Ukraine), else its
    # usual supplier; any party when no complete mention says who plays which.
    role_counts = Counter(
        code for c in complete if (code := _code(_side(c.mention, not as_supplier))) is not None
    )
    ranked = [c for c, _ in role_counts.most_common()] + [c for c, _ in party_counts.most_common()]
    filler = next((c for c in ranked if c != present.code), None)
    if filler is None:
        return None
    return ActorMention(start=m.span_start, end=m.span_start, text=filler, code=filler)


Member = tuple[ScoredMention, tuple[ItemMention, ...]]


def _best(
    members: Sequence[tuple[ScoredMention, tuple[ItemMention, ...]]], doc: Doc
) -> ScoredMention:
    """The mention that stands for a claim and gives its status, source and evidence: one that
    reports the transfer over one that only looks ahead ("the potential transfer of missiles"
    before "Russia has received these missiles"), then one that names items over a generic
    restatement ("arms"), the attributed over the unattributed, the earlier over the later."""
    done = any(reports_done(sm.status, doc[sm.mention.trigger]) for sm, _ in members)

    def rank(pair: Member) -> tuple[int, ...]:
        sm, items = pair
        looks_ahead = (
            done and prospective(sm.status) and not reports_done(sm.status, doc[sm.mention.trigger])
        )
        return (
            int(looks_ahead),
            int(all(item.generic for item in items)),
            int(sm.speaker is None),
            sm.mention.span_start,
        )

    return min(members, key=rank)[0]


def assemble(
    document: Document,
    doc: Doc,
    scored: Sequence[ScoredMention],
    title_parties: Sequence[str] = (),
) -> tuple[Claim, ...]:
    """Group scored mentions into one claim per (supplier, recipient, category)."""
    text = document.text
    scored = complete_parties(scored, title_parties)
    groups: dict[GroupKey, list[tuple[ScoredMention, tuple[ItemMention, ...]]]] = {}
    for sm in scored:
        m = sm.mention
        for category, category_items in _split_by_category(m).items():
            key = (_code(m.supplier), _code(m.recipient), category)
            groups.setdefault(key, []).append((sm, category_items))
    _fold_generic(groups)
    denied_codes = lead_denials(doc, document) if groups else set()
    notified = {
        (_code(sm.mention.supplier), _code(sm.mention.recipient))
        for sm in scored
        if sm.status.status == "planned" and sm.status.cue in PROSPECTIVE
    }
    model = scorer()
    sentence_starts = [sent.start_char for sent in doc.sents]
    claims: list[Claim] = []
    for (supplier, recipient, category), members in groups.items():
        members.sort(key=lambda pair: pair[0].mention.span_start)
        first = _best(members, doc)
        decision = claim_status(first.status, supplier, recipient, denied_codes)
        decision = answered_request(decision, (supplier, recipient), notified)
        items: list[str] = []
        designations: list[str] = []
        via: list[str] = []
        route: list[str] = []
        quantity: str | None = None
        for sm, group_items in members:
            for item in group_items:
                if item.text not in items:
                    items.append(item.text)
                if item.designation and item.designation not in designations:
                    designations.append(item.designation)
                if quantity is None and item.quantity is not None:
                    quantity = item.quantity.text
            via.extend(v for v in sm.mention.via if v not in via)
            route.extend(p.name for p in sm.mention.route if p.name not in route)
        start, end = evidence_span(text, first.mention)
        speaker = first.speaker
        features = claim_features(
            first,
            members,
            [i for _, group_items in members for i in group_items],
            category,
            decision.status,
            decision.cue,
            doc,
            bisect.bisect_right(sentence_starts, first.mention.sentence_start) - 1,
            title_parties,
        )
        claims.append(
            Claim(
                document_id=document.id,
                document_name=document.name,
                supplier=supplier,
                recipient=recipient,
                category=category,
                status=decision.status,
                items=tuple(items),
                evidence=text[start:end],
                evidence_start=start,
                evidence_end=end,
                sentence=text[first.mention.sentence_start : first.mention.sentence_end].strip(),
                sentence_start=first.mention.sentence_start,
                via=tuple(via),
                route=tuple(route),
                source=speaker.name if speaker else None,
                speaker=speaker,
                designations=tuple(designations),
                quantity=quantity,
                claim_date=first.claim_date,
                rule=f"{first.mention.rule}|{decision.cue}",
                score=model.score(features) if model is not None else None,
                features=tuple(sorted(features.items())),
            )
        )
    claims.sort(key=lambda c: c.evidence_start)
    return tuple(claims)


def _fold_generic(
    groups: dict[GroupKey, list[tuple[ScoredMention, tuple[ItemMention, ...]]]],
) -> None:
    """Generic restatements ("arms", "weapons") fold into a specific claim of the same pair."""
    for key in [k for k in groups if k[2] == GENERIC_CATEGORY]:
        supplier, recipient, _ = key
        specific = [
            k for k in groups if k[0] == supplier and k[1] == recipient and k[2] != GENERIC_CATEGORY
        ]
        if not specific:
            continue
        # "tactical vehicles" are unspecified but not a restatement: only generic words fold.
        members = groups[key]
        generic = [pair for pair in members if all(item.generic for item in pair[1])]
        kept = [pair for pair in members if pair not in generic]
        groups[specific[0]].extend(generic)
        if kept:
            groups[key] = kept
        else:
            del groups[key]
