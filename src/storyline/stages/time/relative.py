"""Normalisers of expressions that count from another date: "last week", "yesterday", "on Friday", "3 p.m.".

They resolve against the publication date, or ("the previous month", "that
evening", "the day before") against the latest earlier date in the text
(``Anchors.base``); ``anchor`` says which. "Now", "recently" and "the future"
are the fixed PRESENT_REF / PAST_REF / FUTURE_REF values. Each function is
the normaliser of the ``grammar.PATTERNS`` kind its name ends in (see
``timexes.NORMALISERS``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from storyline.stages.time import resolve as R
from storyline.stages.time import words as W
from storyline.stages.time.anchors import Anchors, Candidate, Groups, NoAnchor, Norm

_DEICTIC_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
                 "the day after tomorrow": 2}


def _words(s: str | None) -> str:
    """Lowered, with each run of spaces made one space."""
    return re.sub(r"\s+", " ", (s or "").lower())


def normalise_rel(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "last week", "next year", "this spring", "the following month"; "the past year" is a DURATION."""
    r = _words(g["r"])
    unit = (g["u"] or "").lower()
    k = W.REL_STEPS[r]
    if r == "past" and unit in W.UNITS and a.text[c.start:c.end].lower().startswith("the"):
        return Norm("DURATION", R.duration_value(1, unit))
    base, anchor = a.base(c, r in ("previous", "following", "same"), "year" if unit in W.SEASONS else unit)
    if unit in W.SEASONS:
        return Norm("DATE", f"{R.year4(base.year + k)}-{W.SEASONS[unit]}", anchor)
    if unit in ("week", "weekend"):
        return Norm("DATE", R.value_at(base + timedelta(days=7 * k), unit), anchor)
    return Norm("DATE", R.value_at(R.shift(base, k, unit), unit), anchor)


def normalise_post(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the day before", "the year after": one unit from the previous date."""
    k = -1 if (g["r"] or "").lower() in ("previous", "before", "earlier", "prior") else 1
    unit = (g["u"] or "").lower()
    base, anchor = a.base(c, True, unit)
    return Norm("DATE", R.value_at(R.shift(base, k, unit), unit), anchor)


def normalise_same(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the same quarter a year ago": the previous date's period (or the DCT's month), a year back."""
    unit = (g["u"] or "").lower()
    want = None if unit in ("period", "time") else unit
    last = a.last_date(c, want)
    if last:
        base, unit, anchor = last[0], last[1], last[2]
    else:
        base, anchor = a.need_dct(), "published"
        unit = "month" if want is None else unit
    return Norm("DATE", R.value_at(R.shift(base, -1, "year"), unit), anchor)


def normalise_position(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the end of the year", "the rest of the month": the DCT's period, approximate but for "the rest"."""
    c.approx = (g["pos"] or "").lower() not in ("rest", "remainder")
    value = R.value_at(a.need_dct(), (g["u"] or "").lower())
    return Norm("DATE", "FY" + value if g["fin"] and value.isdigit() else value, "published")


def normalise_whole(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "the whole year": the period of the previous date, or of the DCT."""
    base, anchor = a.base(c, True, (g["u"] or "").lower())
    return Norm("DATE", R.value_at(base, (g["u"] or "").lower()), anchor)


def normalise_deictic(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "today", "yesterday", "tomorrow morning", "tonight"; "today's economy" is PRESENT_REF."""
    w = _words(g["w"])
    if g["poss"] and w == "today" and not g["el"] and not g["p"]:
        return Norm("DATE", "PRESENT_REF")  # "today's economy": the present, not the day
    step = _DEICTIC_DAYS[w]
    d = a.need_dct() + timedelta(days=step)
    part = W.PARTS_OF_DAY.get((g["p"] or "").lower()) or ("NI" if w == "tonight" else None)
    if part:
        return Norm("TIME", f"{d.isoformat()}T{part}", "published")
    return Norm("DATE", d.isoformat(), "published")


def normalise_part(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "this morning", "last night" (the DCT's day or the one before) and "that evening" (the previous date's)."""
    w = _words(g["w"])
    if w in ("that", "the same"):
        base, anchor = a.base(c, True)
    else:
        base, anchor = a.need_dct() - timedelta(days=1 if w == "last" else 0), "published"
    return Norm("TIME", f"{base.isoformat()}T{W.PARTS_OF_DAY[(g['p'] or '').lower()]}", anchor)


def normalise_weekday(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "Friday", "last Friday", "next Monday morning"; without a DCT, from the previous day's date."""
    wd = W.WEEKDAYS[(g["wd"] or "").lower().rstrip(".")]
    rel = _words(g["r"]) or None
    rel = {"this past": "last", "this coming": "next"}.get(rel or "", rel)
    if a.dct is None and a.last_date(c, "day"):
        base, _, anchor = a.last_date(c, "day") or (date.min, "", "")
    else:
        base, anchor = a.need_dct(), "published"
    d = R.weekday_date(wd, base, a.tense(c), rel)
    part = W.PARTS_OF_DAY.get((g["p"] or "").lower())
    return Norm("TIME", f"{d.isoformat()}T{part}", anchor) if part else Norm("DATE", d.isoformat(), anchor)


def normalise_time(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "3 p.m.", "15:30 GMT", "noon (on Friday)": a TIME on the day it belongs to."""
    if g["nm"]:
        hh, mm = (0, 0) if (g["nm"] or "").lower() == "midnight" else (12, 0)
    elif g["ap"]:
        hh, mm = int(g["H"] or 0) % 12 + (12 if (g["ap"] or "").lower().startswith("p") else 0), int(g["M"] or 0)
    else:
        hh, mm = int(g["H2"] or 0), int(g["M2"] or 0)
    zone = R.zone_suffix(g["z"] or g["z2"], g["off"] or g["off2"])
    day, anchor = _day_for_time(a, c, g["day"])
    return Norm("TIME", f"{day.isoformat()}T{hh:02d}:{mm:02d}{zone}", anchor)


def _day_for_time(a: Anchors, c: Candidate, word: str | None) -> tuple[date, str]:
    """The date a clock time belongs to: its own day word, the nearest day in its sentence, or the DCT."""
    if word:
        w = word.lower()
        if w in W.WEEKDAYS:
            return R.weekday_date(W.WEEKDAYS[w], a.need_dct(), a.tense(c), None), "published"
        return a.need_dct() + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(w, 0)), "published"
    sent = a.sentence(c.start)
    near = [(abs(s - c.start), d, tid) for s, d, u, tid, sn in a.dates if sn == sent and u == "day"]
    if near:
        _, d, tid = min(near)
        return d, tid
    if a.dct is None:
        raise NoAnchor("has no date to attach to (no date in its sentence, no publication date)")
    return a.dct, "published"


def normalise_ref(a: Anchors, c: Candidate, g: Groups) -> Norm:
    """Normalise "now", "recently", "the future" to PRESENT_REF, PAST_REF, FUTURE_REF."""
    return Norm("DATE", W.REF_WORDS[_words(g["w"])])
