"""The batch pipeline over several worker processes, in input order, with memory bounded.

``process_parallel`` keeps the contract of ``pipeline.process_batch``: one
``Record`` or ``ErrorRecord`` per input item, in input order; error records
from ingest pass through; each article runs under the same time budget
(``STORYLINE_TIME_BUDGET``), now inside its worker; an article that crashes
becomes an error record and the batch goes on. Offsets are unchanged: every
span is a half-open character offset into its record's ``text``.

How it works:

- Workers are started with ``spawn`` (a fresh interpreter: no threads, open
  SQLite handles or signal handlers inherited from the caller), each loads
  the model once (``nlp.load_model``) in its initializer, ignores SIGINT (the
  parent stops the run) and exits when the parent process dies, even by
  SIGKILL, so a killed run leaves no orphans behind.
- Items go to the workers in chunks of ``chunk_size``; at most ``window``
  chunks are in flight. Input is read only as chunks are submitted, and
  results are yielded (and dropped) in order as they come, so memory stays
  flat however long the input is. (``Pool.imap`` would not do: its feeder
  thread drains the whole input iterator at once.)
- Records cross the process boundary by pickle (the models are plain frozen
  dataclasses).
- spaCy's vocabulary grows with every new string a worker reads, so after
  ``recycle_after`` articles per worker the pool is replaced by a fresh one
  (the old workers finish their chunks first). ``ProcessPoolExecutor``'s own
  ``max_tasks_per_child`` is not used: a worker that exits at its limit with
  work still queued can leave the pool without workers, hanging the run
  (CPython gh-115634, in 3.11 until its fix).
- A worker that dies (killed, out of memory, a crash in compiled code)
  breaks the pool: it is started again, and the chunks that were lost are
  run again one article at a time, so only the article that kills its
  worker becomes an error record (SL904) and none of the others is lost.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing.context import BaseContext
from types import EllipsisType
from typing import TYPE_CHECKING, Any

from storyline.errors import STAGE_CRASHED, WORKER_DIED, StorylineError
from storyline.model import Article, ErrorRecord, Record
from storyline.nlp.load import load_model
from storyline.pipeline import process_article, process_batch, process_chunk, time_budget_from_env, warm_up

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "CHUNKS_PER_WORKER", "DEFAULT_CHUNK_SIZE", "DEFAULT_RECYCLE_AFTER", "MAX_DEATHS_IN_A_ROW", "process_parallel",
    "resolve_workers",
]

#: Items sent to a worker at a time: large enough that the pickling round trip
#: (about 1 ms an article) is noise next to extraction (100 ms or more).
DEFAULT_CHUNK_SIZE = 16
#: Chunks in flight per worker when ``window`` is not given: enough to keep
#: every worker busy while the oldest chunk is waited on, few enough that
#: memory does not depend on the length of the input.
CHUNKS_PER_WORKER = 4
#: Worker deaths in a row, with no article finished in between, that stop the
#: run: workers that cannot even start (the main module re-runs the batch
#: without an ``if __name__ == "__main__":`` guard, no memory left) would
#: otherwise turn every article into SL904, one pool restart each.
MAX_DEATHS_IN_A_ROW = 5
#: Articles per worker after which the pool is replaced by a fresh one. spaCy's
#: vocabulary keeps every new string it sees, so a worker grows slowly with
#: the text it has read (about 1 KB an article on news-like text with new
#: names: +2 % over 10,000 articles, see benchmarks/ingest_memory.py); a fresh
#: pool costs one model load per worker, and the old workers finish their
#: chunks first, so nothing is lost or reordered.
DEFAULT_RECYCLE_AFTER = 10_000

Item = Article | ErrorRecord
Outcome = Record | ErrorRecord


def resolve_workers(workers: int) -> int:
    """The number of worker processes ``workers`` asks for: 0 means one per CPU.

    Args:
        workers: a count, 1 or more, or 0 for ``os.cpu_count()``.

    Returns:
        The count, at least 1.

    Raises:
        ValueError: when ``workers`` is negative.
    """
    if workers < 0:
        raise ValueError(f"workers must be 0 (one per CPU) or more, not {workers}")
    return workers or os.cpu_count() or 1


def process_parallel(
    items: Iterable[Item],
    workers: int,
    *,
    time_budget: float | None | EllipsisType = ...,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    window: int | None = None,
    mp_context: BaseContext | None = None,
    nlp: Language | None = None,
    recycle_after: int | None = DEFAULT_RECYCLE_AFTER,
) -> Iterator[Outcome]:
    """Process articles in worker processes; yield in input order, like ``process_batch``.

    Args:
        items: articles, and error records from ingest (passed through).
        workers: worker processes; 1 runs in this process (``process_batch``),
            0 means one per CPU.
        time_budget: seconds each article may take (see
            ``pipeline.process_article``), enforced inside each worker; None
            for no limit; by default read from ``STORYLINE_TIME_BUDGET``.
        chunk_size: items sent to a worker at a time.
        window: chunks in flight at most (``CHUNKS_PER_WORKER`` per worker
            when None); articles held in memory are at most
            ``window * chunk_size`` plus their records.
        mp_context: the multiprocessing context of the workers; ``spawn``
            when None.
        nlp: a loaded pipeline, used only when ``workers`` is 1 (each worker
            loads its own).
        recycle_after: articles per worker after which the workers are
            replaced by fresh ones (memory held by the old ones is given
            back); None never replaces them.

    Yields:
        One ``Record`` (offsets are half-open character offsets into its
        ``text``) or ``ErrorRecord`` per input item, in input order. An
        article whose worker process died is an SL904 error record.

    Raises:
        StorylineError: (SL903) at once when ``STORYLINE_TIME_BUDGET`` is not
            a number; (SL201) when the workers cannot load the model.
        ValueError: when ``workers`` is negative or ``chunk_size``,
            ``window`` or ``recycle_after`` is less than 1.
    """
    budget = time_budget_from_env() if time_budget is ... else time_budget
    count = resolve_workers(workers)
    if chunk_size < 1 or (window is not None and window < 1) or (recycle_after is not None and recycle_after < 1):
        raise ValueError(f"chunk_size, window and recycle_after must be at least 1 "
                         f"(got {chunk_size}, {window}, {recycle_after})")
    if count == 1:
        return process_batch(items, nlp=nlp, time_budget=budget)
    context = mp_context or multiprocessing.get_context("spawn")
    pool_articles = recycle_after * count if recycle_after else None
    return _in_order(iter(items), (count, budget, context, pool_articles), chunk_size,
                     window or CHUNKS_PER_WORKER * count)


def _in_order(
    items: Iterator[Item], pool_args: tuple[int, float | None, BaseContext, int | None], chunk_size: int, window: int
) -> Iterator[Outcome]:
    """Keep ``window`` chunks in flight; yield their outcomes oldest chunk first."""
    pending: deque[tuple[list[Item], _Task]] = deque()
    pool = _Workers(*pool_args)  # made on the first next(), not before the caller iterates
    try:
        while True:
            while len(pending) < window and (chunk := list(islice(items, chunk_size))):
                pending.append((chunk, pool.submit(chunk)))
            if not pending:
                return
            chunk, task = pending.popleft()
            try:
                outcomes = pool.result(task)
            except _Lost:
                outcomes = pool.one_by_one(chunk)
            yield from outcomes
    finally:
        pool.shutdown()


class _Lost(Exception):
    """A chunk's result did not come back: its worker died (``broken``) or it could not be sent."""

    def __init__(self, broken: bool, detail: str) -> None:
        super().__init__(detail)
        self.broken = broken
        self.detail = detail


