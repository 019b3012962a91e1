"""Web UI errors: stable SL8xx codes and one JSON shape for every error the pages answer.

The codes live here, as the store's SL7xx live in ``storyline.store`` and the
evaluation's SL6xx in ``storyline.evaluate``, so the web UI is added without
touching the stages' shared ``storyline.errors``.
"""

from __future__ import annotations

from typing import Any

from storyline.errors import StorylineError

from storyline.errors import (
    WEB_NOT_A_STORE,
    WEB_ENTITY_NOT_FOUND,
    WEB_ARTICLE_NOT_FOUND,
    WEB_NOT_FOUND,
    WEB_STORE_MISSING,
    WEB_INTERNAL,
)  # noqa: E402, F401  (re-exported; the codes live in storyline.errors)

_TITLES = {400: "Bad request", 404: "Not found", 500: "Server error", 503: "Service unavailable"}


class WebError(StorylineError):
    """A page cannot be answered (SL8xx); ``status`` is the HTTP status to answer with."""

    code = "SL800"
    stage = "web"

    def __init__(self, message: str, *, code: str | None = None, status: int = 400) -> None:
        super().__init__(message, code=code)
        self.status = status


def error_body(code: str, message: str, status: int) -> dict[str, Any]:
    """The one JSON error shape of the web UI.

    It is datasette's own (``ok``, ``error``, ``status``, ``title``) plus the
    stable ``code``, so a client reads plugin and datasette errors alike.
    """
    return {"ok": False, "error": message, "status": status, "title": _TITLES.get(status, "Error"), "code": code}
