"""Roles of a verb trigger: subject, objects, datives, "to/from/with X", the passive agent and a
seizure's route give supplier, recipient and items per direction (data/triggers.yaml).
It decides roles only: status, attribution and grouping come later."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from armstrace.extract.arguments import (
    RECIPIENT_PREPS,
    inherited_subject,
    nested_recipients,
    recipient_parties,
    subject_of,
)
from armstrace.extract.item_heads import item_heads, items_of
from armstrace.extract.lexicon import TriggerEntry, lexicon
from armstrace.extract.mentions import combine, frame_mention
from armstrace.extract.parties import (
    origins,
    parties,
    party,
    possessors,
    prep_parties,
    pronoun_antecedent,
)
from armstrace.extract.rules import Roles, first_step, guard, guards, role_rule, role_rules
from armstrace.extract.transfer_common import (
    FRAME_DIRECTIONS,
    OBJECT_DEPS,
    RELATIVE_PRONOUNS,
    SUBJECT_DEPS,
    SentenceIndex,
    TransferMention,
    children,
    preps,
)
from armstrace.extract.transit import TRANSIT_PREPS
from armstrace.records import ActorMention

__all__ = ["verb_transfers"]

FROM = frozenset({"from"})
IN_AT = frozenset({"in", "at"})
PRONOUN_SUBJECTS = frozenset({"we", "they", "it", "he", "she", "you", "i"})


def _own_clause(token: Token) -> bool:
    """A coordinated verb with its own object ("transport troops and augment the helicopters"),
    whose items are not the first verb's when that verb has an object of its own."""
    return (
        token.dep_ == "conj"
        and token.pos_ == "VERB"
        and any(c.dep_ in OBJECT_DEPS for c in token.children)
    )


def _clause_of_party(index: SentenceIndex) -> Callable[[Token], bool]:
    """A clause whose subject is a party of its own ("information that Russia is working with
    Iran to produce UAVs"): what it names is not the outer verb's to move."""

    def test(token: Token) -> bool:
        return token.dep_ in ("relcl", "ccomp", "advcl", "acl") and any(
            c.dep_ in SUBJECT_DEPS and c.i in index.actor_at for c in token.children
        )

    return test


def _antecedent(pronoun: Token, clause: Token) -> list[Token]:
    """The noun phrase a relative pronoun stands for: the one right before it, climbing
    "rounds of ammunition" to its head and taking its conjuncts; the parser's attachment of the
    clause (often to an earlier noun) is the fallback."""
    before = pronoun.nbor(-1) if pronoun.i > pronoun.sent.start else None
    while before is not None and before.is_punct and before.i > pronoun.sent.start:
        before = before.nbor(-1)
    if before is None or before.pos_ not in ("NOUN", "PROPN"):
        return [clause.head]
    head = before
    while head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NOUN":
        head = head.head.head
    return [head, *(c for c in head.conjuncts if c.i < head.i)]


def _leads(subject: Token) -> bool:
    """A subject of the sentence's main clause or of a clause coordinated with it, not of a
    clause reported or embedded inside it."""
    verb = subject.head
    while verb.dep_ == "conj":
        verb = verb.head
    return verb.dep_ == "ROOT"


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


@dataclass(slots=True)
class VerbFrame:
    """The arguments of one verb trigger, read once from the parse; the role rules choose
    among them."""

    verb: Token
    entry: TriggerEntry
    sent: Span
    index: SentenceIndex
    subject: Token | None
    raiser: Token | None
    passive: bool
    objects: list[Token]
    party_objects: list[Token]
    with_objects: list[Token]
    theme_roots: list[Token]
    heads: list[Token]
    item_origins: list[ActorMention]
    from_parties: list[ActorMention]
    to_parties: list[ActorMention]
    subject_parties: list[ActorMention]
    subject_step: str
    agent_parties: list[ActorMention]
    pronoun: bool
    explicit: bool

    def objects_parties(self) -> list[ActorMention]:
        return [m for o in self.party_objects for m in parties(o, self.index)]


