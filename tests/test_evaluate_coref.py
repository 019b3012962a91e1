"""The GAP and GUM readers and the coreference metrics, on tiny inline inputs worked out by hand.

The ``shared``-marked tests read ../shared/data/{gap,gum} and skip when it is absent.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import EvaluationError
from storyline.evaluate.coref import assign, b_cubed, ceaf_e, muc, score_clusters
from storyline.evaluate.gap import read_gap
from storyline.evaluate.gum import parse_conllu, read_gum

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
