"""``storyline ingest``: extract articles and keep their records in a SQLite store.

A thin wrapper over ``read_inputs``, ``process_batch`` and ``Store.ingest``;
like ``storyline.cli``, it is the only place here that prints or exits.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import chain

import click

from storyline.cli.options import db_option, progress_option, published_option, strict_option, workers_option
from storyline.cli.progress import Progress, closing_iterator, progress_enabled
from storyline.cli.tables import render_error
from storyline.errors import StoreError, StorylineError
from storyline.model import Article, ErrorRecord, Record, sha256_of
from storyline.pipeline import process_batch
from storyline.run.shards import is_shards, read_shards
from storyline.run.workers import process_parallel
from storyline.store.db import Store, open_store
from storyline.story.linking import link_entities
from storyline.text import read_inputs

#: The order of the outcomes in the count line; with --resume, "skipped" follows them.
OUTCOMES = ("added", "unchanged", "replaced", "failed")


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@db_option("The SQLite store to write (created when absent).")
@published_option
@strict_option
@click.option(
    "--resume",
    is_flag=True,
    help="Skip, before extraction, the inputs stored with the same text (failed ones are retried).",
)
@workers_option
@progress_option
def ingest(paths: tuple[str, ...], db: str, published: str | None, strict: bool, resume: bool, workers: int,
           progress: bool | None) -> None:
    """Extract articles and store their records in a SQLite database.

    PATHS are read as by `storyline extract`. Each article is stored in one
    transaction: added when its id is new, left unchanged when its text is
    the same, replaced (all its old rows deleted) when the text changed. An
    input that fails is stored as an error record; the run goes on, prints
    counts to stderr and exits with status 1 when anything failed. With
    --resume, an input already stored with the same text is skipped without
    being extracted again, so a stopped run picks up where it left off.
    --workers N extracts in N processes; the store is written by this one.
    A directory of shards written by `storyline extract --dask ... -o DIR`,
    or one of its part-NNNNN files, is stored as it is, without extracting
    again.
    """
    shard_dirs, article_paths = _split_shard_dirs(paths, published)
    try:
        items = read_inputs(article_paths, published=published)  # checks --published before the store is made
        with open_store(db) as store:
            skipped: Counter[str] = Counter()
            if resume:
                items = _skip_stored(store, items, skipped)
            if article_paths:
                records = process_batch(items) if workers == 1 else process_parallel(items, workers)
            else:
                records = iter(())  # only directories of shards: nothing to extract, no model to load
            if shard_dirs:
                records = chain(*(read_shards(d) for d in shard_dirs), records)
            with Progress(progress_enabled(progress), paths, desc="ingest") as bar:
                counts, stopped = _store_all(store, records, strict=strict, bar=bar, skipped=skipped)
            counts["skipped"] = skipped["skipped"]
            # unchanged articles need no relinking; a resumed run also relinks when the stopped
            # run stored articles but was killed before (or while) it linked them
            if counts["added"] or counts["replaced"] or (resume and _links_behind(store)):
                _link(store)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    if stopped is not None:
        raise click.ClickException(
            f"{stopped.code}: stopped at the first failure (--strict); {_count_line(counts, resume)}; "
            f"drop --strict to process the rest and keep an error record for each failure"
        )
    click.echo(_count_line(counts, resume), err=True)
    if counts["failed"]:
        click.get_current_context().exit(1)


def _split_shard_dirs(paths: tuple[str, ...], published: str | None) -> tuple[list[str], tuple[str, ...]]:
    """Tell the directories of shards (``storyline extract --dask``) from the article inputs.

    Raises:
        click.UsageError: with --published and a directory of shards (its records are dated already).
    """
    shard_dirs = [p for p in paths if p != "-" and is_shards(p)]
    if shard_dirs and published is not None:
        raise click.UsageError(f"--published cannot change {shard_dirs[0]}: its records were extracted already; "
                               f"give --published to `storyline extract --dask` instead")
    return shard_dirs, tuple(p for p in paths if p not in shard_dirs)


def _skip_stored(
    store: Store, items: Iterable[Article | ErrorRecord], skipped: Counter[str]
) -> Iterator[Article | ErrorRecord]:
    """Pass on the inputs still to do; count in ``skipped["skipped"]`` those stored with the same text.

    An input with a stored error row is passed on even when its article is
    stored: the run that failed on it would have been retried by an
    uninterrupted run too. Error records from reading pass on as they are.
    """
    for item in items:
        if isinstance(item, Article) and store.has(item.doc_id, sha256_of(item)) and store.error(item.doc_id) is None:
            skipped["skipped"] += 1
            continue
        yield item


def _links_behind(store: Store) -> bool:
    """Whether the story tables lag the articles: a link missing, or a timeline built before the last write."""
    conn = store.connection
    state = dict(tuple(row) for row in conn.execute(
        "SELECT key, value FROM meta WHERE key IN ('articles_version', 'timeline_of')"))
    if "articles_version" in state and state.get("timeline_of") != state["articles_version"]:
        # never linked (timeline_of absent) counts only once something is stored
        return "timeline_of" in state or store.counts()["articles"] > 0
    return _missing_links(conn)


def _missing_links(conn: sqlite3.Connection) -> bool:
    """Some article entity without a link, or a link without its entity."""
    return bool(conn.execute(
        "SELECT EXISTS (SELECT 1 FROM entities e LEFT JOIN entity_links l "
        "ON l.doc_id = e.doc_id AND l.entity_id = e.id WHERE l.story_entity IS NULL) "
        "OR EXISTS (SELECT 1 FROM entity_links l LEFT JOIN entities e "
        "ON l.doc_id = e.doc_id AND l.entity_id = e.id WHERE e.id IS NULL)"
    ).fetchone()[0])


def _store_all(
    store: Store, records: Iterable[Record | ErrorRecord], *, strict: bool, bar: Progress | None = None,
    skipped: Counter[str] | None = None,
) -> tuple[Counter[str], ErrorRecord | None]:
    """Store each record as it comes; return the counts and the error --strict stopped at.

    ``bar`` counts each record, and the inputs ``skipped["skipped"]`` counts (``--resume``) as they go by.
    """
    bar = bar or Progress(False)
    skips = skipped if skipped is not None else Counter()
    counted_skips = 0
    counts: Counter[str] = Counter({outcome: 0 for outcome in OUTCOMES})
    with closing_iterator(records):
        for record in records:
            if skips["skipped"] > counted_skips:
                bar.advance(skips["skipped"] - counted_skips)
                counted_skips = skips["skipped"]
            failure = _store_one(store, record, counts, bar)
            if failure is not None and strict:
                return counts, failure
    bar.advance(skips["skipped"] - counted_skips)
    bar.done()
    return counts, None


def _store_one(store: Store, record: Record | ErrorRecord, counts: Counter[str], bar: Progress) -> ErrorRecord | None:
    """Store one record and count its outcome; return the error record stored when it failed."""
    if isinstance(record, Record):
        try:
            counts[store.ingest(record)] += 1
            bar.advance()
            return None
        except StoreError as exc:
            # One article that cannot be written must not lose the others.
            record = ErrorRecord(record.doc_id, exc.stage, exc.code, exc.message,
                                 dict(record.source))
    counts["failed"] += 1
    bar.advance(failed=True)
    bar.echo(render_error(record))
    try:
        store.ingest(record)
    except StoreError as exc:
        # Not even the error record fits (an id that is not valid Unicode): say so, go on.
        bar.echo(f"!! {record.doc_id!r}  NOT STORED  {exc}")
    return record


def _link(store: Store) -> None:
    """Rebuild the cross-article tables (``link_entities``) unless a test switched linking off."""
    linker = _entity_linker()
    if linker is not None:
        linker(store)


def _entity_linker() -> Callable[[Store], object] | None:
    """The linker ingest runs after writing: ``storyline.story.linking.link_entities``."""
    return link_entities


def _count_line(counts: Counter[str], resume: bool = False) -> str:
    outcomes = (*OUTCOMES, "skipped") if resume else OUTCOMES
    total = sum(counts[outcome] for outcome in outcomes)
    parts = ", ".join(f"{counts[outcome]} {outcome}" for outcome in outcomes)
    return f"{total} article{'s' if total != 1 else ''}: {parts}"
