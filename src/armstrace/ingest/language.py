"""Decide whether a text is English, with py3langid (a kept naive-Bayes language identifier whose
model ships inside its wheel, so nothing is downloaded).

Two signals: the script of its letters (mostly non-Latin letters is not English, whatever the
words), then py3langid's probability that the text is English. The threshold is low on purpose:
the gate exists to keep other languages away from the English parser, and losing English is worse
than parsing a stray foreign line. It only gates ingestion; it does not say which language a
text is in beyond the reason of a refusal. Figures: docs/reliability.md.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["LanguageGuess", "detect_english", "strip_invisible"]

# py3langid's probabilities are calibrated by length (a softmax at temperature sqrt(bytes)), so
# one threshold serves a headline and an article. Measured (docs/reliability.md): English
# sentences of both dev corpora, fragments included, never go below 0.006; sentences of the
# thirteen other languages of tests/ingest/fixtures never rise above 0.00003.
MIN_ENGLISH_PROBABILITY = 0.001
MAX_NON_LATIN_SHARE = 0.5
SAMPLE_CHARS = 20_000  # enough to judge; keeps a 20 MB file cheap

# Format characters that change nothing a reader sees: the BOM or zero-width no-break space,
# zero-width space and joiners, direction marks, embeddings, overrides and isolates, the soft
# hyphen, the word joiner and invisible operators. Inside a word they split it for every
# matcher downstream, so readers remove them (see readers.clean_text).
INVISIBLE = frozenset(
    "\ufeff\u200b\u200c\u200d\u200e\u200f\u00ad\u2060\u2061\u2062\u2063\u2064\u180e"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
)
_DELETE_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """Whether a text reads as English; `score` is the probability py3langid gives English."""

    is_english: bool
    score: float
    reason: str


def strip_invisible(text: str) -> tuple[str, int]:
    """`text` without the INVISIBLE characters, and how many there were."""
    cleaned = text.translate(_DELETE_INVISIBLE)
    return cleaned, len(text) - len(cleaned)


@lru_cache(maxsize=1)
def identifier() -> LanguageIdentifier:
    """py3langid's identifier with normalised probabilities, loaded once (about 1.5 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _script(char: str) -> str:
    """The script of a letter, as the first word of its Unicode name (LATIN, CYRILLIC, ...)."""
    if char.isascii():
        return "LATIN"
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    return first or "UNKNOWN"


def _script_counts(text: str) -> Counter[str]:
    return Counter(_script(char) for char in text if char.isalpha())


def detect_english(text: str) -> LanguageGuess:
    """Guess whether `text` is English; the reason says why in a few words for skip messages."""
    sample, _ = strip_invisible(text[:SAMPLE_CHARS])
    scripts = _script_counts(sample)
    letters = sum(scripts.values())
    if letters == 0:
        return LanguageGuess(False, 0.0, "no letters")
    non_latin = letters - scripts["LATIN"]
    if non_latin / letters > MAX_NON_LATIN_SHARE:
        dominant = max((s for s in scripts if s != "LATIN"), key=lambda s: scripts[s])
        return LanguageGuess(False, 0.0, f"mostly {dominant.title()} letters")
    ranked = identifier().rank(sample)
    english = next((p for language, p in ranked if language == "en"), 0.0)
    best, best_p = ranked[0]
    if best == "en":
        detail = f"English {english:.3f}"
    else:
        detail = f"reads as {best!r} ({best_p:.2f}), English {english:.2g}"
    return LanguageGuess(english >= MIN_ENGLISH_PROBABILITY, english, detail)
