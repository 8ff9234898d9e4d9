"""Library-level jobs that the CLI and the API call: ingest a batch, extract without storing.
(`armstrace batch`, for archives, is armstrace.batch.)

Each job reads sources, extracts and (for ingest) stores one document per transaction, and
returns a report of what happened to every input. A failed document is recorded and skipped;
the rest of the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from armstrace.errors import ArmstraceError
from armstrace.ingest import DEFAULT_MAX_BYTES, Source, expand_paths, read_source
from armstrace.records import Document, Extraction

if TYPE_CHECKING:
    from armstrace.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Outcome:
    """What happened to one input: stored, unchanged (already known), or skipped."""

    origin: str
    status: str  # "stored" | "unchanged" | "skipped" | "duplicate"
    reason: str | None = None
    document_name: str | None = None
    claims: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def stored(self) -> int:
        return self.count("stored")

    @property
    def claims(self) -> int:
        return sum(o.claims for o in self.outcomes)

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "skipped"]

    @property
    def ok(self) -> bool:
        """True when anything was stored or already known: the exit code is 0 then."""
        return any(o.status in ("stored", "unchanged", "duplicate") for o in self.outcomes)


def read_documents(
    paths: Sequence[str],
    report: IngestReport,
    *,
    stdin: TextIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_source: Callable[[Source], None] | None = None,
) -> Iterator[tuple[Document, tuple[str, ...], str]]:
    """Every distinct document under `paths`, with its warnings and origin, in order.

    Paths that cannot be read, inputs that are skipped, and later copies of a document (same
    content id) are recorded in `report` instead; `on_source` is called after each source.
    """
    sources, failed = expand_paths(paths)
    for result in failed:
        report.outcomes.append(Outcome(result.origin, "skipped", result.reason))

    def found() -> Iterator[tuple[Document, tuple[str, ...], str]]:
        for source in sources:
            try:
                results = read_source(source, stdin=stdin, max_bytes=max_bytes)
            except ArmstraceError as exc:
                report.outcomes.append(Outcome(source.origin, "skipped", str(exc)))
                results = []
            for result in results:
                if result.document is None:
                    report.outcomes.append(
                        Outcome(result.origin, "skipped", result.reason, warnings=result.warnings)
                    )
                    continue
                yield result.document, result.warnings, result.origin
            if on_source is not None:
                on_source(source)

    yield from distinct(found(), report)


def extract_stream(
    items: Iterable[tuple[Document, tuple[str, ...], str]],
    report: IngestReport,
    *,
    prefilter: bool = False,
    min_score: float | None = None,
) -> Iterator[tuple[Extraction, tuple[str, ...], str]]:
    """Extract (document, warnings, origin) items as armstrace.extract.document.extract_documents
    does (long documents in bounded pieces); a document whose parse or extraction fails is
    recorded as skipped, with the error, and the rest go on.

    With `prefilter`, only the sentences the keyword prefilter marks are parsed, and a
    document that names no weapon is stored unparsed, with a note saying so.
    """
    from armstrace.extract.document import extract_documents

    carried: dict[str, tuple[tuple[str, ...], str]] = {}  # document id -> (warnings, origin)

    def documents() -> Iterator[Document]:
        for document, warnings, origin in items:
            carried[document.id] = (warnings, origin)
            yield document

    def failed(document: Document, exc: Exception) -> None:
        _, origin = carried.pop(document.id)
        log.warning("extraction failed for %s", origin, exc_info=exc)
        report.outcomes.append(
            Outcome(origin, "skipped", f"extraction failed: {exc!r}", document.name)
        )

    for extraction in extract_documents(
        documents(), prefilter=prefilter, on_error=failed, min_score=min_score
    ):
        warnings, origin = carried.pop(extraction.document.id)
        yield extraction, warnings, origin


def store_extractions(
    extractions: Iterable[tuple[Extraction, tuple[str, ...], str]],
    store: Store,
    report: IngestReport,
) -> None:
    """Save each extraction in its own transaction and record its outcome; a document the store
    refuses is reported as skipped and the rest are still saved."""
    for extraction, warnings, origin in extractions:
        try:
            stored = store.save(extraction)
        except ArmstraceError as exc:
            report.outcomes.append(Outcome(origin, "skipped", str(exc), extraction.document.name))
            continue
        except Exception as exc:  # the save rolled back; say so and keep the rest of the batch
            log.warning("could not store %s", origin, exc_info=exc)
            reason = f"could not store: {type(exc).__name__}: {exc}"
            report.outcomes.append(Outcome(origin, "skipped", reason, extraction.document.name))
            continue
        report.outcomes.append(
            Outcome(
                origin,
                "stored" if stored else "unchanged",
                None,
                extraction.document.name,
                claims=len(extraction.claims) if stored else 0,
                warnings=warnings + extraction.notes,
            )
        )


def distinct(
    items: Iterable[tuple[Document, tuple[str, ...], str]], report: IngestReport
) -> Iterator[tuple[Document, tuple[str, ...], str]]:
    """The first of each document in a batch; later copies (same content id) are recorded as
    duplicates, with the one they copy."""
    seen: dict[str, str] = {}
    for document, warnings, origin in items:
        if document.id in seen:
            reason = f"same content as {seen[document.id]}"
            report.outcomes.append(Outcome(origin, "duplicate", reason, document.name))
            continue
        seen[document.id] = document.name
        yield document, warnings, origin


def ingest_documents(
    items: Iterable[tuple[Document, tuple[str, ...], str]],
    store: Store,
    report: IngestReport | None = None,
    *,
    prefilter: bool = False,
    min_score: float | None = None,
) -> IngestReport:
    """Extract and store (document, warnings, origin) items, one transaction per document: the
    one ingest of the CLI and the API. Copies within the batch are duplicates, documents already
    stored are unchanged, and a document that fails is skipped with its reason.

    The transfer records are rebuilt at the end when anything changed, and also at the start
    when an earlier run stored documents but was stopped before rebuilding them.
    """
    from armstrace.kb.transfer_records import refresh_if_stale

    report = report if report is not None else IngestReport()
    refresh_if_stale(store)

    def new_documents() -> Iterator[tuple[Document, tuple[str, ...], str]]:
        for document, warnings, origin in distinct(items, report):
            if store.has_document(document.id):
                report.outcomes.append(
                    Outcome(origin, "unchanged", "already stored", document.name)
                )
                continue
            yield document, warnings, origin

    extractions = extract_stream(new_documents(), report, prefilter=prefilter, min_score=min_score)
    store_extractions(extractions, store, report)
    refresh_if_stale(store)  # records follow the claims: recomputed once per batch
    return report


def ingest_paths(
    paths: Sequence[str],
    store: Store,
    *,
    stdin: TextIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_source: Callable[[Source], None] | None = None,
    prefilter: bool = False,
    min_score: float | None = None,
) -> IngestReport:
    """Read every document under `paths`, then ingest them (`ingest_documents`)."""
    report = IngestReport()
    found = read_documents(paths, report, stdin=stdin, max_bytes=max_bytes, on_source=on_source)
    return ingest_documents(found, store, report, prefilter=prefilter, min_score=min_score)


def extract_paths(
    paths: Sequence[str],
    *,
    stdin: TextIO | None = None,
    report: IngestReport | None = None,
    prefilter: bool = False,
    min_score: float | None = None,
) -> Iterator[Extraction]:
    """Extract every document under `paths` without storing anything."""
    report = report if report is not None else IngestReport()
    found = read_documents(paths, report, stdin=stdin)
    stream = extract_stream(found, report, prefilter=prefilter, min_score=min_score)
    for extraction, warnings, origin in stream:
        report.outcomes.append(
            Outcome(
                origin,
                "stored",
                None,
                extraction.document.name,
                claims=len(extraction.claims),
                warnings=warnings + extraction.notes,
            )
        )
        yield extraction
