"""The grammar of ``storyline.stages.time``: one regular expression per kind of expression.

Each pattern finds candidates of one kind ("mdy" for "March 1, 2008",
"dur" for "two weeks", ...); ``accept`` then looks at the words around a
candidate to drop the readings that are not times ("May I", "2,000 jobs",
"in her 80s", "Black Friday"). ``timexes.find_timexes`` keeps the longest
candidates that do not overlap and extends them over the modifiers that
``MODIFIER`` finds in front ("around", "early", "the end of").

Month and weekday names match case-sensitively (they are proper nouns:
"may" and "march" are verbs); the other words match in any case. Words are
separated by spaces or tabs, never by a line break, so an expression never
runs across paragraphs.
"""

from __future__ import annotations

import re

from storyline.stages.time import words as W
from storyline.stages.time.regexshape import line_local, lowered_twin

_SP = r"[ \t\u00a0]+"
_SPO = r"[ \t\u00a0]*"


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile with ``\\s+`` / ``\\s*`` meaning horizontal space only."""
    return re.compile(pattern.replace(r"\s+", _SP).replace(r"\s*", _SPO))


def _i(pattern: str) -> str:
    return f"(?i:{pattern})"


_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\w)"
_YEAR = r"(?P<y>1\d{3}|20\d{2})(?!\d)"
_YEARREF = (r"(?:(?P<y>1\d{3}|20\d{2})(?![\d\w])|(?i:(?P<yr>this|last|next|the\s+(?:current|previous|past|following|same))"
            r"\s+year|(?P<ythe>the\s+year)))")
_REL = r"this\s+past|this\s+coming|this|last|next|past|coming|previous|current|following|upcoming|same"
_ZONE = (r"(?:\s*(?P<z>UTC|GMT|Z|[ECMP][SD]?T|BST|CET|CEST|JST|AEST|AEDT|(?i:local\s+time))(?!\w)"
         r"(?:\s*(?P<off>[+-]\s*\d{1,2}(?::?\d{2})?))?"
         r"|\s*\(\s*(?P<z2>UTC|GMT)\s*(?P<off2>[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\))?")
_DAYTAIL = rf"(?:,?\s+(?P<day>(?i:today|tonight|yesterday|tomorrow)|{W.WEEKDAY_FULL_RE})(?!\w))?"
_SET_UNITS = (r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?|years?|"
              r"decades?|centur(?:y|ies)|annum|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|"
              r"mornings?|evenings?|nights?|afternoons?|weekends?|springs?|summers?|autumns?|winters?)")

# kind -> pattern; on equal length the earlier kind wins.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", _rx(r"(?<![\w.\-/])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
                r"(?:[T ](?P<H>[01]\d|2[0-3]):(?P<M>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?P<z>Z|[+-]\d{2}:?\d{2})?)?"
                r"(?![\w\-/])")),
    ("slash", _rx(r"(?<![\w./\-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\w/\-])")),
    ("mdy", _rx(rf"(?<!\w)(?:(?P<wd>{W.WEEKDAY_RE}),?\s+)?(?P<mon>{W.MONTH_RE})\s+{_DAY}"
                rf"(?:(?:\s*,\s*|\s+){_YEAR})?")),
    ("dmy", _rx(rf"(?<![\w.,])(?:(?P<wd>{W.WEEKDAY_RE}),?\s+)?(?:(?i:the)\s+)?{_DAY}(?:\s+(?i:of))?"
                rf"\s+(?P<mon>{W.MONTH_RE})(?:,?\s+{_YEAR})?")),
    ("my", _rx(rf"(?<!\w)(?P<mon>{W.MONTH_RE})(?:\s*,\s*|\s+|\s+(?i:of)\s+){_YEAR}")),
    ("weekof", _rx(_i(r"(?<!\w)the\s+(?P<o>first|second|third|fourth|last|final)\s+week\s+of\s+")
                   + rf"(?P<mon>{W.MONTH_RE})(?:,?\s+{_YEAR})?")),
    ("relmonth", _rx(rf"(?<!\w)(?P<r>(?i:last|next|this|this\s+past|this\s+coming|past|coming))\s+"
                     rf"(?P<mon>{W.MONTH_FULL_RE})(?![\w'’-])")),
    ("month", _rx(rf"(?<!\w)(?P<mon>{W.MONTH_FULL_RE})(?![\w'’-])"
                  r"(?=(?:\s+(?i:of))?\s+(?P<yr>(?i:this|last|next))\s+(?i:year))?")),
    ("year", _rx(rf"(?<![\w$£€#.,/]){_YEAR}(?![\w%]|[.,]\d)")),
    ("fiscal", _rx(_i(r"(?<!\w)(?:the\s+)?(?:fiscal|financial)\s+(?:year\s+)?(?P<y>\d{4})(?!\d)")
                   + r"|(?<!\w)FY\s*['’]?(?P<y2>\d{4}|\d{2})(?!\w)")),
    ("decade", _rx(r"(?<![\w'’])(?P<apos>['’])?(?P<c>1\d|20)?(?P<dd>\d)0['’]?s(?!\w)")),
    ("decadeword", _rx(_i(r"(?<!\w)the\s+(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties"
                          r"|nineties)(?!\w)"))),
    ("century", _rx(_i(rf"(?<!\w)(?:the\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<o>{W.ORDINAL_RE}))"
                       r"(?:\s+|-)century(?!\w)"))),
    ("quarter", _rx(_i(r"(?<!\w)(?:the\s+)?(?:(?:fiscal|financial|calendar)\s+)?"
                       r"(?P<q>first|second|third|fourth|final|last|1st|2nd|3rd|4th)(?:\s+|-)(?:fiscal\s+)?quarter")
                    + rf"(?:\s+(?i:of\s+)?{_YEARREF})?(?![\w-])")),
    ("qshort", _rx(r"(?<!\w)Q(?P<q>[1-4])(?:(?:\s+|\s*['’]|\s*-\s*)(?P<y>1\d{3}|20\d{2}|\d{2}))?(?!\w)")),
    ("half", _rx(_i(r"(?<!\w)(?:the\s+)?(?P<h>first|second|1st|2nd|latter)\s+half")
                 + rf"(?:\s+(?i:of)\s+{_YEARREF})?(?![\w-])")),
    ("season", _rx(_i(r"(?<!\w)(?:the\s+)?(?P<s>spring|summer|autumn|fall|winter)")
                   + rf"(?:\s+(?i:of\s+)?{_YEARREF})?(?![\w-])")),
    ("rel", _rx(_i(rf"(?<!\w)(?:the\s+)?(?:(?P<el>earlier|later)\s+)?(?P<r>{_REL})\s+"
                   r"(?P<u>weekend|week|month|year|quarter|decade|century|spring|summer|autumn|fall|winter)(?![\w-])"))),
    ("post", _rx(_i(r"(?<!\w)the\s+(?P<u>day|week|month|year)\s+(?P<r>previous|before|after|earlier|prior|later)"
                    r"(?=\s*[.,;:)!?'\"”]|\s*$)"))),
    ("same", _rx(_i(r"(?<!\w)the\s+same\s+(?P<u>day|week|month|quarter|period|time|year)\s+(?:of\s+)?"
                    r"(?P<back>a\s+year\s+(?:ago|earlier|before)|last\s+year|the\s+(?:previous|prior|last)\s+year"
                    r"|the\s+year\s+before|a\s+year\s+earlier)(?!\w)"))),
    ("whole", _rx(_i(r"(?<!\w)the\s+(?:entire|whole|full)\s+(?P<u>year|month|week|day|quarter)(?![\w-])"))),
    ("position", _rx(_i(r"(?<!\w)the\s+(?:very\s+)?(?P<pos>end|beginning|start|middle|close|turn|rest|remainder)"
                        r"\s+of\s+the\s+(?:(?P<fin>financial|fiscal)\s+)?(?P<u>year|month|week|quarter|decade|century|day)"
                        r"(?![\w-])"))),
    ("deictic", _rx(_i(r"(?<!\w)(?:(?P<el>earlier|later)\s+)?(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after"
                       r"\s+tomorrow|today|yesterday|tomorrow|tonight)(?:\s+(?P<p>morning|afternoon|evening|night))?"
                       r"(?P<poss>\s*['’]\s*s(?!\w))?(?!\w)"))),
    ("part", _rx(_i(r"(?<!\w)(?P<w>this|last|that|the\s+same)\s+(?P<p>morning|afternoon|evening|night)(?!\w)"))),
    ("weekday", _rx(rf"(?<!\w)(?:(?i:(?P<r>this\s+past|this\s+coming|last|next|this|coming|past))\s+)?"
                    rf"(?P<wd>{W.WEEKDAY_RE})(?:\s+(?i:(?P<p>morning|afternoon|evening|night)))?(?!\w)")),
    ("dur", _rx(_i(rf"(?<![\w.,$£€#-])(?:(?P<the>the\s+)?(?P<r>past|last|next|coming|first|previous|following"
                   rf"|final|upcoming|recent|remaining|initial)\s+)?(?P<n>{W.NUMBER_RE})\s+"
                   rf"(?:(?:more|additional|full|straight|consecutive|long)\s+)?(?P<u>{W.UNIT_RE})"
                   r"(?:\s+(?P<dir>ago|earlier|later|from\s+now|hence)(?!\s+than))?(?![\w-])"))),
    ("range", _rx(_i(rf"(?<![\w.,$£€#-])(?P<n>\d+(?:\.\d+)?|{W.ADJ_NUMBER_RE})"
                     rf"(?=(?:\s+(?:and|to|or)\s+|\s*[-–]\s*)(?:\d+(?:\.\d+)?|{W.ADJ_NUMBER_RE})\s+(?P<u>{W.UNIT_RE})"
                     r"(?![\w-]))"))),
    ("vague", _rx(_i(r"(?<!\w)(?:(?P<over>over\s+the\s+(?:past\s+|last\s+)?)|(?P<the>the\s+)?"
                     r"(?P<r>past|last|recent|coming|next|previous)\s+)?"
                     r"(?P<u>years|months|weeks|days|decades|centuries|hours|minutes)"
                     r"(?P<long>-long)?(?:\s+(?P<dir>ago|earlier|later))?(?![\w-])"))),
    ("adjdur", _rx(_i(rf"(?<![\w-])(?P<n>{W.ADJ_NUMBER_RE})-(?P<u>{W.ADJ_UNIT_RE})(?P<old>-old|s?-long)?(?!\w)"))),
    ("set", _rx(_i(rf"(?<!\w)(?P<every>every|each|per)\s+(?:(?P<n>other|{W.NUMBER_RE})\s+)?(?P<u>{_SET_UNITS})"
                   r"(?![\w-])"))),
    ("freq", _rx(_i(rf"(?<!\w)(?:once|twice|thrice|(?:{W.NUMBER_RE})\s+times)\s+(?:a|an|per|each|every)\s+"
                    rf"(?P<u>{W.ADJ_UNIT_RE})(?![\w-])"))),
    ("setword", _rx(r"(?<![\w-])(?P<w>annually|annual|yearly|monthly|weekly|daily|nightly|hourly|quarterly|"
                    r"biannually)(?![\w-])")),
    ("time", _rx(r"(?<![\w:.,])(?:(?P<H>1[0-2]|0?[1-9])(?:[:.](?P<M>[0-5]\d))?\s*"
                 r"(?P<ap>(?i:a\.m\.|p\.m\.|a\.m|p\.m|am|pm))(?!\w)"
                 r"|(?P<H2>[01]?\d|2[0-4]):(?P<M2>[0-5]\d)(?!\d|:\d)|(?i:(?P<nm>noon|midnight|midday))(?!\w))"
                 + _ZONE + _DAYTAIL)),
    ("holiday", _rx(_i(r"(?<!\w)(?P<hol>christmas\s+eve|christmas\s+day|christmas|new\s+year['’]s\s+eve"
                       r"|new\s+year['’]s(?:\s+day)?|halloween|valentine['’]s\s+day|boxing\s+day|thanksgiving(?:\s+day)?)")
                    + rf"(?:,?\s+{_YEAR})?(?!\w)")),
    ("ref", _rx(_i(r"(?<![\w-])(?P<w>" + "|".join(w.replace(" ", r"\s+") for w in sorted(W.REF_WORDS, key=len,
                                                                                         reverse=True))
                   + r")(?![\w-])"))),
]

# kind -> a pattern, in lower case, for a piece that every match of the kind's pattern contains
# in some letter case (the same sub-pattern, or a necessary piece of each of its alternatives).
# A text whose lowered form holds no such piece holds no match, so ``timexes`` does not scan it
# with the kind's pattern; where one is found the pattern runs as before, so the gates change
# speed only, never results. Kinds whose words are in nearly every article (year, dur, ref) have
# none; see ``gate_open``.
_UNITS = r"(?:weekend|week|month|year|quarter|decade|century|spring|summer|autumn|fall|winter)"
WORD_GATES: dict[str, re.Pattern[str]] = {kind: _rx(gate) for kind, gate in {
    "fiscal": r"fiscal|financial|fy",
    "decadeword": r"twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties",
    "century": r"century",
    "quarter": r"quarter",
    "half": r"(?:first|second|1st|2nd|latter)\s+half",
    "season": r"spring|summer|autumn|fall|winter",
    "rel": rf"(?:this|last|next|past|coming|previous|current|following|upcoming|same)\s+{_UNITS}",
    "post": r"(?:day|week|month|year)\s+(?:previous|before|after|earlier|prior|later)",
    "same": r"same\s+(?:day|week|month|quarter|period|time|year)",
    "whole": r"(?:entire|whole|full)\s+(?:year|month|week|day|quarter)",
    "position": r"of\s+the\s+(?:(?:financial|fiscal)\s+)?(?:year|month|week|quarter|decade|century|day)",
    "deictic": r"today|yesterday|tomorrow|tonight",
    "part": r"(?:this|last|that|same)\s+(?:morning|afternoon|evening|night)",
    "range": rf"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|ty|hundred|dozen|half)"
             rf"\s+{W.UNIT_RE}",
    "vague": r"years|months|weeks|days|decades|centuries|hours|minutes",
    "adjdur": rf"-{W.ADJ_UNIT_RE}",
    "set": r"(?:every|each|per)\s+",
    "freq": r"(?:once|twice|thrice|times)\s+(?:a|an|per|each|every)\s+",
    "time": r"[0-9](?:[:.][0-5]\d)?\s*[ap]\.?m|\d:[0-5]|noon|midnight|midday",
    "holiday": r"christmas|new\s+year|halloween|valentine|boxing\s+day|thanksgiving",
}.items()}
# kind -> a case-sensitive pattern that finds a necessary piece of every match (month and weekday
# names start with these three letters, capitalised or in capitals).
_MONTH_START = re.compile("|".join(f"{m}|{m.upper()}" for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                                                 "Sep", "Oct", "Nov", "Dec")))
_WEEKDAY_START = re.compile("|".join(f"{d}|{d.upper()}" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")))
CASED_GATES: dict[str, re.Pattern[str]] = {
    # a hyphen first: the engine looks for it alone, and the lookbehind checks the year before it
    "iso": re.compile(r"-\d{2}-\d{2}(?<=\d{4}-\d{2}-\d{2})"),
    "slash": re.compile(r"/"),
    "mdy": _MONTH_START,
    "dmy": _MONTH_START,
    "my": _MONTH_START,
    "weekof": _MONTH_START,
    "relmonth": _MONTH_START,
    "month": _MONTH_START,
    "decade": re.compile(r"0['’]?s"),
    "qshort": re.compile(r"Q[1-4]"),
    "weekday": _WEEKDAY_START,
    "setword": re.compile(r"annual|yearly|monthly|weekly|daily|nightly|hourly|quarterly"),
}
# Letters that match an ASCII letter of a pattern under IGNORECASE though ``str.lower`` does not
# turn them into it (İ, ı, ſ, the Kelvin sign): in a text holding one, no word gate is trusted.
_CASE_FOLDS = "\u0130\u0131\u017f\u212a"


def lowered_for_gates(text: str) -> str | None:
    """``text.lower()`` for ``gate_open``, or None when a word gate cannot be trusted on ``text``."""
    return None if any(c in text for c in _CASE_FOLDS) else text.lower()


# kind -> plain strings one of which every match of the kind's gate holds (in ``lowered``, or for a cased
# gate in the text): ``str`` containment is far cheaper than a regular expression, so a gate that stays
# shut is mostly shut by these; when one is found the gate's pattern decides as before.
_UNIT_WORDS = ("second", "minute", "hour", "day", "night", "week", "fortnight", "month", "quarter", "year", "decade",
               "centur")
_SEASONS = ("spring", "summer", "autumn", "fall", "winter")
WORD_PIECES: dict[str, tuple[str, ...]] = {
    "fiscal": ("fiscal", "financial", "fy"),
    "decadeword": ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"),
    "century": ("century",),
    "quarter": ("quarter",),
    "half": ("half",),
    "season": _SEASONS,
    "rel": ("week", "month", "year", "quarter", "decade", "century", *_SEASONS),
    "post": ("day", "week", "month", "year"),
    "same": ("same",),
    "whole": ("entire", "whole", "full"),
    "position": ("year", "month", "week", "quarter", "decade", "century", "day"),
    "deictic": ("today", "yesterday", "tomorrow", "tonight"),
    "part": ("morning", "afternoon", "evening", "night"),
    "range": _UNIT_WORDS,
    "vague": ("years", "months", "weeks", "days", "decades", "centuries", "hours", "minutes"),
    "adjdur": ("-",),
    "set": ("every", "each", "per"),
    "freq": ("once", "twice", "thrice", "times"),
    "time": ("am", "a.m", "pm", "p.m", ":", "noon", "midnight", "midday"),
    "holiday": ("christmas", "halloween", "valentine", "boxing", "thanksgiving", "year's", "year’s"),
}
CASED_PIECES: dict[str, tuple[str, ...]] = {
    "setword": ("annual", "yearly", "monthly", "weekly", "daily", "nightly", "hourly", "quarterly"),
}


def gate_open(kind: str, text: str, lowered: str | None) -> bool:
    """Whether ``text`` may hold a match of ``kind`` (False only when it surely holds none).

    ``lowered`` is ``lowered_for_gates(text)``.
    """
    cased = CASED_GATES.get(kind)
    if cased is not None:
        pieces = CASED_PIECES.get(kind)
        if pieces is not None and not any(p in text for p in pieces):
            return False
        if cased.search(text) is None:
            return False
    word = WORD_GATES.get(kind)
    if word is None or lowered is None:
        return True
    pieces = WORD_PIECES.get(kind)
    if pieces is not None and not any(p in lowered for p in pieces):
        return False
    return word.search(lowered) is not None


#: kind -> its pattern without IGNORECASE, to run on ``lowered_for_gates(text)`` (``regexshape.lowered_twin``).
LOWERED: dict[str, re.Pattern[str]] = {
    kind: twin for kind, rx in PATTERNS if (twin := lowered_twin(rx)) is not None
}


#: Kinds scanned only on the lines where their ``CASED_GATES`` piece is found (``regexshape.line_local``).
LINE_LOCAL: frozenset[str] = frozenset(kind for kind, rx in PATTERNS if kind in CASED_GATES and line_local(rx))


def _piece_lines(gate: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The lines of ``text`` (start, end: the line break or the end of the text) holding a piece ``gate`` finds."""
    out: list[tuple[int, int]] = []
    pos = 0
    while (m := gate.search(text, pos)) is not None:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.start())
        end = len(text) if end < 0 else end
        out.append((start, end))
        pos = end + 1
        if pos > len(text):
            break
    return out


