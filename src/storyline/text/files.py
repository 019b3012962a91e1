"""Where articles come from: files, directories and stdin.

``read_inputs`` is the one entry point: it never raises for a bad input
(missing file, wrong encoding, broken JSONL line); each becomes an
``ErrorRecord`` in input order so a batch goes on. Offsets in every article
index its ``text``: the decoded file for plain text (BOM removed, CRLF kept),
the extracted main text for HTML, the ``text`` field for JSONL.

A file ending in ``.gz`` (``a.txt.gz``, ``a.html.gz``, ``a.jsonl.gz``) is read
through gzip and then exactly as the file without ``.gz`` would be; offsets
index the decompressed, decoded text. Decompression streams and stops at
``MAX_GZIP_BYTES``, so a small file that inflates to gigabytes (a "gzip bomb")
becomes an error record instead of filling memory.

A WARC file (``.warc``, ``.warc.gz``) is streamed record by record by
``storyline.ingest.warc``: each HTML page fetched with status 200 is an
article, read as an HTML file is; offsets index its extracted main text.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from storyline.errors import GZIP_BROKEN, GZIP_TOO_LARGE, INPUT_EMPTY, INPUT_NOT_FOUND, INPUT_UNREADABLE, InputError
from storyline.model import Article, ErrorRecord
from storyline.text.common import check_date
from storyline.text.html import read_html
from storyline.text.jsonl import read_jsonl
from storyline.text.plain import read_text
from storyline.text.warc import count_warc_pages, read_warc, read_warc_file

#: File name endings read from directories, and the format each one means.
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".warc": "warc",
}
#: The endings read from directories under ``.gz`` (``a.txt.gz``). Not ``.json``: a
#: gzipped ``.json`` given by name is read one object a line, as JSONL.
GZIP_EXTENSIONS = tuple(ext for ext in EXTENSIONS if ext != ".json")
GZIP_SUFFIX = ".gz"
#: The most bytes a ``.gz`` input may decompress to (100 MB); more is an SL121 error record.
MAX_GZIP_BYTES = 100_000_000
STDIN = "-"
STDIN_NAME = "<stdin>"

# Decompress this much at a time: gzip's buffers take a few times this beyond the text read so far.
_GZIP_CHUNK = 1 << 16
_COUNT_BLOCK = 1 << 20


def read_inputs(
    paths: Iterable[str | os.PathLike[str]], *, published: str | None = None
) -> Iterator[Article | ErrorRecord]:
    """Read articles from files, directories and stdin, in the order given.

    Args:
        paths: files; directories (read recursively in sorted order, files
            ending in .txt .text .md .html .htm .jsonl .json .warc, and those
            but .json followed by .gz, hidden ones skipped); or ``-`` for
            stdin (JSONL when it starts with ``{``, HTML with ``<``, WARC with
            ``WARC/``, plain text otherwise). A ``.gz`` file is decompressed
            (at most ``MAX_GZIP_BYTES``) and read as the file without ``.gz``;
            its doc_id is the name without both suffixes (``a.txt.gz`` ->
            ``a``). A ``.warc`` or ``.warc.gz`` file gives one article per
            HTML page in it (see ``storyline.ingest.warc``), streamed.
        published: an ISO date (or datetime) that overrides every input's own
            date (text header, page metadata, JSONL field).

    Returns:
        An iterator of ``Article`` (offsets index ``Article.text``) and
        ``ErrorRecord`` (one per input that could not be read).

    Raises:
        InputError: (SL108) at once when ``published`` is not an ISO date.
    """
    if published is not None:
        published = check_date(published, "published date")
    return _iter_inputs([os.fspath(p) for p in paths], published)


def count_inputs(paths: Iterable[str | os.PathLike[str]]) -> int | None:
    """About how many items ``read_inputs(paths)`` will yield, cheaply: for a progress bar's total.

    A text or HTML file counts one; a JSONL file its lines (a
    ``.gz`` one is decompressed, streaming, to count them); a WARC file its
    200 HTML responses; a missing path or an empty directory one (its error
    record). Nothing is decoded or extracted.

    Args:
        paths: as for ``read_inputs``.

    Returns:
        The count, or None when it cannot be known without reading the
        input itself (stdin).
    """
    total = 0
    for name in (os.fspath(p) for p in paths):
        if name == STDIN:
            return None
        path = Path(name)
        if path.is_dir():
            total += sum(_count_file(file) for file in walk_folder(path)) or 1
        else:
            total += _count_file(path)
    return total


def _count_file(path: Path) -> int:
    fmt = format_of(path)
    if fmt == "warc":
        return count_warc_pages(path)
    if fmt != "jsonl":
        return 1
    lines, last = 0, b"\n"
    try:
        with (gzip.open(path, "rb") if is_gzip(path) else path.open("rb")) as stream:
            # newlines counted a block at a time: a line may be far longer than memory should hold
            while block := stream.read(_COUNT_BLOCK):
                lines += block.count(b"\n")
                last = block[-1:]
    except (OSError, EOFError, zlib.error):
        return lines + 1
    return (lines + (last != b"\n")) or 1


def _iter_inputs(paths: list[str], published: str | None) -> Iterator[Article | ErrorRecord]:
    for name in paths:
        if name == STDIN:
            yield from _read_stdin(published)
            continue
        path = Path(name)
        if path.is_dir():
            files = walk_folder(path)
            if not files:
                yield _failure(
                    InputError(
                        f"{name}: the directory holds no {'/'.join(sorted(EXTENSIONS))} files (plain or .gz); "
                        f"point at the articles themselves or their folder",
                        code=INPUT_EMPTY,
                    ),
                    path,
                    "text",
                )
            for file in files:
                yield from _read_file(file, published)
        elif path.exists():
            yield from _read_file(path, published)
        else:
            missing = InputError(
                f"{name}: no such file or directory; check the path (directories are read recursively, "
                f"`-` reads stdin)",
                code=INPUT_NOT_FOUND,
            )
            yield _failure(missing, path, format_of(path) or "text")


def walk_folder(folder: Path) -> list[Path]:
    """Every readable file below ``folder``, sorted, hidden files and folders skipped."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            path = Path(root, file)
            if not file.startswith(".") and _wanted(path):
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _wanted(path: Path) -> bool:
    """Whether a directory walk reads this file: a known ending, or one of GZIP_EXTENSIONS plus .gz."""
    if is_gzip(path):
        return path.with_suffix("").suffix.lower() in GZIP_EXTENSIONS
    return path.suffix.lower() in EXTENSIONS


def is_gzip(path: Path) -> bool:
    """Whether ``path`` names a gzip file (``.gz``), read decompressed."""
    return path.suffix.lower() == GZIP_SUFFIX


def _inner(path: Path) -> Path:
    """The name the file has once decompressed: ``a.txt.gz`` -> ``a.txt``; others as they are."""
    return path.with_suffix("") if is_gzip(path) else path


def format_of(path: Path) -> str | None:
    """The input format a file's ending names (``text``, ``html``, ``jsonl``, ``warc``), ``.gz`` looked through; None when unknown."""
    return EXTENSIONS.get(_inner(path).suffix.lower())


def doc_id_of(path: Path) -> str:
    """The file's stem, without ``.gz`` as well: ``news/a.txt.gz`` -> ``a``."""
    return _inner(path).stem or path.stem or str(path)


def _sniff(data: bytes | str) -> str:
    """Guess the format from the first non-space character: ``{`` JSONL, ``<`` HTML, else text (``WARC/`` WARC)."""
    if isinstance(data, bytes) and data.startswith(b"WARC/"):
        return "warc"
    if isinstance(data, bytes):
        first = data.lstrip(b"\xef\xbb\xbf").lstrip()[:1].decode("latin-1")
    else:
        first = data.lstrip("\ufeff").lstrip()[:1]
    return {"{": "jsonl", "<": "html"}.get(first, "text")


def _read_file(path: Path, published: str | None) -> Iterator[Article | ErrorRecord]:
    if format_of(path) == "warc":  # streamed record by record, never read whole (crawls run to gigabytes)
        yield from read_warc_file(path, name=doc_id_of(path), published=published)
        return
    try:
        data = _read_gzip(path) if is_gzip(path) else path.read_bytes()
    except InputError as exc:
        yield _failure(exc, path, format_of(path) or "text")
        return
    except OSError as exc:
        unreadable = InputError(
            f"{path}: cannot be read ({exc.strerror or exc}); check its permissions",
            code=INPUT_UNREADABLE,
        )
        yield _failure(unreadable, path, format_of(path) or "text")
        return
    fmt = format_of(path) or _sniff(data)
    yield from _read(data, fmt, doc_id=doc_id_of(path), where=str(path), published=published)


def _read_gzip(path: Path) -> bytes:
    """Decompress a ``.gz`` file, streaming, refusing more than ``MAX_GZIP_BYTES``.

    Raises:
        OSError: when the file cannot be opened (the caller's SL111).
        InputError: SL121 past the cap (nothing past it is ever decompressed),
            SL122 when the file is not gzip or is cut short.
    """
    cap = MAX_GZIP_BYTES  # read at call time, so a test (or an embedding app) can lower it
    chunks: list[bytes] = []
    size = 0
    with path.open("rb") as raw:
        try:
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                # Never ask for more than one byte past the cap: read(n) may allocate n up front.
                while size <= cap and (chunk := stream.read(min(_GZIP_CHUNK, cap + 1 - size))):
                    chunks.append(chunk)
                    size += len(chunk)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise InputError(
                f"{path}: not a readable gzip file ({exc}); check that it was fully copied, "
                f"e.g. `gzip -t {path}`, or drop the .gz ending if it is not compressed",
                code=GZIP_BROKEN,
            ) from exc
    if size > cap:
        raise InputError(
            f"{path}: decompresses to more than {cap:,} bytes, the cap on gzip input "
            f"(storyline.ingest.files.MAX_GZIP_BYTES), so it was not read; if it is a genuine "
            f"article file, decompress it yourself (`gunzip -k {path}`) or split it, and give the "
            f"plain files, which have no cap",
            code=GZIP_TOO_LARGE,
        )
    return b"".join(chunks)


def _read_stdin(published: str | None) -> Iterator[Article | ErrorRecord]:
    # Read bytes where we can, so CRLF and a BOM reach the decoder untouched.
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    data: bytes | str = stream.read()
    yield from _read(data, _sniff(data), doc_id="stdin", where=STDIN_NAME, published=published)


def _read(
    data: bytes | str, fmt: str, *, doc_id: str, where: str, published: str | None
) -> Iterator[Article | ErrorRecord]:
    if fmt == "jsonl":
        yield from read_jsonl(data, path=where, published=published)
        return
    if fmt == "warc" and isinstance(data, bytes):
        yield from read_warc(io.BytesIO(data), path=where, name=doc_id, published=published)
        return
    reader = read_html if fmt == "html" else read_text
    try:
        yield reader(data, doc_id=doc_id, path=where, published=published)
    except InputError as exc:
        yield ErrorRecord(doc_id, exc.stage, exc.code, exc.message, {"path": where, "format": fmt})


def _failure(exc: InputError, path: Path, fmt: str) -> ErrorRecord:
    return ErrorRecord(doc_id_of(path), exc.stage, exc.code, exc.message, {"path": str(path), "format": fmt})
