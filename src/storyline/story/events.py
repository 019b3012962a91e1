"""Events across articles: one timeline item per reported event, with every source.

``merge_events(conn)`` reads the stored events and dated quotes, maps their
per-article entity ids to story entities (``entity_links``) and merges what
tells the same event, in three steps:

1. **Support verbs.** In ``The lawsuit, filed last Friday``, the dated
   ``file`` event is the act of the undated ``lawsuit`` next to it (same
   sentence, within ``SUPPORT_WINDOW`` characters): the noun's event takes the
   date and the ``file`` event is folded into it.
2. **Anaphora.** An event without agent or patients (``the lawsuit``,
   ``the suit``) is folded into the nearest earlier event of the same
   predicate in its article that has them (``Varga has sued Ironbridge``).
3. **Across articles.** Two items are one event when predicate and polarity
   match, agent and patients are the same story entities (or one side's are a
   subset of the other's and they share at least one), and the dates are
   compatible: the ranges overlap, or the undated one was published on or
   after the dated one began. Two undated items merge only with the same
   arguments; items without arguments never merge across articles.

A merged item keeps the narrowest date of its sources, the union of their
hedges, the most assertive modality (asserted, reported, hedged,
hypothetical) and every source. Offsets in ``refs`` are half-open character
offsets into ``articles.text``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storyline.store import timeline as reads
from storyline.store.db import StoreLike, connection_of
from storyline.store.queries import story_entities
from storyline.store.rows import Row
from storyline.story.names import fold_name
from storyline.timevalues import read_date_value

#: Verbs whose event is the act of a nearby noun's event (``filed`` a ``lawsuit``).
SUPPORT_PREDICATES = frozenset({"file", "lodge", "bring"})
#: How far (characters) a support verb may stand from its noun.
SUPPORT_WINDOW = 60
#: Most assertive first; a merged item takes the most assertive of its sources.
MODALITY_RANK = {"asserted": 0, "reported": 1, "hedged": 2, "hypothetical": 3}

# Not the time stage's stricter grammar.SENTENCE_END: that one ends no sentence before a lowercase word, a
# non-ASCII capital or "‘" ("Acme Inc. was sued", "He left. Éric stayed"), so same-sentence support verbs
# and the stored sentences of timeline items would change with it.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+|\n")


def date_range(value: str | None, approximate: bool = False) -> tuple[date, date] | None:
    """The days a TIMEX3 date value covers, first and last included.

    Args:
        value: A TIMEX3 value: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (a time
            after ``T`` is ignored), ``YYYY-Www`` (``-WE`` for the weekend,
            ``-N`` for a weekday), ``YYYY-Qn``, ``YYYY-Hn``, a season
            ``YYYY-SP|SU|FA|AU|WI`` (winter from December of ``YYYY``),
            ``FYYYYY``, a decade ``YYY`` or a century ``YY``.
        approximate: Widen the range by half its length on each side (at least
            three days), for ``around June 2025``.

    Returns:
        ``(start, end)``, or None for values that are not a date
        (durations, sets, ``PRESENT_REF``, ``XXXX-...``, None).
    """
    span = _exact_range((value or "").strip())
    if span is None or not approximate:
        return span
    pad = timedelta(days=max(3, ((span[1] - span[0]).days + 1) // 2))
    return span[0] - pad, span[1] + pad


def _exact_range(v: str) -> tuple[date, date] | None:
    read = read_date_value(v)
    if read is None or (read.timed and read.unit != "day"):
        return None  # a time follows only a day's date here
    try:
        return read.first(), read.last()
    except ValueError:
        return None


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@dataclass(slots=True)
class _Ref:
    doc_id: str
    id: str
    start: int
    end: int
    words: str
    sentence: str


@dataclass(slots=True)
class TimelineItem:
    """One event (or dated quote) as the story tells it, merged over its sources.

    ``agent``, ``patients`` and ``attributed_to`` hold story entity ids (int),
    or ``("doc", doc_id, entity_id)`` for an article entity with no link.
    """

    kind: str
    predicate: str
    polarity: str
    agent: Any
    patients: list[Any]
    value: str | None
    range: tuple[date, date] | None
    approximate: bool
    modality: str
    hedges: list[str]
    attributed_to: list[Any]
    published: date | None
    refs: list[_Ref]
    names: dict[Any, str] = field(repr=False)

    def has_args(self) -> bool:
        """Whether it has an agent or a patient."""
        return self.agent is not None or bool(self.patients)

    def involved(self) -> set[Any]:
        """The story entities taking part: agent (speaker) and patients (addressee)."""
        return {x for x in (self.agent, *self.patients) if x is not None}

    def ref_keys(self) -> list[tuple[str, str]]:
        """(doc_id, event or quote id) of every source."""
        return [(r.doc_id, r.id) for r in self.refs]

    def sentences(self) -> list[tuple[tuple[str, str], str]]:
        """((doc_id, id), sentence) of every source, for sentence-level search."""
        return [((r.doc_id, r.id), r.sentence) for r in self.refs]

    def sort_key(self) -> tuple[Any, ...]:
        """Range start and end; undated items at their published date, after the dated; then article order."""
        placed = self.range or ((self.published, self.published) if self.published else (date.max, date.max))
        first = self.refs[0]
        return (placed[0], self.range is None, placed[1], self.published or date.max, first.doc_id, first.start)

    def absorb(self, other: TimelineItem) -> None:
        """Fold ``other`` (the same event) into this item."""
        if self.agent is None:
            self.agent = other.agent
        self.patients += [p for p in other.patients if p not in self.patients and p != self.agent]
        if other.range is not None and (
            self.range is None
            or (other.range[1] - other.range[0], other.approximate) < (self.range[1] - self.range[0], self.approximate)
        ):
            self.value, self.range, self.approximate = other.value, other.range, other.approximate
        elif self.range is None and other.value and not self.value:
            self.value = other.value
        self.hedges += [h for h in other.hedges if h not in self.hedges]
        self.attributed_to += [a for a in other.attributed_to if a not in self.attributed_to]
        if MODALITY_RANK.get(other.modality, 9) < MODALITY_RANK.get(self.modality, 9):
            self.modality = other.modality
        if other.published and (self.published is None or other.published < self.published):
            self.published = other.published
        self.refs += other.refs

    def to_dict(self) -> dict[str, Any]:
        """The plain item ``storyline.story.timeline`` returns."""
        placed = self.range[0] if self.range else self.published
        sources: list[str] = []
        for ref in self.refs:
            if ref.doc_id not in sources:
                sources.append(ref.doc_id)
        words: list[str] = []
        for ref in self.refs:
            if ref.words not in words:
                words.append(ref.words)
        out: dict[str, Any] = {
            "kind": self.kind,
            "predicate": self.predicate,
            "date": self.value,
            "range": [self.range[0].isoformat(), self.range[1].isoformat()] if self.range else None,
            "approximate": self.approximate,
            "undated": self.range is None,
            "placed": placed.isoformat() if placed else None,
            "agent": self.names.get(self.agent) if self.agent is not None else None,
            "patients": [self.names.get(p, "?") for p in self.patients],
            "polarity": self.polarity,
            "modality": self.modality,
            "hedges": list(self.hedges),
            "attributed_to": [self.names.get(a, "?") for a in self.attributed_to],
            "sources": sources,
            "evidence": words[0] if self.kind == "quote" else "; ".join(words),
            "refs": [{"doc_id": r.doc_id, "id": r.id, "start": r.start, "end": r.end} for r in self.refs],
        }
        return out


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence (or line) around ``[start, end)``."""
    left = 0
    for stop in _SENTENCE_END.finditer(text, 0, start):
        left = stop.end()
    after = _SENTENCE_END.search(text, end)
    return left, (after.start() + 1 if after else len(text))


