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

``attribute_quotes`` runs these rules as steps, one function each, over the
``QuoteContext`` of the article; every span is a half-open character range
into the article text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from storyline.errors import QUOTE_NO_SPEAKER, QUOTE_NOT_SPEECH
from storyline.model import Issue, Quote, Span
from storyline.stages.attribution.context import AGENT_TYPES, QuoteContext, cue_addressee, cue_medium
from storyline.stages.attribution.cues import TIME_ENT_TYPES, VERB_POS, cue_range, source_range
from storyline.stages.shared.clauses import SUBJECTS, according_to, subject_of
from storyline.stages.shared.evidence import provenance_of, read_hedges
from storyline.stages.shared.lexicon import CUE_VERBS, HUMAN_NOUNS, NAMING_VERBS, ROLE_NOUNS
from storyline.stages.shared.titles import looks_like_title

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.stages.shared.quotemarks import QuotedSpan
    from storyline.stages.shared.resolved import Entities

_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt))(?<!\b(?:Mrs|Sen|Rep|Gov|Gen|Col|Sgt))"
    r"(?:[.!?](?=[\s\"“”’']|$)|[!?](?=\))|(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\b[A-Z][a-z]{3})(?<!\b[A-Z]\.[A-Z])\.(?=\)))"
)
"""A sentence's end: not the dot of a title or an initial ("Ms. Moore said", "Gen. Flynn", "John F. Kennedy"),
nor of a state in a party label ("Rep. Elijah E. Cummings (D-Md.) said")."""
_CUE_WINDOW = 10  # tokens after a closing mark in which a cue may stand

#: Pronouns that may speak with no entity resolved behind them.
PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you"})
#: How the other words of a name hang on its head ("Robert" on "McAtee").
NAME_PART_DEPS = frozenset({"compound", "flat"})


class _Place(NamedTuple):
    """Where a passage stands: its paragraph and its neighbours."""

    q: QuotedSpan
    para_start: int
    para_end: int
    prev: Quote | None  # the last record made
    prev_q: QuotedSpan | None  # the top-level passage before, whether it became a record or not
    next_open: int  # where the next passage opens (the text's end after the last one)
    same_para_prev: bool  # a record was made, and the passage before opens in this paragraph


class _Reading(NamedTuple):
    """What the parse says of a passage: its kind, its cue, the speaker's and the relaying speaker's tokens."""

    kind: str
    cue: Token | None = None
    speaker: Token | None = None
    relay: Token | None = None
    via: str | None = None


class _CueDetails(NamedTuple):
    """What a cue says of the words besides their speaker."""

    hedges: tuple[str, ...] = ()
    provenance: str | None = None
    medium: str | None = None
    addressee: str | None = None


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
    for n in range(len(top)):
        place = _place(ctx, top, n, quotes[-1] if quotes else None)
        quote, issue = _attribute_passage(ctx, place, f"q{len(quotes) + 1}")
        if quote is not None:
            quotes.append(quote)
        if issue is not None:
            issues.append(issue)
    return quotes, issues


def _place(ctx: QuoteContext, top: list[QuotedSpan], n: int, prev: Quote | None) -> _Place:
    """Find the paragraph and the neighbours of the passage ``top[n]``; ``prev`` is the last record made."""
    q = top[n]
    para_start, para_end = ctx.paragraph(q.open)
    prev_q = top[n - 1] if n else None
    next_open = top[n + 1].open if n + 1 < len(top) else len(ctx.text)
    same_para_prev = prev is not None and prev_q is not None and prev_q.open >= para_start
    return _Place(q, para_start, para_end, prev, prev_q, next_open, same_para_prev)


def _attribute_passage(ctx: QuoteContext, place: _Place, qid: str) -> tuple[Quote | None, Issue | None]:
    """Attribute one passage: the record it makes (none for a title or a term) and the issue it raises.

    A title is not speech; a direct quote takes its cue from around it, or
    else its signature; a fragment takes its speakers from the parse above it.
    Spans are half-open character offsets into the article text.
    """
    q = place.q
    if looks_like_title(_without_closing_stop(q.text)):
        return None, Issue("quotes", QUOTE_NOT_SPEECH, f"quoted words {q.text[:40]!r} read as a title or name, not as speech", _content(q))
    if _is_direct(ctx, q, place.para_start, place.prev_q):
        reading = _read_direct(ctx, place)
        signed = _signed_quote(ctx, place, qid) if reading.cue is None else None
        if signed is not None:
            return signed, None
    else:
        partial = _read_partial(ctx, place)
        if partial is None:
            why = f"quoted words {q.text[:40]!r} have no speaker or speech verb: read as a title or term, not as a quote"
            return None, Issue("quotes", QUOTE_NOT_SPEECH, why, _content(q))
        reading = partial
    return _record(ctx, place, reading, qid)


