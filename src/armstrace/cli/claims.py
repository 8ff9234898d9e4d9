"""CLI commands over stored claims and documents: `claims` (filtered list), `show` (one claim
with its evidence in its sentence) and `docs` (stored documents).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import click

from armstrace.cli.options import (
    actor_code,
    category_option,
    clip,
    day,
    day_option,
    db_option,
    echo_json,
    format_option,
    limit_option,
    offset_option,
    pair_options,
    status_option,
    write_csv,
)
from armstrace.records import Claim


@click.command()
@db_option
@pair_options
@category_option
@status_option()
@day_option("--since", "YYYY-MM-DD")
@limit_option(100)
@format_option("table", "json", "csv")
def claims(
    db: str | None,
    supplier: str | None,
    recipient: str | None,
    category: str | None,
    status: str | None,
    since: datetime | None,
    limit: int,
    fmt: str,
) -> None:
    """List stored claims, newest document first, with filters.

    \b
    Example:
      armstrace claims --supplier "North Korea" --recipient Russia --status delivered
      armstrace claims --category uav --since 2023-01-01 --format csv > uav.csv
    """
    from armstrace.store import ClaimFilter, open_store

    filters = ClaimFilter(
        supplier=actor_code(supplier, "--supplier"),
        recipient=actor_code(recipient, "--recipient"),
        category=category,
        status=status,
        since=day(since),
    )
    with open_store(db) as store:
        rows = store.claims(filters, limit=limit)
    _emit_claims(rows, fmt)


def _claim_dict(claim: Claim) -> dict[str, Any]:
    out = {"id": claim.id, "document": claim.document_name, **claim.contract()}
    out["date"] = claim.claim_date.isoformat() if claim.claim_date else None
    out["designations"] = list(claim.designations)
    out["quantity"] = claim.quantity
    out["route"] = list(claim.route)
    return out


CSV_FIELDS = (
    "id",
    "document",
    "date",
    "supplier",
    "recipient",
    "category",
    "status",
    "items",
    "via",
    "source",
    "evidence",
)


def _emit_claims(rows: Sequence[Claim], fmt: str) -> None:
    if fmt == "json":
        echo_json([_claim_dict(c) for c in rows])
    elif fmt == "csv":
        write_csv(
            (
                {**_claim_dict(c), "items": "; ".join(c.items), "via": "; ".join(c.via)}
                for c in rows
            ),
            CSV_FIELDS,
        )
    else:
        print_claims(rows)


def print_claims(rows: Iterable[Claim]) -> None:
    """Claims as a fixed-width table, one line each."""
    rows = list(rows)
    if not rows:
        click.echo("  (no claims)")
        return
    click.echo(
        f"{'id':10} {'supplier':9} {'recipient':9} {'category':16} {'status':10} "
        f"{'source':18} evidence"
    )
    for c in rows:
        click.echo(
            f"{c.id[:10]:10} {c.supplier or '-':9} {c.recipient or '-':9} {c.category[:16]:16} "
            f"{c.status:10} {clip(c.source or '-', 18):18} {clip(c.evidence, 70)}"
        )


@click.command()
@click.argument("claim_id")
@db_option
def show(claim_id: str, db: str | None) -> None:
    """Show one claim: its fields, the evidence in its sentence, and the document.

    \b
    Example:
      armstrace show 3f9a2c71
    """
    from armstrace.ingest.pdf import locate
    from armstrace.store import open_store

    with open_store(db) as store:
        claim = store.claim(claim_id)
        document = store.document(claim.document_id)
    click.echo(f"claim      {claim.id}")
    click.echo(f"supplier   {claim.supplier or '-'}  →  recipient {claim.recipient or '-'}")
    if claim.via:
        click.echo(f"via        {', '.join(claim.via)}")
    if claim.route:
        click.echo(f"route      {' → '.join(claim.route)}")
    click.echo(f"category   {claim.category}   status {claim.status}")
    click.echo(f"items      {'; '.join(claim.items)}")
    if claim.quantity:
        click.echo(f"quantity   {claim.quantity}")
    if claim.speaker:
        extra = ", ".join(x for x in (claim.speaker.title, claim.speaker.affiliation) if x)
        click.echo(f"source     {claim.speaker.name}{' (' + extra + ')' if extra else ''}")
    else:
        click.echo("source     (the author)")
    if claim.claim_date:
        click.echo(f"date       {claim.claim_date.isoformat()}")
    sentence_text = document.text[claim.sentence_start : claim.sentence_start + len(claim.sentence)]
    local = claim.evidence_start - claim.sentence_start
    if sentence_text and 0 <= local <= len(sentence_text):
        marked = (
            sentence_text[:local]
            + click.style(claim.evidence, bold=True, underline=True)
            + sentence_text[local + len(claim.evidence) :]
        )
    else:
        marked = click.style(claim.evidence, bold=True)
    click.echo(f"evidence   {' '.join(marked.split())}")
    where = locate(document.text, claim.evidence_start)
    if where is not None:
        click.echo(f"where      {where.label()} of the PDF")
    click.echo(f"document   {document.name}  {document.title or ''}")
    click.echo(
        f"           {document.url or document.origin or ''}  "
        f"{document.published.isoformat() if document.published else 'undated'}"
    )


@click.command()
@db_option
@limit_option(50)
@offset_option
def docs(db: str | None, limit: int, offset: int) -> None:
    """List stored documents.

    \b
    Example:
      armstrace docs --db arms.db --limit 20
    """
    from armstrace.store import ClaimFilter, open_store

    with open_store(db) as store:
        total = store.count_documents()
        for document in store.documents(limit=limit, offset=offset):
            n = store.count_claims(ClaimFilter(document_id=document.id))
            published = document.published.isoformat() if document.published else "undated"
            click.echo(
                f"{document.id[:10]}  {published:10}  {n:3} claims  {document.name:24} "
                f"{clip(document.title or '', 50)}"
            )
        click.echo(f"{total} documents")


COMMANDS: list[click.Command] = [claims, show, docs]
