"""Corpus loaders and metrics: PolNeAR attribution, MEANTIME and TimeML time expressions.

The figures are those of ``../shared/EVALUATION.md``. Metrics are pure
functions over plain tuples (``spans``, ``attribution``, ``timex``); loaders
read one corpus format each (``polnear``, ``meantime``, ``timeml``, ``semeval``),
with what they share about one document in ``documents``; ``report`` renders
tables. Re-exports only.
"""

from .attribution import Attribution, AttributionCounts, attribution_figures, score_attributions
from .errors import EvaluationError
from .meantime import evaluate_meantime, load_meantime, parse_meantime
from .polnear import PolnearReport, evaluate_polnear, load_polnear, parse_brat
from .report import format_polnear, format_timex
from .spans import greedy_match, jaccard, prf, trim_span, word_tokens
from .timeml import evaluate_timeml, load_timeml, parse_timeml
from .timex import TimexCounts, TimexDocument, TimexReport, TimexSpan, score_timexes, timex_figures

__all__ = [
    "Attribution",
    "AttributionCounts",
    "EvaluationError",
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
    "jaccard",
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
    "word_tokens",
]
