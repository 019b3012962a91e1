"""Memory of `storyline ingest --workers N` over many articles: does it stay flat?

Writes N synthetic news articles (default 10,000) to a JSONL file, from a
template written for this benchmark: varied names (made-up surnames, so the
vocabulary keeps growing as in real news), places, dates, numbers and
quotes. Runs ``storyline ingest FILE --workers N`` as a subprocess and,
every ``--interval`` seconds, sums the resident memory (RSS) of the parent
and all its children (psutil when installed, else /proc), and reads how many
articles the store holds (read-only). Prints:

- peak RSS (whole run, and while extracting), of the tree and per process;
- RSS of the tree once the first ``--first`` articles (default 1,000) are
  stored vs once all N are stored, and their ratio (growth);
- articles per second (from the first article stored to the last) and the
  time the final relinking of story entities took.

Usage::

    .venv/bin/python benchmarks/ingest_memory.py [--n 10000] [--workers 2] [--first 1000]
        [--interval 0.5] [--dir DIR] [--seed 11] [--json OUT.json]

A run of 2,000 articles takes a few minutes on two cores; 10,000 about half
an hour or more (extraction dominates).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FIRST = ("Ana", "Ben", "Carla", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kemi", "Lars",
         "Maya", "Nikolai", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Viktor", "Wen", "Yara")
SYLLABLES = ("ba", "ren", "ko", "vi", "sal", "tor", "mi", "lun", "da", "ek", "ros", "han", "tel", "ori", "yu",
             "mar", "ste", "gol", "pia", "nu")
ORGS = ("the harbour council", "the ferry company", "the county water board", "the town library",
        "the rowing club", "the regional hospital", "the fishermen's union", "the chamber of commerce")
PLACES = ("the old pier", "Mill Road", "the north ferry terminal", "Harbour Square", "the river path",
          "the sports hall", "the fish market", "Elm Street")
TOPICS = ("the repairs", "the new timetable", "the budget", "the flood defences", "the school merger",
          "the parking plan", "the festival", "the bridge closure")
ROLES = ("chairs", "runs", "speaks for", "manages", "leads", "advises")


def surname(rng: random.Random) -> str:
    """A made-up surname of two or three syllables."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def article(i: int, rng: random.Random) -> dict[str, Any]:
    """The i-th synthetic article as a JSONL object (id, published, title, text)."""
    a = f"{rng.choice(FIRST)} {surname(rng)}"
    b = f"{rng.choice(FIRST)} {surname(rng)}"
    org_a, org_b = rng.sample(ORGS, 2)
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    published = date(2018, 1, 1) + timedelta(days=rng.randrange(2500))
    meeting = published - timedelta(days=rng.randint(1, 6))
    vote = published + timedelta(days=rng.randint(7, 60))
    weeks, cost = rng.randint(2, 12), rng.randint(1, 90) * 10_000
    text = (
        f"Work on {place} will start on {meeting:%A}, {a} said at a meeting of residents on "
        f"{meeting:%B} {meeting.day}. {a.split()[1]}, who {rng.choice(ROLES)} {org_a}, said {topic} would take "
        f"{weeks} weeks and cost about {cost:,} euros.\n\n"
        f'"We have waited long enough for this," {a.split()[1]} said. "The money is there and the crews are '
        f'ready."\n\n'
        f"{b}, who {rng.choice(ROLES)} {org_b}, was less sure. \"Nobody has told us what happens to "
        f"{place},\" {b.split()[1]} told reporters, adding that residents had not been asked.\n\n"
        f"The council is expected to vote on the plan on {vote:%B} {vote.day}, {vote.year}. "
        f"Story number {i}.\n"
    )
    return {"id": f"mem-{i:06d}", "published": published.isoformat(), "title": f"{topic.capitalize()} at {place}",
            "text": text}


def write_articles(path: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps(article(i, rng), ensure_ascii=False) + "\n")


# --- memory of a process tree ---------------------------------------------------------------------------------------

def tree_rss(pid: int) -> dict[int, int]:
    """RSS in bytes of ``pid`` and every process below it; empty once it has ended."""
    try:
        import psutil
    except ImportError:
        return _proc_tree_rss(pid)
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return {}
    out = {}
    for proc in procs:
        try:
            out[proc.pid] = proc.memory_info().rss
        except psutil.Error:
            pass
    return out


