"""Time expressions: find them in text and normalise them to TIMEX3 values.

A grammar of regular expressions over the raw text (``grammar``)
plus word tables (``words``) and calendar arithmetic
(``resolve``); no parse is needed, so the stage is fast and its
rules can be tested on plain sentences. It follows TimeML / TempEval-3 and the
MEANTIME (NewsReader) guidelines:

- The extent includes the determiners and modifiers that belong to the
  expression: "the first quarter of 2009", "the next four years", "early 2009",
  "mid-2011", "the end of last year", "around April 2023", "almost two years".
- Values are ISO at the expression's own granularity: "March 2008" -> ``2008-03``,
  "last week" -> ``2025-W04``, "the 1990s" -> ``199``, "next spring" ->
  ``2026-SP`` (next = the season of the next year), "two weeks" -> ``P2W``,
  "a decade" -> ``P10Y``, "every year" -> ``P1Y`` (SET), "3 p.m." -> ``...T15:00``.
- "N units ago" is a DATE at the unit's granularity (the TempEval-3 style):
  "two days ago" -> the date, "two weeks ago" -> the ISO week, "three years ago"
  -> the year; without a count ("years ago") it is ``PAST_REF``. "N units
  earlier / later" counts from the previous date in the text.
- Underspecified dates ("on January 17", "in March", "on Friday", "the fourth
  quarter") take the publication date's year, picked by tense: a past clause
  gives the latest such date on or before publication, a future clause the
  first on or after it, a present clause the nearest. A weekday equal to the
  publication day is that day in every tense (news writes "announced on Monday"
  on the Monday). When an explicit year other than the publication year stands
  earlier in the same sentence ("sales fell in 2008 and in March ..."), that
  year wins and ``anchor`` names its timex; with no publication date the last
  year seen anywhere is used. (On MEANTIME, letting a year in the previous
  sentence override the publication date cost more values than it won.)
- ``anchor`` is ``"published"`` for what was resolved against the publication
  date, a timex id for what was resolved against another expression, and None
  for absolute dates, durations, sets and PRESENT_REF / PAST_REF / FUTURE_REF
  ("now", "currently" -> PRESENT_REF; "recently", "the past", "formerly" ->
  PAST_REF; "the future", "soon" -> FUTURE_REF, as TimeML has them).
- ``approximate`` is True after "around / about / approximately / roughly /
  circa / nearly / almost / some / more than / less than / at least / up to"
  and for the part-of-period modifiers "early / mid / late / the end
  (beginning, start, middle) of"; the value stays at the period's granularity.

Nothing is dropped: a relative expression with no publication date, a time
with no date, or an impossible date ("February 30") is kept with
``value=None`` and reported as an Issue (``TIMEX_UNRESOLVED``, ``TIMEX_INVALID``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from storyline.errors import BAD_DATE, TIMEX_INVALID, TIMEX_UNRESOLVED
from storyline.model import Issue, Span, Timex
from storyline.stages.time import resolve as R
from storyline.stages.time import words as W
from storyline.stages.time.grammar import (
    APPROX_KINDS,
    MODIFIER,
    PATTERNS,
    POSITION_KINDS,
    SENTENCE_END,
    accept,
    finditer,
    gate_open,
    guess_tense,
    lowered_for_gates,
)

__all__ = ["find_timexes"]

_STAGE = "time"
_DCT = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_QUANTITY = re.compile(r"(?:\d|million\b|billion\b|thousand\b|hundred\b|dozen\b|times\b|once\b|twice\b)", re.IGNORECASE)
_REL_STEP = {"this": 0, "current": 0, "same": 0, "last": -1, "past": -1, "previous": -1, "this past": -1,
             "next": 1, "coming": 1, "following": 1, "upcoming": 1, "this coming": 1}
_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4,
            "last": 4}
_FINENESS = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "decade": 5, "century": 6}
_YEAR_WINDOW = 0  # sentences back in which an explicit year overrides the DCT's
_DURATION_KINDS = frozenset({"dur", "range", "vague", "adjdur"})
_SET_KINDS = frozenset({"set", "freq", "setword"})


def find_timexes(
    text: str,
    published: str | None = None,
    *,
    tense_at: Callable[[int], str | None] | None = None,
    start_id: int = 1,
) -> tuple[list[Timex], list[Issue]]:
    """Find the time expressions in ``text`` and normalise them to TIMEX3 values.

    Args:
        text: The article text. Offsets index it: half-open ``[start, end)``
            Python ``str`` indices, ``text[t.start:t.end] == t.text``.
        published: The publication date (ISO ``YYYY-MM-DD``, optionally with a
            time), the document creation time that relative expressions are
            resolved against. None leaves them unresolved (with an Issue).
        tense_at: Returns ``"past"``, ``"future"`` or ``"present"`` for the
            clause around a character offset, or None; when it is None (or
            answers None) the tense is guessed from the words around the
            expression (``guess_tense``).
        start_id: Number of the first id (``t1``, ``t2``, ...).

    Returns:
        The timexes sorted by start and not overlapping, and the issues:
        ``TIMEX_UNRESOLVED`` / ``TIMEX_INVALID`` for each expression kept with
        ``value=None``, ``BAD_DATE`` for a ``published`` that is not ISO.
        Never raises on any text.
    """
    return _Run(text, published, tense_at).run(start_id)


@dataclass(slots=True)
class _Cand:
    kind: str
    start: int
    end: int
    m: re.Match[str]
    approx: bool = False


@dataclass(slots=True)
class _Norm:
    type: str
    value: str | None
    anchor: str | None = None


class _NoAnchor(Exception):
    """The expression needs a date the text does not give."""


class _Run:
    """One call of ``find_timexes``: the text, its DCT and what has been resolved so far."""

    def __init__(self, text: str, published: str | None, tense_at: Callable[[int], str | None] | None) -> None:
        self.text = text
        self.tense_at = tense_at
        self.issues: list[Issue] = []
        self.dct: date | None = None
        if published is not None:
            m = _DCT.match(str(published))
            try:
                self.dct = date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
            except ValueError:
                self.dct = None
            if self.dct is None:
                self.issues.append(Issue(_STAGE, BAD_DATE, f"published date {published!r} is not ISO YYYY-MM-DD; "
                                         "relative time expressions are left unresolved"))
        self.starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
        self.years: list[tuple[int, int, str, int]] = []  # start, explicit year, timex id, sentence
        self.dates: list[tuple[int, date, str, str, int]] = []  # start, first day, unit, timex id, sentence
        self.cur: _Cand | None = None
        self.cur_id = ""

    # -- finding -------------------------------------------------------------------------

    def select(self) -> list[_Cand]:
        """All candidates, longest first, keeping those that overlap nothing kept."""
        found: list[tuple[int, int, int, _Cand]] = []
        text = self.text
        lowered = lowered_for_gates(text)
        lines: dict[int, list[tuple[int, int]]] = {}  # the lines each gate's pieces are in, found once
        for prio, (kind, rx) in enumerate(PATTERNS):
            if not gate_open(kind, text, lowered):
                continue  # a word every match contains is not in the text: nothing to find
            for m in finditer(kind, rx, text, lowered, lines):
                if m.end() <= m.start() or not accept(kind, m, text):
                    continue
                end = m.start("poss") if kind == "deictic" and m.group("poss") else m.end()
                found.append((m.start() - end, prio, m.start(), _Cand(kind, m.start(), end, m)))
        found.sort(key=lambda f: f[:3])
        starts: list[int] = []
        chosen: list[_Cand] = []
        for *_, c in found:
            i = bisect.bisect_left(starts, c.end)
            if i and chosen[i - 1].end > c.start:
                continue
            starts.insert(i, c.start)
            chosen.insert(i, c)
        for k, c in enumerate(chosen):
            self._extend(c, chosen[k - 1].end if k else 0)
        return chosen

    def _extend(self, c: _Cand, floor: int) -> None:
        """Take modifiers in front ("around", "early", "the end of") into the extent."""
        for _ in range(3):
            lo = max(floor, c.start - 40)
            mm = MODIFIER.search(self.text, lo, c.start)
            if not mm or mm.end() != c.start:
                return
            ms = mm.start()
            if ms > 0 and (self.text[ms - 1].isalnum() or self.text[ms - 1] == "-"):
                return
            ok = POSITION_KINDS if mm.group("pos") else APPROX_KINDS
            if c.kind not in ok:
                return
            c.start, c.approx = ms, True

    # -- resolving -----------------------------------------------------------------------

    def run(self, start_id: int) -> tuple[list[Timex], list[Issue]]:
        chosen = self.select()
        ids = [f"t{start_id + i}" for i in range(len(chosen))]
        norms: dict[int, _Norm] = {}
        for late in (False, True):  # clock times last: they attach to dates on either side
            for i, c in enumerate(chosen):
                if (c.kind == "time") == late:
                    norms[i] = self._normalise(c, ids[i])
        out = []
        for i, c in enumerate(chosen):
            n = norms[i]
            out.append(Timex(ids[i], c.start, c.end, self.text[c.start:c.end], n.type, n.value,
                             R.granularity_of(n.value, n.type), c.approx, n.anchor))
        return out, self.issues

    def _normalise(self, c: _Cand, tid: str) -> _Norm:
        self.cur, self.cur_id = c, tid
        words = self.text[c.start:c.end]
        try:
            n: _Norm = getattr(self, "_" + c.kind)(c.m.groupdict())
        except _NoAnchor as e:
            n, why, code = _Norm(self._type(c), None), str(e), TIMEX_UNRESOLVED
        except (ValueError, OverflowError) as e:  # impossible dates, or a DCT at the calendar's edge
            n, why, code = _Norm(self._type(c), None), f"is not a valid date ({e})", TIMEX_INVALID
        else:
            first = R.date_of_value(n.value) if n.type == "DATE" else None
            if first:
                self.dates.append((c.start, first[0], first[1], tid, self._sentence(c.start)))
            return n
        self.issues.append(Issue(_STAGE, code, f"time expression {words!r} {why}; kept with value null",
                                 Span(c.start, c.end, words)))
        return n

    def _type(self, c: _Cand) -> str:
        g = c.m.groupdict()
        if c.kind in _SET_KINDS:
            return "SET"
        if c.kind in _DURATION_KINDS:
            return "DATE" if g.get("dir") else "DURATION"
        if c.kind in ("time", "part") or g.get("p") or g.get("H") or (g.get("w") or "").lower() == "tonight":
            return "TIME"
        return "DATE"

    def _sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def _tense(self) -> str:
        assert self.cur is not None
        if self.tense_at is not None:
            t = self.tense_at(self.cur.start)
            if t in ("past", "future", "present"):
                return t
        return guess_tense(self.text, self.cur.start, self.cur.end)

    def _need_dct(self) -> date:
        if self.dct is None:
            raise _NoAnchor("is relative and the article has no publication date (pass published=...)")
        return self.dct

    def _explicit(self, year: int) -> None:
        assert self.cur is not None
        self.years.append((self.cur.start, year, self.cur_id, self._sentence(self.cur.start)))

    def _year_anchor(self) -> tuple[int, str] | None:
        """An explicit year from a nearby earlier expression that overrides the DCT's year."""
        assert self.cur is not None
        for start, year, tid, sent in reversed(self.years):
            if start >= self.cur.start:
                continue
            if self.dct is None:
                return year, tid
            if sent >= self._sentence(self.cur.start) - _YEAR_WINDOW and year != self.dct.year:
                return year, tid
            return None
        return None

    def _last_date(self, unit: str | None = None, finest: str | None = None) -> tuple[date, str, str] | None:
        """The latest earlier DATE of exactly ``unit``, or at least as fine as ``finest``."""
        assert self.cur is not None
        for start, first, u, tid, _ in reversed(self.dates):
            if start >= self.cur.start or (unit is not None and u != unit):
                continue
            if finest is None or _FINENESS.get(u, 9) <= _FINENESS.get(finest, 9):
                return first, u, tid
        return None

    def _base(self, anchored: bool, unit: str | None = None) -> tuple[date, str]:
        """The date a relative expression counts from: the previous date, or the DCT.

        "The previous month" cannot count from a bare year, so only a date at
        least as fine as ``unit`` serves as the anchor.
        """
        if anchored:
            last = self._last_date(finest=unit)
            if last:
                return last[0], last[2]
        return self._need_dct(), "published"

    def _yearref(self, g: dict[str, str | None]) -> tuple[int, str | None] | None:
        if g.get("y"):
            y = int(g["y"] or 0)
            self._explicit(y)
            return y, None
        ref = (g.get("yr") or g.get("ythe") or "").lower()
        if not ref:
            return None
        ref = re.sub(r"\s+", " ", ref).replace("the ", "")
        return self._need_dct().year + _REL_STEP.get(ref, 0), "published"

    def _year_by_tense(self, fn: Callable[[date, str], int]) -> tuple[int, str]:
        anchor = self._year_anchor()
        if anchor:
            return anchor
        return fn(self._need_dct(), self._tense()), "published"

    # -- one method per pattern kind (see grammar.PATTERNS) ----------------------------------

    def _iso(self, g: dict[str, str | None]) -> _Norm:
        d = date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0))
        self._explicit(d.year)
        if g["H"]:
            return _Norm("TIME", f"{d.isoformat()}T{g['H']}:{g['M']}{R.zone_suffix(g['z'], None)}")
        return _Norm("DATE", d.isoformat())

    def _slash(self, g: dict[str, str | None]) -> _Norm:
        a, b, ys = int(g["a"] or 0), int(g["b"] or 0), g["y"] or ""
        y = int(ys)
        if len(ys) == 2:
            pivot = (self.dct.year % 100 + 10) if self.dct else 30
            y += 2000 if y <= pivot else 1900
        month, day = (a, b) if a <= 12 else (b, a)
        d = date(y, month, day)
        self._explicit(y)
        return _Norm("DATE", d.isoformat())

    def _mdy(self, g: dict[str, str | None]) -> _Norm:
        month, day = W.MONTHS[(g["mon"] or "").lower().rstrip(".")], int(g["d"] or 0)
        if g["y"]:
            d = date(int(g["y"] or 0), month, day)
            self._explicit(d.year)
            return _Norm("DATE", d.isoformat())
        if day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
            raise ValueError(f"month {month} has no day {day}")
        anchor = self._year_anchor()
        if anchor:
            return _Norm("DATE", date(anchor[0], month, day).isoformat(), anchor[1])
        found = R.month_day(month, day, self._need_dct(), self._tense())
        if found is None:
            raise _NoAnchor("has no occurrence on the side of the publication date its tense points to")
        return _Norm("DATE", found.isoformat(), "published")

    _dmy = _mdy

    def _my(self, g: dict[str, str | None]) -> _Norm:
        y = int(g["y"] or 0)
        self._explicit(y)
        return _Norm("DATE", f"{R.year4(y)}-{W.MONTHS[(g['mon'] or '').lower().rstrip('.')]:02d}")

    def _weekof(self, g: dict[str, str | None]) -> _Norm:
        month = W.MONTHS[(g["mon"] or "").lower().rstrip(".")]
        which = -1 if (g["o"] or "").lower() in ("last", "final") else _QUARTER[(g["o"] or "").lower()]
        if g["y"]:
            y, anchor = int(g["y"] or 0), None
            self._explicit(y)
        else:
            y, anchor = self._year_by_tense(lambda d, t: R.month_year(month, d, t))
        return _Norm("DATE", R.week_of_month(y, month, which), anchor)

    def _month(self, g: dict[str, str | None]) -> _Norm:
        month = W.MONTHS[(g["mon"] or "").lower()]
        if g["yr"]:
            y, anchor = self._need_dct().year + _REL_STEP[(g["yr"] or "").lower()], "published"
        else:
            y, anchor = self._year_by_tense(lambda d, t: R.month_year(month, d, t))
        return _Norm("DATE", f"{R.year4(y)}-{month:02d}", anchor)

    def _relmonth(self, g: dict[str, str | None]) -> _Norm:
        month = W.MONTHS[(g["mon"] or "").lower()]
        step = _REL_STEP[re.sub(r"\s+", " ", (g["r"] or "").lower())]
        dct = self._need_dct()
        y = dct.year
        if step < 0 and month >= dct.month:  # "last May": the most recent May before this month
            y -= 1
        elif step > 0 and month <= dct.month:  # "next May": the first May after this month
            y += 1
        return _Norm("DATE", f"{R.year4(y)}-{month:02d}", "published")

    def _year(self, g: dict[str, str | None]) -> _Norm:
        y = int(g["y"] or 0)
        self._explicit(y)
        return _Norm("DATE", f"{R.year4(y)}")

    def _fiscal(self, g: dict[str, str | None]) -> _Norm:
        ys = g["y"] or g["y2"] or ""
        y = int(ys) + (2000 if len(ys) == 2 and int(ys) < 50 else 1900 if len(ys) == 2 else 0)
        self._explicit(y)
        return _Norm("DATE", f"FY{y:04d}")

    def _decade(self, g: dict[str, str | None]) -> _Norm:
        return _Norm("DATE", f"{g['c'] or '19'}{g['dd']}")  # a bare "'80s" is the 1980s

    def _decadeword(self, g: dict[str, str | None]) -> _Norm:
        return _Norm("DATE", f"19{W.DECADE_WORDS[(g['dw'] or '').lower()]}")

    def _century(self, g: dict[str, str | None]) -> _Norm:
        n = int(g["n"]) if g["n"] else W.ORDINALS[(g["o"] or "").lower()]
        if n < 1:
            raise ValueError("there is no century 0")
        return _Norm("DATE", f"{n - 1:02d}")

    def _quarter(self, g: dict[str, str | None]) -> _Norm:
        word = (g["q"] or "").lower()
        ref = self._yearref(g)
        if ref is None and word == "last":  # "the last quarter": the one before publication
            dct = self._need_dct()
            y, q = divmod(dct.year * 4 + R.quarter_of(dct) - 2, 4)
            return _Norm("DATE", f"{R.year4(y)}-Q{q + 1}", "published")
        q = _QUARTER[word]
        y, anchor = ref if ref else self._year_by_tense(lambda d, t: R.period_year(q, 4, d, t))
        return _Norm("DATE", f"{R.year4(y)}-Q{q}", anchor)

    def _qshort(self, g: dict[str, str | None]) -> _Norm:
        q = int(g["q"] or 1)
        if g["y"]:
            y = int(g["y"] or 0) + (2000 if len(g["y"] or "") == 2 else 0)
            self._explicit(y)
            return _Norm("DATE", f"{R.year4(y)}-Q{q}")
        y, anchor = self._year_by_tense(lambda d, t: R.period_year(q, 4, d, t))
        return _Norm("DATE", f"{R.year4(y)}-Q{q}", anchor)

    def _half(self, g: dict[str, str | None]) -> _Norm:
        h = 1 if (g["h"] or "").lower() in ("first", "1st") else 2
        ref = self._yearref(g)
        y, anchor = ref if ref else self._year_by_tense(lambda d, t: R.period_year(h, 2, d, t))
        return _Norm("DATE", f"{R.year4(y)}-H{h}", anchor)

    def _season(self, g: dict[str, str | None]) -> _Norm:
        code = W.SEASONS[(g["s"] or "").lower()]
        ref = self._yearref(g)
        y, anchor = ref if ref else self._year_by_tense(lambda d, t: R.season_year(code, d, t))
        return _Norm("DATE", f"{R.year4(y)}-{code}", anchor)

    def _rel(self, g: dict[str, str | None]) -> _Norm:
        r = re.sub(r"\s+", " ", (g["r"] or "").lower())
        unit = (g["u"] or "").lower()
        k = _REL_STEP[r]
        assert self.cur is not None
        if r == "past" and unit in W.UNITS and self.text[self.cur.start:self.cur.end].lower().startswith("the"):
            return _Norm("DURATION", R.duration_value(1, unit))
        base, anchor = self._base(r in ("previous", "following", "same"), "year" if unit in W.SEASONS else unit)
        if unit in W.SEASONS:
            return _Norm("DATE", f"{R.year4(base.year + k)}-{W.SEASONS[unit]}", anchor)
        if unit in ("week", "weekend"):
            return _Norm("DATE", R.value_at(base + timedelta(days=7 * k), unit), anchor)
        return _Norm("DATE", R.value_at(R.shift(base, k, unit), unit), anchor)

    def _post(self, g: dict[str, str | None]) -> _Norm:
        k = -1 if (g["r"] or "").lower() in ("previous", "before", "earlier", "prior") else 1
        unit = (g["u"] or "").lower()
        base, anchor = self._base(True, unit)
        return _Norm("DATE", R.value_at(R.shift(base, k, unit), unit), anchor)

    def _same(self, g: dict[str, str | None]) -> _Norm:
        unit = (g["u"] or "").lower()
        want = None if unit in ("period", "time") else unit
        last = self._last_date(want)
        if last:
            base, unit, anchor = last[0], last[1], last[2]
        else:
            base, anchor = self._need_dct(), "published"
            unit = "month" if want is None else unit
        return _Norm("DATE", R.value_at(R.shift(base, -1, "year"), unit), anchor)

    def _position(self, g: dict[str, str | None]) -> _Norm:
        assert self.cur is not None
        self.cur.approx = (g["pos"] or "").lower() not in ("rest", "remainder")
        value = R.value_at(self._need_dct(), (g["u"] or "").lower())
        return _Norm("DATE", "FY" + value if g["fin"] and value.isdigit() else value, "published")

    def _whole(self, g: dict[str, str | None]) -> _Norm:
        base, anchor = self._base(True, (g["u"] or "").lower())
        return _Norm("DATE", R.value_at(base, (g["u"] or "").lower()), anchor)

    def _deictic(self, g: dict[str, str | None]) -> _Norm:
        w = re.sub(r"\s+", " ", (g["w"] or "").lower())
        if g["poss"] and w == "today" and not g["el"] and not g["p"]:
            return _Norm("DATE", "PRESENT_REF")  # "today's economy": the present, not the day
        step = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
                "the day after tomorrow": 2}[w]
        d = self._need_dct() + timedelta(days=step)
        part = W.PARTS_OF_DAY.get((g["p"] or "").lower()) or ("NI" if w == "tonight" else None)
        if part:
            return _Norm("TIME", f"{d.isoformat()}T{part}", "published")
        return _Norm("DATE", d.isoformat(), "published")

    def _part(self, g: dict[str, str | None]) -> _Norm:
        w = re.sub(r"\s+", " ", (g["w"] or "").lower())
        if w in ("that", "the same"):
            base, anchor = self._base(True)
        else:
            base, anchor = self._need_dct() - timedelta(days=1 if w == "last" else 0), "published"
        return _Norm("TIME", f"{base.isoformat()}T{W.PARTS_OF_DAY[(g['p'] or '').lower()]}", anchor)

    def _weekday(self, g: dict[str, str | None]) -> _Norm:
        wd = W.WEEKDAYS[(g["wd"] or "").lower().rstrip(".")]
        rel = re.sub(r"\s+", " ", (g["r"] or "").lower()) or None
        rel = {"this past": "last", "this coming": "next"}.get(rel or "", rel)
        if self.dct is None and self._last_date("day"):
            base, _, anchor = self._last_date("day") or (date.min, "", "")
        else:
            base, anchor = self._need_dct(), "published"
        d = R.weekday_date(wd, base, self._tense(), rel)
        part = W.PARTS_OF_DAY.get((g["p"] or "").lower())
        return _Norm("TIME", f"{d.isoformat()}T{part}", anchor) if part else _Norm("DATE", d.isoformat(), anchor)

    def _dur(self, g: dict[str, str | None]) -> _Norm:
        n = R.number_value(g["n"] or "")
        unit = R.unit_of(g["u"] or "")
        if g["dir"]:
            return self._shifted(n, unit, re.sub(r"\s+", " ", (g["dir"] or "").lower()))
        assert self.cur is not None
        words = (g["n"] or "").lower()
        if words in ("a", "an") and not g["r"] and _QUANTITY.search(self.text[max(0, self.cur.start - 25):self.cur.start]
                                                                    .split(",")[-1].split(".")[-1] or "-"):
            return _Norm("SET", R.duration_value(1, unit))  # "15 a year", "$5 billion a year"
        return _Norm("DURATION", R.duration_value(n, unit))

    def _shifted(self, n: float | None, unit: str, direction: str) -> _Norm:
        back = direction in ("ago", "earlier")
        if n is None:
            return _Norm("DATE", "PAST_REF" if back else "FUTURE_REF")
        base, anchor = self._base(direction in ("earlier", "later"), "day" if W.UNITS[unit][2] else unit)
        if not float(n).is_integer() and unit in ("year", "decade", "century"):
            n, unit = n * W.UNITS[unit][1] * 12, "month"
        d = R.shift(base, -n if back else n, unit)
        clock = W.UNITS.get(unit, ("", 1, False))[2]
        return _Norm("DATE", R.value_at(d, "day" if clock else unit), anchor)

    def _range(self, g: dict[str, str | None]) -> _Norm:
        return _Norm("DURATION", R.duration_value(R.number_value(g["n"] or ""), R.unit_of(g["u"] or "")))

    def _vague(self, g: dict[str, str | None]) -> _Norm:
        if g["dir"]:
            return _Norm("DATE", "PAST_REF" if (g["dir"] or "").lower() in ("ago", "earlier") else "FUTURE_REF")
        return _Norm("DURATION", R.duration_value(None, R.unit_of(g["u"] or "")))

    def _adjdur(self, g: dict[str, str | None]) -> _Norm:
        n = 0.5 if (g["n"] or "").lower() == "half" else R.number_value(g["n"] or "")
        return _Norm("DURATION", R.duration_value(n, R.unit_of(g["u"] or "")))

    def _set(self, g: dict[str, str | None]) -> _Norm:
        u = (g["u"] or "").lower()
        word = (g["n"] or "").lower()
        n = 2 if word == "other" else (R.number_value(word) if word else 1) or 1
        stem = u[:-1] if u.endswith("s") and u[:-1] in W.WEEKDAYS | W.SEASONS | W.PARTS_OF_DAY else u
        if stem in W.WEEKDAYS:
            return _Norm("SET", f"XXXX-WXX-{W.WEEKDAYS[stem] + 1}")
        if stem in W.SEASONS:
            return _Norm("SET", f"XXXX-{W.SEASONS[stem]}")
        if stem in W.PARTS_OF_DAY:
            return _Norm("SET", f"XXXX-XX-XXT{W.PARTS_OF_DAY[stem]}")
        if stem.startswith("weekend"):
            return _Norm("SET", "XXXX-WXX-WE")
        return _Norm("SET", R.duration_value(n, "year" if u == "annum" else R.unit_of(u)))

    def _freq(self, g: dict[str, str | None]) -> _Norm:
        return _Norm("SET", R.duration_value(1, R.unit_of(g["u"] or "")))

    def _setword(self, g: dict[str, str | None]) -> _Norm:
        return _Norm("SET", W.SET_WORDS[g["w"] or ""])

    def _time(self, g: dict[str, str | None]) -> _Norm:
        if g["nm"]:
            hh, mm = (0, 0) if (g["nm"] or "").lower() == "midnight" else (12, 0)
        elif g["ap"]:
            hh, mm = int(g["H"] or 0) % 12 + (12 if (g["ap"] or "").lower().startswith("p") else 0), int(g["M"] or 0)
        else:
            hh, mm = int(g["H2"] or 0), int(g["M2"] or 0)
        zone = R.zone_suffix(g["z"] or g["z2"], g["off"] or g["off2"])
        day, anchor = self._day_for_time(g["day"])
        return _Norm("TIME", f"{day.isoformat()}T{hh:02d}:{mm:02d}{zone}", anchor)

    def _day_for_time(self, word: str | None) -> tuple[date, str]:
        """The date a clock time belongs to: its own day word, a date in its sentence, or the DCT."""
        assert self.cur is not None
        if word:
            w = word.lower()
            if w in W.WEEKDAYS:
                return R.weekday_date(W.WEEKDAYS[w], self._need_dct(), self._tense(), None), "published"
            return self._need_dct() + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(w, 0)), "published"
        sent = self._sentence(self.cur.start)
        near = [(abs(s - self.cur.start), d, tid) for s, d, u, tid, sn in self.dates if sn == sent and u == "day"]
        if near:
            _, d, tid = min(near)
            return d, tid
        if self.dct is None:
            raise _NoAnchor("has no date to attach to (no date in its sentence, no publication date)")
        return self.dct, "published"

    def _holiday(self, g: dict[str, str | None]) -> _Norm:
        name = re.sub(r"\s+", " ", (g["hol"] or "").lower()).replace("’", "'")
        if g["y"]:
            y = int(g["y"] or 0)
            self._explicit(y)
            return _Norm("DATE", R.holiday_date(name, y).isoformat())
        anchor = self._year_anchor()
        if anchor:
            return _Norm("DATE", R.holiday_date(name, anchor[0]).isoformat(), anchor[1])
        dct = self._need_dct()
        days = [R.holiday_date(name, y) for y in (dct.year - 1, dct.year, dct.year + 1) if 1 <= y <= 9999]
        d = R.pick(days, dct, self._tense())
        if d is None:
            raise _NoAnchor("has no occurrence on the side of the publication date its tense points to")
        return _Norm("DATE", d.isoformat(), "published")

    def _ref(self, g: dict[str, str | None]) -> _Norm:
        return _Norm("DATE", W.REF_WORDS[re.sub(r"\s+", " ", (g["w"] or "").lower())])
