"""Place mentions: route points (ports, crossings, bases, towns), seas, straits and regions.

Matches the gazetteer in data/places.yaml against raw text (leftmost-longest, case-sensitive,
word-bounded) and decides how a place shows in a claim's `via`. It does not decide whether a
place is on a transfer's route: the transfer stage does that from the sentence's syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol

from armstrace.records import PlaceMention
from armstrace.resources import load_yaml, require

__all__ = ["KINDS", "Place", "find_places", "gazetteer", "is_inside", "lookup_place", "via_label"]

DATA_FILE = "places.yaml"
KINDS: frozenset[str] = frozenset(
    {"town", "port", "crossing", "rail", "base", "sea", "strait", "region", "plant"}
)
# Kinds that are never inside one country: their `via` label is their own name.
WATER_KINDS: frozenset[str] = frozenset({"sea", "strait"})
# Compass words that news writes in lower case before a proper name ("north Africa").
COMPASS = re.compile(
    r"^(North|South|East|West|Northern|Southern|Eastern|Western|Central|"
    r"Northeast|Northwest|Southeast|Southwest|North-east|North-west|South-east|South-west)\b"
)
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?;]\s")
NEAR_WINDOW = 60  # characters either side in which a `near` cue must occur
CODE = re.compile(r"^[A-Z]{3}$")


class PlaceLike(Protocol):
    """What via_label and is_inside need: a Place or a PlaceMention."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def country(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    name: str
    kind: str
    country: str | None
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    border_with: str | None = None

    def mention(self, start: int, end: int, text: str) -> PlaceMention:
        return PlaceMention(
            start=start,
            end=end,
            text=text,
            name=self.name,
            kind=self.kind,
            country=self.country,
            lat=self.lat,
            lon=self.lon,
        )


@dataclass(frozen=True, slots=True)
class _Alias:
    text: str
    place: Place | None = None  # set once the entry is built
    after: str | None = None
    not_followed_by: tuple[str, ...] = ()
    near: tuple[str, ...] = ()

    def variants(self) -> tuple[str, ...]:
        """The alias as written, plus its lower-case compass form ("north Africa")."""
        match = COMPASS.match(self.text)
        if match is None:
            return (self.text,)
        return (self.text, self.text[0].lower() + self.text[1:])

    def pattern(self, variant: str) -> str:
        core = r"\s+".join(re.escape(word) for word in variant.split())
        before = r"(?<!\w)"
        if self.after:
            first = self.after[0]
            before += rf"(?<=\b[{first.upper()}{first.lower()}]{re.escape(self.after[1:])}\s)"
        after = r"(?!\w)"
        if self.not_followed_by:
            words = "|".join(re.escape(w) for w in self.not_followed_by)
            after += rf"(?!\s+(?:{words})\b)"
        return before + core + after


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    places: tuple[Place, ...]
    by_key: Mapping[str, Place]  # lower-cased name or alias -> place, for lookup_place
    # first word of a variant -> (pattern, alias), longest variant first
    by_first_word: Mapping[str, tuple[tuple[re.Pattern[str], _Alias], ...]]


def _fold(text: str) -> str:
    return " ".join(text.split())


def _str_list(value: Any, where: str, name: str) -> tuple[str, ...]:
    require(
        isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
        DATA_FILE,
        f"{where}: `{name}` must be a list of non-empty strings",
    )
    return tuple(value)


def _parse_alias(raw: Any, where: str) -> _Alias:
    if isinstance(raw, str):
        require(bool(raw.strip()), DATA_FILE, f"{where}: empty alias")
        return _Alias(text=raw)
    require(isinstance(raw, dict), DATA_FILE, f"{where}: an alias must be a string or a mapping")
    unknown = set(raw) - {"text", "after", "not_followed_by", "near"}
    require(not unknown, DATA_FILE, f"{where}: unknown alias keys {sorted(unknown)}")
    text = raw.get("text")
    require(isinstance(text, str) and bool(text.strip()), DATA_FILE, f"{where}: alias needs text")
    after = raw.get("after")
    require(
        after is None or (isinstance(after, str) and after.isalpha()),
        DATA_FILE,
        f"{where}: `after` must be one word",
    )
    return _Alias(
        text=text,
        after=after,
        not_followed_by=_str_list(raw.get("not_followed_by", []), where, "not_followed_by"),
        near=_str_list(raw.get("near", []), where, "near"),
    )


