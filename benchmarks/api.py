"""Benchmark of the REST API at scale: 50,000 synthetic claims, every list endpoint timed.

Run: `python -m benchmarks.api [--claims 50000] [--db FILE]`. Claims are generated and
saved through `store.save` (no spaCy), so the numbers measure the API and the store only.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from armstrace.records import CATEGORIES, STATUSES, Claim, Document, Extraction, Speaker
from armstrace.store import open_store

CLAIMS_PER_DOCUMENT = 5
TARGET_SECONDS = 1.0
ACTORS = (
    "RUS", "IRN", "PRK", "UKR", "USA", "CHN", "BLR", "DEU", "FRA", "GBR", "POL", "TUR", "ISR",
    "IND", "PAK", "SAU", "ARE", "EGY", "SYR", "YEM", "VEN", "CUB", "MMR", "ROU", "KOR", "JPN",
    "TWN", "Houthis", "Hezbollah", "Wagner",
)  # fmt: skip
VIA = ("TUR", "ARE", "Caspian Sea", "Middle East", "North Africa", "Arabian Sea")
ROUTE = ("Tumangang", "Khasan", "Rajin", "Vostochny", "Pyongyang", "Moscow", "Tehran")
OUTLETS = ("Meridian Wire", "Continental Press", "Harbour Daily", "The Ledger")


def synthetic_extraction(number: int, rng: random.Random) -> Extraction:
    """One document with CLAIMS_PER_DOCUMENT claims of distinct (supplier, recipient, category)."""
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    keys: set[tuple[str, str, str]] = set()
    while len(keys) < CLAIMS_PER_DOCUMENT:
        supplier, recipient = rng.sample(ACTORS, 2)
        keys.add((supplier, recipient, rng.choice(CATEGORIES)))
    sentences = [
        f"Officials said {s} had sent {c.replace('_', ' ')} equipment to {r} (item {number}-{i})."
        for i, (s, r, c) in enumerate(sorted(keys))
    ]
    text = f"Synthetic benchmark report {number}. " + " ".join(sentences)
    document = Document.make(
        text,
        f"bench-{number:06d}",
        title=f"Synthetic report {number}",
        published=published,
        outlet=rng.choice(OUTLETS),
        url=f"https://example.org/bench/{number}",
    )
    claims = []
    for sentence, (supplier, recipient, category) in zip(sentences, sorted(keys), strict=True):
        start = text.index(sentence)
        claims.append(
            Claim(
                document_id=document.id,
                supplier=supplier,
                recipient=recipient,
                category=category,
                status=rng.choice(STATUSES),
                items=(f"{category} equipment",),
                evidence=sentence,
                evidence_start=start,
                evidence_end=start + len(sentence),
                sentence=sentence,
                sentence_start=start,
                via=(rng.choice(VIA),) if rng.random() < 0.2 else (),
                route=tuple(rng.sample(ROUTE, 2)) if rng.random() < 0.1 else (),
                source="Officials",
                speaker=Speaker("Officials"),
                claim_date=published - timedelta(days=rng.randrange(30)),
                rule="bench",
                document_name=document.name,
            )
        )
    return Extraction(document=document, claims=tuple(claims))


def build_database(path: Path, claims: int, seed: int = 5) -> float:
    """Fill `path` with `claims` synthetic claims; returns the seconds it took."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with open_store(path) as store:
        for number in range(claims // CLAIMS_PER_DOCUMENT):
            store.save(synthetic_extraction(number, rng))
        try:
            from armstrace.kb.transfer_records import refresh_records
        except ModuleNotFoundError:
            pass
        else:
            refresh_records(store)
    return time.perf_counter() - started


def calls(totals: dict[str, int]) -> list[str]:
    """First page, a filtered page and the last page of every list endpoint, and the rest."""
    out = ["/", "/api/stats"]
    for endpoint in ("documents", "claims", "transfers", "actors"):
        out.append(f"/api/{endpoint}")
        if endpoint in ("claims", "transfers"):
            out.append(f"/api/{endpoint}?supplier=Iran&category=missile&since=2020-01-01")
            out.append(f"/api/{endpoint}?actor=PRK&status=delivered&until=2019-12-31")
        out.append(f"/api/{endpoint}?limit=50&offset={max(totals.get(endpoint, 0) - 50, 0)}")
    out += [
        "/api/search?q=missile%20Iran&limit=20",
        "/api/graph",
        "/api/graph?category=uav&since=2022-01-01",
        "/api/map",
        "/api/map?supplier=PRK",
        "/api/timeline",
        "/api/timeline?recipient=RUS&status=delivered",
    ]
    return out


def run(path: str | Path, repeat: int) -> list[tuple[str, int, float, float, float]]:
    """(call, status, uncached ms, median ms, max ms) of each call. The uncached time is the
    first call with the view cache emptied (as after an ingest); the others are timed after it,
    as every later dashboard load is."""
    from fastapi.testclient import TestClient

    from armstrace.serve.app import create_app

    results = []
    app = create_app(str(path))
    with TestClient(app, base_url="http://localhost") as client:
        totals = {
            endpoint: int(client.get(f"/api/{endpoint}?limit=1").json().get("total", 0))
            for endpoint in ("documents", "claims", "transfers", "actors")
        }
        client.get("/api/graph")  # imports the record engine, once per process
        for url in calls(totals):
            app.state.database.views.clear()
            started = time.perf_counter()
            status = client.get(url).status_code
            uncached = (time.perf_counter() - started) * 1000
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            results.append((url, status, uncached, statistics.median(times), max(times)))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.api")
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--db", help="reuse or create this file (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.db) if args.db else Path(folder) / "bench.db"
        if not path.exists():
            seconds = build_database(path, args.claims)
            print(f"generated {args.claims} claims in {seconds:.1f} s ({path})\n")
        results = run(path, args.repeat)
    print("| call | status | uncached ms | median ms | max ms |")
    print("|---|---|---:|---:|---:|")
    for url, status, uncached, median, worst in results:
        print(f"| `{url}` | {status} | {uncached:.0f} | {median:.0f} | {worst:.0f} |")
    slow = [r[0] for r in results if max(r[2], r[4]) > TARGET_SECONDS * 1000]
    failed = [r[0] for r in results if r[1] >= 500]
    print(
        f"\n{len(results)} calls; over {TARGET_SECONDS:.0f} s: {slow or 'none'};"
        f" 5xx: {failed or 'none'}"
    )
    return 1 if slow or failed else 0


if __name__ == "__main__":
    sys.exit(main())
