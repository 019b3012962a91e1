"""The seed article (``../shared/articles/000_d8d3167b20671ea0.txt``): what it must yield.

Skips when ``../shared`` is absent. Written against the model API
(``Record.entity(id)``, ``Entity.name``, ``.aliases``, ``.attributes``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "articles" / "000_d8d3167b20671ea0.txt"

pytestmark = [
    pytest.mark.model,
    pytest.mark.shared,
    pytest.mark.skipif(not SEED.exists(), reason=f"{SEED} is absent (../shared not checked out)"),
]

RELAYED = {"absolute titans", "dragons"}


@pytest.fixture(scope="module")
def record() -> Any:
    import storyline

    return storyline.extract(SEED.read_text(encoding="utf-8"), doc_id=SEED.stem)


def _fold(name: str) -> str:
    """Case-fold and drop a leading "the", so "the Daily Mail" finds "Daily Mail"."""
    words = name.lower().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _entity(record: Any, name: str, type_: str = "PERSON") -> Any:
    found = [e for e in record.entities if e.type == type_ and _fold(e.name) == _fold(name)]
    have = sorted(f"{e.name} ({e.type})" for e in record.entities)
    assert found, f"no {type_} entity named {name!r}; entities: {have}"
    assert len(found) == 1, f"{name!r} ({type_}) appears {len(found)} times: split cluster"
    return found[0]


def _surface_forms(entity: Any) -> set[str]:
    return {entity.name.lower(), *(a.lower() for a in entity.aliases), *(m.text.lower() for m in entity.mentions)}


def _speaker_name(record: Any, entity_id: str | None) -> str | None:
    ent = record.entity(entity_id)
    return ent.name if ent is not None else None


def _passages(record: Any) -> dict[tuple[int, int], Any]:
    """Every quoted passage once, with the record that attributes it.

    A record's ``fragments`` are its passages (the pieces of a quote split around
    its cue, the quoted words of a ``mixed`` quote); a direct or partial quote
    without fragments is one passage. A passage found both as a quote of its own
    and inside a reported clause counts once, with the quote of its own.
    """
    out: dict[tuple[int, int], Any] = {}
    for kinds in (("direct", "partial"), ("mixed",)):
        for q in record.quotes:
            if q.kind not in kinds:
                continue
            pieces = q.fragments or ((q.content,) if q.kind != "mixed" else ())
            for piece in pieces:
                out.setdefault((piece.start, piece.end), q)
    return out


def test_seed_has_16_quoted_passages(record: Any) -> None:
    passages = _passages(record)
    texts = sorted(record.text[a:b] for a, b in passages)
    assert len(passages) == 16, f"{len(passages)} quoted passages: {texts}"


def test_seed_speakers(record: Any) -> None:
    wrong = []
    found = set()
    for (a, b), q in _passages(record).items():
        words = record.text[a:b]
        found.add(words)
        speaker = _speaker_name(record, q.speaker)
        reported_by = _speaker_name(record, q.reported_by)
        if words in RELAYED:
            if (speaker, reported_by) != ("Blake Lively", "Justin Baldoni"):
                wrong.append(f"{words!r}: speaker {speaker!r} reported_by {reported_by!r}")
        elif speaker != "Justin Baldoni":
            wrong.append(f"{words[:50]!r}: speaker {speaker!r} (via {q.speaker_via!r})")
    assert RELAYED <= found, f"relayed fragments not found as quotes: {sorted(RELAYED - found)}"
    assert not wrong, "wrong speakers:\n  " + "\n  ".join(wrong)


def test_seed_people(record: Any) -> None:
    justin = _entity(record, "Justin Baldoni")
    blake = _entity(record, "Blake Lively")
    _entity(record, "Ryan Reynolds")
    _entity(record, "Taylor Swift")
    assert justin.attributes.get("age") == 41, justin.attributes
    assert blake.attributes.get("age") == 37, blake.attributes
    assert "justin" in {a.lower() for a in justin.aliases}, justin.aliases
    assert "blake" in {a.lower() for a in blake.aliases}, blake.aliases


@pytest.mark.parametrize(
    ("name", "type_"),
    [
        ("Daily Mail", "ORG"),
        ("New York Times", "ORG"),
        ("It Ends With Us", "WORK_OF_ART"),
        ("New York City", "GPE"),
    ],
)
def test_seed_other_entities(record: Any, name: str, type_: str) -> None:
    _entity(record, name, type_)


def test_seed_relations(record: Any) -> None:
    triples = {(_speaker_name(record, r.subject), r.predicate, _speaker_name(record, r.object)) for r in record.relations}
    assert ("Ryan Reynolds", "spouse_of", "Blake Lively") in triples, sorted(map(str, triples))
    assert ("Taylor Swift", "friend_of", "Blake Lively") in triples, sorted(map(str, triples))


@pytest.mark.parametrize(
    ("epithet", "person"),
    [
        ("The Jane the Virgin star", "Justin Baldoni"),
        ("The Five Feet Apart director", "Justin Baldoni"),
        ("The mother of four", "Blake Lively"),
    ],
)
def test_seed_epithets(record: Any, epithet: str, person: str) -> None:
    entity = _entity(record, person)
    assert epithet.lower() in _surface_forms(entity), f"{epithet!r} not among {person}'s forms: {sorted(_surface_forms(entity))}"
