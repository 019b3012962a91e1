"""``storyline extract --dask``, its shards, and ``storyline ingest OUTDIR/``.

The planning, shard and record round-trip tests need no model and no
cluster. The end-to-end test starts a ``LocalCluster`` of 2 processes
(``--dask local``) over the example articles plus a folder of bad inputs,
and checks that the shards hold exactly what plain ``storyline extract``
writes (error records included), and that ingesting the shards gives the
same store as ingesting the inputs; it is marked ``model`` and ``slow`` (a
cluster start and a model load per worker, some seconds). Parquet-only
shards are written by ``run_partition`` in this process (marked ``model``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from clirun import invoke
from sample_record import full_record
from storyline.errors import DASK_BAD_INPUT, DASK_PARTITION_FAILED, SHARD_BAD_RECORD, SHARDS_OUTDIR_TAKEN, DistributedError
from storyline.model import ErrorRecord, Record, record_from_dict
from storyline.run.cluster import Piece, plan_partitions
from storyline.run.shards import MANIFEST, is_shards, read_shards
from storyline.text import read_inputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _jsonl(n: int, *, bad: frozenset[int] = frozenset(), blank: frozenset[int] = frozenset()) -> str:
    lines = []
    for i in range(1, n + 1):
        if i in blank:
            lines.append("")
        elif i in bad:
            lines.append(f'{{"id": "broken-{i}", "text": ')
        else:
            lines.append(json.dumps({"id": f"a{i}", "text": f"Story {i}. Mara Olsen said it rained on day {i}."}))
    return "\n".join(lines)


# --- planning, without a model ----------------------------------------------------------------------------------------

def test_plan_keeps_input_order_and_groups_files(tmp_path: Path) -> None:
    plan = plan_partitions([EXAMPLES], shard_size=4)
    names = [Path(piece.path).name for part in plan for piece in part.pieces]
    assert names == sorted(p.name for p in EXAMPLES.glob("*.txt"))
    assert [len(part.pieces) for part in plan] == [4, 4, 1]
    assert [part.name for part in plan] == ["part-00000", "part-00001", "part-00002"]
    assert all(Path(piece.path).is_absolute() for part in plan for piece in part.pieces)


@pytest.mark.parametrize("ending", ["\n", "", "\r\n"])
def test_jsonl_line_ranges_read_as_the_whole_file(tmp_path: Path, ending: str) -> None:
    from storyline.run.cluster import _read_piece

    text = _jsonl(11, bad=frozenset({5}), blank=frozenset({4, 9})).replace("\n", ending or "\n") + ending
    path = tmp_path / "news.jsonl"
    path.write_bytes(text.encode("utf-8"))
    plan = plan_partitions([path], shard_size=3)
    pieces = [piece for part in plan for piece in part.pieces]
    assert [(p.start, p.stop) for p in pieces] == [(0, 3), (3, 6), (6, 9), (9, 11)]
    assert all(p.offset < p.end for p in pieces if p.end is not None)
    pieced = [item for piece in pieces for item in _read_piece(piece, None)]
    assert pieced == list(read_inputs([str(path)]))


def test_plan_by_number_of_partitions(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(_jsonl(20), encoding="utf-8")
    plan = plan_partitions([path], partitions=4)
    assert [(piece.start, piece.stop) for part in plan for piece in part.pieces] == [
        (0, 5), (5, 10), (10, 15), (15, 20)]


def test_plan_refuses_stdin() -> None:
    with pytest.raises(DistributedError) as info:
        plan_partitions(["-"])
    assert info.value.code == DASK_BAD_INPUT


def test_plan_keeps_missing_and_empty_inputs(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    plan = plan_partitions([tmp_path / "missing.txt", tmp_path / "empty"])
    assert [piece.path for part in plan for piece in part.pieces] == [
        str(tmp_path / "missing.txt"), str(tmp_path / "empty")]


# --- records and shards, without a model ------------------------------------------------------------------------------

def test_record_round_trip() -> None:
    record = full_record()
    again = record_from_dict(json.loads(json.dumps(record.to_dict())))
    assert again.to_dict() == record.to_dict()
    assert isinstance(again, Record) and again.warnings == record.warnings
    error = ErrorRecord("bad", "ingest", "SL105", "broken line", {"path": "x.jsonl", "line": 3})
    assert record_from_dict(error.to_dict()) == error


@pytest.mark.parametrize("data", [{"schema": "other/1", "doc_id": "x"}, {"schema": "storyline/1"},
                                  {**full_record().to_dict(), "warnings": ["no code here"]}])
def test_record_from_dict_refuses_other_data(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        record_from_dict(data)


def test_read_shards_keeps_a_bad_line_as_an_error_record(tmp_path: Path) -> None:
    good = full_record().to_dict()
    (tmp_path / "part-00000.jsonl").write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    (tmp_path / "part-00001.jsonl").write_text(json.dumps(ErrorRecord("e", "ingest", "SL103", "empty").to_dict())
                                               + "\n", encoding="utf-8")
    (tmp_path / ".part-00002.jsonl.tmp").write_text("half a shard", encoding="utf-8")  # a worker died: never read
    assert is_shards(tmp_path)
    records = list(read_shards(tmp_path))
    assert [type(r).__name__ for r in records] == ["Record", "ErrorRecord", "ErrorRecord"]
    assert records[0].to_dict() == good
    assert isinstance(records[1], ErrorRecord) and records[1].code == SHARD_BAD_RECORD
    assert "part-00000.jsonl, line 2" in records[1].message


def test_one_shard_file_is_read_as_shards(tmp_path: Path) -> None:
    good = full_record().to_dict()
    shard = tmp_path / "part-00003.jsonl"
    shard.write_text(json.dumps(good) + "\n", encoding="utf-8")
    other = tmp_path / "records.jsonl"
    other.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert is_shards(shard) and not is_shards(other)  # only files named as extract --dask names them
    assert [r.to_dict() for r in read_shards(shard)] == [good]


def test_article_jsonl_named_like_a_shard_is_not_a_shard_dir(tmp_path: Path) -> None:
    (tmp_path / "part-00000.jsonl").write_text(_jsonl(2), encoding="utf-8")
    assert not is_shards(tmp_path)
    assert not is_shards(tmp_path / "part-00000.jsonl")
    assert not is_shards(EXAMPLES)


def test_failed_partition_becomes_error_records(tmp_path: Path) -> None:
    from storyline.run.cluster import Partition, _failed_partition

    part = Partition(3, (Piece("/data/a.txt"), Piece("/data/b.jsonl", 10, 20, 100, 200)))
    result = _failed_partition(part, tmp_path, "jsonl", RuntimeError("worker killed"))
    assert result.failed == 2 and result.files == ("part-00003.jsonl",)
    records = list(read_shards(tmp_path))
    assert [r.doc_id for r in records] == ["a", "b:11-20"]  # the doc_id a text file gets
    assert all(isinstance(r, ErrorRecord) and r.code == DASK_PARTITION_FAILED for r in records)
    assert "lines 11-20" in records[1].message  # type: ignore[union-attr]


def test_shard_options_need_dask(tmp_path: Path) -> None:
    result = invoke(["extract", str(EXAMPLES), "--shard-size", "3"])
    assert result.exit_code == 2 and "--shard-size" in result.output + result.stderr
    result = invoke(["extract", str(EXAMPLES), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is a directory" in result.stderr
    result = invoke(["extract", "--dask", "local", str(EXAMPLES)])
    assert result.exit_code == 2 and "-o OUTDIR" in result.stderr


# --- on a LocalCluster ------------------------------------------------------------------------------------------------

def _bad_inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    (folder / "wire.jsonl").write_text(_jsonl(7, bad=frozenset({3}), blank=frozenset({6})), encoding="utf-8")
    return folder


def _table_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                         "'%fts%' AND name NOT IN ('meta', 'sqlite_sequence')")]
    rows = {}
    for table in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in ("ingested_at", "at", "created_at", "updated_at")]
        rows[table] = sorted(map(tuple, conn.execute(f"SELECT {', '.join(cols)} FROM {table}")), key=repr)
    conn.close()
    return rows


@pytest.mark.model
@pytest.mark.slow
def test_local_cluster_gives_the_records_of_extract_and_ingests_them(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path / "bad")
    inputs = [str(EXAMPLES), str(bad)]
    out = tmp_path / "shards"
    result = invoke(["extract", "--dask", "local", *inputs, "-o", str(out), "--shard-size", "3",
                     "--shard-format", "both"])
    plain = tmp_path / "plain.jsonl"
    expected = invoke(["extract", *inputs, "-o", str(plain)])
    assert expected.exit_code == 1  # the bad inputs fail
    assert result.exit_code == 1, result.stderr
    lines = plain.read_text(encoding="utf-8").splitlines()
    failed = sum(1 for line in lines if '"error": {' in line)
    assert (len(lines), failed) == (9 + 3 + 5, 3)  # the examples; empty, binary, the broken line; 5 good lines
    assert f"{len(lines)} articles, {len(lines) - failed} ok, {failed} failed" in result.stderr
    assert "2 workers" in result.stderr

    shards = sorted(out.glob("part-*.jsonl"))
    assert len(shards) >= 4 and len(sorted(out.glob("part-*.parquet"))) == len(shards)
    assert "".join(s.read_text(encoding="utf-8") for s in shards).splitlines() == lines
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert (manifest["ok"], manifest["failed"]) == (len(lines) - failed, failed)

    import pyarrow.parquet as pq

    table = pq.read_table(sorted(out.glob("part-*.parquet"))).to_pylist()
    assert [row["record_json"] for row in table] == lines
    assert sum(not row["ok"] for row in table) == failed
    assert all(row["quotes"] >= 0 for row in table if row["ok"])

    again = invoke(["extract", "--dask", "local", *inputs, "-o", str(out)])
    assert again.exit_code == 1 and SHARDS_OUTDIR_TAKEN in again.stderr

    from_shards, from_inputs = tmp_path / "shards.db", tmp_path / "inputs.db"
    stored = invoke(["ingest", str(out), "--db", str(from_shards)])
    direct = invoke(["ingest", *inputs, "--db", str(from_inputs)])
    assert stored.exit_code == direct.exit_code == 1
    assert stored.stderr.splitlines()[-1] == direct.stderr.splitlines()[-1]
    shard_rows, input_rows = _table_rows(from_shards), _table_rows(from_inputs)
    assert {t: len(r) for t, r in shard_rows.items()} == {t: len(r) for t, r in input_rows.items()}
    assert len(shard_rows["errors"]) == failed
    assert shard_rows == input_rows  # inputs given by absolute path, as the cluster names them


@pytest.mark.model
def test_parquet_only_shards_are_read_back(tmp_path: Path) -> None:
    from storyline.run.cluster import run_partition

    source = tmp_path / "wire.jsonl"
    source.write_text(_jsonl(5, bad=frozenset({2})), encoding="utf-8")
    (tmp_path / "out").mkdir()
    # a partition's task runs as well in this process as on a worker
    results = [run_partition(part, str(tmp_path / "out"), shard_format="parquet")
               for part in plan_partitions([source], shard_size=2)]
    assert [(r.ok, r.failed, r.files) for r in results] == [
        (1, 1, ("part-00000.parquet",)), (2, 0, ("part-00001.parquet",)), (1, 0, ("part-00002.parquet",))]
    assert is_shards(tmp_path / "out")
    records = list(read_shards(tmp_path / "out"))
    assert [r.doc_id for r in records] == ["a1", "wire:2", "a3", "a4", "a5"]  # a broken line: file and line
    assert [r.to_dict() for r in records] == [json.loads(line) for line in
                                              invoke(["extract", str(source)]).stdout.splitlines()]
