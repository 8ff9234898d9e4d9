"""Find the weapons, munitions, equipment and technology that a text names (model-free).

One Aho-Corasick automaton over the catalogue of named systems (data/weapons.yaml) and the generic
item terms (data/item_terms.yaml) finds the terms; adjacent terms join into one item ("Shahed-136
drones", "HIMARS ammunition") whose category follows the roles table, and the calibre and quantity
around it are read. It never decides whether an item moved, nor between whom.

Usage: an item term right before a usage noun ("drone strikes", "missile tests", "arms control")
names a use or a policy, not a thing that moves, and is not returned; a plural before such a
word ("Iranian drones attack...") is kept, since there the word is a verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any

import ahocorasick

from armstrace.records import CATEGORIES, ItemMention, Quantity
from armstrace.resources import load_yaml, require

__all__ = [
    "WeaponSystem",
    "all_terms",
    "find_items",
    "lookup_system",
    "makers",
    "parse_quantity",
]

WEAPONS_FILE = "weapons.yaml"
TERMS_FILE = "item_terms.yaml"
_DASHES = "-\u2010\u2011\u2212"  # hyphens; en and em dashes are punctuation
_HYPHEN = "[" + re.escape(_DASHES) + "]"
_SPACE_OR_HYPHEN = r"[\s" + re.escape(_DASHES) + "]"
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_FOLD = str.maketrans({**{c: " " for c in _DASHES}, "\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True, slots=True)
class WeaponSystem:
    """A named system of the catalogue."""

    name: str
    aliases: tuple[str, ...]
    category: str
    origin: str
    source: str


@dataclass(frozen=True, slots=True)
class _Term:
    """One matchable form: a catalogue alias or an inflected generic term."""

    category: str | None
    role: str
    plural: bool = False
    system: WeaponSystem | None = None
    cased: str | None = None  # match only this capitalisation (dash-folded)
    needs_head: bool = False
    generic: bool = False
    alone: str = "yes"  # yes | no | count
    modifier_only: bool = False
    attributive: bool = False
    not_after: frozenset[str] = frozenset()
    support: bool = False


@dataclass(frozen=True, slots=True)
class _Role:
    take: str
    system: str | None
    override: dict[str, str]


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    term: _Term
    plural: bool = False


def fold(text: str, hyphens: bool = True) -> str:
    """Lower-case, hyphens to spaces, curly quotes straight; never changes the length."""
    text = text.translate(_FOLD if hyphens else _QUOTES)
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def _plural(term: str) -> str:
    head, _, last = term.rpartition(" ")
    if re.search(r"(s|x|ch|sh)$", last, re.IGNORECASE) and not last.isupper():
        last += "es"
    elif re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}".strip()


def _words(name: str, data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    require(isinstance(value, list), name, f"`{key}` must be a list")
    return [str(v) for v in value]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    automaton: Any
    systems: dict[str, WeaponSystem]
    roles: dict[str, _Role]
    usage: frozenset[str]
    units: frozenset[str]  # usage words that count a named system: "an S-400 squadron"
    link_re: re.Pattern[str]
    left_re: re.Pattern[str]
    gap_re: re.Pattern[str]
    quantity_re: re.Pattern[str]
    measure_re: re.Pattern[str]


def _system_terms(systems: dict[str, WeaponSystem]) -> Iterable[tuple[str, _Term]]:
    data = load_yaml(WEAPONS_FILE)
    require(
        isinstance(data, dict) and isinstance(data.get("systems"), list),
        WEAPONS_FILE,
        "expected a mapping with a `systems` list",
    )
    owner: dict[str, str] = {}
    for number, row in enumerate(data["systems"], start=1):
        where = f"entry {number}"
        require(
            isinstance(row, dict) and isinstance(row.get("name"), str),
            WEAPONS_FILE,
            f"{where}: needs a string `name`",
        )
        name = row["name"]
        require(
            row.get("category") in CATEGORIES,
            WEAPONS_FILE,
            f"{name}: category {row.get('category')!r} is not one of claims.md",
        )
        require(
            bool(re.fullmatch(r"[A-Z]{3}", str(row.get("origin", "")))),
            WEAPONS_FILE,
            f"{name}: origin must be an ISO 3166-1 alpha-3 code",
        )
        require(bool(str(row.get("source") or "").strip()), WEAPONS_FILE, f"{name}: no source")
        aliases = _words(WEAPONS_FILE, row, "aliases")
        cased = _words(WEAPONS_FILE, row, "cased")
        needs_head = set(_words(WEAPONS_FILE, row, "needs_head"))
        system = WeaponSystem(
            name, tuple(aliases + cased), row["category"], row["origin"], row["source"]
        )
        for form in [name, *aliases, *cased]:
            key = re.sub(r"\s+", " ", fold(form)).strip()
            require(
                owner.setdefault(key, name) == name,
                WEAPONS_FILE,
                f"alias {form!r} names both {owner[key]!r} and {name!r}",
            )
            systems[key] = system
            exact = form.translate(_FOLD) if form in cased else None
            term = _Term(
                row["category"], "system", system=system, cased=exact, needs_head=form in needs_head
            )
            yield key, term
            joined = re.sub(r"(?<=[a-z]) (?=\d)|(?<=\d) (?=[a-z])", "", key)
            if exact is None and joined != key:
                yield joined, term  # "Shahed136", "Su35"


def _generic_terms(data: dict[str, Any], roles: dict[str, _Role]) -> Iterable[tuple[str, _Term]]:
    pairs = [tuple(fold(w) for w in pair) for pair in data.get("spelling_variants", [])]
    for row in data.get("terms", []):
        require(
            isinstance(row, dict) and isinstance(row.get("term"), str),
            TERMS_FILE,
            f"term entry {row!r} needs a string `term`",
        )
        name = row["term"]
        require(row.get("role") in roles, TERMS_FILE, f"{name}: unknown role {row.get('role')!r}")
        category = row.get("category")
        require(
            category is None or category in CATEGORIES,
            TERMS_FILE,
            f"{name}: category {category!r} is not one of claims.md",
        )
        alone = {True: "yes", False: "no", "count": "count"}.get(row.get("alone", True))
        require(alone is not None, TERMS_FILE, f"{name}: alone must be true, false or count")
        require(
            category is not None or alone == "no",
            TERMS_FILE,
            f"{name}: a term without category cannot stand alone",
        )
        template = _Term(
            category=category,
            role=row["role"],
            generic=bool(row.get("generic")),
            alone=str(alone),
            modifier_only=bool(row.get("modifier_only")),
            attributive=bool(row.get("attributive")),
            not_after=frozenset(fold(w) for w in row.get("not_after", [])),
            support=bool(row.get("support")),
        )
        forms = [(name, False)]
        if not row.get("mass") and not row.get("modifier_only"):
            forms.append((row.get("plural") or _plural(name), True))
        for form, plural in forms:
            key = fold(form)
            keys = {key}
            for a, b in pairs:
                for k in list(keys):
                    keys.add(re.sub(rf"\b{a}\b", b, k))
                    keys.add(re.sub(rf"\b{b}\b", a, k))
            term = replace(template, plural=plural and form != name)
            for k in keys:
                yield k, term


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation, longest first, in which a hyphen or a space matches either."""
    forms = sorted({fold(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", _SPACE_OR_HYPHEN) for w in forms)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_yaml(TERMS_FILE)
    require(isinstance(data, dict), TERMS_FILE, "expected a mapping")
    roles: dict[str, _Role] = {}
    for role, spec in (data.get("roles") or {}).items():
        require(spec.get("take") in ("head", "modifier"), TERMS_FILE, f"role {role}: bad take")
        override = dict(spec.get("map") or {})
        require(
            all(v in CATEGORIES for v in [*override, *override.values()]),
            TERMS_FILE,
            f"role {role}: map uses an unknown category",
        )
        roles[role] = _Role(spec["take"], spec.get("system"), override)
    roles["system"] = _Role("head", None, {})
    systems: dict[str, WeaponSystem] = {}
    table: dict[str, list[_Term]] = {}
    for key, term in [*_system_terms(systems), *_generic_terms(data, roles)]:
        table.setdefault(key, []).append(term)
    automaton = ahocorasick.Automaton()
    for key, terms in table.items():
        automaton.add_word(key, (key, tuple(terms)))
    automaton.make_automaton()
    mods = _alternation(_words(TERMS_FILE, data, "modifiers"))
    suffixes = _alternation(_words(TERMS_FILE, data, "modifier_suffixes"))
    modifier = rf"(?:{mods}|[a-z0-9.]+{_HYPHEN}(?:{suffixes}))"
    gap_suffixes = _alternation(_words(TERMS_FILE, data, "quantity_gap_suffixes"))
    gap = (
        rf"(?:{_alternation(_words(TERMS_FILE, data, 'quantity_gap'))}"
        rf"|[A-Z][\w'’.]*(?:{_HYPHEN}[A-Za-z]+)?|[\w'’.]+{_HYPHEN}(?:{gap_suffixes}))"
    )
    measures = _alternation(_words(TERMS_FILE, data, "measures"))
    return _Lexicon(
        automaton=automaton,
        systems=systems,
        roles=roles,
        usage=frozenset(fold(w) for w in _words(TERMS_FILE, data, "usage")),
        units=frozenset(fold(w) for w in _words(TERMS_FILE, data, "system_units")),
        link_re=re.compile(rf"\s+(?:{modifier}\s+){{0,3}}"),
        left_re=re.compile(rf"(?:(?<=\s)|^)(?:{_CALIBRE}|{modifier})\s+$", re.IGNORECASE),
        gap_re=re.compile(rf"(?:(?<=\s)|^){gap}\s+$"),
        quantity_re=re.compile(rf"(?<![\w$€£.,]){_quantity_pattern(measures)}\s+$", re.I),
        measure_re=re.compile(rf"\s({measures})(?:\s+of)?$", re.IGNORECASE),
    )


def all_terms() -> list[str]:
    """Every folded key the item matcher knows (systems, aliases, generic terms), for prefilters."""
    return list(_lexicon().automaton)


# --- calibre -------------------------------------------------------------------------------------

_CALIBRE = (
    r"(?:\.\d{2,3}|\d{1,3}(?:\.\d{1,2})?)(?:\s?[x×]\s?\d{2,3})?"
    r"\s?[-\u2010\u2011]?\s?(?:mm|millimet(?:er|re)s?|cm|cal(?:iber|ibre)?\b\.?)"
)
_CALIBRE_RE = re.compile(rf"(?<![\w.])({_CALIBRE})(?!\w)", re.IGNORECASE)


def _calibre_mm(text: str) -> float | None:
    match = _CALIBRE_RE.search(text)
    if not match:
        return None
    value = float(re.match(r"\.?\d+(?:\.\d+)?", match.group(1)).group(0))  # type: ignore[union-attr]
    unit = match.group(1).lower()
    if "cm" in unit and "mm" not in unit:
        return value * 10
    if "cal" in unit and value < 1:
        return round(value * 25.4, 2)
    return value


# --- quantity ------------------------------------------------------------------------------------

_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_UNITS = {w: i for i, w in enumerate(_NUMBER_WORDS)}
_TENS = {
    w: 10 * i
    for i, w in enumerate(
        ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
    if w
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORDNUM = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[-\s](?:{'|'.join(list(_UNITS)[1:10])}))?"
    rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))})"
)
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:hundred|thousand|million|billion)"
_APPROX = {
    "low": [
        "well over",
        "just over",
        "more than",
        "upwards of",
        "in excess of",
        "at least",
        "over",
        "a minimum of",
    ],
    "high": [
        "less than",
        "fewer than",
        "no more than",
        "as many as",
        "at most",
        "up to",
        "under",
        "just under",
    ],
    "about": [
        "approximately",
        "about",
        "around",
        "nearly",
        "almost",
        "some",
        "roughly",
        "an estimated",
        "estimated",
        "close to",
        "circa",
        "approx.",
    ],
}
_VAGUE = {  # plural scale words: "hundreds of" is 200..999
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "dozens": (24, 99),
    "scores": (40, 199),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "millions": (2_000_000, 9_999_999),
}
_FEW = {
    "several": (3, 9),
    "a few": (2, 5),
    "a couple of": (2, 3),
    "a couple": (2, 3),
    "multiple": (2, None),
    "a handful of": (2, 9),
    "numerous": (None, None),
}
_NUMBERLESS = (
    r"an? (?:significant|large|substantial|considerable|small|limited|unknown|"
    r"growing|great|huge) (?:number|quantity|amount|quantities) of|(?:significant|"
    r"large|substantial|considerable|vast|huge) (?:numbers|quantities|amounts)"
    r"(?: and multiple types)? of|a number of|numerous|multiple"
)


