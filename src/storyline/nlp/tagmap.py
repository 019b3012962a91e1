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

from typing import TYPE_CHECKING, Any, cast

from storyline.nlp.lemmas import WrappedComponent

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from thinc.types import Ints2d

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
        # whether a multi-token pattern may start in a Doc: the matcher runs only then
        self._starts = _StartGate(vocab, [e["patterns"] for e in inner.patterns
                                          if not _is_simple(e["patterns"], e["index"])])
        self._ids_of: dict[tuple[int, ...], int] = {}  # (form, tag, label) -> row of the tables below
        self._merged: dict[tuple[int, ...], int] = {}  # pattern ids -> row
        # per row: the pattern ids, what they set outside the arrays, the array values (0 where unset)
        # and which of them are set; the last two also as arrays, rebuilt when rows are added
        self._ids: list[tuple[int, ...]] = []
        self._rest: list[dict[int, int]] = []
        self._values: list[tuple[int, ...]] = []
        self._sets: list[tuple[bool, ...]] = []
        self._arrays: tuple[Any, Any, Any] | None = None

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

    def _resolve(self, ids: tuple[int, ...]) -> int:
        """The row of what patterns ``ids`` (in pattern order, a later one winning) set."""
        row = self._merged.get(ids)
        if row is None:
            merged: dict[int, int] = {}
            for attr_id in ids:
                merged.update(self.inner.attrs[attr_id])
            values = tuple(merged.get(c) for c in self._columns)
            row = self._merged[ids] = len(self._ids)
            self._ids.append(ids)
            self._rest.append({a: v for a, v in merged.items() if a not in self._columns})
            self._values.append(tuple(0 if v is None else v for v in values))
            self._sets.append(tuple(v is not None for v in values))
            self._arrays = None
        return row

    def _tables(self) -> tuple[Any, Any, Any]:
        """The rows' array values, which of them are set, and whether a row sets anything else; as arrays."""
        if self._arrays is None:
            import numpy as np

            self._arrays = (np.array(self._values, dtype="uint64"), np.array(self._sets, dtype=bool),
                            np.array([bool(r) for r in self._rest], dtype=bool))
        return self._arrays

    def __call__(self, doc: Doc) -> Doc:
        import numpy as np
        from spacy.attrs import DEP, LOWER, ORTH, TAG
        from spacy.tokens._retokenize import set_token_attrs

        n = len(doc)
        if not n:
            return doc
        if len(self._ids_of) > MAX_REMEMBERED:
            self._ids_of.clear()
        ids_of = self._ids_of
        read = doc.to_array([ORTH, TAG, DEP, LOWER, *self._columns])
        orth, tag, dep, lower = read[:, :4].T.tolist()
        rows = []
        for key in zip(orth, tag, dep, strict=True):
            row = ids_of.get(key)
            if row is None:
                row = ids_of[key] = self._resolve(self._simple_ids(*key))
            rows.append(row)
        if self._has_complex and self._starts.may_start(doc, {LOWER: lower, ORTH: orth, TAG: tag, DEP: dep}):
            strings = doc.vocab.strings
            extra: dict[int, list[int]] = {}
            for match_id, start, end in self._complex(doc, allow_missing=True):
                attr_id = int(strings[match_id])
                index = self.inner.indices[attr_id]
                at = start + index if index >= 0 else end + index
                if not start <= at < end:
                    ruled: Doc = self.inner(doc)  # the ruler's own error, with its own message
                    return ruled
                extra.setdefault(at, []).append(attr_id)
            for at, more in extra.items():
                rows[at] = self._resolve(tuple(sorted((*self._ids[rows[at]], *more))))
        values, sets, rest = self._tables()
        where = np.array(rows, dtype=np.intp)
        doc.from_array(self._columns, cast("Ints2d", np.where(sets[where], values[where], read[:, 4:])))
        for i in np.flatnonzero(rest[where]).tolist():  # a tag or dependency label set by a pattern: rare
            set_token_attrs(doc[i], self._rest[rows[i]])
        return doc


class _StartGate:
    """A cheap test of whether any multi-token pattern can start in a ``Doc``: then the matcher runs.

    A match starts at a token that meets the first token's spec of its pattern;
    for each pattern one attribute of that spec is checked here (a value, a
    list of values, or a regular expression), and a pattern whose first token
    cannot be checked so (an operator, another attribute) makes every ``Doc``
    pass. The test only spares the matcher ``Doc`` s where it would find nothing.
    """

    _ATTRS = ("LOWER", "ORTH", "TEXT", "DEP", "TAG")

    def __init__(self, vocab: Any, entries: list[list[list[dict[str, Any]]]]) -> None:
        import re

        from spacy.attrs import IDS

        self.always = False
        self.values: dict[int, set[int]] = {}  # attribute id -> the hashes a first token may have
        self.patterns: list[tuple[int, re.Pattern[str]]] = []  # attribute id, a regular expression
        self._strings = vocab.strings
        self._seen: dict[tuple[int, int], bool] = {}  # (pattern number, hash) -> whether it searches true
        for patterns in entries:
            for pattern in patterns:
                first = pattern[0] if pattern else {}
                key = next((k for k in self._ATTRS if k in first), None)
                if key is None or "OP" in first:
                    self.always = True
                    continue
                attr = IDS["ORTH" if key == "TEXT" else key]
                value = first[key]
                if isinstance(value, str):
                    self.values.setdefault(attr, set()).add(vocab.strings[value])
                elif isinstance(value, dict) and set(value) == {"IN"}:
                    self.values.setdefault(attr, set()).update(vocab.strings[v] for v in value["IN"])
                elif isinstance(value, dict) and set(value) == {"REGEX"}:
                    self.patterns.append((attr, re.compile(value["REGEX"])))
                else:
                    self.always = True

    def may_start(self, doc: Doc, columns: dict[int, list[int]]) -> bool:
        """Whether some token of ``doc`` meets the first-token test of some pattern.

        ``columns`` holds the ``to_array`` column of each attribute the gate reads.
        """
        if self.always:
            return True
        for attr, hashes in self.values.items():
            if not hashes.isdisjoint(columns[attr]):
                return True
        if self.patterns:
            if len(self._seen) > MAX_REMEMBERED:
                self._seen.clear()
            seen = self._seen
            for k, (attr, rx) in enumerate(self.patterns):
                for h in set(columns[attr]):
                    hit = seen.get((k, h))
                    if hit is None:
                        hit = seen[(k, h)] = rx.search(self._strings[h]) is not None
                    if hit:
                        return True
        return False