def _idents(store: StoreLike, story_entity: int | None = None) -> tuple[dict[tuple[str, str], Any], dict[Any, str]]:
    """(doc_id, entity id) -> story id (or an article-level stand-in), and ident -> display name."""
    conn = connection_of(store)
    names: dict[Any, str] = {r["id"]: r["name"] for r in story_entities(conn)}
    links = {(r["doc_id"], r["entity_id"]): r["story_entity"] for r in reads.entity_link_rows(conn, story_entity)}
    ident: dict[tuple[str, str], Any] = {}
    for r in reads.article_entities(conn, story_entity):
        key = (r["doc_id"], r["id"])
        if key in links and links[key] in names:
            ident[key] = links[key]
        else:
            ident[key] = ("doc", *key)
            names[ident[key]] = r["name"]
    return ident, names


def _list(text: str | None) -> list[Any]:
    value = json.loads(text) if text else []
    return value if isinstance(value, list) else []


def _item(row: Row, kind: str, text: str, ident: dict[tuple[str, str], Any], names: dict[Any, str]) -> TimelineItem:
    doc = row["doc_id"]

    def who(eid: Any) -> Any:
        return ident.get((doc, str(eid)), ("doc", doc, str(eid))) if eid else None

    for eid in (row["agent"], *_list(row["patients_json"]), row["attributed_to"]):
        if eid and (doc, str(eid)) not in ident:
            names[("doc", doc, str(eid))] = str(eid)
    value = row["date"] or row["t_value"]
    approximate = bool(row["approximate"])
    start, end = row["start"] or 0, row["end"] or 0
    s, e = _sentence(text, start, end)
    agent = who(row["agent"])
    patients: list[Any] = []
    for p in _list(row["patients_json"]):
        if who(p) not in patients and who(p) != agent:
            patients.append(who(p))
    return TimelineItem(
        kind=kind,
        predicate=row["predicate"] or row["words"] or "?",
        polarity=row["polarity"] or "positive",
        agent=agent,
        patients=patients,
        value=value,
        range=date_range(value, approximate),
        approximate=approximate,
        modality=row["modality"] or "asserted",
        hedges=[str(h) for h in _list(row["hedges_json"])],
        attributed_to=[who(row["attributed_to"])] if row["attributed_to"] else [],
        published=_parse_day(row["published"]),
        refs=[_Ref(doc, row["id"], start, end, row["words"] or "", text[s:e].strip())],
        names=names,
    )