def _quantity_pattern(measures: str) -> str:
    count = (
        rf"(?:(?:{_NUM}|{_WORDNUM})(?:\s+{_SCALE})*|an?\s+{_SCALE}(?:\s+{_SCALE})*"
        rf"|half\s+a\s+million|(?:several|a\s+few|a\s+couple(?:\s+of)?)\s+(?:{_SCALE}|dozen)"
        rf"|(?:an?|one|two|three|{_NUM})\s+dozen)"
    )
    vague = (
        r"(?:tens|hundreds)\s+of\s+thousands\s+of"
        r"|(?:dozens|scores|hundreds|thousands|millions)\s+of"
    )
    few = r"several|a\s+few|a\s+couple\s+of|a\s+handful\s+of"
    rng = rf"between\s+{_NUM}\s+and\s+{_NUM}|{_NUM}\s*(?:to|-|–)\s*{_NUM}"
    approx = "|".join(re.escape(p).replace(r"\ ", r"\s+") for ps in _APPROX.values() for p in ps)
    return (
        rf"(?:(?:{approx})\s+)?(?:{rng}|{count}|{vague}|{_NUMBERLESS}|{few})"
        rf"(?:\s+(?:{measures})\s+of)?"
    )


def _count(words: str) -> float | None:
    total, current = 0.0, 0.0
    seen = False
    for word in re.split(r"[\s-]+", words.strip()):
        word = word.replace(",", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            current += float(word)
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in ("a", "an", "half"):
            current = current or (0.5 if word == "half" else 1)
            continue
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in _SCALES:
            if _SCALES[word] == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * _SCALES[word]
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_quantity(phrase: str) -> Quantity | None:
    """Read a quantity phrase: '36,000', 'hundreds of', 'more than 20,000 containers of'."""
    text = re.sub(r"\s+", " ", phrase.strip().lower().replace("\u2013", "-"))
    bound = None
    for kind, prefixes in _APPROX.items():
        for prefix in sorted(prefixes, key=len, reverse=True):
            if text.startswith(prefix + " "):
                bound, text = kind, text[len(prefix) + 1 :]
                break
        if bound:
            break
    unit = None
    measure = _lexicon().measure_re.search(text)
    if measure:
        unit, text = measure.group(1), text[: measure.start()].strip()
    text = re.sub(r"\s+of$", "", text)
    low: float | None
    high: float | None
    approximate = bound is not None
    if m := re.fullmatch(rf"(?:between )?({_NUM}) ?(?:and|to|-) ?({_NUM})", text):
        low, high = (float(g.replace(",", "")) for g in m.groups())
    elif text in _VAGUE:
        (low, high), approximate = _VAGUE[text], True
    elif m := re.fullmatch(
        r"(several|a few|a couple(?: of)?) (hundred|thousand|million|dozen)", text
    ):
        scale = 12 if m.group(2) == "dozen" else _SCALES[m.group(2)]
        few_low, few_high = _FEW[m.group(1)]
        low, high, approximate = (few_low or 0) * scale, (few_high or 0) * scale, True
    elif text in _FEW:
        (low, high), approximate = _FEW[text], True
    elif re.fullmatch(_NUMBERLESS, text) or re.fullmatch(_NUMBERLESS, text + " of"):
        low, high, approximate = None, None, True
    else:
        value = _count(text)
        if value is None:
            return None
        low = high = value
        if bound == "low":
            high = None
        elif bound == "high":
            low = None
    return Quantity(phrase.strip(), low, high, unit, approximate)


# --- matching ------------------------------------------------------------------------------------

_ATTACH_FOR = re.compile(r"\s+for\s+(?:the\s+|its\s+|their\s+|these\s+|those\s+|such\s+)?")
_ATTACH_OF = re.compile(r"\s+of\s+(?:the\s+)?")
_CONJUNCT = re.compile(r",?\s+(?:and|or)\s+")
_PAREN = re.compile(r"\s*\(([^()\n]{1,40})\)")
_FOR_ROLES = frozenset({"ammo", "missile", "part", "equipment", "tech"})


def _accept(
    text: str, folded: str, start: int, end: int, terms: tuple[_Term, ...]
) -> _Piece | None:
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in _DASHES):
        modifier_only = any(t.modifier_only for t in terms)
        if text[start - 1].isalnum() or not modifier_only:
            return None
        prefix = re.search(r"[\w.]+$", text[max(0, start - 31) : start - 1])
        start -= len(prefix.group(0)) + 1 if prefix else 0  # "GPS-guided", not "guided"
    plural_s = False
    if end < len(text):
        after = text[end + 1] if end + 1 < len(text) else " "
        if text[end] in "sS" and not after.isalnum() and any(t.system for t in terms):
            plural_s = True
        elif text[end].isalnum() or (text[end] in _DASHES and after.isalnum()):
            return None
    previous = re.search(r"([\w']+)\s+$", folded[max(0, start - 30) : start])
    for term in terms:
        if term.cased is not None and text[start:end].translate(_FOLD) != term.cased:
            continue
        if previous and previous.group(1) in term.not_after:
            continue
        if plural_s and not term.system:
            continue
        return _Piece(start, end + plural_s, term, plural_s or term.plural)
    return None


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    pieces: list[_Piece]
    category: str | None
    designation: str | None
    plural: bool
    context: bool = False
    calibre: float | None = None
    unit: str | None = None


