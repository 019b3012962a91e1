"""``storyline entities``, ``profile``, ``timeline`` and ``quotes``: the story across stored articles.

Thin wrappers over ``storyline.story``; like ``storyline.cli``, the only place
here that prints or exits. Each opens an existing store (a missing file is an
error that names the fix), relinks the story entities when articles were
ingested since the last link, and prints a table or, with ``--format json``,
a JSON list of the query's plain dicts.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

import click

from storyline import story
from storyline.cli.options import db_option, format_option
from storyline.cli.story_tables import render_entities, render_profile, render_quotes, render_timeline
from storyline.errors import StorylineError

_db_option = db_option("The store `storyline ingest` wrote.")


_format_option = format_option(("table", "json"), "table: for reading; json: a list of plain objects.")


def _run(db: str, query: Callable[[Any], Any], render: Callable[[Any], str], fmt: str) -> None:
    """Open the store, relink when stale, run the query, print it."""
    try:
        with story.open_story(db) as store:
            try:
                report = story.ensure_linked(store)
            except sqlite3.OperationalError as exc:  # a read-only store: answer from the links it has
                click.echo(f"note: story links are out of date and cannot be rebuilt here ({exc})", err=True)
                report = None
            if report is not None:
                click.echo(str(report), err=True)
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
