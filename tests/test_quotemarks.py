"""Quotemarks: quoted passages found by their marks, with exact offsets.

All sentences here are written for these tests. None of these tests need the
spaCy model; the ones marked ``shared`` read ``../shared`` and skip without it.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import QUOTE_UNBALANCED, QUOTE_UNCLOSED_PARAGRAPH
from storyline.stages.shared.quotemarks import QuotedSpan, scan_quotes

MARKS = "\"“”„‟«»‘’'"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def contents(text: str) -> list[str]:
    spans, _ = scan_quotes(text)
    return [s.text for s in spans]


def extent_end(span: QuotedSpan) -> int:
    """Where a span's marks and content end (the closing mark included)."""
    return span.close + 1 if span.close is not None else span.end


# (id, text, expected contents in order of their opening marks); none of these report an issue.
CASES = [
    (
        "curly-with-apostrophes",
        "“Hey, Sam… honestly, this doesn’t change a thing,” he wrote at night.",
        ["Hey, Sam… honestly, this doesn’t change a thing,"],
    ),
    ("straight-split-around-cue", '"We tried," she said. "It did not work."', ["We tried,", "It did not work."]),
    ("curly-split-around-cue", "“We tried,” she said. “It failed.”", ["We tried,", "It failed."]),
    ("partial-in-narration", 'The mayor said his "patience ran out" on Monday.', ["patience ran out"]),
    ("two-partials", 'She called them "reckless" and "late" twice.', ["reckless", "late"]),
    (
        "curly-apostrophes-only",
        "I’m sure the players’ union won’t mind rock ’n’ roll from the ’90s at six o’clock.",
        [],
    ),
    ("straight-apostrophes-only", "It's the players' turn; rock 'n' roll since the '80s, y'all.", []),
    ("elisions", "Let ’em in, ’tis late and ’cause we can.", []),
    ("censored-words", '"I f–ked it up, f--k it, f**k," he admitted.', ["I f–ked it up, f--k it, f**k,"]),
    ("censored-at-close", 'He said: "What the f–" and stopped.', ["What the f–"]),
    (
        "single-nested-in-double",
        "\"They called it 'a total mess' today,\" she said.",
        ["They called it 'a total mess' today,", "a total mess"],
    ),
    (
        "curly-single-nested-in-double",
        "“They called it ‘a total mess’ today,” she said.",
        ["They called it ‘a total mess’ today,", "a total mess"],
    ),
    ("apostrophe-in-double", '"Where are the dogs\' bowls?" he asked.', ["Where are the dogs' bowls?"]),
    ("british-single-top-level", "‘We are not done yet,’ the coach said.", ["We are not done yet,"]),
    (
        "british-double-nested-in-single",
        "‘He called it “a sham”,’ she said.",
        ["He called it “a sham”,", "a sham"],
    ),
    (
        "plural-possessive-inside-single",
        "‘The workers’ union was late,’ he said.",
        ["The workers’ union was late,"],
    ),
    ("possessive-then-single-quote", "The players’ coach said ‘never’ again.", ["never"]),
    ("guillemets", "«Nous restons», a-t-il dit.", ["Nous restons"]),
    ("german-low-high", "„Wir bleiben“, sagte er.", ["Wir bleiben"]),
    ("danish-reversed-guillemets", "»Vi bliver«, sagde han.", ["Vi bliver"]),
    ("curly-close-used-as-open", "”It is over,” she said.", ["It is over,"]),
    ("curly-open-used-as-close", "“It is over,“ she said.", ["It is over,"]),
    ("empty-quotes-ignored", 'He typed "" and “” then left.', []),
    ("inch-marks", "The shelf is 6'2\" high and the print 8\"x10\".", []),
    ("no-space-after-colon", 'He said:"Stop now." Then he left.', ["Stop now."]),
    ("after-dash", 'She replied—"never again."', ["never again."]),
    ("in-parentheses", '(He wrote "soon" twice.)', ["soon"]),
    ("nested-same-family", '"He told me "no" twice," she said.', ['He told me "no" twice,', "no"]),
    ("mixed-family-nesting", '“He called it "junk," plainly,” she said.', ['He called it "junk," plainly,', "junk,"]),
    ("possessive-after-curly-quote", "“I’m fine,” said the players’ coach.", ["I’m fine,"]),
    ("crlf-paragraphs", '"One," he said.\r\n\r\n"Two," she said.', ["One,", "Two,"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cases(text: str, expected: list[str]) -> None:
    spans, issues = scan_quotes(text)
    assert [s.text for s in spans] == expected
    assert issues == []
    for span in spans:
        assert span.text == text[span.start : span.end]
        assert span.close is not None


def test_paired_apostrophes_are_double_marks() -> None:
    text = "''This isn't reform,'' said Ada Brink. She called it ``tinkering'' and ''a mess.''"
    spans, issues = scan_quotes(text)
    assert [s.text for s in spans] == ["This isn't reform,", "tinkering", "a mess."]
    assert [text[s.open : s.open + 2] for s in spans] == ["''", "``", "''"]
    assert [text[s.close : s.close + 2] for s in spans if s.close is not None] == ["''"] * 3
    assert all(s.style == "double" and s.depth == 0 for s in spans) and issues == []


def test_curly_offsets_and_style() -> None:
    text = "Ana said “go now” and ‘stay’ later."
    spans, _ = scan_quotes(text)
    first, second = spans
    assert (first.open, first.start, first.end, first.close) == (9, 10, 16, 16)
    assert first.close is not None and second.close is not None
    assert text[first.open] == "“" and text[first.close] == "”"
    assert first.style == "double" and second.style == "single"
    assert second.text == "stay" and text[second.open] == "‘" and text[second.close] == "’"


def test_nested_depth_and_parent() -> None:
    text = "\"They called it 'a total mess' today,\" she said. 'Fine,' he said."
    spans, issues = scan_quotes(text)
    assert issues == []
    assert [(s.text, s.depth, s.parent, s.style) for s in spans] == [
        ("They called it 'a total mess' today,", 0, None, "double"),
        ("a total mess", 1, 0, "single"),
        ("Fine,", 0, None, "single"),
    ]


def test_double_nested_in_british_single_has_single_as_parent() -> None:
    spans, _ = scan_quotes("‘He called it “a sham”,’ she said.")
    assert [(s.style, s.depth, s.parent) for s in spans] == [("single", 0, None), ("double", 1, 0)]


def test_no_third_level() -> None:
    # A single quote around a double that already holds a nested quote would
    # be three levels deep: the single marks are taken as apostrophes.
    spans, _ = scan_quotes("“He said ‘it’s “fine” now’ ok,” she added.")
    assert [(s.text, s.depth) for s in spans] == [("He said ‘it’s “fine” now’ ok,", 0), ("fine", 1)]


def test_multi_paragraph_quote() -> None:
    text = (
        '"The first part runs to the end of this paragraph.\n\n'
        '"The second part does too.\n'
        '  "And the third one closes," the chair said.\n'
        "Narration follows."
    )
    spans, issues = scan_quotes(text)
    assert issues == []
    assert [(s.text, s.close is None, s.continues_previous) for s in spans] == [
        ("The first part runs to the end of this paragraph.", True, False),
        ("The second part does too.", True, True),
        ("And the third one closes,", False, True),
    ]
    assert spans[0].end == text.index("\n")  # trailing newline not in the content


def test_unclosed_paragraph_not_reopened() -> None:
    text = '"This never closes.   \n\nThe next paragraph is narration "with" a quote.'
    spans, issues = scan_quotes(text)
    assert [(s.text, s.close) for s in spans] == [("This never closes.", None), ("with", text.rindex('"'))]
    assert [i.code for i in issues] == [QUOTE_UNCLOSED_PARAGRAPH]
    issue = issues[0]
    assert issue.stage == "quotes"
    assert issue.span is not None and issue.span.start == 0
    assert "at 0" in issue.message and "paragraph" in issue.message


def test_unclosed_last_paragraph() -> None:
    spans, issues = scan_quotes('Intro.\n"Left open at the very end')
    assert [s.text for s in spans] == ["Left open at the very end"]
    assert [i.code for i in issues] == [QUOTE_UNCLOSED_PARAGRAPH]


def test_reopening_with_single_mark_does_not_continue() -> None:
    spans, issues = scan_quotes("“Left open here.\n‘Tisn’t a continuation.")
    assert [s.continues_previous for s in spans] == [False]
    assert [i.code for i in issues] == [QUOTE_UNCLOSED_PARAGRAPH]


def test_missing_close_before_next_quote() -> None:
    text = '"We won, she said. "Now we rest."'
    spans, issues = scan_quotes(text)
    assert [(s.text, s.close is None, s.depth) for s in spans] == [
        ("We won, she said.", True, 0),
        ("Now we rest.", False, 0),
    ]
    assert [i.code for i in issues] == [QUOTE_UNBALANCED]
    assert "at 0" in issues[0].message and "kept" in issues[0].message


def test_closing_mark_without_opening_keeps_paragraph_start() -> None:
    # The opening mark is missing: what can be read is the paragraph start up to the close.
    text = 'Intro line.\n\n  We shipped it on time,” the lead said. Then "a real one" follows.'
    spans, issues = scan_quotes(text)
    start = text.index("We")
    assert [(s.text, s.open, s.start, s.close) for s in spans] == [
        ("We shipped it on time,", start, start, text.index("”")),
        ("a real one", text.index('"a') , text.index('"a') + 1, text.rindex('"')),
    ]
    assert [i.code for i in issues] == [QUOTE_UNBALANCED]
    assert issues[0].span is not None and issues[0].span.start == start
    assert f"at {text.index('”')}" in issues[0].message


def test_stray_closing_mark_after_a_quote() -> None:
    text = 'He said "yes" and left" there.'
    spans, issues = scan_quotes(text)
    assert [s.text for s in spans] == ["yes"]
    assert [(i.code, i.span.start if i.span else None) for i in issues] == [(QUOTE_UNBALANCED, 22)]


def test_headless_quote_holds_singles_before_its_close() -> None:
    spans, issues = scan_quotes("'Uneasy' on the hill road\" said a sign.")
    assert [(s.text, s.depth, s.parent) for s in spans] == [("'Uneasy' on the hill road", 0, None), ("Uneasy", 1, 0)]
    assert [i.code for i in issues] == [QUOTE_UNBALANCED]


def test_lone_opening_mark_at_paragraph_end() -> None:
    spans, issues = scan_quotes('He said: "\nThen nothing.')
    assert spans == []
    assert [i.code for i in issues] == [QUOTE_UNBALANCED]


def test_nested_left_open_when_outer_closes() -> None:
    spans, issues = scan_quotes("«Il a dit “oui puis non», ajouta-t-il.")
    assert [(s.text, s.depth, s.close is None) for s in spans] == [
        ("Il a dit “oui puis non", 0, False),
        ("oui puis non", 1, True),
    ]
    assert [i.code for i in issues] == [QUOTE_UNBALANCED]


def test_spans_sorted_by_open() -> None:
    text = "‘A “b” c,’ he said. \"d 'e' f\" and «g»."
    spans, _ = scan_quotes(text)
    assert [s.open for s in spans] == sorted(s.open for s in spans)
    assert [s.text for s in spans] == ["A “b” c,", "b", "d 'e' f", "e", "g"]


def test_many_marks_in_one_paragraph() -> None:
    spans, issues = scan_quotes('"a" ' * 5_000)
    assert len(spans) == 5_000 and issues == []
    spans, issues = scan_quotes('"' * 10_000)
    assert spans == [] and len(issues) == 1  # a run of marks pairs with nothing
    spans, issues = scan_quotes('"" ' * 5_000)
    assert spans == [] and issues == []  # "" is empty, not a quote
    spans, issues = scan_quotes('"a ' * 10_000)
    assert len(spans) == 10_000
    # Past a cap, unpaired marks are summed up in one issue per paragraph.
    assert 0 < len(issues) <= 52
    assert "more quote marks" in issues[-2].message or "more quote marks" in issues[-1].message


def test_large_text() -> None:
    para = 'The council met on Monday. "We will vote in May," said the clerk, who didn’t stay.\n\n'
    text = para * (5_000_000 // len(para))
    spans, issues = scan_quotes(text)
    assert len(spans) == 5_000_000 // len(para) and issues == []


# -- properties -----------------------------------------------------------------

MARKY = st.text(
    alphabet=st.sampled_from(list("ab .,—-(\n\r\t ’‘'\"“”„«»`") + ["n", "s", "9"]),
    max_size=200,
)


def check_invariants(text: str) -> None:
    spans, issues = scan_quotes(text)
    for k, span in enumerate(spans):
        # open == start only for a quote whose opening mark is missing (SL301).
        assert 0 <= span.open <= span.start <= span.end <= len(text)
        if span.open == span.start:
            assert span.close is not None and any(i.span and i.span.start == span.open for i in issues)
        assert span.text == text[span.start : span.end]
        assert any(not c.isspace() and c not in MARKS for c in span.text)
        assert span.style in ("double", "single")
        if span.close is not None:
            assert span.end == span.close < len(text)
        assert span.depth in (0, 1)
        if span.depth == 0:
            assert span.parent is None
        else:
            assert span.parent is not None and span.parent < k
            parent = spans[span.parent]
            assert parent.depth == 0
            assert parent.open <= span.open and extent_end(span) <= extent_end(parent)
    assert [s.open for s in spans] == sorted(s.open for s in spans)
    assert all(text[s.open] in MARKS or text[s.open : s.open + 2] == "``" for s in spans if s.open < s.start)
    for depth in (0, 1):
        level = [s for s in spans if s.depth == depth]
        for a, b in pairwise(level):
            assert extent_end(a) <= b.open
    for issue in issues:
        assert issue.code in (QUOTE_UNBALANCED, QUOTE_UNCLOSED_PARAGRAPH)
        assert issue.span is not None
        assert 0 <= issue.span.start < issue.span.end <= len(text)
        assert issue.span.text == text[issue.span.start : issue.span.end]


@settings(deadline=None, max_examples=300)
@given(MARKY)
def test_property_invariants_on_mark_heavy_text(text: str) -> None:
    check_invariants(text)


@settings(deadline=None)
@given(st.text())
def test_property_never_raises_on_any_unicode(text: str) -> None:
    check_invariants(text)


@settings(deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\"“”„‟«»‘’'")))
def test_property_no_marks_no_quotes(text: str) -> None:
    assert scan_quotes(text) == ([], [])


@settings(deadline=None)
@given(st.lists(st.text(alphabet="abc xyz,.", min_size=1).filter(str.strip), min_size=1, max_size=5))
def test_property_well_formed_quotes_found(parts: list[str]) -> None:
    text = " and ".join(f"“{p}”" for p in parts)
    spans, issues = scan_quotes(text)
    assert issues == []
    assert [s.text for s in spans] == parts


def test_lone_surrogate_does_not_crash() -> None:
    spans, _ = scan_quotes('"\ud800 x" and \udfff\'')
    assert [s.text for s in spans] == ["\ud800 x"]


# -- shared data ------------------------------------------------------------------


def _fixtures() -> list[dict[str, object]]:
    path = SHARED / "data" / "quote_fixtures.jsonl"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.mark.shared
def test_quote_fixtures_contents_found() -> None:
    fixtures = _fixtures()
    if not fixtures:
        pytest.skip("../shared/data/quote_fixtures.jsonl is absent")
    checked = 0
    for fixture in fixtures:
        text = fixture.get("text")
        expected = fixture.get("expected")
        # Fixtures that expect nothing are titles or scare quotes: that is
        # attribution's call, not the scanner's, so only positive ones count.
        if not isinstance(text, str) or not isinstance(expected, list):
            continue
        found = contents(text)
        for quote in expected:
            content = quote["content"].strip("\"“”‘’'«»„ ")
            assert content in found, (text, found)
            checked += 1
    assert checked > 0


@pytest.mark.shared
def test_fixtures_never_crash() -> None:
    fixtures = _fixtures()
    if not fixtures:
        pytest.skip("../shared/data/quote_fixtures.jsonl is absent")
    for fixture in fixtures:
        if isinstance(fixture.get("text"), str):
            check_invariants(str(fixture["text"]))


@pytest.mark.shared
def test_shared_article_sixteen_quotes() -> None:
    path = SHARED / "articles" / "000_d8d3167b20671ea0.txt"
    if not path.exists():
        pytest.skip("../shared/articles/000_d8d3167b20671ea0.txt is absent")
    text = path.read_text(encoding="utf-8")
    spans, issues = scan_quotes(text)
    assert issues == []
    doubles = [s for s in spans if s.style == "double"]
    assert len(doubles) == 16
    assert all(s.close is not None and s.depth == 0 for s in doubles)
    check_invariants(text)
