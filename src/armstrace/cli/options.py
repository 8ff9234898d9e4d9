"""Pieces shared by the modules of armstrace.cli.

The options several commands take are defined once here, so that their names, types and help
read the same everywhere; so are the JSON and CSV printers of the listing commands.
"""

from __future__ import annotations

import csv
import functools
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import click

from armstrace.errors import InputError
from armstrace.records import CATEGORIES, STATUSES

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = (
    "Database: a SQLite file or a postgresql://user:password@host/db URL (default: "
    "$ARMSTRACE_DB or ./armstrace.db)."
)


def db_option(func: F) -> F:
    return click.option("--db", envvar="ARMSTRACE_DB", default=None, help=DB_HELP)(func)


PREFILTER_HELP = (
    "Parse only the sentences a keyword prefilter marks, and skip documents that name no "
    "weapon: several times faster on general news feeds, at a small cost in quality "
    "(docs/performance.md)."
)


MIN_SCORE_HELP = (
    "Leave out claims whose learned score (0-1) is below this; 0 keeps every claim. Default: "
    "the threshold the shipped model was trained with, when filtering helped (docs/quality.md)."
)


def min_score_option(func: F) -> F:
    return click.option(
        "--min-score", type=click.FloatRange(0.0, 1.0), default=None, help=MIN_SCORE_HELP
    )(func)


def prefilter_option(func: F) -> F:
    return click.option("--prefilter", is_flag=True, help=PREFILTER_HELP)(func)


# --- filters ------------------------------------------------------------------------------------

DAY = click.DateTime(formats=["%Y-%m-%d"])


def pair_options(func: F) -> F:
    """--supplier and --recipient, each a name or a code."""
    func = click.option("--recipient", help="Recipient name or code, e.g. Russia or RUS.")(func)
    return click.option("--supplier", help="Supplier name or code, e.g. Iran or IRN.")(func)


def actor_option(func: F) -> F:
    return click.option("--actor", help="Either side: a name or code.")(func)


def category_option(func: F) -> F:
    return click.option("--category", type=click.Choice(CATEGORIES))(func)


def status_option(help: str | None = None) -> Callable[[F], F]:
    return click.option("--status", type=click.Choice(STATUSES), help=help)


def day_option(name: str, help: str) -> Callable[[F], F]:
    """An option taking a YYYY-MM-DD day; the command receives a datetime (see `day`)."""
    return click.option(name, type=DAY, help=help)


def day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def record_filter_options(
    *, status_help: str, since_help: str, until_help: str
) -> Callable[[F], F]:
    """--supplier, --recipient, --actor, --category, --status, --since and --until, handed to the
    command as one `filters` argument (a RecordFilter with the actors resolved to codes)."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def with_filters(*args: Any, **kwargs: Any) -> Any:
            from armstrace.store import RecordFilter

            filters = RecordFilter(
                supplier=actor_code(kwargs.pop("supplier"), "--supplier"),
                recipient=actor_code(kwargs.pop("recipient"), "--recipient"),
                actor=actor_code(kwargs.pop("actor"), "--actor"),
                category=kwargs.pop("category"),
                status=kwargs.pop("status"),
                since=day(kwargs.pop("since")),
                until=day(kwargs.pop("until")),
            )
            return func(*args, filters=filters, **kwargs)

        # Applied last to first, so that --help lists them in the order above.
        wrapper: Any = with_filters
        for option in (
            day_option("--until", until_help),
            day_option("--since", since_help),
            status_option(status_help),
            category_option,
            actor_option,
            pair_options,
        ):
            wrapper = option(wrapper)
        return wrapper

    return decorate


def actor_code(value: str | None, option: str) -> str | None:
    """The code an actor option names (a code or a name), InputError if none."""
    if value is None:
        return None
    from armstrace.extract.actors import resolve_actor

    code = resolve_actor(value)
    if code is None:
        raise InputError(f"unknown actor {value!r} for {option}: use a code (IRN) or a name (Iran)")
    return code


# --- listing and output -------------------------------------------------------------------------


# Bounds on integer options, so that none reaches SQLite past its 64-bit range.
MAX_LIMIT = 1_000_000
MAX_OFFSET = 1_000_000_000


def limit_option(default: int) -> Callable[[F], F]:
    return click.option(
        "--limit", type=click.IntRange(1, MAX_LIMIT), default=default, show_default=True
    )


def offset_option(func: F) -> F:
    return click.option("--offset", type=click.IntRange(0, MAX_OFFSET), default=0)(func)


def format_option(*choices: str) -> Callable[[F], F]:
    """--format (the `fmt` argument), one of `choices`, the first by default."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True
    )


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def write_csv(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> None:
    """CSV with a header to standard output; keys of `rows` beyond `fields` are left out, and
    every cell is neutralised against formula injection (armstrace.export.csvfile.cell)."""
    from armstrace.export.csvfile import cell

    writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: cell(row.get(key)) for key in fields} for row in rows)


def clip(text: str, width: int) -> str:
    """One line of at most `width` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