class _Task:
    """A submitted chunk: its future, and which start of the pool runs it."""

    __slots__ = ("future", "generation")

    def __init__(self, future: Future[Any], generation: int) -> None:
        self.future = future
        self.generation = generation


class _Workers:
    """A ``ProcessPoolExecutor`` that is started again when a worker dies, and replaced after ``recycle`` items."""

    def __init__(self, count: int, budget: float | None, context: BaseContext, recycle: int | None) -> None:
        self.count = count
        self.budget = budget
        self.context = context
        self.recycle = recycle
        self.deaths_in_a_row = 0
        self.generation = 0
        self.sent = 0  # items sent to this executor
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.count, mp_context=self.context, initializer=_init_worker, initargs=(self.budget,)
        )

    def submit(self, chunk: list[Item]) -> _Task:
        if self.recycle and self.sent >= self.recycle:
            # the old workers finish what they were sent (their futures stay valid), then exit
            self.executor.shutdown(wait=False, cancel_futures=False)
            self._fresh()
        self.sent += len(chunk)
        try:
            future = self.executor.submit(_run_chunk, chunk)
        except BrokenProcessPool as exc:  # a worker died since the last result: seen, and handled, in result()
            future = Future()
            future.set_exception(exc)
        return _Task(future, self.generation)

    def result(self, task: _Task) -> list[Outcome]:
        """The chunk's outcomes.

        Raises:
            _Lost: when they cannot be had; the pool is started again first
                when this task's worker died (once per death: the other
                tasks of a broken pool fail with it but restart nothing).
            StorylineError: when the workers could not load the model, or keep dying.
        """
        try:
            result = task.future.result()
        except BrokenProcessPool as exc:
            if task.generation == self.generation:
                self.deaths_in_a_row += 1
                self._restart()
            raise _Lost(True, str(exc)) from exc
        except Exception as exc:  # the result could not be pickled back, or the like
            raise _Lost(False, f"{type(exc).__name__}: {exc}") from exc
        if isinstance(result, _Fatal):
            raise StorylineError(result.message, code=result.code, stage=result.stage)
        self.deaths_in_a_row = 0
        outcomes: list[Outcome] = result
        return outcomes

    def one_by_one(self, chunk: list[Item]) -> list[Outcome]:
        """Run a lost chunk again, one article at a time, so only the one that kills a worker fails."""
        outcomes: list[Outcome] = []
        for item in chunk:
            if isinstance(item, ErrorRecord):
                outcomes.append(item)
                continue
            try:
                outcomes.extend(self.result(self.submit([item])))
            except _Lost as lost:
                outcomes.append(_lost_record(item, lost))
        return outcomes

    def _restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.deaths_in_a_row >= MAX_DEATHS_IN_A_ROW:
            raise StorylineError(
                f"worker processes died {self.deaths_in_a_row} times in a row without finishing an article, so "
                f"the run was stopped (the records before are kept); a script that calls process_parallel needs "
                f"an `if __name__ == \"__main__\":` guard; otherwise run with `--workers 1` to see the failure, "
                f"or give the workers more memory",
                code=WORKER_DIED,
                stage="extract",
            )
        self._fresh()

    def _fresh(self) -> None:
        self.executor = self._start()
        self.generation += 1
        self.sent = 0

    def shutdown(self) -> None:
        # Running chunks finish (each within its time budget); queued ones are dropped.
        self.executor.shutdown(wait=False, cancel_futures=True)


