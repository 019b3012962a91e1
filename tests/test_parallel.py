"""``--workers N`` and ``storyline.run.workers``: same records, same order, nothing lost; the progress bar.

The CLI tests run the real model in spawned workers (marked ``model`` and
``slow``: each worker loads the model, a few seconds). The machinery tests
start spawned workers too (no test forks: a forked copy of a pytest process
can hang on a lock held by one of its threads), with a model-free
initializer from ``parallel_stand_ins`` in place of the real one; it puts a
stand-in for ``process_article`` in each worker. They check order, error
pass-through, the in-flight bound, a worker that dies and a worker that
cannot load the model. Every article text here is written for these tests.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clirun import invoke
from parallel_stand_ins import no_model_init, stand_in_article, stand_in_init
from storyline.cli.progress import Progress
from storyline.errors import STAGE_CRASHED, WORKER_DIED, StorylineError
from storyline.model import Article, ErrorRecord, Record
from storyline.run import workers as parallel
from storyline.run.workers import process_parallel, resolve_workers
from test_resume import StandIn, article_text, content, stand_in  # noqa: F401  (stand_in is a fixture)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SPAWN = multiprocessing.get_context("spawn")  # as parallel.py starts its workers; a forked pytest can hang


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The examples, then a folder mixing good articles with inputs that fail at ingest and at extraction."""
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "a_story.txt").write_text(article_text(1), encoding="utf-8")
    (folder / "b_broken.txt").write_bytes(b"\xff\xfe not utf-8 \xc3")  # SL102 from ingest
    (folder / "c_story.txt").write_text(article_text(2), encoding="utf-8")
    (folder / "d_empty.txt").write_text("   \n", encoding="utf-8")  # SL103 from ingest
    (folder / "e_story.txt").write_text(article_text(3), encoding="utf-8")
    return [str(EXAMPLES), str(folder), str(folder / "missing.txt")]


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- through the CLI, with the model --------------------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.slow
def test_extract_with_two_workers_writes_what_one_writes(inputs: list[str], tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first = invoke(["extract", *inputs, "-o", str(one)])
    second = invoke(["extract", *inputs, "-o", str(two), "--workers", "2"])
    assert first.exit_code == second.exit_code == 1  # the three bad inputs fail in both
    assert two.read_bytes() == one.read_bytes()  # same records, same order, byte for byte
    records = _lines(two)
    ids = [r["doc_id"] for r in records]
    assert ids[:9] == sorted(p.stem for p in EXAMPLES.glob("*.txt"))
    assert ids[9:] == ["a_story", "b_broken", "c_story", "d_empty", "e_story", "missing"]
    assert [("error" in r) for r in records[9:]] == [False, True, False, True, False, True]
    assert "15 articles, 12 ok, 3 failed" in second.stderr
    # each failure is named on stderr, in order, as with one process
    assert [line for line in second.stderr.splitlines() if line.startswith("!!")] == \
        [line for line in first.stderr.splitlines() if line.startswith("!!")]
    # --resume: a stopped run left 5 records and half of the 6th
    out = tmp_path / "out.jsonl"
    lines = one.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:5]) + lines[5][:40])
    resumed = invoke(["extract", *inputs, "-o", str(out), "--resume", "--workers", "2"])
    assert out.read_bytes() == one.read_bytes()
    assert "15 articles, 7 ok, 3 failed, 5 skipped" in resumed.stderr


