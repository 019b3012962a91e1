"""The reads behind the story queries: story entities, profiles, quotes and full-text search.

``storyline.story.queries`` groups, scores and shapes what these return; the
SQL is here. Every function only reads, takes an open connection and returns
plain rows (``storyline.store.rows.Row``) or values. Offsets in rows are the
store's: half-open character offsets into ``articles.text``.

Quotes are joined to their speaker's link on ``+q.speaker``: the unary ``+``
keeps SQLite from looking quotes up by an entity id like ``e1`` that every
article uses, and makes it look them up by their article instead.
"""

from __future__ import annotations

import sqlite3

from storyline.store.rows import Row, fetch_rows, fetch_value

__all__ = [
    "articles_matching",
    "entity_summaries",
    "mention_counts",
    "name_matches",
    "profile_links",
    "profile_mentions",
    "quote_counts",
    "quote_rows",
    "quotes_matching",
    "quotes_said_by",
    "relations_of",
    "story_entities",
]


def entity_summaries(conn: sqlite3.Connection) -> list[Row]:
    """Every linked story entity with its article count and first and last published dates.

    Returns:
        Rows of ``id``, ``name``, ``type``, ``key``, ``articles``,
        ``first_seen`` and ``last_seen``, in no particular order.
    """
    return fetch_rows(
        conn,
        "SELECT se.id, se.name, se.type, se.key, COUNT(DISTINCT l.doc_id) AS articles, "
        "MIN(a.published) AS first_seen, MAX(a.published) AS last_seen "
        "FROM story_entities se JOIN entity_links l ON l.story_entity = se.id "
        "JOIN articles a ON a.doc_id = l.doc_id GROUP BY se.id",
    )


def mention_counts(conn: sqlite3.Connection) -> dict[int, int]:
    """Return story entity id -> how many mentions its linked article entities have."""
    return _count_by_story(conn, "mentions m", "m.doc_id = l.doc_id AND m.entity_id = l.entity_id")


def quote_counts(conn: sqlite3.Connection) -> dict[int, int]:
    """Return story entity id -> how many quotes its linked article entities said."""
    return _count_by_story(conn, "quotes q", "q.doc_id = l.doc_id AND +q.speaker = l.entity_id")


def _count_by_story(conn: sqlite3.Connection, table: str, on: str) -> dict[int, int]:
    sql = f"SELECT l.story_entity AS id, COUNT(*) AS n FROM entity_links l JOIN {table} ON {on} GROUP BY l.story_entity"
    return {r["id"]: r["n"] for r in fetch_rows(conn, sql)}


def story_entities(conn: sqlite3.Connection) -> list[Row]:
    """Every story entity: ``id``, ``name``, ``type``, ``key``, in stored order."""
    return fetch_rows(conn, "SELECT id, name, type, key FROM story_entities")


def name_matches(conn: sqlite3.Connection, word: str) -> list[Row]:
    """The linked article entities whose name, aliases or mentions contain ``word`` (any case).

    A cheap first pass for name lookup: the caller folds and compares the
    names these rows hold. ``%``, ``_`` and ``\\`` in ``word`` match themselves.

    Returns:
        Rows of ``story_entity``, ``name``, ``aliases_json`` (the article
        entity's), ``text`` and ``kind`` (one of its mentions, or None).
    """
    like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return fetch_rows(
        conn,
        "SELECT l.story_entity, e.name, e.aliases_json, m.text, m.kind FROM entity_links l "
        "JOIN entities e ON e.doc_id = l.doc_id AND e.id = l.entity_id "
        "LEFT JOIN mentions m ON m.doc_id = l.doc_id AND m.entity_id = l.entity_id "
        "WHERE e.name LIKE ?1 ESCAPE '\\' OR e.aliases_json LIKE ?1 ESCAPE '\\' OR m.text LIKE ?1 ESCAPE '\\'",
        (like,),
    )


def profile_links(conn: sqlite3.Connection, story_id: int) -> list[Row]:
    """The article entities linked to a story entity, with their article, in published order.

    Returns:
        Rows of ``doc_id``, ``entity_id``, ``evidence``, ``name``,
        ``aliases_json``, ``attributes_json``, ``published`` and ``title``.
    """
    return fetch_rows(
        conn,
        "SELECT l.doc_id, l.entity_id, l.evidence, e.name, e.aliases_json, e.attributes_json, a.published, a.title "
        "FROM entity_links l JOIN entities e ON e.doc_id = l.doc_id AND e.id = l.entity_id "
        "JOIN articles a ON a.doc_id = l.doc_id WHERE l.story_entity = ? ORDER BY a.published, l.doc_id, e.rowid",
        (story_id,),
    )


