"""``storyline entities``, ``profile``, ``timeline`` and ``quotes``: the story across stored articles; ``link``.

Thin wrappers over ``storyline.story``; like ``storyline.cli``, the only place
here that prints or exits. The four queries open an existing store read-only
(a missing file is an error that names the fix) and print a table or, with
``--format json``, a JSON list of the query's plain dicts. They never write:
when the story links lag the articles (records stored without linking), they
answer from the links as they are and say on stderr to run ``storyline
link``, the command that brings them up to date.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import Any

import click

from storyline import story
from storyline.cli.options import db_option, format_option
from storyline.cli.story_tables import render_entities, render_profile, render_quotes, render_timeline
from storyline.errors import StorylineError
from storyline.store.db import Store

_db_option = db_option("The store `storyline ingest` wrote.")


_format_option = format_option(("table", "json"), "table: for reading; json: a list of plain objects.")


def _stale_note(db: str) -> str:
    """The note a read prints when the story links lag the articles: what it means, and the command that fixes it."""
    return (f"note: the story links of {db} are older than some stored articles (stored without linking); "
            f"these answers use the links as they are. Run `storyline link --db {shlex.quote(db)}` "
            f"to bring them up to date.")


def _run(db: str, query: Callable[[Store], Any], render: Callable[[Any], str], fmt: str) -> None:
    """Open the store read-only, note stale links, run the query, print it."""
    try:
        with story.open_story(db) as store:
            if story.links_stale(store):
                click.echo(_stale_note(db), err=True)
            result = query(store)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        items = result if isinstance(result, list) else [result]
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        click.echo(render(result))


@click.command("entities")
@_db_option
@_format_option
def entities(db: str, fmt: str) -> None:
    """List the story entities: people, organisations and works across articles.

    Each row gives the articles, mentions and quotes of one story entity and
    the published dates it was first and last seen.
    """
    _run(db, story.list_entities, render_entities, fmt)


@click.command("profile")
@click.argument("name")
@_db_option
@_format_option
def profile(name: str, db: str, fmt: str) -> None:
    """Show what the articles say about NAME: names, ages, descriptions, relations.

    NAME is a story entity's name or any name or alias it has in an article
    ("Leah Varga", "Varga"). Each fact comes with the article it is from, and
    each article with the evidence that links it.
    """
    _run(db, lambda store: story.profile(store, name), render_profile, fmt)


@click.command("timeline")
@click.argument("name", required=False)
@click.option("--query", metavar="TEXT", help="Only events whose sentence, and quotes whose words, match (FTS5).")
@_db_option
@_format_option
def timeline(name: str | None, query: str | None, db: str, fmt: str) -> None:
    """Show events and dated quotes in date order, each event once with all its sources.

    With NAME, only those where that story entity is agent, patient or
    speaker. Approximate dates are marked `~` with their range; undated
    events are placed at their article's published date.
    """
    _run(db, lambda store: story.timeline(store, name, query=query), render_timeline, fmt)


@click.command("quotes")
@click.option("--speaker", metavar="NAME", help="A story entity's name or alias.")
@click.option("--about", metavar="TEXT", help="Words to find in the quotes (FTS5).")
@_db_option
@_format_option
def quotes(speaker: str | None, about: str | None, db: str, fmt: str) -> None:
    """Search quotes across articles by speaker and words, in published order."""
    _run(db, lambda store: story.search_quotes(store, speaker=speaker, about=about), render_quotes, fmt)


@click.command("link")
@db_option("The store to link (written by `storyline ingest` or `Store.ingest`).")
@click.option("--force", is_flag=True, help="Relink even when the links look up to date (after an upgrade).")
def link(db: str, force: bool) -> None:
    """Link the stored articles' entities into story entities, when the links lag the articles.

    `storyline ingest` links after storing, so its stores are up to date; use
    this after storing records some other way (`Store.ingest` from Python),
    when `entities`, `profile`, `timeline` or `quotes` say the links are out
    of date. The read commands never link: they only read. Prints what it
    linked, or that nothing was to do, on stderr.
    """
    try:
        with story.open_story(db, write=True) as store:
            report = story.update_links(store, force=force)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(report) if report is not None else f"the story links of {db} are up to date; nothing to do",
               err=True)
