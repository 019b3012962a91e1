"""Normalisers of lengths of time and of repetitions: durations ("two weeks") and sets ("every year").

A duration is a TIMEX3 DURATION (``P2W``, ``PT3H``, ``PXY`` when the count
is vague); with a direction it is a DATE instead: "two weeks ago" is the week
two weeks before publication, "three days later" counts from the previous
date. A repetition is a SET (``P1Y`` for "every year" and "annually",
``XXXX-WXX-1`` for "every Monday"). Each function is the normaliser of the
``grammar.PATTERNS`` kind its name ends in (see ``timexes.NORMALISERS``).
"""

from __future__ import annotations

import re

from storyline.stages.time import resolve as R
from storyline.stages.time import words as W
from storyline.stages.time.anchors import Anchors, Candidate, Groups, Norm

_QUANTITY = re.compile(r"(?:\d|million\b|billion\b|thousand\b|hundred\b|dozen\b|times\b|once\b|twice\b)", re.IGNORECASE)


def normalise_dur(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "two weeks", "the next four years" (DURATION), "two days ago" (DATE) and "$5 billion a year" (SET)."""
    n = R.number_value(g["n"] or "")
    unit = R.unit_of(g["u"] or "")
    if g["dir"]:
        return _shifted(a, c, n, unit, re.sub(r"\s+", " ", (g["dir"] or "").lower()))
    words = (g["n"] or "").lower()
    if words in ("a", "an") and not g["r"] and _QUANTITY.search(a.text[max(0, c.start - 25):c.start]
                                                                .split(",")[-1].split(".")[-1] or "-"):
        return Norm("SET", R.duration_value(1, unit))  # "15 a year", "$5 billion a year"
    return Norm("DURATION", R.duration_value(n, unit))


def _shifted(a: Anchors, c: Candidate, n: float | None, unit: str, direction: str) -> Norm:
    """Resolve "N units ago / earlier / later / from now" to the date at the unit's granularity (no N: *_REF)."""
    back = direction in ("ago", "earlier")
    if n is None:
        return Norm("DATE", "PAST_REF" if back else "FUTURE_REF")
    base, anchor = a.base(c, direction in ("earlier", "later"), "day" if W.UNITS[unit][2] else unit)
    if not float(n).is_integer() and unit in ("year", "decade", "century"):
        n, unit = n * W.UNITS[unit][1] * 12, "month"
    d = R.shift(base, -n if back else n, unit)
    clock = W.UNITS.get(unit, ("", 1, False))[2]
    return Norm("DATE", R.value_at(d, "day" if clock else unit), anchor)


def normalise_range(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise the first count of "two to three years" as a DURATION of the shared unit (``P2Y``)."""
    return Norm("DURATION", R.duration_value(R.number_value(g["n"] or ""), R.unit_of(g["u"] or "")))


def normalise_vague(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "years" / "for months" (``PXY``, ``PXM``) and "years ago" (PAST_REF)."""
    if g["dir"]:
        return Norm("DATE", "PAST_REF" if (g["dir"] or "").lower() in ("ago", "earlier") else "FUTURE_REF")
    return Norm("DURATION", R.duration_value(None, R.unit_of(g["u"] or "")))


def normalise_adjdur(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "a 27-year career", "a half-hour": a DURATION."""
    n = 0.5 if (g["n"] or "").lower() == "half" else R.number_value(g["n"] or "")
    return Norm("DURATION", R.duration_value(n, R.unit_of(g["u"] or "")))


def normalise_set(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "every year", "every other week", "each Monday", "per annum", "every summer": a SET."""
    u = (g["u"] or "").lower()
    word = (g["n"] or "").lower()
    n = 2 if word == "other" else (R.number_value(word) if word else 1) or 1
    stem = u[:-1] if u.endswith("s") and u[:-1] in W.WEEKDAYS | W.SEASONS | W.PARTS_OF_DAY else u
    if stem in W.WEEKDAYS:
        return Norm("SET", f"XXXX-WXX-{W.WEEKDAYS[stem] + 1}")
    if stem in W.SEASONS:
        return Norm("SET", f"XXXX-{W.SEASONS[stem]}")
    if stem in W.PARTS_OF_DAY:
        return Norm("SET", f"XXXX-XX-XXT{W.PARTS_OF_DAY[stem]}")
    if stem.startswith("weekend"):
        return Norm("SET", "XXXX-WXX-WE")
    return Norm("SET", R.duration_value(n, "year" if u == "annum" else R.unit_of(u)))


def normalise_freq(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "twice a year", "three times a week": a SET of the period (``P1Y``, ``P1W``)."""
    return Norm("SET", R.duration_value(1, R.unit_of(g["u"] or "")))


def normalise_setword(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "annually", "weekly", "quarterly": a SET (``words.SET_WORDS``)."""
    return Norm("SET", W.SET_WORDS[g["w"] or ""])
