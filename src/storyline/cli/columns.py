"""Text columns for the tables the commands print: cells clipped to a width, rows aligned.

Shared by the record tables (``storyline extract --format table``) and the
story tables (``storyline entities|profile|timeline|quotes``). The two were
written apart and differ in two details that their output keeps: the story
tables leave a space before the ``…`` of a clipped cell and strip trailing
spaces from each row; the record tables do neither. Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["align", "clip"]

_SPACES = re.compile(r"\s+")


def clip(text: str | None, width: int, *, trim: bool = True) -> str:
    """Collapse whitespace (line breaks included) and cut to ``width`` characters, ending in ``…``.

    Args:
        text: the cell's text (None is empty).
        width: the most characters kept, ``…`` included.
        trim: drop the spaces the cut leaves before the ``…`` (the record tables).

    Returns:
        The text on one line, at most ``width`` characters long.
    """
    flat = _SPACES.sub(" ", text or "").strip()
    if len(flat) <= width:
        return flat
    kept = flat[: width - 1]
    return (kept.rstrip() if trim else kept) + "…"


def align(rows: Sequence[Sequence[str]], indent: str = "", *, strip: bool = True) -> list[str]:
    """Pad every column but the last to its widest cell; the last column is left ragged.

    Args:
        rows: the header and the rows, each with as many cells as the first.
        indent: put before every line.
        strip: drop trailing spaces from every line (the story tables).

    Returns:
        One line per row, columns two spaces apart.
    """
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        indent + "  ".join(cell.ljust(widths[i]) if i < len(row) - 1 else cell for i, cell in enumerate(row))
        for row in rows
    ]
    return [line.rstrip() for line in lines] if strip else lines
