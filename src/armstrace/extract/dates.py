"""Date mentions: absolute dates and relative ones resolved against the document's date.

Finds "10 January 2023", "in September", "last week", "two weeks ago"... and turns each into a
date with a precision. Without an anchor (the document date) only absolute dates resolve. It
never raises on odd input and never guesses a year that neither the text nor the anchor gives.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

__all__ = [
    "PRECISION_RANK",
    "DateMention",
    "Precision",
    "claim_date",
    "claim_date_mention",
    "find_dates",
    "resolve",
]

Precision = Literal["day", "week", "month", "season", "year"]
# Finest first: claim_date prefers the most precise date of a sentence.
PRECISION_RANK: Mapping[str, int] = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in a text, with the date it denotes and how precisely.

    `value` is the first day of the period for coarse precisions (the Monday of a week, the
    first of a month, the start of a season or quarter, 1 January of a year). `relative` is True
    when the anchor was needed to resolve it ("last month", or a day and month without a year).
    """

    start: int
    end: int
    text: str
    value: date
    precision: Precision
    relative: bool


Resolved = tuple[date, Precision]
Handler = Callable[[re.Match[str], date | None], Resolved | None]

# --- vocabulary ---------------------------------------------------------------------------

MONTHS: Mapping[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
FULL_MONTHS = frozenset(name for name in MONTHS if len(name) > 4 or name in ("may", "june", "july"))
# Month names that are also common English words: alone they need a cue ("in May"), as do
# abbreviations ("Jan", "Sept").
AMBIGUOUS_MONTHS = frozenset({"may", "march", "august"})
WEEKDAYS: Mapping[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
SEASONS: Mapping[str, int] = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# Parts of a year or month: the month a part starts in (of a year) and its precision.
YEAR_PARTS: Mapping[str, int] = {
    "early": 1, "beginning of": 1, "start of": 1, "first half of": 1,
    "mid": 6, "middle of": 6, "second half of": 7,
    "late": 10, "end of": 10,
}  # fmt: skip
NUMBERS: Mapping[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a few": 3, "few": 3, "several": 3, "a couple of": 2, "couple of": 2,
}  # fmt: skip

MONTH = (
    r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![a-z]))\.?"
)
WEEKDAY_PREFIX = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
DAY = r"(?<![\d,.])(?P<day>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?"
YEAR = r"(?:(?P<year>(?:19|20)\d\d)|['’](?P<yy>\d\d))(?!\d)"
PART = (
    r"(?P<part>(?i:(?:the\s+)?(?:early|mid|late|beginning\s+of|start\s+of|end\s+of"
    r"|middle\s+of|first\s+half\s+of|second\s+half\s+of)))"
)
YEAR_CUES = (
    r"(?i:in|since|by|during|until|till|through|throughout|from|before|after|between"
    r"|around|circa|as\s+of|in\s+the\s+year)"
)
MONTH_CUES = (
    r"(?i:in|since|by|during|until|till|through|throughout|from|before|after|on|of|around"
    r"|between|and|to)"
)
# After a day and month: no year follows (an impossible "29 February 2023" is no date at all).
NO_YEAR = r"(?!\s*[-–]\s*\d)(?!,?\s*(?:19|20)\d\d)"
DET = r"(?P<det>(?i:last|this|next|this\s+past|past))"


# --- calendar arithmetic --------------------------------------------------------------------


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _add_months(day: date, months: int) -> date:
    """The first day of the month `months` away from `day`'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def _month_year(month: int, anchor: date, det: str) -> int:
    """The year of a bare month name: the most recent not after the anchor, unless told."""
    if det == "next":
        return anchor.year if month > anchor.month else anchor.year + 1
    if det == "this":
        return anchor.year
    if det in ("last", "this past", "past"):
        return anchor.year if month < anchor.month else anchor.year - 1
    return anchor.year if month <= anchor.month else anchor.year - 1


def _nearest_year(month: int, day: int, anchor: date) -> date | None:
    """A day and month without a year: the occurrence nearest the anchor (ties go to the past)."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day <= monthrange(year, month)[1]:
            candidates.append(date(year, month, day))
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs((d - anchor).days), d > anchor))


def _season_start(season: int, year: int) -> date:
    return date(year, season, 1)


def _season(season: int, anchor: date, det: str) -> date:
    """Start of the season `det` points to: last = most recent one already over."""
    starts = [_season_start(season, year) for year in range(anchor.year - 2, anchor.year + 2)]
    if det == "next":
        return next(s for s in starts if s > anchor)
    if det == "this":
        if season == 12 and anchor.month <= 2:
            return _season_start(12, anchor.year - 1)
        return _season_start(season, anchor.year)
    if det in ("last", "this past", "past"):
        return [s for s in starts if _add_months(s, 3) <= anchor][-1]
    return [s for s in starts if s <= anchor][-1]


