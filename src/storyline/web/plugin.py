"""The datasette plugin: storyline's pages at ``/-/storyline/``, read from the store only.

Pages (all HTML, every piece of stored text escaped by the templates):

- ``/-/storyline/``: the story entities and articles in the store;
- ``/-/storyline/entity/<id>``: a story entity's timeline;
- ``/-/storyline/quotes?speaker=&q=``: quotes with speaker facets and full-text search;
- ``/-/storyline/article/<doc_id>``: an article with its quotes and entity mentions marked.

Anything else under ``/-/storyline/``, and every error, is answered with the
JSON of ``storyline.web.render.error_body``. Registered through the
``datasette`` entry point or by ``storyline.web.register_plugin``.

The pages only read: every view reads through ``db.execute_fn``, which runs
on datasette's read connections (``mode=ro`` for a file, ``immutable=1`` for
an immutable one), so SQLite refuses any write; nothing relinks, and when the
story links lag the articles the index page says how to update them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import unquote

from datasette import hookimpl as datasette_hookimpl
from datasette.utils.asgi import Request, Response

from storyline.errors import WEB_INTERNAL, WEB_NOT_FOUND, WEB_STORE_MISSING, WebError
from storyline.web import data
from storyline.web.render import json_error, render_page, static_response
from storyline.web.timeline import layout_timeline

PREFIX = "/-/storyline"
PLUGIN_NAME = "storyline"

View = Callable[[Any, Request], Awaitable[Response]]
_Hook = TypeVar("_Hook", bound=Callable[..., Any])


def hookimpl(fn: _Hook) -> _Hook:
    """Mark ``fn`` as a datasette hook implementation and return it with its type (datasette ships none)."""
    datasette_hookimpl(fn)  # pluggy marks the function in place
    return fn


@hookimpl
def register_routes() -> list[tuple[str, View]]:
    """The plugin's routes; the last one answers unknown paths under the prefix with a JSON 404."""
    return [
        (r"^/-/storyline/?$", index_view),
        (r"^/-/storyline/entity/(?P<entity_id>[^/]+)$", entity_view),
        (r"^/-/storyline/quotes/?$", quotes_view),
        (r"^/-/storyline/article/(?P<doc_id>[^/]+)$", article_view),
        (r"^/-/storyline/static/(?P<name>[^/]+)$", static_view),
        (r"^/-/storyline/.*$", not_found_view),
    ]


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    """Add the storyline index to datasette's menu."""
    return [{"href": datasette.urls.path(PREFIX + "/"), "label": "Storyline"}]


def _page(fn: View) -> View:
    """Answer WebError and SQLite errors with the JSON error shape instead of an HTML 500."""

    async def view(datasette: Any, request: Request) -> Response:
        try:
            return await fn(datasette, request)
        except WebError as exc:
            return json_error(exc.code, exc.message, exc.status)
        except sqlite3.Error as exc:
            return json_error(
                WEB_INTERNAL,
                f"the store could not be read ({exc}); check that it was written by this storyline version",
                500,
            )

    view.__name__ = fn.__name__
    view.__doc__ = fn.__doc__
    return view


async def _store_db(datasette: Any) -> Any:
    """The datasette database holding the store: the plugin's ``database`` setting, else the first store."""
    config = datasette.plugin_config(PLUGIN_NAME) or {}
    name = config.get("database")
    if name:
        try:
            return datasette.get_database(name)
        except KeyError:
            raise WebError(
                f"the storyline plugin is set to database {name!r}, which datasette does not serve",
                code=WEB_STORE_MISSING,
                status=503,
            ) from None
    for db_name, db in datasette.databases.items():
        if db_name.startswith("_") or db.is_memory:
            continue
        if await db.table_exists("articles") and await db.table_exists("quotes"):
            return db
    raise WebError(
        "no storyline store is being served; run `storyline serve --db FILE` with a store written by "
        "`storyline ingest PATH --db FILE`",
        code=WEB_STORE_MISSING,
        status=503,
    )


def _context(datasette: Any, db: Any) -> dict[str, Any]:
    return {
        "prefix": datasette.urls.path(PREFIX),
        "home": datasette.urls.path("/"),
        "database": db.name,
        "database_url": datasette.urls.database(db.name),
    }


@_page
async def index_view(datasette: Any, request: Request) -> Response:
    """The store at a glance: story entities and articles."""
    db = await _store_db(datasette)
    overview = await db.execute_fn(data.overview)
    return render_page("index.html", **_context(datasette, db), **overview)


@_page
async def entity_view(datasette: Any, request: Request) -> Response:
    """A story entity's timeline: dated items on an axis, undated ones in their own lane."""
    db = await _store_db(datasette)
    entity_id = unquote(request.url_vars["entity_id"])

    def read(conn: sqlite3.Connection) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, dict[str, Any]]]:
        entity = data.story_entity(conn, entity_id)
        items = data.entity_timeline(conn, entity)
        sources = data.article_titles(conn, (doc for item in items for doc in item["sources"]))
        return entity, items, sources

    entity, items, sources = await db.execute_fn(read)
    layout = layout_timeline(items)
    return render_page(
        "entity.html", **_context(datasette, db), entity=entity, layout=layout, items=items, sources=sources
    )


@_page
async def quotes_view(datasette: Any, request: Request) -> Response:
    """Quotes with speaker facets; ``?speaker=NAME`` (``-`` for none) and ``?q=WORDS`` filter."""
    db = await _store_db(datasette)
    speaker = request.args.get("speaker") or None
    q = (request.args.get("q") or "").strip() or None
    page = await db.execute_fn(lambda conn: data.quotes_page(conn, speaker=speaker, q=q))
    return render_page("quotes.html", **_context(datasette, db), **page, no_speaker=data.NO_SPEAKER)


@_page
async def article_view(datasette: Any, request: Request) -> Response:
    """An article's text with quotes coloured by speaker and mentions linked to their entity."""
    db = await _store_db(datasette)
    doc_id = unquote(request.url_vars["doc_id"])
    page = await db.execute_fn(lambda conn: data.article_page(conn, doc_id))
    return render_page("article.html", **_context(datasette, db), **page)


@_page
async def static_view(datasette: Any, request: Request) -> Response:
    """A file of the plugin's own ``static/`` folder, looked up by name (no paths)."""
    return static_response(unquote(request.url_vars["name"]))


@_page
async def not_found_view(datasette: Any, request: Request) -> Response:
    """Any other path under the prefix."""
    raise WebError(
        f"no storyline page at {request.path}; the pages are {PREFIX}/, {PREFIX}/entity/ID, "
        f"{PREFIX}/quotes and {PREFIX}/article/DOC_ID",
        code=WEB_NOT_FOUND,
        status=404,
    )