def _record(ctx: QuoteContext, place: _Place, reading: _Reading, qid: str) -> tuple[Quote, Issue | None]:
    """Make the record of a passage from its reading, and the issue when no speaker was found.

    With no cue of its own, a passage continues the previous quote or takes
    the speaker of the narration around it. Spans are half-open character
    offsets into the article text.
    """
    q, cue = place.q, reading.cue
    speaker, source, via = _speaker_and_source(ctx, place, reading)
    continues = _split_around_cue(place.prev, cue)
    reported_by = ctx.found.by_token.get(reading.relay.i) if reading.relay is not None else None
    details = _cue_details(ctx, cue)
    if reading.kind == "partial" and reading.relay is not None:
        via = "relayed: words of the speaker reported by another"
    before = _continued(place) if cue is None else None
    if before is not None:
        continues, speaker, via = before.id, before.speaker, "continues the previous quote"
        source = source or before.source_span
        details = _CueDetails(tuple(before.hedges), before.provenance, before.medium, before.addressee)
    elif cue is None:
        speaker, via, source = _carry_over(ctx, q, place.para_start, place.prev)
    if speaker is None and via is None:
        via = "no cue and no speaker in the narration around it"
    issue = None
    if speaker is None:
        issue = Issue("quotes", QUOTE_NO_SPEAKER, f"no speaker found for the quote {q.text[:40]!r}: {via}", _content(q))
    quote = Quote(
        id=qid,
        kind=reading.kind,
        content=_content(q),
        speaker=speaker,
        cue=_cue_span(cue, ctx.text) if cue is not None else None,
        source_span=source,
        continues=continues,
        reported_by=reported_by,
        addressee=details.addressee,
        medium=details.medium,
        hedges=details.hedges,
        confidence=_confidence(via, speaker, source),
        speaker_via=via,
        provenance=details.provenance,
    )
    return quote, issue


def _content(q: QuotedSpan) -> Span:
    """Return the words of a passage, without its marks, as a half-open span."""
    return Span(q.start, q.end, q.text)


def _is_direct(ctx: QuoteContext, q: QuotedSpan, para_start: int, prev_q: QuotedSpan | None = None) -> bool:
    """Tell a direct quote from a partial one: whether the passage is an utterance of its own.

    It is when it opens its paragraph or sentence, follows a colon or a quote,
    reopens a quote left open, follows a comma with a capital, or is a whole
    capitalised sentence; or when it resumes a quote split around its cue
    ('"We were never against it," Osei said, "we were against ..."').
    """
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


def _read_direct(ctx: QuoteContext, place: _Place) -> _Reading:
    """Read a direct quote: its cue after the closing mark, else before the opening one (no cue: neither)."""
    a, b = _segment_after(ctx, place.q, min(place.para_end, place.next_open))
    cue = _find_cue(ctx, ctx.tokens(a, b), after=True)
    if cue is not None:
        return _Reading("direct", cue, _speaker_after(ctx, cue, a, b), via="cue")
    cue = _cue_before(ctx, place)
    if cue is not None:
        return _Reading("direct", cue, subject_of(cue), via="cue")
    return _Reading("direct")


def _speaker_after(ctx: QuoteContext, cue: Token, start: int, end: int) -> Token | None:
    """Find the speaker of a cue after the closing mark: its subject, when that stands in ``[start, end)``.

    Otherwise the first name or pronoun there ('"...," said Robert McAtee'),
    or the subject wherever the parse put it when there is none.
    """
    speaker = subject_of(cue)
    if speaker is None or not start <= speaker.idx < end:
        speaker = _source_after(ctx, cue, start, end) or speaker
    return speaker


