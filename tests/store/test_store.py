"""The store on SQLite (memory and file) and PostgreSQL: round trips of every record field,
filters, lookups, idempotent saves, rollback, full-text search and opening targets. The texts
here are written for these tests."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from armstrace.errors import ArmstraceError, InputError, NotFoundError, StoreError
from armstrace.records import Claim, Document, Extraction, Quote, Speaker
from armstrace.store import ClaimFilter, Store, open_store, parse_target, sqlite_path

TEXT_A = (
    "Iran has shipped several hundred Shahed-136 drones to Russia since August, a White House "
    'spokesman said on Thursday. "The drones crossed the Caspian Sea by boat," he told reporters.'
)
TEXT_B = (
    "North Korea could be sending artillery shells and rockets to Russia, analysts in Seoul said. "
    "Pyongyang has rejected such reports in the past."
)
TEXT_C = (
    "The State Department approved a possible sale of F-16 fighter jets to Taiwan, and Taipei "
    "also signed a contract for Harpoon missiles."
)
KIRBY = Speaker("John Kirby", "spokesman", "National Security Council")


def claim(document: Document, supplier: str | None, recipient: str | None, evidence: str,
          **fields: object) -> Claim:  # fmt: skip
    """A claim on `document` whose evidence offsets are found in its text."""
    start = document.text.index(evidence)
    defaults: dict[str, object] = {"category": "other", "status": "delivered", "items": ()}
    defaults.update(fields)
    return Claim(
        document_id=document.id,
        supplier=supplier,
        recipient=recipient,
        evidence=evidence,
        evidence_start=start,
        evidence_end=start + len(evidence),
        document_name=document.name,
        **defaults,  # type: ignore[arg-type]
    )


DOC_A = Document.make(
    TEXT_A,
    "A",
    url="https://example.org/a",
    title="Drones reach Russia",
    published=date(2022, 10, 20),
    outlet="Example Wire",
    language="en",
    origin="tests/a.html",
)
DOC_B = Document.make(TEXT_B, "B", title="Shells for Moscow?", published=date(2023, 9, 1))
DOC_C = Document.make(TEXT_C, "C")

CLAIM_A = claim(
    DOC_A, "IRN", "RUS", "shipped several hundred Shahed-136 drones to Russia",
    category="uav", status="delivered", items=("Shahed-136 drones",),
    sentence=TEXT_A.split(". ")[0] + ".", sentence_start=0,
    via=("Caspian Sea",), route=("Caspian Sea", "Astrakhan"), source="John Kirby", speaker=KIRBY,
    designations=("Shahed-136",), quantity="several hundred", claim_date=date(2022, 8, 1),
    rule="transfer.verb",
)  # fmt: skip
CLAIM_B = claim(
    DOC_B, "PRK", "RUS", "sending artillery shells and rockets to Russia",
    category="ammunition", status="speculated", items=("artillery shells", "rockets"),
    source="analysts in Seoul",
)  # fmt: skip
CLAIM_C1 = claim(
    DOC_C, "USA", "TWN", "possible sale of F-16 fighter jets to Taiwan",
    category="aircraft", status="planned", items=("F-16 fighter jets",),
)  # fmt: skip
CLAIM_C2 = claim(
    DOC_C, "USA", "TWN", "signed a contract for Harpoon missiles",
    category="missile", status="agreed", items=("Harpoon missiles",),
)  # fmt: skip

QUOTE_TEXT = "The drones crossed the Caspian Sea by boat,"
QUOTE_START = TEXT_A.index(QUOTE_TEXT)
QUOTE_A = Quote(QUOTE_TEXT, QUOTE_START, QUOTE_START + len(QUOTE_TEXT), KIRBY)
EXTRACTIONS = (
    Extraction(DOC_A, (CLAIM_A,), (QUOTE_A,), ("title guessed from <h1>", "one date unparsed")),
    Extraction(DOC_B, (CLAIM_B,), (Quote("anonymous words", 5, 20),)),
    Extraction(DOC_C, (CLAIM_C1, CLAIM_C2)),
)


@pytest.fixture(params=["memory", "file", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "postgresql":
        target: str | Path = request.getfixturevalue("postgres_schemas")()
    else:
        target = ":memory:" if request.param == "memory" else tmp_path / "store.db"
    with open_store(target) as opened:
        yield opened


@pytest.fixture
def filled(store: Store) -> Store:
    for extraction in EXTRACTIONS:
        assert store.save(extraction) is True
    return store


def table_digest(path: Path) -> tuple[dict[str, int], str]:
    """Row counts and one hash over the contents of every table, FTS shadow tables included."""
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        digest = hashlib.sha256()
        counts = {}
        for name in sorted(names):
            if name == "documents_fts":  # reads through to `documents`; its shadows are hashed
                continue
            rows = sorted(map(repr, db.execute(f'SELECT * FROM "{name}"')))
            counts[name] = len(rows)
            digest.update(f"{name}:{rows}".encode())
    return counts, digest.hexdigest()


@pytest.mark.parametrize("extraction", EXTRACTIONS, ids=lambda e: e.document.name)
def test_every_field_round_trips(filled: Store, extraction: Extraction) -> None:
    assert filled.extraction(extraction.document.id) == extraction


def test_document_name_is_filled_from_the_document_on_read(store: Store) -> None:
    store.save(Extraction(DOC_C, (dataclasses.replace(CLAIM_C1, document_name=""),)))
    assert [c.document_name for c in store.claims()] == ["C"]


@pytest.mark.parametrize(
    "key, expected",
    [(DOC_A.id, "A"), ("B", "B"), (DOC_C.id[:6], "C"), (DOC_A.id.upper(), None), ("D", None)],
)
def test_document_by_id_name_or_prefix(filled: Store, key: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(NotFoundError, match="no document"):
            filled.document(key)
    else:
        assert filled.document(key).name == expected


def test_a_name_shared_by_two_documents_is_ambiguous(store: Store) -> None:
    store.save(Extraction(Document.make("First text about tanks.", "same")))
    store.save(Extraction(Document.make("Second text about tanks.", "same")))
    with pytest.raises(NotFoundError, match="several documents"):
        store.document("same")


def test_documents_are_listed_in_storage_order_with_paging(filled: Store) -> None:
    assert [d.name for d in filled.documents()] == ["A", "B", "C"]
    assert [d.name for d in filled.documents(limit=1, offset=1)] == ["B"]
    assert filled.count_documents() == 3
    assert filled.has_document(DOC_B.id) and not filled.has_document("0" * 16)


@pytest.mark.parametrize(
    "filters, expected",
    [
        (ClaimFilter(), {"uav", "ammunition", "aircraft", "missile"}),
        (ClaimFilter(supplier="USA"), {"aircraft", "missile"}),
        (ClaimFilter(supplier="usa"), {"aircraft", "missile"}),
        (ClaimFilter(recipient="RUS"), {"uav", "ammunition"}),
        (ClaimFilter(category="missile"), {"missile"}),
        (ClaimFilter(status="speculated"), {"ammunition"}),
        (ClaimFilter(document_id=DOC_A.id), {"uav"}),
        # `since` uses the claim's date (2022-08-01 for A) before the document's (2023-09-01, B);
        # C has neither, so any `since` leaves it out.
        (ClaimFilter(since=date(2022, 9, 1)), {"ammunition"}),
        (ClaimFilter(since=date(2022, 8, 1)), {"uav", "ammunition"}),
        (ClaimFilter(since=date(2024, 1, 1)), set()),
        (ClaimFilter(supplier="IRN", recipient="RUS", status="delivered"), {"uav"}),
        (ClaimFilter(recipient="RUS", since=date(2023, 1, 1)), {"ammunition"}),
        (ClaimFilter(supplier="USA", recipient="TWN", category="aircraft"), {"aircraft"}),
        (ClaimFilter(supplier="USA", status="delivered"), set()),
    ],
)
def test_claim_filters(filled: Store, filters: ClaimFilter, expected: set[str]) -> None:
    found = filled.claims(filters)
    assert {c.category for c in found} == expected
    assert filled.count_claims(filters) == len(found)


def test_claims_are_ordered_by_document_then_offset_and_paged(filled: Store) -> None:
    assert [c.category for c in filled.claims()] == ["uav", "ammunition", "aircraft", "missile"]
    assert [c.category for c in filled.claims(limit=2, offset=1)] == ["ammunition", "aircraft"]
    with pytest.raises(InputError):
        filled.claims(limit=-1)


@pytest.mark.parametrize("field, value", [("category", "drones"), ("status", "shipped")])
def test_a_misspelt_filter_value_names_the_choices(field: str, value: str) -> None:
    with pytest.raises(InputError, match="choose one of"):
        ClaimFilter(**{field: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "key", [CLAIM_B.id, CLAIM_B.id[:6], CLAIM_B.id[:10].upper()], ids=["full", "six", "upper"]
)
def test_claim_by_id_or_prefix(filled: Store, key: str) -> None:
    assert filled.claim(key) == CLAIM_B


@pytest.mark.parametrize(
    "key, message", [(CLAIM_B.id[:5], "too short"), ("ffffffffffff", "no claim"), ("", "too short")]
)
def test_claim_lookup_errors(filled: Store, key: str, message: str) -> None:
    with pytest.raises(NotFoundError, match=message):
        filled.claim(key)


def test_an_ambiguous_claim_prefix_lists_the_candidates(store: Store) -> None:
    document = Document.make("Several states traded several things.", "many")
    seen: dict[str, Claim] = {}
    for n in itertools.count():  # find two claim keys whose ids share six leading characters
        candidate = claim(document, f"S{n}", "RUS", "traded")
        other = seen.setdefault(candidate.id[:6], candidate)
        if other is not candidate:
            break
    store.save(Extraction(document, (other, candidate)))
    with pytest.raises(NotFoundError, match="ambiguous") as error:
        store.claim(candidate.id[:6])
    assert other.id in str(error.value) and candidate.id in str(error.value)
    assert store.claim(candidate.id) == candidate


def test_quotes_and_notes_keep_their_order(filled: Store) -> None:
    assert filled.quotes(DOC_A.id) == [QUOTE_A]
    assert filled.notes(DOC_A.id) == ["title guessed from <h1>", "one date unparsed"]
    assert filled.quotes(DOC_C.id) == [] and filled.notes(DOC_C.id) == []
    with pytest.raises(NotFoundError):
        filled.quotes("0" * 16)


def test_saving_the_same_document_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "idempotent.db"
    with open_store(path) as store:
        for extraction in EXTRACTIONS:
            store.save(extraction)
    before = table_digest(path)
    with open_store(path) as store:
        assert [store.save(e) for e in EXTRACTIONS] == [False, False, False]
        # The same text under another name is the same document: still nothing new.
        renamed = dataclasses.replace(DOC_A, name="A-again")
        assert store.save(Extraction(renamed)) is False
    assert table_digest(path) == before
    assert before[0]["documents_fts_docsize"] == 3


@pytest.mark.parametrize(
    "extraction, message",
    [
        # Two claims with one (supplier, recipient, category): the second insert fails.
        (Extraction(DOC_C, (CLAIM_C1, dataclasses.replace(CLAIM_C1, status="agreed"))), "merge"),
        # Notes are written last; a value SQLite cannot bind fails after every other row.
        (Extraction(DOC_A, (CLAIM_A,), (QUOTE_A,), ("fine", {"not": "text"})), "save"),  # type: ignore[arg-type]
    ],
    ids=["duplicate-claim-key", "bad-note"],
)
def test_a_failure_mid_save_writes_nothing(
    store: Store, extraction: Extraction, message: str
) -> None:
    with pytest.raises(StoreError, match=message):
        store.save(extraction)
    assert store.count_documents() == 0 and store.count_claims() == 0
    assert store.search("drones") == [] and store.search("Taiwan") == []
    assert store.save(EXTRACTIONS[0]) is True  # the store is still usable


@pytest.mark.parametrize(
    "extraction, message",
    [
        (Extraction(DOC_A, (CLAIM_B,)), "belongs to document"),
        (Extraction(DOC_B, (dataclasses.replace(CLAIM_B, category="drones"),)), "'drones'"),
        (Extraction(DOC_B, (dataclasses.replace(CLAIM_B, status="maybe"),)), "'maybe'"),
    ],
    ids=["other-document", "category", "status"],
)
def test_a_claim_off_the_contract_is_refused(
    store: Store, extraction: Extraction, message: str
) -> None:
    with pytest.raises(StoreError, match=message):
        store.save(extraction)
    assert store.count_documents() == 0


def fts_vocabulary(path: Path) -> list[tuple[str, int, int]]:
    """Every indexed term with the number of documents and of occurrences that hold it."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, documents_fts, 'row')")
        return db.execute("SELECT term, doc, cnt FROM temp.vocab ORDER BY term").fetchall()


