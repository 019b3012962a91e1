"""What the normalisers of ``storyline.stages.time`` share: a candidate, its value, and the article's anchors.

A normaliser (``timexes.NORMALISERS``) is a plain function of three
arguments: the ``Anchors`` of the article (its publication date, its tense
reader, and the explicit years and dates met so far), the ``Candidate`` (the
matched expression) and the match's named groups. It returns a ``Norm`` (the
TIMEX3 type, value and anchor), or raises ``NoAnchor`` when the text gives
no date to resolve against, or ``ValueError`` / ``OverflowError`` for an
impossible date; ``timexes`` keeps the expression with ``value=None`` then.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from storyline.stages.time import words as W
from storyline.stages.time.grammar import SENTENCE_END, guess_tense

__all__ = ["Anchors", "Candidate", "Groups", "NoAnchor", "Norm", "Normaliser"]

Groups = dict[str, str | None]
"""A match's named groups (``re.Match.groupdict()``): a group that took part in no match is None."""

_FINENESS = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "decade": 5, "century": 6}
_YEAR_WINDOW = 0  # sentences back in which an explicit year overrides the DCT's


@dataclass(slots=True)
class Candidate:
    """A match of one ``grammar.PATTERNS`` kind: half-open character offsets into the article text.

    ``start`` moves left over the modifiers taken into the extent, which set
    ``approx``; ``tid`` is the timex id, given once the candidates are chosen.
    """

    kind: str
    start: int
    end: int
    m: re.Match[str]
    approx: bool = False
    tid: str = ""


@dataclass(slots=True)
class Norm:
    """A normalised expression: TIMEX3 type and value, and what it was resolved against.

    ``anchor`` is ``"published"``, the id of the timex it counts from, or None.
    """

    type: str
    value: str | None
    anchor: str | None = None


class NoAnchor(Exception):
    """The expression needs a date the text does not give (caught by ``find_timexes``, kept as unresolved)."""


class Anchors:
    """One article's dates to resolve against: the publication date (DCT), and what was resolved so far.

    ``years`` holds (start, year, timex id, sentence) of each explicit year,
    ``dates`` (start, first day, unit, timex id, sentence) of each resolved
    DATE, both in the order the expressions were normalised.
    """

    def __init__(self, text: str, dct: date | None, tense_at: Callable[[int], str | None] | None) -> None:
        self.text = text
        self.dct = dct
        self.tense_at = tense_at
        self.starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
        self.years: list[tuple[int, int, str, int]] = []
        self.dates: list[tuple[int, date, str, str, int]] = []

    def sentence(self, pos: int) -> int:
        """Return the number of the sentence (``grammar.SENTENCE_END``) that ``pos`` is in."""
        return bisect.bisect_right(self.starts, pos) - 1

    def tense(self, c: Candidate) -> str:
        """Return the tense of the clause around ``c``: from ``tense_at`` when it answers, else guessed."""
        if self.tense_at is not None:
            t = self.tense_at(c.start)
            if t in ("past", "future", "present"):
                return t
        return guess_tense(self.text, c.start, c.end)

    def need_dct(self) -> date:
        """Return the publication date.

        Raises:
            NoAnchor: the article has none.
        """
        if self.dct is None:
            raise NoAnchor("is relative and the article has no publication date (pass published=...)")
        return self.dct

    def explicit(self, c: Candidate, year: int) -> None:
        """Note that ``c`` names ``year`` explicitly, for the expressions after it."""
        self.years.append((c.start, year, c.tid, self.sentence(c.start)))

    def add_date(self, c: Candidate, first: date, unit: str) -> None:
        """Note that ``c`` resolved to the ``unit``-sized period starting on ``first``."""
        self.dates.append((c.start, first, unit, c.tid, self.sentence(c.start)))

    def year_anchor(self, c: Candidate) -> tuple[int, str] | None:
        """Return an explicit year from a nearby earlier expression that overrides the DCT's year, and its id."""
        for start, year, tid, sent in reversed(self.years):
            if start >= c.start:
                continue
            if self.dct is None:
                return year, tid
            if sent >= self.sentence(c.start) - _YEAR_WINDOW and year != self.dct.year:
                return year, tid
            return None
        return None

    def last_date(self, c: Candidate, unit: str | None = None, finest: str | None = None) -> tuple[date, str, str] | None:
        """Return the latest DATE before ``c`` of exactly ``unit``, or at least as fine as ``finest``.

        Returns:
            Its first day, unit and timex id; None when there is none.
        """
        for start, first, u, tid, _ in reversed(self.dates):
            if start >= c.start or (unit is not None and u != unit):
                continue
            if finest is None or _FINENESS.get(u, 9) <= _FINENESS.get(finest, 9):
                return first, u, tid
        return None

    def base(self, c: Candidate, anchored: bool, unit: str | None = None) -> tuple[date, str]:
        """Return the date a relative expression counts from, the previous date or the DCT, and its anchor.

        "The previous month" cannot count from a bare year, so only a date at
        least as fine as ``unit`` serves as the anchor.
        """
        if anchored:
            last = self.last_date(c, finest=unit)
            if last:
                return last[0], last[2]
        return self.need_dct(), "published"

    def yearref(self, c: Candidate, g: Groups) -> tuple[int, str | None] | None:
        """Return the year the ``y`` / ``yr`` / ``ythe`` groups name ("2009", "last year"), and its anchor."""
        if g.get("y"):
            y = int(g["y"] or 0)
            self.explicit(c, y)
            return y, None
        ref = (g.get("yr") or g.get("ythe") or "").lower()
        if not ref:
            return None
        ref = re.sub(r"\s+", " ", ref).replace("the ", "")
        return self.need_dct().year + W.REL_STEPS.get(ref, 0), "published"

    def year_by_tense(self, c: Candidate, fn: Callable[[date, str], int]) -> tuple[int, str]:
        """Return the year of an expression without one: a nearby explicit year, else ``fn(DCT, tense)``."""
        anchor = self.year_anchor(c)
        if anchor:
            return anchor
        return fn(self.need_dct(), self.tense(c)), "published"


Normaliser = Callable[[Anchors, Candidate, Groups], Norm]
"""Turn a matched expression into its TIMEX3 type and value (one per ``grammar.PATTERNS`` kind)."""