def _proc_tree_rss(pid: int) -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    wanted, frontier = {pid}, [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in wanted:
                wanted.add(child)
                frontier.append(child)
    page = os.sysconf("SC_PAGE_SIZE")
    out = {}
    for proc in wanted:
        try:
            out[proc] = int(Path(f"/proc/{proc}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            pass
    return out


def stored(db: Path) -> int | None:
    """Articles and error rows in the store so far, read-only; None before its tables exist."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM errors)")
                       .fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


@dataclass
class Sample:
    at: float
    done: int | None
    rss: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rss.values())


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def run(n: int, workers: int, folder: Path, *, first: int, interval: float, seed: int) -> dict[str, Any]:
    data, db = folder / "articles.jsonl", folder / "bench.db"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    write_articles(data, n, seed)
    script = Path(sys.executable).with_name("storyline")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from storyline.cli.main import main; main()"]
    command += ["ingest", str(data), "--db", str(db), "--workers", str(workers), "--no-progress"]
    print(f"ingesting {n:,} articles ({data.stat().st_size / 2**20:.1f} MiB of JSONL) with {workers} workers ...",
          flush=True)
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples: list[Sample] = []
    last_report = 0.0
    while proc.poll() is None:
        sample = Sample(time.monotonic() - started, stored(db), tree_rss(proc.pid))
        if sample.rss:
            samples.append(sample)
        if sample.at - last_report >= 60:
            last_report = sample.at
            print(f"  {sample.at:6.0f} s: {sample.done or 0:,} stored, tree RSS {mib(sample.total)} "
                  f"({len(sample.rss)} processes)", flush=True)
        time.sleep(interval)
    stderr = proc.stderr.read() if proc.stderr else ""
    wall = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"storyline ingest failed (exit status {proc.returncode}):\n{stderr}")
    extracting = [s for s in samples if s.done is not None and s.done < n]
    at_first = next((s for s in samples if s.done is not None and s.done >= first), None)
    at_end = next((s for s in samples if s.done is not None and s.done >= n), None)
    before_end = extracting[-1] if extracting else None
    start_s = next((s.at for s in samples if s.done), None)
    end_s = at_end.at if at_end else wall
    rate = n / (end_s - start_s) if start_s is not None and end_s > start_s else None
    peak = max(samples, key=lambda s: s.total) if samples else None
    peak_extracting = max(extracting, key=lambda s: s.total) if extracting else None
    per_process_peak: dict[int, int] = {}
    for sample in samples:
        for pid, rss in sample.rss.items():
            per_process_peak[pid] = max(per_process_peak.get(pid, 0), rss)
    # the end of extraction: the last sample before every article was stored (relinking comes after it)
    # while every worker was still alive (they exit as the input runs out, before the last records are stored)
    full = max((len(s.rss) for s in extracting), default=0)
    end_tree = next((s for s in reversed(extracting) if len(s.rss) == full), None) or before_end or at_end
    result = {
        "n": n,
        "workers": workers,
        "wall_s": round(wall, 1),
        "articles_per_s": round(rate, 2) if rate else None,
        "relink_s": round(wall - end_s, 1) if at_end else None,
        "peak_rss_mib": round(peak.total / 2**20, 1) if peak else None,
        "peak_rss_extracting_mib": round(peak_extracting.total / 2**20, 1) if peak_extracting else None,
        "rss_at_first_mib": round(at_first.total / 2**20, 1) if at_first else None,
        "first": first,
        "rss_at_end_mib": round(end_tree.total / 2**20, 1) if end_tree else None,
        "stored_at_end": end_tree.done if end_tree else None,
        "growth": round(end_tree.total / at_first.total, 3) if at_first and end_tree else None,
        "parent_rss_at_first_mib": _parent(at_first, proc.pid),
        "parent_rss_at_end_mib": _parent(end_tree, proc.pid),
        "largest_child_rss_at_first_mib": _largest_child(at_first, proc.pid),
        "largest_child_rss_at_end_mib": _largest_child(end_tree, proc.pid),
        "per_process_peak_mib": {str(pid): round(rss / 2**20, 1) for pid, rss in sorted(per_process_peak.items())},
        "count_line": stderr.strip().splitlines()[-1] if stderr.strip() else "",
        "samples": len(samples),
    }
    print(f"done in {wall:,.0f} s: {result['count_line']}")
    print(f"  articles/s (first stored to last stored): {result['articles_per_s']}")
    print(f"  relinking story entities after the last article: {result['relink_s']} s")
    print(f"  peak RSS of the process tree: {result['peak_rss_mib']} MiB "
          f"(while extracting: {result['peak_rss_extracting_mib']} MiB)")
    print(f"  tree RSS after {first:,} articles: {result['rss_at_first_mib']} MiB; after "
          f"{result['stored_at_end'] or 0:,} of {n:,}: {result['rss_at_end_mib']} MiB; growth x{result['growth']}")
    print(f"  parent RSS: {result['parent_rss_at_first_mib']} MiB -> {result['parent_rss_at_end_mib']} MiB; "
          f"largest worker: {result['largest_child_rss_at_first_mib']} MiB -> "
          f"{result['largest_child_rss_at_end_mib']} MiB")
    print(f"  peak RSS per process: {result['per_process_peak_mib']}")
    return result


def _largest_child(sample: Sample | None, pid: int) -> float | None:
    children = [rss for child, rss in (sample.rss.items() if sample else ()) if child != pid]
    return round(max(children) / 2**20, 1) if children else None


def _parent(sample: Sample | None, pid: int) -> float | None:
    if sample is None or pid not in sample.rss:
        return None
    return round(sample.rss[pid] / 2**20, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate and ingest")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first", type=int, default=1_000, help="compare RSS after this many articles with the end")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--dir", type=Path, help="keep the JSONL and the store here (a temporary folder otherwise)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    first = min(args.first, max(1, args.n // 5))
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
        result = run(args.n, args.workers, args.dir, first=first, interval=args.interval, seed=args.seed)
    else:
        with tempfile.TemporaryDirectory(prefix="storyline-mem-") as tmp:
            result = run(args.n, args.workers, Path(tmp), first=first, interval=args.interval, seed=args.seed)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
