"""Quotemarks: find quoted passages in plain text by their marks, with exact offsets.

The text-only first step of quote extraction (no parser, no model): double
marks (``"`` ``“ ”`` ``„ “`` ``« »``, and ``''`` as some archives print them) and single marks (``‘ ’`` ``'``) are paired
into :class:`QuotedSpan` records; attribution happens later. Offsets are
``str`` indices into the scanned text, ranges half-open. One left-to-right pass
over the marks, so time is linear in the text; paragraphs (split at newlines)
pair on their own, except for a quote that runs over several paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from storyline.errors import QUOTE_UNBALANCED, QUOTE_UNCLOSED_PARAGRAPH
from storyline.model import Issue, Span

__all__ = ["QuotedSpan", "scan_quotes"]

STAGE = "quotes"

# One regex finds every event: a paragraph break (a newline plus any whitespace
# after it, so blank and space-only lines count as one break) or a quote mark.
_EVENTS = re.compile("[\r\n\u2028\u2029]\\s*|([\"“”„‟«»])\\1\\1+|[\"“”„‟«»‘’']")
_NEWLINES = frozenset("\r\n\u2028\u2029")
_NEXT_DOUBLE = re.compile('[\r\n\u2028\u2029"“”„‟«»]')
# Horizontal whitespace only: it must stop at a newline so that a long run of
# blank lines is never scanned once per paragraph.
_H_SPACE = re.compile("[^\\S\r\n\u2028\u2029]*")
_DOUBLE = frozenset('"“”„‟«»')
_CONTENTFUL = re.compile("[^\\s\"“”„‟«»‘’']")
_GLYPH_OPEN = frozenset("“„‟«")
_GLYPH_CLOSE = frozenset("”»")
# Families decide nesting: a different family nests (« “ ” », “ "straight" ”);
# the same family nests only if the outer quote closes after the inner one,
# otherwise the outer one just lacks its closing mark.
_FAMILY = {'"': '"', "“": "“", "”": "“", "„": "“", "‟": "“", "«": "«", "»": "«"}
# Characters after which a mark starts something: "(" "—" and opening glyphs.
_OPEN_CONTEXT = frozenset("([{<—–-/“„‟«‘")
# Characters that may follow a closing mark.
_CLOSE_FOLLOW = frozenset(".,;:!?)]}>—–-…/”»’\"'")
# A single mark after sentence punctuation is almost surely a closing quote,
# while one after a letter may be a plural possessive (players’) or elision.
_STRONG_BEFORE_CLOSE = frozenset(".,;:!?…—–-)]")
_WORD_START_EXTRA = frozenset("…$£€#")
# Marks at a word start that are apostrophes, not quotes: the ’90s, rock ’n’
# roll, ’em, ’tis ... ("n" is handled with its partner mark, see _single).
_ELISION = re.compile(r"\d\d(?:s)?(?!\w)|n[’'‘](?!\w)|(?:em|tis|twas|cause|cos|coz|til|bout|nuff)(?!\w)", re.I)

_MAX_UNBALANCED = 50  # SL301 issues reported one by one per paragraph
_OPEN, _CLOSE, _EITHER = 0, 1, 2
_OPENER, _STRONG, _WEAK = 0, 1, 2


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """One quoted passage found by its marks.

    Offsets index the scanned text; ``[start, end)`` is the content without
    the marks, and ``text == scanned[start:end]``.

    Attributes:
        open: Index of the opening mark; equal to ``start`` when the mark is
            missing (a closing mark with no opening one before it in its
            paragraph: the quote runs from the paragraph start, see SL301).
        close: Index of the closing mark, or None when the quote was not
            closed (paragraph end, or another quote opened first).
        start: Content start, just after the opening mark.
        end: Content end, just before the closing mark; for an unclosed quote
            the paragraph end (or the next opening mark) less trailing whitespace.
        text: The content, ``scanned[start:end]``.
        style: ``"double"`` or ``"single"``.
        continues_previous: True when this quote reopens one left open at the
            end of the previous paragraph (a multi-paragraph quote).
        depth: 0 for a top-level quote, 1 for a quote nested in another.
        parent: Index in the returned list of the enclosing quote, or None.
    """

    open: int
    close: int | None
    start: int
    end: int
    text: str
    style: str
    continues_previous: bool
    depth: int
    parent: int | None


class _Frame:
    """A double quote opened and not yet closed."""

    __slots__ = ("open", "family", "depth", "singles", "children", "continues", "suspect")

    def __init__(self, open_: int, family: str, depth: int) -> None:
        self.open = open_
        self.family = family
        self.depth = depth
        # Single marks inside, as (index, kind, children so far): a nested
        # frame keeps none (a third level) unless suspect (may turn top-level).
        self.singles: list[tuple[int, int, int]] = []
        self.children = 0
        self.continues = False
        # Same family as the quote around it: real nesting or a missing close.
        self.suspect = False


def _pair_singles(marks: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Pair single-mark candidates of one region; unpaired ones are apostrophes.

    Args:
        marks: ``(index, kind, children)`` in text order, where ``children``
            counts the nested quotes seen so far in the region.

    Returns:
        ``(open, close)`` index pairs, in text order.
    """
    # Backwards pass: is there a sure closer (after punctuation) before the
    # next opener? If so a weak closer (players’) is a possessive, not the end.
    strong_after = [False] * len(marks)
    seen = False
    for k in range(len(marks) - 1, -1, -1):
        strong_after[k] = seen
        kind = marks[k][1]
        if kind == _OPENER:
            seen = False
        elif kind == _STRONG:
            seen = True
    pairs: list[tuple[int, int]] = []
    opened: tuple[int, int] | None = None
    for k, (pos, kind, children) in enumerate(marks):
        if kind == _OPENER:
            opened = (pos, children)  # an earlier unpaired opener was an apostrophe
        elif opened is not None and (kind == _STRONG or not strong_after[k]):
            # A pair around a quote that has nested quotes would be a third
            # level; in doubt the marks are apostrophes.
            if children == opened[1]:
                pairs.append((opened[0], pos))
            opened = None
    return pairs


