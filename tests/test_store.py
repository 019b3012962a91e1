"""The SQLite store and `storyline ingest`.

Records are built by hand, so no test here needs the spaCy model except the
ones marked ``model`` (``storyline.extract`` and the real pipeline end to end).
The CLI tests without the model put a small rule-based stand-in in place of
``process_batch``: they check the plumbing (counts, exit status, idempotence),
not extraction. Every article text is written for these tests.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyline.cli.ingest as ingest_command
import storyline.story.linking as linking
from clirun import invoke
from sample_record import TEXT, full_record
from storyline.errors import STORE_NEWER, STORE_UNUSABLE, STORE_WRITE_FAILED, StoreError
from storyline.model import Article, Entity, ErrorRecord, Issue, Mention, Quote, Record, Span
from storyline.store.db import Store, open_store
from storyline.store.sql import ARTICLE_TABLES, MIGRATIONS, SCHEMA_VERSION, TABLES
from storyline.story.linking import link_entities  # the real one, whatever a test patches

ROOT = Path(__file__).resolve().parents[1]

# The columns of every table, as the shared spec (store_schema.md, version 1) lists them.
SPEC_COLUMNS = {
    "meta": ["key", "value"],
    "articles": ["doc_id", "sha256", "published", "title", "url", "path", "format", "text", "record_json",
                 "ingested_at"],
    "entities": ["doc_id", "id", "name", "type", "aliases_json", "attributes_json"],
    "mentions": ["doc_id", "entity_id", "start", "end", "text", "kind", "via"],
    "quotes": ["doc_id", "id", "kind", "content_start", "content_end", "content", "speaker", "cue", "source",
               "reported_by", "addressee", "medium", "hedges_json", "continues", "date", "timex", "provenance",
               "confidence", "speaker_via"],
    "events": ["doc_id", "id", "trigger_start", "trigger_end", "trigger", "predicate", "type", "agent",
               "patients_json", "timex", "date", "polarity", "modality", "hedges_json", "attributed_to",
               "provenance"],
    "timexes": ["doc_id", "id", "start", "end", "text", "type", "value", "granularity", "approximate", "anchor"],
    "relations": ["doc_id", "subject", "predicate", "object", "evidence_start", "evidence_end", "evidence",
                  "hedges_json", "modality"],
    "warnings": ["doc_id", "code", "stage", "message", "start", "end"],
    "errors": ["doc_id", "path", "stage", "code", "message", "at"],
    "story_entities": ["id", "name", "type", "key"],
    "entity_links": ["doc_id", "entity_id", "story_entity", "evidence"],
    "articles_fts": ["doc_id", "title", "text"],
    "quotes_fts": ["doc_id", "quote_id", "content"],
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "test.db") as opened:
        yield opened


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (meta and the full-text tables included), in a fixed order."""
    out = {}
    for table in ("meta", *TABLES):
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        order = ", ".join(str(i + 1) for i in range(len(columns) + 1))
        out[table] = [tuple(row) for row in conn.execute(f"SELECT rowid, * FROM {table} ORDER BY {order}")]
    return out


