"""Score predicted transfer claims and quotes against gold files, as claims.md "Scoring" defines.

Pure bookkeeping over contract dicts: it never runs extraction and never reads document texts.

Readings of the spec that it had to choose, so that a reader can check them:

* Matching is one-to-one within a document, in prediction order: a gold claim is matched once and
  a prediction repeating an already matched key is an extra. Required gold claims are matched
  before `"required": false` ones; a prediction that lands on an optional gold claim is neither a
  true nor a false positive, and attribute accuracies (status, source, via) are scored only on
  matches to required gold claims, so optional claims are invisible to every metric.
* Pair P/R/F1 runs that same matching on (supplier, recipient) alone, over a document's claims as
  a multiset: gold USA->UKR ammunition and USA->UKR missile are two gold pairs, and a prediction
  of USA->UKR with three categories has two true pairs and one extra. This is the triple metric
  with the category ignored, so pair recall is never below triple recall.
* Source and speaker: the gold value's last word (after dropping parenthetical remarks,
  generational suffixes such as "III" and a possessive "'s"; hyphenated names split) must occur as
  a whole word in the predicted value, case-insensitively. A null gold value matches null only.
* Quotes match when one begins with the other after folding whitespace runs and typographic
  quote marks (curly to straight); case is kept. An empty prediction matches nothing. Gold and
  predicted quotes are paired by maximum bipartite matching, since "begins with" is not transitive.
* A ratio with nothing to count (0/0) has no value (None, shown as "n/a"), not 0 or 1.
"""

from __future__ import annotations

import importlib
import json
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar, cast

from armstrace.errors import DataFileError, InputError
from armstrace.records import CATEGORIES, STATUS_GROUPS, STATUSES

__all__ = [
    "PRF",
    "DocDetail",
    "EvalReport",
    "Fold",
    "Mismatch",
    "QuoteScore",
    "Ratio",
    "RuleScore",
    "Triple",
    "format_report",
    "load_gold",
    "load_predictions",
    "load_quotes",
    "same_person",
    "score",
]

Fold = Callable[[str | None], str | None]
ClaimsByDoc = Mapping[str, Sequence[Mapping[str, Any]]]
QuotesByDoc = Mapping[str, Sequence[Mapping[str, Any]]]

# Generational suffixes are not surnames: "Lloyd J. Austin III" is matched on "austin".
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_TYPOGRAPHIC_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ratio:
    """hits out of total; `value` is None when there was nothing to count."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def __str__(self) -> str:
        return f"{self.hits}/{self.total}"


@dataclass(frozen=True, slots=True)
class PRF:
    """Micro-averaged counts; `ignored` are predictions absorbed by optional gold claims."""

    tp: int
    fp: int
    fn: int
    ignored: int = 0

    @property
    def precision(self) -> Ratio:
        return Ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> Ratio:
        return Ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None


@dataclass(frozen=True, slots=True)
class Triple:
    """A claim's key as written in its file (not folded), for reports."""

    supplier: str | None
    recipient: str | None
    category: str

    def __str__(self) -> str:
        return f"{self.supplier or 'null'} -> {self.recipient or 'null'} [{self.category}]"


@dataclass(frozen=True, slots=True)
class Mismatch:
    """An attribute of a matched triple or quote that differs; values as written in the files."""

    subject: str  # the triple ("USA -> UKR [ammunition]") or the gold quote
    gold: Any
    predicted: Any


@dataclass(frozen=True, slots=True)
class DocDetail:
    """What went wrong in one gold document, for `eval --detail`."""

    doc: str
    missed: tuple[Triple, ...] = ()
    extra: tuple[Triple, ...] = ()
    status: tuple[Mismatch, ...] = ()
    source: tuple[Mismatch, ...] = ()
    via: tuple[Mismatch, ...] = ()  # gold via entries not found among the predicted ones
    missed_quotes: tuple[str, ...] = ()
    speaker: tuple[Mismatch, ...] = ()

    @property
    def clean(self) -> bool:
        parts = (self.missed, self.extra, self.status, self.source, self.via, self.missed_quotes)
        return not any(parts) and not self.speaker


