"""A bounded loopback load test of a real `armstrace serve`, ordinary reads mixed with the probes
of issue 11, reporting status codes, latency percentiles and the server's memory.

    python -m benchmarks.load [--requests 2000] [--workers 8] [--claims 5000]

The database is generated (benchmarks/api.py, no spaCy); the server runs in its own process on
127.0.0.1 with a write token and a 1 MB body limit. Every request has a timeout, so the run is
bounded. Prints markdown tables; exits 1 if any answer is a 5xx. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from benchmarks.api import build_database

TOKEN = "load-token-9e1d"
MAX_BODY_MB = 1
TIMEOUT = 60.0
BIG = str(2**63)

Probe = Callable[[httpx.Client, str], int]


def get(path: str, **headers: str) -> Probe:
    return lambda client, url: client.get(url + path, headers=headers).status_code


def post(path: str, body: bytes, **headers: str) -> Probe:
    return lambda client, url: client.post(url + path, content=body, headers=headers).status_code


AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
DOCUMENT = (
    b'{"documents": [{"text": "Iran has delivered attack drones to Russia, officials said.", '
    b'"name": "=cmd|calc"}]}'
)
# kind -> (weight in the mix, probe)
PROBES: dict[str, tuple[int, Probe]] = {
    "read: stats, lists, filters": (40, get("/api/claims?supplier=Iran&limit=50")),
    "read: records, graph, map": (20, get("/api/transfers?actor=PRK&min_sources=1")),
    "read: dashboard page": (5, get("/")),
    "search: FTS syntax": (5, get("/api/search?q=AND%20OR%20NEAR(%22*%20-%3A")),
    "huge integers (2^63)": (5, get(f"/api/claims?offset={BIG}")),
    "huge min_sources": (2, get(f"/api/transfers?min_sources={BIG}")),
    "XSS in a filter": (5, get("/api/claims?supplier=%3Cscript%3Ealert(1)%3C/script%3E")),
    "SQL in an id": (5, get("/api/transfers/%27%3B%20DROP%20TABLE%20claims%3B--")),
    "path traversal": (3, get("/static/..%2f..%2f..%2fetc%2fpasswd")),
    "foreign Host header (DNS rebinding)": (5, get("/api/stats", Host="attacker.example")),
    "write without a token": (3, post("/api/ingest", DOCUMENT)),
    "write with a wrong token": (2, post("/api/ingest", DOCUMENT, Authorization="Bearer no")),
    "body over the limit (2 MB)": (2, post("/api/ingest", b" " * (2 << 20), **AUTH)),
    "write with the token": (1, post("/api/ingest", DOCUMENT, **AUTH)),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) of a process in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "armstrace.cli", "serve", "--db", str(db), "--port", str(port),
         "--max-body-mb", str(MAX_BODY_MB)],
        env={**os.environ, "ARMSTRACE_TOKEN": TOKEN},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/api/stats", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def unauthenticated_floods(url: str, senders: int = 4, megabytes: int = 100) -> Counter[str]:
    """`senders` connections at once, each announcing and pushing `megabytes` without a token:
    how each ended (the status line answered, or how the server cut it off)."""
    port = int(url.rsplit(":", 1)[1])
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def flood() -> None:
        head = (
            f"POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {megabytes << 20}"
            "\r\nContent-Type: application/json\r\n\r\n"
        ).encode()
        chunk = b" " * 65536
        outcome = "sent whole"
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
            try:
                sock.sendall(head)
                for _ in range((megabytes << 20) // len(chunk)):
                    sock.sendall(chunk)
                answer = sock.recv(64)
            except OSError as exc:
                outcome = f"cut off ({type(exc).__name__})"
                answer = b""
            if answer:
                outcome = answer.split(b"\r\n", 1)[0].decode()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=flood) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    return outcomes


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--claims", type=int, default=5000)
    args = parser.parse_args(argv)
    rng = random.Random(11)
    kinds = list(PROBES)
    plan = rng.choices(kinds, weights=[PROBES[k][0] for k in kinds], k=args.requests)
    results: dict[str, list[tuple[int, float]]] = defaultdict(list)
    lock = threading.Lock()
    local = threading.local()

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder, "load.db")
        build_database(db, args.claims)
        process, url = start_server(db)
        try:
            before = memory_mb(process.pid)

            def one(kind: str) -> None:
                if not hasattr(local, "client"):
                    local.client = httpx.Client(timeout=TIMEOUT)
                started = time.perf_counter()
                try:
                    status = PROBES[kind][1](local.client, url)
                except httpx.HTTPError:
                    status = 0  # no answer within the timeout, or the connection dropped
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    results[kind].append((status, elapsed))

            started = time.perf_counter()
            with ThreadPoolExecutor(args.workers) as pool:
                list(pool.map(one, plan))
            seconds = time.perf_counter() - started
            after_mix = memory_mb(process.pid)
            floods = unauthenticated_floods(url)
            after_floods = memory_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)

    rate = args.requests / seconds
    print(f"{args.requests} requests, {args.workers} at a time, in {seconds:.1f} s ({rate:.0f}/s)")
    print(f"database of {args.claims:,} generated claims\n")
    print("| probe | requests | statuses | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---|---:|---:|---:|---:|")
    every: list[float] = []
    statuses: Counter[int] = Counter()
    for kind in kinds:
        rows = results.get(kind, [])
        if not rows:
            continue
        times = [t for _, t in rows]
        every += times
        counts = Counter(s for s, _ in rows)
        statuses.update(counts)
        shown = ", ".join(f"{s}×{n}" for s, n in sorted(counts.items()))
        print(
            f"| {kind} | {len(rows)} | {shown} | {statistics.median(times):.0f} | "
            f"{percentile(times, 0.95):.0f} | {percentile(times, 0.99):.0f} | {max(times):.0f} |"
        )
    print(
        f"| **all** | {len(every)} | | {statistics.median(every):.0f} | "
        f"{percentile(every, 0.95):.0f} | {percentile(every, 0.99):.0f} | {max(every):.0f} |"
    )
    errors = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
    print(f"\n5xx or no answer: {errors}")
    print(f"4 × 100 MB without a token: {dict(floods)}")
    print(
        f"server memory (RSS / peak, MB): start {before[0]:.0f} / {before[1]:.0f}, after the mix "
        f"{after_mix[0]:.0f} / {after_mix[1]:.0f}, after the floods {after_floods[0]:.0f} / "
        f"{after_floods[1]:.0f}"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
