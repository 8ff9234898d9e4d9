"""Corroboration: how many independent sources stand behind a set of claims, and of what kind.

Claims share an origin when their documents are near-duplicates (MinHash over word shingles),
credit the same wire agency, quote the same named speaker, or are the same outlet's own or
anonymous reporting. Independent sources are the groups that remain. Nothing here reads a model.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from armstrace.records import Claim, Document, normalise_text
from armstrace.resources import load_yaml, require

__all__ = [
    "NEAR_DUPLICATE",
    "SHINGLE_WORDS",
    "SOURCE_KINDS",
    "Agency",
    "DocumentOrigin",
    "credited_agency",
    "document_origin",
    "independent_groups",
    "minhash",
    "outlet_of",
    "parse_signature",
    "same_speaker",
    "shingles",
    "signature_text",
    "similarity",
    "source_kind",
    "speaker_key",
]

DATA_FILE = "source_kinds.yaml"
SOURCE_KINDS: tuple[str, ...] = ("official", "expert", "anonymous", "outlet", "author")

# Two documents are one origin when the estimated Jaccard similarity of their sets of 5-word
# shingles is at least NEAR_DUPLICATE. A wire story republished with a new headline, dateline
# and a trimmed paragraph stays above 0.5; two reporters writing up the same press conference
# share a few quotes and land well below 0.2 (tests/kb/test_corroboration.py pins both).
SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.5
PERMUTATIONS = 64
_PRIME = (1 << 61) - 1
_SEED = 20240901  # fixed: signatures must be the same on every machine and every run

_WORD = re.compile(r"\w+")
_DATELINE_OUTLET = re.compile(r"^[^\n(]{0,60}\(([^()\n]{2,40})\)\s*[-\u2013\u2014]")


@dataclass(frozen=True, slots=True)
class Agency:
    name: str
    pattern: re.Pattern[str]  # any way the text names it
    dateline: re.Pattern[str]
    credit: re.Pattern[str]
    domains: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Tables:
    order: tuple[str, ...]
    cues: Mapping[str, re.Pattern[str]]
    agencies: tuple[Agency, ...]


def _phrases(names: Iterable[str], sensitive: Iterable[str]) -> str:
    parts = [f"(?i:{re.escape(name)})" for name in names]
    parts += [re.escape(name) for name in sensitive]
    return "(?:" + "|".join(parts) + ")"


@cache
def _tables() -> _Tables:
    raw: Any = load_yaml(DATA_FILE)
    require(isinstance(raw, dict), DATA_FILE, "the top level must be a mapping")
    order = raw.get("order")
    kinds = raw.get("kinds")
    require(
        isinstance(order, list) and isinstance(kinds, dict) and set(order) == set(kinds),
        DATA_FILE,
        "`order` must list exactly the keys of `kinds`",
    )
    require(set(order) <= set(SOURCE_KINDS), DATA_FILE, f"kinds must be among {SOURCE_KINDS}")
    cues: dict[str, re.Pattern[str]] = {}
    for kind in order:
        phrases = kinds[kind].get("phrases") if isinstance(kinds[kind], dict) else None
        require(
            isinstance(phrases, list) and all(isinstance(p, str) and p for p in phrases),
            DATA_FILE,
            f"kind {kind}: `phrases` must be a list of non-empty strings",
        )
        ordered = sorted(list(phrases or []), key=len, reverse=True)
        alternation = "|".join(re.escape(p) for p in ordered)
        cues[kind] = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    patterns = raw.get("credit_patterns")
    require(
        isinstance(patterns, dict)
        and isinstance(patterns.get("dateline"), str)
        and isinstance(patterns.get("anywhere"), list),
        DATA_FILE,
        "`credit_patterns` needs a `dateline` pattern and an `anywhere` list",
    )
    agencies = []
    for entry in raw.get("agencies") or []:
        require(
            isinstance(entry, dict) and isinstance(entry.get("name"), str),
            DATA_FILE,
            f"agency {entry!r} needs a `name`",
        )
        names = entry.get("aliases") or []
        sensitive = entry.get("case_sensitive") or []
        domains = entry.get("domains") or []
        require(
            all(isinstance(v, list) for v in (names, sensitive, domains))
            and bool(names or sensitive),
            DATA_FILE,
            f"agency {entry['name']}: aliases, case_sensitive and domains must be lists",
        )
        alias = _phrases(names, sensitive)
        named = rf"(?<![\w-]){alias}(?![\w-])"
        try:
            dateline = re.compile(patterns["dateline"].replace("{agency}", named))
            credit = re.compile(
                "|".join(f"(?:{p.replace('{agency}', named)})" for p in patterns["anywhere"])
            )
        except re.error as exc:
            require(False, DATA_FILE, f"credit_patterns for {entry['name']}: {exc}")
            raise
        agencies.append(Agency(entry["name"], re.compile(named), dateline, credit, tuple(domains)))
    require(bool(agencies), DATA_FILE, "`agencies` must be a non-empty list")
    return _Tables(tuple(order), cues, tuple(agencies))


# --- near-duplicate documents ------------------------------------------------------------------


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The set of `size`-word shingles of the normalised text (the whole text if shorter)."""
    words = _WORD.findall(normalise_text(text))
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@cache
def _permutations() -> tuple[tuple[int, int], ...]:
    rng = random.Random(_SEED)
    return tuple((rng.randrange(1, _PRIME), rng.randrange(0, _PRIME)) for _ in range(PERMUTATIONS))


