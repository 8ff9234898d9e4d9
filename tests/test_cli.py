"""End-to-end through the CLI: text → stored claim → `claims` output, with the pinned model."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from armstrace.cli import main

pytestmark = pytest.mark.model

ARTICLE = """URL: https://example.org/news/shells
DATE: 2024-03-05
TITLE: Pyongyang ships shells to Moscow, officials say

North Korea has delivered more than a million artillery shells to Russia by rail, a senior
official at the Ministry of National Defense in Seoul said on Tuesday.

The shipments crossed the border at Tumangang and continued from Khasan towards depots in the
west, the official added.
"""

UNRELATED = """TITLE: Harvest festival draws crowds

Thousands of visitors came to the valley this weekend for the annual harvest festival, where
local farmers sold apples, cheese and bread from dozens of stalls along the river.
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "shells.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "festival.txt").write_text(UNRELATED, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.output


def test_ingest_then_claims_lists_the_transfer(corpus: Path, db_url: str) -> None:
    db = db_url
    code, out = run("ingest", "--db", db, str(corpus))
    assert code == 0, out
    assert "2 stored" in out and "1 skipped" in out
    assert "empty.txt" in out

    code, out = run("claims", "--db", db, "--format", "json")
    assert code == 0
    rows = json.loads(out)
    pairs = {(r["supplier"], r["recipient"], r["category"]) for r in rows}
    assert ("PRK", "RUS", "ammunition") in pairs
    claim = next(r for r in rows if r["supplier"] == "PRK")
    assert "artillery shells" in claim["evidence"]
    assert claim["document"] == "shells"

    code, out = run("claims", "--db", db, "--supplier", "North Korea", "--format", "csv")
    assert code == 0
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert parsed and all(r["supplier"] == "PRK" for r in parsed)

    code, out = run("show", claim["id"][:8], "--db", db)
    assert code == 0
    assert "PRK" in out and "shells" in out and "example.org" in out


def test_reingest_changes_nothing(corpus: Path, db_url: str) -> None:
    db = db_url
    run("ingest", "--db", db, str(corpus))
    _, first = run("claims", "--db", db, "--format", "json")
    code, out = run("ingest", "--db", db, str(corpus))
    assert code == 0
    assert "0 stored" in out and "2 unchanged" in out
    _, second = run("claims", "--db", db, "--format", "json")
    assert first == second


def test_nothing_readable_exits_non_zero(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    code, out = run("ingest", "--db", str(tmp_path / "x.db"), str(empty), str(tmp_path / "nope"))
    assert code != 0
    assert "empty.txt" in out and "nope" in out


def test_extract_jsonl_follows_the_contract(corpus: Path) -> None:
    code, out = run("extract", str(corpus / "shells.txt"), "--quotes")
    assert code == 0
    line = json.loads(out.strip().splitlines()[0])
    assert line["doc"] == "shells"
    assert set(line) == {"doc", "claims", "quotes"}
    claim = line["claims"][0]
    assert set(claim) == {
        "supplier",
        "recipient",
        "via",
        "items",
        "category",
        "status",
        "source",
        "evidence",
        "score",
    }
    text = ARTICLE
    assert claim["evidence"] in text


def test_prefilter_gives_the_same_claims_and_notes_unparsed_documents(
    corpus: Path, tmp_path: Path
) -> None:
    _, full = run("extract", str(corpus / "shells.txt"))
    code, fast = run("extract", "--prefilter", str(corpus / "shells.txt"))
    assert code == 0
    assert json.loads(fast)["claims"] == json.loads(full)["claims"]

    code, out = run("ingest", "--prefilter", "--db", str(tmp_path / "p.db"), str(corpus))
    assert code == 0, out
    assert "2 stored" in out
    festival = next(line for line in out.splitlines() if "festival.txt" in line)
    assert "(0 claims)" in festival
    assert "not parsed" in out.split("festival.txt", 1)[1].splitlines()[1]


def test_extract_reads_stdin() -> None:
    code, out = run("extract", "-", input=ARTICLE.split("\n\n", 1)[1])
    assert code == 0
    assert json.loads(out)["doc"] == "stdin"


def test_unknown_actor_filter_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run("claims", "--db", str(tmp_path / "x.db"), "--supplier", "Atlantis")
    assert code == 2
    assert "unknown actor" in out


def test_show_unknown_claim_is_a_clear_error(db_url: str) -> None:
    db = db_url
    code, out = run("show", "deadbeef00", "--db", db)
    assert code != 0
    assert "error:" in out


def test_every_command_has_an_example_in_help() -> None:
    for command in main.commands:
        code, out = run(command, "--help")
        assert code == 0
        assert "Example" in out, command


def test_demo_prints_at_least_ten_claims(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    code, out = run("demo", "--db", db, "--examples", "12")
    assert code == 0, out
    assert "claims by category" in out
    code, out = run("claims", "--db", db, "--format", "json", "--limit", "1000")
    rows = json.loads(out)
    assert len({r["id"] for r in rows}) >= 10
