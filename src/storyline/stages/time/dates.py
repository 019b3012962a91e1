"""Normalisers of calendar dates named by their parts: days, months, years, quarters, seasons, holidays.

"March 1, 2008", "3/1/2008", "the first quarter of 2009", "the 1990s" carry
their own year and name it explicitly (``Anchors.explicit``), for the
expressions after them. Without a year ("on January 17", "in March", "the
fourth quarter", "Christmas") the year comes from a nearby explicit year, or
from the publication date by tense (``Anchors.year_by_tense``). Each function
is the normaliser of the ``grammar.PATTERNS`` kind its name ends in (see
``timexes.NORMALISERS``).
"""

from __future__ import annotations

import re
from datetime import date

from storyline.stages.time import resolve as R
from storyline.stages.time import words as W
from storyline.stages.time.anchors import Anchors, Candidate, Groups, NoAnchor, Norm

_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4,
            "last": 4}


def _month(g: Groups) -> int:
    return W.MONTHS[(g["mon"] or "").lower().rstrip(".")]


def normalise_iso(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "2008-03-01" (a DATE) or "2008-03-01T15:00Z" (a TIME)."""
    d = date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0))
    a.explicit(c, d.year)
    if g["H"]:
        return Norm("TIME", f"{d.isoformat()}T{g['H']}:{g['M']}{R.zone_suffix(g['z'], None)}")
    return Norm("DATE", d.isoformat())


def normalise_slash(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "3/1/2008" (month first unless the first number cannot be a month) and "3/1/08"."""
    first, second, ys = int(g["a"] or 0), int(g["b"] or 0), g["y"] or ""
    y = int(ys)
    if len(ys) == 2:
        pivot = (a.dct.year % 100 + 10) if a.dct else 30
        y += 2000 if y <= pivot else 1900
    month, day = (first, second) if first <= 12 else (second, first)
    d = date(y, month, day)
    a.explicit(c, y)
    return Norm("DATE", d.isoformat())


def normalise_mdy(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "March 1, 2008" and "1 March 2008" (kinds ``mdy``, ``dmy``); without a year, by tense."""
    month, day = _month(g), int(g["d"] or 0)
    if g["y"]:
        d = date(int(g["y"] or 0), month, day)
        a.explicit(c, d.year)
        return Norm("DATE", d.isoformat())
    if day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        raise ValueError(f"month {month} has no day {day}")
    anchor = a.year_anchor(c)
    if anchor:
        return Norm("DATE", date(anchor[0], month, day).isoformat(), anchor[1])
    found = R.month_day(month, day, a.need_dct(), a.tense(c))
    if found is None:
        raise NoAnchor("has no occurrence on the side of the publication date its tense points to")
    return Norm("DATE", found.isoformat(), "published")


def normalise_my(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "March 2008"."""
    y = int(g["y"] or 0)
    a.explicit(c, y)
    return Norm("DATE", f"{R.year4(y)}-{_month(g):02d}")


def normalise_weekof(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the first week of March (2008)" to the ISO week."""
    month = _month(g)
    which = -1 if (g["o"] or "").lower() in ("last", "final") else _QUARTER[(g["o"] or "").lower()]
    anchor: str | None
    if g["y"]:
        y, anchor = int(g["y"] or 0), None
        a.explicit(c, y)
    else:
        y, anchor = a.year_by_tense(c, lambda d, t: R.month_year(month, d, t))
    return Norm("DATE", R.week_of_month(y, month, which), anchor)


def normalise_month(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise a bare "March" (its year by tense) or "March of next year"."""
    month = W.MONTHS[(g["mon"] or "").lower()]
    if g["yr"]:
        y, anchor = a.need_dct().year + W.REL_STEPS[(g["yr"] or "").lower()], "published"
    else:
        y, anchor = a.year_by_tense(c, lambda d, t: R.month_year(month, d, t))
    return Norm("DATE", f"{R.year4(y)}-{month:02d}", anchor)


def normalise_relmonth(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "last May" (the latest May before this month) and "next May" (the first after it)."""
    month = W.MONTHS[(g["mon"] or "").lower()]
    step = W.REL_STEPS[re.sub(r"\s+", " ", (g["r"] or "").lower())]
    dct = a.need_dct()
    y = dct.year
    if step < 0 and month >= dct.month:
        y -= 1
    elif step > 0 and month <= dct.month:
        y += 1
    return Norm("DATE", f"{R.year4(y)}-{month:02d}", "published")


def normalise_year(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "2008"."""
    y = int(g["y"] or 0)
    a.explicit(c, y)
    return Norm("DATE", f"{R.year4(y)}")


def normalise_fiscal(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "fiscal 2009" and "FY09" to ``FY2009``."""
    ys = g["y"] or g["y2"] or ""
    y = int(ys) + (2000 if len(ys) == 2 and int(ys) < 50 else 1900 if len(ys) == 2 else 0)
    a.explicit(c, y)
    return Norm("DATE", f"FY{y:04d}")


def normalise_decade(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the 1990s" to ``199``; a bare "'80s" is the 1980s."""
    return Norm("DATE", f"{g['c'] or '19'}{g['dd']}")


def normalise_decadeword(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the eighties" to ``198``."""
    return Norm("DATE", f"19{W.DECADE_WORDS[(g['dw'] or '').lower()]}")


def normalise_century(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the 20th century" and "the twentieth century" to ``19``."""
    n = int(g["n"]) if g["n"] else W.ORDINALS[(g["o"] or "").lower()]
    if n < 1:
        raise ValueError("there is no century 0")
    return Norm("DATE", f"{n - 1:02d}")


def normalise_quarter(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the third quarter (of 2009 / of last year)"; "the last quarter" is the one before publication."""
    word = (g["q"] or "").lower()
    ref = a.yearref(c, g)
    if ref is None and word == "last":
        dct = a.need_dct()
        y, q = divmod(dct.year * 4 + R.quarter_of(dct) - 2, 4)
        return Norm("DATE", f"{R.year4(y)}-Q{q + 1}", "published")
    q = _QUARTER[word]
    y, anchor = ref if ref else a.year_by_tense(c, lambda d, t: R.period_year(q, 4, d, t))
    return Norm("DATE", f"{R.year4(y)}-Q{q}", anchor)


def normalise_qshort(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "Q3", "Q3 2009" and "Q3 '09"."""
    q = int(g["q"] or 1)
    if g["y"]:
        y = int(g["y"] or 0) + (2000 if len(g["y"] or "") == 2 else 0)
        a.explicit(c, y)
        return Norm("DATE", f"{R.year4(y)}-Q{q}")
    y, anchor = a.year_by_tense(c, lambda d, t: R.period_year(q, 4, d, t))
    return Norm("DATE", f"{R.year4(y)}-Q{q}", anchor)


def normalise_half(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the first half (of 2009 / of this year)"."""
    h = 1 if (g["h"] or "").lower() in ("first", "1st") else 2
    ref = a.yearref(c, g)
    y, anchor = ref if ref else a.year_by_tense(c, lambda d, t: R.period_year(h, 2, d, t))
    return Norm("DATE", f"{R.year4(y)}-H{h}", anchor)


def normalise_season(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "(the) spring (of 2009 / of next year)"."""
    code = W.SEASONS[(g["s"] or "").lower()]
    ref = a.yearref(c, g)
    y, anchor = ref if ref else a.year_by_tense(c, lambda d, t: R.season_year(code, d, t))
    return Norm("DATE", f"{R.year4(y)}-{code}", anchor)


def normalise_holiday(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "Christmas (2008)", "Thanksgiving", "New Year's Eve"; without a year, by tense."""
    name = re.sub(r"\s+", " ", (g["hol"] or "").lower()).replace("’", "'")
    if g["y"]:
        y = int(g["y"] or 0)
        a.explicit(c, y)
        return Norm("DATE", R.holiday_date(name, y).isoformat())
    anchor = a.year_anchor(c)
    if anchor:
        return Norm("DATE", R.holiday_date(name, anchor[0]).isoformat(), anchor[1])
    dct = a.need_dct()
    days = [R.holiday_date(name, y) for y in (dct.year - 1, dct.year, dct.year + 1) if 1 <= y <= 9999]
    d = R.pick(days, dct, a.tense(c))
    if d is None:
        raise NoAnchor("has no occurrence on the side of the publication date its tense points to")
    return Norm("DATE", d.isoformat(), "published")
