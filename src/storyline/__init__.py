"""storyline: news articles to attributed, time-anchored records.

``extract(text)`` turns one article into a ``Record`` (quotes, entities,
relations, events, time expressions, every span a half-open character range
into ``text``); ``process_batch`` does many, turning failures into
``ErrorRecord``s. The records and errors are imported at once; the three
extraction functions load the pipeline and its stages on first use, so that
``import storyline.store`` or the web pages never load stages they do not run.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from storyline.errors import StorylineError
from storyline.model import Article, Entity, ErrorRecord, Event, Issue, Mention, Quote, Record, Relation, Span, Timex

if TYPE_CHECKING:
    from storyline.pipeline import extract, process_article, process_batch

__all__ = [
    "Article",
    "Entity",
    "ErrorRecord",
    "Event",
    "Issue",
    "Mention",
    "Quote",
    "Record",
    "Relation",
    "Span",
    "StorylineError",
    "Timex",
    "extract",
    "process_article",
    "process_batch",
]

try:
    __version__ = version("storyline")  # pyproject.toml is the one place the version is written
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"

_PIPELINE = frozenset({"extract", "process_article", "process_batch"})


def __getattr__(name: str) -> Any:
    """``storyline.extract`` and its siblings, from ``storyline.pipeline`` when first asked for."""
    if name in _PIPELINE:
        from storyline import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
