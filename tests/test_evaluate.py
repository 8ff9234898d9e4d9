"""The eval scorer: matching, P/R/F1, attribute accuracies, quotes, loaders and the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from armstrace.errors import DataFileError
from armstrace.evaluate import (
    EvalReport,
    Ratio,
    format_report,
    load_gold,
    load_predictions,
    load_quotes,
    same_person,
    score,
)


def claim(
    supplier: str | None = "RUS",
    recipient: str | None = "IRN",
    category: str = "uav",
    status: str = "delivered",
    source: str | None = None,
    via: tuple[str, ...] = (),
    **extra: Any,
) -> dict[str, Any]:
    return {
        "supplier": supplier,
        "recipient": recipient,
        "via": list(via),
        "items": ["drones"],
        "category": category,
        "status": status,
        "source": source,
        "evidence": "drones were shipped",
        **extra,
    }


def casefold_only(name: str | None) -> str | None:
    return name.casefold() if name else None


ALIASES = {"dprk": "PRK", "north korea": "PRK", "iran": "IRN"}


def alias_fold(name: str | None) -> str | None:
    return ALIASES.get(name.casefold(), name) if name else None


def run(gold: list[dict[str, Any]], predicted: list[dict[str, Any]], **kwargs: Any) -> EvalReport:
    kwargs.setdefault("fold", casefold_only)
    return score({"D1": gold}, {"D1": predicted}, **kwargs)


def counts(report: EvalReport, which: str = "triples") -> tuple[int, int, int]:
    prf = getattr(report, which)
    return prf.tp, prf.fp, prf.fn


# --- triple and pair matching --------------------------------------------------------------------


@pytest.mark.parametrize(
    "gold, predicted, expected",
    [
        pytest.param([claim()], [claim()], (1, 0, 0), id="perfect"),
        pytest.param([claim()], [], (0, 0, 1), id="empty prediction"),
        pytest.param([], [claim()], (0, 1, 0), id="extra on empty gold"),
        pytest.param([claim()], [claim(), claim(category="missile")], (1, 1, 0), id="one extra"),
        pytest.param([claim()], [claim(), claim()], (1, 1, 0), id="duplicate prediction is extra"),
        pytest.param([claim()], [claim(supplier="BLR")], (0, 1, 1), id="wrong supplier"),
        pytest.param([claim()], [claim(supplier=None)], (0, 1, 1), id="null vs named supplier"),
        pytest.param([claim(supplier=None)], [claim(supplier=None)], (1, 0, 0), id="null = null"),
        pytest.param([claim(supplier=None)], [claim(supplier="")], (1, 0, 0), id="blank is null"),
        pytest.param([claim(supplier="Wagner")], [claim(supplier="wagner")], (1, 0, 0), id="case"),
        pytest.param([claim()], [claim(status="denied", source="x")], (1, 0, 0), id="key only"),
    ],
)
def test_triple_counts(
    gold: list[dict[str, Any]], predicted: list[dict[str, Any]], expected: tuple[int, int, int]
) -> None:
    assert counts(run(gold, predicted)) == expected


def test_alias_folding_uses_the_injected_fold() -> None:
    gold = [claim(supplier="PRK", recipient="RUS", category="ammunition")]
    predicted = [claim(supplier="DPRK", recipient="rus", category="ammunition")]
    assert counts(run(gold, predicted, fold=alias_fold)) == (1, 0, 0)
    assert counts(run(gold, predicted, fold=casefold_only)) == (0, 1, 1)


def test_a_name_the_fold_does_not_know_keeps_its_own_text() -> None:
    def knows_nothing(name: str | None) -> str | None:
        return None

    report = run([claim(supplier="Houthis")], [claim(supplier="HOUTHIS")], fold=knows_nothing)
    assert counts(report) == (1, 0, 0)
    report = run([claim(supplier=None)], [claim(supplier="Houthis")], fold=knows_nothing)
    assert counts(report) == (0, 1, 1)


@pytest.mark.parametrize(
    "gold, predicted, triples, pairs",
    [
        pytest.param(
            [claim(category="uav")],
            [claim(category="missile")],
            (0, 1, 1),
            (1, 0, 0),
            id="right pair, wrong category",
        ),
        pytest.param(
            [claim(category="uav"), claim(category="missile")],
            [claim(category="uav")],
            (1, 0, 1),
            (1, 0, 1),
            id="gold pairs are a multiset",
        ),
        pytest.param(
            [claim(category="uav"), claim(category="missile")],
            [claim(category="uav"), claim(category="ship"), claim(category="engine")],
            (1, 2, 1),
            (2, 1, 0),
            id="three predicted categories on two gold claims",
        ),
        pytest.param(
            [claim(recipient="SYR")],
            [claim(recipient="IRQ")],
            (0, 1, 1),
            (0, 1, 1),
            id="wrong recipient misses both",
        ),
    ],
)
def test_pairs_ignore_the_category(
    gold: list[dict[str, Any]],
    predicted: list[dict[str, Any]],
    triples: tuple[int, int, int],
    pairs: tuple[int, int, int],
) -> None:
    report = run(gold, predicted)
    assert counts(report, "triples") == triples
    assert counts(report, "pairs") == pairs


@pytest.mark.parametrize(
    "predicted, expected, ignored",
    [
        pytest.param([], (0, 0, 0), 0, id="optional missed costs nothing"),
        pytest.param([claim(category="ship")], (0, 0, 0), 1, id="optional found is no FP"),
        pytest.param([claim(category="ship")] * 2, (0, 1, 0), 1, id="second copy is extra"),
    ],
)
def test_optional_gold_claims(
    predicted: list[dict[str, Any]], expected: tuple[int, int, int], ignored: int
) -> None:
    report = run([claim(category="ship", required=False)], predicted)
    assert counts(report) == expected
    assert report.triples.ignored == ignored
    assert report.triples.recall.value is None


def test_optional_claims_are_not_scored_for_status() -> None:
    gold = [claim(category="ship", status="planned", required=False), claim(status="delivered")]
    predicted = [claim(category="ship", status="denied"), claim(status="delivered")]
    report = run(gold, predicted)
    assert counts(report) == (1, 0, 0)
    assert report.status == Ratio(1, 1)


def test_micro_average_over_documents() -> None:
    gold = {"A": [claim(), claim(category="missile")], "B": [claim(recipient="SYR")]}
    predicted = {"A": [claim()], "B": [claim(recipient="SYR"), claim(recipient="LBN")]}
    report = score(gold, predicted, fold=casefold_only)
    assert counts(report) == (2, 1, 1)
    assert report.triples.precision.value == pytest.approx(2 / 3)
    assert report.triples.f1 == pytest.approx(2 / 3)


def test_missing_and_unknown_documents() -> None:
    gold = {"A": [claim()], "B": [claim(), claim(category="missile")]}
    predicted = {"A": [claim()], "Z": [claim(), claim()]}
    report = score(gold, predicted, fold=casefold_only)
    assert counts(report) == (1, 0, 2)
    assert report.missing_documents == ("B",)
    assert report.ignored_documents == ("Z",)


# --- attributes of matched triples ---------------------------------------------------------------


@pytest.mark.parametrize(
    "gold_status, predicted_status, exact, group",
    [
        ("delivered", "delivered", 1, 1),
        ("delivered", "ongoing", 0, 1),
        ("agreed", "planned", 0, 1),
        ("requested", "attempted", 0, 1),
        ("alleged", "speculated", 0, 1),
        ("alleged", "denied", 0, 0),
        ("denied", "delivered", 0, 0),
        ("planned", "delivered", 0, 0),
        ("planned", "rumoured", 0, 0),
    ],
)
def test_status_and_status_group(
    gold_status: str, predicted_status: str, exact: int, group: int
) -> None:
    report = run([claim(status=gold_status)], [claim(status=predicted_status)])
    assert report.status == Ratio(exact, 1)
    assert report.status_group == Ratio(group, 1)


@pytest.mark.parametrize(
    "gold, predicted, expected",
    [
        ("Jens Stoltenberg", "NATO Secretary General Jens Stoltenberg", True),
        ("Jens Stoltenberg", "Stoltenberg's spokesman", True),
        ("Jens Stoltenberg", "Jens", False),
        ("Gen. Michael \u201cErik\u201d Kurilla", "Kurilla", True),
        ("Gen. Michael \u201cErik\u201d Kurilla", "Erik", False),
        ("The State Department", "the U.S. Department of State", True),
        ("The State Department", "State", False),
        ("Lloyd J. Austin III", "Secretary Austin", True),
        ("Col. Ana Ruiz (briefing)", "Ana Ruiz", True),
        ("Mary Ann Smith-Jones", "Ms. Smith-Jones", True),
        ("Tom Reed", "Tom Reedman", False),
        (None, None, True),
        (None, "", True),
        (None, "The Pentagon", False),
        ("The Pentagon", None, False),
    ],
)
def test_source_last_word_rule(gold: str | None, predicted: str | None, expected: bool) -> None:
    assert same_person(gold, predicted) is expected
    report = run([claim(source=gold)], [claim(source=predicted)])
    assert report.source == Ratio(int(expected), 1)


def test_via_recall_over_matched_triples() -> None:
    gold = [
        claim(via=("Caspian Sea", "TKM")),
        claim(category="missile", via=("IRQ",)),
        claim(category="ship", via=("OMN",)),  # never matched: not counted
    ]
    predicted = [claim(via=("caspian sea", "AZE")), claim(category="missile", via=("IRQ", "SYR"))]
    report = run(gold, predicted)
    assert report.via == Ratio(2, 3)
    (doc,) = report.details
    assert [(m.subject, m.gold) for m in doc.via] == [("RUS -> IRN [uav]", ["TKM"])]


def test_via_entries_are_alias_folded() -> None:
    report = run([claim(via=("Iran",))], [claim(via=("IRN",))], fold=alias_fold)
    assert report.via == Ratio(1, 1)


# --- quotes --------------------------------------------------------------------------------------

QUOTE = "We will keep supplying the air defence our partners need for as long as it takes t"


@pytest.mark.parametrize(
    "predicted, matched",
    [
        pytest.param(QUOTE, True, id="identical"),
        pytest.param(QUOTE + "o win.", True, id="prediction is longer"),
        pytest.param(QUOTE[:30], True, id="prediction is a prefix"),
        pytest.param(QUOTE.replace(" ", "\n  ", 3), True, id="whitespace differs"),
        pytest.param(QUOTE.replace("We", "we", 1), False, id="case is kept"),
        pytest.param(QUOTE[5:], False, id="not a prefix"),
        pytest.param("   ", False, id="empty never matches"),
    ],
)
def test_quote_prefix_matching(predicted: str, matched: bool) -> None:
    gold_quotes = {"D1": [{"quote": QUOTE, "speaker": "Ana Ruiz"}]}
    predicted_quotes = {"D1": [{"quote": predicted, "speaker": "Ruiz"}]}
    report = score({}, {}, gold_quotes=gold_quotes, predicted_quotes=predicted_quotes)
    assert report.quotes is not None
    assert report.quotes.recall == Ratio(int(matched), 1)
    assert report.quotes.speaker == Ratio(int(matched), int(matched))


def test_quote_matching_is_one_to_one_and_maximal() -> None:
    gold = [{"quote": "We are", "speaker": "A B"}, {"quote": "We are ready now", "speaker": "C D"}]
    predicted = [
        {"quote": "We are ready now to act", "speaker": "D"},
        {"quote": "We are not", "speaker": "B"},
        {"quote": "We are ready now", "speaker": "X"},
    ]
    report = score({}, {}, gold_quotes={"D1": gold}, predicted_quotes={"D1": predicted})
    assert report.quotes is not None
    assert report.quotes.recall == Ratio(2, 2)
    assert report.quotes.precision == Ratio(2, 3)
    assert report.quotes.speaker == Ratio(2, 2)


def test_quote_speaker_mismatch_and_curly_quotes() -> None:
    gold = [{"quote": "It\u2019s a \u201cred line\u201d for us", "speaker": "Ana Ruiz"}]
    predicted = [{"quote": 'It\'s a "red line"', "speaker": "Pedro Vega"}]
    report = score({}, {}, gold_quotes={"D1": gold}, predicted_quotes={"D1": predicted})
    assert report.quotes is not None
    assert report.quotes.recall == Ratio(1, 1)
    assert report.quotes.speaker == Ratio(0, 1)
    assert "speaker" in format_report(report, detail=True)


def test_quotes_without_predictions_are_all_missed() -> None:
    gold_quotes = {"D1": [{"quote": QUOTE, "speaker": None}]}
    report = score({}, {}, gold_quotes=gold_quotes)
    assert report.quotes is not None
    assert report.quotes.recall == Ratio(0, 1)
    assert report.quotes.missing_documents == ("D1",)
    assert score({}, {}).quotes is None


# --- details and report --------------------------------------------------------------------------


def test_details_list_missed_extra_and_mismatches() -> None:
    gold = [claim(status="agreed", source="Ana Ruiz"), claim(category="missile")]
    predicted = [claim(status="delivered", source="Luis Gomez"), claim(category="ship")]
    report = run(gold, predicted)
    (doc,) = report.details
    assert [str(t) for t in doc.missed] == ["RUS -> IRN [missile]"]
    assert [str(t) for t in doc.extra] == ["RUS -> IRN [ship]"]
    assert [(m.gold, m.predicted) for m in doc.status] == [("agreed", "delivered")]
    assert [(m.gold, m.predicted) for m in doc.source] == [("Ana Ruiz", "Luis Gomez")]
    text = format_report(report, detail=True)
    assert "missed   RUS -> IRN [missile]" in text
    assert "extra    RUS -> IRN [ship]" in text
    assert "missed" not in format_report(report)


def test_report_text_and_json() -> None:
    report = run([claim(), claim(category="missile")], [claim()])
    text = format_report(report)
    assert "triple recall" in text and "1/2" in text and "0.500" in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["triples"]["recall"] == {"value": 0.5, "hits": 1, "total": 2}
    assert data["details"][0]["missed"] == [
        {"supplier": "RUS", "recipient": "IRN", "category": "missile"}
    ]
    assert data["quotes"] is None


def test_uses_the_default_fold_without_an_injected_one() -> None:
    report = score({"D1": [claim(supplier="Wagner")]}, {"D1": [claim(supplier=" WAGNER ")]})
    assert counts(report) == (1, 0, 0)


# --- loaders -------------------------------------------------------------------------------------


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_gold_and_quotes(tmp_path: Path) -> None:
    row = {"doc": "D1", "claims": [claim()]}
    path = write(tmp_path, [json.dumps(row), "", json.dumps({"doc": "D2", "claims": []})])
    assert load_gold(path) == {"D1": [claim()], "D2": []}
    quotes = write(
        tmp_path, [json.dumps({"doc": "D1", "quotes": [{"quote": "Hi", "speaker": None}]})]
    )
    assert load_quotes(quotes) == {"D1": [{"quote": "Hi", "speaker": None}]}


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "not valid JSON"),
        ('["D1"]', '"doc"'),
        ('{"doc": "", "claims": []}', '"doc"'),
        ('{"doc": "D1"}', '"claims" must be a list'),
        ('{"doc": "D1", "claims": ["x"]}', "must be an object"),
        (json.dumps({"doc": "D1", "claims": [{"supplier": "RUS"}]}), 'missing "recipient"'),
        (json.dumps({"doc": "D1", "claims": [claim(category="drones")]}), "unknown category"),
        (json.dumps({"doc": "D1", "claims": [claim(status="maybe")]}), "unknown status"),
        (json.dumps({"doc": "D1", "claims": [{**claim(), "via": "IRQ"}]}), '"via"'),
        (json.dumps({"doc": "D1", "claims": [claim(required="no")]}), '"required"'),
        (json.dumps({"doc": "D1", "claims": [{**claim(), "supplier": 7}]}), '"supplier"'),
    ],
)
def test_malformed_gold_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, [json.dumps({"doc": "D0", "claims": []}), line])
    with pytest.raises(DataFileError, match=message) as error:
        load_gold(path)
    assert f"{path}:2" in str(error.value)


def test_duplicate_documents_are_refused(tmp_path: Path) -> None:
    row = json.dumps({"doc": "D1", "claims": []})
    with pytest.raises(DataFileError, match="more than one line"):
        load_gold(write(tmp_path, [row, row]))


def test_predictions_may_use_values_outside_the_sets(tmp_path: Path) -> None:
    path = write(tmp_path, [json.dumps({"doc": "D1", "claims": [claim(category="drones")]})])
    assert load_predictions(path)["D1"][0]["category"] == "drones"
    with pytest.raises(DataFileError, match="unknown category"):
        load_gold(path)


def test_malformed_in_memory_gold_is_refused() -> None:
    with pytest.raises(DataFileError, match="gold document D1"):
        score({"D1": [claim(status="sold")]}, {}, fold=casefold_only)


# --- the dev corpus ------------------------------------------------------------------------------


def test_dev_gold_scores_perfectly_against_itself(dev_corpus: Path) -> None:
    gold = load_gold(dev_corpus / "gold.jsonl")
    quotes = load_quotes(dev_corpus / "quotes.jsonl")
    report = score(gold, gold, gold_quotes=quotes, predicted_quotes=quotes)
    assert report.quotes is not None
    ratios = [report.triples.precision, report.triples.recall, report.pairs.precision]
    ratios += [report.pairs.recall, report.status, report.status_group, report.source, report.via]
    ratios += [report.quotes.recall, report.quotes.precision, report.quotes.speaker]
    assert all(r.value == 1.0 for r in ratios)
    assert report.triples.f1 == report.pairs.f1 == 1.0
    assert all(detail.clean for detail in report.details)


def test_malformed_in_memory_quotes_are_refused() -> None:
    gold_quotes = {"D1": [{"quote": QUOTE, "speaker": None}]}
    with pytest.raises(DataFileError, match="predicted quotes of document D1"):
        score({}, {}, gold_quotes=gold_quotes, predicted_quotes={"D1": [{"text": QUOTE}]})


def test_by_rule_counts_true_and_false_positives_per_rule_and_cue() -> None:
    gold = {
        "d": [
            claim("IRN", "RUS", "uav"),
            claim("PRK", "RUS", "ammunition", status="alleged"),
            {**claim("CHN", "RUS", "other"), "required": False},
        ]
    }
    predicted = {
        "d": [
            {**claim("IRN", "RUS", "uav"), "rule": "verb:supply:subject-to|send"},
            {
                **claim("PRK", "RUS", "ammunition", status="delivered"),
                "rule": "verb:supply:subject-to|ship",
            },
            {**claim("USA", "RUS", "missile"), "rule": "noun:supply:owner-none:filled|sale"},
            {**claim("CHN", "RUS", "other"), "rule": "noun:supply:owner-none:filled|sale"},
        ]
    }
    report = score(gold, predicted, fold=casefold_only)
    rules = {r.rule: r for r in report.by_rule}
    assert (rules["verb:supply:subject-to"].tp, rules["verb:supply:subject-to"].fp) == (2, 0)
    assert rules["verb:supply:subject-to"].status.value == 0.5
    filled = rules["noun:supply:owner-none:filled"]
    assert (filled.tp, filled.fp, filled.ignored, filled.claims) == (0, 1, 1, 2)
    assert filled.precision.value == 0.0
    cues = {r.rule: r for r in report.by_cue}
    assert cues["delivered:send"].status_hits == 1
    assert cues["delivered:ship"].status_hits == 0
    text = format_report(report, by_rule=True)
    assert "verb:supply:subject-to" in text and "status:cue" in text
    assert {r["rule"] for r in report.to_dict()["by_rule"]} == set(rules)
