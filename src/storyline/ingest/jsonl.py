"""JSONL input: one article a line.

Each line is an object with ``id`` and ``text`` (or ``html``), and optionally
``published``, ``url``, ``title``, ``author``. A broken line becomes an
``ErrorRecord`` naming the file, the line and the fix; the rest of the file is
still read. Offsets index the line's ``text`` (or the main text extracted from
its ``html``).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import INPUT_EMPTY, JSONL_BAD_FIELD, JSONL_BAD_LINE, JSONL_IGNORED_FIELD, InputError
from ..model import Article, ErrorRecord, Issue
from .common import STAGE, check_date, decode, make_source, require_text
from .html import html_article

KNOWN_FIELDS = ("id", "text", "html", "published", "url", "title", "author")
_OPTIONAL_STR = ("published", "url", "title", "author")


def read_jsonl(data: bytes | str, *, path: str, published: str | None = None) -> Iterator[Article | ErrorRecord]:
    """Read every article of a JSONL file, in order.

    A ``.json`` file holding one object, or an array of objects, is read too
    (its items are then numbered instead of its lines).

    Args:
        data: the file's bytes (UTF-8), or text already decoded.
        path: the file's name, for ``source`` and messages.
        published: an ISO date that overrides each line's ``published``.

    Yields:
        One ``Article`` per good line and one ``ErrorRecord`` per bad line;
        blank lines are skipped. A file without any line yields one SL103
        error record.
    """
    lines = _split_lines(data, path)
    if all(isinstance(line, str) and not line.strip() for line in lines):
        empty = InputError(f"{path}: the file holds no JSON lines; write one article a line", code=INPUT_EMPTY)
        yield _error(empty, path, {"line": 1})
        return
    whole = _whole_json(lines) if path.endswith(".json") else None
    if whole is not None:
        for n, obj in enumerate(whole, start=1):
            where = f"{path}, item {n}"
            try:
                yield article_from_object(obj, path=path, where=where, at={"item": n}, published=published)
            except InputError as exc:
                yield _error(exc, path, {"item": n}, obj)
        return
    for n, line in enumerate(lines, start=1):
        if isinstance(line, InputError):
            yield _error(line, path, {"line": n})
        elif line.strip():
            try:
                yield parse_line(line, path=path, lineno=n, published=published)
            except InputError as exc:
                yield _error(exc, path, {"line": n}, line)


def parse_line(line: str, *, path: str, lineno: int, published: str | None = None) -> Article:
    """Turn one JSONL line into an article.

    Raises:
        InputError: SL105 when the line is not a JSON object, SL106 when a
            field is missing or of the wrong type, SL103 when the text is
            empty, SL108 when ``published`` is not an ISO date, SL107 when
            ``html`` has no main text.
    """
    where = f"{path}, line {lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); write one complete JSON object "
            f'per line, e.g. {{"id": "a1", "text": "..."}}',
            code=JSONL_BAD_LINE,
        ) from exc
    return article_from_object(obj, path=path, where=where, at={"line": lineno}, published=published)


def article_from_object(
    obj: Any, *, path: str, where: str, at: dict[str, int], published: str | None = None
) -> Article:
    """Check one decoded JSON object's fields and build its article.

    Args:
        obj: the decoded JSON value.
        path: the file's name, for ``source``.
        where: the file and line (or item), for messages.
        at: ``{"line": n}`` or ``{"item": n}``, added to ``source``.
        published: an ISO date that overrides the object's ``published``.

    Raises:
        InputError: see ``parse_line``.
    """
    if not isinstance(obj, dict):
        raise InputError(
            f'{where}: expected a JSON object like {{"id": "a1", "text": "..."}}, got {_kind(obj)}',
            code=JSONL_BAD_LINE,
        )
    doc_id = obj.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        got = "it is missing" if "id" not in obj else f"got {_kind(doc_id)}"
        example = f"{Path(path).stem}-{next(iter(at.values()))}"
        raise InputError(
            f'{where}: "id" must be a non-empty string ({got}); add e.g. "id": "{example}"',
            code=JSONL_BAD_FIELD,
        )
    for name in ("text", "html", *_OPTIONAL_STR):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(
                f'{where}: "{name}" must be a string, got {_kind(value)}; quote it, e.g. "{name}": "..."',
                code=JSONL_BAD_FIELD,
            )
    text, html = obj.get("text"), obj.get("html")
    if text is None and html is None:
        raise InputError(
            f'{where}: the object has neither "text" nor "html"; add the article as "text": "..." '
            f'(plain text) or "html": "..." (a web page)',
            code=JSONL_BAD_FIELD,
        )
    warnings: list[Issue] = []
    extra = sorted(k for k in obj if k not in KNOWN_FIELDS)
    if extra:
        known = ", ".join(KNOWN_FIELDS)
        note = f"{where}: ignored unknown field(s) {', '.join(extra)}; known fields are {known}"
        warnings.append(Issue(STAGE, JSONL_IGNORED_FIELD, note))
    if text is not None and html is not None:
        note = f'{where}: both "text" and "html" given; used "text", ignored "html" (give one of them)'
        warnings.append(Issue(STAGE, JSONL_IGNORED_FIELD, note))
    if published is None and obj.get("published"):
        published = check_date(obj["published"], f'{where}: "published"')
    url, title, author = obj.get("url") or None, obj.get("title") or None, obj.get("author") or None
    if text is None:
        assert html is not None  # checked above: one of text/html is present
        html_text, notes = decode(html, where)
        return html_article(
            html_text,
            doc_id=doc_id,
            path=path,
            where=where,
            published=published,
            url=url,
            title=title,
            author=author,
            fmt="jsonl",
            warnings=(*notes, *warnings),
            **at,
        )
    text, notes = decode(text, where)
    require_text(text, where)
    return Article(
        doc_id=doc_id,
        text=text,
        published=published,
        title=title,
        author=author,
        source=make_source(path, text, "jsonl", url=url, **at),
        warnings=(*notes, *warnings),
    )


def _split_lines(data: bytes | str, path: str) -> list[str | InputError]:
    """Split into lines, decoding each on its own so one bad byte only loses its line."""
    if isinstance(data, str):
        return [line.removesuffix("\r") for line in data.removeprefix("\ufeff").split("\n")]
    out: list[str | InputError] = []
    for n, raw in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), start=1):
        try:
            out.append(decode(raw.removesuffix(b"\r"), f"{path}, line {n}")[0])
        except InputError as exc:
            out.append(exc)
    return out


def _whole_json(lines: list[str | InputError]) -> list[Any] | None:
    """Parse a ``.json`` file as one document; None when it is really JSONL."""
    if any(isinstance(line, InputError) for line in lines):
        return None
    try:
        whole = json.loads("\n".join(str(line) for line in lines))
    except json.JSONDecodeError:
        return None
    return whole if isinstance(whole, list) else [whole]


def _error(exc: InputError, path: str, at: dict[str, int], raw: Any = None) -> ErrorRecord:
    """An error record for one line or item; its id is the line's ``id`` when readable."""
    doc_id = f"{Path(path).stem}:{next(iter(at.values()))}"
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raw = None
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
        doc_id = raw["id"]
    return ErrorRecord(doc_id, exc.stage, exc.code, exc.message, {"path": path, "format": "jsonl", **at})


def _kind(value: Any) -> str:
    """Name a JSON value's type the way a user writing JSON would."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false", int: "a number"}
    names[float] = "a number"
    return "null" if value is None else names.get(type(value), type(value).__name__)
