"""Transfer records: merge rule, denials, status, embargo, SIPRI links, order-independence."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from armstrace.errors import InputError, NotFoundError
from armstrace.kb.transfer_records import (
    RecordFilter,
    TransferRecord,
    build_records,
    count_records,
    get_record,
    import_sipri,
    list_records,
    refresh_if_stale,
    refresh_records,
)
from armstrace.records import Claim, Document, Extraction, Speaker
from armstrace.store import open_store

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "transfers"
CONTRACT_KEYS = [
    "id", "supplier", "supplier_name", "recipient", "recipient_name", "category", "designations",
    "items", "quantity", "status", "status_history", "first_seen", "last_seen", "support",
    "independent_sources", "confidence", "confidence_reasons", "claims", "denials", "via",
    "route", "embargo", "sipri",
]  # fmt: skip
CLAIM_KEYS = [
    "claim_id", "document_id", "document_name", "title", "url", "outlet", "date", "source",
    "source_kind", "status", "evidence", "evidence_start", "evidence_end", "quantity",
    "speaker_name", "speaker_title", "speaker_affiliation",
]  # fmt: skip


def doc(name: str, day: str | None, text: str | None = None, outlet: str | None = None) -> Document:
    body = text or f"Article {name}: a report written for this test about a transfer."
    published = date.fromisoformat(day) if day else None
    return Document.make(body, name, published=published, outlet=outlet or f"Outlet {name}")


def claim(
    document: Document,
    supplier: str | None = "PRK",
    recipient: str | None = "RUS",
    category: str = "ammunition",
    status: str = "delivered",
    designations: tuple[str, ...] = (),
    source: str | None = None,
    quantity: str | None = None,
) -> Claim:
    return Claim(
        document_id=document.id,
        supplier=supplier,
        recipient=recipient,
        category=category,
        status=status,
        items=("artillery shells",),
        evidence=f"evidence of {document.name}",
        evidence_start=0,
        evidence_end=10,
        designations=designations,
        source=source,
        speaker=Speaker(source) if source else None,
        quantity=quantity,
        document_name=document.name,
    )


def build(*pairs: tuple[Document, list[Claim]]) -> list[TransferRecord]:
    documents = {d.id: d for d, _ in pairs}
    return build_records([c for _, cs in pairs for c in cs], documents)


def shape(records: list[TransferRecord]) -> list[tuple[str, int, int, str]]:
    return sorted(
        (r.category, r.support, len(r.denials), ",".join(r.designations)) for r in records
    )


# --- the merge rule, without a model ------------------------------------------------------------


@pytest.mark.parametrize(
    "days, expected_records",
    [
        (["2024-01-01", "2024-06-01", "2024-12-01"], 1),  # gaps under a year: one record
        (["2022-01-01", "2024-01-01"], 2),  # a two-year silence splits
        (["2022-01-01", "2022-12-30", "2023-12-20"], 1),  # consecutive gaps decide, not the span
        (["2024-01-01", None], 1),  # an undated claim joins the latest span
    ],
)
def test_time_window_splits_on_long_gaps(days: list[str | None], expected_records: int) -> None:
    docs = [doc(f"d{i}", day) for i, day in enumerate(days)]
    records = build(*[(d, [claim(d)]) for d in docs])
    assert len(records) == expected_records
    assert sum(r.support for r in records) == len(days)


@pytest.mark.parametrize(
    "designations, expected",
    [
        # overlapping designations merge, transitively; none joins the designation-less record
        ([("KN-23",), ("KN-23", "KN-24"), ("KN-24",)], [("missile", 3, 0, "KN-23,KN-24")]),
        (
            [("KN-23",), ("Hwasong-11B",)],
            [("missile", 1, 0, "Hwasong-11B"), ("missile", 1, 0, "KN-23")],
        ),
        ([("KN-23",), ()], [("missile", 1, 0, ""), ("missile", 1, 0, "KN-23")]),
        ([("kn 23",), ("KN-23",)], [("missile", 2, 0, "KN-23,kn 23")]),  # folded alike
    ],
)
def test_designations_split_and_merge(
    designations: list[tuple[str, ...]], expected: list[tuple[str, int, int, str]]
) -> None:
    docs = [doc(f"m{i}", "2024-01-10") for i in range(len(designations))]
    pairs = [
        (d, [claim(d, category="missile", designations=n)])
        for d, n in zip(docs, designations, strict=True)
    ]
    assert shape(build(*pairs)) == expected


@pytest.mark.parametrize(
    "denial_category, denial_day, expected",
    [
        ("ammunition", "2024-02-01", [("ammunition", 1, 1, "")]),  # attaches
        ("military_equipment_unspecified", "2024-02-01", [("ammunition", 1, 1, "")]),  # generic
        ("ammunition", "2027-01-01", [("ammunition", 1, 1, "")]),  # far off: the nearest record
        ("uav", "2024-02-01", [("ammunition", 1, 0, ""), ("uav", 0, 1, "")]),  # own denied record
    ],
)
def test_denials_attach_to_the_record_they_deny(
    denial_category: str, denial_day: str, expected: list[tuple[str, int, int, str]]
) -> None:
    report, denial = doc("report", "2024-01-15"), doc("denial", denial_day)
    records = build(
        (report, [claim(report)]),
        (denial, [claim(denial, category=denial_category, status="denied", source="KCNA")]),
    )
    assert shape(records) == expected
    for record in records:
        assert record.status == ("denied" if record.support == 0 else "delivered")


def test_denial_of_another_pair_never_attaches() -> None:
    report, denial = doc("report", "2024-01-15"), doc("denial", "2024-01-20")
    records = build(
        (report, [claim(report)]), (denial, [claim(denial, supplier="IRN", status="denied")])
    )
    assert shape(records) == [("ammunition", 0, 1, ""), ("ammunition", 1, 0, "")]


@pytest.mark.parametrize(
    "statuses, expected",
    [
        ([("2023-01-01", "delivered"), ("2024-01-01", "agreed")], "agreed"),  # the latest
        ([("2024-01-01", "alleged"), ("2024-01-01", "delivered")], "delivered"),  # tie: stage
        ([("2024-01-01", "planned"), ("2024-02-01", "denied")], "planned"),  # denials don't count
    ],
)
def test_current_status_is_the_latest_stage(statuses: list[tuple[str, str]], expected: str) -> None:
    docs = [doc(f"s{i}", day) for i, (day, _) in enumerate(statuses)]
    records = build(*[(d, [claim(d, status=s)]) for d, (_, s) in zip(docs, statuses, strict=True)])
    assert [r.status for r in records] == [expected]
    history = records[0].status_history
    assert [e.date for e in history] == sorted(e.date for e in history)


def test_quantities_give_a_range_when_sources_disagree() -> None:
    a, b = doc("qa", "2024-01-01"), doc("qb", "2024-01-02")
    (record,) = build((a, [claim(a, quantity="about 1,000")]), (b, [claim(b, quantity="5,000")]))
    assert record.quantity is not None
    assert (record.quantity.low, record.quantity.high) == (1000.0, 5000.0)
    assert record.quantity.text == "about 1,000; 5,000"


def test_record_dict_has_exactly_the_contract_keys_and_round_trips() -> None:
    a, b = doc("ka", "2024-03-01"), doc("kb", "2024-03-02")
    records = build((a, [claim(a, source="Park Min-ho")]), (b, [claim(b, status="denied")]))
    data = records[0].to_dict()
    assert list(data) == CONTRACT_KEYS
    assert list(data["claims"][0]) == CLAIM_KEYS
    assert json.loads(json.dumps(data)) == data
    assert TransferRecord.from_dict(data) == records[0]


@pytest.mark.parametrize(
    "supplier, recipient, category, day, regime",
    [
        ("PRK", "RUS", "ammunition", "2024-03-01", "UN-1718"),  # the DPRK regime binds all states
        ("FRA", "UKR", "missile", "2023-07-11", None),  # nothing in force
    ],
)
def test_embargo_flag(
    supplier: str, recipient: str, category: str, day: str, regime: str | None
) -> None:
    d = doc("e", day)
    (record,) = build((d, [claim(d, supplier, recipient, category)]))
    assert [f.regime for f in record.embargo if f.regime == regime] == ([regime] if regime else [])
    if regime is None:
        assert record.embargo == ()
    else:
        flag = next(f for f in record.embargo if f.regime == regime)
        assert flag.side == "supplier" and "1718" in flag.reason


def test_order_independent_merge_without_model() -> None:
    docs = [doc(f"o{i}", f"2024-0{i + 1}-01") for i in range(4)]
    claims = [
        claim(docs[0]),
        claim(docs[1], designations=("KN-23",), category="missile"),
        claim(docs[2], status="denied"),
        claim(docs[3], category="missile"),
    ]
    documents = {d.id: d for d in docs}
    expected = [r.to_dict() for r in build_records(claims, documents)]
    for order in itertools.permutations(claims):
        assert [r.to_dict() for r in build_records(list(order), documents)] == expected


# --- the store ----------------------------------------------------------------------------------


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    with open_store(db_url) as opened:
        a, b, c = doc("sa", "2024-03-05"), doc("sb", "2024-03-08"), doc("sc", "2023-08-24")
        opened.save(Extraction(a, (claim(a, source="Park Min-ho"),)))
        opened.save(Extraction(b, (claim(b, status="denied", source="KCNA"),)))
        opened.save(
            Extraction(c, (claim(c, "USA", "POL", "aircraft", "agreed", ("AH-64 Apache",)),))
        )
        refresh_records(opened)
        yield opened


@pytest.mark.parametrize(
    "filters, expected",
    [
        (RecordFilter(), 2),
        (RecordFilter(supplier="PRK"), 1),
        (RecordFilter(actor="POL"), 1),
        (RecordFilter(actor="RUS", category="ammunition"), 1),
        (RecordFilter(embargo_only=True), 1),
        (RecordFilter(min_sources=2), 0),
        (RecordFilter(since=date(2024, 1, 1)), 1),
        (RecordFilter(until=date(2023, 12, 31)), 1),
        (RecordFilter(status="agreed"), 1),
    ],
)
def test_list_and_count_filters(store, filters: RecordFilter, expected: int) -> None:  # type: ignore[no-untyped-def]
    assert count_records(store, filters) == expected
    assert len(list_records(store, filters, limit=None)) == expected


def test_listing_order_paging_and_lookup(store) -> None:  # type: ignore[no-untyped-def]
    records = list_records(store)
    assert [r.supplier for r in records] == ["PRK", "USA"]  # last seen, newest first
    assert list_records(store, limit=1, offset=1)[0].id == records[1].id
    assert get_record(store, records[0].id[:8]) == records[0]
    assert store.record_ids_for_claim(records[0].denials[0].claim_id) == [records[0].id]
    with pytest.raises(NotFoundError):
        get_record(store, "ffffffffff")


@pytest.mark.parametrize(
    "kwargs",
    [{"category": "tanks"}, {"status": "rumoured"}, {"min_sources": -1},
     {"since": date(2024, 2, 1), "until": date(2024, 1, 1)}],
)  # fmt: skip
def test_filter_rejects_bad_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError):
        RecordFilter(**kwargs)  # type: ignore[arg-type]


def test_import_sipri_links_matching_deals(store) -> None:  # type: ignore[no-untyped-def]
    result = import_sipri(store, FIXTURES / "sipri_trade_register.csv")
    assert result.records == 2 and len(result.imported.deals) > 0
    linked = {r.supplier: [s.designation for s in r.sipri] for r in list_records(store)}
    assert linked["PRK"] == []
    assert result.linked == sum(1 for v in linked.values() if v)


# --- end to end on articles written for these tests --------------------------------------------


def _ingest(paths: list[Path], db: str) -> list[dict[str, object]]:
    from armstrace.jobs import ingest_paths

    with open_store(db) as opened:
        ingest_paths([str(p) for p in paths], opened)
        return [r.to_dict() for r in list_records(opened, limit=None)]


@pytest.mark.model
def test_articles_repeating_one_transfer_make_one_record(new_db: Callable[..., str]) -> None:
    records = _ingest(sorted(ARTICLES.glob("*.txt")), new_db("e2e"))
    (record,) = [r for r in records if r["supplier"] == "PRK" and r["category"] == "ammunition"]
    names = sorted(c["document_name"] for c in record["claims"])  # type: ignore[attr-defined]
    assert names == ["nk1-ap-original", "nk2-ap-copy", "nk3-expert"]
    assert record["independent_sources"] == 2  # the AP copy counts once
    assert [d["document_name"] for d in record["denials"]] == ["nk4-denial"]  # type: ignore[attr-defined]
    assert [e["regime"] for e in record["embargo"]] == ["UN-1718"]  # type: ignore[attr-defined]
    assert record["status"] in ("delivered", "ongoing")
    assert record["confidence"] == 0.45  # the worked example of docs/knowledge-base.md


@pytest.mark.model
def test_ingest_order_does_not_change_records(new_db: Callable[..., str]) -> None:
    paths = sorted(ARTICLES.glob("*.txt"))
    forward = _ingest(paths, new_db("forward"))
    backward = _ingest(list(reversed(paths)), new_db("backward"))
    one_by_one = new_db("single")
    for path in paths[::-1]:
        again = _ingest([path], one_by_one)
    assert forward == backward == again


# --- records stay current: stale state is detected, an older computation never wins ------------


def test_a_stored_document_makes_the_records_stale_until_rebuilt(store) -> None:  # type: ignore[no-untyped-def]
    assert not store.records_stale()
    assert refresh_if_stale(store) is False
    d = doc("sd", "2024-04-01")
    store.save(Extraction(d, (claim(d, "IRN", "RUS", "uav"),)))
    assert store.records_stale()
    assert refresh_if_stale(store) is True
    assert not store.records_stale()
    assert count_records(store, RecordFilter(supplier="IRN")) == 1


def test_records_built_from_an_older_snapshot_are_not_written(store) -> None:  # type: ignore[no-untyped-def]
    before = store.inputs_version()
    d = doc("se", "2024-04-02")
    store.save(Extraction(d, (claim(d, "IRN", "RUS", "uav"),)))  # another run, meanwhile
    assert store.replace_records([], built_from=before) is False
    assert count_records(store) == 2  # untouched
    assert store.records_stale()


def test_every_claim_is_in_a_record_after_a_refresh(store) -> None:  # type: ignore[no-untyped-def]
    claim_ids = {c.id for c in store.claims()}
    assert all(store.record_ids_for_claim(claim_id) for claim_id in claim_ids)
