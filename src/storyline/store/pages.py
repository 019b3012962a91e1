"""The reads behind the web pages: articles, story entities, quotes with facets, mentions.

``storyline.web.data`` shapes what these return into pages; the SQL is here.
Every function only reads and works on any connection (datasette hands over
its own, opened ``mode=ro``). Functions that name speakers take ``linked``:
whether the store has its story tables, so a store never linked still shows
the article entities' names. Offsets are the store's: half-open character
offsets into ``articles.text``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from storyline.store.rows import Row, fetch_rows, fetch_value

__all__ = [
    "QuoteFilter",
    "article_mentions",
    "article_quotes",
    "article_row",
    "article_titles",
    "articles_with_quote_counts",
    "entity_names",
    "entity_page_links",
    "quote_count",
    "quote_facets",
    "quote_list",
    "quote_total",
    "story_entity_row",
    "table_names",
]


def table_names(conn: sqlite3.Connection) -> set[str]:
    """Return the names of the database's tables and views."""
    return {r["name"] for r in fetch_rows(conn, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def articles_with_quote_counts(conn: sqlite3.Connection) -> list[Row]:
    """Every article: ``doc_id``, ``title``, ``published`` and its number of ``quotes``, in published order."""
    return fetch_rows(
        conn,
        """
        SELECT a.doc_id, a.title, a.published,
               (SELECT COUNT(*) FROM quotes q WHERE q.doc_id = a.doc_id) AS quotes
        FROM articles a ORDER BY a.published, a.doc_id
        """,
    )


def quote_total(conn: sqlite3.Connection) -> int:
    """Count every stored quote."""
    return int(fetch_value(conn, "SELECT COUNT(*) FROM quotes"))


def story_entity_row(conn: sqlite3.Connection, story_id: int) -> Row | None:
    """Return one story entity (``id``, ``name``, ``type``, ``key``), or None."""
    rows = fetch_rows(conn, "SELECT id, name, type, key FROM story_entities WHERE id = ?", [story_id])
    return rows[0] if rows else None


def entity_page_links(conn: sqlite3.Connection, story_id: int) -> list[Row]:
    """A story entity's links: ``doc_id``, ``entity_id``, ``evidence``, ``name``, ``title``, in published order."""
    return fetch_rows(
        conn,
        """
        SELECT l.doc_id, l.entity_id, l.evidence, e.name, a.title
        FROM entity_links l
        JOIN articles a ON a.doc_id = l.doc_id
        LEFT JOIN entities e ON e.doc_id = l.doc_id AND e.id = l.entity_id
        WHERE l.story_entity = ? ORDER BY a.published, l.doc_id
        """,
        [story_id],
    )


def entity_names(conn: sqlite3.Connection, doc_ids: Iterable[str], *, linked: bool) -> list[Row]:
    """The entities of some articles with the name to show and their story entity.

    Returns:
        Rows of ``doc_id``, ``id``, ``name`` (the story entity's when linked,
        else the article's) and ``story`` (the story entity id, or None).
    """
    ids = sorted(set(doc_ids))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    if linked:
        sql = f"""
            SELECT e.doc_id, e.id, COALESCE(se.name, e.name) AS name, se.id AS story
            FROM entities e
            LEFT JOIN entity_links l ON l.doc_id = e.doc_id AND l.entity_id = e.id
            LEFT JOIN story_entities se ON se.id = l.story_entity
            WHERE e.doc_id IN ({marks})
        """
    else:
        sql = f"SELECT doc_id, id, name, NULL AS story FROM entities WHERE doc_id IN ({marks})"
    return fetch_rows(conn, sql, ids)


def article_titles(conn: sqlite3.Connection, doc_ids: Iterable[str]) -> list[Row]:
    """The ``doc_id``, ``title`` and ``published`` of some articles."""
    ids = sorted(set(doc_ids))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return fetch_rows(conn, f"SELECT doc_id, title, published FROM articles WHERE doc_id IN ({marks})", ids)


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """Which quotes a quotes page lists, and how it names their speakers.

    Attributes:
        linked: the store has its story tables: a speaker is named by its
            story entity, else by the article's entity.
        match: an FTS5 query over ``quotes_fts`` (None: no full-text search).
        words: words every quote must contain, in any case (for a store
            without ``quotes_fts``).
        speaker: only the quotes of the speaker shown under this name.
        unattributed: only the quotes without a speaker name.
    """

    linked: bool
    match: str | None = None
    words: tuple[str, ...] = ()
    speaker: str | None = None
    unattributed: bool = False


def _speaker_expr(linked: bool) -> str:
    return "COALESCE(se.name, e.name)" if linked else "e.name"


def _quote_from(linked: bool) -> str:
    story = (
        """
        LEFT JOIN entity_links l ON l.doc_id = q.doc_id AND l.entity_id = q.speaker
        LEFT JOIN story_entities se ON se.id = l.story_entity
        """
        if linked
        else ""
    )
    return f"""
        FROM quotes q JOIN articles a ON a.doc_id = q.doc_id
        LEFT JOIN entities e ON e.doc_id = q.doc_id AND e.id = q.speaker
        {story}
    """


def _where(search: QuoteFilter, *, by_speaker: bool) -> tuple[str, list[str]]:
    """The WHERE condition of a filter and its parameters; the speaker part only when ``by_speaker``."""
    where: list[str] = []
    params: list[str] = []
    if search.match:
        where.append("(q.doc_id, q.id) IN (SELECT doc_id, quote_id FROM quotes_fts WHERE quotes_fts MATCH ?)")
        params.append(search.match)
    for word in search.words:  # a store without the FTS table: a plain substring match per word
        where.append("instr(lower(q.content), lower(?)) > 0")
        params.append(word)
    if by_speaker and search.unattributed:
        where.append(f"{_speaker_expr(search.linked)} IS NULL")
    elif by_speaker and search.speaker:
        where.append(f"{_speaker_expr(search.linked)} = ?")
        params.append(search.speaker)
    return " AND ".join(where) or "1", params


def quote_facets(conn: sqlite3.Connection, search: QuoteFilter) -> list[Row]:
    """Count the quotes per speaker name over the search, ignoring the filter's speaker.

    Returns:
        Rows of ``speaker`` (None for quotes without one) and ``count``, most first.
    """
    name = _speaker_expr(search.linked)
    where, params = _where(search, by_speaker=False)
    return fetch_rows(
        conn,
        f"SELECT {name} AS speaker, COUNT(*) AS count {_quote_from(search.linked)} WHERE {where} "
        f"GROUP BY {name} ORDER BY count DESC, speaker",
        params,
    )


def quote_count(conn: sqlite3.Connection, search: QuoteFilter) -> int:
    """Count the quotes the filter selects."""
    where, params = _where(search, by_speaker=True)
    return int(fetch_value(conn, f"SELECT COUNT(*) {_quote_from(search.linked)} WHERE {where}", params))


def quote_list(conn: sqlite3.Connection, search: QuoteFilter, limit: int) -> list[Row]:
    """The first ``limit`` quotes the filter selects, in published and text order.

    Returns:
        Rows of ``doc_id``, ``id``, ``kind``, ``content``, ``cue``, ``date``,
        ``speaker_via``, ``content_start``, ``speaker_name``,
        ``speaker_story`` (story entity id or None), ``title`` and ``published``.
    """
    name = _speaker_expr(search.linked)
    where, params = _where(search, by_speaker=True)
    story_col = "se.id" if search.linked else "NULL"
    return fetch_rows(
        conn,
        f"""
        SELECT q.doc_id, q.id, q.kind, q.content, q.cue, q.date, q.speaker_via, q.content_start,
               {name} AS speaker_name, {story_col} AS speaker_story, a.title, a.published
        {_quote_from(search.linked)} WHERE {where}
        ORDER BY a.published, q.doc_id, q.content_start LIMIT ?
        """,
        [*params, limit],
    )


def article_row(conn: sqlite3.Connection, doc_id: str) -> Row | None:
    """Return one article (``doc_id``, ``title``, ``published``, ``url``, ``text``), or None."""
    rows = fetch_rows(conn, "SELECT doc_id, title, published, url, text FROM articles WHERE doc_id = ?", [doc_id])
    return rows[0] if rows else None


def article_quotes(conn: sqlite3.Connection, doc_id: str) -> list[Row]:
    """An article's quotes (``id``, ``content_start``, ``content_end``, ``speaker``, ``cue``, ``speaker_via``), outer first."""
    return fetch_rows(
        conn,
        "SELECT id, content_start, content_end, speaker, cue, speaker_via FROM quotes WHERE doc_id = ? "
        "ORDER BY content_start, content_end DESC",
        [doc_id],
    )


def article_mentions(conn: sqlite3.Connection, doc_id: str) -> list[Row]:
    """An article's mentions (``entity_id``, ``start``, ``end``), outer first."""
    return fetch_rows(
        conn, 'SELECT entity_id, start, "end" FROM mentions WHERE doc_id = ? ORDER BY start, "end" DESC', [doc_id]
    )
