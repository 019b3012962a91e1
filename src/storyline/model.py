"""The records storyline reads and writes.

Every span is a half-open range of Python ``str`` indices (code points) into
``Article.text``; ``span.text == article.text[span.start:span.end]`` always holds.
This module imports nothing of ours: every other module may import it.
"""

from __future__ import annotations

import hashlib
import re
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
        """Plain data for JSON: the schema's field names, spans as ``{start, end, text}``."""
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
    (first name, surname, short form), ``epithet`` ("the director", "the agency"),
    ``pronoun`` or ``nominal``. ``via`` says how the mention was tied to its
    entity, so a user can check the reasoning.
    """

    start: int
    end: int
    text: str
    kind: str
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the schema's field names, spans as ``{start, end, text}``."""
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
    #: False for a person the article never names, known by a description ("a neighbour"): ``name`` is that description.
    named: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the schema's field names, spans as ``{start, end, text}``; ``named`` only when false."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [m.to_dict() for m in self.mentions],
            "attributes": _plain(self.attributes),
        }
        if not self.named:
            out["named"] = False
        return out


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
        """Plain data for JSON: the schema's field names, spans as ``{start, end, text}``."""
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
    Daily Mail"). ``fragments`` are the quoted passages inside ``content``
    when it is more than one passage: the pieces of a quote split around its
    cue ("A," he said, "B": one attribution, PolNeAR-style, content from the
    first piece to the last), or the quoted words of a ``mixed`` quote.
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
    fragments: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the schema's field names, spans as ``{start, end, text}``."""
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
            "fragments": [f.to_dict() for f in self.fragments],
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
        """Plain data for JSON: the schema's field names, spans as ``{start, end, text}``."""
        return {name: getattr(self, name) for name in _TIMEX_FIELDS}


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
        """Plain data for JSON: the schema's field names, spans as ``{start, end, text}``."""
        return {name: _plain(getattr(self, name)) for name in _EVENT_FIELDS}


# the field names in order, read once (``dataclasses.fields`` builds them anew on every call)
_TIMEX_FIELDS = tuple(f.name for f in fields(Timex))
_EVENT_FIELDS = tuple(f.name for f in fields(Event))


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
        """Plain data for JSON: the schema's field names, spans as ``{start, end, text}``."""
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
        """Plain data for JSON: the schema's field names, spans as ``{start, end, text}``."""
        return {
            "schema": SCHEMA,
            "doc_id": self.doc_id,
            "source": _plain(self.source),
            "error": {"stage": self.stage, "code": self.code, "message": self.message},
        }


