"""The story across articles: entities, profiles, timelines and quotes, over the store.

Reads the tables ``storyline.store`` writes, plus the story-level tables that
``link_entities`` (``storyline.story.linking``) rebuilds when records are written. Every
query returns plain dicts and lists, the same for table and JSON output. The
queries only read (``open_story`` opens the store read-only): when the links
lag the articles (``links_stale``), they answer from the links as they are.
Offsets in returned items are the store's: half-open character offsets into
``articles.text``.

Timeline dates: a TIMEX3 value (``2026``, ``2026-03``, ``2026-03-27``,
``2026-W13``, ``2026-Q1``, ``2026-H1``, ``2025-WI``, ``202``) becomes a
``(start, end)`` range of days; an approximate one (``around June 2025``) is
widened by half its length on each side (at least three days). Winter
``YYYY-WI`` runs from December of ``YYYY`` into February. Items are ordered by
range start, then end; an undated item is placed at its article's published
date, after the dated items of that day, in the order of the article.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from storyline.errors import (
    STORY_BAD_QUERY,
    STORY_ENTITY_AMBIGUOUS,
    STORY_ENTITY_NOT_FOUND,
    STORY_STORE_MISSING,
    StoryError,
)
from storyline.store import queries as reads
from storyline.store.db import Store, StoreLike, connection_of, open_store
from storyline.store.rows import Row
from storyline.store.timeline import materialised_timeline, sentences_matching
from storyline.story.events import TimelineItem, merge_events
from storyline.story.names import fold_name

__all__ = [
    "find_entity",
    "list_entities",
    "open_story",
    "profile",
    "search_quotes",
    "timeline",
]

_Found = TypeVar("_Found")


def _json_list(text: str | None) -> list[Any]:
    value = json.loads(text) if text else []
    return value if isinstance(value, list) else []


def open_story(path: str | Path, *, write: bool = False) -> Store:
    """Open an existing store for story queries: read-only unless ``write``.

    The queries never write, so they get a store opened with SQLite's
    ``mode=ro``. Only linking (``update_links``) asks for ``write``.

    Args:
        path: The database file ``storyline ingest`` wrote.
        write: Open it for writing too (its schema brought up to date).

    Returns:
        The open ``storyline.store.Store``.

    Raises:
        StoryError: (SL451) when the file does not exist; the message names
            the file and the ``storyline ingest`` command that creates it.
        StoreError: (SL701, SL702) as ``storyline.store.open_store``.
    """
    if not Path(path).is_file():
        raise StoryError(
            f"no store at {path}; create it with `storyline ingest PATH --db {path}`, or point --db at an existing one",
            code=STORY_STORE_MISSING,
        )
    return open_store(path, read_only=not write)


# --- entities ----------------------------------------------------------------------------------


def list_entities(store: StoreLike) -> list[dict[str, Any]]:
    """Every story entity with its counts, most widely reported first.

    Args:
        store: A ``storyline.store.Store`` (or its connection) after ``link_entities``.

    Returns:
        Dicts with ``id``, ``name``, ``type``, ``key``, ``articles``,
        ``mentions``, ``quotes`` (quotes whose speaker is linked to it),
        ``first_seen`` and ``last_seen`` (published dates of its first and
        last article).
    """
    conn = connection_of(store)
    rows = reads.entity_summaries(conn)
    mentions = reads.mention_counts(conn)
    quotes = reads.quote_counts(conn)
    out = [
        {
            "id": r["id"],
            "name": r["name"],
            "type": r["type"],
            "key": r["key"],
            "articles": r["articles"],
            "mentions": mentions.get(r["id"], 0),
            "quotes": quotes.get(r["id"], 0),
            "first_seen": r["first_seen"],
            "last_seen": r["last_seen"],
        }
        for r in rows
    ]
    out.sort(key=lambda e: (-e["articles"], -e["mentions"], e["id"]))
    return out


def find_entity(store: StoreLike, name: str) -> dict[str, Any]:
    """The story entity a name refers to: its name or key, else a name or alias it had in an article.

    Tried in order, the first that matches wins: the story entity's name or
    key; a name or short name it had in an article; any alias (epithets
    included); the first or last word of its name.

    Args:
        store: A ``storyline.store.Store`` (or its connection) after ``link_entities``.
        name: ``"Leah Varga"``, ``"Varga"``, ``"leah varga|PERSON"``, ``"the studio founder"``.

    Returns:
        ``{"id", "name", "type", "key"}`` of the story entity.

    Raises:
        StoryError: (SL452) when nothing matches; (SL453) when the best
            match names several story entities (the message lists them).
    """
    conn = connection_of(store)
    wanted = fold_name(name)
    entities = {r["id"]: r for r in reads.story_entities(conn)}
    exact = {i for i, r in entities.items() if fold_name(r["name"]) == wanted or r["key"] == name.strip()}
    tiers: list[set[int]] = [exact, set(), set()]
    if not exact and wanted:
        # Only rows whose text contains the name's last word can fold to it (LIKE ignores ASCII case).
        for r in reads.name_matches(conn, wanted.split()[-1]):
            if fold_name(r["name"]) == wanted or (r["kind"] in ("name", "alias") and fold_name(r["text"] or "") == wanted):
                tiers[1].add(r["story_entity"])
            elif any(fold_name(str(a)) == wanted for a in _json_list(r["aliases_json"])):
                tiers[2].add(r["story_entity"])
    # last resort: the first or last word of a story entity's name ("Hale" for Marcus Hale)
    tiers.append({i for i, r in entities.items() if " " not in wanted and wanted in _end_words(r["name"])})
    for found in tiers:
        if len(found) == 1:
            return entities[found.pop()]
        if len(found) > 1:
            names = ", ".join(sorted(f"{entities[i]['name']} ({entities[i]['type']})" for i in found))
            raise StoryError(
                f"'{name}' could be any of {names}; give the full name or the key that `storyline entities` shows",
                code=STORY_ENTITY_AMBIGUOUS,
            )
    hint = "" if entities else " (the store has no story entities yet: ingest articles with `storyline ingest`)"
    raise StoryError(
        f"no story entity named '{name}'{hint}; `storyline entities` lists them", code=STORY_ENTITY_NOT_FOUND
    )


def _end_words(name: str) -> set[str]:
    words = fold_name(name).split()
    return {words[0], words[-1]} if len(words) > 1 else set()


def profile(store: StoreLike, name: str) -> dict[str, Any]:
    """Everything the articles say about one story entity, each fact with the article it came from.

    Args:
        store: A ``storyline.store.Store`` (or its connection) after ``link_entities``.
        name: A name or alias, as ``find_entity`` takes it.

    Returns:
        A dict with ``id``, ``name``, ``type``, ``key``, ``aliases`` (names
        and short names as written, most used first), ``epithets``,
        ``descriptions`` and ``ages`` (each ``{value, doc_id, published}``, in
        published order), ``gender``, ``relations`` (``{predicate, subject,
        object, other, sources, evidence}`` with story entity names),
        ``mentions``, ``quotes``, ``first_seen``, ``last_seen`` and
        ``articles`` (``{doc_id, published, title, entity_id, evidence}``:
        the link's evidence in words).

    Raises:
        StoryError: (SL452, SL453) as ``find_entity``.
    """
    conn = connection_of(store)
    ent = find_entity(conn, name)
    links = reads.profile_links(conn, ent["id"])
    mentions = reads.profile_mentions(conn, ent["id"])
    counts = _name_forms(mentions)
    descriptions, ages, gender = _attributes(links)
    quotes = reads.quotes_said_by(conn, ent["id"])
    published = [link["published"] for link in links if link["published"]]
    articles: dict[str, dict[str, Any]] = {}
    for link in links:
        articles.setdefault(
            link["doc_id"],
            {k: link[k] for k in ("doc_id", "published", "title", "entity_id", "evidence")},
        )
    return {
        **ent,
        "aliases": _by_use(counts["alias"]),
        "epithets": _by_use(counts["epithet"]),
        "descriptions": descriptions,
        "ages": ages,
        "gender": gender,
        "relations": _relations(conn, ent["id"]),
        "mentions": len(mentions),
        "quotes": quotes,
        "first_seen": min(published) if published else None,
        "last_seen": max(published) if published else None,
        "articles": list(articles.values()),
    }


def _name_forms(mentions: list[Row]) -> dict[str, dict[str, dict[str, int]]]:
    """``alias``/``epithet`` -> case-folded form -> form as written -> how often."""
    # Forms that differ only in case ("The founder", "the founder") count as one, shown as written most.
    counts: dict[str, dict[str, dict[str, int]]] = {"alias": {}, "epithet": {}}
    for m in mentions:
        kind = "alias" if m["kind"] in ("name", "alias") else m["kind"]
        if kind in counts and m["text"]:
            forms = counts[kind].setdefault(m["text"].casefold(), {})
            forms[m["text"]] = forms.get(m["text"], 0) + 1
    return counts


def _attributes(links: list[Row]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str | None]:
    """Descriptions and ages, each with its article, in link order; the gender most articles give."""
    descriptions: list[dict[str, Any]] = []
    ages: list[dict[str, Any]] = []
    genders: dict[str, int] = {}
    for link in links:
        attrs = json.loads(link["attributes_json"] or "{}")
        where = {"doc_id": link["doc_id"], "published": link["published"]}
        descriptions += [{"value": d, **where} for d in attrs.get("descriptions") or []]
        if attrs.get("age") is not None:
            ages.append({"value": attrs["age"], **where})
        if attrs.get("gender"):
            genders[attrs["gender"]] = genders.get(attrs["gender"], 0) + 1
    return descriptions, ages, max(genders, key=lambda g: genders[g]) if genders else None


def _by_use(forms: dict[str, dict[str, int]]) -> list[str]:
    """One written form per case-folded name, most used first."""
    totals = {max(f, key=lambda w: (f[w], w)): sum(f.values()) for f in forms.values()}
    return sorted(totals, key=lambda w: (-totals[w], w))


def _relations(conn: sqlite3.Connection, story_id: int) -> list[dict[str, Any]]:
    rows = reads.relations_of(conn, story_id)
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["predicate"], r["s_name"], r["o_name"])
        item = merged.setdefault(
            key,
            {
                "predicate": r["predicate"],
                "subject": r["s_name"],
                "object": r["o_name"],
                "other": r["o_name"] if r["s"] == story_id else r["s_name"],
                "sources": [],
                "hedges": [],
                "evidence": r["evidence"],
            },
        )
        if r["doc_id"] not in item["sources"]:
            item["sources"].append(r["doc_id"])
        item["hedges"] += [h for h in _json_list(r["hedges_json"]) if h not in item["hedges"]]
    return list(merged.values())


# --- timeline and quotes -------------------------------------------------------------------


def timeline(store: StoreLike, name: str | None = None, query: str | None = None) -> list[dict[str, Any]]:
    """Events and dated quotes in date order, each reported event once with all its sources.

    The same event told by several articles (same predicate and polarity,
    same story-level agent and patients, or one side's a subset of the
    other's with one shared, dates that overlap) is one item; so is an
    article's ``the lawsuit, filed last Friday`` with its ``X sued Y`` (see
    ``storyline.story.events``).

    Args:
        store: A ``storyline.store.Store`` (or its connection) after ``link_entities``.
        name: Keep the items whose agent, patients or speaker is this story
            entity (a name or alias, as ``find_entity`` takes it).
        query: Keep the items matching this FTS5 query: events whose
            sentence matches (in an article that ``articles_fts`` matches),
            quotes whose content ``quotes_fts`` matches. Words with
            characters FTS5 would read as syntax are searched as words.

    Returns:
        Dicts with ``kind`` (``event`` or ``quote``), ``predicate``,
        ``date`` (TIMEX3 value or None), ``range`` ([start, end] ISO dates, or
        None), ``approximate``, ``undated``, ``placed`` (the date the item is
        ordered by), ``agent`` and ``patients`` (story entity names),
        ``polarity``, ``modality``, ``hedges`` (union over the sources),
        ``attributed_to``, ``sources`` (doc_ids, first report first),
        ``evidence`` (the trigger words, or the quote) and ``refs``
        (``{doc_id, id, start, end}`` of every merged event or quote).

    Raises:
        StoryError: (SL452, SL453) for ``name`` as ``find_entity``; (SL454)
            for a query FTS5 cannot read even word by word.
    """
    conn = connection_of(store)
    story_id = find_entity(conn, name)["id"] if name else None
    if story_id is not None and not query:
        stored = materialised_timeline(conn, story_id)
        if stored is not None:
            return stored
    items = merge_events(conn, story_id)
    if story_id is not None:
        items = [it for it in items if story_id in it.involved()]
    if query:
        matched = _matching(conn, query, items)
        items = [it for it in items if any(ref in matched for ref in it.ref_keys())]
    items.sort(key=lambda it: it.sort_key())
    return [it.to_dict() for it in items]


def _fts(search: Callable[[sqlite3.Connection, str], _Found], conn: sqlite3.Connection, query: str) -> tuple[_Found, str]:
    """Run an FTS5 search; on a syntax error, again with every word quoted. Return what it found and the query used."""
    try:
        return search(conn, query), query
    except sqlite3.OperationalError:
        quoted = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
        try:
            return search(conn, quoted), quoted
        except sqlite3.OperationalError as exc:
            raise StoryError(f"cannot search for {query!r} ({exc}); use plain words", code=STORY_BAD_QUERY) from exc


def _matching(conn: sqlite3.Connection, query: str, items: list[TimelineItem]) -> set[tuple[str, str]]:
    """(doc_id, event or quote id) of what the query matches."""
    docs, used = _fts(reads.articles_matching, conn, query)
    quotes, _ = _fts(reads.quotes_matching, conn, query)
    matched = set(quotes)
    in_docs = set(docs)
    sentences = [(ref, sentence) for it in items if it.kind == "event" for ref, sentence in it.sentences() if ref[0] in in_docs]
    if sentences:
        # Sentence-level FTS, with the tokenizer of articles_fts, so "sued" finds the sentence with "sued".
        matched |= sentences_matching(sentences, used)
    return matched


def search_quotes(store: StoreLike, speaker: str | None = None, about: str | None = None) -> list[dict[str, Any]]:
    """Quotes by a story entity and/or about some words, in published order.

    Args:
        store: A ``storyline.store.Store`` (or its connection) after ``link_entities``.
        speaker: A story entity name or alias (``"Varga"``); its quotes in every article.
        about: An FTS5 query over the quote content (``quotes_fts``).

    Returns:
        Dicts with ``quote`` (the content), ``speaker`` (story entity name,
        or the article's name when unlinked, or None), ``date`` (when the
        words were said, TIMEX3), ``hedges``, ``kind``, ``cue``, ``doc_id``,
        ``id``, ``published``, ``start`` and ``end`` (offsets of the content).

    Raises:
        StoryError: (SL452, SL453) for ``speaker``; (SL454) for a bad query.
    """
    conn = connection_of(store)
    story_id = find_entity(conn, speaker)["id"] if speaker else None
    keys: set[tuple[str, str]] = set()
    if about:
        found, _ = _fts(reads.quotes_matching, conn, about)
        keys = set(found)
    return [
        {
            "quote": r["content"],
            "speaker": r["speaker"],
            "date": r["date"],
            "hedges": _json_list(r["hedges_json"]),
            "kind": r["kind"],
            "cue": r["cue"],
            "doc_id": r["doc_id"],
            "id": r["id"],
            "published": r["published"],
            "start": r["content_start"],
            "end": r["content_end"],
        }
        for r in reads.quote_rows(conn, story_id)
        if not about or (r["doc_id"], r["id"]) in keys
    ]
