"""WARC input: pages of a crawl as articles, the rest skipped, damage kept as error records.

Every WARC here is written in ``tmp_path`` with warcio's ``WARCWriter``;
the pages are short news stories written for these tests. Only the last
test runs the model.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("warcio")
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import storyline.text.warc as warc_module
from clirun import invoke
from storyline.errors import HTML_NO_TEXT, INPUT_EMPTY, WARC_BROKEN, WARC_RECORD_TOO_LARGE
from storyline.model import Article, ErrorRecord
from storyline.text import count_inputs, read_inputs
from storyline.text.warc import warc_doc_id

FERRY = """<!doctype html><html><head><title>Ferry service returns to Northfield</title>
<meta property="article:published_time" content="2025-03-04T08:00:00+00:00">
<meta name="author" content="Ines Duarte"></head>
<body><nav><a href="/">Home</a> | <a href="/local">Local</a></nav>
<article><h1>Ferry service returns to Northfield</h1>
<p>The harbour ferry ran again on Tuesday after a winter of repairs to the north pier, the first crossing since
November.</p>
<p>"We have waited long enough for this," said Rosa Quispe, who chairs the harbour council. "The crews are ready
and the timetable is back."</p>
<p>Lars Eriksen, who runs the ferry company, said the boats would sail every hour until the autumn.</p>
</article><footer>Copyright Northfield Courier</footer></body></html>"""

CHOIR = """<!doctype html><html><head><title>Choir fills the new hall</title></head>
<body><article><h1>Choir fills the new hall</h1>
<p>The town choir gave its first concert in the new hall on Sunday evening, and every seat was taken.</p>
<p>"It was warm and it was loud," said Ines Duarte, who leads the choir. She said the next concert would be in
June, with a programme of sea shanties and hymns.</p>
<p>Tickets went on sale at the library on Monday morning and sold out within an hour.</p>
</article></body></html>"""

# in latin-1, as the header says: "café" and "naïve" are not UTF-8 bytes
BAKERY = """<html><head><title>Bakery reopens</title></head><body><article><h1>Bakery reopens</h1>
<p>The bakery on Mill Road reopened its café on Friday after a flood closed it for six weeks in the winter.</p>
<p>"It would be naïve to think the river is done with us," said Kenji Watanabe, who owns it, "but we are open."</p>
<p>The council said work on the river wall would begin in the spring and take about two months.</p>
</article></body></html>"""


def _response(writer: WARCWriter, uri: str, body: bytes, *, status: str = "200 OK",
              content_type: str = "text/html; charset=utf-8", extra: list[tuple[str, str]] | None = None) -> Any:
    headers = StatusAndHeaders(status, [("Content-Type", content_type), *(extra or [])], protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)


def write_warc(path: Path, *, gz: bool = True, pages: list[tuple[str, bytes]] | None = None,
               clutter: bool = True) -> None:
    """A small crawl: the given pages (two stories by default) among records that are not articles."""
    pages = pages if pages is not None else [
        ("https://courier.example/local/2025/03/ferry-returns", FERRY.encode("utf-8")),
        ("https://courier.example/culture/choir-new-hall?ref=home", CHOIR.encode("utf-8")),
    ]
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "storyline tests"}))
        if clutter:
            request = StatusAndHeaders("GET /local HTTP/1.1", [("Host", "courier.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record("https://courier.example/local", "request",
                                                          http_headers=request))
            writer.write_record(_response(writer, "https://courier.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64),
                                          content_type="image/png"))
            writer.write_record(_response(writer, "https://courier.example/gone", b"<html>Not here</html>",
                                          status="404 Not Found"))
            writer.write_record(_response(writer, "https://courier.example/old", b"", status="301 Moved Permanently",
                                          extra=[("Location", "https://courier.example/new")]))
        for uri, body in pages:
            writer.write_record(_response(writer, uri, body))
        if clutter:
            writer.write_record(writer.create_warc_record("https://courier.example/local", "metadata",
                                                          payload=io.BytesIO(b"outlinks: 3\n"),
                                                          warc_content_type="application/warc-fields"))


def _read(*paths: Path | str) -> list[Article | ErrorRecord]:
    return list(read_inputs([str(p) for p in paths]))


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_html_responses_become_articles(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, gz=gz)
    items = _read(path)
    assert all(isinstance(item, Article) for item in items), items
    ferry, choir = items  # the request, image, 404, redirect, warcinfo and metadata records are skipped
    assert ferry.doc_id.startswith("courier-example-local-2025-03-ferry-returns-")
    assert choir.doc_id.startswith("courier-example-culture-choir-new-hall-")
    assert "said Rosa Quispe" in ferry.text and "Home" not in ferry.text and "Copyright" not in ferry.text
    assert ferry.title == "Ferry service returns to Northfield"
    assert ferry.published is not None and ferry.published.startswith("2025-03-04")  # the page's own date
    assert choir.published is None  # no date on the page: the crawl date is not a publication date
    source = choir.source
    assert source["url"] == "https://courier.example/culture/choir-new-hall?ref=home"
    assert source["format"] == "warc" and source["path"] == str(path)
    assert source["warc_date"] and source["warc_record_id"].startswith("<urn:uuid:")
    assert isinstance(source["warc_offset"], int) and len(source["sha256"]) == 64


def test_doc_ids_are_stable_and_unique_per_record(tmp_path: Path) -> None:
    path = tmp_path / "twice.warc.gz"
    uri = "https://courier.example/local/2025/03/ferry-returns"
    write_warc(path, pages=[(uri, FERRY.encode()), (uri, FERRY.encode())])  # the same page crawled twice
    first, second = _read(path)
    assert first.doc_id != second.doc_id
    assert [item.doc_id for item in _read(path)] == [first.doc_id, second.doc_id]  # the same ids on every read
    assert warc_doc_id(uri, "<urn:uuid:1>") == warc_doc_id(uri, "<urn:uuid:1>") != warc_doc_id(uri, "<urn:uuid:2>")
    assert warc_doc_id("", "<urn:uuid:1>").startswith("page-")
    assert len(warc_doc_id("https://x.example/" + "a" * 500, "id")) <= 60 + 11


def test_directory_walk_and_order(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_warc(folder / "b_crawl.warc.gz")
    (folder / "a_note.txt").write_text("The ferry ran on time again today, said the harbour master.\n",
                                       encoding="utf-8")
    (folder / "c_notes.tar.gz").write_bytes(gzip.compress(b"not read"))
    items = _read(folder)
    assert [type(item).__name__ for item in items] == ["Article", "Article", "Article"]
    assert items[0].doc_id == "a_note" and items[1].doc_id.startswith("courier-example-local")


def test_a_warc_without_pages_is_an_error_record(tmp_path: Path) -> None:
    path = tmp_path / "images.warc.gz"
    write_warc(path, pages=[])
    (item,) = _read(path)
    assert isinstance(item, ErrorRecord) and item.code == INPUT_EMPTY and item.doc_id == "images"
    assert str(path) in item.message and "image/png" in item.message and "status 404" in item.message


def test_a_page_without_text_is_an_error_record_and_the_rest_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, gz=False, clutter=False, pages=[
        ("https://courier.example/empty", b"<html><body><script>var x = 1;</script></body></html>"),
        ("https://courier.example/ferry", FERRY.encode()),
    ])
    empty, ferry = _read(path)
    assert isinstance(empty, ErrorRecord) and empty.code == HTML_NO_TEXT
    assert empty.doc_id.startswith("courier-example-empty-") and empty.source["url"] == "https://courier.example/empty"
    assert isinstance(ferry, Article)


def test_the_declared_charset_is_used(tmp_path: Path) -> None:
    path = tmp_path / "latin.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(_response(writer, "https://courier.example/bakery", BAKERY.encode("latin-1"),
                                      content_type="text/html; charset=ISO-8859-1"))
    (item,) = _read(path)
    assert isinstance(item, Article) and "café" in item.text and "naïve" in item.text


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_warc_keeps_what_was_read(tmp_path: Path, gz: bool) -> None:
    whole = tmp_path / ("whole.warc.gz" if gz else "whole.warc")
    pages = [(f"https://courier.example/story-{i}", (FERRY if i % 2 else CHOIR).encode()) for i in range(3)]
    write_warc(whole, gz=gz, pages=pages, clutter=False)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[: len(data) - 400])  # the last record loses its end
    (tmp_path / "after.txt").write_text("The ferry ran on time again today.\n", encoding="utf-8")
    items = _read(cut, tmp_path / "after.txt")
    assert [type(item).__name__ for item in items] == ["Article", "Article", "ErrorRecord", "Article"]
    error = items[2]
    assert isinstance(error, ErrorRecord) and error.code == WARC_BROKEN
    assert str(cut) in error.message and "fully copied" in error.message  # names the file and the fix
    assert items[3].doc_id == "after"  # the rest of the batch goes on


def test_a_corrupt_warc_gz_keeps_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    pages = [(f"https://courier.example/story-{i}", FERRY.encode()) for i in range(3)]
    write_warc(path, pages=pages, clutter=False)
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        starts = [records.get_record_offset() for _ in records]
    data = bytearray(path.read_bytes())
    data[starts[3] + 40:starts[3] + 104] = b"\x00" * 64  # inside the gzip member of the third page
    path.write_bytes(bytes(data))
    items = _read(path)
    assert [type(item).__name__ for item in items[:2]] == ["Article", "Article"]
    assert len(items) == 3 and isinstance(items[2], ErrorRecord) and items[2].code == WARC_BROKEN
    assert str(path) in items[2].message


def test_a_digest_mismatch_is_an_error_record_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "flipped.warc"
    pages = [("https://courier.example/a", FERRY.encode()), ("https://courier.example/b", CHOIR.encode())]
    write_warc(path, gz=False, pages=pages, clutter=False)
    data = path.read_bytes()
    at = data.index(b"Rosa Quispe")
    path.write_bytes(data[:at] + b"Rosa Quispa" + data[at + 11:])  # same length: the framing holds
    bad, good = _read(path)
    assert isinstance(bad, ErrorRecord) and bad.code == WARC_BROKEN and "digest" in bad.message
    assert isinstance(good, Article) and good.source["url"] == "https://courier.example/b"


def test_garbage_named_warc_is_an_error_record(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not a WARC file at all\n" * 4)
    (item,) = _read(path)
    assert isinstance(item, ErrorRecord) and item.code == WARC_BROKEN and item.doc_id == "junk"


def test_a_page_over_the_cap_is_an_error_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc_module, "MAX_WARC_RECORD_BYTES", 500)
    path = tmp_path / "big.warc.gz"
    write_warc(path, pages=[("https://courier.example/big", FERRY.encode()),
                            ("https://courier.example/small", b"<html><body><p>" + b"Short. " * 30 + b"</p></body></html>")],
               clutter=False)
    big, small = _read(path)
    assert isinstance(big, ErrorRecord) and big.code == WARC_RECORD_TOO_LARGE and "500" in big.message
    assert isinstance(small, Article) or small.code == HTML_NO_TEXT  # read after it either way


def test_stdin_and_counting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, gz=False)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    items = _read("-")
    assert len(items) == 2 and all(isinstance(item, Article) for item in items)
    gz = tmp_path / "crawl.warc.gz"
    write_warc(gz)
    assert count_inputs([str(path), str(gz)]) == 4


@pytest.mark.model
def test_extract_from_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    result = invoke(["extract", str(path)])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2 and {r["source"]["format"] for r in records} == {"warc"}
    ferry = records[0]
    assert any(q["content"]["text"].startswith("We have waited long enough") for q in ferry["quotes"])
    for record in records:  # offsets index the extracted text
        for quote in record["quotes"]:
            span = quote["content"]
            assert record["text"][span["start"]:span["end"]] == span["text"]