def text_sha256(text: str) -> str:
    """The hex SHA-256 of ``text`` encoded as UTF-8: what identifies an article's text everywhere."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_of(item: Article | Record) -> str:
    """The SHA-256 of an article's or record's text: the one ingest put in ``source``, else computed."""
    given = item.source.get("sha256")
    if isinstance(given, str) and given:
        return given
    return text_sha256(item.text)


# --- back from plain data: the inverse of ``to_dict`` ----------------------------------------------------------------

#: How ``Issue.__str__`` writes a warning: ``CODE stage at START-END: message`` (the span part optional).
_ISSUE_TEXT = re.compile(r"(\S+) (\S+?)(?: at (\d+)-(\d+))?: (.*)", re.DOTALL)


def record_from_dict(data: dict[str, Any]) -> Record | ErrorRecord:
    """Rebuild a record (or error record) from what its ``to_dict()`` gave.

    The inverse of ``Record.to_dict`` and ``ErrorRecord.to_dict``:
    ``record_from_dict(r.to_dict()).to_dict() == r.to_dict()``, so records
    read back from a JSONL output can be stored as if just extracted. Spans
    are half-open character offsets into the record's ``text``, as written. A
    warning is kept in the output as text (``CODE stage at START-END:
    message``); it is parsed back, its span cut from ``text``.

    Args:
        data: one decoded line of ``storyline extract`` output (schema
            ``storyline/1``).

    Returns:
        An ``ErrorRecord`` when ``data`` has an ``error`` object, else a ``Record``.

    Raises:
        ValueError: when ``data`` is not a storyline/1 record (wrong schema, a
            field missing or of the wrong type, a warning not in that form).
    """
    try:
        return _record_from_dict(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a {SCHEMA} record: {type(exc).__name__}: {exc}") from exc


def _record_from_dict(data: dict[str, Any]) -> Record | ErrorRecord:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        got = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"not a {SCHEMA} record (schema {got!r})")
    source = dict(data.get("source") or {})
    if "error" in data:
        err = data["error"]
        return ErrorRecord(str(data["doc_id"]), str(err["stage"]), str(err["code"]), str(err["message"]), source)
    text = data["text"]
    if not isinstance(text, str):
        raise TypeError(f"text is {type(text).__name__}, not a string")
    return Record(
        doc_id=str(data["doc_id"]),
        text=text,
        published=data.get("published"),
        title=data.get("title"),
        source=source,
        entities=tuple(_entity(e) for e in data.get("entities", ())),
        relations=tuple(_relation(r) for r in data.get("relations", ())),
        quotes=tuple(_quote(q) for q in data.get("quotes", ())),
        events=tuple(_event(e) for e in data.get("events", ())),
        timexes=tuple(Timex(**t) for t in data.get("timexes", ())),
        warnings=tuple(_issue(w, text) for w in data.get("warnings", ())),
    )


def _span(data: dict[str, Any] | None) -> Span | None:
    return Span.from_dict(data)


def _entity(data: dict[str, Any]) -> Entity:
    return Entity(
        id=data["id"],
        name=data["name"],
        type=data["type"],
        mentions=tuple(Mention(m["start"], m["end"], m["text"], m["kind"], m.get("via")) for m in data["mentions"]),
        aliases=tuple(data.get("aliases", ())),
        attributes=dict(data.get("attributes") or {}),
        named=bool(data.get("named", True)),
    )


def _relation(data: dict[str, Any]) -> Relation:
    return Relation(
        subject=data["subject"],
        predicate=data["predicate"],
        object=data["object"],
        evidence=_span(data.get("evidence")),
        hedges=tuple(data.get("hedges", ())),
        modality=data.get("modality", "asserted"),
    )


def _quote(data: dict[str, Any]) -> Quote:
    content = _span(data["content"])
    if content is None:
        raise TypeError("a quote's content is null")
    return Quote(
        id=data["id"],
        kind=data["kind"],
        content=content,
        speaker=data.get("speaker"),
        cue=_span(data.get("cue")),
        source_span=_span(data.get("source_span")),
        continues=data.get("continues"),
        reported_by=data.get("reported_by"),
        addressee=data.get("addressee"),
        medium=data.get("medium"),
        hedges=tuple(data.get("hedges", ())),
        confidence=data.get("confidence"),
        speaker_via=data.get("speaker_via"),
        date=data.get("date"),
        timex=data.get("timex"),
        provenance=data.get("provenance"),
        fragments=tuple(f for f in (_span(x) for x in data.get("fragments", ())) if f is not None),
    )


def _event(data: dict[str, Any]) -> Event:
    trigger = _span(data["trigger"])
    if trigger is None:
        raise TypeError("an event's trigger is null")
    values = {f.name: data[f.name] for f in fields(Event) if f.name in data}
    values.update(trigger=trigger, patients=tuple(data.get("patients", ())), hedges=tuple(data.get("hedges", ())))
    return Event(**values)


def _issue(text: str, article_text: str) -> Issue:
    m = _ISSUE_TEXT.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        raise ValueError(f"warning {text!r} is not of the form `CODE stage at START-END: message`")
    code, stage, start, end, message = m.groups()
    span = Span.of(article_text, int(start), int(end)) if start is not None else None
    return Issue(stage, code, message, span)
