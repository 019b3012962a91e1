"""The story tables: what entity linking reads, what it writes, and whether they lag the articles.

``storyline.story.linking`` decides the links; this module holds its SQL.
It reads the per-article ``entities``, ``mentions`` and ``relations``,
replaces ``story_entities`` and ``entity_links``, and replaces the
materialised timeline (``story_items``, ``story_item_entities``), marking in
``meta`` (``timeline_of``) the articles' change counter it was built at. The
writers are meant to run inside ``storyline.store.db.write_transaction``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.store.rows import Row, fetch_rows

__all__ = [
    "StoryEntityRows",
    "articles_state",
    "entity_rows",
    "links_behind",
    "mention_rows",
    "relation_rows",
    "replace_story_entities",
    "replace_timeline",
]


def mention_rows(conn: sqlite3.Connection) -> list[Row]:
    """Every mention of every article: ``doc_id``, ``entity_id``, ``text``, ``kind``."""
    return fetch_rows(conn, "SELECT doc_id, entity_id, text, kind FROM mentions")


def entity_rows(conn: sqlite3.Connection) -> list[Row]:
    """Every article entity with its article's published date, in published, article and stored order.

    Returns:
        Rows of ``doc_id``, ``id``, ``name``, ``type``, ``aliases_json``,
        ``attributes_json``, ``published`` and ``n`` (the entity's rowid: its
        order within the article).
    """
    return fetch_rows(
        conn,
        "SELECT e.doc_id, e.id, e.name, e.type, e.aliases_json, e.attributes_json, a.published, e.rowid AS n "
        "FROM entities e JOIN articles a ON a.doc_id = e.doc_id ORDER BY a.published, e.doc_id, e.rowid",
    )


def relation_rows(conn: sqlite3.Connection) -> list[Row]:
    """Every relation between article entities: ``doc_id``, ``subject``, ``predicate``, ``object``."""
    return fetch_rows(conn, "SELECT doc_id, subject, predicate, object FROM relations")


@dataclass(frozen=True, slots=True)
class StoryEntityRows:
    """One story entity as ``replace_story_entities`` writes it, with its links.

    Attributes:
        id: the story entity id (``story_entities.id``).
        name: its display name.
        type: its entity type (``PERSON``, ``ORG``, ...).
        key: its unique key (``leah varga|PERSON``).
        links: ``(doc_id, entity_id, evidence)`` of each article entity linked to it.
    """

    id: int
    name: str
    type: str
    key: str
    links: Sequence[tuple[str, str, str]]


def replace_story_entities(conn: sqlite3.Connection, entities: Iterable[StoryEntityRows]) -> None:
    """Replace ``story_entities`` and ``entity_links`` with the given entities and links.

    Each entity is written, then its links, in the order given. Call inside a
    transaction (``write_transaction``), so readers never see half the links.
    """
    conn.execute("DELETE FROM entity_links")
    conn.execute("DELETE FROM story_entities")
    for entity in entities:
        conn.execute(
            "INSERT INTO story_entities (id, name, type, key) VALUES (?, ?, ?, ?)",
            (entity.id, entity.name, entity.type, entity.key),
        )
        conn.executemany(
            "INSERT INTO entity_links (doc_id, entity_id, story_entity, evidence) VALUES (?, ?, ?, ?)",
            [(doc_id, entity_id, entity.id, evidence) for doc_id, entity_id, evidence in entity.links],
        )


def replace_timeline(conn: sqlite3.Connection, items: Iterable[tuple[dict[str, Any], Sequence[int]]]) -> None:
    """Replace the materialised timeline and mark it as built at the articles' current state.

    Args:
        conn: the store's connection, inside a transaction.
        items: ``(item, story entity ids)`` of each item, in timeline order;
            the item is stored as JSON (``story_items.item_json``).
    """
    conn.execute("DELETE FROM story_item_entities")
    conn.execute("DELETE FROM story_items")
    for position, (item, involved) in enumerate(items):
        cur = conn.execute(
            "INSERT INTO story_items (position, item_json) VALUES (?, ?)",
            (position, json.dumps(item, ensure_ascii=False)),
        )
        conn.executemany(
            "INSERT INTO story_item_entities (item, story_entity) VALUES (?, ?)",
            [(cur.lastrowid, e) for e in involved],
        )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('timeline_of', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (articles_state(conn),),
    )


def articles_state(conn: sqlite3.Connection) -> str | None:
    """Return the articles' change counter (bumped by triggers on every write), or None before schema 2.

    The materialised timeline is valid while ``meta.timeline_of`` equals it.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = 'articles_version'").fetchone()
    return None if row is None else str(row[0])


def links_behind(conn: sqlite3.Connection) -> bool:
    """Say whether the story tables lag the articles, so linking should run again.

    Every write to ``articles`` bumps ``meta.articles_version`` (a trigger),
    and linking records the value it linked at (``meta.timeline_of``), so
    the links lag exactly when the two differ (with articles stored, when
    linking never ran). This is not a search for article entities without a
    link: linking leaves some out on purpose (an entity whose name folds to
    nothing), and a store holding one would look out of date forever. A store
    of schema version 1, read as it is, has no counter: there the links lag
    when some article entity has no link or some link has lost its entity.
    Reads only.
    """
    state = {
        str(row[0]): str(row[1])
        for row in conn.execute("SELECT key, value FROM meta WHERE key IN ('articles_version', 'timeline_of')")
    }
    if "articles_version" in state:
        if "timeline_of" not in state:  # never linked: lagging once something is stored
            return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0])
        return state["timeline_of"] != state["articles_version"]
    return bool(conn.execute(
        "SELECT EXISTS (SELECT 1 FROM entities e LEFT JOIN entity_links l "
        "ON l.doc_id = e.doc_id AND l.entity_id = e.id WHERE l.story_entity IS NULL) "
        "OR EXISTS (SELECT 1 FROM entity_links l LEFT JOIN entities e "
        "ON l.doc_id = e.doc_id AND l.entity_id = e.id WHERE e.id IS NULL)"
    ).fetchone()[0])
