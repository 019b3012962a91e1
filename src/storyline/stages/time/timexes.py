"""Time expressions: find them in text and normalise them to TIMEX3 values.

A grammar of regular expressions over the raw text (``grammar``)
plus word tables (``words``) and calendar arithmetic
(``resolve``); no parse is needed, so the stage is fast and its
rules can be tested on plain sentences. Each kind of expression has its
normaliser in ``NORMALISERS``: calendar dates (``dates``), expressions that
count from another date (``relative``), durations and sets (``periods``). It follows TimeML / TempEval-3 and the
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
from datetime import date

from storyline.errors import BAD_DATE, TIMEX_INVALID, TIMEX_UNRESOLVED
from storyline.model import Issue, Span, Timex
from storyline.stages.time import dates, periods, relative
from storyline.stages.time import resolve as R
from storyline.stages.time.anchors import Anchors, Candidate, NoAnchor, Norm, Normaliser
from storyline.stages.time.grammar import (
    APPROX_KINDS,
    MODIFIER,
    PATTERNS,
    POSITION_KINDS,
    accept,
    finditer,
    gate_open,
    lowered_for_gates,
)

__all__ = ["NORMALISERS", "find_timexes"]

_STAGE = "time"
_DCT = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_DURATION_KINDS = frozenset({"dur", "range", "vague", "adjdur"})
_SET_KINDS = frozenset({"set", "freq", "setword"})

#: ``grammar.PATTERNS`` kind -> the function that turns its match into a TIMEX3 type and value.
NORMALISERS: dict[str, Normaliser] = {
    # calendar dates, explicit or given a year by tense
    "iso": dates.normalise_iso,  # 2008-03-01, 2008-03-01T15:00
    "slash": dates.normalise_slash,  # 3/1/2008
    "mdy": dates.normalise_mdy,  # March 1, 2008; Monday, March 1
    "dmy": dates.normalise_mdy,  # 1 March 2008; the 1st of March
    "my": dates.normalise_my,  # March 2008
    "weekof": dates.normalise_weekof,  # the first week of March
    "relmonth": dates.normalise_relmonth,  # last May, next March
    "month": dates.normalise_month,  # in March, March of next year
    "year": dates.normalise_year,  # 2008
    "fiscal": dates.normalise_fiscal,  # fiscal 2009, FY09
    "decade": dates.normalise_decade,  # the 1990s, the '80s
    "decadeword": dates.normalise_decadeword,  # the eighties
    "century": dates.normalise_century,  # the 20th century
    "quarter": dates.normalise_quarter,  # the third quarter (of 2009)
    "qshort": dates.normalise_qshort,  # Q3 2009
    "half": dates.normalise_half,  # the first half of the year
    "season": dates.normalise_season,  # in the spring of 2009
    "holiday": dates.normalise_holiday,  # Christmas, Thanksgiving
    # counted from the publication date or from an earlier date
    "rel": relative.normalise_rel,  # last week, the following month
    "post": relative.normalise_post,  # the day before
    "same": relative.normalise_same,  # the same quarter a year ago
    "whole": relative.normalise_whole,  # the whole year
    "position": relative.normalise_position,  # the end of the year
    "deictic": relative.normalise_deictic,  # today, yesterday morning
    "part": relative.normalise_part,  # this morning, that evening
    "weekday": relative.normalise_weekday,  # on Friday, last Monday
    "time": relative.normalise_time,  # 3 p.m., 15:30 GMT
    "ref": relative.normalise_ref,  # now, recently, the future
    # lengths of time and repetitions
    "dur": periods.normalise_dur,  # two weeks, three years ago
    "range": periods.normalise_range,  # two to three years
    "vague": periods.normalise_vague,  # for years, years ago
    "adjdur": periods.normalise_adjdur,  # a 27-year career
    "set": periods.normalise_set,  # every year, each Monday
    "freq": periods.normalise_freq,  # twice a year
    "setword": periods.normalise_setword,  # annually
}


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
    dct, issues = _publication_date(published)
    anchors = Anchors(text, dct, tense_at)
    chosen = _select(text)
    for i, c in enumerate(chosen):
        c.tid = f"t{start_id + i}"
    norms: dict[int, Norm] = {}
    for late in (False, True):  # clock times last: they attach to dates on either side
        for i, c in enumerate(chosen):
            if (c.kind == "time") == late:
                norms[i] = _normalise(anchors, c, issues)
    out = []
    for i, c in enumerate(chosen):
        n = norms[i]
        out.append(Timex(c.tid, c.start, c.end, text[c.start:c.end], n.type, n.value,
                         R.granularity_of(n.value, n.type), c.approx, n.anchor))
    return out, issues


def _publication_date(published: str | None) -> tuple[date | None, list[Issue]]:
    """The DCT as a date, or None (with a BAD_DATE issue when ``published`` is given but not ISO)."""
    if published is None:
        return None, []
    m = _DCT.match(str(published))
    try:
        dct = date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        dct = None
    if dct is not None:
        return dct, []
    return None, [Issue(_STAGE, BAD_DATE, f"published date {published!r} is not ISO YYYY-MM-DD; "
                        "relative time expressions are left unresolved")]


def _select(text: str) -> list[Candidate]:
    """All candidates, longest first, keeping those that overlap nothing kept."""
    found: list[tuple[int, int, int, Candidate]] = []
    lowered = lowered_for_gates(text)
    lines: dict[int, list[tuple[int, int]]] = {}  # the lines each gate's pieces are in, found once
    for prio, (kind, rx) in enumerate(PATTERNS):
        if not gate_open(kind, text, lowered):
            continue  # a word every match contains is not in the text: nothing to find
        for m in finditer(kind, rx, text, lowered, lines):
            if m.end() <= m.start() or not accept(kind, m, text):
                continue
            end = m.start("poss") if kind == "deictic" and m.group("poss") else m.end()
            found.append((m.start() - end, prio, m.start(), Candidate(kind, m.start(), end, m)))
    found.sort(key=lambda f: f[:3])
    starts: list[int] = []
    chosen: list[Candidate] = []
    for *_, c in found:
        i = bisect.bisect_left(starts, c.end)
        if i and chosen[i - 1].end > c.start:
            continue
        starts.insert(i, c.start)
        chosen.insert(i, c)
    for k, c in enumerate(chosen):
        _extend(text, c, chosen[k - 1].end if k else 0)
    return chosen


def _extend(text: str, c: Candidate, floor: int) -> None:
    """Take modifiers in front ("around", "early", "the end of") into the extent."""
    for _ in range(3):
        lo = max(floor, c.start - 40)
        mm = MODIFIER.search(text, lo, c.start)
        if not mm or mm.end() != c.start:
            return
        ms = mm.start()
        if ms > 0 and (text[ms - 1].isalnum() or text[ms - 1] == "-"):
            return
        ok = POSITION_KINDS if mm.group("pos") else APPROX_KINDS
        if c.kind not in ok:
            return
        c.start, c.approx = ms, True


def _normalise(anchors: Anchors, c: Candidate, issues: list[Issue]) -> Norm:
    """``c``'s value by its kind's normaliser; on failure value None, and an issue that says why."""
    words = anchors.text[c.start:c.end]
    try:
        n = NORMALISERS[c.kind](anchors, c, c.m.groupdict())
    except NoAnchor as e:
        n, why, code = Norm(_type(c), None), str(e), TIMEX_UNRESOLVED
    except (ValueError, OverflowError) as e:  # impossible dates, or a DCT at the calendar's edge
        n, why, code = Norm(_type(c), None), f"is not a valid date ({e})", TIMEX_INVALID
    else:
        first = R.date_of_value(n.value) if n.type == "DATE" else None
        if first:
            anchors.add_date(c, first[0], first[1])
        return n
    issues.append(Issue(_STAGE, code, f"time expression {words!r} {why}; kept with value null", Span(c.start, c.end, words)))
    return n


def _type(c: Candidate) -> str:
    """The TIMEX3 type of an expression whose value could not be found."""
    g = c.m.groupdict()
    if c.kind in _SET_KINDS:
        return "SET"
    if c.kind in _DURATION_KINDS:
        return "DATE" if g.get("dir") else "DURATION"
    if c.kind in ("time", "part") or g.get("p") or g.get("H") or (g.get("w") or "").lower() == "tonight":
        return "TIME"
    return "DATE"