def test_replace_rewrites_a_document_and_its_index(tmp_path: Path) -> None:
    replaced, fresh = tmp_path / "replaced.db", tmp_path / "fresh.db"
    renamed = Extraction(
        dataclasses.replace(DOC_C, name="C2", title="Jets and missiles"), (CLAIM_C2,)
    )
    with open_store(replaced) as store:
        store.save(EXTRACTIONS[2])
        store.save(EXTRACTIONS[0])
        assert store.save(renamed, replace=True) is True
        assert [c.category for c in store.claims(ClaimFilter(supplier="USA"))] == ["missile"]
        assert [h.document.name for h in store.search("jets")] == ["C2"]
    with open_store(fresh) as store:
        store.save(EXTRACTIONS[0])
        store.save(renamed)
    # The old row's terms were removed from the index, not left beside the new ones.
    assert fts_vocabulary(replaced) == fts_vocabulary(fresh)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Shahed", ["A"]),
        ("drone", ["A"]),  # the porter stemmer folds drones/drone
        ("Shells Moscow", ["B"]),  # a title word and a text word, both required
        ("russia", ["A", "B"]),
        ("Harp*", ["C"]),
        ("Taiwan tanks", []),
    ],
)
def test_search_finds_words_in_title_and_text(
    filled: Store, query: str, expected: list[str]
) -> None:
    assert sorted(hit.document.name for hit in filled.search(query)) == expected


