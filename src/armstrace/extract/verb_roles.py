"""Roles of a verb trigger: subject, objects, datives, "to/from/with X", the passive agent and a
seizure's route give supplier, recipient and items per direction (data/triggers.yaml).
It decides roles only: status, attribution and grouping come later."""

from __future__ import annotations

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
PRONOUN_SUBJECTS = frozenset({"we", "they", "it", "he", "she", "you", "i"})


def _own_clause(token: Token) -> bool:
    """A coordinated verb with its own object ("transport troops and augment the helicopters"),
    whose items are not the first verb's when that verb has an object of its own."""
    return (
        token.dep_ == "conj"
        and token.pos_ == "VERB"
        and any(c.dep_ in OBJECT_DEPS for c in token.children)
    )


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


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def verb_transfers(
    verb: Token, entry: TriggerEntry, sent: Span, index: SentenceIndex
) -> list[TransferMention]:
    lex = lexicon()
    if entry.particle and not any(
        c.dep_ == "prt" and c.lower_ == entry.particle for c in verb.children
    ):
        return []  # "ended up in Ukraine", not "the war ended"
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
    heads = item_heads(theme_roots, index)
    if not heads:
        # Parser slips: the item sits elsewhere under the verb, but not in another clause.
        heads = item_heads([c for c in verb.children if not (objects and _own_clause(c))], index)
    elif theme_roots:
        # "providing Russia with drones, guided aerial bombs and ammunition": the parser can read
        # an item word ("guided") as a verb coordinated with the trigger; it continues the list.
        listed = [c for c in verb.children if c.dep_ == "conj" and c.i in index.item_at]
        heads += [h for h in item_heads(listed, index) if h not in heads]
    if not heads and (entry.direction not in FRAME_DIRECTIONS or entry.needs_origin):
        return []
    if any(o.lemma_.lower() in lex.said_things for o in objects):
        return []  # "provided the following readout": words, whatever they go on to name
    items = items_of(heads, index)
    item_origins = origins(heads, index)
    from_parties = [m for p in preps(verb, frozenset({"from"})) for m in prep_parties(p, index)]
    to_parties = recipient_parties(verb, index)
    if not from_parties and not to_parties:
        # "smuggling rifles while transiting from Iran to Yemen": a clause under the trigger.
        for clause in verb.children:
            if clause.dep_ in ("advcl", "xcomp", "conj") and clause.pos_ == "VERB":
                from_parties = [
                    m for p in preps(clause, frozenset({"from"})) for m in prep_parties(p, index)
                ]
                to_parties = recipient_parties(clause, index)
                if from_parties or to_parties:
                    break
    subject_parties = [] if passive else parties(subject, index)
    agent_parties = parties(agent, index)

    if entry.direction == "include":
        if subject is not None and party(subject, index) is not None:
            return []
        return [frame_mention(verb, entry, sent, index, heads, "verb:include")]
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
            pronoun = not subject_parties
    explicit = bool(subject_parties or agent_parties)
    if not subject_parties and not agent_parties and not passive and not pronoun:
        subject_parties = inherited_subject(verb, index)
    suppliers: list[ActorMention] = []
    recipients: list[ActorMention] = []
    rule = f"{entry.part}:{entry.direction}"
    if entry.needs_to and any(
        o.lemma_.lower() in lex.nouns and any(prep_parties(p, index) for p in preps(o, FROM))
        for o in objects
    ):
        return []  # "Washington approved the transfer of F-16s from Denmark": it authorises
    if entry.needs_with and not item_heads(with_objects, index):
        return []  # "helped the North with satellite technology", not "helped it win"
    if entry.direction == "supply":
        suppliers = subject_parties or agent_parties or from_parties or item_origins
        recipients = to_parties
        if not recipients and not entry.needs_to:
            recipients = [m for o in party_objects for m in parties(o, index)]
        if not recipients and objects and heads and not entry.needs_to:
            # "share missile technology with North Korea": the with-phrase is the recipient.
            recipients = [m for w in with_objects for m in parties(w, index)]
        if not recipients:
            recipients = nested_recipients(theme_roots, index, exclude=suppliers)
        if not recipients and raiser is not None and raiser.lemma_.lower() in lex.controllers:
            # "Kyiv asked Berlin to supply Taurus missiles": the asker is to receive them.
            asker = children(raiser, SUBJECT_DEPS)
            recipients = [
                m for m in parties(asker[0] if asker else None, index) if m not in suppliers
            ]
        if entry.needs_to and not recipients:
            return []
    elif entry.direction == "acquire":
        recipients = subject_parties or agent_parties
        suppliers = from_parties or item_origins
        if not suppliers and entry.stage == "requested":
            # "Kyiv has asked Germany for Taurus missiles": the one asked would supply.
            suppliers = [m for o in party_objects for m in parties(o, index) if m not in recipients]
        if entry.needs_origin and (not suppliers or not explicit):
            # "Russia fired Iranian missiles": use counts only with a named user and an origin;
            # an unowned "Iranian missiles were fired" is battle news, not a transfer.
            return []
        if entry.needs_from and not from_parties:
            return []
    elif entry.direction == "arrive":
        # "Britain's Challenger 2 tanks have arrived (in Ukraine)": the items are the subject;
        # their origin supplies, and "in/to X" (else the discourse) receives.
        if subject is None or not item_heads([subject], index) or party(subject, index):
            return []
        suppliers = from_parties or item_origins
        recipients = to_parties or [
            m for p in preps(verb, frozenset({"in", "at"})) for m in prep_parties(p, index)
        ]
        if entry.needs_transit:
            if not preps(verb, TRANSIT_PREPS | {"by"}):
                return []
            recipients = recipients or [m for o in party_objects for m in parties(o, index)]
        if not recipients and from_parties:
            # "Pakistan's first J-10C fighters arrived from China": the owner received them.
            recipients = possessors(item_heads([subject], index), index)
        recipients = [m for m in recipients if m not in suppliers]
        if not suppliers:
            return []
    elif entry.direction == "origin":
        # "the drones are from Iran", "the missiles came from North Korea"
        if not from_parties or subject is None or not item_heads([subject], index):
            return []
        suppliers, recipients = from_parties, to_parties
    else:  # interdict: the seizing party is neither side; roles come from origins and "to X"
        if not from_parties or not to_parties:
            # "seized by the Navy from a dhow in the Arabian Sea, enroute from Iran to Yemen"
            route_from, route_to = _route_parties(verb, index)
            from_parties = from_parties or route_from
            to_parties = to_parties or route_to
        suppliers = from_parties or item_origins
        recipients = to_parties
        rule += ":seized"
    if passive and entry.direction == "supply" and not suppliers:
        # "its ammunition had been exported to Ukraine": the items' owner sent them.
        suppliers = item_origins or [m for m in possessors(heads, index) if m not in recipients]
    if pronoun and entry.direction == "supply" and not suppliers and not recipients:
        # "We are also providing 155mm rounds": the parties come from the discourse frame.
        return [frame_mention(verb, entry, sent, index, heads, "verb:supply:pronoun")]
    return combine(verb, entry, sent, index, suppliers, recipients, items, heads, rule, raiser)


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
