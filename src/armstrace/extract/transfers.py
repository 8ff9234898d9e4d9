"""Transfer mentions from the dependency parse: who sends what to whom, per trigger.

A trigger is a supply-type or acquire-type verb or noun (data/triggers.yaml). Its arguments
(subject, object, dative, "to/from/for X", passive agent, control and raising) give the roles;
demonyms and possessives on the items ("Iranian drones") give the origin when no argument names
the supplier. This stage decides roles only: status, attribution and grouping come later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from armstrace.records import ActorMention, ItemMention, PlaceMention
from armstrace.resources import load_yaml, require

DIRECTIONS = ("supply", "acquire", "interdict", "include", "origin", "arrive")
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "oprd"})
MODIFIER_DEPS = frozenset({"poss", "compound", "amod", "nmod", "npadvmod"})
# A possessive on an item names its owner ("Ukraine's air-defense systems"), not its origin.
ORIGIN_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod"})
PRONOUN_SUBJECTS = frozenset({"we", "they", "it", "he", "she", "you", "i"})
RECIPIENT_PREPS = frozenset({"to", "into", "toward", "towards", "for"})
DISGUISE_LEMMAS = frozenset({"appear", "disguise", "bind", "destine", "mask", "pretend"})
TRANSIT_PREPS = frozenset({"via", "through", "across"})
# Nouns for unnamed armed groups that take their identity from a place ("groups in Yemen").
GROUP_NOUNS = frozenset(
    {"group", "militant", "militia", "faction", "fighter", "rebel", "insurgent", "proxy"}
)
# Nouns that stand for a state or group when an actor modifies them ("Russia's war", "the
# Iranian regime", "Kim's government"): the modifier is then the party, not an item's origin.
QUANTITY_NOUNS = frozenset(
    {"number", "batch", "lot", "dozen", "hundred", "thousand", "million", "billion", "consignment"}
)
PARTY_NOUNS = frozenset(
    {
        # facilities stand for their country: "know-how for the Alabuga plant"
        "plant",
        "plants",
        "factory",
        "factories",
        "facility",
        "facilities",
        "base",
        "bases",
        "depot",
        "depots",
        "arsenal",
        "arsenals",
        "stockpile",
        "stockpiles",
        "shipyard",
        "shipyards",
        "war",
        "regime",
        "government",
        "military",
        "army",
        "forces",
        "force",
        "troops",
        "ministry",
        "navy",
        "leadership",
        "authorities",
        "state",
        "effort",
        "efforts",
        "campaign",
        "invasion",
        "aggression",
        "operation",
        "operations",
        "machine",
        "industry",
        "side",
        "partner",
        "partners",
        "ally",
        "allies",
        "proxies",
        "proxy",
        "militia",
        "militias",
        "rebels",
        "fighters",
        "units",
        "unit",
        "services",
        "people",
        "officials",
        "defenders",
        "defence",
        "defense",
        "stocks",
        "inventory",
    }
)


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    lemma: str
    direction: str
    stage: str
    part: str  # "verb" | "noun"
    needs_origin: bool = False
    needs_from: bool = False
    needs_to: bool = False
    needs_transit: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, TriggerEntry]
    nouns: dict[str, TriggerEntry]
    raising: dict[str, str | None]
    receiving: frozenset[str]  # light verbs: "take delivery of"
    contracts: frozenset[str]  # "signed a deal with X for Y"
    controllers: frozenset[str]  # "urged X to send": X is the sender
    said_things: frozenset[str]  # "provided a readout": what is given is words
    lemma_fixes: dict[str, str]  # word forms the lemmatizer gets wrong ("routed" -> "rout")


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


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    name = "triggers.yaml"
    data = load_yaml(name)
    require(isinstance(data, dict), name, "top level must be a mapping")
    entries: dict[str, dict[str, TriggerEntry]] = {"verbs": {}, "nouns": {}}
    for part in ("verbs", "nouns"):
        groups = data.get(part)
        require(isinstance(groups, dict), name, f"'{part}' must map directions to lists")
        for direction, rows in groups.items():
            require(direction in DIRECTIONS, name, f"unknown direction {direction!r}")
            for row in rows:
                require(
                    isinstance(row, dict) and "lemma" in row and "stage" in row,
                    name,
                    f"{part}/{direction}: each entry needs lemma and stage, got {row!r}",
                )
                entries[part][row["lemma"]] = TriggerEntry(
                    lemma=row["lemma"],
                    direction=direction,
                    stage=row["stage"],
                    part=part[:-1],
                    needs_origin=bool(row.get("needs_origin", False)),
                    needs_from=bool(row.get("needs_from", False)),
                    needs_to=bool(row.get("needs_to", False)),
                    needs_transit=bool(row.get("needs_transit", False)),
                )
    raising_rows = data.get("raising")
    require(isinstance(raising_rows, list), name, "'raising' must be a list")
    raising = {row["lemma"]: row.get("stage") for row in raising_rows}
    receiving = data.get("receiving_light_verbs", [])
    require(
        isinstance(receiving, list) and all(isinstance(w, str) for w in receiving),
        name,
        "'receiving_light_verbs' must be a list of lemmas",
    )
    contracts = data.get("contract_nouns", [])
    require(
        isinstance(contracts, list) and all(isinstance(w, str) for w in contracts),
        name,
        "'contract_nouns' must be a list of lemmas",
    )
    controllers = data.get("object_control", [])
    require(
        isinstance(controllers, list) and all(isinstance(w, str) for w in controllers),
        name,
        "'object_control' must be a list of lemmas",
    )
    said_things = data.get("said_things", [])
    require(
        isinstance(said_things, list) and all(isinstance(w, str) for w in said_things),
        name,
        "'said_things' must be a list of lemmas",
    )
    fixes = data.get("lemma_fixes", {})
    require(
        isinstance(fixes, dict) and all(isinstance(v, str) for v in fixes.values()),
        name,
        "'lemma_fixes' must map word forms to lemmas",
    )
    return Lexicon(
        lemma_fixes={str(k).lower(): v for k, v in fixes.items()},
        said_things=frozenset(said_things),
        controllers=frozenset(controllers),
        verbs=entries["verbs"],
        nouns=entries["nouns"],
        raising=raising,
        receiving=frozenset(receiving),
        contracts=frozenset(contracts),
    )


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


def _token_map(doc: Doc, mentions: Iterable[ActorMention | ItemMention | PlaceMention]) -> dict:
    out: dict[int, object] = {}
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            out.setdefault(token.i, mention)
    return out


def find_transfers(sent: Span, index: SentenceIndex) -> list[TransferMention]:
    """Every trigger in the sentence whose arguments name at least one party and an item."""
    lex = lexicon()
    found: list[TransferMention] = []
    for token in sent:
        if token.i in index.actor_at:
            continue
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "ADJ" and token.tag_ == "VBN"):
            entry = lex.verbs.get(lex.lemma_fixes.get(token.lower_, token.lemma_.lower()))
            if entry is not None:
                found.extend(_verb_transfers(token, entry, sent, index))
        elif token.pos_ in ("NOUN", "PROPN"):
            entry = lex.nouns.get(token.lemma_.lower())
            if entry is not None and token.i not in index.item_at:
                found.extend(_noun_transfers(token, entry, sent, index))
    return found


# --- parties -----------------------------------------------------------------------------------


def party(token: Token, index: SentenceIndex) -> ActorMention | None:
    """The state or group a noun phrase stands for ("Iran", "Russia's war", "Iranian regime")."""
    mention = index.actor_at.get(token.i)
    if mention is not None:
        return mention
    if token.i in index.item_at:
        return None
    if token.lemma_.lower() in GROUP_NOUNS:
        located = _located_group(token, index)
        if located is not None:
            return located
    if token.lower_ in PARTY_NOUNS or token.lemma_.lower() in PARTY_NOUNS or token.ent_type_:
        for child in token.children:
            if child.dep_ in MODIFIER_DEPS and child.i in index.actor_at:
                return index.actor_at[child.i]
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.i in index.actor_at:
                        return index.actor_at[pobj.i]
    return None


def _located_group(token: Token, index: SentenceIndex) -> ActorMention | None:
    """ "militant groups in Yemen" stands for Yemen; "armed groups in Gaza" (the term of art for
    non-state armed groups) for a group labelled by its place: "Gaza armed groups"."""
    places = [
        g
        for p in token.children
        if p.dep_ == "prep" and p.lower_ in ("in", "inside", "within", "across")
        for g in p.children
        if g.dep_ == "pobj"
    ]
    places += [c for c in token.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    armed = token.lemma_.lower() == "group" and any(
        c.lower_ in ("armed", "nonstate", "non-state") for c in token.children
    )
    for where in places:
        actor = index.actor_at.get(where.i)
        place = index.place_at.get(where.i)
        if actor is None and place is None:
            continue
        if actor is not None and (actor.kind != "state" or not armed):
            return actor  # "Houthi militants" are the Houthis; "militias in Iraq" Iraq
        label = actor.text if actor is not None else place.text if place is not None else ""
        if armed and label:
            start, end = token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
            return ActorMention(
                start=start,
                end=end,
                text=index.text[start:end],
                code=f"{label} armed groups",
                kind="group",
                form="group",
            )
    return None


def parties(token: Token | None, index: SentenceIndex) -> list[ActorMention]:
    """The parties of a phrase and its conjuncts ("Iran and North Korea")."""
    if token is None:
        return []
    out: list[ActorMention] = []
    for candidate in (token, *token.conjuncts):
        mention = party(candidate, index)
        if mention is not None and mention not in out:
            out.append(mention)
    return out


def _quantity_head(token: Token) -> Token | None:
    """The quantity noun an item hangs under ("hundreds of drones", "a batch of rifles")."""
    of = token.head
    if token.dep_ != "pobj" or of.lower_ != "of" or of.head.i == of.i:
        return None
    amount = of.head
    if amount.pos_ == "NOUN" and (
        amount.ent_type_ in ("CARDINAL", "QUANTITY") or amount.lemma_.lower() in QUANTITY_NOUNS
    ):
        return amount
    return None


def origins(items: Sequence[Token], index: SentenceIndex) -> list[ActorMention]:
    """Actors that modify item nouns: demonyms, possessives, compounds, "from X" (also on the
    quantity the item hangs under: "hundreds of drones from Iran")."""
    out: list[ActorMention] = []
    for item in items:
        # "Swedish-made CV90 vehicles": the designation is a compound of the noun the origin
        # modifies; "hundreds of drones from Iran": the origin sits on the quantity.
        carriers = [item]
        if item.dep_ in ("compound", "nmod") and item.head.pos_ == "NOUN":
            carriers.append(item.head)
        amount = _quantity_head(carriers[-1])
        if amount is not None:
            carriers.append(amount)
        for child in (c for carrier in carriers for c in carrier.children):
            if child.dep_ in ORIGIN_DEPS:
                mention = index.actor_at.get(child.i)
                if mention is None and child.dep_ in ("amod", "compound"):
                    # "North Korean-made shells": the demonym can sit one level lower.
                    mention = next(
                        (index.actor_at[g.i] for g in child.children if g.i in index.actor_at),
                        None,
                    )
                if mention is not None and mention not in out:
                    out.append(mention)
            elif child.dep_ == "prep" and child.lower_ == "from":
                out.extend(m for m in _prep_parties(child, index) if m not in out)
    return out


def _possessors(items: Sequence[Token], index: SentenceIndex) -> list[ActorMention]:
    """Parties that own the items ("Serbia's shells", "its ammunition" after Serbia)."""
    out: list[ActorMention] = []
    for item in items:
        for child in item.children:
            if child.dep_ != "poss":
                continue
            owner = _pronoun_antecedent(child, index) if child.pos_ == "PRON" else child
            mention = party(owner, index) if owner is not None else None
            if mention is not None and mention not in out:
                out.append(mention)
    return out


def _prep_parties(prep: Token, index: SentenceIndex) -> list[ActorMention]:
    out: list[ActorMention] = []
    for pobj in prep.children:
        if pobj.dep_ in ("pobj", "pcomp"):
            out.extend(parties(pobj, index))
    return out


def _children(token: Token, deps: frozenset[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _preps(token: Token, words: frozenset[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in ("prep", "dative") and c.lower_ in words]


# --- items ---------------------------------------------------------------------------------------


# Nouns that an item word can modify without being moved: "ammunition depots", "a drone
# factory", "missile attacks", "shell production", "the missile programme".
NOT_MOVED_UNDER = frozenset(
    {"depot", "factory", "plant", "facility", "site", "warehouse", "storage", "dump", "production"}
    | {"industry", "maker", "manufacturer", "programme", "program", "attack", "strike", "test"}
    | {"launch", "threat", "base", "range", "crew", "operator"}
)


def item_heads(tokens: Iterable[Token], index: SentenceIndex) -> list[Token]:
    """Tokens of the given subtrees that belong to item mentions, one token per mention; an
    item word that only modifies a place or an activity ("ammunition depots") is left out."""
    seen: set[int] = set()
    heads: list[Token] = []
    for root in tokens:
        for token in root.subtree:
            mention = index.item_at.get(token.i)
            if mention is not None and id(mention) not in seen:
                seen.add(id(mention))
                head = _mention_head(token, mention, index)
                if not _modifies_other(head, index):
                    heads.append(head)
    return heads


def _modifies_other(head: Token, index: SentenceIndex) -> bool:
    return (
        head.dep_ in ("compound", "amod", "nmod")
        and head.head.i not in index.item_at
        and head.head.lemma_.lower() in NOT_MOVED_UNDER
    )


def _mention_head(token: Token, mention: ItemMention, index: SentenceIndex) -> Token:
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


def _items_of(heads: Sequence[Token], index: SentenceIndex) -> tuple[ItemMention, ...]:
    out: list[ItemMention] = []
    for head in heads:
        mention = index.item_at[head.i]
        if mention not in out:
            out.append(mention)
    return tuple(out)


# --- verbs ---------------------------------------------------------------------------------------


def _subject(verb: Token, index: SentenceIndex) -> tuple[Token | None, Token | None, bool]:
    """(subject, raising verb, passive) of a verb, following control, raising and conjunction."""
    lex = lexicon()
    passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children)
    raiser: Token | None = None
    current = verb
    for _ in range(4):
        subjects = _children(current, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
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
                owner = _pronoun_antecedent(owner, index)
            if owner is not None and party(owner, index) is not None:
                return owner, raiser, passive
        if current.dep_ == "xcomp" and current.head.lemma_.lower() in lex.controllers:
            # "urged the United States to send": the controller's object does the sending.
            controller = current.head
            objects = _children(controller, OBJECT_DEPS) or [
                g for p in _preps(controller, frozenset({"on", "upon"})) for g in p.children
            ]
            if objects and party(objects[0], index) is not None:
                return objects[0], raiser or controller, passive
        if current.dep_ in ("xcomp", "advcl") and current.head.lemma_.lower() in lex.raising:
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
                blamed = [c for c in owner.children if c.dep_ in OBJECT_DEPS]
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


def _pronoun_antecedent(pronoun: Token, index: SentenceIndex) -> Token | None:
    """ "condemned Russia for its attempts to buy": "its" is the closest party before it in
    the sentence."""
    for i in range(pronoun.i - 1, pronoun.sent.start - 1, -1):
        if i in index.actor_at:
            return pronoun.doc[i]
    return None


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


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _verb_transfers(
    verb: Token, entry: TriggerEntry, sent: Span, index: SentenceIndex
) -> list[TransferMention]:
    lex = lexicon()
    subject, raiser, passive = _subject(verb, index)
    agent = _agent(verb)
    objects = _children(verb, OBJECT_DEPS)
    datives = [c for c in verb.children if c.dep_ == "dative" and c.pos_ != "ADP"]
    with_objects = [g for p in _preps(verb, frozenset({"with"})) for g in p.children]
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
    items = _items_of(heads, index)
    item_origins = origins(heads, index)
    from_parties = [m for p in _preps(verb, frozenset({"from"})) for m in _prep_parties(p, index)]
    to_parties = _recipient_parties(verb, index)
    if not from_parties and not to_parties:
        # "smuggling rifles while transiting from Iran to Yemen": a clause under the trigger.
        for clause in verb.children:
            if clause.dep_ in ("advcl", "xcomp", "conj") and clause.pos_ == "VERB":
                from_parties = [
                    m for p in _preps(clause, frozenset({"from"})) for m in _prep_parties(p, index)
                ]
                to_parties = _recipient_parties(clause, index)
                if from_parties or to_parties:
                    break
    subject_parties = [] if passive else parties(subject, index)
    agent_parties = parties(agent, index)

    if entry.direction == "include":
        if subject is not None and party(subject, index) is not None:
            return []
        return [frame_mention(verb, entry, sent, index, heads, "verb:include")]
    pronoun = subject is not None and subject.lower_ in PRONOUN_SUBJECTS
    if not subject_parties and not agent_parties and not passive and not pronoun:
        subject_parties = _inherited_subject(verb, index)
    suppliers: list[ActorMention] = []
    recipients: list[ActorMention] = []
    rule = f"{entry.part}:{entry.direction}"
    if entry.direction == "supply":
        suppliers = subject_parties or agent_parties or from_parties or item_origins
        recipients = to_parties
        if not recipients and not entry.needs_to:
            recipients = [m for o in party_objects for m in parties(o, index)]
        if not recipients and objects and heads and not entry.needs_to:
            # "share missile technology with North Korea": the with-phrase is the recipient.
            recipients = [m for w in with_objects for m in parties(w, index)]
        if not recipients:
            recipients = _nested_recipients(theme_roots, index, exclude=suppliers)
        if not recipients and raiser is not None and raiser.lemma_.lower() in lex.controllers:
            # "Kyiv asked Berlin to supply Taurus missiles": the asker is to receive them.
            asker = _children(raiser, SUBJECT_DEPS)
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
        if entry.needs_origin and not suppliers:
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
            m for p in _preps(verb, frozenset({"in", "at"})) for m in _prep_parties(p, index)
        ]
        if entry.needs_transit:
            if not _preps(verb, TRANSIT_PREPS | {"by"}):
                return []
            recipients = recipients or [m for o in party_objects for m in parties(o, index)]
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
        suppliers = item_origins or [m for m in _possessors(heads, index) if m not in recipients]
    if pronoun and entry.direction == "supply" and not suppliers and not recipients:
        # "We are also providing 155mm rounds": the parties come from the discourse frame.
        return [frame_mention(verb, entry, sent, index, heads, "verb:supply:pronoun")]
    return _combine(verb, entry, sent, index, suppliers, recipients, items, heads, rule, raiser)


# "Russia's efforts to acquire": the owner of these nouns is the subject of the verb they take;
# not of "Ukraine's ability to transport troops".
INTENT_NOUNS = frozenset(
    {"effort", "attempt", "bid", "plan", "push", "drive", "decision", "move", "offer", "deal"}
    | {"agreement", "request", "need", "desire", "intention", "intent", "readiness", "commitment"}
    | {"promise", "pledge", "willingness", "refusal", "proposal", "scheme", "campaign", "order"}
    | {"negotiation", "talk", "bargain", "quest", "search", "hunt"}
)
# A supply or acquire trigger whose items the catalogue does not know ("a sale to TECRO of a
# tactical network") still sets the frame for the item list that follows; it yields no claim.
FRAME_DIRECTIONS = frozenset({"supply", "acquire"})
SEIZURE_LEMMAS = frozenset({"seize", "intercept", "interdict", "confiscate", "impound", "capture"})
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
            from_parties.extend(m for m in _prep_parties(token, index) if m not in from_parties)
        elif token.dep_ == "prep" and token.lower_ in RECIPIENT_PREPS:
            to_parties.extend(m for m in _prep_parties(token, index) if m not in to_parties)
        stack.extend(c for c in token.children if c.dep_ not in ROUTE_STOP_DEPS)
    return from_parties, to_parties


def _nested_recipients(
    roots: Sequence[Token], index: SentenceIndex, exclude: Sequence[ActorMention]
) -> list[ActorMention]:
    """ "committed $1bn in assistance to Ukraine": a "to/for X" inside the object phrase."""
    out: list[ActorMention] = []
    for root in roots:
        for token in root.subtree:
            if token.dep_ == "prep" and token.lower_ in ("to", "for", "into"):
                out.extend(m for m in _prep_parties(token, index) if m not in exclude)
    return out


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


def _recipient_parties(token: Token, index: SentenceIndex) -> list[ActorMention]:
    """Recipients from "to X", "into X", "for X", "for use by X" (the end user wins), and
    purpose clauses ("sent shells to aid Russia's war")."""
    end_users: list[ActorMention] = []
    direct: list[ActorMention] = []
    for clause in token.children:
        if clause.dep_ in ("advcl", "xcomp") and clause.lemma_.lower() in PURPOSE_VERBS:
            for obj in clause.children:
                if obj.dep_ in OBJECT_DEPS or obj.dep_ == "dative":
                    direct.extend(parties(obj, index))
    for prep in _preps(token, RECIPIENT_PREPS):
        for pobj in prep.children:
            if pobj.dep_ not in ("pobj", "pcomp"):
                continue
            found = parties(pobj, index)
            if not found and pobj.lemma_.lower() in ("use", "benefit"):
                for by in _preps(pobj, frozenset({"by", "of"})):
                    end_users.extend(_prep_parties(by, index))
            if prep.lower_ == "for" and found:
                end_users.extend(found)
            else:
                direct.extend(found)
    return end_users or direct


def _inherited_subject(token: Token, index: SentenceIndex) -> list[ActorMention]:
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


# --- nouns ---------------------------------------------------------------------------------------


def _contract_transfers(
    noun: Token, entry: TriggerEntry, sent: Span, index: SentenceIndex
) -> list[TransferMention] | None:
    """ "Poland signed agreements with South Korea for K2 tanks": the signer buys, the
    with-party sells, the for-phrase names the items. None when the noun is not so framed."""
    verb = noun.head
    if noun.lemma_.lower() not in lexicon().contracts or noun.dep_ not in OBJECT_DEPS:
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    holders = (noun, verb)
    sellers = [
        m for h in holders for p in _preps(h, frozenset({"with"})) for m in _prep_parties(p, index)
    ]
    goods = [g for h in holders for p in _preps(h, frozenset({"for"})) for g in p.children]
    heads = item_heads(goods, index)
    buyers = parties(_subject(verb, index)[0], index)
    if not sellers or not heads or not buyers:
        return None
    items = _items_of(heads, index)
    return _combine(noun, entry, sent, index, sellers, buyers, items, heads, "noun:contract", None)


def _noun_transfers(
    noun: Token, entry: TriggerEntry, sent: Span, index: SentenceIndex
) -> list[TransferMention]:
    contract = _contract_transfers(noun, entry, sent, index)
    if contract is not None:
        return contract
    of_objects = [g for p in _preps(noun, frozenset({"of", "in"})) for g in p.children]
    modifiers = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
    heads = item_heads(of_objects + [m for m in modifiers if m.i in index.item_at], index)
    if not heads:
        # "arms shipments", "weapons deliveries": the item can be a compound of the noun itself.
        heads = [m for m in modifiers if m.i in index.item_at]
    if not heads and noun.head.i != noun.i:
        # "provided X as part of a package": look at the governing verb's objects.
        heads = item_heads([c for c in noun.head.children if c.dep_ in OBJECT_DEPS], index)
    if not heads and entry.direction not in FRAME_DIRECTIONS:
        return []
    items = _items_of(heads, index)
    owner = [
        index.actor_at[c.i]
        for c in noun.children
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i in index.actor_at
    ]
    if not owner and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children):
        owner = _inherited_subject(noun, index)
    if not owner and noun.dep_ == "attr" and noun.head.lemma_ == "be":
        # "The United States is the largest arms supplier to Saudi Arabia"
        owner = parties(
            next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS), None), index
        )
    if not owner and noun.dep_ == "pobj" and noun.head.lower_ == "of":
        # "Biden's announcement of a new package for Ukraine": the announcer owns the package.
        owner = [
            index.actor_at[c.i]
            for c in noun.head.head.children
            if c.dep_ == "poss" and c.i in index.actor_at
        ]
    if not owner and noun.dep_ in OBJECT_DEPS and noun.head.lemma_.lower() in ANNOUNCING_VERBS:
        # "The United States announced a new package of assistance for Ukraine"
        owner = parties(
            next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS), None), index
        )
    from_parties = [m for p in _preps(noun, frozenset({"from"})) for m in _prep_parties(p, index)]
    to_parties = _recipient_parties(noun, index) or _nested_recipients(
        of_objects, index, exclude=owner
    )
    if not to_parties and noun.dep_ in OBJECT_DEPS and noun.head.pos_ == "VERB":
        # "failed to prevent the transfer of missiles to the Houthis": the parser hangs the
        # to-phrase on the verb that governs the noun.
        to_parties = [
            m
            for p in _preps(noun.head, frozenset({"to", "into"}))
            for m in _prep_parties(p, index)
            if m not in owner
        ]
    if (
        not to_parties
        and entry.direction == "supply"
        and noun.dep_ == "dobj"
        and noun.head.lemma_.lower() in lexicon().receiving
    ):
        # "Russia has taken delivery of Iranian drones (from Iran)": the light verb's subject
        # receives; a from-phrase may hang on the verb.
        to_parties = parties(_subject(noun.head, index)[0], index)
        from_parties = from_parties or [
            m for p in _preps(noun.head, frozenset({"from"})) for m in _prep_parties(p, index)
        ]
    item_origins = [m for m in origins(heads, index) if m not in to_parties]
    rule = f"noun:{entry.direction}"
    if entry.direction == "acquire":
        recipients = owner or to_parties
        suppliers = from_parties or item_origins
    elif entry.direction == "interdict":
        suppliers = from_parties or item_origins
        recipients = to_parties
    else:
        suppliers = from_parties or [m for m in owner if m not in to_parties] or item_origins
        recipients = to_parties
        if not recipients and noun.dep_ in ("dobj", "pobj", "nsubjpass"):
            # "sanctions on the supplier of drones to Russia" vs "X's supply of drones to Y"
            recipients = []
    return _combine(noun, entry, sent, index, suppliers, recipients, items, heads, rule, None)


# --- assembly ------------------------------------------------------------------------------------


def _combine(
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
    items = _items_of(heads, index) if heads else ()
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
    first = _mention_head(heads[0], index.item_at[heads[0].i], index)
    unique = []
    for head in heads:
        h = _mention_head(head, index.item_at[head.i], index)
        if h not in unique:
            unique.append(h)
    return frame_mention(first, None, sent, index, unique, "list")


def _codes(*mentions: ActorMention | None) -> set[str]:
    return {m.code for m in mentions if m is not None}


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
            "appear",
            "disguise",
            "bind",
            "destine",
            "mask",
            "pretend",
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
        if place is not None and place not in route:
            route.append(place)
        if (
            place is not None
            and trigger.lemma_.lower() in SEIZURE_LEMMAS
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
    if not moving or not preps:
        return (), ()
    return transit(preps[0].head, [], sent, index)