def _compose(lex: _Lexicon, modifier: str | None, from_system: bool, head: _Term) -> str | None:
    if modifier is None:
        return head.category
    role = lex.roles[head.role]
    if modifier in role.override:
        return role.override[modifier]
    if role.take == "modifier" or (from_system and role.system == "modifier"):
        return modifier
    return head.category or modifier


def _chain(group: list[_Piece], lex: _Lexicon) -> _Found | None:
    while len(group) > 1 and group[0].term.alone == "no":
        group = group[1:]  # "will ship ballistic missiles": a head-only noun modifies nothing
    last = group[-1]
    while group and (last.term.modifier_only or (last.term.needs_head and not last.plural)):
        group = group[:-1]
        last = group[-1] if group else last
    if not group:
        return None
    category = group[0].term.category
    designation = group[0].term.system.name if group[0].term.system else None
    for previous, piece in pairwise(group):
        category = _compose(lex, category, previous.term.system is not None, piece.term)
        if designation is None and piece.term.system:
            designation = piece.term.system.name
    return _Found(
        group[0].start,
        group[-1].end,
        group,
        category,
        designation,
        group[-1].plural,
        context=len(group) > 1,
    )


def _raw_items(text: str, folded: str, lower: str, lex: _Lexicon) -> list[_Found]:
    candidates = []
    for last, (key, terms) in lex.automaton.iter(folded):
        piece = _accept(text, folded, last - len(key) + 1, last + 1, terms)
        if piece:
            candidates.append(piece)
    candidates.sort(key=lambda p: (p.start, -p.end))
    pieces: list[_Piece] = []
    for piece in candidates:
        if not pieces or piece.start >= pieces[-1].end:
            pieces.append(piece)
    found: list[_Found] = []
    i = 0
    while i < len(pieces):
        group = [pieces[i]]
        while i + 1 < len(pieces) and lex.link_re.fullmatch(
            lower, group[-1].end, pieces[i + 1].start
        ):
            i += 1
            group.append(pieces[i])
        i += 1
        item = _chain(group, lex)
        if item is None:
            continue
        if not _is_usage(item, folded, lex):
            found.append(item)
    return found


