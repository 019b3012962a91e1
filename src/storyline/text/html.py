"""HTML input: trafilatura finds the main text, title, author and date.

Offsets index the *extracted* main text (``Article.text``), not the HTML
source: boilerplate (navigation, footers, scripts) is not part of the article.
"""

from __future__ import annotations

from typing import Any

from storyline.errors import BAD_DATE, HTML_NO_TEXT, InputError
from storyline.model import Article, Issue
from storyline.text.common import STAGE, check_date, decode, make_source, require_text


def extract_html(html: str, where: str, *, url: str | None = None) -> dict[str, Any]:
    """Run trafilatura over one page.

    Args:
        html: the decoded page.
        where: the input's name, for messages.
        url: the page's address, if known (helps trafilatura's metadata).

    Returns:
        A dict with ``text`` (the main text, stripped of surrounding
        whitespace) and ``title``, ``author``, ``date``, ``url`` (each str or None).

    Raises:
        InputError: (SL107) when trafilatura finds no main text, or fails on the page.
    """
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception as exc:  # malformed markup must cost this page only, never the batch
        raise InputError(
            f"{where}: trafilatura could not read this HTML ({type(exc).__name__}: {str(exc)[:200]}); "
            f"repair the page, or pass the article as plain text or as JSONL with a \"text\" field instead",
            code=HTML_NO_TEXT,
        ) from exc
    found: dict[str, Any] = {}
    if doc is not None:
        # trafilatura 2.x returns a Document, 1.x a dict.
        found = doc if isinstance(doc, dict) else doc.as_dict()
    text = (found.get("text") or "").strip()
    if not text:
        raise InputError(
            f"{where}: trafilatura found no main text in this HTML (only boilerplate, scripts or "
            f"an empty body); pass the article as plain text or as JSONL with a \"text\" field instead",
            code=HTML_NO_TEXT,
        )
    return {
        "text": text,
        "title": found.get("title") or None,
        "author": found.get("author") or None,
        "date": found.get("date") or None,
        "url": found.get("url") or None,
    }


def html_article(
    html: str,
    *,
    doc_id: str,
    path: str,
    where: str | None = None,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    author: str | None = None,
    fmt: str = "html",
    warnings: tuple[Issue, ...] = (),
    **source_extra: Any,
) -> Article:
    """Build an article from decoded HTML (shared by the HTML and JSONL readers).

    ``published``, ``url``, ``title`` and ``author`` given here win over the
    page's metadata. Offsets index the extracted main text.

    Raises:
        InputError: SL103 when empty, SL107 when there is no main text.
    """
    where = where or path
    require_text(html, where)
    meta = extract_html(html, where, url=url)
    if published is None and meta["date"]:
        try:
            published = check_date(meta["date"], f"{where}: page date")
        except InputError as exc:
            warnings = (*warnings, Issue(STAGE, BAD_DATE, f"{exc.message}; published left unknown"))
    text = meta["text"]
    return Article(
        doc_id=doc_id,
        text=text,
        published=published,
        title=title or meta["title"],
        author=author or meta["author"],
        source=make_source(path, text, fmt, url=url or meta["url"], **source_extra),
        warnings=warnings,
    )


def read_html(
    data: bytes | str, *, doc_id: str, path: str, published: str | None = None, url: str | None = None
) -> Article:
    """Read one HTML page.

    Args:
        data: the page's bytes (UTF-8, or an encoding charset-normalizer
            detects with confidence, with an SL112 warning), or text already decoded.
        doc_id: the article's id (the file stem, or ``stdin``).
        path: where it came from, for ``source`` and messages.
        published: an ISO date that overrides the page's date.
        url: the page's address, if known.

    Returns:
        The article; its ``text`` is trafilatura's main text, and every
        offset (half-open, in code points) indexes that text, not the HTML.

    Raises:
        InputError: SL102 when not UTF-8 (and no encoding can be told with
            confidence), SL113 when binary data, SL103 when empty, SL107 when
            there is no main text.
    """
    html, warnings = decode(data, path)
    return html_article(html, doc_id=doc_id, path=path, published=published, url=url, warnings=warnings)
