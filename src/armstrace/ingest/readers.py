"""Turn the bytes of one source (.txt, .html, .jsonl or stdin) into Document records.

A problem with the input never raises out of a reader: it becomes a skipped ReadResult with a
reason, so a batch keeps its good documents. Readers decode and normalise newlines; they never
rewrite the text otherwise, because claim offsets point into the stored text.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO, TypedDict

from armstrace.errors import InputError
from armstrace.ingest.language import detect_english, strip_invisible
from armstrace.records import Document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
BINARY_SAMPLE_CHARS = 8192
MAX_CONTROL_SHARE = 0.1  # text has almost none; decoded binary has a quarter or more
TEXT_CONTROLS = frozenset("\t\n\r\f")
# UTF-16 without a byte-order mark: in English, every other byte of a sample is NUL.
UTF16_NUL_SHARE = 0.4
# Prose has a space every few characters; a long text with almost none is a blob (base64,
# minified code, one repeated letter) that no parse would find a claim in.
MIN_PROSE_CHARS = 2000
MIN_SPACE_SHARE = 0.01

HEADER_LINE = re.compile(r"(URL|DATE|TITLE|OUTLET):[ \t]*(.*)")
HEADER_FIELDS = {"URL": "url", "DATE": "date", "TITLE": "title", "OUTLET": "outlet"}

MONTH_NAMES: tuple[str, ...] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
)
MONTH_NAMES += ("september", "october", "november", "december")
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTHS |= {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(\d{1,2}),?\s+(\d{4})\b", re.IGNORECASE)
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+" + _MONTH + r",?\s+(\d{4})\b", re.IGNORECASE)
MONTH_YEAR = re.compile(r"\b" + _MONTH + r"\s+(\d{4})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Source:
    """Something to read: a file path, or "-" for stdin, and how to parse it."""

    origin: str
    kind: str  # "txt" | "html" | "jsonl" | "stdin"


@dataclass(frozen=True, slots=True)
class ReadResult:
    """One document read from a source, or the reason it was skipped."""

    origin: str
    document: Document | None  # None when skipped
    reason: str | None = None  # why skipped
    warnings: tuple[str, ...] = ()


class Meta(TypedDict, total=False):
    """What a reader found about a document besides its text (the keywords of Document.make)."""

    url: str | None
    title: str | None
    outlet: str | None
    published: date | None


def skipped(origin: str, reason: str, warnings: tuple[str, ...] = ()) -> ReadResult:
    return ReadResult(origin=origin, document=None, reason=reason, warnings=warnings)


# --- bytes to text ---------------------------------------------------------------------------


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF and a leading BOM goes; nothing else changes."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def not_regular(mode: int) -> str | None:
    """Why a file of this st_mode is not read (a directory, pipe, socket or device), or None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    kind = next((name for test, name in FILE_KINDS if test(mode)), "not a regular file")
    return f"not a regular file ({kind}); only files are read"


def load_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes. It is opened without blocking and checked to be a regular file before
    anything is read (opening a FIFO would wait for a writer for ever), and its size is checked
    first, so that an oversized file is never read whole."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if isinstance(exc, IsADirectoryError):
            raise InputError("is a directory, not a file") from exc
        raise InputError(f"cannot read: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        problem = not_regular(info.st_mode)
        if problem is not None:
            raise InputError(problem)
        if info.st_size > max_bytes:
            raise InputError(_too_large(info.st_size, max_bytes))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)  # bounded too: the file may grow while read
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InputError(_too_large(len(data), max_bytes))
    return data


def load_stdin(max_bytes: int, stream: TextIO | None) -> tuple[str, tuple[str, ...]]:
    """Read stdin as bytes when possible, so a non-UTF-8 pipe is decoded like a file."""
    stream = sys.stdin if stream is None else stream
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        data = buffer.read(max_bytes + 1)
        if not data:
            raise InputError("empty input")
        if len(data) > max_bytes:
            raise InputError(_too_large(len(data), max_bytes))
        return decode(data)
    text = stream.read(max_bytes + 1)
    if len(text) > max_bytes:
        raise InputError(_too_large(len(text), max_bytes))
    if not text:
        raise InputError("empty input")
    return clean_text(text)


