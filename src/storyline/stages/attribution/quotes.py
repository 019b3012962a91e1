"""Quotes: who said the words inside quote marks, with which cue, in what medium.

Input: the quoted passages ``scan_quotes`` found (text only) and the parse.
For each passage:

- ``kind``: ``direct`` when the passage is an utterance of its own (it opens
  a paragraph or sentence, or follows a cue and a colon or comma), ``partial``
  when it is a fragment inside narration (his "heart sank").
- the cue: a speech verb in the narration right after the closing mark
  (``," Justin said.``) or right before the opening one (``She said: "``);
  its subject is the ``source_span``, resolved to an entity through the
  mentions ``resolve_entities`` clustered (names, pronouns, epithets).
- no cue: the speaker carries over from the previous piece of the same
  utterance (``continues``), or from the narration around it.
- partial quotes: the speech verbs above the fragment in the parse give the
  speaker; a second, higher one gives ``reported_by`` (relayed words:
  X recalling Y calling them "titans").

Quoted strings with no attribution at all (titles, terms) are not speech:
they are reported as SL304 issues, not dropped silently.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storyline.errors import QUOTE_NO_SPEAKER, QUOTE_NOT_SPEECH
from storyline.model import Issue, Quote, Span
from storyline.stages.attribution.context import QuoteContext
from storyline.stages.attribution.cues import cue_range, source_range
from storyline.stages.shared.clauses import SUBJECTS, according_to, subject_of
from storyline.stages.shared.evidence import provenance_of, read_hedges
from storyline.stages.shared.lexicon import (
    CUE_VERBS,
    HUMAN_NOUNS,
    MEDIUM_NOUNS,
    NAMING_VERBS,
    ROLE_NOUNS,
)
from storyline.stages.shared.titles import looks_like_title

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.stages.shared.quotemarks import QuotedSpan
    from storyline.stages.shared.resolved import Entities

_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt))(?<!\b(?:Mrs|Sen|Rep|Gov|Gen|Col|Sgt))[.!?](?=[\s\"“”’')]|$)")
"""A sentence's end: not the dot of a title or an initial ("Ms. Moore said", "Gen. Flynn", "John F. Kennedy")."""
_CUE_WINDOW = 10  # tokens after a closing mark in which a cue may stand


def _is_cue(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUE_VERBS or according_to(tok) is not None


def _cue_span(tok: Token, text: str) -> Span:
    """The cue words: the verb, with "heard ... saying" kept together."""
    start, end = cue_range(tok)  # with its auxiliaries and negation, "according to" whole
    for c in tok.children:
        if c.dep_ == "xcomp" and c.lemma_.lower() == "say" and c.i == tok.i + 1:
            end = c.idx + len(c.text)
    return Span(start, end, text[start:end])


def cue_medium(tok: Token) -> str | None:
    """The channel named on the cue: "said in a statement", "added in the audio"."""
    for verb in (tok, *[c for c in tok.children if c.dep_ == "xcomp"]):
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "on", "via", "during", "through"):
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        compound = " ".join(c.lower_ for c in obj.lefts if c.dep_ == "compound")
                        full = f"{compound} {obj.lower_}".strip()
                        if full in MEDIUM_NOUNS:
                            return full
                        if obj.lemma_.lower() in MEDIUM_NOUNS:
                            return full
    return None


def cue_addressee(tok: Token, ctx: QuoteContext) -> str | None:
    """Whom the words were for: "told Blake", "said to the court"."""
    if according_to(tok) is not None:
        return None  # "according to X" names the source, not an addressee
    for c in tok.children:
        if tok.lemma_.lower() == "tell" and c.dep_ in ("dobj", "dative"):
            return ctx.found.by_token.get(c.i)
        if c.dep_ == "prep" and c.lower_ == "to":
            for obj in c.children:
                if obj.dep_ == "pobj":
                    return ctx.found.by_token.get(obj.i)
    return None


def _find_cue(ctx: QuoteContext, tokens: list[Token], *, after: bool) -> Token | None:
    """A speech verb in the narration next to a quote."""
    window = tokens[:_CUE_WINDOW] if after else tokens
    cues = [t for t in window if _is_cue(t)]
    if not cues:
        return None
    # "was heard saying": prefer the verb that carries the subject
    return cues[0] if after else cues[-1]


def _is_direct(ctx: QuoteContext, q: QuotedSpan, para_start: int, prev_q: QuotedSpan | None = None) -> bool:
    before = ctx.text[para_start:q.open].rstrip()
    if prev_q is not None and prev_q.close is not None and prev_q.open >= para_start:
        between = ctx.text[prev_q.close + 1:q.open].strip()
        if between.endswith(",") and not _SENTENCE_END.search(between) and prev_q.text.rstrip().endswith(","):
            return True  # "We were never against it," Osei said, "we were against ..."
    content = q.text.strip()
    if not before or before[-1] in ".!?:;…\"”" or q.continues_previous:
        return True
    if before[-1] == "," and content[:1].isupper():
        return True
    return bool(content) and content[-1] in ".!?…" and content[:1].isupper()


