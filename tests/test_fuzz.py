"""Fuzzing: random article text and random bytes against the scanners and the ingesters.

The property tests in ``test_quotemarks.py``, ``test_dates.py`` and
``test_properties.py`` check the stages on short texts; these feed them
longer news-like text (every kind of quote mark, dashes, line breaks of every
kind, BOMs, NULs, right-to-left and combining characters), and feed the
ingesters random bytes, badly encoded text, JSONL soup and HTML tag soup
written to files. Nothing may raise: a bad input is an error record with an
SL1xx code that names the input.

Each test runs a few examples by default so CI stays quick;
``STORYLINE_FUZZ_EXAMPLES=N`` runs N examples per test (``make fuzz`` sets
5000). None of these need the spaCy model.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from storyline.errors import InputError
from storyline.model import Article, ErrorRecord
from storyline.stages.time.timexes import find_timexes
from storyline.text import read_html, read_inputs, read_jsonl
from storyline.text.common import looks_binary
from test_dates import FRAGMENTS, _check  # the invariants of a timex list
from test_properties import news_texts  # arbitrary Unicode mixed with news-like pieces
from test_quotemarks import check_invariants  # the invariants of scan_quotes

FUZZ_EXAMPLES = int(os.environ.get("STORYLINE_FUZZ_EXAMPLES") or 0)


def fuzz_settings(default: int) -> Any:
    """``default`` examples, or ``STORYLINE_FUZZ_EXAMPLES`` when set."""
    return settings(
        max_examples=FUZZ_EXAMPLES or default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- strategies --------------------------------------------------------------------------------

MARKS = ['"', "\u201c", "\u201d", "\u2018", "\u2019", "'", "\u201e", "\u201f", "\u00ab", "\u00bb", "\u2039", "\u203a"]
DASHES = ["-", "\u2013", "\u2014", "\u2012", "\u2212", "--", "\u2026", "..."]
BREAKS = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"]
ODD = ["\ufeff", "\x00", "\u200b", "\u200e", "\u202e", "\u0301", "e\u0301", "\U0001f600", "\u05e9\u05dc\u05d5\u05dd", "\ufffd"]
WORDS = ["said", "Ana Ruiz", "the mayor", "on Tuesday", "February 30", "March 3, 2025", "last week", "“We will appeal,”"]

piece = st.one_of(
    news_texts(),
    st.sampled_from(MARKS + DASHES + BREAKS + ODD + WORDS + FRAGMENTS),
    st.text(max_size=20),
)
article_text = st.lists(piece, max_size=60).map("".join)

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]
EXTENSIONS = [".txt", ".md", ".html", ".jsonl", ".json"]
SL1 = re.compile(r"SL1\d\d")


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    """JSONL soup: good objects, wrong fields, broken JSON, random bytes, blank lines; no line breaks inside."""
    good = st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=8), "text": article_text},
        optional={"published": st.sampled_from(["2025-01-28", "2025-02-30", "soon", 7]), "html": st.text(max_size=30)},
    ).map(lambda d: json.dumps(d, ensure_ascii=draw(st.booleans())).encode())
    values = st.one_of(st.none(), st.integers(), st.text(max_size=8), st.lists(st.integers(), max_size=2))
    wrong = st.dictionaries(st.sampled_from(["id", "text", "html", "title", "x"]), values).map(
        lambda d: json.dumps(d).encode()
    )
    junk = st.binary(max_size=60)
    line = st.one_of(good, wrong, junk, st.sampled_from([b"", b"   ", b"\r", b"{", b"[1, 2]", b"null", b'"text"']))
    lines = draw(st.lists(line, max_size=12))
    body = b"\n".join(raw.replace(b"\n", b" ") for raw in lines)
    if draw(st.booleans()):
        body = codecs.BOM_UTF8 + body
    return body


TAGS = ["p", "div", "article", "span", "b", "i", "table", "td", "h1", "nav", "footer", "script", "style", "noscript"]


@st.composite
def html_pages(draw: st.DrawFn) -> tuple[str, bool]:
    """Tag soup: unclosed and stray tags, attributes, entities, text, and scripts holding a token.

    Returns the page, and whether its scripts are still scripts: a comment or
    CDATA opener before a script can turn it into text (as a browser reads it
    too), so only pages without one promise that the token never shows.
    """
    parts: list[str] = []
    openers = False
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 6))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(f'<script>var t = "SCRIPT_SECRET_{draw(st.integers(0, 9))}";</script>')
        elif kind == 3:
            parts.append(f'<{tag} class="{html.escape(draw(st.text(max_size=5)))}" onload="x()">')
        elif kind == 4:
            parts.append(draw(st.sampled_from(["-->", "]]>", ">", "&amp;", "&#0;", "&nbsp;", "&bogus;", "&#x110000;"])))
        elif kind == 5:
            openers = True
            parts.append(draw(st.sampled_from(["<!--", "<![CDATA[", "<", "<!", "<?xml ", "<scr"])))
        else:
            parts.append(html.escape(draw(article_text), quote=False))
    return "".join(parts), not openers


# --- the stages on long, odd text --------------------------------------------------------------


@fuzz_settings(60)
@given(article_text)
def test_scan_quotes_on_news_like_text(text: str) -> None:
    check_invariants(text)


@fuzz_settings(60)
@given(article_text, st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()), st.text(max_size=12)))
def test_find_timexes_on_news_like_text(text: str, published: str | None) -> None:
    timexes, issues = find_timexes(text, published)
    _check(text, timexes)
    for issue in issues:
        if issue.span is not None:
            assert text[issue.span.start : issue.span.end] == issue.span.text


# --- the ingesters on files ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _read_file(folder: Path, name: str, data: bytes) -> list[Article | ErrorRecord]:
    path = folder / name
    path.write_bytes(data)
    items = list(read_inputs([path]))
    assert items, f"{name}: nothing came back"
    for item in items:
        _check_item(item, path)
    return items


def _check_item(item: Article | ErrorRecord, path: Path) -> None:
    json.dumps(item.to_dict() if hasattr(item, "to_dict") else {}, ensure_ascii=False)
    assert item.source["path"] == str(path)
    if isinstance(item, ErrorRecord):
        assert SL1.fullmatch(item.code), item
        assert str(path) in item.message, item.message
        return
    assert isinstance(item, Article)
    assert item.text.strip() and item.doc_id
    assert "\x00" not in item.text
    item.text.encode("utf-8")  # no lone surrogates
    assert item.source["sha256"] == hashlib.sha256(item.text.encode("utf-8")).hexdigest()
    for warning in item.warnings:
        assert re.fullmatch(r"SL\d{3}", warning.code), warning
        if warning.span is not None:
            assert item.text[warning.span.start : warning.span.end] == warning.span.text


@fuzz_settings(80)
@given(st.binary(max_size=3000), st.sampled_from(EXTENSIONS))
def test_read_inputs_on_random_bytes(folder: Path, data: bytes, ext: str) -> None:
    items = _read_file(folder, "random" + ext, data)
    if ext in (".txt", ".md", ".html"):
        assert len(items) == 1


@fuzz_settings(80)
@given(article_text, st.sampled_from(ENCODINGS), st.sampled_from([".txt", ".md"]))
def test_read_inputs_on_text_in_any_encoding(folder: Path, text: str, encoding: str, ext: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
        return
    (item,) = _read_file(folder, "encoded" + ext, data)
    if not isinstance(item, Article):
        return
    codes = [w.code for w in item.warnings]
    named = " ".join(w.message for w in item.warnings if w.code == "SL112")
    # the encoder of utf-8-sig and utf-16 writes a byte order mark and decoding takes it off again;
    # decode() then removes one more leading U+FEFF, the text's own, with an SL109 warning
    own = text.removeprefix("\ufeff") if encoding != "utf-8-sig" else text
    if "SL112" not in codes:  # it was UTF-8 (ASCII text is, in any of these encodings but UTF-16)
        expected: str | None = data.decode("utf-8").removeprefix("\ufeff")
    elif encoding == "utf-16" and "utf-16" in named:
        expected = own
    elif encoding == "cp1252" and "cp1252" in named:
        expected = own
    elif encoding == "latin-1" and "cp1252" in named and not any("\x80" <= c <= "\x9f" for c in text):
        expected = own  # latin-1 and windows-1252 agree outside 0x80-0x9F
    else:
        expected = None  # another guess: only the general checks apply
    if expected is not None:
        assert item.text == expected.replace("\x00", "\ufffd")


@fuzz_settings(60)
@given(jsonl_files(), st.integers(min_value=20, max_value=400))
def test_read_jsonl_on_soup(data: bytes, limit: int) -> None:
    from_bytes = list(read_jsonl(data, path="soup.jsonl", max_line_bytes=limit))
    assert from_bytes
    for item in from_bytes:
        if isinstance(item, ErrorRecord):
            assert SL1.fullmatch(item.code) and "soup.jsonl" in item.message
        else:
            assert item.text.strip() and "\x00" not in item.text
    if looks_binary(data[:8192]):
        assert [i.code for i in from_bytes if isinstance(i, ErrorRecord)] == ["SL113"]
        return
    # one record per line that is not blank, or one SL103 record for a file without any
    body = data.removeprefix(codecs.BOM_UTF8)
    expected = sum(1 for raw in body.split(b"\n") if _counts(raw.removesuffix(b"\r")))
    assert len(from_bytes) == max(expected, 1)
    # long lines are refused unread, whatever they hold
    long_lines = [n for n, raw in enumerate(body.split(b"\n"), start=1) if len(raw) > limit]
    refused = [i.source["line"] for i in from_bytes if isinstance(i, ErrorRecord) and i.code == "SL115"]
    assert refused == long_lines
    # a stream gives the same records as the bytes
    streamed = list(read_jsonl(io.BytesIO(data), path="soup.jsonl", max_line_bytes=limit))
    assert _summary(streamed) == _summary(from_bytes)
    # read as a .json file (one document, else lines), from a stream: still never raises
    assert list(read_jsonl(io.BytesIO(data), path="soup.json", max_line_bytes=limit))


def _counts(raw: bytes) -> bool:
    try:
        return bool(raw.decode("utf-8").strip())
    except UnicodeDecodeError:
        return True


def _summary(items: list[Article | ErrorRecord]) -> list[tuple[str, str, Any]]:
    return [(type(i).__name__, i.code if isinstance(i, ErrorRecord) else i.text, i.doc_id) for i in items]


@fuzz_settings(40)
@given(html_pages())
def test_read_html_on_tag_soup(soup: tuple[str, bool]) -> None:
    page, scripts_intact = soup
    for data in (page, page.encode("utf-8")):
        try:
            art = read_html(data, doc_id="soup", path="soup.html")
        except InputError as exc:
            assert SL1.fullmatch(exc.code) and "soup.html" in exc.message, exc
            continue
        assert art.text.strip()
        assert "\x00" not in art.text
        if scripts_intact:
            assert "SCRIPT_SECRET" not in art.text
