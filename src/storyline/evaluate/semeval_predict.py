"""Predicted timelines for SemEval-2015 Task 4 from storyline records: targets, mentions, dates.

Works from the extracted ``Record``s of one corpus, with its own minimal
cross-document linking (no story store): an entity of a record stands for a
target entity when one of its names matches the target's name (below); the
target's timeline collects

- every event whose ``agent`` or one of whose ``patients`` stands for it, named
  by its trigger, dated by the event's ``date``;
- every quote it speaks (``speaker``), named by its ``cue`` (the speech verb:
  the gold lists "said", "commented", ... as events of the speaker), dated by
  the quote's ``date``.

An event is named ``docid-sentence-word`` like the gold: the corpus tokens the
trigger (or cue) overlaps, joined with ``_`` (the gold's multi-word events are
written ``job_cuts``; a compound trigger "dollar deal" gives ``dollar_deal``),
and the ``<s id>`` of the first. Dates are TIMEX3 values
written the gold's way (``gold_date``); an event without one is undated
(order 0, ``XXXX-XX-XX``). There is no event coreference: each mention is a
line of its own, and mentions with the same date share an order number.

Name matching (case, spacing and punctuation folded), strongest first; the
first kind that gives exactly one target wins, two or more is ambiguous and
gives none:

1. the entity's name equals the target's name; failing that, one of its aliases does;
2. the entity's name is a part of the target's: a run of its first or last
   words ("Dreamliner", "787 Dreamliner", "A380", "Gallois"; for a person, last
   words only), or its initials when the target has two words or more and the
   entity is not a person ("GM", "UAW");
3. the entity's name starts with the target's name ("Ford Motor Company" ->
   Ford); the longest such target.

Kinds 2 and 3 read the entity's name only (an alias "Scott" of some Scott
Smith is no Scott Carson) and never apply to places (``PLACE_TYPES``: "China",
"Singapore" and "United States" begin target names but are countries).
So "Boeing 787" is the Dreamliner (kind 2) even though it also starts with
"Boeing" (kind 3), and "Airlines" matches nothing while two targets end with it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.evaluate.semeval_score import UNDATED, Timeline, order_timeline
from storyline.model import Entity, Record

PLACE_TYPES = frozenset({"GPE", "LOC", "NORP", "FAC"})
"""Entity types that stand for a target only by an exact name (kind 1)."""

_WORD = re.compile(r"\w+")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_PART = re.compile(r"^(\d{4})(?:-(?:W\d{2}(?:-\d)?|Q[1-4]|H[12]|SP|SU|FA|WI))?$")


@dataclass(frozen=True, slots=True)
class Token:
    """One corpus token: half-open character offsets into the document text, its sentence id, its text."""

    start: int
    end: int
    sentence: str
    text: str


def mention_name(doc_id: str, tokens: Sequence[Token], start: int, end: int) -> str | None:
    """Name the stretch ``[start, end)`` of a document the gold's way: ``docid-sentence-word``.

    ``tokens`` are sorted by offset. The word is the text of every token the
    stretch overlaps, joined with ``_``; the sentence is the first one's.
    None when the stretch overlaps no token.
    """
    starts = [t.start for t in tokens]
    i = max(bisect.bisect_right(starts, start) - 1, 0)
    hit = []
    while i < len(tokens) and tokens[i].start < max(end, start + 1):
        if tokens[i].end > start:
            hit.append(tokens[i])
        i += 1
    if not hit:
        return None
    return f"{doc_id}-{hit[0].sentence}-{'_'.join(t.text for t in hit)}"


def gold_date(value: str | None, published: str | None = None) -> str:
    """A TIMEX3 value written as the gold writes dates: ``YYYY-MM-DD`` with ``XX`` for what is unknown.

    ``2005-02-17`` (and ``2005-02-17T10:00``) stay days; ``2005-02`` is
    ``2005-02-XX``; a year, or a week, quarter, half or season of it, is
    ``YYYY-XX-XX``; ``PRESENT_REF`` is the publication date. Anything else
    (durations, ``PAST_REF``, decades, None) is undated: ``XXXX-XX-XX``.
    """
    if not value:
        return UNDATED
    if value == "PRESENT_REF":
        return gold_date(published) if published else UNDATED
    if found := _DAY.match(value):
        return "-".join(found.groups())
    if found := _MONTH.match(value):
        return f"{found.group(1)}-{found.group(2)}-XX"
    if found := _YEAR_PART.match(value):
        return f"{found.group(1)}-XX-XX"
    return UNDATED


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


class TargetMatcher:
    """Decide which target entity, if any, an extracted entity stands for (see the module docstring)."""

    def __init__(self, targets: Iterable[str]) -> None:
        self.targets = list(dict.fromkeys(targets))
        self._words = {t: _words(t) for t in self.targets}

    def match(self, entity: Entity) -> str | None:
        """The target ``entity`` stands for, or None (no match, or ambiguous)."""
        name = _words(entity.name)
        for forms in ([name], [_words(a) for a in entity.aliases]):  # the name first, then the aliases
            exact = {t for t, w in self._words.items() if any(f and "".join(f) == "".join(w) for f in forms)}
            if exact:
                return exact.pop() if len(exact) == 1 else None
        if not name or entity.type in PLACE_TYPES:
            return None  # "China" is not China Eastern Airlines, nor "United States" the Air Force
        person = entity.type == "PERSON"
        part = {t for t, w in self._words.items() if _is_part(name, w, person=person)}
        if part:
            return part.pop() if len(part) == 1 else None
        longer = [t for t, w in self._words.items() if len(w) < len(name) and name[: len(w)] == w]
        return max(longer, key=lambda t: len(self._words[t])) if longer else None


def _is_part(name: tuple[str, ...], target: tuple[str, ...], *, person: bool) -> bool:
    n = len(name)
    if n < len(target) and (target[-n:] == name or not person and target[:n] == name):
        return True
    initials = "".join(w[0] for w in target)
    return not person and len(target) >= 2 and n == 1 and name[0] == initials


@dataclass(frozen=True, slots=True)
class PredictedMention:
    """One event of a predicted timeline, with what it came from (for the report)."""

    target: str
    mention: str
    date: str
    predicate: str
    kind: str  # "event" or "quote"


def record_mentions(
    record: Record, tokens: Sequence[Token], matcher: TargetMatcher
) -> tuple[list[PredictedMention], dict[str, str]]:
    """The events and quotes of one record that involve a target.

    Returns:
        The mentions, and the entities that matched a target (``entity name ->
        target``), for the report.
    """
    target_of: dict[str, str] = {}
    matched: dict[str, str] = {}
    for entity in record.entities:
        target = matcher.match(entity)
        if target is not None:
            target_of[entity.id] = target
            matched[entity.name] = target
    out: list[PredictedMention] = []
    for event in record.events:
        involved = dict.fromkeys(target_of[e] for e in (event.agent, *event.patients) if e in target_of)
        name = mention_name(record.doc_id, tokens, event.trigger.start, event.trigger.end)
        if name is None:
            continue
        date = gold_date(event.date, record.published)
        out.extend(PredictedMention(t, name, date, event.predicate, "event") for t in involved)
    for quote in record.quotes:
        if quote.cue is None or quote.speaker not in target_of:
            continue
        name = mention_name(record.doc_id, tokens, quote.cue.start, quote.cue.end)
        if name is not None:
            date = gold_date(quote.date, record.published)
            out.append(PredictedMention(target_of[quote.speaker], name, date, quote.cue.text, "quote"))
    return out, matched


def build_timelines(targets: Sequence[str], mentions: Iterable[PredictedMention]) -> dict[str, Timeline]:
    """One timeline per target (empty when nothing involves it), in the task's format (``order_timeline``)."""
    per: dict[str, list[tuple[str, str]]] = {t: [] for t in targets}
    for m in mentions:
        per.setdefault(m.target, []).append((m.mention, m.date))
    return {t: order_timeline(t, pairs) for t, pairs in per.items()}
