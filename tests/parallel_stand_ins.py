"""Model-free stand-ins for ``storyline.run.workers``'s workers (shared by the ``--workers`` tests).

Workers are started with ``spawn``: a fresh interpreter that imports what it
runs by name, so a monkeypatch in the test process does not reach it. The
tests put one of these initializers in place of ``parallel._init_worker``
(the pool pickles it by name, so it must live at module level in an
importable module, not in a test file); run inside each worker, it sets the
worker's own ``storyline.run.workers`` up as the test needs. This module
imports nothing from pytest or the tests, so a worker starts quickly.
"""

from __future__ import annotations

import os
from typing import Any

from storyline.errors import STAGE_CRASHED
from storyline.model import Article, ErrorRecord, Record
from storyline.run import workers as parallel


def stand_in_article(article: Article, *, nlp: Any = None, time_budget: float | None = None,
                     **_: Any) -> Record | ErrorRecord:
    """Kill the worker on KILL, crash on CRASH (as process_article reports it), else a record naming the budget."""
    if "KILL" in article.text:
        os._exit(3)
    if "CRASH" in article.text:
        return ErrorRecord(article.doc_id, "extract", STAGE_CRASHED, "stand-in crash", dict(article.source))
    return Record(article.doc_id, article.text, source={**article.source, "budget": time_budget, "pid": os.getpid()})


def stand_in_init(budget: float | None) -> None:
    """Worker initializer: keep the budget and extract with ``stand_in_article``; no model is loaded."""
    parallel._budget = budget
    parallel.process_article = stand_in_article  # type: ignore[attr-defined]  # in this worker's own module only
    parallel._exit_with_parent()  # as the real initializer: no worker outlives a killed test run


def no_model_init(budget: float | None) -> None:
    """Worker initializer that fails as a missing spaCy model does: every chunk answers SL201."""
    parallel._fatal = parallel._Fatal("SL201", "parse", "the spaCy model package is not installed; run `make setup`")
