"""The GAP and GUM readers and the coreference metrics, on tiny inline inputs worked out by hand.

The ``shared``-marked tests read ../shared/data/{gap,gum} and skip when it is absent.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Hashable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.cli.main import main
from storyline.errors import EvaluationError
from storyline.evaluate.coref import assign, b_cubed, ceaf_e, muc, score_clusters
from storyline.evaluate.gap import (
    GapCounts,
    GapRow,
    count_decisions,
    decide_a_always,
    decide_from_record,
    decide_nearest_before,
    format_gap,
    read_gap,
    score_gap,
)
from storyline.evaluate.gum import GoldMention, GumDoc, parse_conllu, read_gum
from storyline.evaluate.gum_score import format_gum, match_mentions, names_baseline, score_document, score_gum
from storyline.model import Entity, Mention, Record

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GUM_DEV = SHARED / "data" / "gum" / "dev"
GAP_DEV = SHARED / "data" / "gap" / "gap-development.tsv"
needs_shared = [pytest.mark.shared, pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")]

GAP_HEADER = "ID\tText\tPronoun\tPronoun-offset\tA\tA-offset\tA-coref\tB\tB-offset\tB-coref\tURL\n"


def _token(i: int, form: str, upos: str, head: int, misc: str = "_", feats: str = "_") -> str:
    return f"{i}\t{form}\t{form.lower()}\t{upos}\t_\t{feats}\t{head}\tdep\t_\t{misc}"


CONLLU = "\n".join(
    [
        "# newdoc id = doc1",
        "# global.Entity = GRP-etype-infstat-salience-centering-minspan-link-identity",
        "# meta::dateCreated = 2001-10-29",
        "# newpar",
        "# text = Dr. Ann Lee spoke.",
        _token(1, "Dr.", "PROPN", 2, "Entity=(1-person-new-s-cf1-1,2-coref"),
        _token(2, "Ann", "PROPN", 4),
        _token(3, "Lee", "PROPN", 2, "Entity=1)"),
        _token(4, "spoke", "VERB", 0, "SpaceAfter=No"),
        _token(5, ".", "PUNCT", 4),
        "",
        "# text = Her dog barked.",
        _token(1, "Her", "PRON", 2, "Entity=(2-animal-new-s-cf1-2-coref(1-person-giv-s-cf1-1-coref)",
               "Poss=Yes|PronType=Prs"),
        _token(2, "dog", "NOUN", 3, "Entity=2)"),
        _token(3, "barked", "VERB", 0, "SpaceAfter=No"),
        _token(4, ".", "PUNCT", 3),
        "",
        "# newpar",
        "# text = It's the doctor's.",
        "1-2\tIt's\t_\t_\t_\t_\t_\t_\t_\t_",
        _token(1, "It", "PRON", 5, "Entity=(2-animal-giv-s-cf1-1-coref)"),
        _token(2, "'s", "AUX", 5),
        _token(3, "the", "DET", 4, "Entity=(1-person-giv-s-cf1-2-coref"),
        "4-5\tdoctor's\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No",
        _token(4, "doctor", "NOUN", 5, "Entity=1)"),
        _token(5, "'s", "PART", 0),
        _token(6, ".", "PUNCT", 5),
        "",
    ]
)


def test_gum_text_rebuilt_with_spacing_and_paragraphs() -> None:
    (doc,) = parse_conllu(CONLLU, name="x")
    assert doc.doc_id == "doc1" and doc.published == "2001-10-29"
    # "doctor's" is one multiword token; its words "doctor" + "'s" spell it, so each gets its own characters
    assert doc.text == "Dr. Ann Lee spoke. Her dog barked.\n\nIt's the doctor's."


def test_gum_mentions_heads_and_forms() -> None:
    (doc,) = parse_conllu(CONLLU, name="x")
    got = [(doc.text[m.start : m.end], doc.text[m.head_start : m.head_end], m.chain, m.etype, m.form)
           for m in doc.mentions]
    assert got == [
        ("Dr. Ann Lee", "Ann", "1", "person", "name"),  # "Ann" is the token whose head ("spoke") lies outside
        ("Her dog", "dog", "2", "animal", "nominal"),
        ("Her", "Her", "1", "person", "pronoun"),
        ("It", "It", "2", "animal", "pronoun"),
        ("the doctor", "doctor", "1", "person", "nominal"),
    ]


def test_gum_head_field_and_default_fields() -> None:
    text = "\n".join(["# newdoc id = d", _token(1, "the", "DET", 2, "Entity=(e1-person-1"),
                      _token(2, "man", "NOUN", 0, "Entity=e1)"), ""])
    (doc,) = parse_conllu(text, name="x")
    (m,) = doc.mentions
    assert (doc.text[m.start : m.end], doc.text[m.head_start : m.head_end], m.chain) == ("the man", "the", "e1")
    assert doc.published is None


@pytest.mark.parametrize("misc", ["Entity=(1-person-new)|SpacesAfter=\\s\\s", "Entity=(1-person-new)|SpacesAfter=\\n"])
def test_gum_spaces_after(misc: str) -> None:
    text = "\n".join([_token(1, "Hi", "INTJ", 0, misc), _token(2, "you", "PRON", 1), ""])
    (doc,) = parse_conllu(text, name="plain")
    assert doc.doc_id == "plain"
    assert doc.text == "Hi" + ("  " if "\\s" in misc else "\n") + "you"


@pytest.mark.parametrize("entity", ["Entity=1)", "Entity=(1-person-new"])
def test_gum_unbalanced_brackets_raise(entity: str) -> None:
    with pytest.raises(EvaluationError) as err:
        parse_conllu(_token(1, "x", "X", 0, entity) + "\n", name="bad")
    assert err.value.code == "SL603"


_WORD = st.text(alphabet="abcXYZ.,'", min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(_WORD, st.booleans(), st.booleans()), min_size=1, max_size=6), min_size=1, max_size=4))
def test_gum_mentions_index_the_text(sentences: list[list[tuple[str, bool, bool]]]) -> None:
    """Whatever the spacing, every one-token mention's slice is its token's form, and no span leaves the text."""
    lines = ["# newdoc id = p"]
    forms: list[str] = []
    for sentence in sentences:
        lines.append("# newpar")
        for i, (form, space, mention) in enumerate(sentence, 1):
            misc = "|".join(([f"Entity=({len(forms)}-person-new)"] if mention else []) + ([] if space else ["SpaceAfter=No"]))
            lines.append(_token(i, form, "NOUN", 0 if i == 1 else 1, misc or "_"))
            if mention:
                forms.append(form)
        lines.append("")
    (doc,) = parse_conllu("\n".join(lines), name="p")
    assert [doc.text[m.start : m.end] for m in sorted(doc.mentions, key=lambda m: int(m.chain))] == forms
    assert all(0 <= m.start <= m.head_start < m.head_end <= m.end <= len(doc.text) for m in doc.mentions)


def test_read_gap(tmp_path: Path) -> None:
    text = 'Ann met "Bo". She left.'
    path = tmp_path / "g.tsv"
    path.write_text(GAP_HEADER + f"t-1\t{text}\tShe\t14\tAnn\t0\tTRUE\tBo\t9\tfalse\thttp://x\n", encoding="utf-8")
    (row,) = read_gap(path)
    assert (row.id, row.pronoun, row.pronoun_offset, row.a, row.a_coref, row.b, row.b_offset, row.b_coref) == (
        "t-1", "She", 14, "Ann", True, "Bo", 9, False)
    path.write_text(GAP_HEADER + f"t-1\t{text}\tShe\t13\tAnn\t0\tTRUE\tBo\t9\tFALSE\thttp://x\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="'She' is not at offset 13"):
        read_gap(path)


@pytest.mark.parametrize("mark", needs_shared)
def test_read_gap_development(mark: pytest.MarkDecorator) -> None:
    if not GAP_DEV.is_file():
        pytest.skip("../shared/data/gap is absent")
    rows = read_gap(GAP_DEV)
    assert len(rows) == 2000 and len({r.id for r in rows}) == 2000
    assert sum(r.a_coref for r in rows) + sum(r.b_coref for r in rows) > 1500


@pytest.mark.shared
@pytest.mark.skipif(not GUM_DEV.is_dir(), reason="../shared/data/gum is absent")
def test_read_gum_dev() -> None:
    docs = read_gum(GUM_DEV)
    assert len(docs) == 12 and [d.doc_id for d in docs] == sorted(d.doc_id for d in docs)
    assert sum(len(d.mentions) for d in docs) == 2993
    people = [m for d in docs for m in d.mentions if m.etype == "person"]
    assert len(people) == 749
    assert {f: sum(m.form == f for m in people) for f in ("pronoun", "name", "nominal")} == {
        "pronoun": 365, "name": 169, "nominal": 215}
    for doc in docs:
        assert doc.published is not None and len(doc.published) == 10
        for m in doc.mentions:
            piece = doc.text[m.start : m.end]
            assert piece == piece.strip() and piece and m.start <= m.head_start < m.head_end <= m.end
    byron = next(d for d in docs if d.doc_id == "GUM_bio_byron")
    assert byron.text.startswith("Education and early loves\n\nByron received his early formal education at")


# --- metrics: the Bagga-Baldwin / Vilain example, worked out by hand -------------------------------------------


def _clusters(*groups: str) -> list[frozenset[Hashable]]:
    return [frozenset(g) for g in groups]


KEY = _clusters("12345", "67", "89ABC")
RESPONSE = _clusters("12345", "6789ABC")


def test_muc_textbook() -> None:
    # recall: (4 + 1 + 4) / 9; precision: (4 + (7 - 2)) / (4 + 6)
    f = muc(KEY, RESPONSE).figures()
    assert f["recall"] == 1.0 and f["precision"] == pytest.approx(0.9)


def test_b_cubed_textbook() -> None:
    # precision: (5 + 2 * 2/7 + 5 * 5/7) / 12 = 16/21
    f = b_cubed(KEY, RESPONSE).figures()
    assert f["recall"] == 1.0 and f["precision"] == pytest.approx(16 / 21)


def test_ceaf_e_textbook() -> None:
    # best alignment: {12345}-{12345} (phi4 1) and {89ABC}-{6789ABC} (2*5/12); total 11/6
    f = ceaf_e(KEY, RESPONSE).figures()
    assert f["recall"] == pytest.approx(11 / 18) and f["precision"] == pytest.approx(11 / 12)


def test_missed_and_spurious_mentions() -> None:
    key = _clusters("ab", "c")
    response = _clusters("ax", "y")  # b and c missed, x and y spurious
    assert muc(key, response).figures() == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    b3 = b_cubed(key, response)
    assert (b3.recall_num, b3.recall_den, b3.precision_num, b3.precision_den) == (0.5, 3.0, 0.5, 3.0)
    ce = ceaf_e(key, response)  # {ab}-{ax}: 2*1/4
    assert (ce.recall_num, ce.recall_den, ce.precision_den) == (0.5, 2.0, 2.0)
    perfect = score_clusters(KEY, KEY)
    assert perfect.conll_f1() == 1.0 and (perfect + perfect).conll_f1() == 1.0


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 5).flatmap(lambda r: st.integers(1, 5).flatmap(
    lambda c: st.lists(st.lists(st.integers(0, 9).map(float), min_size=c, max_size=c), min_size=r, max_size=r))))
def test_assign_is_optimal(weights: list[list[float]]) -> None:
    rows, cols = len(weights), len(weights[0])
    pairs = assign(weights)
    assert len(pairs) == min(rows, cols)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    if rows <= cols:
        best = max(sum(weights[i][p[i]] for i in range(rows)) for p in itertools.permutations(range(cols), rows))
    else:
        best = max(sum(weights[p[j]][j] for j in range(cols)) for p in itertools.permutations(range(rows), cols))
    assert sum(weights[i][j] for i, j in pairs) == pytest.approx(best)


# --- scoring with stand-in records ----------------------------------------------------------------------------


def _record(text: str, *entities: tuple[str, list[tuple[int, int, str]]]) -> Record:
    return Record(doc_id="r", text=text, entities=tuple(
        Entity(id=f"e{i}", name="x", type=etype, mentions=tuple(Mention(s, e, text[s:e], k) for s, e, k in ms))
        for i, (etype, ms) in enumerate(entities)))


GAP_TEXT = "Ann met Bo. She left."
GAP_ROW = GapRow("t", GAP_TEXT, "She", 12, "Ann", 0, True, "Bo", 8, False)


def test_gap_decisions() -> None:
    linked = _record(GAP_TEXT, ("PERSON", [(0, 3, "name"), (12, 15, "pronoun")]), ("PERSON", [(8, 10, "name")]))
    assert decide_from_record(GAP_ROW, linked) == (True, False)
    assert decide_from_record(GAP_ROW, _record(GAP_TEXT, ("PERSON", [(0, 3, "name")]))) is None
    assert decide_a_always(GAP_ROW) == (True, False)
    assert decide_nearest_before(GAP_ROW) == (False, True)  # Bo (8) is nearer the pronoun (12) than Ann (0)
    assert count_decisions(GAP_ROW, (False, True)) == GapCounts(0, 1, 1)


def test_score_gap_with_a_stand_in() -> None:
    he_row = GapRow("u", "Al saw Ed. He ran.", "He", 11, "Al", 0, False, "Ed", 7, True)
    records = {
        "t": _record(GAP_TEXT, ("PERSON", [(0, 3, "name"), (12, 15, "pronoun")])),
        "u": _record(he_row.text, ("PERSON", [(0, 2, "name"), (11, 13, "pronoun")])),  # wrong antecedent
    }
    report = score_gap([GAP_ROW, he_row], predict=lambda text, published, doc_id: records[doc_id])
    fig = report.figures("storyline")
    assert report.unresolved == 0
    assert (fig["overall"]["tp"], fig["overall"]["n_pred"], fig["overall"]["n_gold"]) == (1, 2, 2)
    assert fig["feminine"]["f1"] == 1.0 and fig["masculine"]["f1"] == 0.0 and fig["bias"] == 0.0
    assert report.figures("nearest_before")["overall"]["tp"] == 1  # right on "u" (Ed), wrong on "t"
    assert "nearest_before" in format_gap(report)


GUM_TEXT = "Ann Lee met Bo. She smiled at him."
GUM_GOLD = (
    GoldMention(0, 7, 4, 7, "1", "person", "name"),  # Ann Lee, head Lee
    GoldMention(12, 14, 12, 14, "2", "person", "name"),  # Bo
    GoldMention(16, 19, 16, 19, "1", "person", "pronoun"),  # She
    GoldMention(30, 33, 30, 33, "2", "person", "pronoun"),  # him
)


def test_match_mentions_inside_and_covering_the_head() -> None:
    predicted = [(0, 3, "alias"), (4, 7, "alias"), (0, 7, "name"), (11, 14, "name")]
    # "Ann" misses the head; "Lee" and "Ann Lee" both qualify and the tighter "Ann Lee" (ratio 1) wins;
    # " Bo" starts outside the gold span
    assert match_mentions(GUM_GOLD, predicted) == {2: 0}


def test_score_document_by_hand() -> None:
    people = [[(0, 7, "name"), (16, 19, "pronoun")], [(12, 14, "name"), (20, 26, "nominal")]]
    counts = score_document(GUM_TEXT, GUM_GOLD, people)
    # key {g0, g2} {g1, g3}; response {g0, g2} {g1, p3}: "smiled" is spurious, "him" missed
    assert counts.scores.muc.figures() == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert (counts.matched, counts.predicted) == (3, 4)
    assert counts.found == {"pronoun": 1, "name": 2, "nominal": 0}
    assert (counts.pronouns, counts.pronouns_right) == (2, 1)  # "She" right; "him" unmatched


def test_names_baseline_joins_shared_words() -> None:
    text = "Dr. Ann Lee and Dr. Bo met Lee and Ann."
    people = [[(0, 11, "name"), (27, 30, "alias")], [(16, 22, "name"), (35, 38, "pronoun")]]
    chains = sorted(sorted(c) for c in names_baseline(people, text))
    assert chains == [[(0, 11, "name"), (27, 30, "alias")], [(16, 22, "name")]]  # "Dr." ties nothing


def test_score_gum_with_a_stand_in() -> None:
    doc = GumDoc("d", GUM_TEXT, None, GUM_GOLD)
    record = _record(GUM_TEXT, ("PERSON", [(0, 7, "name"), (16, 19, "pronoun")]), ("ORG", [(12, 14, "name")]))
    report = score_gum([doc], predict=lambda text, published, doc_id: record)
    assert report.counts["storyline"].matched == 2 and report.counts["names_baseline"].matched == 1
    table = format_gum(report)
    assert "CoNLL F1" in table and "names_baseline" in table


# --- the CLI on tiny inputs (the real pipeline) ---------------------------------------------------------------


def _cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.model
def test_cli_evaluate_gap(tmp_path: Path) -> None:
    rows = [
        "d-1\tMary Smith met John Brown in Paris. She liked him.\tShe\t36\tMary Smith\t0\tTRUE\tJohn Brown\t15\tFALSE\tu",
        "d-2\tJohn Brown met Mary Smith in Paris. He liked her.\tHe\t36\tJohn Brown\t0\tTRUE\tMary Smith\t15\tFALSE\tu",
        "d-3\tPeter Pan called Tom Jones. He said that his car broke.\this\t41\tPeter Pan\t0\tFALSE\tTom Jones\t17\tTRUE\tu",
    ]
    path = tmp_path / "gap.tsv"
    path.write_text(GAP_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "gap.json"
    result = _cli("evaluate", "gap", str(path), "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "3 rows" in result.output and "a_always" in result.output and "nearest_before" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["rows"] == 3 and data["figures"]["a_always"]["overall"]["tp"] == 2
    assert _cli("evaluate", "gap", str(path), "--limit", "1").output.count("1 rows") == 1


@pytest.mark.model
def test_cli_evaluate_gum(tmp_path: Path) -> None:
    (tmp_path / "one.conllu").write_text(CONLLU, encoding="utf-8")
    out = tmp_path / "gum.json"
    result = _cli("evaluate", "gum", str(tmp_path), "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "1 documents" in result.output and "3 gold person mentions" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["figures"]) == {"storyline", "names_baseline"} and data["documents"] == 1


def test_cli_evaluate_gum_missing_corpus(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["evaluate", "gum", str(tmp_path)])
    assert result.exit_code == 1 and "SL601" in result.output
