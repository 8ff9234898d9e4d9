"""Find states, armed groups and organisations in raw text and resolve them to codes.

A model-free, leftmost-longest matcher over word tokens built once from data/actors.yaml. It
reports character offsets into the original text and never decides roles (who supplies whom).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal, cast

from armstrace.errors import NotFoundError
from armstrace.records import ActorKind, ActorMention
from armstrace.resources import load_yaml, require

__all__ = [
    "Actor",
    "actor_kind",
    "actor_name",
    "all_actors",
    "find_actors",
    "fold_actor",
    "resolve_actor",
]

DATA_FILE = "actors.yaml"
FORMS = frozenset({"name", "short", "capital", "seat", "demonym", "leader", "agency", "group"})
SECTIONS: dict[str, ActorKind] = {
    "states": "state",
    "groups": "group",
    "organisations": "organisation",
}
# The YAML field an alias comes from decides its form; groups' own names are form "group".
FIELD_FORMS: dict[str, str] = {
    "names": "name",
    "short": "short",
    "capitals": "capital",
    "seats": "seat",
    "demonyms": "demonym",
    "agencies": "agency",
    "leaders": "leader",
}
ACTOR_KEYS = frozenset({"code", "name", "historical", *FIELD_FORMS})
# Demonyms that take no plural -s: "the Chinese", "the British", "the Swiss", "Frenchmen".
NO_PLURAL_ENDINGS = ("ese", "ish", "ss", "nch", "tch", "man", "men", "sy", "i-kiribati")

# Dotted abbreviations (U.S., D.P.R.K.) are one token; otherwise runs of word characters, so
# that apostrophes and hyphens split words: "Russia's" -> Russia + s, "Iranian-made" -> two.
TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+")
# What may separate two words of one name: spaces, hyphens, apostrophes, one comma
# ("Foreign, Commonwealth and Development Office", "Washington, D.C.").
GAP_RE = re.compile(r",?[\s\-\u2010\u2011\u2013'\u2019]*")
POSSESSIVE_RE = re.compile(r"['\u2019]s(?!\w)")
PLURAL_POSSESSIVE_RE = re.compile(r"['\u2019](?!\w)")

CaseRule = Literal["exact", "upper_or_title", "capital", "any"]


@dataclass(frozen=True, slots=True)
class Actor:
    """One known actor: its code, display name, kind and every alias that names it."""

    code: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...]
    historical: bool = False


@dataclass(frozen=True, slots=True)
class _Alias:
    """One way of writing an alias: its case rules and what it resolves to."""

    text: str
    words: tuple[str, ...]  # the alias's own tokens, as written
    rules: tuple[CaseRule, ...]
    code: str | None  # None for a non-actor phrase or a context-resolved alias
    kind: ActorKind = "state"
    form: str = "name"
    candidates: tuple[str, ...] = ()  # contextual: whichever one the document is about
    when_any: frozenset[str] = frozenset()  # contextual: `code` only if one of these was seen
    blocker: bool = False

    @property
    def contextual(self) -> bool:
        return bool(self.candidates or self.when_any)


@dataclass(frozen=True, slots=True)
class _Index:
    entries: dict[tuple[str, ...], tuple[_Alias, ...]]
    lengths: dict[str, tuple[int, ...]]  # first folded token -> alias lengths, longest first
    actors: dict[str, Actor]
    codes: dict[str, str]  # folded code -> code
    lookup: dict[tuple[str, ...], str]  # folded alias tokens -> code, for resolve_actor


@lru_cache(maxsize=65536)
def _fold(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokens(text: str) -> list[re.Match[str]]:
    return list(TOKEN_RE.finditer(text))


def _case_rule(word: str) -> CaseRule:
    if "." in word or (word.isupper() and len(word) <= 3):
        return "exact"
    if word.isupper():
        return "upper_or_title"
    if word[:1].isupper():
        return "capital"
    return "any"


def _case_ok(rule: CaseRule, alias_word: str, word: str) -> bool:
    if rule == "exact":
        return word == alias_word
    if rule == "upper_or_title":
        return word.isupper() or (word[:1].isupper() and word[1:].islower())
    if rule == "capital":
        return word[:1].isupper()
    return True


def _plural(demonym: str) -> str | None:
    lower = demonym.lower()
    if lower.endswith(NO_PLURAL_ENDINGS) or lower.endswith("s"):
        return None
    return demonym + "s"


def _strings(value: Any, where: str) -> list[str]:
    require(
        isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
        DATA_FILE,
        f"{where} must be a list of non-empty strings",
    )
    return [v.strip() for v in cast(list[str], value)]


class _Builder:
    """Collects aliases while validating: one alias (folded) may name only one code."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], list[_Alias]] = {}
        self.owner: dict[tuple[str, ...], str] = {}

    def add(self, alias: _Alias) -> None:
        key = tuple(_fold(w) for w in alias.words)
        require(bool(key), DATA_FILE, f"alias {alias.text!r} has no words")
        if alias.blocker:
            owner = "?non-actor"
        elif alias.contextual:
            owner = "?contextual " + " ".join(key)
        else:
            owner = cast(str, alias.code)
        previous = self.owner.setdefault(key, owner)
        require(
            previous == owner,
            DATA_FILE,
            f"alias {alias.text!r} names both {previous!r} and {owner!r}; keep it under one "
            "actor or move it to `contextual`",
        )
        same = self.entries.setdefault(key, [])
        if all(a.rules != alias.rules or a.words != alias.words for a in same):
            same.append(alias)


