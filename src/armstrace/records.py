"""Typed records that cross stage boundaries.

Every stage of the pipeline takes and returns these frozen dataclasses; no stage passes dicts
with ad-hoc keys. Ids are derived from content so that every write is an idempotent upsert.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

CATEGORIES: tuple[str, ...] = (
    "aircraft",
    "uav",
    "missile",
    "air_defence",
    "artillery",
    "ammunition",
    "armoured_vehicle",
    "ship",
    "small_arms",
    "sensor",
    "engine",
    "dual_use_components",
    "technology",
    "military_equipment_unspecified",
    "other",
)

STATUSES: tuple[str, ...] = (
    "delivered",
    "ongoing",
    "agreed",
    "planned",
    "requested",
    "attempted",
    "alleged",
    "denied",
    "speculated",
)

STATUS_GROUPS: dict[str, str] = {
    "delivered": "happened",
    "ongoing": "happened",
    "agreed": "pending",
    "planned": "pending",
    "requested": "pending",
    "attempted": "pending",
    "alleged": "unconfirmed",
    "speculated": "unconfirmed",
    "denied": "denied",
}

ActorKind = Literal["state", "group", "organisation"]


def normalise_text(text: str) -> str:
    """Fold Unicode forms, quotes and whitespace so that trivially different copies hash alike."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def content_id(*parts: str, length: int = 16) -> str:
    """A stable short id from content: sha256 over the parts joined by a separator."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True, slots=True)
class Document:
    """One article, statement or report, as ingested.

    `id` is derived from the normalised text, so the same content ingested twice is one document.
    `name` is the id used for scoring: a file's stem, a JSONL line's `id` or its line number.
    """

    id: str
    name: str
    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    language: str = "en"
    origin: str | None = None

    @staticmethod
    def make(
        text: str,
        name: str,
        *,
        url: str | None = None,
        title: str | None = None,
        published: date | None = None,
        outlet: str | None = None,
        language: str = "en",
        origin: str | None = None,
    ) -> Document:
        return Document(
            id=content_id(normalise_text(text)),
            name=name,
            text=text,
            url=url,
            title=title,
            published=published,
            outlet=outlet,
            language=language,
            origin=origin,
        )


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A state or armed organisation named in the text, resolved to its code."""

    start: int
    end: int
    text: str
    code: str  # ISO 3166-1 alpha-3 for states, a short English name for groups
    kind: ActorKind = "state"
    form: str = "name"  # name | short | capital | seat | demonym | leader | agency | group
    possessive: bool = False


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed quantity: '20,000 containers', 'hundreds of', 'a significant number'."""

    text: str
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class ItemMention:
    """A weapon, munition, equipment or technology named in the text."""

    start: int
    end: int
    text: str
    category: str
    designation: str | None = None  # canonical catalogue name when a known system
    generic: bool = False  # "arms", "weapons", "military equipment"
    support: bool = False  # services that come with a sale: training, spare parts, manuals
    calibre_mm: float | None = None
    quantity: Quantity | None = None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A route point or region: a town, port, border crossing, sea or region."""

    start: int
    end: int
    text: str
    name: str
    kind: str  # town | port | crossing | rail | base | sea | strait | region | plant
    country: str | None = None  # alpha-3 of the country it lies in; None for seas and regions
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said something: a person or body, with title and affiliation where given."""

    name: str
    title: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation with its speaker and its character offsets in the document."""

    text: str
    start: int
    end: int
    speaker: Speaker | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """One transfer claim: the contract fields of claims.md plus provenance.

    One claim per (supplier, recipient, category) per document; `id` is derived from that key.
    """

    document_id: str
    supplier: str | None
    recipient: str | None
    category: str
    status: str
    items: tuple[str, ...]
    evidence: str
    evidence_start: int
    evidence_end: int
    sentence: str = ""
    sentence_start: int = 0
    via: tuple[str, ...] = ()
    route: tuple[str, ...] = ()
    source: str | None = None
    speaker: Speaker | None = None
    designations: tuple[str, ...] = ()
    quantity: str | None = None
    claim_date: date | None = None
    rule: str = ""  # which extraction rule produced it, for debugging and eval --detail
    document_name: str = ""
    score: float | None = None  # the learned claim score, 0-1 (None without a model)
    # the features the score was computed from, for training (not stored, not emitted)
    features: tuple[tuple[str, float], ...] = field(default=(), compare=False, repr=False)

    @property
    def id(self) -> str:
        return content_id(
            self.document_id, self.supplier or "", self.recipient or "", self.category
        )

    def contract(self) -> dict[str, object]:
        """The fields of claims.md, exactly as `extract --format jsonl` emits them."""
        return {
            "supplier": self.supplier,
            "recipient": self.recipient,
            "via": list(self.via),
            "items": list(self.items),
            "category": self.category,
            "status": self.status,
            "source": self.source,
            "evidence": self.evidence,
            "score": None if self.score is None else round(self.score, 3),
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """What extraction yields for one document."""

    document: Document
    claims: tuple[Claim, ...] = ()
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = field(default=())  # reasons recorded for odd input (no crash)
