"""All of an article's attributions: quoted words and reported speech, as ``Quote`` records.

``attribute`` is the stage ``pipeline.analyze_doc`` calls. It runs in these steps:

1. ``quotes.attribute_quotes`` attributes every passage in quote marks.
2. The pieces of one utterance split around its cue in one paragraph
   ("A," he said, "B.") become one record, content from the first piece to
   the last, each piece kept in ``fragments`` (PolNeAR's convention: one
   attribution, one content).
3. Transcript turns ("PENCE: Well, ...") become quotes
   (``transcripts.with_turns``).
4. Reported speech (``kind`` ``indirect``, or ``mixed`` when the clause holds
   quoted words): the candidates of ``cues`` scored by ``scorer``.
   A candidate that covers a quoted passage lends it its cue and source when
   they agree on the speaker; a fragment in narration inside a reported clause
   (he said the plan was "a disaster") becomes part of that ``mixed`` quote,
   unless it is someone else's words relayed (``reported_by``).
5. A medium as the source ("The voice note also revealed ...") speaks for the
   one person quoted in it before; the records are numbered in text order.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from storyline.model import Issue, Quote, Span
from storyline.nlp.doctable import DocTable
from storyline.spans import jaccard, word_tokens
from storyline.stages.attribution.context import AGENT_TYPES, QuoteContext, cue_addressee, cue_medium
from storyline.stages.attribution.cues import (
    VERB_POS,
    Candidate,
    DocView,
    antecedent,
    candidate_features,
    candidates,
    cue_range,
    joined_speech,
    passive_agent,
    source_range,
    source_token,
)
from storyline.stages.attribution.persons import author_pronouns, quote_pronouns
from storyline.stages.attribution.quotes import attribute_quotes
from storyline.stages.attribution.ranges import Ranges
from storyline.stages.attribution.scorer import THRESHOLD, mode, rule_probability, shipped_model, sigmoid
from storyline.stages.attribution.speakers import resolve_speakers, with_mentions
from storyline.stages.attribution.transcripts import with_turns
from storyline.stages.shared.clauses import SUBJECTS
from storyline.stages.shared.evidence import provenance_of, read_hedges
from storyline.stages.shared.lexicon import AS_CLAUSE_VERBS, MEDIUM_NOUNS, RECORDING_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.stages.attribution.scorer import AttributionModel
    from storyline.stages.shared.quotemarks import QuotedSpan
    from storyline.stages.shared.resolved import Entities

#: Two reported clauses this alike (word Jaccard) are one attribution; the likelier is kept.
SAME_CONTENT = 0.8
#: The least probability of a speech verb's as-clause reporting its head ("..., as Quist put it"):
#: rare in PolNeAR train (45 times, 32 of them attributions), so the model under-rates it.
AS_CLAUSE = 0.7
#: A partial quote's own cue may report a clause around it with a lower probability than this.
FRAGMENT_THRESHOLD = 0.05
#: A reported clause and a quoted passage this alike are the same attribution.
OVERLAP = 0.5
#: Tags of a finite verb, which an as-clause's speech verb is unless an auxiliary carries the tense.
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})

class Reported(NamedTuple):
    """A candidate the model accepted, with its probability and word set."""

    cand: Candidate
    probability: float
    words: frozenset[tuple[int, int]]


class Attributed(NamedTuple):
    """What the attribution stage returns: the quotes, the issues, and the entities with the speakers' mentions."""

    quotes: list[Quote]
    issues: list[Issue]
    entities: Entities


def attribute(
    doc: Doc, found: Entities, quoted: list[QuotedSpan], *, table: DocTable | None = None
) -> tuple[list[Quote], list[Issue]]:
    """Every attribution of the article, in text order, numbered ``q1``, ``q2``, ...

    ``attribute_speakers`` without the entities it adds to.

    Args:
        doc: the parsed article.
        found: its entities (``resolve_entities``).
        quoted: the passages of ``scan_quotes(doc.text)``.
        table: the article's token attributes, when the caller read them already.

    Returns:
        ``(quotes, issues)``: spans are half-open character ranges into
        ``doc.text``; ``STORYLINE_ATTRIBUTION=off`` leaves reported speech out,
        ``rules`` scores it without the learned weights.
    """
    got = attribute_speakers(doc, found, quoted, table=table)
    return got.quotes, got.issues


