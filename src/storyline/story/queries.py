"""The story across articles: entities, profiles, timelines and quotes, over the store.

Reads the tables ``storyline.store`` writes, plus the story-level tables that
``link_entities`` (``storyline.story.linking``) rebuilds when records are written. Every
query returns plain dicts and lists, the same for table and JSON output.
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
from pathlib import Path
from typing import Any

from storyline.errors import (
    STORY_BAD_QUERY,
    STORY_ENTITY_AMBIGUOUS,
    STORY_ENTITY_NOT_FOUND,
    STORY_STORE_MISSING,
    StoryError,
)
from storyline.story.events import merge_events
from storyline.story.linking import LinkReport, articles_state, link_entities, links_stale
from storyline.story.names import fold_name

__all__ = [
    "ensure_linked",
    "find_entity",
    "list_entities",
    "open_story",
    "profile",
    "search_quotes",
    "timeline",
]

def _connection(store: Any) -> sqlite3.Connection:
    conn = getattr(store, "connection", store)
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError("expected a Store or a sqlite3.Connection")
    return conn


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return [dict(row) for row in cur.execute(sql, params)]


def _json_list(text: str | None) -> list[Any]:
    value = json.loads(text) if text else []
    return value if isinstance(value, list) else []


def open_story(path: str | Path) -> Any:
    """Open an existing store for story queries.

    Args:
        path: The database file ``storyline ingest`` wrote.

    Returns:
        The open ``storyline.store.Store``.

    Raises:
        StoryError: (SL451) when the file does not exist; the message names
            the file and the ``storyline ingest`` command that creates it.
    """
    # Imported here: only this function needs the store module; the queries take any connection.
    from storyline.store.db import open_store

    if not Path(path).is_file():
        raise StoryError(
            f"no store at {path}; create it with `storyline ingest PATH --db {path}`, or point --db at an existing one",
            code=STORY_STORE_MISSING,
        )
    return open_store(path)


def ensure_linked(store: Any) -> LinkReport | None:
    """Run ``link_entities`` when articles were stored or removed since the last run.

    Args:
        store: A ``storyline.store.Store`` (or its connection).

    Returns:
        The report when it relinked, None when the links were up to date.
    """
    return link_entities(store) if links_stale(store) else None


# --- entities ----------------------------------------------------------------------------------


def list_entities(store: Any) -> list[dict[str, Any]]:
    """Every story entity with its counts, most widely reported first.

    Args:
        store: A ``storyline.store.Store`` (or its connection) after ``link_entities``.

    Returns:
        Dicts with ``id``, ``name``, ``type``, ``key``, ``articles``,
        ``mentions``, ``quotes`` (quotes whose speaker is linked to it),
        ``first_seen`` and ``last_seen`` (published dates of its first and
        last article).
    """
    conn = _connection(store)
    rows = _rows(
        conn,
        "SELECT se.id, se.name, se.type, se.key, COUNT(DISTINCT l.doc_id) AS articles, "
        "MIN(a.published) AS first_seen, MAX(a.published) AS last_seen "
        "FROM story_entities se JOIN entity_links l ON l.story_entity = se.id "
        "JOIN articles a ON a.doc_id = l.doc_id GROUP BY se.id",
    )
    mentions = _count_by_story(conn, "mentions m", "m.doc_id = l.doc_id AND m.entity_id = l.entity_id")
    # "+q.speaker": look quotes up by their article, not by an id like "e1" that every article uses.
    quotes = _count_by_story(conn, "quotes q", "q.doc_id = l.doc_id AND +q.speaker = l.entity_id")
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


def _count_by_story(conn: sqlite3.Connection, table: str, on: str) -> dict[int, int]:
    sql = f"SELECT l.story_entity AS id, COUNT(*) AS n FROM entity_links l JOIN {table} ON {on} GROUP BY l.story_entity"
    return {r["id"]: r["n"] for r in _rows(conn, sql)}


def find_entity(store: Any, name: str) -> dict[str, Any]:
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
    conn = _connection(store)
    wanted = fold_name(name)
    entities = {r["id"]: r for r in _rows(conn, "SELECT id, name, type, key FROM story_entities")}
    exact = {i for i, r in entities.items() if fold_name(r["name"]) == wanted or r["key"] == name.strip()}
    tiers: list[set[int]] = [exact, set(), set()]
    if not exact and wanted:
        # Only rows whose text contains the name's last word can fold to it (LIKE ignores ASCII case).
        word = wanted.split()[-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{word}%"
        for r in _rows(
            conn,
            "SELECT l.story_entity, e.name, e.aliases_json, m.text, m.kind FROM entity_links l "
            "JOIN entities e ON e.doc_id = l.doc_id AND e.id = l.entity_id "
            "LEFT JOIN mentions m ON m.doc_id = l.doc_id AND m.entity_id = l.entity_id "
            "WHERE e.name LIKE ?1 ESCAPE '\\' OR e.aliases_json LIKE ?1 ESCAPE '\\' OR m.text LIKE ?1 ESCAPE '\\'",
            (like,),
        ):
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


def profile(store: Any, name: str) -> dict[str, Any]:
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
    conn = _connection(store)
    ent = find_entity(conn, name)
    links = _rows(
        conn,
        "SELECT l.doc_id, l.entity_id, l.evidence, e.name, e.aliases_json, e.attributes_json, a.published, a.title "
        "FROM entity_links l JOIN entities e ON e.doc_id = l.doc_id AND e.id = l.entity_id "
        "JOIN articles a ON a.doc_id = l.doc_id WHERE l.story_entity = ? ORDER BY a.published, l.doc_id, e.rowid",
        (ent["id"],),
    )
    mentions = _rows(
        conn,
        "SELECT m.text, m.kind FROM mentions m JOIN entity_links l ON l.doc_id = m.doc_id AND l.entity_id = m.entity_id "
        "WHERE l.story_entity = ?",
        (ent["id"],),
    )
    # Forms that differ only in case ("The founder", "the founder") count as one, shown as written most.
    counts: dict[str, dict[str, dict[str, int]]] = {"alias": {}, "epithet": {}}
    for m in mentions:
        kind = "alias" if m["kind"] in ("name", "alias") else m["kind"]
        if kind in counts and m["text"]:
            forms = counts[kind].setdefault(m["text"].casefold(), {})
            forms[m["text"]] = forms.get(m["text"], 0) + 1
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
    quotes = conn.execute(
        "SELECT COUNT(*) FROM quotes q JOIN entity_links l ON l.doc_id = q.doc_id AND l.entity_id = +q.speaker "
        "WHERE l.story_entity = ?",
        (ent["id"],),
    ).fetchone()[0]
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
        "gender": max(genders, key=lambda g: genders[g]) if genders else None,
        "relations": _relations(conn, ent["id"]),
        "mentions": len(mentions),
        "quotes": quotes,
        "first_seen": min(published) if published else None,
        "last_seen": max(published) if published else None,
        "articles": list(articles.values()),
    }


def _by_use(forms: dict[str, dict[str, int]]) -> list[str]:
    """One written form per case-folded name, most used first."""
    totals = {max(f, key=lambda w: (f[w], w)): sum(f.values()) for f in forms.values()}
    return sorted(totals, key=lambda w: (-totals[w], w))


def _relations(conn: sqlite3.Connection, story_id: int) -> list[dict[str, Any]]:
    rows = _rows(
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


def timeline(store: Any, name: str | None = None, query: str | None = None) -> list[dict[str, Any]]:
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
    conn = _connection(store)
    story_id = find_entity(conn, name)["id"] if name else None
    if story_id is not None and not query:
        stored = _stored_timeline(conn, story_id)
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


def _stored_timeline(conn: sqlite3.Connection, story_id: int) -> list[dict[str, Any]] | None:
    """The entity's items from the timeline ``link_entities`` materialised.

    None when there is none, or when articles changed since it was built
    (then the caller merges afresh).
    """
    try:
        marker = conn.execute("SELECT value FROM meta WHERE key = 'timeline_of'").fetchone()
        state = articles_state(conn)
        if marker is None or state is None or marker[0] != state:
            return None
        rows = conn.execute(
            "SELECT i.item_json FROM story_item_entities e JOIN story_items i ON i.id = e.item "
            "WHERE e.story_entity = ? ORDER BY i.position",
            (story_id,),
        ).fetchall()
    except sqlite3.OperationalError:
        return None
    return [json.loads(row[0]) for row in rows]


def _fts(conn: sqlite3.Connection, sql: str, query: str) -> tuple[list[dict[str, Any]], str]:
    """Run an FTS5 MATCH; on a syntax error, again with every word quoted."""
    try:
        return _rows(conn, sql, (query,)), query
    except sqlite3.OperationalError:
        quoted = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
        try:
            return _rows(conn, sql, (quoted,)), quoted
        except sqlite3.OperationalError as exc:
            raise StoryError(f"cannot search for {query!r} ({exc}); use plain words", code=STORY_BAD_QUERY) from exc


def _matching(conn: sqlite3.Connection, query: str, items: list[Any]) -> set[tuple[str, str]]:
    """(doc_id, event or quote id) of what the query matches."""
    docs, used = _fts(conn, "SELECT doc_id FROM articles_fts WHERE articles_fts MATCH ?", query)
    quotes, _ = _fts(conn, "SELECT doc_id, quote_id FROM quotes_fts WHERE quotes_fts MATCH ?", query)
    matched = {(q["doc_id"], q["quote_id"]) for q in quotes}
    in_docs = {d["doc_id"] for d in docs}
    sentences = [(ref, sentence) for it in items if it.kind == "event" for ref, sentence in it.sentences() if ref[0] in in_docs]
    if sentences:
        # Sentence-level FTS, with the tokenizer of articles_fts (the default), so "sued" finds the sentence with "sued".
        mem = sqlite3.connect(":memory:")
        try:
            mem.execute("CREATE VIRTUAL TABLE s USING fts5(doc_id UNINDEXED, id UNINDEXED, text)")
            mem.executemany("INSERT INTO s VALUES (?, ?, ?)", [(d, i, text) for (d, i), text in sentences])
            matched |= {(d, i) for d, i in mem.execute("SELECT doc_id, id FROM s WHERE s MATCH ?", (used,))}
        finally:
            mem.close()
    return matched


def search_quotes(store: Any, speaker: str | None = None, about: str | None = None) -> list[dict[str, Any]]:
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
    conn = _connection(store)
    where, params = [], []
    if speaker:
        where.append("l.story_entity = ?")
        params.append(find_entity(conn, speaker)["id"])
    if about:
        found, _ = _fts(conn, "SELECT doc_id, quote_id FROM quotes_fts WHERE quotes_fts MATCH ?", about)
        keys = {(f["doc_id"], f["quote_id"]) for f in found}
    sql = (
        "SELECT q.doc_id, q.id, q.kind, q.content, q.content_start, q.content_end, q.cue, q.date, q.hedges_json, "
        "a.published, COALESCE(se.name, e.name) AS speaker FROM quotes q JOIN articles a ON a.doc_id = q.doc_id "
        "LEFT JOIN entities e ON e.doc_id = q.doc_id AND e.id = q.speaker "
        "LEFT JOIN entity_links l ON l.doc_id = q.doc_id AND l.entity_id = +q.speaker "
        "LEFT JOIN story_entities se ON se.id = l.story_entity"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.published, q.doc_id, q.content_start"
    )
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
        for r in _rows(conn, sql, tuple(params))
        if not about or (r["doc_id"], r["id"]) in keys
    ]
