"""The sm model's attribute ruler, remembered: same attributes, a fraction of the time.

The attribute ruler maps each fine tag (and a few words) to a part of speech,
morphology and sometimes a lemma, with 179 token patterns; spaCy applies
every match from Python, several per token. Most patterns look at one token's
tag and lower-cased form only, so what they give a token follows from its form,
tag and dependency label: this wrapper works that out once per (form, tag,
label) with the same patterns, runs spaCy's matcher only for the few patterns
that span two tokens, applies all matches in pattern order as
the ruler does (a later pattern wins), and writes the result as arrays. The
output is identical token for token (``tests/test_lemmas.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .lemmas import WrappedComponent

if TYPE_CHECKING:
    from spacy.tokens import Doc

_SIMPLE_KEYS = frozenset({"TAG", "LOWER", "IS_SPACE", "ORTH", "TEXT", "DEP"})
_ARRAY_ATTRS = ("POS", "MORPH", "LEMMA")
MAX_REMEMBERED = 200_000


def _is_simple(patterns: list[list[dict[str, Any]]], index: int) -> bool:
    return index in (0, -1) and all(len(p) == 1 and set(p[0]) <= _SIMPLE_KEYS for p in patterns)


class RememberingAttributeRuler(WrappedComponent):
    """Applies ``inner``'s patterns, working out the one-token ones once per (form, tag, label)."""

    def __init__(self, inner: Any) -> None:
        from spacy.matcher import Matcher

        super().__init__(inner, "attribute_ruler")
        vocab = inner.vocab
        self._simple = Matcher(vocab, validate=False)
        self._complex = Matcher(vocab, validate=False)
        for attr_id, entry in enumerate(inner.patterns):
            target = self._simple if _is_simple(entry["patterns"], entry["index"]) else self._complex
            target.add(str(attr_id), entry["patterns"])
        self._has_complex = len(self._complex) > 0
        from spacy.attrs import IDS

        self._columns = [IDS[a] for a in _ARRAY_ATTRS]
        self._ids_of: dict[tuple[int, ...], tuple[tuple[int, ...], tuple[int | None, ...], dict[int, int]]] = {}
        self._merged: dict[tuple[int, ...], tuple[tuple[int, ...], tuple[int | None, ...], dict[int, int]]] = {}

    def _simple_ids(self, orth: int, tag: int, dep: int) -> tuple[int, ...]:
        """The one-token patterns a token of this form, tag and dependency label matches."""
        from spacy.tokens import Doc

        vocab = self.inner.vocab
        strings = vocab.strings
        one = Doc(vocab, words=[strings[orth]], spaces=[False])
        one[0].tag = tag
        if dep:
            one[0].dep = dep
        return tuple(sorted(int(strings[m]) for m, _, _ in self._simple(one, allow_missing=True)))

    def _resolve(self, ids: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int | None, ...], dict[int, int]]:
        """What patterns ``ids`` (in pattern order, a later one winning) set: array values, then the rest."""
        key = ids
        found = self._merged.get(key)
        if found is None:
            merged: dict[int, int] = {}
            for attr_id in ids:
                merged.update(self.inner.attrs[attr_id])
            values = tuple(merged.get(c) for c in self._columns)
            rest = {a: v for a, v in merged.items() if a not in self._columns}
            found = self._merged[key] = (ids, values, rest)
        return found

    def __call__(self, doc: Doc) -> Doc:
        import numpy as np
        from spacy.attrs import DEP, ORTH, TAG
        from spacy.tokens._retokenize import set_token_attrs

        n = len(doc)
        if not n:
            return doc
        if len(self._ids_of) > MAX_REMEMBERED:
            self._ids_of.clear()
        ids_of = self._ids_of
        info = []
        for key in map(tuple, doc.to_array([ORTH, TAG, DEP]).tolist()):
            found = ids_of.get(key)
            if found is None:
                found = ids_of[key] = self._resolve(self._simple_ids(*key))
            info.append(found)
        if self._has_complex:
            strings = doc.vocab.strings
            extra: dict[int, list[int]] = {}
            for match_id, start, end in self._complex(doc, allow_missing=True):
                attr_id = int(strings[match_id])
                index = self.inner.indices[attr_id]
                at = start + index if index >= 0 else end + index
                if not start <= at < end:
                    return self.inner(doc)  # the ruler's own error, with its own message
                extra.setdefault(at, []).append(attr_id)
            for at, more in extra.items():
                info[at] = self._resolve(tuple(sorted((*info[at][0], *more))))
        current = doc.to_array(self._columns).tolist()
        values = np.array(
            [[c if v is None else v for v, c in zip(found[1], row)] for found, row in zip(info, current)],
            dtype="uint64",
        )
        doc.from_array(self._columns, values)
        for i, found in enumerate(info):
            if found[2]:  # a tag or dependency label set by a pattern: rare, token by token
                set_token_attrs(doc[i], found[2])
        return doc
