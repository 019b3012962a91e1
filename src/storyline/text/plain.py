"""Plain text input: the decoded file is the article, verbatim.

An optional header `` date 2025-01-28 `` at the very start (spaces around it,
possibly on the same line as the first sentence) sets ``published``. The
header stays in ``Article.text``, so offsets index the file as it is (after
removal of a byte order mark, if any; see ``common.decode`` for encodings).
"""

from __future__ import annotations

import re

from storyline.errors import BAD_DATE, InputError
from storyline.model import Article, Issue, Span, text_sha256
from storyline.text.common import STAGE, check_date, decode, make_source, require_text

HEADER_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?=\s)")


def read_header_date(text: str) -> str | None:
    """Return the date of a leading `` date YYYY-MM-DD `` header, or None.

    The header is not removed from the text; it is only read.
    """
    m = HEADER_DATE.match(text)
    return m.group(1) if m else None


def read_text(data: bytes | str, *, doc_id: str, path: str, published: str | None = None) -> Article:
    """Read one plain-text article.

    Args:
        data: the file's bytes (UTF-8, or an encoding charset-normalizer
            detects with confidence, with an SL112 warning), or text already decoded.
        doc_id: the article's id (the file stem, or ``stdin``).
        path: where it came from, for ``source`` and messages.
        published: an ISO date that overrides the header date.

    Returns:
        The article; its ``text`` is the decoded input verbatim, header and
        CRLF line ends included (a leading byte order mark removed, a NUL
        replaced by U+FFFD), so offsets (half-open, in code points) index it.

    Raises:
        InputError: SL102 when not UTF-8 (and no encoding can be told with
            confidence), SL113 when binary data, SL103 when empty.
    """
    text, warnings = decode(data, path)
    require_text(text, path)
    if published is None:
        published, issue = header_published(text, path)
        if issue is not None:
            warnings = (*warnings, issue)
    return Article(
        doc_id=doc_id,
        text=text,
        published=published,
        source=make_source(path, text, "text"),
        warnings=warnings,
    )


def header_published(text: str, path: str) -> tuple[str | None, Issue | None]:
    """Read the header date; an impossible one (2025-02-30) is kept as a warning, not used."""
    found = read_header_date(text)
    if found is None:
        return None, None
    try:
        return check_date(found, f"{path}: header date"), None
    except InputError as exc:
        m = HEADER_DATE.match(text)
        assert m is not None  # read_header_date just matched
        span = Span.of(text, m.start(1), m.end(1))
        note = f"{exc.message}; published left unknown (fix the header, or pass a published date)"
        return None, Issue(STAGE, BAD_DATE, note, span)


def text_doc_id(text: str) -> str:
    """The id of an article given without one: ``sha256-`` and the first 16 hex digits of its text's SHA-256."""
    return "sha256-" + text_sha256(text)[:16]


def article_from_string(
    text: str, *, published: str | None = None, doc_id: str | None = None, title: str | None = None, where: str = "text"
) -> Article:
    """An article given as a string (the Python API, the spaCy component).

    Args:
        text: the article; offsets index it as given.
        published: ISO date of publication; when None, a leading
            `` date YYYY-MM-DD `` header line is used if present (an
            impossible header date is left out, with an SL108 warning).
        doc_id: its id; ``text_doc_id(text)`` when None.
        title: its title, if known.
        where: what to call the text in messages (``text``, ``doc``).

    Raises:
        InputError: (SL108) when ``published`` is not an ISO date.
    """
    warnings: tuple[Issue, ...] = ()
    if published is None:
        published, issue = header_published(text, where)
        warnings = (issue,) if issue else ()
    else:
        published = check_date(published)
    return Article(doc_id=doc_id or text_doc_id(text), text=text, published=published, title=title, warnings=warnings)
