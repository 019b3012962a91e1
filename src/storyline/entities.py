"""Entities: NER plus rule-based clustering (stub, being written)."""
from __future__ import annotations
from dataclasses import dataclass, field
from .model import Entity, Issue, Relation

@dataclass
class Entities:
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    issues: tuple[Issue, ...] = ()
    by_token: dict[int, str] = field(default_factory=dict)

def resolve_entities(doc):  # type: ignore[no-untyped-def]
    return Entities()
