"""`armstrace train`: fit the learned claim score on gold corpora (armstrace.learn)."""

from __future__ import annotations

import click

from armstrace.errors import InputError


@click.command()
@click.argument("corpora", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Model file to write (default: the package's data/claim_score.json).",
)
def train(corpora: tuple[str, ...], out: str | None) -> None:
    """Train the claim score on gold corpora (folders with gold.jsonl and texts).

    Cross-validates across documents, chooses the threshold, and writes the model; the same
    corpora give the same file. Needs scikit-learn (pip install 'armstrace[train]').

    \b
    Example:
      armstrace train ../shared/dev-corpus ../shared/dev-corpus-news eval/tune-news
    """
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise InputError(
            "training needs scikit-learn: pip install 'armstrace[train]' (or make train)"
        ) from exc
    from armstrace.extract.claim_score import MODEL_FILE
    from armstrace.learn import Corpus, write_model
    from armstrace.learn import train as train_model
    from armstrace.resources import data_path

    folders = [Corpus.at(path) for path in corpora]
    count = 0

    def progress(_name: str) -> None:
        nonlocal count
        count += 1
        if count % 10 == 0:
            click.echo(f"  extracted {count} documents", err=True)

    report = train_model(folders, progress)
    target = out or str(data_path(MODEL_FILE))
    write_model(report.model, target)
    for line in report.lines():
        click.echo(line)
    click.echo(f"wrote {target}")


COMMANDS: list[click.Command] = [train]
