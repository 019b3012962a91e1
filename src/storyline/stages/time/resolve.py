"""Calendar arithmetic for ``storyline.stages.time``: TIMEX3 values from parts.

Pure functions over ``datetime.date``: ISO weeks, quarters, seasons, shifting
by a number of units, picking the occurrence of "January 17" or "Friday" that
a tense points to, and reading a TIMEX3 value back into the date it starts on
(for expressions anchored on an earlier one). Nothing here knows about text.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from storyline.stages.time import words as W
from storyline.timevalues import SEASON_MONTHS, read_date_value

# ``timevalues`` unit -> the unit an expression anchored on it counts by (a half year as a year).
_ANCHOR_UNITS = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "half": "year", "year": "year"}


def iso_week(d: date) -> str:
    """The ISO week of ``d`` as a TIMEX3 value (``2025-W05``)."""
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def quarter_of(d: date) -> int:
    """Calendar quarter 1-4 of ``d``."""
    return (d.month - 1) // 3 + 1


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    """``(year, month)`` moved by ``k`` months."""
    n = year * 12 + (month - 1) + k
    return n // 12, n % 12 + 1


def shift(d: date, n: float, unit: str) -> date:
    """``d`` moved by ``n`` units (``day``, ``week``, ``month``, ``quarter``, ``year``, ...).

    Raises:
        ValueError, OverflowError: when the result leaves the calendar.
    """
    if unit in ("day", "night"):
        return d + timedelta(days=round(n))
    if unit in ("week", "fortnight"):
        return d + timedelta(days=round(n * 7 * (2 if unit == "fortnight" else 1)))
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit)
    if months is None:  # clock units: whole days only
        hours = {"hour": 1.0, "minute": 1 / 60, "second": 1 / 3600}.get(unit, 0.0)
        return d + timedelta(days=int(n * hours // 24))
    y, m = add_months(d.year, d.month, round(n * months))
    if not 1 <= y <= 9999:
        raise ValueError("year out of range")
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def value_at(d: date, unit: str) -> str:
    """The TIMEX3 value of the ``unit``-sized period that contains ``d``."""
    if unit in ("week", "fortnight"):
        return iso_week(d)
    if unit == "weekend":
        return iso_week(d) + "-WE"
    if unit == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if unit == "quarter":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if unit == "year":
        return f"{d.year:04d}"
    if unit == "decade":
        return f"{d.year // 10:03d}"
    if unit == "century":
        return f"{d.year // 100:02d}"
    return d.isoformat()


def date_of_value(value: str | None) -> tuple[date, str] | None:
    """The first day of the period a TIMEX3 value names and its unit, for anchoring on it.

    The unit is ``day``, ``week``, ``month``, ``quarter`` or ``year``; a half
    year gives ``year`` (so "the previous month" never counts from it, as from
    a year). Seasons, fiscal years, decades, centuries and the weekend and
    weekday forms of a week anchor nothing and give None, as do non-dates and
    impossible dates. A clock time after the digits is ignored.
    """
    if not value:
        return None
    read = read_date_value(value)
    if read is None or read.unit not in _ANCHOR_UNITS:
        return None
    try:
        return read.first(), _ANCHOR_UNITS[read.unit]
    except ValueError:
        return None


def pick(candidates: list[date], dct: date, tense: str) -> date | None:
    """The candidate a tense points to: latest on/before DCT (past), first on/after (future), nearest (present)."""
    if not candidates:
        return None
    if tense == "future":
        after = [c for c in candidates if c >= dct]
        return min(after) if after else None
    if tense == "present":
        return min(candidates, key=lambda c: (abs((c - dct).days), c < dct))
    before = [c for c in candidates if c <= dct]
    return max(before) if before else None


def month_day(month: int, day: int, dct: date, tense: str) -> date | None:
    """The occurrence of ``month``/``day`` a tense points to; None when the day never exists."""
    out = []
    for y in range(dct.year - 8, dct.year + 9):
        if 1 <= y <= 9999 and day <= calendar.monthrange(y, month)[1]:
            out.append(date(y, month, day))
    near = [c for c in out if abs(c.year - dct.year) <= 1]
    return pick(near, dct, tense) or pick(out, dct, tense)


def month_year(month: int, dct: date, tense: str) -> int:
    """The year of a bare month name, by tense, relative to ``dct``."""
    here = (dct.year, dct.month)
    if tense == "future":
        return dct.year if month >= here[1] else dct.year + 1
    if tense == "present":
        return dct.year
    return dct.year if month <= here[1] else dct.year - 1


def weekday_date(wd: int, dct: date, tense: str, rel: str | None) -> date:
    """The date of a weekday name relative to ``dct``.

    ``rel`` is ``last`` / ``past`` (strictly before), ``next`` / ``coming``
    (strictly after), ``this`` (the same ISO week) or None (tense decides;
    the publication day itself counts in every tense).
    """
    ahead = (wd - dct.weekday()) % 7
    behind = (dct.weekday() - wd) % 7
    if rel in ("last", "past"):
        return dct - timedelta(days=behind or 7)
    if rel in ("next", "coming"):
        return dct + timedelta(days=ahead or 7)
    if rel == "this":
        return dct + timedelta(days=wd - dct.weekday())
    if tense == "future":
        return dct + timedelta(days=ahead)
    if tense == "present":
        return dct + timedelta(days=ahead) if ahead <= behind else dct - timedelta(days=behind)
    return dct - timedelta(days=behind)


def season_year(code: str, dct: date, tense: str) -> int:
    """The year of a bare season name by tense (winter counts by its January)."""
    if code == "WI" and dct.month == 12:
        return dct.year + 1  # the winter that is starting
    months = [m for m in SEASON_MONTHS[code] if m != 12]
    if tense == "future":
        return dct.year if dct.month <= max(months) else dct.year + 1
    return dct.year if dct.month >= min(months) else dct.year - 1


def period_year(index: int, per_year: int, dct: date, tense: str) -> int:
    """The year of "the third quarter" / "the second half" without a year, by tense."""
    now = (dct.month - 1) * per_year // 12 + 1
    if tense == "future":
        return dct.year if index >= now else dct.year + 1
    if tense == "present":
        return dct.year
    return dct.year if index <= now else dct.year - 1


def thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def week_of_month(year: int, month: int, which: int) -> str:
    """ISO week of the n-th (1-4) or last (-1) week of a month."""
    last = calendar.monthrange(year, month)[1]
    day = last - 3 if which < 0 else min(7 * which - 3, last)
    return iso_week(date(year, month, day))


def granularity_of(value: str | None, type_: str) -> str | None:
    """The schema's granularity for a DATE or TIME value (None for others)."""
    if value is None or type_ in ("DURATION", "SET"):
        return None
    if "T" in value[4:] and re.match(r"\d{4}", value):
        return "time"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", value):
        return "week"
    if re.fullmatch(r"\d{4}-Q[1-4]", value):
        return "quarter"
    if re.fullmatch(r"(FY)?\d{4}", value):
        return "year"
    return None


