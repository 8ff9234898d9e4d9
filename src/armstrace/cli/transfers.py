"""CLI commands of the knowledge base: transfer records (`transfers`, `transfer`), actor
profiles (`actor`) and the SIPRI import (`import-sipri`). Each parses options, calls one
function of armstrace.kb and prints; errors are ArmstraceErrors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from armstrace.cli.options import (
    clip,
    db_option,
    echo_json,
    format_option,
    limit_option,
    offset_option,
    record_filter_options,
    write_csv,
)

if TYPE_CHECKING:
    from armstrace.store import RecordFilter

CSV_FIELDS = (
    "id",
    "supplier",
    "recipient",
    "category",
    "designations",
    "items",
    "status",
    "first_seen",
    "last_seen",
    "support",
    "independent_sources",
    "confidence",
    "denials",
    "embargo",
    "sipri",
)


@click.command()
@db_option
@record_filter_options(
    status_help="The record's current status.",
    since_help="Last seen on or after.",
    until_help="First seen by then.",
)
@click.option("--embargo-only", is_flag=True, help="Only records flagged by an embargo.")
@click.option(
    "--min-sources", type=click.IntRange(1, 10_000), help="At least N independent sources."
)
@limit_option(100)
@offset_option
@format_option("table", "json", "csv")
def transfers(
    db: str | None,
    filters: RecordFilter,
    embargo_only: bool,
    min_sources: int | None,
    limit: int,
    offset: int,
    fmt: str,
) -> None:
    """List transfer records (claims merged across documents), last seen first.

    \b
    Example:
      armstrace transfers --supplier "North Korea" --recipient Russia
      armstrace transfers --actor Iran --min-sources 2 --format json
      armstrace transfers --embargo-only --since 2023-01-01 --format csv > flagged.csv
    """
    from armstrace.kb.transfer_records import count_records, list_records
    from armstrace.store import open_store

    filters = dataclasses.replace(filters, embargo_only=embargo_only, min_sources=min_sources)
    with open_store(db) as store:
        rows = [r.to_dict() for r in list_records(store, filters, limit=limit, offset=offset)]
        total = count_records(store, filters)
    if fmt == "json":
        echo_json(rows)
    elif fmt == "csv":
        _write_csv(rows)
    else:
        _print_table(rows)
        click.echo(f"{len(rows)} of {total} records (offset {offset})")


def _write_csv(rows: Sequence[dict[str, Any]]) -> None:
    write_csv(
        (
            {
                **row,
                "designations": "; ".join(row["designations"]),
                "items": "; ".join(row["items"]),
                "denials": len(row["denials"]),
                "embargo": "; ".join(sorted({e["regime"] for e in row["embargo"]})),
                "sipri": "; ".join(s["deal_id"] for s in row["sipri"]),
            }
            for row in rows
        ),
        CSV_FIELDS,
    )


def _print_table(rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        click.echo("  (no transfer records; `armstrace ingest` adds documents)")
        return
    click.echo(
        f"{'id':10} {'supplier':8} {'recipient':9} {'category':16} {'status':10} "
        f"{'last seen':10} {'src':>3} {'conf':>4}  flags  items"
    )
    for r in rows:
        flags = ("E" if r["embargo"] else "-") + ("D" if r["denials"] else "-")
        flags += "S" if r["sipri"] else "-"
        click.echo(
            f"{r['id'][:10]:10} {r['supplier'] or '?':8} {r['recipient'] or '?':9} "
            f"{r['category'][:16]:16} {r['status']:10} {r['last_seen'] or 'undated':10} "
            f"{r['independent_sources']:>3} {r['confidence']:>4.2f}  {flags:5}  "
            f"{clip('; '.join(r['designations'] or r['items']), 40)}"
        )
    click.echo("flags: E embargo, D denied by someone, S listed by SIPRI")


@click.command()
@click.argument("record_id")
@db_option
@format_option("table", "json")
def transfer(record_id: str, db: str | None, fmt: str) -> None:
    """Show one transfer record: who alleges, confirms and denies it, and why its confidence.

    \b
    Example:
      armstrace transfer 9ff6fa3f
      armstrace transfer 9ff6fa3f --format json
    """
    from armstrace.kb.declarations import record_view
    from armstrace.store import open_store

    with open_store(db) as store:
        record = record_view(store, record_id)
    if fmt == "json":
        echo_json(record)
        return
    r = record
    click.echo(f"record      {r['id']}")
    click.echo(
        f"transfer    {r['supplier_name'] or '?'} ({r['supplier'] or '?'}) → "
        f"{r['recipient_name'] or '?'} ({r['recipient'] or '?'}), {r['category']}"
    )
    if r["designations"]:
        click.echo(f"systems     {', '.join(r['designations'])}")
    click.echo(f"items       {clip('; '.join(r['items']), 100)}")
    if r["quantity"]:
        click.echo(f"quantity    {r['quantity']['text']}")
    click.echo(f"status      {r['status']}   seen {r['first_seen']} … {r['last_seen']}")
    click.echo(f"support     {r['support']} claims, {r['independent_sources']} independent sources")
    click.echo(f"confidence  {r['confidence']:.2f}")
    for reason in r["confidence_reasons"]:
        click.echo(f"              {reason}")
    _who(r["claims"], r["denials"])
    if r["via"]:
        click.echo(f"via         {', '.join(r['via'])}")
    if r["route"]:
        click.echo(f"route       {' → '.join(p['name'] for p in r['route'])}")
    for flag in r["embargo"]:
        click.echo(f"embargo     {flag['regime']}: {flag['reason']}")
    for deal in r["sipri"]:
        years = ", ".join(str(y) for y in deal["delivery_years"]) or "none yet"
        click.echo(
            f"sipri       {deal['designation']} ({deal['description']}), ordered "
            f"{deal['order_year']}, delivered {years} [{deal['deal_id'][:10]}]"
        )
    _print_unroca(r["unroca"])
    click.echo("history")
    for event in r["status_history"]:
        click.echo(
            f"  {event['date'] or 'undated':10} {event['status']:10} "
            f"{event['source'] or '(author)'}  [{event['claim_id'][:10]}]"
        )
    for title, refs in (("claims", r["claims"]), ("denials", r["denials"])):
        if refs:
            click.echo(title)
        for ref in refs:
            click.echo(
                f"  [{ref['claim_id'][:10]}] {ref['date'] or 'undated'} {ref['document_name']} "
                f"({ref['outlet'] or 'unknown outlet'}), {ref['source_kind']}: "
                f"{ref['source'] or '(author)'}"
            )
            where = ref.get("location")
            page = f"  (page {where['page']}" if where else ""
            if where and where["paragraph"] is not None:
                page += f", para. {where['paragraph']}"
            click.echo(f"      “{clip(ref['evidence'], 150)}”{page + ')' if page else ''}")


_GAPS = {
    "exporter_only": "declared by the exporter only",
    "importer_only": "declared by the importer only",
    "different_numbers": "declared by both with different numbers",
    "": "declared by both, matching",
}


def _print_unroca(view: dict[str, Any]) -> None:
    """The UN Register's view of a record, beside its SIPRI match."""
    for row in view["rows"]:
        numbers = f"exporter {row['exporter_items'] if row['exporter_declared'] else '-'}"
        numbers += f", importer {row['importer_items'] if row['importer_declared'] else '-'}"
        click.echo(
            f"unroca      {row['year']} {row['register_name']}: {_GAPS[row['gap']]} ({numbers})"
        )
    if view["undeclared"]:
        click.echo(
            "unroca      UNDECLARED: delivered, but neither side declared it to the Register"
        )


