"""Parties of a noun phrase: the state or group it stands for ("Iran", "Russia's war", "militias
in Iraq") and the origins and owners of item nouns ("Iranian drones", "Serbia's shells"). It
reads noun phrases only: which role a party plays is decided by the verb and noun rules."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from armstrace.extract.discourse import FIRST_PERSON, OBJECT_PRONOUNS
from armstrace.extract.transfer_common import MODIFIER_DEPS, SentenceIndex
from armstrace.records import ActorMention

__all__ = ["origins", "parties", "party", "possessors", "prep_parties", "pronoun_antecedent"]

# A possessive on an item names its owner ("Ukraine's air-defense systems"), not its origin.
ORIGIN_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod"})
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
        "junta",
        "cabinet",
        "hands",  # "in the hands of Hamas"
        "parliament",
        "legislature",
        # firms and networks stand for their state: "Chinese firms that supplied drone parts"
        "firm",
        "firms",
        "company",
        "companies",
        "entity",
        "entities",
        "manufacturer",
        "manufacturers",
        "maker",
        "makers",
        "network",
        "networks",
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


def party(token: Token, index: SentenceIndex) -> ActorMention | None:
    """The state or group a noun phrase stands for ("Iran", "Russia's war", "Iranian regime")."""
    mention = index.actor_at.get(token.i)
    if mention is not None:
        return mention
    if token.i in index.item_at:
        return None
    if any(c.dep_ in ("compound", "nmod") and c.i in index.item_at for c in token.children):
        return None  # "J-10C fighters" are aircraft, not fighters of an armed group
    if token.lemma_.lower() in GROUP_NOUNS:
        located = _located_group(token, index)
        if located is not None:
            return located
    if token.lower_ in OBJECT_PRONOUNS and token.dep_ in ("dobj", "dative", "pobj"):
        return index.discourse.object_pronoun(token)
    described = index.discourse.description(token)
    if described is not None:
        return described
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


# Participles whose agent is where an item comes from: "drones supplied by the UAE".
SUPPLIED_BY = frozenset(
    {"supply", "provide", "deliver", "send", "ship", "give", "sell", "donate", "make", "build"}
    | {"produce", "manufacture", "transfer", "smuggle"}
)


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
                out.extend(m for m in prep_parties(child, index) if m not in out)
            elif child.dep_ == "acl" and child.lemma_.lower() in SUPPLIED_BY:
                # "drones supplied by the UAE", "missiles made by Iran"
                for agent in (c for c in child.children if c.dep_ == "agent"):
                    out.extend(m for m in prep_parties(agent, index) if m not in out)
    return out


def possessors(items: Sequence[Token], index: SentenceIndex) -> list[ActorMention]:
    """Parties that own the items ("Serbia's shells", "its ammunition" after Serbia)."""
    out: list[ActorMention] = []
    for item in items:
        # "Pakistan's first J-10C fighters": the designation compounds the possessed noun
        carrier = (
            item.head if item.dep_ in ("compound", "nmod") and item.head.pos_ == "NOUN" else item
        )
        for child in (*item.children, *(carrier.children if carrier is not item else ())):
            if child.dep_ != "poss":
                continue
            if child.lower_ in FIRST_PERSON:  # "our ammunition", in a government's voice
                mention = index.discourse.first_person(child)
            else:
                owner = pronoun_antecedent(child, index) if child.pos_ == "PRON" else child
                mention = party(owner, index) if owner is not None else None
            if mention is not None and mention not in out:
                out.append(mention)
    return out


def prep_parties(prep: Token, index: SentenceIndex) -> list[ActorMention]:
    out: list[ActorMention] = []
    for pobj in prep.children:
        if pobj.dep_ in ("pobj", "pcomp"):
            out.extend(parties(pobj, index))
    return out


def pronoun_antecedent(pronoun: Token, index: SentenceIndex) -> Token | None:
    """ "condemned Russia for its attempts to buy": "its" is the closest party before it in
    the sentence."""
    for i in range(pronoun.i - 1, pronoun.sent.start - 1, -1):
        if i in index.actor_at:
            return pronoun.doc[i]
    return None
