"""Shards: the files ``storyline extract --dask`` writes, and reading them back without extracting again.

A directory of shards holds ``part-NNNNN.jsonl`` (one record or error record
a line, exactly as ``storyline extract`` writes them) and/or
``part-NNNNN.parquet`` (one row a record: ``doc_id``, ``ok``, the error's
code and stage, ``published``, ``title``, ``path``, a few counts, and the
record's JSON line in ``record_json``), and, written last, the manifest
``_storyline.json`` (the shards, their inputs and counts). Each shard file is
written under a temporary name and renamed once complete, so one that exists
is whole. ``read_shards`` gives the records back (``storyline ingest DIR``
stores them); offsets are as extraction wrote them, half-open character
offsets into each record's ``text``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.errors import DASK_MISSING, SHARD_BAD_RECORD, ShardError
from storyline.model import SCHEMA, ErrorRecord, Record, record_from_dict

__all__ = [
    "MANIFEST",
    "MANIFEST_KIND",
    "PARQUET_COLUMNS",
    "SHARD_FORMATS",
    "ShardWriter",
    "is_shards",
    "read_shards",
    "write_manifest",
]

#: The file that lists the shards of an output directory; written last.
MANIFEST = "_storyline.json"
#: What ``extract_to_shards`` writes: one or both of these.
SHARD_FORMATS = ("jsonl", "parquet")
#: The manifest's ``kind``, which tells it from any other JSON file.
MANIFEST_KIND = "storyline-shards"


class ShardWriter:
    """Writes one shard's files under temporary names and renames them when complete.

    A shard file that exists is therefore whole: a worker that dies leaves
    only a ``.tmp`` file behind, which ``read_shards`` never reads.
    """

    def __init__(self, outdir: Path, name: str, shard_format: str) -> None:
        self.outdir = outdir
        self.name = name
        self.formats = self.check_format(shard_format)
        self.jsonl: Any = None
        self.rows: list[dict[str, Any]] = []
        self.files: tuple[str, ...] = ()

    @staticmethod
    def check_format(shard_format: str) -> tuple[str, ...]:
        """The formats ``shard_format`` names: ``jsonl``, ``parquet``, or ``both`` of them.

        Raises:
            ValueError: for any other name.
            ShardError: (SL152) for parquet when pyarrow is not installed.
        """
        formats = SHARD_FORMATS if shard_format == "both" else (shard_format,)
        if any(f not in SHARD_FORMATS for f in formats):
            raise ValueError(f"shard_format must be jsonl, parquet or both, not {shard_format!r}")
        if "parquet" in formats:
            _pyarrow()
        return formats

    def __enter__(self) -> ShardWriter:
        if "jsonl" in self.formats:
            self.jsonl = open(self._tmp("jsonl"), "w", encoding="utf-8")  # closed in __exit__
        return self

    def _tmp(self, ext: str) -> Path:
        return self.outdir / f".{self.name}.{ext}.tmp"

    def write(self, record: Record | ErrorRecord) -> None:
        """Add one record to the shard (a JSONL line, and a Parquet row when asked for)."""
        data = record.to_dict()
        line = json.dumps(data, ensure_ascii=False)
        if self.jsonl is not None:
            self.jsonl.write(line + "\n")
        if "parquet" in self.formats:
            self.rows.append(_parquet_row(record, line))

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.jsonl is not None:
            self.jsonl.close()
        if exc_type is not None:
            for ext in self.formats:
                with contextlib.suppress(OSError):
                    self._tmp(ext).unlink()
            return
        try:
            if "parquet" in self.formats:
                _write_parquet(self.rows, self._tmp("parquet"))
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        files = []
        for ext in self.formats:
            final = self.outdir / f"{self.name}.{ext}"
            os.replace(self._tmp(ext), final)
            files.append(final.name)
        self.files = tuple(files)


#: The columns of a parquet shard, in order, and their arrow types.
PARQUET_COLUMNS = (
    ("doc_id", "string"),
    ("ok", "bool"),
    ("error_code", "string"),
    ("error_stage", "string"),
    ("published", "string"),
    ("title", "string"),
    ("path", "string"),
    ("chars", "int64"),
    ("entities", "int64"),
    ("quotes", "int64"),
    ("events", "int64"),
    ("timexes", "int64"),
    ("warnings", "int64"),
    ("record_json", "string"),
)


def _parquet_row(record: Record | ErrorRecord, line: str) -> dict[str, Any]:
    path = record.source.get("path")
    row: dict[str, Any] = {"doc_id": record.doc_id, "path": None if path is None else str(path), "record_json": line}
    if isinstance(record, ErrorRecord):
        row.update(ok=False, error_code=record.code, error_stage=record.stage)
        return row
    row.update(
        ok=True, published=record.published, title=record.title, chars=len(record.text),
        entities=len(record.entities), quotes=len(record.quotes), events=len(record.events),
        timexes=len(record.timexes), warnings=len(record.warnings),
    )
    return row


def _write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    pa, pq = _pyarrow()
    types = {"string": pa.string(), "bool": pa.bool_(), "int64": pa.int64()}
    schema = pa.schema([(name, types[kind]) for name, kind in PARQUET_COLUMNS])
    columns = {name: [row.get(name) for row in rows] for name, _ in PARQUET_COLUMNS}
    pq.write_table(pa.table(columns, schema=schema), str(path))


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ShardError(
            "parquet shards need pyarrow, which is not installed; `pip install pyarrow`, or use "
            "--shard-format jsonl",
            code=DASK_MISSING,
        ) from exc
    return pa, pq


def write_manifest(outdir: Path, manifest: dict[str, Any]) -> None:
    """Write ``_storyline.json`` (``kind`` and ``schema`` added) under a temporary name, then rename it."""
    data = {"kind": MANIFEST_KIND, "schema": SCHEMA, **manifest}
    tmp = outdir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, outdir / MANIFEST)


# --- reading shards back ----------------------------------------------------------------------------------------------

def _shard_files(folder: Path) -> list[Path]:
    """The shard files to read, in shard order: ``part-*.jsonl``, or ``part-*.parquet`` for shards without one.

    ``folder`` may also be one shard file: then it alone.
    """
    if folder.is_file():
        return [folder]
    jsonl = {p.name[: -len(".jsonl")]: p for p in folder.glob("part-*.jsonl")}
    parquet = {p.name[: -len(".parquet")]: p for p in folder.glob("part-*.parquet")}
    return [jsonl.get(name) or parquet[name] for name in sorted({*jsonl, *parquet})]


def is_shards(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` holds shards (``storyline extract --dask``), not articles.

    True for a directory with the manifest ``_storyline.json``, or with
    ``part-*.jsonl`` / ``part-*.parquet`` files whose first record is a
    storyline/1 record, and for one such ``part-*`` file on its own.
    """
    folder = Path(path)
    if folder.is_file():
        return _SHARD_NAME.fullmatch(folder.name) is not None and _starts_with_record(folder)
    if not folder.is_dir():
        return False
    manifest = folder / MANIFEST
    if manifest.is_file():
        with contextlib.suppress(OSError, ValueError):
            return bool(_field(json.loads(manifest.read_text(encoding="utf-8")), "kind") == MANIFEST_KIND)
    return any(_starts_with_record(shard) for shard in _shard_files(folder)[:1])


