"""Find the defence companies and state arms exporters a text names, with their home state.

The catalogue is data/companies.yaml, validated on first use. Matching is leftmost-longest on
word boundaries, with hyphens and spaces alike, accents folded and, for the names listed under
`cased`, the capitalisation given. It says where a company is based, never that it supplied.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from armstrace.resources import load_yaml, require

__all__ = ["Company", "CompanyMention", "companies", "find_companies"]

COMPANIES_FILE = "companies.yaml"
_FIELDS = frozenset({"name", "aliases", "cased", "country", "source", "note"})
_SEPARATOR = r"[\s\-\u2010\u2011]+"
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True, slots=True)
class Company:
    """A defence manufacturer or state exporter of the catalogue."""

    name: str
    aliases: tuple[str, ...]
    country: str  # ISO 3166-1 alpha-3 of its home state
    source: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CompanyMention:
    """A company named in the text, with char offsets and its home state."""

    start: int
    end: int
    text: str
    name: str
    country: str


def _fold_accents(text: str) -> str:
    """Each accented letter to its base letter ("Ş" -> "S"); never changes the length."""
    out = []
    for char in text.translate(_QUOTES):
        base = unicodedata.normalize("NFKD", char)
        out.append(base[0] if len(base) > 1 and unicodedata.combining(base[1]) else char)
    return "".join(out)


def _key(form: str) -> str:
    """The form two aliases share when they name the same thing: case, hyphens, accents."""
    return " ".join(re.split(_SEPARATOR, _fold_accents(form).lower().strip()))


def _strings(row: dict[str, Any], field: str, where: str) -> list[str]:
    value = row.get(field, [])
    require(
        isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
        COMPANIES_FILE,
        f"{where}: `{field}` must be a list of names",
    )
    return list(value)


def _company(number: int, row: Any) -> tuple[Company, list[str]]:
    where = f"entry {number}"
    require(isinstance(row, dict), COMPANIES_FILE, f"{where}: expected a mapping")
    require(isinstance(row.get("name"), str), COMPANIES_FILE, f"{where}: needs a string `name`")
    where = row["name"]
    unknown = sorted(set(row) - _FIELDS)
    require(not unknown, COMPANIES_FILE, f"{where}: unknown fields {unknown}")
    require(
        bool(re.fullmatch(r"[A-Z]{3}", str(row.get("country", "")))),
        COMPANIES_FILE,
        f"{where}: country must be an ISO 3166-1 alpha-3 code",
    )
    require(bool(str(row.get("source") or "").strip()), COMPANIES_FILE, f"{where}: no source")
    aliases, cased = _strings(row, "aliases", where), _strings(row, "cased", where)
    note = row.get("note")
    require(note is None or isinstance(note, str), COMPANIES_FILE, f"{where}: bad `note`")
    company = Company(row["name"], tuple(aliases + cased), row["country"], row["source"], note)
    return company, cased


@dataclass(frozen=True, slots=True)
class _Catalogue:
    companies: dict[str, Company]
    by_key: dict[str, Company]  # folded alias -> company
    loose: re.Pattern[str] | None  # aliases matched in any case
    exact: re.Pattern[str] | None  # `cased` aliases, matched as written


def _pattern(forms: list[str], flags: int) -> re.Pattern[str] | None:
    if not forms:
        return None
    ordered = sorted(set(forms), key=len, reverse=True)  # longest first: leftmost-longest
    body = "|".join(_SEPARATOR.join(map(re.escape, re.split(_SEPARATOR, f))) for f in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags)


@lru_cache(maxsize=1)
def _catalogue() -> _Catalogue:
    data = load_yaml(COMPANIES_FILE)
    require(
        isinstance(data, dict) and isinstance(data.get("companies"), list),
        COMPANIES_FILE,
        "expected a mapping with a `companies` list",
    )
    by_name: dict[str, Company] = {}
    by_key: dict[str, Company] = {}
    loose: list[str] = []
    exact: list[str] = []
    for number, row in enumerate(data["companies"], start=1):
        company, cased = _company(number, row)
        require(company.name not in by_name, COMPANIES_FILE, f"{company.name}: listed twice")
        by_name[company.name] = company
        for form in [company.name, *company.aliases]:
            owner = by_key.setdefault(_key(form), company)
            require(
                owner is company,
                COMPANIES_FILE,
                f"alias {form!r} names both {owner.name!r} and {company.name!r}",
            )
            (exact if form in cased else loose).append(_fold_accents(form))
    return _Catalogue(by_name, by_key, _pattern(loose, re.IGNORECASE), _pattern(exact, 0))


def companies() -> dict[str, Company]:
    """Every company of the catalogue, by canonical name."""
    return _catalogue().companies


def find_companies(text: str) -> list[CompanyMention]:
    """Every company the text names, leftmost-longest and non-overlapping, with char offsets."""
    catalogue = _catalogue()
    folded = _fold_accents(text)
    spans = [
        (m.start(), m.end())
        for pattern in (catalogue.loose, catalogue.exact)
        if pattern is not None
        for m in pattern.finditer(folded)
    ]
    mentions: list[CompanyMention] = []
    end = 0
    for start, stop in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < end:
            continue
        company = catalogue.by_key[_key(folded[start:stop])]
        mentions.append(
            CompanyMention(start, stop, text[start:stop], company.name, company.country)
        )
        end = stop
    return mentions
