"""Timelines as temporal graphs, scored by temporal awareness (SemEval-2015 Task 4, TimeLine).

Pure functions over ``Timeline`` values; nothing here reads files or runs the
pipeline. ``semeval.py`` loads the corpus and builds the predicted timelines.

A timeline is a list of lines ``order TAB date TAB mention [TAB mention ...]``;
a mention names an event by ``docid-sentence-word``, and mentions on one line
are coreferent. The task's scorer turns each timeline into a graph and scores
it with TempEval-3's temporal awareness (UzZaman & Allen 2011). The task's
tools page gives the graph ("ordering and time anchors", the main track):

- each time anchor is a TIMEX3 node, and each event is SIMULTANEOUS with its
  anchor's node;
- an event that happens before another one: BEFORE between the two;
- events that happen at the same time: SIMULTANEOUS.

Here: events with the same order number happen at the same time; the events
of the next order number present happen after them. ``anchors=False`` gives
the task's "ordering only" variant (no TIMEX3 nodes).

Closure and reduction. With SIMULTANEOUS (an equivalence) and BEFORE (a strict
order) only, the closure of a graph is: the classes of nodes tied by
SIMULTANEOUS (union-find), and BEFORE from every node of a class to every node
of each class reachable from it. The reduced graph (the fewest relations with
the same closure) has ``len(class) - 1`` SIMULTANEOUS relations per class and
one BEFORE relation per edge of the transitive reduction of the class graph.

Temporal awareness, micro-averaged over the timelines of a corpus:
``precision = sum |reduced(pred) ∩ closure(gold)| / sum |reduced(pred)|`` and
``recall = sum |reduced(gold) ∩ closure(pred)| / sum |reduced(gold)|``.

Choices the task's description leaves open, and where this differs from the
official ``evaluation_tool_timeline_task4_v3`` (not at hand here):

- Order 0 (the task's "not anchored, not ordered" events) takes part in no
  relation: its events are left out of the graph, so they count for nothing
  on either side. (Had the official tool read order 0 as an ordinary order,
  its undated events would be SIMULTANEOUS with each other and BEFORE order
  1, and both graphs would hold more relations.) Events of a line with order
  >= 1 and date ``XXXX-XX-XX`` (gold ``daimler_chrysler``) are ordered but get
  no TIMEX3 node.
- TIMEX3 nodes are keyed by the date string, padded to ``YYYY-MM-DD`` form
  (gold ``2005`` is ``2005-XX-XX``), so two events with the same date are
  SIMULTANEOUS through their shared node, whatever their order numbers.
- Which relations the reduced graph keeps is not unique (any spanning tree of a
  class, any pair of events for a BEFORE edge). TempEval-3's reduction drops
  stated relations that the others imply and keeps whichever its iteration
  order leaves, so it never keeps a relation between two anchors (none is
  stated). Here the most favourable such choice is counted (``verified``):
  a SIMULTANEOUS relation, event-anchor or event-event, is verified when both
  ends share a class in the other graph's closure; a BEFORE edge between two
  classes when some event of the first precedes some event of the second
  there. Denominators do not depend on the choice; on the same graph, the
  official figure can only be lower or equal.
- A mention listed twice keeps its first line. A BEFORE relation that would
  contradict the graph built so far (its two ends already SIMULTANEOUS, or a
  cycle) is dropped and counted in ``conflicts``; SIMULTANEOUS relations are
  added first. (In the gold, ``general_motors`` puts ``2008-XX-XX`` at orders 5
  and 6, which the shared TIMEX3 node makes one class.)
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

UNDATED = "XXXX-XX-XX"
"""The date of an event that cannot be anchored in time."""

ANCHOR_PREFIX = "T:"
"""Time-anchor nodes are ``T:<date>``; every other node is an event mention."""

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}|XX)(?:-(\d{2}|XX))?)?$")


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of a timeline: order number, date (``YYYY-MM-DD``, X for unknown digits), mentions."""

    order: int
    date: str
    mentions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    """The timeline of one target entity, lines in file order."""

    target: str
    entries: tuple[TimelineEntry, ...] = ()

    def mentions(self) -> list[str]:
        """Every mention once, in the order they first appear."""
        return list(dict.fromkeys(m for e in self.entries for m in e.mentions))


def timeline_text(timeline: Timeline) -> str:
    """The timeline in the task's file format: the target, then one tab-separated line per entry."""
    lines = [timeline.target]
    lines.extend("\t".join([str(e.order), e.date, *e.mentions]) for e in timeline.entries)
    return "\n".join(lines) + "\n"


