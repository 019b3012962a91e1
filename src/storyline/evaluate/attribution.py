"""Attribution figures (content, source, cue, speaker) as EVALUATION.md defines them.

Pure functions over ``Attribution`` tuples, gold or predicted, whose spans are
half-open character offsets into one article's text. ``score_attributions``
counts one article; counts add up, so the figures are micro-averaged over any
set of articles (a corpus, one publisher) by summing counts first and calling
``attribution_figures`` once.

Choices EVALUATION.md leaves open, made here:

- ``source_…`` and ``cue_…_exact_on_matched`` are taken over *every* matched
  pair; a pair where neither the gold nor the prediction has a source (cue)
  counts as identical, one where only one side has it counts as wrong.
- ``speaker_span_acc_quoted``: "overlaps at all" means the trimmed spans share
  at least one character; a prediction without ``source_span`` is wrong.
- The unknown-speaker share is reported over all predictions
  (``unknown_speaker_share``) and over the quoted predictions
  (``unknown_speaker_share_quoted``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from storyline.evaluate.spans import greedy_match, prf, ratio, trim_span
from storyline.spans import SpanTuple, char_overlap, jaccard, word_tokens

MATCH_THRESHOLD = 0.5
"""Least word-token Jaccard for a gold and a predicted content to be matched."""

QUOTED_KINDS = frozenset({"direct", "partial", "mixed"})
"""Prediction kinds that take part in the *quoted* subset."""

QUOTE_CHARS = ('"', "“", "”")
"""A gold attribution is *quoted* when its content contains one of these."""

SUBSETS = ("all", "quoted")


class Attribution(NamedTuple):
    """One attribution, gold or predicted: spans are ``(start, end)`` into the article text.

    ``quoted`` marks membership of the *quoted* subset (gold: the content holds a
    quote mark; prediction: its kind is direct, partial or mixed).
    ``speaker_known`` is False for a prediction whose ``speaker`` is null.
    """

    content: SpanTuple
    source: SpanTuple | None = None
    cue: SpanTuple | None = None
    quoted: bool = False
    speaker_known: bool = True


def is_quoted_content(text: str, content: SpanTuple) -> bool:
    """True when ``text[start:end]`` contains ``"``, ``“`` or ``”``."""
    piece = text[content[0] : content[1]]
    return any(mark in piece for mark in QUOTE_CHARS)


