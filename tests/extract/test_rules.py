"""The rule registry: every trigger direction has a role rule, every flag a guard, and a broken
trigger file fails on load with the file and the entry named."""

from __future__ import annotations

from typing import Any

import pytest

import armstrace.extract.noun_roles
import armstrace.extract.verb_roles  # noqa: F401  (registers the rules)
from armstrace.errors import DataFileError
from armstrace.extract import lexicon as lexicon_module
from armstrace.extract.rules import (
    GUARD_FLAGS,
    Roles,
    first_step,
    guard,
    guards,
    role_rule,
    role_rules,
    rule_family,
)
from armstrace.records import ActorMention


def test_every_direction_in_the_lexicon_has_a_rule() -> None:
    lex = lexicon_module.lexicon()
    verb_rules, noun_rules = role_rules("verb"), role_rules("noun")
    for entry in lex.verbs.values():
        assert entry.direction == "include" or entry.direction in verb_rules, entry
        assert set(entry.guards) <= set(GUARD_FLAGS)
    for entry in lex.nouns.values():
        assert entry.direction in noun_rules, entry


def test_every_flag_has_a_guard() -> None:
    assert set(guards()) == set(GUARD_FLAGS)


def test_registering_twice_or_an_unknown_flag_fails_fast() -> None:
    with pytest.raises(ValueError, match="already registered"):
        role_rule("verb", "supply")(lambda frame: None)
    with pytest.raises(ValueError, match="unknown direction"):
        role_rule("verb", "lend")(lambda frame: None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown guard flag"):
        guard("needs_luck")(lambda frame, roles: True)


def test_first_step_names_the_step_that_found_parties() -> None:
    iran = ActorMention(0, 4, "Iran", "IRN")
    assert first_step(("subject", list), ("from", lambda: [iran])) == ((iran,), "from")
    assert first_step(("subject", list)) == ((), "none")
    roles = Roles((iran,), (), "from", "none")
    assert roles.rule_id("verb", "acquire") == "verb:acquire:from-none"
    assert rule_family("verb:supply:subject-to:filled|ship") == "verb:supply:subject-to:filled"


@pytest.fixture
def fresh_lexicon() -> Any:
    lexicon_module.lexicon.cache_clear()
    yield
    lexicon_module.lexicon.cache_clear()


def _triggers(verb_row: dict[str, Any], direction: str = "supply") -> dict[str, Any]:
    return {
        "verbs": {direction: [verb_row]},
        "nouns": {"supply": [{"lemma": "supply", "stage": "delivered"}]},
        "raising": [{"lemma": "seek", "stage": "requested"}],
    }


@pytest.mark.parametrize(
    "data, message",
    [
        (_triggers({"lemma": "send", "stage": "delivered", "needs_lots": True}), "unknown keys"),
        (_triggers({"lemma": "send", "stage": "soon"}), "unknown stage"),
        (_triggers({"lemma": "send", "stage": "delivered"}, direction="lend"), "direction"),
        (_triggers({"lemma": "send", "stage": "delivered", "needs_to": "yes"}), "true or false"),
        (_triggers({"lemma": "send"}), "lemma and stage"),
    ],
)
def test_a_broken_trigger_file_fails_on_load(
    data: dict[str, Any], message: str, fresh_lexicon: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexicon_module, "load_yaml", lambda name: data)
    with pytest.raises(DataFileError, match=message):
        lexicon_module.lexicon()
