"""Property tests of the whole pipeline: any text in, a consistent record out.

The texts mix arbitrary Unicode with news-like pieces (sentences, every kind of
quote mark, apostrophes, dashes, ellipses, line breaks, speaker phrases and a
`` date YYYY-MM-DD `` header), all written for these tests. Whatever comes in,
``storyline.extract`` must not raise, must keep the text verbatim, and every
span, id and reference in the record must hold together.

(The property test of ``storyline.stages.shared.quotemarks.scan_quotes`` alone lives in
``test_quotemarks.py``.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.model

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MARKS = ['"', "“", "”", "‘", "’", "'"]
PIECES = [
    "The council met on Tuesday.",
    "Ana Ruiz said",
    "Ana Ruiz said.",
    "said Ana Ruiz.",
    "Tomas Bell told reporters",
    "the mayor said",
    "she said",
    "he added",
    "We will not give up,",
    "It is too early to tell.",
    "The plan is late",
    "Ruiz, 54, a nurse,",
    "Bell",
    "Greenvale Water Board",
    "don't",
    "it's",
    "the players'",
    "rock 'n' roll",
    "’90s",
    "f***",
    " – ",
    " — ",
    "-",
    "…",
    "...",
    ",",
    ".",
    ":",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
]
HEADER = " date 2026-01-05 "

piece = st.one_of(
    st.sampled_from(PIECES),
    st.sampled_from(MARKS),
    st.text(max_size=12),
)


@st.composite
def news_texts(draw: st.DrawFn) -> str:
    """Arbitrary Unicode and news-like fragments, sometimes after a date header."""
    parts = draw(st.lists(piece, max_size=30))
    body = "".join(parts)
    if draw(st.booleans()):
        body = HEADER + body
    return body


def _spans(rec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every span of a plain record, labelled by where it sits."""
    for q in rec["quotes"]:
        for key in ("content", "cue", "source_span"):
            if q.get(key) is not None:
                yield f"quote {q['id']} {key}", q[key]
    for e in rec["entities"]:
        for i, m in enumerate(e["mentions"]):
            yield f"entity {e['id']} mention {i}", m
    for r in rec["relations"]:
        if r.get("evidence") is not None:
            yield f"relation {r['subject']} {r['predicate']} {r['object']} evidence", r["evidence"]
    for ev in rec["events"]:
        yield f"event {ev['id']} trigger", ev["trigger"]
    for t in rec["timexes"]:
        yield f"timex {t['id']}", t


def check_record(text: str, record: Any) -> None:
    """Everything a record of ``text`` must satisfy, whatever ``text`` is."""
    assert record.text == text
    rec = record.to_dict()
    json.dumps(rec)  # JSON-serialisable, no stray objects
    json.dumps(rec, ensure_ascii=False)
    assert rec["schema"] == "storyline/1"
    assert rec["text"] == text

    for where, span in _spans(rec):
        start, end = span["start"], span["end"]
        assert isinstance(start, int) and isinstance(end, int), f"{where}: {span}"
        assert 0 <= start <= end <= len(text), f"{where}: {start}-{end} outside 0-{len(text)}"
        assert text[start:end] == span["text"], f"{where}: text[{start}:{end}]={text[start:end]!r} != {span['text']!r}"

    entity_ids = [e["id"] for e in rec["entities"]]
    assert len(entity_ids) == len(set(entity_ids)), f"duplicate entity ids: {entity_ids}"
    ids = set(entity_ids)
    for q in rec["quotes"]:
        for key in ("speaker", "reported_by", "addressee"):
            assert q[key] is None or q[key] in ids, f"quote {q['id']} {key}={q[key]!r} is not an entity id"
    for r in rec["relations"]:
        assert r["subject"] in ids and r["object"] in ids, f"relation {r} names an unknown entity"

    quote_ids = [q["id"] for q in rec["quotes"]]
    assert len(quote_ids) == len(set(quote_ids)), f"duplicate quote ids: {quote_ids}"
    for i, q in enumerate(rec["quotes"]):
        if q["continues"] is not None:
            assert q["continues"] in quote_ids[:i], f"quote {q['id']} continues {q['continues']!r}, not an earlier quote"

    # The record object itself agrees with its plain form.
    for q in record.quotes:
        assert text[q.content.start : q.content.end] == q.content.text
    for e in record.entities:
        assert record.entity(e.id) is e


@SETTINGS
@given(news_texts())
@example("")
@example(" ")
@example("\n\n")
@example(HEADER)
@example(HEADER + "“We will appeal,” Ana Ruiz said.\n\n“It is not over.”")
@example("“We will not give up,” said Ana Ruiz. “It is too early to tell.")
@example('"\n\n"')
@example("’’’‘‘“”\"'")
@example("Ana Ruiz said: “The plan is late…\n\n“It is too early to tell.”")
def test_extract_never_breaks(text: str) -> None:
    import storyline

    record = storyline.extract(text)
    check_record(text, record)


@SETTINGS
@given(st.text(max_size=200))
def test_extract_arbitrary_unicode(text: str) -> None:
    import storyline

    record = storyline.extract(text)
    check_record(text, record)


# --- the date patterns' word gates only ever skip texts without a match --------------------------------------------

