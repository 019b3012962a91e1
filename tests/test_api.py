"""The Python API: ``storyline.extract`` and ``storyline.process_batch``.

All texts here are written for these tests.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import storyline
from storyline import Article, ErrorRecord, Record

pytestmark = pytest.mark.model

TEXT = "“We will appeal,” Mara Quist said on Friday."
HEADED = " date 2026-01-05 Tomas Bell said the bridge would reopen in spring."


def test_extract_returns_record_with_schema_and_published() -> None:
    record = storyline.extract(TEXT, published="2026-03-01")
    assert isinstance(record, Record)
    rec = record.to_dict()
    json.dumps(rec)
    assert rec["schema"] == "storyline/1"
    assert rec["published"] == "2026-03-01"
    assert rec["text"] == TEXT
    assert set(rec) >= {
        "doc_id", "source", "title", "published", "text",
        "entities", "relations", "quotes", "events", "timexes", "warnings",
    }  # fmt: skip
    assert [q["content"]["text"] for q in rec["quotes"]] == ["We will appeal,"]


def test_extract_reads_header_date_when_published_is_none() -> None:
    assert storyline.extract(HEADED).published == "2026-01-05"
    assert storyline.extract(HEADED, published=None).to_dict()["published"] == "2026-01-05"
    # The header stays in the text; offsets index it as given.
    record = storyline.extract(HEADED)
    assert record.text == HEADED
    for ent in record.entities:
        for m in ent.mentions:
            assert HEADED[m.start : m.end] == m.text


def test_extract_published_overrides_header() -> None:
    assert storyline.extract(HEADED, published="2026-03-01").published == "2026-03-01"


def test_extract_no_header_no_published() -> None:
    assert storyline.extract(TEXT).published is None


def test_doc_id_is_a_stable_content_hash() -> None:
    first = storyline.extract(TEXT).doc_id
    again = storyline.extract(TEXT, published="2026-03-01").doc_id
    other = storyline.extract(TEXT + " ").doc_id
    assert re.fullmatch(r"sha256-[0-9a-f]{16}", first), first
    assert first == again  # depends on the text only
    assert first != other
    assert storyline.extract(TEXT).to_dict()["doc_id"] == first


def test_explicit_doc_id_and_title() -> None:
    record = storyline.extract(TEXT, doc_id="my-story", title="An appeal")
    rec = record.to_dict()
    assert rec["doc_id"] == "my-story"
    assert rec["title"] == "An appeal"


def test_record_entity_lookup() -> None:
    record = storyline.extract(TEXT)
    (quote,) = record.quotes
    speaker = record.entity(quote.speaker)
    assert speaker is not None and speaker.name == "Mara Quist"
    assert record.entity("no-such-id") is None
    assert record.entity(None) is None


ARTICLES = [
    Article(doc_id="a1", text="“The vote is final,” Ana Ruiz said."),
    Article(doc_id="a2", text="Tomas Bell said the bridge would reopen in spring."),
    Article(doc_id="a3", text="“Nobody told us,” said Lena Marsh, a teacher."),
    Article(doc_id="a4", text="The Greenvale Water Board met on Monday."),
]


def test_process_batch_keeps_input_order() -> None:
    out = list(storyline.process_batch(ARTICLES))
    assert [r.doc_id for r in out] == ["a1", "a2", "a3", "a4"]
    assert all(isinstance(r, Record) for r in out)
    assert [r.text for r in out] == [a.text for a in ARTICLES]


def test_process_batch_passes_error_records_through() -> None:
    bad = ErrorRecord("broken", "ingest", "SL105", "line 3 is not valid JSON")
    out = list(storyline.process_batch([ARTICLES[0], bad, ARTICLES[1]]))
    assert [r.doc_id for r in out] == ["a1", "broken", "a2"]
    assert out[1] is bad


def test_process_batch_turns_a_crash_into_an_error_record(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.pipeline as pipeline

    real = pipeline.analyze_doc

    def flaky(doc: Any, article: Article) -> Record:
        if article.doc_id == "a2":
            raise RuntimeError("simulated failure in a2")
        return real(doc, article)

    monkeypatch.setattr(pipeline, "analyze_doc", flaky)
    out = list(storyline.process_batch(ARTICLES))
    assert [r.doc_id for r in out] == ["a1", "a2", "a3", "a4"]
    err = out[1]
    assert isinstance(err, ErrorRecord)
    assert err.code == "SL901"
    assert "simulated failure in a2" in err.message
    data = err.to_dict()
    json.dumps(data)
    assert data["schema"] == "storyline/1"
    assert data["error"]["code"] == "SL901"
    for i in (0, 2, 3):
        assert isinstance(out[i], Record), out[i]
    assert [q.content.text for q in out[0].quotes] == ["The vote is final,"]
    assert [q.content.text for q in out[2].quotes] == ["Nobody told us,"]


def test_process_article_and_extract_raise_vs_record(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.pipeline as pipeline

    def boom(doc: Any, article: Article) -> Record:
        raise ValueError("boom")

    monkeypatch.setattr(pipeline, "analyze_doc", boom)
    result = storyline.process_article(ARTICLES[0])
    assert isinstance(result, ErrorRecord) and result.code == "SL901" and result.doc_id == "a1"
    with pytest.raises(ValueError, match="boom"):
        storyline.extract(TEXT)


@pytest.mark.model
def test_overlong_article_is_an_error_record_not_a_crash() -> None:
    from storyline.nlp.load import load_model

    nlp = load_model()
    text = "Ana Ruiz said hello. " * (nlp.max_length // 20)
    article = storyline.Article(doc_id="huge", text=text)
    out = storyline.process_article(article)
    assert isinstance(out, storyline.ErrorRecord)
    assert out.code == "SL202" and "huge" in out.message and "split" in out.message
