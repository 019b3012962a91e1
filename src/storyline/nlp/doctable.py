"""A parsed ``Doc`` read once into plain Python lists.

Every ``doc[i]`` and every step of ``for tok in doc`` builds a new spaCy
``Token``, and every ``tok.lower_`` / ``tok.dep_`` looks its string up in the
vocabulary again; the stages ask such questions of each token many times
over. ``DocTable`` reads the attributes the stages use once per article
(``Doc.to_array``, one string lookup per distinct value) so that scans over
the whole article are list indexing. Token objects are still the way to walk
the tree (children, subtree, ancestors) at the few places that need it; the
table reads the ``Doc`` as it is when built, so build it after the parse.

The lists hold exactly what the ``Token`` properties return: ``lower[i] ==
doc[i].lower_``, ``head[i] == doc[i].head.i``, ``ws[i] == bool(doc[i].whitespace_)``,
``sent_bounds(i) == (doc[i].sent.start, doc[i].sent.end)`` and so on;
``text == doc.text``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["DocTable"]


#: Hash -> string, shared by every document: a string's hash is the same in every spaCy
#: ``StringStore`` (and a symbol's id names the same symbol), and looking a hash up in the store
#: costs far more than a dict lookup. Cleared when it grows past ``_STRINGS_MAX``.
_STRINGS: dict[int, str] = {}
_STRINGS_MAX = 1_000_000
# string attributes first (a POS value is a symbol id, which the store names too), then numbers
_ATTRS: list[int | str] = ["ORTH", "LOWER", "LEMMA", "TAG", "DEP", "POS", "HEAD", "IDX", "SPACY", "IS_PUNCT", "IS_SPACE", "LIKE_NUM"]


class DocTable:
    """Token attributes of one ``Doc`` as lists indexed by token position.

    Attributes:
        doc: the ``Doc`` read.
        n: its number of tokens.
        text: ``doc.text`` (which spaCy rebuilds on every read).
        orth, lower, lemma, pos, tag, dep: ``text``, ``lower_``, ``lemma_``,
            ``pos_``, ``tag_``, ``dep_`` per token.
        head: the index of each token's head (its own index at a root).
        idx: character offset of each token.
        ws, is_punct, is_space, like_num: 1 where the token has trailing
            whitespace, is punctuation, is space, looks like a number; else 0.
    """

    __slots__ = ("_sents", "dep", "doc", "head", "idx", "is_punct", "is_space", "lemma", "like_num", "lower", "n",
                 "orth", "pos", "tag", "text", "ws")

    def __init__(self, doc: Doc) -> None:
        import numpy

        self.doc = doc
        n = self.n = len(doc)
        values = doc.to_array(_ATTRS)
        strings = _STRINGS
        if len(strings) > _STRINGS_MAX:
            strings.clear()
        store = doc.vocab.strings
        rows: list[list[int]] = values.T.tolist() if n else [[] for _ in _ATTRS]
        columns: list[list[str]] = []
        get = strings.get
        for hashes in rows[:6]:  # ORTH ... POS: the store is asked only for a value not seen before
            names = [get(h) for h in hashes]
            if None in names:
                for k, h in enumerate(hashes):
                    if names[k] is None:
                        names[k] = strings[h] = store[h]
            columns.append(names)  # type: ignore[arg-type]  # no None is left
        self.orth, self.lower, self.lemma, self.tag, self.dep, self.pos = columns
        # HEAD is the offset to the head, as an unsigned number: back to signed, then to an index
        self.head: list[int] = (numpy.arange(n, dtype=numpy.int64) + values[:, 6].astype(numpy.int64)).tolist()
        self.idx, self.ws, self.is_punct, self.is_space, self.like_num = rows[7:]
        self.text = "".join([o + " " if s else o for o, s in zip(self.orth, self.ws, strict=True)])
        self._sents: tuple[list[int], list[tuple[int, int]]] | None = None

    def _read_sents(self) -> tuple[list[int], list[tuple[int, int]]]:
        if self._sents is None:
            bounds: list[tuple[int, int]] = []
            sent_of = [0] * self.n
            for k, sent in enumerate(self.doc.sents):
                bounds.append((sent.start, sent.end))
                sent_of[sent.start:sent.end] = [k] * (sent.end - sent.start)
            self._sents = (sent_of, bounds)
        return self._sents

    @property
    def sent_of(self) -> list[int]:
        """The number of each token's sentence (``doc.sents`` order)."""
        return self._read_sents()[0]

    def sent_bounds(self, i: int) -> tuple[int, int]:
        """``(doc[i].sent.start, doc[i].sent.end)``."""
        sent_of, bounds = self._read_sents()
        return bounds[sent_of[i]]

    def span_text(self, a: int, b: int) -> str:
        """``doc[a:b].text``."""
        if a >= b:
            return self.doc[a:b].text
        return self.text[self.idx[a]:self.idx[b - 1] + len(self.orth[b - 1])]

    def char_span(self, a: int, b: int) -> tuple[int, int, str]:
        """``(span.start_char, span.end_char, span.text)`` of ``span = doc[a:b]``."""
        if a >= b:
            span = self.doc[a:b]
            return span.start_char, span.end_char, span.text
        start, end = self.idx[a], self.idx[b - 1] + len(self.orth[b - 1])
        return start, end, self.text[start:end]
