"""Train the learned claim score (extract/claim_score.py) on gold corpora, reproducibly.

Every claim the rules assemble on a gold corpus (without any score filter) becomes an example:
positive when it matches a required gold claim, negative when it is an extra; a claim that
lands on an optional gold claim is left out. A logistic regression (scikit-learn, needed only
here: `pip install armstrace[train]`) is cross-validated with folds by document; the threshold
that maximises the micro-averaged F1 of the out-of-fold scores (counting the gold claims the
rules never find as misses) is kept, and filtering is enabled only when it beats no filter.
The final model is fitted on all examples and written as JSON; the same inputs give the same
file, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armstrace.errors import InputError
from armstrace.evaluate import _actor_key, _match_keys, default_fold, load_gold
from armstrace.extract.claim_score import ClaimScorer

__all__ = ["Corpus", "Example", "TrainingReport", "collect", "train"]

FOLDS = 5
C_GRID = (0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(0.01 * i, 2) for i in range(0, 81))
MIN_GAIN = 0.005  # F1 a filter must add over no filter to be on by default


@dataclass(frozen=True, slots=True)
class Corpus:
    """A folder with gold.jsonl and its texts (in texts/ or beside the gold file)."""

    name: str
    gold: Path
    texts: Path

    @staticmethod
    def at(path: str | Path) -> Corpus:
        folder = Path(path)
        gold = folder / "gold.jsonl"
        if not gold.is_file():
            raise InputError(f"{folder} has no gold.jsonl: give corpus folders with gold claims")
        texts = folder / "texts" if (folder / "texts").is_dir() else folder
        return Corpus(folder.resolve().name, gold, texts)


@dataclass(frozen=True, slots=True)
class Example:
    corpus: str
    doc: str
    features: dict[str, float]
    label: int


@dataclass(slots=True)
class TrainingReport:
    model: ClaimScorer
    examples: int
    positives: int
    by_corpus: dict[str, dict[str, float]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        info = self.model.info
        out = [
            f"{self.examples} candidate claims ({self.positives} true) from "
            f"{', '.join(info['corpora'])}",
            f"C={info['C']}, threshold {self.model.threshold:.2f} chosen by {FOLDS}-fold "
            f"cross-validation across documents; filter "
            f"{'on' if self.model.enabled else 'off'} by default",
            f"{'corpus':<18}{'P':>7}{'R':>7}{'F1':>7}   with the filter: {'P':>5}{'R':>7}{'F1':>7}",
        ]
        for name, row in self.by_corpus.items():
            out.append(
                f"{name:<18}{row['p0']:>7.3f}{row['r0']:>7.3f}{row['f0']:>7.3f}"
                f"   {'':>16}{row['p']:>5.3f}{row['r']:>7.3f}{row['f']:>7.3f}"
            )
        return out


def collect(
    corpora: Sequence[Corpus], progress: Callable[[str], None] | None = None
) -> tuple[list[Example], dict[str, int]]:
    """Examples from every corpus, and each corpus's number of required gold claims."""
    from armstrace.jobs import extract_paths

    fold = default_fold()
    examples: list[Example] = []
    required: dict[str, int] = {}
    for corpus in corpora:
        gold = load_gold(corpus.gold)
        required[corpus.name] = sum(
            1 for claims in gold.values() for c in claims if c.get("required", True)
        )
        texts = sorted(str(p) for p in corpus.texts.glob("*.txt"))
        for extraction in extract_paths(texts, min_score=0.0):
            name = extraction.document.name
            if progress is not None:
                progress(f"{corpus.name}/{name}")
            if name not in gold:
                continue
            examples.extend(_label(corpus.name, name, gold[name], extraction.claims, fold))
    return examples, required


