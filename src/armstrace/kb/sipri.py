"""Read a SIPRI Arms Transfers Database trade-register export into typed deal records.

Parses the CSV a user downloads from SIPRI (ISO-8859-1, a preamble, 16 columns, records split by
raw line breaks) and matches extracted claims against the deals. It never fetches SIPRI data and
ships none: SIPRI's terms forbid republishing the data set.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from armstrace.errors import InputError
from armstrace.records import CATEGORIES, content_id
from armstrace.resources import load_yaml, require

__all__ = [
    "SipriDeal",
    "SipriImport",
    "description_category",
    "match_deals",
    "read_trade_register",
]

DATA_FILE = "sipri_descriptions.yaml"
HEADER_LINE = 12  # where SIPRI's export puts the header, after 11 preamble lines
HEADER_SCAN = 60  # physical rows searched for the header before the file is refused
Resolver = Callable[[str], str | None]

# Column names SIPRI has used, normalised (case-folded, spaces folded); older exports say "No.".
COLUMNS: dict[str, tuple[str, ...]] = {
    "recipient": ("recipient",),
    "supplier": ("supplier",),
    "year_of_order": ("year of order",),
    "number_ordered": ("number ordered", "no. ordered"),
    "designation": ("weapon designation",),
    "description": ("weapon description",),
    "number_delivered": (
        "number delivered",
        "no. delivered",
        "no. delivered/produced",
        "number delivered/produced",
    ),
    "delivery_years": ("year(s) of delivery", "years of delivery", "year of delivery"),
    "status": ("status",),
    "comments": ("comments",),
    "tiv_unit": ("sipri tiv per unit",),
    "tiv_total": ("sipri tiv for total order",),
    "tiv_delivered": ("sipri tiv of delivered weapons",),
}
REQUIRED = ("recipient", "supplier", "year_of_order", "designation", "description")
FLAGGED = ("year_of_order", "number_ordered", "number_delivered")  # each has a '?' column after it
TIV_COLUMNS = {
    "tiv_unit": "SIPRI TIV per unit",
    "tiv_total": "SIPRI TIV for total order",
    "tiv_delivered": "SIPRI TIV of delivered weapons",
}
STATUSES = ("new", "second hand", "second hand but modernized")
EXPECTED = (
    "a SIPRI trade-register CSV (https://armstrade.sipri.org/armstrade/page/trade_register.php): "
    "a header row with Recipient, Supplier, Year of order, Number ordered, Weapon designation, "
    "Weapon description, Number delivered, Year(s) of delivery, status, Comments and the SIPRI "
    f"TIV columns, on line {HEADER_LINE} after SIPRI's notes"
)


@dataclass(frozen=True, slots=True)
class SipriDeal:
    """One row of the trade register: an order and its deliveries so far.

    `supplier`/`recipient` are armstrace actor codes (alpha-3, or a short name for groups and
    organisations), None for SIPRI's "unknown supplier(s)" or a name no table resolves.
    `id` is derived from the deal's key, so a newer export of the same deal upserts it.
    """

    recipient_name: str
    supplier_name: str
    recipient: str | None
    supplier: str | None
    year_of_order: int
    year_of_order_uncertain: bool
    number_ordered: int | None
    number_ordered_uncertain: bool
    designation: str
    description: str
    category: str
    number_delivered: int
    number_delivered_uncertain: bool
    delivery_years: tuple[int, ...]
    status: str
    comments: str
    via: tuple[str, ...]
    tiv_unit: float | None
    tiv_total: float | None
    tiv_delivered: float | None
    line: int
    id: str
    financed_by: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other designations named in the comments ("Geran-2")


@dataclass(frozen=True, slots=True)
class SipriImport:
    deals: tuple[SipriDeal, ...]
    warnings: tuple[str, ...] = ()
    generated: str | None = None  # the export's "Data generated:" date, as SIPRI wrote it


class _RowError(ValueError):
    """A row that cannot be read; reported with its line and skipped."""


# --- the data file --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tables:
    descriptions: dict[str, str]  # normalised description -> category
    non_state: dict[str, str]
    organisations: dict[str, str]
    states: dict[str, str]


def _key(text: str) -> str:
    """Case, accents, hyphens and spacing folded: the form every lookup table is keyed by."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("-", " ").casefold().split())


