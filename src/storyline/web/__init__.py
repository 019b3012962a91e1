"""The web UI: a datasette plugin with storyline's pages over a store, read-only.

``make_datasette(path)`` gives a datasette app over one store with the plugin
registered; ``storyline serve`` runs it. The pages read the store and never
re-run extraction.
"""

from storyline.web.app import make_datasette, register_plugin

__all__ = ["make_datasette", "register_plugin"]
