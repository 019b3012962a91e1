"""The story across articles: entity linking, timeline, profiles and quote search.

Records are built by hand (no model), so a model upgrade cannot change these
tests; only ``test_examples_story`` runs the pipeline (marked ``model``). All
texts are written for these tests.
"""

from __future__ import annotations

import json
import shlex
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import storyline
from storyline import story
from storyline.cli.main import main
from storyline.errors import STORE_WRITE_FAILED, STORY_ENTITY_NOT_FOUND, StoreError, StoryError
from storyline.model import Entity, Event, Mention, Quote, Record, Relation, Span, Timex
from storyline.store.db import Store, open_store
from storyline.story.events import date_range
from storyline.story.groups import ages_consistent
from storyline.story.names import fold_name

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


# --- building records by hand ---------------------------------------------------------------


class Doc:
    """A hand-made article: write the text, then point at words in it."""

    def __init__(self, doc_id: str, published: str, text: str) -> None:
        self.doc_id, self.published, self.text = doc_id, published, text
        self.entities: list[Entity] = []
        self.relations: list[Relation] = []
        self.events: list[Event] = []
        self.quotes: list[Quote] = []
        self.timexes: list[Timex] = []

    def span(self, words: str, nth: int = 0) -> Span:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(words, start + 1)
        return Span.of(self.text, start, start + len(words))

    def entity(self, name: str, type_: str = "PERSON", *, aliases: tuple[str, ...] = (), **attributes: Any) -> str:
        eid = f"e{len(self.entities) + 1}"
        mentions = [Mention(s.start, s.end, s.text, "name") for s in [self.span(name)]]
        for alias in aliases:
            s = self.span(alias, nth=1 if alias in name else 0)
            mentions.append(Mention(s.start, s.end, s.text, "alias"))
        attrs = {k: v for k, v in attributes.items() if v is not None}
        self.entities.append(Entity(eid, name, type_, tuple(mentions), aliases, attrs))
        return eid

    def timex(self, words: str, value: str, *, approximate: bool = False) -> str:
        tid = f"t{len(self.timexes) + 1}"
        s = self.span(words)
        self.timexes.append(Timex(tid, s.start, s.end, s.text, "DATE", value, approximate=approximate))
        return tid

    def event(self, trigger: str, predicate: str, agent: str | None = None, patients: tuple[str, ...] = (),
              *, timex: str | None = None, hedges: tuple[str, ...] = (), modality: str = "asserted") -> None:
        value = next((t.value for t in self.timexes if t.id == timex), None)
        self.events.append(Event(f"v{len(self.events) + 1}", self.span(trigger), predicate, agent=agent,
                                 patients=patients, timex=timex, date=value, hedges=hedges, modality=modality))

    def quote(self, words: str, speaker: str | None, *, timex: str | None = None, hedges: tuple[str, ...] = ()) -> None:
        value = next((t.value for t in self.timexes if t.id == timex), None)
        self.quotes.append(Quote(f"q{len(self.quotes) + 1}", "direct", self.span(words), speaker=speaker,
                                 timex=timex, date=value, hedges=hedges))

    def record(self) -> Record:
        return Record(self.doc_id, self.text, self.published, entities=tuple(self.entities),
                      relations=tuple(self.relations), quotes=tuple(self.quotes), events=tuple(self.events),
                      timexes=tuple(self.timexes))


def _store(tmp_path: Path, docs: list[Doc]) -> Store:
    store = open_store(tmp_path / "story.db")
    for doc in docs:
        assert store.ingest(doc.record()) == "added"
    return store


def _links(store: Store) -> dict[tuple[str, str], tuple[int, str, str]]:
    """(doc_id, entity id) -> (story id, story name, evidence)."""
    rows = store.connection.execute(
        "SELECT l.doc_id, l.entity_id, l.story_entity, se.name, l.evidence "
        "FROM entity_links l JOIN story_entities se ON se.id = l.story_entity"
    )
    return {(r["doc_id"], r["entity_id"]): (r["story_entity"], r["name"], r["evidence"]) for r in rows}


# --- the Leah Varga articles, by hand -----------------------------------------------------------


