"""A hand-built record with something in every table and field (shared by the store and shard tests).

No model runs: every span is cut from ``TEXT`` by the words it covers, so its
offsets are right by construction. Add a field here when the model gains one,
and the store and JSON round-trip tests both cover it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from storyline.model import Entity, Event, Issue, Mention, Quote, Record, Relation, Span, Timex

TEXT = (
    ' date 2025-03-04  Harbor Council voted on Monday to close the old pier. "It is not safe any more," '
    "said Rosa Quispe, who chairs the council. Quispe added that repairs would cost too much. "
    "Her deputy, Lars Eriksen, disagreed."
)


def span(text: str, piece: str, start: int = 0) -> Span:
    """The span of the first ``piece`` in ``text`` at or after ``start``."""
    at = text.index(piece, start)
    return Span.of(text, at, at + len(piece))


def full_record(doc_id: str = "pier", text: str = TEXT, **changes: Any) -> Record:
    """A record with something in every table, spans cut from ``text``."""
    rosa, lars, council = span(text, "Rosa Quispe"), span(text, "Lars Eriksen"), span(text, "Harbor Council")
    quispe = span(text, "Quispe", rosa.end)
    record = Record(
        doc_id=doc_id,
        text=text,
        published="2025-03-04",
        title="Pier to close",
        source={"path": f"news/{doc_id}.txt", "format": "text", "url": "https://example.org/pier"},
        entities=(
            Entity("e1", "Rosa Quispe", "PERSON",
                   (Mention(rosa.start, rosa.end, rosa.text, "name"),
                    Mention(quispe.start, quispe.end, quispe.text, "alias", "surname")),
                   ("Quispe",), {"descriptions": ["who chairs the council"], "gender": "female"}),
            Entity("e2", "Lars Eriksen", "PERSON", (Mention(lars.start, lars.end, lars.text, "name"),),
                   ("Her deputy",), {}),
            Entity("e3", "Harbor Council", "ORG", (Mention(council.start, council.end, council.text, "name"),)),
        ),
        relations=(Relation("e2", "deputy_of", "e1", span(text, "Her deputy, Lars Eriksen"), ("alleged",), "hedged"),),
        quotes=(
            Quote("q1", "direct", span(text, "It is not safe any more,"), speaker="e1", cue=span(text, "said"),
                  source_span=rosa, hedges=("reportedly",), confidence=0.75, speaker_via="cue",
                  date="2025-03-03", timex="t1"),
            Quote("q2", "indirect", span(text, "repairs would cost too much"), speaker="e1",
                  cue=span(text, "added"), source_span=quispe, speaker_via="cue"),
        ),
        events=(Event("v1", span(text, "voted"), "vote", "decision", agent="e3", patients=("e1", "e2"),
                      timex="t1", date="2025-03-03", hedges=("may",), attributed_to="e1"),),
        timexes=(Timex("t1", *_bounds(span(text, "Monday")), "Monday", "DATE", "2025-03-03", "day", False,
                       "published"),),
        warnings=(Issue("quotes", "SL303", "a test warning", span(text, "disagreed")),
                  Issue("ingest", "SL109", "no span here")),
    )
    return dataclasses.replace(record, **changes) if changes else record


def _bounds(s: Span) -> tuple[int, int]:
    return s.start, s.end
