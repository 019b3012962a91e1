"""The progress bar of `extract` and `ingest`: on stderr, with rate and ETA, only when asked or watched.

The bar goes to standard error only, so standard output (JSONL) is never
touched. It is on when stderr is a terminal, off otherwise; ``--progress``
and ``--no-progress`` decide instead. Its total (for the ETA) is counted in a
background thread (``storyline.text.count_inputs``: files, JSONL lines,
WARC pages, nothing extracted), so the run does not wait for the count; until
the count is known, and for stdin, the bar shows the count and rate alone.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

import click

from storyline.text import count_inputs


class Progress:
    """Advance a tqdm bar per input; print other stderr lines above it. A no-op when disabled."""

    def __init__(self, enabled: bool, paths: Iterable[str] = (), *, desc: str = "") -> None:
        self.bar: Any = None
        self.counter: threading.Thread | None = None
        self.failed = 0
        if not enabled:
            return
        from tqdm import tqdm

        self.bar = tqdm(total=None, desc=desc or None, unit=" articles", file=sys.stderr, dynamic_ncols=True,
                        mininterval=0.5, smoothing=0.1)
        self.counter = threading.Thread(target=self._count, args=(list(paths),), name="storyline-progress-count",
                                        daemon=True)
        self.counter.start()

    def _count(self, paths: list[str]) -> None:
        try:
            total = count_inputs(paths)
        except Exception:  # a bar without a total is still a bar; the run itself reports any input problem
            return
        bar = self.bar
        if total is not None and bar is not None:
            bar.total = total

    def advance(self, n: int = 1, *, failed: bool = False) -> None:
        """Count ``n`` more inputs done (processed or skipped); ``failed`` when one of them failed."""
        if self.bar is None:
            return
        if failed:
            self.failed += 1
            self.bar.set_postfix_str(f"{self.failed} failed", refresh=False)
        self.bar.update(n)

    def done(self) -> None:
        """Every input is done: end the bar at 100 %, whatever the count guessed (blank JSONL lines, ...)."""
        if self.bar is not None:
            self.bar.total = self.bar.n
            self.bar.refresh()

    def echo(self, message: str) -> None:
        """Write a line to stderr without breaking the bar."""
        if self.bar is None:
            click.echo(message, err=True)
        else:
            self.bar.write(message, file=sys.stderr)

    def close(self) -> None:
        """Draw the bar's last state and leave it; later stderr lines go below it."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def progress_enabled(flag: bool | None) -> bool:
    """``--progress``/``--no-progress`` when given, else whether stderr is a terminal."""
    if flag is not None:
        return flag
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def closing_iterator(records: Iterable[object]) -> Iterator[None]:
    """Close a record generator on the way out, so a run that stops early (``--strict``, Ctrl-C) stops its workers."""
    try:
        yield
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
