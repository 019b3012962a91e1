"""Every golden case and example validates against the shared contract, and every span is exact.

The schema test reads ``../shared/schema/article.schema.json`` and skips when
``../shared`` is absent; the span and id checks need only the model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import golden

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCHEMA = SHARED / "schema" / "article.schema.json"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def validator() -> Any:
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} is absent (../shared not checked out)")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _example_record(name: str) -> Any:
    import storyline

    path = EXAMPLES / name
    return storyline.extract(path.read_text(encoding="utf-8"), doc_id=path.stem)


def _records() -> list[Any]:
    cases = [pytest.param("case", slug, id=slug) for slug in golden.slugs()]
    examples = [pytest.param("example", p.name, id=f"examples/{p.stem}") for p in sorted(EXAMPLES.glob("*.txt"))]
    return cases + examples


def _record(kind: str, name: str) -> Any:
    return golden.extract_case(name) if kind == "case" else _example_record(name)


def _spans(rec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every span in a plain record, with a label saying where it sits."""
    for q in rec.get("quotes", []):
        for key in ("content", "cue", "source_span"):
            if q.get(key) is not None:
                yield f"quote {q['id']} {key}", q[key]
    for e in rec.get("entities", []):
        for i, m in enumerate(e.get("mentions", [])):
            yield f"entity {e['id']} ({e['name']}) mention {i}", m
    for r in rec.get("relations", []):
        if r.get("evidence") is not None:
            yield f"relation {r['subject']} {r['predicate']} {r['object']} evidence", r["evidence"]
    for ev in rec.get("events", []):
        yield f"event {ev['id']} trigger", ev["trigger"]
    for t in rec.get("timexes", []):
        yield f"timex {t['id']}", t


@pytest.mark.shared
@pytest.mark.parametrize(("kind", "name"), _records())
def test_record_validates(kind: str, name: str, validator: Any) -> None:
    rec = _record(kind, name).to_dict()
    assert "error" not in rec, f"got an error record: {rec.get('error')}"
    errors = [f"{e.json_path}: {e.message[:200]}" for e in validator.iter_errors(rec)]
    assert not errors, "record does not validate:\n  " + "\n  ".join(errors)


@pytest.mark.parametrize(("kind", "name"), _records())
def test_spans_index_text(kind: str, name: str) -> None:
    rec = _record(kind, name).to_dict()
    text = rec["text"]
    bad = []
    for label, span in _spans(rec):
        start, end = span["start"], span["end"]
        if not (0 <= start <= end <= len(text)) or text[start:end] != span["text"]:
            bad.append(f"{label}: [{start}:{end}] is {text[start:end]!r}, span says {span['text']!r}")
    assert not bad, "spans that do not index the text:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize(("kind", "name"), _records())
def test_ids_resolve(kind: str, name: str) -> None:
    """Quote and relation references point at entities and quotes of the same record."""
    rec = _record(kind, name)
    ents = {e.id for e in rec.entities}
    quotes = {q.id for q in rec.quotes}
    bad = []
    for q in rec.quotes:
        for key in ("speaker", "reported_by", "addressee"):
            value = getattr(q, key)
            if value is not None and value not in ents:
                bad.append(f"quote {q.id} {key} {value!r}")
        if q.continues is not None and q.continues not in quotes:
            bad.append(f"quote {q.id} continues {q.continues!r}")
    for r in rec.relations:
        for value in (r.subject, r.object):
            if value not in ents:
                bad.append(f"relation {r.predicate} refers to {value!r}")
    assert not bad, "dangling ids:\n  " + "\n  ".join(bad)
