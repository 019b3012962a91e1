"""WARC input: every HTML page a crawl fetched becomes an article.

A WARC file (``.warc``, or ``.warc.gz`` with one gzip member per record) is
read with warcio, streaming, one record at a time. Each ``response`` record
whose HTTP status is 200 and whose ``Content-Type`` is HTML goes through the
HTML path (``html.html_article``: trafilatura's main text, title, author,
date); offsets index that extracted text, as for an ``.html`` file. Every
other record (requests, metadata, revisits, redirects, images, ...) is not an
article and is skipped; the counts are logged at debug level.

Ids and sources:

- ``doc_id`` is the target URI made readable (host and path, lowercase,
  runs of other characters turned into ``-``, at most 60 characters) plus
  the first 10 hex digits of the sha256 of the record's ``WARC-Record-ID``:
  stable across runs over the same file (so ``--resume`` works) and
  distinct for two captures of the same URL.
- ``source`` holds ``path`` (the WARC file), ``url`` (``WARC-Target-URI``),
  ``sha256``, ``format`` ``warc``, ``warc_record_id``, ``warc_date`` and
  ``warc_offset`` (the record's byte offset in the file, as ``warcio index``
  reports it).
- ``published`` is the page's own date (trafilatura's reading of its
  metadata) or ``--published``. The crawl date (``WARC-Date``) is **not**
  used as the publication date: a page crawled today may have been
  published years ago, and a wrong anchor silently misdates every relative
  time expression ("last Friday"). It is kept in ``source["warc_date"]``.

Damage is never silent: a record whose payload is cut short (a truncated
file) or a file whose framing breaks becomes an SL141 error record after
the articles read so far, and reading that file stops there (the batch goes
on); a record whose WARC digest does not match is an SL141 error record and
the next records are still read; a payload over ``MAX_WARC_RECORD_BYTES``
is an SL142 error record. A WARC holding no HTML page at all is an SL103
error record, so it is not dropped without a trace.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from storyline.errors import INPUT_EMPTY, INPUT_UNREADABLE, WARC_BROKEN, WARC_RECORD_TOO_LARGE, InputError
from storyline.model import Article, ErrorRecord
from storyline.text.common import decode
from storyline.text.html import html_article

__all__ = ["HTML_TYPES", "MAX_WARC_RECORD_BYTES", "count_warc_pages", "read_warc", "read_warc_file", "warc_doc_id"]

#: ``Content-Type`` values (before any ``;``) read as HTML pages.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: The most bytes one record's payload may hold once decoded (100 MB); more is an SL142 error record.
MAX_WARC_RECORD_BYTES = 100_000_000
FORMAT = "warc"

_log = logging.getLogger(__name__)
_CHUNK = 1 << 16
_SLUG_LENGTH = 60


def warc_doc_id(uri: str, record_id: str) -> str:
    """The doc_id of one WARC record: a readable slug of ``uri`` plus a hash of ``record_id``.

    Args:
        uri: the record's ``WARC-Target-URI``.
        record_id: its ``WARC-Record-ID`` (unique per record), or any other
            unique key of the record when it has none.

    Returns:
        e.g. ``example-com-news-ferry-returns-3f2a9c1b0d``.
    """
    parts = urlsplit(uri)
    readable = f"{parts.netloc}{parts.path}" if parts.netloc else uri
    slug = re.sub(r"[^a-z0-9]+", "-", readable.lower()).strip("-")[:_SLUG_LENGTH].strip("-") or "page"
    return f"{slug}-{hashlib.sha256(record_id.encode('utf-8')).hexdigest()[:10]}"


def read_warc_file(path: Path, *, name: str, published: str | None = None) -> Iterator[Article | ErrorRecord]:
    """Read the HTML pages of one WARC file (``.warc`` or ``.warc.gz``), streaming.

    Args:
        path: the file.
        name: the doc_id of an error record that concerns the whole file
            (the file name without ``.warc.gz``).
        published: an ISO date that overrides every page's date.

    Yields:
        An ``Article`` per HTML page (offsets index its extracted main
        text), and ``ErrorRecord`` as the module docstring says.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield _file_error(name, str(path), f"{path}: cannot be read ({exc.strerror or exc}); check its permissions",
                          INPUT_UNREADABLE)
        return
    with handle:
        yield from read_warc(handle, path=str(path), name=name, published=published)


