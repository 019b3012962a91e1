"""Mentions of people (issue 15, item 1): NER repair, titles out of names, name variants, descriptions.

Each test reads a few invented sentences written to show one failure kind; the
property tests run over those articles and the golden ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline import story
from storyline.model import Entity, Mention, record_from_dict
from storyline.stages.shared.titles import OFFICE_TITLES, is_office_title
from storyline.store import open_store
from storyline.train.person_nouns import count_heads, person_nouns

ARTICLES = Path(__file__).resolve().parent / "articles"

TITLES = (
    " date 2026-05-02 Deputy Sheriff Ana Morales said the road would stay closed until Friday. "
    "Senator Paul Hale told reporters he would ask for an inquiry. \"We need answers,\" Hale said. "
    "Morales said crews were working through the night. Pope Francis sent a message of support."
)
SURNAMES = (
    " date 2026-05-03 Tunde Adeyemi, the council's finance chair, presented the budget on Tuesday. "
    "Adeyemi said the city had to cut spending. Adeyemi's office released the figures. "
    "Professor Cres Eastman of the state university reviewed the plan. Professor Eastman called it realistic."
)
PARTICLES = (
    " date 2026-05-04 Khalid al-Rashid, a trade envoy, met Pieter van der Berg in Rotterdam on Monday. "
    "Al-Rashid said the talks went well. Van der Berg said the port would expand."
)
UNNAMED = (
    " date 2026-05-05 A fire destroyed a warehouse on Elm Street early Sunday. "
    "\"I heard a bang and then the whole sky was orange,\" said a neighbour who asked not to be named. "
    "The neighbour said the fire burned for hours. A spokeswoman for the fire department said no one was hurt."
)
DATELINE = (
    "LAGOS — Traders protested on Monday after fuel prices rose. Amina Bello, a trader in the city, "
    "said she could not afford the change. \"It is too much,\" Bello said."
)
TEAM = (
    " date 2026-05-06 Chelsea beat Arsenal 2-1 on Saturday. Marco Silva scored twice for Chelsea. "
    "The Chelsea team now leads the league. Arsenal fans left early."
)
AGE = (
    " date 2026-05-07 Kowalski, 47, a fan from Leeds, said the match was thrilling. "
    "Okafor said he would attend the next game."
)
SAME_FIRST_NAME = (
    " date 2026-05-08 Maria Lopez chairs the school board. Maria Chen teaches at the school. "
    "Lopez said the budget was tight. Chen said the teachers would strike."
)
INVENTED = (TITLES, SURNAMES, PARTICLES, UNNAMED, DATELINE, TEAM, AGE, SAME_FIRST_NAME)


@pytest.fixture(scope="module")
def records() -> dict[str, Any]:
    return {text: storyline.extract(text) for text in INVENTED}


def _people(record: Any) -> dict[str, Entity]:
    return {e.name: e for e in record.entities if e.type == "PERSON"}


def _forms(entity: Entity) -> set[str]:
    return {m.text for m in entity.mentions if m.kind != "pronoun"}


@pytest.mark.model
def test_office_titles_are_split_off_and_royal_ones_stay(records: dict[str, Any]) -> None:
    people = _people(records[TITLES])
    assert "Ana Morales" in people and "Paul Hale" in people, sorted(people)
    assert people["Ana Morales"].attributes["title"] == "Deputy Sheriff"
    assert "Deputy Sheriff" in people["Ana Morales"].attributes["descriptions"]
    assert people["Paul Hale"].attributes["title"] == "Senator"
    assert "Pope Francis" in people, sorted(people)
    assert {"Morales"} <= _forms(people["Ana Morales"])


@pytest.mark.model
def test_surnames_and_titled_surnames_join_the_full_name(records: dict[str, Any]) -> None:
    people = _people(records[SURNAMES])
    adeyemi = people["Tunde Adeyemi"]
    assert [m.text for m in adeyemi.mentions if m.kind != "pronoun"].count("Adeyemi") == 2
    eastman = people["Cres Eastman"]
    assert any(f.endswith("Eastman") and f != "Cres Eastman" for f in _forms(eastman))
    assert not any(name.endswith("Eastman") and name != "Cres Eastman" for name in people)


@pytest.mark.model
def test_particle_names_are_never_cut_to_the_particle(records: dict[str, Any]) -> None:
    people = _people(records[PARTICLES])
    assert "Al-Rashid" in _forms(people["Khalid al-Rashid"]), sorted(people)
    assert "Van der Berg" in _forms(people["Pieter van der Berg"])
    assert not {"al", "Al", "van", "Van", "Berg"} & set(people)


@pytest.mark.model
def test_a_description_is_an_unnamed_speaker_and_its_repeat_joins_it(records: dict[str, Any]) -> None:
    record = records[UNNAMED]
    unnamed = {e.name: e for e in record.entities if not e.named}
    neighbour = unnamed["a neighbour who asked not to be named"]
    assert neighbour.type == "PERSON"
    described = [m for m in neighbour.mentions if m.kind != "pronoun"]  # the "I" of the neighbour's quote is a pronoun of theirs
    assert [m.kind for m in described] == ["nominal", "nominal"]
    assert described[1].text == "The neighbour"
    assert neighbour.to_dict()["named"] is False
    speakers = {q.content.text[:8]: q.speaker for q in record.quotes}
    assert speakers["I heard "] == neighbour.id
    spokeswoman = unnamed["A spokeswoman for the fire department"]
    assert spokeswoman.attributes.get("gender") == "female"
    assert "named" not in next(e for e in record.entities if e.named).to_dict()


@pytest.mark.model
def test_a_dateline_is_no_person(records: dict[str, Any]) -> None:
    people = _people(records[DATELINE])
    assert "LAGOS" not in people and "Amina Bello" in people, sorted(people)


@pytest.mark.model
def test_a_team_is_no_person(records: dict[str, Any]) -> None:
    record = records[TEAM]
    types = {e.name: e.type for e in record.entities}
    assert types.get("Chelsea") != "PERSON" and types.get("Arsenal") != "PERSON", types
    assert types["Marco Silva"] == "PERSON"


@pytest.mark.model
def test_a_lone_surname_with_an_age_or_a_speech_verb_is_a_person(records: dict[str, Any]) -> None:
    people = _people(records[AGE])
    assert people["Kowalski"].attributes["age"] == 47, sorted(people)
    assert "Okafor" in people


@pytest.mark.model
def test_two_people_sharing_a_first_name_stay_apart(records: dict[str, Any]) -> None:
    people = _people(records[SAME_FIRST_NAME])
    assert "Lopez" in _forms(people["Maria Lopez"]) and "Chen" in _forms(people["Maria Chen"])
    assert "Chen" not in _forms(people["Maria Lopez"])


def _all_records(records: dict[str, Any]) -> list[Any]:
    golden = [storyline.extract(p.read_text(encoding="utf-8")) for p in sorted(ARTICLES.glob("*.txt"))]
    return [*records.values(), *golden]


@pytest.mark.model
def test_every_mention_is_the_slice_of_the_text_it_points_at(records: dict[str, Any]) -> None:
    for record in _all_records(records):
        for e in record.entities:
            for m in e.mentions:
                assert record.text[m.start : m.end] == m.text, (e.name, m)


@pytest.mark.model
def test_no_entity_name_starts_with_an_office_title(records: dict[str, Any]) -> None:
    for record in _all_records(records):
        for e in record.entities:
            if e.type == "PERSON" and e.named:
                assert not is_office_title(e.name.split()[0]), e.name


def test_unnamed_entities_survive_the_json_round_trip() -> None:
    record = storyline.Record(doc_id="x", text="A neighbour said so.", entities=(
        Entity("e1", "A neighbour", "PERSON", named=False),
        Entity("e2", "Ana Morales", "PERSON"),
    ))
    back = record_from_dict(record.to_dict())
    assert isinstance(back, storyline.Record)
    assert [e.named for e in back.entities] == [False, True]


def test_office_titles_hold_no_royal_or_religious_title() -> None:
    assert not {"king", "queen", "pope", "emperor", "rabbi", "imam", "sister"} & OFFICE_TITLES
    assert is_office_title("Gov.") and is_office_title("Senator") and not is_office_title("Emperor")


def test_person_nouns_are_counted_from_gold_person_heads(tmp_path: Path) -> None:
    rows = [
        "# newdoc id = toy",
        "# text = The neighbour saw the fire .",
        "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\tEntity=(1-person-new-x-cf1-2-sgl",
        "2\tneighbour\tneighbour\tNOUN\tNN\t_\t3\tnsubj\t_\tEntity=1)",
        "3\tsaw\tsee\tVERB\tVBD\t_\t0\troot\t_\t_",
        "4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\tEntity=(2-event-new-x-cf2-2-sgl",
        "5\tfire\tfire\tNOUN\tNN\t_\t3\tobj\t_\tEntity=2)",
        "6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_",
        "",
    ]
    (tmp_path / "toy.conllu").write_text("\n".join(rows * 2), encoding="utf-8")
    person, other = count_heads(tmp_path)
    assert person["neighbour"] == 2 and other["fire"] == 2
    assert person_nouns(person, other) == ["neighbour"]


def test_unnamed_people_are_never_linked_across_articles(tmp_path: Path) -> None:
    """Two articles' "a neighbour" are two people, each a story entity of its own."""
    store = open_store(tmp_path / "story.db")
    for doc_id in ("n1", "n2"):
        text = "A neighbour said the fire burned for hours."
        mention = Mention(0, 11, "A neighbour", "nominal", "description")
        entity = Entity("e1", "A neighbour", "PERSON", (mention,), named=False)
        assert store.ingest(storyline.Record(doc_id, text, "2026-05-05", entities=(entity,))) == "added"
    story.link_entities(store)
    rows = store.connection.execute("SELECT doc_id, story_entity, evidence FROM entity_links ORDER BY doc_id").fetchall()
    assert len(rows) == 2 and rows[0]["story_entity"] != rows[1]["story_entity"]
    assert "description" in rows[0]["evidence"]
    store.close()


VARIANTS = (
    " date 2026-05-09 Xi Jinping met John Smith in Beijing on Friday. Xi said trade would grow. "
    "J. Smith, as the envoy signs his letters, said he was hopeful. Robert (Bob) Lee, the harbour master, "
    "said the port was ready. Bob said ships were waiting."
)


@pytest.mark.model
def test_initials_nicknames_and_family_name_first_join_the_full_name() -> None:
    people = _people(storyline.extract(VARIANTS))
    assert "Xi" in _forms(people["Xi Jinping"]), sorted(people)
    assert "J. Smith" in _forms(people["John Smith"])
    assert "Bob" in _forms(people["Robert (Bob) Lee"])
    assert not {"Xi", "J. Smith", "Bob"} & set(people)


@pytest.mark.model
def test_an_appositive_is_a_mention_of_the_named_person_but_no_alias(records: dict[str, Any]) -> None:
    rashid = _people(records[PARTICLES])["Khalid al-Rashid"]
    said_of = [m for m in rashid.mentions if m.kind == "nominal"]
    assert [m.text for m in said_of] == ["a trade envoy"], rashid.mentions
    assert "a trade envoy" not in rashid.aliases and "trade envoy" in rashid.attributes["descriptions"]