def orphans(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows whose doc_id has no article, per table; full-text rows included."""
    found = {}
    for table in (*ARTICLE_TABLES, "articles_fts", "quotes_fts"):
        found[table] = conn.execute(
            f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM articles)"
        ).fetchone()[0]
    return found


# --- opening and the schema ------------------------------------------------------------------------------------------


def test_open_store_creates_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with open_store(path) as store:
        conn = store.connection
        assert path.exists()
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(len(MIGRATIONS))
        assert store.schema_version() == SCHEMA_VERSION == len(MIGRATIONS) == 2
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.row_factory is sqlite3.Row
        for table, columns in SPEC_COLUMNS.items():
            assert [row["name"] for row in conn.execute(f"PRAGMA table_info({table})")] == columns, table
        indexes = {row["name"]: [col["name"] for col in conn.execute(f"PRAGMA index_info({row['name']})")]
                   for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
        assert {
            "mentions_doc_entity": ["doc_id", "entity_id"],
            "quotes_speaker": ["speaker"],
            "events_date": ["date"],
            "events_agent": ["agent"],
            "entity_links_story_entity": ["story_entity"],
        }.items() <= indexes.items()


def test_reopen_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        store.ingest(full_record())
        before = dump(store.connection)
    with open_store(tmp_path / "s.db") as store:
        assert dump(store.connection) == before


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        store.connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError) as info:
        open_store(tmp_path / "s.db")
    assert info.value.code == STORE_NEWER and "upgrade storyline" in info.value.message


def test_unusable_paths_are_coded_errors(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("just some notes, not a database\n" * 50, encoding="utf-8")
    for path in (not_a_db, tmp_path, tmp_path / "missing" / "s.db"):
        with pytest.raises(StoreError) as info:
            open_store(path)
        assert info.value.code == STORE_UNUSABLE, path


def test_foreign_sqlite_database_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE articles (x)")
    conn.close()
    with pytest.raises(StoreError) as info:
        open_store(path)
    assert info.value.code == STORE_UNUSABLE
    with sqlite3.connect(path) as conn:  # the failed migration was rolled back whole
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["articles"]
    conn.close()


# --- added, unchanged, replaced -------------------------------------------------------------------------------------


def test_added_unchanged_replaced(store: Store) -> None:
    record = full_record()
    assert store.ingest(record) == "added"
    before = dump(store.connection)
    assert store.ingest(record) == "unchanged"
    assert dump(store.connection) == before  # nothing written, ingested_at included
    changed = full_record(text=TEXT + " The vote was 5 to 2.")
    assert store.ingest(changed) == "replaced"
    assert store.record("pier") == changed.to_dict()
    assert store.doc_ids() == ["pier"]
    assert store.counts()["articles"] == 1 and store.counts()["quotes"] == 2


def test_unchanged_is_decided_by_the_text_hash(store: Store) -> None:
    record = full_record()
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    store.ingest(record)
    assert store.has("pier") and store.has("pier", digest) and not store.has("pier", "0" * 64)
    assert not store.has("nope")
    assert store.connection.execute("SELECT sha256 FROM articles").fetchone()[0] == digest
    # the same text, now with a sha256 from ingest: still unchanged
    assert store.ingest(full_record(source={"sha256": digest})) == "unchanged"
    # the sha256 in source wins when present
    assert store.ingest(full_record(doc_id="other", source={"sha256": "abc"})) == "added"
    assert store.has("other", "abc")


def test_replace_deletes_every_old_row(store: Store) -> None:
    store.ingest(full_record())
    store.ingest(full_record("second", text=TEXT + " Second story."))
    smaller = Record("pier", "A quieter day at the pier. Nothing happened.", source={"path": "news/pier.txt"})
    assert store.ingest(smaller) == "replaced"
    conn = store.connection
    assert orphans(conn) == dict.fromkeys((*ARTICLE_TABLES, "articles_fts", "quotes_fts"), 0)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in ARTICLE_TABLES:
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE doc_id = 'pier'").fetchone()[0] == 0, table
    for table in ("articles_fts", "quotes_fts"):
        assert [r[0] for r in conn.execute(f"SELECT DISTINCT doc_id FROM {table} ORDER BY 1")] == (
            ["pier", "second"] if table == "articles_fts" else ["second"]
        )
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'pier'").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'safe'").fetchone()[0] == 1


def test_deleting_an_article_cascades(store: Store) -> None:
    store.ingest(full_record())
    with store.transaction() as conn:
        conn.execute("DELETE FROM articles WHERE doc_id = 'pier'")
    counts = store.counts()
    assert all(counts[table] == 0 for table in ("articles", *ARTICLE_TABLES)), counts


def test_replace_after_fts_rowids_moved(store: Store) -> None:
    """A VACUUM may renumber the rowids the fast delete relies on; the fallback still removes every row."""
    store.ingest(full_record())
    store.ingest(full_record("other", text=TEXT + " Other."))
    with store.transaction() as conn:
        for table, columns in (("articles_fts", "doc_id, title, text"), ("quotes_fts", "doc_id, quote_id, content")):
            rows = conn.execute(f"SELECT rowid, {columns} FROM {table}").fetchall()
            conn.execute(f"DELETE FROM {table}")
            for row in rows:  # move every row to a rowid its table row does not have
                marks = ", ".join("?" * len(row))
                conn.execute(f"INSERT INTO {table} (rowid, {columns}) VALUES ({marks})", (row[0] + 1, *tuple(row)[1:]))
    assert store.ingest(Record("pier", "Nothing left to say about it.")) == "replaced"
    conn = store.connection
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE doc_id = 'pier'").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM quotes_fts WHERE doc_id = 'pier'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM quotes_fts WHERE doc_id = 'other'").fetchone()[0] == 2
    assert store.ingest(full_record("third", text=TEXT + " Third.")) == "added"  # rowid clash falls back too
    assert store.counts()["articles_fts"] == 3 and store.counts()["quotes_fts"] == 4


def test_vacuum_then_replace_keeps_fts_in_sync(store: Store) -> None:
    for i in range(5):
        store.ingest(full_record(f"d{i}", text=TEXT + f" Story {i}."))
    with store.transaction() as conn:
        conn.execute("DELETE FROM articles_fts WHERE doc_id = 'd1'")
        conn.execute("DELETE FROM quotes_fts WHERE doc_id = 'd1'")
        conn.execute("DELETE FROM articles WHERE doc_id = 'd1'")
    store.connection.execute("VACUUM")
    for i in (0, 2, 4):
        assert store.ingest(full_record(f"d{i}", text=TEXT + f" Story {i}, updated.")) == "replaced"
    assert orphans(store.connection)["quotes_fts"] == 0
    counts = store.counts()
    assert counts["articles_fts"] == counts["articles"] == 4 and counts["quotes_fts"] == counts["quotes"] == 8


# --- full text ------------------------------------------------------------------------------------------------------


def test_fts_finds_quote_and_article(store: Store) -> None:
    store.ingest(full_record())
    store.ingest(Record("choir", "The town choir sang in the new hall.", title="Choir concert"))
    conn = store.connection
    hits = conn.execute("SELECT doc_id, quote_id, content FROM quotes_fts WHERE quotes_fts MATCH ?", ("safe",))
    assert [tuple(r) for r in hits] == [("pier", "q1", "It is not safe any more,")]
    articles = conn.execute("SELECT doc_id FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank", ("pier",))
    assert [r[0] for r in articles] == ["pier"]
    by_title = conn.execute("SELECT doc_id FROM articles_fts WHERE articles_fts MATCH 'title: concert'")
    assert [r[0] for r in by_title] == ["choir"]
    joined = conn.execute(
        "SELECT q.speaker, e.name FROM quotes_fts f JOIN quotes q ON q.doc_id = f.doc_id AND q.id = f.quote_id "
        "JOIN entities e ON e.doc_id = q.doc_id AND e.id = q.speaker WHERE quotes_fts MATCH 'repairs'"
    ).fetchall()
    assert [tuple(r) for r in joined] == [("e1", "Rosa Quispe")]


# --- error records --------------------------------------------------------------------------------------------------


def test_error_records_stored_replaced_and_cleared(store: Store) -> None:
    error = ErrorRecord("pier", "ingest", "SL102", "not UTF-8", {"path": "news/pier.txt", "format": "text"})
    assert store.ingest(error) == "added"
    row = store.error("pier")
    assert row is not None and row["path"] == "news/pier.txt" and row["code"] == "SL102"
    before = dump(store.connection)
    assert store.ingest(error) == "unchanged"
    assert dump(store.connection) == before  # the same error again keeps its time: reruns change nothing
    assert store.ingest(dataclasses.replace(error, code="SL103", message="empty")) == "replaced"
    assert store.counts()["errors"] == 1 and store.error("pier")["code"] == "SL103"  # type: ignore[index]
    assert not store.has("pier")
    assert store.ingest(full_record()) == "added"
    assert store.error("pier") is None and store.counts()["errors"] == 0


def test_error_after_article_keeps_the_article(store: Store) -> None:
    store.ingest(full_record())
    store.ingest(ErrorRecord("pier", "parse", "SL901", "crashed", {"path": "news/pier.txt"}))
    assert store.has("pier") and store.error("pier") is not None
    assert store.ingest(full_record()) == "unchanged"  # a successful ingest clears the stale error
    assert store.error("pier") is None


def test_failed_write_leaves_nothing(store: Store) -> None:
    store.ingest(full_record())
    before = dump(store.connection)
    text = TEXT + " \ud800"  # a lone surrogate cannot be encoded as UTF-8
    bad = full_record(text=text)
    with pytest.raises(StoreError) as info:
        store.ingest(bad)
    assert info.value.code == STORE_WRITE_FAILED and "'pier'" in info.value.message
    assert dump(store.connection) == before  # the old article is intact: the transaction rolled back
    broken = full_record("new", quotes=(Quote("q1", "direct", Span(0, 3, "x\udc80y")),))
    with pytest.raises(StoreError):
        store.ingest(broken)  # fails on the quote, after the article row: rolled back whole
    assert dump(store.connection) == before
    assert not store.connection.in_transaction


# --- round trips ----------------------------------------------------------------------------------------------------


def test_round_trip_and_table_projection(store: Store) -> None:
    record = full_record()
    store.ingest(record)
    assert store.record("pier") == record.to_dict()
    assert store.record("missing") is None
    assert projection(store.connection, "pier") == expected_projection(record)
    article = store.connection.execute("SELECT * FROM articles").fetchone()
    assert (article["url"], article["path"], article["format"], article["published"], article["title"]) == (
        "https://example.org/pier", "news/pier.txt", "text", "2025-03-04", "Pier to close")


def projection(conn: sqlite3.Connection, doc_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """The per-article tables' rows of one article, without doc_id, in insertion order."""
    out = {}
    for table in ARTICLE_TABLES:
        rows = conn.execute(f"SELECT * FROM {table} WHERE doc_id = ? ORDER BY rowid", (doc_id,))
        out[table] = [tuple(row)[1:] for row in rows]
    return out


def expected_projection(record: Record) -> dict[str, list[tuple[Any, ...]]]:
    """What the tables must hold for ``record``, built from the record alone."""
    def js(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    data = record.to_dict()
    return {
        "entities": [(e["id"], e["name"], e["type"], js(e["aliases"]), js(e["attributes"])) for e in data["entities"]],
        "mentions": [(e.id, m.start, m.end, m.text, m.kind, m.via) for e in record.entities for m in e.mentions],
        "quotes": [(q.id, q.kind, q.content.start, q.content.end, q.content.text, q.speaker,
                    q.cue.text if q.cue else None, q.source_span.text if q.source_span else None, q.reported_by,
                    q.addressee, q.medium, js(list(q.hedges)), q.continues, q.date, q.timex, q.provenance,
                    q.confidence, q.speaker_via) for q in record.quotes],
        "events": [(v.id, v.trigger.start, v.trigger.end, v.trigger.text, v.predicate, v.type, v.agent,
                    js(list(v.patients)), v.timex, v.date, v.polarity, v.modality, js(list(v.hedges)),
                    v.attributed_to, v.provenance) for v in record.events],
        "timexes": [(t.id, t.start, t.end, t.text, t.type, t.value, t.granularity, int(t.approximate), t.anchor)
                    for t in record.timexes],
        "relations": [(r.subject, r.predicate, r.object, *((r.evidence.start, r.evidence.end, r.evidence.text)
                       if r.evidence else (None, None, None)), js(list(r.hedges)), r.modality)
                      for r in record.relations],
        "warnings": [(w.code, w.stage, w.message, w.span.start if w.span else None, w.span.end if w.span else None)
                     for w in record.warnings],
    }


CHARS = st.characters(exclude_categories=["Cs"])  # lone surrogates are not text SQLite can hold
WORDS = st.text(CHARS, max_size=12)
MAYBE = st.none() | WORDS
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | WORDS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORDS, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def spans(draw: st.DrawFn, text: str) -> Span:
    start = draw(st.integers(0, len(text)))
    return Span.of(text, start, draw(st.integers(start, len(text))))


@st.composite
def records(draw: st.DrawFn) -> Record:
    """A record with random entities, mentions, quotes and warnings over a random text."""
    text = draw(st.text(CHARS, min_size=1, max_size=200))
    entities = []
    for i in range(draw(st.integers(0, 4))):
        mentions = tuple(
            Mention(s.start, s.end, s.text, draw(st.sampled_from(["name", "alias", "pronoun", "epithet"])), draw(MAYBE))
            for s in draw(st.lists(spans(text), max_size=3))
        )
        entities.append(Entity(f"e{i}", draw(WORDS), draw(st.sampled_from(["PERSON", "ORG", "WORK_OF_ART"])),
                               mentions, tuple(draw(st.lists(WORDS, max_size=3))),
                               draw(st.dictionaries(WORDS, JSON_VALUES, max_size=3))))
    refs = st.none() | st.sampled_from([e.id for e in entities]) if entities else st.none()
    quotes = tuple(
        Quote(f"q{i}", draw(st.sampled_from(["direct", "partial", "indirect", "mixed"])), draw(spans(text)),
              speaker=draw(refs), cue=draw(st.none() | spans(text)), source_span=draw(st.none() | spans(text)),
              continues=f"q{i - 1}" if i and draw(st.booleans()) else None, reported_by=draw(refs),
              addressee=draw(refs), medium=draw(MAYBE), hedges=tuple(draw(st.lists(WORDS, max_size=2))),
              confidence=draw(st.none() | st.floats(0, 1)), speaker_via=draw(MAYBE), date=draw(MAYBE),
              timex=draw(MAYBE), provenance=draw(refs))
        for i in range(draw(st.integers(0, 4)))
    )
    warnings = tuple(Issue(draw(WORDS), draw(WORDS), draw(WORDS), draw(st.none() | spans(text)))
                     for _ in range(draw(st.integers(0, 3))))
    source = draw(st.fixed_dictionaries({"path": WORDS}, optional={"url": WORDS, "format": WORDS}))
    return Record(draw(st.text(CHARS, min_size=1, max_size=20)), text, draw(MAYBE), draw(MAYBE), source,
                  entities=tuple(entities), quotes=quotes, warnings=warnings)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_property_record_survives_sqlite_round_trip(record: Record) -> None:
    with open_store(":memory:") as store:
        assert store.ingest(record) == "added"
        assert store.record(record.doc_id) == record.to_dict()
        assert projection(store.connection, record.doc_id) == expected_projection(record)
        assert store.ingest(record) == "unchanged"
        counts = store.counts()
        assert counts["quotes_fts"] == len(record.quotes) and counts["articles_fts"] == 1


# --- the model, end to end ------------------------------------------------------------------------------------------


@pytest.mark.model
def test_extracted_record_round_trip(store: Store) -> None:
    import storyline

    record = storyline.extract(TEXT, doc_id="pier")
    assert store.ingest(record) == "added"
    assert store.record("pier") == record.to_dict()
    assert projection(store.connection, "pier") == expected_projection(record)
    assert store.counts()["quotes"] == len(record.quotes) >= 1


# --- storyline ingest -----------------------------------------------------------------------------------------------

STORY_A = ' date 2025-01-28  The harbour ferry ran again on Tuesday.\n"It feels like spring," said Tomas Berg.\n'
STORY_B = "The town choir gave its first concert in the new hall. Ines Duarte, who leads it, said it was warm.\n"


def stand_in_batch(items: Iterable[Article | ErrorRecord], **_: Any) -> Iterator[Record | ErrorRecord]:
    """A model-free stand-in for ``process_batch``: quotes between straight quote marks, nothing else."""
    for item in items:
        if isinstance(item, ErrorRecord):
            yield item
            continue
        if "CRASH" in item.text:
            yield ErrorRecord(item.doc_id, "extract", "SL901", "stand-in crash", dict(item.source))
            continue
        quotes = tuple(Quote(f"q{i}", "direct", Span.of(item.text, m.start(1), m.end(1)))
                       for i, m in enumerate(re.finditer(r'"([^"]*)"', item.text)))
        yield Record(item.doc_id, item.text, item.published, item.title, dict(item.source), quotes=quotes)


@pytest.fixture
def articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(ingest_command, "process_batch", stand_in_batch)
    monkeypatch.setattr(linking, "link_entities", lambda store: None)  # linking has its own tests
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text(STORY_A, encoding="utf-8")
    (folder / "choir.txt").write_text(STORY_B, encoding="utf-8")
    return folder


def _dump_db(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with open_store(path) as store:
        return dump(store.connection)


def test_cli_ingest_twice_changes_nothing(articles: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = invoke(["ingest", str(articles), "--db", str(db)])
    assert first.exit_code == 0, first.stderr
    assert "2 articles: 2 added, 0 unchanged, 0 replaced, 0 failed" in first.stderr
    before = _dump_db(db)
    assert [row[1] for row in before["articles"]] == ["choir", "ferry"]
    second = invoke(["ingest", str(articles), "--db", str(db)])
    assert second.exit_code == 0
    assert "2 articles: 0 added, 2 unchanged, 0 replaced, 0 failed" in second.stderr
    assert _dump_db(db) == before
    (articles / "choir.txt").write_text(STORY_B + "The hall was full.\n", encoding="utf-8")
    third = invoke(["ingest", str(articles), "--db", str(db), "--published", "2025-02-01"])
    assert "2 articles: 0 added, 1 unchanged, 1 replaced, 0 failed" in third.stderr
    with open_store(db) as store:
        assert store.record("choir")["published"] == "2025-02-01"  # type: ignore[index]
        ferry = store.record("ferry")
        assert ferry is not None and ferry["published"] == "2025-01-28"  # unchanged: not rewritten


def test_cli_failures_are_stored_and_counted(articles: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    (articles / "broken.txt").write_bytes(b"\xff\xfe not utf-8 \xc3")
    (articles / "crash.txt").write_text("This one will CRASH the stand-in.\n", encoding="utf-8")
    result = invoke(["ingest", str(articles), "--db", str(db)])
    assert result.exit_code == 1
    assert "4 articles: 2 added, 0 unchanged, 0 replaced, 2 failed" in result.stderr
    assert "SL901" in result.stderr and "broken" in result.stderr
    before = _dump_db(db)
    errors = [(row[1], row[3], row[4]) for row in before["errors"]]
    assert errors == [("broken", "ingest", "SL102"), ("crash", "extract", "SL901")]
    again = invoke(["ingest", str(articles), "--db", str(db)])
    assert again.exit_code == 1 and "0 added, 2 unchanged, 0 replaced, 2 failed" in again.stderr
    assert _dump_db(db) == before
    (articles / "crash.txt").write_text("Fixed now.\n", encoding="utf-8")
    fixed = invoke(["ingest", str(articles), "--db", str(db)])
    assert "1 added, 2 unchanged, 0 replaced, 1 failed" in fixed.stderr
    assert [row[1] for row in _dump_db(db)["errors"]] == ["broken"]


def test_cli_strict_stops_at_first_failure(articles: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    (articles / "d_crash.txt").write_text("CRASH\n", encoding="utf-8")  # sorted between choir and ferry
    result = invoke(["ingest", str(articles), "--db", str(db), "--strict"])
    assert result.exit_code == 1
    assert "SL901: stopped at the first failure (--strict); 2 articles: 1 added, 0 unchanged, 0 replaced, 1 failed" \
        in result.stderr
    with open_store(db) as store:
        assert store.doc_ids() == ["choir"]  # ferry, after the failure, was not read
        assert store.error("d_crash") is not None


def test_cli_bad_published_makes_no_store(articles: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    result = invoke(["ingest", str(articles), "--db", str(db), "--published", "yesterday"])
    assert result.exit_code == 1 and "SL108" in result.stderr
    assert not db.exists()


def test_cli_unusable_db_is_a_coded_error(articles: Path, tmp_path: Path) -> None:
    result = invoke(["ingest", str(articles), "--db", str(tmp_path / "missing" / "s.db")])
    assert result.exit_code == 1 and STORE_UNUSABLE in result.stderr


def test_cli_links_entities_when_something_changed(
    articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Store] = []

    def recording(store: Store) -> linking.LinkReport:
        calls.append(store)
        return link_entities(store)

    monkeypatch.setattr(linking, "link_entities", recording)
    db = tmp_path / "s.db"
    invoke(["ingest", str(articles), "--db", str(db)])
    assert len(calls) == 1 and isinstance(calls[0], Store)
    invoke(["ingest", str(articles), "--db", str(db)])
    assert len(calls) == 1  # nothing added or replaced: the links stand
    # records stored from Python without linking: the next ingest links, though it adds nothing
    with open_store(db) as store:
        store.ingest(full_record())
    invoke(["ingest", str(articles), "--db", str(db)])
    assert len(calls) == 2


def test_cli_with_the_real_linker_twice_changes_nothing(articles: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real link_entities; the stand-in pipeline again below
    monkeypatch.setattr(ingest_command, "process_batch", stand_in_batch)
    db = tmp_path / "s.db"
    assert invoke(["ingest", str(articles), "--db", str(db)]).exit_code == 0
    before = _dump_db(db)
    assert "2 unchanged" in invoke(["ingest", str(articles), "--db", str(db)]).stderr
    assert _dump_db(db) == before


@pytest.mark.model
def test_cli_ingest_with_the_model_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linking, "link_entities", lambda store: None)  # linking: tested above
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text(STORY_A, encoding="utf-8")
    (folder / "choir.txt").write_text(STORY_B, encoding="utf-8")
    db = tmp_path / "s.db"
    first = invoke(["ingest", str(folder), "--db", str(db)])
    assert first.exit_code == 0 and "2 articles: 2 added" in first.stderr
    before = _dump_db(db)
    second = invoke(["ingest", str(folder), "--db", str(db)])
    assert "2 articles: 0 added, 2 unchanged, 0 replaced, 0 failed" in second.stderr
    assert _dump_db(db) == before
    with open_store(db) as store:
        record = store.record("ferry")
        assert record is not None and record["published"] == "2025-01-28"
        assert any(q["content"]["text"] == "It feels like spring," for q in record["quotes"])


# --- docs and the benchmark -----------------------------------------------------------------------------------------


def test_readme_documents_the_store() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for words in ("storyline ingest", "--db", "unchanged", "replaced", "SL701", "SL702", "SL703"):
        assert words in readme, words


def test_benchmark_smoke(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("store_bench", ROOT / "benchmarks" / "store_bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--n", "50", "--queries", "5"]) == 0
    out = capsys.readouterr().out
    assert "articles/s" in out and "articles 50" in out
    assert "timeline" in out  # measured, or skipped with a message
    result = bench.run(20, tmp_path / "b.db", queries=3, out=lambda line: None)
    assert result["counts"]["articles"] == 20 and result["counts"]["quotes_fts"] == 20


def test_cli_undecodable_file_name_does_not_stop_the_run(articles: Path, tmp_path: Path) -> None:
    bad = articles / "bad\udcff.txt"  # the name os.walk gives a file called b"bad\xff.txt"
    try:
        bad.write_text("A story behind a name that is not UTF-8.\n", encoding="utf-8")
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system does not take undecodable names")
    db = tmp_path / "s.db"
    result = invoke(["ingest", str(articles), "--db", str(db)])
    assert result.exit_code == 1
    assert "3 articles: 2 added, 0 unchanged, 0 replaced, 1 failed" in result.stderr
    assert STORE_WRITE_FAILED in result.stderr and "NOT STORED" in result.stderr
    with open_store(db) as store:
        assert store.doc_ids() == ["choir", "ferry"]


KILLED_WRITER = """
import random, sys
sys.path.insert(0, sys.argv[2])
import store_bench
from storyline.store import open_store
rng = random.Random(3)
with open_store(sys.argv[1]) as store:
    for i in range(1_000_000):
        store.ingest(store_bench.build_record(i, rng))
        if i == 20:
            print("ready", flush=True)
"""


def test_killed_writer_never_leaves_half_an_article(tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(db), str(ROOT / "benchmarks")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(0.3)
    finally:
        writer.kill()  # SIGKILL: no cleanup, mid-transaction most likely
        writer.wait()
    with open_store(db) as store:
        conn = store.connection
        n = store.counts()["articles"]
        assert n > 20
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert orphans(conn) == dict.fromkeys((*ARTICLE_TABLES, "articles_fts", "quotes_fts"), 0)
        # every article the template builds has 4 entities, 5 mentions, one quote, event, timex, relation
        per_article = {"entities": 4, "mentions": 5, "quotes": 1, "events": 1, "timexes": 1, "relations": 1,
                       "articles_fts": 1, "quotes_fts": 1}
        for table, each in per_article.items():
            incomplete = conn.execute(
                f"SELECT count(*) FROM articles a "
                f"WHERE (SELECT count(*) FROM {table} t WHERE t.doc_id = a.doc_id) != ?",
                (each,),
            ).fetchone()[0]
            assert incomplete == 0, table


def test_a_version_1_store_is_migrated_on_open(tmp_path: Path) -> None:
    from storyline.store.db import _statements

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert store.schema_version() == 2
        assert store.connection.execute("SELECT count(*) FROM story_items").fetchone()[0] == 0