_SHARD_NAME = re.compile(r"part-\d+\.(?:jsonl|parquet)")


def _starts_with_record(shard: Path) -> bool:
    # a shard that cannot be read says nothing either way: it is then read as articles
    with contextlib.suppress(Exception):
        first = next(_shard_lines(shard), None)
        return first is not None and bool(_field(json.loads(first[1]), "schema") == SCHEMA)
    return False


def _field(data: Any, name: str) -> Any:
    return data.get(name) if isinstance(data, dict) else None


def _shard_lines(shard: Path) -> Iterator[tuple[int, str]]:
    """(line or row number, the record's JSON) of one shard file."""
    if shard.suffix == ".parquet":
        _pa, pq = _pyarrow()
        table = pq.ParquetFile(str(shard))
        n = 0
        for batch in table.iter_batches(columns=["record_json"], batch_size=256):
            for value in batch.column(0).to_pylist():
                n += 1
                yield n, value
        return
    with shard.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, start=1):
            if line.strip():
                yield n, line


def read_shards(path: str | os.PathLike[str]) -> Iterator[Record | ErrorRecord]:
    """Read back the records of a directory of shards, in shard order, without extracting anything.

    Args:
        path: a directory written by ``extract_to_shards`` (``storyline
            extract --dask ... -o DIR``): its ``part-*.jsonl`` files, or its
            ``part-*.parquet`` files for shards without a JSONL file; or one
            of those files.

    Yields:
        The ``Record`` (offsets index its ``text``, half-open) or
        ``ErrorRecord`` of each line, as extraction gave them. A line that is
        not a storyline/1 record becomes an SL156 error record naming the
        shard and the line; the rest is still read.
    """
    folder = Path(path)
    for shard in _shard_files(folder):
        for n, raw in _shard_lines(shard):
            try:
                yield record_from_dict(json.loads(raw))
            except ValueError as exc:  # JSONDecodeError too
                yield ErrorRecord(
                    f"{shard.stem}:{n}",
                    "ingest",
                    SHARD_BAD_RECORD,
                    f"{shard}, {'row' if shard.suffix == '.parquet' else 'line'} {n}: not a storyline record "
                    f"({exc}); the shard was edited or cut short: extract its inputs again",
                    {"path": str(shard), "line": n},
                )