def _is_usage(item: _Found, folded: str, lex: _Lexicon) -> bool:
    """ "drone strikes", "rocket and drone attacks": a use, not an item (plurals may be verbs)."""
    head = item.pieces[-1].term
    if item.plural and not head.attributive and not head.system:
        return False
    after = folded[item.end : item.end + 40]
    word = re.match(r"\s+([a-z]+)\b", after)
    if word and head.system and word.group(1) in lex.units:
        return False  # "the third S-400 squadron", "a Patriot battalion": units of the system
    if word and word.group(1) in lex.usage:
        return True
    pair = re.match(r"\s+(?:and|or)\s+([a-z]+)\s+([a-z]+)\b", after)
    return bool(pair and pair.group(2) in lex.usage and lex.automaton.exists(pair.group(1)))


def _extend_left(item: _Found, lower: str, floor: int, lex: _Lexicon) -> None:
    for _ in range(4):
        low = max(floor, item.start - 60)
        while 0 < low < item.start and lower[low - 1].isalnum():
            low += 1
        match = lex.left_re.search(lower[low : item.start])
        if not match:
            return
        calibre = _calibre_mm(match.group(0))
        if calibre is not None and item.calibre is None:
            item.calibre = calibre
        item.start = low + match.start()
        item.context = True


def _attach(items: list[_Found], folded: str, lex: _Lexicon) -> list[_Found]:
    """Join "ammunition for HIMARS" and "rounds of 105 mm ammunition" into one item."""
    out: list[_Found] = []
    for item in items:
        if out:
            head, prev = out[-1].pieces[-1].term, out[-1]
            if (
                item.pieces[-1].term.role == "tech"
                and len(item.pieces) > 1
                and not prev.plural
                and len(prev.pieces) == 1
                and head.role != "generic"
                and _CONJUNCT.fullmatch(folded, prev.end, item.start)
            ):
                item.start, item.context = prev.start, True  # "UAV and cruise missile technology"
                out[-1] = item
                continue
            if head.role in _FOR_ROLES and _ATTACH_FOR.fullmatch(folded, prev.end, item.start):
                prev.category = _compose(lex, item.category, item.designation is not None, head)
            elif (
                head.role == "ammo"
                and len(prev.pieces) == 1
                and item.category == "ammunition"
                and _ATTACH_OF.fullmatch(folded, prev.end, item.start)
            ):
                prev.unit = folded[prev.pieces[0].start : prev.pieces[0].end]
                prev.category = item.category
            else:
                out.append(item)
                continue
            prev.end, prev.context = item.end, True
            prev.designation = prev.designation or item.designation
            prev.calibre = prev.calibre if prev.calibre is not None else item.calibre
            continue
        out.append(item)
    return out


