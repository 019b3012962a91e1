"""Span arithmetic: word tokens, overlap and Jaccard over half-open character ranges.

A span here is a half-open ``(start, end)`` pair of character offsets (Python
``str`` indices) into the text it belongs to. Pure functions over plain values;
this module imports nothing of ours, so stages, evaluation and the story all
measure overlap the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"\w+")

SpanTuple = tuple[int, int]
"""A half-open ``(start, end)`` range of character offsets."""


def word_tokens(text: str, span: SpanTuple) -> frozenset[SpanTuple]:
    """Return the ``\\w+`` tokens of ``text[start:end]``, identified by their position in ``text``.

    Two spans share a token only when it is the same occurrence, at the same
    offsets; a word cut by a span boundary is a different token.
    """
    start, end = span
    # pos/endpos make the pattern see text[start:end] alone, with offsets into ``text``.
    return frozenset(m.span() for m in _WORD.finditer(text, start, end))


def jaccard(first: Iterable[object], second: Iterable[object]) -> float:
    """Return ``|A ∩ B| / |A ∪ B|``; 0.0 when both are empty (an empty span never matches)."""
    a, b = set(first), set(second)
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def char_overlap(first: SpanTuple, second: SpanTuple) -> int:
    """Return how many characters two half-open spans share (0 when disjoint or empty)."""
    return max(0, min(first[1], second[1]) - max(first[0], second[0]))


def char_jaccard(first: SpanTuple, second: SpanTuple) -> float:
    """Return shared characters over the characters of either span; 0.0 when disjoint."""
    shared = char_overlap(first, second)
    if not shared:
        return 0.0
    union = (first[1] - first[0]) + (second[1] - second[0]) - shared
    return shared / union