def _string_map(raw: Any, section: str) -> dict[str, str]:
    require(isinstance(raw, dict), DATA_FILE, f"'{section}' must be a mapping")
    table: dict[str, str] = {}
    for name, value in raw.items():
        ok = isinstance(name, str) and isinstance(value, str) and value.strip() != ""
        require(ok, DATA_FILE, f"'{section}': {name!r} must map a name to a non-empty string")
        require(_key(name) not in table, DATA_FILE, f"'{section}': {name!r} is listed twice")
        table[_key(name)] = value
    return table


@cache
def _tables() -> _Tables:
    raw = load_yaml(DATA_FILE)
    require(isinstance(raw, dict), DATA_FILE, "the top level must be a mapping")
    sections = ("categories", "variants", "non_state", "organisations", "states")
    for section in sections:
        require(section in raw, DATA_FILE, f"section '{section}' is missing")
    require(isinstance(raw["categories"], dict), DATA_FILE, "'categories' must be a mapping")
    descriptions: dict[str, str] = {}
    for category, names in raw["categories"].items():
        require(category in CATEGORIES, DATA_FILE, f"unknown category {category!r}")
        require(isinstance(names, list), DATA_FILE, f"'categories.{category}' must be a list")
        for name in names:
            require(isinstance(name, str), DATA_FILE, f"{category}: {name!r} is not a string")
            key = _key(name)
            require(key not in descriptions, DATA_FILE, f"description {name!r} is listed twice")
            descriptions[key] = category
    for variant, target in _string_map(raw["variants"], "variants").items():
        require(_key(target) in descriptions, DATA_FILE, f"variant of unlisted {target!r}")
        require(variant not in descriptions, DATA_FILE, f"variant {variant!r} is also listed")
        descriptions[variant] = descriptions[_key(target)]
    return _Tables(
        descriptions=descriptions,
        non_state=_string_map(raw["non_state"], "non_state"),
        organisations=_string_map(raw["organisations"], "organisations"),
        states=_string_map(raw["states"], "states"),
    )


def description_category(description: str) -> str | None:
    """The armstrace category of a SIPRI weapon description, None when the tables lack it.

    A plural is read as its singular, and an unlisted description whose last words are a listed
    one takes that one's category ("light frigate" is a "frigate").
    """
    table = _tables().descriptions
    key = _key(description)
    words = key.split()
    for start in range(len(words)):
        tail = " ".join(words[start:])
        for candidate in (tail, tail[:-1] if tail.endswith("s") else None):
            if candidate and candidate in table:
                return table[candidate]
    return None


# --- reading the file -------------------------------------------------------------------------


def _decode(raw: bytes) -> tuple[str, str | None]:
    """Text and a note when the file is not in SIPRI's own encoding (ISO-8859-1)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "file is UTF-8 with a BOM; read as such"
    if b"\x00" in raw[:4096]:
        raise InputError(f"the file is binary, not a CSV; expected {EXPECTED}")
    if not raw.isascii():
        try:
            return raw.decode("utf-8"), "file is UTF-8, not ISO-8859-1 as SIPRI writes it"
        except UnicodeDecodeError:
            pass
    if re.search(rb"[\x80-\x9f]", raw):  # C1 controls are never text: Windows-1252 it is
        return raw.decode("cp1252", errors="replace"), None
    return raw.decode("latin-1"), None


def _physical_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) of each CSV row; a quoted line break stays inside a cell."""
    reader = csv.reader(io.StringIO(text, newline=""))
    done = 0
    try:
        for cells in reader:
            yield done + 1, cells
            done = reader.line_num
    except csv.Error as exc:
        raise InputError(f"line {done + 1}: not valid CSV ({exc}); expected {EXPECTED}") from exc


def _column_index(header: Sequence[str]) -> dict[str, int]:
    names = [" ".join(cell.casefold().split()) for cell in header]
    return {
        column: names.index(alias)
        for column, aliases in COLUMNS.items()
        for alias in aliases
        if alias in names
    }


def _trim(cells: list[str], width: int) -> list[str]:
    while len(cells) > width and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def _records(rows: Sequence[tuple[int, list[str]]], width: int) -> Iterator[tuple[int, list[str]]]:
    """Rows rejoined where an unquoted line break in Comments split one record over two lines.

    A fragment (fewer cells than the header) is continued by the next row when that row is not a
    whole record itself and the two together do not overflow the header.
    """
    index = 0
    while index < len(rows):
        line, cells = rows[index]
        index += 1
        cells = _trim(cells, width)
        if not any(cell.strip() for cell in cells):
            continue
        while len(cells) < width and index < len(rows):
            following = _trim(rows[index][1], width)
            if not following or len(following) >= width:
                break
            if len(cells) + len(following) - 1 > width:
                break
            joined = f"{cells[-1].rstrip()} {following[0].lstrip()}".strip()
            cells = [*cells[:-1], joined, *following[1:]]
            index += 1
        yield line, cells