def attribute_speakers(
    doc: Doc, found: Entities, quoted: list[QuotedSpan], *, table: DocTable | None = None, author: str | None = None
) -> Attributed:
    """Every attribution of the article, its speakers resolved through the entities, and the entities they add to.

    The quotes as ``attribute`` describes them, their speakers then resolved
    by ``speakers.resolve_speakers`` (sources as mentions, unnamed entities for
    descriptions) and the first- and second-person pronouns inside them tied
    to the speaker and addressee (``persons.quote_pronouns``).

    Args:
        doc: the parsed article.
        found: its entities (``resolve_entities``).
        quoted: the passages of ``scan_quotes(doc.text)``.
        table: the article's token attributes, when the caller read them already.
        author: the article's author from the input's metadata, for "I" in
            a first-person piece (``persons.author_pronouns``; a byline in the
            text wins).

    Returns:
        ``Attributed(quotes, issues, entities)``: spans are half-open character
        ranges into ``doc.text``; ``entities`` is ``found`` rebuilt with the
        added mentions and entities.
    """
    table = table or DocTable(doc)
    found = author_pronouns(doc, found, quoted, author)
    ctx = QuoteContext(doc, found, table=table)
    quotes, issues = attribute_quotes(doc, found, quoted, ctx=ctx)
    quotes = _join_pieces(ctx.text, quotes)
    quotes = with_turns(ctx, quotes)
    how = mode()
    if how != "off":
        reported, by_cue = _reported(doc, table, how)
        quotes = _merge(ctx, quotes, reported, by_cue, quoted)
    quotes, resolved = resolve_speakers(ctx, _renumber(_by_medium(quotes)))
    ctx = QuoteContext(doc, resolved, table=table)
    pronouns, by_token = quote_pronouns(ctx, quotes, quoted)
    return Attributed(quotes, issues, with_mentions(resolved, pronouns, [], by_token))


def _by_medium(quotes: list[Quote]) -> list[Quote]:
    """A medium as the source speaks for whoever spoke in it before.

    "Justin was heard saying in the message ... The voice note also revealed that
    ...": the voice note is Justin's. The medium must be one the article quoted one
    person only in, earlier on (a voice note, an audio and a message are one
    recording): "the book said" before "In her book, Clinton noted" is another book.
    """
    owners: dict[str, set[str]] = {}
    out = []
    for q in quotes:
        noun = _source_medium(q.source_span.text) if q.speaker is None and q.source_span is not None else None
        if noun is not None:
            who = owners.get(_medium_kind(noun))
            if who is not None and len(who) == 1:
                q = replace(q, speaker=next(iter(who)), speaker_via=f"medium: the one person quoted in the {_medium_kind(noun)}")
        if q.medium is not None and q.speaker is not None:
            owners.setdefault(_medium_kind(q.medium), set()).add(q.speaker)
        out.append(q)
    return out


def _source_medium(source: str) -> str | None:
    """The medium a source names: "The voice note" -> "voice note", "the lengthy message" -> "message"."""
    words = source.lower().split()
    for size in (2, 1):
        if len(words) > size and words[0] in ("the", "this", "that") and " ".join(words[-size:]) in MEDIUM_NOUNS:
            return " ".join(words[-size:])
    return None


def _medium_kind(noun: str) -> str:
    """One name for the words that name one recording: "voice note", "audio", "message"."""
    return "recording" if noun in RECORDING_NOUNS else noun


