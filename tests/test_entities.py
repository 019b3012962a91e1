"""Entity resolution rules that the golden articles do not isolate."""

from __future__ import annotations

import pytest

import storyline

pytestmark = pytest.mark.model


def _epithets(text: str) -> dict[str, str]:
    record = storyline.extract(text)
    return {m.text: e.name for e in record.entities for m in e.mentions if m.kind == "epithet"}


def test_epithet_after_a_named_subject_refers_to_that_subject() -> None:
    text = (
        " date 2026-07-22 Mara Quist sued the publisher in March and has spoken about it often. "
        '"We will win," Quist said on Monday.\n\n'
        'Tomas Eberg, speaking on a call with investors, said he was "glad it is over". '
        "The Ironbridge chief did not take questions."
    )
    assert _epithets(text)["The Ironbridge chief"] == "Tomas Eberg"


def test_epithet_after_a_quoted_sentence_falls_back_to_salience() -> None:
    text = (
        " date 2026-06-08 Mara Quist, a mother of two, founded the studio. Quist said the deal was fair. "
        "Her lawyer, Ines Falk, spoke on Friday.\n\n"
        '"This was a private message," Falk said. "It should have stayed private."\n\n'
        "The mother of two has not commented."
    )
    assert _epithets(text)["The mother of two"] == "Mara Quist"


def _speakers(text: str) -> dict[str, str | None]:
    """Source text -> the name of the entity it was resolved to (None when unresolved)."""
    record = storyline.extract(text)
    names = {e.id: e.name for e in record.entities}
    return {q.source_span.text: names.get(q.speaker) for q in record.quotes if q.source_span is not None}


def test_organisation_noun_stands_for_the_organisation_named_before() -> None:
    text = "The Harbour Gazette reported the closure on Monday. The newspaper said the ferry would stop."
    assert _speakers(text)["The newspaper"] == "Harbour Gazette"


def test_organisation_noun_needs_a_name_with_its_modifiers() -> None:
    text = (
        "The Riverton Appeals Court heard the case on Monday. The Supreme Court declined to act. "
        "The appeals court said the ferry would stop."
    )
    assert _speakers(text)["The appeals court"] == "Riverton Appeals Court"


def test_organisation_noun_used_for_something_else_in_between_stays_unresolved() -> None:
    named = "The Harbour Workers Association met on Monday. "
    said = "The group said the ferry would stop."
    assert _speakers(named + said)["The group"] == "Harbour Workers Association"
    assert _speakers(named + "A group of fishermen protested outside. " + said)["The group"] is None


def test_it_after_an_organisation_subject_is_the_organisation() -> None:
    text = "The Riverton Council voted on Monday. It said the ferry must stop."
    assert _speakers(text)["It"] == "Riverton Council"


def test_it_after_a_letter_is_the_letter_and_stays_unresolved() -> None:
    text = "The Riverton Council obtained a letter from the ferry operator on Monday. It says the ferry must stop."
    assert _speakers(text)["It"] is None


def test_epithet_after_a_date_and_comma_is_no_appositive() -> None:
    text = (
        "Former President Bill Clinton criticized the health law in Flint on Sunday. "
        "During the rally Monday, the former president said premiums were rising."
    )
    assert _epithets(text)["the former president"] == "Bill Clinton"