def _read_frame(verb: Token, entry: TriggerEntry, sent: Span, index: SentenceIndex) -> VerbFrame:
    subject, raiser, passive = subject_of(verb, index)
    agent = _agent(verb)
    objects = children(verb, OBJECT_DEPS)
    datives = [c for c in verb.children if c.dep_ == "dative" and c.pos_ != "ADP"]
    with_objects = [g for p in preps(verb, frozenset({"with"})) for g in p.children]
    acl_head = verb.head if verb.dep_ in ("acl", "amod") else None

    theme_roots: list[Token] = []
    party_objects: list[Token] = []
    for obj in objects + datives:
        if obj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            # "the rounds that the Navy seized": the object is the relative's antecedent.
            theme_roots.extend(_antecedent(obj, verb))
        elif item_heads([obj], index) and party(obj, index) is None:
            theme_roots.append(obj)
        else:
            party_objects.append(obj)
    theme_roots.extend(with_objects)
    if passive and subject is not None:
        theme_roots.append(subject)
    if acl_head is not None:
        # "Iskander systems and an S-400 system received from Russia": the participle hangs on
        # the last conjunct but describes the whole coordination.
        while acl_head.dep_ == "conj" and acl_head.head.pos_ in ("NOUN", "PROPN"):
            acl_head = acl_head.head
        theme_roots.append(acl_head)
    heads = item_heads(theme_roots, index, skip=_clause_of_party(index))
    if not heads:
        # Parser slips: the item sits elsewhere under the verb, but not in another clause.
        heads = item_heads(
            [c for c in verb.children if not (objects and _own_clause(c))],
            index,
            skip=_clause_of_party(index),
        )
    elif theme_roots:
        # "providing Russia with drones, guided aerial bombs and ammunition": the parser can read
        # an item word ("guided") as a verb coordinated with the trigger; it continues the list.
        listed = [c for c in verb.children if c.dep_ == "conj" and c.i in index.item_at]
        heads += [h for h in item_heads(listed, index) if h not in heads]
    from_parties = [m for p in preps(verb, FROM) for m in prep_parties(p, index)]
    to_parties = recipient_parties(verb, index)
    if not from_parties and not to_parties:
        # "smuggling rifles while transiting from Iran to Yemen": a clause under the trigger.
        for clause in verb.children:
            if clause.dep_ in ("advcl", "xcomp", "conj") and clause.pos_ == "VERB":
                from_parties = [m for p in preps(clause, FROM) for m in prep_parties(p, index)]
                to_parties = recipient_parties(clause, index)
                if from_parties or to_parties:
                    break
    subject_parties = [] if passive else parties(subject, index)
    subject_step = "subject"
    if not subject_parties and not passive and subject is not None and subject.lower_ == "we":
        # "We continue to send them air defence": the state the speaker speaks for.
        speaker = index.discourse.first_person(subject)
        if speaker is not None:
            subject_parties, subject_step = [speaker], "speaker"
    agent_parties = parties(agent, index)
    pronoun = subject is not None and subject.lower_ in PRONOUN_SUBJECTS
    if not subject_parties and subject is not None and subject.lower_ in ("it", "they"):
        # "The Kremlin rejected claims that it had supplied the Houthis": "it" is the subject
        # of the sentence, else the party named last before it ("North Korea rejected U.S.
        # claims that it was shipping shells": North Korea, not the claimant).
        main = [
            c
            for c in sent.root.children
            if c.dep_ in SUBJECT_DEPS and c.i < subject.i and party(c, index) is not None
        ]
        antecedent = main[0] if main else pronoun_antecedent(subject, index)
        if antecedent is not None and antecedent.i < subject.i:
            subject_parties = parties(antecedent, index)
            subject_step = "pronoun"
            pronoun = not subject_parties
        elif antecedent is None and not passive and _leads(subject):
            # "Turkey is the biggest seller. It delivered TB2s to Azerbaijan in 2020": a
            # pronoun that opens its clause stands for what the sentences before were about.
            found = index.discourse.antecedent(subject)
            if found is not None:
                subject_parties = [found]
                subject_step = "discourse"
                pronoun = False
    explicit = bool(subject_parties or agent_parties)
    if not subject_parties and not agent_parties and not passive and not pronoun:
        subject_parties = inherited_subject(verb, index)
        subject_step = "inherited"
    return VerbFrame(
        verb=verb,
        entry=entry,
        sent=sent,
        index=index,
        subject=subject,
        raiser=raiser,
        passive=passive,
        objects=objects,
        party_objects=party_objects,
        with_objects=with_objects,
        theme_roots=theme_roots,
        heads=heads,
        item_origins=origins(heads, index),
        from_parties=from_parties,
        to_parties=to_parties,
        subject_parties=subject_parties,
        subject_step=subject_step,
        agent_parties=agent_parties,
        pronoun=pronoun,
        explicit=explicit,
    )


