"""Corpus loaders and metrics: PolNeAR attribution, MEANTIME and TimeML time expressions.

The figures are those of ``../shared/EVALUATION.md``. Metrics are pure
functions over plain tuples (``spans``, ``attribution``, ``timex``); loaders
read one corpus format each (``polnear``, ``meantime``, ``timeml``, ``semeval``),
with what they share about one document in ``documents``; ``report`` renders
tables. Re-exports only.
"""

from storyline.evaluate.attribution import Attribution, AttributionCounts, attribution_figures, score_attributions
from storyline.evaluate.meantime import evaluate_meantime, load_meantime, parse_meantime
from storyline.evaluate.polnear import PolnearReport, evaluate_polnear, load_polnear, parse_brat
from storyline.evaluate.report import format_polnear, format_timex
from storyline.evaluate.spans import greedy_match, prf, trim_span
from storyline.evaluate.timeml import evaluate_timeml, load_timeml, parse_timeml
from storyline.evaluate.timex import TimexCounts, TimexDocument, TimexReport, TimexSpan, score_timexes, timex_figures

__all__ = [
    "Attribution",
    "AttributionCounts",
    "PolnearReport",
    "TimexCounts",
    "TimexDocument",
    "TimexReport",
    "TimexSpan",
    "attribution_figures",
    "evaluate_meantime",
    "evaluate_polnear",
    "evaluate_timeml",
    "format_polnear",
    "format_timex",
    "greedy_match",
    "load_meantime",
    "load_polnear",
    "load_timeml",
    "parse_brat",
    "parse_meantime",
    "parse_timeml",
    "prf",
    "score_attributions",
    "score_timexes",
    "timex_figures",
    "trim_span",
]
