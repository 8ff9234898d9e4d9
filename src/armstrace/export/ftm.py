"""FollowTheMoney export for Aleph, OpenSanctions tooling and `ftm` pipelines: one entity per line.

Mapping (schemata of followthemoney 4.x): a state is a PublicBody with its `country`, a group or
organisation an Organization; a record or claim is an EconomicActivity (FtM's goods-moving
interval: `sender` → `receiver`, `goodsDescription`, dates, `proof` = the articles); a source
document is an Article; a Documentation links each article to the actors it names; an embargo
flag is a Sanction on its target. Ids hash armstrace's own content ids, so reruns give the same
ids. followthemoney is imported only when this format is used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, TextIO

from armstrace.export.base import Tally
from armstrace.export.source import ClaimItem
from armstrace.kb.transfer_records import ClaimRef, EmbargoFlag, TransferRecord

if TYPE_CHECKING:
    from followthemoney import EntityProxy

__all__ = ["entity_id", "write_claims", "write_records"]

PREFIX = "armstrace"


def entity_id(kind: str, *parts: str) -> str:
    """A stable FtM id: `armstrace-<kind>-<sha1 of the parts>`."""
    from followthemoney.util import make_entity_id

    digest = make_entity_id("\x1f".join((PREFIX, kind, *parts)))
    assert digest is not None  # the parts are never empty
    return f"{PREFIX}-{kind}-{digest}"


class _Entities:
    """Writes each entity once, dependencies (actors, articles) before what refers to them."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.seen, self.tally = out, set[str](), Tally()

    def make(self, schema: str, kind: str, *parts: str) -> EntityProxy:
        from followthemoney import model

        proxy = model.make_entity(schema)
        proxy.id = entity_id(kind, *parts)
        return proxy

    def emit(self, proxy: EntityProxy) -> str:
        assert proxy.id is not None
        if proxy.id not in self.seen:
            self.seen.add(proxy.id)
            self.out.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            self.tally.objects += 1
        return proxy.id

    def actor(self, code: str | None) -> str | None:
        if not code:
            return None
        key = entity_id("actor", code)
        if key in self.seen:
            return key
        from armstrace.serve.geo import node

        info = node(code)
        kind = str(info["kind"])
        proxy = self.make("PublicBody" if kind == "state" else "Organization", "actor", code)
        proxy.add("name", str(info["name"]))
        if kind == "state":
            proxy.add("country", code, quiet=True)  # cleaned to FtM's code; dropped if unknown
        proxy.add("description", f"armstrace actor {code} ({kind})")
        return self.emit(proxy)

    def article(self, document_id: str, name: str, title: str | None, url: str | None,
                outlet: str | None, published: date | None = None) -> str:  # fmt: skip
        key = entity_id("document", document_id)
        if key in self.seen:
            return key
        proxy = self.make("Article", "document", document_id)
        proxy.add("fileName", name or document_id)
        proxy.add("name", title or name or document_id)
        proxy.add("title", title)
        proxy.add("sourceUrl", url, quiet=True)
        proxy.add("publisher", outlet)
        proxy.add("publishedAt", published.isoformat() if published else None)
        return self.emit(proxy)

    def documentation(self, article: str, document_id: str, actor: str | None, code: str | None,
                      side: str) -> None:  # fmt: skip
        if (
            actor is None
            or code is None
            or entity_id("documentation", document_id, code, side) in self.seen
        ):
            return
        proxy = self.make("Documentation", "documentation", document_id, code, side)
        proxy.add("document", article)
        proxy.add("entity", actor)
        proxy.add("role", f"named as {side} of arms")
        self.emit(proxy)

    def sanction(self, flag: EmbargoFlag) -> None:
        target = self.actor(flag.target)
        if target is None:
            return
        proxy = self.make("Sanction", "sanction", flag.regime, flag.target)
        proxy.add("entity", target)
        proxy.add("programId", flag.regime)
        proxy.add("program", flag.legal_basis)
        proxy.add("authority", flag.issuer)
        proxy.add("provisions", "arms embargo or arms-related restriction")
        proxy.add("description", flag.source)
        self.emit(proxy)

    def activity(self, kind: str, ident: str, supplier: str | None, recipient: str | None,
                 goods: Sequence[str], summary: str, description: Sequence[str],
                 articles: Sequence[str], urls: Sequence[str | None]) -> EntityProxy:  # fmt: skip
        sender, receiver = self.actor(supplier), self.actor(recipient)
        proxy = self.make("EconomicActivity", kind, ident)
        proxy.add("recordId", ident)
        proxy.add("sender", sender)
        proxy.add("receiver", receiver)
        for prop, code in (("departureCountry", supplier), ("destinationCountry", recipient)):
            if code:
                proxy.add(prop, code, quiet=True)
        proxy.add("goodsDescription", "; ".join(dict.fromkeys(goods)) or None)
        proxy.add("summary", summary)
        proxy.add("description", "\n".join(description))
        proxy.add("proof", list(dict.fromkeys(articles)))
        proxy.add("sourceUrl", [u for u in dict.fromkeys(urls) if u], quiet=True)
        return proxy


