"""JSONL input: one article a line.

Each line is an object with ``id`` and ``text`` (or ``html``), and optionally
``published``, ``url``, ``title``, ``author``. A broken line becomes an
``ErrorRecord`` naming the file, the line and the fix; the rest of the file is
still read. Offsets index the line's ``text`` (or the main text extracted from
its ``html``).

Lines are found in the raw bytes and decoded one at a time, so a bad byte only
loses its line and a line longer than ``MAX_LINE_BYTES`` becomes an error
record without ever being decoded (a binary stream is read line by line, a
bounded piece at a time). JSON lines must be UTF-8 (RFC 8259): no encoding is
guessed here, unlike plain text and HTML files.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from storyline.errors import (
    INPUT_EMPTY,
    JSONL_BAD_FIELD,
    JSONL_BAD_LINE,
    JSONL_IGNORED_FIELD,
    JSONL_LINE_TOO_LONG,
    InputError,
)
from storyline.model import Article, ErrorRecord, Issue
from storyline.text.common import (
    STAGE,
    binary_error,
    check_date,
    decode,
    looks_binary,
    make_source,
    not_utf8,
    require_text,
)
from storyline.text.html import html_article

KNOWN_FIELDS = ("id", "text", "html", "published", "url", "title", "author")
#: The longest line read, in bytes (characters when the input is already
#: text); a longer line becomes an SL115 error record and the file goes on.
MAX_LINE_BYTES = 20 * 1024 * 1024
_OPTIONAL_STR = ("published", "url", "title", "author")
#: How much of a file is looked at to tell binary data from JSON lines.
_SNIFF_BYTES = 8192
_SKIP_CHUNK = 1 << 20
_HEAD = 256  # bytes kept of a line too long to read, to find its id
#: The id at the very start of a line too long to parse: ``{"id": "a1", ...``.
_LEADING_ID = re.compile(r'\A\s*\{\s*"id"\s*:\s*"([^"\\\x00-\x1f]{1,200})"')


class _TooLong:
    """A line over the size limit: its size and its first bytes, never the whole line."""

    __slots__ = ("head", "size")

    def __init__(self, size: int, head: bytes | str) -> None:
        self.size = size
        self.head = head


def read_jsonl(
    data: bytes | str | IO[bytes] | IO[str],
    *,
    path: str,
    published: str | None = None,
    max_line_bytes: int | None = None,
    line_offset: int = 0,
) -> Iterator[Article | ErrorRecord]:
    """Read every article of a JSONL file, in order.

    A ``.json`` file holding one object, or an array of objects, is read too
    (its items are then numbered instead of its lines).

    Args:
        data: the file's bytes (UTF-8), text already decoded, or an open
            binary (or text) stream, which is read a line at a time.
        path: the file's name, for ``source`` and messages.
        published: an ISO date that overrides each line's ``published``.
        max_line_bytes: the longest line read (default ``MAX_LINE_BYTES``);
            a longer one becomes an SL115 error record without being decoded.
        line_offset: the number of lines of the file before ``data``, when
            ``data`` is a piece of a JSONL file that starts at a line start
            (``storyline.run.cluster`` reads a large file in pieces): lines
            are numbered from ``line_offset + 1``, and the checks that concern
            the whole file (binary data near its start, a byte order mark, a
            file without any line) apply to its first piece only.

    Yields:
        One ``Article`` per good line and one ``ErrorRecord`` per bad line;
        blank lines are skipped. A file without any line yields one SL103
        error record, a file of binary data one SL113 error record.
    """
    limit = MAX_LINE_BYTES if max_line_bytes is None else max_line_bytes
    if not isinstance(data, (bytes, str)) and path.endswith(".json"):
        data = data.read()  # a JSON document is parsed whole anyway
    if isinstance(data, (bytes, str)):
        if not line_offset and looks_binary(data[:_SNIFF_BYTES]):
            yield _error(binary_error(path, "control characters such as NUL near its start"), path, {"line": 1})
            return
        whole = _whole_json(data) if path.endswith(".json") and not line_offset else None
        if whole is not None:
            for n, obj in enumerate(whole, start=1):
                where = f"{path}, item {n}"
                try:
                    yield article_from_object(obj, path=path, where=where, at={"item": n}, published=published)
                except InputError as exc:
                    yield _error(exc, path, {"item": n}, obj)
            return
        lines = _split(data, limit, bom=not line_offset)
    else:
        lines = _read_lines(data, limit)
    seen = False
    for n, raw in lines:
        n += line_offset
        if n == 1 and not seen and isinstance(raw, (bytes, str)) and looks_binary(raw[:_SNIFF_BYTES]):
            # a stream is sniffed by its first line (an in-memory file was sniffed above)
            yield _error(binary_error(path, "control characters such as NUL near its start"), path, {"line": 1})
            return
        where = f"{path}, line {n}"
        if isinstance(raw, _TooLong):
            seen = True
            yield _too_long(raw, path, n, limit)
            continue
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                seen = True
                yield _error(not_utf8(raw, where, exc), path, {"line": n})
                continue
        else:
            line = raw
        if not line.strip():
            continue
        seen = True
        try:
            yield parse_line(line, path=path, lineno=n, published=published)
        except InputError as exc:
            yield _error(exc, path, {"line": n}, line)
    if not seen and not line_offset:
        empty = InputError(f"{path}: the file holds no JSON lines; write one article a line", code=INPUT_EMPTY)
        yield _error(empty, path, {"line": 1})


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
    except (ValueError, RecursionError) as exc:  # nested too deeply, or a number too long to convert
        raise InputError(
            f"{where}: cannot be read as JSON ({type(exc).__name__}: {str(exc)[:120]}); keep the object flat "
            f'and its numbers short, e.g. {{"id": "a1", "text": "..."}}',
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


def _split(data: bytes | str, limit: int, *, bom: bool = True) -> Iterator[tuple[int, bytes | str | _TooLong]]:
    """Number the lines of an in-memory file, slicing out only those within the limit; ``bom``: skip a leading BOM."""
    newline: Any = b"\n" if isinstance(data, bytes) else "\n"
    cr: Any = b"\r" if isinstance(data, bytes) else "\r"
    pos = len(codecs.BOM_UTF8) if bom and isinstance(data, bytes) and data.startswith(codecs.BOM_UTF8) else 0
    if bom and isinstance(data, str) and data.startswith("\ufeff"):
        pos = 1
    n = 0
    while pos < len(data):
        end = data.find(newline, pos)
        if end < 0:
            end = len(data)
        n += 1
        if end - pos > limit:
            yield n, _TooLong(end - pos, data[pos : pos + _HEAD])
        else:
            yield n, data[pos:end].removesuffix(cr)
        pos = end + 1


def _read_lines(stream: IO[bytes] | IO[str], limit: int) -> Iterator[tuple[int, bytes | str | _TooLong]]:
    """Number the lines of a stream, reading at most ``limit`` + 1 bytes of any line at once."""
    n = 0
    while True:
        bom: Any = b"" if n else (codecs.BOM_UTF8 if isinstance(stream.read(0), bytes) else "\ufeff")
        raw: Any = stream.readline(limit + 1 + len(bom))
        if not raw:
            return
        n += 1
        if bom:
            raw = raw.removeprefix(bom)
        newline: Any = b"\n" if isinstance(raw, bytes) else "\n"
        ended = raw.endswith(newline)
        if ended:
            raw = raw[:-1]
        if len(raw) > limit:
            head, size = raw[:_HEAD], len(raw)
            while not ended:  # skip the rest of the line, keeping only its head
                more: Any = stream.readline(_SKIP_CHUNK if len(head) >= _HEAD else _HEAD - len(head))
                ended = not more or more.endswith(newline)
                if ended and more:
                    more = more[:-1]
                size += len(more)
                if len(head) < _HEAD:
                    head += more
            yield n, _TooLong(size, head)
            continue
        yield n, raw.removesuffix(b"\r" if isinstance(raw, bytes) else "\r")


def _whole_json(data: bytes | str) -> list[Any] | None:
    """Parse a ``.json`` file as one document; None when it is really JSONL."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        whole = json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    return whole if isinstance(whole, list) else [whole]