def _segment_after(ctx: QuoteContext, q: QuotedSpan, limit: int) -> tuple[int, int]:
    start = (q.close + 1) if q.close is not None else q.end
    m = _SENTENCE_END.search(ctx.text, start, limit)
    return start, (m.end() if m else limit)


def _segment_before(ctx: QuoteContext, floor: int, end: int) -> tuple[int, int]:
    """The last sentence of ``text[floor:end]``, as (start, end)."""
    ends = list(_SENTENCE_END.finditer(ctx.text[floor:end]))
    return (floor + ends[-1].end() if ends else floor), end


def _people_in(ctx: QuoteContext, tokens: list[Token]) -> list[tuple[Token, str]]:
    out = []
    for t in tokens:
        ent = ctx.found.entity(ctx.found.by_token.get(t.i))
        if ent is not None and ent.type == "PERSON":
            out.append((t, ent.id))
    return out


def _is_agent(ctx: QuoteContext, tok: Token) -> bool:
    """Whether a subject can be a speaker: a person or organisation, or a personal pronoun."""
    ent = ctx.found.entity(ctx.found.by_token.get(tok.i))
    if ent is not None:
        return ent.type in ("PERSON", "ORG", "NORP", "GPE")
    return tok.lower_ in ("he", "she", "they", "i", "we", "you") or tok.lemma_.lower() in HUMAN_NOUNS or tok.lower_ in ROLE_NOUNS


def _partial_speakers(ctx: QuoteContext, q: QuotedSpan) -> tuple[Token | None, Token | None, Token | None]:
    """For a fragment in narration: (cue, speaker token, relaying speaker token)."""
    inside = ctx.tokens(q.start, q.end)
    if not inside:
        return None, None, None
    ids = {t.i for t in inside}
    head = next((t for t in inside if t.head.i not in ids or t.head.i == t.i), inside[0])
    cue = speaker = relay = None
    cur = head
    for _ in range(12):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if not (_is_cue(cur) or cur.lemma_.lower() in NAMING_VERBS):
            continue
        subj = subject_of(cur)
        if subj is not None and not _is_agent(ctx, subj):
            subj = None  # "The audio begins ..., admitting": not who spoke
        if cue is None:
            cue, speaker = cur, subj
            if subj is None:
                continue
        elif subj is not None and speaker is not None:
            if ctx.found.by_token.get(subj.i) != ctx.found.by_token.get(speaker.i):
                relay = subj
                break
        elif speaker is None and subj is not None:
            speaker = subj
    return cue, speaker, relay