def _reported(doc: Doc, table: DocTable, how: str) -> tuple[list[Reported], dict[int, list[tuple[float, Candidate]]]]:
    """The accepted candidates (one content per cue word, near-duplicates dropped), and all of them by cue offset.

    Every candidate is scored by the learned weights (by the rules in mode
    ``rules`` or without weights); a speech verb of an as-clause reports the
    clause it hangs on ("..., as Quist put it") with ``AS_CLAUSE`` at least.
    """
    model = shipped_model() if how == "model" else None
    scorer = _ModelScorer(doc, table, model) if model is not None else None  # what the features read; the rules need none
    by_word: dict[int, list[tuple[float, float, Candidate]]] = {}
    by_cue: dict[int, list[tuple[float, Candidate]]] = {}
    never = model.never if model is not None else frozenset()
    for cand in candidates(doc, table, never=never):
        p, choice = scorer.score(cand) if scorer is not None else (rule_probability(cand), 0.0)
        if cand.relation == "HEAD:advcl" and _as_clause(cand.cue):
            p, choice = max(p, AS_CLAUSE), float("inf")  # and it is the clause the cue reports
        by_cue.setdefault(cand.cue.idx, []).append((p, cand))
        by_word.setdefault(cand.cue.i, []).append((p, choice, cand))
    return _accepted(table.text, by_word), by_cue


class _ModelScorer:
    """The learned weights over the candidates of one article, with what they read of it computed once."""

    def __init__(self, doc: Doc, table: DocTable, model: AttributionModel) -> None:
        self.model = model
        self.chooser = chooser = model.chooser
        self.view = view = DocView(doc, table)
        self.scores = view.dense_scores(model.dense) if model.dense else None
        self.choice_scores = view.dense_scores(chooser.dense) if chooser and chooser.dense else None
        self._cue_sums: dict[int, tuple[float, float]] = {}  # per cue word: its own features' weights, detector and chooser

    def score(self, cand: Candidate) -> tuple[float, float]:
        """Return the probability that a candidate is an attribution, and the chooser's preference for its content.

        Without a chooser the preference is the detector's own score.
        """
        i = cand.cue.i
        model, chooser = self.model, self.chooser
        sums = self._cue_sums.get(i)
        if sums is None:
            own = self.view.cue_facts(cand.cue).features
            sums = self._cue_sums[i] = (model.score(own), chooser.score(own) if chooser is not None else 0.0)
        feats = candidate_features(cand, self.view)
        z = sums[0] + model.score(feats)
        if self.scores is not None:
            z += self.scores[0][i] + self.scores[1][cand.root.i]
        if chooser is None:
            return sigmoid(z), z
        choice = sums[1] + chooser.score(feats)
        if self.choice_scores is not None:
            choice += self.choice_scores[0][i] + self.choice_scores[1][cand.root.i]
        return sigmoid(z), choice


def _accepted(text: str, by_word: dict[int, list[tuple[float, float, Candidate]]]) -> list[Reported]:
    """Keep one content per accepted cue word, near-duplicates dropped, in text order.

    A cue word is accepted when its likeliest candidate reaches ``THRESHOLD``;
    its content is then the one the model's ``chooser`` prefers (the likeliest
    one without a chooser). Of two contents ``SAME_CONTENT`` alike, the
    likelier is kept.
    """
    best: list[tuple[float, Candidate]] = []
    for found in by_word.values():
        top = max(p for p, _, _ in found)
        if top >= THRESHOLD:
            best.append((top, max(found, key=lambda pc: (pc[1], pc[0]))[2]))
    kept: list[Reported] = []
    ranges: Ranges[Reported] = Ranges()
    for p, cand in sorted(best, key=lambda pc: (-pc[0], pc[1].start)):
        cand = _before_next_speech(cand)
        words = word_tokens(text, (cand.start, cand.end))
        if not words or any(jaccard(words, k.words) >= SAME_CONTENT for k in ranges.overlapping(cand.start, cand.end)):
            continue
        kept.append(Reported(cand, p, words))
        ranges.add(cand.start, cand.end, kept[-1])
    kept.sort(key=lambda r: (r.cand.start, r.cand.end))
    return kept


