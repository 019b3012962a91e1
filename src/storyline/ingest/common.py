"""Helpers every reader shares: decoding, emptiness, dates, the ``source`` dict.

Offsets produced downstream index the decoded text: a leading UTF-8 byte
order mark is removed (and noted as an ``Issue``), line endings are kept
exactly as they are (``\\r\\n`` stays two characters).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from datetime import date, datetime
from typing import Any

from ..errors import BAD_DATE, INPUT_BOM_STRIPPED, INPUT_EMPTY, INPUT_NOT_UTF8, InputError
from ..model import Issue

STAGE = "ingest"

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def decode(data: bytes | str, where: str) -> tuple[str, tuple[Issue, ...]]:
    """Decode input bytes as UTF-8 and drop a leading byte order mark.

    Args:
        data: raw bytes, or text that is already decoded.
        where: the input's name for messages (a path, ``<stdin>``, ``file, line 3``).

    Returns:
        The text, and a warning when a byte order mark was removed (offsets
        then index the text after it, one character short of the file).

    Raises:
        InputError: (SL102) when the bytes are not valid UTF-8.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = data[exc.start : exc.start + 1].hex()
            raise InputError(
                f"{where}: not valid UTF-8 (byte 0x{bad} at offset {exc.start}); convert it to UTF-8, "
                f"e.g. `iconv -f windows-1252 -t utf-8 IN > OUT`, and run again",
                code=INPUT_NOT_UTF8,
            ) from exc
    else:
        text = data
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(
                f"{where}: holds an unpaired surrogate at character {exc.start} (e.g. a lone \\ud800 escape "
                f"in JSON), which is not valid Unicode; fix or remove that character",
                code=INPUT_NOT_UTF8,
            ) from exc
    if text.startswith(codecs.BOM_UTF8.decode("utf-8")):
        note = Issue(
            STAGE,
            INPUT_BOM_STRIPPED,
            f"{where}: removed a leading UTF-8 byte order mark; offsets index the text after it",
        )
        return text[1:], (note,)
    return text, ()


def require_text(text: str, where: str) -> None:
    """Refuse empty or whitespace-only input.

    Raises:
        InputError: (SL103) when ``text`` holds nothing but whitespace.
    """
    if not text.strip():
        raise InputError(
            f"{where}: the input is empty or only whitespace; give it the article text, or leave it out of the batch",
            code=INPUT_EMPTY,
        )


def check_date(value: str, where: str = "published") -> str:
    """Validate an ISO 8601 publication date or datetime.

    Args:
        value: ``YYYY-MM-DD`` or a full ISO datetime (``2025-01-28T09:30:00+00:00``).
        where: what the value came from, for the message.

    Returns:
        The value with surrounding whitespace removed.

    Raises:
        InputError: (SL108) when the value is not such a date.
    """
    clean = value.strip()
    try:
        if _ISO_DAY.fullmatch(clean):
            date.fromisoformat(clean)
        elif _ISO_DAY.match(clean) and clean[10:11] in ("T", " ") and len(clean) > 12:
            datetime.fromisoformat(clean)
        else:
            raise ValueError(clean)
    except ValueError as exc:
        raise InputError(
            f"{where}: {value!r} is not an ISO date; use YYYY-MM-DD (e.g. 2025-01-28) "
            f"or a full ISO datetime (e.g. 2025-01-28T09:30:00+00:00)",
            code=BAD_DATE,
        ) from exc
    return clean


def make_source(path: str, text: str, fmt: str, *, url: str | None = None, **extra: Any) -> dict[str, Any]:
    """Build an article's ``source`` dict.

    ``sha256`` is the hex digest of ``text`` encoded as UTF-8: the decoded
    text after BOM removal for plain text, the extracted main text for HTML,
    so it always identifies what ``Article.text`` holds.
    """
    source: dict[str, Any] = {"path": path}
    if url:
        source["url"] = url
    source["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source["format"] = fmt
    source.update(extra)
    return source
