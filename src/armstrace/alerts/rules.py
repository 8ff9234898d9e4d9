"""The alert rules file (YAML): which records a user follows and which changes to them they want
to hear about. Loaded once, validated strictly (unknown keys, events, categories and actors
fail with the rule's name), and evaluated by armstrace.alerts.events.

    watch:
      - name: dprk-russia
        actors: [PRK, RUS]            # a record matches when its supplier or recipient is one
        events: [new_record, status_changed]
      - name: drones-to-russia
        recipient: [Russia]
        categories: [uav]
        embargo_only: true
        min_sources: 2
        events: [new_record, new_source, denial]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from armstrace.errors import DataFileError
from armstrace.records import CATEGORIES

__all__ = ["EVENTS", "Rule", "RuleSet", "load_rules", "parse_rules"]

Event = Literal["new_record", "status_changed", "new_source", "denial"]
EVENTS: tuple[str, ...] = ("new_record", "status_changed", "new_source", "denial")
DEFAULT_EVENTS: tuple[Event, ...] = ("new_record", "status_changed")


class _RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\- ]*$")
    actors: list[str] = Field(default_factory=list)
    supplier: list[str] = Field(default_factory=list)
    recipient: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    embargo_only: bool = False
    min_sources: int = Field(default=1, ge=1, le=1000)
    events: list[Event] = Field(default_factory=lambda: list(DEFAULT_EVENTS))

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, values: list[str]) -> list[str]:
        unknown = [value for value in values if value not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown categories {unknown}; choose from {', '.join(CATEGORIES)}")
        return values

    @field_validator("events")
    @classmethod
    def _some_events(cls, values: list[str]) -> list[str]:
        if not values:
            raise ValueError(f"list at least one event of {', '.join(EVENTS)}")
        return values


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    watch: list[_RuleModel] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Rule:
    """One validated rule, its actors resolved to codes."""

    name: str
    actors: frozenset[str] = frozenset()
    suppliers: frozenset[str] = frozenset()
    recipients: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    embargo_only: bool = False
    min_sources: int = 1
    events: frozenset[str] = frozenset({"new_record", "status_changed"})

    def matches(self, record: dict[str, Any]) -> bool:
        """Whether a record (the records contract, as a dict) is one this rule follows."""
        supplier, recipient = record.get("supplier"), record.get("recipient")
        if self.actors and supplier not in self.actors and recipient not in self.actors:
            return False
        if self.suppliers and supplier not in self.suppliers:
            return False
        if self.recipients and recipient not in self.recipients:
            return False
        if self.categories and record.get("category") not in self.categories:
            return False
        if self.embargo_only and not record.get("embargo"):
            return False
        return int(record.get("independent_sources") or 0) >= self.min_sources


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]


def _codes(values: list[str], field: str, rule: str) -> frozenset[str]:
    from armstrace.extract.actors import resolve_actor

    codes = set()
    for value in values:
        code = resolve_actor(value)
        if code is None:
            raise DataFileError(
                f"rule {rule!r}: unknown actor {value!r} in {field}; use a code (PRK) or a "
                "name (North Korea)"
            )
        codes.add(code)
    return frozenset(codes)


def parse_rules(data: Any, where: str = "the rules") -> RuleSet:
    """A RuleSet from parsed YAML; DataFileError naming the rule and field on any problem."""
    try:
        model = _FileModel.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise DataFileError(f"{where} are not valid: {problems}") from exc
    names = [rule.name for rule in model.watch]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise DataFileError(f"{where}: rule names must be unique ({', '.join(repeated)})")
    rules = tuple(
        Rule(
            name=rule.name,
            actors=_codes(rule.actors, "actors", rule.name),
            suppliers=_codes(rule.supplier, "supplier", rule.name),
            recipients=_codes(rule.recipient, "recipient", rule.name),
            categories=frozenset(rule.categories),
            embargo_only=rule.embargo_only,
            min_sources=rule.min_sources,
            events=frozenset(rule.events),
        )
        for rule in model.watch
    )
    return RuleSet(rules)


def load_rules(path: str | Path) -> RuleSet:
    """The rules of a YAML file; DataFileError when it cannot be read or is not valid."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(f"cannot read the rules file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"the rules file {path} is not valid YAML: {exc}") from exc
    return parse_rules(data, f"the rules in {path}")
