"""TIMEX3 date values on the calendar: which days a value such as ``2025-Q3`` names.

A TIMEX3 ``DATE`` value (TimeML) names a calendar period at its own
granularity, by ISO-style digits:

==================  ===============================================================
``2025-03-01``      a day (a clock time may follow: ``2025-03-01T15:00``)
``2025-W05-3``      a day by ISO week and weekday (1 = Monday ... 7 = Sunday)
``2025-W05``        an ISO week, Monday to Sunday; ``2025-W05-WE`` its weekend
``2025-03``         a month
``2025-Q3``         a quarter (July to September)
``2025-H2``         a half year (July to December)
``2025-SU``         a season: ``SP`` spring, ``SU`` summer, ``FA`` / ``AU`` autumn
                    (March-May, June-August, September-November) and ``WI``
                    winter, which starts in December of the value's year and ends
                    in the next February
``2025``            a year; ``FY2025`` a fiscal year, placed on the calendar year
``202``             a decade (2020-2029)
``20``              a century (2000-2099)
==================  ===============================================================

``read_date_value`` reads one into a ``DateValue`` whose ``first`` and
``last`` give the days it covers. Values that name no period of the calendar
(durations ``P2W``, sets, ``PRESENT_REF``, ``XXXX-...``) read as None. This
module imports nothing of ours: the time stage anchors on these periods, and
the story places timeline items on them.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["SEASON_MONTHS", "DateValue", "read_date_value"]

#: Season code -> its three months, in the order they come; a month below the first falls in the next
#: year (winter: December of the value's year, then January and February).
SEASON_MONTHS: dict[str, tuple[int, int, int]] = {
    "SP": (3, 4, 5),
    "SU": (6, 7, 8),
    "FA": (9, 10, 11),
    "AU": (9, 10, 11),
    "WI": (12, 1, 2),
}

# ``\d`` (not ASCII only) as the readers this one replaced had it: ``int`` reads any decimal digit.
_DATE_VALUE = re.compile(
    r"FY(?P<fiscal>\d{4})"
    r"|(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?|-W(?P<week>\d{2})(?:-(?P<weekday>WE|[1-7]))?"
    r"|-Q(?P<quarter>[1-4])|-H(?P<half>[12])|-(?P<season>SP|SU|FA|AU|WI))?(?P<time>T.*)?"
    r"|(?P<decade>\d{3})"
    r"|(?P<century>\d{2})"
)


@dataclass(frozen=True, slots=True)
class DateValue:
    """A TIMEX3 date value read into its parts; ``first`` and ``last`` place it on the calendar.

    ``unit`` is one of ``day``, ``weekday`` (a day given by ISO week and
    weekday), ``week``, ``weekend``, ``month``, ``quarter``, ``half``,
    ``season``, ``year``, ``fiscal year``, ``decade`` or ``century``. ``year``
    is the first year the value covers (``202`` -> 2020, ``20`` -> 2000);
    ``number`` is the month, ISO week, quarter or half (0 for the others);
    ``day`` is the day of the month, or the weekday (1-7) of a ``weekday``;
    ``season`` is the season code; ``timed`` says a clock time (``T...``)
    follows the value's digits.
    """

    unit: str
    year: int
    number: int = 0
    day: int = 0
    season: str = ""
    timed: bool = False

    def first(self) -> date:
        """Return the first day of the period.

        Raises:
            ValueError: the value names no real day (``2025-02-30``, ``2025-W53``, year 0).
            OverflowError: the day of a week value lies past the calendar's end.
        """
        y = self.year
        if self.unit == "day":
            return date(y, self.number, self.day)
        if self.unit in ("weekday", "week", "weekend"):
            offset = {"weekday": self.day - 1, "week": 0, "weekend": 5}[self.unit]
            return date.fromisocalendar(y, self.number, 1) + timedelta(days=offset)
        if self.unit == "month":
            return date(y, self.number, 1)
        if self.unit == "quarter":
            return date(y, 3 * self.number - 2, 1)
        if self.unit == "half":
            return date(y, 1 if self.number == 1 else 7, 1)
        if self.unit == "season":
            return date(y, SEASON_MONTHS[self.season][0], 1)
        return date(y, 1, 1)  # year, fiscal year, decade, century

    def last(self) -> date:
        """Return the last day of the period (the same day for the day forms).

        Raises:
            ValueError: the period names no real day or ends after year 9999.
            OverflowError: a week value ends past the calendar's end.
        """
        y = self.year
        if self.unit in ("day", "weekday"):
            return self.first()
        if self.unit in ("week", "weekend"):
            return date.fromisocalendar(y, self.number, 1) + timedelta(days=6)
        if self.unit == "month":
            return _month_end(y, self.number)
        if self.unit == "quarter":
            return _month_end(y, 3 * self.number)
        if self.unit == "half":
            return _month_end(y, 6 if self.number == 1 else 12)
        if self.unit == "season":
            months = SEASON_MONTHS[self.season]
            return _month_end(y + (months[-1] < months[0]), months[-1])
        span = {"decade": 9, "century": 99}.get(self.unit, 0)
        return date(y + span, 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def read_date_value(value: str) -> DateValue | None:
    """Read a TIMEX3 date value (the whole string, as the table in the module docstring has them).

    Args:
        value: The value, with no surrounding space.

    Returns:
        Its parts, or None when it is no date value of the table (durations,
        sets, ``PRESENT_REF``, ``XXXX-...``; a time after a fiscal year, a
        decade or a century). Whether a time may follow a week or a season is
        the caller's to decide (``DateValue.timed``). The parts are not checked
        against the calendar: ``first`` and ``last`` raise on ``2025-02-30``.
    """
    m = _DATE_VALUE.fullmatch(value)
    if m is None:
        return None
    if m["fiscal"]:
        return DateValue("fiscal year", int(m["fiscal"]))
    if m["decade"]:
        return DateValue("decade", int(m["decade"]) * 10)
    if m["century"]:
        return DateValue("century", int(m["century"]) * 100)
    year, timed = int(m["year"]), m["time"] is not None
    if m["day"]:
        return DateValue("day", year, int(m["month"]), int(m["day"]), timed=timed)
    if m["month"]:
        return DateValue("month", year, int(m["month"]), timed=timed)
    if m["week"]:
        wd = m["weekday"]
        if wd is None:
            return DateValue("week", year, int(m["week"]), timed=timed)
        if wd == "WE":
            return DateValue("weekend", year, int(m["week"]), timed=timed)
        return DateValue("weekday", year, int(m["week"]), int(wd), timed=timed)
    if m["quarter"]:
        return DateValue("quarter", year, int(m["quarter"]), timed=timed)
    if m["half"]:
        return DateValue("half", year, int(m["half"]), timed=timed)
    if m["season"]:
        return DateValue("season", year, season=m["season"], timed=timed)
    return DateValue("year", year, timed=timed)
