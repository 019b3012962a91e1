"""The same pipeline on a Dask cluster: inputs in partitions, one shard of records per partition.

``plan_partitions`` splits the inputs without reading any article: a
directory becomes its files (in the order ``read_inputs`` reads them), a JSONL
file longer than a partition becomes line ranges (found by counting newlines,
a block at a time), and a partition is a list of such pieces, about
``shard_size`` articles. Only the pieces travel to the workers; each worker
reads its own pieces (``read_inputs``, or ``read_jsonl`` over one line range),
runs ``pipeline.process_batch`` with the model its ``ModelPlugin`` loaded once,
and writes ``part-NNNNN.jsonl`` (one record or error record a line, exactly as
``storyline extract`` writes them) and/or ``part-NNNNN.parquet`` (one row a
record) into the output directory. So the client never holds the articles'
texts, and the inputs and the output directory must be reachable at the same
paths from every worker (a shared filesystem, or one machine); paths are made
absolute for that, and records name their input by its absolute path.

Records keep the pipeline's offsets: half-open character offsets into each
record's ``text``. The concatenation of the shards, in their numbering, is the
output of ``storyline extract`` over the same inputs, in the same order.

Nothing is dropped: an input that cannot be read or processed is an error
record in its shard, as with ``storyline extract``; a partition whose task
fails as a whole (its worker died every time the scheduler retried it) gets a
shard written by the client with one SL154 error record per piece.

Tasks run in worker threads, so the per-article time budget
(``STORYLINE_TIME_BUDGET``, a ``SIGALRM`` timer) does not apply on a cluster.
A manifest, ``_storyline.json``, is written last: it lists the shards and
their counts, and ``storyline ingest OUTDIR`` reads it to store the records
without extracting them again (``read_shards``).
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import (
    DASK_BAD_INPUT,
    DASK_CONNECT_FAILED,
    DASK_MISSING,
    DASK_PARTITION_FAILED,
    INPUT_UNREADABLE,
    SHARDS_OUTDIR_TAKEN,
    DistributedError,
)
from storyline.model import ErrorRecord
from storyline.nlp.load import load_model
from storyline.pipeline import process_batch, warm_up
from storyline.run.shards import MANIFEST, SHARD_FORMATS, ShardWriter, write_manifest
from storyline.text import read_inputs
from storyline.text.common import check_date
from storyline.text.files import STDIN, doc_id_of, format_of, is_gzip, walk_folder
from storyline.text.jsonl import read_jsonl

try:
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # a dependency; without it, --dask says so (SL152) when it is used
    _WorkerPlugin = object  # type: ignore[misc,assignment]

__all__ = [
    "DEFAULT_SHARD_SIZE",
    "DEFAULT_WORKERS",
    "ModelPlugin",
    "Partition",
    "Piece",
    "RunSummary",
    "ShardResult",
    "connect",
    "extract_to_shards",
    "plan_partitions",
    "run_partition",
]

#: Articles per partition (and so per shard) when neither ``shard_size`` nor ``partitions`` is given.
DEFAULT_SHARD_SIZE = 200
#: Worker processes of ``--dask local``.
DEFAULT_WORKERS = 2
_BLOCK = 1 << 20
_STAGE = "distributed"


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of one input: a whole file (``stop`` None), or lines ``[start, stop)`` of a JSONL file.

    ``path`` is absolute (what a worker opens, and what records name);
    ``offset`` and ``end`` are the byte range of the lines, for a line range.
    """

    path: str
    start: int = 0
    stop: int | None = None
    offset: int = 0
    end: int | None = None

    @property
    def label(self) -> str:
        """``path``, or ``path, lines A-B`` (1-based, inclusive) for a line range."""
        return self.path if self.stop is None else f"{self.path}, lines {self.start + 1}-{self.stop}"