def _make_alias(text: str, **fields: Any) -> _Alias:
    words = tuple(m.group() for m in _tokens(text))
    return _Alias(text=text, words=words, rules=tuple(_case_rule(w) for w in words), **fields)


def _load_actor(raw: Any, kind: ActorKind, builder: _Builder) -> Actor:
    require(isinstance(raw, dict), DATA_FILE, f"every {kind} entry must be a mapping")
    entry = cast(dict[str, Any], raw)
    code, name = entry.get("code"), entry.get("name")
    require(isinstance(code, str) and bool(code), DATA_FILE, f"a {kind} entry has no code")
    require(isinstance(name, str) and bool(name), DATA_FILE, f"{code}: no name")
    unknown = set(entry) - ACTOR_KEYS
    require(not unknown, DATA_FILE, f"{code}: unknown keys {sorted(unknown)}")
    code, name = cast(str, code), cast(str, name)
    aliases: list[str] = []
    plan: list[tuple[str, str]] = [(name, "name")]
    for field, form in FIELD_FORMS.items():
        for text in _strings(entry.get(field, []), f"{code}.{field}"):
            plan.append((text, form))
            plural = _plural(text) if field == "demonyms" else None
            if plural:
                plan.append((plural, form))
    for text, form in plan:
        if kind == "group" and form in ("name", "short"):
            form = "group"
        builder.add(_make_alias(text, code=code, kind=kind, form=form))
        if text not in aliases:
            aliases.append(text)
    return Actor(code, name, kind, tuple(aliases), bool(entry.get("historical", False)))


def _load_contextual(raw: Any, known: Mapping[str, Actor], builder: _Builder) -> None:
    require(isinstance(raw, dict), DATA_FILE, "every contextual entry must be a mapping")
    entry = cast(dict[str, Any], raw)
    alias, form = entry.get("alias"), entry.get("form")
    require(isinstance(alias, str) and bool(alias), DATA_FILE, "a contextual entry has no alias")
    require(form in FORMS, DATA_FILE, f"contextual {alias!r}: form must be one of {sorted(FORMS)}")
    candidates = _strings(entry.get("candidates", []), f"contextual {alias!r}.candidates")
    when_any = _strings(entry.get("when_any", []), f"contextual {alias!r}.when_any")
    code = entry.get("code")
    require(
        bool(candidates) != (code is not None),
        DATA_FILE,
        f"contextual {alias!r}: give either `candidates` or `code` (+ `when_any`)",
    )
    for c in [*candidates, *when_any, *([code] if code else [])]:
        require(c in known, DATA_FILE, f"contextual {alias!r}: unknown code {c!r}")
    kind = known[code if isinstance(code, str) else candidates[0]].kind
    builder.add(
        _make_alias(
            cast(str, alias),
            code=code,
            kind=kind,
            form=cast(str, form),
            candidates=tuple(candidates),
            when_any=frozenset(when_any or ([code] if code else [])),
        )
    )


