"""Build the datasette app over a store, with the storyline plugin registered in code.

The plugin is also published through the ``datasette`` entry point; registering
it here as well means ``storyline serve`` works from a source checkout that
was never pip-installed, and registering twice is a no-op.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from storyline.errors import WEB_NOT_A_STORE, WEB_STORE_MISSING, WebError
from storyline.web import data, plugin


def register_plugin() -> None:
    """Register ``storyline.web.plugin`` with datasette's plugin manager unless it already is."""
    from datasette.plugins import pm

    if not pm.is_registered(plugin) and pm.get_plugin(plugin.PLUGIN_NAME) is None:
        pm.register(plugin, name=plugin.PLUGIN_NAME)


def check_store_file(path: str | Path) -> None:
    """Raise WebError unless ``path`` is a storyline store this process can read.

    Raises:
        WebError: (SL805) when the file does not exist; (SL801) when it is not
            a storyline store.
    """
    target = Path(path)
    if not target.is_file():
        raise WebError(
            f"no store at {target}; create one with `storyline ingest PATH --db {target}`",
            code=WEB_STORE_MISSING,
            status=503,
        )
    try:
        conn = sqlite3.connect(target.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise WebError(f"{target} cannot be opened ({exc})", code=WEB_STORE_MISSING, status=503) from exc
    try:
        data.check_store(conn)
    except sqlite3.DatabaseError as exc:
        raise WebError(
            f"{target} is not a storyline store ({exc}); create one with `storyline ingest PATH --db FILE`",
            code=WEB_NOT_A_STORE,
            status=500,
        ) from exc
    finally:
        conn.close()


def make_datasette(path: str | Path, **kwargs: Any) -> Any:
    """A ``datasette.app.Datasette`` serving the store at ``path`` read-only, with the plugin registered.

    The database is opened ``mode=ro``, so SQLite itself refuses writes, and a
    store still being written in WAL mode is read as last committed (an
    ``immutable`` database would ignore the WAL). The plugin finds the store
    among the served databases itself, or uses the ``database`` of its
    plugin settings.

    Args:
        path: the store file.
        **kwargs: passed on to ``Datasette`` (``settings``, ``metadata``...).

    Raises:
        WebError: when ``path`` is missing or not a storyline store.
    """
    from datasette.app import Datasette

    check_store_file(path)
    register_plugin()
    return Datasette(files=[str(path)], **kwargs)