def finditer(
    kind: str,
    rx: re.Pattern[str],
    text: str,
    lowered: str | None,
    lines: dict[int, list[tuple[int, int]]] | None = None,
) -> list[re.Match[str]]:
    """``list(rx.finditer(text))`` for the pattern ``rx`` of ``kind``, found the cheapest way the kind allows.

    ``lowered`` is ``lowered_for_gates(text)``: a kind of ``LOWERED`` runs its
    twin on it. A kind of ``LINE_LOCAL`` scans the lines holding its gate's
    piece; ``lines`` keeps them per gate for the other kinds of one text. The
    matches are ``rx``'s own, on ``text`` (their groups keep the text's letter case).
    """
    twin = LOWERED.get(kind)
    if twin is not None and lowered is not None:
        out = []
        for low in twin.finditer(lowered):
            m = rx.match(text, low.start())
            if m is None or m.end() != low.end():  # never seen; the plain scan is the reference
                return list(rx.finditer(text))
            out.append(m)
        return out
    if kind in LINE_LOCAL:
        gate = CASED_GATES[kind]
        spans = lines.get(id(gate)) if lines is not None else None
        if spans is None:
            spans = _piece_lines(gate, text)
            if lines is not None:
                lines[id(gate)] = spans
        out = []
        for start, end in spans:
            for m in rx.finditer(text, start, end):
                if m.end() <= m.start():  # an empty match: none of these patterns has one; scan as a whole
                    return list(rx.finditer(text))
                out.append(m)
        return out
    return list(rx.finditer(text))