# --- guards: a flag of triggers.yaml says when a trigger may stand ---------------------------


@guard("needs_to")
def _named_recipient(frame: VerbFrame, roles: Roles | None) -> bool:
    """Making and announcing count only for a named recipient; "Washington approved the
    transfer of F-16s from Denmark" authorises a transfer by others."""
    lex = lexicon()
    if any(
        o.lemma_.lower() in lex.nouns and any(prep_parties(p, frame.index) for p in preps(o, FROM))
        for o in frame.objects
    ):
        return False
    return roles is None or bool(roles.recipients)


@guard("needs_with")
def _with_items(frame: VerbFrame, roles: Roles | None) -> bool:
    """ "helped the North with satellite technology", not "helped it win"."""
    return bool(item_heads(frame.with_objects, frame.index))


@guard("needs_origin")
def _named_origin(frame: VerbFrame, roles: Roles | None) -> bool:
    """ "Russia fired Iranian missiles": use counts only with a named user and an origin; an
    unowned "Iranian missiles were fired" is battle news, not a transfer."""
    return roles is None or (bool(roles.suppliers) and frame.explicit)


@guard("needs_from")
def _from_phrase(frame: VerbFrame, roles: Roles | None) -> bool:
    return roles is None or bool(frame.from_parties)


@guard("needs_transit")
def _transit_phrase(frame: VerbFrame, roles: Roles | None) -> bool:
    """ "Serbian shells reached Ukraine via Slovakia"; without a route "missiles reached Kyiv"
    is an attack."""
    return bool(preps(frame.verb, TRANSIT_PREPS | {"by"}))


def _passes(frame: VerbFrame, roles: Roles | None) -> bool:
    table = guards()
    return all(table[flag](frame, roles) for flag in frame.entry.guards)


# --- role rules, one per direction ---------------------------------------------------------


@role_rule("verb", "supply")
def _supply(frame: VerbFrame) -> Roles:
    lex = lexicon()
    index = frame.index
    needs_to = "needs_to" in frame.entry.guards
    suppliers, supplier_step = first_step(
        (frame.subject_step, lambda: frame.subject_parties),
        ("agent", lambda: frame.agent_parties),
        ("from", lambda: frame.from_parties),
        ("origin", lambda: frame.item_origins),
    )

    def asker() -> list[ActorMention]:
        raiser = frame.raiser
        if raiser is None or raiser.lemma_.lower() not in lex.controllers:
            return []
        # "Kyiv asked Berlin to supply Taurus missiles": the asker is to receive them.
        subjects = children(raiser, SUBJECT_DEPS)
        found = parties(subjects[0] if subjects else None, index)
        return [m for m in found if m not in suppliers]

    recipients, recipient_step = first_step(
        ("to", lambda: frame.to_parties),
        ("object", lambda: [] if needs_to else frame.objects_parties()),
        # "share missile technology with North Korea": the with-phrase is the recipient.
        (
            "with",
            lambda: (
                []
                if needs_to or not (frame.objects and frame.heads)
                else [m for w in frame.with_objects for m in parties(w, index)]
            ),
        ),
        ("nested", lambda: nested_recipients(frame.theme_roots, index, exclude=suppliers)),
        ("asker", asker),
        ("fused", lambda: _fused_dative(frame, suppliers)),
    )
    if frame.passive and not suppliers:
        # "its ammunition had been exported to Ukraine": the items' owner sent them.
        suppliers, supplier_step = first_step(
            ("origin", lambda: frame.item_origins),
            ("owner", lambda: [m for m in possessors(frame.heads, index) if m not in recipients]),
        )
    return Roles(suppliers, recipients, supplier_step, recipient_step)