def _cue_before(ctx: QuoteContext, place: _Place) -> Token | None:
    """Find the cue before the opening mark: in a sentence that ends in a colon or comma ('She said: "').

    A passage that opens its paragraph after a record in another one looks
    back to a paragraph that ends in a colon ("Sanders put it this way:").
    """
    q, prev_q = place.q, place.prev_q
    floor = max(place.para_start, (prev_q.close or prev_q.end) + 1 if place.same_para_prev and prev_q else place.para_start)
    a, b = _segment_before(ctx, floor, q.open)
    before = ctx.text[a:b].rstrip()
    if before.endswith((":", ",")):
        return _find_cue(ctx, ctx.tokens(a, b), after=False)
    if not before and not place.same_para_prev:
        return _cue_before_colon(ctx, place.para_start)
    return None


def _signed_quote(ctx: QuoteContext, place: _Place, qid: str) -> Quote | None:
    """Make the record of a direct quote signed after its closing mark ("― Sonya Herridge"), or None.

    Spans are half-open character offsets into the article text.
    """
    signed = _signature(ctx, place.q, place.para_end)
    if signed is None:
        return None
    dash, source, speaker = signed
    return Quote(id=qid, kind="direct", content=_content(place.q), speaker=speaker, cue=dash, source_span=source,
                 confidence=0.9 if speaker else 0.0, speaker_via="signed after a dash")


def _read_partial(ctx: QuoteContext, place: _Place) -> _Reading | None:
    """Read a fragment in narration: its speakers from the parse, or None when it is no one's words.

    A naming verb with no speaker is not a cue ('a shoot the crew nicknamed
    "the Long Winter"'). With no cue of its own, a fragment right after the
    previous quote's cue continues it ('"You know, I love Larry," he said, but
    "when it comes to energy ..."'); otherwise it is a title or a term.
    """
    cue, speaker, relay = _partial_speakers(ctx, place.q)
    via = "cue" if cue is not None else None
    if cue is not None and speaker is None and cue.lemma_.lower() in NAMING_VERBS:
        cue = None  # a name, not words said
    if cue is None and not _cue_between(place):
        return None
    return _Reading("partial", cue, speaker, relay, via)


def _cue_between(place: _Place) -> bool:
    """Whether the previous record's cue stands between the passage before and this one, in its paragraph."""
    prev, prev_q = place.prev, place.prev_q
    return (
        place.same_para_prev and prev is not None and prev.cue is not None and prev_q is not None
        and prev_q.close is not None and prev_q.close < prev.cue.start < place.q.open
    )


def _speaker_and_source(ctx: QuoteContext, place: _Place, reading: _Reading) -> tuple[str | None, Span | None, str | None]:
    """Resolve the speaker token to its entity and source phrase: ``(speaker, source, via)``.

    With no speaker token, a fragment's speaker is the narration's nearest
    person before it: his "heart sank". The source is a half-open span.
    """
    if reading.speaker is not None:
        _, speaker = ctx.source_of(reading.speaker)
        # the literal source, as PolNeAR marks it: the subject's noun phrase
        # ("Rep. Elijah Cummings of Maryland, the panel's ranking Democrat")
        a, b = source_range(reading.speaker, reading.cue)
        return speaker, Span(a, b, ctx.text[a:b]), reading.via
    if reading.kind == "partial":
        people = _people_in(ctx, ctx.tokens(place.para_start, place.q.open))
        if people:
            tok, speaker = people[-1]
            return speaker, ctx.source_of(tok)[0], "nearest person before the fragment"
    return None, None, reading.via


def _split_around_cue(prev: Quote | None, cue: Token | None) -> str | None:
    """Return the id of the previous record when it shares this passage's cue: both halves of a quote split around it."""
    if prev is not None and cue is not None and prev.cue is not None and prev.cue.start == cue.idx:
        return prev.id
    return None


def _continued(place: _Place) -> Quote | None:
    """Return the record a cue-less passage continues, the next piece of one utterance ('...," he said. "And more.'), or None."""
    if place.prev is not None and (place.same_para_prev or place.q.continues_previous):
        return place.prev
    return None


def _cue_details(ctx: QuoteContext, cue: Token | None) -> _CueDetails:
    """Read the hedges, provenance, medium and addressee on a cue (none without one)."""
    if cue is None:
        return _CueDetails()
    return _CueDetails(tuple(read_hedges(cue)), provenance_of(cue, ctx.found), cue_medium(cue), cue_addressee(cue, ctx))


