"""The SQLite store: one database of records, written one article at a time.

``open_store`` creates or opens a store and brings its schema up to date;
``Store.ingest`` writes one ``Record`` (or ``ErrorRecord``) in one transaction,
so an interrupted run never leaves half an article. The store knows records,
not stages: it never runs extraction.

Offsets in every table (``start``/``end``, ``content_start``/``content_end``,
``trigger_start``/``trigger_end``, ``evidence_start``/``evidence_end``) are
the record's: half-open character offsets into ``articles.text``.
``record_json`` holds the whole record exactly as ``Record.to_dict()`` gives
it; the other tables are its searchable projection (a quote's ``cue`` and
``source`` keep only their text there). ``articles_fts`` and ``quotes_fts``
rows share the rowid of their ``articles`` and ``quotes`` rows until a VACUUM
renumbers those; join on ``doc_id`` (and ``quote_id``) to be safe.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from storyline.errors import STORE_NEWER, STORE_UNUSABLE, STORE_WRITE_FAILED, StoreError
from storyline.model import ErrorRecord, Record, sha256_of
from storyline.store.sql import (
    ARTICLE_TABLES,
    DELETE_ARTICLE_FTS_BY_ROWID,
    DELETE_ARTICLE_FTS_SCAN,
    DELETE_QUOTE_FTS_BY_ROWID,
    DELETE_QUOTE_FTS_SCAN,
    INSERT,
    INSERT_ARTICLE_FTS,
    INSERT_ARTICLE_FTS_ANY_ROWID,
    INSERT_QUOTE_FTS,
    INSERT_QUOTE_FTS_ANY_ROWID,
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLES,
)

__all__ = ["IngestResult", "Store", "StoreLike", "connection_of", "open_store", "write_transaction"]

#: What ``Store.ingest`` did with an item.
IngestResult = Literal["added", "unchanged", "replaced"]

# How long a writer waits for another process's transaction before giving up.
_BUSY_TIMEOUT_MS = 30_000


def open_store(path: str | Path, *, read_only: bool = False) -> Store:
    """Open the store at ``path``, creating it and bringing its schema up to date.

    Every connection runs with ``journal_mode=WAL`` (readers never block the
    writer) and ``foreign_keys=ON`` (deleting an article cascades to its rows).
    The missing migrations of ``MIGRATIONS`` are applied in one transaction, so
    a store is never left half-migrated.

    With ``read_only``, the file must exist and is opened with SQLite's
    ``mode=ro``: nothing is created, migrated or written (SQLite itself
    refuses writes), and a store still being written in WAL mode is read as
    last committed. A store of an older schema version is read as it is.

    Args:
        path: the database file (created when absent), or ``":memory:"``.
        read_only: open for reading only (the story commands, the web UI).

    Returns:
        The open ``Store``; close it, or use it as a context manager.

    Raises:
        StoreError: (SL702) when the file cannot be opened or is not a
            storyline store; (SL701) when its schema is newer than this
            storyline's.
    """
    name = str(path)
    if name != ":memory:":
        target = Path(name)
        if target.is_dir():
            raise StoreError(f"{name} is a directory; give a database file name, e.g. {target / 'storyline.db'}",
                             code=STORE_UNUSABLE)
        if not target.parent.is_dir():
            raise StoreError(f"{name}: the folder {target.parent} does not exist; create it first or give "
                             f"another --db path", code=STORE_UNUSABLE)
    if read_only:
        return Store(_open_read_only(name))
    try:
        conn = sqlite3.connect(name, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"{name} cannot be opened ({exc}); check the path and its permissions",
                         code=STORE_UNUSABLE) from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL is still atomic and safe against a killed process; it only
        # skips the fsync per commit, which would cap ingest at a few hundred articles/s.
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(conn, name)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{name} is not a storyline store ({exc}); give another --db path",
                         code=STORE_UNUSABLE) from exc
    except BaseException:
        conn.close()
        raise
    return Store(conn)


def _open_read_only(name: str) -> sqlite3.Connection:
    """Open an existing store with ``mode=ro``; check its schema version without changing anything."""
    uri = ":memory:" if name == ":memory:" else Path(name).resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"{name} cannot be opened for reading ({exc}); check the path and its permissions",
                         code=STORE_UNUSABLE) from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA query_only = ON")  # a second guard: this connection never writes
        version = _schema_version(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{name} is not a storyline store ({exc}); give another --db path",
                         code=STORE_UNUSABLE) from exc
    if version == 0 and name != ":memory:":
        conn.close()
        raise StoreError(f"{name} is not a storyline store (it has no schema version); give the --db path "
                         f"`storyline ingest` wrote", code=STORE_UNUSABLE)
    if version > SCHEMA_VERSION:
        conn.close()
        raise StoreError(f"{name} has schema version {version}, newer than this storyline's {SCHEMA_VERSION}; "
                         f"upgrade storyline to use it, or give another --db path", code=STORE_NEWER)
    return conn


def _schema_version(conn: sqlite3.Connection) -> int:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row is not None else 0


def _migrate(conn: sqlite3.Connection, name: str) -> None:
    """Apply the migrations the store lacks, all in one transaction."""
    if _schema_version(conn) == SCHEMA_VERSION:
        return  # the common case: no write lock taken
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the lock: another process may have migrated meanwhile.
        version = _schema_version(conn)
        if version > SCHEMA_VERSION:
            raise StoreError(f"{name} has schema version {version}, newer than this storyline's "
                             f"{SCHEMA_VERSION}; upgrade storyline to use it, or give another --db path",
                             code=STORE_NEWER)
        for script in MIGRATIONS[version:]:
            for statement in _statements(script):
                conn.execute(statement)
        if version < SCHEMA_VERSION:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                         (str(SCHEMA_VERSION),))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _statements(script: str) -> Iterator[str]:
    """Split a script into statements; ``executescript`` would commit our transaction first."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    rest = "\n".join(ln for ln in pending.splitlines() if not ln.strip().startswith("--")).strip()
    if rest:
        raise ValueError(f"incomplete SQL statement in a migration: {rest[:60]!r}")


