"""Fixtures for the exports: a store of hand-written claims (no model needed). The end-to-end
tests use the session's ingested demo corpus, `demo_db` of tests/conftest.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from armstrace.records import Claim, Document, Extraction, Speaker

# Written for these tests. Evidence strings carry commas, quotes, a newline and non-ASCII text so
# that the CSV and XML writers must escape them.
ARTICLES: list[dict[str, object]] = [
    {
        "name": "shells-1", "day": "2024-01-10", "outlet": "Example Wire",
        "url": "https://example.org/shells-1", "title": "Rail cars of shells cross the border",
        "claims": [
            dict(supplier="PRK", recipient="RUS", category="ammunition", status="delivered",
                 items=("artillery shells", "122mm rounds"), route=("Rajin", "Tumangang"),
                 source="Jane Roe", evidence='Jane Roe said, "thousands of containers, mostly '
                 'shells" left Rajin'),
        ],
    },
    {
        "name": "shells-2", "day": "2024-02-02", "outlet": "Other Daily",
        "url": "https://example.org/shells-2", "title": "Officials: shells keep flowing",
        "claims": [
            dict(supplier="PRK", recipient="RUS", category="ammunition", status="alleged",
                 items=("artillery shells",), source=None,
                 evidence="Officials say the shells, bound for Russia's front,\nkeep coming"),
            dict(supplier="PRK", recipient="RUS", category="missile", status="alleged",
                 items=("KN-23",), designations=("KN-23",), source="Ministry of Défense",
                 evidence="KN-23 missiles were fired at Kharkiv, the ministry said"),
        ],
    },
    {
        "name": "denial", "day": "2024-02-05", "outlet": "State Agency",
        "url": None, "title": None,
        "claims": [
            dict(supplier="PRK", recipient="RUS", category="ammunition", status="denied",
                 items=("artillery shells",), source="Foreign Ministry spokesperson",
                 evidence="Pyongyang called the shell reports “absurd”"),
        ],
    },
    {
        "name": "drones", "day": "2023-11-20", "outlet": "Sea News",
        "url": "https://example.org/drones", "title": "Drones ferried across the Caspian",
        "claims": [
            dict(supplier="IRN", recipient="RUS", category="uav", status="delivered",
                 items=("Shahed-136",), designations=("Shahed-136",), via=("Caspian Sea",),
                 route=("Astrakhan",), source=None,
                 evidence="Shahed-136 drones crossed the Caspian Sea to Astrakhan"),
            dict(supplier="IRN", recipient=None, category="missile", status="speculated",
                 items=("ballistic missiles",), source=None,
                 evidence="Tehran may also sell ballistic missiles to an unnamed buyer"),
            dict(supplier="IRN", recipient="Houthis", category="missile", status="attempted",
                 items=("missile components",), source="Navy statement",
                 evidence="The navy seized missile components bound for the Houthis"),
        ],
    },
]  # fmt: skip


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def extractions() -> list[Extraction]:
    out = []
    for article in ARTICLES:
        day = article["day"]
        assert isinstance(day, str)
        document = Document.make(
            f"Test article {article['name']}: invented text for the export tests.",
            str(article["name"]),
            url=_optional(article["url"]),
            title=_optional(article["title"]),
            published=date.fromisoformat(day),
            outlet=str(article["outlet"]),
        )
        claims = []
        for raw in article["claims"]:  # type: ignore[attr-defined]
            fields = dict(raw)
            source = fields.pop("source")
            claims.append(
                Claim(
                    document_id=document.id,
                    evidence_start=0,
                    evidence_end=len(fields["evidence"]),
                    source=source,
                    speaker=Speaker(source) if source else None,
                    document_name=document.name,
                    **fields,
                )
            )
        out.append(Extraction(document, tuple(claims)))
    return out


@pytest.fixture(scope="session")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the hand-written claims above, with records refreshed."""
    from armstrace.kb.transfer_records import refresh_records
    from armstrace.store import open_store

    path = tmp_path_factory.mktemp("export") / "synthetic.db"
    with open_store(path) as store:
        for extraction in extractions():
            store.save(extraction)
        refresh_records(store)
    return path
