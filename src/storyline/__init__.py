"""storyline: news articles to attributed, time-anchored records."""

from storyline.errors import StorylineError
from storyline.model import Article, Entity, ErrorRecord, Event, Issue, Mention, Quote, Record, Relation, Span, Timex
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
__version__ = "0.1.0"
