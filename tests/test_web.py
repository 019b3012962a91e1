"""The web UI (``storyline serve``): datasette's in-process client over a small store.

The store is written here: ``open_store`` creates the schema, then two short
articles invented for these tests are inserted row by row (entities, mentions,
quotes, events, time expressions, the story-level entity links). The second
article carries HTML and script in its title, text and a quote, to check that
every page escapes stored text. No test needs the spaCy model: the pages only
read the store.
"""

from __future__ import annotations

import ast
import asyncio
import html
import json
import re
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datasette", reason="datasette is not installed; run `make setup`")

from click.testing import CliRunner

from storyline.cli.main import main
from storyline.errors import (
    WEB_ARTICLE_NOT_FOUND,
    WEB_ENTITY_NOT_FOUND,
    WEB_NOT_A_STORE,
    WEB_NOT_FOUND,
    WEB_STORE_MISSING,
    WebError,
)
from storyline.store.db import open_store
from storyline.web import make_datasette, register_plugin
from storyline.web.data import fts_query
from storyline.web.timeline import layout_timeline

WEB_DIR = Path(__file__).resolve().parents[1] / "src" / "storyline" / "web"

XSS_SCRIPT = "<script>window.__xss = 1; alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"

TEXT_A = (
    "Jane Doe sued Acme Corp on January 17, 2025, over the Harbor Lights project.\n\n"
    '"We will see them in court," Doe said on January 20.\n\n'
    'Acme Corp had hired Doe around April 2023. "The claims are baseless," said Tom Lee, a spokesman for Acme Corp.\n'
)
TEXT_B = (
    "Acme Corp countersued Jane Doe on February 1, 2025.\n\n"
    f'"{XSS_SCRIPT} is not how we do business," Tom Lee said.\n\n'
    f"Doe posted {XSS_IMG} on her blog. Doe and Tom Lee met once.\n\n"
    '"No comment," a voice said.\n'
)
TITLE_B = f"Acme countersues {XSS_SCRIPT}"

#: story entity id -> (name, type); the ids the pages link to.
STORY = {1: ("Jane Doe", "PERSON"), 2: ("Acme Corp", "ORG"), 3: ("Tom Lee", "PERSON")}


