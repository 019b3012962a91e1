"""Events: who did what to whom, and when, with how sure the outlet is.

Triggers are verbs and event nouns from ``lexicon.EVENT_VERBS`` and
``EVENT_NOUNS`` ("sued", "countersued", "the countersuit", "a smear
campaign"); speech verbs are left to quotes. For each trigger:

- ``agent``: the subject (or the ``by`` phrase of a passive, or a noun's
  possessor); when the sm parse is broken around it, the nearest entity
  mention before the trigger in its clause;
- ``patients``: the objects, their conjuncts and appositions ("countersued
  Blake and her husband, Ryan Reynolds" -> both), ``against``/``to`` phrases;
- ``date``: a time expression attached to the trigger, one in its clause, or
  the date of the verb it is coordinated with; a passive with no agent whose
  subject is a quoted medium ("the message, which was reportedly sent")
  takes the quote's speaker as agent;
- evidence (hedges, modality, ``attributed_to``, polarity) from ``stages.shared.evidence``.

Events inside quotation marks are the speaker's words, not the outlet's
report, and are left out here.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.model import Event, Issue, Quote, Span, Timex
from storyline.nlp.doctable import DocTable
from storyline.stages.shared.clauses import subject_of
from storyline.stages.shared.evidence import read_evidence
from storyline.stages.shared.lexicon import EVENT_NOUNS, EVENT_VERBS, MEDIUM_NOUNS, RELATION_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.stages.shared.quotemarks import QuotedSpan
    from storyline.stages.shared.resolved import Entities

# Nominal triggers named by their verb: "the countersuit" -> countersue.
_NOUN_PREDICATES = {
    "lawsuit": "sue", "suit": "sue", "countersuit": "countersue", "settlement": "settle",
    "resignation": "resign", "acquisition": "acquire", "meeting": "meet", "death": "die",
    "marriage": "marry", "wedding": "marry", "ruling": "rule", "indictment": "indict",
    "investigation": "investigate", "allegation": "allege", "complaint": "complain",
}
# Verbs whose subject carries out the event noun they take: "engaged in a smear campaign",
# "filed a lawsuit" (unlike "called the countersuit a scare tactic").
_LIGHT_VERBS = {
    "engage", "participate", "launch", "file", "bring", "wage", "lead", "run", "start", "mount",
    "orchestrate", "conduct", "carry", "hold", "stage", "plan", "organize", "organise", "begin", "open",
}
#: The dependency labels that open a clause of its own: a date below one is that clause's.
_CLAUSE_DEPS = frozenset({"ccomp", "relcl", "advcl", "acl", "xcomp", "csubj"})
#: A clause that modifies a noun: "the message, which was sent", "the countersuit filed".
_NOUN_CLAUSES = frozenset({"relcl", "acl"})
#: The dependency labels of a trigger's patients: "sued Justin", "was sued", "gave her".
_PATIENT_DEPS = frozenset({"dobj", "dative", "nsubjpass", "attr"})
#: The objects of a verb, direct or of a preposition: "filed a lawsuit", "engaged in a campaign".
_OBJECTS = frozenset({"dobj", "pobj"})
#: The prepositions whose object is a patient: "a lawsuit against Justin", "with the studio".
_PATIENT_PREPOSITIONS = frozenset({"against", "to", "with", "for"})
#: The dependency labels that join one more patient to a patient: "Blake and her husband, Ryan".
_MORE_PATIENTS = frozenset({"conj", "appos"})
#: The part-of-speech tags that may stand between a trigger and a patient read on the surface.
_BETWEEN_PATIENTS = frozenset({"DET", "CCONJ", "ADJ", "PRON"})
#: The entity types that can be a patient read on the surface after the trigger.
_PATIENT_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: The part-of-speech tags that may stand between a verb and the mention taken as its agent.
_BEFORE_VERB = frozenset({"ADV", "AUX", "PART"})
#: The time expression types that date an event.
_DATED = frozenset({"DATE", "TIME"})
_BOUNDARY = {",", ";", ":", "—", "–", "(", ")"}


def _predicate(tok: Token) -> str:
    """The event's predicate: the trigger's lemma, a noun's verb ("countersuit" -> countersue), or a compound noun."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "NOUN":
        if lemma in _NOUN_PREDICATES:
            return _NOUN_PREDICATES[lemma]
        compound = [c.lower_ for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"]
        return " ".join([*compound, lemma])  # "smear campaign"
    return lemma


def _is_trigger(t: DocTable, i: int) -> str | None:
    """The event type when token ``i`` is a trigger, else None."""
    pos = t.pos[i]
    if pos != "VERB" and pos != "NOUN":
        return None
    lemma = t.lemma[i].lower()
    if pos == "VERB" and lemma in EVENT_VERBS:
        h = t.head[i]
        if t.dep[i] == "amod" and t.tag[i] == "VBN" and t.pos[h] == "NOUN" and i < h:
            return None  # "the published article": a modifier, not an action reported
        return EVENT_VERBS[lemma]
    if pos == "NOUN" and lemma in EVENT_NOUNS and t.tag[i] != "NNS" or pos == "NOUN" and lemma in ("countersuit", "lawsuit"):
        return EVENT_NOUNS.get(lemma, "legal")
    return None


class _Scope:
    """Per-article lookups: entity at a token, timex at a token, quoted tokens."""

    def __init__(self, doc: Doc, found: Entities, timexes: list[Timex], quoted: list[QuotedSpan], table: DocTable) -> None:
        self.table = table
        self.found = found
        self.timex_at = _timex_index(doc, timexes)
        ranges = sorted((q.start, q.end) for q in quoted if q.depth == 0)
        self.quote_starts = [a for a, _ in ranges]
        self.quote_ends = [b for _, b in ranges]

    def quoted(self, i: int) -> bool:
        """Whether token ``i`` starts inside a quotation."""
        idx = self.table.idx[i]
        k = bisect.bisect_right(self.quote_starts, idx) - 1
        return k >= 0 and idx < self.quote_ends[k]

    def entity(self, tok: Token) -> str | None:
        """The id of the entity a token mentions, or of its possessor's ("his team")."""
        eid = self.found.by_token.get(tok.i)
        if eid is not None:
            return eid
        # "his team": the possessor stands in for a group the article does not name
        for c in tok.children:
            if c.dep_ == "poss" and self.found.by_token.get(c.i):
                return self.found.by_token.get(c.i)
        return None


def _timex_index(doc: Doc, timexes: list[Timex]) -> dict[int, Timex]:
    """Token index -> the time expression covering it."""
    out: dict[int, Timex] = {}
    for t in timexes:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None:
            for tok in span:
                out.setdefault(tok.i, t)
    return out


def _same_clause(tok: Token, root: Token) -> bool:
    """Whether ``tok`` reaches ``root`` going up its heads without leaving its clause."""
    cur = tok
    while cur.i != root.i:
        if cur.dep_ in _CLAUSE_DEPS or cur.head.i == cur.i:
            return False
        cur = cur.head
    return True


def _agent(tok: Token, sc: _Scope) -> tuple[str | None, str]:
    """Who carries out the event a trigger names, as an entity id, and how it was found."""
    if tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ == "poss" and sc.entity(c):
                return sc.entity(c), "possessor"
            if c.dep_ == "prep" and c.lower_ == "by":
                for obj in c.children:
                    if sc.entity(obj):
                        return sc.entity(obj), "by-phrase"
        verb = tok.head.head if tok.dep_ == "pobj" else tok.head
        if verb.pos_ == "VERB" and tok.dep_ in _OBJECTS and verb.lemma_.lower() in _LIGHT_VERBS:
            subj = subject_of(verb)  # "his team had engaged in a smear campaign"
            if subj is not None and sc.entity(subj):
                return sc.entity(subj), "subject of the verb it is the object of"
        return None, "no agent stated"
    for c in tok.children:
        if c.dep_ == "agent":
            for obj in c.children:
                if sc.entity(obj):
                    return sc.entity(obj), "by-phrase of the passive"
    subj = subject_of(tok)
    if subj is not None and subj.dep_ != "nsubjpass" and sc.entity(subj):
        return sc.entity(subj), "subject"
    if subj is None and not any(c.dep_ == "auxpass" for c in tok.children) and tok.dep_ not in _NOUN_CLAUSES:
        # the sm parser loses clauses like "The mother of four formally sued Justin": take
        # the nearest mention to the left, if nothing but adverbs stands between
        sent_start = sc.table.sent_bounds(tok.i)[0]
        pos = sc.table.pos
        k = tok.i - 1
        while k >= sent_start and pos[k] in _BEFORE_VERB:
            k -= 1
        if k >= sent_start and sc.found.by_token.get(k):
            return sc.found.by_token.get(k), "nearest mention before the verb"
    return None, "no agent stated"


def _patients(tok: Token, sc: _Scope, agent: str | None) -> list[str]:
    """Whom the event is done to, as entity ids in the order met; never the agent."""
    out: list[str] = []

    def add(eid: str | None) -> None:
        if eid is not None and eid != agent and eid not in out:
            out.append(eid)

    def take(np: Token) -> None:
        add(sc.found.by_token.get(np.i))  # not the possessor: "the countersuit was filed" files no person
        for c in np.children:
            if c.dep_ in _MORE_PATIENTS:
                take(c)

    for c in tok.children:
        if c.dep_ in _PATIENT_DEPS and c.lower_ != "to":
            take(c)
        elif c.dep_ in ("prep", "dative") and c.lower_ in _PATIENT_PREPOSITIONS and (tok.pos_ == "NOUN" or c.lower_ != "for"):
            for obj in c.children:
                if obj.dep_ == "pobj":
                    take(obj)
    # surface reading after the trigger: "countersued Blake and her husband, Ryan Reynolds, on ..."
    t = sc.table
    sent_end = t.sent_bounds(tok.i)[1]
    k = tok.i + 1
    while k < sent_end:
        eid = sc.found.by_token.get(k)
        if eid is not None:
            ent = sc.found.entity(eid)
            if ent is not None and ent.type in _PATIENT_TYPES:
                add(eid)
        elif not (t.pos[k] in _BETWEEN_PATIENTS or t.orth[k] == "," or t.lower[k] in RELATION_NOUNS):
            break
        k += 1
    return out


def _date(tok: Token, timex_at: dict[int, Timex], table: DocTable | None = None) -> Timex | None:
    """A dated time expression attached to the trigger, or in its clause."""
    tbl = table if table is not None else DocTable(tok.doc)
    found = _attached_date(tok, timex_at, tbl)
    if found is not None:
        return found
    # broken attachment: the first date after the trigger before the clause ends
    sent_end = tbl.sent_bounds(tok.i)[1]
    for k in range(tok.i + 1, sent_end):
        timex = timex_at.get(k)
        if timex is not None and timex.type in _DATED and timex.value:
            return timex
        if tbl.orth[k] in _BOUNDARY and k + 1 < sent_end and tbl.tag[k + 1] == "VBG":
            break  # ", claiming ...": another clause
        if tbl.pos[k] == "VERB" and tbl.dep[k] in _CLAUSE_DEPS:
            break
    return None


def _attached_date(tok: Token, timex_at: dict[int, Timex], tbl: DocTable) -> Timex | None:
    """The dated expression nearest ``tok`` among those in its subtree and its clause (``_same_clause``).

    Walks up from each expression's tokens within the subtree's edges (a few)
    instead of down the subtree (every token). Two different expressions at the
    same distance are settled as the subtree walk settles them: the first in
    subtree order.
    """
    if not timex_at:
        return None
    i = tok.i
    lo, hi = tok.left_edge.i, tok.right_edge.i
    head, dep = tbl.head, tbl.dep
    best: Timex | None = None
    best_d = -1
    tie = False
    for k, timex in timex_at.items():
        if not lo <= k <= hi or timex.type not in _DATED or not timex.value:
            continue
        cur = k  # up to ``tok`` without leaving the clause; the root is reached when ``tok`` is no ancestor
        while cur != i and dep[cur] not in _CLAUSE_DEPS and head[cur] != cur:
            cur = head[cur]
        if cur != i:
            continue
        d = abs(k - i)
        if best is None or d < best_d:
            best, best_d, tie = timex, d, False
        elif d == best_d and timex is not best:
            tie = True
    if tie:
        candidates: list[tuple[int, Timex]] = []
        for below in tok.subtree:
            dated = timex_at.get(below.i)
            if dated is not None and dated.type in _DATED and dated.value and _same_clause(below, tok):
                candidates.append((abs(below.i - tok.i), dated))
        return min(candidates, key=lambda c: c[0])[1]
    return best


def _medium_sender(tok: Token, quotes: tuple[Quote, ...]) -> str | None:
    """Who sent a medium that the article quotes: "the message, which was reportedly sent"."""
    noun = tok.head if tok.dep_ in _NOUN_CLAUSES else next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    if noun is None or noun.lemma_.lower() not in MEDIUM_NOUNS:
        return None
    speakers = {q.speaker for q in quotes if q.medium and q.medium.split()[-1] == noun.lemma_.lower() and q.speaker}
    return speakers.pop() if len(speakers) == 1 else None


def extract_events(
    doc: Doc,
    found: Entities,
    timexes: list[Timex],
    quoted: list[QuotedSpan],
    quotes: tuple[Quote, ...] = (),
    *,
    table: DocTable | None = None,
) -> tuple[list[Event], list[Issue]]:
    """Find the article's reportable actions with participants, dates and evidence.

    Args:
        doc: the parsed article.
        found: its entities (``resolve_entities``).
        timexes: its time expressions (``storyline.stages.time.find_timexes``).
        quoted: quotation spans (``scan_quotes``); events inside them are skipped.
        quotes: attributed quotes, to name the sender of a quoted medium.
        table: ``DocTable(doc)``, when the caller has read it already.

    Returns:
        ``(events, issues)``; trigger spans are half-open character offsets
        into ``doc.text``.
    """
    t = table if table is not None else DocTable(doc)
    sc = _Scope(doc, found, timexes, quoted, t)
    events: list[Event] = []
    issues: list[Issue] = []  # none yet: a trigger always makes an event, with what is known of it
    date_of: dict[int, Timex] = {}
    for i in range(t.n):
        kind = _is_trigger(t, i)
        if kind is None or sc.quoted(i):
            continue
        events.append(_event(doc[i], kind, f"v{len(events) + 1}", sc, quotes, date_of))
    return events, issues


def _event(tok: Token, kind: str, event_id: str, sc: _Scope, quotes: tuple[Quote, ...], date_of: dict[int, Timex]) -> Event:
    """Build the ``Event`` of a trigger; its trigger span is half-open character offsets into ``doc.text``.

    Records the event's date in ``date_of``, for a later trigger coordinated with this one.
    """
    agent = _event_agent(tok, sc, quotes)
    timex = _event_date(tok, sc, date_of)
    ev = read_evidence(tok, sc.found, table=sc.table)
    return Event(
        id=event_id,
        trigger=_trigger_span(tok, sc.table.text),
        predicate=_predicate(tok),
        type=kind,
        agent=agent,
        patients=tuple(_patients(tok, sc, agent)),
        timex=timex.id if timex else None,
        date=timex.value if timex else None,
        polarity=ev.polarity,
        modality=ev.modality,
        hedges=ev.hedges,
        attributed_to=ev.attributed_to,
        provenance=ev.provenance,
    )


def _event_agent(tok: Token, sc: _Scope, quotes: tuple[Quote, ...]) -> str | None:
    """The agent of a trigger; for a verb with none stated, the sender of the quoted medium it is about."""
    agent, _ = _agent(tok, sc)
    if agent is None and tok.pos_ == "VERB":
        agent = _medium_sender(tok, quotes)
    return agent


def _event_date(tok: Token, sc: _Scope, date_of: dict[int, Timex]) -> Timex | None:
    """The date of a trigger, else that of the trigger it is coordinated with; kept in ``date_of``."""
    timex = _date(tok, sc.timex_at, sc.table)
    if timex is None and tok.dep_ == "conj" and tok.head.i in date_of:
        timex = date_of[tok.head.i]  # "sued and countersued ... on May 3"
    if timex is not None:
        date_of[tok.i] = timex
    return timex


def _trigger_span(tok: Token, text: str) -> Span:
    """The trigger's words as a span of ``text``: a noun with its compounds ("smear campaign")."""
    start = min([c.idx for c in tok.lefts if c.dep_ == "compound" and tok.pos_ == "NOUN"] + [tok.idx])
    end = tok.idx + len(tok.text)
    return Span(start, end, text[start:end])


_SENDING = {"send", "post", "publish", "tweet", "email", "text", "record", "release", "leak", "write"}
# Private channels an article tends to name several ways: "a voice note", "the message", "the audio".
_CHANNEL_FAMILY = {"voice note", "note", "message", "audio", "recording", "voicemail", "text", "letter", "email"}


def _channel(noun: str | None) -> str | None:
    """The channel a medium counts as: one "channel" for the family of private messages, else the medium itself."""
    if noun is None:
        return None
    return "channel" if noun in _CHANNEL_FAMILY or noun.split()[-1] in _CHANNEL_FAMILY else noun


def date_quotes(
    doc: Doc, quotes: list[Quote], events: list[Event], timexes: list[Timex], *, table: DocTable | None = None
) -> list[Quote]:
    """Give each quote the date its words were said or sent, when the article states it.

    A time expression in the cue's clause ("said on Tuesday") dates the quote;
    so does the dated sending of the medium it was quoted from ("in the
    message, which was reportedly sent around April 2023"), where the voice
    note, the message and the audio of one article count as one channel.
    Continuing pieces take the date of the piece they continue.

    Returns:
        The quotes, in order, with ``date`` and ``timex`` filled where known.
    """
    by_id = {t.id: t for t in timexes}
    timex_at = _timex_index(doc, timexes)
    channel_dates: dict[str, Timex] = {}
    for ev in events:
        if ev.predicate not in _SENDING or ev.timex is None:
            continue
        span = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
        if span is None:
            continue
        trig = span.root
        noun = trig.head if trig.dep_ in _NOUN_CLAUSES else next((c for c in trig.children if c.dep_ in ("nsubjpass", "dobj")), None)
        if noun is not None:
            compound = " ".join(c.lower_ for c in noun.lefts if c.dep_ == "compound")
            key = _channel(f"{compound} {noun.lemma_.lower()}".strip())
            if key is not None:
                channel_dates.setdefault(key, by_id[ev.timex])
    out: list[Quote] = []
    if quotes and table is None:
        table = DocTable(doc)
    for q in quotes:
        timex = None
        if q.cue is not None:
            cue = doc.char_span(q.cue.start, q.cue.end, alignment_mode="expand")
            if cue is not None:
                timex = _date(cue.root, timex_at, table)
        if timex is None and q.medium is not None:
            timex = channel_dates.get(_channel(q.medium) or "")
        if timex is None and q.continues is not None:
            prev = next((p for p in out if p.id == q.continues), None)
            if prev is not None and prev.timex is not None:
                timex = by_id.get(prev.timex)
        out.append(replace(q, date=timex.value, timex=timex.id) if timex is not None else q)
    return out
