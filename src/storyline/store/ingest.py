"""Store a stream of records with counts, and skip the inputs a store already holds.

What ``storyline ingest`` does between extraction and linking, without the
printing: ``store_records`` stores each record in its own transaction
(``Store.ingest``) and counts the outcomes; a record that cannot be written
becomes an error record, so one bad article never loses the others.
``skip_stored`` lets ``--resume`` leave out, before extraction, the inputs
stored with the same text. Records are stored as they are: their offsets
stay half-open character offsets into each record's ``text``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from storyline.errors import StoreError
from storyline.model import Article, ErrorRecord, Record, sha256_of
from storyline.store.db import Store

__all__ = ["OUTCOMES", "IngestCounts", "Outcome", "Stored", "skip_stored", "store_one", "store_records"]

#: What can become of one record, in the order ``storyline ingest`` reports them.
Outcome = Literal["added", "unchanged", "replaced", "failed"]
OUTCOMES: tuple[Outcome, ...] = ("added", "unchanged", "replaced", "failed")


@dataclass(frozen=True, slots=True)
class Stored:
    """What became of one record.

    Attributes:
        outcome: ``added``, ``unchanged`` or ``replaced`` (``Store.ingest``),
            or ``failed``.
        error: for ``failed``: the error record stored in its place (the
            input's own, or one for a record the store could not write).
        not_stored: for ``failed``: why even the error record could not be
            stored (an id that is not valid Unicode), else None.
    """

    outcome: Outcome
    error: ErrorRecord | None = None
    not_stored: StoreError | None = None


@dataclass(slots=True)
class IngestCounts:
    """The outcomes of ``store_records``.

    Attributes:
        counts: how many records had each outcome (every one of ``OUTCOMES``
            is present, 0 when none).
        stopped: the error record a strict run stopped at, else None.
    """

    counts: Counter[str] = field(default_factory=lambda: Counter({outcome: 0 for outcome in OUTCOMES}))
    stopped: ErrorRecord | None = None


def store_one(store: Store, record: Record | ErrorRecord) -> Stored:
    """Store one record, or one error record, and say what became of it.

    A record the store refuses (``StoreError``) is stored as an error record
    instead, so the failure is kept with the others.

    Args:
        store: a writable store.
        record: an extracted record, or the error record of a failed input.

    Returns:
        The outcome; for a failure, the error record stored.
    """
    if isinstance(record, Record):
        try:
            return Stored(store.ingest(record))
        except StoreError as exc:
            # One article that cannot be written must not lose the others.
            record = ErrorRecord(record.doc_id, exc.stage, exc.code, exc.message, dict(record.source))
    try:
        store.ingest(record)
    except StoreError as exc:
        return Stored("failed", record, exc)
    return Stored("failed", record)


def store_records(
    store: Store,
    records: Iterable[Record | ErrorRecord],
    *,
    strict: bool = False,
    each: Callable[[Stored], object] | None = None,
) -> IngestCounts:
    """Store each record as it comes, one transaction per record, and count the outcomes.

    Args:
        store: a writable store.
        records: records and error records, in input order.
        strict: stop at the first failure (its error record is stored first).
        each: called with each record's outcome once it is stored (a
            progress bar, a line per failure).

    Returns:
        The counts, and the error record a strict run stopped at.
    """
    result = IngestCounts()
    for record in records:
        stored = store_one(store, record)
        result.counts[stored.outcome] += 1
        if each is not None:
            each(stored)
        if stored.error is not None and strict:
            result.stopped = stored.error
            break
    return result


def skip_stored(
    store: Store, items: Iterable[Article | ErrorRecord], skipped: Counter[str]
) -> Iterator[Article | ErrorRecord]:
    """Pass on the inputs still to do; count in ``skipped["skipped"]`` those stored with the same text.

    An input with a stored error row is passed on even when its article is
    stored: the run that failed on it would have been retried by an
    uninterrupted run too. Error records from reading pass on as they are.

    Args:
        store: the store a stopped run was writing.
        items: the inputs, in input order.
        skipped: counts each input left out, as it goes by.

    Yields:
        The inputs to extract, in input order.
    """
    for item in items:
        if isinstance(item, Article) and store.has(item.doc_id, sha256_of(item)) and store.error(item.doc_id) is None:
            skipped["skipped"] += 1
            continue
        yield item
