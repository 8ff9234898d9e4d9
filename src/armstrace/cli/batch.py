"""`armstrace batch`: extract an archive to Parquet on local processes or Apache Spark, and
optionally load it into a store (armstrace.batch)."""

from __future__ import annotations

import json

import click

from armstrace.cli.options import DB_HELP, min_score_option, prefilter_option


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the Parquet output (documents/, claims/, quotes/, notes/, problems/).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="local: worker processes on this machine; spark: Apache Spark (pyspark, Java 17+).",
)
@click.option(
    "--workers", type=click.IntRange(1, 512), help="Local worker processes (default: one per core)."
)
@click.option(
    "--master",
    default="local[*]",
    show_default=True,
    help="Spark master URL: local[N] on this machine, or spark://host:7077 for a cluster.",
)
@click.option(
    "--db",
    default=None,
    help="Also load the output into this database. " + DB_HELP.split(" (")[0] + ".",
)
@prefilter_option
@min_score_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def batch(
    inputs: tuple[str, ...],
    out: str,
    engine: str,
    workers: int | None,
    master: str,
    db: str | None,
    prefilter: bool,
    min_score: float | None,
    as_json: bool,
) -> None:
    """Extract an archive to Parquet: JSONL, Parquet (id, url, title, date, text), WARC
    (.warc, .warc.gz, as Common Crawl News ships them) and folders of .txt/.html.

    Bad input (a broken WARC record, a malformed Parquet row, undecodable text) is counted and
    listed in problems/, and the rest of the batch goes on. Re-running a batch rewrites the same
    files; with --db, loading them again changes nothing. See docs/scale.md.

    \b
    Example:
      armstrace batch news/ --out batch-out
      armstrace batch cc-news.warc.gz --out out --engine spark --prefilter
      armstrace batch archive.parquet --out out --db postgresql://arms@localhost/arms
    """
    from armstrace.batch import run_batch

    report = run_batch(
        inputs,
        out,
        engine=engine,
        workers=workers,
        master=master,
        prefilter=prefilter,
        min_score=min_score,
        db=db,
        progress=lambda message: click.echo(message, err=True),
    )
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    for origin, reason in report.problems:
        click.echo(f"skipped  {origin}: {reason}")
    seconds = report.seconds
    click.echo(
        f"{report.documents:,} documents, {report.claims:,} claims, {report.quotes:,} quotes "
        f"from {report.splits:,} splits in {seconds['total']:.1f} s ({report.engine}; "
        f"engine start {seconds.get('engine_start', 0):.1f} s); {report.skipped:,} skipped and "
        f"{report.duplicates:,} duplicates (see {out}/problems/)"
    )
    if report.loaded is not None:
        loaded = report.loaded
        click.echo(
            f"loaded {loaded['documents']:,} new documents ({loaded['unchanged']:,} already "
            f"stored), {loaded['claims']:,} claims; {report.records:,} transfer records"
        )
    if report.documents == 0 and report.skipped + len(report.problems) > 0:
        raise SystemExit(1)


COMMANDS: list[click.Command] = [batch]
