"""The WHERE-clause builder and the filter tables over it: conditions or filters in, the SQL
fragment and its bound parameters out. Values must only ever travel as parameters."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

import pytest

from armstrace.store import ALL_CLAIMS, ALL_RECORDS, ClaimFilter, RecordFilter
from armstrace.store.database import CLAIM_DATE, claim_conditions
from armstrace.store.kb_tables import record_where
from armstrace.store.where import Condition, where_clause


@pytest.mark.parametrize(
    "conditions, sql, params",
    [
        ([], "", {}),
        ([("a", "=", None), ("b", ">=", None)], "", {}),
        ([("a", "=", "x")], " WHERE a = :w0", {"w0": "x"}),
        (
            [("a", "=", "x"), ("b", "=", None), ("c", "<=", 3)],
            " WHERE a = :w0 AND c <= :w1",
            {"w0": "x", "w1": 3},
        ),
        ([("a", ">=", date(2022, 3, 1))], " WHERE a >= :w0", {"w0": "2022-03-01"}),
        ([(("a", "b"), "=", "RU")], " WHERE (a = :w0 OR b = :w0)", {"w0": "RU"}),
        ([(("a",), "=", "RU")], " WHERE a = :w0", {"w0": "RU"}),
        (
            [("a", "=", 0), ("b", "=", "")],
            " WHERE a = :w0 AND b = :w1",
            {"w0": 0, "w1": ""},
        ),  # falsy is a value
        ([("a", "=", "x' OR 1=1 --")], " WHERE a = :w0", {"w0": "x' OR 1=1 --"}),
    ],
)
def test_where_clause(conditions: list[Condition], sql: str, params: dict[str, Any]) -> None:
    assert where_clause(conditions) == (sql, params)


@pytest.mark.parametrize(
    "condition",
    [("a", "LIKE", "x"), ("a", "= 1 OR a", "x"), ((), "=", "x")],
)
def test_where_clause_refuses_what_it_would_write_into_sql(condition: Any) -> None:
    with pytest.raises(ValueError):
        where_clause([condition])


def test_a_value_is_bound_never_read_as_sql() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (name TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [("a",), ("x' OR '1'='1",)])
    for value, found in (("x' OR '1'='1", 1), ("' OR '1'='1", 0), ("a", 1)):  # sqlite3: :name
        where, params = where_clause([("name", "=", value)])
        assert db.execute(f"SELECT count(*) FROM t{where}", params).fetchone()[0] == found
    db.close()


@pytest.mark.parametrize(
    "filters, sql, params",
    [
        (ALL_CLAIMS, "", {}),
        (ClaimFilter(supplier="IR"), " WHERE c.supplier = :w0", {"w0": "IR"}),
        (
            ClaimFilter(recipient="RU", category="uav", status="delivered"),
            " WHERE c.recipient = :w0 AND c.category = :w1 AND c.status = :w2",
            {"w0": "RU", "w1": "uav", "w2": "delivered"},
        ),
        (
            ClaimFilter(document_id="d1", since=date(2022, 8, 1)),
            f" WHERE c.document_id = :w0 AND {CLAIM_DATE} >= :w1",
            {"w0": "d1", "w1": "2022-08-01"},
        ),
        (
            ClaimFilter(actor="RU"),
            " WHERE (c.supplier = :w0 OR c.recipient = :w0)",
            {"w0": "RU"},
        ),
        (
            ClaimFilter(supplier="IR", since=date(2022, 1, 1), until=date(2022, 12, 31)),
            f" WHERE c.supplier = :w0 AND {CLAIM_DATE} >= :w1 AND {CLAIM_DATE} <= :w2",
            {"w0": "IR", "w1": "2022-01-01", "w2": "2022-12-31"},
        ),
    ],
)
def test_claim_filter(filters: ClaimFilter, sql: str, params: dict[str, Any]) -> None:
    assert where_clause(claim_conditions(filters)) == (sql, params)


@pytest.mark.parametrize(
    "filters, sql, params",
    [
        (ALL_RECORDS, "", {}),
        (RecordFilter(embargo_only=False, min_sources=None), "", {}),
        (
            RecordFilter(supplier="IR", recipient="RU", category="uav", status="delivered"),
            " WHERE supplier = :w0 AND recipient = :w1 AND category = :w2 AND status = :w3",
            {"w0": "IR", "w1": "RU", "w2": "uav", "w3": "delivered"},
        ),
        (RecordFilter(actor="KP"), " WHERE (supplier = :w0 OR recipient = :w0)", {"w0": "KP"}),
        (
            RecordFilter(since=date(2022, 1, 1), until=date(2023, 6, 30)),
            " WHERE last_seen >= :w0 AND first_seen <= :w1",
            {"w0": "2022-01-01", "w1": "2023-06-30"},
        ),
        (
            RecordFilter(embargo_only=True, min_sources=0),
            " WHERE embargo = :w0 AND independent_sources >= :w1",
            {"w0": 1, "w1": 0},
        ),
    ],
)
def test_record_filter(filters: RecordFilter, sql: str, params: dict[str, Any]) -> None:
    assert record_where(filters) == (sql, params)
