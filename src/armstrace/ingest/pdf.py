"""Read a PDF report (a UN panel report, a white paper) into one Document, page by page.

Each page's text is taken with pypdf, its wrapped lines joined back into paragraphs, and the
page ended by a form feed, so that `locate` can later say which page (and which numbered UN
paragraph) a claim's evidence is on. A PDF without a text layer (a scan) is reported, never
stored empty. This module reads; it does not segment or extract.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from armstrace.errors import InputError
from armstrace.ingest.readers import (
    Meta,
    ReadResult,
    Source,
    build,
    clean_text,
    load_file,
    skipped,
    source_name,
)

__all__ = ["PAGE_BREAK", "Location", "locate", "paged_text", "pdf_results", "read_pdf"]

PAGE_BREAK = "\f"  # ends every page of a PDF's stored text, as pdftotext does
# A page with fewer letters than this has no usable text layer (a scan, or a blank page).
MIN_PAGE_LETTERS = 20
# A report's text is capped well above a 200-page report's (~1M characters) so that one
# hostile file cannot fill memory; past it the rest of the pages are left out, with a warning.
MAX_TEXT_CHARS = 5_000_000
# A numbered paragraph of a UN document: "45. The Panel ..." at the start of a line.
PARAGRAPH_NUMBER = re.compile(r"^[ \t]*(\d{1,4})\.[ \t]+(?=\S)")
_SENTENCE_END = tuple('.!?:;"\u201d)')
_HYPHENATED = re.compile(r"[a-z]-$")
_STORED_PARAGRAPH = re.compile(r"(?m)^(\d{1,4})\.[ \t]+(?=\S)")
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")


@dataclass(frozen=True, slots=True)
class Location:
    """Where an offset of a paged document lies: page number (1-based), UN paragraph if any."""

    page: int
    paragraph: int | None = None

    def label(self) -> str:
        where = f"page {self.page}"
        return f"{where}, para. {self.paragraph}" if self.paragraph is not None else where


def _paragraph_starts(lines: list[str], last: int | None) -> Iterator[tuple[int, int | None]]:
    """(line index, paragraph number or None) for each line that begins a numbered paragraph.

    A number counts only when it continues the sequence (the next, or up to two skipped), so
    a wrapped line that happens to begin "12. " inside a paragraph is not taken for one.
    """
    for index, line in enumerate(lines):
        match = PARAGRAPH_NUMBER.match(line)
        if match is None:
            continue
        number = int(match.group(1))
        if last is None or last < number <= last + 3:
            last = number
            yield index, number


def reflow(page: str, last_paragraph: int | None = None) -> tuple[str, int | None]:
    """A page's wrapped lines joined into paragraphs (one per line, blank line between), and the
    last UN paragraph number seen, to continue the sequence on the next page."""
    lines = [line.rstrip() for line in page.replace("\r", "\n").split("\n")]
    starts = dict(_paragraph_starts(lines, last_paragraph))
    if starts:
        last_paragraph = max(n for n in starts.values() if n is not None)
    longest = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current and index in starts:
            paragraphs.append(current)
            current = ""
        if not current:
            current = text
        elif _HYPHENATED.search(current) and text[:1].islower():
            current = current[:-1] + text
        else:
            current = f"{current} {text}"
        # A short line ending a sentence closes its paragraph (a heading or a paragraph's end).
        if text.endswith(_SENTENCE_END) and len(line) < 0.7 * longest:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs), last_paragraph


def paged_text(data: bytes) -> tuple[str, list[int], tuple[str, ...], Meta]:
    """The reflowed text of every page, each ended by PAGE_BREAK; the pages without text; the
    warnings; and the title and date from the PDF's metadata. InputError if it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("encrypted PDF (needs a password); decrypt it first")
        count = len(reader.pages)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if count == 0:
        raise InputError("PDF has no pages")
    parts: list[str] = []
    empty: list[int] = []
    warnings: list[str] = []
    size = 0
    last: int | None = None
    for number in range(count):
        try:
            raw = reader.pages[number].extract_text() or ""
        except Exception as exc:  # one broken page costs that page, not the report
            warnings.append(f"page {number + 1}: text not read ({type(exc).__name__}: {exc})")
            raw = ""
        if sum(1 for char in raw if char.isalpha()) < MIN_PAGE_LETTERS:
            empty.append(number + 1)
            raw = ""
        text, last = reflow(raw, last)
        size += len(text) + 2
        if size > MAX_TEXT_CHARS:
            warnings.append(
                f"text cut after page {number} of {count}: over {MAX_TEXT_CHARS:,} characters"
            )
            break
        parts.append(text + "\n" + PAGE_BREAK)
    return "\n".join(parts), empty, tuple(warnings), _metadata(reader)


def _metadata(reader: object) -> Meta:
    meta: Meta = {}
    info = getattr(reader, "metadata", None)
    if not info:
        return meta
    try:
        title = info.title
        created = info.get("/CreationDate")
    except Exception:  # metadata is optional; a broken dictionary is ignored
        return meta
    if isinstance(title, str) and title.strip() and title.strip() != "(anonymous)":
        meta["title"] = title.strip()
    match = _PDF_DATE.match(str(created or ""))
    if match:
        with contextlib.suppress(ValueError):  # a malformed date is left out
            meta["published"] = date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    return meta


def read_pdf(source: Source, max_bytes: int) -> list[ReadResult]:
    """One document for a PDF file, or a skipped result saying why (unreadable, encrypted,
    scanned)."""
    try:
        data = load_file(Path(source.origin), max_bytes)
    except InputError as exc:
        return [skipped(source.origin, str(exc))]
    return pdf_results(data, source_name(source), source.origin)


def pdf_results(data: bytes, name: str, origin: str) -> list[ReadResult]:
    """The document of a PDF's bytes (a file, or a report a feed links to), or why not."""
    try:
        text, empty, warnings, meta = paged_text(data)
    except InputError as exc:
        return [skipped(origin, str(exc))]
    pages = text.count(PAGE_BREAK)
    if len(empty) >= pages:
        return [
            skipped(
                origin,
                f"no text layer on any of its {pages} page(s) (a scanned PDF?); run OCR on it "
                "first (e.g. ocrmypdf) and ingest the result",
                warnings,
            )
        ]
    if empty:
        shown = ", ".join(str(n) for n in empty[:10]) + (" …" if len(empty) > 10 else "")
        warnings += (f"{len(empty)} of {pages} page(s) have no text layer: {shown}",)
    text, cleaning = clean_text(text)
    return [build(text, name, origin, meta, (*warnings, *cleaning))]


def locate(text: str, offset: int) -> Location | None:
    """The page and UN paragraph an offset of a PDF's stored text is on; None for a document
    that was not read from pages (it has no PAGE_BREAK)."""
    if PAGE_BREAK not in text or not 0 <= offset <= len(text):
        return None
    page = text.count(PAGE_BREAK, 0, offset) + 1
    paragraph = None
    # endpos one past the offset: the look-ahead of a number right before the evidence needs it
    for match in _STORED_PARAGRAPH.finditer(text, 0, min(len(text), offset + 1)):
        paragraph = int(match.group(1))
    return Location(page, paragraph)
