"""Extraction benchmark on a generated corpus: `make bench` / `python -m benchmarks.extraction`.

The corpus is written by this module from templates (seeded, so every run reads the same text):
arms-relevant articles of about 600 words and unrelated ones of the same length. It measures
documents/s and words/s for (a) bare `nlp.pipe`, (b) the full extractor, (c) a mixed corpus where
10% of the articles are about arms and the keyword prefilter lets the rest skip the parse, each
with 1 and 2 processes. Nothing here is asserted; the figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass

from armstrace.records import Document

SUPPLIERS = [
    "Iran",
    "North Korea",
    "the United States",
    "Germany",
    "China",
    "Belarus",
    "Pyongyang",
    "Tehran",
    "France",
    "the United Kingdom",
]
RECIPIENTS = ["Russia", "Ukraine", "the Houthis", "Moscow", "Kyiv", "Wagner", "Poland", "Taiwan"]
ITEMS = [
    "artillery shells",
    "122mm rockets",
    "Shahed-136 drones",
    "ballistic missiles",
    "air defence systems",
    "Leopard 2 tanks",
    "155mm rounds",
    "assault rifles",
    "machine tools",
    "microelectronics",
    "attack drones",
    "anti-tank missiles",
]
ARMS_TEMPLATES = [
    "{s} has delivered {q} {i} to {r}, officials said on {d}.",
    "According to a senior official, {r} is seeking to buy {i} from {s}.",
    "{s} may send {q} {i} to {r} later this year, analysts said.",
    "The shipment of {i} from {s} to {r} was seized by naval forces in the {sea}.",
    '"We have seen {s} supply {i} to {r} in large numbers," said {p}, a spokesperson.',
    "{s} denied that it had sold any {i} to {r}.",
    "{r} received {q} {i} from {s} by rail, according to satellite images.",
    "Officials in {s} approved a plan to provide {r} with {i}.",
]
FILLER = [
    "The central bank left interest rates unchanged on {d}, citing steady inflation.",
    "Farmers in the north reported a strong harvest despite a dry spring.",
    "The city council voted to extend the tram line to the new hospital.",
    "Tourism numbers rose for the third year in a row, the ministry said.",
    "A new museum of modern art opened its doors to the public on {d}.",
    "The national football team won its qualifying match by two goals.",
    "Heavy rain caused delays on several motorways during the morning commute.",
    "Researchers published a study on the migration of birds across the region.",
    "Parliament debated a bill on school funding for more than six hours.",
    "The company announced record profits and plans to hire more engineers.",
    "Energy prices fell slightly as mild weather reduced demand for heating.",
    "Voters will elect a new mayor in the autumn, the election commission said.",
    "Diplomats met in Geneva to discuss trade tariffs and shipping routes.",
    "The government said it would invest in rural broadband over five years.",
]
QUANTITIES = ["hundreds of", "dozens of", "thousands of", "more than 1,000", "several", "two"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SEAS = ["Arabian Sea", "Red Sea", "Gulf of Oman"]
PEOPLE = ["Anna Keller", "David Morgan", "Lena Hoffmann", "Samuel Reyes"]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        s=rng.choice(SUPPLIERS),
        r=rng.choice(RECIPIENTS),
        i=rng.choice(ITEMS),
        q=rng.choice(QUANTITIES),
        d=rng.choice(DAYS),
        sea=rng.choice(SEAS),
        p=rng.choice(PEOPLE),
    )


def make_article(rng: random.Random, arms: bool, words: int = 600) -> str:
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(3):
            pool = ARMS_TEMPLATES if arms and rng.random() < 0.3 else FILLER
            sentence = _fill(rng.choice(pool), rng)
            sentences.append(sentence)
            count += len(sentence.split())
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def make_corpus(n: int, arms_share: float, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        arms = i < round(n * arms_share) if arms_share < 1 else True
        docs.append(Document.make(make_article(rng, arms), f"bench-{i:05d}"))
    rng.shuffle(docs)
    return docs


@dataclass(frozen=True)
class Result:
    name: str
    processes: int
    documents: int
    words: int
    seconds: float

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds


def _chunks(docs: Sequence[Document], parts: int) -> list[list[Document]]:
    return [list(docs[i::parts]) for i in range(parts)]


def _bare(docs: list[Document]) -> int:
    from armstrace.nlp import get_nlp

    nlp = get_nlp()
    return sum(1 for _ in nlp.pipe((d.text for d in docs), batch_size=16))


def _full(docs: list[Document]) -> int:
    from armstrace.extract.document import extract_documents

    return sum(len(e.claims) for e in extract_documents(docs))


def _prefiltered(docs: list[Document]) -> int:
    from armstrace.extract.document import extract_documents

    return sum(len(e.claims) for e in extract_documents(docs, prefilter=True))


def _warm(_: int) -> int:
    from armstrace.extract.document import extract_document
    from armstrace.records import Document as Doc

    extract_document(Doc.make("Iran sent drones to Russia.", "warm"))
    return 0


def run(
    name: str, func: Callable[[list[Document]], int], docs: list[Document], processes: int
) -> Result:
    words = sum(len(d.text.split()) for d in docs)
    if processes == 1:
        _warm(0)
        start = time.perf_counter()
        func(docs)
        elapsed = time.perf_counter() - start
    else:
        with ProcessPoolExecutor(max_workers=processes) as pool:
            list(pool.map(_warm, range(processes)))
            start = time.perf_counter()
            list(pool.map(func, _chunks(docs, processes)))
            elapsed = time.perf_counter() - start
    return Result(name, processes, len(docs), words, elapsed)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arms-docs", type=int, default=200)
    parser.add_argument("--mixed-docs", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    arms = make_corpus(args.arms_docs, 1.0)
    mixed = make_corpus(args.mixed_docs, 0.1, seed=11)
    results = []
    for processes in (1, 2):
        results.append(run("bare nlp.pipe (arms)", _bare, arms, processes))
        results.append(run("full extractor (arms)", _full, arms, processes))
        results.append(run("prefiltered (10% arms)", _prefiltered, mixed, processes))
    if args.json:
        print(json.dumps([asdict(r) | {"docs_per_s": r.docs_per_s} for r in results], indent=2))
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"{'run':26} {'procs':>5} {'docs':>6} {'words':>8} {'seconds':>8} {'docs/s':>8} "
        f"{'words/s':>9}"
    )
    for r in results:
        print(
            f"{r.name:26} {r.processes:5} {r.documents:6} {r.words:8} {r.seconds:8.2f} "
            f"{r.docs_per_s:8.1f} {r.words_per_s:9.0f}"
        )


if __name__ == "__main__":
    main()