def merge_events(store: StoreLike, story_entity: int | None = None) -> list[TimelineItem]:
    """Every stored event and dated quote, merged as the module docstring says.

    Args:
        store: The store, or its connection (``story_entities`` may be empty:
            then entities are compared per article and nothing merges across).
        story_entity: Read only the articles this story entity is linked in,
            so one entity's timeline costs what its own articles cost, not
            what the whole store costs. Events that involve it can only come
            from those articles, and merging never needs the others.

    Returns:
        The items, in no particular order (``TimelineItem.sort_key`` orders them).
    """
    conn = connection_of(store)
    ident, names = _idents(conn, story_entity)
    texts = reads.article_texts(conn, story_entity)
    by_doc: dict[str, list[TimelineItem]] = defaultdict(list)
    for row in reads.event_rows(conn, story_entity):
        by_doc[row["doc_id"]].append(_item(row, "event", texts.get(row["doc_id"], ""), ident, names))
    items: list[TimelineItem] = []
    for doc_id, events in by_doc.items():
        items += _fold_anaphora(_fold_support(events, texts.get(doc_id, "")))
    items += [_item(row, "quote", texts.get(row["doc_id"], ""), ident, names)
              for row in reads.dated_quote_rows(conn, story_entity)]
    return _merge_across(items)