# Modifiers in front of an expression, taken into its extent (TimeML, MEANTIME).
MODIFIER = _rx(_i(
    r"(?:(?P<pos>the\s+(?:very\s+)?(?:end|beginning|start|middle|close|turn)\s+of\s+|(?:the\s+)?(?:early|mid|late)"
    r"(?:\s+|-)|mid-?|end-)|(?P<apx>(?:around|about|approximately|roughly|circa|ca\.|c\.|some|nearly|almost"
    r"|close\s+to|more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to)\s+))$"))
# Kinds that a modifier may attach to.
APPROX_KINDS = frozenset({"dur", "adjdur", "range", "year", "my", "mdy", "dmy", "month", "relmonth", "time", "decade",
                          "decadeword", "century", "iso", "slash", "rel", "deictic", "weekday", "season", "holiday"})
POSITION_KINDS = frozenset({"year", "my", "month", "relmonth", "decade", "decadeword", "century", "season", "rel", "quarter",
                            "half", "weekday", "deictic", "fiscal", "mdy", "dmy", "holiday"})

_WORD = re.compile(r"[\w'’.$£€#-]+")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|'ll")
# A sentence ends after . ! ? (and closing quotes or brackets) and space, before an ASCII capital or a digit
# (or an opening quote or bracket and one), or at a line break: "Acme Inc. said" and "3 p.m. yesterday" do
# not end one. ``story.events`` keeps a looser rule of its own (any space after . ! ?), which also ends a
# sentence before a lowercase word, "É" or "‘", and not after "]"; the time stage with that rule changes
# TimeML values, so the two stay apart.
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“'(\[]?[A-Z0-9])|\n")