def _before_next_speech(cand: Candidate) -> Candidate:
    """The content up to a second speech verb joined to it: "said it was opposed to the test
    [and warned North Korea to refrain ...]" reports two things, each with its own cue."""
    root = cand.root
    conj = next((c for c in root.rights if joined_speech(c)), None)
    if conj is None:
        return cand
    cut = conj.left_edge
    doc = root.doc
    while cut.i > root.i + 1 and (doc[cut.i - 1].dep_ == "cc" or doc[cut.i - 1].text in (",", ";")):
        cut = doc[cut.i - 1]
    if not cand.start < cut.idx < cand.end:
        return cand
    prev = doc[cut.i - 1]
    return cand._replace(end=prev.idx + len(prev.text))


def _as_clause(cue: Token) -> bool:
    """A speech verb in an as-clause, which reports the clause it hangs on: "..., as Quist put it"."""
    kids = list(cue.children)
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in kids) or not any(c.dep_ == "nsubj" for c in kids):
        return False
    if cue.head.pos_ not in VERB_POS or cue.tag_ not in _FINITE_TAGS and not any(c.dep_ == "aux" for c in kids):
        return False
    lemma = cue.lemma_.lower()
    return lemma in AS_CLAUSE_VERBS or lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in kids)


def _join_pieces(text: str, quotes: list[Quote]) -> list[Quote]:
    """One record for the pieces of a quote split around its cue within a paragraph."""
    out: list[Quote] = []
    index: dict[str, int] = {}
    alias: dict[str, str] = {}  # a joined piece's id → the id of the record it joined
    for q in quotes:
        if q.continues in alias:
            q = replace(q, continues=alias[q.continues])
        head = index.get(q.continues) if q.continues else None
        if head is not None and "\n" not in text[out[head].content.end : q.content.start]:
            first = out[head]
            start, end = first.content.start, q.content.end
            out[head] = replace(
                first,
                content=Span(start, end, text[start:end]),
                fragments=(*(first.fragments or (first.content,)), q.content),
                cue=first.cue or q.cue,
                source_span=first.source_span or q.source_span,
                speaker=first.speaker or q.speaker,
                hedges=tuple(dict.fromkeys((*first.hedges, *q.hedges))),
                medium=first.medium or q.medium,
                addressee=first.addressee or q.addressee,
                provenance=first.provenance or q.provenance,
            )
            index[q.id] = head
            alias[q.id] = first.id
            continue
        index[q.id] = len(out)
        out.append(q)
    return out


def _clause_for_fragment(
    text: str, q: Quote, qwords: frozenset[tuple[int, int]], by_cue: dict[int, list[tuple[float, Candidate]]]
) -> Reported | None:
    """The clause a partial quote's own cue reports, when one holds the fragment: that "Pyongyang "stop its ..."."""
    if q.cue is None or q.reported_by is not None:
        return None
    best: Reported | None = None
    for at in range(q.cue.start, q.cue.end):
        for p, cand in by_cue.get(at, ()):
            if p < FRAGMENT_THRESHOLD or (best is not None and p <= best.probability):
                continue
            if cand.start > q.content.start or cand.end < q.content.end:
                continue
            words = word_tokens(text, (cand.start, cand.end))
            if qwords < words:
                best = Reported(cand, p, words)
    return best


def _merge(
    ctx: QuoteContext,
    quotes: list[Quote],
    reported: list[Reported],
    by_cue: dict[int, list[tuple[float, Candidate]]],
    quoted: list[QuotedSpan],
) -> list[Quote]:
    """Merge the quoted passages with the reported clauses, in text order.

    A passage takes the cue and source of the clause that covers it, or
    becomes part of it (a ``mixed`` quote); a clause no passage matched becomes
    a quote of its own.
    """
    reported = list(reported)
    kept, used, absorbed = _match_passages(ctx, quotes, reported, by_cue)
    kept += _unmatched(ctx, reported, used, absorbed, kept, quoted)
    return sorted(kept, key=lambda q: (q.content.start, q.content.end))