def _varga_docs() -> list[Doc]:
    a = Doc("a1", "2026-01-12", "Leah Varga, 34, the founder of Foxglove Games, delayed Saltglass in 2025.")
    leah = a.entity("Leah Varga", age=34, descriptions=["founder of Foxglove Games"], gender="female")
    a.entity("Foxglove Games", "ORG")
    a.timex("in 2025", "2025")
    a.event("delayed", "delay", leah, timex=None)

    b = Doc("b2", "2026-04-02", "Leah Varga has sued Ironbridge Interactive. The lawsuit, filed last Friday, names "
            "Marcus Hale. \"This is about a promise,\" Varga said. Hale, 38, declined to comment.")
    leah_b = b.entity("Leah Varga", aliases=("Varga",), gender="female")
    iron_b = b.entity("Ironbridge Interactive", "ORG")
    b.entity("Marcus Hale", aliases=("Hale",), age=38, gender="male")
    b.timex("last Friday", "2026-03-27")
    b.event("sued", "sue", leah_b, (iron_b,))
    b.event("lawsuit", "sue")
    b.event("filed", "file", timex="t1")
    b.quote("This is about a promise,", leah_b)

    c = Doc("c3", "2026-04-05", "Varga allegedly sued Ironbridge over the game. \"We will fight for every scene in "
            "the game,\" Varga said.")
    varga_c = c.entity("Varga", aliases=("Varga",), gender="female")
    iron_c = c.entity("Ironbridge", "ORG")
    c.event("sued", "sue", varga_c, (iron_c,), hedges=("allegedly",), modality="hedged")
    c.quote("We will fight for every scene in the game,", varga_c)

    d = Doc("d4", "2026-05-11", "Leah told the Gazette that Foxglove Games would survive. In February the studio "
            "paid its staff late. Around June 2025 Ironbridge Interactive reportedly paid an advance.")
    leah_d = d.entity("Leah", gender="female")
    d.entity("Gazette", "ORG")
    d.entity("Foxglove Games", "ORG")
    iron_d = d.entity("Ironbridge Interactive", "ORG")
    d.timex("In February", "2026-02")
    d.timex("Around June 2025", "2025-06", approximate=True)
    d.event("told", "tell", leah_d)
    d.event("paid", "pay", "e3", timex="t1")
    d.event("paid an advance", "pay", iron_d, timex="t2", hedges=("reportedly",), modality="hedged")

    e = Doc("e5", "2026-06-01", "Marcus Hale, 38, said Ironbridge Interactive had sued Leah Varga on May 8.")
    e.entity("Marcus Hale", age=38)
    iron_e = e.entity("Ironbridge Interactive", "ORG")
    leah_e = e.entity("Leah Varga")
    e.timex("May 8", "2026-05-08")
    e.event("sued", "sue", iron_e, (leah_e,), timex="t1")
    return [a, b, c, d, e]


@pytest.fixture
def varga(tmp_path: Path) -> Iterator[Store]:
    store = _store(tmp_path, _varga_docs())
    story.link_entities(store)
    yield store
    store.close()


# --- linking ------------------------------------------------------------------------------------


def test_full_name_surname_and_first_name_are_one_story_entity(varga: Store) -> None:
    links = _links(varga)
    leah = {links[key][0] for key in [("a1", "e1"), ("b2", "e1"), ("c3", "e1"), ("d4", "e1"), ("e5", "e3")]}
    assert len(leah) == 1
    assert links[("c3", "e1")][1] == "Leah Varga"
    assert "surname 'Varga' unique in article; full name seen in 3 articles" in links[("c3", "e1")][2]
    assert "first name 'Leah' unique in article" in links[("d4", "e1")][2]
    assert links[("a1", "e1")][2].startswith("same full name 'Leah Varga' (3 articles)")
    # A one-word organisation is the short form of the full one.
    assert links[("c3", "e2")][0] == links[("b2", "e2")][0] == links[("d4", "e4")][0]
    assert links[("c3", "e2")][1] == "Ironbridge Interactive"
    # Marcus Hale: ages 38 in April and June are consistent.
    assert links[("b2", "e3")][0] == links[("e5", "e1")][0]
    assert "age 38 consistent" in links[("e5", "e1")][2]


def test_every_link_has_evidence_and_story_names_are_full(varga: Store) -> None:
    rows = varga.connection.execute("SELECT evidence FROM entity_links").fetchall()
    assert rows and all(r["evidence"].strip() for r in rows)
    count = varga.connection.execute("SELECT COUNT(*) FROM entities").fetchone()[0]
    assert len(rows) == count  # every article entity is placed, none dropped
    names = {r["name"]: r["key"] for r in varga.connection.execute("SELECT name, key FROM story_entities")}
    assert names["Leah Varga"] == "leah varga|PERSON"
    assert "Varga" not in names and "Leah" not in names