def _parse_place(raw: Any, number: int) -> tuple[Place, list[_Alias]]:
    where = f"places[{number}]"
    require(isinstance(raw, dict), DATA_FILE, f"{where}: must be a mapping")
    name = raw.get("name")
    require(isinstance(name, str) and bool(name.strip()), DATA_FILE, f"{where}: needs a name")
    where = f"{where} ({name})"
    unknown = set(raw) - {"name", "aliases", "kind", "country", "border_with", "lat", "lon"}
    require(not unknown, DATA_FILE, f"{where}: unknown keys {sorted(unknown)}")
    kind = raw.get("kind")
    require(kind in KINDS, DATA_FILE, f"{where}: kind must be one of {sorted(KINDS)}")
    country = raw.get("country")
    require(
        country is None or (isinstance(country, str) and bool(CODE.match(country))),
        DATA_FILE,
        f"{where}: country must be an alpha-3 code or null",
    )
    require(
        country is None or kind not in WATER_KINDS,
        DATA_FILE,
        f"{where}: seas and straits have no country (their name is the via label)",
    )
    require(
        country is not None or kind in WATER_KINDS | {"region"},
        DATA_FILE,
        f"{where}: a {kind} needs a country",
    )
    border_with = raw.get("border_with")
    require(
        border_with is None
        or (kind == "crossing" and isinstance(border_with, str) and bool(CODE.match(border_with))),
        DATA_FILE,
        f"{where}: border_with is an alpha-3 code, for crossings only",
    )
    lat, lon = raw.get("lat"), raw.get("lon")
    require(
        isinstance(lat, int | float) and isinstance(lon, int | float),
        DATA_FILE,
        f"{where}: lat and lon must be numbers",
    )
    require(-90 <= lat <= 90 and -180 <= lon <= 180, DATA_FILE, f"{where}: lat/lon out of range")
    raw_aliases = raw.get("aliases", [])
    require(isinstance(raw_aliases, list), DATA_FILE, f"{where}: aliases must be a list")
    specs = [_parse_alias(item, where) for item in raw_aliases]
    place = Place(
        name=name,
        kind=kind,
        country=country,
        lat=float(lat),
        lon=float(lon),
        aliases=tuple(spec.text for spec in specs if spec.text != name),
        border_with=border_with,
    )
    if all(spec.text != name for spec in specs):
        specs.insert(0, _Alias(text=name))
    return place, [replace(spec, place=place) for spec in specs]


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """Load, validate and compile data/places.yaml once per process."""
    data = load_yaml(DATA_FILE)
    require(isinstance(data, dict), DATA_FILE, "top level must be a mapping with `places`")
    rows = data.get("places")
    require(isinstance(rows, list) and bool(rows), DATA_FILE, "`places` must be a non-empty list")
    places: list[Place] = []
    by_key: dict[str, Place] = {}
    by_variant: dict[str, _Alias] = {}
    for number, raw in enumerate(rows):
        place, aliases = _parse_place(raw, number)
        require(
            all(p.name != place.name for p in places), DATA_FILE, f"duplicate name {place.name}"
        )
        places.append(place)
        for alias in aliases:
            key = alias.text.lower()
            require(
                by_key.get(key, place) is place,
                DATA_FILE,
                f"alias {alias.text!r} names both {by_key.get(key)} and {place.name}",
            )
            by_key[key] = place
            for variant in alias.variants():
                folded = _fold(variant)
                require(
                    folded not in by_variant,
                    DATA_FILE,
                    f"alias {variant!r} is declared twice ({place.name})",
                )
                by_variant[folded] = alias
    # Longest first, so that at any word the scan prefers "Gulf of Oman" over "Gulf".
    grouped: dict[str, list[tuple[str, _Alias]]] = {}
    for variant, alias in sorted(by_variant.items(), key=lambda item: -len(item[0])):
        first = WORD.search(variant)
        require(first is not None, DATA_FILE, f"alias {variant!r} has no word")
        assert first is not None
        grouped.setdefault(first.group(), []).append((variant, alias))
    by_first_word = {
        word: tuple((re.compile(alias.pattern(variant)), alias) for variant, alias in items)
        for word, items in grouped.items()
    }
    return _Gazetteer(tuple(places), by_key, by_first_word)


def _cue_nearby(text: str, start: int, end: int, cues: Iterable[str]) -> bool:
    """True when a cue word occurs near the match, within the same sentence."""
    left = text[max(0, start - NEAR_WINDOW) : start]
    right = text[end : end + NEAR_WINDOW]
    left = SENTENCE_END.split(left)[-1]
    right = SENTENCE_END.split(right)[0]
    window = f"{left} {right}"
    return any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", window) for cue in cues)


def find_places(text: str) -> list[PlaceMention]:
    """Every gazetteer place named in `text`, leftmost-longest and non-overlapping."""
    if not isinstance(text, str) or not text:
        return []
    by_first_word = gazetteer().by_first_word
    out: list[PlaceMention] = []
    taken = 0
    for word in WORD.finditer(text):
        if word.start() < taken:
            continue
        for pattern, alias in by_first_word.get(word.group(), ()):
            match = pattern.match(text, word.start())
            if match is None or alias.place is None:
                continue
            if alias.near and not _cue_nearby(text, match.start(), match.end(), alias.near):
                continue
            out.append(alias.place.mention(match.start(), match.end(), match.group()))
            taken = match.end()
            break
    return out


def lookup_place(name: str) -> Place | None:
    """The gazetteer entry for a name or alias (case-insensitive), or None."""
    if not isinstance(name, str):
        return None
    return gazetteer().by_key.get(_fold(name).lower())


def _entry(place: PlaceLike) -> Place | None:
    if isinstance(place, Place):
        return place
    return gazetteer().by_key.get(place.name.lower())


def via_label(place: PlaceLike) -> str:
    """How a place shows in a claim's `via`: a sea's or region's own name, else its country."""
    if place.country is None:
        return place.name
    return place.country


def is_inside(place: PlaceLike, codes: set[str]) -> bool:
    """True when the place lies in one of `codes` (a route point, not a transit country).

    A border crossing counts as inside both of the countries it joins.
    """
    if place.country is not None and place.country in codes:
        return True
    entry = _entry(place)
    return entry is not None and entry.border_with is not None and entry.border_with in codes
