"""The sm model's rule lemmatizer, remembered: same lemmas, a fraction of the time.

spaCy's rule lemmatizer keeps a cache, but still visits every token from
Python (a ``Token`` object, a morphology lookup, a method call each). News
repeats its words, so this wrapper reads ``ORTH``, ``POS``, ``MORPH`` and
``LEMMA`` as one array, asks the wrapped lemmatizer only for a combination it
has not seen, and writes the lemmas back as one array. A lemma already set
(by the attribute ruler: "gonna" → "go") is kept, as the lemmatizer keeps it
(``overwrite = False``). The output is identical token for token
(``tests/test_nlp.py`` checks it on the project's examples).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from thinc.types import Ints2d

#: Combinations remembered per process before the memory is cleared (a bound for endless streams).
MAX_REMEMBERED = 500_000


class WrappedComponent:
    """A pipeline component that stands in for ``inner``: its other attributes show through."""

    def __init__(self, inner: Any, default_name: str) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", default_name)

    def __call__(self, doc: Doc) -> Doc:
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Run over a stream of docs, one at a time (``batch_size`` is spaCy's, and unused)."""
        for doc in docs:
            yield self(doc)

    def __getattr__(self, name: str) -> Any:  # labels, cfg, mode, ... of the wrapped component
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


class RememberingLemmatizer(WrappedComponent):
    """Calls ``inner.lemmatize`` once per (form, part of speech, morphology)."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner, "lemmatizer")
        self._lemma_of: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if len(self._lemma_of) > MAX_REMEMBERED:
            self._lemma_of.clear()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        lemmas = np.zeros((len(rows), 1), dtype="uint64")
        known = self._lemma_of
        strings = doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma:
                lemmas[i, 0] = lemma
                continue
            key = (orth, pos, morph)
            value = known.get(key)
            if value is None:
                value = known[key] = strings.add(self.inner.lemmatize(doc[i])[0])
            lemmas[i, 0] = value
        doc.from_array([LEMMA], cast("Ints2d", lemmas))
        return doc