@pytest.mark.model
@pytest.mark.slow
def test_ingest_with_two_workers_stores_what_one_stores(inputs: list[str], tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    first = invoke(["ingest", *inputs, "--db", str(one)])
    # two workers: the examples first, as a run that was stopped there, then all of it with --resume
    second = invoke(["ingest", str(EXAMPLES), "--db", str(two), "--workers", "2"])
    assert "9 articles: 9 added, 0 unchanged, 0 replaced, 0 failed" in second.stderr, second.stderr
    assert content(two)["articles"] == [row for row in content(one)["articles"] if row[0] in
                                        {p.stem for p in EXAMPLES.glob("*.txt")}]
    resumed = invoke(["ingest", *inputs, "--db", str(two), "--workers", "2", "--resume"])
    assert first.exit_code == resumed.exit_code == 1
    assert "15 articles: 3 added, 0 unchanged, 0 replaced, 3 failed, 9 skipped" in resumed.stderr, resumed.stderr
    assert content(two) == content(one)


# --- the machinery, with stand-ins ---------------------------------------------------------------------------------

@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spawned workers start with ``stand_in_init``: no model, ``stand_in_article`` extracts."""
    monkeypatch.setattr(parallel, "_init_worker", stand_in_init)


def _articles(texts: list[str]) -> list[Article | ErrorRecord]:
    items: list[Article | ErrorRecord] = []
    for i, text in enumerate(texts):
        if text == "ERROR":
            items.append(ErrorRecord(f"doc{i}", "ingest", "SL102", "not utf-8", {"path": f"doc{i}.txt"}))
        else:
            items.append(Article(f"doc{i}", text, source={"path": f"doc{i}.txt"}))
    return items


def test_order_error_records_and_crashes_pass_through(stand_ins: None) -> None:
    texts = [f"story {i}" for i in range(23)]
    texts[3] = texts[11] = "ERROR"
    texts[7] = "this one will CRASH"
    items = _articles(texts)
    out = list(process_parallel(iter(items), 2, time_budget=7.5, chunk_size=2, window=3, mp_context=SPAWN))
    assert [r.doc_id for r in out] == [item.doc_id for item in items]
    assert [r.code for r in out if isinstance(r, ErrorRecord)] == ["SL102", STAGE_CRASHED, "SL102"]
    records = [r for r in out if isinstance(r, Record)]
    assert {r.source["budget"] for r in records} == {7.5}  # the time budget reaches every worker
    assert os.getpid() not in {r.source["pid"] for r in records}  # extracted in the workers


def test_workers_are_replaced_after_recycle_after_articles(stand_ins: None) -> None:
    items = _articles([f"story {i}" for i in range(40)])
    out = list(process_parallel(items, 2, chunk_size=2, window=3, recycle_after=5, mp_context=SPAWN))
    assert [r.doc_id for r in out] == [item.doc_id for item in items]
    assert all(isinstance(r, Record) for r in out)
    assert len({r.source["pid"] for r in out}) > 2  # four pools of two workers: 10 articles each


def test_a_worker_that_dies_costs_only_its_article(stand_ins: None) -> None:
    texts = [f"story {i}" for i in range(14)]
    texts[5] = "this one will KILL its worker"
    items = _articles(texts)
    out = list(process_parallel(items, 2, chunk_size=3, window=4, mp_context=SPAWN))
    assert [r.doc_id for r in out] == [item.doc_id for item in items]
    failed = [r for r in out if isinstance(r, ErrorRecord)]
    assert [(r.doc_id, r.code) for r in failed] == [("doc5", WORKER_DIED)]
    assert "doc5" in failed[0].message and "--workers 1" in failed[0].message


def test_workers_that_keep_dying_stop_the_run(stand_ins: None) -> None:
    items = _articles(["KILL"] * 20)
    with pytest.raises(StorylineError) as caught:
        list(process_parallel(items, 2, chunk_size=2, window=2, mp_context=SPAWN))
    assert caught.value.code == WORKER_DIED and "in a row" in caught.value.message


def test_a_model_that_cannot_load_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_init_worker", no_model_init)
    with pytest.raises(StorylineError) as caught:
        list(process_parallel(_articles(["a", "b", "c"]), 2, mp_context=SPAWN))
    assert caught.value.code == "SL201" and "make setup" in caught.value.message


def test_articles_in_flight_are_bounded(stand_ins: None) -> None:
    """Input is read only as chunks are submitted: never more than ``window * chunk_size`` ahead of the output."""
    read = 0

    def endless() -> Iterator[Article]:
        nonlocal read
        while True:
            read += 1
            yield Article(f"doc{read}", f"story {read}")

    results = process_parallel(endless(), 2, chunk_size=4, window=3, mp_context=SPAWN)
    ahead = []
    for done, _record in enumerate(results, start=1):
        ahead.append(read - done)
        if done == 200:
            break
    results.close()  # type: ignore[attr-defined]
    assert max(ahead) <= 3 * 4


def test_one_worker_is_process_batch_and_bad_arguments_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    def process_batch(items: list[Any], **kw: Any) -> Any:
        seen.append(kw)
        return iter(items)

    monkeypatch.setattr(parallel, "process_batch", process_batch)
    assert list(process_parallel([], 1, time_budget=None)) == [] and seen == [{"nlp": None, "time_budget": None}]
    assert resolve_workers(0) == (os.cpu_count() or 1) and resolve_workers(3) == 3
    with pytest.raises(ValueError):
        resolve_workers(-1)
    with pytest.raises(ValueError):
        process_parallel([], 2, chunk_size=0)
    with pytest.raises(ValueError):
        process_parallel([], 2, recycle_after=0)
    monkeypatch.setenv("STORYLINE_TIME_BUDGET", "soon")
    with pytest.raises(StorylineError) as caught:  # a bad budget stops the run at once, as with one process
        process_parallel([], 2)
    assert caught.value.code == "SL903"


def test_table_output_with_workers(stand_ins: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import storyline.cli.main as cli_module

    monkeypatch.setattr(cli_module, "process_parallel", lambda items, workers: process_parallel(
        items, workers, chunk_size=1, mp_context=SPAWN))
    monkeypatch.setattr(cli_module, "process_batch", lambda items: (
        stand_in_article(item) if isinstance(item, Article) else item for item in items))
    for i in range(5):
        (tmp_path / f"s{i}.txt").write_text(f"story {i} " + ("CRASH" if i == 2 else "") + "\n", encoding="utf-8")
    one = invoke(["extract", str(tmp_path), "--format", "table"])
    two = invoke(["extract", str(tmp_path), "--format", "table", "--workers", "2"])
    assert two.exit_code == one.exit_code == 1
    assert two.stdout == one.stdout and "s4" in two.stdout and "!! s2  FAILED" in two.stdout


def test_cli_refuses_negative_workers(stand_in: StandIn, tmp_path: Path) -> None:
    result = invoke(["extract", str(tmp_path), "--workers", "-1"])
    assert result.exit_code == 2 and "--workers" in result.stderr


# --- the progress bar ------------------------------------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "articles"
    path.mkdir()
    for i in range(4):
        (path / f"s{i}.txt").write_text(article_text(i), encoding="utf-8")
    (path / "lines.jsonl").write_text(
        "".join(json.dumps({"id": f"j{i}", "text": article_text(i + 4)}) + "\n" for i in range(3)), encoding="utf-8")
    (path / "z_broken.txt").write_bytes(b"\xff\xfe not utf-8 \xc3")
    return path


def test_progress_bar_goes_to_stderr_only(stand_in: StandIn, folder: Path) -> None:
    plain = invoke(["extract", str(folder)])
    shown = invoke(["extract", str(folder), "--progress"])
    assert shown.stdout == plain.stdout  # the JSONL on stdout is untouched
    assert all(json.loads(line)["doc_id"] for line in shown.stdout.splitlines())
    assert "articles/s" in shown.stderr or "s/ articles" in shown.stderr
    assert "8/8" in shown.stderr and "1 failed" in shown.stderr  # the bar ends at 100 %
    assert "8 articles, 7 ok, 1 failed" in shown.stderr.splitlines()[-1]
    # not a terminal: no bar unless asked; --no-progress: none even then
    assert "articles/s" not in plain.stderr and "|" not in plain.stderr
    quiet = invoke(["extract", str(folder), "--no-progress"])
    assert quiet.stderr == plain.stderr


def test_progress_bar_counts_skipped_inputs_and_ingest(stand_in: StandIn, folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    invoke(["extract", str(folder), "-o", str(out)])
    resumed = invoke(["extract", str(folder), "-o", str(out), "--resume", "--progress"])
    assert "8/8" in resumed.stderr and "8 skipped" in resumed.stderr
    stored = invoke(["ingest", str(folder), "--db", str(tmp_path / "s.db"), "--progress"])
    assert "8/8" in stored.stderr and "8 articles: 7 added, 0 unchanged, 0 replaced, 1 failed" in stored.stderr


def test_progress_counts_the_total_in_the_background(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bar = Progress(True, [str(folder)], desc="extract")
    assert bar.counter is not None
    bar.counter.join(10)
    assert bar.bar.total == 8  # 4 files, 3 JSONL lines, 1 broken file
    bar.advance()
    bar.echo("!! a line above the bar")
    bar.close()
    err = capsys.readouterr().err
    assert "!! a line above the bar" in err and "1/8" in err
    stdin = Progress(True, ["-"])
    assert stdin.counter is not None
    stdin.counter.join(10)
    assert stdin.bar.total is None  # unknown: count and rate, no ETA
    stdin.close()
    off = Progress(False, [str(folder)])
    assert off.bar is None and off.counter is None
    off.advance()
    off.done()
    off.close()


def test_count_inputs(tmp_path: Path, folder: Path) -> None:
    from storyline.text import count_inputs

    empty = tmp_path / "empty"
    empty.mkdir()
    gz = tmp_path / "more.jsonl.gz"
    import gzip

    gz.write_bytes(gzip.compress(b'{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}'))  # no final newline
    assert count_inputs([str(folder), str(empty), str(gz), str(tmp_path / "missing.txt")]) == 8 + 1 + 2 + 1


def test_readme_documents_workers_and_progress() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for words in ("--workers N", "--no-progress", "SL904", "benchmarks/ingest_memory.py"):
        assert words in readme, words
