"""Transcript turns: a paragraph that opens with a speaker label, "PENCE: Well, look, ...".

Interviews and debates are printed as transcripts: each turn is a paragraph
(often in quote marks) that starts with the speaker's name in capitals and a
colon. PolNeAR reads such a turn as an attribution: the label is the source,
the colon is the cue, the rest of the paragraph is the content.

A label is read as a speaker only when it is not a news-desk label ("UPDATE:",
"BYLINE:", "VIDEO:") and either names a person of the article (its last word
is a word of a person's name) or opens at least two turns of the article.
``speaker_turns`` finds the turns; ``with_turns`` makes quotes of them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from storyline.model import Quote, Span
from storyline.stages.attribution.ranges import Ranges

if TYPE_CHECKING:
    from storyline.stages.attribution.context import QuoteContext

#: A paragraph start: an optional quote mark, then one to four words in capitals and a colon.
_TURN = re.compile(
    r"^[ \t]*[\"“]?(?P<label>[A-Z][A-Z'’.\-]*(?: [A-Z][A-Z'’.\-]*){0,3}):[ \t]+(?=\S)",
    re.MULTILINE,
)
#: Labels that head a paragraph without being anyone's words.
DESK_LABELS = frozenset(
    {
        "BREAKING", "BYLINE", "CORRECTION", "EDITOR'S NOTE", "EDITOR’S NOTE", "EMAIL", "EXCLUSIVE",
        "NOTE", "PHOTO", "PHOTOS", "READ", "READ MORE", "RELATED", "SOURCE", "SOURCES", "UPDATE",
        "UPDATED", "VIDEO", "WATCH", "LISTEN", "DATELINE", "CLICK HERE", "ADVERTISEMENT",
    }
)


class Turn(NamedTuple):
    """One turn: the label (the source), its colon (the cue) and the words (the content), as offsets."""

    label_start: int
    label_end: int
    colon: int
    start: int
    end: int


def speaker_turns(text: str, person_words: frozenset[str] = frozenset()) -> list[Turn]:
    """The transcript turns of an article, in text order.

    Args:
        text: the article text.
        person_words: the words, upper-cased, of the names of the article's people.
    """
    found: list[Turn] = []
    for m in _TURN.finditer(text):
        label = m.group("label")
        if label in DESK_LABELS or len(label) < 2:
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        stop = end
        while stop > m.end() and text[stop - 1] in " \t\"”":
            stop -= 1
        if stop > m.end():
            found.append(Turn(m.start("label"), m.end("label"), m.end("label"), m.end(), stop))
    labels = [text[t.label_start : t.label_end] for t in found]
    turns_of = Counter(labels)
    return [
        t
        for t, label in zip(found, labels, strict=True)
        if turns_of[label] >= 2 or label.split()[-1].strip(".") in person_words
    ]


def with_turns(ctx: QuoteContext, quotes: list[Quote]) -> list[Quote]:
    """Add the transcript turns ("PENCE: Well, ...") as quotes: the label the source, the colon the cue.

    A quote that opens inside a turn's words grows to the whole turn; a turn
    no quote overlaps becomes a quote of its own. Spans are half-open
    character offsets into the article text.
    """
    text = ctx.text
    people = [e for e in ctx.found.entities if e.type == "PERSON" and e.named]  # "a neighbour" labels no turn
    named: dict[str, str] = {}  # a word of a person's name, upper-cased → the first person so named
    for e in people:
        for w in e.name.split():
            named.setdefault(w.upper().strip("."), e.id)
    aliases = {w.upper().strip(".") for e in people for name in e.aliases for w in name.split()}
    turns = speaker_turns(text, frozenset(named.keys() | aliases))
    if not turns:
        return quotes
    out = list(quotes)
    ranges: Ranges[int] = Ranges()
    for k, q in enumerate(out):
        ranges.add(q.content.start, q.content.end, k)
    added: list[Quote] = []
    for turn in turns:
        label = text[turn.label_start : turn.label_end]
        made = _turn_quote(text, turn, named.get(label.split()[-1].strip(".")))
        near = ranges.overlapping(turn.label_start, turn.end)  # the quotes that reach into the turn
        at = min((k for k in near if turn.label_start <= out[k].content.start < turn.start), default=None)
        if at is not None:
            q = out[at]
            end = q.content.end
            out[at] = replace(
                q, kind=made.kind, content=Span(turn.start, end, text[turn.start : end]), speaker=made.speaker or q.speaker,
                cue=made.cue, source_span=made.source_span, speaker_via=made.speaker_via, confidence=made.confidence,
            )
        elif not any(out[k].content.start < turn.end and out[k].content.end > turn.start for k in near):
            added.append(made)
    return sorted(out + added, key=lambda q: (q.content.start, q.content.end))


def _turn_quote(text: str, turn: Turn, eid: str | None) -> Quote:
    """Make a turn a direct quote of ``eid`` (None: no person of that name), not numbered yet; spans are half-open."""
    return Quote(
        id="",
        kind="direct",
        content=Span(turn.start, turn.end, text[turn.start : turn.end]),
        speaker=eid,
        cue=Span(turn.colon, turn.colon + 1, ":"),
        source_span=Span(turn.label_start, turn.label_end, text[turn.label_start : turn.label_end]),
        speaker_via="transcript label" if eid else "transcript label, no person of that name",
        confidence=0.9 if eid else 0.0,
    )