def read_warc(
    stream: IO[bytes], *, path: str, name: str, published: str | None = None
) -> Iterator[Article | ErrorRecord]:
    """Read the HTML pages of a WARC stream (gzipped per record or not), one record at a time.

    Args:
        stream: the WARC bytes.
        path: where they came from, for ``source`` and messages.
        name: the doc_id of an error record that concerns the whole stream.
        published: an ISO date that overrides every page's date.

    Yields:
        An ``Article`` per 200 HTML ``response`` record (offsets index its
        extracted main text, half-open), and ``ErrorRecord`` for a page that
        cannot be read (SL107, SL102, ...), damage (SL141), a payload too
        large (SL142), or a stream with no HTML page (SL103).
    """
    from warcio.archiveiterator import ArchiveIterator

    skipped: Counter[str] = Counter()
    pages = 0
    end: int | None = 0  # where the last complete record ends, None when unknown
    records = ArchiveIterator(stream, check_digests=True)
    while True:
        try:
            record = next(records, None)
            if record is not None and record.format != "warc":
                raise ValueError(f"not a WARC record (read as {record.format.upper()})")
        except Exception as exc:  # ArchiveLoadFailed, zlib.error, EOFError, ...: the framing is broken
            yield _broken(name, path, end, pages, exc)
            return
        if record is None:
            break
        kind = _page_kind(record)
        if kind is not None:
            skipped[kind] += 1
        else:
            pages += 1
            item, go_on = _read_page(record, records, path, published)
            yield item
            if not go_on:
                return
        end = _end(records)
    tail = _trailing(stream, end)
    if tail:
        # warcio ends quietly at a last gzip member cut short: the bytes after the last record tell
        yield _broken(name, path, end, pages, ValueError(tail))
        return
    if skipped:
        _log.debug("%s: skipped %d WARC records that are not 200 HTML responses (%s)", path, sum(skipped.values()),
                    ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items())))
    if not pages:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items())) or "no records"
        yield _file_error(
            name, path,
            f"{path}: the WARC file holds no HTML page (no `response` record with status 200 and an HTML "
            f"Content-Type; found {kinds}); give the crawl that fetched the articles, or their HTML files",
            INPUT_EMPTY,
        )


def count_warc_pages(path: Path) -> int:
    """How many records ``read_warc_file`` will yield for ``path``, or about (a progress bar's total).

    Never raises: damage counts as one more record, an unreadable file as one.
    """
    from warcio.archiveiterator import ArchiveIterator

    pages = 0
    try:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                pages += _page_kind(record) is None
    except Exception:
        return pages + 1
    return pages or 1


def _page_kind(record: Any) -> str | None:
    """None for a 200 HTML response (an article); otherwise what the record is, for the skip counts."""
    if record.rec_type != "response":
        return f"{record.rec_type} records"
    headers = record.http_headers
    if headers is None:
        return "non-HTTP responses"
    status = headers.get_statuscode()
    if status != "200":
        return f"status {status}"
    content_type = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in HTML_TYPES:
        return f"{content_type or 'untyped'} responses"
    return None


