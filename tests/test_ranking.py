"""The learned pronoun ranker: the kinds of pronoun it must get right, the rules it never breaks, and its training run.

The articles are invented, a few sentences each, one per failure kind; the
property tests build sentences from names and verbs and check the ranker's
hard rules on every one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyline
from storyline.model import Record
from storyline.stages.entities.gender import name_gender
from storyline.stages.entities.ranking import PronounRanker, shipped_ranker
from storyline.train import coref

pytestmark = pytest.mark.model


def _pronouns(record: Record) -> dict[int, str]:
    """Each pronoun mention's start offset -> the name of its entity."""
    return {m.start: e.name for e in record.entities for m in e.mentions if m.kind == "pronoun"}


def _at(record: Record, word: str, nth: int = 0) -> int:
    """The offset of the ``nth`` occurrence of ``word`` (as a whole word) in the record's text."""
    return [m.start() for m in re.finditer(rf"\b{word}\b", record.text)][nth]


def test_the_ranker_ships_and_is_used() -> None:
    ranker = shipped_ranker()
    assert ranker is not None and len(ranker.weights) > 100
    record = storyline.extract("Ana Silva met Tom Reed in May. She said the deal was fair.")
    assert _pronouns(record)[_at(record, "She")] == "Ana Silva"


def test_she_said_for_a_second_woman_goes_to_the_woman_just_named() -> None:
    text = (
        "Ana Silva, the mayor, opened the bridge on Monday. Residents cheered. "
        "Later, Maria Lopez, who chairs the transport committee, criticised the cost. "
        "She said the city had paid twice what it should have."
    )
    record = storyline.extract(text)
    assert _pronouns(record)[_at(record, "She")] == "Maria Lopez"


def test_a_speaker_pronoun_after_a_quote_is_not_someone_named_inside_it() -> None:
    text = (
        "Dario Mendes spoke to reporters after the hearing. His brother, Luis Mendes, was not there. "
        '"Tell Luis I am fine," he said.'
    )
    record = storyline.extract(text)
    assert _pronouns(record)[_at(record, "he", 0)] == "Dario Mendes"


def test_he_and_she_follow_gender_from_first_names() -> None:
    text = "Robert Hale and Susan Ward founded the firm in 2001. He left in 2010; she stayed on as chair."
    record = storyline.extract(text)
    found = _pronouns(record)
    assert (found[_at(record, "He")], found[_at(record, "she")]) == ("Robert Hale", "Susan Ward")
    assert name_gender("Robert") == "m" and name_gender("Susan") == "f" and name_gender("Blake") is None


@pytest.mark.parametrize(
    ("text", "pronoun", "subject"),
    [
        ("Maria Lopez met Ana Silva at the station. Maria thanked her for the help.", "her", "Maria Lopez"),
        ("Tom Reed called John Hale on Friday. Tom praised him for the report.", "him", "Tom Reed"),
        ("Ana Silva and Maria Lopez argued. Ana Silva blamed her for the delay.", "her", "Ana Silva"),
    ],
)
def test_an_object_pronoun_never_takes_its_own_verbs_subject(text: str, pronoun: str, subject: str) -> None:
    record = storyline.extract(text)
    assert _pronouns(record).get(_at(record, pronoun)) != subject


def test_a_reflexive_takes_its_own_clauses_subject() -> None:
    record = storyline.extract("Tom Reed met John Hale in Leeds. John Hale blamed himself for the loss.")
    assert _pronouns(record)[_at(record, "himself")] == "John Hale"


def test_they_stands_for_the_organisation_named_before() -> None:
    record = storyline.extract("Acme Logistics cut 300 jobs in May. They said demand had fallen.")
    assert _pronouns(record).get(_at(record, "They")) == "Acme Logistics"


_FIRST = ["Ana", "Maria", "Susan", "Tom", "Robert", "John"]
_LAST = ["Silva", "Lopez", "Reed", "Hale", "Ward"]
_VERBS = ["thanked", "praised", "blamed", "called", "warned"]
_PRONOUNS = ["him", "her"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_FIRST), st.sampled_from(_LAST), st.sampled_from(_FIRST), st.sampled_from(_LAST),
    st.sampled_from(_VERBS), st.sampled_from(_PRONOUNS),
)
def test_resolved_pronouns_point_back_and_respect_binding(f1: str, l1: str, f2: str, l2: str, verb: str, pronoun: str) -> None:
    text = f"{f1} {l1} met {f2} {l2} in Leeds on Monday. {f1} {l1} {verb} {pronoun} after the meeting. Then he left."
    record = storyline.extract(text)
    sentence_start = {m.start: record.text.rfind(".", 0, m.start) for e in record.entities for m in e.mentions}
    for e in record.entities:
        for m in e.mentions:
            if m.kind != "pronoun":
                continue
            # every resolved pronoun has an earlier mention of its entity, or a later one in its own sentence (cataphora)
            others = [o for o in e.mentions if o.kind != "pronoun"]
            assert any(o.start < m.start or sentence_start[o.start] == sentence_start[m.start] for o in others), (text, m)
    obj = record.text.index(f" {pronoun} after") + 1
    assert _pronouns(record).get(obj) != f"{f1} {l1}", text


def test_training_runs_end_to_end_on_a_tiny_corpus(tmp_path: Path) -> None:
    gum = tmp_path / "gum"
    gum.mkdir()
    (gum / "GUM_news_tiny.conllu").write_text(_CONLLU, encoding="utf-8")
    gap = tmp_path / "gap.tsv"
    header = "ID\tText\tPronoun\tPronoun-offset\tA\tA-offset\tA-coref\tB\tB-offset\tB-coref\tURL\n"
    text = "Ana Silva met Maria Lopez in May. She said the deal was fair."
    gap.write_text(header + f"t-1\t{text}\tShe\t{text.index('She')}\tAna Silva\t0\tTRUE\tMaria Lopez\t14\tFALSE\thttp://x\n", encoding="utf-8")
    out = tmp_path / "model.json.gz"
    assert coref.main(["--gum", str(gum), "--gap", str(gap), "-o", str(out), "--epochs", "2"]) == 0
    model = PronounRanker.load(out)
    assert model.weights and model.meta["pronouns"] == 3  # "She" of GAP, "He" and "her" of GUM


_CONLLU = """# newdoc id = GUM_news_tiny
# newpar
# sent_id = t-1
# text = Ana Silva met Tom Reed.
1	Ana	Ana	PROPN	NNP	_	3	nsubj	_	Entity=(1-person-new-_-_-_-_-coref|XML=<w>
2	Silva	Silva	PROPN	NNP	_	1	flat	_	Entity=1)
3	met	meet	VERB	VBD	_	0	root	_	_
4	Tom	Tom	PROPN	NNP	_	3	obj	_	Entity=(2-person-new-_-_-_-_-coref
5	Reed	Reed	PROPN	NNP	_	4	flat	_	Entity=2)|SpaceAfter=No
6	.	.	PUNCT	.	_	3	punct	_	_
# sent_id = t-2
# text = He thanked her.
1	He	he	PRON	PRP	_	2	nsubj	_	Entity=(2-person-giv-_-_-_-_-coref)
2	thanked	thank	VERB	VBD	_	0	root	_	_
3	her	she	PRON	PRP	_	2	obj	_	Entity=(1-person-giv-_-_-_-_-coref)|SpaceAfter=No
4	.	.	PUNCT	.	_	2	punct	_	_

"""
