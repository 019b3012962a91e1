"""Durability: `--resume` for ingest and extract, a killed ingest resumed, gzip input.

The kill-and-resume test runs the real console script with the spaCy model
(marked ``model`` and ``slow``); the others put a model-free stand-in in place
of ``process_batch`` and check the plumbing. Every article text here is
written for these tests.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import sqlite3
import subprocess
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import storyline.cli.ingest as ingest_command
import storyline.cli.main as cli_module
import storyline.story.linking as linking
import storyline.text.files as files_module
from clirun import invoke
from storyline.errors import GZIP_BROKEN, GZIP_TOO_LARGE, RESUME_BAD_OUTPUT, ResumeError
from storyline.model import Article, ErrorRecord, Quote, Record, Span
from storyline.run.resume import read_finished
from storyline.store.db import open_store
from storyline.store.sql import ARTICLE_TABLES
from storyline.text import read_inputs

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".venv" / "bin" / "storyline"

# Columns that say when a row was written, not what it holds: they differ between two runs.
WRITE_TIMES = {"articles": {"ingested_at"}, "errors": {"at"}}


def content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, ordered by all their columns, write times and FTS rowids left out.

    The FTS5 shadow tables (``articles_fts_data``, ...) are left out too: they
    hold rowids and index segments, which depend on the order of the writes;
    the full-text tables' own columns are compared instead.
    """
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY 1")]
        virtual = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
        out = {}
        for table in tables:
            if table.startswith("sqlite_") or any(table.startswith(f"{v}_") for v in virtual):
                continue
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")
                       if row[1] not in WRITE_TIMES.get(table, set())]
            names = ", ".join(f'"{c}"' for c in columns)
            order = ", ".join(str(i + 1) for i in range(len(columns)))
            out[table] = [tuple(r) for r in conn.execute(f"SELECT {names} FROM {table} ORDER BY {order}")]
        return out
    finally:
        conn.close()


# --- the articles of the kill test -----------------------------------------------------------------------------------

