"""Reading a compiled regular expression's structure, to know where it may be run more cheaply.

``grammar`` scans every article with some fifty patterns. Two facts
about a pattern let it run faster with the same matches, and both are read
off the pattern itself (``re._parser``), never assumed:

- ``lowered_twin``: a pattern whose letters all sit in ``(?i:...)`` groups
  matches, without the flag, on ``text.lower()`` exactly where it matches
  ``text``; the engine then compares letters directly.
- ``line_local``: a pattern that never consumes a line break matches within
  one line, so only the lines holding its gate's piece need a scan.

Both answer "no" (None, False) on anything they do not check, and on a
Python whose parser internals differ: the caller then scans as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # CPython 3.11+'s regex parser, which typeshed does not describe
    import re._constants as C  # type: ignore[import-not-found]  # internals, no stubs
    import re._parser as P  # type: ignore[import-not-found]  # internals, no stubs
except ImportError:  # another Python's internals: no twin, no line-local scan, the plain scan
    C = P = None

__all__ = ["line_local", "lowered_twin"]

# What ``re._parser.parse`` returns: (opcode, argument) pairs whose arguments nest further items.
# Their types are the parser's own, which nothing describes, hence ``Any``.
_Items = Iterable[tuple[Any, Any]]

# --- the lowered twin ----------------------------------------------------------------------------------------
# A pattern whose letters all match in any case ("(?i:...)") runs much faster without the flag: then
# the regex engine compares letters directly and skips the alternatives of a word list by their first
# letter. On ``lowered_for_gates(text)`` (``text.lower()``, the same length, and None when the text holds
# a letter that matches an ASCII letter under IGNORECASE though ``str.lower`` does not turn it into it)
# the same pattern without the flag matches exactly where the original matches ``text``: every letter
# it names is in lower case, every case-sensitive part names no letter, and ``\w``, ``\d`` and ``\s``
# hold of a character just when they hold of its lower case. ``grammar.LOWERED`` holds that twin for each kind
# whose pattern passes the check below; ``grammar.finditer`` uses it.


def _uncased(code: int) -> bool:
    c = chr(code)
    return c.lower() == c and c.upper() == c


def _fits_lowered(items: _Items, ignorecase: bool) -> bool:
    """Whether a parsed pattern (``re._parser`` items) matches the same without IGNORECASE on lowered text."""

    def letter_ok(code: int, icase: bool) -> bool:
        c = chr(code)
        return _uncased(code) or (icase and c.islower() and c.isascii())

    def walk(seq: _Items, icase: bool) -> bool:
        for op, av in seq:
            if op in (C.LITERAL, C.NOT_LITERAL):
                if not letter_ok(av, icase):
                    return False
            elif op is C.IN:
                for iop, iav in av:
                    if iop in (C.LITERAL, C.NOT_LITERAL):
                        if not letter_ok(iav, icase):
                            return False
                    elif iop is C.RANGE:
                        lo, hi = iav
                        if not (all(_uncased(k) for k in range(lo, hi + 1))
                                or (icase and ord("a") <= lo <= hi <= ord("z"))):
                            return False
                    elif iop not in (C.NEGATE, C.CATEGORY):
                        return False
            elif op is C.BRANCH:
                if not all(walk(branch, icase) for branch in av[1]):
                    return False
            elif op is C.SUBPATTERN:
                _, add, remove, sub = av
                inner = (icase or bool(add & C.SRE_FLAG_IGNORECASE)) and not remove & C.SRE_FLAG_IGNORECASE
                if not walk(sub, inner):
                    return False
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                if not walk(av[2], icase):
                    return False
            elif op in (C.ASSERT, C.ASSERT_NOT):
                if not walk(av[1], icase):
                    return False
            elif op is C.ATOMIC_GROUP:
                if not walk(av, icase):
                    return False
            elif op not in (C.ANY, C.AT, C.CATEGORY):
                return False  # a back-reference or anything else: not checked, so not used
        return True

    return walk(items, ignorecase)


def _shape(items: _Items) -> object:
    """A parsed pattern as nested tuples, less its groups' scoped flags.

    A non-capturing group is spliced into the sequence around it, as the
    parser itself does with one that sets no flag.
    """

    def seq(items: _Items) -> tuple[object, ...]:
        out: list[object] = []
        for item in items:
            if isinstance(item, tuple) and len(item) == 2 and item[0] is C.SUBPATTERN:
                group, _, _, sub = item[1]
                if group is None:
                    out.extend(seq(sub))
                else:
                    out.append(("SUBPATTERN", group, seq(sub)))
            else:
                out.append(conv(item))
        return tuple(out)

    def conv(x: object) -> object:
        if isinstance(x, P.SubPattern):
            return seq(x)
        if isinstance(x, (list, tuple)):
            return tuple(conv(y) for y in x)
        return x

    return seq(items)


def lowered_twin(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``rx`` without IGNORECASE, for lowered text; None when it would not match exactly where ``rx`` does."""
    if P is None:
        return None
    if rx.flags & re.IGNORECASE or "(?i:" not in rx.pattern:
        return None
    try:
        twin = re.compile(rx.pattern.replace("(?i:", "(?:"))
        parsed = P.parse(rx.pattern)
        fits = _shape(P.parse(twin.pattern)) == _shape(parsed) and _fits_lowered(parsed, False)
    except (re.error, AttributeError):  # the parser's internals of another Python: no twin, the plain scan
        return None
    return twin if fits and twin.groupindex == rx.groupindex else None