def _label(
    corpus: str, doc: str, gold: Sequence[dict[str, Any]], claims: Iterable[Any], fold: Any
) -> list[Example]:
    def key(supplier: str | None, recipient: str | None, category: str) -> tuple[Any, ...]:
        return _actor_key(supplier, fold), _actor_key(recipient, fold), category

    claims = list(claims)
    matches, _, extra = _match_keys(
        [
            (key(g["supplier"], g["recipient"], g["category"]), g.get("required", True), g)
            for g in gold
        ],
        [(key(c.supplier, c.recipient, c.category), i) for i, c in enumerate(claims)],
    )
    labels: dict[int, int] = {i: 0 for i in extra}
    for _, i, is_required in matches:
        if is_required:
            labels[i] = 1
    return [
        Example(corpus, doc, dict(claims[i].features), label) for i, label in sorted(labels.items())
    ]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _f1_at(
    examples: Sequence[Example], scores: Sequence[float], required: int, t: float
) -> tuple[float, float, float]:
    tp = sum(1 for e, s in zip(examples, scores, strict=True) if e.label and s >= t)
    fp = sum(1 for e, s in zip(examples, scores, strict=True) if not e.label and s >= t)
    return _prf(tp, fp, required - tp)


def _fit(examples: Sequence[Example], c: float) -> ClaimScorer:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True, sparse=False)
    x = vectorizer.fit_transform([e.features for e in examples])
    y = [e.label for e in examples]
    model = LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=1000)
    model.fit(x, y)
    names = vectorizer.get_feature_names_out()
    weights = {str(n): float(w) for n, w in zip(names, model.coef_[0], strict=True)}
    return ClaimScorer(weights, float(model.intercept_[0]), 0.0, False, {})


def _out_of_fold(examples: Sequence[Example], c: float) -> list[float]:
    """Scores of each example from a model that never saw its document."""
    documents = sorted({(e.corpus, e.doc) for e in examples})
    fold_of = {d: hashlib.sha256("/".join(d).encode()).digest()[0] % FOLDS for d in documents}
    scores = [0.0] * len(examples)
    for k in range(FOLDS):
        train_set = [e for e in examples if fold_of[(e.corpus, e.doc)] != k]
        model = _fit(train_set, c)
        for i, e in enumerate(examples):
            if fold_of[(e.corpus, e.doc)] == k:
                scores[i] = model.score(e.features)
    return scores


def train(
    corpora: Sequence[Corpus], progress: Callable[[str], None] | None = None
) -> TrainingReport:
    """Collect, cross-validate, choose C and the threshold, fit on all; see the module doc."""
    examples, required = collect(corpora, progress)
    if len({e.label for e in examples}) < 2:
        raise InputError("training needs both true and false candidate claims on the gold")
    total = sum(required.values())
    best: tuple[float, float, float, list[float]] | None = None  # (f1, C, threshold, scores)
    for c in C_GRID:
        scores = _out_of_fold(examples, c)
        for t in THRESHOLDS:
            f = _f1_at(examples, scores, total, t)[2]
            if best is None or f > best[0] + 1e-9:
                best = (f, c, t, scores)
    assert best is not None
    f_best, c, threshold, scores = best
    f_none = _f1_at(examples, scores, total, 0.0)[2]
    enabled = f_best >= f_none + MIN_GAIN
    by_corpus: dict[str, dict[str, float]] = {}
    for corpus in corpora:
        pairs = [(e, s) for e, s in zip(examples, scores, strict=True) if e.corpus == corpus.name]
        subset, subscores = [e for e, _ in pairs], [s for _, s in pairs]
        p0, r0, f0 = _f1_at(subset, subscores, required[corpus.name], 0.0)
        p, r, f = _f1_at(subset, subscores, required[corpus.name], threshold)
        by_corpus[corpus.name] = {"p0": p0, "r0": r0, "f0": f0, "p": p, "r": r, "f": f}
    fitted = _fit(examples, c)
    positives = sum(e.label for e in examples)
    info: dict[str, Any] = {
        "corpora": [corpus.name for corpus in corpora],
        "examples": len(examples),
        "positives": positives,
        "C": c,
        "cv_f1_without_filter": round(f_none, 4),
        "cv_f1_with_filter": round(f_best, 4),
        "cv_by_corpus": {
            n: {k: round(v, 4) for k, v in row.items()} for n, row in by_corpus.items()
        },
    }
    model = ClaimScorer(fitted.weights, fitted.intercept, threshold, enabled, info)
    return TrainingReport(model, len(examples), positives, by_corpus)


def write_model(model: ClaimScorer, path: str | Path) -> None:
    text = json.dumps(model.to_json(), indent=1, sort_keys=True) + "\n"
    Path(path).write_text(text, encoding="utf-8")
