"""``storyline ingest``: extract articles and keep their records in a SQLite store.

A thin wrapper over ``read_inputs``, ``process_batch``, ``storyline.store.ingest``
(storing with counts, ``--resume``'s skipping) and ``storyline.story.update_links``
(linking, the one place it runs); like ``storyline.cli``, it is the only place
here that prints or exits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain

import click

from storyline.cli.options import db_option, progress_option, published_option, strict_option, workers_option
from storyline.cli.progress import Progress, closing_iterator, progress_enabled
from storyline.cli.tables import render_error
from storyline.errors import StorylineError
from storyline.model import ErrorRecord, Record
from storyline.pipeline import process_batch
from storyline.run.shards import is_shards, read_shards
from storyline.run.workers import process_parallel
from storyline.store.db import Store, open_store
from storyline.store.ingest import OUTCOMES, IngestCounts, Stored, skip_stored, store_records
from storyline.story import update_links
from storyline.text import read_inputs


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
    again. After storing, the story entities are relinked whenever the links
    lag the articles, so the read commands find them up to date (`storyline
    link` does only that, for a store written some other way).
    """
    shard_dirs, article_paths = _split_shard_dirs(paths, published)
    try:
        items = read_inputs(article_paths, published=published)  # checks --published before the store is made
        with open_store(db) as store:
            skipped: Counter[str] = Counter()
            if resume:
                items = skip_stored(store, items, skipped)
            if article_paths:
                records = process_batch(items) if workers == 1 else process_parallel(items, workers)
            else:
                records = iter(())  # only directories of shards: nothing to extract, no model to load
            if shard_dirs:
                records = chain(*(read_shards(d) for d in shard_dirs), records)
            with Progress(progress_enabled(progress), paths, desc="ingest") as bar:
                result = _store_all(store, records, strict=strict, bar=bar, skipped=skipped)
            result.counts["skipped"] = skipped["skipped"]
            # Linking belongs to the write path: the reads never link. It runs whenever the story
            # tables lag the articles (anything added or replaced, or a stopped run that never linked).
            update_links(store)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    if result.stopped is not None:
        raise click.ClickException(
            f"{result.stopped.code}: stopped at the first failure (--strict); {_count_line(result.counts, resume)}; "
            f"drop --strict to process the rest and keep an error record for each failure"
        )
    click.echo(_count_line(result.counts, resume), err=True)
    if result.counts["failed"]:
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


def _store_all(
    store: Store, records: Iterable[Record | ErrorRecord], *, strict: bool, bar: Progress, skipped: Counter[str],
) -> IngestCounts:
    """Store the records (``store_records``) while the bar counts them, and the inputs ``--resume`` skips.

    Each failure is named on stderr as it happens (above the bar).
    """
    counted_skips = 0

    def show(stored: Stored) -> None:
        nonlocal counted_skips
        if skipped["skipped"] > counted_skips:  # inputs --resume let out before this record
            bar.advance(skipped["skipped"] - counted_skips)
            counted_skips = skipped["skipped"]
        bar.advance(failed=stored.error is not None)
        if stored.error is not None:
            bar.echo(render_error(stored.error))
            if stored.not_stored is not None:
                # Not even the error record fits (an id that is not valid Unicode): say so, go on.
                bar.echo(f"!! {stored.error.doc_id!r}  NOT STORED  {stored.not_stored}")

    with closing_iterator(records):
        result = store_records(store, records, strict=strict, each=show)
    if result.stopped is None:
        bar.advance(skipped["skipped"] - counted_skips)
        bar.done()
    return result


def _count_line(counts: Counter[str], resume: bool = False) -> str:
    outcomes = (*OUTCOMES, "skipped") if resume else OUTCOMES
    total = sum(counts[outcome] for outcome in outcomes)
    parts = ", ".join(f"{counts[outcome]} {outcome}" for outcome in outcomes)
    return f"{total} article{'s' if total != 1 else ''}: {parts}"