def attribute_quotes(
    doc: Doc, found: Entities, quoted: list[QuotedSpan], *, ctx: QuoteContext | None = None
) -> tuple[list[Quote], list[Issue]]:
    """Attribute every quoted passage to a speaker.

    Args:
        doc: the parsed article.
        found: the article's entities (``resolve_entities``).
        quoted: passages from ``scan_quotes(doc.text)``.
        ctx: the lookups of this article, when the caller built them already.

    Returns:
        ``(quotes, issues)``; every span is a half-open character range
        into ``doc.text``, and ``quote.content.text`` equals that slice.
    """
    ctx = ctx or QuoteContext(doc, found)
    quotes: list[Quote] = []
    issues: list[Issue] = []
    top = [q for q in quoted if q.depth == 0 and q.text.strip()]
    for n, q in enumerate(top):
        para_start, para_end = ctx.paragraph(q.open)
        prev = quotes[-1] if quotes else None
        prev_q = top[n - 1] if n else None
        next_open = top[n + 1].open if n + 1 < len(top) else len(ctx.text)
        same_para_prev = prev is not None and prev_q is not None and prev_q.open >= para_start
        content = Span(q.start, q.end, q.text)
        qid = f"q{len(quotes) + 1}"
        if looks_like_title(_without_closing_stop(q.text)):
            issues.append(Issue("quotes", QUOTE_NOT_SPEECH, f"quoted words {q.text[:40]!r} read as a title or name, not as speech", content))
            continue
        kind = "direct" if _is_direct(ctx, q, para_start, prev_q) else "partial"

        cue_tok = speaker_tok = relay_tok = None
        via = None
        if kind == "direct":
            a, b = _segment_after(ctx, q, min(para_end, next_open))
            cue_tok = _find_cue(ctx, ctx.tokens(a, b), after=True)
            cue_after = cue_tok is not None
            if cue_tok is None:
                floor = max(para_start, (prev_q.close or prev_q.end) + 1 if same_para_prev and prev_q else para_start)
                a2, b2 = _segment_before(ctx, floor, q.open)
                before = ctx.text[a2:b2].rstrip()
                if before.endswith((":", ",")):
                    cue_tok = _find_cue(ctx, ctx.tokens(a2, b2), after=False)
                elif not before and not same_para_prev:
                    cue_tok = _cue_before_colon(ctx, para_start)
            if cue_tok is not None:
                speaker_tok = subject_of(cue_tok)
                if cue_after and (speaker_tok is None or not a <= speaker_tok.idx < b):
                    speaker_tok = _source_after(ctx, cue_tok, a, b) or speaker_tok
                via = "cue"
            else:
                signed = _signature(ctx, q, para_end)
                if signed is not None:
                    dash, source, speaker = signed
                    quotes.append(Quote(id=qid, kind=kind, content=content, speaker=speaker, cue=dash, source_span=source,
                                        confidence=0.9 if speaker else 0.0, speaker_via="signed after a dash"))
                    continue
        else:
            cue_tok, speaker_tok, relay_tok = _partial_speakers(ctx, q)
            via = "cue" if cue_tok is not None else None
            if cue_tok is not None and speaker_tok is None and cue_tok.lemma_.lower() in NAMING_VERBS:
                cue_tok = None  # "a shoot the crew nicknamed "the Long Winter"": a name, not words said
            cue_between = (
                same_para_prev and prev is not None and prev.cue is not None and prev_q is not None
                and prev_q.close is not None and prev_q.close < prev.cue.start < q.open
            )
            if cue_tok is None and not cue_between:
                why = f"quoted words {q.text[:40]!r} have no speaker or speech verb: read as a title or term, not as a quote"
                issues.append(Issue("quotes", QUOTE_NOT_SPEECH, why, content))
                continue
            # with no cue of its own, a fragment right after the previous quote's cue continues it:
            # "You know, I love Larry," he said, but "when it comes to energy ..."

        speaker = source = None
        if speaker_tok is not None:
            _, speaker = ctx.source_of(speaker_tok)
            # the literal source, as PolNeAR marks it: the subject's noun phrase
            # ("Rep. Elijah Cummings of Maryland, the panel's ranking Democrat")
            a, b = source_range(speaker_tok, cue_tok)
            source = Span(a, b, ctx.text[a:b])
        elif kind == "partial":
            # the narration's nearest person before the fragment: his "heart sank"
            people = _people_in(ctx, ctx.tokens(para_start, q.open))
            if people:
                tok, speaker = people[-1]
                source = ctx.source_of(tok)[0]
                via = "nearest person before the fragment"

        continues = None
        if prev is not None and cue_tok is not None and prev.cue is not None and prev.cue.start == cue_tok.idx:
            continues = prev.id  # both halves of a quote split around its cue
        reported_by = ctx.found.by_token.get(relay_tok.i) if relay_tok is not None else None
        hedges = read_hedges(cue_tok) if cue_tok is not None else []
        provenance = provenance_of(cue_tok, ctx.found) if cue_tok is not None else None
        medium = cue_medium(cue_tok) if cue_tok is not None else None
        addressee = cue_addressee(cue_tok, ctx) if cue_tok is not None else None
        if kind == "partial" and relay_tok is not None:
            via = "relayed: words of the speaker reported by another"
        if cue_tok is None and prev is not None and (same_para_prev or q.continues_previous):
            # the next piece of the same utterance: "...," he said. "And more."
            continues, speaker, via = prev.id, prev.speaker, "continues the previous quote"
            medium, hedges, addressee, provenance = prev.medium, list(prev.hedges), prev.addressee, prev.provenance
        elif cue_tok is None:
            speaker, via = _carry_over(ctx, q, para_start, prev)
        if speaker is None and via is None:
            via = "no cue and no speaker in the narration around it"
        if speaker is None:
            issues.append(Issue("quotes", QUOTE_NO_SPEAKER, f"no speaker found for the quote {q.text[:40]!r}: {via}", content))
        quotes.append(
            Quote(
                id=qid,
                kind=kind,
                content=content,
                speaker=speaker,
                cue=_cue_span(cue_tok, ctx.text) if cue_tok is not None else None,
                source_span=source,
                continues=continues,
                reported_by=reported_by,
                addressee=addressee,
                medium=medium,
                hedges=tuple(hedges),
                confidence=_confidence(via, speaker, source),
                speaker_via=via,
                provenance=provenance,
            )
        )
    return quotes, issues


def _without_closing_stop(text: str) -> str:
    """Quoted words less the one stop or comma American style puts inside the marks: a show called "All Bets Are Off."

    Only when no other sentence ends inside them ("The Donald. Big Daddy." stays speech).
    """
    text = text.rstrip()
    if text[-1:] in ".," and text[-2:-1] != "." and not _SENTENCE_END.search(text, 0, len(text) - 1):
        return text[:-1]
    return text


