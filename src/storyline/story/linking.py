"""Cross-article entities: tie each article's entities to story entities.

``link_entities(store)`` rebuilds the story-level tables (``story_entities``,
``entity_links``) from the per-article ``entities``, ``mentions`` and
``relations`` in one transaction. The rules, strongest first:

1. **Full names.** Article entities whose full names fold to the same string
   (case, whitespace, honorifics, a possessive ``'s`` and the dots of an
   acronym ignored: ``U.N.`` is ``UN``; a person's office titles are taken
   off as roles: ``Governor Ada Okafor`` and ``Gov. Ada Okafor`` are ``Ada
   Okafor``, a governor) and have the
   same type are one story entity, unless their ages cannot belong to one
   person over the articles' publication dates (34 in January and 52 in
   March): then the name is split into one story entity per consistent age
   group, and an article that gives no age joins one only by shared context.
2. **Single names.** A person known in an article only as ``Varga`` or
   ``Leah`` (an organisation only as ``Ironbridge``, or as ``IMF`` where another
   article has it as the alias of International Monetary Fund) is tied to a full name
   of the same type: first inside the article, when exactly one of its
   entities has that first name or surname; else across the story, when
   exactly one story entity has it, its gender and ages do not conflict, and
   the article has no other candidate. With several candidates (``Ryan`` for
   Ryan Reynolds and Ryan Coogler) the one whose co-occurring entities,
   relations and descriptions overlap the article's wins (a person's roles,
   from titles, descriptions and epithets, count as descriptions: "Okafor,
   51," called "the governor" is Governor Ada Okafor, not Chidi Okafor the
   striker), and only when it
   beats the others; otherwise the name stays its own story entity. A bare
   first name is never what merges two full names.
3. Anything else (a single-word organisation, work or place) is grouped by its
   exact name.

An unnamed entity (``named: false`` among its attributes: "a neighbour",
"the governor" that names no one) is its own story entity: a description
alone never links across articles. An entity without the attribute is named.

Every link stores its evidence in words, so a reader can check it.

Linking writes, so it runs on the write path only: ``storyline ingest``
calls ``update_links`` after storing records, and ``storyline link`` brings
a store written some other way (``Store.ingest`` from Python) up to date.
The queries never link; ``links_stale`` tells them when the links lag.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from storyline.store import links as tables
from storyline.store.db import StoreLike, connection_of, write_transaction
from storyline.story.events import merge_events
from storyline.story.groups import AmbiguousName, ArticleEntity, Groups, article_count, assign_groups, display_name, load_entities
from storyline.story.names import fold_name


@dataclass(frozen=True, slots=True)
class LinkReport:
    """What ``link_entities`` did: counts per rule and the names it would not guess."""

    article_entities: int
    story_entities: int
    multi_article: int
    rules: dict[str, int] = field(default_factory=dict)
    ambiguous: tuple[AmbiguousName, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "article_entities": self.article_entities,
            "story_entities": self.story_entities,
            "multi_article": self.multi_article,
            "rules": dict(self.rules),
            "ambiguous": [a.to_dict() for a in self.ambiguous],
        }

    def __str__(self) -> str:
        return (
            f"linked {self.article_entities} article entities into {self.story_entities} story entities "
            f"({self.multi_article} in more than one article, {len(self.ambiguous)} ambiguous names left apart)"
        )


def _write(conn: sqlite3.Connection, ents: list[ArticleEntity], groups: Groups) -> list[int]:
    """Replace both story tables; return the groups in story-id order."""
    order = sorted(range(len(groups.members)), key=lambda g: min(ents[i].order for i in groups.members[g]))
    keys: Counter[str] = Counter()
    rows: list[tables.StoryEntityRows] = []
    for story_id, g in enumerate(order, start=1):
        members = groups.members[g]
        name = display_name(members, ents)
        etype = ents[members[0]].type
        base = f"{fold_name(name)}|{etype}"
        keys[base] += 1
        key = base if keys[base] == 1 else f"{base}#{keys[base]}"
        links = [(ents[i].doc_id, ents[i].id, groups.evidence.get(i) or "linked") for i in members]
        rows.append(tables.StoryEntityRows(story_id, name, etype, key, links))
    tables.replace_story_entities(conn, rows)
    return order


def link_entities(store: StoreLike) -> LinkReport:
    """Rebuild ``story_entities`` and ``entity_links`` from the per-article entities.

    Reads ``entities``, ``mentions``, ``relations`` and ``articles.published``;
    replaces both story tables in one transaction (rolled back on any error),
    so readers never see half a link. Story entity ids follow first
    appearance (by published date); ``name`` is the longest full name seen,
    ``key`` the folded name and type (``leah varga|PERSON``; ``#2`` and on
    when people share a name). The rules are in the module docstring.

    Args:
        store: A ``storyline.store.Store`` (or its ``sqlite3.Connection``).

    Returns:
        Counts per rule and the single names left apart as ambiguous.
    """
    # Read and write under one write lock, so an ingest running meanwhile cannot slip
    # between them; nested as a savepoint when the caller has a transaction open.
    with write_transaction(connection_of(store), "link_entities") as conn:
        ents, relations = load_entities(conn)
        groups, ambiguous = assign_groups(ents, relations)
        order = _write(conn, ents, groups)
        _write_timeline(conn)
    rules = Counter(groups.rule.get(i, "full-name") for i in range(len(ents)))
    return LinkReport(
        article_entities=len(ents),
        story_entities=len(order),
        multi_article=sum(1 for m in groups.members if article_count(m, ents) > 1),
        rules=dict(sorted(rules.items())),
        ambiguous=tuple(ambiguous),
    )


def _write_timeline(conn: sqlite3.Connection) -> None:
    """Replace the materialised timeline: every merged item, in timeline order, with its entities."""
    items = sorted(merge_events(conn), key=lambda it: it.sort_key())
    tables.replace_timeline(
        conn, ((item.to_dict(), sorted({e for e in item.involved() if isinstance(e, int)})) for item in items)
    )


def links_stale(store: StoreLike) -> bool:
    """Say whether the story tables lag the articles, so ``update_links`` would relink.

    They lag when articles were stored, replaced or removed since the last
    link (``storyline.store.links.links_behind`` says how that is told).
    Only reads.

    Args:
        store: A ``storyline.store.Store`` (or its connection), read-only or not.

    Returns:
        True when ``link_entities`` should be run again.
    """
    return tables.links_behind(connection_of(store))


def update_links(store: StoreLike, *, force: bool = False) -> LinkReport | None:
    """Bring the story tables up to date after records were written: the one place linking runs.

    ``storyline ingest`` calls it after storing, ``storyline link`` on a
    store written without linking. It relinks (``link_entities``) only when
    ``links_stale`` says the links lag, so calling it again is cheap.

    Args:
        store: A writable ``storyline.store.Store`` (or its connection).
        force: Relink even when the links look up to date (after an upgrade
            of storyline that changed how entities are linked).

    Returns:
        The report when it relinked, None when the links were up to date.
    """
    return link_entities(store) if force or links_stale(store) else None
