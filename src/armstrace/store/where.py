"""Parameterised SQL WHERE clauses for the store's filters. Each caller keeps its own table of
(column, operator, value) conditions; this joins them with AND and binds every value as a `?`
parameter. Columns and operators come from code constants only: a value never enters the SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from armstrace.errors import InputError

__all__ = ["MAX_PAGE", "Condition", "Operator", "page_bounds", "where_clause"]

Operator = Literal["=", ">=", "<="]

# (column or SQL expression, operator, value). A tuple of columns means "any of them" (OR), as for
# an actor on either side; a value of None leaves the condition out, so it matches everything.
Condition = tuple[str | tuple[str, ...], Operator, object]

_OPERATORS = frozenset({"=", ">=", "<="})


def _bound(value: object) -> object:
    # Dates are stored as ISO text; sqlite3's own date adapter is deprecated, so never rely on it.
    return value.isoformat() if isinstance(value, date) else value


def where_clause(conditions: Iterable[Condition]) -> tuple[str, list[Any]]:
    """The " WHERE ..." fragment of the conditions whose value is not None (or "" when none is),
    and the parameters it binds, in order."""
    clauses: list[str] = []
    params: list[Any] = []
    for columns, operator, value in conditions:
        if operator not in _OPERATORS:  # the operator is written into the SQL: only known ones
            raise ValueError(f"unknown SQL operator {operator!r}; use one of {sorted(_OPERATORS)}")
        names = (columns,) if isinstance(columns, str) else columns
        if not names:
            raise ValueError("a condition needs at least one column")
        if value is None:
            continue
        tests = [f"{name} {operator} ?" for name in names]
        clauses.append(tests[0] if len(tests) == 1 else "(" + " OR ".join(tests) + ")")
        params += [_bound(value)] * len(tests)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


MAX_PAGE = 2**62  # SQLite integers are 64-bit: a larger LIMIT or OFFSET overflows


def page_bounds(limit: int | None, offset: int) -> tuple[int, int]:
    """LIMIT and OFFSET values for a page (-1: no limit); InputError when out of range."""
    if (limit is not None and not 0 <= limit <= MAX_PAGE) or not 0 <= offset <= MAX_PAGE:
        raise InputError(f"limit and offset must be 0 to {MAX_PAGE:,} (got {limit}, {offset})")
    return (-1 if limit is None else limit), offset