def _flag(value: str, column: str) -> bool:
    value = value.strip()
    if value not in ("", "?"):
        raise _RowError(f"uncertainty flag after {column} is {value!r}, not '?' or empty")
    return value == "?"


def _integer(value: str, column: str, *, empty: int | None) -> int | None:
    value = value.strip().replace(",", "")
    if not value:
        return empty
    if not value.isdigit():
        raise _RowError(f"{column} {value!r} is not a whole number")
    return int(value)


def _year(value: str, column: str) -> int:
    value = value.strip()
    if not re.fullmatch(r"\d{4}", value):
        raise _RowError(f"{column} {value!r} is not a 4-digit year")
    return int(value)


def _decimal(value: str, column: str) -> float | None:
    value = value.strip().replace(",", "")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise _RowError(f"{column} {value!r} is not a number") from None


# --- actors and comments ----------------------------------------------------------------------


def _default_resolver() -> Resolver:
    from armstrace.extract.actors import resolve_actor

    return resolve_actor


def _is_state_code(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and code.isupper()


_UNKNOWN_DESCRIPTION = f"weapon description {{}} is not in {DATA_FILE}; category 'other'"
_WHERE = f"the {DATA_FILE} tables; its SIPRI name is kept as its code"


def _actor(name: str, resolve: Resolver) -> tuple[str | None, str | None]:
    """(code, problem) for a SIPRI actor name; `*` marks non-state actors, `**` organisations."""
    tables = _tables()
    key = _key(name)
    if key.startswith("unknown"):
        return None, None
    if name.endswith("**"):
        base = name[:-2].strip()
        code = tables.organisations.get(_key(base)) or resolve(base)
        return (code, None) if code else (base, "organisation {} is not in " + _WHERE)
    if name.endswith("*"):
        base = name[:-1].strip()
        if _key(base) in tables.non_state:
            return tables.non_state[_key(base)], None
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", base)
        code = resolve(bare)
        if code and not _is_state_code(code):
            return code, None
        return bare, "non-state actor {} is not in " + _WHERE
    code = tables.states.get(key) or resolve(name) or resolve(key)
    return (code, None) if code else (None, "actor {} is unknown; its code is left empty")


_TOKEN = re.compile(r"[^\s;()\[\]]+")
_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+")
_CONNECTORS = frozenset({"and", "&", "of", "the", "or"})
_SEPARATORS = re.compile(r",\s*|\s+(?:and|&|or)\s+")
_VIA = re.compile(r"\bvia\s+", re.IGNORECASE)
_FINANCED = re.compile(r"\b(?:financed|funded|paid(?: for)?)\s+by\s+", re.IGNORECASE)
_ALIAS = re.compile(r"\b(?:designation|known as|version of)\s+", re.IGNORECASE)


def _phrase(text: str, start: int, *, digits: bool) -> str:
    """The run of capitalised words (with inner connectors) that starts at `start`."""
    words: list[str] = []
    end = start
    for match in _TOKEN.finditer(text, start):
        if text[end : match.start()].strip():
            break  # punctuation such as ';' or '(' ends the phrase
        word = match.group()
        bare = word.strip(",.:'\"")
        lead = bare[:1]
        if not words and bare.casefold() == "the":
            end = match.end()
            continue
        capital = lead.isupper() or (digits and lead.isdigit())
        if not (capital or (words and bare.casefold() in _CONNECTORS)):
            break
        words.append(word)
        end = match.end()
        if word.endswith((".", ":")) and not _ABBREVIATION.fullmatch(word):
            break  # a sentence ends; a comma continues a list of names
    while words and words[-1].strip(",.:").casefold() in _CONNECTORS:
        words.pop()
    return " ".join(words).strip(",.: ")


def _names(comments: str, cue: re.Pattern[str], resolve: Resolver | None) -> tuple[str, ...]:
    """Names after each cue; with a resolver, actor codes where a name resolves."""
    found: list[str] = []
    for match in cue.finditer(comments):
        phrase = _phrase(comments, match.end(), digits=resolve is None)
        if not phrase:
            continue
        whole = resolve(phrase) if resolve else None
        parts = [phrase] if whole else [p for p in _SEPARATORS.split(phrase) if p]
        for part in parts:
            part = re.sub(r"'s$", "", part.strip())
            value = (resolve(part) or part) if resolve else part
            if value not in found:
                found.append(value)
    return tuple(found)


# --- rows to deals ----------------------------------------------------------------------------


class _Tally:
    """Problems counted per distinct value and reported once: one warning per unknown name."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], list[int]] = {}

    def add(self, message: str, value: str, line: int) -> None:
        self.seen.setdefault((message, value), []).append(line)

    def warnings(self) -> list[str]:
        return [
            f"line {lines[0]}: {message.format(repr(value))} ({len(lines)} row(s))"
            for (message, value), lines in self.seen.items()
        ]


def _deal(
    line: int,
    cells: list[str],
    columns: dict[str, int],
    flags: dict[str, int],
    resolve: Resolver,
    tally: _Tally,
) -> SipriDeal:
    def cell(column: str) -> str:
        index = columns.get(column)
        return cells[index].strip() if index is not None else ""

    def flag(column: str) -> bool:
        index = flags.get(column)
        return _flag(cells[index], column) if index is not None else False

    recipient_name, supplier_name = cell("recipient"), cell("supplier")
    if not recipient_name or not supplier_name:
        raise _RowError("Recipient or Supplier is empty")
    # Everything that can reject the row is read before anything is tallied.
    year_of_order = _year(cell("year_of_order"), "Year of order")
    number_ordered = _integer(cell("number_ordered"), "Number ordered", empty=None)
    number_delivered = _integer(cell("number_delivered"), "Number delivered", empty=0) or 0
    uncertain = {column: flag(column) for column in FLAGGED}
    years = [y for y in cell("delivery_years").split(";") if y.strip()]
    delivery_years = tuple(_year(y, "Year(s) of delivery") for y in years)
    tiv = [_decimal(cell(column), label) for column, label in TIV_COLUMNS.items()]
    codes = []
    for name in (recipient_name, supplier_name):
        code, problem = _actor(name, resolve)
        if problem:
            tally.add(problem, name, line)
        codes.append(code)
    designation, description = cell("designation"), cell("description")
    category = description_category(description)
    if category is None:
        tally.add(_UNKNOWN_DESCRIPTION, description, line)
    status = cell("status")
    if status and status.casefold() not in STATUSES:
        tally.add("status {} is not one SIPRI uses; kept as written", status, line)
    comments = " ".join(cell("comments").split())
    key = (recipient_name, supplier_name, str(year_of_order), designation, description)
    return SipriDeal(
        recipient_name=recipient_name,
        supplier_name=supplier_name,
        recipient=codes[0],
        supplier=codes[1],
        year_of_order=year_of_order,
        year_of_order_uncertain=uncertain["year_of_order"],
        number_ordered=number_ordered,
        number_ordered_uncertain=uncertain["number_ordered"],
        designation=designation,
        description=description,
        category=category or "other",
        number_delivered=number_delivered,
        number_delivered_uncertain=uncertain["number_delivered"],
        delivery_years=delivery_years,
        status=status,
        comments=comments,
        via=_names(comments, _VIA, resolve),
        tiv_unit=tiv[0],
        tiv_total=tiv[1],
        tiv_delivered=tiv[2],
        line=line,
        id=content_id("sipri", *(_key(part) for part in key), str(number_ordered)),
        financed_by=_names(comments, _FINANCED, resolve),
        aliases=_names(comments, _ALIAS, None),
    )


def _header(rows: Sequence[tuple[int, list[str]]]) -> tuple[int, dict[str, int]]:
    for position, (_line, cells) in enumerate(rows[:HEADER_SCAN]):
        columns = _column_index(cells)
        if {"recipient", "supplier", "year_of_order"} <= columns.keys():
            return position, columns
    raise InputError(
        f"no SIPRI header row found in the first {HEADER_SCAN} rows; expected {EXPECTED}"
    )


def read_trade_register(path: str | Path, *, resolve: Resolver | None = None) -> SipriImport:
    """Read a SIPRI trade-register export; malformed rows are skipped and reported by line.

    `resolve` maps an actor name to its code (default: armstrace.extract.actors.resolve_actor).
    Raises InputError for a file that cannot be read or is not a SIPRI export.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise InputError(f"{path} is empty; expected {EXPECTED}")
    text, note = _decode(raw)
    warnings = [note] if note else []
    rows = list(_physical_rows(text))
    position, columns = _header(rows)
    header_line, header = rows[position]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise InputError(f"{path}: the header lacks {', '.join(missing)}; expected {EXPECTED}")
    if header_line != HEADER_LINE:
        warnings.append(f"header on line {header_line}, not line {HEADER_LINE}; read it anyway")
    absent = [name for name in COLUMNS if name not in columns]
    if absent:
        warnings.append(f"columns missing, left empty: {', '.join(absent)}")
    flags: dict[str, int] = {}
    for name in FLAGGED:
        index = columns.get(name)
        if index is None:
            continue
        if index + 1 < len(header) and not header[index + 1].strip(" '\""):
            flags[name] = index + 1
        else:
            warnings.append(f"no '?' flag column after {name}; its uncertainty reads as False")
    preamble = [",".join(cells) for _line, cells in rows[:position]]
    generated = next(
        (p.split(":", 1)[1].strip() for p in preamble if p.casefold().startswith("data generated")),
        None,
    )
    if not any("sipri" in p.casefold() for p in preamble):
        warnings.append("no 'Source: SIPRI Arms Transfers Database' line before the header")
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    resolver = resolve or _default_resolver()
    tally = _Tally()
    deals: list[SipriDeal] = []
    ids: dict[str, int] = {}
    for line, cells in _records(rows[position + 1 :], width):
        if len(cells) != width:
            warnings.append(f"line {line}: {len(cells)} fields, expected {width}; row skipped")
            continue
        try:
            deal = _deal(line, cells, columns, flags, resolver, tally)
        except _RowError as exc:
            warnings.append(f"line {line}: {exc}; row skipped")
            continue
        ids[deal.id] = ids.get(deal.id, 0) + 1
        if ids[deal.id] > 1:  # the same key twice in one export: keep both, ids stay stable
            deal = replace(deal, id=content_id(deal.id, str(ids[deal.id])))
        deals.append(deal)
    warnings.extend(tally.warnings())
    return SipriImport(deals=tuple(deals), warnings=tuple(warnings), generated=generated)


# --- matching claims to deals -----------------------------------------------------------------


def _designation_tokens(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z]+|\d+", _key(text)))


def _designation_rank(deal: SipriDeal, wanted: Sequence[tuple[str, ...]]) -> int | None:
    """0 for an exact designation match, 1 when one is a variant of the other, else None."""
    best: int | None = None
    for name in (deal.designation, *deal.aliases):
        have = _designation_tokens(name)
        for want in wanted:
            if not have or not want:
                continue
            if have == want:
                return 0
            short, long = sorted((have, want), key=len)
            distinctive = len(short) >= 2 or len(short[0]) >= 4
            if distinctive and long[: len(short)] == short:
                best = 1
    return best


def _in_window(deal: SipriDeal, year: int) -> bool:
    last = max(deal.delivery_years) + 1 if deal.delivery_years else deal.year_of_order + 5
    return deal.year_of_order <= year <= last


def _same(code: str | None, wanted: str | None) -> bool:
    return code is not None and wanted is not None and code.casefold() == wanted.casefold()


def match_deals(
    deals: Iterable[SipriDeal],
    supplier: str | None,
    recipient: str | None,
    category: str | None = None,
    designations: Iterable[str] = (),
    year: int | None = None,
) -> list[SipriDeal]:
    """The deals that a claim may refer to, designation matches first.

    A deal matches when supplier and recipient are equal (an unknown side matches nothing), a
    designation matches (case, hyphens and spaces folded; "Su-35" also finds "Su-35S") or the
    category is equal, and `year` lies in [year of order, last delivery + 1], or in
    [year of order, year of order + 5] while nothing is delivered. Without a year, any year.
    """
    wanted = [t for t in (_designation_tokens(d) for d in designations) if t]
    ranked: list[tuple[int, int, int, SipriDeal]] = []
    for deal in deals:
        if not (_same(deal.supplier, supplier) and _same(deal.recipient, recipient)):
            continue
        if year is not None and not _in_window(deal, year):
            continue
        rank = _designation_rank(deal, wanted)
        if rank is None:
            if category is None or deal.category != category:
                continue
            rank = 2
        distance = abs(year - deal.year_of_order) if year is not None else 0
        ranked.append((rank, distance, deal.line, deal))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked]