class Store:
    """An open storyline store; get one from ``open_store``.

    Writes go through ``ingest``. ``connection`` is there for read queries
    (``storyline.story``, the web UI): its rows are ``sqlite3.Row``.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        """Wrap an open, migrated connection (use ``open_store`` rather than this)."""
        self._conn = connection

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection (autocommit; ``row_factory=sqlite3.Row``)."""
        return self._conn

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one write transaction: committed at the end, rolled back on error.

        Yields:
            The connection, for the block's statements.
        """
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def ingest(self, item: Record | ErrorRecord) -> IngestResult:
        """Store one record, or one error record, in a single transaction.

        A ``Record`` whose ``doc_id`` is new is added. One whose ``doc_id`` is
        stored with the same sha256 of its text is left as it is (nothing is
        written but the removal of a stale error row). One with new text
        replaces the old: every row of the old article goes (foreign-key
        cascade, and the full-text rows) before the new ones are written. A
        successful ingest removes the ``errors`` row of its ``doc_id``.

        An ``ErrorRecord`` goes to ``errors``, replacing an older error of the
        same ``doc_id``; an identical one is left as it is, so ingesting the same
        inputs twice leaves the store unchanged. A stored article of that
        ``doc_id`` is kept: the error says the latest attempt failed.

        Args:
            item: the record; its spans are half-open character offsets into
                ``item.text`` and are stored as they are.

        Returns:
            ``"added"``, ``"unchanged"`` or ``"replaced"``.

        Raises:
            StoreError: (SL703) when the item cannot be written (text that is
                not valid Unicode, data that is not JSON, a database error);
                the transaction is rolled back and the store is as before.
        """
        try:
            if isinstance(item, ErrorRecord):
                return self._ingest_error(item)
            return self._ingest_record(item)
        except (sqlite3.Error, UnicodeError, ValueError, TypeError) as exc:
            raise StoreError(f"{item.doc_id!r} could not be stored ({type(exc).__name__}: {exc}); nothing of it "
                             f"was written", code=STORE_WRITE_FAILED) from exc

    def _ingest_record(self, record: Record) -> IngestResult:
        sha = sha256_of(record)
        rows = _record_rows(record, sha)  # built first: a bad record fails before the lock
        with self.transaction() as conn:
            old = conn.execute("SELECT sha256 FROM articles WHERE doc_id = ?", (record.doc_id,)).fetchone()
            conn.execute("DELETE FROM errors WHERE doc_id = ?", (record.doc_id,))
            if old is not None and old["sha256"] == sha:
                return "unchanged"
            if old is not None:
                self._delete_article(record.doc_id)
            self._insert_rows(record, rows)
        return "added" if old is None else "replaced"

    def _ingest_error(self, error: ErrorRecord) -> IngestResult:
        path = _text_or_none(error.source.get("path"))
        fields = (path, error.stage, error.code, error.message)
        with self.transaction() as conn:
            old = conn.execute(
                "SELECT path, stage, code, message FROM errors WHERE doc_id = ?", (error.doc_id,)
            ).fetchone()
            if old is not None and tuple(old) == fields:
                return "unchanged"
            conn.execute(
                "INSERT OR REPLACE INTO errors (doc_id, path, stage, code, message, at) VALUES (?, ?, ?, ?, ?, ?)",
                (error.doc_id, *fields, _now()),
            )
        return "added" if old is None else "replaced"

    def _delete_article(self, doc_id: str) -> None:
        """Delete one article's rows everywhere; call inside a transaction."""
        conn = self._conn
        quotes = conn.execute("SELECT count(*) FROM quotes WHERE doc_id = ?", (doc_id,)).fetchone()[0]
        if conn.execute(DELETE_QUOTE_FTS_BY_ROWID, (doc_id, doc_id)).rowcount != quotes:
            conn.execute(DELETE_QUOTE_FTS_SCAN, (doc_id,))
        if conn.execute(DELETE_ARTICLE_FTS_BY_ROWID, (doc_id, doc_id)).rowcount != 1:
            conn.execute(DELETE_ARTICLE_FTS_SCAN, (doc_id,))
        conn.execute("DELETE FROM articles WHERE doc_id = ?", (doc_id,))  # cascades to ARTICLE_TABLES

    def _insert_rows(self, record: Record, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        """Write one article's rows and full-text rows; call inside a transaction."""
        conn = self._conn
        rowid = conn.execute(INSERT["articles"], rows["articles"][0]).lastrowid
        _insert_fts(conn, INSERT_ARTICLE_FTS, INSERT_ARTICLE_FTS_ANY_ROWID, rowid,
                    (record.doc_id, record.title, record.text))
        for table in ARTICLE_TABLES:
            if table == "quotes":
                continue
            if rows[table]:
                conn.executemany(INSERT[table], rows[table])
        for quote_row in rows["quotes"]:
            quote_rowid = conn.execute(INSERT["quotes"], quote_row).lastrowid
            # quote_row[1] is the quote id, [5] its content
            _insert_fts(conn, INSERT_QUOTE_FTS, INSERT_QUOTE_FTS_ANY_ROWID, quote_rowid,
                        (record.doc_id, quote_row[1], quote_row[5]))

    def has(self, doc_id: str, sha256: str | None = None) -> bool:
        """Say whether an article is stored (error records do not count).

        Args:
            doc_id: the article's id.
            sha256: when given, also require the stored text to have this
                hex sha256 (UTF-8), i.e. to be the same text.
        """
        row = self._conn.execute("SELECT sha256 FROM articles WHERE doc_id = ?", (doc_id,)).fetchone()
        return row is not None and (sha256 is None or row["sha256"] == sha256)

    def record(self, doc_id: str) -> dict[str, Any] | None:
        """Return the stored record of an article as plain data, or None.

        Returns:
            The record exactly as ``Record.to_dict()`` gave it when it was
            ingested (offsets: half-open character offsets into its ``text``).
        """
        row = self._conn.execute("SELECT record_json FROM articles WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        data: dict[str, Any] = json.loads(row["record_json"])
        return data

    def doc_ids(self) -> list[str]:
        """Return the ids of the stored articles, sorted (error records not included)."""
        return [row[0] for row in self._conn.execute("SELECT doc_id FROM articles ORDER BY doc_id")]

    def error(self, doc_id: str) -> dict[str, Any] | None:
        """Return the stored error of ``doc_id`` (path, stage, code, message, at), or None."""
        row = self._conn.execute("SELECT * FROM errors WHERE doc_id = ?", (doc_id,)).fetchone()
        return dict(row) if row is not None else None

    def counts(self) -> dict[str, int]:
        """Count the rows of every table of ``TABLES`` (full-text tables included)."""
        return {
            table: self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # table names from TABLES only
            for table in TABLES
        }

    def schema_version(self) -> int:
        """Return the schema version recorded in ``meta``."""
        return _schema_version(self._conn)


#: What the story and page queries take: an open ``Store`` or its (or datasette's) connection.
StoreLike = Store | sqlite3.Connection


def connection_of(store: StoreLike) -> sqlite3.Connection:
    """Return the connection of a ``Store``, or the connection itself."""
    return store.connection if isinstance(store, Store) else store


@contextmanager
def write_transaction(conn: sqlite3.Connection, name: str = "storyline") -> Iterator[sqlite3.Connection]:
    """Run a block under the write lock: one ``BEGIN IMMEDIATE`` transaction, or a savepoint inside one.

    Reads and writes of the block see one state of the store: a writer in
    another process cannot slip between them. When the caller already has a
    transaction open, the block is the savepoint ``name`` within it. Committed
    (or released) at the end, rolled back on any error.

    Yields:
        The connection, for the block's statements.
    """
    outer = not conn.in_transaction
    conn.execute("BEGIN IMMEDIATE" if outer else f"SAVEPOINT {name}")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK" if outer else f"ROLLBACK TO {name}")
        if not outer:
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute("COMMIT" if outer else f"RELEASE {name}")


def _insert_fts(
    conn: sqlite3.Connection, with_rowid: str, any_rowid: str, rowid: int | None, values: Sequence[Any]
) -> None:
    if rowid is not None:
        try:
            conn.execute(with_rowid, (rowid, *values))
            return
        except sqlite3.IntegrityError:
            pass  # the rowid is taken (renumbered by a VACUUM): let FTS5 choose one
    conn.execute(any_rowid, tuple(values))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _record_rows(record: Record, sha: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row one record gives, per table (the full-text rows aside)."""
    doc = record.doc_id
    data = record.to_dict()
    source = record.source
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in ARTICLE_TABLES}
    rows["articles"] = [(
        doc, sha, record.published, record.title, _text_or_none(source.get("url")),
        _text_or_none(source.get("path")), _text_or_none(source.get("format")), record.text,
        _json(data), _now(),
    )]
    for ent, ent_data in zip(record.entities, data["entities"], strict=True):
        # the store keeps ``named: false`` with the attributes (no column of its own): the linker reads it there
        attributes = ent_data["attributes"] if ent.named else {**ent_data["attributes"], "named": False}
        rows["entities"].append((doc, ent.id, ent.name, ent.type, _json(ent_data["aliases"]), _json(attributes)))
        rows["mentions"].extend((doc, ent.id, m.start, m.end, m.text, m.kind, m.via) for m in ent.mentions)
    for q in record.quotes:
        rows["quotes"].append((
            doc, q.id, q.kind, q.content.start, q.content.end, q.content.text, q.speaker,
            q.cue.text if q.cue else None, q.source_span.text if q.source_span else None,
            q.reported_by, q.addressee, q.medium, _json(list(q.hedges)), q.continues, q.date, q.timex,
            q.provenance, q.confidence, q.speaker_via,
        ))
    for ev, ev_data in zip(record.events, data["events"], strict=True):
        rows["events"].append((
            doc, ev.id, ev.trigger.start, ev.trigger.end, ev.trigger.text, ev.predicate, ev.type, ev.agent,
            _json(ev_data["patients"]), ev.timex, ev.date, ev.polarity, ev.modality, _json(ev_data["hedges"]),
            ev.attributed_to, ev.provenance,
        ))
    for t in record.timexes:
        rows["timexes"].append((doc, t.id, t.start, t.end, t.text, t.type, t.value, t.granularity,
                                int(t.approximate), t.anchor))
    for r in record.relations:
        ev_span = r.evidence
        rows["relations"].append((
            doc, r.subject, r.predicate, r.object, ev_span.start if ev_span else None,
            ev_span.end if ev_span else None, ev_span.text if ev_span else None, _json(list(r.hedges)), r.modality,
        ))
    for w in record.warnings:
        rows["warnings"].append((doc, w.code, w.stage, w.message, w.span.start if w.span else None,
                                 w.span.end if w.span else None))
    return rows
