"""Shape what the pages show from a storyline store's reads (``storyline.store.pages``), nothing written.

Every function takes an open ``sqlite3.Connection`` (datasette hands one over in
its read thread, opened ``mode=ro``) and returns plain dicts. Nothing here runs
an extraction stage or relinks: the pages show what ``storyline ingest`` stored.

Offsets are character offsets into ``articles.text``, half-open, as stored.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from storyline import story
from storyline.errors import WEB_ARTICLE_NOT_FOUND, WEB_ENTITY_NOT_FOUND, WEB_INTERNAL, WEB_NOT_A_STORE, StorylineError, WebError
from storyline.store import pages

QUOTES_LIMIT = 200
NO_SPEAKER = "-"  # the ?speaker= value that selects quotes nobody was found to have said
REQUIRED_TABLES = ("articles", "entities", "mentions", "quotes", "events", "timexes")


def check_store(conn: sqlite3.Connection) -> set[str]:
    """Return the store's table names; raise WebError (SL801) when the database is not a storyline store."""
    tables = pages.table_names(conn)
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise WebError(
            f"this database is not a storyline store (no {', '.join(missing)} table); "
            "create one with `storyline ingest PATH --db FILE` and serve that file",
            code=WEB_NOT_A_STORE,
            status=500,
        )
    return tables


def _has_story(tables: set[str]) -> bool:
    return "story_entities" in tables and "entity_links" in tables


# --- index ---------------------------------------------------------------------------------


def overview(conn: sqlite3.Connection) -> dict[str, Any]:
    """Story entities (``storyline.story.list_entities``) and articles, for the index page.

    ``stale`` says the story links lag the articles (``storyline.story.links_stale``):
    the page shows the links as they are and says how to bring them up to date.
    """
    tables = check_store(conn)
    linked = _has_story(tables)
    entities = story.list_entities(conn) if linked else []
    articles = pages.articles_with_quote_counts(conn)
    quotes = pages.quote_total(conn)
    stale = linked and story.links_stale(conn)
    return {"entities": entities, "articles": articles, "quote_count": quotes, "linked": linked, "stale": stale}


# --- entity timeline -----------------------------------------------------------------------


def story_entity(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any]:
    """One story entity with its per-article links; raise WebError (SL802) when there is none."""
    tables = check_store(conn)
    entity = None
    if _has_story(tables) and entity_id.isdigit():
        entity = pages.story_entity_row(conn, int(entity_id))
    if entity is None:
        raise WebError(
            f"no story entity with id {entity_id!r}; the index at /-/storyline/ lists them "
            "(run the entity linking step when it is empty)",
            code=WEB_ENTITY_NOT_FOUND,
            status=404,
        )
    entity["links"] = pages.entity_page_links(conn, entity["id"])
    return entity


def _names(conn: sqlite3.Connection, doc_ids: Iterable[str]) -> dict[tuple[str, str], tuple[str, int | None]]:
    """(doc_id, entity id) -> (display name, story entity id or None), for the given articles."""
    rows = pages.entity_names(conn, doc_ids, linked=_has_story(pages.table_names(conn)))
    return {(r["doc_id"], r["id"]): (r["name"], r["story"]) for r in rows}


def entity_timeline(conn: sqlite3.Connection, entity: dict[str, Any]) -> list[dict[str, Any]]:
    """The story entity's timeline, exactly as ``storyline.story.timeline`` tells it.

    The entity is named by its unique ``key``, so two story entities sharing a
    name never make the lookup ambiguous. Items are events and dated quotes
    (``kind``), each merged over every article that reports it (``sources``).
    """
    try:
        return story.timeline(conn, name=entity["key"])
    except StorylineError as exc:
        raise WebError(f"the timeline of {entity['name']!r} cannot be built ({exc})", code=WEB_INTERNAL,
                       status=500) from exc