def _too_large(size: int, max_bytes: int) -> str:
    return f"too large: {size:,} bytes, over the {max_bytes:,}-byte limit (raise max_bytes)"


def _utf16_without_mark(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the bytes read as UTF-16 text without a byte-order mark:
    NUL in most odd (or even) positions of a sample, and a clean decode."""
    sample = data[:BINARY_SAMPLE_CHARS]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) / len(high) >= UTF16_NUL_SHARE and low.count(0) < len(low) / 10:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding if _control_share(text) <= MAX_CONTROL_SHARE else None
    return None


def _decode_utf8(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """UTF-8, with invalid bytes replaced (and a warning) when the file is mostly valid UTF-8:
    it has valid multi-byte characters, more of them than invalid bytes. None when not UTF-8."""
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = sum(1 for char in text if ord(char) > 127 and char != "\ufffd")
    if valid == 0 or invalid > valid:
        return None  # a legacy single-byte encoding, most likely
    return text, (f"{invalid} invalid UTF-8 byte sequence(s) replaced with U+FFFD",)


def decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode as UTF-16 (with a mark, or detected without one), else UTF-8 (a few invalid bytes
    replaced), else Windows-1252, else Latin-1, warning when not clean UTF-8; then clean_text."""
    if not data:
        raise InputError("empty file")
    warnings: tuple[str, ...] = ()
    utf16 = _utf16_without_mark(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("starts with a UTF-16 mark but is not UTF-16") from exc
        warnings = ("decoded as UTF-16",)
    elif utf16 is not None:
        text = data.decode(utf16)
        warnings = (f"no byte-order mark; decoded as {utf16.upper()}",)
    elif (utf8 := _decode_utf8(data)) is not None:
        text, warnings = utf8
    else:
        try:
            text = data.decode("cp1252")
            warnings = ("not valid UTF-8; decoded as Windows-1252",)
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            warnings = ("not valid UTF-8 or Windows-1252; decoded as Latin-1",)
    text, notes = clean_text(text)
    return text, warnings + notes


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Newlines normalised, invisible format characters (BOM, zero-width, direction marks, soft
    hyphens) removed and lone surrogates (from JSON escapes) replaced by U+FFFD, each with a
    warning saying how many; claim offsets point into this text."""
    text, removed = strip_invisible(normalise_newlines(text))
    notes: tuple[str, ...] = ()
    if removed:
        notes += (f"removed {removed} invisible character(s) (zero-width, direction marks)",)
    text, replaced = _SURROGATE.subn("\ufffd", text)
    if replaced:
        notes += (f"replaced {replaced} lone surrogate(s), not valid Unicode, with U+FFFD",)
    return text, notes


def plain_field(value: str) -> str:
    """A metadata string (title, URL, outlet) that the store can write: no lone surrogates."""
    return _SURROGATE.sub("\ufffd", value)


def check_not_binary(text: str) -> None:
    """Reject NUL characters or a sample that is mostly control characters (decoded binary)."""
    if "\x00" in text:
        raise InputError("binary file (contains NUL bytes)")
    check_control_share(text)


def _control_share(text: str) -> float:
    sample = text[:BINARY_SAMPLE_CHARS]
    controls = sum(1 for c in sample if c not in TEXT_CONTROLS and unicodedata.category(c) == "Cc")
    return controls / len(sample) if sample else 0.0


def check_control_share(text: str) -> None:
    """Reject a text whose sample is mostly control characters (decoded binary)."""
    share = _control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise InputError(f"binary file ({share:.0%} control characters)")


# --- header and dates ------------------------------------------------------------------------


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split a leading block of `URL:`/`DATE:`/`TITLE:`/`OUTLET:` lines from the text.

    The blank lines after the block go too; the body is returned unchanged, so it is exactly
    the text that offsets will point into.
    """
    header: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        match = HEADER_LINE.fullmatch(text, pos, end)
        if match is None:
            break
        header.setdefault(HEADER_FIELDS[match.group(1)], match.group(2).strip())
        pos = end + 1
    if not header:
        return {}, text
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        if text[pos:end].strip():
            break
        pos = end + 1
    return header, text[pos:]


def parse_date(value: str) -> tuple[date | None, bool]:
    """A date and whether it is approximate.

    A full date at the start ("2024-05-02", "May 2, 2024", "2 May 2024") is exact. Otherwise the
    first "Month YYYY" (as in "unknown (May 2023; ...)") gives the first of that month, and a
    date inside the text is taken as approximate; a bare year or "early 2018" gives None.
    """
    value = value.strip()
    iso = ISO_DATE.match(value)
    if iso:
        return _date(int(iso[1]), int(iso[2]), int(iso[3])), False
    mdy = MONTH_DAY_YEAR.match(value)
    if mdy:
        return _date(int(mdy[3]), MONTHS[mdy[1].lower()], int(mdy[2])), False
    dmy = DAY_MONTH_YEAR.match(value)
    if dmy:
        return _date(int(dmy[3]), MONTHS[dmy[2].lower()], int(dmy[1])), False
    month = MONTH_YEAR.search(value)
    if month:
        return _date(int(month[2]), MONTHS[month[1].lower()], 1), True
    iso = ISO_DATE.search(value)
    if iso:
        return _date(int(iso[1]), int(iso[2]), int(iso[3])), True
    return None, False


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_field(value: str | None) -> tuple[date | None, tuple[str, ...]]:
    """Parse a DATE value, with a warning when it is approximate or not understood."""
    if not value:
        return None, ()
    published, approximate = parse_date(value)
    if published is None:
        return None, (f"date not understood: {value!r}",)
    if approximate:
        return published, (f"date approximate: {published.isoformat()} from {value!r}",)
    return published, ()


# --- building documents ----------------------------------------------------------------------


def build(
    text: str,
    name: str,
    origin: str,
    meta: Meta,
    warnings: tuple[str, ...],
) -> ReadResult:
    """A Document from checked text, or a skipped result if it is empty or not English."""
    if not text.strip():
        return skipped(origin, "no text (empty or only whitespace)", warnings)
    if not any(char.isalpha() for char in text):
        return skipped(origin, "no text (no letters)", warnings)
    if "\x00" in text:
        return skipped(origin, "binary content (contains NUL characters)", warnings)
    sample = text[:BINARY_SAMPLE_CHARS]
    spaces = sum(1 for char in sample if char.isspace())
    if len(text) >= MIN_PROSE_CHARS and spaces < MIN_SPACE_SHARE * len(sample):
        return skipped(
            origin,
            f"not prose: {spaces} spaces in its first {len(sample):,} characters (a blob such "
            "as base64, minified code or one repeated character)",
            warnings,
        )
    guess = detect_english(text)
    if not guess.is_english:
        return skipped(origin, f"not English ({guess.reason})", warnings)
    document = Document.make(text, name, origin=origin, **meta)
    return ReadResult(origin=origin, document=document, warnings=warnings)


def source_name(source: Source) -> str:
    return "stdin" if source.kind == "stdin" else Path(source.origin).stem


def parse_txt(source: Source, text: str, warnings: tuple[str, ...]) -> list[ReadResult]:
    check_not_binary(text)
    header, body = split_header(text)
    published, date_warnings = date_field(header.get("date"))
    meta: Meta = {
        "url": header.get("url") or None,
        "title": header.get("title") or None,
        "outlet": header.get("outlet") or None,
        "published": published,
    }
    if header and not body.strip():
        return [skipped(source.origin, "no text after the header", warnings)]
    return [build(body, source_name(source), source.origin, meta, warnings + date_warnings)]


def parse_html(source: Source, html: str, warnings: tuple[str, ...]) -> list[ReadResult]:
    import trafilatura  # heavy: imported only when an HTML file is read

    check_not_binary(html)
    notes = list(warnings)
    text: str | None = None
    try:
        text = trafilatura.extract(
            html, include_comments=False, include_tables=False, favor_recall=True
        )
    except Exception as exc:  # a third-party parser on hostile input: record and fall back
        notes.append(f"trafilatura failed ({type(exc).__name__}: {exc}); used lxml text")
    if not text or not text.strip():
        if len(notes) == len(warnings):
            notes.append("trafilatura found no main text; used lxml text")
        text = lxml_text(html)
    if not text.strip():
        return [skipped(source.origin, "no text found in HTML", tuple(notes))]

    meta: Meta = {}
    try:
        found = trafilatura.extract_metadata(html)
    except Exception as exc:
        notes.append(f"metadata not extracted ({type(exc).__name__}: {exc})")
        found = None
    if found is not None:
        published, date_warnings = date_field(found.date)
        meta = {
            "url": found.url,
            "title": found.title,
            "outlet": found.sitename,
            "published": published,
        }
        notes.extend(date_warnings)
    text, cleaning = clean_text(text)
    return [build(text, source_name(source), source.origin, meta, (*notes, *cleaning))]


def lxml_text(html: str) -> str:
    """Visible text of an HTML page, one non-blank line per line, when trafilatura finds none."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(encoding="utf-8")
    try:
        root = lxml_html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    for element in root.xpath("//script|//style|//noscript|//template|//head"):
        element.drop_tree()
    lines = (line.strip() for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def parse_jsonl(source: Source, text: str, warnings: tuple[str, ...]) -> list[ReadResult]:
    """One document per line; each line stands alone: a bad one (not JSON, nested too deeply,
    a NUL byte, a number too long to read) is reported with its number and the rest are read."""
    check_control_share(text)
    results: list[ReadResult] = []
    stem = Path(source.origin).stem
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        origin = f"{source.origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            results.append(skipped(origin, f"line {number}: not valid JSON ({exc.msg})", warnings))
            continue
        except RecursionError:
            results.append(skipped(origin, f"line {number}: JSON nested too deeply", warnings))
            continue
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            results.append(skipped(origin, f"line {number}: unreadable JSON ({exc})", warnings))
            continue
        results.append(jsonl_record(record, origin, f"{stem}:{number}", number, warnings))
    if not results:
        results.append(skipped(source.origin, "no JSON lines", warnings))
    return results


def jsonl_record(
    record: object, origin: str, default_name: str, number: int, warnings: tuple[str, ...]
) -> ReadResult:
    if not isinstance(record, dict):
        return skipped(origin, f"line {number}: not a JSON object", warnings)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        problem = 'no "text" field' if text is None else 'empty or non-string "text"'
        return skipped(origin, f"line {number}: {problem}", warnings)

    notes = list(warnings)
    name = default_name
    if "id" in record and record["id"] is not None:
        raw_id = record["id"]
        if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id):
            name = str(raw_id)
        else:
            notes.append(f'ignored "id" {raw_id!r}; named {default_name}')
    published, date_warnings = date_field(_string_field(record, "date", notes))
    notes.extend(date_warnings)
    meta: Meta = {
        "url": _string_field(record, "url", notes),
        "title": _string_field(record, "title", notes),
        "outlet": _string_field(record, "outlet", notes),
        "published": published,
    }
    text, cleaning = clean_text(text)
    return build(text, name, origin, meta, (*notes, *cleaning))


def _string_field(record: dict[str, object], field: str, notes: list[str]) -> str | None:
    value = record.get(field)
    if value is not None and not isinstance(value, str):
        notes.append(f'ignored non-string "{field}"')
        return None
    return plain_field(value) if value else None


Parser = Callable[[Source, str, tuple[str, ...]], list[ReadResult]]

PARSERS: dict[str, Parser] = {
    "txt": parse_txt,
    "stdin": parse_txt,
    "html": parse_html,
    "jsonl": parse_jsonl,
}