def _two_people(doc_id: str, published: str, text: str, first: tuple[str, str], second: tuple[str, str],
                spouses: bool = False) -> Doc:
    """An article naming two people, ``(name, gender)`` each (e1, e2); with ``spouses``, e2 is spouse_of e1."""
    doc = Doc(doc_id, published, text)
    one = doc.entity(first[0], gender=first[1])
    two = doc.entity(second[0], gender=second[1])
    if spouses:
        doc.relations.append(Relation(two, "spouse_of", one))
    return doc


def _ryan_docs() -> list[Doc]:
    return [
        _two_people("r1", "2025-01-10", "Ryan Reynolds arrived with his wife, Blake Lively, at the premiere.",
                    ("Ryan Reynolds", "male"), ("Blake Lively", "female"), spouses=True),
        _two_people("r2", "2025-01-11", "Ryan Coogler directed Sinners with Michael B. Jordan.",
                    ("Ryan Coogler", "male"), ("Michael B. Jordan", "male")),
        _two_people("r3", "2025-01-12", "Ryan and his wife Blake Lively left early.",
                    ("Ryan", "male"), ("Blake Lively", "female"), spouses=True),
        _two_people("r4", "2025-01-13", "Taylor Swift thanked Ryan for the flowers.",
                    ("Taylor Swift", "female"), ("Ryan", "male")),
    ]


def test_people_who_share_a_first_name_stay_apart(tmp_path: Path) -> None:
    store = _store(tmp_path, _ryan_docs())
    report = story.link_entities(store)
    links = _links(store)
    reynolds, coogler = links[("r1", "e1")], links[("r2", "e1")]
    assert reynolds[0] != coogler[0]
    assert (reynolds[1], coogler[1]) == ("Ryan Reynolds", "Ryan Coogler")
    # "Ryan" next to Blake Lively, his wife: Reynolds, by shared context, and the evidence says so.
    assert links[("r3", "e1")][0] == reynolds[0]
    assert "shared context" in links[("r3", "e1")][2] and "Blake Lively" in links[("r3", "e1")][2]
    # "Ryan" in an article about someone else, with nothing to decide: its own story entity, not a guess.
    lone = links[("r4", "e2")]
    assert lone[0] not in (reynolds[0], coogler[0])
    assert "ambiguous" in lone[2] and "kept apart" in lone[2]
    assert [(a.doc_id, a.name) for a in report.ambiguous] == [("r4", "Ryan")]
    # No story entity spans both full names.
    members = store.connection.execute(
        "SELECT l.story_entity, GROUP_CONCAT(e.name, '|') AS names FROM entity_links l "
        "JOIN entities e ON e.doc_id = l.doc_id AND e.id = l.entity_id GROUP BY l.story_entity"
    ).fetchall()
    assert not any("Reynolds" in m["names"] and "Coogler" in m["names"] for m in members)
    store.close()


def test_lone_first_name_in_another_story_stays_unlinked(tmp_path: Path) -> None:
    """Two Ryans in one article's neighbourhood: a bare "Ryan" there is not linked to either."""
    docs = _ryan_docs()[:2]
    r5 = Doc("r5", "2025-02-01", "The mayor praised Ryan at the opening.")
    r5.entity("Ryan", gender="male")
    store = _store(tmp_path, [*docs, r5])
    story.link_entities(store)
    links = _links(store)
    assert links[("r5", "e1")][1] == "Ryan"
    assert links[("r5", "e1")][0] not in (links[("r1", "e1")][0], links[("r2", "e1")][0])
    store.close()


def test_same_name_with_inconsistent_ages_is_two_people(tmp_path: Path) -> None:
    a = Doc("j1", "2020-01-01", "John Smith, 30, opened a bakery.")
    a.entity("John Smith", age=30)
    b = Doc("j2", "2020-06-01", "John Smith, 61, retired from the bench.")
    b.entity("John Smith", age=61)
    c = Doc("j3", "2021-01-05", "John Smith, 31, expanded his bakery.")
    c.entity("John Smith", age=31)
    store = _store(tmp_path, [a, b, c])
    report = story.link_entities(store)
    links = _links(store)
    assert links[("j1", "e1")][0] == links[("j3", "e1")][0] != links[("j2", "e1")][0]
    keys = sorted(r["key"] for r in store.connection.execute("SELECT key FROM story_entities"))
    assert keys == ["john smith|PERSON", "john smith|PERSON#2"]
    assert report.story_entities == 2
    store.close()