def _weekday(weekday: int, anchor: date, det: str) -> date:
    if det == "next":
        return anchor + timedelta(days=(weekday - anchor.weekday() - 1) % 7 + 1)
    if det in ("last", "this past", "past"):
        return anchor - timedelta(days=(anchor.weekday() - weekday - 1) % 7 + 1)
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def _weekend(anchor: date, previous: bool) -> date:
    saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
    if previous and anchor.weekday() >= 5:
        saturday -= timedelta(days=7)
    return _monday(saturday)


def _year_of(match: re.Match[str]) -> int:
    """The year group, or a two-digit year ("'23") read as 19xx or 20xx around 1950."""
    if match["year"]:
        return int(match["year"])
    short = int(match["yy"])
    return 2000 + short if short < 50 else 1900 + short


def _part_key(part: str | None) -> str:
    if not part:
        return ""
    return " ".join(part.lower().replace("the ", "", 1).split())


def _group(match: re.Match[str], name: str) -> str:
    """A named group's text, or '' when the pattern lacks it or it did not take part."""
    try:
        return match.group(name) or ""
    except IndexError:
        return ""


# --- handlers: one per pattern ----------------------------------------------------------------


def _iso(match: re.Match[str], anchor: date | None) -> Resolved | None:
    return date(_year_of(match), int(match["mon"]), int(match["day"])), "day"


def _day_month_year(match: re.Match[str], anchor: date | None) -> Resolved | None:
    month = MONTHS[match["month"].lower()]
    return date(_year_of(match), month, int(match["day"])), "day"


def _day_month(match: re.Match[str], anchor: date | None) -> Resolved | None:
    if anchor is None:
        return None
    value = _nearest_year(MONTHS[match["month"].lower()], int(match["day"]), anchor)
    return (value, "day") if value is not None else None


def _month_of_year(match: re.Match[str], anchor: date | None) -> Resolved | None:
    return date(_year_of(match), MONTHS[match["month"].lower()], 1), "month"


def _part_of_year(match: re.Match[str], anchor: date | None) -> Resolved | None:
    return date(_year_of(match), YEAR_PARTS[_part_key(match["part"])], 1), "season"


def _year(match: re.Match[str], anchor: date | None) -> Resolved | None:
    return date(_year_of(match), 1, 1), "year"


def _season_of_year(match: re.Match[str], anchor: date | None) -> Resolved | None:
    return _season_start(SEASONS[match["season"].lower()], _year_of(match)), "season"


def _bare_month(match: re.Match[str], anchor: date | None) -> Resolved | None:
    name = match["month"].lower()
    det = " ".join(_group(match, "det").lower().split())
    cued = bool(det or _group(match, "cue") or _group(match, "part"))
    if anchor is None or (not cued and (name in AMBIGUOUS_MONTHS or name not in FULL_MONTHS)):
        return None
    month = MONTHS[name]
    return date(_month_year(month, anchor, det), month, 1), "month"


def _bare_weekday(match: re.Match[str], anchor: date | None) -> Resolved | None:
    if anchor is None:
        return None
    det = " ".join(_group(match, "det").lower().split())
    return _weekday(WEEKDAYS[match["weekday"].lower()], anchor, det), "day"


def _bare_season(match: re.Match[str], anchor: date | None) -> Resolved | None:
    if anchor is None:
        return None
    det = " ".join(_group(match, "det").lower().split())
    if not det and not _group(match, "cue"):
        return None
    return _season(SEASONS[match["season"].lower()], anchor, det), "season"


def _recent(match: re.Match[str], anchor: date | None) -> Resolved | None:
    """ "in recent weeks", "over the past few months": the anchor's week, month or year."""
    if anchor is None:
        return None
    unit = match["unit"].lower()
    if unit == "days":
        return _monday(anchor), "week"
    if unit == "years":
        return date(anchor.year, 1, 1), "year"
    return _add_months(anchor, 0), "month"


def _ago(match: re.Match[str], anchor: date | None) -> Resolved | None:
    if anchor is None:
        return None
    raw = " ".join(match["n"].lower().split())
    count = int(raw) if raw.isdigit() else NUMBERS[raw]
    unit = match["unit"].lower()
    if unit == "day":
        return anchor - timedelta(days=count), "day"
    if unit == "week":
        return _monday(anchor - timedelta(weeks=count)), "week"
    if unit == "month":
        return _add_months(anchor, -count), "month"
    return date(anchor.year - count, 1, 1), "year"


