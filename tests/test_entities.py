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
    return {q.source_span.text: names.get(q.speaker) if q.speaker else None for q in record.quotes if q.source_span is not None}


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


def _organisations(text: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Entity name -> (type, aliases), for the entities that are not people."""
    record = storyline.extract(text)
    return {e.name: (e.type, e.aliases) for e in record.entities if e.type != "PERSON"}


@pytest.mark.parametrize(
    ("text", "name", "acronym"),
    [
        ("The International Monetary Fund cut its forecast on Tuesday. The IMF said growth would slow.",
         "International Monetary Fund", "IMF"),
        ("The EPA issued new rules on Monday. Critics said the Environmental Protection Agency had gone too far.",
         "Environmental Protection Agency", "EPA"),
        # given in parentheses after the name, whatever its initials
        ("The Committee to Protect Journalists (CPJ) said on Monday that two reporters were detained. CPJ called it an outrage.",
         "Committee to Protect Journalists", "CPJ"),
        ("Officials said the Islamic State (ISIS) claimed the attack. ISIS said it would strike again.",
         "Islamic State", "ISIS"),
    ],
    ids=["initials", "acronym-first", "parenthesised", "parenthesised-other-initials"],
)
def test_acronym_is_an_alias_of_the_full_name(text: str, name: str, acronym: str) -> None:
    assert _organisations(text) == {name: ("ORG", (acronym,))}


def test_acronym_the_tagger_calls_a_place_keeps_the_organisation_type() -> None:
    text = "The Federal Bureau of Investigation opened a case on Monday. The F.B.I. said the inquiry would take months."
    assert _organisations(text) == {"Federal Bureau of Investigation": ("ORG", ("F.B.I.",))}


def test_acronym_two_organisations_share_stays_apart_unless_spelt_out() -> None:
    met = "and the National Restaurant Association met on Monday. The NRA said no deal was reached."
    apart = _organisations("The National Rifle Association " + met)
    assert set(apart) == {"National Rifle Association", "National Restaurant Association", "NRA"}
    spelt = _organisations("The National Rifle Association (NRA) " + met)
    assert spelt["National Rifle Association"] == ("ORG", ("NRA",))
    assert spelt["National Restaurant Association"] == ("ORG", ())


def test_capitals_that_stand_for_no_organisation_named_stay_apart() -> None:
    found = _organisations(
        "WASHINGTON (AP) — The World Health Organization said on Monday that NATO troops had left. "
        "The WHO said the troops would return."
    )
    assert found == {"WASHINGTON": ("GPE", ()), "AP": ("ORG", ()), "NATO": ("ORG", ()),
                     "World Health Organization": ("ORG", ("WHO",))}
    # the dateline is taken for a short form of the Post, but "(AP)" after it introduces no acronym of the Post
    found = _organisations("WASHINGTON (AP) — The Washington Post reported the deal. The World Health Organization agreed.")
    assert found["AP"] == ("ORG", ())


def test_office_title_the_tagger_took_into_the_name_is_not_the_name() -> None:
    record = storyline.extract("Councillor Pita Rahu said the ferry fares were too high. Rahu added that the council would vote.")
    assert [(e.name, e.aliases) for e in record.entities if e.type == "PERSON"] == [("Pita Rahu", ("Rahu",))]


def test_lone_name_read_as_a_place_is_a_person_when_he_follows() -> None:
    text = "Later she turned to the publisher. “Gregor doesn’t care about this game. He cares about a date on a spreadsheet.”"
    record = storyline.extract(text)
    assert [(e.name, e.type) for e in record.entities if e.name == "Gregor"] == [("Gregor", "PERSON")]