@dataclass(frozen=True, slots=True)
class QuoteScore:
    recall: Ratio
    precision: Ratio
    speaker: Ratio
    missing_documents: tuple[str, ...] = ()
    ignored_documents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleScore:
    """How the claims of one rule id (or one status cue) fared: true positives (matches to
    required gold), false positives, matches to optional gold, and correct statuses among the
    true positives."""

    rule: str
    tp: int = 0
    fp: int = 0
    ignored: int = 0
    status_hits: int = 0

    @property
    def claims(self) -> int:
        return self.tp + self.fp + self.ignored

    @property
    def precision(self) -> Ratio:
        return Ratio(self.tp, self.tp + self.fp)

    @property
    def status(self) -> Ratio:
        return Ratio(self.status_hits, self.tp)


@dataclass(frozen=True, slots=True)
class EvalReport:
    documents: int
    triples: PRF
    pairs: PRF
    status: Ratio
    status_group: Ratio
    source: Ratio
    via: Ratio
    quotes: QuoteScore | None = None
    missing_documents: tuple[str, ...] = ()  # gold documents with no prediction line
    ignored_documents: tuple[str, ...] = ()  # predicted documents absent from gold
    details: tuple[DocDetail, ...] = field(default=())
    by_rule: tuple[RuleScore, ...] = ()  # by role rule id, most claims first
    by_cue: tuple[RuleScore, ...] = ()  # by the status cue that decided, most claims first

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data for `eval --json`; ratios carry value, hits and total."""

        def ratio(r: Ratio) -> dict[str, Any]:
            return {"value": r.value, "hits": r.hits, "total": r.total}

        def prf(p: PRF) -> dict[str, Any]:
            return {
                "precision": ratio(p.precision),
                "recall": ratio(p.recall),
                "f1": p.f1,
                "tp": p.tp,
                "fp": p.fp,
                "fn": p.fn,
                "ignored": p.ignored,
            }

        quotes = None
        if self.quotes is not None:
            quotes = {
                "recall": ratio(self.quotes.recall),
                "precision": ratio(self.quotes.precision),
                "speaker": ratio(self.quotes.speaker),
                "missing_documents": list(self.quotes.missing_documents),
                "ignored_documents": list(self.quotes.ignored_documents),
            }
        return {
            "documents": self.documents,
            "missing_documents": list(self.missing_documents),
            "ignored_documents": list(self.ignored_documents),
            "triples": prf(self.triples),
            "pairs": prf(self.pairs),
            "status": ratio(self.status),
            "status_group": ratio(self.status_group),
            "source": ratio(self.source),
            "via": ratio(self.via),
            "quotes": quotes,
            "details": [asdict(d) for d in self.details if not d.clean],
            "by_rule": [_rule_dict(r) for r in self.by_rule],
            "by_cue": [_rule_dict(r) for r in self.by_cue],
        }


def _rule_dict(score: RuleScore) -> dict[str, Any]:
    return {
        "rule": score.rule,
        "claims": score.claims,
        "tp": score.tp,
        "fp": score.fp,
        "ignored": score.ignored,
        "precision": score.precision.value,
        "status": score.status.value,
    }


# --- loading -------------------------------------------------------------------------------------


def load_gold(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Gold claims by document; every field and value set of claims.md is checked."""
    return _load_jsonl(path, "claims", lambda raw, where: _check_claim(raw, where, strict=True))


