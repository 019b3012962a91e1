"""Resume an interrupted `storyline extract -o OUT.jsonl`: what OUT already holds.

``read_finished`` reads the records an earlier run wrote to a JSONL output,
dropping a torn last line (a run killed mid-write leaves one); ``skip_finished``
then lets through only the inputs that are not there yet, so appending their
records gives the file an uninterrupted run would have written. Records are
read as plain data; their offsets (half-open character offsets into each
record's ``text``) are neither used nor changed.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from storyline.errors import RESUME_BAD_OUTPUT, ResumeError
from storyline.model import Article, ErrorRecord

__all__ = ["Finished", "read_finished", "skip_finished"]

@dataclass(frozen=True, slots=True)
class Finished:
    """The records an earlier run wrote to a JSONL output.

    Attributes:
        ids: how many records of each ``doc_id`` the file holds.
        failed: the ``doc_id`` of each error record in it.
        dropped: bytes of a torn last line removed from the file (0 when none).
    """

    ids: Counter[str]
    failed: frozenset[str]
    dropped: int

    @property
    def count(self) -> int:
        """How many records the file holds."""
        return sum(self.ids.values())


def read_finished(path: str | os.PathLike[str]) -> Finished:
    """Read the doc_ids of an earlier run's JSONL output, dropping a torn last line.

    `storyline extract` writes each record as one line ending in a newline and
    flushes it, so the only damage a killed run can leave is a last line with
    no newline: it is cut off the file (truncated in place) and its input is
    processed again. A missing file holds nothing.

    Args:
        path: the ``-o`` file of the earlier run.

    Returns:
        The ids found, the error records among them, the bytes dropped.

    Raises:
        ResumeError: (SL131) when a complete line is not a JSON record with a
            ``doc_id``: the file was not written by `storyline extract`, or was
            edited; nothing is changed then.
    """
    ids: Counter[str] = Counter()
    failed: set[str] = set()
    kept = 0
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return Finished(ids, frozenset(), 0)
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            if not raw.endswith(b"\n"):
                break  # the torn last line of a killed run
            kept += len(raw)
            if not raw.strip():
                continue
            doc_id, is_error = _parse(raw, path, lineno)
            ids[doc_id] += 1
            if is_error:
                failed.add(doc_id)
        size = handle.seek(0, os.SEEK_END)
    if size > kept:
        os.truncate(path, kept)
    return Finished(ids, frozenset(failed), size - kept)


def _parse(raw: bytes, path: str | os.PathLike[str], lineno: int) -> tuple[str, bool]:
    """The doc_id of one output line, and whether it is an error record."""
    try:
        data = json.loads(raw)
    except ValueError as exc:  # JSONDecodeError, and UnicodeDecodeError for bytes that are not UTF-8
        problem = f"not valid JSON ({exc})"
    else:
        if isinstance(data, dict) and isinstance(data.get("doc_id"), str):
            return data["doc_id"], "error" in data
        problem = "a JSON value without a string \"doc_id\""
    raise ResumeError(
        f"{os.fspath(path)}, line {lineno}: {problem}, so it is not a record `storyline extract` wrote; "
        f"--resume only appends to such a file: fix or remove that line, or give another -o file",
        code=RESUME_BAD_OUTPUT,
    )


def skip_finished(
    items: Iterable[Article | ErrorRecord], finished: Finished, skipped: list[str]
) -> Iterator[Article | ErrorRecord]:
    """Pass on the inputs whose records the output does not hold yet.

    Each record in the output stands for one input of its ``doc_id``: with two
    inputs of the same id and one record, only the first input is skipped, so
    the resumed file is the one an uninterrupted run writes.

    Args:
        items: articles and ingest error records, in input order.
        finished: what ``read_finished`` found.
        skipped: receives the doc_id of each input let out, as it goes by.

    Yields:
        The inputs still to process, in input order.
    """
    left = Counter(finished.ids)
    for item in items:
        if left[item.doc_id] > 0:
            left[item.doc_id] -= 1
            skipped.append(item.doc_id)
            continue
        yield item
