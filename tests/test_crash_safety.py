"""Real `armstrace ingest` processes killed with SIGKILL, and two running at once on one database:
the database stays intact, no document is ever half stored, a re-run completes the work, and
every claim ends in a transfer record (issue 11).

The corpus is generated here: short articles written from templates, each with claims.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from armstrace.kb.transfer_records import refresh_records
from armstrace.store import open_store

pytestmark = pytest.mark.model

RUN_TIMEOUT = 600  # a hang guard, not a speed limit
PAIRS = [
    ("North Korea", "Russia", "artillery shells"),
    ("Iran", "Russia", "Shahed drones"),
    ("Germany", "Ukraine", "Leopard tanks"),
    ("France", "Ukraine", "Caesar howitzers"),
    ("Belarus", "Russia", "ammunition"),
    ("the United States", "Poland", "Patriot missiles"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def article(number: int) -> str:
    supplier, recipient, items = PAIRS[number % len(PAIRS)]
    other = PAIRS[(number + 2) % len(PAIRS)]
    day = DAYS[number % len(DAYS)]
    return (
        f"TITLE: Dispatch {number}\n\n"
        f"{supplier} has delivered {items} to {recipient}, officials said on {day}. "
        f"Report number {number} adds that the shipment crossed the border by rail.\n\n"
        f"Separately, {other[0]} agreed to send {other[2]} to {other[1]} next year, "
        f"according to dispatch {number} of the wire.\n"
    )


def corpus(folder: Path, numbers: range) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in numbers:
        (folder / f"dispatch-{number:02d}.txt").write_text(article(number), encoding="utf-8")
    return folder


def ingest(db: Path, *paths: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "armstrace.cli", "ingest", "--quiet", "--db", str(db)]
    return subprocess.Popen(
        [*command, *map(str, paths)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    output, _ = process.communicate(timeout=RUN_TIMEOUT)
    assert process.returncode == 0, output
    return output


def snapshot(db: Path) -> dict[str, object]:
    """What a run leaves: documents with their claim ids, and the records with their claims."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        claims: dict[str, set[str]] = {
            doc_id: set() for (doc_id,) in connection.execute("SELECT id FROM documents")
        }
        for claim_id, doc_id in connection.execute("SELECT id, document_id FROM claims"):
            claims[doc_id].add(claim_id)
        records = dict(connection.execute("SELECT id, body FROM transfer_records"))
        linked = {row[0] for row in connection.execute("SELECT claim_id FROM record_claims")}
    return {"claims": claims, "records": records, "linked": linked}


def copy_db(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)


def count_documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # not created or migrated yet
        return 0


def kill_when_stored(process: subprocess.Popen[str], db: Path, documents: int) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT
    while count_documents(db) < documents and process.poll() is None:
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=RUN_TIMEOUT)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    root = tmp_path_factory.mktemp("crash")
    texts = corpus(root / "texts", range(10))
    finish(ingest(root / "clean.db", texts))
    return texts, snapshot(root / "clean.db")


def test_sigkill_at_several_points_never_leaves_a_partial_document(
    tmp_path: Path, clean_run: tuple[Path, dict[str, object]]
) -> None:
    texts, clean = clean_run
    clean_claims = clean["claims"]
    assert isinstance(clean_claims, dict) and len(clean_claims) == 10
    db = tmp_path / "killed.db"
    # After 1, then 4 documents, then as soon as the last one is stored (before or while the
    # records are rebuilt): each kill hits a new run that resumes where the last one stopped.
    for stored in (1, 4, 10):
        kill_when_stored(ingest(db, texts), db, stored)
        state = snapshot(db)
        claims = state["claims"]
        assert isinstance(claims, dict)
        for document_id, claim_ids in claims.items():
            assert claim_ids == clean_claims[document_id], "a document was stored in part"
    finish(ingest(db, texts))  # the re-run stores what is missing and repairs the records
    assert snapshot(db) == clean
    rerun = finish(ingest(db, texts))
    assert "0 stored, 10 unchanged" in rerun
    assert snapshot(db) == clean


def test_records_killed_before_they_are_rebuilt_are_repaired_by_the_next_run(
    tmp_path: Path, clean_run: tuple[Path, dict[str, object]]
) -> None:
    texts, clean = clean_run
    db = tmp_path / "stale.db"
    copy_db(texts.parent / "clean.db", db)
    with sqlite3.connect(db) as connection:  # the state a kill before the records step leaves
        connection.execute("DELETE FROM record_claims")
        connection.execute("DELETE FROM transfer_records")
        connection.execute("UPDATE store_state SET value = -1 WHERE key = 'records_version'")
    with open_store(db) as store:
        assert store.records_stale()
    finish(ingest(db, texts))
    assert snapshot(db) == clean


@pytest.mark.parametrize("trial", [1, 2])
def test_two_ingests_at_once_leave_every_claim_in_a_record(tmp_path: Path, trial: int) -> None:
    # Overlapping pairs, so that records merge claims stored by both processes.
    first = corpus(tmp_path / "first", range(0, 12, 2))
    second = corpus(tmp_path / "second", range(1, 12, 2))
    db = tmp_path / "shared.db"
    with open_store(db):
        pass  # created and migrated once, as a user would have it before two cron jobs
    runs = [ingest(db, first), ingest(db, second)]
    for run in runs:
        finish(run)
    state = snapshot(db)
    claims = state["claims"]
    assert isinstance(claims, dict) and len(claims) == 12
    all_claims = set().union(*claims.values())
    assert all_claims and all_claims <= state["linked"]  # type: ignore[operator]
    fresh = tmp_path / "fresh.db"
    copy_db(db, fresh)
    with open_store(fresh) as store:
        refresh_records(store)
    assert snapshot(fresh)["records"] == state["records"]
