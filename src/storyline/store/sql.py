"""The schema of the store: migrations, table list and the statements ``db.py`` runs to write a record.

``MIGRATIONS[n]`` is the script that takes a store from schema version ``n`` to
``n + 1``; a new schema version appends a script and never edits an old one.
The tables follow the shared spec of schema version 1 (``store_schema.md``).
"""

from __future__ import annotations

#: The schema version this storyline writes and reads.
SCHEMA_VERSION = 2

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

CREATE TABLE articles (
    doc_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    published TEXT,
    title TEXT,
    url TEXT,
    path TEXT,
    format TEXT,
    text TEXT NOT NULL,
    record_json TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);

CREATE TABLE entities (
    doc_id TEXT REFERENCES articles(doc_id) ON DELETE CASCADE,
    id TEXT,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases_json TEXT NOT NULL,
    attributes_json TEXT NOT NULL,
    PRIMARY KEY (doc_id, id)
);

CREATE TABLE mentions (
    doc_id TEXT REFERENCES articles(doc_id) ON DELETE CASCADE,
    entity_id TEXT,
    start INTEGER,
    "end" INTEGER,
    text TEXT,
    kind TEXT,
    via TEXT
);

CREATE TABLE quotes (
    doc_id TEXT REFERENCES articles(doc_id) ON DELETE CASCADE,
    id TEXT,
    kind TEXT,
    content_start INTEGER,
    content_end INTEGER,
    content TEXT,
    speaker TEXT,
    cue TEXT,
    source TEXT,
    reported_by TEXT,
    addressee TEXT,
    medium TEXT,
    hedges_json TEXT,
    continues TEXT,
    date TEXT,
    timex TEXT,
    provenance TEXT,
    confidence REAL,
    speaker_via TEXT,
    PRIMARY KEY (doc_id, id)
);

CREATE TABLE events (
    doc_id TEXT REFERENCES articles(doc_id) ON DELETE CASCADE,
    id TEXT,
    trigger_start INTEGER,
    trigger_end INTEGER,
    trigger TEXT,
    predicate TEXT,
    type TEXT,
    agent TEXT,
    patients_json TEXT,
    timex TEXT,
    date TEXT,
    polarity TEXT,
    modality TEXT,
    hedges_json TEXT,
    attributed_to TEXT,
    provenance TEXT,
    PRIMARY KEY (doc_id, id)
);

CREATE TABLE timexes (
    doc_id TEXT REFERENCES articles(doc_id) ON DELETE CASCADE,
    id TEXT,
    start INTEGER,
    "end" INTEGER,
    text TEXT,
    type TEXT,
    value TEXT,
    granularity TEXT,
    approximate INTEGER,
    anchor TEXT,
    PRIMARY KEY (doc_id, id)
);

CREATE TABLE relations (
    doc_id TEXT REFERENCES articles(doc_id) ON DELETE CASCADE,
    subject TEXT,
    predicate TEXT,
    object TEXT,
    evidence_start INTEGER,
    evidence_end INTEGER,
    evidence TEXT,
    hedges_json TEXT,
    modality TEXT
);

CREATE TABLE warnings (
    doc_id TEXT REFERENCES articles(doc_id) ON DELETE CASCADE,
    code TEXT,
    stage TEXT,
    message TEXT,
    start INTEGER,
    "end" INTEGER
);

-- error records have no article, so no foreign key
CREATE TABLE errors (doc_id TEXT PRIMARY KEY, path TEXT, stage TEXT, code TEXT, message TEXT, at TEXT);

CREATE TABLE story_entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE
);

CREATE TABLE entity_links (
    doc_id TEXT,
    entity_id TEXT,
    story_entity INTEGER REFERENCES story_entities(id) ON DELETE CASCADE,
    evidence TEXT NOT NULL,
    PRIMARY KEY (doc_id, entity_id)
);

CREATE VIRTUAL TABLE articles_fts USING fts5(doc_id UNINDEXED, title, text);
CREATE VIRTUAL TABLE quotes_fts USING fts5(doc_id UNINDEXED, quote_id UNINDEXED, content);

