"""Confidence: the arithmetic of every weight, pinned, and the reasons spelled out."""

from __future__ import annotations

import pytest

from armstrace.kb.confidence import Support, hedge_cue, score

OFFICIAL = Support("Antony Blinken", "official", "delivered")
EXPERT = Support("Lena Varga", "expert", "delivered")
AUTHOR = Support(None, "author", "delivered")
ANON = Support("U.S. officials", "anonymous", "alleged")
HEDGED = Support(None, "author", "speculated", "Iran may start supplying Russia with missiles")
ALLEGED = Support("Kyiv", "official", "alleged")


@pytest.mark.parametrize(
    "sources, support, denied_by, value, reasons",
    [
        (1, [AUTHOR], [], 0.3,
         ["stated in at least one document (+0.2)", "1 independent source (+0.1)"]),
        (2, [OFFICIAL, AUTHOR], ["Russia's foreign ministry"], 0.4,
         ["stated in at least one document (+0.2)", "2 independent sources (+0.2)",
          "an official source: Antony Blinken (+0.15)",
          "denied by Russia's foreign ministry (-0.15)"]),
        (6, [OFFICIAL, EXPERT], [], 0.8,
         ["stated in at least one document (+0.2)",
          "6 independent sources, counted up to 4 (+0.4)",
          "an official source: Antony Blinken (+0.15)",
          "a named expert source: Lena Varga (+0.05)"]),
        (1, [ANON], [], 0.15,
         ["stated in at least one document (+0.2)", "1 independent source (+0.1)",
          "only anonymous sources (-0.1)", "alleged only, no source reports it as fact (-0.05)"]),
        (1, [HEDGED], [], 0.2,
         ["stated in at least one document (+0.2)", "1 independent source (+0.1)",
          "hedged: 'may' (-0.1)"]),
        (1, [ALLEGED], ["Minsk", "Moscow", "Tehran"], 0.1,
         ["stated in at least one document (+0.2)", "1 independent source (+0.1)",
          "an official source: Kyiv (+0.15)",
          "alleged only, no source reports it as fact (-0.05)",
          "denied by Minsk (-0.15)", "denied by Moscow (-0.15)",
          "1 more denials, not counted (+0)"]),
        (0, [], ["North Korea"], 0.0,
         ["no source asserts it, only denials are on record (+0)",
          "denied by North Korea (-0.15)", "sum -0.15 clamped to 0.00"]),
    ],
)  # fmt: skip
def test_score_arithmetic(
    sources: int, support: list[Support], denied_by: list[str], value: float, reasons: list[str]
) -> None:
    result = score(sources, support, denied_by)
    assert result.value == value
    assert list(result.reasons) == reasons


def test_same_denier_counts_once() -> None:
    assert score(1, [AUTHOR], ["Iran", "Iran"]).value == 0.15


@pytest.mark.parametrize(
    "text, cue",
    [("Iran may start supplying", "may"), ("a transfer is not ruled out", "not ruled out"),
     ("Iran has supplied drones", None), ("Pyongyang could soon send shells", "could")],
)  # fmt: skip
def test_hedge_cue(text: str, cue: str | None) -> None:
    assert hedge_cue(text) == cue