def _span(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """The half-open span of the nth occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def _article(doc_id: str, title: str, published: str, text: str, conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO articles (doc_id, sha256, published, title, url, path, format, text, record_json, ingested_at) "
        "VALUES (?, ?, ?, ?, NULL, ?, 'txt', ?, '{}', '2025-02-04T00:00:00Z')",
        (doc_id, doc_id * 4, published, title, f"{doc_id}.txt", text),
    )
    conn.execute("INSERT INTO articles_fts (doc_id, title, text) VALUES (?, ?, ?)", (doc_id, title, text))


def _entity(
    conn: sqlite3.Connection, doc: str, eid: str, story: int, text: str, surfaces: list[tuple[str, int]]
) -> None:
    name, etype = STORY[story]
    conn.execute(
        "INSERT INTO entities (doc_id, id, name, type, aliases_json, attributes_json) VALUES (?, ?, ?, ?, '[]', '{}')",
        (doc, eid, name, etype),
    )
    for surface, nth in surfaces:
        start, end = _span(text, surface, nth)
        conn.execute(
            'INSERT INTO mentions (doc_id, entity_id, start, "end", text, kind, via) VALUES (?, ?, ?, ?, ?, ?, ?)',
            (doc, eid, start, end, surface, "name", "ner"),
        )
    conn.execute(
        "INSERT INTO entity_links (doc_id, entity_id, story_entity, evidence) VALUES (?, ?, ?, 'same name')",
        (doc, eid, story),
    )


def _quote(
    conn: sqlite3.Connection, doc: str, qid: str, text: str, content: str, speaker: str | None, when: str | None = None
) -> None:
    start, end = _span(text, content)
    conn.execute(
        "INSERT INTO quotes (doc_id, id, kind, content_start, content_end, content, speaker, cue, hedges_json, "
        "date, confidence, speaker_via) VALUES (?, ?, 'direct', ?, ?, ?, ?, 'said', '[]', ?, 1.0, ?)",
        (doc, qid, start, end, content, speaker, when, "cue" if speaker else "no named speaker"),
    )
    conn.execute("INSERT INTO quotes_fts (doc_id, quote_id, content) VALUES (?, ?, ?)", (doc, qid, content))


def _event(
    conn: sqlite3.Connection,
    doc: str,
    evid: str,
    text: str,
    trigger: str,
    predicate: str,
    agent: str,
    patients: list[str],
    timex: tuple[str, str, str, bool] | None,
) -> None:
    start, end = _span(text, trigger)
    tid = value = None
    if timex is not None:
        tid, surface, value, approximate = timex
        t_start, t_end = _span(text, surface)
        conn.execute(
            'INSERT INTO timexes (doc_id, id, start, "end", text, type, value, granularity, approximate, anchor) '
            "VALUES (?, ?, ?, ?, ?, 'DATE', ?, ?, ?, 'published')",
            (doc, tid, t_start, t_end, surface, value, "day" if len(value) == 10 else "month", int(approximate)),
        )
    conn.execute(
        "INSERT INTO events (doc_id, id, trigger_start, trigger_end, trigger, predicate, type, agent, patients_json, "
        "timex, date, polarity, modality, hedges_json) VALUES (?, ?, ?, ?, ?, ?, 'event', ?, ?, ?, ?, 'positive', "
        "'asserted', '[]')",
        (doc, evid, start, end, trigger, predicate, agent, json.dumps(patients), tid, value),
    )


def build_store(path: Path) -> Path:
    """Write the two-article test store at ``path`` (schema by ``open_store``, rows by hand)."""
    with open_store(path) as store:
        conn = store.connection
        conn.execute("BEGIN")
        for story, (name, etype) in STORY.items():
            conn.execute(
                "INSERT INTO story_entities (id, name, type, key) VALUES (?, ?, ?, ?)",
                (story, name, etype, f"{etype.lower()}:{name.lower()}"),
            )
        _article("harbor-1", "Doe sues Acme over Harbor Lights", "2025-01-28", TEXT_A, conn)
        _entity(conn, "harbor-1", "e1", 1, TEXT_A, [("Jane Doe", 0), ("Doe", 1), ("Doe", 2)])
        _entity(conn, "harbor-1", "e2", 2, TEXT_A, [("Acme Corp", 0), ("Acme Corp", 1), ("Acme Corp", 2)])
        _entity(conn, "harbor-1", "e3", 3, TEXT_A, [("Tom Lee", 0)])
        _quote(conn, "harbor-1", "q1", TEXT_A, "We will see them in court,", "e1", "2025-01-20")
        _quote(conn, "harbor-1", "q2", TEXT_A, "The claims are baseless,", "e3")
        jan17 = ("t1", "January 17, 2025", "2025-01-17", False)
        _event(conn, "harbor-1", "ev1", TEXT_A, "sued", "sue", "e1", ["e2"], jan17)
        april = ("t2", "around April 2023", "2023-04", True)
        _event(conn, "harbor-1", "ev2", TEXT_A, "hired", "hire", "e2", ["e1"], april)

        _article("harbor-2", TITLE_B, "2025-02-03", TEXT_B, conn)
        _entity(conn, "harbor-2", "e1", 2, TEXT_B, [("Acme Corp", 0)])
        _entity(conn, "harbor-2", "e2", 1, TEXT_B, [("Jane Doe", 0), ("Doe", 1), ("Doe", 2)])
        _entity(conn, "harbor-2", "e3", 3, TEXT_B, [("Tom Lee", 0), ("Tom Lee", 1)])
        _quote(conn, "harbor-2", "q1", TEXT_B, f"{XSS_SCRIPT} is not how we do business,", "e3")
        _quote(conn, "harbor-2", "q2", TEXT_B, "No comment,", None)
        _event(conn, "harbor-2", "ev1", TEXT_B, "countersued", "countersue", "e1", ["e2"],
               ("t1", "February 1, 2025", "2025-02-01", False))
        _event(conn, "harbor-2", "ev2", TEXT_B, "posted", "post", "e2", [], None)
        _event(conn, "harbor-2", "ev3", TEXT_B, "met", "meet", "e2", ["e3"], None)
        conn.execute("COMMIT")
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "store.db")


@pytest.fixture(scope="module")
def get(store_path: Path) -> Callable[..., Any]:
    """GET paths through datasette's in-process client; returns the httpx responses."""
    ds = make_datasette(store_path)

    def fetch(path: str) -> Any:
        async def run() -> Any:
            await ds.invoke_startup()
            return await ds.client.get(path)

        return asyncio.run(run())

    return fetch


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"ok", "error", "status", "title", "code"}
    assert body["ok"] is False and body["status"] == status and body["code"] == code
    assert isinstance(body["error"], str) and body["error"]
    return body


