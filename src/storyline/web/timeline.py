"""Lay out an entity's timeline as SVG geometry: an axis, dated items, an undated lane.

Pure functions over plain data, so the layout is tested without a server. The
template draws what :func:`layout_timeline` returns; every string in the result
is still raw text and is escaped by the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storyline.story.events import date_range

WIDTH = 960
LEFT = 24
RIGHT = 24
AXIS_Y = 44
ROW_TOP = 76
ROW_HEIGHT = 30
LANE_GAP = 30
POINT_RADIUS = 7
CHAR_WIDTH = 6.6  # an estimate for 12px sans-serif, enough to keep labels apart
LABEL_MAX = 42
MIN_BAR = 10.0

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class _Scale:
    lo: date
    hi: date
    left: float
    right: float

    def x(self, day: date) -> float:
        span = max((self.hi - self.lo).days, 1)
        return round(self.left + (day - self.lo).days / span * (self.right - self.left), 1)


def layout_timeline(items: list[dict[str, Any]], *, width: int = WIDTH) -> dict[str, Any]:
    """Place timeline items on a date axis; return the geometry the template draws.

    Args:
        items: ``storyline.story.timeline`` items (``kind``, ``predicate``,
            ``date``, ``range`` [start, end] as ISO dates or None,
            ``approximate``, ``undated``, ``agent``, ``patients``,
            ``sources``...). An item without a usable range goes to the
            undated lane, in the order given (the story's order).
        width: the SVG width in pixels.

    Returns:
        ``{"width", "height", "axis_y", "ticks", "dated", "undated",
        "undated_y", "span"}``. Each dated entry has ``x1``/``x2`` (equal for a
        point), ``y``, ``bar`` (drawn as a range), ``label``, ``label_x``,
        ``anchor`` and the original ``item``; they come in date order.
    """
    dated: list[tuple[date, date, dict[str, Any]]] = []
    undated: list[dict[str, Any]] = []
    for item in items:
        span = _item_range(item)
        if span is None:
            undated.append(item)
        else:
            dated.append((span[0], span[1], item))
    dated.sort(key=lambda t: (t[0], t[1], str(t[2].get("predicate") or "")))

    right_edge = width - RIGHT
    placed: list[dict[str, Any]] = []
    ticks: list[dict[str, Any]] = []
    rows_end: list[float] = []
    span_text = ""
    if dated:
        lo = min(t[0] for t in dated)
        hi = max(t[1] for t in dated)
        pad = max(timedelta(days=15), (hi - lo) * 0.05)
        scale = _Scale(lo - pad, hi + pad, LEFT, right_edge)
        ticks = _ticks(scale)
        span_text = f"{lo.isoformat()} to {hi.isoformat()}" if lo != hi else lo.isoformat()
        for order, (start, end, item) in enumerate(dated):
            bar = start != end or bool(item.get("approximate"))
            x1 = scale.x(start)
            x2 = max(scale.x(end + timedelta(days=1)), x1 + MIN_BAR) if bar else x1
            if bar and start == end:  # an approximate day: a short bar centred on it
                x1, x2 = x1 - MIN_BAR / 2, x1 + MIN_BAR / 2
            label = _label(item)
            label_w = len(label) * CHAR_WIDTH
            gap = 6 if bar else 6 + POINT_RADIUS  # a point is drawn around x1, a bar from x1 to x2
            if x2 + gap + label_w <= right_edge:
                anchor, label_x, extent = "start", x2 + gap, (x1 - gap, x2 + gap + label_w)
            else:
                anchor, label_x, extent = "end", x1 - gap, (x1 - gap - label_w, x2 + gap)
            row = _free_row(rows_end, extent)
            placed.append(
                {
                    "order": order,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "x1": round(x1, 1),
                    "x2": round(x2, 1),
                    "xc": round((x1 + x2) / 2, 1),
                    "y": ROW_TOP + row * ROW_HEIGHT,
                    "bar": bar,
                    "label": label,
                    "label_x": round(label_x, 1),
                    "anchor": anchor,
                    "item": item,
                }
            )
    dated_bottom = ROW_TOP + max(len(rows_end), 1) * ROW_HEIGHT
    undated_y = dated_bottom + LANE_GAP
    lane = _undated_lane(undated, undated_y + 38, width)
    height = (lane[-1]["y"] + ROW_HEIGHT if lane else undated_y + 40) + 10
    return {
        "width": width,
        "height": int(height),
        "axis_y": AXIS_Y,
        "point_radius": POINT_RADIUS,
        "axis_x1": LEFT,
        "axis_x2": right_edge,
        "ticks": ticks,
        "dated": placed,
        "dated_bottom": dated_bottom,
        "undated": lane,
        "undated_y": undated_y,
        "span": span_text,
    }


def _item_range(item: dict[str, Any]) -> tuple[date, date] | None:
    """The item's [start, end] days: its ``range`` as the story computed it, else read from ``date``."""
    if item.get("undated"):
        return None
    rng = item.get("range")
    if rng and rng[0]:
        try:
            start = date.fromisoformat(str(rng[0]))
            end = date.fromisoformat(str(rng[1] or rng[0]))
        except ValueError:
            return None
        return start, max(start, end)
    return date_range(item.get("date"), bool(item.get("approximate")))


def _label(item: dict[str, Any]) -> str:
    if item.get("kind") == "quote":
        label = f"{item.get('agent') or 'unknown speaker'}: \u201c{item.get('evidence') or ''}\u201d"
    else:
        patients = ", ".join(item.get("patients") or [])
        words = [str(item.get("agent") or ""), str(item.get("predicate") or "event"), patients]
        label = " ".join(w for w in words if w)
    if item.get("approximate"):
        label = "~ " + label
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _free_row(rows_end: list[float], extent: tuple[float, float]) -> int:
    """The first row whose last label ends before this one starts (a new row when none)."""
    for row, end in enumerate(rows_end):
        if end + 10 <= extent[0]:
            rows_end[row] = extent[1]
            return row
    rows_end.append(extent[1])
    return len(rows_end) - 1


def _undated_lane(items: list[dict[str, Any]], top: float, width: int) -> list[dict[str, Any]]:
    """Chips in reading order, wrapping onto new rows at the right edge."""
    out: list[dict[str, Any]] = []
    x, y = float(LEFT), top
    for order, item in enumerate(items):
        label = _label(item)
        w = len(label) * CHAR_WIDTH + 20
        if x + w > width - RIGHT and x > LEFT:
            x, y = float(LEFT), y + ROW_HEIGHT
        out.append({"order": order, "x": round(x, 1), "y": y, "w": round(w, 1), "label": label, "item": item})
        x += w + 8
    return out


def _ticks(scale: _Scale) -> list[dict[str, Any]]:
    """Ticks at whole years, months or days, about eight of them, labelled to match."""
    days = (scale.hi - scale.lo).days
    out: list[dict[str, Any]] = []
    if days > 3 * 365:
        step = max(1, round(days / 365 / 8))
        for year in range(scale.lo.year + 1, scale.hi.year + 1):
            if year % step == 0:
                out.append(_tick(scale, date(year, 1, 1), str(year)))
    elif days > 60:
        step = next(s for s in (1, 2, 3, 6, 12) if days / 30 / s <= 10)
        year, month = scale.lo.year, scale.lo.month
        while True:
            month += 1
            if month > 12:
                year, month = year + 1, 1
            day = date(year, month, 1)
            if day > scale.hi:
                break
            if (month - 1) % step == 0:
                text = str(year) if month == 1 else f"{_MONTHS[month - 1]} {year}"
                out.append(_tick(scale, day, text))
    else:
        step = next(s for s in (1, 2, 7, 14) if days / s <= 10)
        day = scale.lo + timedelta(days=1)
        while day <= scale.hi:
            if (day - scale.lo).days % step == 0:
                out.append(_tick(scale, day, f"{day.day} {_MONTHS[day.month - 1]} {day.year}"))
            day += timedelta(days=1)
    return out


def _tick(scale: _Scale, day: date, label: str) -> dict[str, Any]:
    return {"x": scale.x(day), "label": label, "date": day.isoformat()}
