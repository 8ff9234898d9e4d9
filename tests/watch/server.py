"""A feed server for the watch tests: a real HTTP server on 127.0.0.1 (http.server in a
thread) serving RSS and Atom with ETag/Last-Modified and 304s, HTML pages, a PDF report, a
feed that answers 500, one that answers 429 with Retry-After before it recovers, one that is
too slow, one with malformed XML, one without validators, and a wire copy under a second URL.
Every request is logged so tests can assert what was fetched. The texts are written for these
tests. Run `python -m tests.watch.server` to try `armstrace watch` by hand.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

ARTICLES = {
    "dprk-shells": (
        "Rail convoys carry shells north",
        "2024-03-04",
        "North Korea delivered tens of thousands of artillery shells to Russia by rail in "
        "February, the defence ministry in Seoul said on Monday. Officials said the freight "
        "trains crossed the Tumen river bridge at night and unloaded at a depot near Khasan. "
        "The ministry said the pace of deliveries had doubled since the autumn and that it "
        "expected the trains to keep running through the spring. Analysts in Seoul said the "
        "volume was larger than anything recorded in previous years.",
    ),
    "iran-drones": (
        "Drone parts on a Caspian ferry",
        "2024-03-05",
        "Iran has sent a new batch of Shahed drones to Russia across the Caspian Sea, two "
        "European officials said on Tuesday. The officials said the drones were loaded at "
        "Amirabad and taken to Makhachkala in sealed containers. They said the shipment was "
        "the third this year and that more were planned before the summer, although Tehran "
        "has not commented on the report. Shipping data showed the ferry leaving port late "
        "on Friday with its transponder switched off.",
    ),
    "dprk-missiles": (
        "Missiles follow the shells",
        "2024-03-06",
        "North Korea has also supplied ballistic missiles to Russia, a United States official "
        "said on Wednesday, citing debris recovered after a strike near Kharkiv. The official "
        "said the missiles arrived in Russia in January and were launched from mobile "
        "platforms. Pyongyang and Moscow have both dismissed such reports as fabrications, "
        "but the official said the debris carried markings that matched earlier test "
        "launches.",
    ),
}
# The wire copy: the shells story again under another address, headline and dateline.
WIRE_COPY = (
    "Seoul says rail convoys carry shells",
    "2024-03-04",
    "SEOUL (Newswire) - " + ARTICLES["dprk-shells"][2],
)
PANEL_PARAGRAPHS = (
    "The Panel continued to investigate the movement of munitions between the two states "
    "during the period under review and requested information from several Member States.",
    "The Panel examined satellite imagery of the rail terminal at Tumangang that showed "
    "covered wagons being loaded over several nights in December.",
    "According to two Member States, North Korea delivered 122mm rockets to Russia by rail "
    "in late 2023, and the Panel is seeking further information on the consignment.",
)


def page(title: str, day: str, text: str, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in text.split(". ") if sentence)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title>{link}"
        f'<meta property="article:published_time" content="{day}">'
        f"</head><body><nav>Home | World | Contact</nav><article><h1>{title}</h1>"
        f"{paragraphs}</article><footer>All rights reserved.</footer></body></html>"
    ).encode()


def panel_pdf() -> bytes:
    """A three-page report with numbered UN paragraphs (reportlab)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title="Report of the monitoring panel")
    flow = [Paragraph("Report of the monitoring panel", styles["Title"])]
    for number, text in enumerate(PANEL_PARAGRAPHS, start=44):
        flow.append(Paragraph(f"{number}. {text}", styles["BodyText"]))
        flow.append(PageBreak())
    document.build(flow[:-1])
    return buffer.getvalue()


def rss(base: str, items: list[tuple[str, str, str]], title: str = "Test wire") -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>{day}</pubDate></item>"
        for t, path, day in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
        f"</title><link>{base}/</link><description>test</description>{entries}</channel></rss>"
    ).encode()


