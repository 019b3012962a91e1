"""Ingest: text, HTML, JSONL, directories and stdin to articles or error records.

All texts here are written for these tests. None of these tests need the spaCy model.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import pytest

from storyline.errors import (
    BAD_DATE,
    HTML_NO_TEXT,
    INPUT_BOM_STRIPPED,
    INPUT_EMPTY,
    INPUT_NOT_FOUND,
    INPUT_NOT_UTF8,
    JSONL_BAD_FIELD,
    JSONL_BAD_LINE,
    JSONL_IGNORED_FIELD,
    InputError,
)
from storyline.model import Article, ErrorRecord
from storyline.text import check_date, read_header_date, read_html, read_inputs, read_jsonl, read_text

STORY = 'The library on Elm Street reopened on Saturday. "We missed the noise," said Dana Reyes, who runs it.\n'

PAGE = """<!doctype html>
<html>
<head>
  <title>Elm Street library reopens | The Daily Lantern</title>
  <meta name="author" content="Priya Okafor">
  <meta property="article:published_time" content="2024-06-08">
  <script>window.trackingPixel = "PIXEL_SCRIPT_TOKEN";</script>
  <style>.menu { color: red; }</style>
</head>
<body>
  <nav><a href="/">Home</a> | <a href="/sections">NAVIGATION_MENU_SECTIONS</a> | <a href="/login">Sign in</a></nav>
  <article>
    <h1>Elm Street library reopens</h1>
    <p>The library on Elm Street opened its doors again on Saturday after eight months of repairs to the roof,
    and by noon more than two hundred visitors had come through the reading room.</p>
    <p>"We missed the noise," said Dana Reyes, who has run the branch for eleven years. She said the children's
    corner had been repainted by volunteers from the neighbourhood.</p>
    <p>The city council said the repairs came in under budget and that the branch would keep its longer
    weekend hours through the end of the summer.</p>
  </article>
  <footer>FOOTER_COPYRIGHT_NOTICE 2024 The Daily Lantern. All rights reserved. Subscribe to our newsletter.</footer>
