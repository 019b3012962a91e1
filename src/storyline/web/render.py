"""Responses of the web UI: escaped HTML pages, the plugin's static files, JSON errors.

Pages are rendered by the package's own Jinja2 environment with autoescape on
for every template, so stored text (article text, quotes, names, titles) is
always HTML-escaped; no template marks stored text ``|safe``. Static files are
served from a fixed list of the package's ``static/`` folder, looked up by
name, so no other path can be reached through the plugin.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from datasette.utils.asgi import Response
from jinja2 import Environment, PackageLoader, StrictUndefined

from storyline.errors import WEB_NOT_FOUND

#: The pages load nothing but the plugin's stylesheet: no script runs, inline or not.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_CONTENT_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png"}


_TITLES = {400: "Bad request", 404: "Not found", 500: "Server error", 503: "Service unavailable"}


def error_body(code: str, message: str, status: int) -> dict[str, Any]:
    """The one JSON error shape of the web UI.

    It is datasette's own (``ok``, ``error``, ``status``, ``title``) plus the
    stable ``code``, so a client reads plugin and datasette errors alike.
    """
    return {"ok": False, "error": message, "status": status, "title": _TITLES.get(status, "Error"), "code": code}


def _url_quote(value: Any) -> str:
    """Percent-encode one path segment (a doc_id may hold ``/``, ``?`` or ``#``)."""
    return quote(str(value), safe="")


def _query(params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


@cache
def environment() -> Environment:
    """The Jinja2 environment over the package's templates, autoescaping everything."""
    env = Environment(
        loader=PackageLoader("storyline.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlseg"] = _url_quote
    env.globals["query"] = _query
    return env


def render_page(template: str, **context: Any) -> Response:
    """Render a page template to an HTML response with the security headers."""
    html = environment().get_template(template).render(**context)
    return Response.html(html, headers=dict(SECURITY_HEADERS))


def json_error(code: str, message: str, status: int) -> Response:
    """An error in the web UI's one JSON shape (see ``error_body``)."""
    body = json.dumps(error_body(code, message, status), ensure_ascii=False)
    return Response(body, status=status, content_type="application/json; charset=utf-8",
                    headers={"X-Content-Type-Options": "nosniff"})


@cache
def _static_files() -> dict[str, bytes]:
    folder = resources.files("storyline.web").joinpath("static")
    return {entry.name: entry.read_bytes() for entry in folder.iterdir() if entry.is_file()}


def static_response(name: str) -> Response:
    """Serve a file of the plugin's ``static/`` folder by its bare name, or a JSON 404."""
    files = _static_files()
    if name not in files:
        return json_error(WEB_NOT_FOUND, f"no static file {name!r} in the storyline plugin", 404)
    suffix = name[name.rfind("."):] if "." in name else ""
    content_type = _CONTENT_TYPES.get(suffix, "application/octet-stream")
    headers = {"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"}
    return Response(files[name], content_type=content_type, headers=headers)