_ROLES = {
    "happened": "confirms",
    "pending": "confirms",
    "unconfirmed": "alleges",
    "denied": "denies",
}


def _who(claims: Sequence[dict[str, Any]], denials: Sequence[dict[str, Any]]) -> None:
    from armstrace.records import STATUS_GROUPS

    said: dict[str, list[str]] = {"alleges": [], "confirms": [], "denies": []}
    for ref in [*claims, *denials]:
        role = _ROLES[STATUS_GROUPS[ref["status"]]]
        who = ref["source"] or f"{ref['outlet'] or ref['document_name']} (author)"
        if who not in said[role]:
            said[role].append(who)
    for role in ("confirms", "alleges", "denies"):
        if said[role]:
            click.echo(f"{role:11} {'; '.join(said[role])}")


@click.command()
@click.argument("actor")
@db_option
@format_option("table", "json")
def actor(actor: str, db: str | None, fmt: str) -> None:
    """Profile a state or group: its transfers both ways, counterparts, embargoes, timeline.

    \b
    Example:
      armstrace actor PRK
      armstrace actor "North Korea" --format json
    """
    from armstrace.kb.profiles import actor_profile
    from armstrace.store import open_store

    with open_store(db) as store:
        profile = actor_profile(store, actor).to_dict()
    if fmt == "json":
        echo_json(profile)
        return
    p = profile
    click.echo(f"{p['name']} ({p['code']}), {p['kind']}")
    for title, key, other in (
        ("as supplier", "as_supplier", "recipient"),
        ("as recipient", "as_recipient", "supplier"),
    ):
        click.echo(f"{title}: {len(p[key])} records")
        for r in p[key]:
            click.echo(
                f"  {r['id'][:10]} {'to' if other == 'recipient' else 'from'} "
                f"{r[other] or '?':5} {r['category']:16} {r['status']:10} "
                f"{r['last_seen'] or 'undated':10} conf {r['confidence']:.2f}"
            )
    if p["counterparts"]:
        parts = ", ".join(f"{c['name']} ({c['records']})" for c in p["counterparts"])
        click.echo(f"counterparts: {parts}")
    if p["categories"]:
        click.echo("categories: " + ", ".join(f"{k} {n}" for k, n in p["categories"].items()))
    for flag in p["embargo"]:
        click.echo(f"embargo: {flag['regime']} ({flag['issuer']}), as {flag['side']}")
    if p["timeline"]:
        click.echo("timeline:")
        for entry in p["timeline"]:
            click.echo(
                f"  {entry['month']}  {entry['supplier'] or '?'} → {entry['recipient'] or '?'}"
                f"  ({entry['records']})"
            )


@click.command(name="import-sipri")
@click.argument("path", type=click.Path(dir_okay=False))
@db_option
def import_sipri(path: str, db: str | None) -> None:
    """Load a SIPRI trade-register export (CSV) and link transfer records to its deals.

    The deals replace any imported before; records then list the deals that match them by
    pair, designation or category, and years.

    \b
    Example:
      armstrace import-sipri trade-register.csv --db arms.db
      armstrace transfers --db arms.db --format json   # see each record's "sipri" list
    """
    from armstrace.kb.transfer_records import import_sipri as run_import
    from armstrace.store import open_store

    with open_store(db) as store:
        result = run_import(store, path)
    for warning in result.imported.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"{len(result.imported.deals)} SIPRI deals stored; {result.linked} of {result.records} "
        "transfer records match one"
    )


COMMANDS: list[click.Command] = [transfers, transfer, actor, import_sipri]
