"""Actor profiles: a state's or group's transfers as supplier and as recipient, its counterparts,
categories, embargo exposure and timeline, read from the stored transfer records (never claims).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from armstrace.errors import NotFoundError
from armstrace.kb.transfer_records import EmbargoFlag, TransferRecord, list_records
from armstrace.store import RecordFilter, Store

__all__ = ["ActorProfile", "actor_profile", "brief"]

BRIEF_KEYS = (
    "id",
    "supplier",
    "supplier_name",
    "recipient",
    "recipient_name",
    "category",
    "designations",
    "status",
    "first_seen",
    "last_seen",
    "support",
    "independent_sources",
    "confidence",
)


def brief(record: TransferRecord) -> dict[str, Any]:
    """The headline fields of a record, for lists; `embargo` holds the regime ids only."""
    full = record.to_dict()
    out = {key: full[key] for key in BRIEF_KEYS}
    out["embargo"] = sorted({flag.regime for flag in record.embargo})
    return out


@dataclass(frozen=True, slots=True)
class ActorProfile:
    code: str
    name: str
    kind: str  # state | group | organisation
    as_supplier: tuple[TransferRecord, ...]
    as_recipient: tuple[TransferRecord, ...]

    def _records(self) -> tuple[TransferRecord, ...]:
        return self.as_supplier + self.as_recipient

    def counterparts(self) -> list[dict[str, Any]]:
        counts: Counter[str] = Counter()
        names: dict[str, str] = {}
        for record in self.as_supplier:
            other, other_name = record.recipient, record.recipient_name
            counts[other or "?"] += 1
            names[other or "?"] = other_name or "unknown"
        for record in self.as_recipient:
            other, other_name = record.supplier, record.supplier_name
            counts[other or "?"] += 1
            names[other or "?"] = other_name or "unknown"
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [{"code": code, "name": names[code], "records": n} for code, n in ordered]

    def categories(self) -> dict[str, int]:
        counts = Counter(record.category for record in self._records())
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def embargo(self) -> list[EmbargoFlag]:
        """Each regime that names this actor, once, with the reason of its earliest record."""
        found: dict[tuple[str, str], EmbargoFlag] = {}
        dated = sorted(self._records(), key=lambda r: (r.first_seen is None, r.first_seen, r.id))
        for record in dated:
            for flag in record.embargo:
                if flag.target.casefold() == self.code.casefold():
                    found.setdefault((flag.regime, flag.side), flag)
        return [found[key] for key in sorted(found)]

    def timeline(self) -> list[dict[str, Any]]:
        """Records by the month they were first seen, per direction; undated ones left out."""
        counts: Counter[tuple[str, str | None, str | None]] = Counter()
        for record in self._records():
            if record.first_seen is not None:
                month = record.first_seen.strftime("%Y-%m")
                counts[(month, record.supplier, record.recipient)] += 1
        return [
            {"month": month, "supplier": supplier, "recipient": recipient, "records": n}
            for (month, supplier, recipient), n in sorted(
                counts.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2] or "")
            )
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "as_supplier": [brief(r) for r in self.as_supplier],
            "as_recipient": [brief(r) for r in self.as_recipient],
            "counterparts": self.counterparts(),
            "categories": self.categories(),
            "embargo": [
                {
                    "regime": f.regime,
                    "issuer": f.issuer,
                    "target": f.target,
                    "side": f.side,
                    "reason": f.reason,
                    "legal_basis": f.legal_basis,
                    "source": f.source,
                }
                for f in self.embargo()
            ],
            "timeline": self.timeline(),
        }


def actor_profile(store: Store, code_or_name: str) -> ActorProfile:
    """The profile of a state or group by code or any known name; NotFoundError if unknown."""
    from armstrace.extract.actors import actor_kind, actor_name, resolve_actor

    code = resolve_actor(code_or_name)
    known = code is not None
    code = code or code_or_name.strip()
    records = list_records(store, RecordFilter(actor=code), limit=None) if code else []
    if not known and not records:
        raise NotFoundError(
            f"unknown actor {code_or_name!r} with no transfer records: use an ISO alpha-3 code "
            "or a known name (Iran, IRN, Hezbollah)"
        )
    folded = code.casefold()
    return ActorProfile(
        code=code,
        name=actor_name(code) if known else code,
        kind=actor_kind(code) if known else "group",
        as_supplier=tuple(r for r in records if (r.supplier or "").casefold() == folded),
        as_recipient=tuple(r for r in records if (r.recipient or "").casefold() == folded),
    )