def _is_cue(tok: Token) -> bool:
    """Whether a token is a speech verb of the lexicon, or the "according" of "according to"."""
    return tok.pos_ in VERB_POS and tok.lemma_.lower() in CUE_VERBS or according_to(tok) is not None


def _cue_span(tok: Token, text: str) -> Span:
    """Return the cue words, half-open: the verb, with "heard ... saying" kept together."""
    start, end = cue_range(tok)  # with its auxiliaries and negation, "according to" whole
    for c in tok.children:
        if c.dep_ == "xcomp" and c.lemma_.lower() == "say" and c.i == tok.i + 1:
            end = c.idx + len(c.text)
    return Span(start, end, text[start:end])


def _find_cue(ctx: QuoteContext, tokens: list[Token], *, after: bool) -> Token | None:
    """Find a speech verb in the narration next to a quote: the first after it, the last before it."""
    window = tokens[:_CUE_WINDOW] if after else tokens
    cues = [t for t in window if _is_cue(t)]
    if not cues:
        return None
    # "was heard saying": prefer the verb that carries the subject
    return cues[0] if after else cues[-1]


def _segment_after(ctx: QuoteContext, q: QuotedSpan, limit: int) -> tuple[int, int]:
    """Return the narration after a passage up to the end of its sentence (or ``limit``), as (start, end)."""
    start = (q.close + 1) if q.close is not None else q.end
    m = _SENTENCE_END.search(ctx.text, start, limit)
    return start, (m.end() if m else limit)


def _segment_before(ctx: QuoteContext, floor: int, end: int) -> tuple[int, int]:
    """Return the last sentence of ``text[floor:end]``, as (start, end)."""
    ends = list(_SENTENCE_END.finditer(ctx.text[floor:end]))
    return (floor + ends[-1].end() if ends else floor), end


def _people_in(ctx: QuoteContext, tokens: list[Token]) -> list[tuple[Token, str]]:
    """Return the tokens of ``tokens`` that belong to a person, with the person's id."""
    out = []
    for t in tokens:
        ent = ctx.found.entity(ctx.found.by_token.get(t.i))
        if ent is not None and ent.type == "PERSON":
            out.append((t, ent.id))
    return out


def _can_speak(ctx: QuoteContext, tok: Token) -> bool:
    """Whether a subject can be a speaker: a person or organisation, or a personal pronoun."""
    ent = ctx.found.entity(ctx.found.by_token.get(tok.i))
    if ent is not None:
        return ent.type in AGENT_TYPES
    return tok.lower_ in PERSONAL_PRONOUNS or tok.lemma_.lower() in HUMAN_NOUNS or tok.lower_ in ROLE_NOUNS


def _partial_speakers(ctx: QuoteContext, q: QuotedSpan) -> tuple[Token | None, Token | None, Token | None]:
    """Find a fragment's (cue, speaker token, relaying speaker token) in the speech verbs above it.

    The first speech or naming verb up the parse is the cue and its subject the
    speaker (a later verb's subject when the first has none); a higher one
    with another speaker relays the words: X recalling Y calling them "titans".
    """
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
        if subj is not None and not _can_speak(ctx, subj):
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


def _without_closing_stop(text: str) -> str:
    """Return quoted words less the one stop or comma American style puts inside the marks: a show called "All Bets Are Off."

    Only when no other sentence ends inside them ("The Donald. Big Daddy." stays speech).
    """
    text = text.rstrip()
    if text[-1:] in ".," and text[-2:-1] != "." and not _SENTENCE_END.search(text, 0, len(text) - 1):
        return text[:-1]
    return text


def _source_after(ctx: QuoteContext, cue: Token, start: int, end: int) -> Token | None:
    """Find the speaker in the narration after a quote when the parse put the cue's subject elsewhere.

    '"...," said Robert McAtee, one of ...' or '"...," Leslie Wimes said': the
    first name, pronoun or person noun of ``[start, end)``, raised to the head
    of its name ("Robert" → "McAtee").
    """
    for tok in ctx.tokens(start, end):
        if tok.i == cue.i or tok.ent_type_ in TIME_ENT_TYPES:
            continue
        if tok.pos_ == "PROPN" or _can_speak(ctx, tok):
            while tok.dep_ in NAME_PART_DEPS and start <= tok.head.idx < end:
                tok = tok.head
            return tok
    return None