def anchor_key(date: str) -> str | None:
    """The TIMEX3 node of a date: ``YYYY-MM-DD`` with ``XX`` for what is unknown; None when undated.

    ``2005`` and ``2005-XX`` become ``2005-XX-XX``; ``XXXX-XX-XX`` or anything
    not of that shape gives None (no node).
    """
    found = _DATE.match(date.strip())
    if not found:
        return None
    year, month, day = found.group(1), found.group(2) or "XX", found.group(3) or "XX"
    return f"{year}-{month}-{day}"


def date_sort_key(date: str) -> tuple[int, int, int]:
    """Chronological key of a padded date, a coarser date first: ``2008-XX-XX`` < ``2008-01-01`` < ``2008-01-02``.

    This is how the gold orders a period and the days inside it (``2005`` is
    order 1 and ``2005-01-01`` order 2 in ``general_motors``).
    """
    key = anchor_key(date)
    if key is None:
        raise ValueError(f"not a date: {date!r}")
    year, month, day = key.split("-")
    return int(year), 0 if month == "XX" else int(month), 0 if day == "XX" else int(day)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, node: str) -> None:
        self.parent.setdefault(node, node)

    def find(self, node: str) -> str:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class TemporalGraph:
    """The closure of one timeline: SIMULTANEOUS classes and BEFORE between classes.

    Attributes:
        classes: the node classes (events are mentions, time anchors ``T:<date>``).
        class_of: node to class index.
        edges: class index to the class indices right after it (after reduction).
        conflicts: BEFORE relations dropped because they contradicted the graph.
    """

    def __init__(self, timeline: Timeline, *, anchors: bool = True) -> None:
        order_of: dict[str, int] = {}
        date_of: dict[str, str] = {}
        for entry in timeline.entries:
            if entry.order <= 0:
                continue  # not ordered: no relation at all
            for mention in entry.mentions:
                if mention not in order_of:
                    order_of[mention] = entry.order
                    date_of[mention] = entry.date
        sets = _UnionFind()
        by_order: dict[int, list[str]] = {}
        for mention, order in order_of.items():
            sets.add(mention)
            by_order.setdefault(order, []).append(mention)
            key = anchor_key(date_of[mention]) if anchors else None
            if key is not None:
                sets.add(ANCHOR_PREFIX + key)
                sets.union(mention, ANCHOR_PREFIX + key)
        for members in by_order.values():
            for other in members[1:]:
                sets.union(members[0], other)
        roots = sorted({sets.find(n) for n in sets.parent})
        index = {root: i for i, root in enumerate(roots)}
        self.class_of: dict[str, int] = {n: index[sets.find(n)] for n in sets.parent}
        members_of: list[list[str]] = [[] for _ in roots]
        for node in sorted(self.class_of):
            members_of[self.class_of[node]].append(node)
        self.classes: list[tuple[str, ...]] = [tuple(m) for m in members_of]
        self.conflicts = 0
        after: dict[int, set[int]] = {i: set() for i in range(len(roots))}
        orders = sorted(by_order)
        for earlier, later in itertools.pairwise(orders):
            a, b = self.class_of[by_order[earlier][0]], self.class_of[by_order[later][0]]
            if a == b or a in _reachable(after, b):
                self.conflicts += 1
            else:
                after[a].add(b)
        self._below = {i: _reachable(after, i) for i in after}
        self.edges: dict[int, set[int]] = {
            a: {b for b in succ if not any(b in self._below[c] for c in succ if c != b)} for a, succ in after.items()
        }

    @property
    def nodes(self) -> int:
        """How many nodes (event mentions and time anchors) the graph has."""
        return len(self.class_of)

    def reduced_size(self) -> int:
        """How many relations the reduced graph has: ``len(class) - 1`` per class, one per reduced BEFORE edge."""
        return sum(len(c) - 1 for c in self.classes) + sum(len(s) for s in self.edges.values())

    def simultaneous(self, a: str, b: str) -> bool:
        """Whether the closure holds ``a SIMULTANEOUS b`` (both nodes present, same class)."""
        return a in self.class_of and b in self.class_of and self.class_of[a] == self.class_of[b]

    def before(self, a: str, b: str) -> bool:
        """Whether the closure holds ``a BEFORE b``."""
        return a in self.class_of and b in self.class_of and self.class_of[b] in self._below[self.class_of[a]]


def _reachable(after: dict[int, set[int]], start: int) -> set[int]:
    """Class indices reachable from ``start`` by one or more BEFORE edges."""
    seen: set[int] = set()
    stack = list(after[start])
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(after[node])
    return seen