def _match_passages(
    ctx: QuoteContext,
    quotes: list[Quote],
    reported: list[Reported],
    by_cue: dict[int, list[tuple[float, Candidate]]],
) -> tuple[list[Quote], set[int], dict[int, list[Quote]]]:
    """Match each passage with the reported clause most like it: ``(kept quotes, used clauses, absorbed passages)``.

    ``reported`` grows by the clauses that partial quotes' own cues report;
    ``used`` and ``absorbed`` index it.
    """
    text = ctx.text
    ranges: Ranges[int] = Ranges()
    for k, r in enumerate(reported):
        ranges.add(r.cand.start, r.cand.end, k)
    used: set[int] = set()
    absorbed: dict[int, list[Quote]] = {}
    kept: list[Quote] = []
    for q in quotes:
        qwords = word_tokens(text, (q.content.start, q.content.end))
        scored = []
        for k in ranges.overlapping(q.content.start, q.content.end):
            r = reported[k]
            inside = qwords <= r.words  # the passage lies in the reported clause
            if jaccard(qwords, r.words) >= OVERLAP or inside or r.words <= qwords:
                scored.append((jaccard(qwords, r.words), k, inside))
        if not scored and q.kind == "partial":
            clause = _clause_for_fragment(text, q, qwords, by_cue)
            if clause is not None:
                absorbed[len(reported)] = [q]
                ranges.add(clause.cand.start, clause.cand.end, len(reported))
                reported.append(clause)
                continue
        if not scored:
            kept.append(q)
            continue
        _, k, inside = max(scored)
        r = reported[k]
        if q.content.start <= r.cand.cue.idx < q.content.end:
            used.add(k)  # words reported inside the quote itself: the quote stands as it is
            kept.append(q)
            continue
        if q.kind == "partial" and inside and q.reported_by is None and qwords < r.words:
            absorbed.setdefault(k, []).append(q)  # the fragment is part of a mixed quote
            continue
        used.add(k)
        kept.append(_lend(ctx, q, r))
    return kept, used, absorbed


def _unmatched(
    ctx: QuoteContext,
    reported: list[Reported],
    used: set[int],
    absorbed: dict[int, list[Quote]],
    kept: list[Quote],
    quoted: list[QuotedSpan],
) -> list[Quote]:
    """Make quotes of the reported clauses no passage used, unless a kept passage is ``OVERLAP`` alike."""
    text = ctx.text
    passages: Ranges[frozenset[tuple[int, int]]] = Ranges()
    for q in kept:
        passages.add(q.content.start, q.content.end, word_tokens(text, (q.content.start, q.content.end)))
    top = sorted((p for p in quoted if p.depth == 0 and p.text.strip()), key=lambda p: p.start)
    top_starts = [p.start for p in top]
    out: list[Quote] = []
    for k, r in enumerate(reported):
        if k in used:
            continue
        if k not in absorbed and any(
            jaccard(words, r.words) >= OVERLAP for words in passages.overlapping(r.cand.start, r.cand.end)
        ):
            continue
        out.append(_reported_quote(ctx, r, top, top_starts, absorbed.get(k, [])))
    return out


def _speaker(ctx: QuoteContext, r: Reported) -> tuple[Span | None, str | None]:
    """The literal source and its entity (a relative pronoun speaks for its antecedent)."""
    cue = r.cand.cue
    if cue.tag_ == "VBN" and cue.dep_ == "advcl" and not any(c.dep_ in SUBJECTS for c in cue.children):
        return None, None  # "Asked whether he would resign, Brel said no": Brel was asked; who asked is not said
    tok = source_token(cue)
    if tok is None:
        return None, None
    start, end = source_range(tok, r.cand.cue)
    if start == r.cand.start and end <= r.cand.end:
        # the subject is part of what is reported ("Obama's veto is expected to
        # come ...", "The registration issue was first reported by the Post"):
        # the source is the passive's agent, if there is one
        tok = passive_agent(r.cand.cue)
        if tok is None:
            return None, None
        start, end = source_range(tok)
    eid = ctx.source_of(tok)[1]
    if eid is None:
        # a relative pronoun speaks for what it stands for: "Mulgrew, who said ..."
        ante = antecedent(tok)
        if ante is not None:
            eid = ctx.source_of(ante)[1]
    if not _is_agent(ctx, eid):
        # a misparsed head ("The Jane the Virgin star": head "Jane"): the person or body the phrase names
        counts: dict[str, int] = {}
        for t in ctx.tokens(start, end):
            other = ctx.found.by_token.get(t.i)
            if other is not None and _is_agent(ctx, other):
                counts[other] = counts.get(other, 0) + 1
        if counts:
            eid = max(counts, key=lambda e: counts[e])
    return Span(start, end, ctx.text[start:end]), eid