def word_before(text: str, pos: int) -> str:
    """The word that ends just before ``pos`` (lowercased, trailing dot kept), or ''."""
    lo = max(0, pos - 40)
    words = _WORD.findall(text[lo:pos])
    return words[-1].lower() if words else ""


def word_after(text: str, pos: int) -> str:
    """The word that starts after ``pos`` (case kept), or ''."""
    m = _WORD.search(text, pos, min(len(text), pos + 40))
    return m.group(0) if m else ""


def accept(kind: str, m: re.Match[str], text: str) -> bool:
    """Whether a candidate reads as a time expression in its context."""
    start, end = m.start(), m.end()
    prev = word_before(text, start)
    g = m.groupdict()
    if kind == "year":
        return _accept_year(m, text, prev)
    if kind == "month":
        nxt = word_after(text, end)
        if prev.rstrip(".") in W.MONTH_PREPS or text[max(0, start - 1):start] == "-":
            return True
        if m.group("mon").lower() == "may":
            return False
        return not (nxt[:1].isupper() and nxt.lower() not in ("the", "a", "and", "or"))
    if kind == "weekday":
        before = text[max(0, start - 30):start].rstrip()
        pw = _WORD.findall(before)
        # "Black Friday", "Super Tuesday": a capitalised word in front names a day of its own
        return not (pw and pw[-1][:1].isupper() and before[-1:] not in ",.;:!?"
                    and pw[-1].lower() not in W.MONTH_PREPS | {"on", "said", "late"})
    if kind == "decade":
        return bool(g["c"] or g["apos"]) or prev in ("the", "early", "mid", "late", "and", "or", "to", "mid-")
    if kind == "season":
        if g.get("y") or g.get("yr") or g.get("ythe"):
            return True
        lead = text[start:end].lower().startswith("the")
        nxt = word_after(text, end).lower()
        if nxt in ("of", "in", "to", "from", "out", "up", "back", "into", "water", "training", "break"):
            return False
        return prev in W.SEASON_PREPS or (lead and prev in ("in", "during", "by", "until", "since", "through"))
    if kind == "qshort":
        return bool(g["y"]) or prev in ("in", "the", "for", "during", "of", "its", "a", "by", "since")
    if kind == "dur":
        return _accept_duration(m)
    if kind == "range":
        return g["n"].lower() not in ("half",)
    if kind == "vague":
        return bool(g["over"] or g["r"] or g["dir"] or g["long"]) or prev == "for"
    if kind == "adjdur":
        return not g["old"] or g["old"].lower().endswith("long")
    if kind == "time":
        if g["H2"] == "24" and g["M2"] != "00":
            return False
        if g["ap"] or g["z"] or g["z2"]:
            return True
        return prev in W.TIME_PREPS
    if kind == "ref":
        w = re.sub(r"\s+", " ", g["w"].lower())
        nxt = word_after(text, end).lower()
        if w in ("the past", "the present", "the future"):  # not "the future of notebooks"
            return nxt not in ("of", "tense", "participle", "perfect", "continuous", "progressive")
        if w.endswith("soon"):  # not "as soon as possible", "soon after"
            return prev != "as" and nxt not in ("after", "afterwards", "thereafter", "as", "enough")
        return True
    return True