def _quantity(text: str, item: _Found, floor: int, lex: _Lexicon) -> Quantity | None:
    prefix = text[max(floor, item.start - 120) : item.start]
    for _ in range(5):
        match = lex.quantity_re.search(prefix)
        if match:
            before = prefix[: match.start()]
            if match.group(0)[0].isdigit() and re.search(r"\b[A-Z][\w.]*\s+$", before):
                return None  # "Resolution 2231 drones", "Block 70 jets": a name, not a count
            quantity = parse_quantity(match.group(0))
            if quantity and quantity.unit is None and item.unit:
                quantity = Quantity(
                    quantity.text, quantity.low, quantity.high, item.unit, quantity.approximate
                )
            return quantity
        gap = lex.gap_re.search(prefix)
        if not gap:
            return None
        prefix = prefix[: gap.start()]
    return None


def _valid(item: _Found, quantity: Quantity | None) -> bool:
    if item.category is None:
        return False
    alone = item.pieces[-1].term.alone if len(item.pieces) == 1 else "yes"
    if alone == "no":
        return item.context
    if alone == "count":
        big = quantity is not None and max(quantity.low or 0, quantity.high or 0) >= 100
        return item.context or item.calibre is not None or big
    return True


# "ballistic missiles and related technology": what is related comes with the weapon before it.
_RELATED = re.compile(r"\b(?:related|associated|accompanying|ancillary)\s+$", re.IGNORECASE)


