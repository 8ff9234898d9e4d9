"""The `armstrace demo` command: ingest the bundled sample corpus and summarise what it found."""

from __future__ import annotations

from pathlib import Path

import click

from armstrace.cli.options import clip


@click.command()
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
    from armstrace.kb.transfer_records import RecordFilter, count_records, list_records
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


COMMANDS: list[click.Command] = [demo]