@dataclass(frozen=True, slots=True)
class Partition:
    """The pieces of one shard, in input order; ``index`` numbers the shard (``part-00000``)."""

    index: int
    pieces: tuple[Piece, ...]

    @property
    def name(self) -> str:
        """The shard's file name without its ending: ``part-00000``."""
        return f"part-{self.index:05d}"


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What one partition gave: the files written, the counts, and its error records (small)."""

    index: int
    files: tuple[str, ...]
    ok: int
    failed: int
    errors: tuple[ErrorRecord, ...] = ()
    seconds: float = 0.0


@dataclass(slots=True)
class RunSummary:
    """The counts of a run over all its shards."""

    outdir: str
    shards: list[ShardResult] = field(default_factory=list)
    workers: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> int:
        """Records written."""
        return sum(s.ok for s in self.shards)

    @property
    def failed(self) -> int:
        """Error records written."""
        return sum(s.failed for s in self.shards)


# --- planning, on the client ------------------------------------------------------------------------------------------

def plan_partitions(
    paths: Iterable[str | os.PathLike[str]], *, shard_size: int | None = None, partitions: int | None = None
) -> list[Partition]:
    """Split the inputs into partitions of about ``shard_size`` articles, reading no article.

    Args:
        paths: files and directories, as for ``read_inputs`` (not ``-``: a
            worker cannot read this process's standard input).
        shard_size: articles per partition (``DEFAULT_SHARD_SIZE`` when
            neither this nor ``partitions`` is given). A JSONL file with more
            lines is cut into line ranges; a WARC or gzipped file is one piece
            however many articles it holds.
        partitions: instead of ``shard_size``: about this many partitions
            (the articles are counted first, newlines only).

    Returns:
        The partitions, in input order, numbered from 0.

    Raises:
        DistributedError: (SL155) for ``-``, or a size below 1.
    """
    names = [os.fspath(p) for p in paths]
    if STDIN in names:
        raise DistributedError(
            "`-` (standard input) cannot be sent to a Dask cluster: workers read their inputs themselves; "
            "write it to a file and give that, or run without --dask",
            code=DASK_BAD_INPUT,
        )
    if (shard_size is not None and shard_size < 1) or (partitions is not None and partitions < 1):
        raise DistributedError(f"the shard size and the number of partitions must be at least 1 "
                               f"(got {shard_size}, {partitions})", code=DASK_BAD_INPUT)
    files = _input_files(names)
    if shard_size is None:
        if partitions is not None:
            total = sum(_count_lines(f)[0] if _splittable(f) else 1 for f in files)
            shard_size = max(1, math.ceil(total / partitions))
        else:
            shard_size = DEFAULT_SHARD_SIZE
    out: list[Partition] = []
    current: list[Piece] = []
    count = 0
    for file in files:
        for piece, size in _pieces(file, shard_size):
            if current and count + size > shard_size:
                out.append(Partition(len(out), tuple(current)))
                current, count = [], 0
            current.append(piece)
            count += size
    if current:
        out.append(Partition(len(out), tuple(current)))
    return out


def _input_files(names: list[str]) -> list[str]:
    """Every file ``read_inputs`` would read, absolute, in its order; a missing path or empty folder as it is."""
    files: list[str] = []
    for name in names:
        path = Path(os.path.abspath(name))
        if path.is_dir():
            # an empty folder is kept as a piece: the worker's read_inputs turns it into its SL103 record
            files.extend([str(f) for f in walk_folder(path)] or [str(path)])
        else:
            files.append(str(path))  # a missing file is read (and reported, SL101) by the worker
    return files


def _splittable(path: str) -> bool:
    """A plain JSONL file that exists: it can be cut into line ranges."""
    p = Path(path)
    return p.is_file() and not is_gzip(p) and format_of(p) == "jsonl" and p.suffix.lower() == ".jsonl"


def _pieces(path: str, shard_size: int) -> Iterator[tuple[Piece, int]]:
    """The pieces of one file and the articles each holds (about)."""
    if not _splittable(path):
        yield Piece(path), 1
        return
    lines, starts = _count_lines(path, every=shard_size)
    if lines <= shard_size:
        yield Piece(path), max(lines, 1)
        return
    bounds = [*starts, os.path.getsize(path)]
    for k in range(len(starts)):
        start = k * shard_size
        stop = min(start + shard_size, lines)
        yield Piece(path, start, stop, bounds[k], bounds[k + 1]), stop - start


def _count_lines(path: str, every: int | None = None) -> tuple[int, list[int]]:
    """Count the lines of a file as ``read_jsonl`` numbers them; with ``every``, find where lines 1, 1+every, ... start.

    A block at a time: no line is ever held whole.
    """
    lines = 0
    starts = [0]
    pos = 0
    last = b"\n"
    size = os.path.getsize(path)
    with open(path, "rb") as stream:
        while block := stream.read(_BLOCK):
            newlines = block.count(b"\n")
            if every is not None and (lines + newlines) // every > lines // every:
                at = -1
                for _ in range(newlines):  # only in the blocks where a piece starts
                    at = block.index(b"\n", at + 1)
                    lines += 1
                    if lines % every == 0 and pos + at + 1 < size:
                        starts.append(pos + at + 1)
            else:
                lines += newlines
            pos += len(block)
            last = block[-1:]
    total = lines + (pos > 0 and last != b"\n")
    return total, starts


# --- on a worker ------------------------------------------------------------------------------------------------------

def _read_piece(piece: Piece, published: str | None) -> Iterator[Any]:
    """The articles and error records of one piece, read on the worker."""
    if piece.stop is None:
        yield from read_inputs([piece.path], published=published)
        return
    assert piece.end is not None
    try:
        with open(piece.path, "rb") as stream:
            stream.seek(piece.offset)
            data = stream.read(piece.end - piece.offset)
    except OSError as exc:  # gone or unreadable since it was planned
        yield ErrorRecord(
            f"{Path(piece.path).stem}:{piece.start + 1}-{piece.stop}", "ingest", INPUT_UNREADABLE,
            f"{piece.label}: cannot be read ({exc.strerror or exc}); check the file and its permissions",
            {"path": piece.path, "format": "jsonl", "lines": [piece.start + 1, piece.stop]},
        )
        return
    yield from read_jsonl(data, path=piece.path, published=published, line_offset=piece.start)


def run_partition(
    partition: Partition,
    outdir: str,
    *,
    shard_format: str = "jsonl",
    published: str | None = None,
    time_budget: float | None = None,
) -> ShardResult:
    """Read, extract and write one partition's shard (runs on a worker; also callable in-process).

    Args:
        partition: its pieces; their paths must be readable here.
        outdir: the output directory (it must exist).
        shard_format: ``jsonl``, ``parquet`` or ``both``.
        published: an ISO date that overrides every input's own date.
        time_budget: seconds per article; None (the default on a cluster,
            where tasks run in threads and no ``SIGALRM`` timer can be set).

    Returns:
        The files written (names in ``outdir``), the counts and the error records.
    """
    began = time.perf_counter()
    nlp = load_model()  # ModelPlugin loaded it when the worker started: cached per process
    items = (item for piece in partition.pieces for item in _read_piece(piece, published))
    writer = ShardWriter(Path(outdir), partition.name, shard_format)
    ok = failed = 0
    errors: list[ErrorRecord] = []
    with writer:
        for record in process_batch(items, nlp=nlp, time_budget=time_budget):
            writer.write(record)
            if isinstance(record, ErrorRecord):
                failed += 1
                errors.append(record)
            else:
                ok += 1
    return ShardResult(partition.index, writer.files, ok, failed, tuple(errors), time.perf_counter() - began)


# --- the cluster ------------------------------------------------------------------------------------------------------

def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DistributedError(
            "--dask needs dask.distributed, which is not installed; `pip install 'dask[distributed]'` "
            "(`make setup` installs it), or run without --dask",
            code=DASK_MISSING,
        ) from exc
    return distributed


class ModelPlugin(_WorkerPlugin):
    """Load the spaCy model once per worker process, when the worker starts (or joins the cluster)."""

    name = "storyline-model"

    def setup(self, worker: Any) -> None:
        """Load the model; ``nlp.load_model`` keeps it for every task of this process."""
        warm_up(load_model())


@contextlib.contextmanager
def connect(address: str, *, workers: int = DEFAULT_WORKERS, timeout: float = 30.0) -> Iterator[Any]:
    """A ``distributed.Client``, with the model loaded on every worker (``ModelPlugin``).

    Args:
        address: ``local`` for a ``LocalCluster`` on this machine
            (``workers`` processes, one thread each), or a scheduler address
            such as ``tcp://10.0.0.5:8786`` whose workers have storyline and
            its model installed.
        workers: the processes of a local cluster (ignored otherwise).
        timeout: seconds to wait for the scheduler, and for a local cluster's workers.

    Yields:
        The client; the local cluster is closed on exit.

    Raises:
        DistributedError: SL152 when dask.distributed is not installed, SL153
            when the scheduler cannot be reached.
    """
    distributed = _distributed()
    stack = contextlib.ExitStack()
    with stack:
        if address == "local":
            import logging

            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                silence_logs=logging.ERROR,
            ))
            client = stack.enter_context(distributed.Client(cluster, timeout=timeout))
            client.wait_for_workers(workers, timeout=timeout)
        else:
            try:
                client = stack.enter_context(distributed.Client(address, timeout=timeout))
            except (OSError, TimeoutError, ValueError) as exc:
                raise DistributedError(
                    f"cannot reach a Dask scheduler at {address!r} ({type(exc).__name__}: {exc}); start one with "
                    f"`dask scheduler` and workers with `dask worker {address}` (storyline installed on each), "
                    f"or use --dask local",
                    code=DASK_CONNECT_FAILED,
                ) from exc
        plugin = ModelPlugin()
        # register_plugin is the newer name (2023.9.2 on); the older one still works with warnings before that
        register = getattr(client, "register_plugin", None) or client.register_worker_plugin
        register(plugin)
        yield client


def _prepare_outdir(outdir: str, overwrite: bool) -> Path:
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise DistributedError(f"{outdir} is a file; --dask writes a directory of shards, give a new directory "
                               f"with -o, e.g. -o out/", code=SHARDS_OUTDIR_TAKEN)
    out.mkdir(parents=True, exist_ok=True)
    taken = sorted(p.name for p in out.iterdir() if p.name == MANIFEST or p.name.startswith(("part-", ".part-")))
    if taken and not overwrite:
        raise DistributedError(
            f"{outdir} already holds shards ({', '.join(taken[:3])}{', ...' if len(taken) > 3 else ''}); give "
            f"another directory with -o, or remove them first",
            code=SHARDS_OUTDIR_TAKEN,
        )
    for name in taken:
        (out / name).unlink()
    return out


def extract_to_shards(
    paths: Iterable[str | os.PathLike[str]],
    outdir: str,
    *,
    client: Any,
    shard_size: int | None = None,
    partitions: int | None = None,
    shard_format: str = "jsonl",
    published: str | None = None,
    overwrite: bool = False,
    on_shard: Callable[[ShardResult], None] | None = None,
) -> RunSummary:
    """Extract the inputs on a Dask cluster, one shard per partition, and write the manifest.

    Args:
        paths: files and directories (see ``plan_partitions``).
        outdir: the output directory, created when absent; it must not
            hold shards yet unless ``overwrite``.
        client: a ``distributed.Client`` (see ``connect``).
        shard_size: articles per partition.
        partitions: about this many partitions, instead of ``shard_size``.
        shard_format: ``jsonl``, ``parquet`` or ``both``.
        published: an ISO date that overrides every input's own date.
        overwrite: remove the shards ``outdir`` holds first.
        on_shard: called with each shard's result as it is written (in
            the order they finish).

    Returns:
        The counts per shard, in shard order.

    Raises:
        DistributedError: SL151 when ``outdir`` holds shards, SL155 for ``-``,
            SL152 when parquet is asked for without pyarrow.
        InputError: (SL108) when ``published`` is not an ISO date.
    """
    if published is not None:
        published = check_date(published, "published date")
    if shard_format not in (*SHARD_FORMATS, "both"):
        raise DistributedError(f"--shard-format must be jsonl, parquet or both, not {shard_format!r}",
                               code=DASK_BAD_INPUT)
    if shard_format != "jsonl":
        ShardWriter.check_format(shard_format)
    plan = plan_partitions(paths, shard_size=shard_size, partitions=partitions)
    out = _prepare_outdir(outdir, overwrite)
    began = time.perf_counter()
    distributed = _distributed()
    futures = client.map(run_partition, plan, outdir=str(out.resolve()), shard_format=shard_format,
                         published=published, pure=False)
    by_index = {f.key: p for f, p in zip(futures, plan, strict=True)}
    results: dict[int, ShardResult] = {}
    for future in distributed.as_completed(futures):
        partition = by_index[future.key]
        try:
            result = future.result()
        except Exception as exc:
            try:
                result = _failed_partition(partition, out, shard_format, exc)
            except OSError as write_exc:
                raise DistributedError(
                    f"{partition.name} failed ({type(exc).__name__}: {exc}) and its error records could not be "
                    f"written to {out} either ({write_exc}); check that the directory is writable (from every "
                    f"worker too)",
                    code=DASK_PARTITION_FAILED,
                ) from exc
        results[result.index] = result
        if on_shard is not None:
            on_shard(result)
    summary = RunSummary(str(out), [results[p.index] for p in plan], len(client.scheduler_info()["workers"]),
                         time.perf_counter() - began)
    _write_manifest(out, plan, summary, shard_format)
    return summary


def _failed_partition(partition: Partition, out: Path, shard_format: str, exc: BaseException) -> ShardResult:
    """Write the shard of a partition whose task failed: one SL154 error record per piece, so nothing is lost."""
    errors = tuple(
        ErrorRecord(
            doc_id_of(Path(piece.path)) if piece.stop is None
            else f"{Path(piece.path).stem}:{piece.start + 1}-{piece.stop}",
            _STAGE,
            DASK_PARTITION_FAILED,
            f"{piece.label}: the cluster could not process this input ({type(exc).__name__}: {exc}); none of its "
            f"articles has a record; run it again alone, e.g. `storyline extract {piece.path}`, to see why",
            {"path": piece.path, **({"lines": [piece.start + 1, piece.stop]} if piece.stop is not None else {})},
        )
        for piece in partition.pieces
    )
    writer = ShardWriter(out, partition.name, shard_format)
    with writer:
        for error in errors:
            writer.write(error)
    return ShardResult(partition.index, writer.files, 0, len(errors), errors)


def _write_manifest(out: Path, plan: list[Partition], summary: RunSummary, shard_format: str) -> None:
    write_manifest(out, {
        "format": shard_format,
        "ok": summary.ok,
        "failed": summary.failed,
        "workers": summary.workers,
        "seconds": round(summary.seconds, 3),
        "shards": [
            {"name": p.name, "files": list(r.files), "ok": r.ok, "failed": r.failed,
             "inputs": [piece.path if piece.stop is None
                        else {"path": piece.path, "lines": [piece.start + 1, piece.stop]} for piece in p.pieces]}
            for p, r in zip(plan, summary.shards, strict=True)
        ],
    })
