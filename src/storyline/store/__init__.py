"""The embedded SQLite store: its schema, migrations, and every SQL statement storyline runs.

``open_store(path)`` opens (or creates) a store, ``open_store(path,
read_only=True)`` opens one for reading only; ``Store.ingest`` writes one
record. The other modules hold the rest of the SQL, each statement behind a
documented function that takes a connection and returns plain rows:
``ingest`` (storing many records with counts), ``links`` (what entity
linking reads and writes, and whether the links lag the articles),
``queries`` and ``timeline`` (the reads behind ``storyline.story``), and
``pages`` (the reads behind the web pages); ``sql`` is the schema and
``rows`` the one row helper. The story package and the web pages read
through this package only.
"""

from storyline.store.db import IngestResult, Store, open_store

__all__ = ["IngestResult", "Store", "open_store"]
