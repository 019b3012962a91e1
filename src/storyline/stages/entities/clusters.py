"""The entity stage's working records: mentions in token offsets, clusters of them, quoted tokens.

Token offsets here (a token's index in the ``Doc``; ranges half-open); ``resolve.py``
turns them into character-offset ``Mention`` records at the end. Also the two
questions the resolvers ask of a cluster at a point of the article: how salient it
is there, and whether it is the subject of the sentence before.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.stages.shared.clauses import NOMINAL_SUBJECTS

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
    title: str | None = None  # an office title written before the name: "Deputy Sheriff"
    named: bool = True  # False for a person known only by a description: "a neighbour"
    other_keys: tuple[str, ...] = ()  # other words the person goes by: "Bob" in "Robert (Bob) Lee", "Emperor"

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


def salience(cl: NameCluster, at: int, t: DocTable, sent_of: list[int]) -> float:
    """How likely an unnamed reference at token ``at`` is to point at ``cl``."""
    prior = [m for m in cl.mentions if m.start < at]
    if not prior:
        return 0.0
    here = sent_of[at]
    score = 0.0
    for m in prior:
        back = here - sent_of[m.start]
        weight = 1.0 / (1 + back)
        if t.dep[m.end - 1] in NOMINAL_SUBJECTS or t.dep[m.start] in NOMINAL_SUBJECTS:
            weight *= 2
        score += weight
    # the article's topic stays salient across quotes and other people's turns
    return score + 0.25 * len(prior)


def previous_subject(doc: Doc, start: int, owner: dict[int, NameCluster], quoted: QuotedRanges) -> NameCluster | None:
    """The entity that is the narrated subject of the sentence before ``start`` (not inside a quote)."""
    if start == 0:
        return None
    prev = doc[start - 1].sent
    root = prev.root
    if quoted.covers(root.i):
        return None
    subj = next((c for c in root.children if c.dep_ in NOMINAL_SUBJECTS), None)
    if subj is None or quoted.covers(subj.i):
        return None
    return owner.get(subj.i)
