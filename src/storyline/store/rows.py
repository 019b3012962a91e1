"""Rows as plain dicts: the one way the store's read functions hand back query results.

A ``Row`` maps each result column's name to its SQLite value (``str``,
``int``, ``float``, ``bytes`` or ``None``). It works on any connection,
whatever its ``row_factory`` (a ``Store``'s ``sqlite3.Row``, datasette's plain
tuples), so the same functions serve the command line and the web pages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

__all__ = ["Row", "fetch_rows", "fetch_value"]

#: One result row: column name -> SQLite value.
Row = dict[str, Any]


def fetch_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    """Run one query and return its rows as dicts, in the order SQLite gives them.

    Args:
        conn: an open connection (any ``row_factory``).
        sql: one statement, with ``?`` (or ``?NNN``) parameters.
        params: the parameters' values.

    Returns:
        One dict per row; a column name used twice keeps the last value.
    """
    cursor = conn.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def fetch_value(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    """Run one query and return the first column of its first row (None when there is no row)."""
    row = conn.execute(sql, tuple(params)).fetchone()
    return None if row is None else row[0]
