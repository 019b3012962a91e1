"""``storyline.evaluate``: metrics on hand-made spans, loaders on tiny fixtures, the CLI.

Every expected figure here was worked out by hand (the arithmetic is in the
comments). None of these tests need the spaCy model or ../shared; the runs on
the shared corpora are in ``test_evaluate_shared.py``. The texts and the
``tests/data/timeml`` files were written for these tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import storyline.evaluate.timex
from storyline.cli.main import main
from storyline.errors import BAD_ANNOTATION, BAD_PREDICTION, TEXT_MISMATCH, EvaluationError
from storyline.evaluate import (
    Attribution,
    TimexSpan,
    attribution_figures,
    evaluate_polnear,
    evaluate_timeml,
    greedy_match,
    load_polnear,
    parse_brat,
    parse_meantime,
    parse_timeml,
    prf,
    score_attributions,
    score_timexes,
    timex_figures,
    trim_span,
)
from storyline.evaluate.timex import match_relaxed, match_strict, score_timex_documents
from storyline.model import Quote, Record, Span, Timex
from storyline.spans import char_jaccard, jaccard, word_tokens

TIMEML_DIR = Path(__file__).resolve().parent / "data" / "timeml"


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps stderr apart already


def _invoke(args: list[str]) -> Result:
    return _runner().invoke(main, args, catch_exceptions=False)


def _at(text: str, piece: str, occurrence: int = 0) -> tuple[int, int]:
    """The (start, end) of the n-th occurrence of ``piece`` in ``text``."""
    starts = [m.start() for m in re.finditer(re.escape(piece), text)]
    return (starts[occurrence], starts[occurrence] + len(piece))


# --- spans: trimming, tokens, Jaccard, matching, P/R/F1 -------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("(“Yes — no…”)", 0, 13, (2, 10)),  # ( “ stripped left; … ” ) stripped right; inner dash kept
        ("ab “cd,” ef", 3, 8, (4, 6)),  # only inside the span: “cd,” -> cd
        ("  ”, — ", 0, 7, (0, 0)),  # nothing left: empty at the original start
        ("the boys' ", 0, 10, (0, 8)),  # a closing apostrophe is a quote mark too
        ("[note]", 0, 6, (0, 6)),  # brackets are not parentheses: kept
        ("x - y", 2, 3, (2, 2)),
    ],
)
def test_trim_span(text: str, start: int, end: int, expected: tuple[int, int]) -> None:
    assert trim_span(text, start, end) == expected


def test_word_tokens_are_positions_in_the_text() -> None:
    text = "Clinton’s van, said"
    assert word_tokens(text, (0, 13)) == {(0, 7), (8, 9), (10, 13)}  # Clinton, s, van
    assert word_tokens(text, (10, 19)) == {(10, 13), (15, 19)}  # van, said: offsets into text, not the slice
    # A span boundary inside a word makes a different token: "walk" != "walking".
    assert word_tokens("walking", (0, 4)) == {(0, 4)}
    assert not word_tokens("walking", (0, 4)) & word_tokens("walking", (0, 7))
    assert word_tokens(" — ", (0, 3)) == frozenset()


def test_jaccard() -> None:
    assert jaccard({1, 2, 3, 4}, {3, 4, 5}) == pytest.approx(2 / 5)
    assert jaccard({1, 2}, {1, 2, 3, 4}) == 0.5
    assert jaccard(set(), set()) == 0.0  # two empty spans never match
    # The same word at two places is two tokens: "the" (0,3) and "the" (8,11) do not overlap.
    text = "the cat the dog"
    assert jaccard(word_tokens(text, (0, 7)), word_tokens(text, (8, 15))) == 0.0


def test_char_jaccard() -> None:
    assert char_jaccard((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert char_jaccard((0, 10), (10, 20)) == 0.0  # half-open: touching is not overlapping


def test_greedy_match_takes_the_best_pair_first() -> None:
    # (0,1) 0.9 first; (1,1) is then blocked by pred 1; (1,0) 0.7 next; (0,0) blocked by gold 0.
    chosen = greedy_match([(0, 0, 0.6), (0, 1, 0.9), (1, 1, 0.8), (1, 0, 0.7)])
    assert chosen == [(0, 1, 0.9), (1, 0, 0.7)]


def test_greedy_match_ties_go_to_earlier_gold_then_earlier_prediction() -> None:
    # All 0.5: (0,0) wins; (0,1) loses gold 0; (1,0) loses pred 0; gold 1 and pred 1 were never candidates.
    assert greedy_match([(1, 0, 0.5), (0, 1, 0.5), (0, 0, 0.5)]) == [(0, 0, 0.5)]
    assert greedy_match([(1, 1, 0.5), (1, 0, 0.5), (0, 1, 0.5)]) == [(0, 1, 0.5), (1, 0, 0.5)]


def test_greedy_match_minimum_is_inclusive() -> None:
    assert greedy_match([(0, 0, 0.5)], minimum=0.5) == [(0, 0, 0.5)]
    assert greedy_match([(0, 0, 0.49)], minimum=0.5) == []


def test_prf() -> None:
    result = prf(3, 4, 6)  # P 3/4, R 3/6, F1 2·0.375/1.25
    assert (result.precision, result.recall, result.f1) == (0.75, 0.5, pytest.approx(0.6))
    assert prf(0, 0, 0)[:3] == (0.0, 0.0, 0.0)
    assert prf(0, 5, 0)[:3] == (0.0, 0.0, 0.0)


# --- attribution figures on one hand-made article ----------------------------------------------

ARTICLE = "Kim said: “We will win the vote.” Lee added that the budget was late, according to aides."


def _article_spans() -> tuple[list[Attribution], list[Attribution]]:
    t = ARTICLE
    gold = [
        Attribution(_at(t, "“We will win the vote.”"), _at(t, "Kim"), _at(t, "said"), quoted=True),
        Attribution(_at(t, "the budget was late"), _at(t, "Lee"), _at(t, "added"), quoted=False),
    ]
    pred = [
        # direct; exact after trimming (marks and the full stop); cue "said:" trims to "said".
        Attribution(_at(t, "We will win the vote"), _at(t, "Kim"), _at(t, "said:"), quoted=True),
        # indirect; 4 of 7 tokens shared = 0.571 >= 0.5: matched, not exact; no source; unknown speaker.
        Attribution(_at(t, "the budget was late, according to aides"), None, _at(t, "added"), False, False),
        # partial; shares no token with any gold content.
        Attribution(_at(t, "Lee added"), _at(t, "Lee"), None, quoted=True),
    ]
    return gold, pred


def test_score_attributions_counts() -> None:
    gold, pred = _article_spans()
    counts = score_attributions(ARTICLE, gold, pred)
    assert counts.all.to_dict() == {
        "n_gold": 2,
        "n_pred": 3,
        "matched": 2,
        "exact": 1,
        "source_exact": 1,  # Kim = Kim; Lee vs none
        "cue_exact": 2,  # said = "said:" trimmed; added = added
        "gold_with_source": 2,
        "speaker_overlap": 1,
        "pred_unknown_speaker": 1,
    }
    # quoted: gold 1 (only the first has a quote mark), predictions 2 (direct and partial).
    assert counts.quoted.to_dict() == {
        "n_gold": 1,
        "n_pred": 2,
        "matched": 1,
        "exact": 1,
        "source_exact": 1,
        "cue_exact": 1,
        "gold_with_source": 1,
        "speaker_overlap": 1,
        "pred_unknown_speaker": 0,
    }


def test_attribution_figures() -> None:
    gold, pred = _article_spans()
    fig = attribution_figures(score_attributions(ARTICLE, gold, pred))
    f = fig["content_all_overlap"]  # P 2/3, R 2/2, F1 2·(2/3)/(5/3) = 0.8
    assert (f["precision"], f["recall"], f["f1"]) == (pytest.approx(2 / 3), 1.0, pytest.approx(0.8))
    f = fig["content_all_exact"]  # P 1/3, R 1/2, F1 2·(1/6)/(5/6) = 0.4
    assert (f["precision"], f["recall"], f["f1"]) == (pytest.approx(1 / 3), 0.5, pytest.approx(0.4))
    f = fig["content_quoted_overlap"]  # P 1/2, R 1/1, F1 2/3
    assert (f["precision"], f["recall"], f["f1"]) == (0.5, 1.0, pytest.approx(2 / 3))
    assert fig["source_all_exact_on_matched"] == {"value": 0.5, "count": 1, "total": 2}
    assert fig["cue_all_exact_on_matched"] == {"value": 1.0, "count": 2, "total": 2}
    assert fig["source_quoted_exact_on_matched"]["value"] == 1.0
    assert fig["speaker_span_acc_quoted"] == {"value": 1.0, "count": 1, "total": 1}
    assert fig["unknown_speaker_share"] == {"value": pytest.approx(1 / 3), "count": 1, "total": 3}
    assert fig["unknown_speaker_share_quoted"] == {"value": 0.0, "count": 0, "total": 2}


def test_counts_add_up_across_articles() -> None:
    gold, pred = _article_spans()
    one = score_attributions(ARTICLE, gold, pred)
    two = one + one
    assert two.all.matched == 4 and two.quoted.n_pred == 4
    assert attribution_figures(two)["content_all_overlap"]["f1"] == pytest.approx(0.8)  # micro-average


def test_source_and_speaker_rules() -> None:
    text = "“Rain,” according to aides, said the office."
    content = _at(text, "“Rain,”")
    gold = [Attribution(content, None, _at(text, "said"), quoted=True)]
    # Neither side has a source: identical. The gold has none, so speaker accuracy has nothing to count.
    counts = score_attributions(text, gold, [Attribution(content, None, _at(text, "said"), quoted=True)])
    assert counts.quoted.source_exact == 1 and counts.quoted.gold_with_source == 0
    # A predicted source that overlaps the gold one counts for the speaker, not for the exact source.
    gold = [Attribution(content, _at(text, "aides"), None, quoted=True)]
    counts = score_attributions(text, gold, [Attribution(content, _at(text, "to aides"), None, quoted=True)])
    assert (counts.quoted.source_exact, counts.quoted.speaker_overlap) == (0, 1)


def test_match_threshold_boundary() -> None:
    text = "one two three four"
    gold = [Attribution(_at(text, "one two"))]
    assert score_attributions(text, gold, [Attribution((0, len(text)))]).all.matched == 1  # 2/4 = 0.5
    assert score_attributions(text, gold, [Attribution(_at(text, "two three four"))]).all.matched == 0  # 1/4


# --- PolNeAR loader ----------------------------------------------------------------------------

BRAT_TEXT = "Kim said “we will win” and aides agreed."
BRAT_ANN = """\
T1\tSource 0 3\tKim
T2\tCue 4 8\tsaid
T3\tContent 9 22\t“we will win”
T4\tAttribution 4 8\tsaid
T5\tSource 27 32\taides
T6\tCue 33 39\tagreed
T7\tContent 18 21;10 17\twin we will
T8\tAttribution 33 39\tagreed
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1 Content2:T7
E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7
T9\tCue 23 26\tand
T10\tAttribution 23 26\tand
E3\tAttribution:T10 Content:T3 Cue:T9
T11\tAttribution-no-source 33 39\tagreed
E4\tAttribution-no-source:T11\x20
#1\tAnnotatorNotes T3\ta note line, ignored
"""


def test_parse_brat() -> None:
    gold = parse_brat(BRAT_ANN, BRAT_TEXT)
    assert gold.attributions == (
        Attribution((9, 22), (0, 3), (4, 8), quoted=True),  # Content2 ignored
        Attribution((10, 21), (27, 32), (33, 39), quoted=False),  # fragments out of order: 10 to 21
    )
    assert (gold.no_content, gold.duplicate_content) == (1, 1)  # E4 has no content; E3 repeats T3


@pytest.mark.parametrize(
    "ann",
    ["T1\tContent 9\tx\n", "T1\tContent 9 99\tx\n", "T1\tCue 4 8\tsaid\nE1\tAttribution:T1 Content:T9\n"],
    ids=["malformed", "outside-text", "unknown-id"],
)
def test_parse_brat_rejects_bad_files(ann: str) -> None:
    with pytest.raises(EvaluationError) as info:
        parse_brat(ann, BRAT_TEXT, name="x.ann")
    assert info.value.code == BAD_ANNOTATION and "x.ann:" in info.value.message


def _polnear_dir(tmp_path: Path) -> Path:
    root = tmp_path / "dev"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "pub_2016-09-12_slug.txt").write_text(BRAT_TEXT, encoding="utf-8")
    # Two annotators: the first in sorted order (aa00) is the gold; zz99 would give nothing.
    (root / "attributions" / "pub_2016-09-12_slug_aa00.ann").write_text(BRAT_ANN, encoding="utf-8")
    (root / "attributions" / "pub_2016-09-12_slug_zz99.ann").write_text("", encoding="utf-8")
    (root / "text" / "other_2016-10-01_x.txt").write_text("No annotation here.", encoding="utf-8")
    return root


def test_load_polnear(tmp_path: Path) -> None:
    corpus = load_polnear(_polnear_dir(tmp_path))
    assert [a.doc_id for a in corpus.articles] == ["pub_2016-09-12_slug"]
    article = corpus.articles[0]
    assert (article.annotation, article.publisher, article.published) == ("pub_2016-09-12_slug_aa00.ann", "pub", "2016-09-12")
    assert len(article.gold.attributions) == 2
    assert corpus.unannotated == ("other_2016-10-01_x",)


def test_load_polnear_needs_the_layout(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="text/\\*.txt and attributions"):
        load_polnear(tmp_path)


def _record(text: str, *quotes: Quote, doc_id: str = "d") -> Record:
    return Record(doc_id=doc_id, text=text, quotes=quotes)


def _fake_predict(text: str, published: str | None, doc_id: str) -> Record:
    t = text
    return _record(
        t,
        Quote("q1", "direct", Span.of(t, *_at(t, "we will win")), "e1", Span.of(t, 4, 8), Span.of(t, 0, 3)),
        Quote("q2", "indirect", Span.of(t, *_at(t, "aides agreed")), None),
        doc_id=doc_id,
    )


def test_evaluate_polnear_with_a_stand_in(tmp_path: Path) -> None:
    report = evaluate_polnear(_polnear_dir(tmp_path), predict=_fake_predict, by_publisher=True)
    c = report.counts
    # all: q1 matches gold 1 exactly (marks trimmed), with source and cue; q2 shares no token with gold 2.
    assert (c.all.n_gold, c.all.n_pred, c.all.matched, c.all.exact) == (2, 2, 1, 1)
    assert (c.all.source_exact, c.all.cue_exact, c.all.pred_unknown_speaker) == (1, 1, 1)
    assert (c.quoted.n_gold, c.quoted.n_pred, c.quoted.matched) == (1, 1, 1)
    data = report.to_dict()
    assert data["by_publisher"]["pub"]["articles"] == 1
    assert data["gold"]["unannotated_texts"] == ["other_2016-10-01_x"]
    assert data["figures"]["content_quoted_exact"]["f1"] == 1.0


def test_evaluate_polnear_fails_when_the_text_differs(tmp_path: Path) -> None:
    def changed(text: str, published: str | None, doc_id: str) -> Record:
        return _record(text.replace("“", '"'), doc_id=doc_id)

    with pytest.raises(EvaluationError) as info:
        evaluate_polnear(_polnear_dir(tmp_path), predict=changed)
    assert info.value.code == TEXT_MISMATCH and "character 9" in info.value.message


def test_evaluate_polnear_counts_a_crash_as_no_predictions(tmp_path: Path) -> None:
    def crash(text: str, published: str | None, doc_id: str) -> Record:
        raise RuntimeError("boom")

    report = evaluate_polnear(_polnear_dir(tmp_path), predict=crash)
    assert report.failures == [("pub_2016-09-12_slug", "RuntimeError: boom")]
    assert (report.counts.all.n_gold, report.counts.all.n_pred) == (2, 0)


# --- time expressions: scorer ------------------------------------------------------------------


def test_score_timexes_by_hand() -> None:
    gold = [
        TimexSpan(0, 10, "DATE", "2025-01-28"),
        TimexSpan(20, 30, "DURATION", "P3W"),
        TimexSpan(40, 45, "TIME", "T19:30"),
    ]
    pred = [
        TimexSpan(0, 10, "DATE", "2025-01-28"),  # strict; value and type right
        TimexSpan(22, 35, "DURATION", "P2W"),  # relaxed only; value wrong
        TimexSpan(50, 55, "SET", "P1D"),  # nothing there
        TimexSpan(41, 44, "DATE", "T19:30"),  # relaxed only; type wrong, value right
    ]
    counts = score_timexes(gold, pred)
    assert (counts.strict, counts.relaxed, counts.value_correct, counts.type_correct) == (1, 3, 2, 2)
    fig = timex_figures(counts)
    assert fig["strict"]["f1"] == pytest.approx(2 / 7)  # P 1/4, R 1/3
    assert fig["relaxed"]["f1"] == pytest.approx(6 / 7)  # P 3/4, R 1
    assert fig["value_f1"]["f1"] == pytest.approx(4 / 7)  # P 2/4, R 2/3
    assert fig["value_accuracy"]["value"] == pytest.approx(2 / 3)
    assert fig["type_accuracy"]["value"] == pytest.approx(2 / 3)
    by = fig["by_type"]
    assert list(by) == ["DATE", "TIME", "DURATION", "SET"]
    # DATE: both DATE predictions are relaxed matches (precision by predicted type), the gold DATE is found.
    assert (by["DATE"]["precision"], by["DATE"]["recall"], by["DATE"]["n_pred"]) == (1.0, 1.0, 2)
    assert (by["DURATION"]["value_accuracy"], by["DURATION"]["type_accuracy"]) == (0.0, 1.0)
    assert (by["TIME"]["precision"], by["TIME"]["recall"], by["TIME"]["type_accuracy"]) == (0.0, 1.0, 0.0)
    assert (by["SET"]["precision"], by["SET"]["recall"], by["SET"]["n_gold"]) == (0.0, 0.0, 0)


def test_relaxed_matching_is_one_to_one_best_first() -> None:
    gold = [TimexSpan(0, 10, "DATE", None)]
    # Both halves score 5/10: the tie goes to the earlier prediction.
    assert match_relaxed(gold, [TimexSpan(5, 10, "DATE", None), TimexSpan(0, 5, "DATE", None)]) == [(0, 0, 0.5)]
    # One prediction over two golds pairs with the better fit (10/20 beats 8/20).
    gold = [TimexSpan(0, 8, "DATE", None), TimexSpan(10, 20, "DATE", None)]
    assert match_relaxed(gold, [TimexSpan(0, 20, "DATE", None)]) == [(1, 0, 0.5)]
    # Strict is one to one too: a duplicated prediction matches once.
    assert len(match_strict(gold, [TimexSpan(0, 8, "DATE", None)] * 2)) == 1


def test_a_gold_value_missing_is_never_right() -> None:
    counts = score_timexes([TimexSpan(0, 4, "DATE", None)], [TimexSpan(0, 4, "DATE", None)])
    assert (counts.strict, counts.value_correct) == (1, 0)


# --- time expressions: loaders -----------------------------------------------------------------

MEANTIME_XML = """<?xml version="1.0" ?><Document doc_id="1" doc_name="ferry" lang="en">
<token number="0" sentence="0" t_id="1">Ferry</token>
<token number="1" sentence="0" t_id="2">resumes</token>
<token number="2" sentence="1" t_id="3">January</token>
<token number="3" sentence="1" t_id="4">28</token>
<token number="4" sentence="1" t_id="5">,</token>
<token number="5" sentence="1" t_id="6">2025</token>
<token number="6" sentence="2" t_id="7">It</token>
<token number="7" sentence="2" t_id="8">ran</token>
<token number="8" sentence="2" t_id="9">for</token>
<token number="9" sentence="2" t_id="10">two</token>
<token number="10" sentence="2" t_id="11">hours</token>
<token number="11" sentence="2" t_id="12">.</token>
<Markables>
<EVENT_MENTION m_id="1" pred="run"><token_anchor t_id="8"/></EVENT_MENTION>
<TIMEX3 anchorTimeID="" functionInDocument="NONE" m_id="21" type="DURATION" value="PT2H">
<token_anchor t_id="10"/><token_anchor t_id="11"/>
</TIMEX3>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="20" type="DATE" value="2025-01-28">
<token_anchor t_id="3"/><token_anchor t_id="4"/><token_anchor t_id="5"/><token_anchor t_id="6"/>
</TIMEX3>
<TIMEX3 TAG_DESCRIPTOR="Empty_Mark" functionInDocument="NONE" m_id="22" type="DATE" value="2025"/>
</Markables>
<Relations/>
</Document>
"""


def test_parse_meantime() -> None:
    doc = parse_meantime(MEANTIME_XML, doc_id="ferry", corpus="test")
    assert doc.text == "Ferry resumes January 28 , 2025 It ran for two hours ."
    assert doc.published == "2025-01-28"
    assert doc.dct == "counted"  # its tokens are in the text
    # Sorted by position; the anchorless TIMEX3 (m_id 22) is not in the text and not scored.
    assert doc.gold == (TimexSpan(14, 31, "DATE", "2025-01-28"), TimexSpan(43, 52, "DURATION", "PT2H"))
    assert [doc.text[t.start : t.end] for t in doc.gold] == ["January 28 , 2025", "two hours"]
    assert doc.scope == len(doc.text)  # every sentence is one of the annotated first six


def test_meantime_scores_only_the_annotated_sentences() -> None:
    # A seventh sentence (number 6): the stage sees it, but what it finds there is not scored.
    xml = MEANTIME_XML.replace(
        '<Markables>', '<token number="12" sentence="6" t_id="13">Monday</token>\n<Markables>'
    )
    doc = parse_meantime(xml, doc_id="ferry", corpus="test")
    assert doc.text.endswith("hours . Monday") and doc.scope == len("Ferry resumes January 28 , 2025 It ran for two hours .")

    def find(text: str, published: str | None) -> tuple[list[Timex], list[Any]]:
        found = [(*_at(text, w), w, k, v) for w, k, v in [("two hours", "DURATION", "PT2H"), ("Monday", "DATE", "2025-01-27")]]
        return [Timex(f"t{i}", s, e, w, k, v) for i, (s, e, w, k, v) in enumerate(found)], []

    report = score_timex_documents("meantime", "-", [doc], find=find)
    assert report.out_of_scope == 1
    assert (report.overall.n_gold, report.overall.n_pred, report.overall.strict) == (2, 1, 1)


def test_parse_meantime_dct_outside_the_text() -> None:
    xml = MEANTIME_XML.replace(
        '<token_anchor t_id="3"/><token_anchor t_id="4"/><token_anchor t_id="5"/><token_anchor t_id="6"/>', ""
    )
    doc = parse_meantime(xml, doc_id="ferry")
    assert (doc.published, doc.dct, len(doc.gold)) == ("2025-01-28", "outside", 1)


def test_parse_meantime_rejects_unknown_anchors() -> None:
    with pytest.raises(EvaluationError, match="unknown token"):
        parse_meantime(MEANTIME_XML.replace('t_id="11"/>', 't_id="99"/>'), doc_id="ferry")


def test_parse_timeml() -> None:
    doc = parse_timeml((TIMEML_DIR / "harbour_ferry.tml").read_bytes(), doc_id="harbour_ferry")
    assert doc.text == (
        "The harbour ferry ran again on Tuesday after a break of three weeks.\n"
        "Crews will sail every day until March & then review the timetable.\n"
    )
    assert (doc.published, doc.dct) == ("2025-01-28", "outside")  # the DCT is outside <TEXT>: not scored
    assert [(doc.text[t.start : t.end], t.type, t.value) for t in doc.gold] == [
        ("Tuesday", "DATE", "2025-01-28"),
        ("three weeks", "DURATION", "P3W"),
        ("every day", "SET", "P1D"),
        ("March", "DATE", "2025-03"),
    ]
    assert doc.gold[0] == TimexSpan(31, 38, "DATE", "2025-01-28")


def test_parse_timeml_needs_text() -> None:
    with pytest.raises(EvaluationError, match="no <TEXT>"):
        parse_timeml("<TimeML><DOCID>x</DOCID></TimeML>", doc_id="x")


# --- time expressions: a stand-in for storyline.stages.time.find_timexes, and the CLI -----------------

# What the stand-in "finds", by phrase: (type, value). Against tests/data/timeml it gets
# 4 spans exactly (Tuesday, three weeks, every day, March), 2 by overlap (last ~ last night,
# 7:30 ~ 7:30 p.m.), misses "ten minutes" and invents "concert": gold 7, pred 7, strict 4,
# relaxed 6; values right for Tuesday, three weeks, every day, last = 4; types right for all
# relaxed pairs but "every day" (DATE for SET) = 5.
STAND_IN = {
    "Tuesday": ("DATE", "2025-01-28"),
    "three weeks": ("DURATION", "P3W"),
    "every day": ("DATE", "P1D"),
    "March": ("DATE", "2024-03"),
    "last": ("TIME", "2024-11-08TNI"),
    "7:30": ("TIME", "2024-11-08T07:30"),
    "concert": ("DATE", "XXXX"),
}


def _stand_in(calls: list[tuple[str, str | None]]) -> Any:
    def find_timexes(
        text: str, published: str | None = None, *, tense_at: Any = None, start_id: int = 1
    ) -> tuple[list[Timex], list[Any]]:
        calls.append((text[:20], published))
        found: list[Timex] = []
        for phrase, (kind, value) in STAND_IN.items():
            for m in re.finditer(re.escape(phrase), text):
                found.append(Timex(f"t{start_id + len(found)}", m.start(), m.end(), phrase, kind, value))
        return sorted(found, key=lambda t: t.start), ["one issue"]

    return find_timexes


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """Put a stand-in for the time stage in the evaluation's place; return its calls."""
    calls: list[tuple[str, str | None]] = []
    monkeypatch.setattr(storyline.evaluate.timex, "find_timexes", _stand_in(calls))
    return calls


