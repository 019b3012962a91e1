"""Items by half-open character range, and the ones that overlap a range: ``Ranges``."""

from __future__ import annotations

import bisect
from typing import Generic, TypeVar

_T = TypeVar("_T")


class Ranges(Generic[_T]):
    """Items by character range: the ones that overlap a range, found without scanning them all."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._items: list[tuple[int, int, _T]] = []
        self._longest = 0

    def add(self, start: int, end: int, item: _T) -> None:
        """Add an item over the half-open character range ``[start, end)``."""
        at = bisect.bisect_right(self._starts, start)
        self._starts.insert(at, start)
        self._items.insert(at, (start, end, item))
        self._longest = max(self._longest, end - start)

    def overlapping(self, start: int, end: int) -> list[_T]:
        """Return the items whose range overlaps ``[start, end)``, by start."""
        lo = bisect.bisect_left(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        return [item for s, e, item in self._items[lo:hi] if e > start]