def _accept_year(m: re.Match[str], text: str, prev: str) -> bool:
    start, end = m.start(), m.end()
    y = int(m.group("y"))
    before = text[max(0, start - 12):start]
    if before.endswith(("-", "–")):
        stem = re.search(r"(\w+)[-–]$", before)
        if not stem or not (stem.group(1).lower() in ("mid", "early", "late", "pre", "post")
                            or re.fullmatch(r"1\d{3}|20\d{2}", stem.group(1))):
            return False
    if re.search(r"(?:[$£€#]|US\$|[A-Z]{1,3}\$)\s*$", before):
        return False
    after = text[end:end + 20]
    if re.match(r"\s*(?:%|percent\b|per\s+cent\b)", after):
        return False
    if word_after(text, end).lower().rstrip(".,") in W.COUNT_NOUNS:
        return False
    if prev.rstrip(".") in W.YEAR_PREPS or prev.endswith("-"):
        return True
    return 1900 <= y <= 2099 and prev not in W.QUANTITY_WORDS


def _accept_duration(m: re.Match[str]) -> bool:
    n = m.group("n").lower()
    u = m.group("u").lower()
    plural = u.endswith("s")
    if n in ("a", "an", "single") and plural:
        return False
    if re.sub(r"\s+", " ", n) in W.VAGUE_NUMBERS and not plural:
        return False
    if u == "second" and not n[:1].isdigit():
        return False
    return not (u == "quarter" and n in ("a", "an", "one"))  # "a quarter of its dealers"