def load_predictions(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Predicted claims by document; shapes are checked, values outside the sets just miss."""
    return _load_jsonl(path, "claims", lambda raw, where: _check_claim(raw, where, strict=False))


def load_quotes(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Quotes by document (`{"doc", "quotes": [{"quote", "speaker"}]}` per line)."""
    return _load_jsonl(path, "quotes", _check_quote)


def _load_jsonl(
    path: str | Path, key: str, check: Callable[[Any, str], None]
) -> dict[str, list[dict[str, Any]]]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not _is_text(row.get("doc")):
            raise DataFileError(f'{where}: expected an object with a non-empty "doc" string')
        items = row.get(key)
        if not isinstance(items, list):
            raise DataFileError(f'{where}: "{key}" must be a list')
        doc = row["doc"]
        if doc in by_doc:
            raise DataFileError(f"{where}: document {doc!r} appears on more than one line")
        for index, item in enumerate(items):
            check(item, f"{where}: {key}[{index}]")
        by_doc[doc] = items
    return by_doc


def _check_claim(raw: Any, where: str, *, strict: bool) -> None:
    def fail(message: str) -> None:
        raise DataFileError(f"{where}: {message}")

    if not isinstance(raw, dict):
        fail("a claim must be an object")
    for name in ("supplier", "recipient", "category", "status"):
        if name not in raw:
            fail(f'missing "{name}"')
    for name in ("supplier", "recipient", "source"):
        if raw.get(name) is not None and not isinstance(raw[name], str):
            fail(f'"{name}" must be a string or null')
    for name in ("category", "status"):
        if not isinstance(raw[name], str):
            fail(f'"{name}" must be a string')
    via = raw.get("via", [])
    if not isinstance(via, list) or not all(isinstance(v, str) for v in via):
        fail('"via" must be a list of strings')
    if not isinstance(raw.get("required", True), bool):
        fail('"required" must be true or false')
    if strict:
        if raw["category"] not in CATEGORIES:
            fail(f"unknown category {raw['category']!r}; expected one of {', '.join(CATEGORIES)}")
        if raw["status"] not in STATUSES:
            fail(f"unknown status {raw['status']!r}; expected one of {', '.join(STATUSES)}")


def _check_quote(raw: Any, where: str) -> None:
    if not isinstance(raw, dict) or not isinstance(raw.get("quote"), str):
        raise DataFileError(f'{where}: a quote must be an object with a "quote" string')
    if raw.get("speaker") is not None and not isinstance(raw["speaker"], str):
        raise DataFileError(f'{where}: "speaker" must be a string or null')


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


# --- normalisation -------------------------------------------------------------------------------


def default_fold() -> Fold:
    """`armstrace.extract.actors.fold_actor` when that module is present, else case folding."""
    try:
        module = importlib.import_module("armstrace.extract.actors")
    except ImportError:
        return _casefold
    return cast(Fold, getattr(module, "fold_actor", _casefold))


def _casefold(name: str | None) -> str | None:
    return name.strip().casefold() if name is not None and name.strip() else None


def _actor_key(name: str | None, fold: Fold) -> str | None:
    """Folded, case-insensitive actor key; a name the folder does not know keeps its own text."""
    if name is None or not name.strip():
        return None
    return _casefold(fold(name)) or _casefold(name)


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC_QUOTES).casefold()
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"'s\b", "", text)
    return re.findall(r"\w+", text)


def _last_word(name: str) -> str | None:
    words = _words(name) or _words(re.sub(r"[()]", " ", name))
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else None


def same_person(gold: str | None, predicted: str | None) -> bool:
    """The source rule: gold's last name or word is a whole word of the predicted value."""
    gold = gold if gold and gold.strip() else None
    predicted = predicted if predicted and predicted.strip() else None
    if gold is None or predicted is None:
        return gold is predicted
    key = _last_word(gold)
    if key is None:
        return _casefold(gold) == _casefold(predicted)
    return key in _words(predicted.replace("(", " ").replace(")", " "))


def _fold_quote(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHIC_QUOTES)).strip()


def _quotes_match(gold: str, predicted: str) -> bool:
    gold, predicted = _fold_quote(gold), _fold_quote(predicted)
    if not gold or not predicted:
        return False
    return gold.startswith(predicted) or predicted.startswith(gold)


# --- matching ------------------------------------------------------------------------------------

G = TypeVar("G")
P = TypeVar("P")
K = TypeVar("K")


def _match_keys(
    gold: Sequence[tuple[K, bool, G]], predicted: Sequence[tuple[K, P]]
) -> tuple[list[tuple[G, P, bool]], list[G], list[P]]:
    """One-to-one matching on equal keys: (matches with required flag, missed required, extra)."""
    pools: dict[K, deque[tuple[bool, G]]] = defaultdict(deque)
    for key, required, item in sorted(gold, key=lambda g: not g[1]):  # required first, stable
        pools[key].append((required, item))
    matches: list[tuple[G, P, bool]] = []
    extra: list[P] = []
    for key, pred in predicted:
        pool = pools.get(key)
        if pool:
            required, item = pool.popleft()
            matches.append((item, pred, required))
        else:
            extra.append(pred)
    missed = [item for pool in pools.values() for required, item in pool if required]
    return matches, missed, extra


