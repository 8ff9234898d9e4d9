"""The armstrace command line: a thin click layer over the library.

Each command parses its options, calls one library function and maps ArmstraceError to its exit
code with a message that says what to do. Heavy imports (spaCy, the store) happen inside commands.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from armstrace.commandline import (
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
    prefilter_option,
    status_option,
    write_csv,
)
from armstrace.errors import ArmstraceError
from armstrace.export.command import export as export_command
from armstrace.kb import commands as kb_commands
from armstrace.records import Claim
from armstrace.serve import commands as serve_commands


class ArmstraceGroup(click.Group):
    """Turns ArmstraceError into a one-line message and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArmstraceError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=ArmstraceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="armstrace")
def main() -> None:
    """armstrace: sourced records of who sends which weapons to whom, from news and statements.

    \b
    Quick start:
      armstrace demo                       # ingest the bundled sample corpus and summarise it
      armstrace ingest articles/           # read, extract and store a folder of articles
      armstrace claims --recipient Russia  # list stored claims
    """


# --- ingest -------------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0.001),
    default=20.0,
    show_default=True,
    help="Skip files larger than this many megabytes.",
)
@prefilter_option
@click.option("--quiet", "-q", is_flag=True, help="Only print the summary.")
def ingest(
    paths: tuple[str, ...], db: str | None, max_mb: float, prefilter: bool, quiet: bool
) -> None:
    """Read, extract and store documents (.txt, .html, .jsonl, folders, - for stdin).

    Every input is reported: stored, unchanged (already in the database), duplicate or
    skipped with the reason. Re-ingesting the same input changes nothing. The exit code is 0
    when anything was stored or already known, 1 when nothing could be read.

    \b
    Example:
      armstrace ingest --db arms.db news/ statement.html feed.jsonl
      armstrace ingest --prefilter wire-feed.jsonl   # mostly non-arms news: parse less
      cat article.txt | armstrace ingest -
    """
    from armstrace.jobs import ingest_paths
    from armstrace.store import open_store

    with open_store(db) as store:
        from armstrace.ingest import expand_paths

        sources, _ = expand_paths(paths)
        with click.progressbar(
            length=len(sources),
            label="ingesting",
            file=sys.stderr,
            show_pos=True,
            hidden=quiet or len(sources) < 2,
        ) as bar:
            report = ingest_paths(
                paths,
                store,
                stdin=sys.stdin,
                max_bytes=int(max_mb * 1_000_000),
                on_source=lambda _source: bar.update(1),
                prefilter=prefilter,
            )
    for outcome in report.outcomes:
        if quiet and outcome.status in ("stored", "unchanged"):
            continue
        detail = f" ({outcome.claims} claims)" if outcome.status == "stored" else ""
        reason = f": {outcome.reason}" if outcome.reason else ""
        click.echo(f"{outcome.status:9} {outcome.origin}{detail}{reason}")
        for warning in outcome.warnings:
            click.echo(f"          warning: {warning}")
    skipped = report.skipped
    click.echo(
        f"{report.stored} stored, {report.count('unchanged')} unchanged, "
        f"{report.count('duplicate')} duplicate, {len(skipped)} skipped; "
        f"{report.claims} new claims"
    )
    if not report.ok:
        raise SystemExit(1)


# --- extract ------------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@format_option("jsonl", "table")
@click.option("--quotes", is_flag=True, help="Add each document's quotes with their speakers.")
@prefilter_option
def extract(paths: tuple[str, ...], fmt: str, quotes: bool, prefilter: bool) -> None:
    """Extract claims without storing them; JSONL follows the claim contract (claims.md).

    \b
    Example:
      armstrace extract article.txt
      armstrace extract --format table --quotes news/
    """
    from armstrace.jobs import IngestReport, extract_paths

    report = IngestReport()
    for extraction in extract_paths(paths, stdin=sys.stdin, report=report, prefilter=prefilter):
        if fmt == "jsonl":
            line: dict[str, Any] = {
                "doc": extraction.document.name,
                "claims": [c.contract() for c in extraction.claims],
            }
            if quotes:
                line["quotes"] = [
                    {"quote": q.text, "speaker": q.speaker.name if q.speaker else None}
                    for q in extraction.quotes
                ]
            click.echo(json.dumps(line, ensure_ascii=False))
        else:
            click.echo(f"== {extraction.document.name}")
            _print_table(extraction.claims)
            if quotes:
                for q in extraction.quotes:
                    who = q.speaker.name if q.speaker else "?"
                    click.echo(f'  quote ({who}): "{clip(q.text, 100)}"')
    for outcome in report.skipped:
        click.echo(f"skipped {outcome.origin}: {outcome.reason}", err=True)
    if not any(o.status == "stored" for o in report.outcomes):
        raise SystemExit(1)


# --- queries ------------------------------------------------------------------------------------