CREATE INDEX mentions_doc_entity ON mentions(doc_id, entity_id);
CREATE INDEX quotes_speaker ON quotes(speaker);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_agent ON events(agent);
CREATE INDEX entity_links_story_entity ON entity_links(story_entity);
-- Beyond the spec: the two child tables with no key on doc_id. Without these, the
-- ON DELETE CASCADE of one replaced article scans both tables whole.
CREATE INDEX relations_doc ON relations(doc_id);
CREATE INDEX warnings_doc ON warnings(doc_id);
"""

# Version 2: the merged timeline, materialised by ``link_entities`` so that one
# entity's timeline is an indexed read (p95 210 ms -> a few ms at 100,000 articles).
_V2 = """
CREATE TABLE story_items (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    item_json TEXT NOT NULL
);
CREATE TABLE story_item_entities (
    item INTEGER NOT NULL REFERENCES story_items(id) ON DELETE CASCADE,
    story_entity INTEGER NOT NULL,
    PRIMARY KEY (story_entity, item)
);
-- Every change to articles, by any writer, bumps this counter; the materialised
-- timeline records the value it was built at and is trusted only while it holds.
INSERT OR IGNORE INTO meta (key, value) VALUES ('articles_version', '0');
CREATE TRIGGER articles_version_insert AFTER INSERT ON articles BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'articles_version';
END;
CREATE TRIGGER articles_version_update AFTER UPDATE ON articles BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'articles_version';
END;
CREATE TRIGGER articles_version_delete AFTER DELETE ON articles BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'articles_version';
END;
"""

#: ``MIGRATIONS[n]`` upgrades a store from schema version ``n`` to ``n + 1``.
MIGRATIONS: tuple[str, ...] = (_V1, _V2)

#: The tables ``Store.counts`` reports, in a fixed order.
TABLES: tuple[str, ...] = (
    "articles",
    "entities",
    "mentions",
    "quotes",
    "events",
    "timexes",
    "relations",
    "warnings",
    "errors",
    "story_entities",
    "entity_links",
    "story_items",
    "story_item_entities",
    "articles_fts",
    "quotes_fts",
)

#: Per-article tables, the ones ``ON DELETE CASCADE`` empties with their article.
ARTICLE_TABLES: tuple[str, ...] = ("entities", "mentions", "quotes", "events", "timexes", "relations", "warnings")

INSERT = {
    "articles": "INSERT INTO articles (doc_id, sha256, published, title, url, path, format, text, record_json, "
    "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "entities": "INSERT INTO entities (doc_id, id, name, type, aliases_json, attributes_json) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "mentions": 'INSERT INTO mentions (doc_id, entity_id, start, "end", text, kind, via) VALUES (?, ?, ?, ?, ?, ?, ?)',
    "quotes": "INSERT INTO quotes (doc_id, id, kind, content_start, content_end, content, speaker, cue, source, "
    "reported_by, addressee, medium, hedges_json, continues, date, timex, provenance, confidence, speaker_via) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "events": "INSERT INTO events (doc_id, id, trigger_start, trigger_end, trigger, predicate, type, agent, "
    "patients_json, timex, date, polarity, modality, hedges_json, attributed_to, provenance) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "timexes": 'INSERT INTO timexes (doc_id, id, start, "end", text, type, value, granularity, approximate, anchor) '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "relations": "INSERT INTO relations (doc_id, subject, predicate, object, evidence_start, evidence_end, evidence, "
    "hedges_json, modality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "warnings": 'INSERT INTO warnings (doc_id, code, stage, message, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
}

INSERT_ARTICLE_FTS = "INSERT INTO articles_fts (rowid, doc_id, title, text) VALUES (?, ?, ?, ?)"
INSERT_ARTICLE_FTS_ANY_ROWID = "INSERT INTO articles_fts (doc_id, title, text) VALUES (?, ?, ?)"
INSERT_QUOTE_FTS = "INSERT INTO quotes_fts (rowid, doc_id, quote_id, content) VALUES (?, ?, ?, ?)"
INSERT_QUOTE_FTS_ANY_ROWID = "INSERT INTO quotes_fts (doc_id, quote_id, content) VALUES (?, ?, ?)"

# An FTS row shares the rowid of its articles/quotes row, so deleting it is a lookup.
# VACUUM may renumber those rowids (neither table has an INTEGER PRIMARY KEY), so the
# doc_id test keeps a stale rowid from touching another article, and store.py falls back
# to the whole-table delete below when the lookup finds fewer rows than it should.
DELETE_ARTICLE_FTS_BY_ROWID = (
    "DELETE FROM articles_fts WHERE rowid IN (SELECT rowid FROM articles WHERE doc_id = ?) AND doc_id = ?"
)
DELETE_QUOTE_FTS_BY_ROWID = (
    "DELETE FROM quotes_fts WHERE rowid IN (SELECT rowid FROM quotes WHERE doc_id = ?) AND doc_id = ?"
)
DELETE_ARTICLE_FTS_SCAN = "DELETE FROM articles_fts WHERE doc_id = ?"
DELETE_QUOTE_FTS_SCAN = "DELETE FROM quotes_fts WHERE doc_id = ?"
