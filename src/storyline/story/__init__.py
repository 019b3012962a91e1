"""The story across articles: entity linking, timelines, profiles and quote search, over the store.

``update_links`` (``linking``) joins each article's entities into story
entities when records are written: it is the one place linking runs.
``queries`` answers ``entities``, ``profile``, ``timeline`` and ``quotes``
from the store, read-only, and ``links_stale`` tells when the links lag the
articles; ``events`` merges the same event reported in several articles.
"""

from storyline.story.events import date_range, merge_events
from storyline.story.linking import LinkReport, link_entities, links_stale, update_links
from storyline.story.queries import (
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
    "find_entity",
    "link_entities",
    "links_stale",
    "list_entities",
    "merge_events",
    "open_story",
    "profile",
    "search_quotes",
    "timeline",
    "update_links",
]