def _resolve(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    from armstrace.extract.actors import resolve_actor

    code = resolve_actor(value)
    if code is None:
        raise click.BadParameter(f"unknown actor {value!r}", param_hint=option)
    return code


@main.command()
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
        supplier=_resolve(supplier, "--supplier"),
        recipient=_resolve(recipient, "--recipient"),
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
        _print_table(rows)


def _print_table(rows: Iterable[Claim]) -> None:
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


@main.command()
@click.argument("claim_id")
@db_option
def show(claim_id: str, db: str | None) -> None:
    """Show one claim: its fields, the evidence in its sentence, and the document.

    \b
    Example:
      armstrace show 3f9a2c71
    """
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
    click.echo(f"document   {document.name}  {document.title or ''}")
    click.echo(
        f"           {document.url or document.origin or ''}  "
        f"{document.published.isoformat() if document.published else 'undated'}"
    )


@main.command()
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


# --- eval -------------------------------------------------------------------------------------


@main.command(name="eval")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Gold claims JSONL (claims.md format).",
)
@click.option(
    "--quotes",
    "quotes_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Gold quotes JSONL.",
)
@click.option("--detail", is_flag=True, help="List missed and extra triples per document.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--by-rule",
    is_flag=True,
    help="Also list, per rule id and per status cue, the claims produced and how many are "
    "true and false positives on the gold.",
)
@prefilter_option
def eval_command(
    paths: tuple[str, ...],
    gold_path: str,
    quotes_path: str | None,
    detail: bool,
    as_json: bool,
    by_rule: bool,
    prefilter: bool,
) -> None:
    """Score extraction against gold claims, by the rules of claims.md.

    \b
    Example:
      armstrace eval --gold ../shared/dev-corpus/gold.jsonl \\
          --quotes ../shared/dev-corpus/quotes.jsonl ../shared/dev-corpus/texts
      armstrace eval --gold gold.jsonl --by-rule texts/   # precision of each rule
    """
    from armstrace.evaluate import format_report, load_gold, load_quotes, score
    from armstrace.jobs import extract_paths

    gold = load_gold(gold_path)
    gold_quotes = load_quotes(quotes_path) if quotes_path else None
    predicted: dict[str, list[dict[str, Any]]] = {}
    predicted_quotes: dict[str, list[dict[str, Any]]] = {}
    for extraction in extract_paths(paths, prefilter=prefilter):
        name = extraction.document.name
        predicted[name] = [{**c.contract(), "rule": c.rule} for c in extraction.claims]
        predicted_quotes[name] = [
            {"quote": q.text, "speaker": q.speaker.name if q.speaker else None}
            for q in extraction.quotes
        ]
    report = score(
        gold,
        predicted,
        gold_quotes=gold_quotes,
        predicted_quotes=predicted_quotes if gold_quotes is not None else None,
    )
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(format_report(report, detail=detail, by_rule=by_rule))


# --- demo ---------------------------------------------------------------------------------------


@main.command()
@click.option(
    "--db",
    default="armstrace-demo.db",
    show_default=True,
    help="Database to (re)create for the demo.",
)
@click.option("--examples", type=click.IntRange(min=0), default=8, show_default=True)
def demo(db: str, examples: int) -> None:
    """Ingest the bundled sample corpus into a fresh database and summarise what it found.

    \b
    Example:
      armstrace demo
      armstrace claims --db armstrace-demo.db --recipient Russia
    """
    from armstrace.jobs import ingest_paths
    from armstrace.kb.records import RecordFilter, count_records, list_records
    from armstrace.resources import data_path
    from armstrace.store import ClaimFilter, open_store

    corpus = data_path("demo")
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)
    click.echo(f"armstrace demo: ingesting the sample corpus in {corpus}")
    with open_store(db) as store:
        articles = sorted(str(path) for path in corpus.glob("*.txt"))
        report = ingest_paths(articles, store)
        stats = store.stats()
        rows = store.claims(ClaimFilter(), limit=None)
        records = count_records(store, RecordFilter())
        flagged = list_records(store, RecordFilter(embargo_only=True), limit=None)
    click.echo(
        f"{report.stored} documents stored, {report.claims} claims, {len(report.skipped)} skipped"
    )
    click.echo(
        f"{records} transfer records after merging across sources, {len(flagged)} touching an "
        "arms embargo in force\n"
    )
    _summary(
        "claims by supplier → recipient",
        {f"{s or '?'} → {r or '?'}": n for (s, r), n in stats.by_pair.items()},
    )
    _summary("claims by category", stats.by_category)
    _summary("claims by status", stats.by_status)
    shown = sorted(rows, key=lambda c: (c.status != "delivered", c.document_name))[:examples]
    if shown:
        click.echo(f"examples (armstrace show ID --db {db} for more):")
        for claim in shown:
            src = claim.source or "the author"
            click.echo(
                f"  [{claim.id[:8]}] {claim.supplier or '?'} → {claim.recipient or '?'} "
                f"{claim.category} ({claim.status}, per {src})"
            )
            click.echo(f"      “{clip(claim.evidence, 150)}”  — {claim.document_name}")
    if flagged:
        click.echo("\ntransfer records touching an embargo (armstrace transfer ID for more):")
        for record in flagged[:examples]:
            regimes = ", ".join(sorted({flag.regime for flag in record.embargo}))
            click.echo(
                f"  [{record.id[:10]}] {record.supplier or '?'} → {record.recipient or '?'} "
                f"{record.category} ({record.status}; {record.independent_sources} independent "
                f"source(s); {regimes})"
            )
    click.echo(
        f"\nDatabase: {db}. Try: armstrace transfers --db {db}, or armstrace serve --db {db} "
        "and open http://127.0.0.1:8000/"
    )


def _summary(title: str, counts: dict[str, int]) -> None:
    click.echo(title)
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {n:4}  {key}")
    click.echo("")


# --- knowledge base and analyst surfaces ------------------------------------------------------
# Their commands live beside their code; each module lists them in COMMANDS.

for _command in (*kb_commands.COMMANDS, export_command, *serve_commands.COMMANDS):
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