def test_evaluate_timeml_with_a_stand_in(stand_in: list[tuple[str, str | None]]) -> None:
    report = evaluate_timeml(TIMEML_DIR)
    assert sorted(p or "" for _, p in stand_in) == ["2024-11-09", "2025-01-28"]  # the DCT values
    c = report.overall
    assert (c.n_gold, c.n_pred, c.strict, c.relaxed, c.value_correct, c.type_correct) == (7, 7, 4, 6, 4, 5)
    assert list(report.corpora) == ["timeml"] and report.documents == 2 and report.issues == 2


def test_cli_evaluate_timeml(stand_in: list[tuple[str, str | None]], tmp_path: Path) -> None:
    out = tmp_path / "timeml.json"
    result = _invoke(["evaluate", "timeml", str(TIMEML_DIR), "--json", str(out)])
    assert result.exit_code == 0, result.output
    overall = next(line for line in result.output.splitlines() if line.startswith("overall"))
    # docs gold pred | strict P R F1 = 4/7 | relaxed 6/7 | value acc 4/6, value F1 4/7, type acc 5/6
    assert overall.split() == ["overall", "2", "7", "7", *["0.571"] * 3, *["0.857"] * 3, "0.667", "0.571", "0.833"]
    assert "2 documents" in result.output and "outside 2" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    fig = data["overall"]["figures"]
    assert fig["relaxed"]["f1"] == pytest.approx(6 / 7)
    assert fig["value_f1"]["f1"] == pytest.approx(4 / 7)
    assert fig["by_type"]["SET"]["recall"] == 1.0 and fig["by_type"]["SET"]["type_accuracy"] == 0.0
    assert data["by_corpus"]["timeml"]["documents"] == 2


def test_cli_evaluate_timeml_rejects_offsets_that_do_not_index_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def find_timexes(text: str, published: str | None = None, **_: object) -> tuple[list[Timex], list[str]]:
        return [Timex("t1", 0, 3, "xyz", "DATE", None)], []

    monkeypatch.setattr(storyline.evaluate.timex, "find_timexes", find_timexes)
    result = _invoke(["evaluate", "timeml", str(TIMEML_DIR)])
    assert result.exit_code == 1
    assert BAD_PREDICTION in result.stderr and "does not match the text" in result.stderr


def test_cli_evaluate_missing_corpus(tmp_path: Path) -> None:
    for command in ("polnear", "meantime", "timeml"):
        result = _invoke(["evaluate", command, str(tmp_path / "nowhere")])
        assert result.exit_code == 1 and "SL601" in result.stderr, command
