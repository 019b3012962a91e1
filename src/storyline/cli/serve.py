"""``storyline serve``: browse a store in datasette, with storyline's timeline, quote and article pages.

A thin wrapper over ``storyline.web.make_datasette``; like ``storyline.cli``,
it is the only place here that prints or exits. The store is opened
read-only and the server binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import asyncio

import click

from storyline.cli.options import db_option
from storyline.errors import StorylineError


@click.command("serve")
@db_option("The SQLite store to browse (written by `storyline ingest`); opened read-only.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; 0.0.0.0 makes the store readable by anyone who can reach this machine.",
)
def serve(db: str, port: int, host: str) -> None:
    """Serve a store in the browser: datasette plus storyline's pages.

    Pages: /-/storyline/ (entities and articles), /-/storyline/entity/ID (a
    timeline), /-/storyline/quotes (quotes by speaker, with search) and
    /-/storyline/article/DOC_ID (an article with its quotes marked). The
    store's tables are browsable in datasette at /. Stop with Ctrl-C.
    """
    from storyline.web import make_datasette

    try:
        ds = make_datasette(db)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    import uvicorn  # installed with datasette; imported late so `storyline --help` stays quick

    asyncio.run(ds.invoke_startup())
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving {db} read-only at http://{shown}:{port}/-/storyline/ (Ctrl-C to stop)", err=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
