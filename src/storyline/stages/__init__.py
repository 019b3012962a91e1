"""The extraction stages: each turns a parsed ``Doc`` (and earlier stages' results) into records.

In the order ``pipeline.analyze_doc`` runs them:

- ``entities``: mentions, names, epithets, pronouns, relations -> ``Entities``;
- ``attribution``: quoted and reported speech -> ``Quote`` records;
- ``time``: time expressions and their TIMEX3 values -> ``Timex`` records;
- ``events``: who did what to whom, and when -> ``Event`` records.

``shared`` holds what several stages read: word lists, clauses, hedges and
claimants, quote marks, title case, and the ``Entities`` type. A stage imports
only ``storyline.nlp``, ``storyline.model``, ``storyline.errors``,
``storyline.spans`` and ``stages.shared``; earlier results reach it as
arguments (``tests/test_imports.py`` keeps it so).
"""