def _source_after(ctx: QuoteContext, cue: Token, start: int, end: int) -> Token | None:
    """The speaker in the narration after a quote when the parse put the cue's subject elsewhere.

    '"...," said Robert McAtee, one of ...' or '"...," Leslie Wimes said': the
    first name, pronoun or person noun of ``[start, end)``, raised to the head
    of its name ("Robert" → "McAtee").
    """
    for tok in ctx.tokens(start, end):
        if tok.i == cue.i or tok.ent_type_ in ("DATE", "TIME"):
            continue
        if tok.pos_ == "PROPN" or _is_agent(ctx, tok):
            while tok.dep_ in ("compound", "flat") and start <= tok.head.idx < end:
                tok = tok.head
            return tok
    return None


def _cue_before_colon(ctx: QuoteContext, para_start: int) -> Token | None:
    """The cue of a quote that opens a paragraph after one ending in a colon ("Sanders put it this way:")."""
    end = para_start
    while end > 0 and ctx.text[end - 1].isspace():
        end -= 1
    if end == 0 or ctx.text[end - 1] != ":":
        return None
    a, b = _segment_before(ctx, ctx.text.rfind("\n", 0, end) + 1, end - 1)  # the sentence the colon ends
    tokens = ctx.tokens(a, b)
    cue = _find_cue(ctx, tokens, after=False)
    if cue is None:
        # "made the following comment:": the colon is the cue's work, the sentence's verb has the subject
        cue = next((t for t in tokens if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")), None)
    return cue


#: A quote signed after its closing mark: "...” ― Sonya Herridge" (a dash, then a name to the end of the line).
_SIGNATURE = re.compile(r"[ \t\u00a0]*(?P<dash>[―—–]|--)[ \t\u00a0]*(?P<name>(?:the )?[A-Z][^\n“”\"]{1,80}?)[ \t\u00a0.]*$", re.MULTILINE)


def _signature(ctx: QuoteContext, q: QuotedSpan, para_end: int) -> tuple[Span, Span, str | None] | None:
    """(dash, name, entity) of a quote signed "― Name" or "— the White House" after its closing mark, or None."""
    if q.close is None:
        return None
    m = _SIGNATURE.match(ctx.text, q.close + 1, para_end)
    if m is None:
        return None
    name = m.group("name")
    if len(name.split()) > 6:
        return None
    dash = Span(m.start("dash"), m.end("dash"), m.group("dash"))
    source = Span(m.start("name"), m.end("name"), name)
    # a person, or the body that speaks: "― Sonya Herridge", "— the White House"
    agents = [ctx.found.by_token[t.i] for t in ctx.tokens(source.start, source.end) if _is_agent(ctx, t) and t.i in ctx.found.by_token]
    return dash, source, agents[0] if agents else None


def _carry_over(ctx: QuoteContext, q: QuotedSpan, para_start: int, prev: Quote | None) -> tuple[str | None, str | None]:
    """Speaker of a cue-less quote from the narration before it in its paragraph."""
    narration = ctx.tokens(para_start, q.open)
    people = _people_in(ctx, narration)
    if people:
        # prefer the subject of a speech-like verb ("with the director describing ...")
        for tok, eid in people:
            if tok.dep_ in SUBJECTS and _is_cue(tok.head):
                return eid, "carry-over: subject of the speech verb in the narration before"
        counts: dict[str, int] = {}
        for _, eid in people:
            counts[eid] = counts.get(eid, 0) + 1
        return max(counts, key=lambda e: (counts[e], -[p[1] for p in people].index(e))), "carry-over: person the narration before is about"
    if ctx.text[para_start:q.open].strip() == "":
        if prev is not None and prev.content.end >= ctx.text.rfind("\n", 0, max(para_start - 1, 0)):
            return prev.speaker, "carry-over: the previous quote's speaker (paragraph of quotes only)"
        prev_start, _ = ctx.paragraph(max(para_start - 2, 0))
        while prev_start > 0 and not ctx.text[prev_start:para_start].strip():
            prev_start, _ = ctx.paragraph(prev_start - 2)
        people = _people_in(ctx, ctx.tokens(prev_start, para_start))
        if people:
            subjects = [eid for tok, eid in people if tok.dep_ in SUBJECTS]
            return (subjects or [people[0][1]])[0], "carry-over: person the previous paragraph is about"
    return None, None


def _confidence(via: str | None, speaker: str | None, source: Span | None) -> float:
    if speaker is None:
        return 0.0
    if via == "cue" and source is not None:
        return 0.9
    if via and via.startswith("relayed"):
        return 0.8
    if via and via.startswith("continues"):
        return 0.85
    return 0.6