def minhash(text: str) -> tuple[int, ...]:
    """A MinHash signature: for each of PERMUTATIONS hash functions, the least shingle hash."""
    hashes = [
        int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")
        for s in shingles(text)
    ]
    if not hashes:
        return (_PRIME,) * PERMUTATIONS
    return tuple(min((a * h + b) % _PRIME for h in hashes) for a, b in _permutations())


def similarity(left: Sequence[int], right: Sequence[int]) -> float:
    """Estimated Jaccard similarity: the share of hash functions whose minimum agrees."""
    if not left or len(left) != len(right):
        return 0.0
    return sum(1 for a, b in zip(left, right, strict=True) if a == b) / len(left)


def signature_text(signature: Sequence[int]) -> str:
    return " ".join(f"{value:x}" for value in signature)


def parse_signature(text: str) -> tuple[int, ...]:
    return tuple(int(value, 16) for value in text.split())


# --- wire copy and outlets ---------------------------------------------------------------------


def credited_agency(document: Document) -> str | None:
    """The wire agency a document credits (outlet field, URL, dateline or a credit phrase)."""
    tables = _tables()
    host = (urlsplit(document.url).hostname or "").lower() if document.url else ""
    for agency in tables.agencies:
        if document.outlet and agency.pattern.fullmatch(document.outlet.strip()):
            return agency.name
        if host and any(host == d or host.endswith("." + d) for d in agency.domains):
            return agency.name
    head = document.text[:400]
    for agency in tables.agencies:
        if agency.dateline.search(head) or agency.credit.search(document.text):
            return agency.name
    return None


def outlet_of(document: Document) -> str | None:
    """The outlet that published a document: its OUTLET field, its dateline credit or its host."""
    if document.outlet and document.outlet.strip():
        return document.outlet.strip()
    match = _DATELINE_OUTLET.match(document.text)
    if match:
        return match.group(1).strip()
    if document.url:
        host = (urlsplit(document.url).hostname or "").lower()
        return host.removeprefix("www.") or None
    return None


@dataclass(frozen=True, slots=True)
class DocumentOrigin:
    """What corroboration needs of a document, computed once from its text and kept."""

    outlet: str | None
    agency: str | None
    signature: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "agency": self.agency,
            "signature": signature_text(self.signature),
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> DocumentOrigin:
        return DocumentOrigin(data["outlet"], data["agency"], parse_signature(data["signature"]))


