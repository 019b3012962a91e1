"""Transcript turns: a paragraph that opens with a speaker label, "PENCE: Well, look, ...".

Interviews and debates are printed as transcripts: each turn is a paragraph
(often in quote marks) that starts with the speaker's name in capitals and a
colon. PolNeAR reads such a turn as an attribution: the label is the source,
the colon is the cue, the rest of the paragraph is the content.

A label is read as a speaker only when it is not a news-desk label ("UPDATE:",
"BYLINE:", "VIDEO:") and either names a person of the article (its last word
is a word of a person's name) or opens at least two turns of the article.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

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
