"""What the sentences before say about who is who: the party each sentence is about (its
subject), so that a pronoun with nothing to refer to in its own sentence ("It delivered TB2
drones to Azerbaijan", "They have also bought...") and a definite description ("the kingdom",
"the group", "the regime") stand for the party the story was just about. It reads the parse
sentence by sentence, in order, and decides no roles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from armstrace.records import ActorMention

__all__ = ["DEFINITE_GROUP_NOUNS", "DEFINITE_STATE_NOUNS", "Discourse"]

FIRST_PERSON = frozenset({"we", "us", "our"})
OBJECT_PRONOUNS = frozenset({"them"})
REACH = 3  # sentences back that a pronoun or a description may look for what it stands for
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# "the country", "the kingdom": a state named before; "the group", "the militia": a group.
DEFINITE_STATE_NOUNS = frozenset(
    {"country", "nation", "kingdom", "republic", "emirate", "island", "regime", "junta"}
)
# "the department announced a drawdown for Ukraine": an office of the government that speaks
# (the speaker's, else the publisher's), else of the state the story was just about.
DEFINITE_OFFICE_NOUNS = frozenset({"department", "ministry", "administration"})
DEFINITE_GROUP_NOUNS = frozenset(
    {"group", "militia", "movement", "organisation", "organization", "rebels", "militants"}
)


@dataclass(slots=True)
class Discourse:
    """The parties of the sentences read so far: each sentence's subject party, in order."""

    actor_at: dict[int, ActorMention]  # the document's party mentions by token index
    # the state a first-person "we" speaks for at a character offset (its speaker's), if known
    speaker_state: Callable[[int], ActorMention | None] | None = None
    publisher: str | None = None  # the state whose government publishes the document
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

    def first_person(self, token: Token) -> ActorMention | None:
        """ "We continue to send ...", "our partners": the state the speaker speaks for."""
        if self.speaker_state is None:
            return None
        found = self.speaker_state(token.idx)
        if found is None:
            return None
        end = token.idx + len(token.text)
        return replace(found, start=token.idx, end=end, text=token.text, form="speaker")

    def object_pronoun(self, token: Token) -> ActorMention | None:
        """ "send them these weapons", "deliver it to them": the party named last before, in
        this sentence or the ones just before, that is not the clause's own subject."""
        subject = (
            next((c for c in token.head.children if c.dep_ in SUBJECT_DEPS), None)
            if token.dep_ in ("dobj", "dative")
            else None
        )
        skip = set()
        if subject is not None:
            own = self.actor_at.get(subject.i) or (
                self.first_person(subject) if subject.lower_ in FIRST_PERSON else None
            )
            if own is not None:
                skip.add(own.code)
        for i in range(token.i - 1, token.sent.start - 1, -1):
            actor = self.actor_at.get(i)
            if actor is not None and actor.code not in skip and actor.kind != "organisation":
                return self._at(actor, token)
        found = self._recent(self.mentions, None, frozenset(skip))
        return self._at(found, token) if found is not None else None

    @staticmethod
    def _at(actor: ActorMention, token: Token) -> ActorMention:
        end = token.idx + len(token.text)
        return replace(actor, start=token.idx, end=end, text=token.text, form="anaphor")

    def description(self, token: Token) -> ActorMention | None:
        """ "the kingdom", "the group": a definite noun of a state or a group, with no party of
        its own, stands for the last one of its kind."""
        lemma = token.lemma_.lower()
        office = lemma in DEFINITE_OFFICE_NOUNS
        if lemma in DEFINITE_STATE_NOUNS or office:
            kind = "state"
        elif lemma in DEFINITE_GROUP_NOUNS or token.lower_ in DEFINITE_GROUP_NOUNS:
            kind = "group"
        else:
            return None
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            return None
        if any(c.dep_ in ("compound", "poss", "prep", "appos") for c in token.children):
            return None  # "the Gulf kingdom of Bahrain", "the Wagner group" name their own
        if office:
            speaking = self.first_person(token)
            if speaking is not None:
                return speaking
            if self.publisher is not None:
                end = token.idx + len(token.text)
                return ActorMention(token.idx, end, token.text, self.publisher, form="speaker")
        sent = token.sent
        for i in range(token.i - 1, sent.start - 1, -1):
            actor = self.actor_at.get(i)
            if actor is not None and actor.kind == kind:
                # "Iran has not commented, but the country has denied ...": its own sentence
                end = token.idx + len(token.text)
                return replace(actor, start=token.idx, end=end, text=token.text, form="anaphor")
        named = {a.code for t in sent if (a := self.actor_at.get(t.i)) is not None}
        return self.antecedent(token, kind, exclude=named)
