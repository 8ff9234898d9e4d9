"""The trigger lexicon: supply-, acquire- and seizure-type verbs and nouns with their direction
and stage, plus raising, light, control and contract words, read and validated from
data/triggers.yaml. Data only: the rules that read a parse live in the role modules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from armstrace.extract.rules import DIRECTIONS, GUARD_FLAGS, STAGES, Direction, Stage
from armstrace.resources import load_yaml, require

if TYPE_CHECKING:
    from spacy.tokens import Token

TRIGGERS_FILE = "triggers.yaml"

__all__ = ["Lexicon", "TriggerEntry", "lemma", "lexicon"]

ENTRY_KEYS = frozenset({"lemma", "stage", "particle", *GUARD_FLAGS})


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    lemma: str
    direction: Direction
    stage: Stage
    part: str  # "verb" | "noun"
    guards: tuple[str, ...] = ()  # flags of triggers.yaml, each a guard of extract/rules.py
    particle: str | None = None  # "end up": the verb counts only with this particle


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

    @property
    def seizure_words(self) -> frozenset[str]:
        """Lemmas of the interdiction triggers, verbs and nouns ("seize", "seizure")."""
        return frozenset(
            e.lemma
            for e in (*self.verbs.values(), *self.nouns.values())
            if e.direction == "interdict"
        )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    name = TRIGGERS_FILE
    data = load_yaml(name)
    require(isinstance(data, dict), name, "top level must be a mapping")
    entries: dict[str, dict[str, TriggerEntry]] = {"verbs": {}, "nouns": {}}
    for part in ("verbs", "nouns"):
        groups = data.get(part)
        require(isinstance(groups, dict), name, f"'{part}' must map directions to lists")
        for direction, rows in groups.items():
            require(direction in DIRECTIONS, name, f"unknown direction {direction!r}")
            for row in rows:
                entries[part][row["lemma"]] = _entry(row, part, direction)
    raising_rows = data.get("raising")
    require(isinstance(raising_rows, list), name, "'raising' must be a list")
    raising = {row["lemma"]: row.get("stage") for row in raising_rows}
    fixes = data.get("lemma_fixes", {})
    require(
        isinstance(fixes, dict) and all(isinstance(v, str) for v in fixes.values()),
        name,
        "'lemma_fixes' must map word forms to lemmas",
    )
    return Lexicon(
        verbs=entries["verbs"],
        nouns=entries["nouns"],
        raising=raising,
        receiving=_lemmas(data, "receiving_light_verbs"),
        contracts=_lemmas(data, "contract_nouns"),
        controllers=_lemmas(data, "object_control"),
        said_things=_lemmas(data, "said_things"),
        lemma_fixes={str(k).lower(): v for k, v in fixes.items()},
    )


def _entry(row: Any, part: str, direction: str) -> TriggerEntry:
    """One trigger row, checked: known keys only, a known stage, flags that name guards."""
    where = f"{part}/{direction}"
    require(
        isinstance(row, dict) and "lemma" in row and "stage" in row,
        TRIGGERS_FILE,
        f"{where}: each entry needs lemma and stage, got {row!r}",
    )
    unknown = sorted(set(row) - ENTRY_KEYS)
    require(not unknown, TRIGGERS_FILE, f"{where} {row['lemma']!r}: unknown keys {unknown}")
    require(
        row["stage"] in STAGES,
        TRIGGERS_FILE,
        f"{where} {row['lemma']!r}: unknown stage {row['stage']!r}",
    )
    flags = tuple(flag for flag in GUARD_FLAGS if row.get(flag) is True)
    require(
        all(row[flag] in (True, False) for flag in GUARD_FLAGS if flag in row),
        TRIGGERS_FILE,
        f"{where} {row['lemma']!r}: guard flags must be true or false",
    )
    particle = row.get("particle")
    require(
        particle is None or isinstance(particle, str),
        TRIGGERS_FILE,
        f"{where} {row['lemma']!r}: `particle` must be a word",
    )
    return TriggerEntry(
        lemma=row["lemma"],
        direction=direction,  # type: ignore[arg-type]
        stage=row["stage"],
        part=part[:-1],
        guards=flags,
        particle=particle,
    )


def _lemmas(data: dict[str, Any], key: str) -> frozenset[str]:
    """An optional list of lemmas of triggers.yaml, checked."""
    words = data.get(key, [])
    require(
        isinstance(words, list) and all(isinstance(w, str) for w in words),
        TRIGGERS_FILE,
        f"'{key}' must be a list of lemmas",
    )
    return frozenset(words)


def lemma(token: Token) -> str:
    """The token's lemma, lower-cased, with the lemmatizer's known slips fixed ("hopes" is not
    "hop", "routed" not "rout"): see `lemma_fixes` in triggers.yaml."""
    return lexicon().lemma_fixes.get(token.lower_, token.lemma_.lower())
