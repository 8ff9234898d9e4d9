"""The registry of role rules: one named function per trigger part and direction, each fallback
a named step whose id travels with the claim, and guard functions looked up by the flags of
data/triggers.yaml. It holds the tables and their checks; the rules themselves live in
verb_roles.py and noun_roles.py and register here when imported.

A rule id reads `part:direction:supplier-step-recipient-step` ("verb:supply:subject-with":
the subject supplies, a with-phrase receives); later stages append what they did
(":filled", ":frame", ":anaphora"). `armstrace eval --by-rule` scores claims by these ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, get_args

from armstrace.records import ActorMention

__all__ = [
    "DIRECTIONS",
    "GUARD_FLAGS",
    "STAGES",
    "Direction",
    "Roles",
    "Stage",
    "first_step",
    "guard",
    "guards",
    "role_rule",
    "role_rules",
    "rule_family",
]

Direction = Literal["supply", "acquire", "interdict", "include", "origin", "arrive"]
Stage = Literal["delivered", "ongoing", "agreed", "planned", "requested", "attempted"]
Part = Literal["verb", "noun"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)
STAGES: tuple[str, ...] = get_args(Stage)

# The flags a trigger entry may carry in triggers.yaml; each names a guard function.
GUARD_FLAGS: tuple[str, ...] = (
    "needs_origin",  # use verbs: "Russia fired Iranian missiles" (a named user and an origin)
    "needs_from",  # "took X from Y"
    "needs_to",  # making and announcing verbs: only with a named recipient
    "needs_transit",  # "reached Ukraine via Slovakia"
    "needs_with",  # "helped X with Y"
)


@dataclass(frozen=True, slots=True)
class Roles:
    """What a role rule decided: the parties on each side and the steps that named them."""

    suppliers: tuple[ActorMention, ...]
    recipients: tuple[ActorMention, ...]
    supplier_step: str
    recipient_step: str

    def rule_id(self, part: str, direction: str) -> str:
        return f"{part}:{direction}:{self.supplier_step}-{self.recipient_step}"


Step = tuple[str, Callable[[], Sequence[ActorMention]]]


def first_step(*steps: Step) -> tuple[tuple[ActorMention, ...], str]:
    """The parties of the first step that names any, with that step's name ("none" if none)."""
    for name, find in steps:
        found = find()
        if found:
            return tuple(found), name
    return (), "none"


F = TypeVar("F", bound=Callable[..., Any])
_RULES: dict[tuple[str, str], Callable[..., Any]] = {}
_GUARDS: dict[str, Callable[..., bool]] = {}


def role_rule(part: Part, direction: Direction) -> Callable[[F], F]:
    """Register the role rule of one trigger part and direction (one rule per pair)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")

    def register(function: F) -> F:
        key = (part, direction)
        if key in _RULES:
            raise ValueError(f"a role rule for {part}/{direction} is already registered")
        _RULES[key] = function
        return function

    return register


def guard(flag: str) -> Callable[[F], F]:
    """Register the guard of a triggers.yaml flag: it says whether a mention may stand."""
    if flag not in GUARD_FLAGS:
        raise ValueError(f"unknown guard flag {flag!r}; declare it in GUARD_FLAGS")

    def register(function: F) -> F:
        _GUARDS[flag] = function
        return function

    return register


def role_rules(part: Part) -> dict[str, Callable[..., Any]]:
    """The registered rules of one part, by direction."""
    return {direction: rule for (p, direction), rule in _RULES.items() if p == part}


def guards() -> dict[str, Callable[..., bool]]:
    return dict(_GUARDS)


def rule_family(rule: str) -> str:
    """A claim's rule id without the status cue ("verb:supply:subject-to|ship" -> the part
    before "|")."""
    return rule.split("|", 1)[0]
