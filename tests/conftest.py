"""Shared fixtures: paths to the shipped demo corpus and, where it exists, the shared dev corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV_CORPUS = ROOT.parent / "shared" / "dev-corpus"


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """The shared dev corpus; tests that need it skip cleanly on a user's fresh clone."""
    if not (DEV_CORPUS / "gold.jsonl").exists():
        pytest.skip("../shared/dev-corpus is not present (it is only on developer machines)")
    return DEV_CORPUS
