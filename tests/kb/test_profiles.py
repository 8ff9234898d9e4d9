"""Actor profiles read from stored transfer records."""

from __future__ import annotations

from datetime import date

import pytest

from armstrace.errors import NotFoundError
from armstrace.kb.profiles import actor_profile
from armstrace.kb.transfer_records import refresh_records
from armstrace.records import Claim, Document, Extraction
from armstrace.store import Store, open_store

FACTS = [  # (name, day, supplier, recipient, category)
    ("p1", "2024-03-05", "PRK", "RUS", "ammunition"),
    ("p2", "2024-11-20", "RUS", "PRK", "air_defence"),
    ("p3", "2023-12-30", "PRK", "RUS", "missile"),
    ("p4", "2023-08-01", "IRN", "RUS", "uav"),
]


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    with open_store(db_url) as opened:
        for name, day, supplier, recipient, category in FACTS:
            doc = Document.make(f"text of {name}", name, published=date.fromisoformat(day))
            claim = Claim(doc.id, supplier, recipient, category, "delivered", ("x",), "e", 0, 1)
            opened.save(Extraction(doc, (claim,)))
        refresh_records(opened)
        yield opened


@pytest.mark.parametrize(
    "query, code, supplier, recipient, counterparts",
    [
        ("PRK", "PRK", 2, 1, [{"code": "RUS", "name": "Russia", "records": 3}]),
        ("North Korea", "PRK", 2, 1, [{"code": "RUS", "name": "Russia", "records": 3}]),
        ("Russia", "RUS", 1, 3, [{"code": "PRK", "name": "North Korea", "records": 3},
                                 {"code": "IRN", "name": "Iran", "records": 1}]),
    ],
)  # fmt: skip
def test_profile_counts(
    store: Store, query: str, code: str, supplier: int, recipient: int, counterparts: list[object]
) -> None:
    profile = actor_profile(store, query).to_dict()
    assert profile["code"] == code and profile["kind"] == "state"
    assert (len(profile["as_supplier"]), len(profile["as_recipient"])) == (supplier, recipient)
    assert profile["counterparts"] == counterparts


def test_profile_embargo_categories_and_timeline(store: Store) -> None:
    profile = actor_profile(store, "PRK").to_dict()
    assert list(profile) == [
        "code", "name", "kind", "as_supplier", "as_recipient", "counterparts", "categories",
        "embargo", "timeline",
    ]  # fmt: skip
    assert profile["categories"] == {"air_defence": 1, "ammunition": 1, "missile": 1}
    assert {(e["regime"], e["side"]) for e in profile["embargo"]} == {
        ("UN-1718", "supplier"),
        ("UN-1718", "recipient"),
    }
    assert [t["month"] for t in profile["timeline"]] == ["2023-12", "2024-03", "2024-11"]
    assert profile["as_supplier"][0]["embargo"] == ["UN-1718"]


def test_unknown_actor_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        actor_profile(store, "Atlantis")


def test_known_actor_without_records_has_an_empty_profile(store: Store) -> None:
    profile = actor_profile(store, "France").to_dict()
    assert profile["as_supplier"] == [] and profile["counterparts"] == []
