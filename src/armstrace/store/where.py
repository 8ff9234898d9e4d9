"""Parameterised SQL WHERE clauses for the store's filters. Each caller keeps its own table of
(column, operator, value) conditions; this joins them with AND and binds every value as a named
parameter (:w0, :w1, ...). Columns and operators come from code constants only: a value never
enters the SQL.
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
    # Dates are stored as ISO text on both databases: compare them as text.
    return value.isoformat() if isinstance(value, date) else value


def where_clause(conditions: Iterable[Condition], prefix: str = "w") -> tuple[str, dict[str, Any]]:
    """The " WHERE ..." fragment of the conditions whose value is not None (or "" when none is),
    and the named parameters it binds (`prefix` + a number)."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    for columns, operator, value in conditions:
        if operator not in _OPERATORS:  # the operator is written into the SQL: only known ones
            raise ValueError(f"unknown SQL operator {operator!r}; use one of {sorted(_OPERATORS)}")
        names = (columns,) if isinstance(columns, str) else columns
        if not names:
            raise ValueError("a condition needs at least one column")
        if value is None:
            continue
        key = f"{prefix}{len(params)}"
        params[key] = _bound(value)
        tests = [f"{name} {operator} :{key}" for name in names]
        clauses.append(tests[0] if len(tests) == 1 else "(" + " OR ".join(tests) + ")")
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


MAX_PAGE = 2**62  # both databases keep 64-bit integers: a larger LIMIT or OFFSET overflows


def page_bounds(limit: int | None, offset: int) -> dict[str, int]:
    """The :limit and :offset parameters of a page (no limit: MAX_PAGE); InputError when out of
    range."""
    if (limit is not None and not 0 <= limit <= MAX_PAGE) or not 0 <= offset <= MAX_PAGE:
        raise InputError(f"limit and offset must be 0 to {MAX_PAGE:,} (got {limit}, {offset})")
    return {"limit": MAX_PAGE if limit is None else limit, "offset": offset}