def _match_quotes(gold: Sequence[str], predicted: Sequence[str]) -> dict[int, int]:
    """Maximum bipartite matching gold index -> predicted index (Kuhn's augmenting paths)."""
    edges = [[j for j, p in enumerate(predicted) if _quotes_match(g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


# --- scoring -------------------------------------------------------------------------------------


@dataclass
class _Tally:
    """Mutable running counts while scoring; frozen into the report at the end."""

    counts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, name: str, hits: int, total: int = 1) -> None:
        self.counts[name][0] += hits
        self.counts[name][1] += total

    def ratio(self, name: str) -> Ratio:
        hits, total = self.counts[name]
        return Ratio(hits, total)

    def prf(self, name: str) -> PRF:
        tp, fp, fn, ignored = (self.counts[f"{name}.{c}"][0] for c in ("tp", "fp", "fn", "ign"))
        return PRF(tp=tp, fp=fp, fn=fn, ignored=ignored)


def _triple(claim: Mapping[str, Any]) -> Triple:
    return Triple(claim["supplier"], claim["recipient"], claim["category"])


def score(
    gold: ClaimsByDoc,
    predicted: ClaimsByDoc,
    *,
    gold_quotes: QuotesByDoc | None = None,
    predicted_quotes: QuotesByDoc | None = None,
    fold: Fold | None = None,
) -> EvalReport:
    """Score predictions against gold; quotes are scored when `gold_quotes` is given.

    Missing predicted quotes with gold quotes given count as no quotes predicted.
    """
    fold = fold or default_fold()
    tally = _Tally()
    rules: dict[str, dict[str, RuleScore]] = {"rule": {}, "cue": {}}
    details: dict[str, DocDetail] = {}
    for doc, gold_claims in gold.items():
        details[doc] = _score_claims(doc, gold_claims, predicted.get(doc, ()), fold, tally, rules)
    quotes = None
    if gold_quotes is not None:
        predicted_quotes = predicted_quotes or {}
        for doc, gold_doc_quotes in gold_quotes.items():
            missed, speaker = _score_quotes(
                doc, gold_doc_quotes, predicted_quotes.get(doc, ()), tally
            )
            base = details.get(doc, DocDetail(doc))
            details[doc] = replace(base, missed_quotes=missed, speaker=speaker)
        quotes = QuoteScore(
            recall=tally.ratio("quote.recall"),
            precision=tally.ratio("quote.precision"),
            speaker=tally.ratio("quote.speaker"),
            missing_documents=tuple(d for d in gold_quotes if d not in predicted_quotes),
            ignored_documents=tuple(d for d in predicted_quotes if d not in gold_quotes),
        )
    return EvalReport(
        documents=len(gold),
        triples=tally.prf("triple"),
        pairs=tally.prf("pair"),
        status=tally.ratio("status"),
        status_group=tally.ratio("status_group"),
        source=tally.ratio("source"),
        via=tally.ratio("via"),
        quotes=quotes,
        missing_documents=tuple(d for d in gold if d not in predicted),
        ignored_documents=tuple(d for d in predicted if d not in gold),
        details=tuple(details.values()),
        by_rule=_ranked(rules["rule"]),
        by_cue=_ranked(rules["cue"]),
    )


def _ranked(scores: Mapping[str, RuleScore]) -> tuple[RuleScore, ...]:
    return tuple(sorted(scores.values(), key=lambda r: (-r.claims, r.rule)))


def _rule_keys(claim: Mapping[str, Any]) -> dict[str, str]:
    """A predicted claim's role rule and status cue, from its `rule` ("roles|cue"), if any."""
    rule = claim.get("rule")
    if not isinstance(rule, str) or not rule:
        return {}
    roles, _, cue = rule.partition("|")
    return {"rule": roles, "cue": f"{claim.get('status')}:{cue}" if cue else ""}


def _count_rule(
    rules: dict[str, dict[str, RuleScore]], claim: Mapping[str, Any], outcome: str, hit: bool
) -> None:
    for table, key in _rule_keys(claim).items():
        if not key:
            continue
        old = rules[table].get(key, RuleScore(key))
        rules[table][key] = replace(
            old,
            tp=old.tp + (outcome == "tp"),
            fp=old.fp + (outcome == "fp"),
            ignored=old.ignored + (outcome == "ignored"),
            status_hits=old.status_hits + (outcome == "tp" and hit),
        )


def _score_claims(
    doc: str,
    gold: Sequence[Mapping[str, Any]],
    predicted: Sequence[Mapping[str, Any]],
    fold: Fold,
    tally: _Tally,
    rules: dict[str, dict[str, RuleScore]] | None = None,
) -> DocDetail:
    for index, claim in enumerate(gold):
        _check_claim(claim, f"gold document {doc}, claim {index}", strict=True)
    for index, claim in enumerate(predicted):
        _check_claim(claim, f"predicted document {doc}, claim {index}", strict=False)

    def pair(claim: Mapping[str, Any]) -> tuple[str | None, ...]:
        return _actor_key(claim["supplier"], fold), _actor_key(claim["recipient"], fold)

    def triple(claim: Mapping[str, Any]) -> tuple[str | None, ...]:
        return (*pair(claim), claim["category"])

    results = {}
    for name, key in (("triple", triple), ("pair", pair)):
        matches, missed, extra = _match_keys(
            [(key(c), c.get("required", True), c) for c in gold], [(key(c), c) for c in predicted]
        )
        required = sum(1 for _, _, is_required in matches if is_required)
        tally.add(f"{name}.tp", required)
        tally.add(f"{name}.ign", len(matches) - required)
        tally.add(f"{name}.fp", len(extra))
        tally.add(f"{name}.fn", len(missed))
        results[name] = matches, missed, extra

    matches, missed, extra = results["triple"]
    if rules is not None:
        for g, p, is_required in matches:
            outcome = "tp" if is_required else "ignored"
            _count_rule(rules, p, outcome, g["status"] == p["status"])
        for p in extra:
            _count_rule(rules, p, "fp", False)
    status, source, via = [], [], []
    for g, p, is_required in matches:
        if not is_required:
            continue
        subject = str(_triple(g))
        tally.add("status", int(g["status"] == p["status"]))
        tally.add("status_group", int(STATUS_GROUPS[g["status"]] == STATUS_GROUPS.get(p["status"])))
        if g["status"] != p["status"]:
            status.append(Mismatch(subject, g["status"], p["status"]))
        hit = same_person(g.get("source"), p.get("source"))
        tally.add("source", int(hit))
        if not hit:
            source.append(Mismatch(subject, g.get("source"), p.get("source")))
        gold_via = _unique((v, _actor_key(v, fold)) for v in g.get("via", ()))
        predicted_via = {_actor_key(v, fold) for v in p.get("via", ())}
        lost = [v for v, key in gold_via if key not in predicted_via]
        tally.add("via", len(gold_via) - len(lost), len(gold_via))
        if lost:
            via.append(Mismatch(subject, lost, list(p.get("via", ()))))
    return DocDetail(
        doc=doc,
        missed=tuple(_triple(c) for c in missed),
        extra=tuple(_triple(c) for c in extra),
        status=tuple(status),
        source=tuple(source),
        via=tuple(via),
    )


def _unique(pairs: Iterable[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    seen: dict[str | None, str] = {}
    for text, key in pairs:
        seen.setdefault(key, text)
    return [(text, key) for key, text in seen.items()]


def _score_quotes(
    doc: str,
    gold: Sequence[Mapping[str, Any]],
    predicted: Sequence[Mapping[str, Any]],
    tally: _Tally,
) -> tuple[tuple[str, ...], tuple[Mismatch, ...]]:
    for side, quotes in (("gold", gold), ("predicted", predicted)):
        for index, quote in enumerate(quotes):
            _check_quote(quote, f"{side} quotes of document {doc}, quote {index}")
    gold_texts = [q["quote"] for q in gold]
    matched = _match_quotes(gold_texts, [q["quote"] for q in predicted])
    tally.add("quote.recall", len(matched), len(gold))
    tally.add("quote.precision", len(matched), len(predicted))
    speaker: list[Mismatch] = []
    for i, j in sorted(matched.items()):
        gold_speaker, predicted_speaker = gold[i].get("speaker"), predicted[j].get("speaker")
        hit = same_person(gold_speaker, predicted_speaker)
        tally.add("quote.speaker", int(hit))
        if not hit:
            speaker.append(Mismatch(gold_texts[i], gold_speaker, predicted_speaker))
    missed = tuple(text for i, text in enumerate(gold_texts) if i not in matched)
    return missed, tuple(speaker)


# --- text report ---------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_report(report: EvalReport, detail: bool = False, by_rule: bool = False) -> str:
    """A plain-text table (metric, value, counts); with `detail`, the errors of each document;
    with `by_rule`, claims, true and false positives per rule id and per status cue."""
    rows: list[tuple[str, float | None, str]] = []
    for name, prf in (("triple", report.triples), ("pair", report.pairs)):
        rows.append((f"{name} precision", prf.precision.value, str(prf.precision)))
        rows.append((f"{name} recall", prf.recall.value, str(prf.recall)))
        rows.append((f"{name} F1", prf.f1, f"tp {prf.tp} fp {prf.fp} fn {prf.fn}"))
    for name, ratio in (
        ("status accuracy", report.status),
        ("status-group accuracy", report.status_group),
        ("source accuracy", report.source),
        ("via recall", report.via),
    ):
        rows.append((name, ratio.value, str(ratio)))
    if report.quotes is not None:
        q = report.quotes
        rows.append(("quote recall", q.recall.value, str(q.recall)))
        rows.append(("quote precision", q.precision.value, str(q.precision)))
        rows.append(("speaker accuracy", q.speaker.value, str(q.speaker)))
    lines = [f"{'metric':<24}{'value':>7}  counts"]
    lines += [f"{name:<24}{_fmt(value):>7}  {counts}" for name, value, counts in rows]
    lines.append(
        f"documents: {report.documents} scored, {len(report.missing_documents)} without "
        f"predictions, {len(report.ignored_documents)} predicted documents not in gold (ignored)"
    )
    if report.triples.ignored:
        lines.append(f"predictions matching optional gold claims: {report.triples.ignored}")
    if by_rule:
        lines.extend(_format_rules("rule", report.by_rule))
        lines.extend(_format_rules("status:cue", report.by_cue))
    if detail:
        for doc in report.details:
            if not doc.clean:
                lines.extend(_format_detail(doc, doc.doc in report.missing_documents))
    return "\n".join(lines)


def _format_rules(title: str, scores: Sequence[RuleScore]) -> list[str]:
    width = max([len(title), *(len(r.rule) for r in scores)]) + 2
    lines = [
        "",
        f"{title:<{width}}{'claims':>7}{'tp':>5}{'fp':>5}{'opt':>5}{'prec':>7}{'status':>8}",
    ]
    for r in scores:
        lines.append(
            f"{r.rule:<{width}}{r.claims:>7}{r.tp:>5}{r.fp:>5}{r.ignored:>5}"
            f"{_fmt(r.precision.value):>7}{_fmt(r.status.value):>8}"
        )
    return lines


def _format_detail(doc: DocDetail, missing: bool) -> list[str]:
    lines = ["", f"{doc.doc}" + (" (no predictions)" if missing else "")]
    lines += [f"  missed   {t}" for t in doc.missed]
    lines += [f"  extra    {t}" for t in doc.extra]
    lines += [f"  status   {m.subject}: gold {m.gold}, predicted {m.predicted}" for m in doc.status]
    lines += [
        f"  source   {m.subject}: gold {m.gold!r}, predicted {m.predicted!r}" for m in doc.source
    ]
    lines += [f"  via      {m.subject}: missed {', '.join(m.gold)}" for m in doc.via]
    lines += [f"  quote    missed {q!r}" for q in doc.missed_quotes]
    lines += [
        f"  speaker  {m.subject!r}: gold {m.gold!r}, predicted {m.predicted!r}" for m in doc.speaker
    ]
    return lines
