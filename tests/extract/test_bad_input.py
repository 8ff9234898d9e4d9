"""Odd input reaches extraction without a crash, and the reason is recorded in the notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from armstrace.cli import main
from armstrace.extract.document import extract_document
from armstrace.extract.quotes import unmatched_quote_marks
from armstrace.records import Document

pytestmark = pytest.mark.model


def test_a_sentence_of_20000_tokens_is_skipped_with_a_note() -> None:
    text = "Officials said Iran sent drones to Russia " + "and more drones " * 6700 + "."
    extraction = extract_document(Document.make(text, "long"))
    assert extraction.claims == ()
    assert any("skipped a sentence of" in note and "tokens" in note for note in extraction.notes)


def test_a_document_of_only_quotes_says_so() -> None:
    text = '"We will not stop."\n\n"The shells keep coming."\n\n"There is nothing more to add."'
    extraction = extract_document(Document.make(text, "quotes"))
    assert len(extraction.quotes) == 3
    assert any("almost all quotation" in note for note in extraction.notes)


def test_unbalanced_quote_marks_keep_the_claims_and_are_noted() -> None:
    text = (
        'A spokesman said "North Korea has shipped artillery shells to Russia by rail.\n\n'
        "Separately, Iran sold attack drones to Russia, officials said."
    )
    extraction = extract_document(Document.make(text, "unbalanced"))
    pairs = {(c.supplier, c.recipient) for c in extraction.claims}
    assert {("PRK", "RUS"), ("IRN", "RUS")} <= pairs
    assert any("unmatched quotation mark" in note for note in extraction.notes)


@pytest.mark.parametrize(
    "text, unmatched",
    [
        ('He said "yes" and then "no".', []),
        ("a \u201cquote\u201d then a stray\u201d", [22]),
        ('"runs on\n\n"and on," she said.', []),  # a quote reopened in the next paragraph
        ('"never closed\n\nNext paragraph.', [0]),
        ("It's the Houthis' drones, not O'Brien's.", []),  # apostrophes are not quotes
    ],
)
def test_unmatched_quote_marks(text: str, unmatched: list[int]) -> None:
    assert unmatched_quote_marks(text) == unmatched


def test_text_in_another_language_is_reported_and_the_rest_stored(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "fr.txt").write_text(
        "La Russie aurait reçu des drones iraniens et des obus nord-coréens, selon des "
        "responsables ukrainiens cités mardi par plusieurs journaux de Kiev.",
        encoding="utf-8",
    )
    (folder / "en.txt").write_text(
        "Iran has delivered attack drones to Russia, officials in Kyiv said on Tuesday.",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "a.db"), str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 stored" in result.output
    line = next(row for row in result.output.splitlines() if "fr.txt" in row)
    assert line.startswith("skipped") and "English" in line
