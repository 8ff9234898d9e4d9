"""Golden files guard extraction behaviour: every claim and quote of the texts in this folder
and of the shipped demo corpus, with the fields a reader of the output sees and the rule that
produced each claim, before any score filter. A change in behaviour fails here; after reviewing
the diff, regenerate with `pytest tests/golden --update-golden` and commit the new
.expected.jsonl files with the change."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest

from armstrace.jobs import extract_paths
from armstrace.records import Extraction
from armstrace.resources import data_path

pytestmark = pytest.mark.model

HERE = Path(__file__).parent
TEXTS = sorted(HERE.glob("*.txt"))


def _rows(extraction: Extraction) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for claim in extraction.claims:
        row = claim.contract()
        del row["score"]  # the learned score changes with each retraining; rules do not
        row.update(
            doc=extraction.document.name,
            route=list(claim.route),
            designations=list(claim.designations),
            quantity=claim.quantity,
            date=claim.claim_date.isoformat() if claim.claim_date else None,
            evidence_start=claim.evidence_start,
            rule=claim.rule,
        )
        rows.append(row)
    for quote in extraction.quotes:
        speaker = quote.speaker.name if quote.speaker else None
        rows.append({"doc": extraction.document.name, "quote": quote.text[:80], "speaker": speaker})
    return rows


def _render(paths: list[Path]) -> str:
    lines = []
    for extraction in extract_paths([str(p) for p in paths], min_score=0.0):
        lines.extend(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in _rows(extraction))
    return "\n".join(lines) + "\n"


CASES = [(p.stem, [p]) for p in TEXTS] + [
    ("demo", sorted(data_path("demo").glob("*.txt"))),
]


@pytest.mark.parametrize("name, paths", CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, paths: list[Path], request: pytest.FixtureRequest) -> None:
    expected_path = HERE / f"{name}.expected.jsonl"
    actual = _render(paths)
    if request.config.getoption("--update-golden"):
        expected_path.write_text(actual, encoding="utf-8")
        return
    assert expected_path.exists(), f"no {expected_path.name}: run pytest --update-golden"
    expected = expected_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"{name}.expected.jsonl",
                "extracted now",
            )
        )
        pytest.fail(f"extraction changed for {name}:\n{diff}", pytrace=False)
