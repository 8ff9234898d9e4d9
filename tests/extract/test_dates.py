"""Date mentions: absolute forms, relative forms against fixed anchors, and odd input."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from armstrace.extract.dates import claim_date, claim_date_mention, find_dates, resolve

WED = date(2024, 3, 6)  # a Wednesday in a leap year
NEW_YEAR = date(2024, 1, 3)  # a Wednesday early in January: "last month" is last year


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("10 January 2023", (date(2023, 1, 10), "day")),
        ("January 10, 2023", (date(2023, 1, 10), "day")),
        ("Jan. 10, 2023", (date(2023, 1, 10), "day")),
        ("Wednesday, January 10, 2024", (date(2024, 1, 10), "day")),
        ("the 3rd of October, 2022", (date(2022, 10, 3), "day")),
        ("2023-01-10", (date(2023, 1, 10), "day")),
        ("4-6 June 2023", (date(2023, 6, 4), "day")),
        ("in September 2023", (date(2023, 9, 1), "month")),
        ("since February of 2022", (date(2022, 2, 1), "month")),
        ("in August of '21", (date(2021, 8, 1), "month")),
        ("in 2022", (date(2022, 1, 1), "year")),
        ("FY2025", (date(2025, 1, 1), "year")),
        ("late 2023", (date(2023, 10, 1), "season")),
        ("mid-2021", (date(2021, 6, 1), "season")),
        ("the summer of 2022", (date(2022, 6, 1), "season")),
        ("February 29, 2024", (date(2024, 2, 29), "day")),  # leap day
        ("February 29, 2023", None),  # no such day
        ("31 April 2023", None),
    ],
)
def test_absolute_dates_need_no_anchor(expression: str, expected: tuple[date, str] | None) -> None:
    assert resolve(expression, None) == expected


@pytest.mark.parametrize(
    "expression, anchor, expected",
    [
        # weekdays: the most recent on or before the anchor; "last" is strictly before
        ("on Wednesday", WED, (date(2024, 3, 6), "day")),
        ("on Thursday", WED, (date(2024, 2, 29), "day")),  # back across the leap day
        ("on Monday", WED, (date(2024, 3, 4), "day")),
        ("last Wednesday", WED, (date(2024, 2, 28), "day")),
        ("next Friday", WED, (date(2024, 3, 8), "day")),
        ("yesterday", date(2024, 3, 1), (date(2024, 2, 29), "day")),
        ("yesterday", date(2023, 3, 1), (date(2023, 2, 28), "day")),
        ("today", WED, (WED, "day")),
        ("Yesterday", date(2024, 1, 1), (date(2023, 12, 31), "day")),
        # weeks are given by their Monday
        ("last week", WED, (date(2024, 2, 26), "week")),
        ("this week", WED, (date(2024, 3, 4), "week")),
        ("two weeks ago", WED, (date(2024, 2, 19), "week")),
        ("last weekend", date(2024, 3, 4), (date(2024, 2, 26), "week")),
        # months roll over across years
        ("last month", WED, (date(2024, 2, 1), "month")),
        ("last month", NEW_YEAR, (date(2023, 12, 1), "month")),
        ("this month", WED, (date(2024, 3, 1), "month")),
        ("three months ago", NEW_YEAR, (date(2023, 10, 1), "month")),
        ("in September", WED, (date(2023, 9, 1), "month")),  # not after the anchor
        ("in September", date(2024, 10, 2), (date(2024, 9, 1), "month")),
        ("in March", WED, (date(2024, 3, 1), "month")),  # the anchor's own month
        ("last March", WED, (date(2023, 3, 1), "month")),
        ("in early May", WED, (date(2023, 5, 1), "month")),
        ("recently", WED, (date(2024, 3, 1), "month")),
        ("in recent months", WED, (date(2024, 3, 1), "month")),
        ("over the past few weeks", WED, (date(2024, 3, 1), "month")),
        # a day and month without a year: the occurrence nearest the anchor
        ("Jan. 10", WED, (date(2024, 1, 10), "day")),
        ("December 28", NEW_YEAR, (date(2023, 12, 28), "day")),
        ("on May 20", WED, (date(2024, 5, 20), "day")),
        ("29 February", date(2025, 1, 15), (date(2024, 2, 29), "day")),
        # years and parts of years
        ("this year", WED, (date(2024, 1, 1), "year")),
        ("earlier this year", WED, (date(2024, 1, 1), "year")),
        ("last year", WED, (date(2023, 1, 1), "year")),
        ("late last year", WED, (date(2023, 10, 1), "season")),
        ("a year ago", WED, (date(2023, 1, 1), "year")),
        # seasons: "last summer" is the most recent one already over
        ("last summer", WED, (date(2023, 6, 1), "season")),
        ("last summer", date(2024, 10, 1), (date(2024, 6, 1), "season")),
        ("last summer", date(2024, 7, 15), (date(2023, 6, 1), "season")),
        ("last winter", WED, (date(2023, 12, 1), "season")),  # just over
        ("this winter", date(2024, 1, 20), (date(2023, 12, 1), "season")),
        ("last winter", date(2024, 1, 20), (date(2022, 12, 1), "season")),
    ],
)
def test_relative_dates(expression: str, anchor: date, expected: tuple[date, str]) -> None:
    assert resolve(expression, anchor) == expected


@pytest.mark.parametrize(
    "expression",
    ["last week", "on Wednesday", "in September", "two weeks ago", "recently", "Jan. 10"],
)
def test_relative_dates_need_an_anchor(expression: str) -> None:
    assert resolve(expression, None) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # words that look like months or seasons but are not dates
        ("The report says Iran may send more drones.", []),
        ("March on Washington", []),
        ("May I add one thing?", []),
        ("Prices fall when supply rises.", []),
        ("since the fall of the government", []),
        ("the last week of the talks", []),
        ("a shipment that left on a Friday", []),
        ("He bought 2000 shells and 155 rounds.", []),
        # several in one sentence, in text order
        ("Talks began in March and ended on Friday.", ["March", "Friday"]),
        ("On 2 May 2023 and again last month", ["2 May 2023", "last month"]),
    ],
)
def test_find_dates_spans(text: str, expected: list[str]) -> None:
    assert [m.text for m in find_dates(text, WED)] == expected


def test_offsets_and_relative_flag() -> None:
    text = "It arrived on 4 March 2024, two days ago."
    first, second = find_dates(text, WED)
    assert text[first.start : first.end] == "4 March 2024"
    assert (first.relative, second.relative) == (False, True)
    assert second.value == date(2024, 3, 4)


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "\x00\x01", "99/99/9999", "31 Febtember", "2023-13-45", "0 January 2023",
     "in 9999", "Monday" * 1000, "ﾟ∀ﾟ 2024-02-30"],
)  # fmt: skip
def test_odd_input_never_raises(garbage: str) -> None:
    assert find_dates(garbage, WED) == [] or all(m.value for m in find_dates(garbage, WED))
    resolve(garbage, WED)
    resolve(garbage, None)


def test_non_string_and_extreme_anchors_never_raise() -> None:
    assert find_dates(None, WED) == []  # type: ignore[arg-type]
    assert resolve("next week", date.max) is None
    assert resolve("yesterday", date.min) is None
    assert resolve("yesterday", datetime(2024, 3, 6, 12, 0)) == (date(2024, 3, 5), "day")


@pytest.mark.parametrize(
    "sentence, anchor, expected",
    [
        ("Deliveries began in 2023 and the first ship sailed on 12 May 2023.", WED,
         date(2023, 5, 12)),  # the most precise date wins
        ("Officials said last month that shipments continue.", WED, date(2024, 2, 1)),
        ("Shipments continue, officials said.", WED, WED),  # no date: the anchor
        ("Shipments continue, officials said.", None, None),
        ("The drones arrived last week.", None, None),  # relative but no anchor
    ],
)  # fmt: skip
def test_claim_date(sentence: str, anchor: date | None, expected: date | None) -> None:
    assert claim_date(sentence, 100, anchor) == expected


def test_claim_date_mention_is_in_document_offsets() -> None:
    mention = claim_date_mention("Ships sailed on Monday.", 500, WED)
    assert mention is not None
    assert (mention.start, mention.end, mention.value) == (516, 522, date(2024, 3, 4))
