"""TIMEX3 date values on the calendar (``storyline.timevalues``) and the two readings built on it.

``resolve.date_of_value`` (the time stage anchors on the first day and unit)
and ``story.events.date_range`` (the timeline places an item on its first and
last day) read values with the one parser; each keeps its own answers for the
odd forms, pinned here. None of this needs the model.
"""

from __future__ import annotations

from datetime import date

import pytest

from storyline.stages.time.resolve import date_of_value
from storyline.story.events import date_range
from storyline.timevalues import SEASON_MONTHS, read_date_value


@pytest.mark.parametrize(
    ("value", "first", "last", "unit"),
    [
        ("2025-03-01", "2025-03-01", "2025-03-01", "day"),
        ("2025-03-01T15:00", "2025-03-01", "2025-03-01", "day"),
        ("2025-W05-3", "2025-01-29", "2025-01-29", "weekday"),
        ("2025-W05", "2025-01-27", "2025-02-02", "week"),
        ("2025-W05-WE", "2025-02-01", "2025-02-02", "weekend"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2025-Q3", "2025-07-01", "2025-09-30", "quarter"),
        ("2025-H2", "2025-07-01", "2025-12-31", "half"),
        ("2025-AU", "2025-09-01", "2025-11-30", "season"),
        ("2025-WI", "2025-12-01", "2026-02-28", "season"),
        ("2025", "2025-01-01", "2025-12-31", "year"),
        ("FY2025", "2025-01-01", "2025-12-31", "fiscal year"),
        ("202", "2020-01-01", "2029-12-31", "decade"),
        ("20", "2000-01-01", "2099-12-31", "century"),
    ],
)
def test_read_date_value(value: str, first: str, last: str, unit: str) -> None:
    read = read_date_value(value)
    assert read is not None and read.unit == unit
    assert (read.first().isoformat(), read.last().isoformat()) == (first, last)


@pytest.mark.parametrize("value", ["", "P2W", "PRESENT_REF", "XXXX-WXX-1", "2025-W05-8", "FY2025T10", " 2025", "2025-SP-1"])
def test_read_date_value_of_non_dates(value: str) -> None:
    assert read_date_value(value) is None


def test_impossible_dates_raise_only_when_placed() -> None:
    read = read_date_value("2025-02-30")
    assert read is not None
    with pytest.raises(ValueError):
        read.first()


def test_winter_runs_from_december_into_the_next_year() -> None:
    assert SEASON_MONTHS["WI"] == (12, 1, 2) and SEASON_MONTHS["AU"] == SEASON_MONTHS["FA"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01T15:00", (date(2025, 3, 1), "day")),
        ("2025-W05", (date(2025, 1, 27), "week")),
        ("2025-03", (date(2025, 3, 1), "month")),
        ("2025-03T10:00", (date(2025, 3, 1), "month")),  # a time is ignored after any of these
        ("2025-Q3", (date(2025, 7, 1), "quarter")),
        ("2025-H2", (date(2025, 7, 1), "year")),  # a half year anchors as a year
        ("2025", (date(2025, 1, 1), "year")),
        ("2025-SU", None),  # seasons, fiscal years, decades and centuries anchor nothing
        ("FY2025", None),
        ("202", None),
        ("2025-W05-WE", None),
        ("2025-W53", None),
        (None, None),
    ],
)
def test_date_of_value(value: str | None, expected: tuple[date, str] | None) -> None:
    assert date_of_value(value) == expected


@pytest.mark.parametrize("value", ["2025-03T10:00", "2025-W05T10", "2025T10:00", "2025-SUT10"])
def test_date_range_takes_a_time_after_a_day_only(value: str) -> None:
    assert date_range(value) is None
