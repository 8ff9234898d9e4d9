"""Pieces shared by every module that defines CLI commands (cli.py, kb/, export/, serve/)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from armstrace.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = "SQLite file to use (default: $ARMSTRACE_DB or ./armstrace.db)."


def db_option(func: F) -> F:
    return click.option("--db", envvar="ARMSTRACE_DB", default=None, help=DB_HELP)(func)


PREFILTER_HELP = (
    "Parse only the sentences a keyword prefilter marks, and skip documents that name no "
    "weapon: several times faster on general news feeds, at a small cost in quality "
    "(docs/performance.md)."
)


def prefilter_option(func: F) -> F:
    return click.option("--prefilter", is_flag=True, help=PREFILTER_HELP)(func)


def actor_code(value: str | None, option: str) -> str | None:
    """The code an actor option names (a code or a name), InputError if none."""
    if value is None:
        return None
    from armstrace.extract.actors import resolve_actor

    code = resolve_actor(value)
    if code is None:
        raise InputError(f"unknown actor {value!r} for {option}: use a code (IRN) or a name (Iran)")
    return code


def clip(text: str, width: int) -> str:
    """One line of at most `width` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