def _add_companies(builder: _Builder) -> None:
    """Defence firms stand for their state in transfer reporting ("Baykar delivered TB2s to
    Poland": Turkey supplies), like the agencies of actors.yaml; a name actors.yaml already
    gives to another actor keeps that meaning."""
    from armstrace.extract.companies import companies

    for company in companies().values():
        for text in (company.name, *company.aliases):
            key = tuple(_fold(m.group()) for m in _tokens(text))
            if key and builder.owner.get(key) in (None, company.country):
                builder.add(_make_alias(text, code=company.country, kind="state", form="agency"))


@cache
def _index() -> _Index:
    data = load_yaml(DATA_FILE)
    require(isinstance(data, dict), DATA_FILE, "top level must be a mapping")
    builder = _Builder()
    actors: dict[str, Actor] = {}
    for section, kind in SECTIONS.items():
        rows = data.get(section)
        require(isinstance(rows, list) and bool(rows), DATA_FILE, f"`{section}` must be a list")
        for raw in rows:
            actor = _load_actor(raw, kind, builder)
            require(
                actor.code.casefold() not in {c.casefold() for c in actors},
                DATA_FILE,
                f"code {actor.code} is listed twice",
            )
            actors[actor.code] = actor
    _add_companies(builder)
    lookup = {key: owner for key, owner in builder.owner.items() if not owner.startswith("?")}
    for raw in data.get("contextual") or []:
        _load_contextual(raw, actors, builder)
    for text in _strings(data.get("non_actors") or [], "non_actors"):
        for phrase in (text, text + "s") if text.endswith("an") else (text,):
            blocker = _make_alias(phrase, code=None, blocker=True)
            # Only the first word's case matters: "Korean peninsula" is as much a place.
            lenient = tuple(cast(CaseRule, "any") for _ in blocker.words[1:])
            rules = blocker.rules[:1] + lenient
            builder.add(_Alias(phrase, blocker.words, rules, None, blocker=True))
    lengths: dict[str, set[int]] = {}
    for key in builder.entries:
        lengths.setdefault(key[0], set()).add(len(key))
    return _Index(
        entries={k: tuple(v) for k, v in builder.entries.items()},
        lengths={k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        actors=actors,
        codes={code.casefold(): code for code in actors},
        lookup=lookup,
    )


# --- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    alias: _Alias


def _gap_ok(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    gap = text[left.end() : right.start()]
    if GAP_RE.fullmatch(gap):
        return True
    # "St. Lucia", "N. Korea": a period after a one- or two-letter word.
    return len(left.group()) <= 2 and GAP_RE.fullmatch(gap.removeprefix(".")) is not None


def _choose(
    text: str, tokens: list[re.Match[str]], i: int, n: int, options: Iterable[_Alias]
) -> _Alias | None:
    for alias in options:
        if not all(
            _case_ok(rule, word, tokens[i + k].group())
            for k, (rule, word) in enumerate(zip(alias.rules, alias.words, strict=True))
        ):
            continue
        if alias.contextual and i + n < len(tokens):
            # "Korean War", "the North Atlantic": part of a longer proper name, not an actor.
            nxt = tokens[i + n]
            if nxt.group()[:1].isupper() and text[tokens[i + n - 1].end() : nxt.start()].isspace():
                continue
        return alias
    return None


def _scan(text: str, index: _Index) -> list[_Hit]:
    tokens = _tokens(text)
    folded = [_fold(t.group()) for t in tokens]
    hits: list[_Hit] = []
    i = 0
    while i < len(tokens):
        step = 1
        for n in index.lengths.get(folded[i], ()):
            if i + n > len(tokens):
                continue
            options = index.entries.get(tuple(folded[i : i + n]))
            if not options:
                continue
            if not all(_gap_ok(text, tokens[k], tokens[k + 1]) for k in range(i, i + n - 1)):
                continue
            alias = _choose(text, tokens, i, n, options)
            if alias is None:
                continue
            hits.append(_Hit(tokens[i].start(), tokens[i + n - 1].end(), alias))
            step = n
            break
        i += step
    return hits


def _resolve_hit(alias: _Alias, seen: frozenset[str]) -> str | None:
    if alias.candidates:
        present = [c for c in alias.candidates if c in seen]
        return present[0] if len(present) == 1 else None
    if alias.when_any:
        return alias.code if alias.when_any & seen else None
    return alias.code


def _possessive(text: str, end: int, matched: str) -> bool:
    if POSSESSIVE_RE.match(text, end):
        return True
    return matched.endswith("s") and PLURAL_POSSESSIVE_RE.match(text, end) is not None


def find_actors(text: str, *, context: frozenset[str] = frozenset()) -> list[ActorMention]:
    """Actor mentions in `text`, in order, non-overlapping (leftmost-longest, at word bounds).

    Ambiguous aliases ("Korea", "the North") resolve through `context`, the codes already seen in
    the document, together with the codes this text names unambiguously; else they are skipped.
    """
    index = _index()
    hits = [h for h in _scan(text, index) if not h.alias.blocker]
    seen = context | {h.alias.code for h in hits if h.alias.code and not h.alias.contextual}
    mentions: list[ActorMention] = []
    for hit in hits:
        code = _resolve_hit(hit.alias, seen)
        if code is None:
            continue
        surface = text[hit.start : hit.end]
        mentions.append(
            ActorMention(
                start=hit.start,
                end=hit.end,
                text=surface,
                code=code,
                kind=index.actors[code].kind,
                form=hit.alias.form,
                possessive=_possessive(text, hit.end, surface),
            )
        )
    return mentions


# --- lookups ----------------------------------------------------------------------------------


def resolve_actor(name: str) -> str | None:
    """The code for any alias or code (case-insensitive), or None when unknown or ambiguous."""
    index = _index()
    value = name.strip()
    code = index.codes.get(value.casefold())
    if code is not None:
        return code
    value = POSSESSIVE_RE.sub("", value)
    words = tuple(_fold(m.group()) for m in _tokens(value))
    if words[:1] == ("the",) and words not in index.lookup:
        words = words[1:]
    return index.lookup.get(words)


def fold_actor(value: str | None) -> str | None:
    """Alias folding for scoring: the canonical code of a known alias or code, else `value`."""
    if value is None:
        return None
    return resolve_actor(value) or value.strip()


def _actor(code: str) -> Actor:
    index = _index()
    actor = index.actors.get(code) or index.actors.get(resolve_actor(code) or "")
    if actor is None:
        raise NotFoundError(f"unknown actor {code!r}: use an ISO alpha-3 code or a known name")
    return actor


def actor_name(code: str) -> str:
    """The display name of an actor code or alias; an unknown value is returned unchanged."""
    try:
        return _actor(code).name
    except NotFoundError:
        return code


def actor_kind(code: str) -> ActorKind:
    """ "state", "group" or "organisation"; raises NotFoundError for an unknown actor."""
    return _actor(code).kind


def all_actors() -> list[Actor]:
    """Every shipped actor, states first, in file order."""
    return list(_index().actors.values())


OFFICIAL_DOMAINS_FILE = "official_domains.yaml"


@cache
def _official_domains() -> dict[str, str]:
    data = load_yaml(OFFICIAL_DOMAINS_FILE)
    require(
        isinstance(data, dict) and isinstance(data.get("domains"), dict) and len(data) == 1,
        OFFICIAL_DOMAINS_FILE,
        "expected one mapping `domains` of suffix -> code",
    )
    known = _index().actors
    out: dict[str, str] = {}
    for suffix, code in data["domains"].items():
        require(code in known, OFFICIAL_DOMAINS_FILE, f"{suffix}: unknown code {code!r}")
        out[str(suffix).lower()] = code
    return out


def official_state(url: str | None) -> str | None:
    """The state whose government publishes at `url` ("https://www.defense.gov/...": USA), by
    the longest matching domain suffix of official_domains.yaml; None for other sites."""
    if not url:
        return None
    host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/", 1)[0].split(":", 1)[0]
    labels = host.split(".")
    domains = _official_domains()
    for start in range(len(labels)):
        code = domains.get(".".join(labels[start:]))
        if code is not None:
            return code
    return None
