"""CLI commands that read texts: `ingest` (extract and store), `extract` (print without
storing) and `eval` (score extraction against gold files).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from armstrace.cli.claims import print_claims
from armstrace.cli.options import (
    clip,
    db_option,
    format_option,
    min_score_option,
    prefilter_option,
)


@click.command()
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
@min_score_option
@click.option("--quiet", "-q", is_flag=True, help="Only print the summary.")
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    max_mb: float,
    prefilter: bool,
    min_score: float | None,
    quiet: bool,
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
                min_score=min_score,
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


@click.command()
@click.argument("paths", nargs=-1, required=True)
@format_option("jsonl", "table")
@click.option("--quotes", is_flag=True, help="Add each document's quotes with their speakers.")
@prefilter_option
@min_score_option
def extract(
    paths: tuple[str, ...], fmt: str, quotes: bool, prefilter: bool, min_score: float | None
) -> None:
    """Extract claims without storing them; JSONL follows the claim contract (claims.md).

    \b
    Example:
      armstrace extract article.txt
      armstrace extract --format table --quotes news/
      armstrace extract --min-score 0 article.txt   # every claim the rules find, with its score
    """
    from armstrace.jobs import IngestReport, extract_paths

    report = IngestReport()
    for extraction in extract_paths(
        paths, stdin=sys.stdin, report=report, prefilter=prefilter, min_score=min_score
    ):
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
            print_claims(extraction.claims)
            if quotes:
                for q in extraction.quotes:
                    who = q.speaker.name if q.speaker else "?"
                    click.echo(f'  quote ({who}): "{clip(q.text, 100)}"')
    for outcome in report.skipped:
        click.echo(f"skipped {outcome.origin}: {outcome.reason}", err=True)
    if not any(o.status == "stored" for o in report.outcomes):
        raise SystemExit(1)


@click.command(name="eval")
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
@min_score_option
def eval_command(
    paths: tuple[str, ...],
    gold_path: str,
    quotes_path: str | None,
    detail: bool,
    as_json: bool,
    by_rule: bool,
    prefilter: bool,
    min_score: float | None,
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
    for extraction in extract_paths(paths, prefilter=prefilter, min_score=min_score):
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


COMMANDS: list[click.Command] = [ingest, extract, eval_command]