def test_acronym_links_to_the_full_name_that_has_it_as_an_alias(tmp_path: Path) -> None:
    """"IMF" alone in one article is the International Monetary Fund another article spelt out;
    "U.N." and "UN" are one acronym, dots or not."""
    a = Doc("f1", "2026-03-01", "The International Monetary Fund (IMF) cut its forecast. The U.N. agreed.")
    a.entity("International Monetary Fund", "ORG", aliases=("IMF",))
    a.entity("U.N.", "ORG")
    b = Doc("f2", "2026-03-02", "The IMF said growth would slow, and the UN said so too.")
    b.entity("IMF", "ORG")
    b.entity("UN", "ORG")
    store = _store(tmp_path, [a, b])
    story.link_entities(store)
    links = _links(store)
    assert links[("f2", "e1")][:2] == (links[("f1", "e1")][0], "International Monetary Fund")
    assert "'IMF'" in links[("f2", "e1")][2]
    assert links[("f2", "e2")][0] == links[("f1", "e2")][0]
    store.close()


@pytest.mark.model
def test_extracted_acronym_links_to_the_full_name_in_another_article(tmp_path: Path) -> None:
    store = open_store(tmp_path / "imf.db")
    spelt = "The International Monetary Fund cut its forecast on Tuesday. The IMF said growth would slow."
    store.ingest(storyline.extract(spelt, "2026-03-01", doc_id="f1"))
    store.ingest(storyline.extract("The IMF said on Wednesday that trade would shrink.", "2026-03-02", doc_id="f2"))
    story.link_entities(store)
    rows = [r for r in story.list_entities(store) if r["type"] == "ORG"]
    assert [(r["name"], r["articles"]) for r in rows] == [("International Monetary Fund", 2)]
    store.close()


def test_relink_replaces_story_tables(varga: Store) -> None:
    first = _links(varga)
    report = story.link_entities(varga)
    assert _links(varga) == first
    assert report.article_entities == len(first)
    assert not story.links_stale(varga)
    assert story.update_links(varga) is None  # up to date: nothing relinked


@pytest.mark.parametrize(
    ("first", "second", "ok"),
    [((34, "2026-01-12"), (34, "2026-10-30"), True), ((34, "2026-01-12"), (35, "2026-10-30"), True),
     ((34, "2026-01-12"), (52, "2026-03-14"), False), ((30, "2020-01-01"), (33, "2023-06-01"), True),
     ((30, None), (32, None), False)],
)
def test_ages_consistent(first: tuple[int, str | None], second: tuple[int, str | None], ok: bool) -> None:
    from datetime import date

    def parse(x: tuple[int, str | None]) -> tuple[int, date | None]:
        return x[0], date.fromisoformat(x[1]) if x[1] else None

    assert ages_consistent(parse(first), parse(second)) is ok


def test_fold_name() -> None:
    assert fold_name("  Ms  Varga\u2019s ") == "varga"
    assert fold_name("The Gazette") == "gazette"
    assert fold_name("LEAH varga") == "leah varga"
    assert fold_name("the U.N.") == fold_name("UN") == "un"


# --- timeline -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "approximate", "expected"),
    [
        ("2026-03-27", False, ("2026-03-27", "2026-03-27")),
        ("2026-03-27T15:00", False, ("2026-03-27", "2026-03-27")),
        ("2026-02", False, ("2026-02-01", "2026-02-28")),
        ("2026", False, ("2026-01-01", "2026-12-31")),
        ("2026-W13", False, ("2026-03-23", "2026-03-29")),
        ("2026-W13-WE", False, ("2026-03-28", "2026-03-29")),
        ("2026-Q2", False, ("2026-04-01", "2026-06-30")),
        ("2026-H2", False, ("2026-07-01", "2026-12-31")),
        ("2025-WI", False, ("2025-12-01", "2026-02-28")),
        ("2026-SU", False, ("2026-06-01", "2026-08-31")),
        ("199", False, ("1990-01-01", "1999-12-31")),
        ("2025-06", True, ("2025-05-17", "2025-07-15")),
        ("2026-03-03", True, ("2026-02-28", "2026-03-06")),
    ],
)
def test_date_range(value: str, approximate: bool, expected: tuple[str, str]) -> None:
    span = date_range(value, approximate)
    assert span is not None
    assert (span[0].isoformat(), span[1].isoformat()) == expected


@pytest.mark.parametrize("value", [None, "", "P3M", "PRESENT_REF", "XXXX-XX-XXTNI", "2026-13", "2026-02-30"])
def test_date_range_of_non_dates(value: str | None) -> None:
    assert date_range(value) is None


