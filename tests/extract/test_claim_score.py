"""The learned claim score: the shipped model loads and scores every claim, the threshold
filters, a model for other features is ignored, and training is reproducible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armstrace.errors import DataFileError
from armstrace.extract import claim_score
from armstrace.extract.claim_score import FEATURES_VERSION, ClaimScorer, parse_model
from armstrace.extract.document import extract_document
from armstrace.records import Document
from armstrace.resources import data_path

TEXT = (
    "Iran has delivered hundreds of Shahed-136 drones to Russia, the Pentagon said. "
    "North Korea sent artillery shells to Russia by rail."
)


def test_scores_are_a_logistic_of_the_weighted_features() -> None:
    model = ClaimScorer({"a": 2.0, "b": -1.0}, 0.5, 0.3, True, {})
    assert model.score({}) == pytest.approx(1 / (1 + 2.718281828459045**-0.5))
    assert model.score({"a": 1.0}) > model.score({}) > model.score({"b": 1.0})
    assert model.score({"b": 100.0}) == 0.0


def test_a_model_for_other_features_is_not_used_and_a_broken_one_fails() -> None:
    good = ClaimScorer({"a": 1.0}, 0.0, 0.2, True, {}).to_json()
    assert parse_model(good) is not None
    assert parse_model({**good, "features_version": FEATURES_VERSION + 1}) is None
    with pytest.raises(DataFileError, match="weights"):
        parse_model({"intercept": 0})
    with pytest.raises(DataFileError, match="malformed"):
        parse_model({**good, "threshold": "high"})


@pytest.mark.model
def test_the_shipped_model_scores_every_claim() -> None:
    assert data_path(claim_score.MODEL_FILE).exists()
    extraction = extract_document(Document.make(TEXT, "t"), min_score=0.0)
    assert extraction.claims
    for claim in extraction.claims:
        assert claim.score is not None and 0.0 <= claim.score <= 1.0
        assert claim.contract()["score"] == round(claim.score, 3)
        assert claim.features


@pytest.mark.model
def test_min_score_filters_claims() -> None:
    document = Document.make(TEXT, "t")
    every = extract_document(document, min_score=0.0).claims
    assert extract_document(document, min_score=1.0).claims == ()
    lowest = min(c.score or 0.0 for c in every)
    kept = extract_document(document, min_score=lowest + 1e-9).claims
    assert len(kept) < len(every)


@pytest.mark.model
def test_training_is_reproducible(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from armstrace.learn import Corpus, train, write_model

    corpus = Corpus.at(data_path("demo"))
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_model(train([corpus]).model, first)
    write_model(train([corpus]).model, second)
    assert first.read_bytes() == second.read_bytes()
    model = json.loads(first.read_text())
    assert model["features_version"] == FEATURES_VERSION
    assert 0.0 <= model["threshold"] <= 1.0 and model["weights"]
