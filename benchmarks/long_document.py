"""One very long article through a real `armstrace ingest`: wall time and peak memory.

    python -m benchmarks.long_document [--chars 1000000]

The article is written from the extraction benchmark's templates (seeded) as paragraphs of
about 600 words, a tenth of its sentences about arms. Peak memory is the child process's
maximum resident set size. Nothing is asserted; the figures go to docs/reliability.md.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.extraction import make_article

WORDS_PER_CHAR = 0.165  # of the generated prose, to reach the requested length


def long_article(chars: int, seed: int = 3) -> str:
    text = make_article(random.Random(seed), True, words=int(chars * WORDS_PER_CHAR))
    return text[:chars]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "long.txt")
        text = long_article(args.chars)
        path.write_text("TITLE: A very long article\n\n" + text, encoding="utf-8")
        command = [sys.executable, "-m", "armstrace.cli", "ingest", "--db", f"{folder}/l.db"]
        started = time.perf_counter()
        run = subprocess.run([*command, str(path)], capture_output=True, text=True)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(run.stdout.strip().splitlines()[-1] if run.stdout else run.stderr)
    print("| characters | exit | seconds | peak RSS (MB) |\n|---|---|---|---|")
    print(f"| {len(text):,} | {run.returncode} | {seconds:.1f} | {peak_mb:.0f} |")
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())
