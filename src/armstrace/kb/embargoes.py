"""Arms embargoes as data: which regimes were in force on a date, and which a transfer touches.

Reads `data/embargoes.yaml` (facts from the legal acts and from OpenSanctions programme files,
credit OpenSanctions, CC BY-NC 4.0) and flags claims for research; it never decides legality.

Who is bound. A regime bans trade with its targets in one or both directions, but it binds only
the states its issuer can bind (`binds`):
- UN Security Council measures bind every state (`universal`): a hit needs only the target side.
- An EU regime binds EU member states (membership checked on the transfer's date, so the UK is
  bound until 2020-12-31); a US, UK, ... regime binds that state.
So a non-universal regime flags a transfer only when the *other* party is bound: a ban on exports
to the target needs a bound supplier, a ban on imports from it a bound recipient. Germany -> Russia
in 2024 touches EU-RUS-2014; North Korea -> Russia does not (it touches UN-1718 instead); an
unknown counterparty never satisfies a non-universal regime.

Direction. The supplier side is hit when the supplier is a target of a regime that bans imports
from the target (`imports_from_target`); the recipient side when the recipient is a target of one
that bans exports to it (`exports_to_target`). Given a claim category, a hit also needs the
regime's coverage in that direction (e.g. UN-2231-MISSILE covers drones and missiles, not shells).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from armstrace.errors import DataFileError
from armstrace.records import CATEGORIES
from armstrace.resources import load_yaml, require

__all__ = [
    "DIRECTIONS",
    "Embargo",
    "EmbargoHit",
    "Scope",
    "check_transfer",
    "in_force",
    "load_embargoes",
]

DATA_FILE = "embargoes.yaml"
DIRECTIONS: tuple[str, ...] = ("exports_to_target", "imports_from_target")
UNIVERSAL = "universal"
Party = Literal["supplier", "recipient"]

_ALPHA3 = re.compile(r"^[A-Z]{3}$")
_ENTRY_ID = re.compile(r"^[A-Z]{2}-[A-Z0-9]+(-[A-Z0-9]+)*$")
_PROGRAM = re.compile(r"^[A-Z]+(-[A-Z0-9]+)+$")
_REQUIRED = frozenset(
    {"id", "issuer", "targets", "scope", "legal_basis", "start", "end", "source"}
    | {"opensanctions_program"}
)
_OPTIONAL = frozenset({"territory", "limitation", "note", "binds"})
_ARMS_COVERS = frozenset({"arms", "major_conventional_arms"})


@dataclass(frozen=True, slots=True)
class Scope:
    """What a regime bans in each direction; an empty tuple means that direction is not banned."""

    exports_to_target: tuple[str, ...] = ()
    imports_from_target: tuple[str, ...] = ()

    def covers(self, direction: str) -> tuple[str, ...]:
        return (
            self.exports_to_target
            if direction == "exports_to_target"
            else (self.imports_from_target)
        )


@dataclass(frozen=True, slots=True)
class Embargo:
    """One arms embargo or arms-related sanctions regime (or one phase of it)."""

    id: str
    issuer: str
    targets: tuple[str, ...]
    scope: Scope
    legal_basis: str
    start: date
    end: date | None
    opensanctions_program: str | None
    source: str
    binds: tuple[str, ...]  # "universal", bloc keys (EU) or alpha-3 codes
    territory: str | None = None
    limitation: str | None = None
    note: str | None = None

    def in_force_on(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    def targets_actor(self, actor: str) -> bool:
        folded = actor.casefold()
        return any(target.casefold() == folded for target in self.targets)


@dataclass(frozen=True, slots=True)
class EmbargoHit:
    """A transfer party that is a target of an embargo in force, with the reason in English."""

    embargo: Embargo
    party: Party
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Member:
    code: str
    name: str
    since: date | None
    until: date | None


@dataclass(frozen=True, slots=True)
class _Overlay:
    embargoes: tuple[Embargo, ...]
    issuers: Mapping[str, str]  # code -> display name
    blocs: Mapping[str, tuple[_Member, ...]]
    names: Mapping[str, str]
    coverage: Mapping[str, tuple[str, tuple[str, ...]]]  # key -> (label, categories)

    def name(self, code: str) -> str:
        if code in self.names:
            return self.names[code]
        for members in self.blocs.values():
            for member in members:
                if member.code == code:
                    return member.name
        return code

    def bound_by(self, embargo: Embargo, actor: str | None, on: date) -> str | None:
        """How `actor` is bound by the regime on `on` ("" when it binds every state), or None."""
        if UNIVERSAL in embargo.binds:
            return ""
        if actor is None:
            return None
        code = actor.upper()
        for key in embargo.binds:
            members = self.blocs.get(key)
            if members is None and code == key:
                return "by its own law"
            for member in members or ():
                joined = member.since is None or member.since <= on
                still = member.until is None or on <= member.until
                if member.code == code and joined and still:
                    return f"as an {key} member state"
        return None


# --- loading and validation ------------------------------------------------------------------


def load_embargoes(path: Path | None = None) -> tuple[Embargo, ...]:
    """Every embargo in the shipped file (cached), or in `path`; DataFileError when malformed."""
    return _overlay(path).embargoes


def _overlay(path: Path | None) -> _Overlay:
    return _shipped_overlay() if path is None else _parse(_read(path), path.name)


@cache
def _shipped_overlay() -> _Overlay:
    return _parse(load_yaml(DATA_FILE), DATA_FILE)


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise DataFileError(f"embargo file {path} cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"embargo file {path} is not valid YAML: {exc}") from exc


def _parse(raw: Any, name: str) -> _Overlay:
    require(isinstance(raw, dict), name, "the top level must be a mapping")
    for key in ("issuers", "blocs", "names", "coverage"):
        require(isinstance(raw.get(key), dict), name, f"`{key}` must be a mapping")
    require(
        isinstance(raw.get("embargoes"), list) and raw["embargoes"],
        name,
        "`embargoes` must be a non-empty list",
    )
    blocs = {key: _parse_bloc(key, members, name) for key, members in raw["blocs"].items()}
    issuers: dict[str, tuple[str, tuple[str, ...]]] = {}
    for code, spec in raw["issuers"].items():
        where = f"issuer {code}"
        require(
            isinstance(spec, dict) and isinstance(spec.get("name"), str),
            name,
            f"{where}: needs a `name`",
        )
        issuers[code] = (spec["name"], _parse_binds(spec.get("binds"), blocs, name, where))
    names = raw["names"]
    for code, label in names.items():
        require(
            bool(_ALPHA3.match(str(code))) and isinstance(label, str) and bool(label),
            name,
            f"names: {code!r} must be an alpha-3 code with a non-empty name",
        )
    coverage: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, spec in raw["coverage"].items():
        where = f"coverage {key}"
        require(
            isinstance(spec, dict) and isinstance(spec.get("label"), str),
            name,
            f"{where}: needs a `label`",
        )
        categories = spec.get("categories")
        require(
            isinstance(categories, list)
            and bool(categories)
            and all(category in CATEGORIES for category in categories),
            name,
            f"{where}: `categories` must be a non-empty list of {', '.join(CATEGORIES)}",
        )
        coverage[key] = (spec["label"], tuple(categories))
    embargoes: list[Embargo] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw["embargoes"], start=1):
        embargo = _parse_entry(entry, index, issuers, blocs, coverage, name)
        require(embargo.id not in seen, name, f"entry {embargo.id}: duplicate id")
        seen.add(embargo.id)
        embargoes.append(embargo)
    return _Overlay(
        embargoes=tuple(embargoes),
        issuers={code: spec[0] for code, spec in issuers.items()},
        blocs=blocs,
        names=dict(names),
        coverage=coverage,
    )


def _parse_bloc(key: str, members: Any, name: str) -> tuple[_Member, ...]:
    require(isinstance(members, list) and bool(members), name, f"bloc {key}: needs members")
    parsed = []
    for member in members:
        ok = isinstance(member, dict) and bool(_ALPHA3.match(str(member.get("code"))))
        require(
            ok and isinstance(member.get("name"), str),
            name,
            f"bloc {key}: member {member!r} needs an alpha-3 `code` and a `name`",
        )
        where = f"bloc {key} member {member['code']}"
        parsed.append(
            _Member(
                code=member["code"],
                name=member["name"],
                since=_parse_date(member.get("from"), name, where, "from", optional=True),
                until=_parse_date(member.get("until"), name, where, "until", optional=True),
            )
        )
    return tuple(parsed)


def _parse_binds(value: Any, blocs: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    ok = (
        isinstance(values, list)
        and bool(values)
        and all(
            isinstance(v, str) and (v == UNIVERSAL or v in blocs or bool(_ALPHA3.match(v)))
            for v in values
        )
    )
    require(ok, name, f"{where}: `binds` must be {UNIVERSAL!r}, a bloc key or alpha-3 codes")
    return tuple(values)


def _parse_date(value: Any, name: str, where: str, key: str, *, optional: bool) -> date | None:
    if value is None:
        require(optional, name, f"{where}: `{key}` is required")
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DataFileError(
            f"data file {name}: {where}: `{key}` must be an ISO date (YYYY-MM-DD), not {value!r}"
        ) from None


def _text(
    entry: Mapping[str, Any], key: str, name: str, where: str, *, optional: bool = False
) -> str | None:
    value = entry.get(key)
    if value is None and optional:
        return None
    require(
        isinstance(value, str) and bool(value.strip()),
        name,
        f"{where}: `{key}` must be non-empty text",
    )
    return str(value).strip()


def _parse_entry(
    entry: Any,
    index: int,
    issuers: Mapping[str, tuple[str, tuple[str, ...]]],
    blocs: Mapping[str, Any],
    coverage: Mapping[str, Any],
    name: str,
) -> Embargo:
    require(isinstance(entry, dict), name, f"entry #{index}: must be a mapping")
    where = f"entry {entry.get('id', f'#{index}')}"
    missing = sorted(_REQUIRED - entry.keys())
    require(not missing, name, f"{where}: missing {', '.join(missing)}")
    unknown = sorted(entry.keys() - _REQUIRED - _OPTIONAL)
    require(not unknown, name, f"{where}: unknown keys {', '.join(unknown)}")
    require(
        isinstance(entry["id"], str) and bool(_ENTRY_ID.match(entry["id"])),
        name,
        f"{where}: `id` must look like UN-1718 or EU-RUS-2014",
    )
    require(
        entry["issuer"] in issuers,
        name,
        f"{where}: unknown issuer {entry['issuer']!r} (known: {', '.join(issuers)})",
    )
    targets = entry["targets"]
    require(
        isinstance(targets, list)
        and bool(targets)
        and all(isinstance(t, str) and t.strip() for t in targets)
        and len(set(targets)) == len(targets),
        name,
        f"{where}: `targets` must be a non-empty list of distinct actor codes",
    )
    territory = entry.get("territory")
    require(
        territory is None or bool(_ALPHA3.match(str(territory))),
        name,
        f"{where}: `territory` must be an alpha-3 code",
    )
    scope = entry["scope"]
    require(
        isinstance(scope, dict) and bool(scope) and set(scope) <= set(DIRECTIONS),
        name,
        f"{where}: `scope` must map {' and/or '.join(DIRECTIONS)} to what they cover",
    )
    for direction, covers in scope.items():
        require(
            isinstance(covers, list) and bool(covers) and all(c in coverage for c in covers),
            name,
            f"{where}: scope {direction} must list some of {', '.join(coverage)}",
        )
    start = _parse_date(entry["start"], name, where, "start", optional=False)
    end = _parse_date(entry["end"], name, where, "end", optional=True)
    assert start is not None  # _parse_date raised otherwise
    require(end is None or start <= end, name, f"{where}: start {start} is after end {end}")
    program = entry["opensanctions_program"]
    require(
        program is None or (isinstance(program, str) and bool(_PROGRAM.match(program))),
        name,
        f"{where}: `opensanctions_program` must be a programme key such as EU-RUS",
    )
    binds = (
        issuers[entry["issuer"]][1]
        if entry.get("binds") is None
        else _parse_binds(entry["binds"], blocs, name, where)
    )
    return Embargo(
        id=entry["id"],
        issuer=entry["issuer"],
        targets=tuple(t.strip() for t in targets),
        scope=Scope(
            exports_to_target=tuple(scope.get("exports_to_target", ())),
            imports_from_target=tuple(scope.get("imports_from_target", ())),
        ),
        legal_basis=str(_text(entry, "legal_basis", name, where)),
        start=start,
        end=end,
        opensanctions_program=program,
        source=str(_text(entry, "source", name, where)),
        binds=binds,
        territory=territory,
        limitation=_text(entry, "limitation", name, where, optional=True),
        note=_text(entry, "note", name, where, optional=True),
    )


# --- queries ---------------------------------------------------------------------------------


def in_force(
    target: str,
    on: date,
    *,
    issuers: Iterable[str] | None = None,
    path: Path | None = None,
) -> list[Embargo]:
    """The embargoes naming `target` (alpha-3 or group name, any case) in force on `on`."""
    overlay = _overlay(path)
    wanted = _issuer_filter(issuers, overlay)
    return [
        embargo
        for embargo in overlay.embargoes
        if (wanted is None or embargo.issuer in wanted)
        and embargo.targets_actor(target)
        and embargo.in_force_on(on)
    ]


def check_transfer(
    supplier: str | None,
    recipient: str | None,
    on: date | None,
    *,
    issuers: Iterable[str] | None = None,
    category: str | None = None,
    path: Path | None = None,
) -> list[EmbargoHit]:
    """The embargoes a supplier -> recipient transfer on `on` (None: today) touches.

    `issuers` keeps only regimes of those issuers (UN, EU, US...); `category` (a claim category)
    keeps only regimes whose coverage in the relevant direction includes it.
    """
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; use one of {', '.join(CATEGORIES)}")
    if (
        supplier is not None
        and recipient is not None
        and supplier.casefold() == recipient.casefold()
    ):
        return []
    day = on if on is not None else date.today()
    overlay = _overlay(path)
    wanted = _issuer_filter(issuers, overlay)
    hits: list[EmbargoHit] = []
    for embargo in overlay.embargoes:
        if (wanted is not None and embargo.issuer not in wanted) or not embargo.in_force_on(day):
            continue
        sides: tuple[tuple[Party, str | None, str | None], ...] = (
            ("supplier", supplier, recipient),
            ("recipient", recipient, supplier),
        )
        for party, actor, other in sides:
            if actor is None or not embargo.targets_actor(actor):
                continue
            hit = _hit(overlay, embargo, party, actor, other, day, category)
            if hit is not None:
                hits.append(hit)
    return hits


def _issuer_filter(issuers: Iterable[str] | None, overlay: _Overlay) -> frozenset[str] | None:
    if issuers is None:
        return None
    wanted = frozenset(issuers)
    unknown = sorted(wanted - overlay.issuers.keys())
    if unknown:
        raise ValueError(
            f"unknown issuer(s) {', '.join(unknown)}; use {', '.join(overlay.issuers)}"
        )
    return wanted


def _hit(
    overlay: _Overlay,
    embargo: Embargo,
    party: Party,
    actor: str,
    other: str | None,
    on: date,
    category: str | None,
) -> EmbargoHit | None:
    direction = "imports_from_target" if party == "supplier" else "exports_to_target"
    covers = embargo.scope.covers(direction)
    if category is not None:
        covers = tuple(c for c in covers if category in overlay.coverage[c][1])
    if not covers:
        return None
    bound = overlay.bound_by(embargo, other, on)
    if bound is None:
        return None
    target = overlay.name(actor.upper()) if _ALPHA3.match(actor.upper()) else actor
    banned = set(embargo.scope.exports_to_target + embargo.scope.imports_from_target)
    kind = "arms embargo" if banned & _ARMS_COVERS else "arms-related restrictions"
    what = _join([overlay.coverage[c][0] for c in covers])
    flow = f"exports of {what} {'from' if party == 'supplier' else 'to'} {target}"
    reason = (
        f"{target} was under {embargo.issuer} {kind} {embargo.id} "
        f"({_short(embargo.legal_basis)}) on {on.isoformat()}: it bans {flow}"
    )
    if bound:
        role = "recipient" if party == "supplier" else "supplier"
        reason += f", and the {role}, {overlay.name(str(other).upper())}, is bound {bound}"
    else:
        reason += ", and it binds every state"
    if embargo.limitation:
        reason += f". Limitation: {embargo.limitation}"
    return EmbargoHit(embargo=embargo, party=party, actor=actor, reason=reason + ".")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _short(text: str, limit: int = 60) -> str:
    """A long legal basis cut at a separator: 'UNSCR 1718 (2006), 1874 (2009)…'."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(", ", 0, limit), text.rfind("; ", 0, limit))
    return (text[:cut] if cut > 0 else text[:limit]).rstrip() + "…"