DITRANSITIVE = frozenset(
    {"give", "send", "provide", "sell", "supply", "hand", "ship", "offer", "lend", "deliver"}
    | {"promise", "pledge", "transfer", "gift", "loan", "lease"}
)
NAME_FORMS = frozenset({"name", "short", "capital", "seat"})


def _fused_dative(frame: VerbFrame, suppliers: Sequence[ActorMention]) -> list[ActorMention]:
    """ "Russia has given North Korea surface-to-air missiles": the parser can read the first
    object as a compound of the second; a country's name (not a demonym, not "US-made") that
    opens the object of a verb of giving is its recipient."""
    if frame.verb.lemma_.lower() not in DITRANSITIVE or frame.passive:
        return []
    index = frame.index
    for obj in frame.objects:
        first = obj.left_edge
        actor = index.actor_at.get(first.i)
        if actor is None or actor.form not in NAME_FORMS or actor.possessive:
            continue
        after = index.doc[first.i : obj.i + 1]
        rest = [t for t in after if index.actor_at.get(t.i) is not actor]
        opens_item = rest and rest[0].text not in ("-", "'s", "\u2019s")
        if opens_item and rest[0].i in index.item_at and actor not in suppliers:
            return [actor]
    return []


@role_rule("verb", "acquire")
def _acquire(frame: VerbFrame) -> Roles:
    recipients, recipient_step = first_step(
        (frame.subject_step, lambda: frame.subject_parties),
        ("agent", lambda: frame.agent_parties),
    )
    requested = frame.entry.stage == "requested"
    suppliers, supplier_step = first_step(
        ("from", lambda: frame.from_parties),
        ("origin", lambda: frame.item_origins),
        # "Kyiv has asked Germany for Taurus missiles": the one asked would supply.
        (
            "asked",
            lambda: (
                [m for m in frame.objects_parties() if m not in recipients] if requested else []
            ),
        ),
    )
    return Roles(suppliers, recipients, supplier_step, recipient_step)


@role_rule("verb", "arrive")
def _arrive(frame: VerbFrame) -> Roles | None:
    """ "Britain's Challenger 2 tanks have arrived (in Ukraine)": the items are the subject;
    their origin supplies, and "in/to X" (else the discourse) receives."""
    index = frame.index
    subject = frame.subject
    if subject is None or not item_heads([subject], index) or party(subject, index):
        return None
    suppliers, supplier_step = first_step(
        ("from", lambda: frame.from_parties),
        ("origin", lambda: frame.item_origins),
    )
    if not suppliers:
        return None
    transit = "needs_transit" in frame.entry.guards
    recipients, recipient_step = first_step(
        ("to", lambda: frame.to_parties),
        ("in", lambda: [m for p in preps(frame.verb, IN_AT) for m in prep_parties(p, index)]),
        ("object", lambda: frame.objects_parties() if transit else []),
        # "Pakistan's first J-10C fighters arrived from China": the owner received them.
        (
            "owner",
            lambda: possessors(item_heads([subject], index), index) if frame.from_parties else [],
        ),
    )
    recipients = tuple(m for m in recipients if m not in suppliers)
    return Roles(suppliers, recipients, supplier_step, recipient_step if recipients else "none")