def _summary(status: str, category: str, supplier: str | None, recipient: str | None) -> str:
    return f"{status} transfer of {category.replace('_', ' ')} from {supplier or 'unknown'} to " + (
        recipient or "unknown"
    )


def _ref_articles(entities: _Entities, refs: Sequence[ClaimRef], supplier: str | None,
                  recipient: str | None) -> list[str]:  # fmt: skip
    articles = []
    sender, receiver = entities.actor(supplier), entities.actor(recipient)
    for ref in refs:
        article = entities.article(ref.document_id, ref.document_name, ref.title, ref.url,
                                   ref.outlet)  # fmt: skip
        entities.documentation(article, ref.document_id, sender, supplier, "supplier")
        entities.documentation(article, ref.document_id, receiver, recipient, "recipient")
        articles.append(article)
    return articles


def write_records(records: Iterable[TransferRecord], out: TextIO) -> Tally:
    entities = _Entities(out)
    for r in records:
        refs = (*r.claims, *r.denials)
        articles = _ref_articles(entities, refs, r.supplier, r.recipient)
        for flag in r.embargo:
            entities.sanction(flag)
        notes = [
            f"status: {r.status}",
            f"{r.support} claims from {r.independent_sources} independent sources",
            f"confidence {r.confidence:.2f}: " + "; ".join(r.confidence_reasons),
        ]
        if r.denials:
            notes.append(f"denied by: {'; '.join(d.source or d.document_name for d in r.denials)}")
        if r.via:
            notes.append(f"via: {', '.join(r.via)}")
        if r.embargo:
            notes.append(f"embargo: {', '.join(dict.fromkeys(e.regime for e in r.embargo))}")
        proxy = entities.activity(
            "record", r.id, r.supplier, r.recipient, [*r.designations, *r.items],
            _summary(r.status, r.category, r.supplier_name, r.recipient_name), notes, articles,
            [ref.url for ref in refs],
        )  # fmt: skip
        proxy.add("startDate", r.first_seen.isoformat() if r.first_seen else None)
        proxy.add("endDate", r.last_seen.isoformat() if r.last_seen else None)
        entities.emit(proxy)
        entities.tally.written += 1
    return entities.tally


def write_claims(claims: Iterable[ClaimItem], out: TextIO) -> Tally:
    from armstrace.extract.actors import actor_name

    entities = _Entities(out)
    for item in claims:
        c, d = item.claim, item.document
        name = item.to_dict()["document_name"]
        article = entities.article(c.document_id, name, d.title if d else None,
                                   d.url if d else None, d.outlet if d else None,
                                   d.published if d else None)  # fmt: skip
        sender, receiver = entities.actor(c.supplier), entities.actor(c.recipient)
        entities.documentation(article, c.document_id, sender, c.supplier, "supplier")
        entities.documentation(article, c.document_id, receiver, c.recipient, "recipient")
        summary = _summary(c.status, c.category, actor_name(c.supplier) if c.supplier else None,
                           actor_name(c.recipient) if c.recipient else None)  # fmt: skip
        notes = [f"{c.source or 'the author'}: “{c.evidence}”"]
        if c.via:
            notes.append(f"via: {', '.join(c.via)}")
        proxy = entities.activity(
            "claim", c.id, c.supplier, c.recipient, [*c.designations, *c.items], summary, notes,
            [article], [d.url if d else None],
        )  # fmt: skip
        proxy.add("date", item.day.isoformat() if item.day else None)
        entities.emit(proxy)
        entities.tally.written += 1
    return entities.tally