def _too_long(line: _TooLong, path: str, lineno: int, limit: int) -> ErrorRecord:
    unit = "bytes" if isinstance(line.head, bytes) else "characters"
    exc = InputError(
        f"{path}, line {lineno}: the line is {line.size:,} {unit}, over the limit of {limit:,} for one article "
        f"(storyline.text.jsonl.MAX_LINE_BYTES); it was skipped unread, the rest of the file goes on; "
        f"split the article into shorter ones, one a line",
        code=JSONL_LINE_TOO_LONG,
    )
    head = line.head.decode("utf-8", errors="replace") if isinstance(line.head, bytes) else line.head
    m = _LEADING_ID.match(head)
    return _error(exc, path, {"line": lineno}, {"id": m.group(1)} if m else None)


def _error(exc: InputError, path: str, at: dict[str, int], raw: Any = None) -> ErrorRecord:
    """An error record for one line or item; its id is the line's ``id`` when readable."""
    doc_id = f"{Path(path).stem}:{next(iter(at.values()))}"
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            raw = None
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
        doc_id = raw["id"]
    return ErrorRecord(doc_id, exc.stage, exc.code, exc.message, {"path": path, "format": "jsonl", **at})


def _kind(value: Any) -> str:
    """Name a JSON value's type the way a user writing JSON would."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false", int: "a number"}
    names[float] = "a number"
    return "null" if value is None else names.get(type(value), type(value).__name__)
