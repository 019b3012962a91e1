"""Time-expression scoring, TempEval-3 style, shared by the MEANTIME and TimeML evaluations.

Spans are half-open character offsets into one document's text.

- *strict*: a gold and a predicted timex with the same extent (start and end),
  paired one to one.
- *relaxed*: any shared character; pairs are chosen greedily one to one, the
  best character Jaccard (shared / either) first, ties to the earlier gold then
  the earlier prediction.
- *value accuracy*: relaxed pairs whose ``value`` strings are identical, over
  relaxed pairs; *value F1* (TempEval-3's "value F1"): precision and recall
  counting only those pairs; *type accuracy*: relaxed pairs with the same
  ``type``, over relaxed pairs.
- per type: recall over gold of that type, precision over predictions of that
  type (relaxed), and value / type accuracy over the relaxed pairs whose gold
  has that type.

Counts add up, so figures are micro-averaged over documents and corpora.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from storyline.errors import BAD_PREDICTION, EvaluationError
from storyline.evaluate.spans import greedy_match, prf, ratio
from storyline.spans import char_jaccard
from storyline.stages.time import find_timexes

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")

FindTimexes = Callable[[str, "str | None"], tuple[Sequence[Any], Sequence[Any]]]
"""``find(text, published) -> (timexes, issues)``, like ``storyline.stages.time.find_timexes``."""


class TimexSpan(NamedTuple):
    """A gold or predicted time expression: ``(start, end)`` into the text, TIMEX3 type and value."""

    start: int
    end: int
    type: str
    value: str | None


@dataclass(frozen=True, slots=True)
class TypeCounts:
    """Counts for one TIMEX3 type; ``+`` adds them."""

    n_gold: int = 0
    n_pred: int = 0
    relaxed_gold: int = 0
    relaxed_pred: int = 0
    value_correct: int = 0
    type_correct: int = 0

    def __add__(self, other: TypeCounts) -> TypeCounts:
        return TypeCounts(
            self.n_gold + other.n_gold,
            self.n_pred + other.n_pred,
            self.relaxed_gold + other.relaxed_gold,
            self.relaxed_pred + other.relaxed_pred,
            self.value_correct + other.value_correct,
            self.type_correct + other.type_correct,
        )


@dataclass(frozen=True, slots=True)
class TimexCounts:
    """Counts for one or more documents; ``+`` adds them."""

    n_gold: int = 0
    n_pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value_correct: int = 0
    type_correct: int = 0
    by_type: dict[str, TypeCounts] = field(default_factory=dict)

    def __add__(self, other: TimexCounts) -> TimexCounts:
        types = {**self.by_type, **other.by_type}
        return TimexCounts(
            self.n_gold + other.n_gold,
            self.n_pred + other.n_pred,
            self.strict + other.strict,
            self.relaxed + other.relaxed,
            self.value_correct + other.value_correct,
            self.type_correct + other.type_correct,
            {t: self.by_type.get(t, TypeCounts()) + other.by_type.get(t, TypeCounts()) for t in types},
        )

    def to_dict(self) -> dict[str, Any]:
        """The counts as plain data."""
        return {
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "strict": self.strict,
            "relaxed": self.relaxed,
            "value_correct": self.value_correct,
            "type_correct": self.type_correct,
            "by_type": {t: _type_dict(c) for t, c in sorted(self.by_type.items())},
        }


def _type_dict(counts: TypeCounts) -> dict[str, int]:
    return {f.name: getattr(counts, f.name) for f in fields(counts)}


def match_strict(gold: Sequence[TimexSpan], pred: Sequence[TimexSpan]) -> list[tuple[int, int, float]]:
    """Pair gold and predicted timexes with the same ``(start, end)``, one to one, earliest first."""
    return greedy_match(
        (gi, pi, 1.0)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if (g.start, g.end) == (p.start, p.end)
    )


def match_relaxed(gold: Sequence[TimexSpan], pred: Sequence[TimexSpan]) -> list[tuple[int, int, float]]:
    """Pair gold and predicted timexes that share a character, one to one, best character Jaccard first."""
    candidates = (
        (gi, pi, char_jaccard((g.start, g.end), (p.start, p.end))) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
    )
    return [c for c in greedy_match(candidates) if c[2] > 0]


def score_timexes(gold: Sequence[TimexSpan], pred: Sequence[TimexSpan]) -> TimexCounts:
    """Count strict, relaxed, value and type agreement for one document.

    Args:
        gold: the gold timexes of the document.
        pred: the predicted timexes; both index the same text.
    """
    relaxed = match_relaxed(gold, pred)
    by_type: dict[str, TypeCounts] = {}

    def add(kind: str, **counts: int) -> None:
        by_type[kind] = by_type.get(kind, TypeCounts()) + TypeCounts(**counts)

    for g in gold:
        add(g.type, n_gold=1)
    for p in pred:
        add(p.type, n_pred=1)
    value_correct = type_correct = 0
    for gi, pi, _ in relaxed:
        g, p = gold[gi], pred[pi]
        same_value = int(g.value is not None and g.value == p.value)
        same_type = int(g.type == p.type)
        value_correct += same_value
        type_correct += same_type
        add(g.type, relaxed_gold=1, value_correct=same_value, type_correct=same_type)
        add(p.type, relaxed_pred=1)
    return TimexCounts(
        n_gold=len(gold),
        n_pred=len(pred),
        strict=len(match_strict(gold, pred)),
        relaxed=len(relaxed),
        value_correct=value_correct,
        type_correct=type_correct,
        by_type=by_type,
    )


def _prf_dict(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    return prf(tp, n_pred, n_gold)._asdict()


def timex_figures(counts: TimexCounts) -> dict[str, Any]:
    """Turn summed counts into figures.

    Returns:
        ``strict``, ``relaxed`` and ``value_f1`` as ``{precision, recall, f1,
        tp, n_pred, n_gold}``; ``value_accuracy`` and ``type_accuracy`` as
        ``{value, count, total}``; ``by_type`` with, per type, ``precision``,
        ``recall``, ``f1`` (relaxed), ``value_accuracy``, ``type_accuracy``
        and the counts. DATE, TIME, DURATION and SET are always listed.
    """
    c = counts
    by_type: dict[str, Any] = {}
    for kind in sorted(set(TIMEX_TYPES) | set(c.by_type), key=_type_order):
        t = c.by_type.get(kind, TypeCounts())
        precision, recall = ratio(t.relaxed_pred, t.n_pred), ratio(t.relaxed_gold, t.n_gold)
        by_type[kind] = {
            "precision": precision,
            "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "value_accuracy": ratio(t.value_correct, t.relaxed_gold),
            "type_accuracy": ratio(t.type_correct, t.relaxed_gold),
            **_type_dict(t),
        }
    return {
        "strict": _prf_dict(c.strict, c.n_pred, c.n_gold),
        "relaxed": _prf_dict(c.relaxed, c.n_pred, c.n_gold),
        "value_f1": _prf_dict(c.value_correct, c.n_pred, c.n_gold),
        "value_accuracy": {"value": ratio(c.value_correct, c.relaxed), "count": c.value_correct, "total": c.relaxed},
        "type_accuracy": {"value": ratio(c.type_correct, c.relaxed), "count": c.type_correct, "total": c.relaxed},
        "by_type": by_type,
    }


def _type_order(kind: str) -> tuple[int, str]:
    return (TIMEX_TYPES.index(kind) if kind in TIMEX_TYPES else len(TIMEX_TYPES), kind)


@dataclass(frozen=True, slots=True)
class TimexDocument:
    """One document: its text, its publication date (the DCT value) and its gold timexes.

    ``dct`` says what became of the creation-time markable: ``counted`` (its
    tokens are in the text, so it is one of ``gold``), ``outside`` (not in the
    text, not scored) or ``none`` (the document has no DCT). ``scope``, when
    set, is where the annotated part of the text ends: predictions starting
    there or later are not scored (and are counted as ``out_of_scope``).
    """

    doc_id: str
    corpus: str
    text: str
    published: str | None
    gold: tuple[TimexSpan, ...]
    dct: str = "none"
    scope: int | None = None


@dataclass(slots=True)
class TimexReport:
    """Summed counts per corpus and overall, with failed documents and issue counts."""

    name: str
    directory: str
    corpora: dict[str, tuple[int, TimexCounts]]
    failures: list[tuple[str, str]] = field(default_factory=list)
    issues: int = 0
    dct: dict[str, int] = field(default_factory=dict)
    out_of_scope: int = 0

    @property
    def documents(self) -> int:
        """How many documents were scored."""
        return sum(n for n, _ in self.corpora.values())

    @property
    def overall(self) -> TimexCounts:
        """The counts of every corpus summed."""
        total = TimexCounts()
        for _, counts in self.corpora.values():
            total = total + counts
        return total

    def to_dict(self) -> dict[str, Any]:
        """Figures and counts as plain data (what ``--json`` writes)."""
        return {
            "corpus": self.name,
            "directory": self.directory,
            "documents": self.documents,
            "failed": [{"doc_id": d, "message": m} for d, m in self.failures],
            "issues": self.issues,
            "dct": self.dct,
            "out_of_scope": self.out_of_scope,
            "overall": {"figures": timex_figures(self.overall), "counts": self.overall.to_dict()},
            "by_corpus": {
                name: {"documents": n, "figures": timex_figures(c), "counts": c.to_dict()}
                for name, (n, c) in self.corpora.items()
            },
        }


def predicted_spans(doc: TimexDocument, timexes: Iterable[Any]) -> list[TimexSpan]:
    """Check that predicted timexes index ``doc.text`` and turn them into ``TimexSpan``s.

    Raises:
        EvaluationError: (SL604) a timex's offsets lie outside the text or its
            ``text`` is not the slice they cut.
    """
    out = []
    for t in timexes:
        if not (0 <= t.start <= t.end <= len(doc.text)) or doc.text[t.start : t.end] != t.text:
            raise EvaluationError(
                f"{doc.doc_id}: predicted timex {t.text!r} at {t.start}-{t.end} does not match the text there "
                f"({doc.text[max(0, t.start) : max(0, t.end)]!r}); offsets must index the text as given",
                code=BAD_PREDICTION,
            )
        out.append(TimexSpan(t.start, t.end, t.type, t.value))
    return out


def score_timex_documents(
    name: str, directory: str, docs: Iterable[TimexDocument], *, find: FindTimexes | None = None
) -> TimexReport:
    """Run ``find`` over each document and sum the counts per corpus.

    A document whose ``find`` call raises counts as having no predictions and
    is listed in ``failures``. Predictions that start at or after a
    document's ``scope`` are left out of the scores and counted.

    Args:
        name: the evaluation's name (``meantime``, ``timeml``).
        directory: where the documents came from, for the report.
        docs: the documents.
        find: ``find(text, published) -> (timexes, issues)``;
            ``storyline.stages.time.find_timexes`` when None.

    Raises:
        EvaluationError: (SL604) predictions that do not index the text.
    """
    find = find or find_timexes
    corpora: dict[str, tuple[int, TimexCounts]] = {}
    failures: list[tuple[str, str]] = []
    issues = out_of_scope = 0
    dct: dict[str, int] = {}
    for doc in docs:
        dct[doc.dct] = dct.get(doc.dct, 0) + 1
        try:
            timexes, found_issues = find(doc.text, doc.published)
        except Exception as exc:  # one document's crash is counted, not the end of the run
            failures.append((doc.doc_id, f"{type(exc).__name__}: {exc}"))
            pred: list[TimexSpan] = []
        else:
            issues += len(found_issues)
            pred = predicted_spans(doc, timexes)
        if doc.scope is not None:
            in_scope = [p for p in pred if p.start < doc.scope]
            out_of_scope += len(pred) - len(in_scope)
            pred = in_scope
        n, counts = corpora.get(doc.corpus, (0, TimexCounts()))
        corpora[doc.corpus] = (n + 1, counts + score_timexes(doc.gold, pred))
    return TimexReport(name, directory, corpora, failures, issues, dct, out_of_scope)