def test_search_snippets_mark_the_match(filled: Store) -> None:
    (hit,) = filled.search("Caspian")
    assert hit.document == DOC_A
    assert "[Caspian]" in hit.snippet


@pytest.mark.parametrize(
    "query",
    ['"', '""', "-", "-Russia", "AND", "OR NOT", "NEAR(", "Russia)", "*", "**", "^Iran",
     "title:Drones", "Iran + ", "'); DROP TABLE documents; --", "nul\x00byte", "drône",
     "{title text}: Iran"],
)  # fmt: skip
def test_hostile_queries_never_raise_sqlite_errors(filled: Store, query: str) -> None:
    hits = filled.search(query)
    assert isinstance(hits, list)
    assert filled.count_documents() == 3


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_an_empty_search_is_an_input_error(filled: Store, query: str) -> None:
    with pytest.raises(InputError, match="empty"):
        filled.search(query)


def test_stats_count_by_pair_category_and_status(filled: Store) -> None:
    stats = filled.stats()
    assert (stats.documents, stats.claims) == (3, 4)
    assert stats.by_pair == {("USA", "TWN"): 2, ("IRN", "RUS"): 1, ("PRK", "RUS"): 1}
    assert next(iter(stats.by_pair)) == ("USA", "TWN")  # the largest count first
    assert stats.by_category == {"aircraft": 1, "ammunition": 1, "missile": 1, "uav": 1}
    assert sum(stats.by_status.values()) == 4 and stats.by_status["planned"] == 1