# --- line-local patterns --------------------------------------------------------------------
# A pattern of ``CASED_GATES`` finds its gate's piece inside each of its matches, and when it never
# consumes a line break (nor looks for the end of the text) a match lies within one line: then only
# the lines holding a piece need scanning (``finditer(text, start, end)`` of each, which sees the text
# before ``start`` as the whole scan does, and at ``end`` finds what a line break would give it).
# ``grammar.LINE_LOCAL`` names the kinds whose patterns pass that check.


def _no_line_break(items: _Items) -> bool:
    """Whether a parsed pattern never consumes a line break, nor asks for the end of the text or of a line."""

    newline = ord("\n")
    safe_categories = (C.CATEGORY_DIGIT, C.CATEGORY_WORD)
    safe_anchors = (C.AT_BOUNDARY, C.AT_NON_BOUNDARY, C.AT_BEGINNING, C.AT_BEGINNING_STRING)

    def walk(seq: _Items) -> bool:
        for op, av in seq:
            if op is C.LITERAL:
                if av == newline:
                    return False
            elif op is C.IN:
                for iop, iav in av:
                    if iop is C.LITERAL:
                        if iav == newline:
                            return False
                    elif iop is C.RANGE:
                        if iav[0] <= newline <= iav[1]:
                            return False
                    elif iop is C.CATEGORY:
                        if iav not in safe_categories:
                            return False
                    else:  # a negated set, or anything else
                        return False
            elif op is C.CATEGORY:
                if av not in safe_categories:
                    return False
            elif op is C.AT:
                if av not in safe_anchors:
                    return False
            elif op is C.BRANCH:
                if not all(walk(branch) for branch in av[1]):
                    return False
            elif op is C.SUBPATTERN:
                if not walk(av[3]):
                    return False
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                if not walk(av[2]):
                    return False
            elif op in (C.ASSERT, C.ASSERT_NOT):
                direction, sub = av
                if direction > 0 and not walk(sub):  # a lookbehind sees the text as it is: any is fine
                    return False
            elif op is C.ATOMIC_GROUP:
                if not walk(av):
                    return False
            elif op is not C.ANY:  # "." (no DOTALL here) never takes a line break; nothing else is checked
                return False
        return True

    return walk(items)


def line_local(rx: re.Pattern[str]) -> bool:
    """Whether ``rx`` can never consume a line break, so it matches within one line; False when unsure."""
    if P is None or rx.flags & (re.DOTALL | re.MULTILINE):
        return False
    try:
        return _no_line_break(P.parse(rx.pattern))
    except (re.error, AttributeError):
        return False