def profile_mentions(conn: sqlite3.Connection, story_id: int) -> list[Row]:
    """Every mention of a story entity in any article: ``text`` and ``kind``."""
    return fetch_rows(
        conn,
        "SELECT m.text, m.kind FROM mentions m JOIN entity_links l ON l.doc_id = m.doc_id AND l.entity_id = m.entity_id "
        "WHERE l.story_entity = ?",
        (story_id,),
    )


def quotes_said_by(conn: sqlite3.Connection, story_id: int) -> int:
    """Count the quotes whose speaker is linked to a story entity."""
    return int(fetch_value(
        conn,
        "SELECT COUNT(*) FROM quotes q JOIN entity_links l ON l.doc_id = q.doc_id AND l.entity_id = +q.speaker "
        "WHERE l.story_entity = ?",
        (story_id,),
    ))


def relations_of(conn: sqlite3.Connection, story_id: int) -> list[Row]:
    """The relations a story entity is subject or object of, between linked entities, in published order.

    Returns:
        Rows of ``doc_id``, ``predicate``, ``evidence``, ``hedges_json``,
        ``modality``, ``s`` and ``o`` (subject and object story entity ids),
        ``s_name``, ``o_name`` and ``published``.
    """
    return fetch_rows(
        conn,
        "SELECT r.doc_id, r.predicate, r.evidence, r.hedges_json, r.modality, ls.story_entity AS s, lo.story_entity AS o, "
        "ss.name AS s_name, so.name AS o_name, a.published FROM relations r "
        "JOIN articles a ON a.doc_id = r.doc_id "
        "JOIN entity_links ls ON ls.doc_id = r.doc_id AND ls.entity_id = r.subject "
        "JOIN entity_links lo ON lo.doc_id = r.doc_id AND lo.entity_id = r.object "
        "JOIN story_entities ss ON ss.id = ls.story_entity JOIN story_entities so ON so.id = lo.story_entity "
        "WHERE ? IN (ls.story_entity, lo.story_entity) ORDER BY a.published, r.doc_id",
        (story_id,),
    )


def quote_rows(conn: sqlite3.Connection, speaker: int | None = None) -> list[Row]:
    """Quotes with their article's date and their speaker's name, in published and text order.

    Args:
        conn: the store's connection.
        speaker: only the quotes whose speaker is linked to this story entity.

    Returns:
        Rows of ``doc_id``, ``id``, ``kind``, ``content``, ``content_start``,
        ``content_end``, ``cue``, ``date``, ``hedges_json``, ``published``
        and ``speaker`` (the story entity's name, else the article entity's,
        else None).
    """
    sql = (
        "SELECT q.doc_id, q.id, q.kind, q.content, q.content_start, q.content_end, q.cue, q.date, q.hedges_json, "
        "a.published, COALESCE(se.name, e.name) AS speaker FROM quotes q JOIN articles a ON a.doc_id = q.doc_id "
        "LEFT JOIN entities e ON e.doc_id = q.doc_id AND e.id = q.speaker "
        "LEFT JOIN entity_links l ON l.doc_id = q.doc_id AND l.entity_id = +q.speaker "
        "LEFT JOIN story_entities se ON se.id = l.story_entity"
        + (" WHERE l.story_entity = ?" if speaker is not None else "")
        + " ORDER BY a.published, q.doc_id, q.content_start"
    )
    return fetch_rows(conn, sql, () if speaker is None else (speaker,))


def articles_matching(conn: sqlite3.Connection, query: str) -> list[str]:
    """Return the doc_ids of the articles (title or text) an FTS5 query matches.

    Raises:
        sqlite3.OperationalError: when FTS5 cannot read the query.
    """
    return [r["doc_id"] for r in fetch_rows(conn, "SELECT doc_id FROM articles_fts WHERE articles_fts MATCH ?", (query,))]


def quotes_matching(conn: sqlite3.Connection, query: str) -> list[tuple[str, str]]:
    """Return ``(doc_id, quote id)`` of the quotes whose content an FTS5 query matches.

    Raises:
        sqlite3.OperationalError: when FTS5 cannot read the query.
    """
    rows = fetch_rows(conn, "SELECT doc_id, quote_id FROM quotes_fts WHERE quotes_fts MATCH ?", (query,))
    return [(r["doc_id"], r["quote_id"]) for r in rows]