@dataclass(frozen=True, slots=True)
class SubsetCounts:
    """Counts for one subset (*all* or *quoted*) of one or more articles; ``+`` adds them."""

    n_gold: int = 0
    n_pred: int = 0
    matched: int = 0
    exact: int = 0
    source_exact: int = 0
    cue_exact: int = 0
    gold_with_source: int = 0
    speaker_overlap: int = 0
    pred_unknown_speaker: int = 0

    def __add__(self, other: SubsetCounts) -> SubsetCounts:
        return SubsetCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def to_dict(self) -> dict[str, int]:
        """The counts as plain data."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class AttributionCounts:
    """Counts for both subsets; ``+`` adds them, ``sum(..., AttributionCounts())`` works."""

    all: SubsetCounts = SubsetCounts()
    quoted: SubsetCounts = SubsetCounts()

    def __add__(self, other: AttributionCounts) -> AttributionCounts:
        return AttributionCounts(self.all + other.all, self.quoted + other.quoted)

    def to_dict(self) -> dict[str, dict[str, int]]:
        """The counts as plain data, one entry per subset."""
        return {"all": self.all.to_dict(), "quoted": self.quoted.to_dict()}


def _trimmed(text: str, span: SpanTuple | None) -> SpanTuple | None:
    return None if span is None else trim_span(text, *span)


def match_contents(
    text: str, gold: Sequence[Attribution], pred: Sequence[Attribution]
) -> list[tuple[int, int, float]]:
    """Match gold and predicted contents one to one by word-token Jaccard ≥ 0.5, best first.

    Returns:
        ``(gold_index, pred_index, overlap)`` triples (see ``greedy_match`` for ties).
    """
    gold_tokens = [word_tokens(text, trim_span(text, *g.content)) for g in gold]
    pred_tokens = [word_tokens(text, trim_span(text, *p.content)) for p in pred]
    candidates = [
        (gi, pi, jaccard(gt, pt))
        for gi, gt in enumerate(gold_tokens)
        for pi, pt in enumerate(pred_tokens)
        if gt & pt
    ]
    return greedy_match(candidates, minimum=MATCH_THRESHOLD)


def count_subset(text: str, gold: Sequence[Attribution], pred: Sequence[Attribution]) -> SubsetCounts:
    """Count matches, exact matches, source, cue and speaker agreement for one subset of one article.

    Args:
        text: the article text all spans index.
        gold: the gold attributions of the subset.
        pred: the predicted attributions of the subset.
    """
    exact = source_exact = cue_exact = with_source = speaker_overlap = 0
    pairs = match_contents(text, gold, pred)
    for gi, pi, _ in pairs:
        g, p = gold[gi], pred[pi]
        exact += trim_span(text, *g.content) == trim_span(text, *p.content)
        source_exact += _trimmed(text, g.source) == _trimmed(text, p.source)
        cue_exact += _trimmed(text, g.cue) == _trimmed(text, p.cue)
        if g.source is not None:
            with_source += 1
            gs, ps = _trimmed(text, g.source), _trimmed(text, p.source)
            speaker_overlap += ps is not None and gs is not None and char_overlap(gs, ps) > 0
    return SubsetCounts(
        n_gold=len(gold),
        n_pred=len(pred),
        matched=len(pairs),
        exact=exact,
        source_exact=source_exact,
        cue_exact=cue_exact,
        gold_with_source=with_source,
        speaker_overlap=speaker_overlap,
        pred_unknown_speaker=sum(not p.speaker_known for p in pred),
    )


def score_attributions(text: str, gold: Sequence[Attribution], pred: Sequence[Attribution]) -> AttributionCounts:
    """Count one article: every attribution for *all*, the ``quoted`` ones for *quoted*.

    Args:
        text: the article text; every span is a half-open range into it.
        gold: the gold attributions (one per distinct content span).
        pred: the predicted attributions.

    Returns:
        The article's counts, to be summed with other articles'.
    """
    return AttributionCounts(
        all=count_subset(text, gold, pred),
        quoted=count_subset(text, [g for g in gold if g.quoted], [p for p in pred if p.quoted]),
    )


def _share(count: int, total: int) -> dict[str, Any]:
    return {"value": ratio(count, total), "count": count, "total": total}


def attribution_figures(counts: AttributionCounts) -> dict[str, dict[str, Any]]:
    """Turn summed counts into EVALUATION.md's figures.

    Returns:
        ``content_{all,quoted}_{overlap,exact}`` as ``{precision, recall, f1,
        tp, n_pred, n_gold}``; ``{source,cue}_{all,quoted}_exact_on_matched``,
        ``speaker_span_acc_quoted``, ``unknown_speaker_share`` and
        ``unknown_speaker_share_quoted`` as ``{value, count, total}``.
    """
    out: dict[str, dict[str, Any]] = {}
    for name in SUBSETS:
        sub: SubsetCounts = getattr(counts, name)
        out[f"content_{name}_overlap"] = prf(sub.matched, sub.n_pred, sub.n_gold)._asdict()
        out[f"content_{name}_exact"] = prf(sub.exact, sub.n_pred, sub.n_gold)._asdict()
    for name in SUBSETS:
        sub = getattr(counts, name)
        out[f"source_{name}_exact_on_matched"] = _share(sub.source_exact, sub.matched)
    for name in SUBSETS:
        sub = getattr(counts, name)
        out[f"cue_{name}_exact_on_matched"] = _share(sub.cue_exact, sub.matched)
    out["speaker_span_acc_quoted"] = _share(counts.quoted.speaker_overlap, counts.quoted.gold_with_source)
    out["unknown_speaker_share"] = _share(counts.all.pred_unknown_speaker, counts.all.n_pred)
    out["unknown_speaker_share_quoted"] = _share(counts.quoted.pred_unknown_speaker, counts.quoted.n_pred)
    return out