def _fold_support(events: list[TimelineItem], text: str) -> list[TimelineItem]:
    """Step 1: a dated support verb dates the undated noun event beside it."""
    out = list(events)
    for verb in events:
        if verb.predicate not in SUPPORT_PREDICATES or verb.range is None:
            continue
        ref = verb.refs[0]
        bounds = _sentence(text, ref.start, ref.end)
        near = [
            (abs(other.refs[0].start - ref.start), other)
            for other in out
            if other is not verb
            and other.predicate not in SUPPORT_PREDICATES
            and other.range is None
            and _sentence(text, other.refs[0].start, other.refs[0].end) == bounds
            and abs(other.refs[0].start - ref.start) <= SUPPORT_WINDOW
        ]
        if near:
            target = min(near, key=lambda n: n[0])[1]
            target.absorb(verb)
            out.remove(verb)
    return out


def _fold_anaphora(events: list[TimelineItem]) -> list[TimelineItem]:
    """Step 2: an argument-less event joins the nearest earlier one of its predicate with arguments."""
    out: list[TimelineItem] = []
    for ev in sorted(events, key=lambda e: e.refs[0].start):
        if not ev.has_args():
            earlier = [
                o for o in out
                if o.predicate == ev.predicate and o.polarity == ev.polarity and o.has_args() and _dates_fit(o, ev)
            ]
            if earlier:
                earlier[-1].absorb(ev)
                continue
        out.append(ev)
    return out


def _dates_fit(a: TimelineItem, b: TimelineItem) -> bool:
    return a.range is None or b.range is None or (a.range[0] <= b.range[1] and b.range[0] <= a.range[1])


def _arguments(a: TimelineItem, b: TimelineItem) -> str | None:
    """``same`` when agent and patients match, ``subset`` when one side's are within the other's and one is shared."""
    if a.agent is not None and b.agent is not None and a.agent != b.agent:
        return None
    pa, pb = set(a.patients), set(b.patients)
    if (a.agent is not None and a.agent in pb) or (b.agent is not None and b.agent in pa):
        return None  # the roles are swapped: Y sued X is not X sued Y
    if a.agent == b.agent and pa == pb:
        return "same"
    if not (pa <= pb or pb <= pa):
        return None
    shared = ({a.agent} & {b.agent} - {None}) | (pa & pb)
    return "subset" if shared else None


def _same_event(a: TimelineItem, b: TimelineItem) -> bool:
    if a.kind == "quote" and fold_name(a.refs[0].words) != fold_name(b.refs[0].words):
        return False
    relation = _arguments(a, b)
    if relation is None:
        return False
    if a.range is not None and b.range is not None:
        return _dates_fit(a, b)
    if a.range is None and b.range is None:
        return relation == "same"
    dated, undated = (a, b) if a.range is not None else (b, a)
    assert dated.range is not None
    return undated.published is None or dated.range[0] <= undated.published


def _merge_across(items: list[TimelineItem]) -> list[TimelineItem]:
    """Step 3: the same event told by several articles (or twice in one) becomes one item."""
    merged: list[TimelineItem] = []
    # Every merge needs one shared argument, so candidates are looked up by argument.
    index: dict[tuple[Any, ...], list[TimelineItem]] = defaultdict(list)
    seq: dict[int, int] = {}

    def keys(it: TimelineItem) -> list[tuple[Any, ...]]:
        words = fold_name(it.refs[0].words) if it.kind == "quote" else None
        return [(it.kind, it.predicate, it.polarity, words, who) for who in it.involved()]

    for it in sorted(items, key=lambda i: (i.published or date.max, i.refs[0].doc_id, i.refs[0].start)):
        if not it.has_args():
            merged.append(it)
            continue
        found = {id(c): c for key in keys(it) for c in index[key]}
        candidates = sorted(found.values(), key=lambda c: seq[id(c)])  # first reported first
        match = next((c for c in candidates if _same_event(c, it) and _arguments(c, it) == "same"), None)
        match = match or next((c for c in candidates if _same_event(c, it)), None)
        target = match if match is not None else it
        if match is not None:
            match.absorb(it)
        else:
            merged.append(it)
        seq.setdefault(id(target), len(seq))
        for key in keys(target):
            if all(c is not target for c in index[key]):
                index[key].append(target)
    return merged
