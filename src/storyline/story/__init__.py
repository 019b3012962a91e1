"""The story across articles: entity linking, timelines, profiles and quote search, over the store.

``link_entities`` (``linking``) joins each article's entities into story
entities when records are written; ``queries`` answers ``entities``,
``profile``, ``timeline`` and ``quotes`` from the store, read-only; ``events``
merges the same event reported in several articles.
"""

from storyline.story.events import date_range, merge_events
from storyline.story.linking import LinkReport, link_entities
from storyline.story.queries import (
    ensure_linked,
    find_entity,
    list_entities,
    open_story,
    profile,
    search_quotes,
    timeline,
)

__all__ = [
    "LinkReport",
    "date_range",
    "ensure_linked",
    "find_entity",
    "link_entities",
    "list_entities",
    "merge_events",
    "open_story",
    "profile",
    "search_quotes",
    "timeline",
]
