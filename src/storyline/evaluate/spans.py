"""What every evaluation shares: trimming, one-to-one matching, P/R/F1 (overlap lives in ``storyline.spans``).

Everything here is a pure function over plain values: a span is a half-open
``(start, end)`` pair of character offsets (Python ``str`` indices) into the
text it belongs to. Nothing here reads files or runs the pipeline, so each
function can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from storyline.spans import SpanTuple

QUOTE_MARKS = "\"'“”‘’«»"
PUNCTUATION = ",.;:!?…"
DASHES = "-‐‑‒–—―−"
PARENTHESES = "()"
TRIM_CHARS = frozenset(QUOTE_MARKS + PUNCTUATION + DASHES + PARENTHESES)
"""What trimming strips from both ends of a span, besides whitespace (EVALUATION.md)."""

class PRF(NamedTuple):
    """Precision, recall and F1 with the counts they come from."""

    precision: float
    recall: float
    f1: float
    tp: int
    n_pred: int
    n_gold: int


def _trimmable(char: str) -> bool:
    return char.isspace() or char in TRIM_CHARS


def trim_span(text: str, start: int, end: int) -> SpanTuple:
    """Strip whitespace, quote marks, ``, . ; : ! ? …``, dashes and parentheses from both ends.

    Args:
        text: the text the span indexes.
        start: first character of the span.
        end: one past its last character (half-open).

    Returns:
        The trimmed ``(start, end)``, still indexing ``text``; a span with
        nothing left becomes empty at its original start: ``(start, start)``.
    """
    first, last = start, end
    while first < last and _trimmable(text[first]):
        first += 1
    while last > first and _trimmable(text[last - 1]):
        last -= 1
    if first == last:
        return (start, start)
    return (first, last)


def greedy_match(
    candidates: Iterable[tuple[int, int, float]], *, minimum: float = 0.0
) -> list[tuple[int, int, float]]:
    """Pair gold and predicted items one to one, best score first.

    Args:
        candidates: ``(gold_index, pred_index, score)`` triples; pairs not
            listed cannot be matched.
        minimum: pairs scoring below this are ignored (``score >= minimum`` is kept).

    Returns:
        The chosen ``(gold_index, pred_index, score)`` triples, in the order
        they were chosen. Ties on score go to the earlier gold item, then
        the earlier prediction, so the result never depends on input order.
    """
    ranked = sorted((c for c in candidates if c[2] >= minimum), key=lambda c: (-c[2], c[0], c[1]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    chosen: list[tuple[int, int, float]] = []
    for gold, pred, score in ranked:
        if gold in used_gold or pred in used_pred:
            continue
        used_gold.add(gold)
        used_pred.add(pred)
        chosen.append((gold, pred, score))
    return chosen


def ratio(part: int, whole: int) -> float:
    """Return ``part / whole``, or 0.0 when ``whole`` is 0."""
    return part / whole if whole else 0.0


def prf(tp: int, n_pred: int, n_gold: int) -> PRF:
    """Precision ``tp / n_pred``, recall ``tp / n_gold`` and their harmonic mean.

    A zero denominator gives 0.0 rather than an error; the counts travel with
    the figures so a reader can tell "0 of 0" from "0 of 40".
    """
    precision = ratio(tp, n_pred)
    recall = ratio(tp, n_gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, tp, n_pred, n_gold)
