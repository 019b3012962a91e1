"""What the attribution rules share: the lookups of one article, and what a cue says besides its speaker.

``attribute`` builds one ``QuoteContext`` per article and hands it to
``quotes`` (passages in quote marks) and to the merging of reported speech in
``attributions``: the mention under each token, the tokens of a character
range, the paragraph around an offset, and the source phrase a subject token
stands for. ``cue_medium`` and ``cue_addressee`` read the channel and the
addressee on a cue, for quoted and reported words alike.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from storyline.model import Mention, Span
from storyline.stages.shared.clauses import according_to
from storyline.stages.shared.lexicon import MEDIUM_NOUNS, SPOKESPERSON_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.nlp.doctable import DocTable
    from storyline.stages.shared.resolved import Entities

#: Entity types that can speak: a person, or a body that speaks as one.
AGENT_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: The compact left part of an unresolved noun phrase that belongs to its head ("the spokesman").
PHRASE_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "nummod"})
#: Prepositions that introduce the channel of the words on their cue: "said in a statement", "posted on Twitter".
MEDIUM_PREPS = frozenset({"in", "on", "via", "during", "through"})
#: Dependents of "tell" that name whom the words were for: "told Blake", "told him".
TOLD_DEPS = frozenset({"dobj", "dative"})


class QuoteContext:
    """Lookups shared by every quote of one article, built once per article by ``attribute``.

    The mention under each token (``mention_of``), token start offsets for
    finding the tokens of a character range, and the article's paragraphs.
    """

    def __init__(self, doc: Doc, found: Entities, table: DocTable | None = None) -> None:
        self.doc = doc
        self.text = table.text if table is not None else doc.text
        self.found = found
        self.mention_of: dict[int, Mention] = {}
        for ent in found.entities:
            for m in ent.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None:
                    continue
                for tok in span:
                    # epithet role words win over the title inside them
                    if tok.i not in self.mention_of or m.kind == "epithet" and found.by_token.get(tok.i) == ent.id:
                        self.mention_of[tok.i] = m
        self.starts = list(table.idx) if table is not None else [tok.idx for tok in doc]

    def tokens(self, start: int, end: int) -> list[Token]:
        """Return the tokens that start inside the character range ``[start, end)``."""
        a = bisect.bisect_left(self.starts, max(start, 0))
        b = bisect.bisect_left(self.starts, end)
        return list(self.doc[a:b])

    def paragraph(self, at: int) -> tuple[int, int]:
        """Return the paragraph (line) that holds character ``at``, as a half-open ``(start, end)``."""
        start = self.text.rfind("\n", 0, at) + 1
        end = self.text.find("\n", at)
        return start, len(self.text) if end < 0 else end

    def source_of(self, tok: Token) -> tuple[Span, str | None]:
        """Return the mention a subject token belongs to, and its entity id.

        The span is a half-open character range into the article text.
        """
        m = self.mention_of.get(tok.i)
        eid = self.found.by_token.get(tok.i)
        if m is not None:
            # a title before the name belongs to the source: "Officer Tusk", "Senator Hale"
            titles = [c for c in tok.lefts if c.dep_ == "compound" and c.text[:1].isupper() and c.idx < m.start and self.found.by_token.get(c.i) in (None, eid)]
            start = min([c.idx for c in titles] + [m.start])
            return Span(start, m.end, self.text[start:m.end]), eid
        if eid is None and tok.lower_ in SPOKESPERSON_NOUNS:
            spoken_for = self._spoken_for(tok)
            if spoken_for is not None:
                return spoken_for
        # an unresolved noun phrase: its compact left part up to the head ("the spokesman")
        left = min([c.i for c in tok.lefts if c.dep_ in PHRASE_LEFT_DEPS] + [tok.i])
        span = self.doc[left:tok.i + 1]
        return Span(span.start_char, span.end_char, span.text), eid

    def _spoken_for(self, tok: Token) -> tuple[Span, str] | None:
        """Return "a spokesperson for Ironbridge" and the organisation: words spoken for it, or None."""
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "for":
                for obj in prep.children:
                    org = self.found.by_token.get(obj.i)
                    if org is not None:
                        left = min([c.i for c in tok.lefts] + [tok.i])
                        span = self.doc[left:obj.right_edge.i + 1]
                        return Span(span.start_char, span.end_char, span.text), org
        return None


def cue_medium(tok: Token) -> str | None:
    """Return the channel named on the cue: "said in a statement", "added in the audio"."""
    for verb in (tok, *[c for c in tok.children if c.dep_ == "xcomp"]):
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in MEDIUM_PREPS:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        compound = " ".join(c.lower_ for c in obj.lefts if c.dep_ == "compound")
                        full = f"{compound} {obj.lower_}".strip()
                        if full in MEDIUM_NOUNS or obj.lemma_.lower() in MEDIUM_NOUNS:
                            return full
    return None


def cue_addressee(tok: Token, ctx: QuoteContext) -> str | None:
    """Return whom the words were for: "told Blake", "said to the court"."""
    if according_to(tok) is not None:
        return None  # "according to X" names the source, not an addressee
    for c in tok.children:
        if tok.lemma_.lower() == "tell" and c.dep_ in TOLD_DEPS:
            return ctx.found.by_token.get(c.i)
        if c.dep_ == "prep" and c.lower_ == "to":
            for obj in c.children:
                if obj.dep_ == "pobj":
                    return ctx.found.by_token.get(obj.i)
    return None