def test_timeline_order_with_day_month_approximate_and_undated(varga: Store) -> None:
    items = story.timeline(varga)
    keys = [(it["placed"], it["undated"]) for it in items]
    assert keys == sorted(keys)  # by placed date; on one day the dated first
    by_evidence = {it["evidence"]: it for it in items}
    advance = by_evidence["paid an advance"]
    assert advance["approximate"] is True and advance["date"] == "2025-06"
    assert advance["range"] == ["2025-05-17", "2025-07-15"]
    delayed = by_evidence["delayed"]
    assert delayed["undated"] is True and delayed["range"] is None and delayed["placed"] == "2026-01-12"
    month = by_evidence["paid"]
    assert month["range"] == ["2026-02-01", "2026-02-28"] and not month["approximate"] and not month["undated"]
    order = [it["evidence"] for it in items if it["kind"] == "event"]
    assert order.index("paid an advance") < order.index("delayed") < order.index("paid")
    assert order.index("paid") < order.index("sued; lawsuit; filed")


def test_same_event_in_two_articles_is_one_item_with_both_sources(varga: Store) -> None:
    sues = [it for it in story.timeline(varga, "Leah Varga") if it["predicate"] == "sue"]
    # Varga sued Ironbridge (b2, with "the lawsuit, filed last Friday", and c3) and Ironbridge sued Varga (e5).
    assert len(sues) == 2
    hers = next(it for it in sues if it["agent"] == "Leah Varga")
    assert hers["patients"] == ["Ironbridge Interactive"]
    assert hers["sources"] == ["b2", "c3"]
    assert hers["date"] == "2026-03-27" and hers["undated"] is False
    assert hers["hedges"] == ["allegedly"] and hers["modality"] == "asserted"
    theirs = next(it for it in sues if it["agent"] == "Ironbridge Interactive")
    assert theirs["patients"] == ["Leah Varga"] and theirs["sources"] == ["e5"] and theirs["date"] == "2026-05-08"
    assert {"kind", "predicate", "date", "range", "approximate", "undated", "agent", "patients", "modality",
            "hedges", "sources", "evidence"} <= set(hers)


def test_timeline_by_alias_and_by_query(varga: Store) -> None:
    assert story.timeline(varga, "Varga") == story.timeline(varga, "Leah Varga")
    found = story.timeline(varga, query="advance")
    assert [it["evidence"] for it in found] == ["paid an advance"]
    # A query with characters FTS5 reads as syntax is searched as words.
    assert story.timeline(varga, query="advance.") == found
    with pytest.raises(StoryError) as err:
        story.timeline(varga, "Nobody Here")
    assert err.value.code == STORY_ENTITY_NOT_FOUND


def test_dated_quotes_are_in_the_timeline(tmp_path: Path) -> None:
    doc = Doc("q1", "2026-02-03", "In a message sent last Friday, Marcus Hale told Leah Varga the publisher was "
              "\"losing patience\".")
    hale = doc.entity("Marcus Hale")
    doc.entity("Leah Varga")
    doc.timex("last Friday", "2026-01-30")
    doc.quote("losing patience", hale, timex="t1", hedges=("allegedly",))
    store = _store(tmp_path, [doc])
    story.link_entities(store)
    items = story.timeline(store, "Hale")
    assert [(it["kind"], it["date"], it["agent"], it["evidence"]) for it in items] == [
        ("quote", "2026-01-30", "Marcus Hale", "losing patience")
    ]
    assert items[0]["hedges"] == ["allegedly"]
    store.close()


# --- entities, profile, quotes ------------------------------------------------------------------


def test_list_entities(varga: Store) -> None:
    rows = story.list_entities(varga)
    leah = next(r for r in rows if r["name"] == "Leah Varga")
    assert (leah["type"], leah["articles"], leah["quotes"]) == ("PERSON", 5, 2)
    assert (leah["first_seen"], leah["last_seen"]) == ("2026-01-12", "2026-06-01")
    assert rows[0]["articles"] >= rows[-1]["articles"]


def test_profile(varga: Store) -> None:
    p = story.profile(varga, "Leah")
    assert p["name"] == "Leah Varga"
    assert {"Leah Varga", "Varga", "Leah"} <= set(p["aliases"])
    assert p["ages"] == [{"value": 34, "doc_id": "a1", "published": "2026-01-12"}]
    assert p["descriptions"][0]["value"] == "founder of Foxglove Games"
    assert [a["doc_id"] for a in p["articles"]] == ["a1", "b2", "c3", "d4", "e5"]
    assert all(a["evidence"] for a in p["articles"])
    assert (p["first_seen"], p["last_seen"], p["quotes"]) == ("2026-01-12", "2026-06-01", 2)


