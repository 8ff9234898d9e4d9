"""The learned claim score: how likely a claim the rules assembled is a true transfer claim.

Features describe the claim's best mention and its group (rule id and its steps, trigger lemma,
status cue, category, attribution, parties' forms, position in the document, distances); a
logistic regression trained by `armstrace train` on the gold corpora (armstrace.learn) gives
the weights, shipped as data/claim_score.json and read here in plain Python (no scikit-learn at
run time). A model trained on other features (FEATURES_VERSION) is not used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from armstrace.errors import DataFileError
from armstrace.resources import data_path

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from armstrace.extract.claims import ScoredMention
    from armstrace.records import ActorMention, ItemMention

__all__ = ["FEATURES_VERSION", "MODEL_FILE", "ClaimScorer", "claim_features", "scorer"]

FEATURES_VERSION = 1
MODEL_FILE = "claim_score.json"
DISTANCE_SCALE = 100.0  # characters: distances enter as log1p(chars / scale)
SUFFIXES = ("filled", "frame", "anaphora", "batch", "class-anaphora")

Features = dict[str, float]


def _distance(a: int, b: int) -> float:
    return math.log1p(abs(a - b) / DISTANCE_SCALE)


def _actor(prefix: str, actor: ActorMention | None, trigger_at: int, out: Features) -> None:
    if actor is None:
        out[f"{prefix}=none"] = 1.0
        return
    out[f"{prefix}.form={actor.form}"] = 1.0
    out[f"{prefix}.kind={actor.kind}"] = 1.0
    if actor.end > actor.start:  # a party filled in from the discourse has no span of its own
        out[f"{prefix}.distance"] = _distance(actor.start, trigger_at)
        out[f"{prefix}.before"] = float(actor.start < trigger_at)
    else:
        out[f"{prefix}.inferred"] = 1.0


def claim_features(
    best: ScoredMention,
    members: Sequence[tuple[ScoredMention, tuple[ItemMention, ...]]],
    items: Sequence[ItemMention],
    category: str,
    status: str,
    cue: str,
    doc: Doc,
    sentence_index: int,
    title_parties: Sequence[str],
) -> Features:
    """The features of one assembled claim (names are stable strings; values are floats)."""
    mention = best.mention
    trigger = doc[mention.trigger]
    parts = mention.rule.split(":")
    out: Features = {"bias": 1.0}
    out[f"part={parts[0]}"] = 1.0
    out[f"direction={mention.direction}"] = 1.0
    if len(parts) > 2:
        steps = parts[2].split("-", 1)
        out[f"supplier.step={steps[0]}"] = 1.0
        if len(steps) > 1:
            out[f"recipient.step={steps[1]}"] = 1.0
    out[f"rule={':'.join(parts[:3])}"] = 1.0
    for suffix in SUFFIXES:
        if suffix in parts[3:]:
            out[f"rule.{suffix}"] = 1.0
    out[f"trigger={trigger.lemma_.lower()}"] = 1.0
    out[f"trigger.pos={trigger.pos_}"] = 1.0
    out[f"trigger.tag={trigger.tag_}"] = 1.0
    out[f"status={status}"] = 1.0
    out[f"cue={cue}"] = 1.0
    out[f"category={category}"] = 1.0
    out["items.generic"] = float(all(i.generic for i in items))
    out["items.designated"] = float(any(i.designation for i in items))
    out["items.quantity"] = float(any(i.quantity for i in items))
    out["items.count"] = math.log1p(len(items))
    out["attributed"] = float(best.speaker is not None)
    out["mentions"] = math.log1p(len(members))
    out["sentences"] = math.log1p(len({sm.mention.sentence_start for sm, _ in members}))
    out["lead"] = float(sentence_index < 2)
    out["position"] = mention.sentence_start / max(len(doc.text), 1)
    out["via"] = float(bool(mention.via))
    out["sentence.length"] = math.log1p((mention.sentence_end - mention.sentence_start) / 100)
    at = trigger.idx
    _actor("supplier", mention.supplier, at, out)
    _actor("recipient", mention.recipient, at, out)
    if items:
        out["items.distance"] = min(_distance(i.start, at) for i in items)
    for role, actor in (("supplier", mention.supplier), ("recipient", mention.recipient)):
        if actor is not None and actor.code in title_parties:
            out[f"{role}.in_title"] = 1.0
    out["in_question"] = float(
        doc.text[mention.sentence_start : mention.sentence_end].rstrip().endswith("?")
    )
    return out


@dataclass(frozen=True, slots=True)
class ClaimScorer:
    """Logistic-regression weights over named features, and the threshold chosen by
    cross-validation across documents (`enabled`: whether filtering at it helped)."""

    weights: Mapping[str, float]
    intercept: float
    threshold: float
    enabled: bool
    info: Mapping[str, Any]

    def score(self, features: Mapping[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "features_version": FEATURES_VERSION,
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
            "enabled": self.enabled,
            "info": dict(self.info),
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if abs(v) > 1e-9},
        }


def parse_model(raw: Any, name: str = MODEL_FILE) -> ClaimScorer | None:
    """A scorer from the JSON of a model file; None when it was trained on other features."""
    if not isinstance(raw, dict) or not isinstance(raw.get("weights"), dict):
        raise DataFileError(f"data file {name}: expected an object with `weights`")
    if raw.get("features_version") != FEATURES_VERSION:
        return None
    try:
        return ClaimScorer(
            weights={str(k): float(v) for k, v in raw["weights"].items()},
            intercept=float(raw["intercept"]),
            threshold=float(raw["threshold"]),
            enabled=bool(raw["enabled"]),
            info=raw.get("info", {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"data file {name}: malformed model ({exc})") from exc


@lru_cache(maxsize=1)
def scorer() -> ClaimScorer | None:
    """The shipped model, or None when none is shipped or it is for other features."""
    path = data_path(MODEL_FILE)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataFileError(f"data file {MODEL_FILE} is not valid JSON: {exc}") from exc
    return parse_model(raw)
