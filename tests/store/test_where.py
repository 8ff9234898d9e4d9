"""The WHERE-clause builder and the filter tables over it: conditions or filters in, the SQL
fragment and its bound parameters out. Values must only ever travel as parameters."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

import pytest

from armstrace.serve.queries import ClaimQuery, _where
from armstrace.store import ALL_CLAIMS, ALL_RECORDS, ClaimFilter, RecordFilter
from armstrace.store.kb_tables import record_where
from armstrace.store.sqlite import CLAIM_DATE, claim_conditions
from armstrace.store.where import Condition, where_clause


@pytest.mark.parametrize(
    "conditions, sql, params",
    [
        ([], "", []),
        ([("a", "=", None), ("b", ">=", None)], "", []),
        ([("a", "=", "x")], " WHERE a = ?", ["x"]),
        ([("a", "=", "x"), ("b", "=", None), ("c", "<=", 3)], " WHERE a = ? AND c <= ?", ["x", 3]),
        ([("a", ">=", date(2022, 3, 1))], " WHERE a >= ?", ["2022-03-01"]),
        ([(("a", "b"), "=", "RU")], " WHERE (a = ? OR b = ?)", ["RU", "RU"]),
        ([(("a",), "=", "RU")], " WHERE a = ?", ["RU"]),
        ([("a", "=", 0), ("b", "=", "")], " WHERE a = ? AND b = ?", [0, ""]),  # falsy is a value
        ([("a", "=", "x' OR 1=1 --")], " WHERE a = ?", ["x' OR 1=1 --"]),
    ],
)
def test_where_clause(conditions: list[Condition], sql: str, params: list[Any]) -> None:
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
    for value, found in (("x' OR '1'='1", 1), ("' OR '1'='1", 0), ("a", 1)):
        where, params = where_clause([("name", "=", value)])
        assert db.execute(f"SELECT count(*) FROM t{where}", params).fetchone()[0] == found
    db.close()


@pytest.mark.parametrize(
    "filters, sql, params",
    [
        (ALL_CLAIMS, "", []),
        (ClaimFilter(supplier="IR"), " WHERE c.supplier = ?", ["IR"]),
        (
            ClaimFilter(recipient="RU", category="uav", status="delivered"),
            " WHERE c.recipient = ? AND c.category = ? AND c.status = ?",
            ["RU", "uav", "delivered"],
        ),
        (
            ClaimFilter(document_id="d1", since=date(2022, 8, 1)),
            f" WHERE c.document_id = ? AND {CLAIM_DATE} >= ?",
            ["d1", "2022-08-01"],
        ),
    ],
)
def test_claim_filter(filters: ClaimFilter, sql: str, params: list[Any]) -> None:
    assert where_clause(claim_conditions(filters)) == (sql, params)


@pytest.mark.parametrize(
    "query, sql, params",
    [
        (ClaimQuery(), "", []),
        (ClaimQuery(actor="RU"), " WHERE (c.supplier = ? OR c.recipient = ?)", ["RU", "RU"]),
        (
            ClaimQuery(
                ClaimFilter(supplier="IR", since=date(2022, 1, 1)), until=date(2022, 12, 31)
            ),
            f" WHERE c.supplier = ? AND {CLAIM_DATE} >= ? AND {CLAIM_DATE} <= ?",
            ["IR", "2022-01-01", "2022-12-31"],
        ),
    ],
)
def test_claim_query(query: ClaimQuery, sql: str, params: list[Any]) -> None:
    assert _where(query) == (sql, params)


@pytest.mark.parametrize(
    "filters, sql, params",
    [
        (ALL_RECORDS, "", []),
        (RecordFilter(embargo_only=False, min_sources=None), "", []),
        (
            RecordFilter(supplier="IR", recipient="RU", category="uav", status="delivered"),
            " WHERE supplier = ? AND recipient = ? AND category = ? AND status = ?",
            ["IR", "RU", "uav", "delivered"],
        ),
        (RecordFilter(actor="KP"), " WHERE (supplier = ? OR recipient = ?)", ["KP", "KP"]),
        (
            RecordFilter(since=date(2022, 1, 1), until=date(2023, 6, 30)),
            " WHERE last_seen >= ? AND first_seen <= ?",
            ["2022-01-01", "2023-06-30"],
        ),
        (
            RecordFilter(embargo_only=True, min_sources=0),
            " WHERE embargo = ? AND independent_sources >= ?",
            [1, 0],
        ),
    ],
)
def test_record_filter(filters: RecordFilter, sql: str, params: list[Any]) -> None:
    assert record_where(filters) == (sql, params)
