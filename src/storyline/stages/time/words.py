"""Word tables and regex pieces for ``storyline.stages.time``.

Plain data only: month and weekday names, number words, duration units,
seasons, parts of the day, frequency words, holidays and the words that
signal tense. ``grammar`` builds its patterns from the ``*_RE`` strings here,
so the grammar can grow by editing tables rather than code.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}

_FULL_MONTHS = [m for m in MONTHS if len(m) > 4 or m in ("may", "june", "july")]
_ABBR_MONTHS = [m for m in MONTHS if m not in _FULL_MONTHS]
_FULL_DAYS = [d for d in WEEKDAYS if d.endswith("day")]
_ABBR_DAYS = [d for d in WEEKDAYS if not d.endswith("day")]


def _caps(words: list[str]) -> str:
    """Alternation of Capitalised and UPPER forms: month names are proper nouns ("may" is a verb)."""
    forms = sorted({w.capitalize() for w in words} | {w.upper() for w in words}, key=len, reverse=True)
    return "|".join(forms)


# A full month name, or an abbreviation (with an optional dot).
MONTH_FULL_RE = rf"(?:{_caps(_FULL_MONTHS)})"
MONTH_RE = rf"(?:{_caps(_FULL_MONTHS)}|(?:{_caps(_ABBR_MONTHS)})\.?)(?![A-Za-z])"
WEEKDAY_FULL_RE = rf"(?:{_caps(_FULL_DAYS)})"
WEEKDAY_RE = rf"(?:{_caps(_FULL_DAYS)}|(?:{_caps(_ABBR_DAYS)})\.)"

NUMBER_WORDS: dict[str, float] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "a dozen": 12, "dozen": 12, "a couple of": 2, "couple of": 2, "a couple": 2,
    "a": 1, "an": 1, "single": 1, "half a": 0.5, "half an": 0.5, "a half": 0.5,
}
# Quantities that say "more than one" without a number: the TIMEX3 value uses X.
VAGUE_NUMBERS = ("a few", "few", "several", "some", "many", "numerous", "a number of",
                 "dozens of", "hundreds of", "countless")

_UNITS_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_ONES = "one|two|three|four|five|six|seven|eight|nine"
_WORD_NUM = (rf"(?:(?:{_UNITS_TENS})(?:[- ](?:{_UNITS_ONES}))?|ten|eleven|twelve|thirteen|fourteen|fifteen|"
             rf"sixteen|seventeen|eighteen|nineteen|{_UNITS_ONES}|a hundred|hundred|a dozen|dozen)")
_HALF = r"(?:[- ]and[- ]a[- ]half)"
# A count before a unit: "two", "2", "2.5", "twenty-five", "two and a half", "a", "several".
NUMBER_RE = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_WORD_NUM}{_HALF}?|(?:a|an|one){_HALF}|"
             r"half an?|a half|a couple(?: of)?|couple of|single|an|a|"
             r"a few|few|several|some|many|numerous|a number of|dozens of|hundreds of|countless)")
# Counts that may stand in a hyphenated adjective: "27-year", "fifty-year", "12-hour".
ADJ_NUMBER_RE = rf"(?:\d+(?:\.\d+)?|{_WORD_NUM}|half)"

# unit word -> (TIMEX3 designator, multiplier, is a clock unit)
UNITS: dict[str, tuple[str, float, bool]] = {
    "second": ("S", 1, True), "minute": ("M", 1, True), "hour": ("H", 1, True),
    "day": ("D", 1, False), "night": ("D", 1, False), "week": ("W", 1, False),
    "fortnight": ("W", 2, False), "month": ("M", 1, False), "quarter": ("M", 3, False),
    "year": ("Y", 1, False), "decade": ("Y", 10, False), "century": ("Y", 100, False),
}
UNIT_RE = (r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?|"
           r"years?|decades?|centur(?:y|ies))")
ADJ_UNIT_RE = r"(?:second|minute|hour|day|night|week|month|quarter|year|decade|century)"
# Unknown counts of decades and centuries keep their own TIMEX3 unit (PXDE, PXCE).
VAGUE_UNIT = {"decade": "DE", "century": "CE"}

# A relative word before a unit, a month or "year" -> how many of them from now ("last year" is -1).
REL_STEPS: dict[str, int] = {"this": 0, "current": 0, "same": 0, "last": -1, "past": -1, "previous": -1, "this past": -1,
                             "next": 1, "coming": 1, "following": 1, "upcoming": 1, "this coming": 1}

SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY: dict[str, str] = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                                "overnight": "NI"}

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}
ORDINAL_RE = "|".join(sorted(ORDINALS, key=len, reverse=True))
DECADE_WORDS: dict[str, int] = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5,
                                "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9}

# Deictic words with a fixed TIMEX3 reference value (TimeML: "recently" is PAST_REF).
REF_WORDS: dict[str, str] = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "at present": "PRESENT_REF", "at the moment": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF", "presently": "PRESENT_REF", "the present": "PRESENT_REF",
    "recently": "PAST_REF", "more recently": "PAST_REF", "lately": "PAST_REF",
    "the past": "PAST_REF", "formerly": "PAST_REF",
    "the future": "FUTURE_REF", "soon": "FUTURE_REF",
    "very soon": "FUTURE_REF", "shortly": "FUTURE_REF", "the near future": "FUTURE_REF",
}

# Frequency words and their period: "annually" is a SET with value P1Y.
SET_WORDS: dict[str, str] = {
    "annually": "P1Y", "annual": "P1Y", "yearly": "P1Y", "monthly": "P1M", "weekly": "P1W",
    "daily": "P1D", "nightly": "P1D", "hourly": "PT1H", "quarterly": "P3M", "biannually": "P6M",
}

# Fixed-date holidays (month, day); Thanksgiving is computed.
HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
    "new year's eve": (12, 31), "new year's day": (1, 1), "halloween": (10, 31),
    "valentine's day": (2, 14), "boxing day": (12, 26), "new year's": (1, 1), "new year": (1, 1),
}

# Tense cues for the words around an expression when no parse is given.
FUTURE_CUES = frozenset({
    "will", "'ll", "shall", "wo", "would", "next", "upcoming", "coming", "should", "gonna",
    "plans", "plan", "planning", "expected", "expects", "scheduled", "slated", "intends", "due",
    "may", "might", "deadline", "wants", "aims", "hopes",
})
FUTURE_BIGRAMS = frozenset({("going", "to"), ("set", "to"), ("to", "be"), ("is", "to"), ("are", "to")})
PAST_CUES = frozenset({
    "was", "were", "had", "did", "ago", "last", "said", "came", "went", "made", "took", "gave",
    "began", "begun", "saw", "told", "sold", "won", "lost", "left", "met", "held", "rose", "fell",
    "bought", "paid", "got", "found", "became", "ran", "struck", "wrote", "spoke", "brought",
    "thought", "knew", "grew", "chose", "flew", "earlier", "previously", "former", "since",
})
SUBJECT_PRONOUNS = frozenset({"it", "he", "she", "which", "who", "that", "this"})
PRESENT_CUES = frozenset({"is", "are", "am", "now", "currently", "today"})
# Words that end in -ed without being past verbs.
NOT_PAST_ED = frozenset({"need", "feed", "seed", "speed", "red", "bed", "shed", "hundred", "united",
                         "indeed", "proceed", "succeed", "exceed", "breed", "greed", "weed", "wed",
                         "led", "fled", "bled", "planned", "scheduled", "expected", "proposed"})

# Words after a bare four-digit number that show it is a count, not a year.
COUNT_NOUNS = frozenset({"percent", "per", "million", "billion", "thousand", "people", "units",
                         "jobs", "employees", "workers", "cars", "vehicles", "aircraft", "planes",
                         "dealers", "dealerships", "points", "shares", "times", "miles", "feet",
                         "meters", "metres", "kilometres", "kilometers", "km", "pounds", "dollars",
                         "euros", "tons", "tonnes", "hp", "mph", "x"})
# Words before a bare number that make it a year.
YEAR_PREPS = frozenset({"in", "since", "by", "of", "from", "to", "until", "till", "through", "before",
                        "after", "during", "between", "and", "or", "for", "year", "early", "mid", "late",
                        "circa", "fiscal", "around", "spring", "summer", "autumn", "fall", "winter",
                        "c.", "ca.", "the", "as", "within", "throughout"})
# Words before a bare number that make it a count ("sold 2000 iPods"), not a year.
QUANTITY_WORDS = frozenset({"sold", "bought", "shipped", "cut", "cuts", "hired", "employs", "employed", "laid",
                            "added", "built", "delivered", "ordered", "produced", "gained", "about", "nearly",
                            "some", "approximately", "roughly", "almost", "only", "least", "most", "total",
                            "all", "over", "under", "were", "are", "with", "x"})

# Words before a month name or weekday that make it a date ("in May", not "May I").
MONTH_PREPS = frozenset({"in", "of", "since", "until", "till", "by", "from", "to", "through", "during",
                         "before", "after", "early", "mid", "late", "last", "next", "this", "that",
                         "each", "every", "between", "and", "or", "as", "throughout", "for", "on",
                         "following", "around", "about", "past", "coming", "end", "start"})
# Words before a bare clock time ("at 18:30") that make it a time, not a ratio or score.
TIME_PREPS = frozenset({"at", "by", "until", "till", "from", "to", "around", "about", "before", "after",
                        "since", "between", "and", "approximately", "roughly", "circa", "past"})
# Words before a bare season name that make it a time ("in spring", not "hot spring").
SEASON_PREPS = frozenset({"in", "during", "by", "until", "till", "since", "through", "throughout",
                          "early", "late", "mid", "for", "over", "this", "next", "last", "that"})