def article_titles(conn: sqlite3.Connection, doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """doc_id -> {title, published} for source links."""
    return {r["doc_id"]: r for r in pages.article_titles(conn, doc_ids)}


# --- quotes --------------------------------------------------------------------------------


def fts_query(text: str) -> str:
    """Turn what a reader typed into an FTS5 query that cannot be a syntax error.

    Each word becomes a quoted phrase (inner quotes doubled), so ``"``, ``*``,
    ``NEAR`` or ``-`` are matched as text instead of parsed as operators.
    """
    words = text.split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def quotes_page(conn: sqlite3.Connection, *, speaker: str | None, q: str | None) -> dict[str, Any]:
    """Quotes with speaker facets, filtered by speaker name and an FTS search.

    Args:
        conn: a connection to the store.
        speaker: a speaker name as the facets show it, or ``-`` for quotes
            without a speaker; None for all.
        q: words to find in the quote text (all of them, via ``quotes_fts``).

    Returns:
        ``{"quotes", "facets", "total", "shown", "speaker", "q"}``; facets are
        ``{"speaker", "value", "count"}`` counted over the search, before the
        speaker filter, so each facet says how many quotes clicking it shows.
    """
    tables = check_store(conn)
    query = fts_query(q or "")
    has_fts = "quotes_fts" in tables
    search = pages.QuoteFilter(
        linked=_has_story(tables),
        match=query if query and has_fts else None,
        # an older store without the FTS table: a plain substring match per word
        words=tuple((q or "").split()) if query and not has_fts else (),
    )
    facets = pages.quote_facets(conn, search)
    for facet in facets:
        facet["value"] = facet["speaker"] if facet["speaker"] is not None else NO_SPEAKER
    chosen = dataclasses.replace(search, speaker=speaker if speaker != NO_SPEAKER else None,
                                 unattributed=speaker == NO_SPEAKER)
    total = pages.quote_count(conn, chosen)
    quotes = pages.quote_list(conn, chosen, QUOTES_LIMIT)
    return {"quotes": quotes, "facets": facets, "total": total, "shown": len(quotes), "speaker": speaker, "q": q}


# --- article -------------------------------------------------------------------------------


def article_page(conn: sqlite3.Connection, doc_id: str) -> dict[str, Any]:
    """An article with its text cut into highlighted pieces.

    Returns ``{"article", "blocks", "legend", "entities"}``: ``blocks`` cover
    the text in order, each ``{"quote": {...} | None, "parts": [{"text",
    "story"}]}``, where a quote carries the speaker's colour ``slot`` and a
    part with a ``story`` id is an entity mention, linked to that entity's page.
    Joining every part's text gives back ``articles.text`` exactly.
    """
    tables = check_store(conn)
    article = pages.article_row(conn, doc_id)
    if article is None:
        raise WebError(
            f"no article with doc_id {doc_id!r}; the index at /-/storyline/ lists the stored articles",
            code=WEB_ARTICLE_NOT_FOUND,
            status=404,
        )
    text: str = article["text"]
    names = _names(conn, [doc_id])
    quotes = pages.article_quotes(conn, doc_id)
    legend: dict[str | None, dict[str, Any]] = {}
    spans: list[dict[str, Any]] = []
    for quote in quotes:
        label, story_id = (None, None)
        if quote["speaker"]:
            label, story_id = names.get((doc_id, quote["speaker"]), (quote["speaker"], None))
        if label not in legend:
            slot = sum(1 for k in legend if k is not None) if label is not None else -1
            legend[label] = {"speaker": label, "slot": slot, "count": 0, "story": story_id}
        legend[label]["count"] += 1
        start, end = _clamp(quote["content_start"], quote["content_end"], len(text))
        spans.append({**quote, "start": start, "end": end, "speaker_name": label, "slot": legend[label]["slot"],
                      "story": story_id})
    mentions = pages.article_mentions(conn, doc_id)
    linked_mentions = []
    for mention in mentions:
        name, story_id = names.get((doc_id, mention["entity_id"]), (None, None))
        start, end = _clamp(mention["start"], mention["end"], len(text))
        if story_id is not None and end > start:
            linked_mentions.append({"start": start, "end": end, "story": story_id, "name": name})
    entities = sorted(
        {(n, s) for (d, _), (n, s) in names.items() if d == doc_id and s is not None}, key=lambda t: t[0] or ""
    )
    return {
        "article": article,
        "blocks": _blocks(text, spans, linked_mentions),
        "legend": list(legend.values()),
        "entities": [{"name": n, "story": s} for n, s in entities],
        "tables": sorted(tables),
    }


def _clamp(start: int | None, end: int | None, size: int) -> tuple[int, int]:
    s = min(max(start or 0, 0), size)
    return s, min(max(end or 0, s), size)


def _blocks(text: str, quotes: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut the text at every quote and mention boundary; group the pieces by the quote they fall in.

    A quote that overlaps an earlier one is not drawn over it (the earlier one
    wins for the overlapping characters); a mention crossing a quote edge is
    drawn as two links.
    """
    cuts = {0, len(text)}
    for span in (*quotes, *mentions):
        cuts.update((span["start"], span["end"]))
    points = sorted(cuts)
    blocks: list[dict[str, Any]] = []
    for a, b in pairwise(points):
        if a == b:
            continue
        quote = next((qs for qs in quotes if qs["start"] <= a and b <= qs["end"]), None)
        mention = next((m for m in mentions if m["start"] <= a and b <= m["end"]), None)
        if not blocks or blocks[-1]["quote"] is not quote:
            blocks.append({"quote": quote, "parts": []})
        parts = blocks[-1]["parts"]
        if parts and parts[-1]["mention"] is mention:
            parts[-1]["text"] += text[a:b]
        else:
            parts.append({"text": text[a:b], "mention": mention,
                          "story": mention["story"] if mention else None,
                          "title": mention["name"] if mention else None})
    return blocks