def _read_page(record: Any, records: Any, path: str, published: str | None) -> tuple[Article | ErrorRecord, bool]:
    """One HTML response as an article or error record, and whether the records after it can still be read."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    crawled = record.rec_headers.get_header("WARC-Date")
    try:
        payload: bytes | InputError | Exception = _payload(record, f"{path} ({uri or 'no target URI'})")
    except Exception as exc:  # InputError past the cap; a gzip member or chunked body that breaks mid-record
        payload = exc
    # the offset only once the payload is read: warcio finds it by reading the record to its end
    offset = _offset(records)
    record_id = record.rec_headers.get_header("WARC-Record-ID") or f"{uri}@{offset}"
    doc_id = warc_doc_id(uri, record_id)
    where = f"{path} (WARC record at byte {offset}, {uri or 'no target URI'})"
    source = {"path": path, "url": uri, "format": FORMAT, "warc_record_id": record_id, "warc_date": crawled,
              "warc_offset": offset}
    if isinstance(payload, InputError):
        return ErrorRecord(doc_id, payload.stage, payload.code, payload.message, source), True
    if isinstance(payload, Exception):
        return _damaged(doc_id, source, where, f"{type(payload).__name__}: {payload}"), False
    if getattr(record.raw_stream, "limit", 0) > 0:
        return _damaged(doc_id, source, where, "the file ends inside this record"), False
    checker = getattr(record, "digest_checker", None)
    if checker is not None and checker.passed is False:
        problems = "; ".join(checker.problems) or "digest mismatch"
        return _damaged(doc_id, source, where, f"its WARC digest does not match ({problems})"), True
    try:
        html, warnings = decode(_with_charset(payload, record.http_headers.get_header("Content-Type")), where)
        article = html_article(
            html, doc_id=doc_id, path=path, where=where, published=published, url=uri or None, fmt=FORMAT,
            warnings=warnings, warc_record_id=record_id, warc_date=crawled, warc_offset=offset,
        )
    except InputError as exc:
        return ErrorRecord(doc_id, exc.stage, exc.code, exc.message, source), True
    return article, True


def _offset(records: Any) -> int | None:
    try:
        offset = records.get_record_offset()
    except Exception:  # the record's end cannot be read: the damage is reported from the payload
        return None
    return offset if isinstance(offset, int) else None


def _payload(record: Any, where: str) -> bytes:
    """The HTTP body, decoded from chunked and gzip/deflate transfer, at most ``MAX_WARC_RECORD_BYTES``.

    Raises:
        InputError: (SL142) past the cap; nothing past it is read into memory.
    """
    cap = MAX_WARC_RECORD_BYTES  # read at call time, so a test can lower it
    stream = record.content_stream()
    chunks: list[bytes] = []
    size = 0
    while size <= cap and (chunk := stream.read(min(_CHUNK, cap + 1 - size))):
        chunks.append(chunk)
        size += len(chunk)
    if size > cap:
        raise InputError(
            f"{where}: the page is more than {cap:,} bytes once decoded, the cap on one WARC record "
            f"(storyline.ingest.warc.MAX_WARC_RECORD_BYTES), so it was not read; extract it from the WARC "
            f"(`warcio extract`) and give it as an HTML file if it is a genuine article",
            code=WARC_RECORD_TOO_LARGE,
        )
    # read what is left of the record (an encoded body's trailer), so a cut-short file shows in raw_stream.limit
    while record.raw_stream.read(_CHUNK):
        pass
    return b"".join(chunks)


def _with_charset(payload: bytes, content_type: str | None) -> bytes | str:
    """Decode with the charset the HTTP header declares when the bytes are not UTF-8; else leave them to ``decode``."""
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    if not match:
        return payload
    try:
        payload.decode("utf-8")
        return payload
    except UnicodeDecodeError:
        pass
    try:
        codecs.lookup(match.group(1))
        return payload.decode(match.group(1))
    except (LookupError, UnicodeDecodeError):
        return payload  # a wrong or unknown label: let decode() detect the encoding, or say it cannot


def _damaged(doc_id: str, source: dict[str, Any], where: str, why: str) -> ErrorRecord:
    return ErrorRecord(
        doc_id, "ingest", WARC_BROKEN,
        f"{where}: the WARC record is damaged ({why}); the records before it were read; check that the file "
        f"was fully copied (`gzip -t` for .warc.gz) or fetch it again",
        source,
    )


def _end(records: Any) -> int | None:
    """Where the current record ends in the file (its gzip member, for .warc.gz), or None."""
    try:
        offset, length = records.get_record_offset(), records.get_record_length()
    except Exception:
        return None
    return offset + length if isinstance(offset, int) and isinstance(length, int) else None


def _trailing(stream: IO[bytes], end: int | None) -> str | None:
    """What is wrong with the bytes after the last complete record (only blank lines may follow it), or None."""
    if end is None:
        return None
    try:
        size = stream.seek(0, 2)
        if size <= end:
            return None
        stream.seek(end)
        rest = stream.read(_CHUNK)
    except (OSError, ValueError, AttributeError):  # not seekable: nothing to compare with
        return None
    if len(rest) < _CHUNK and not rest.strip():
        return None
    return f"{size - end:,} bytes after the last complete record are not a complete record"


def _broken(name: str, path: str, end: int | None, pages: int, exc: Exception) -> ErrorRecord:
    at = f" after byte {end}" if end else ""
    # warcio quotes the bytes it could not parse: keep the message readable
    detail = re.sub(r"[^\x20-\x7e]+", "?", str(exc).strip().split("\n")[0])[:120]
    read = f"the {pages} HTML page{'s' if pages != 1 else ''} before it {'were' if pages != 1 else 'was'} read"
    return _file_error(
        name, path,
        f"{path}: the WARC file is damaged or cut short{at} ({type(exc).__name__}: {detail}); {read} and the rest "
        f"of the file was not; check that it was fully copied (`gzip -t` for .warc.gz) or fetch it again",
        WARC_BROKEN,
    )


def _file_error(name: str, path: str, message: str, code: str) -> ErrorRecord:
    return ErrorRecord(name, "ingest", code, message, {"path": path, "format": FORMAT})