def _cue_before_colon(ctx: QuoteContext, para_start: int) -> Token | None:
    """Find the cue of a quote that opens a paragraph after one ending in a colon ("Sanders put it this way:")."""
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
        cue = next((t for t in tokens if t.dep_ == "ROOT" and t.pos_ in VERB_POS), None)
    return cue


#: A quote signed after its closing mark: "...” ― Sonya Herridge" (a dash, then a name to the end of the line).
_SIGNATURE = re.compile(r"[ \t\u00a0]*(?P<dash>[―—–]|--)[ \t\u00a0]*(?P<name>(?:the )?[A-Z][^\n“”\"]{1,80}?)[ \t\u00a0.]*$", re.MULTILINE)


def _signature(ctx: QuoteContext, q: QuotedSpan, para_end: int) -> tuple[Span, Span, str | None] | None:
    """Return (dash, name, entity) of a quote signed "― Name" or "— the White House" after its closing mark, or None."""
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
    agents = [ctx.found.by_token[t.i] for t in ctx.tokens(source.start, source.end) if _can_speak(ctx, t) and t.i in ctx.found.by_token]
    return dash, source, agents[0] if agents else None


def _carry_over(ctx: QuoteContext, q: QuotedSpan, para_start: int, prev: Quote | None) -> tuple[str | None, str | None, Span | None]:
    """Find the speaker of a cue-less quote in the narration before it: ``(speaker, via, source)``.

    The people of its paragraph before it; with no narration there, the
    previous quote's speaker in a paragraph of quotes, or the person the
    previous paragraph is about. The source is the mention the speaker was
    taken from (half-open), as PolNeAR marks it: "Vitter" in the narration
    before the quote.
    """
    people = _people_in(ctx, ctx.tokens(para_start, q.open))
    if people:
        return _narration_speaker(ctx, people)
    if ctx.text[para_start:q.open].strip() == "":
        return _speaker_before_paragraph(ctx, para_start, prev)
    return None, None, None


def _narration_speaker(ctx: QuoteContext, people: list[tuple[Token, str]]) -> tuple[str, str, Span]:
    """Pick the speaker among the people of the narration: ``(speaker, via, source)``.

    The subject of a speech-like verb ("with the director describing ..."),
    else the person named most often (the first of them on a tie); the source
    is that person's last mention there.
    """
    for tok, eid in people:
        if tok.dep_ in SUBJECTS and _is_cue(tok.head):
            return eid, "carry-over: subject of the speech verb in the narration before", ctx.source_of(tok)[0]
    counts: dict[str, int] = {}
    for _, eid in people:
        counts[eid] = counts.get(eid, 0) + 1
    best = max(counts, key=lambda e: (counts[e], -[p[1] for p in people].index(e)))
    last = [tok for tok, eid in people if eid == best][-1]
    return best, "carry-over: person the narration before is about", ctx.source_of(last)[0]


def _speaker_before_paragraph(ctx: QuoteContext, para_start: int, prev: Quote | None) -> tuple[str | None, str | None, Span | None]:
    """Find the speaker of a quote that opens its paragraph in the paragraphs before: ``(speaker, via, source)``."""
    if prev is not None and prev.content.end >= ctx.text.rfind("\n", 0, max(para_start - 1, 0)):
        return prev.speaker, "carry-over: the previous quote's speaker (paragraph of quotes only)", prev.source_span
    prev_start, _ = ctx.paragraph(max(para_start - 2, 0))
    while prev_start > 0 and not ctx.text[prev_start:para_start].strip():
        prev_start, _ = ctx.paragraph(prev_start - 2)
    people = _people_in(ctx, ctx.tokens(prev_start, para_start))
    if people:
        subjects = [(tok, eid) for tok, eid in people if tok.dep_ in SUBJECTS]
        tok, eid = (subjects or people)[0]
        return eid, "carry-over: person the previous paragraph is about", ctx.source_of(tok)[0]
    return None, None, None


def _confidence(via: str | None, speaker: str | None, source: Span | None) -> float:
    """Rate an attribution by how its speaker was found: a cue with its source highest, none at all 0."""
    if speaker is None:
        return 0.0
    if via == "cue" and source is not None:
        return 0.9
    if via and via.startswith("relayed"):
        return 0.8
    if via and via.startswith("continues"):
        return 0.85
    return 0.6
