"""The records storyline reads and writes.

Every span is a half-open range of Python ``str`` indices (code points) into
``Article.text``; ``span.text == article.text[span.start:span.end]`` always holds.
This module imports nothing of ours: every other module may import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SCHEMA = "storyline/1"


def _plain(value: Any) -> Any:
    """Turn records, tuples and dicts into JSON-ready plain data."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """Cut a span out of ``text`` (half-open ``[start, end)``)."""
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Span | None:
        if data is None:
            return None
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True, slots=True)
class Issue:
    """Something a stage could not parse or resolve; kept, never only logged.

    ``code`` is stable (``SL3xx`` for quotes, ...), ``stage`` names the stage,
    ``span`` points at the text concerned when there is one.
    """

    stage: str
    code: str
    message: str
    span: Span | None = None

    def __str__(self) -> str:
        where = f" at {self.span.start}-{self.span.end}" if self.span else ""
        return f"{self.code} {self.stage}{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "code": self.code,
            "message": self.message,
            "span": self.span.to_dict() if self.span else None,
        }


@dataclass(frozen=True, slots=True)
class Article:
    """One input article, before extraction.

    ``text`` is what every offset indexes: the decoded file verbatim for plain
    text, the extracted main text for HTML.
    """

    doc_id: str
    text: str
    published: str | None = None
    title: str | None = None
    author: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """One place where the text refers to an entity.

    ``kind`` is ``name`` (the canonical name or a longer form), ``alias``
    (first name, surname, short form), ``epithet`` ("the director"),
    ``pronoun`` or ``nominal``. ``via`` says how the mention was tied to its
    entity, so a user can check the reasoning.
    """

    start: int
    end: int
    text: str
    kind: str
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind}
        if self.via:
            out["via"] = self.via
        return out


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, work, place ... as one cluster of mentions."""

    id: str
    name: str
    type: str
    mentions: tuple[Mention, ...] = ()
    aliases: tuple[str, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [m.to_dict() for m in self.mentions],
            "attributes": _plain(self.attributes),
        }


@dataclass(frozen=True, slots=True)
class Relation:
    """``subject predicate object`` between two entities, with the words that say so."""

    subject: str
    predicate: str
    object: str
    evidence: Span | None = None
    hedges: tuple[str, ...] = ()
    modality: str = "asserted"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "hedges": list(self.hedges),
            "modality": self.modality,
        }
        if self.evidence is not None:
            out["evidence"] = self.evidence.to_dict()
        return out


@dataclass(frozen=True, slots=True)
class Quote:
    """Attributed speech: who said what, with the cue and the mention it hangs on.

    ``kind``: ``direct`` (a whole quoted utterance), ``partial`` (a quoted
    fragment inside narration), ``indirect`` (reported speech, no marks),
    ``mixed``. ``speaker``, ``reported_by`` and ``addressee`` are entity ids.
    ``speaker_via`` says how the speaker was found (``cue``, ``carry-over``,
    ``relayed``, ...) or, when ``speaker`` is None, why not. ``date`` is
    when the words were said or sent (TIMEX3 value), when the article says so;
    ``timex`` is the id of the expression that dates them. ``provenance``
    is the entity that obtained or published the words ("obtained by the
    Daily Mail").
    """

    id: str
    kind: str
    content: Span
    speaker: str | None = None
    cue: Span | None = None
    source_span: Span | None = None
    continues: str | None = None
    reported_by: str | None = None
    addressee: str | None = None
    medium: str | None = None
    hedges: tuple[str, ...] = ()
    confidence: float | None = None
    speaker_via: str | None = None
    date: str | None = None
    timex: str | None = None
    provenance: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "content": self.content.to_dict(),
            "speaker": self.speaker,
            "cue": self.cue.to_dict() if self.cue else None,
            "source_span": self.source_span.to_dict() if self.source_span else None,
            "continues": self.continues,
            "reported_by": self.reported_by,
            "addressee": self.addressee,
            "medium": self.medium,
            "hedges": list(self.hedges),
            "speaker_via": self.speaker_via,
            "date": self.date,
            "timex": self.timex,
            "provenance": self.provenance,
        }
        if self.confidence is not None:
            out["confidence"] = self.confidence
        return out


@dataclass(frozen=True, slots=True)
class Timex:
    """A time expression with its TIMEX3 normalisation."""

    id: str
    start: int
    end: int
    text: str
    type: str
    value: str | None
    granularity: str | None = None
    approximate: bool = False
    anchor: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Event:
    """A reportable action: who did what to whom, and when."""

    id: str
    trigger: Span
    predicate: str
    type: str | None = None
    agent: str | None = None
    patients: tuple[str, ...] = ()
    timex: str | None = None
    date: str | None = None
    polarity: str = "positive"
    modality: str = "asserted"
    hedges: tuple[str, ...] = ()
    attributed_to: str | None = None
    provenance: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Record:
    """What storyline extracts from one article (schema ``storyline/1``)."""

    doc_id: str
    text: str
    published: str | None = None
    title: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    timexes: tuple[Timex, ...] = ()
    warnings: tuple[Issue, ...] = ()

    def entity(self, entity_id: str | None) -> Entity | None:
        """Return the entity with this id, or None."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "doc_id": self.doc_id,
            "source": _plain(self.source),
            "title": self.title,
            "published": self.published,
            "text": self.text,
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
            "timexes": [t.to_dict() for t in self.timexes],
            "warnings": [str(w) for w in self.warnings],
        }


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """Written in place of a Record when an input could not be processed."""

    doc_id: str
    stage: str
    code: str
    message: str
    source: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "doc_id": self.doc_id,
            "source": _plain(self.source),
            "error": {"stage": self.stage, "code": self.code, "message": self.message},
        }
