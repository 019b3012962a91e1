"""Helpers every reader shares: decoding, emptiness, dates, the ``source`` dict.

Offsets produced downstream index the decoded text: a leading UTF-8 byte
order mark is removed (and noted as an ``Issue``), line endings are kept
exactly as they are (``\\r\\n`` stays two characters), and a stray NUL is
replaced by U+FFFD, one code point for one, so no offset moves.

Decoding tries UTF-8 first. Bytes that are not UTF-8 are handed to
charset-normalizer; its guess is used, with an SL112 warning that names the
encoding, only when it is confident (little mess in the decoded text, a
recognisable language). Anything else is an error that says how to convert
the file (SL102), or that the input is binary data, not text (SL113).
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime
from typing import Any

from storyline.errors import (
    BAD_DATE,
    INPUT_BINARY,
    INPUT_BOM_STRIPPED,
    INPUT_DECODED_AS,
    INPUT_EMPTY,
    INPUT_NOT_UTF8,
    INPUT_NUL_REPLACED,
    InputError,
)
from storyline.model import Issue, text_sha256

STAGE = "ingest"

#: Input is binary data when its control characters (C0 controls other than
#: tab, line feed, vertical tab, form feed and carriage return; NUL above
#: all) are both more than ``BINARY_MIN_CONTROLS`` and more than
#: ``BINARY_CONTROL_SHARE`` of its bytes (or characters). Fewer are stray
#: characters in real text: NULs among them are replaced, the rest kept.
BINARY_MIN_CONTROLS = 8
BINARY_CONTROL_SHARE = 0.01
#: A charset-normalizer guess is used only when its decoded text is at most
#: this messy (charset-normalizer's ``chaos``, 0 to 1)...
DETECT_MAX_CHAOS = 0.1
#: ...and its letters fit some language at least this well (``coherence``,
#: 0 to 1; a short snippet such as "Café opened." scores 0 and is refused).
DETECT_MIN_COHERENCE = 0.2
#: Preferred when charset-normalizer rates it (nearly) as well as its first
#: choice: the usual legacy encoding of English and Western news (the WHATWG
#: Encoding Standard reads "latin-1" labels as windows-1252 too). Among
#: single-byte code pages charset-normalizer's own order is unreliable on
#: short texts (cp1250 or mac_latin2 for English with curly quotes).
PREFERRED_ENCODING = "cp1252"
_PREFER_SLACK = 0.05

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13))
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f]")
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 1 << 20


def decode(data: bytes | str, where: str) -> tuple[str, tuple[Issue, ...]]:
    """Decode one input to text: UTF-8, else a confidently detected encoding.

    Args:
        data: raw bytes, or text that is already decoded.
        where: the input's name for messages (a path, ``<stdin>``, ``file, line 3``).

    Returns:
        The text, and warnings: SL112 when it was decoded from a detected
        encoding, SL109 when a leading byte order mark was removed (offsets
        then index the text after it, one character short of the file),
        SL114 when NUL characters were replaced by U+FFFD (offsets unchanged).

    Raises:
        InputError: SL113 when the input looks like binary data, SL102 when
            the bytes are not UTF-8 and their encoding cannot be told with
            confidence, or when ``data`` holds an unpaired surrogate.
    """
    notes: list[Issue] = []
    if isinstance(data, bytes):
        if not data.startswith(_WIDE_BOMS):
            _refuse_binary(data, where)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if data.startswith(codecs.BOM_UTF8) or (not data.startswith(_WIDE_BOMS) and _mostly_utf8(data)):
                # A UTF-8 file with a few bad bytes: guessing another encoding would garble the rest.
                raise not_utf8(data, where, exc) from exc
            text, note = _detected(data, where, exc)
            notes.append(note)
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
        _refuse_binary(text, where)
    if text.startswith("\ufeff"):
        text = text[1:]
        notes.append(
            Issue(STAGE, INPUT_BOM_STRIPPED, f"{where}: removed a leading UTF-8 byte order mark; offsets index the text after it")
        )
    nuls = text.count("\x00")
    if nuls:
        first = text.index("\x00")
        text = text.replace("\x00", "\ufffd")
        notes.append(
            Issue(
                STAGE,
                INPUT_NUL_REPLACED,
                f"{where}: replaced {nuls} NUL character{'s' if nuls != 1 else ''} (the first at character {first}) "
                f"with U+FFFD, one for one, so offsets are unchanged; remove them from the source if they do not belong",
            )
        )
    return text, tuple(notes)


def not_utf8(data: bytes, where: str, exc: UnicodeDecodeError) -> InputError:
    """The SL102 error for bytes that are not UTF-8, naming the first bad byte and the fix."""
    bad = data[exc.start : exc.start + 1].hex()
    return InputError(
        f"{where}: not valid UTF-8 (byte 0x{bad} at offset {exc.start}); convert it to UTF-8, "
        f"e.g. `iconv -f windows-1252 -t utf-8 IN > OUT`, and run again",
        code=INPUT_NOT_UTF8,
    )


def looks_binary(data: bytes | str) -> bool:
    """Tell whether ``data`` holds too many control characters to be text (see ``BINARY_MIN_CONTROLS``)."""
    return _control_count(data) > max(BINARY_MIN_CONTROLS, len(data) * BINARY_CONTROL_SHARE)


def binary_error(where: str, why: str) -> InputError:
    """The SL113 error for an input that is not text."""
    return InputError(
        f"{where}: looks like binary data, not text ({why}); give the article as UTF-8 text, HTML or JSONL "
        f"(a UTF-16 text file without a byte order mark reads as binary: convert it with "
        f"`iconv -f utf-16 -t utf-8 IN > OUT`)",
        code=INPUT_BINARY,
    )


def _refuse_binary(data: bytes | str, where: str) -> None:
    if looks_binary(data):
        unit = "bytes" if isinstance(data, bytes) else "characters"
        why = f"{_control_count(data):,} control characters such as NUL in {len(data):,} {unit}"
        raise binary_error(where, why)


def _control_count(data: bytes | str) -> int:
    """Count control characters a chunk at a time, so a large input is never copied whole."""
    if isinstance(data, str):
        return len(_CONTROL_CHARS.findall(data))
    view = memoryview(data)
    total = 0
    for start in range(0, len(data), _CHUNK):
        chunk = bytes(view[start : start + _CHUNK])
        total += len(chunk) - len(chunk.translate(None, _CONTROL_BYTES))
    return total


def _mostly_utf8(data: bytes) -> bool:
    """True when well-formed multi-byte UTF-8 outnumbers the bad bytes: UTF-8 with a few stray bytes."""
    sample = data[: 4 * _CHUNK].decode("utf-8", errors="replace")
    return len(_NON_ASCII.findall(sample)) >= sample.count("\ufffd")


def _detected(data: bytes, where: str, exc: UnicodeDecodeError) -> tuple[str, Issue]:
    """Decode with charset-normalizer's guess, when it is confident."""
    from charset_normalizer import from_bytes

    try:
        matches = list(from_bytes(data))
    except Exception as err:  # a detector failure must not lose the batch; say so instead
        raise InputError(
            f"{where}: not valid UTF-8, and detecting its encoding failed ({type(err).__name__}: {err}); "
            f"convert it to UTF-8, e.g. `iconv -f windows-1252 -t utf-8 IN > OUT`",
            code=INPUT_NOT_UTF8,
        ) from exc
    if not matches:
        raise binary_error(where, "no text encoding fits its bytes") from exc
    best = matches[0]
    for match in matches:
        if (
            PREFERRED_ENCODING in (match.encoding, *match.could_be_from_charset)
            and match.chaos <= best.chaos + _PREFER_SLACK
            and match.coherence >= best.coherence - _PREFER_SLACK
        ):
            best, name = match, PREFERRED_ENCODING
            break
    else:
        name = best.encoding
    label = codecs.lookup(name).name
    if best.chaos > DETECT_MAX_CHAOS or best.coherence < DETECT_MIN_COHERENCE:
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            f"{where}: not valid UTF-8 (byte 0x{bad} at offset {exc.start}), and its encoding cannot be told "
            f"with confidence (best guess {label}); convert it to UTF-8, e.g. `iconv -f {label} -t utf-8 IN > OUT`, "
            f"and run again",
            code=INPUT_NOT_UTF8,
        ) from exc
    try:
        text = data.decode(name) if name == PREFERRED_ENCODING else str(best)
    except UnicodeDecodeError:  # cp1252 was only a near match: keep charset-normalizer's own decoding
        text, label = str(best), codecs.lookup(best.encoding).name
    note = Issue(
        STAGE,
        INPUT_DECODED_AS,
        f"{where}: not UTF-8; decoded as {label} (detected by charset-normalizer); check its accented letters "
        f"and quote marks, or convert it to UTF-8 first (`iconv -f {label} -t utf-8 IN > OUT`)",
    )
    return text, note


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
    source["sha256"] = text_sha256(text)
    source["format"] = fmt
    source.update(extra)
    return source