PEOPLE = [
    ("Rosa", "Quispe", "chairs the harbour council"), ("Lars", "Eriksen", "runs the ferry company"),
    ("Amara", "Okafor", "teaches at Northfield School"), ("Tomas", "Berg", "works as a deckhand"),
    ("Ines", "Duarte", "leads the town choir"), ("Kenji", "Watanabe", "owns the bakery on Mill Road"),
    ("Leah", "Varga", "is the county's chief engineer"), ("Omar", "Haddad", "coaches the rowing club"),
    ("Priya", "Raman", "manages the public library"), ("Nils", "Holm", "speaks for the fishermen's union"),
    ("Grace", "Mbeki", "heads the hospital board"), ("Paulo", "Ferreira", "is a city councillor"),
]
PLACES = ["the old pier", "Elm Street library", "the Mill Road bridge", "the north ferry terminal",
          "Harbour Square", "the river path", "the Northfield sports hall", "the fish market"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def article_text(i: int) -> str:
    """A short news story, different for every ``i``: names, places, dates and quotes vary."""
    a, b, c = PEOPLE[i % len(PEOPLE)], PEOPLE[(i * 5 + 3) % len(PEOPLE)], PEOPLE[(i * 7 + 1) % len(PEOPLE)]
    place, other = PLACES[i % len(PLACES)], PLACES[(i + 3) % len(PLACES)]
    day = DAYS[i % len(DAYS)]
    return (
        f" date 2025-03-{i % 27 + 1:02d}  Work on {place} will start on {day}, {a[0]} {a[1]} said at a meeting "
        f"of residents. {a[0]} {a[1]}, who {a[2]}, said the repairs would take {i % 5 + 2} weeks.\n\n"
        f'"We have waited long enough for this," {a[1]} said. "The money is there and the crews are ready."\n\n'
        f"{b[0]} {b[1]}, who {b[2]}, was less sure. \"Nobody has told us where the traffic will go,\" "
        f"{b[1]} said on {DAYS[(i + 2) % len(DAYS)]}, adding that {other} was already crowded.\n\n"
        f"According to {c[0]} {c[1]}, who {c[2]}, the council will vote on the plan on "
        f"{i % 12 + 1} April. {c[1]} said the vote could be delayed if the cost rose above "
        f"{(i % 9 + 1) * 100},000 euros. The meeting ended at {i % 3 + 8} pm.\n"
    )


def write_articles(folder: Path, n: int = 30) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"story-{i:02d}-{PEOPLE[i % len(PEOPLE)][1].lower()}.txt").write_text(article_text(i),
                                                                                     encoding="utf-8")
    (folder / "story-99-broken.txt").write_bytes(b"\xff\xfe not utf-8 \xc3")  # an error record, retried on resume


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_killed_ingest_resumed_equals_an_uninterrupted_run(tmp_path: Path, workers: int) -> None:
    """Killed and resumed with ``--workers`` N, the store equals one uninterrupted single-process run's."""
    if not SCRIPT.exists():
        pytest.skip(f"the storyline console script is not installed at {SCRIPT}; run `make setup`")
    folder = tmp_path / "articles"
    write_articles(folder)
    a_db, b_db = tmp_path / "a.db", tmp_path / "b.db"
    seed = int(os.environ.get("STORYLINE_KILL_SEED", "20250304"))
    delay = random.Random(seed).uniform(0.5, 3.0)
    # worker processes take a few seconds to start and load the model, then run fast: kill the run once
    # the store holds a seeded number of articles instead, so the kill lands mid-run
    kill_after = random.Random(seed).randint(2, 24) if workers > 1 else None
    jobs = ["--workers", str(workers)]

    started = time.monotonic()
    proc = subprocess.Popen([str(SCRIPT), "ingest", str(folder), "--db", str(a_db), *jobs], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if kill_after is None:
            time.sleep(delay)
        else:
            delay = _wait_for_articles(a_db, kill_after, proc)
        finished_first = proc.poll() is not None
        proc.kill()  # SIGKILL: no cleanup; a no-op when it has already finished
    finally:
        proc.wait()
    stored_at_kill = 0
    if a_db.exists():  # killed before the store was made: nothing to check but the resume
        conn = sqlite3.connect(a_db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
                stored_at_kill = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                for table in (*ARTICLE_TABLES, "articles_fts", "quotes_fts"):
                    orphans = conn.execute(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN "
                                           f"(SELECT doc_id FROM articles)").fetchone()[0]
                    assert orphans == 0, table
        finally:
            conn.close()

    resumed = _run(["ingest", str(folder), "--db", str(a_db), "--resume", *jobs], tmp_path)
    whole = _run(["ingest", str(folder), "--db", str(b_db)], tmp_path)
    elapsed = time.monotonic() - started
    print(f"\nkill-and-resume, {workers} worker(s): seed {seed}, killed after {delay:.2f}s "
          f"({'the run had already finished' if finished_first else 'mid-run'}), {stored_at_kill} of 30 articles "
          f"stored at the kill; resume: {resumed.stderr.strip().splitlines()[-1]!r}; {elapsed:.1f}s in all")

    assert resumed.returncode == whole.returncode == 1  # the broken file fails in both
    # what the killed run stored is skipped, the rest added; the broken file is retried and fails again
    assert (f"31 articles: {30 - stored_at_kill} added, 0 unchanged, 0 replaced, 1 failed, {stored_at_kill} skipped"
            in resumed.stderr), resumed.stderr
    assert "31 articles: 30 added, 0 unchanged, 0 replaced, 1 failed" in whole.stderr, whole.stderr
    a, b = content(a_db), content(b_db)
    assert a.keys() == b.keys()
    for table in a:
        assert a[table] == b[table], table
    assert len(a["articles"]) == 30 and len(a["errors"]) == 1 and a["story_entities"]


def _wait_for_articles(db: Path, count: int, proc: subprocess.Popen[bytes], limit: float = 60.0) -> float:
    """Wait until ``db`` holds ``count`` articles, or ``proc`` ends; return the seconds waited."""
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < limit:
        if db.exists():
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            try:
                if conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= count:
                    break
            except sqlite3.OperationalError:
                pass  # the store is being made: no articles table yet
            finally:
                conn.close()
        time.sleep(0.02)
    return time.monotonic() - started


# --- ingest --resume, without the model ------------------------------------------------------------------------------

STORY_A = ' date 2025-01-28  The harbour ferry ran again on Tuesday.\n"It feels like spring," said Tomas Berg.\n'
STORY_B = "The town choir gave its first concert in the new hall. Ines Duarte, who leads it, said it was warm.\n"
STORY_C = 'The bakery on Mill Road reopened. "Bread at last," said Kenji Watanabe.\n'


class StandIn:
    """A model-free ``process_batch``: quotes between straight quote marks; records what it was given."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, items: Iterable[Article | ErrorRecord], **_: Any) -> Iterator[Record | ErrorRecord]:
        for item in items:
            self.seen.append(item.doc_id)
            if isinstance(item, ErrorRecord):
                yield item
            elif "CRASH" in item.text:
                yield ErrorRecord(item.doc_id, "extract", "SL901", "stand-in crash", dict(item.source))
            else:
                quotes = tuple(Quote(f"q{i}", "direct", Span.of(item.text, m.start(1), m.end(1)))
                               for i, m in enumerate(re.finditer(r'"([^"]*)"', item.text)))
                yield Record(item.doc_id, item.text, item.published, item.title, dict(item.source), quotes=quotes)


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    batch = StandIn()
    monkeypatch.setattr(ingest_command, "process_batch", batch)
    monkeypatch.setattr(cli_module, "process_batch", batch)
    monkeypatch.setattr(linking, "link_entities", lambda store: None)  # linking: off unless a test turns it on
    return batch


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "articles"
    path.mkdir()
    (path / "a_ferry.txt").write_text(STORY_A, encoding="utf-8")
    (path / "b_choir.txt").write_text(STORY_B, encoding="utf-8")
    (path / "c_bakery.txt").write_text(STORY_C, encoding="utf-8")
    return path


def test_ingest_resume_skips_stored_inputs_before_extraction(stand_in: StandIn, folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    (folder / "c_bakery.txt").rename(tmp_path / "later.txt")  # the first run sees two of the three
    first = invoke(["ingest", str(folder), "--db", str(db)])
    assert "2 articles: 2 added, 0 unchanged, 0 replaced, 0 failed" in first.stderr
    assert "skipped" not in first.stderr  # without --resume, the count line is as it was
    (tmp_path / "later.txt").rename(folder / "c_bakery.txt")
    stand_in.seen.clear()
    resumed = invoke(["ingest", str(folder), "--db", str(db), "--resume"])
    assert resumed.exit_code == 0, resumed.stderr
    assert "3 articles: 1 added, 0 unchanged, 0 replaced, 0 failed, 2 skipped" in resumed.stderr
    assert stand_in.seen == ["c_bakery"]  # the stored ones never reached extraction
    # a changed text is not skipped: it is extracted and replaces the stored article
    (folder / "b_choir.txt").write_text(STORY_B + "The hall was full.\n", encoding="utf-8")
    stand_in.seen.clear()
    again = invoke(["ingest", str(folder), "--db", str(db), "--resume"])
    assert "3 articles: 0 added, 0 unchanged, 1 replaced, 0 failed, 2 skipped" in again.stderr
    assert stand_in.seen == ["b_choir"]
    # without --resume: everything extracted again, reported unchanged, as before
    stand_in.seen.clear()
    plain = invoke(["ingest", str(folder), "--db", str(db)])
    assert "3 articles: 0 added, 3 unchanged, 0 replaced, 0 failed" in plain.stderr and "skipped" not in plain.stderr
    assert stand_in.seen == ["a_ferry", "b_choir", "c_bakery"]


def test_ingest_resume_retries_stored_errors(stand_in: StandIn, folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    (folder / "d_crash.txt").write_text("This one will CRASH the stand-in.\n", encoding="utf-8")
    (folder / "e_broken.txt").write_bytes(b"\xff\xfe not utf-8 \xc3")
    first = invoke(["ingest", str(folder), "--db", str(db)])
    assert first.exit_code == 1 and "5 articles: 3 added, 0 unchanged, 0 replaced, 2 failed" in first.stderr
    # an article stored earlier, then failed on a later run: its error row makes resume retry it
    with open_store(db) as store:
        store.ingest(ErrorRecord("a_ferry", "extract", "SL901", "crashed once", {"path": "a_ferry.txt"}))
    (folder / "d_crash.txt").write_text("Fixed now.\n", encoding="utf-8")
    stand_in.seen.clear()
    resumed = invoke(["ingest", str(folder), "--db", str(db), "--resume"])
    assert stand_in.seen == ["a_ferry", "d_crash", "e_broken"]
    assert "5 articles: 1 added, 1 unchanged, 0 replaced, 1 failed, 2 skipped" in resumed.stderr
    assert resumed.exit_code == 1
    with open_store(db) as store:
        assert store.doc_ids() == ["a_ferry", "b_choir", "c_bakery", "d_crash"]
        assert [row[0] for row in store.connection.execute("SELECT doc_id FROM errors")] == ["e_broken"]


def test_ingest_resume_links_what_a_killed_run_left_unlinked(
    stand_in: StandIn, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after storing every article but before linking: the resumed run links, though nothing is added."""
    from storyline.story import link_entities  # the real one: the stand_in fixture switched linking.link_entities off

    calls: list[object] = []

    def linker(store: Any) -> Any:
        calls.append(store)
        return link_entities(store)

    a_db, b_db = tmp_path / "a.db", tmp_path / "b.db"
    assert invoke(["ingest", str(folder), "--db", str(a_db)]).exit_code == 0  # the linker is off: "killed"
    monkeypatch.setattr(linking, "link_entities", linker)
    assert invoke(["ingest", str(folder), "--db", str(b_db)]).exit_code == 0
    assert len(calls) == 1
    resumed = invoke(["ingest", str(folder), "--db", str(a_db), "--resume"])
    assert "3 articles: 0 added, 0 unchanged, 0 replaced, 0 failed, 3 skipped" in resumed.stderr
    assert len(calls) == 2
    assert content(a_db) == content(b_db)
    invoke(["ingest", str(folder), "--db", str(a_db), "--resume"])
    assert len(calls) == 2  # linked and up to date: not again


# --- extract --resume ------------------------------------------------------------------------------------------------


def test_extract_resume_after_a_torn_last_line(stand_in: StandIn, folder: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.jsonl"
    assert invoke(["extract", str(folder), "-o", str(whole)]).exit_code == 0
    full = whole.read_bytes()
    lines = full.splitlines(keepends=True)
    assert [json.loads(line)["doc_id"] for line in lines] == ["a_ferry", "b_choir", "c_bakery"]
    killed = tmp_path / "killed.jsonl"
    torn = lines[0] + lines[1][: len(lines[1]) // 2]  # killed while writing the second record
    killed.write_bytes(torn)
    stand_in.seen.clear()
    resumed = invoke(["extract", str(folder), "-o", str(killed), "--resume"])
    assert resumed.exit_code == 0, resumed.stderr
    assert f"dropped a torn last line ({len(torn) - len(lines[0])} bytes)" in resumed.stderr
    assert "3 articles, 2 ok, 0 failed, 1 skipped" in resumed.stderr
    assert stand_in.seen == ["b_choir", "c_bakery"]
    assert killed.read_bytes() == full  # the file an uninterrupted run writes, in input order
    # nothing left to do: the file stays as it is
    again = invoke(["extract", str(folder), "-o", str(killed), "--resume"])
    assert "3 articles, 0 ok, 0 failed, 3 skipped" in again.stderr and "torn" not in again.stderr
    assert killed.read_bytes() == full
    # no file yet: --resume is a fresh run
    fresh = tmp_path / "fresh.jsonl"
    assert invoke(["extract", str(folder), "-o", str(fresh), "--resume"]).exit_code == 0
    assert fresh.read_bytes() == full


def test_read_finished_truncates_only_a_torn_tail(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    good = b'{"doc_id": "a", "text": "x"}\n\n{"doc_id": "b", "error": {"code": "SL102"}}\n'
    out.write_bytes(good + b'{"doc_id": "c", "te')
    finished = read_finished(out)
    assert finished.ids == {"a": 1, "b": 1} and finished.failed == {"b"} and finished.dropped == 19
    assert finished.count == 2 and out.read_bytes() == good
    assert read_finished(tmp_path / "missing.jsonl").count == 0
    assert not (tmp_path / "missing.jsonl").exists()


def test_extract_resume_refuses_a_file_it_did_not_write(stand_in: StandIn, folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    data = b'{"doc_id": "a_ferry"}\nnot json at all\n{"doc_id": "b_choir"}\n{"half'
    out.write_bytes(data)
    result = invoke(["extract", str(folder), "-o", str(out), "--resume"])
    assert result.exit_code == 1 and RESUME_BAD_OUTPUT in result.stderr and "line 2" in result.stderr
    assert out.read_bytes() == data and stand_in.seen == []  # nothing changed, nothing extracted
    with pytest.raises(ResumeError):
        out.write_bytes(b'["a list"]\n')
        read_finished(out)


def test_extract_resume_needs_an_output_file(stand_in: StandIn, folder: Path) -> None:
    result = invoke(["extract", str(folder), "--resume"])
    assert result.exit_code == 2 and "--resume needs -o OUT.jsonl" in result.stderr
    table = invoke(["extract", str(folder), "-o", "x.txt", "--format", "table", "--resume"])
    assert table.exit_code == 2 and "--format jsonl only" in table.stderr
    assert stand_in.seen == []


def test_extract_resume_keeps_earlier_failures_failed(stand_in: StandIn, folder: Path, tmp_path: Path) -> None:
    (folder / "d_broken.txt").write_bytes(b"\xff not utf-8")
    out = tmp_path / "out.jsonl"
    assert invoke(["extract", str(folder), "-o", str(out)]).exit_code == 1
    full = out.read_bytes()
    out.write_bytes(b"".join(full.splitlines(keepends=True)[:1]))  # only a_ferry was written
    stand_in.seen.clear()
    resumed = invoke(["extract", str(folder), "-o", str(out), "--resume"])
    assert resumed.exit_code == 1 and "4 articles, 2 ok, 1 failed, 1 skipped" in resumed.stderr
    assert out.read_bytes() == full
    again = invoke(["extract", str(folder), "-o", str(out), "--resume"])
    # the error record in the file is skipped like the rest, and still makes the status 1
    assert again.exit_code == 1 and "4 skipped (already in" in again.stderr and "1 of them error records" in again.stderr
    assert out.read_bytes() == full


def test_extract_resume_with_repeated_ids(stand_in: StandIn, tmp_path: Path) -> None:
    """Two inputs with one doc_id: each record in the file stands for one of them."""
    for sub, text in (("one", STORY_A), ("two", STORY_B)):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(text, encoding="utf-8")
    paths = [str(tmp_path / "one"), str(tmp_path / "two")]
    out = tmp_path / "out.jsonl"
    invoke(["extract", *paths, "-o", str(out)])
    full = out.read_bytes()
    out.write_bytes(full.splitlines(keepends=True)[0])
    assert "2 articles, 1 ok, 0 failed, 1 skipped" in invoke(["extract", *paths, "-o", str(out), "--resume"]).stderr
    assert out.read_bytes() == full


@pytest.mark.model
def test_extract_resume_with_the_model(folder: Path, tmp_path: Path) -> None:
    whole, part = tmp_path / "whole.jsonl", tmp_path / "part.jsonl"
    assert invoke(["extract", str(folder), "-o", str(whole)]).exit_code == 0
    lines = whole.read_bytes().splitlines(keepends=True)
    part.write_bytes(lines[0] + lines[1][:40])
    assert invoke(["extract", str(folder), "-o", str(part), "--resume"]).exit_code == 0
    assert part.read_bytes() == whole.read_bytes()


# --- gzip input ------------------------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Ferry runs again</title></head><body>
<nav>Home | Sections | Sign in</nav><article><h1>Ferry runs again</h1>
<p>The harbour ferry ran again on Tuesday after a winter of repairs to its engine and hull, and the first
crossing of the morning was full by seven.</p>
<p>"It feels like spring," said Tomas Berg, a deckhand who has worked on the ferry for twenty years.</p>
</article><footer>Copyright notice</footer></body></html>
"""
LINES = '{"id": "j1", "text": "The choir sang in the new hall."}\n{"id": "j2", "text": "The bakery reopened."}\n'


def _gz(path: Path, data: str | bytes) -> Path:
    path.write_bytes(gzip.compress(data.encode("utf-8") if isinstance(data, str) else data))
    return path


@pytest.mark.parametrize(("name", "data"), [("ferry.txt", STORY_A), ("ferry.html", PAGE), ("lines.jsonl", LINES)])
def test_gzip_reads_as_the_plain_file(tmp_path: Path, name: str, data: str) -> None:
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    (plain / name).write_text(data, encoding="utf-8")
    _gz(packed / f"{name}.gz", data)
    want, got = list(read_inputs([plain])), list(read_inputs([packed]))
    assert got and all(isinstance(item, Article) for item in got)
    for a, b in zip(want, got, strict=True):
        assert isinstance(a, Article) and isinstance(b, Article)
        assert (b.doc_id, b.text, b.published, b.title) == (a.doc_id, a.text, a.published, a.title)
        assert b.source["sha256"] == a.source["sha256"] and b.source["format"] == a.source["format"]
        assert b.source["path"] == str(packed / f"{name}.gz")
    assert got[0].doc_id == ("j1" if name.endswith(".jsonl") else "ferry")  # stem without both suffixes


def test_gzip_directory_walk_and_sniffing(tmp_path: Path) -> None:
    _gz(tmp_path / "b.txt.gz", STORY_B)
    _gz(tmp_path / "a.TXT.GZ", STORY_A)
    _gz(tmp_path / "archive.tar.gz", b"not an article")  # not read from a directory
    _gz(tmp_path / "data.json.gz", LINES)  # nor a gzipped .json: it may be one pretty-printed document
    _gz(tmp_path / ".hidden.txt.gz", STORY_A)
    assert [item.doc_id for item in read_inputs([tmp_path])] == ["a", "b"]
    sniffed = _gz(tmp_path / "feed.gz", LINES)  # given by name, no inner ending: sniffed as for plain files
    assert [item.doc_id for item in read_inputs([sniffed])] == ["j1", "j2"]
    missing = list(read_inputs([tmp_path / "gone.html.gz"]))
    assert isinstance(missing[0], ErrorRecord) and missing[0].doc_id == "gone" and missing[0].code == "SL101"
    assert missing[0].source["format"] == "html"


def test_gzip_bomb_is_an_error_record_and_never_inflated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cap = 1_000_000
    monkeypatch.setattr(files_module, "MAX_GZIP_BYTES", cap)
    bomb = _gz(tmp_path / "bomb.txt.gz", bytes(8_000_000))  # 8 MB of zeros, a few KB on disk
    assert bomb.stat().st_size < 20_000
    _gz(tmp_path / "fine.txt.gz", STORY_A)
    tracemalloc.start()
    try:
        items = list(read_inputs([tmp_path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * cap, peak  # streamed: stopped one byte past the cap, never near the 8 MB
    error, fine = items
    assert isinstance(error, ErrorRecord) and isinstance(fine, Article) and fine.doc_id == "fine"
    assert (error.doc_id, error.code, error.stage) == ("bomb", GZIP_TOO_LARGE, "ingest")
    assert str(bomb) in error.message and "1,000,000 bytes" in error.message and "gunzip -k" in error.message
    assert error.source == {"path": str(bomb), "format": "text"}
    # at the cap exactly: read
    monkeypatch.setattr(files_module, "MAX_GZIP_BYTES", len(STORY_A.encode("utf-8")))
    assert isinstance(next(iter(read_inputs([tmp_path / "fine.txt.gz"]))), Article)


def test_broken_gzip_is_an_error_record(tmp_path: Path) -> None:
    whole = gzip.compress(STORY_A.encode("utf-8") * 50)
    (tmp_path / "cut.txt.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "plain.txt.gz").write_text(STORY_A, encoding="utf-8")  # not compressed at all
    items = list(read_inputs([tmp_path]))
    assert [(item.doc_id, getattr(item, "code", None)) for item in items] == [("cut", GZIP_BROKEN),
                                                                            ("plain", GZIP_BROKEN)]
    assert all("gzip -t" in item.message for item in items if isinstance(item, ErrorRecord))


def test_gzip_through_ingest(stand_in: StandIn, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _gz(folder / "ferry.txt.gz", STORY_A)
    (folder / "choir.txt").write_text(STORY_B, encoding="utf-8")
    db = tmp_path / "s.db"
    assert "2 articles: 2 added" in invoke(["ingest", str(folder), "--db", str(db)]).stderr
    assert "2 skipped" in invoke(["ingest", str(folder), "--db", str(db), "--resume"]).stderr
    with open_store(db) as store:
        assert store.doc_ids() == ["choir", "ferry"]


def test_readme_documents_resume_and_gzip() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for words in ("--resume", ".txt.gz", "MAX_GZIP_BYTES", GZIP_TOO_LARGE, GZIP_BROKEN, RESUME_BAD_OUTPUT,
                  "skipped"):
        assert words in readme, words