class _Scanner:
    """One pass over the marks of a text; see :func:`scan_quotes`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.raw: list[tuple[int, int | None, int, int, str, bool]] = []
        self.issues: list[Issue] = []
        # A top-level quote left open at the end of the last paragraph, as
        # (open, end): reported unless the next paragraph reopens it.
        self.pending: tuple[int, int] | None = None
        self.last_open = -2
        self._start_paragraph(0)

    def _start_paragraph(self, start: int) -> None:
        self.para_start = start
        spaces = _H_SPACE.match(self.text, start)  # matches always (it may match nothing)
        self.first_pos = spaces.end() if spaces is not None else start
        self.stack: list[_Frame] = []
        self.top_singles: list[tuple[int, int, int]] = []
        self.top_children = 0
        self.skip_single = -1
        self.seen_double = False
        self.unbalanced = 0
        self.extra: tuple[int, int] | None = None

    def run(self) -> None:
        text = self.text
        for m in _EVENTS.finditer(text):
            i = m.start()
            ch = text[i]
            if ch in _NEWLINES:
                self._end_paragraph(i)
                self._start_paragraph(m.end())
            elif m.end() - i > 2:
                # Three or more of one double mark in a row pair with nothing.
                message = f"{m.end() - i} quote marks in a row at {i} cannot open or close a quote; skipped"
                self._issue(QUOTE_UNBALANCED, message, i, m.end())
            elif ch in _DOUBLE:
                self._double(i, ch)
            elif i != self.skip_single and not (
                # The common apostrophe inside a word (doesn’t), skipped cheaply.
                self.para_start < i < self.n - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
            ):
                self._single(i, ch)
        self._end_paragraph(self.n)
        if self.pending is not None:
            self._flush_pending()

    # -- issues ---------------------------------------------------------------

    def _issue(self, code: str, message: str, start: int, end: int) -> None:
        if code == QUOTE_UNBALANCED:
            # A paragraph of garbage marks would flood the report: past a cap
            # they are counted and summed up in one issue at paragraph end.
            self.unbalanced += 1
            if self.unbalanced > _MAX_UNBALANCED:
                self.extra = (self.extra[0] if self.extra else start, end)
                return
        self.issues.append(Issue(stage=STAGE, code=code, message=message, span=Span.of(self.text, start, end)))

    def _flush_pending(self) -> None:
        if self.pending is not None:
            open_, end = self.pending
            self.pending = None
            message = (
                f"opening quote mark at {open_} is never closed before the paragraph ends, and the next "
                "paragraph does not reopen it; its content was kept up to the paragraph end"
            )
            self._issue(QUOTE_UNCLOSED_PARAGRAPH, message, open_, end)

    # -- double marks ---------------------------------------------------------

    def _context(self, i: int) -> tuple[int, str, bool, bool]:
        """Say which way the double mark at ``i`` points: (way, prev, at_end, right_word)."""
        text = self.text
        prev = text[i - 1] if i > self.para_start else ""
        nxt = text[i + 1] if i + 1 < self.n else ""
        at_end = not nxt or nxt in _NEWLINES
        right_word = not at_end and not nxt.isspace()
        if not prev or prev.isspace() or prev in _OPEN_CONTEXT:
            left_open = True
        elif prev == '"':
            left_open = self.last_open == i - 1
        elif prev == "'":
            left_open = i - 1 == self.para_start or text[i - 2].isspace()
        else:
            left_open = False
        # Context first (it survives a CMS that turns every mark into ”), the
        # glyph only where the context cannot tell.
        if left_open and right_word:
            way = _OPEN
        elif not left_open and (at_end or nxt.isspace() or nxt in _CLOSE_FOLLOW):
            way = _CLOSE
        elif text[i] in _GLYPH_OPEN:
            way = _OPEN
        elif text[i] in _GLYPH_CLOSE or not left_open:
            way = _CLOSE
        else:
            way = _EITHER
        return way, prev, at_end, right_word

    def _double(self, i: int, ch: str) -> None:
        if self.pending is not None and i != self.first_pos:
            self._flush_pending()
        way, prev, at_end, right_word = self._context(i)
        stack = self.stack
        fam = _FAMILY[ch]
        opened: _Frame | None = None
        if not stack:
            if ch == '"' and prev.isdigit():
                pass  # an inch mark (6'2"), not a quote
            elif way == _CLOSE and not right_word and not self.seen_double and self._has_text(self.first_pos, i):
                self._headless(i)
            elif at_end or (way == _CLOSE and not right_word):
                what = "closing" if way == _CLOSE else "opening"
                message = f"{what} quote mark at {i} has no partner in its paragraph; it was left out"
                self._issue(QUOTE_UNBALANCED, message, i, i + 1)
            else:
                opened = self._open(i, fam, 0)
        elif way == _OPEN and not at_end:
            if len(stack) == 2:
                self._abandon(stack.pop(), i, f"before another quote opens at {i}")
            # Same family: nested only if the outer quote closes after the
            # inner one, which _close_suspect decides when the inner closes.
            self._open(i, fam, 1).suspect = fam == stack[0].family
        elif len(stack) == 2 and fam == stack[0].family and fam != stack[1].family:
            self._abandon(stack.pop(), i, f"before the enclosing quote closes at {i}")
            self._finish(stack.pop(), i, i)
        elif stack[-1].suspect:
            self._close_suspect(i)
        else:
            self._finish(stack.pop(), i, i)
        self.seen_double = True
        if self.pending is not None:
            if opened is not None:
                opened.continues = True
                self.pending = None
            else:
                self._flush_pending()

    def _close_suspect(self, i: int) -> None:
        """Close a same-family quote inside another: nested, or a missing close?

        ``"He said "no" yesterday," she said`` nests: the next mark closes the
        outer quote. In ``"First part, she said. "Second part."`` the first
        quote just lacks its closing mark: nothing closes it afterwards.
        """
        nxt = _NEXT_DOUBLE.search(self.text, i + 1)
        if nxt is None or self.text[nxt.start()] in _NEWLINES or self._context(nxt.start())[0] == _OPEN:
            self._restart()
        self._finish(self.stack.pop(), i, i)

    def _restart(self) -> None:
        """Turn a suspect nested quote into the next top-level one."""
        inner = self.stack.pop()
        self._abandon(self.stack.pop(), inner.open, f"before another quote opens at {inner.open}")
        inner.depth = 0
        inner.suspect = False
        self.stack.append(inner)

    def _headless(self, i: int) -> None:
        """Keep a quote whose opening mark is missing: paragraph start to its close.

        The span has ``open == start`` (no mark there). Single quotes met so far
        are nested in it, so none can straddle its closing mark.
        """
        start = self.first_pos
        self.raw.append((start, i, start, i, "double", False))
        self._add_singles(self.top_singles)
        self.top_singles = []
        message = (
            f"closing quote mark at {i} has no opening mark before it in its paragraph; "
            f"the text from the paragraph start at {start} up to it was kept as the quote"
        )
        self._issue(QUOTE_UNBALANCED, message, start, i + 1)

    def _open(self, i: int, fam: str, depth: int) -> _Frame:
        frame = _Frame(i, fam, depth)
        self.stack.append(frame)
        self.last_open = i
        return frame

    def _rstrip(self, end: int, floor: int) -> int:
        while end > floor and self.text[end - 1].isspace():
            end -= 1
        return end

    def _has_text(self, start: int, end: int) -> bool:
        # Nothing but spaces and marks ("" or a run of """) is no content.
        return _CONTENTFUL.search(self.text, start, end) is not None

    def _finish(self, frame: _Frame, close: int | None, end: int) -> bool:
        """Record a double quote and the single quotes in it.

        Returns:
            False when it has no content: an empty pair ("" or “”) is no quote and no issue.
        """
        start = frame.open + 1
        if not self._has_text(start, end):
            return False
        self.raw.append((frame.open, close, start, end, "double", frame.continues))
        # Single quotes count only inside a top-level quote (a third level is
        # too deep to be more than apostrophes).
        if self.stack:
            self.stack[-1].children += 1
        elif self._add_singles(frame.singles) or frame.children:
            self.top_children += 1
        return True

    def _add_singles(self, marks: list[tuple[int, int, int]]) -> bool:
        """Record the single quotes paired among ``marks``; True if there are any."""
        pairs = _pair_singles(marks) if marks else []
        self.raw.extend((a, b, a + 1, b, "single", False) for a, b in pairs)
        return bool(pairs)

    def _abandon(self, frame: _Frame, i: int, why: str) -> None:
        end = self._rstrip(i, frame.open + 1)
        if self._finish(frame, None, end):
            message = f"opening quote mark at {frame.open} is not closed {why}; its content was kept up to {end}"
        else:
            message = f"opening quote mark at {frame.open} is not closed {why}, and has no text after it"
        self._issue(QUOTE_UNBALANCED, message, frame.open, max(end, frame.open + 1))

    def _end_paragraph(self, para_end: int) -> None:
        if self.pending is not None:
            self._flush_pending()  # this paragraph had no mark at all
        stack = self.stack
        if len(stack) == 2 and stack[1].suspect:
            self._restart()
        if len(stack) == 2:
            self._abandon(stack.pop(), para_end, "before the paragraph ends")
        if stack:
            frame = stack.pop()
            end = self._rstrip(para_end, frame.open + 1)
            if self._finish(frame, None, end):
                # Reported only if the next paragraph does not reopen it.
                self.pending = (frame.open, end)
            else:
                message = f"opening quote mark at {frame.open} has no text after it in its paragraph"
                self._issue(QUOTE_UNBALANCED, message, frame.open, frame.open + 1)
        self._add_singles(self.top_singles)
        if self.extra is not None:
            more = self.unbalanced - _MAX_UNBALANCED
            message = f"{more} more quote marks in this paragraph could not be paired; what they enclose was kept"
            self.issues.append(Issue(STAGE, QUOTE_UNBALANCED, message, Span.of(self.text, *self.extra)))

    # -- single marks ---------------------------------------------------------

    def _single(self, i: int, ch: str) -> None:
        """Keep a single mark that may open or close a quote; drop apostrophes."""
        text = self.text
        if self.pending is not None:
            self._flush_pending()  # a paragraph opening with ‘ does not reopen a double quote
        prev = text[i - 1] if i > self.para_start else ""
        nxt = text[i + 1] if i + 1 < self.n else ""
        kind = -1
        if not prev or prev.isspace() or prev in _OPEN_CONTEXT or (prev == '"' and self.last_open == i - 1):
            if nxt and (nxt.isalnum() or nxt in _WORD_START_EXTRA):
                elided = _ELISION.match(text, i + 1)
                if elided is None:
                    kind = _OPENER
                elif nxt in "nN" and elided.end() == i + 3:
                    self.skip_single = i + 2  # the second mark of ’n’
        if kind < 0 and prev and (not nxt or nxt.isspace() or nxt in _CLOSE_FOLLOW):
            if prev in _STRONG_BEFORE_CLOSE:
                kind = _STRONG
            elif prev.isalnum():
                kind = _WEAK
        if kind < 0:
            return
        if self.stack:
            frame = self.stack[-1]
            if frame.depth == 0 or frame.suspect:
                frame.singles.append((i, kind, frame.children))
        else:
            self.top_singles.append((i, kind, self.top_children))

    def result(self) -> tuple[list[QuotedSpan], list[Issue]]:
        text = self.text
        # By open, the enclosing span first where two share it (a headless
        # quote and a single quote opening the paragraph).
        self.raw.sort(key=lambda r: (r[0], -(r[3] if r[1] is None else r[1])))
        spans: list[QuotedSpan] = []
        # Containment stack of (extent end, index): pairing only ever builds
        # properly nested quotes, so this gives depth and parent directly.
        around: list[tuple[int, int]] = []
        for open_, close, start, end, style, cont in self.raw:
            while around and around[-1][0] <= open_:
                around.pop()
            parent = around[-1][1] if around else None
            spans.append(QuotedSpan(open_, close, start, end, text[start:end], style, cont, len(around), parent))
            around.append((close + 1 if close is not None else end, len(spans) - 1))
        self.issues.sort(key=lambda issue: issue.span.start if issue.span else 0)
        return spans, self.issues


