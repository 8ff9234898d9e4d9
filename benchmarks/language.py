"""The English gate (armstrace.ingest.language) measured on English and on thirteen other
languages, whole texts and sentence by sentence.

    python -m benchmarks.language [--corpus ../shared/dev-corpus/texts ...]

English: the texts of the dev corpora (when present beside the repository) and every sentence of
them of three words or more, fragments and datelines included. Other languages: the texts
written for the tests (tests/ingest/fixtures/other-languages.jsonl) and their sentences. Reports
how many are accepted as English, the lowest English probability among the English ones and
the highest among the others, and the time per call. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from armstrace.ingest.language import MIN_ENGLISH_PROBABILITY, detect_english, identifier
from armstrace.ingest.readers import split_header

ROOT = Path(__file__).resolve().parent.parent
DEV_CORPORA = (
    ROOT.parent / "shared/dev-corpus/texts",
    ROOT.parent / "shared/dev-corpus-news/texts",
)
OTHER = ROOT / "tests/ingest/fixtures/other-languages.jsonl"
_SENTENCE = re.compile(r"(?<=[.!?。])\s*")


def sentences(text: str) -> list[str]:
    found = _SENTENCE.split(text)
    return [
        s for s in found if any(c.isalpha() for c in s) and (len(s.split()) >= 3 or not s.isascii())
    ]


def row(name: str, texts: list[str], english: bool) -> str:
    started = time.perf_counter()
    guesses = [detect_english(t) for t in texts]
    ms = (time.perf_counter() - started) / max(len(texts), 1) * 1000
    accepted = sum(g.is_english for g in guesses)
    scores = [g.score for g in guesses]
    extreme = min(scores) if english else max(scores)
    share = accepted / len(texts) if texts else 0.0
    return (
        f"| {name} | {len(texts)} | {accepted} ({share:.1%}) | "
        f"{'lowest' if english else 'highest'} {extreme:.2g} | {ms:.2f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", type=Path, help="folders of English .txt")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    identifier()
    print(f"model load: {time.perf_counter() - started:.2f} s; threshold {MIN_ENGLISH_PROBABILITY}")
    print("| texts | n | accepted as English | English probability | ms per call |")
    print("|---|---|---|---|---|")
    for folder in args.corpus or [f for f in DEV_CORPORA if f.is_dir()]:
        bodies = [
            split_header(p.read_text(encoding="utf-8"))[1] for p in sorted(folder.glob("*.txt"))
        ]
        print(row(f"{folder.parent.name}: whole texts", bodies, english=True))
        print(
            row(f"{folder.parent.name}: sentences", [s for b in bodies for s in sentences(b)], True)
        )
    others = [json.loads(line) for line in OTHER.read_text(encoding="utf-8").splitlines()]
    languages = ", ".join(o["language"] for o in others)
    print(row(f"other languages ({languages}): whole texts", [o["text"] for o in others], False))
    print(
        row("other languages: sentences", [s for o in others for s in sentences(o["text"])], False)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