def _is_agent(ctx: QuoteContext, eid: str | None) -> bool:
    """Whether an entity can speak: a person, or a body that speaks as one."""
    ent = ctx.found.entity(eid)
    return ent is not None and ent.type in AGENT_TYPES


def _cue(ctx: QuoteContext, r: Reported) -> Span:
    """Return the cue words of a reported clause, as PolNeAR marks them (half-open)."""
    start, end = cue_range(r.cand.cue, r.cand.relation, r.cand.root)
    return Span(start, end, ctx.text[start:end])


def _lend(ctx: QuoteContext, q: Quote, r: Reported) -> Quote:
    """A quoted passage takes the reported clause's cue and source when they agree on who spoke."""
    source, eid = _speaker(ctx, r)
    same_cue = q.cue is not None and q.cue.start <= r.cand.cue.idx < q.cue.end
    if source is None or not (q.cue is None or same_cue or q.speaker is None or eid == q.speaker):
        return q
    return replace(
        q,
        cue=_cue(ctx, r),
        source_span=source,
        speaker=q.speaker or eid,
        speaker_via=q.speaker_via if q.speaker else "cue",
    )


def _reported_quote(
    ctx: QuoteContext, r: Reported, top: list[QuotedSpan], top_starts: list[int], absorbed: list[Quote]
) -> Quote:
    """A reported clause as a quote; ``top`` are the quoted passages by start (``top_starts``)."""
    text = ctx.text
    cue_tok = r.cand.cue
    source, eid = _speaker(ctx, r)
    via: str | None = "cue" if eid is not None else ("no entity for the source" if source is not None else "no source")
    if eid is None:
        for q in absorbed:
            if q.speaker is not None:
                eid, via = q.speaker, q.speaker_via
                break
    start, end = _tidy(text, r.cand.start, r.cand.end)
    fragments = tuple(
        Span(p.start, p.end, text[p.start : p.end])
        for p in top[bisect.bisect_left(top_starts, start) : bisect.bisect_left(top_starts, end)]
        if p.end <= end
    )
    return Quote(
        id="",
        kind="mixed" if fragments else "indirect",
        content=Span(start, end, text[start:end]),
        speaker=eid,
        cue=_cue(ctx, r),
        source_span=source,
        addressee=cue_addressee(cue_tok, ctx),
        medium=cue_medium(cue_tok),
        hedges=tuple(read_hedges(cue_tok)),
        confidence=round(r.probability, 3),
        speaker_via=via,
        provenance=provenance_of(cue_tok, ctx.found),
        fragments=fragments,
    )


_EDGE_PUNCTUATION = " \t\n,;:—–-."


def _tidy(text: str, start: int, end: int) -> tuple[int, int]:
    """The content without the commas, dashes and spaces a clause boundary leaves at its edges."""
    while start < end and text[start] in _EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCTUATION:
        end -= 1
    # a quote mark the clause opens but the parse left outside: had "lied for years" → keep the closing mark
    piece = text[start:end]
    if piece.count("“") > piece.count("”") or piece.count('"') % 2:
        close = re.match(r'[.,;:!?…]?\s?["”]', text[end : end + 3])
        if close:
            end += close.end()
    return start, end


def _renumber(quotes: list[Quote]) -> list[Quote]:
    """Number the quotes ``q1``, ``q2``, ... in their order, and point ``continues`` at the new ids."""
    new = {q.id: f"q{n}" for n, q in enumerate(quotes, 1) if q.id}
    return [replace(q, id=f"q{n}", continues=new.get(q.continues) if q.continues else None) for n, q in enumerate(quotes, 1)]
