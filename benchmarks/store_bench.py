"""Benchmark the SQLite store: ingest rate, linking time and timeline latency.

Builds N synthetic records by hand from a template with varied names, places
and dates (no model runs), ingests them into a fresh store one transaction per
article, and reports articles per second; then links the entities
(``storyline.story.link_entities``) and reports the p50/p95 latency of
``storyline.story.timeline(store, name)`` for random names.

Usage::

    .venv/bin/python benchmarks/store_bench.py --n 20000 [--db PATH] [--queries 200]
        [--timeline-budget 120] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from storyline import story
from storyline.errors import StorylineError
from storyline.model import Entity, Event, Issue, Mention, Quote, Record, Relation, Span, Timex
from storyline.store.db import Store, open_store

FIRST = ("Ana", "Ben", "Carla", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kemi", "Lars",
         "Maya", "Nikolai", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tomas", "Uma", "Viktor", "Wen", "Yara")
LAST = ("Berg", "Costa", "Duarte", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski",
        "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quispe", "Rossi", "Sato", "Tanaka", "Varga")
ORGS = ("Ironbridge Interactive", "Saltglass Studios", "Northwind Ferries", "Harbor Council", "Kestrel Labs",
        "Bluefield Bank", "Marrow Records", "Aster Health", "Copperline Rail", "Juniper Press")
PLACES = ("Lisbon", "Oslo", "Tartu", "Porto", "Gdansk", "Turku", "Bilbao", "Ghent", "Split", "Malmo")
VERBS = (("sued", "sue"), ("hired", "hire"), ("criticised", "criticise"), ("praised", "praise"), ("met", "meet"))
THINGS = ("the ferry timetable", "the funding round", "the new album", "the merger", "the harbour plan")


def person_names() -> list[str]:
    """Every person name the template can use (the pool ``timeline`` queries draw from)."""
    return [f"{first} {last}" for first in FIRST for last in LAST]


def build_record(i: int, rng: random.Random) -> Record:
    """Build the i-th synthetic record; every span indexes its text (half-open offsets)."""
    speaker, other = rng.sample(person_names(), 2)
    org, place = rng.choice(ORGS), rng.choice(PLACES)
    verb, lemma = rng.choice(VERBS)
    thing = rng.choice(THINGS)
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    said_on = published - timedelta(days=rng.randrange(1, 6))
    day = f"{said_on:%B} {said_on.day}"
    quote_words = f"We will not back down on {thing}"
    text = (
        f"{speaker} of {org} {verb} {other} in {place} on {day}, according to court papers. "
        f'"{quote_words}," {speaker.split()[0]} said. {other} did not reply. Story {i}.'
    )

    def span(piece: str, start: int = 0) -> Span:
        at = text.index(piece, start)
        return Span.of(text, at, at + len(piece))

    who, whom, where = span(speaker), span(other), span(place)
    cue = span("said")
    content = span(quote_words)
    trigger = span(verb)
    when = span(day)
    short = span(speaker.split()[0], content.end)
    entities = (
        Entity("e1", speaker, "PERSON", (Mention(who.start, who.end, who.text, "name"),
                                         Mention(short.start, short.end, short.text, "alias", "first name")),
               (speaker.split()[0],), {"descriptions": [f"of {org}"]}),
        Entity("e2", other, "PERSON", (Mention(whom.start, whom.end, whom.text, "name"),), ()),
        Entity("e3", org, "ORG", (Mention(*_bounds(span(org)), org, "name"),), ()),
        Entity("e4", place, "GPE", (Mention(where.start, where.end, where.text, "name"),), ()),
    )
    iso = said_on.isoformat()
    return Record(
        doc_id=f"bench-{i:07d}",
        text=text,
        published=published.isoformat(),
        title=f"{speaker} {verb} {other}",
        source={"path": f"bench/{i:07d}.txt", "format": "text"},
        entities=entities,
        relations=(Relation("e1", "member_of", "e3", span(f"{speaker} of {org}")),),
        quotes=(Quote("q1", "direct", content, speaker="e1", cue=cue, source_span=short, speaker_via="cue",
                      date=iso, timex="t1", confidence=0.9),),
        events=(Event("v1", trigger, lemma, "conflict", agent="e1", patients=("e2",), timex="t1", date=iso),),
        timexes=(Timex("t1", when.start, when.end, when.text, "DATE", iso, "day", False, "published"),),
        warnings=(Issue("quotes", "SL303", "synthetic warning", cue),) if i % 10 == 0 else (),
    )


def _bounds(span: Span) -> tuple[int, int]:
    return span.start, span.end


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(
    n: int,
    db: Path,
    *,
    queries: int = 200,
    seed: int = 7,
    timeline_budget_s: float = 120.0,
    out: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Build, ingest, link and query a store of ``n`` synthetic articles.

    Args:
        n: how many articles.
        db: the database file; it must not exist yet.
        queries: how many ``timeline`` calls to time (at most).
        timeline_budget_s: stop timing ``timeline`` once this many seconds are
            spent on it (at least one call is timed).
        seed: seed of the random choices, so runs are comparable.
        out: where the report lines go.

    Returns:
        The figures: ``n``, ``build_s``, ``ingest_s``, ``articles_per_s``, ``counts``,
        and, when measured, ``link_s``, ``timeline_p50_ms``, ``timeline_p95_ms``.
    """
    rng = random.Random(seed)
    started = time.perf_counter()
    records = [build_record(i, rng) for i in range(n)]
    build_s = time.perf_counter() - started
    result: dict[str, Any] = {"n": n, "build_s": build_s}
    with open_store(db) as store:
        started = time.perf_counter()
        for record in records:
            store.ingest(record)
        ingest_s = time.perf_counter() - started
        result.update(ingest_s=ingest_s, articles_per_s=n / ingest_s if ingest_s else float("inf"),
                      counts=store.counts())
        out(f"built {n} records in {build_s:.1f}s; ingested in {ingest_s:.1f}s: "
            f"{result['articles_per_s']:,.0f} articles/s")
        size = sum(f.stat().st_size for f in db.parent.glob(db.name + "*"))
        out(f"store {size / 1e6:,.1f} MB (with WAL); rows: "
            + ", ".join(f"{table} {count:,}" for table, count in result["counts"].items()))
        _time_timeline(store, rng, queries, timeline_budget_s, result, out)
    return result