def atom(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<entry><title>{t}</title><link href='{base}{path}'/><id>{base}{path}</id>"
        f"<updated>{day}</updated></entry>"
        for t, path, day in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Test reports</title><id>{base}/atom</id><updated>2024-03-06T00:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


RFC822 = {
    "2024-03-04": "Mon, 04 Mar 2024 08:00:00 GMT",
    "2024-03-05": "Tue, 05 Mar 2024 08:00:00 GMT",
    "2024-03-06": "Wed, 06 Mar 2024 08:00:00 GMT",
}


@dataclass
class FeedServer:
    """The server and what it was asked; `up()` starts it, `down()` stops it."""

    slow_seconds: float = 3.0
    busy_first: int = 1  # how many requests to /busy.xml answer 429 first
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, status)
    rss_items: list[tuple[str, str, str]] = field(default_factory=list)
    pdf: bytes = b""

    def __post_init__(self) -> None:
        self.rss_items = [
            (ARTICLES["dprk-shells"][0], "/news/dprk-shells.html?utm_source=rss",
             RFC822["2024-03-04"]),
            (ARTICLES["iran-drones"][0], "/news/iran-drones.html", RFC822["2024-03-05"]),
            (WIRE_COPY[0], "/wire/seoul-rail-shells.html", RFC822["2024-03-04"]),
        ]  # fmt: skip
        self._lock = threading.Lock()
        self.hits: Counter[str] = Counter()

    # --- content ---------------------------------------------------------------------------

    def body(self, path: str) -> tuple[int, dict[str, str], bytes]:
        base = self.base
        if path == "/rss.xml":
            return self._validated(rss(base, self.rss_items), "application/rss+xml")
        if path == "/atom.xml":
            items = [
                (ARTICLES["dprk-missiles"][0], "/news/dprk-missiles.html", "2024-03-06T08:00:00Z"),
                ("Panel report", "/reports/panel-report.pdf", "2024-03-06T09:00:00Z"),
            ]
            return self._validated(atom(base, items), "application/atom+xml")
        if path == "/plain.xml":  # no ETag, no Last-Modified: the body hash decides
            item = [(ARTICLES["iran-drones"][0], "/news/iran-drones.html", RFC822["2024-03-05"])]
            return 200, {"Content-Type": "application/rss+xml"}, rss(base, item, "Plain")
        if path == "/broken.xml":
            return 200, {"Content-Type": "application/rss+xml"}, b"<rss><channel><item><title>x<"
        if path == "/error.xml":
            return 500, {"Content-Type": "text/plain"}, b"internal error"
        if path == "/busy.xml":
            if self.hits[path] <= self.busy_first:
                return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down"
            item = [(ARTICLES["dprk-shells"][0], "/news/dprk-shells.html", RFC822["2024-03-04"])]
            return 200, {"Content-Type": "application/rss+xml"}, rss(base, item, "Busy")
        if path == "/slow.xml":  # the handler sleeps first, outside the lock
            return 200, {"Content-Type": "application/rss+xml"}, rss(base, [], "Slow")
        if path == "/redirect-to-file.xml":
            return 302, {"Location": "file:///etc/passwd"}, b""
        if path == "/reports/panel-report.pdf":
            return 200, {"Content-Type": "application/pdf"}, self.pdf
        if path.startswith("/news/") and path.endswith(".html"):
            key = path.removeprefix("/news/").removesuffix(".html")
            if key in ARTICLES:
                title, day, text = ARTICLES[key]
                return 200, {"Content-Type": "text/html; charset=utf-8"}, page(title, day, text)
        if path == "/wire/seoul-rail-shells.html":
            title, day, text = WIRE_COPY
            return 200, {"Content-Type": "text/html; charset=utf-8"}, page(title, day, text)
        return 404, {"Content-Type": "text/plain"}, b"not found"

    def _validated(self, body: bytes, kind: str) -> tuple[int, dict[str, str], bytes]:
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = format_datetime(datetime(2024, 3, 6, 12, 0, tzinfo=UTC), usegmt=True)
        headers = {"Content-Type": kind, "ETag": etag, "Last-Modified": modified}
        if self._request_headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, headers, body

    # --- serving ---------------------------------------------------------------------------

    def up(self) -> FeedServer:
        server = self
        if not self.pdf:
            self.pdf = panel_pdf()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path == "/slow.xml":
                    time.sleep(server.slow_seconds)
                with server._lock:
                    server.hits[path] += 1
                    server._request_headers = dict(self.headers)
                    status, headers, body = server.body(path)
                server.requests.append(("GET", path, status))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)  # a client that timed out has gone

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._request_headers: dict[str, str] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def down(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def statuses(self, path: str) -> list[int]:
        return [status for _, p, status in self.requests if p == path]


if __name__ == "__main__":
    running = FeedServer().up()
    print(f"feed server on {running.base} (/rss.xml, /atom.xml, /error.xml, ...); Ctrl-C stops")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        running.down()
