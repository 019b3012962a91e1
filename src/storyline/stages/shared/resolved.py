"""What the entity stage resolved, in the form the later stages read it.

``resolve_entities`` (``storyline.stages.entities``) returns an ``Entities``;
the attribution and events stages receive it as an argument and look a source
token up in ``by_token``. It lives here, in the stages' shared package, so that
no stage imports another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.model import Entity, Issue, Relation
from storyline.nlp.doctable import DocTable


@dataclass
class Entities:
    """What entity resolution found in one article.

    ``by_token`` maps a token index to the id of the entity its mention
    belongs to, so later stages (quotes, events) can resolve a source mention;
    ``table`` is the article's ``DocTable``.
    """

    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    issues: tuple[Issue, ...] = ()
    by_token: dict[int, str] = field(default_factory=dict)
    #: The token attributes of the article they were found in, for the later stages' lookups.
    table: DocTable | None = field(default=None, repr=False, compare=False)

    def entity(self, entity_id: str | None) -> Entity | None:
        """Return the entity with this id, or None."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        return None