def test_file_databases_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    open_store(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with open_store(path) as store:
        db = store._db
        assert db.exec_driver_sql("PRAGMA foreign_keys").fetchone() == (1,)
        assert db.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_two_connections_to_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with open_store(path) as writer, open_store(f"sqlite:///{path}") as reader:
        writer.save(EXTRACTIONS[1])
        assert reader.document("B") == DOC_B


def test_a_closed_store_raises_a_store_error() -> None:
    with open_store(":memory:") as store:
        pass
    with pytest.raises(StoreError):
        store.count_documents()


@pytest.mark.parametrize(
    "target, expected",
    [
        (":memory:", ":memory:"),
        ("data/x.db", "data/x.db"),
        (Path("/tmp/x.db"), "/tmp/x.db"),
        ("sqlite://", ":memory:"),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite:///rel/x.db", "rel/x.db"),
        ("sqlite:////abs/x.db", "/abs/x.db"),
        ("SQLite:///x.db", "x.db"),
        (r"C:\data\x.db", r"C:\data\x.db"),
    ],
)
def test_targets_name_a_sqlite_file(target: str | Path, expected: str) -> None:
    assert sqlite_path(target) == expected


@pytest.mark.parametrize(
    "target, url, location",
    [
        ("postgresql://u@localhost/arms", "postgresql+psycopg://u@localhost/arms",
         "postgresql://u@localhost/arms"),
        ("postgres://u:secret@db:5433/arms", "postgresql+psycopg://u:secret@db:5433/arms",
         "postgresql://u:***@db:5433/arms"),
        ("postgresql+psycopg://localhost/arms?sslmode=disable",
         "postgresql+psycopg://localhost/arms?sslmode=disable",
         "postgresql://localhost/arms?sslmode=disable"),
    ],
)  # fmt: skip
def test_postgres_urls_name_a_server_and_hide_the_password(
    target: str, url: str, location: str
) -> None:
    parsed = parse_target(target)
    assert (parsed.dialect, parsed.url, parsed.location) == ("postgresql", url, location)
    with pytest.raises(StoreError, match="PostgreSQL database, not a SQLite file"):
        sqlite_path(target)


def test_an_unreachable_postgres_server_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError, match="cannot connect") as error:
        open_store("postgresql://armstrace:hunter2@127.0.0.1:9/nowhere")
    assert "hunter2" not in str(error.value)


