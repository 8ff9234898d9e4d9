"""Decide whether a text is English, without a model or a dependency.

Two signals: the script of its letters (mostly non-Latin letters is not English) and the share
of its words that are frequent English function words, weighed against frequent function words
of other Latin-script languages. It only gates ingestion; it must not guess which language it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

__all__ = ["LanguageGuess", "detect_english"]


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Frequent English function words (articles, pronouns, prepositions, conjunctions, auxiliaries,
# determiners). English news has 25-50% of its words in this set, list-heavy notices the least;
# other languages written in Latin script share only a handful of them ("in", "a", "also").
ENGLISH_FUNCTION_WORDS = _words(
    """
    a about above after again against all also although am among an and any are around as at
    be because been before being below between both but by can could did do does doing down
    during each either every few for from further had has have having he her here hers herself
    him himself his how however i if in into is it its itself just least less may me might more
    most much must my myself neither no nor not now of off on once only onto or other our ours
    ourselves out over own per same shall she should since so some such than that the their
    theirs them themselves then there these they this those though through thus to too toward
    towards under until up upon us very was we were what when where whether which while who
    whom whose why will with within without would yet you your yours yourself
    """
)

# Frequent function words of German, French, Spanish, Italian, Portuguese and Dutch that are not
# English words. Left out on purpose: tokens that recur in English arms reporting as parts of
# names or designations ("Il-76", "Su-35", "Y-20", "al-Qaeda", "El Salvador", "Van").
FOREIGN_FUNCTION_WORDS = _words(
    """
    der die das und ist nicht ein eine einer eines einem einen mit sich dem auf für von zu auch
    nach wird werden wurde wurden sind bei aus wie oder aber noch nur über durch gegen zum zur
    le les et est une du des dans pour par qui que sur pas ce cette ils elle elles nous vous
    sont avec ont été aux au leur selon ses mais
    los las del por para con una uno es se sus lo como más pero fue está están también sobre
    entre ha han según
    di che è della delle dei degli gli non sono anche nel nella alla
    não em um uma com são pelo pela foram
    het een en zijn niet voor ook naar werd worden
    """
)

MIN_TOKENS_TO_JUDGE = 12  # below this, only positive evidence of another language rejects
MIN_ENGLISH_SHARE = 0.18
MAX_NON_LATIN_SHARE = 0.5
MAX_LETTERS_SAMPLED = 20_000  # enough to judge; keeps a 20 MB file cheap

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """Whether a text reads as English; `score` is the share of English function words."""

    is_english: bool
    score: float
    reason: str


def _script(char: str) -> str:
    """The script of a letter, as the first word of its Unicode name (LATIN, CYRILLIC, ...)."""
    if char.isascii():
        return "LATIN"
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    return first or "UNKNOWN"


def _script_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    seen = 0
    for char in text:
        if not char.isalpha():
            continue
        counts[_script(char)] += 1
        seen += 1
        if seen >= MAX_LETTERS_SAMPLED:
            break
    return counts


def detect_english(text: str) -> LanguageGuess:
    """Guess whether `text` is English; the reason says why in a few words for skip messages."""
    scripts = _script_counts(text)
    letters = sum(scripts.values())
    if letters == 0:
        return LanguageGuess(False, 0.0, "no letters")
    non_latin = letters - scripts["LATIN"]
    if non_latin / letters > MAX_NON_LATIN_SHARE:
        dominant = max((s for s in scripts if s != "LATIN"), key=lambda s: scripts[s])
        return LanguageGuess(False, 0.0, f"mostly {dominant.title()} letters")

    sample = text[: MAX_LETTERS_SAMPLED * 2].lower()
    words = [w for w in _WORD.findall(sample) if _script(w[0]) == "LATIN"]
    if not words:
        return LanguageGuess(False, 0.0, "no Latin-script words")
    english = sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS)
    foreign = sum(1 for w in words if w in FOREIGN_FUNCTION_WORDS)
    share = english / len(words)
    foreign_share = foreign / len(words)
    detail = f"{share:.0%} English function words, {foreign_share:.0%} other"

    if len(words) < MIN_TOKENS_TO_JUDGE:
        if foreign and foreign >= english:
            return LanguageGuess(False, share, f"short text, {detail}")
        return LanguageGuess(True, share, f"short text, {detail}")
    if share < MIN_ENGLISH_SHARE:
        return LanguageGuess(False, share, detail)
    if foreign_share * 2 > share:
        return LanguageGuess(False, share, detail)
    return LanguageGuess(True, share, detail)