def document_origin(document: Document) -> DocumentOrigin:
    return DocumentOrigin(outlet_of(document), credited_agency(document), minhash(document.text))


# --- source kinds ------------------------------------------------------------------------------


def source_kind(
    source: str | None, title: str | None = None, affiliation: str | None = None
) -> str:
    """official, expert, anonymous, outlet or author (no source: the author asserts it).

    The first kind in the data file's order whose cues match the source name (anonymous: the
    name only), the speaker's title or affiliation wins; a source naming a state or armed group
    is official; any other attributed source counts as the outlet's reporting.
    """
    if source is None or not source.strip():
        return "author"
    tables = _tables()
    for kind in tables.order:
        texts = (source,) if kind == "anonymous" else (source, title or "", affiliation or "")
        if any(tables.cues[kind].search(text) for text in texts):
            return kind
    from armstrace.extract.actors import resolve_actor

    return "official" if resolve_actor(source) is not None else "outlet"


def speaker_key(source: str) -> str:
    """A source name folded for comparison: lower case, words only."""
    return " ".join(_WORD.findall(normalise_text(source)))


def _personal(source: str) -> bool:
    words = source.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


def same_speaker(left: str, right: str) -> bool:
    """Whether two source names name one speaker: equal when folded, or, for personal names,
    one's words are all among the other's ("Blinken" and "Antony Blinken", "Park" and
    "Park Min-ho", whichever order the name is written in)."""
    a, b = speaker_key(left), speaker_key(right)
    if a == b:
        return True
    if not (_personal(left) and _personal(right)):
        return False
    short, long = sorted((set(a.split()), set(b.split())), key=len)
    return bool(short) and short <= long


# --- independent sources -----------------------------------------------------------------------


class _Groups:
    """Union-find over claim ids; the root of a group is its smallest id (order-independent)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {key: key for key in keys}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, left: str, right: str) -> None:
        a, b = self.find(left), self.find(right)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def independent_groups(
    claims: Sequence[Claim], origins: Mapping[str, DocumentOrigin], kinds: Mapping[str, str]
) -> list[list[Claim]]:
    """Claims grouped by origin; each group is one independent source, sorted by claim id.

    `origins` maps document id to its DocumentOrigin, `kinds` claim id to its source kind.
    """
    groups = _Groups(claim.id for claim in claims)
    first_by_key: dict[str, str] = {}
    speakers: dict[str, list[str]] = {}

    def link(key: str, claim_id: str) -> None:
        if key in first_by_key:
            groups.join(first_by_key[key], claim_id)
        else:
            first_by_key[key] = claim_id

    for claim in claims:
        origin = origins.get(claim.document_id)
        link("doc:" + claim.document_id, claim.id)
        if origin is not None:
            if origin.agency is not None:
                link("wire:" + origin.agency, claim.id)
            own_reporting = kinds[claim.id] in ("author", "outlet", "anonymous")
            if origin.outlet is not None and own_reporting:
                link("outlet:" + origin.outlet.casefold(), claim.id)
        if claim.source and kinds[claim.id] in ("official", "expert"):
            speakers.setdefault(claim.source, []).append(claim.id)
    names = sorted(speakers)
    for position, left in enumerate(names):
        for right in names[position:]:
            if same_speaker(left, right):
                for claim_id in speakers[left] + speakers[right]:
                    groups.join(speakers[left][0], claim_id)
    ordered = sorted({claim.document_id for claim in claims})
    for position, left in enumerate(ordered):
        for right in ordered[position + 1 :]:
            if left in origins and right in origins:
                score = similarity(origins[left].signature, origins[right].signature)
                if score >= NEAR_DUPLICATE:
                    groups.join(first_by_key["doc:" + left], first_by_key["doc:" + right])
    by_root: dict[str, list[Claim]] = {}
    for claim in claims:
        by_root.setdefault(groups.find(claim.id), []).append(claim)
    return sorted((sorted(g, key=lambda c: c.id) for g in by_root.values()), key=lambda g: g[0].id)