@role_rule("verb", "origin")
def _origin(frame: VerbFrame) -> Roles | None:
    """ "the drones are from Iran", "the missiles came from North Korea"."""
    if not frame.from_parties or frame.subject is None:
        return None
    if not item_heads([frame.subject], frame.index):
        return None
    return Roles(
        tuple(frame.from_parties),
        tuple(frame.to_parties),
        "from",
        "to" if frame.to_parties else "none",
    )


@role_rule("verb", "interdict")
def _interdict(frame: VerbFrame) -> Roles:
    """The seizing party is neither side; roles come from origins and "to X"."""
    from_parties, to_parties = frame.from_parties, frame.to_parties
    route_from: list[ActorMention] = []
    route_to: list[ActorMention] = []
    if not from_parties or not to_parties:
        # "seized by the Navy from a dhow in the Arabian Sea, enroute from Iran to Yemen"
        route_from, route_to = _route_parties(frame.verb, frame.index)
    suppliers, supplier_step = first_step(
        ("from", lambda: from_parties),
        ("route", lambda: route_from),
        ("origin", lambda: frame.item_origins),
    )
    recipients, recipient_step = first_step(("to", lambda: to_parties), ("route", lambda: route_to))
    return Roles(suppliers, recipients, supplier_step, recipient_step)


def verb_transfers(
    verb: Token, entry: TriggerEntry, sent: Span, index: SentenceIndex
) -> list[TransferMention]:
    if entry.particle and not any(
        c.dep_ == "prt" and c.lower_ == entry.particle for c in verb.children
    ):
        return []  # "ended up in Ukraine", not "the war ended"
    frame = _read_frame(verb, entry, sent, index)
    if not frame.heads and (
        entry.direction not in FRAME_DIRECTIONS or "needs_origin" in entry.guards
    ):
        return []
    if any(o.lemma_.lower() in lexicon().said_things for o in frame.objects):
        return []  # "provided the following readout": words, whatever they go on to name
    if entry.direction == "include":
        if frame.subject is not None and party(frame.subject, index) is not None:
            return []
        return [frame_mention(verb, entry, sent, index, frame.heads, "verb:include")]
    if not _passes(frame, None):
        return []
    roles = role_rules("verb")[entry.direction](frame)
    if roles is None or not _passes(frame, roles):
        return []
    if (
        frame.pronoun
        and entry.direction == "supply"
        and not roles.suppliers
        and not roles.recipients
    ):
        # "We are also providing 155mm rounds": the parties come from the discourse frame.
        return [frame_mention(verb, entry, sent, index, frame.heads, "verb:supply:pronoun")]
    items = items_of(frame.heads, index)
    rule = roles.rule_id("verb", entry.direction)
    return combine(
        verb,
        entry,
        sent,
        index,
        roles.suppliers,
        roles.recipients,
        items,
        frame.heads,
        rule,
        frame.raiser,
    )


ROUTE_STOP_DEPS = frozenset({"relcl", "ccomp", "agent", "nsubj", "nsubjpass", "dobj", "parataxis"})


def _route_parties(
    verb: Token, index: SentenceIndex
) -> tuple[list[ActorMention], list[ActorMention]]:
    """Origin and destination named anywhere under a seizure verb ("in transit from X to Y",
    "enroute from X and destined for Y"), outside relative clauses, the agent and the theme."""
    from_parties: list[ActorMention] = []
    to_parties: list[ActorMention] = []
    stack = [c for c in verb.children if c.dep_ not in ROUTE_STOP_DEPS]
    while stack:
        token = stack.pop()
        if token.dep_ == "prep" and token.lower_ == "from":
            from_parties.extend(m for m in prep_parties(token, index) if m not in from_parties)
        elif token.dep_ == "prep" and token.lower_ in RECIPIENT_PREPS:
            to_parties.extend(m for m in prep_parties(token, index) if m not in to_parties)
        stack.extend(c for c in token.children if c.dep_ not in ROUTE_STOP_DEPS)
    return from_parties, to_parties
