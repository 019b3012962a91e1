"""The entity stage's working records: mentions in token offsets, clusters of them, quoted tokens.

Token offsets here (a token's index in the ``Doc``; ranges half-open); ``resolve.py``
turns them into character-offset ``Mention`` records at the end.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storyline.nlp.doctable import DocTable
    from storyline.stages.shared.quotemarks import QuotedSpan


@dataclass
class TokenMention:
    """A mention in token offsets, before it is turned into a character-offset ``Mention``."""

    start: int  # token index, inclusive
    end: int  # token index, exclusive
    kind: str
    via: str | None = None


@dataclass
class NameCluster:
    """The mentions of one entity while they are being clustered, with the evidence gathered about it."""

    type: str
    mentions: list[TokenMention] = field(default_factory=list)
    gender_votes: Counter[str] = field(default_factory=Counter)
    descriptions: list[str] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    verbs: set[str] = field(default_factory=set)
    age: int | None = None
    name_tokens: tuple[str, ...] = ()

    @property
    def first(self) -> int:
        """The token index of its first mention."""
        return min(m.start for m in self.mentions)

    @property
    def gender(self) -> str | None:
        """``m`` or ``f`` by the most votes; None without votes or on a tie."""
        if not self.gender_votes:
            return None
        (top, n), *rest = self.gender_votes.most_common()
        if rest and rest[0][1] == n:
            return None
        return top


class QuotedRanges:
    """Quoted character ranges, with a per-token mask so lookups stay O(1) on long articles."""

    def __init__(self, doc: Doc, spans: list[QuotedSpan], table: DocTable | None = None) -> None:
        self.ranges = sorted((q.start, q.end) for q in spans if q.depth == 0)
        starts = table.idx if table is not None else [tok.idx for tok in doc]
        # a token is quoted when a range holds its start: mark the tokens of each range (starts ascend)
        self.mask = [False] * len(starts)
        for a, b in self.ranges:
            lo, hi = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
            self.mask[lo:hi] = [True] * (hi - lo)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self.ranges)

    def covers(self, i: int) -> bool:
        """Whether token ``i`` starts inside a quoted passage."""
        return self.mask[i]
