"""``storyline ingest``: extract articles and keep their records in a SQLite store.

A thin wrapper over ``read_inputs``, ``process_batch`` and ``Store.ingest``;
like ``storyline.cli``, it is the only place here that prints or exits.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Iterable

import click

from ..errors import StorylineError
from ..ingest import read_inputs
from ..model import ErrorRecord, Record
from ..pipeline import process_batch
from ..render import render_error
from ..store import Store, StoreError, open_store

#: The order of the outcomes in the count line.
OUTCOMES = ("added", "unchanged", "replaced", "failed")


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--db",
    default="storyline.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The SQLite store to write (created when absent).",
)
@click.option("--published", metavar="DATE", help="ISO publication date for every input, e.g. 2025-01-28.")
@click.option("--strict", is_flag=True, help="Stop at the first input that fails (exit status 1).")
def ingest(paths: tuple[str, ...], db: str, published: str | None, strict: bool) -> None:
    """Extract articles and store their records in a SQLite database.

    PATHS are read as by `storyline extract`. Each article is stored in one
    transaction: added when its id is new, left unchanged when its text is
    the same, replaced (all its old rows deleted) when the text changed. An
    input that fails is stored as an error record; the run goes on, prints
    counts to stderr and exits with status 1 when anything failed.
    """
    try:
        items = read_inputs(paths, published=published)  # checks --published before the store is made
        with open_store(db) as store:
            counts, stopped = _store_all(store, process_batch(items), strict=strict)
            if counts["added"] or counts["replaced"]:  # unchanged articles need no relinking
                _link(store)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    if stopped is not None:
        raise click.ClickException(
            f"{stopped.code}: stopped at the first failure (--strict); {_count_line(counts)}; "
            f"drop --strict to process the rest and keep an error record for each failure"
        )
    click.echo(_count_line(counts), err=True)
    if counts["failed"]:
        click.get_current_context().exit(1)


def _store_all(
    store: Store, records: Iterable[Record | ErrorRecord], *, strict: bool
) -> tuple[Counter[str], ErrorRecord | None]:
    """Store each record as it comes; return the counts and the error --strict stopped at."""
    counts: Counter[str] = Counter({outcome: 0 for outcome in OUTCOMES})
    for record in records:
        if isinstance(record, Record):
            try:
                counts[store.ingest(record)] += 1
                continue
            except StoreError as exc:
                # One article that cannot be written must not lose the others.
                record = ErrorRecord(record.doc_id, exc.stage, exc.code, exc.message,
                                     dict(record.source))
        counts["failed"] += 1
        click.echo(render_error(record), err=True)
        try:
            store.ingest(record)
        except StoreError as exc:
            # Not even the error record fits (an id that is not valid Unicode): say so, go on.
            click.echo(f"!! {record.doc_id!r}  NOT STORED  {exc}", err=True)
        if strict:
            return counts, record
    return counts, None


def _link(store: Store) -> None:
    """Rebuild the cross-article tables when ``storyline.story`` provides ``link_entities``."""
    link_entities = _entity_linker()
    if link_entities is not None:
        link_entities(store)


def _entity_linker() -> Callable[[Store], object] | None:
    """``storyline.story.link_entities``, or None while that module (or function) does not exist."""
    try:
        module = importlib.import_module("storyline.story")
    except ModuleNotFoundError as exc:
        if exc.name == "storyline.story":
            return None
        raise  # story.py exists but one of its own imports is missing: say so
    linker: Callable[[Store], object] | None = getattr(module, "link_entities", None)
    return linker


def _count_line(counts: Counter[str]) -> str:
    total = sum(counts[outcome] for outcome in OUTCOMES)
    parts = ", ".join(f"{counts[outcome]} {outcome}" for outcome in OUTCOMES)
    return f"{total} article{'s' if total != 1 else ''}: {parts}"
