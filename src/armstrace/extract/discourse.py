"""What the sentences before say about who is who: the party each sentence is about (its
subject), so that a pronoun with nothing to refer to in its own sentence ("It delivered TB2
drones to Azerbaijan", "They have also bought...") and a definite description ("the kingdom",
"the group", "the regime") stand for the party the story was just about. It reads the parse
sentence by sentence, in order, and decides no roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from armstrace.records import ActorMention

__all__ = ["DEFINITE_GROUP_NOUNS", "DEFINITE_STATE_NOUNS", "Discourse"]

REACH = 3  # sentences back that a pronoun or a description may look for what it stands for
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# "the country", "the kingdom": a state named before; "the group", "the militia": a group.
DEFINITE_STATE_NOUNS = frozenset(
    {"country", "nation", "kingdom", "republic", "emirate", "island", "regime", "junta"}
)
DEFINITE_GROUP_NOUNS = frozenset(
    {"group", "militia", "movement", "organisation", "organization", "rebels", "militants"}
)


@dataclass(slots=True)
class Discourse:
    """The parties of the sentences read so far: each sentence's subject party, in order."""

    actor_at: dict[int, ActorMention]  # the document's party mentions by token index
    subjects: list[tuple[int, ActorMention]] = field(default_factory=list)  # (sentence no., party)
    mentions: list[tuple[int, ActorMention]] = field(default_factory=list)
    sentence: int = 0

    def remember(self, sent: Span) -> None:
        """Note the party the sentence is about and the parties it names; call once per
        sentence, in document order, after its transfers are read."""
        actor_at = self.actor_at
        roots = [sent.root, *(c for c in sent.root.children if c.dep_ == "conj")]
        for root in roots:
            for child in root.children:
                if child.dep_ in SUBJECT_DEPS and child.i in actor_at:
                    self.subjects.append((self.sentence, actor_at[child.i]))
                    break
            else:
                continue
            break
        seen: list[ActorMention] = []
        for token in sent:
            actor = actor_at.get(token.i)
            if actor is not None and actor not in seen:
                seen.append(actor)
        self.mentions.extend((self.sentence, a) for a in seen)
        self.sentence += 1

    def _recent(
        self, rows: list[tuple[int, ActorMention]], kind: str | None, exclude: frozenset[str]
    ) -> ActorMention | None:
        for number, actor in reversed(rows):
            if self.sentence - number > REACH:
                return None
            if (kind is None or actor.kind == kind) and actor.code not in exclude:
                return actor
        return None

    def antecedent(
        self, token: Token, kind: str | None = None, exclude: Iterable[str] = ()
    ) -> ActorMention | None:
        """The party a pronoun or description at `token` stands for: the subject of a recent
        sentence (of the given kind), else the last party of that kind named recently; as a
        mention at the token's own place, so that evidence stays in its sentence. Parties in
        `exclude` (those its own sentence names: "The country bought Israeli drones" is not
        Israel) are passed over."""
        skip = frozenset(exclude)
        found = self._recent(self.subjects, kind, skip) or (
            self._recent(self.mentions, kind, skip) if kind is not None else None
        )
        if found is None:
            return None
        end = token.idx + len(token.text)
        return replace(found, start=token.idx, end=end, text=token.text, form="anaphor")

    def description(self, token: Token) -> ActorMention | None:
        """ "the kingdom", "the group": a definite noun of a state or a group, with no party of
        its own, stands for the last one of its kind."""
        lemma = token.lemma_.lower()
        if lemma in DEFINITE_STATE_NOUNS:
            kind = "state"
        elif lemma in DEFINITE_GROUP_NOUNS or token.lower_ in DEFINITE_GROUP_NOUNS:
            kind = "group"
        else:
            return None
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            return None
        if any(c.dep_ in ("compound", "poss", "prep", "appos") for c in token.children):
            return None  # "the Gulf kingdom of Bahrain", "the Wagner group" name their own
        sent = token.sent
        for i in range(token.i - 1, sent.start - 1, -1):
            actor = self.actor_at.get(i)
            if actor is not None and actor.kind == kind:
                # "Iran has not commented, but the country has denied ...": its own sentence
                end = token.idx + len(token.text)
                return replace(actor, start=token.idx, end=end, text=token.text, form="anaphor")
        named = {a.code for t in sent if (a := self.actor_at.get(t.i)) is not None}
        return self.antecedent(token, kind, exclude=named)
