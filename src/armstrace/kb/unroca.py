"""Read UN Register of Conventional Arms (UNROCA) country reports into typed declarations.

Three forms are read: the JSON the Register's site serves per country (report years, then per
year an export and an import matrix keyed by category codes, `_1` the state's own report and
`_2` its partner's), and the CSV and HTML tables of a country report (Category, Final importer
state or Exporter state, Number of items, State of origin, Intermediate location(s),
Description of item, Comments). The exporter's and the importer's reports are kept apart.
It never fetches Register data and ships none.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from armstrace.errors import InputError
from armstrace.records import CATEGORIES, content_id
from armstrace.resources import load_yaml, require

__all__ = [
    "Declaration",
    "RegisterCategory",
    "UnrocaImport",
    "read_report",
    "register_category",
]

DATA_FILE = "unroca_categories.yaml"
SIDES = ("exporter", "importer")
_UAV = re.compile(r"\b(uavs?|unmanned|drones?|uas)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(\d[\d,\s]*)\s*$")


@dataclass(frozen=True, slots=True)
class RegisterCategory:
    numeral: str | None
    code: str
    name: str
    category: str  # the armstrace category
    threshold: str | None = None
    from_year: int | None = None
    until_year: int | None = None
    background: bool = False  # SALW: reported as background information only

    def holds(self, year: int) -> bool:
        return (self.from_year is None or year >= self.from_year) and (
            self.until_year is None or year <= self.until_year
        )


@cache
def _categories() -> tuple[RegisterCategory, ...]:
    data = load_yaml(DATA_FILE)
    require(
        isinstance(data, dict) and set(data) == {"categories"}, DATA_FILE, "one key, categories"
    )
    found = []
    for raw in data["categories"]:
        require(isinstance(raw, dict), DATA_FILE, f"entry {raw!r} is not a mapping")
        known = {"numeral", "code", "name", "category", "threshold", "from_year", "until_year",
                 "background"}  # fmt: skip
        require(set(raw) <= known, DATA_FILE, f"unknown keys {sorted(set(raw) - known)}")
        require(raw.get("category") in CATEGORIES, DATA_FILE, f"unknown category in {raw!r}")
        found.append(RegisterCategory(**raw))
    for entry in found:
        clashes = [
            other for other in found
            if other.code == entry.code and other is not entry
            and (other.from_year or 0) <= (entry.until_year or 9999)
            and (entry.from_year or 0) <= (other.until_year or 9999)
        ]  # fmt: skip
        require(not clashes, DATA_FILE, f"code {entry.code!r} listed twice for the same years")
    return tuple(found)


def _key(value: str) -> str:
    return re.sub(r"[\s.()]+", " ", value.strip().lower()).strip()


def register_category(value: str, year: int, description: str = "") -> RegisterCategory | None:
    """The Register category a code (`bt`, `bt_1`), numeral (`IV`, `VII a`) or name means in a
    report year; category IV with a description naming UAVs is the armed-UAV category."""
    key = _key(value)
    code = re.sub(r"_[12]$", "", key)
    for entry in _categories():
        if not entry.holds(year):
            continue
        if code == entry.code or key == entry.name:
            return entry
        if entry.numeral is not None and key.replace(" ", "") == entry.numeral.lower().replace(
            " ", ""
        ):
            if entry.code == "ca" and _UAV.search(description):
                return register_category("auavf", year)
            return entry
    return None


@dataclass(frozen=True, slots=True)
class Declaration:
    """One transfer as one state declared it: `reporter` says whose report (the exporter's or
    the importer's); `reporting_state` is that state. Actors are armstrace codes."""

    id: str
    reporter: str  # "exporter" | "importer"
    reporting_state: str | None
    exporter: str | None
    importer: str | None
    year: int
    register_code: str  # bt, acv, ... (the Register's category)
    register_name: str
    category: str  # the armstrace category
    items: int | None
    state_of_origin: str | None = None
    intermediate: str | None = None
    description: str = ""
    comments: str = ""
    source: str = ""  # the file it was read from
    background: bool = False

    @property
    def key(self) -> tuple[str | None, str | None, int, str]:
        return (self.exporter, self.importer, self.year, self.register_code)


def declaration(
    *,
    reporter: str,
    reporting_state: str | None,
    exporter: str | None,
    importer: str | None,
    year: int,
    kind: RegisterCategory,
    items: int | None,
    source: str,
    origin: str | None = None,
    intermediate: str | None = None,
    description: str = "",
    comments: str = "",
) -> Declaration:
    return Declaration(
        id=content_id(
            "unroca",
            reporter,
            reporting_state or "",
            exporter or "",
            importer or "",
            str(year),
            kind.code,
            description.strip().lower(),
        ),
        reporter=reporter,
        reporting_state=reporting_state,
        exporter=exporter,
        importer=importer,
        year=year,
        register_code=kind.code,
        register_name=kind.name,
        category=kind.category,
        items=items,
        state_of_origin=origin,
        intermediate=intermediate,
        description=description.strip(),
        comments=comments.strip(),
        source=source,
        background=kind.background,
    )


@dataclass(frozen=True, slots=True)
class UnrocaImport:
    declarations: tuple[Declaration, ...]
    nil_reports: tuple[tuple[str, int, str], ...]  # (state, year, "exports" | "imports")
    warnings: tuple[str, ...]


class _Reader:
    def __init__(self, source: str) -> None:
        from armstrace.extract.actors import resolve_actor

        self.source = source
        self.resolve = resolve_actor
        self.found: list[Declaration] = []
        self.nil: list[tuple[str, int, str]] = []
        self.warnings: list[str] = []

    def actor(self, name: Any, where: str) -> str | None:
        text = str(name or "").strip()
        if not text:
            return None
        code = self.resolve(text)
        if code is None:
            self.warnings.append(f"{where}: state {text!r} not known; kept by its name")
            return text
        return code

    def number(self, value: Any, where: str) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise InputError(f"{where}: number of items {value!r} is not a number")
        if isinstance(value, int):
            return value
        match = _NUMBER.match(str(value))
        if match is None:
            self.warnings.append(f"{where}: number of items {value!r} not read; kept as unknown")
            return None
        return int(re.sub(r"[,\s]", "", match.group(1)))

    def add(self, **values: Any) -> None:
        self.found.append(declaration(source=self.source, **values))

    def result(self) -> UnrocaImport:
        unique = {d.id: d for d in self.found}
        return UnrocaImport(tuple(unique.values()), tuple(self.nil), tuple(self.warnings))


# --- JSON --------------------------------------------------------------------------------------


def _rows(matrix: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(partner, cells) from a matrix keyed by partner or a list of rows naming it."""
    if isinstance(matrix, Mapping):
        for partner, cells in matrix.items():
            if isinstance(cells, Mapping):
                yield str(partner), cells
    elif isinstance(matrix, list):
        for row in matrix:
            if isinstance(row, Mapping):
                partner = row.get("partner") or row.get("state") or row.get("country") or ""
                yield str(partner), row


def _json(reader: _Reader, data: Any) -> None:
    if not isinstance(data, Mapping):
        raise InputError("a UNROCA JSON report is an object with the country and its years")
    state_name = data.get("country") or data.get("state") or data.get("reporting_state")
    state = reader.actor(state_name, "country")
    if state is None:
        raise InputError('a UNROCA JSON report names its state ("country")')
    years = data.get("reports") or data.get("years_data") or {}
    if not isinstance(years, Mapping):
        raise InputError('"reports" must map each report year to its exports and imports')
    for year_text, report in years.items():
        if not str(year_text).isdigit() or not isinstance(report, Mapping):
            reader.warnings.append(f"report year {year_text!r} not read (not a year)")
            continue
        year = int(year_text)
        for direction in ("exports", "imports"):
            matrix = report.get(direction)
            if matrix in (None, [], {}):
                if report.get(f"nil_{direction}") or report.get("nil"):
                    reader.nil.append((state, year, direction))
                continue
            for partner_name, cells in _rows(matrix):
                _json_row(reader, state, year, direction, partner_name, cells)


def _json_row(
    reader: _Reader, state: str, year: int, direction: str, partner_name: str,
    cells: Mapping[str, Any],
) -> None:  # fmt: skip
    where = f"{year} {direction}, {partner_name or '?'}"
    partner = reader.actor(partner_name, where)
    exporter, importer = (state, partner) if direction == "exports" else (partner, state)
    description = str(cells.get("description") or "")
    for name, value in cells.items():
        match = re.fullmatch(r"([a-z][a-z0-9_]*?)_([12])", str(name))
        if match is None or value in (None, ""):
            continue
        kind = register_category(match.group(1), year, description)
        if kind is None:
            if not match.group(1).startswith(("sa", "lw")):
                reader.warnings.append(f"{where}: unknown category code {name!r}")
            kind = register_category("salw", year)
            if kind is None:
                continue
        own = match.group(2) == "1"
        # `_1` is the reporting state's own report; `_2` its partner's report of the transfer.
        own_side = "exporter" if direction == "exports" else "importer"
        side = own_side if own else ("importer" if own_side == "exporter" else "exporter")
        reader.add(
            reporter=side,
            reporting_state=state if own else partner,
            exporter=exporter,
            importer=importer,
            year=year,
            kind=kind,
            items=reader.number(value, where),
            origin=reader.actor(cells.get("origin"), where) if cells.get("origin") else None,
            intermediate=str(cells.get("intermediate") or "") or None,
            description=description,
            comments=str(cells.get("comments") or ""),
        )


# --- CSV and HTML tables -----------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "category": ("category",),
    "importer": ("final importer state", "final importer state(s)", "importer state"),
    "exporter": ("exporter state", "exporter state(s)"),
    "items": ("number of items",),
    "origin": ("state of origin", "state of origin (if not exporter)"),
    "intermediate": ("intermediate location", "intermediate location(s)",
                     "intermediate location(s) (if any)"),
    "description": ("description of item", "description of items"),
    "comments": ("comments on the transfer", "comments"),
    "year": ("year", "calendar year", "report year"),
    "reporting": ("reporting state", "report of"),
}  # fmt: skip
_PREAMBLE = re.compile(r"^\s*(reporting state|report of|calendar year|year)\s*:\s*(.+?)\s*$", re.I)


def _header(cells: list[str]) -> dict[str, int] | None:
    names = [_key(cell).replace(" if not exporter", "").strip() for cell in cells]
    index: dict[str, int] = {}
    for field, variants in COLUMNS.items():
        for number, name in enumerate(names):
            if name in {_key(v) for v in variants}:
                index[field] = number
                break
    if "category" in index and ("importer" in index) != ("exporter" in index):
        return index
    return None


def _table(reader: _Reader, rows: Iterable[list[str]], state: str | None, year: int | None) -> None:
    """Rows of one or more report tables: a header row starts each, naming its direction."""
    header: dict[str, int] | None = None
    for number, cells in enumerate(rows, start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if len(cells) == 1 or (len(cells) == 2 and cells[0].endswith(":")):
            match = _PREAMBLE.match(" ".join(cells))
            if match:
                field, value = match.group(1).lower(), match.group(2)
                if "year" in field:
                    year = int(value[:4]) if value[:4].isdigit() else year
                else:
                    state = reader.actor(value, f"line {number}")
            elif re.fullmatch(r"(?i)nil( report)?", cells[0]) and state and year:
                reader.nil.append(
                    (state, year, "exports" if header and "importer" in header else "imports")
                )
            continue
        found = _header(cells)
        if found is not None:
            header = found
            continue
        if header is None:
            continue
        _table_row(reader, header, cells, state, year, number)


def _table_row(
    reader: _Reader, header: dict[str, int], cells: list[str], state: str | None,
    year: int | None, number: int,
) -> None:  # fmt: skip
    def cell(field: str) -> str:
        index = header.get(field)
        return cells[index] if index is not None and index < len(cells) else ""

    where = f"line {number}"
    row_state = reader.actor(cell("reporting"), where) if cell("reporting") else state
    row_year = int(cell("year")[:4]) if cell("year")[:4].isdigit() else year
    if row_state is None or row_year is None:
        raise InputError(
            f"{where}: the report's state and year are not given: add 'Reporting state: NAME' "
            "and 'Calendar year: YYYY' lines above the table (or --state and --year)"
        )
    kind = register_category(cell("category"), row_year, cell("description"))
    if kind is None:
        reader.warnings.append(f"{where}: category {cell('category')!r} not known; row skipped")
        return
    exports = "importer" in header
    partner = reader.actor(cell("importer" if exports else "exporter"), where)
    reader.add(
        reporter="exporter" if exports else "importer",
        reporting_state=row_state,
        exporter=row_state if exports else partner,
        importer=partner if exports else row_state,
        year=row_year,
        kind=kind,
        items=reader.number(cell("items"), where),
        origin=reader.actor(cell("origin"), where) if cell("origin") else None,
        intermediate=cell("intermediate") or None,
        description=cell("description"),
        comments=cell("comments"),
    )


def _html_rows(html: str) -> tuple[list[list[str]], str]:
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(html.encode("utf-8"))
    for element in root.xpath("//script|//style"):
        element.drop_tree()
    rows: list[list[str]] = []
    for node in root.iter("tr", "h1", "h2", "h3", "p", "caption"):
        if node.tag == "tr":
            rows.append([" ".join(c.text_content().split()) for c in node.xpath("./th|./td")])
        else:
            rows.append([" ".join(node.text_content().split())])
    return rows, root.text_content()


def read_report(
    path: str | Path, *, state: str | None = None, year: int | None = None
) -> UnrocaImport:
    """The declarations of one UNROCA report file (.json, .csv, .html); InputError when it is
    not one. `state` and `year` name a CSV or HTML report that does not say itself."""
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the UNROCA report {path}: {exc}") from exc
    reader = _Reader(file.name)
    code = reader.actor(state, "--state") if state else None
    stripped = text.lstrip()
    if file.suffix.lower() == ".json" or stripped.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from exc
        _json(reader, data)
    elif file.suffix.lower() in (".html", ".htm") or stripped.startswith("<"):
        rows, _ = _html_rows(text)
        _table(reader, rows, code, year)
    else:
        _table(reader, csv.reader(io.StringIO(text)), code, year)
    result = reader.result()
    if not result.declarations and not result.nil_reports:
        raise InputError(
            f"{path}: no declarations found; expected a UNROCA country report (JSON from the "
            "Register's site, or a table with Category, Final importer state or Exporter "
            "state, Number of items, ... columns)"
        )
    return result
