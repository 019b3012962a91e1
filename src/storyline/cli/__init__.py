"""The ``storyline`` command: click commands, each a thin wrapper over a library function, and table rendering."""