def number_value(words: str) -> float | None:
    """A count from digits or words ("2", "2.5", "twenty-five", "two and a half"); None when vague."""
    s = words.lower().replace(",", "").strip()
    s = re.sub(r"\s+", " ", s)
    half = 0.0
    for tail in ("-and-a-half", " and a half", "-and-a-half"):
        if s.endswith(tail):
            s, half = s[: -len(tail)], 0.5
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return float(s) + half
    if s in W.NUMBER_WORDS:
        return W.NUMBER_WORDS[s] + half
    parts = re.split(r"[- ]", s)
    if len(parts) == 2 and parts[0] in W.NUMBER_WORDS and parts[1] in W.NUMBER_WORDS:
        return W.NUMBER_WORDS[parts[0]] + W.NUMBER_WORDS[parts[1]] + half
    return None


def fmt_number(n: float) -> str:
    """``2.0`` -> ``2``, ``2.5`` -> ``2.5``."""
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration for ``n`` units (``P2W``, ``PT24H``, ``P10Y``, ``PXY``, ``PXDE``)."""
    letter, mult, clock = W.UNITS[unit]
    if n is None:
        code = W.VAGUE_UNIT.get(unit, letter)
        return f"PTX{code}" if clock else f"PX{code}"
    return f"PT{fmt_number(n * mult)}{letter}" if clock else f"P{fmt_number(n * mult)}{letter}"


def year4(year: int) -> str:
    """A year as four digits; ValueError outside 0-9999 (a DCT at the calendar's edge)."""
    if not 0 <= year <= 9999:
        raise ValueError(f"year {year} is outside 0-9999")
    return f"{year:04d}"


def unit_of(word: str) -> str:
    """``"Years"`` -> ``"year"``, ``"centuries"`` -> ``"century"``."""
    w = word.lower()
    if w.endswith("ies"):
        return w[:-3] + "y"
    return w.removesuffix("s")


def zone_suffix(name: str | None, offset: str | None) -> str:
    """TIMEX3 zone suffix: ``Z`` for UTC/GMT, ``+08:00`` for an offset, nothing for local zones."""
    if offset:
        m = re.fullmatch(r"([+-])\s*(\d{1,2}):?(\d{2})?", offset.strip())
        if m:
            return f"{m.group(1)}{int(m.group(2)):02d}:{m.group(3) or '00'}"
    if name and name.upper() in ("UTC", "GMT", "Z"):
        return "Z"
    return ""


def holiday_date(name: str, year: int) -> date:
    """The date of a holiday (a ``words.HOLIDAYS`` key or Thanksgiving) in ``year``."""
    if name.startswith("thanksgiving"):
        return thanksgiving(year)
    month, day = W.HOLIDAYS[name]
    return date(year, month, day)
