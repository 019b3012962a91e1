"""The entity stage: mentions, names, epithets, pronouns and relations, clustered into entities.

``resolve_entities(doc, quoted)`` returns ``Entities``
(``storyline.stages.shared.resolved``): the article's ``Entity`` and
``Relation`` records, with mention offsets as half-open character offsets into
``doc.text``.
"""

from storyline.stages.entities.resolve import resolve_entities

__all__ = ["resolve_entities"]
