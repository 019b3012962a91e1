"""The web UI in a real browser: ``storyline serve`` in a subprocess, Debian's chromium driven by playwright.

Marked ``browser``; skips when ``/usr/bin/chromium`` or the playwright package
is missing (``.ci/run`` installs chromium with apt; playwright comes with the
dev extras and never downloads a browser of its own: it is given chromium's
path). The store is the two-article one of ``test_web.py``; its second article
carries a ``<script>`` that would set ``window.__xss`` and call ``alert``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path("/tmp/storyline-timeline.png")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 90  # importing storyline loads spaCy; a cold CI machine is slow

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`", allow_module_level=True)
try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:
    pytest.skip("the playwright package is missing: run `pip install -e '.[dev]'`", allow_module_level=True)

from test_web import TEXT_B, build_store  # noqa: E402  (tests/ is on sys.path, as pytest runs it)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``storyline serve`` over the test store on a free 127.0.0.1 port; yields its base URL."""
    db = build_store(tmp_path_factory.mktemp("browser") / "store.db")
    port = _free_port()
    log = tmp_path_factory.mktemp("browser-log") / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from storyline.cli.main import main; main()",
             "serve", "--db", str(db), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(f"storyline serve exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(base + "/-/storyline/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"storyline serve did not answer in {STARTUP_SECONDS}s:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def dialogs() -> list[str]:
    """The messages of every alert/confirm/prompt the page opened (none, ever, is the point)."""
    return []


@pytest.fixture
def page(browser: Browser, dialogs: list[str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = context.new_page()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    try:
        yield tab
    finally:
        context.close()


def test_timeline_page(server: str, page: Page) -> None:
    page.goto(server + "/-/storyline/entity/1")
    assert page.locator("h1").inner_text().startswith("Jane Doe")
    svg = page.locator("svg#timeline")
    assert svg.is_visible()
    dated = page.locator("svg#timeline g.tl-item[data-start]")
    assert dated.count() == 4
    starts = [dated.nth(i).get_attribute("data-start") or "" for i in range(4)]
    assert starts == sorted(starts)
    # drawn left to right in date order
    xs = [dated.nth(i).locator(".tl-mark").bounding_box()["x"] for i in range(4)]  # type: ignore[index]
    assert xs == sorted(xs), xs
    assert page.locator("svg#timeline g.tl-approx rect.tl-mark").count() == 1
    lane = page.locator("svg#timeline g.tl-undated-lane g.tl-undated")
    assert lane.count() == 2
    lane_top = page.locator("svg#timeline .tl-lane").bounding_box()["y"]  # type: ignore[index]
    assert all(dated.nth(i).bounding_box()["y"] < lane_top for i in range(4))  # type: ignore[index]
    assert "Acme Corp countersue Jane Doe" in (svg.text_content() or "")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
    # an item links to its source article
    dated.nth(3).locator("a").click()
    page.wait_for_url("**/-/storyline/article/harbor-2")
    assert page.locator("#article-text").is_visible()


def test_quote_facets_filter(server: str, page: Page) -> None:
    page.goto(server + "/-/storyline/quotes")
    assert page.locator("li.quote").count() == 4
    facet = page.locator('#speaker-facets li[data-speaker="Tom Lee"]')
    assert facet.locator(".count").inner_text() == "2"
    facet.locator("a").click()
    page.wait_for_url("**speaker=Tom+Lee**")
    quotes = page.locator("li.quote")
    assert quotes.count() == 2
    assert {quotes.nth(i).get_attribute("data-speaker") for i in range(2)} == {"Tom Lee"}
    assert "active" in (page.locator('#speaker-facets li[data-speaker="Tom Lee"]').get_attribute("class") or "")
    page.goto(server + "/-/storyline/quotes")
    page.fill('input[name="q"]', "court")
    page.click('form.search button[type="submit"]')
    page.wait_for_url("**q=court**")
    assert page.locator("li.quote").count() == 1
    assert "We will see them in court" in page.locator("li.quote").inner_text()


def test_article_highlights_and_blocks_injected_script(server: str, page: Page, dialogs: list[str]) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/-/storyline/article/harbor-2")
    page.wait_for_load_state("load")
    marks = page.locator("mark.quote")
    assert marks.count() == 2
    colours = {marks.nth(i).evaluate("el => getComputedStyle(el).backgroundColor") for i in range(2)}
    assert len(colours) == 2, "two speakers share a colour"
    assert page.locator("#speaker-legend .swatch").count() == 2
    # the injected markup is shown as text, and did nothing
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert dialogs == []
    assert page.locator("#article-text script, #article-text img, h1 script").count() == 0
    assert page.locator("#article-text").text_content() == TEXT_B
    assert "<script>" in page.locator("h1").inner_text()
    assert errors == []
    # a mention links to its entity
    page.locator('#article-text a.mention[title="Tom Lee"]').first.click()
    page.wait_for_url("**/-/storyline/entity/3")
    assert page.locator("h1").inner_text().startswith("Tom Lee")


def test_page_with_script_in_title_runs_nothing(server: str, page: Page, dialogs: list[str]) -> None:
    for path in ("/-/storyline/", "/-/storyline/quotes?q=business", "/-/storyline/entity/1"):
        page.goto(server + path)
        assert page.evaluate("() => typeof window.__xss") == "undefined", path
    assert dialogs == []


def test_unknown_page_is_json(server: str, page: Page) -> None:
    response: Any = page.goto(server + "/-/storyline/article/nope")
    assert response.status == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["code"] == "SL803"
