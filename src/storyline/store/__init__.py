"""The embedded SQLite store: its schema, migrations, and every SQL statement storyline runs.

``open_store(path)`` opens (or creates) a store; ``Store.ingest`` writes one
record. The story package and the web pages read through this package only.
"""

from storyline.store.db import IngestResult, Store, open_store

__all__ = ["IngestResult", "Store", "open_store"]
