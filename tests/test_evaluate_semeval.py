"""SemEval-2015 Task 4 (TimeLine): the temporal-awareness scorer by hand, the builder, the loader, the command.

Hand-computed values. A dated line adds a TIMEX3 node SIMULTANEOUS with its
events; the reduced graph has ``len(class) - 1`` SIMULTANEOUS relations per
class and one BEFORE per consecutive pair of classes. Gold ``e1@2010-01-01 <
e2@2010-02-01`` has classes {e1, T1} and {e2, T2}: 1 + 1 + 1 = 3 relations.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli.main import main
from storyline.errors import EvaluationError
from storyline.evaluate.semeval import (
    evaluate_semeval,
    load_semeval,
    parse_gold_timeline,
    parse_track_a,
    target_file_stem,
)
from storyline.evaluate.semeval_predict import TargetMatcher, Token, gold_date, mention_name
from storyline.evaluate.semeval_score import (
    TemporalGraph,
    Timeline,
    TimelineEntry,
    anchor_key,
    order_timeline,
    score_timeline,
    timeline_figures,
    timeline_text,
)
from storyline.model import Entity, Event, Quote, Record, Span

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEMEVAL = SHARED / "data" / "semeval2015-timeline"
needs_shared = pytest.mark.skipif(not SEMEVAL.is_dir(), reason="../shared is absent")


def tl(*lines: tuple[int, str, str]) -> Timeline:
    """A timeline from ``(order, date, "m1 m2")`` lines."""
    return Timeline("X", tuple(TimelineEntry(o, d, tuple(m.split())) for o, d, m in lines))


GOLD = tl((1, "2010-01-01", "e1"), (2, "2010-02-01", "e2"))


def f1(gold: Timeline, pred: Timeline, *, anchors: bool = True) -> float:
    return round(100 * timeline_figures(score_timeline(gold, pred, anchors=anchors))["f1"], 2)


# --- the scorer, by hand ------------------------------------------------------------------------


def test_identical_timelines_score_100() -> None:
    counts = score_timeline(GOLD, GOLD)
    assert (counts.gold_relations, counts.gold_found, counts.pred_relations, counts.pred_found) == (3, 3, 3, 3)
    assert timeline_figures(counts) == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "f1_x100": 100.0}


def test_swapped_pair_scores_0() -> None:
    # pred: e2@2010-01-01 < e1@2010-02-01. Both event-anchor relations are wrong on each side, and
    # the BEFORE edge is stated between events (e2 < e1), never between anchors (T1 < T2 would hold).
    swapped = tl((1, "2010-01-01", "e2"), (2, "2010-02-01", "e1"))
    counts = score_timeline(GOLD, swapped)
    assert (counts.pred_relations, counts.pred_found, counts.gold_relations, counts.gold_found) == (3, 0, 3, 0)
    assert f1(GOLD, swapped) == 0.0
    assert f1(GOLD, swapped, anchors=False) == 0.0  # ordering only: e1 < e2 against e2 < e1
    # swapped dates only: e1@2010-02-01 < e2@2010-01-01 is no timeline, but each event-anchor link is
    # wrong while the order e1 < e2 holds: 1 of 3 on each side
    dates_swapped = tl((1, "2010-02-01", "e1"), (2, "2010-01-01", "e2"))
    assert f1(GOLD, dates_swapped) == 33.33
    assert f1(GOLD, dates_swapped, anchors=False) == 100.0


def test_swapped_pair_in_a_chain_of_three_undated_events() -> None:
    gold = tl((1, "XXXX-XX-XX", "e1"), (2, "XXXX-XX-XX", "e2"), (3, "XXXX-XX-XX", "e3"))
    pred = tl((1, "XXXX-XX-XX", "e1"), (2, "XXXX-XX-XX", "e3"), (3, "XXXX-XX-XX", "e2"))
    # gold reduced e1<e2 (pred closure: yes), e2<e3 (no); pred reduced e1<e3 (gold: yes), e3<e2 (no)
    counts = score_timeline(gold, pred)
    assert (counts.gold_found, counts.gold_relations, counts.pred_found, counts.pred_relations) == (1, 2, 1, 2)
    assert f1(gold, pred) == 50.0


def test_an_extra_event_on_a_new_date_costs_precision_only() -> None:
    pred = Timeline("X", (*GOLD.entries, TimelineEntry(3, "2010-03-01", ("e3",))))
    counts = score_timeline(GOLD, pred)
    # pred reduced: e1-T1, e2-T2, e3-T3, {e1,T1}<{e2,T2}, {e2,T2}<{e3,T3}: 3 of 5 verified
    assert (counts.pred_found, counts.pred_relations, counts.gold_found, counts.gold_relations) == (3, 5, 3, 3)
    assert f1(GOLD, pred) == 75.0  # P 3/5, R 1


def test_an_extra_event_on_a_known_date() -> None:
    pred = Timeline("X", (*GOLD.entries, TimelineEntry(2, "2010-02-01", ("e3",))))
    # class {e2, e3, T2}: 2 SIMULTANEOUS relations, 1 verified (e2-T2); total 3 of 4
    counts = score_timeline(GOLD, pred)
    assert (counts.pred_found, counts.pred_relations) == (3, 4)
    assert f1(GOLD, pred) == 85.71  # P 3/4, R 1: 2 * 0.75 / 1.75


def test_order_zero_takes_part_in_no_relation() -> None:
    gold = tl((0, "XXXX-XX-XX", "a"), (0, "XXXX-XX-XX", "b"), (1, "2010-01-01", "c"))
    counts = score_timeline(gold, tl((0, "XXXX-XX-XX", "a b c")))
    assert counts.gold_relations == 1 and counts.pred_relations == 0  # only c-T1
    assert (counts.gold_events, counts.pred_events, counts.shared_events) == (3, 3, 3)
    assert f1(gold, gold) == 100.0


def test_coreferent_mentions_are_simultaneous() -> None:
    gold = tl((1, "XXXX-XX-XX", "a b"), (2, "XXXX-XX-XX", "c"))
    same_order = tl((1, "XXXX-XX-XX", "a"), (1, "XXXX-XX-XX", "b"), (2, "XXXX-XX-XX", "c"))
    assert f1(gold, same_order) == 100.0


def test_a_shared_date_at_two_orders_is_one_class_and_a_conflict() -> None:
    # as general_motors' 2008-XX-XX at orders 5 and 6: the shared TIMEX3 wins over BEFORE
    graph = TemporalGraph(tl((1, "2008-XX-XX", "a"), (2, "2008-XX-XX", "b"), (3, "2009-01-01", "c")))
    assert graph.conflicts == 1 and graph.simultaneous("a", "b") and graph.before("a", "c")
    assert graph.reduced_size() == 2 + 1 + 1  # {a, b, T2008}: 2; {c, T2009}: 1; one BEFORE


def test_anchor_keys_and_predicted_order() -> None:
    assert anchor_key("2005") == "2005-XX-XX" and anchor_key("2008-12") == "2008-12-XX"
    assert anchor_key("XXXX-XX-XX") is None
    built = order_timeline("X", [("a", "2008-01-01"), ("b", "2008-XX-XX"), ("c", "XXXX-XX-XX"), ("d", "2008-01-01"), ("a", "2009-XX-XX")])
    assert timeline_text(built) == (
        "X\n0\tXXXX-XX-XX\tc\n1\t2008-XX-XX\tb\n2\t2008-01-01\ta\n2\t2008-01-01\td\n"
    )  # a coarser date first; a mention keeps its first date


# --- predictions: dates, names, targets -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2005-02-17", "2005-02-17"), ("2005-02-17T10:30", "2005-02-17"), ("2000-02", "2000-02-XX"),
        ("2003", "2003-XX-XX"), ("2005-Q1", "2005-XX-XX"), ("2005-W12", "2005-XX-XX"),
        ("PRESENT_REF", "2007-02-28"), ("PAST_REF", "XXXX-XX-XX"), ("P2Y", "XXXX-XX-XX"), (None, "XXXX-XX-XX"),
    ],
)  # fmt: skip
def test_gold_date(value: str | None, expected: str) -> None:
    assert gold_date(value, "2007-02-28") == expected


def test_mention_name_uses_corpus_tokens_and_sentence_ids() -> None:
    doc = parse_track_a(
        '<TimeML><DOCID>61389</DOCID><DCT><TIMEX3 value="28-02-2007"/></DCT>'
        '<TEXT><s id="0">Airbus cuts jobs</s><s id="1">He said `` job cuts are out-sold \'\' .</s></TEXT></TimeML>'
    )
    assert doc.published == "2007-02-28"  # a DD-MM-YYYY DCT is read day first
    assert doc.text == 'Airbus cuts jobs\nHe said " job cuts are out-sold " .'
    start = doc.text.index("job cuts")
    assert mention_name(doc.doc_id, doc.tokens, start, start + len("job cuts")) == "61389-1-job_cuts"
    sold = doc.text.index("sold")  # a trigger inside a corpus token names the whole token
    assert mention_name(doc.doc_id, doc.tokens, sold, sold + 4) == "61389-1-out-sold"
    assert mention_name("d", [Token(0, 3, "0", "abc")], 5, 6) is None


def _entity(name: str, type_: str = "ORG", aliases: tuple[str, ...] = ()) -> Entity:
    return Entity("e1", name, type_, aliases=aliases)


@pytest.mark.parametrize(
    ("name", "type_", "aliases", "expected"),
    [
        ("Boeing", "ORG", (), "Boeing"),
        ("Dreamliner", "PRODUCT", (), "Boeing 787 Dreamliner"),
        ("Boeing 787", "PRODUCT", (), "Boeing 787 Dreamliner"),  # part of a target beats "starts with Boeing"
        ("A380", "PRODUCT", (), "Airbus A380"),
        ("Boeing Commercial Airplanes", "ORG", (), "Boeing"),
        ("Airlines", "ORG", (), None),  # two targets end with it
        ("China", "GPE", (), None),  # a place matches only by its exact name
        ("USAF", "ORG", (), "United States Air Force"),
        ("Gallois", "PERSON", (), "Louis Gallois"),
        ("Louis", "PERSON", (), None),  # a first name alone is no one
        ("Scott Smith", "PERSON", ("Scott",), None),
        ("The company", "ORG", ("EADS",), "EADS"),
        ("daimler-chrysler", "ORG", (), "DaimlerChrysler"),
    ],
)
def test_target_matcher(name: str, type_: str, aliases: tuple[str, ...], expected: str | None) -> None:
    matcher = TargetMatcher(
        ["Boeing 787 Dreamliner", "Airbus A380", "Airbus", "Boeing", "China Eastern Airlines", "EADS",
         "Louis Gallois", "Scott Carson", "Singapore Airlines", "United States Air Force", "DaimlerChrysler"]
    )  # fmt: skip
    assert matcher.match(_entity(name, type_, aliases)) == expected


def test_gold_timeline_parsing() -> None:
    timeline = parse_gold_timeline("Louis Gallois\n0\tXXXX-XX-XX\t61389-7-achieve\n1\t2007-02-28\t61389-4-said\t61389-7-said\n")
    assert timeline.target == "Louis Gallois" and timeline.mentions() == ["61389-7-achieve", "61389-4-said", "61389-7-said"]
    with pytest.raises(EvaluationError, match="SL603"):
        parse_gold_timeline("X\none\t2007\tm")
    assert target_file_stem("Boeing 787 Dreamliner") == "boeing_787_dreamliner"


# --- the real corpus ------------------------------------------------------------------------------


@pytest.mark.shared
@needs_shared
def test_load_semeval() -> None:
    corpora = load_semeval(SEMEVAL)
    assert [(c.name, len(c.documents), len(c.targets)) for c in corpora] == [("corpus_1", 30, 13), ("corpus_2", 30, 12)]
    assert [sum(len(set(t.mentions())) for t in c.gold.values()) for c in corpora] == [381, 319]
    first = corpora[0]
    assert "United States Air Force" in first.gold and first.gold["United States Air Force"].entries  # file "Froce"
    doc = next(d for d in first.documents if d.doc_id == "4764")
    assert doc.published == "2005-02-17" and doc.text.startswith("Boeing unveils long-range 777\nFebruary 17 , 2005\n")
    start = doc.text.index("unveils")
    assert mention_name(doc.doc_id, doc.tokens, start, start + 7) == "4764-0-unveils"  # as in the gold
    assert next(d for d in corpora[1].documents if d.doc_id == "120578").published == "2009-02-03"
    for corpus in corpora:  # the gold scored against itself
        for gold in corpus.gold.values():
            assert f1(gold, gold) == (100.0 if score_timeline(gold, gold).gold_relations else 0.0)
    limited = load_semeval(SEMEVAL / "corpus_1", limit=2)
    kept = {d.doc_id for d in limited[0].documents}
    assert len(kept) == 2 and all(m.split("-")[0] in kept for t in limited[0].gold.values() for m in t.mentions())


@pytest.mark.shared
@needs_shared
def test_evaluate_semeval_with_a_stand_in() -> None:
    def predict(text: str, published: str | None, doc_id: str) -> Record:
        if doc_id != "4764":
            return Record(doc_id, text, published)
        start = text.index("unveiled")
        said = text.index("announced")
        boeing = Entity("e1", "Boeing", "ORG")
        event = Event("v1", Span.of(text, start, start + 8), "unveil", agent="e1", date="2005-02-17")
        quote = Quote("q1", "direct", Span.of(text, 0, 6), speaker="e1", cue=Span.of(text, said, said + 9), date="2000-02")
        return Record(doc_id, text, published, entities=(boeing,), events=(event,), quotes=(quote,))

    report = evaluate_semeval(SEMEVAL / "corpus_1", predict=predict)
    (corpus,) = report.corpora
    assert timeline_text(corpus.predicted["Boeing"]) == "Boeing\n1\t2000-02-XX\t4764-6-announced\n2\t2005-02-17\t4764-2-unveiled\n"
    counts = corpus.main["Boeing"]  # the gold lists "unveiled" at 2005-02-17, not "announced"
    assert (counts.shared_events, counts.pred_relations, counts.pred_found) == (1, 3, 1)
    assert corpus.matched_entities["Boeing"] == ["Boeing"] and not report.failures
    assert report.to_dict()["by_corpus"]["corpus_1"]["documents"] == 30


@pytest.mark.shared
@needs_shared
@pytest.mark.slow
@pytest.mark.model
def test_cli_evaluate_semeval_timeline(tmp_path: Path) -> None:
    out = tmp_path / "semeval.json"
    args = ["evaluate", "semeval-timeline", str(SEMEVAL), "--limit", "2", "--json", str(out)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "corpus_1" in result.output and "corpus_2" in result.output and "F1 order" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["documents"] == 4 and data["failed"] == [] and set(data["by_corpus"]) == {"corpus_1", "corpus_2"}
    assert 0.0 <= data["overall"]["figures"]["f1"] <= 1.0
    assert data["by_corpus"]["corpus_1"]["predicted_timelines"]["Boeing"].startswith("Boeing\n")