def verified(reduced: TemporalGraph, closure: TemporalGraph) -> int:
    """How many relations of ``reduced``'s reduced graph ``closure`` holds (the most favourable reduction).

    The reduced graph keeps only relations the timeline states (an event and
    its anchor, two events), never one between two anchors. Split a class of
    ``reduced`` by the classes of ``closure`` (a node absent there is a group
    of its own): a group holding an event is one component, a group of anchors
    only is one component per anchor; the class then has ``len(class) -
    components`` verified SIMULTANEOUS relations. A reduced BEFORE edge from
    class ``A`` to ``B`` is verified when ``closure`` puts some event of ``A``
    before some event of ``B``.
    """
    found = 0
    for members in reduced.classes:
        groups: dict[object, list[str]] = {}
        for node in members:
            groups.setdefault(closure.class_of.get(node, f"absent:{node}"), []).append(node)
        # a group with an event is one component (its anchors hang on the event); anchors alone stay apart
        components = sum(1 if any(not _is_anchor(n) for n in g) else len(g) for g in groups.values())
        found += len(members) - components
    for a, succ in reduced.edges.items():
        events_a = [n for n in reduced.classes[a] if not _is_anchor(n)]
        for b in succ:
            events_b = [n for n in reduced.classes[b] if not _is_anchor(n)]
            if any(closure.before(x, y) for x in events_a for y in events_b):
                found += 1
    return found


def _is_anchor(node: str) -> bool:
    return node.startswith(ANCHOR_PREFIX)


@dataclass(frozen=True, slots=True)
class TimelineCounts:
    """Counts for one or more timelines; ``+`` adds them (micro-averaging).

    ``gold_relations`` / ``pred_relations``: size of each reduced graph;
    ``gold_found``: gold reduced relations the predicted closure holds (recall);
    ``pred_found``: predicted reduced relations the gold closure holds
    (precision). ``*_events`` and ``shared_events`` count mentions (every
    order, 0 included) for diagnosis; they are not part of the metric.
    """

    timelines: int = 0
    gold_relations: int = 0
    gold_found: int = 0
    pred_relations: int = 0
    pred_found: int = 0
    gold_events: int = 0
    pred_events: int = 0
    shared_events: int = 0
    gold_conflicts: int = 0
    pred_conflicts: int = 0

    def __add__(self, other: TimelineCounts) -> TimelineCounts:
        return TimelineCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def to_dict(self) -> dict[str, int]:
        """The counts as plain data."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def score_timeline(gold: Timeline, pred: Timeline, *, anchors: bool = True) -> TimelineCounts:
    """Score one predicted timeline against the gold one of the same target.

    Args:
        gold: the gold timeline.
        pred: the predicted timeline (may be empty).
        anchors: True for the main measure (time anchors as TIMEX3 nodes),
            False for "ordering only".
    """
    g, p = TemporalGraph(gold, anchors=anchors), TemporalGraph(pred, anchors=anchors)
    gold_mentions, pred_mentions = set(gold.mentions()), set(pred.mentions())
    return TimelineCounts(
        timelines=1,
        gold_relations=g.reduced_size(),
        gold_found=verified(g, p),
        pred_relations=p.reduced_size(),
        pred_found=verified(p, g),
        gold_events=len(gold_mentions),
        pred_events=len(pred_mentions),
        shared_events=len(gold_mentions & pred_mentions),
        gold_conflicts=g.conflicts,
        pred_conflicts=p.conflicts,
    )


def timeline_figures(counts: TimelineCounts) -> dict[str, Any]:
    """Precision, recall and F1 (fractions, and F1 x 100 as the task reports it) from summed counts."""
    precision = counts.pred_found / counts.pred_relations if counts.pred_relations else 0.0
    recall = counts.gold_found / counts.gold_relations if counts.gold_relations else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "f1_x100": round(100 * f1, 2)}


def order_timeline(target: str, dated: Iterable[tuple[str, str]]) -> Timeline:
    """Build a timeline in the task's format from ``(mention, date)`` pairs.

    Undated pairs (``date`` not a date, e.g. ``XXXX-XX-XX``) get order 0 and
    come first; dated ones are ordered chronologically (``date_sort_key``),
    and pairs with the same padded date share an order number. A mention
    seen twice keeps its first date. Each mention is a line of its own (no
    event coreference); the metric treats a shared order number exactly like
    coreference (SIMULTANEOUS).
    """
    first: dict[str, str] = {}
    for mention, date in dated:
        first.setdefault(mention, date)
    undated = sorted(m for m, d in first.items() if anchor_key(d) is None)
    anchored: dict[str, list[str]] = {}
    for mention, date in first.items():
        key = anchor_key(date)
        if key is not None:
            anchored.setdefault(key, []).append(mention)
    entries = [TimelineEntry(0, UNDATED, (m,)) for m in undated]
    for order, key in enumerate(sorted(anchored, key=date_sort_key), start=1):
        entries.extend(TimelineEntry(order, key, (m,)) for m in sorted(anchored[key]))
    return Timeline(target, tuple(entries))


def sum_counts(counts: Sequence[TimelineCounts]) -> TimelineCounts:
    """Add up counts (micro-averaging)."""
    total = TimelineCounts()
    for c in counts:
        total = total + c
    return total