def _time_timeline(store: Store, rng: random.Random, queries: int, budget_s: float, result: dict[str, Any],
                   out: Callable[[str], None]) -> None:
    started = time.perf_counter()
    story.link_entities(store)
    result["link_s"] = time.perf_counter() - started
    linked = store.connection.execute("SELECT count(*) FROM story_entities").fetchone()[0]
    out(f"link_entities: {result['link_s']:.1f}s, {linked:,} story entities")
    # Names people would ask for: those in the store (a name never ingested would only time the error).
    names = [row[0] for row in store.connection.execute(
        "SELECT DISTINCT name FROM entities WHERE type = 'PERSON' ORDER BY name")]
    latencies: list[float] = []
    items = failed = 0
    deadline = time.perf_counter() + budget_s
    for _ in range(queries):
        if latencies and time.perf_counter() > deadline:
            out(f"timeline: stopped after {len(latencies)} of {queries} calls (--timeline-budget {budget_s:g}s)")
            break
        name = rng.choice(names)
        started = time.perf_counter()
        try:
            items += len(story.timeline(store, name))
        except StorylineError:
            failed += 1  # timed all the same: a miss or an ambiguous name is an answer too
        latencies.append((time.perf_counter() - started) * 1000)
    result["timeline_items_mean"] = items / max(1, len(latencies) - failed)
    result["timeline_failed"] = failed
    result["timeline_p50_ms"] = statistics.median(latencies)
    result["timeline_p95_ms"] = _percentile(latencies, 0.95)
    out(f"timeline(store, name) over {len(latencies)} random names: p50 {result['timeline_p50_ms']:.2f} ms, "
        f"p95 {result['timeline_p95_ms']:.2f} ms ({result['timeline_items_mean']:.1f} items per timeline, "
        f"{failed} calls raised)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="articles to build and ingest (default 100000)")
    parser.add_argument("--db", type=Path, help="keep the store at this new file (default: a temporary one)")
    parser.add_argument("--queries", type=int, default=200, help="timeline calls to time (default 200)")
    parser.add_argument("--timeline-budget", type=float, default=120.0, metavar="SECONDS",
                        help="stop timing timeline calls after this long (default 120)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    if args.db is not None:
        if args.db.exists():
            parser.error(f"{args.db} exists; the benchmark needs a new file")
        run(args.n, args.db, queries=args.queries, seed=args.seed, timeline_budget_s=args.timeline_budget)
        return 0
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as folder:
        run(args.n, Path(folder) / "bench.db", queries=args.queries, seed=args.seed,
            timeline_budget_s=args.timeline_budget)
    return 0


if __name__ == "__main__":
    sys.exit(main())