_CLAUSE_OPENERS = {"that", "which", "who", "whom", "whose", "because", "while", "whereas", "although", "though", "but", "unless"}


def guess_tense(text: str, start: int, end: int | None = None) -> str:
    """Guess the tense of the clause around ``text[start:end]`` from nearby words.

    Looks at up to sixteen words before and six after, within the sentence,
    and takes the nearest cue (a participle after "be" defers to its auxiliary): will / 'll / would / going to / plans to / next ->
    ``future``; was / were / had / ago / last / an -ed verb -> ``past``; failing
    those, is / are -> ``present``. News reports the past, so the default is ``past``.
    """
    end = start if end is None else end
    lo = max(0, start - 160)
    cut = max((m.end() for m in SENTENCE_END.finditer(text, lo, start)), default=lo)
    stop = SENTENCE_END.search(text, end, min(len(text), end + 80))
    before = _TOKEN.findall(text[cut:start].lower())[-16:]
    after = _TOKEN.findall(text[end:stop.start() if stop else min(len(text), end + 80)].lower())[:6]
    # a clause that starts after the expression has its own tense: "told a meeting in
    # February that the studio would fold" is past, whatever "would" says
    for k, w in enumerate(after):
        if w in _CLAUSE_OPENERS:
            after = after[:k]
            break
    present = False
    for i in range(max(len(before), len(after))):
        for words, j in ((before, len(before) - 1 - i), (after, i)):
            if not 0 <= j < len(words):
                continue
            w, nxt = words[j], words[j + 1] if j + 1 < len(words) else ""
            prv = words[j - 1] if j else ""
            if w in W.FUTURE_CUES or w.endswith("'ll") or (w, nxt) in W.FUTURE_BIGRAMS:
                return "future"
            if prv in ("be", "being"):
                continue  # a passive participle ("to be held") says nothing; its auxiliary does
            if w in W.PAST_CUES or (w.endswith("ed") and len(w) > 4 and w not in W.NOT_PAST_ED):
                return "past"
            present = present or w in W.PRESENT_CUES or (
                prv in W.SUBJECT_PRONOUNS and w.endswith("s") and w not in ("was", "has"))
    return "present" if present else "past"