def _visible_text(page: str) -> str:
    """What a reader sees of an element's content: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


# --- pages ---------------------------------------------------------------------------------


def test_index_lists_entities_and_articles(get: Callable[..., Any]) -> None:
    r = get("/-/storyline/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    for story, (name, _) in STORY.items():
        assert f'href="/-/storyline/entity/{story}">{name}</a>' in r.text
    assert 'href="/-/storyline/article/harbor-1"' in r.text
    assert "Doe sues Acme over Harbor Lights" in r.text


def test_entity_timeline_places_items_in_date_order(get: Callable[..., Any]) -> None:
    r = get("/-/storyline/entity/1")
    assert r.status_code == 200
    page = r.text
    assert "<h1>Jane Doe" in page
    assert '<svg id="timeline"' in page
    starts = re.findall(r'<g class="tl-item[^"]*" data-order="\d+" data-start="([\d-]+)"', page)
    # events and the dated quote, in date order ("around April 2023" is widened by the story)
    assert starts[0] < "2023-04-01" and starts[1:] == ["2025-01-17", "2025-01-20", "2025-02-01"]
    # x positions grow with the dates: marks are placed on the axis by date
    xs = [float(x) for x in re.findall(r'<(?:circle|rect) class="tl-mark" (?:cx|x)="([\d.]+)"', page)[:4]]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert "Jane Doe: \u201cWe will see them in court,\u201d" in page
    # the approximate month is drawn as a range; the exact days as points
    assert re.search(r'class="tl-item tl-range tl-approx" data-order="0"', page)
    assert page.count('<circle class="tl-mark"') >= 2
    # undated events sit in their own lane
    lane = page[page.index('class="tl-undated-lane"'):page.index("</svg>")]
    assert lane.count('class="tl-item tl-undated"') == 2
    assert "post" in lane and "meet" in lane
    # every item links to its source article
    assert 'href="/-/storyline/article/harbor-1"' in page and 'href="/-/storyline/article/harbor-2"' in page
    assert "Acme Corp countersue Jane Doe" in _visible_text(page)


def test_entity_page_escapes_titles(get: Callable[..., Any]) -> None:
    page = get("/-/storyline/entity/1").text
    assert "<script>" not in page
    assert html.escape(TITLE_B, quote=False) in page


@pytest.mark.parametrize("entity_id", ["999", "abc", "1%27%20OR%201%3D1"])
def test_unknown_entity_is_a_json_404(get: Callable[..., Any], entity_id: str) -> None:
    _error(get(f"/-/storyline/entity/{entity_id}"), 404, WEB_ENTITY_NOT_FOUND)


def test_quotes_page_lists_quotes_with_speaker_facets(get: Callable[..., Any]) -> None:
    r = get("/-/storyline/quotes")
    assert r.status_code == 200
    page = r.text
    assert page.count('<li class="quote"') == 4
    assert "We will see them in court," in page
    facets = dict(
        re.findall(r'data-speaker="([^"]*)">\s*<a href="[^"]*">[^<]*</a>\s*<span class="count">(\d+)</span>', page)
    )
    assert facets == {"Tom Lee": "2", "Jane Doe": "1", "-": "1"}
    assert 'href="/-/storyline/quotes?speaker=Tom+Lee"' in page


def test_quotes_speaker_facet_filters(get: Callable[..., Any]) -> None:
    page = get("/-/storyline/quotes?speaker=Tom+Lee").text
    speakers = re.findall(r'<li class="quote" data-speaker="([^"]*)"', page)
    assert speakers == ["Tom Lee", "Tom Lee"]
    assert 'class="facet active" data-speaker="Tom Lee"' in page
    none = get("/-/storyline/quotes?speaker=-").text
    assert re.findall(r'<li class="quote" data-speaker="([^"]*)"', none) == ["-"]
    assert "No comment," in none


def test_quotes_full_text_search(get: Callable[..., Any]) -> None:
    page = get("/-/storyline/quotes?q=court").text
    assert page.count('<li class="quote"') == 1
    assert "We will see them in court," in page
    # facets count within the search
    assert re.search(r'data-speaker="Jane Doe">\s*<a [^>]*>Jane Doe</a>\s*<span class="count">1</span>', page)
    assert 'data-speaker="Tom Lee"' not in page.split('<section class="results">')[0]
    both = get("/-/storyline/quotes?q=business&speaker=Tom+Lee").text
    assert both.count('<li class="quote"') == 1


@pytest.mark.parametrize("q", ['"court', "NEAR(", "court*", "a OR", "-", "'); DROP TABLE quotes; --"])
def test_quotes_search_never_breaks_on_syntax(get: Callable[..., Any], q: str) -> None:
    from urllib.parse import quote

    assert get(f"/-/storyline/quotes?q={quote(q)}").status_code == 200


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('say "hi" NEAR') == '"say" """hi""" "NEAR"'
    assert fts_query("   ") == ""


def test_article_highlights_quotes_by_speaker(get: Callable[..., Any]) -> None:
    page = get("/-/storyline/article/harbor-1").text
    marks = re.findall(r'<mark class="quote (sp-[\w]+)" id="q-(\w+)" data-speaker="([^"]*)"', page)
    assert marks == [("sp-0", "q1", "Jane Doe"), ("sp-1", "q2", "Tom Lee")]
    legend = page[page.index('id="speaker-legend"'):]
    assert 'class="swatch sp-0"' in legend and 'class="swatch sp-1"' in legend
    assert ">Jane Doe</a>" in legend and ">Tom Lee</a>" in legend
    # mentions link to their story entity
    assert '<a class="mention" href="/-/storyline/entity/2" title="Acme Corp">Acme Corp</a>' in page
    assert '<a class="mention" href="/-/storyline/entity/1" title="Jane Doe">Doe</a>' in page


def test_article_text_is_whole_and_offsets_kept(get: Callable[..., Any]) -> None:
    for doc_id, text in (("harbor-1", TEXT_A), ("harbor-2", TEXT_B)):
        page = get(f"/-/storyline/article/{doc_id}").text
        body = page[page.index('<article class="text" id="article-text">') : page.index("</article>")]
        body = body[body.index(">") + 1 :]
        assert _visible_text(body) == text


def test_article_escapes_injected_html(get: Callable[..., Any]) -> None:
    r = get("/-/storyline/article/harbor-2")
    assert r.status_code == 200
    page = r.text
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;window.__xss = 1; alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # the unattributed quote gets the neutral colour
    assert '<mark class="quote sp-none" id="q-q2"' in page
    assert "Content-Security-Policy" in r.headers and "script-src" not in r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/-/storyline/", "/-/storyline/quotes", "/-/storyline/quotes?q=business",
                                  "/-/storyline/entity/1", "/-/storyline/entity/3"])
def test_no_page_lets_markup_through(get: Callable[..., Any], path: str) -> None:
    page = get(path).text
    assert "<script" not in page and "<img" not in page


def test_unknown_article_is_a_json_404(get: Callable[..., Any]) -> None:
    _error(get("/-/storyline/article/nope"), 404, WEB_ARTICLE_NOT_FOUND)


def test_doc_id_with_slash_and_specials_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    with open_store(path) as store:
        _article("wire/3 #x?", "Odd <id>", "2025-01-01", "Plain words.", store.connection)
    ds = make_datasette(path)

    async def run() -> tuple[Any, Any]:
        index = await ds.client.get("/-/storyline/")
        return index, await ds.client.get("/-/storyline/article/wire%2F3%20%23x%3F")

    index, article = asyncio.run(run())
    assert 'href="/-/storyline/article/wire%2F3%20%23x%3F"' in index.text
    assert article.status_code == 200 and "Plain words." in article.text and "Odd &lt;id&gt;" in article.text


# --- static files, unknown paths, errors -------------------------------------------------------


def test_static_stylesheet(get: Callable[..., Any]) -> None:
    r = get("/-/storyline/static/storyline.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert ".tl-mark" in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/-/storyline/static/..%2Fplugin.py",
        "/-/storyline/static/%2E%2E%2F%2E%2E%2Fstore.py",
        "/-/storyline/static/..%2Ftemplates%2Fbase.html",
        "/-/storyline/static/%2Fetc%2Fpasswd",
        "/-/storyline/static/__init__.py",
        "/-/storyline/templates/base.html",
        "/-/storyline/static/",
        "/-/storyline/nothing/here",
    ],
)
def test_no_other_path_is_served(get: Callable[..., Any], path: str) -> None:
    r = get(path)
    body = _error(r, 404, WEB_NOT_FOUND)
    assert "root:" not in r.text and "import" not in body["error"]


def test_error_shape_extends_datasettes_own(get: Callable[..., Any]) -> None:
    theirs = get("/no_such_database.json")
    assert theirs.status_code == 404
    ours = get("/-/storyline/entity/999").json()
    assert set(theirs.json()) <= set(ours)


def test_store_is_opened_read_only(store_path: Path) -> None:
    ds = make_datasette(store_path)
    db = next(db for name, db in ds.databases.items() if not name.startswith("_"))

    def write(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM quotes")

    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(db.execute_fn(write))
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0] == 4


def test_pages_never_write(tmp_path: Path) -> None:
    """Every page only reads: no commit by anyone (``PRAGMA data_version``), the file unchanged."""
    path = build_store(tmp_path / "store.db")
    watcher = sqlite3.connect(path)
    version = watcher.execute("PRAGMA data_version").fetchone()[0]
    data, mtime = path.read_bytes(), path.stat().st_mtime_ns
    ds = make_datasette(path)

    async def run() -> list[int]:
        await ds.invoke_startup()
        paths = ["/-/storyline/", "/-/storyline/entity/1", "/-/storyline/entity/2", "/-/storyline/quotes",
                 "/-/storyline/quotes?q=court&speaker=Jane+Doe", "/-/storyline/article/harbor-1"]
        return [(await ds.client.get(p)).status_code for p in paths]

    assert asyncio.run(run()) == [200] * 6
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == version
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime
    watcher.close()


def test_index_says_how_to_update_stale_links(get: Callable[..., Any], tmp_path: Path) -> None:
    # the test store has links but no materialised timeline, as a store linked by hand would
    assert "storyline link --db FILE" in get("/-/storyline/").text
    from storyline import story

    path = build_store(tmp_path / "linked.db")
    with open_store(path) as store:
        story.link_entities(store)
    ds = make_datasette(path)

    async def run() -> str:
        await ds.invoke_startup()
        return str((await ds.client.get("/-/storyline/")).text)

    assert "storyline link" not in asyncio.run(run())


def test_pages_never_run_extraction(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    import storyline
    import storyline.pipeline

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the web UI ran extraction")

    for name in ("extract", "process_article", "process_batch"):
        monkeypatch.setattr(storyline.pipeline, name, boom)
        monkeypatch.setattr(storyline, name, boom)
    ds = make_datasette(store_path)

    async def run() -> list[int]:
        paths = ["/-/storyline/", "/-/storyline/entity/1", "/-/storyline/quotes", "/-/storyline/article/harbor-2"]
        return [(await ds.client.get(p)).status_code for p in paths]

    assert asyncio.run(run()) == [200, 200, 200, 200]


def test_web_imports_no_stage() -> None:
    """The web reads the store: it imports nothing but its own modules, errors, store and story."""
    allowed = {"errors", "store", "story", "web"}
    for path in WEB_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                if node.level == 1:
                    continue  # storyline.web.*
                targets = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                for target in targets:
                    assert target in allowed, f"{path.name} imports storyline.{target}"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for name in names:
                    if name.startswith("storyline."):
                        assert name.split(".")[1] in allowed, f"{path.name} imports {name}"


def test_database_without_store_is_a_json_503(tmp_path: Path) -> None:
    from datasette.app import Datasette

    register_plugin()
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    ds = Datasette(files=[str(other)])
    _error(asyncio.run(ds.client.get("/-/storyline/quotes")), 503, WEB_STORE_MISSING)


def test_plugin_works_without_the_entry_point(store_path: Path) -> None:
    from datasette.plugins import pm

    import storyline.web.plugin as plugin

    if pm.is_registered(plugin):  # loaded through the entry point of an installed storyline
        pm.unregister(plugin)
    assert not pm.is_registered(plugin)
    ds = make_datasette(store_path)
    assert pm.is_registered(plugin)
    assert asyncio.run(ds.client.get("/-/storyline/")).status_code == 200


def test_plugin_registers_once() -> None:
    from datasette.plugins import pm

    register_plugin()
    register_plugin()
    ours = [n for n, plugin in pm.list_name_plugin() if getattr(plugin, "__name__", "") == "storyline.web.plugin"]
    assert len(ours) == 1


def test_entry_point_is_declared() -> None:
    text = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.datasette]\nstoryline = "storyline.web.plugin"' in text


def test_templates_and_static_are_package_data() -> None:
    assert (WEB_DIR / "templates" / "base.html").is_file()
    assert (WEB_DIR / "static" / "storyline.css").is_file()
    text = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"web/templates/*"' in text and '"web/static/*"' in text
    for template in (WEB_DIR / "templates").glob("*.html"):
        assert "|safe" not in template.read_text(encoding="utf-8").replace(" ", ""), template.name


# --- make_datasette and the serve command --------------------------------------------------------


def test_make_datasette_refuses_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(WebError) as missing:
        make_datasette(tmp_path / "absent.db")
    assert missing.value.code == WEB_STORE_MISSING
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(WebError) as foreign:
        make_datasette(other)
    assert foreign.value.code == WEB_NOT_A_STORE
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all, just bytes" * 20)
    with pytest.raises(WebError) as broken:
        make_datasette(junk)
    assert broken.value.code == WEB_NOT_A_STORE


def test_serve_reports_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "absent.db")])
    assert result.exit_code == 1
    assert WEB_STORE_MISSING in result.output and "storyline ingest" in result.output


def test_serve_binds_localhost_by_default() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "8001" in result.output and "storyline.db" in result.output


# --- timeline layout ---------------------------------------------------------------------------


def test_layout_orders_items_and_keeps_labels_apart() -> None:
    items: list[dict[str, Any]] = [
        {"predicate": "c", "date": "2025-03-01", "sources": ["a"]},
        {"predicate": "a", "date": "2020", "range": ["2020-01-01", "2020-12-31"], "approximate": True,
         "sources": ["a"]},
        {"predicate": "b", "date": "2025-02-28", "sources": ["a"]},
        {"predicate": "x", "date": None, "undated": True, "sources": ["a"]},
        {"predicate": "y", "date": "PRESENT_REF", "sources": ["a"]},
    ]
    layout = layout_timeline(items)
    assert [d["item"]["predicate"] for d in layout["dated"]] == ["a", "b", "c"]
    assert [u["item"]["predicate"] for u in layout["undated"]] == ["x", "y"]
    a, b, c = layout["dated"]
    assert a["bar"] and a["x2"] > a["x1"] and not b["bar"] and not c["bar"]
    assert a["x1"] < b["x1"] < c["x1"]
    assert b["y"] != c["y"], "labels of neighbouring days share a row"
    assert all(0 <= d["x1"] <= layout["width"] for d in layout["dated"])
    assert layout["undated_y"] > max(d["y"] for d in layout["dated"])
    assert min(t["date"] for t in layout["ticks"]) >= "2019"
    assert date.fromisoformat(a["start"]) == date(2020, 1, 1)


def test_layout_of_nothing() -> None:
    layout = layout_timeline([])
    assert layout["dated"] == [] and layout["undated"] == [] and layout["ticks"] == []
