"""Events and evidence: who did what to whom, when, and how sure the outlet is.

Short articles of our own, one phenomenon each, plus the seed article's four
dated facts (read from ../shared, skipped when absent).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import storyline
from storyline.model import Event, Record

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "articles" / "000_d8d3167b20671ea0.txt"

pytestmark = pytest.mark.model


def _name(record: Record, entity_id: str | None) -> str | None:
    ent = record.entity(entity_id)
    return ent.name if ent is not None else None


def _events(record: Record, predicate: str) -> list[Event]:
    return [e for e in record.events if e.predicate == predicate]


def _one(record: Record, predicate: str) -> Event:
    found = _events(record, predicate)
    assert len(found) == 1, f"expected one {predicate!r} event, got {[e.trigger.text for e in record.events]}"
    return found[0]


def test_agent_patients_and_date_from_the_clause() -> None:
    r = storyline.extract(" date 2026-03-10 Nora Vance sued Elliot Crane and his brother, Hugo Crane, on March 2, claiming they had copied her designs.")
    sue = _one(r, "sue")
    assert _name(r, sue.agent) == "Nora Vance"
    assert {_name(r, p) for p in sue.patients} == {"Elliot Crane", "Hugo Crane"}
    assert sue.date == "2026-03-02"
    assert sue.modality == "asserted"


def test_passive_by_phrase_gives_the_agent() -> None:
    r = storyline.extract(" date 2026-03-10 Elliot Crane was fired by Nora Vance last week.")
    fire = _one(r, "fire")
    assert _name(r, fire.agent) == "Nora Vance"
    assert [_name(r, p) for p in fire.patients] == ["Elliot Crane"]
    assert fire.date is not None and fire.date.startswith("2026-W")


def test_hedged_negated_and_hypothetical() -> None:
    r = storyline.extract(
        " date 2026-03-10 Nora Vance allegedly hired Hugo Crane in 2024. "
        "Elliot Crane did not resign. Vance would sue the studio if it closed."
    )
    assert _one(r, "hire").hedges == ("allegedly",)
    assert _one(r, "hire").modality == "hedged"
    assert _one(r, "hire").date == "2024"
    assert _one(r, "resign").polarity == "negative"
    assert _one(r, "sue").modality == "hypothetical"


def test_event_inside_a_claim_is_the_claimant_s() -> None:
    r = storyline.extract(" date 2026-03-10 Nora Vance claimed that Elliot Crane had fired her assistant.")
    fire = _one(r, "fire")
    assert _name(r, fire.attributed_to) == "Nora Vance"
    assert fire.modality == "reported"


def test_event_noun_with_a_possessor_and_against() -> None:
    r = storyline.extract(" date 2026-03-10 Elliot Crane's countersuit against Nora Vance was filed in May 2025.")
    counter = _one(r, "countersue")
    assert _name(r, counter.agent) == "Elliot Crane"
    assert [_name(r, p) for p in counter.patients] == ["Nora Vance"]


def test_approximate_date_keeps_its_timex() -> None:
    r = storyline.extract(" date 2026-03-10 Nora Vance launched the studio around June 2023.")
    launch = _one(r, "launch")
    timex = next(t for t in r.timexes if t.id == launch.timex)
    assert launch.date == "2023-06" and timex.approximate


def test_events_inside_quotes_are_left_to_the_quote() -> None:
    r = storyline.extract(' date 2026-03-10 "We sued them because we had to," Nora Vance said.')
    assert _events(r, "sue") == []
    assert len(r.quotes) == 1


@pytest.mark.shared
def test_seed_dated_facts() -> None:
    if not SEED.exists():
        pytest.skip("../shared/articles is absent")
    r = storyline.extract(SEED.read_text(encoding="utf-8"))
    sent = [e for e in _events(r, "send") if e.date]
    assert len(sent) == 1
    send = sent[0]
    timex = next(t for t in r.timexes if t.id == send.timex)
    assert (send.date, timex.approximate, send.hedges) == ("2023-04", True, ("reportedly",))
    assert _name(r, send.agent) == "Justin Baldoni"

    sues = _events(r, "sue")
    dated = [e for e in sues if e.date]
    assert [(e.date, _name(r, e.agent), [_name(r, p) for p in e.patients]) for e in dated] == [
        ("2024-12-31", "Blake Lively", ["Justin Baldoni"])
    ]
    undated = [e for e in sues if not e.date]
    assert [(_name(r, e.agent), [_name(r, p) for p in e.patients]) for e in undated] == [
        ("Justin Baldoni", ["New York Times"])
    ]
    counter = _one(r, "countersue")
    assert counter.date == "2025-01-17"
    assert _name(r, counter.agent) == "Justin Baldoni"
    assert {_name(r, p) for p in counter.patients} == {"Blake Lively", "Ryan Reynolds"}

    claimed = [e for e in r.events if e.predicate == "smear campaign" and e.attributed_to]
    assert [(_name(r, e.attributed_to), e.modality) for e in claimed] == [("Blake Lively", "reported")]
    # the voice-note quotes carry the date the note was sent
    voice_note = next(q for q in r.quotes if q.kind == "direct")
    assert voice_note.date == "2023-04"


def test_one_evidence_reading_for_quotes_events_and_relations() -> None:
    r = storyline.extract(
        " date 2026-03-10 Nora Vance and her alleged boyfriend, Hugo Crane, were seen in Paris. "
        '"We are friends," Vance was reportedly heard saying in a recording obtained by the Gazette.'
    )
    (rel,) = r.relations
    assert (_name(r, rel.subject), rel.predicate, rel.hedges, rel.modality) == ("Hugo Crane", "partner_of", ("alleged",), "hedged")
    (quote,) = r.quotes
    assert quote.hedges == ("reportedly",)
    assert _name(r, quote.provenance) == "Gazette"


@pytest.mark.shared
def test_seed_provenance() -> None:
    if not SEED.exists():
        pytest.skip("../shared/articles is absent")
    r = storyline.extract(SEED.read_text(encoding="utf-8"))
    voice_note = next(q for q in r.quotes if q.kind == "direct")
    assert _name(r, voice_note.provenance) == "Daily Mail"
    send = next(e for e in _events(r, "send") if e.date)
    assert _name(r, send.provenance) == "Daily Mail"


def test_claim_after_a_comma_is_the_subject_s_not_the_object_s() -> None:
    r = storyline.extract(
        " date 2026-05-11 Ironbridge Interactive has countersued Leah Varga and her husband, Daniel Roth, "
        "claiming the couple misused money advanced for the game to pay for another project. "
        "Roth called the countersuit a scare tactic."
    )
    counters = _events(r, "countersue")
    assert _name(r, counters[0].agent) == "Ironbridge Interactive"
    assert {_name(r, p) for p in counters[0].patients} == {"Leah Varga", "Daniel Roth"}
    assert _name(r, _one(r, "pay").attributed_to) == "Ironbridge Interactive"
    # calling a countersuit something does not make Roth its agent
    assert all(_name(r, e.agent) != "Daniel Roth" for e in counters)


def test_the_attached_date_is_the_one_the_subtree_walk_finds() -> None:
    """``events._date`` walks up from the dates in a trigger's span; it must pick what walking down its subtree picks.

    Every token of the project's examples, with their time expressions, is
    checked against the plain reading: the nearest date of the subtree that is
    in the token's clause, the first in subtree order on a tie.
    """
    from storyline.nlp.doctable import DocTable
    from storyline.nlp.load import load_model
    from storyline.stages.events.events import _attached_date, _same_clause, _timex_index
    from storyline.stages.time.timexes import find_timexes

    def plain(tok, timex_at):  # type: ignore[no-untyped-def]
        found = [(abs(t.i - tok.i), timex_at[t.i]) for t in tok.subtree
                 if t.i in timex_at and timex_at[t.i].type in ("DATE", "TIME") and timex_at[t.i].value
                 and _same_clause(t, tok)]
        return min(found, key=lambda c: c[0])[1] if found else None

    nlp = load_model()
    examples = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in examples]
    texts.append("On Monday the court ruled, and on May 3 she sued them, two days after the hearing of 2024.")
    checked = 0
    for text in texts:
        doc = nlp(text)
        timexes, _ = find_timexes(text, "2025-01-28")
        timex_at = _timex_index(doc, timexes)
        table = DocTable(doc)
        for tok in doc:
            assert _attached_date(tok, timex_at, table) is plain(tok, timex_at), (text[:30], tok.i, tok.text)
            checked += plain(tok, timex_at) is not None
    assert checked > 20