# Fixed relative phrases (matched case-insensitively), each a function of the anchor.
PHRASES: Mapping[str, Callable[[date], Resolved]] = {
    "today": lambda a: (a, "day"),
    "earlier today": lambda a: (a, "day"),
    "this morning": lambda a: (a, "day"),
    "this afternoon": lambda a: (a, "day"),
    "this evening": lambda a: (a, "day"),
    "tonight": lambda a: (a, "day"),
    "yesterday": lambda a: (a - timedelta(days=1), "day"),
    "last night": lambda a: (a - timedelta(days=1), "day"),
    "the day before yesterday": lambda a: (a - timedelta(days=2), "day"),
    "tomorrow": lambda a: (a + timedelta(days=1), "day"),
    "this week": lambda a: (_monday(a), "week"),
    "earlier this week": lambda a: (_monday(a), "week"),
    "later this week": lambda a: (_monday(a), "week"),
    "last week": lambda a: (_monday(a) - timedelta(days=7), "week"),
    "this past week": lambda a: (_monday(a) - timedelta(days=7), "week"),
    "next week": lambda a: (_monday(a) + timedelta(days=7), "week"),
    "last weekend": lambda a: (_weekend(a, previous=True), "week"),
    "this past weekend": lambda a: (_weekend(a, previous=False), "week"),
    "over the weekend": lambda a: (_weekend(a, previous=False), "week"),
    "this month": lambda a: (_add_months(a, 0), "month"),
    "earlier this month": lambda a: (_add_months(a, 0), "month"),
    "later this month": lambda a: (_add_months(a, 0), "month"),
    "last month": lambda a: (_add_months(a, -1), "month"),
    "early last month": lambda a: (_add_months(a, -1), "month"),
    "late last month": lambda a: (_add_months(a, -1), "month"),
    "next month": lambda a: (_add_months(a, 1), "month"),
    "recently": lambda a: (_add_months(a, 0), "month"),
    "this year": lambda a: (date(a.year, 1, 1), "year"),
    "earlier this year": lambda a: (date(a.year, 1, 1), "year"),
    "later this year": lambda a: (date(a.year, 1, 1), "year"),
    "early this year": lambda a: (date(a.year, 1, 1), "season"),
    "late this year": lambda a: (date(a.year, 10, 1), "season"),
    "the end of this year": lambda a: (date(a.year, 10, 1), "season"),
    "last year": lambda a: (date(a.year - 1, 1, 1), "year"),
    "early last year": lambda a: (date(a.year - 1, 1, 1), "season"),
    "late last year": lambda a: (date(a.year - 1, 10, 1), "season"),
    "the end of last year": lambda a: (date(a.year - 1, 10, 1), "season"),
    "next year": lambda a: (date(a.year + 1, 1, 1), "year"),
}


def _phrase(match: re.Match[str], anchor: date | None) -> Resolved | None:
    if anchor is None:
        return None
    return PHRASES[" ".join(match.group().lower().split())](anchor)


