"""The reads behind the timeline: events, dated quotes, links, and the materialised timeline.

``storyline.story.events`` merges what these return into timeline items;
the SQL is here. Each ``story_entity`` argument narrows a read to the
articles that story entity is linked in (events that involve it can only
come from those); None reads the whole store. Offsets in rows are the
store's: half-open character offsets into ``articles.text``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from storyline.store.links import articles_state
from storyline.store.rows import Row, fetch_rows

__all__ = [
    "article_entities",
    "article_texts",
    "dated_quote_rows",
    "entity_link_rows",
    "event_rows",
    "materialised_timeline",
    "sentences_matching",
]

_EVENTS = (
    "SELECT ev.doc_id, ev.id, ev.trigger_start AS start, ev.trigger_end AS end, ev.trigger AS words, ev.predicate, "
    "ev.agent, ev.patients_json, ev.date, ev.polarity, ev.modality, ev.hedges_json, ev.attributed_to, a.published, "
    "t.value AS t_value, t.approximate FROM events ev JOIN articles a ON a.doc_id = ev.doc_id "
    "LEFT JOIN timexes t ON t.doc_id = ev.doc_id AND t.id = ev.timex WHERE {scope} "
    "ORDER BY a.published, ev.doc_id, ev.trigger_start"
)
# A dated quote reads as "speaker says to addressee"; its words are the evidence.
_QUOTES = (
    "SELECT q.doc_id, q.id, q.content_start AS start, q.content_end AS end, q.content AS words, 'say' AS predicate, "
    "q.speaker AS agent, CASE WHEN q.addressee IS NULL THEN '[]' ELSE '[\"' || q.addressee || '\"]' END AS patients_json, "
    "q.date, 'positive' AS polarity, CASE WHEN COALESCE(q.hedges_json, '[]') = '[]' THEN 'asserted' ELSE 'hedged' END AS modality, "
    "q.hedges_json, q.reported_by AS attributed_to, a.published, t.value AS t_value, t.approximate "
    "FROM quotes q JOIN articles a ON a.doc_id = q.doc_id LEFT JOIN timexes t ON t.doc_id = q.doc_id AND t.id = q.timex "
    "WHERE q.date IS NOT NULL AND {scope} ORDER BY a.published, q.doc_id, q.content_start"
)
# The articles a story entity is linked in: events that involve it can only come from these.
_SCOPE = "{alias}.doc_id IN (SELECT doc_id FROM entity_links WHERE story_entity = ?)"


def _scoped(conn: sqlite3.Connection, sql: str, alias: str, story_entity: int | None) -> list[Row]:
    """Run ``sql`` with its ``{scope}`` filled: every row, or the rows of the entity's articles."""
    if story_entity is None:
        return fetch_rows(conn, sql.replace("{scope}", "1"))
    return fetch_rows(conn, sql.replace("{scope}", _SCOPE.replace("{alias}", alias)), (story_entity,))


def entity_link_rows(conn: sqlite3.Connection, story_entity: int | None = None) -> list[Row]:
    """The entity links (``doc_id``, ``entity_id``, ``story_entity``, ``evidence``) of the articles in scope."""
    return _scoped(conn, "SELECT * FROM entity_links l WHERE {scope}", "l", story_entity)


def article_entities(conn: sqlite3.Connection, story_entity: int | None = None) -> list[Row]:
    """The article entities (``doc_id``, ``id``, ``name``) of the articles in scope."""
    return _scoped(conn, "SELECT doc_id, id, name FROM entities e WHERE {scope}", "e", story_entity)


def article_texts(conn: sqlite3.Connection, story_entity: int | None = None) -> dict[str, str]:
    """Return doc_id -> text of the articles in scope."""
    rows = _scoped(conn, "SELECT doc_id, text FROM articles a WHERE {scope}", "a", story_entity)
    return {r["doc_id"]: r["text"] for r in rows}


def event_rows(conn: sqlite3.Connection, story_entity: int | None = None) -> list[Row]:
    """The events of the articles in scope, with their timex, in published, article and text order.

    Returns:
        Rows of ``doc_id``, ``id``, ``start``, ``end`` (the trigger's
        offsets), ``words`` (the trigger), ``predicate``, ``agent``,
        ``patients_json``, ``date``, ``polarity``, ``modality``,
        ``hedges_json``, ``attributed_to``, ``published``, ``t_value`` and
        ``approximate`` (of the event's timex, or None).
    """
    return _scoped(conn, _EVENTS, "ev", story_entity)


def dated_quote_rows(conn: sqlite3.Connection, story_entity: int | None = None) -> list[Row]:
    """The dated quotes of the articles in scope, shaped as ``event_rows`` rows (predicate ``say``).

    The speaker is the agent, the addressee the one patient, the content the
    ``words``; a quote with hedges is ``hedged``, else ``asserted``.
    """
    return _scoped(conn, _QUOTES, "q", story_entity)


def materialised_timeline(conn: sqlite3.Connection, story_entity: int) -> list[dict[str, Any]] | None:
    """Return a story entity's items from the materialised timeline, in timeline order.

    Returns:
        The items as ``storyline.story.timeline`` gives them; None when there
        is no materialised timeline, or when articles changed since it was
        built (then the caller merges afresh).
    """
    try:
        marker = conn.execute("SELECT value FROM meta WHERE key = 'timeline_of'").fetchone()
        state = articles_state(conn)
        if marker is None or state is None or marker[0] != state:
            return None
        rows = conn.execute(
            "SELECT i.item_json FROM story_item_entities e JOIN story_items i ON i.id = e.item "
            "WHERE e.story_entity = ? ORDER BY i.position",
            (story_entity,),
        ).fetchall()
    except sqlite3.OperationalError:
        return None  # a store of schema version 1, read as it is: no materialised timeline
    return [json.loads(row[0]) for row in rows]


def sentences_matching(sentences: Iterable[tuple[tuple[str, str], str]], query: str) -> set[tuple[str, str]]:
    """Return the keys of the sentences an FTS5 query matches.

    The sentences are indexed in a private in-memory database with the
    tokenizer of ``articles_fts`` (the default), so ``sued`` finds the
    sentence with ``sued`` as the article search does.

    Args:
        sentences: ``((doc_id, id), sentence)`` pairs.
        query: an FTS5 query that ``articles_fts`` has already accepted.
    """
    mem = sqlite3.connect(":memory:")
    try:
        mem.execute("CREATE VIRTUAL TABLE s USING fts5(doc_id UNINDEXED, id UNINDEXED, text)")
        mem.executemany("INSERT INTO s VALUES (?, ?, ?)", [(d, i, text) for (d, i), text in sentences])
        return {(d, i) for d, i in mem.execute("SELECT doc_id, id FROM s WHERE s MATCH ?", (query,))}
    finally:
        mem.close()