def _lost_record(article: Article, lost: _Lost) -> ErrorRecord:
    if lost.broken:
        return ErrorRecord(
            article.doc_id,
            "extract",
            WORKER_DIED,
            f"the worker process extracting {article.doc_id!r} ({len(article.text):,} characters) died "
            f"(killed, out of memory, or a crash in compiled code: {lost.detail}); the rest of the batch "
            f"went on; run this input alone with `--workers 1` to see the failure, or give the workers "
            f"more memory",
            dict(article.source),
        )
    return ErrorRecord(
        article.doc_id,
        "extract",
        STAGE_CRASHED,
        f"internal error: the record of {article.doc_id!r} could not be passed back from its worker "
        f"({lost.detail}); the rest of the batch went on; run this input with `--workers 1`, and please "
        f"report it",
        dict(article.source),
    )


# --- inside a worker process ------------------------------------------------------------------------------------------

class _Fatal:
    """Sent back instead of outcomes when a worker could not load the model: the whole run stops."""

    def __init__(self, code: str, stage: str, message: str) -> None:
        self.code, self.stage, self.message = code, stage, message


_nlp: Language | None = None
_budget: float | None = None
_fatal: _Fatal | None = None


def _init_worker(budget: float | None) -> None:
    """Load the model once, ignore Ctrl-C (the parent stops the run), exit when the parent dies.

    Never raises: a failing initializer would break the pool, and every
    article would then look like one that kills its worker.
    """
    global _nlp, _budget, _fatal
    _budget = budget
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    try:
        _nlp = load_model()
        warm_up(_nlp)
    except StorylineError as exc:
        _fatal = _Fatal(exc.code, exc.stage, exc.message)
    except Exception as exc:
        _fatal = _Fatal(STAGE_CRASHED, "parse", f"a worker process could not load the model "
                                                f"({type(exc).__name__}: {exc}); run with `--workers 1` to see why")


def _exit_with_parent() -> None:
    """End this worker as soon as its parent is gone (even by SIGKILL), rather than wait on a queue forever."""
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is None:
        return

    def _watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=_watch, name="storyline-parent-watch", daemon=True).start()


def _run_chunk(chunk: list[Item]) -> list[Outcome] | _Fatal:
    """Process one chunk in a worker: records in order, ingest error records as they are."""
    if _fatal is not None:
        return _fatal
    # as process_batch does in one process: the chunk's short articles parsed together (nlp.pipe)
    return process_chunk(chunk, _nlp, _budget, article=process_article)