def _phrase_pattern() -> str:
    phrases = sorted(PHRASES, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    # "the last week of March" is not "last week".
    return rf"(?<!\w)(?<!\bthe\s)(?<!\bThe\s)(?i:{alternatives})(?!\w)"


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
    relative: bool  # resolving needs the anchor


def _rule(name: str, handler: Handler, relative: bool, *parts: str) -> _Rule:
    return _Rule(name, re.compile("".join(parts)), handler, relative)


RANGE = r"(?:\s*[-–]\s*\d{1,2})?"  # "10-12 January": the first day counts
SEASON = r"(?P<season>(?i:spring|summer|autumn|fall|winter))"
COUNT = (
    r"(?P<n>\d{1,4}|(?i:a\s+couple\s+of|couple\s+of|a\s+few|few|several|an?|one|two|three"
    r"|four|five|six|seven|eight|nine|ten|eleven|twelve))"
)
RECENT = (
    r"(?i:(?:in|over|during|within)\s+(?:the\s+)?"
    r"(?:(?:past|last)\s+(?:few\s+|several\s+|couple\s+of\s+)?|recent\s+)|recent\s+)"
)
WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Order breaks ties between equally long matches at the same start: absolute rules first.
RULES: tuple[_Rule, ...] = (
    _rule("iso", _iso, False,
          r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    _rule("day-month-year", _day_month_year, False,
          WEEKDAY_PREFIX, r"(?:the\s+)?", DAY, RANGE, r"(?:\s+of)?\s+", MONTH, r",?\s+", YEAR),
    _rule("month-day-year", _day_month_year, False,
          WEEKDAY_PREFIX, MONTH, r"\s+", DAY, RANGE, r",?\s+", YEAR),
    _rule("month-year", _month_of_year, False,
          r"(?:", PART, r"[\s-]+)?", MONTH, r"(?:\s+of)?,?\s+", YEAR),
    _rule("season-year", _season_of_year, False,
          r"(?:(?i:the)\s+)?", SEASON, r"(?:\s+of)?\s+", YEAR),
    _rule("part-year", _part_of_year, False, PART, r"[\s-]+", YEAR),
    _rule("fiscal-year", _year, False, r"(?<!\w)(?:FY\s?|(?i:fiscal\s+year)\s+)", YEAR),
    _rule("year", _year, False,
          r"(?<!\w)", YEAR_CUES, r"\s+(?P<core>", YEAR, r")(?:\s*[-–/]\s*\d{2,4})?"),
    _rule("month-day", _day_month, True, WEEKDAY_PREFIX, MONTH, r"\s+", DAY, RANGE, NO_YEAR),
    _rule("day-month", _day_month, True,
          WEEKDAY_PREFIX, r"(?:the\s+)?", DAY, RANGE, r"(?:\s+of)?\s+", MONTH, NO_YEAR),
    _rule("month", _bare_month, True,
          r"(?:(?<!\w)(?P<cue>", MONTH_CUES, r")\s+)?",
          r"(?P<core>(?<!\w)(?:", DET, r"\s+)?(?:", PART, r"[\s-]+)?", MONTH, r")(?!\.?\s*\d)"),
    _rule("weekday", _bare_weekday, True,
          r"(?<!\ba\s)(?<!\bevery\s)(?<!\beach\s)(?<!\w)(?:", DET, r"\s+)?", WEEKDAY, r"(?!\w)"),
    _rule("season", _bare_season, True,
          r"(?:(?<!\w)(?P<cue>(?i:in|during|over|since|by|until|through))\s+(?:the\s+)?)?",
          r"(?P<core>(?<!\w)(?:", DET, r"\s+)?", SEASON, r")(?!\w)(?!\s+of\b)"),
    _rule("ago", _ago, True,
          r"(?<!\w)", COUNT, r"\s+(?P<unit>(?i:day|week|month|year))s?\s+(?i:ago)(?!\w)"),
    _rule("recent", _recent, True,
          r"(?<!\w)", RECENT, r"(?P<unit>(?i:days|weeks|months|years))(?!\w)"),
    _rule("phrase", _phrase, True, _phrase_pattern()),
)  # fmt: skip


def _span(match: re.Match[str]) -> tuple[int, int]:
    if "core" in match.re.groupindex and match.group("core") is not None:
        return match.span("core")
    return match.span()


def _candidates(text: str, anchor: date | None) -> list[tuple[int, int, int, DateMention]]:
    out: list[tuple[int, int, int, DateMention]] = []
    for order, rule in enumerate(RULES):
        if rule.relative and anchor is None:
            continue
        for match in rule.pattern.finditer(text):
            try:
                resolved = rule.handler(match, anchor)
            except (ValueError, OverflowError, KeyError, StopIteration, IndexError):
                continue  # an impossible date (31 February, year 0): not a date mention
            if resolved is None:
                continue
            start, end = _span(match)
            value, precision = resolved
            mention = DateMention(start, end, text[start:end], value, precision, rule.relative)
            out.append((start, -(end - start), order, mention))
    return out


def find_dates(text: str, anchor: date | None = None) -> list[DateMention]:
    """Every date expression in `text`, leftmost-longest and non-overlapping, in text order.

    Relative expressions ("last week", "in September", "May 8") resolve against `anchor`, the
    document's date; without one they are skipped.
    """
    if not isinstance(text, str) or not text:
        return []
    if isinstance(anchor, datetime):
        anchor = anchor.date()
    elif not isinstance(anchor, date):
        anchor = None
    out: list[DateMention] = []
    taken = -1
    for start, _, _, mention in sorted(_candidates(text, anchor), key=lambda c: c[:3]):
        if start >= taken:
            out.append(mention)
            taken = mention.end
    return out


LEADING = re.compile(r"\s*(?:(?i:on|in|since|during|by|until|from|of|at|around|as\s+of)\s+)?")
TRAILING = re.compile(r"[\s.,;:!?)]*")


def resolve(expression: str, anchor: date | None = None) -> Resolved | None:
    """The date and precision of a whole date expression, or None if it is not one."""
    for mention in find_dates(expression, anchor):
        head = LEADING.fullmatch(expression[: mention.start])
        tail = TRAILING.fullmatch(expression[mention.end :])
        if head is not None and tail is not None:
            return mention.value, mention.precision
    return None


def claim_date_mention(
    sentence_text: str, sentence_start: int, anchor: date | None
) -> DateMention | None:
    """The most precise date in a sentence (the first of equals), in document offsets."""
    mentions = find_dates(sentence_text, anchor)
    if not mentions:
        return None
    best = min(mentions, key=lambda m: (PRECISION_RANK[m.precision], m.start))
    return replace(best, start=best.start + sentence_start, end=best.end + sentence_start)


def claim_date(sentence_text: str, sentence_start: int, anchor: date | None) -> date | None:
    """The date a claim's sentence states (its most precise date), else the anchor."""
    mention = claim_date_mention(sentence_text, sentence_start, anchor)
    return mention.value if mention is not None else anchor