</body>
</html>
"""


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _only(items: list[Article | ErrorRecord]) -> Article | ErrorRecord:
    assert len(items) == 1, items
    return items[0]


def _article(path: str | Path, *, published: str | None = None) -> Article:
    """The one item ``read_inputs([path])`` gives, checked to be an article."""
    art = _only(list(read_inputs([path], published=published)))
    assert isinstance(art, Article), art
    return art


def _error(path: str | Path) -> ErrorRecord:
    """The one item ``read_inputs([path])`` gives, checked to be an error record."""
    err = _only(list(read_inputs([path])))
    assert isinstance(err, ErrorRecord), err
    return err


# --- plain text ---------------------------------------------------------------------------------


def test_text_without_header(tmp_path: Path) -> None:
    art = _article(_write(tmp_path / "elm-street.txt", STORY))
    assert art.doc_id == "elm-street"
    assert art.text == STORY
    assert art.published is None
    assert art.source["format"] == "text"
    assert art.source["path"] == str(tmp_path / "elm-street.txt")
    assert art.source["sha256"] == hashlib.sha256(STORY.encode()).hexdigest()
    assert len(art.source["sha256"]) == 64
    assert "url" not in art.source


def test_text_header_on_same_line_stays_in_text(tmp_path: Path) -> None:
    raw = " date 2025-01-28  The ferry ran late on Tuesday.\nNobody minded much.\n"
    art = _article(_write(tmp_path / "ferry.txt", raw))
    assert art.published == "2025-01-28"
    assert art.text == raw
    start = art.text.index("The ferry")
    assert raw[start : start + 9] == "The ferry"


def test_text_header_on_its_own_line(tmp_path: Path) -> None:
    raw = "date 2024-11-02\n\nThe bakery on Quay Road closed early.\n"
    art = _article(_write(tmp_path / "bakery.txt", raw))
    assert art.published == "2024-11-02"
    assert art.text.startswith("date 2024-11-02")


def test_read_header_date_behaviour() -> None:
    assert read_header_date(" date 2025-01-28 The rest.") == "2025-01-28"
    assert read_header_date("\n date 2025-01-28\n") == "2025-01-28"
    assert read_header_date("The date 2025-01-28 is later.") is None
    assert read_header_date("date 2025-01-28") is None  # needs a space or line break after it


def test_impossible_header_date_is_a_warning_not_a_date() -> None:
    art = read_text(" date 2025-02-30 The council met.", doc_id="council", path="council.txt")
    assert art.published is None
    assert [w.code for w in art.warnings] == [BAD_DATE]
    span = art.warnings[0].span
    assert span is not None and art.text[span.start : span.end] == "2025-02-30"


def test_caller_published_overrides_header(tmp_path: Path) -> None:
    path = _write(tmp_path / "ferry.txt", " date 2025-01-28 The ferry ran late.\n")
    art = _article(path, published="2025-02-01")
    assert art.published == "2025-02-01"
    assert art.text.startswith(" date 2025-01-28")


@pytest.mark.parametrize("value", ["2025-01-28", "2025-01-28T09:30:00", "2025-01-28T09:30:00+01:00", "2025-01-28T09:30Z"])
def test_published_accepts_iso(value: str) -> None:
    assert check_date(value) == value


@pytest.mark.parametrize("value", ["28/01/2025", "2025-13-01", "yesterday", "2025-01-28x", "20250128", ""])
def test_bad_published_raises_sl108(value: str) -> None:
    with pytest.raises(InputError) as info:
        read_inputs(["whatever.txt"], published=value)  # raises at once, before any input is read
    assert info.value.code == BAD_DATE
    assert "YYYY-MM-DD" in info.value.message


def test_bom_is_stripped_and_noted(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + STORY.encode())
    art = _article(path)
    assert art.text == STORY  # offsets index the text after the BOM
    assert art.text.index("Elm") == STORY.index("Elm")
    assert [w.code for w in art.warnings] == [INPUT_BOM_STRIPPED]
    assert art.source["sha256"] == hashlib.sha256(STORY.encode()).hexdigest()


def test_crlf_kept_and_offsets_index_it(tmp_path: Path) -> None:
    raw = "First line of the story.\r\n\r\n\"Quoted words,\" said Lee Marsh.\r\n"
    art = _article(_write(tmp_path / "crlf.txt", raw))
    assert art.text == raw
    assert "\r\n" in art.text
    start = art.text.index("Lee Marsh")
    assert start == len('First line of the story.\r\n\r\n"Quoted words," said ')
    assert art.text[start : start + len("Lee Marsh")] == "Lee Marsh"


def test_not_utf8_gives_sl102_record(tmp_path: Path) -> None:
    path = _write(tmp_path / "latin.txt", "Caf\u00e9 opened on the corner.".encode("latin-1"))
    err = _error(path)
    assert err.code == INPUT_NOT_UTF8
    assert str(path) in err.message
    assert "UTF-8" in err.message and "convert" in err.message
    assert err.doc_id == "latin"


@pytest.mark.parametrize("content", ["", "   \n\t \r\n"])
def test_empty_gives_sl103_record(tmp_path: Path, content: str) -> None:
    err = _error(_write(tmp_path / "blank.txt", content))
    assert err.code == INPUT_EMPTY
    assert "blank.txt" in err.message


def test_missing_path_is_a_record_and_batch_goes_on(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt", STORY)
    items = list(read_inputs([tmp_path / "missing.txt", good]))
    assert isinstance(items[0], ErrorRecord)
    assert items[0].code == INPUT_NOT_FOUND
    assert "missing.txt" in items[0].message
    assert isinstance(items[1], Article)


def test_read_text_accepts_str() -> None:
    art = read_text(STORY, doc_id="x", path="x.txt", published="2024-01-01")
    assert art.text == STORY and art.published == "2024-01-01"


# --- directories ----------------------------------------------------------------------------


def test_directory_recursive_sorted_filtered(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", "Second story, about a bridge.\n")
    _write(tmp_path / "a.md", "First story, about an apple orchard.\n")
    _write(tmp_path / "sub" / "c.text", "Third story, about a choir.\n")
    _write(tmp_path / "sub" / "deeper" / "d.jsonl", json.dumps({"id": "d1", "text": "Fourth story, a dam."}) + "\n")
    _write(tmp_path / "sub" / "e.htm", PAGE)
    _write(tmp_path / "notes.csv", "not,an,article\n")
    _write(tmp_path / "image.png", b"\x89PNG\r\n")
    _write(tmp_path / ".hidden.txt", "Hidden story.\n")
    _write(tmp_path / ".git" / "x.txt", "Inside a hidden folder.\n")
    items = list(read_inputs([tmp_path]))
    assert all(isinstance(i, Article) for i in items), items
    assert [i.doc_id for i in items] == ["a", "b", "c", "d1", "e"]  # sorted by path parts
    assert [i.source["format"] for i in items] == ["text", "text", "text", "jsonl", "html"]


def test_directory_without_articles_is_reported(tmp_path: Path) -> None:
    _write(tmp_path / "notes.csv", "a,b\n")
    err = _error(tmp_path)
    assert err.code == INPUT_EMPTY


# --- stdin ----------------------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b" date 2025-03-03 The tram line opened.\r\nRiders cheered.\r\n")
    art = _article("-")
    assert art.doc_id == "stdin"
    assert art.published == "2025-03-03"
    assert art.text.endswith("Riders cheered.\r\n")  # read as bytes: CRLF untouched
    assert art.source["format"] == "text"


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [{"id": "s1", "text": "One."}, {"id": "s2", "text": "Two.", "published": "2024-05-05"}]
    _stdin(monkeypatch, ("\n".join(json.dumps(x) for x in lines) + "\n").encode())
    items = list(read_inputs(["-"]))
    assert [i.doc_id for i in items] == ["s1", "s2"]
    assert all(i.source["format"] == "jsonl" for i in items if isinstance(i, Article))


def test_stdin_html(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, PAGE.encode())
    art = _article("-")
    assert art.doc_id == "stdin" and art.source["format"] == "html"
    assert "Dana Reyes" in art.text


def test_stdin_plain_string_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("A short note about a kite festival.\n"))
    art = _article("-")
    assert art.text.startswith("A short note")


def test_stdin_not_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"Gr\xfc\xdfe aus dem Dorf.\n")
    err = _error("-")
    assert err.code == INPUT_NOT_UTF8
    assert "<stdin>" in err.message


# --- JSONL ----------------------------------------------------------------------------------


def test_jsonl_good(tmp_path: Path) -> None:
    rows = [
        {"id": "j1", "text": "The orchard sold out of pears.", "published": "2024-09-01", "url": "https://example.org/j1", "title": "Pears"},
        {"id": "j2", "text": "Caf\u00e9 owners met on Friday."},
    ]
    path = _write(tmp_path / "batch.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    items = list(read_inputs([path]))
    assert [type(i) for i in items] == [Article, Article]
    first, second = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.doc_id, first.published, first.title) == ("j1", "2024-09-01", "Pears")
    assert first.source == {
        "path": str(path),
        "url": "https://example.org/j1",
        "sha256": hashlib.sha256(rows[0]["text"].encode()).hexdigest(),
        "format": "jsonl",
        "line": 1,
    }
    assert second.text == "Caf\u00e9 owners met on Friday." and second.published is None


def test_jsonl_broken_lines_become_records_and_the_rest_goes_on(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok1", "text": "A good first line."}),
        '{"id": "broken", "text": "no closing brace"',
        "",
        json.dumps({"text": "No id here."}),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": 7, "text": "Numeric id."}),
        json.dumps({"id": "wrong-text", "text": ["a", "list"]}),
        json.dumps({"id": "wrong-date-type", "text": "x", "published": 20240101}),
        json.dumps({"id": "bad-date", "text": "x", "published": "01/02/2024"}),
        json.dumps({"id": "empty", "text": "  "}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "ok2", "text": "A good last line."}),
    ]
    path = _write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    items = list(read_inputs([path]))
    codes = [i.code if isinstance(i, ErrorRecord) else "ok" for i in items]
    assert codes == [
        "ok",
        JSONL_BAD_LINE,
        JSONL_BAD_FIELD,
        JSONL_BAD_FIELD,
        JSONL_BAD_FIELD,
        JSONL_BAD_FIELD,
        JSONL_BAD_FIELD,
        BAD_DATE,
        INPUT_EMPTY,
        JSONL_BAD_LINE,
        "ok",
    ]
    errors = [i for i in items if isinstance(i, ErrorRecord)]
    # each names the file and its line (blank line 3 is skipped, so numbers follow the file)
    assert [e.source["line"] for e in errors] == [2, 4, 5, 6, 7, 8, 9, 10, 11]
    for err in errors:
        assert f"{path}, line {err.source['line']}" in err.message
    by_line = {e.source["line"]: e for e in errors}
    assert by_line[2].doc_id == "mixed:2"
    assert by_line[5].doc_id == "no-text"
    assert '"id"' in by_line[4].message and "add" in by_line[4].message
    assert '"text"' in by_line[5].message
    assert "a number" in by_line[6].message
    assert "an array" in by_line[7].message
    assert "YYYY-MM-DD" in by_line[9].message
    assert items[-1].doc_id == "ok2"


def test_jsonl_bad_bytes_lose_only_their_line(tmp_path: Path) -> None:
    data = b'{"id": "a", "text": "Fine."}\n{"id": "b", "text": "Caf\xe9"}\n{"id": "c", "text": "Also fine."}\n'
    items = list(read_inputs([_write(tmp_path / "enc.jsonl", data)]))
    assert [i.code if isinstance(i, ErrorRecord) else i.doc_id for i in items] == ["a", INPUT_NOT_UTF8, "c"]
    assert "line 2" in items[1].message  # type: ignore[union-attr]


def test_jsonl_extra_fields_and_text_with_html_are_warned(tmp_path: Path) -> None:
    row = {"id": "x", "text": "Plain words.", "html": "<p>Other words.</p>", "lang": "en"}
    art = _only(list(read_jsonl(json.dumps(row), path="x.jsonl")))
    assert isinstance(art, Article) and art.text == "Plain words."
    assert [w.code for w in art.warnings] == [JSONL_IGNORED_FIELD, JSONL_IGNORED_FIELD]
    assert "lang" in str(art.warnings[0])


def test_jsonl_html_field(tmp_path: Path) -> None:
    row = {"id": "page", "html": PAGE, "url": "https://example.org/elm"}
    art = _only(list(read_jsonl(json.dumps(row), path="pages.jsonl")))
    assert isinstance(art, Article)
    assert "Dana Reyes" in art.text and "FOOTER_COPYRIGHT_NOTICE" not in art.text
    assert art.source["format"] == "jsonl" and art.source["url"] == "https://example.org/elm"
    assert art.published == "2024-06-08"


def test_jsonl_caller_published_overrides_field() -> None:
    row = {"id": "x", "text": "Words.", "published": "2020-01-01"}
    art = _only(list(read_jsonl(json.dumps(row), path="x.jsonl", published="2021-02-02")))
    assert isinstance(art, Article) and art.published == "2021-02-02"


def test_empty_jsonl_file(tmp_path: Path) -> None:
    err = _error(_write(tmp_path / "none.jsonl", "\n\n"))
    assert err.code == INPUT_EMPTY


def test_json_array_file(tmp_path: Path) -> None:
    rows = [{"id": "p1", "text": "One."}, {"id": "p2"}]
    path = _write(tmp_path / "array.json", json.dumps(rows, indent=2))
    items = list(read_inputs([path]))
    assert isinstance(items[0], Article) and items[0].source["item"] == 1
    assert isinstance(items[1], ErrorRecord) and items[1].code == JSONL_BAD_FIELD
    assert "item 2" in items[1].message


# --- HTML -----------------------------------------------------------------------------------

MUST_CONTAIN = [
    "opened its doors again on Saturday",
    '"We missed the noise," said Dana Reyes',
    "longer weekend hours",
]
MUST_NOT_CONTAIN = ["PIXEL_SCRIPT_TOKEN", "NAVIGATION_MENU_SECTIONS", "FOOTER_COPYRIGHT_NOTICE", "color: red", "Sign in"]


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    art = _article(_write(tmp_path / "elm.html", PAGE))
    for needle in MUST_CONTAIN:
        assert needle in " ".join(art.text.split()), needle
    for needle in MUST_NOT_CONTAIN:
        assert needle not in art.text, needle
    assert art.title is not None and "Elm Street library reopens" in art.title
    assert art.author == "Priya Okafor"
    assert art.published == "2024-06-08"
    assert art.source["format"] == "html"
    assert art.source["sha256"] == hashlib.sha256(art.text.encode()).hexdigest()
    assert art.text == art.text.strip()
    # offsets index the extracted text
    start = art.text.index("Dana Reyes")
    assert art.text[start : start + 10] == "Dana Reyes"


def test_html_caller_published_overrides_metadata() -> None:
    art = read_html(PAGE, doc_id="elm", path="elm.html", published="2030-01-01")
    assert art.published == "2030-01-01"


def test_html_without_main_text_is_sl107(tmp_path: Path) -> None:
    page = "<html><head><title>Nothing</title><script>var a = 1;</script></head><body></body></html>"
    err = _error(_write(tmp_path / "shell.html", page))
    assert err.code == HTML_NO_TEXT
    assert "shell.html" in err.message
    assert "plain text" in err.message and "JSONL" in err.message


def test_html_reader_raises_coded_errors() -> None:
    with pytest.raises(InputError) as info:
        read_html(b"<html><body></body></html>", doc_id="x", path="x.html")
    assert info.value.code == HTML_NO_TEXT
    with pytest.raises(InputError) as info:
        read_html(b"\xff\xfe<p>x</p>", doc_id="x", path="x.html")
    assert info.value.code == INPUT_NOT_UTF8
