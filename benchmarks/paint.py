"""First paint of the dashboard on a large database, timed in headless Chromium.

    python -m benchmarks.api --db big.db      # builds 50,000 generated claims
    python -m benchmarks.paint --db big.db    # serves it and times the dashboard

"First paint" here is what an analyst waits for: from navigation until the network graph has
drawn its edges, the map its countries and the timeline its bars. Each run is timed twice: with
the view cache as the server keeps it, and with the cache emptied first, as after an ingest
(the page load then computes the views). Prints a markdown table; nothing is asserted (speed is
measured, never tested).
"""

from __future__ import annotations

import argparse
import socket
import threading
import time

from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS

# Selectors rather than a JavaScript predicate: the page's CSP forbids eval.
DRAWN = ("#app[data-ready]", "#graph .edge", "#map path.country", "#timeline rect.bar")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="an armstrace database (see benchmarks/api.py)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import uvicorn
    from playwright.sync_api import sync_playwright

    from armstrace.serve.app import create_app

    port = _free_port()
    app = create_app(args.db)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/"
    print("| run | cache | first paint (s) |\n|---|---|---|")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for run in range(args.repeat):
                for cache in ("as kept", "emptied"):
                    if cache == "emptied":
                        app.state.database.views.clear()
                    page = browser.new_page(viewport={"width": 1280, "height": 800})
                    started = time.perf_counter()
                    page.goto(url)
                    for selector in DRAWN:
                        page.wait_for_selector(selector, state="attached", timeout=60_000)
                    print(f"| {run + 1} | {cache} | {time.perf_counter() - started:.2f} |")
                    page.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
