"""First and second person inside quotes: "I" is the speaker, "we" the speaker's side, "you" the addressee.

The entity stage leaves the pronouns inside quote marks alone: they are the
speaker's, not the narrator's. Once the quotes have speakers, ``quote_pronouns``
ties them:

- "I", "me", "my", "mine", "myself" to the quote's speaker;
- "we", "us", "our", "ours", "ourselves" to the speaker's side: the speaker
  when it is an organisation, the organisation a person speaks for when the
  article says so (an ``employed_by`` or ``member_of`` relation, or "a
  spokesman for X" among the person's descriptions), else the speaker;
- "you", "your", ... to the quote's addressee, when the cue names one ("told
  Blake", "said to the court"); in a transcript, a question turn ("Q: Do
  you ...") is addressed to whoever answers it in the next turn.

Only words the speaker says count: a ``mixed`` quote's quoted fragments, and
no nested quotation (someone else's words quoted by the speaker). Reported
speech (``indirect``) is narration and is left out. Outside quotes,
``author_pronouns`` ties "I" to the article's author, only in a first-person
piece whose author the text (a byline) or the input's metadata names. Spans
are half-open character offsets into the article text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storyline.model import Entity, Mention, Quote, Span
from storyline.stages.attribution.speakers import last_number, with_mentions
from storyline.stages.shared.lexicon import SPOKESPERSON_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storyline.stages.attribution.context import QuoteContext
    from storyline.stages.shared.quotemarks import QuotedSpan
    from storyline.stages.shared.resolved import Entities

FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves"})
#: Relations by which a person speaks for an organisation.
SPEAKS_FOR = frozenset({"employed_by", "member_of", "spokesperson_for", "works_for"})
#: A question turn of an interview transcript: "Q: Do you ...", "Q. Why ...".
_QUESTION_TURN = re.compile(r"^[ \t]*[\"“]?Q[:.][ \t]+(?=\S)", re.MULTILINE)
_ORG_TYPES = frozenset({"ORG", "NORP", "GPE"})


def quote_pronouns(
    ctx: QuoteContext, quotes: list[Quote], quoted: list[QuotedSpan]
) -> tuple[dict[str, list[Mention]], dict[int, str]]:
    """The first- and second-person pronouns inside quotes, as mentions of the entities they stand for.

    Args:
        ctx: the lookups of the article.
        quotes: the article's quotes, speakers resolved.
        quoted: the passages of ``scan_quotes``; a nested one (depth above 0)
            is someone else's words and is skipped.

    Returns:
        ``(mentions, by_token)``: entity id -> the ``pronoun`` mentions to add
        (half-open character offsets, ``via`` saying which quote), and the
        token index -> entity id of each.
    """
    nested = [(p.start, p.end) for p in quoted if p.depth > 0]
    mentions: dict[str, list[Mention]] = {}
    by_token: dict[int, str] = {}
    for q in quotes:
        if q.kind == "indirect" or q.speaker is None:
            continue
        side = _side(ctx, q.speaker)
        for span in q.fragments if q.kind == "mixed" and q.fragments else (q.content,):
            for tok in ctx.tokens(span.start, span.end):
                if tok.i in by_token or tok.i in ctx.found.by_token or any(a <= tok.idx < b for a, b in nested):
                    continue
                low = tok.lower_
                if low in FIRST_SINGULAR and tok.text != "US":
                    eid, via = q.speaker, f"first person in a quote by {q.speaker}"
                elif low in FIRST_PLURAL and tok.text != "US":
                    eid, via = side, f"first person plural in a quote by {q.speaker}"
                elif low in SECOND_PERSON and q.addressee is not None and q.addressee != q.speaker:
                    eid, via = q.addressee, f"second person in a quote to {q.addressee}"
                else:
                    continue
                mentions.setdefault(eid, []).append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, "pronoun", via))
                by_token[tok.i] = eid
    _question_turns(ctx, quotes, mentions, by_token)
    return mentions, by_token


def _side(ctx: QuoteContext, speaker: str) -> str:
    """Whom "we" stands for: an organisation speaking, or the one a person speaks for when the article says so."""
    ent = ctx.found.entity(speaker)
    if ent is None or ent.type in _ORG_TYPES:
        return speaker
    bodies = {
        r.object for r in ctx.found.relations
        if r.subject == speaker and r.predicate in SPEAKS_FOR and _is_org(ctx, r.object)
    }
    # "Tom Walsh, a spokesman for the Riverton Police Department"
    for d in ent.attributes.get("descriptions") or []:
        words = str(d).lower().split()
        if len(words) > 2 and words[0] in SPOKESPERSON_NOUNS and words[1] == "for":
            body = " ".join(words[2:]).removeprefix("the ")
            bodies |= {e.id for e in ctx.found.entities if e.type in _ORG_TYPES and e.name.lower().removeprefix("the ") == body}
    return next(iter(bodies)) if len(bodies) == 1 else speaker


def _is_org(ctx: QuoteContext, eid: str) -> bool:
    ent = ctx.found.entity(eid)
    return ent is not None and ent.type in _ORG_TYPES


def _question_turns(
    ctx: QuoteContext, quotes: list[Quote], mentions: dict[str, list[Mention]], by_token: dict[int, str]
) -> None:
    """Tie "you" in a transcript's question turn ("Q: Do you ...") to whoever answers in the next turn."""
    text = ctx.text
    answers = sorted((q for q in quotes if q.speaker is not None and (q.speaker_via or "").startswith("transcript")),
                     key=lambda q: q.content.start)
    for m in _QUESTION_TURN.finditer(text):
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        answer = next((q for q in answers if q.content.start >= end), None)
        if answer is None or answer.speaker is None or "\n\n\n" in text[end : answer.content.start]:
            continue
        turn = Span(m.end(), end, text[m.end() : end])
        for tok in ctx.tokens(turn.start, turn.end):
            if tok.lower_ in SECOND_PERSON and tok.i not in by_token and tok.i not in ctx.found.by_token:
                via = f"second person in a question answered by {answer.speaker}"
                mentions.setdefault(answer.speaker, []).append(
                    Mention(tok.idx, tok.idx + len(tok.text), tok.text, "pronoun", via)
                )
                by_token[tok.i] = answer.speaker