def find_items(text: str) -> list[ItemMention]:
    """Every item the text names, leftmost-longest and non-overlapping, with char offsets."""
    lex = _lexicon()
    folded, lower = fold(text), fold(text, hyphens=False)
    items = _raw_items(text, folded, lower, lex)
    floor = 0
    for item in items:
        _extend_left(item, lower, floor, lex)
        floor = item.end
    mentions: list[ItemMention] = []
    floor = 0
    for item in _attach(items, folded, lex):
        if item.start < floor:
            continue  # inside the parenthesis that the item before took in
        paren = _PAREN.match(text, item.end)
        if paren:
            key = re.sub(r"\s+", " ", fold(paren.group(1))).strip()
            if lex.automaton.exists(key) or key in lex.systems:
                item.end = paren.end()
                system = lex.systems.get(key)
                item.designation = item.designation or (system.name if system else None)
        quantity = _quantity(text, item, floor, lex)
        floor = item.end
        if not _valid(item, quantity):
            continue
        head = item.pieces[-1].term
        mentions.append(
            ItemMention(
                start=item.start,
                end=item.end,
                text=text[item.start : item.end],
                category=str(item.category),
                designation=item.designation,
                generic=head.generic and item.category == "military_equipment_unspecified",
                support=(head.support and len(item.pieces) == 1)
                or bool(_RELATED.search(text, max(0, item.start - 16), item.start)),
                calibre_mm=item.calibre,
                quantity=quantity,
            )
        )
    return mentions


def lookup_system(name: str) -> WeaponSystem | None:
    """The catalogue entry a name or alias designates ("Geran-2" -> Shahed-136), or None."""
    systems = _lexicon().systems
    key = re.sub(r"\s+", " ", fold(name)).strip()
    if key not in systems and key.endswith("s"):
        key = key[:-1]
    return systems.get(key)


def makers(items: Iterable[ItemMention]) -> set[str]:
    """The states that designed the named systems among `items` (weapons.yaml `origin`)."""
    return {
        system.origin
        for item in items
        if item.designation and (system := lookup_system(item.designation)) is not None
    }