def test_saving_again_changes_nothing_on_either_database(db_url: str) -> None:
    with open_store(db_url) as store:
        assert [store.save(e) for e in EXTRACTIONS] == [True, True, True]
        before = (store.stats(), store.inputs_version(), store.extraction("A"))
        assert [store.save(e) for e in EXTRACTIONS] == [False, False, False]
        assert store.save(Extraction(dataclasses.replace(DOC_A, name="A-again"))) is False
        assert (store.stats(), store.inputs_version(), store.extraction("A")) == before


def test_no_target_means_the_environment_then_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ARMSTRACE_DB", raising=False)
    assert sqlite_path(None) == "armstrace.db"
    monkeypatch.setenv("ARMSTRACE_DB", "sqlite:////srv/armstrace.db")
    assert sqlite_path(None) == "/srv/armstrace.db"


@pytest.mark.parametrize(
    "target, message",
    [
        ("postgresql+psycopg2://localhost/armstrace", "through psycopg 3"),
        ("mysql://localhost/armstrace", "unsupported database URL"),
        ("sqlite:relative.db", None),  # no "//": read as a (strange) file name, not a URL
        ("sqlite://host/x.db", "malformed SQLite URL"),
    ],
)
def test_other_backends_are_refused(target: str, message: str | None) -> None:
    if message is None:
        assert sqlite_path(target) == target
    else:
        with pytest.raises(StoreError, match=message):
            open_store(target)


@pytest.mark.parametrize(
    "content",
    [b"supplier,recipient\nIRN,RUS\n", b"SQLite format 3\x00" + b"\x00" * 200, bytes(range(256))],
    ids=["csv", "truncated-header", "binary"],
)
def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"not\.db"):
        open_store(path)
    assert path.read_bytes() == content  # refused without being touched


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="not an armstrace one"):
        open_store(path)


def test_a_path_in_a_missing_folder_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open"):
        open_store(tmp_path / "missing" / "x.db")


def test_store_errors_belong_to_the_armstrace_tree() -> None:
    assert issubclass(StoreError, ArmstraceError) and issubclass(NotFoundError, ArmstraceError)