_DATE_WORDS = [
    "2025-01-28", "3/4/2025", "12/31/24", "January", "Jan.", "JAN", "Sept", "May", "March", "17", "17th", "1990s", "'90s",
    "the", "of", "last", "next", "this", "past", "coming", "same", "whole", "entire", "week", "weeks", "month", "year",
    "years", "quarter", "Q3", "first", "second", "half", "fiscal", "FY", "2024", "century", "21st", "spring", "fall",
    "summer", "winter", "today", "tonight", "yesterday", "Monday", "mon", "morning", "evening", "every", "each", "per",
    "once", "twice", "a", "times", "annual", "weekly", "daily", "3", "three", "ten", "-year", "-month", "day",
    "before", "after", "earlier", "later", "10:30", "4", "p.m.", "am", "noon", "midnight", "Christmas", "new", "eve",
    "twenties", "nineties", "decade", "hours", "minutes", "around", "early", "mid-", "late", "ago", "since", "until",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_DATE_WORDS), min_size=1, max_size=8), st.sampled_from([" ", ", ", "-", " of ", ""]))
def test_date_gates_never_hide_a_match(words: list[str], glue: str) -> None:
    """A kind's gate may stay shut only on a text where the kind's pattern finds nothing.

    The gates in ``datepatterns`` restate, for speed, words every match must
    hold; this fails when a pattern is changed and its gate is not.
    """
    from storyline.stages.time.grammar import PATTERNS, gate_open, lowered_for_gates

    text = "On " + glue.join(words) + "."
    lowered = lowered_for_gates(text)
    for kind, pattern in PATTERNS:
        if pattern.search(text) is not None:
            assert gate_open(kind, text, lowered), (kind, text)


_GATED_PHRASES = [
    "2025-01-28", "3/4/2025", "January 17, 2025", "17 January 2025", "January 2025", "the first week of March",
    "last March", "March of this year", "the 1990s", "the '90s", "Q3 2024", "Monday", "annual", "fiscal 2024", "FY2024",
    "the nineties", "the 21st century", "the first quarter of 2024", "the second half of the year", "spring 2024",
    "last week", "the day before", "the same day", "the whole year", "the end of the year", "yesterday",
    "this morning", "three years", "two to three years", "the same month a year earlier", "for years", "a five-year plan",
    "every week", "twice a year", "10:30 a.m.",
    "Christmas Eve",
]


def test_date_gates_open_on_a_match_of_every_gated_kind() -> None:
    """Each gated kind is found in some phrase, and its gate is open there (a phrase per kind, not left to chance)."""
    from storyline.stages.time.grammar import CASED_GATES, PATTERNS, WORD_GATES, gate_open, lowered_for_gates

    matched: set[str] = set()
    for phrase in _GATED_PHRASES:
        text = f"It happened {phrase}, they said."
        lowered = lowered_for_gates(text)
        for kind, pattern in PATTERNS:
            if pattern.search(text) is not None:
                matched.add(kind)
                assert gate_open(kind, text, lowered), (kind, phrase)
    assert set(WORD_GATES) | set(CASED_GATES) <= matched, sorted((set(WORD_GATES) | set(CASED_GATES)) - matched)


# --- the date patterns scanned the quick way (lowered text, lines) find what a whole scan finds ----------------------

_GLUES = [" ", ", ", "-", " of ", "", "\t", "\n", ".\n\n"]
_CASED_WORDS = [
    *_DATE_WORDS, "YEARS", "Week", "LAST", "The", "NEXT", "Two", "DAYS", "Ago", "Every", "Century", "Fall", "Today's",
    "Mid-", "Q1", "Thursday", "Sept.", "2026-01-12", "date", "the 3rd of", "mid-March", "'90s", "10:30", "5 p.m.",
    # letters that lower() and the regex engine's IGNORECASE fold differently, and other cased non-ASCII letters
    "İ", "ı", "ſ", "\u212a", "s", "k", "i", "Kelvin", "\u017fix", "ﬆ", "é", "É",
]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_CASED_WORDS), st.sampled_from(_GLUES)), min_size=1, max_size=12))
def test_date_patterns_scanned_the_quick_way_find_the_same_matches(pieces: list[tuple[str, str]]) -> None:
    """``datepatterns.finditer`` gives ``list(pattern.finditer(text))``: the same spans and the same groups.

    Each kind in ``LOWERED`` runs without IGNORECASE on the lowered text; any
    letter case, and the letters ``str.lower`` does not fold as the regex
    engine does (İ, ı, ſ, the Kelvin sign), must not change what is found.
    Each kind in ``LINE_LOCAL`` scans only the lines holding its gate's piece;
    line breaks anywhere must not change it either.
    """
    from storyline.stages.time.grammar import PATTERNS, finditer, lowered_for_gates

    text = "On " + "".join(word + glue for word, glue in pieces)
    lowered = lowered_for_gates(text)
    lines: dict[int, list[tuple[int, int]]] = {}
    for kind, pattern in PATTERNS:
        want = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        got = [(m.span(), m.groupdict()) for m in finditer(kind, pattern, text, lowered, lines)]
        assert got == want, (kind, text)


def test_the_quick_scans_cover_the_kinds_they_are_for() -> None:
    """The kinds whose letters all match in any case have a lowered twin; those naming capitalised words scan lines."""
    from storyline.stages.time.grammar import LINE_LOCAL, LOWERED

    assert {"dur", "range", "vague", "adjdur", "ref", "rel", "set", "freq", "deictic", "season"} <= set(LOWERED)
    assert not {"mdy", "dmy", "my", "month", "weekday", "fiscal", "qshort", "time"} & set(LOWERED)
    assert {"iso", "mdy", "dmy", "my", "weekof", "relmonth", "month", "weekday"} <= LINE_LOCAL
