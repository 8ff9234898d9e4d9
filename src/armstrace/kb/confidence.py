"""Confidence of a transfer record: a transparent score in 0..1 and its reasons in plain words.

The score is a sum of the weights below, clamped to 0..1 and rounded to two decimals; every term
that applies adds one sentence to the reasons, with its weight. It ranks records for reading, it
is not a probability, and it never looks at anything but the record's own claims.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from armstrace.resources import load_yaml, require

__all__ = ["WEIGHTS", "Confidence", "Support", "hedge_cue", "score"]

# The weights, documented in docs/knowledge-base.md; tests/kb/test_confidence.py pins them.
BASE = 0.2  # any record: at least one document states it
PER_SOURCE = 0.1  # each independent source ...
MAX_SOURCES = 4  # ... counted up to this many (+0.4 at most)
OFFICIAL = 0.15  # at least one supporting claim comes from a named official or a government body
EXPERT = 0.05  # at least one comes from a named expert or research institute
ONLY_ANONYMOUS = -0.1  # every supporting claim rests on unnamed sources
HEDGED = -0.1  # every supporting claim is hedged (status speculated)
ALLEGED_ONLY = -0.05  # every supporting claim is an allegation or speculation, none a report
PER_DENIAL = -0.15  # each distinct party that denies it ...
MAX_DENIALS = 2  # ... counted up to this many (-0.3 at most)

WEIGHTS: dict[str, float] = {
    "base": BASE,
    "per_source": PER_SOURCE,
    "official": OFFICIAL,
    "expert": EXPERT,
    "only_anonymous": ONLY_ANONYMOUS,
    "hedged": HEDGED,
    "alleged_only": ALLEGED_ONLY,
    "per_denial": PER_DENIAL,
}

_UNCONFIRMED = frozenset({"alleged", "speculated"})


@dataclass(frozen=True, slots=True)
class Support:
    """What confidence needs to know of one supporting claim."""

    source: str | None
    kind: str  # official | expert | anonymous | outlet | author
    status: str
    text: str = ""  # the evidence (or sentence), searched for the hedge word to quote


@dataclass(frozen=True, slots=True)
class Confidence:
    value: float
    reasons: tuple[str, ...]


def _signed(weight: float) -> str:
    return f"{weight:+.2f}".rstrip("0").rstrip(".")


@cache
def _hedge_pattern() -> re.Pattern[str]:
    raw: Any = load_yaml("status_cues.yaml")
    hedge = raw.get("hedge") if isinstance(raw, dict) else None
    words = [*(hedge or {}).get("lemmas", []), *(hedge or {}).get("phrases", [])]
    require(
        bool(words) and all(isinstance(w, str) and w for w in words),
        "status_cues.yaml",
        "`hedge` needs `lemmas` and `phrases` lists of words",
    )
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def hedge_cue(text: str) -> str | None:
    """The first hedge word or phrase of status_cues.yaml in `text`, lower-cased."""
    match = _hedge_pattern().search(text)
    return match.group(0).lower() if match else None


def _first(support: Sequence[Support], kind: str) -> str | None:
    names = sorted({s.source for s in support if s.kind == kind and s.source})
    return names[0] if names else None


def score(
    independent_sources: int, support: Sequence[Support], denied_by: Sequence[str] = ()
) -> Confidence:
    """The confidence of a record from its supporting claims and the parties that deny it."""
    terms: list[tuple[float, str]] = []
    if support:
        terms.append((BASE, f"stated in at least one document ({_signed(BASE)})"))
        counted = min(independent_sources, MAX_SOURCES)
        weight = round(PER_SOURCE * counted, 2)
        noun = "source" if independent_sources == 1 else "sources"
        capped = f", counted up to {MAX_SOURCES}" if independent_sources > MAX_SOURCES else ""
        terms.append(
            (weight, f"{independent_sources} independent {noun}{capped} ({_signed(weight)})")
        )
        official = _first(support, "official")
        if official is not None:
            terms.append((OFFICIAL, f"an official source: {official} ({_signed(OFFICIAL)})"))
        expert = _first(support, "expert")
        if expert is not None:
            terms.append((EXPERT, f"a named expert source: {expert} ({_signed(EXPERT)})"))
        if all(s.kind == "anonymous" for s in support):
            terms.append((ONLY_ANONYMOUS, f"only anonymous sources ({_signed(ONLY_ANONYMOUS)})"))
        if all(s.status == "speculated" for s in support):
            cue = next((c for c in (hedge_cue(s.text) for s in support) if c), None)
            said = f": '{cue}'" if cue else ""
            terms.append((HEDGED, f"hedged{said} ({_signed(HEDGED)})"))
        elif all(s.status in _UNCONFIRMED for s in support):
            terms.append(
                (
                    ALLEGED_ONLY,
                    f"alleged only, no source reports it as fact ({_signed(ALLEGED_ONLY)})",
                )
            )
    else:
        terms.append((0.0, "no source asserts it, only denials are on record (+0)"))
    parties = sorted(set(denied_by), key=str.casefold)
    for party in parties[:MAX_DENIALS]:
        terms.append((PER_DENIAL, f"denied by {party} ({_signed(PER_DENIAL)})"))
    if len(parties) > MAX_DENIALS:
        terms.append((0.0, f"{len(parties) - MAX_DENIALS} more denials, not counted (+0)"))
    total = sum(weight for weight, _ in terms)
    value = round(min(1.0, max(0.0, total)), 2)
    reasons = [reason for _, reason in terms]
    if total > 1.0 or total < 0.0:
        reasons.append(f"sum {total:.2f} clamped to {value:.2f}")
    return Confidence(value=value, reasons=tuple(reasons))