#: A byline near the top of the text: "By Jane Doe".
_BYLINE = re.compile(r"^[ \t]*(?:By|BY)[ \t]+(?P<name>[A-Z][A-Za-z.'’-]+(?:[ \t]+[A-Z][A-Za-z.'’-]+){0,3})[ \t]*$", re.MULTILINE)
#: How far into the text a byline may stand.
_BYLINE_WINDOW = 400
#: A paragraph that is a transcript turn ("Q:", "PENCE:"): its "I" is the turn's speaker, not the author.
_TURN_START = re.compile(r"^[ \t]*[\"“]?[A-Z][A-Z'’.\- ]{0,40}:", re.MULTILINE)
#: The least number of "I"/"me"/"my" in the narration that makes the article a first-person piece.
FIRST_PERSON_NARRATION = 2


def author_pronouns(doc: Doc, found: Entities, quoted: list[QuotedSpan], author: str | None) -> Entities:
    """Tie "I", "me", "my" outside quotes to the article's author, where the text says who writes.

    Only in a first-person piece (``FIRST_PERSON_NARRATION`` such words at
    least in the narration, transcript turns aside) and only when the author
    is known: a byline at the top ("By Jane Doe") or ``author`` from the
    input's metadata. The author is the person of that name when the article
    names one, else a new entity of that name. Spans are half-open character
    offsets into ``doc.text``.

    Returns:
        ``found``, rebuilt with the pronoun mentions (and the author's entity) added.
    """
    text = doc.text
    turns = [(m.start(), text.find("\n", m.start()) % (len(text) + 1)) for m in _TURN_START.finditer(text)]
    spans = [(p.open, p.close if p.close is not None else p.end) for p in quoted]
    firsts = [
        t for t in doc
        if t.lower_ in FIRST_SINGULAR and t.text != "US" and (t.i not in found.by_token or t.dep_ == "poss")
        and not any(a <= t.idx <= b for a, b in spans) and not any(a <= t.idx < b for a, b in turns)
    ]  # a possessive inside a description ("My father") is still the author's word
    if len(firsts) < FIRST_PERSON_NARRATION:
        return found
    byline = _BYLINE.search(text, 0, _BYLINE_WINDOW)
    name = byline.group("name") if byline is not None else (author or "").strip()
    if not name:
        return found
    folded = name.lower()
    ent = next((e for e in found.entities if e.type == "PERSON" and e.name.lower() == folded), None)
    via = "first person outside quotes: the article's author" + (" (byline)" if byline is not None else " (metadata)")
    mentions = [Mention(t.idx, t.idx + len(t.text), t.text, "pronoun", via) for t in firsts]
    new: list[Entity] = []
    eid = ent.id if ent is not None else f"e{last_number(found.entities) + 1}"
    if ent is None:
        own = (Mention(byline.start("name"), byline.end("name"), name, "name", "byline"),) if byline is not None else ()
        new.append(Entity(eid, name, "PERSON", own, (), {"descriptions": ["author"]}))
    return with_mentions(found, {eid: mentions}, new, {t.i: eid for t in firsts if t.i not in found.by_token})