def scan_quotes(text: str) -> tuple[list[QuotedSpan], list[Issue]]:
    """Find the quoted passages in ``text`` by their quote marks.

    Double marks pair by context and glyph; single marks count as quotes only
    when they clearly open at a word start and close at a word end in the same
    paragraph, otherwise they are apostrophes (doesn’t, players’, the ’90s).
    A quote left open at a paragraph end is kept up to that end; when the next
    paragraph starts with an opening mark it is a multi-paragraph quote and the
    next piece has ``continues_previous=True``.

    Args:
        text: The article text; offsets index it (code points, half-open).

    Returns:
        The quotes sorted by ``open``, and the issues found: ``SL301`` for a
        mark that could not be paired, ``SL302`` for a quote left open at a
        paragraph end that the next paragraph does not reopen. Never raises.
    """
    scanned, moved = _paired_apostrophes(text)
    scanner = _Scanner(scanned)
    scanner.run()
    spans, issues = scanner.result()
    if scanned is text:
        return spans, issues
    # back to the text as given: an opening pair's mark starts one character earlier
    spans = [
        replace(q, open=q.open - 1 if q.open in moved else q.open, text=text[q.start : q.end]) for q in spans
    ]
    issues = [
        replace(i, span=Span(i.span.start, i.span.end, text[i.span.start : i.span.end])) if i.span else i for i in issues
    ]
    return spans, issues


#: Two apostrophes (or backticks) for a double quote mark, as some archives print quotes: ''Yes,'' he said.
_PAIRED_OPEN = re.compile(r"(?<![^\s(\[—–-])(?:''|``)(?=[^\s'`])")
_PAIRED_CLOSE = re.compile(r"(?<=[^\s'`])''(?=[\s.,;:!?)\]—–-]|$)")


def _paired_apostrophes(text: str) -> tuple[str, frozenset[int]]:
    """``text`` with each paired-apostrophe mark read as one ``"`` and a space, same length.

    An opening pair becomes ' "' and a closing one '" ', so the content keeps
    its offsets; returns the positions of the opening marks' ``"``.
    """
    if "''" not in text and "``" not in text:
        return text, frozenset()
    chars = list(text)
    moved = set()
    for m in _PAIRED_OPEN.finditer(text):
        chars[m.start()], chars[m.start() + 1] = " ", '"'
        moved.add(m.start() + 1)
    for m in _PAIRED_CLOSE.finditer(text):
        if chars[m.start()] == "'":  # not already read as an opening pair
            chars[m.start()], chars[m.start() + 1] = '"', " "
    return "".join(chars), frozenset(moved)
