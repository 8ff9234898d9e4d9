"""From a feed entry to a Document: the canonical URL (so a story met under two addresses is
fetched once), the page fetched and its main text taken with trafilatura (PDF reports read page
by page), and the page's own date kept beside the feed's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from armstrace.ingest.readers import ReadResult, Source, decode, parse_html, parse_txt, skipped
from armstrace.records import Document
from armstrace.watch.feeds import FeedEntry

__all__ = ["Article", "canonical_url", "page_canonical", "read_article"]

# Query parameters that only track who clicked where: dropped from canonical URLs.
TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|at_[a-z]+|ref|rss)$")
_CANONICAL_LINK = re.compile(r"<link\b[^>]*\brel=[\"']?canonical[\"']?[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """The URL with its host lower-cased, default port, fragment and tracking parameters gone,
    and no trailing slash on the path: the key under which a story is fetched once."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(key, value) for key, value in pairs if not TRACKING.match(key)]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def page_canonical(html: str, base: str) -> str | None:
    """The page's own <link rel="canonical">, made absolute, if it names an http(s) URL."""
    from urllib.parse import urljoin

    tag = _CANONICAL_LINK.search(html[:200_000])
    href = _HREF.search(tag.group(0)) if tag else None
    if href is None:
        return None
    url = urljoin(base, href.group(1).strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


@dataclass(frozen=True, slots=True)
class Article:
    """A read article (or the reason it could not be read), with both dates."""

    entry: FeedEntry
    url: str  # canonical
    result: ReadResult
    page_date: date | None = None

    @property
    def document(self) -> Document | None:
        return self.result.document


def _name(url: str) -> str:
    parts = urlsplit(url)
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.hostname or "article"
    return re.sub(r"\.(html?|php|aspx?|pdf)$", "", tail)[:80] or "article"


def read_article(
    entry: FeedEntry, url: str, body: bytes, content_type: str
) -> tuple[Article, str | None]:
    """The document of a fetched page, and the page's canonical URL when it declares one.

    The document's date is the page's own when it gives one, else the feed's; its title is the
    page's, else the feed's; its outlet the page's site name, else the host.
    """
    origin = url
    canonical: str | None = None
    if content_type == "application/pdf" or body[:5] == b"%PDF-":
        from armstrace.ingest.pdf import pdf_results

        results = pdf_results(body, _name(url), origin)
    else:
        try:
            text, warnings = decode(body)
        except Exception as exc:  # undecodable bytes: report, never crash the run
            results = [skipped(origin, f"cannot decode the page: {exc}")]
        else:
            source = Source(origin=origin, kind="html")
            if content_type.startswith("text/plain"):
                results = parse_txt(source, text, warnings)
            else:
                results = parse_html(source, text, warnings)
                canonical = page_canonical(text, url)
    result = results[0] if results else skipped(origin, "no text found")
    document = result.document
    page_date = document.published if document is not None else None
    if document is not None:
        host = urlsplit(url).hostname
        document = replace(
            document,
            name=_name(url),
            url=url,
            title=document.title or entry.title,
            published=page_date or entry.published,
            outlet=document.outlet or host,
        )
        result = replace(result, document=document)
    return Article(entry, canonical_url(canonical or url), result, page_date), canonical