def test_profile_relations(tmp_path: Path) -> None:
    store = _store(tmp_path, _ryan_docs())
    story.link_entities(store)
    p = story.profile(store, "Blake Lively")
    assert p["relations"] == [{
        "predicate": "spouse_of", "subject": "Blake Lively", "object": "Ryan Reynolds", "other": "Ryan Reynolds",
        "sources": ["r1", "r3"], "hedges": [], "evidence": None,
    }]
    # A story entity's own name wins: "Ryan" is the lone Ryan of r4, not a guess among the full names.
    assert [a["doc_id"] for a in story.profile(store, "Ryan")["articles"]] == ["r4"]
    with pytest.raises(StoryError) as err:
        story.profile(store, "Reynolds Coogler")
    assert err.value.code == STORY_ENTITY_NOT_FOUND
    store.close()


def test_search_quotes_by_speaker_alias_and_by_word(varga: Store) -> None:
    by_alias = story.search_quotes(varga, speaker="Varga")
    assert [(q["doc_id"], q["speaker"]) for q in by_alias] == [("b2", "Leah Varga"), ("c3", "Leah Varga")]
    assert by_alias[0]["quote"] == "This is about a promise,"
    assert story.search_quotes(varga, speaker="Leah") == by_alias
    by_word = story.search_quotes(varga, about="scene")
    assert [q["quote"] for q in by_word] == ["We will fight for every scene in the game,"]
    assert story.search_quotes(varga, speaker="Hale", about="promise") == []
    assert {"quote", "speaker", "date", "hedges", "doc_id"} <= set(by_word[0])


# --- command line -------------------------------------------------------------------------------


def _cli(args: list[str]) -> Any:
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()  # click >= 8.2 keeps stderr apart already
    return runner.invoke(main, args)


def test_cli_missing_db_names_file_and_fix(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    for command in (["entities"], ["profile", "Leah Varga"], ["timeline"], ["quotes"]):
        result = _cli([*command, "--db", str(db)])
        assert result.exit_code == 1
        assert str(db) in result.stderr and "storyline ingest" in result.stderr and "SL451" in result.stderr
    assert not db.exists()


def test_cli_table_and_json(tmp_path: Path) -> None:
    store = _store(tmp_path, _varga_docs())  # stored from Python, not linked: `storyline link` links it
    store.close()
    db = str(tmp_path / "story.db")
    linked = _cli(["link", "--db", db])
    assert linked.exit_code == 0, linked.output
    assert "linked 14 article entities" in linked.stderr
    again = _cli(["link", "--db", db])
    assert again.exit_code == 0 and "up to date; nothing to do" in again.stderr
    assert "linked 14 article entities" in _cli(["link", "--db", db, "--force"]).stderr
    table = _cli(["timeline", "Leah Varga", "--db", db])
    assert table.exit_code == 0, table.output
    assert table.stderr == ""  # the links are up to date: no note
    assert "Leah Varga sue Ironbridge Interactive" in table.stdout and "b2, c3" in table.stdout
    assert "~2025-06" not in table.stdout  # Ironbridge's advance, not hers
    data = json.loads(_cli(["timeline", "Leah Varga", "--db", db, "--format", "json"]).stdout)
    with open_store(db) as store:
        assert isinstance(data, list) and data == story.timeline(store, "Leah Varga")
    entities = json.loads(_cli(["entities", "--db", db, "--format", "json"]).stdout)
    assert entities[0]["name"] == "Leah Varga" and entities[0]["articles"] == 5
    prof = json.loads(_cli(["profile", "Varga", "--db", db, "--format", "json"]).stdout)
    assert isinstance(prof, list) and prof[0]["name"] == "Leah Varga"
    quotes = _cli(["quotes", "--speaker", "Leah Varga", "--about", "promise", "--db", db])
    assert quotes.exit_code == 0 and "This is about a promise" in quotes.stdout
    missing = _cli(["profile", "Nobody", "--db", db])
    assert missing.exit_code == 1 and "SL452" in missing.stderr


def test_an_entity_linking_leaves_out_does_not_keep_the_links_stale(tmp_path: Path) -> None:
    """A name that folds to nothing gets no link (on purpose); once linked, the links are up to date all the same."""
    doc = Doc("blank", "2026-02-01", "Leah Varga spoke... The reporters listened.")
    doc.entity("Leah Varga")
    doc.entity("...", "PERSON")  # folds to "": linking leaves it out
    store = _store(tmp_path, [*_varga_docs(), doc])
    assert story.links_stale(store)
    story.update_links(store)
    assert ("blank", "e2") not in _links(store) and ("blank", "e1") in _links(store)
    assert not story.links_stale(store) and story.update_links(store) is None
    store.ingest(Doc("later", "2026-07-01", "Marcus Hale left.").record())  # any write: stale again
    assert story.links_stale(store)
    store.close()


def _watch(path: Path) -> tuple[sqlite3.Connection, int, bytes, int]:
    """A connection whose ``PRAGMA data_version`` moves when any other connection commits; the file as it is."""
    watcher = sqlite3.connect(path)
    return watcher, watcher.execute("PRAGMA data_version").fetchone()[0], path.read_bytes(), path.stat().st_mtime_ns


def test_cli_reads_never_write_and_name_the_fix_for_stale_links(tmp_path: Path) -> None:
    """On a store written without linking, every read answers from the links there, says how to update them, writes nothing."""
    _store(tmp_path, _varga_docs()).close()
    path = tmp_path / "story.db"
    db = str(path)
    watcher, version, data, mtime = _watch(path)
    fix = f"storyline link --db {shlex.quote(db)}"
    results = {
        "entities": _cli(["entities", "--db", db]),
        "profile": _cli(["profile", "Leah Varga", "--db", db]),
        "timeline": _cli(["timeline", "--db", db, "--format", "json"]),
        "quotes": _cli(["quotes", "--db", db, "--format", "json"]),
    }
    for name, result in results.items():
        assert fix in result.stderr and "older than some stored articles" in result.stderr, name
    # answered from the links as they are: none yet, so no story entity, but the stored quotes and events
    assert results["entities"].exit_code == 0 and "no story entities" in results["entities"].stdout
    assert results["profile"].exit_code == 1 and "SL452" in results["profile"].stderr
    assert len(json.loads(results["quotes"].stdout)) == 2 and json.loads(results["timeline"].stdout)
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == version  # no commit by anyone
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime
    # the command the note names does write (the watcher sees it), and the note goes away
    assert _cli(["link", "--db", db]).exit_code == 0
    assert watcher.execute("PRAGMA data_version").fetchone()[0] != version
    assert _cli(["entities", "--db", db]).stderr == ""
    watcher.close()


def test_queries_open_the_store_read_only(tmp_path: Path) -> None:
    _store(tmp_path, _varga_docs()).close()
    with story.open_story(tmp_path / "story.db") as store:
        assert story.links_stale(store)
        assert story.timeline(store) and not story.list_entities(store)  # read from the links there are
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            story.update_links(store)  # SQLite itself refuses the write
        with pytest.raises(StoreError) as refused:
            store.ingest(_varga_docs()[0].record())
        assert refused.value.code == STORE_WRITE_FAILED
        assert story.links_stale(store)  # nothing was linked


# --- the examples, through the model ------------------------------------------------------------


@pytest.mark.model
@pytest.mark.slow
def test_examples_story(tmp_path: Path) -> None:
    paths = sorted(EXAMPLES.glob("*.txt"))
    assert len(paths) == 9
    store = open_store(tmp_path / "examples.db")
    for path in paths:
        store.ingest(storyline.extract(path.read_text(encoding="utf-8"), doc_id=path.stem))
    story.link_entities(store)
    rows = {r["name"]: r for r in story.list_entities(store)}
    people = [r for r in rows.values() if "Varga" in r["name"]]
    assert [p["name"] for p in people] == ["Leah Varga"] and people[0]["articles"] >= 7
    assert "Marcus Hale" in rows and "Gregor Lind" in rows
    assert rows["Marcus Hale"]["id"] != rows["Gregor Lind"]["id"]
    items = story.timeline(store, "Leah Varga")
    placed = [it["placed"] for it in items]
    assert placed == sorted(placed)
    sues = [it for it in items if it["predicate"] == "sue" and not it["undated"]]
    assert any(it["date"].startswith("2026") for it in sues), items
    store.close()


def test_materialised_timeline_equals_a_fresh_merge(varga: Store) -> None:
    fast = story.timeline(varga, "Leah Varga")
    varga.connection.execute("DELETE FROM meta WHERE key = 'timeline_of'")  # forces the merge path
    slow = story.timeline(varga, "Leah Varga")
    assert fast == slow and fast


def test_materialised_timeline_is_not_used_once_articles_change(varga: Store, tmp_path: Path) -> None:
    before = story.timeline(varga, "Leah Varga")
    varga.connection.execute("DELETE FROM articles WHERE doc_id = (SELECT max(doc_id) FROM articles)")
    after = story.timeline(varga, "Leah Varga")
    assert len(after) < len(before)


# --- titles, roles and unnamed entities across articles (issue 15, item 6) -------------------------


def _okafor_docs() -> list[Doc]:
    g1 = Doc("g1", "2026-05-01", "Okafor, 51, said the budget was final. The governor will sign it on Friday.")
    eid = g1.entity("Okafor", age=51, descriptions=["governor"], gender="female")
    epithet = g1.span("The governor")
    ent = g1.entities[0]
    g1.entities[0] = Entity(eid, ent.name, ent.type, (*ent.mentions, Mention(epithet.start, epithet.end, epithet.text, "epithet")),
                            ent.aliases, ent.attributes)
    g2 = Doc("g2", "2026-04-20", "Governor Ada Okafor signed the water bill in Abuja.")
    g2.entity("Governor Ada Okafor", gender="female")
    # a second Okafor of the same gender: only the role can tell them apart
    g3 = Doc("g3", "2026-04-22", "Chidi Okafor, a striker, scored twice for her club.")
    g3.entity("Chidi Okafor", descriptions=["striker"], gender="female")
    g4 = Doc("g4", "2026-04-25", "Gov. Ada Okafor opened the bridge.")
    g4.entity("Gov. Ada Okafor", gender="female")
    return [g1, g2, g3, g4]


def test_surname_with_a_role_joins_the_titled_full_name_of_another_article(tmp_path: Path) -> None:
    store = _store(tmp_path, _okafor_docs())
    story.link_entities(store)
    links = _links(store)
    ada, chidi = links[("g2", "e1")], links[("g3", "e1")]
    assert ada[0] != chidi[0]
    assert ada[1] == "Ada Okafor"  # the title is a role, not part of the story name
    assert links[("g4", "e1")][0] == ada[0]  # "Gov. Ada Okafor" is "Governor Ada Okafor"
    okafor = links[("g1", "e1")]
    assert okafor[0] == ada[0]  # "Okafor, 51," and "the governor": the governor, not the striker
    assert "governor" in okafor[2]
    store.close()


def test_unnamed_entities_never_link_by_their_description(tmp_path: Path) -> None:
    docs = _okafor_docs()[1:2]
    for n, day in ((5, "02"), (6, "03")):
        d = Doc(f"g{n}", f"2026-05-{day}", "A neighbour said the governor had left early.")
        d.entity("A neighbour", named=False, descriptions=["neighbour"])
        d.entity("the governor", named=False, descriptions=["governor"])
        docs.append(d)
    store = _store(tmp_path, docs)
    story.link_entities(store)
    links = _links(store)
    assert links[("g5", "e1")][0] != links[("g6", "e1")][0]  # two neighbours, not one
    governors = {links[("g5", "e2")][0], links[("g6", "e2")][0], links[("g2", "e1")][0]}
    assert len(governors) == 3  # "the governor" alone is no one's name
    assert "unnamed" in links[("g5", "e1")][2]
    store.close()


def test_people_sharing_only_a_first_name_stay_apart_whatever_their_roles(tmp_path: Path) -> None:
    a = Doc("h1", "2026-03-01", "Governor Ada Okafor met Ada Brown, a teacher, in Lagos.")
    a.entity("Governor Ada Okafor", gender="female")
    a.entity("Ada Brown", descriptions=["teacher"], gender="female")
    b = Doc("h2", "2026-03-02", "Ada Brown, the teacher, thanked the students.")
    b.entity("Ada Brown", descriptions=["teacher"], gender="female")
    store = _store(tmp_path, [a, b])
    story.link_entities(store)
    links = _links(store)
    assert links[("h1", "e1")][0] != links[("h1", "e2")][0]
    assert links[("h1", "e2")][0] == links[("h2", "e1")][0]
    store.close()


def test_person_name_parts_take_titles_off_as_roles() -> None:
    from storyline.story.names import person_name_parts, role_words

    assert person_name_parts("Governor Ada Okafor") == ("ada okafor", "Ada Okafor", ("governor",))
    assert person_name_parts("Gov. Ada Okafor")[2] == ("governor",)
    assert person_name_parts("Deputy Sheriff Ana Morales")[:2] == ("ana morales", "Ana Morales")
    assert person_name_parts("Okafor") == ("okafor", "Okafor", ())
    assert role_words("the former governor of Lagos") == {"governor"}


def test_a_title_split_off_the_name_is_a_role_too(tmp_path: Path) -> None:
    """The entity stage may give the title as ``attributes.title`` rather than in the name."""
    docs = _okafor_docs()
    g2 = Doc("g2", "2026-04-20", "Governor Ada Okafor signed the water bill in Abuja.")
    g2.entity("Ada Okafor", gender="female", title="Gov.")
    docs[1] = g2
    store = _store(tmp_path, docs)
    story.link_entities(store)
    links = _links(store)
    assert links[("g1", "e1")][0] == links[("g2", "e1")][0] != links[("g3", "e1")][0]
    store.close()
