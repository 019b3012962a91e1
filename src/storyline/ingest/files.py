"""Where articles come from: files, directories and stdin.

``read_inputs`` is the one entry point: it never raises for a bad input
(missing file, wrong encoding, broken JSONL line); each becomes an
``ErrorRecord`` in input order so a batch goes on. Offsets in every article
index its ``text``: the decoded file for plain text (BOM removed, CRLF kept),
the extracted main text for HTML, the ``text`` field for JSONL.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import INPUT_EMPTY, INPUT_NOT_FOUND, INPUT_UNREADABLE, InputError
from ..model import Article, ErrorRecord
from .common import check_date
from .html import read_html
from .jsonl import read_jsonl
from .text import read_text

#: File name endings read from directories, and the format each one means.
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json": "jsonl",
}
STDIN = "-"
STDIN_NAME = "<stdin>"


def read_inputs(
    paths: Iterable[str | os.PathLike[str]], *, published: str | None = None
) -> Iterator[Article | ErrorRecord]:
    """Read articles from files, directories and stdin, in the order given.

    Args:
        paths: files; directories (read recursively in sorted order, files
            ending in .txt .text .md .html .htm .jsonl .json, hidden ones
            skipped); or ``-`` for stdin (JSONL when it starts with ``{``,
            HTML with ``<``, plain text otherwise).
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


def _iter_inputs(paths: list[str], published: str | None) -> Iterator[Article | ErrorRecord]:
    for name in paths:
        if name == STDIN:
            yield from _read_stdin(published)
            continue
        path = Path(name)
        if path.is_dir():
            files = _walk(path)
            if not files:
                yield _failure(
                    InputError(
                        f"{name}: the directory holds no {'/'.join(sorted(EXTENSIONS))} files; "
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
            yield _failure(missing, path, _format_of(path) or "text")


def _walk(folder: Path) -> list[Path]:
    """Every readable file below ``folder``, sorted, hidden files and folders skipped."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            path = Path(root, file)
            if not file.startswith(".") and path.suffix.lower() in EXTENSIONS:
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _format_of(path: Path) -> str | None:
    return EXTENSIONS.get(path.suffix.lower())


def _sniff(data: bytes | str) -> str:
    """Guess the format from the first non-space character: ``{`` JSONL, ``<`` HTML, else text."""
    if isinstance(data, bytes):
        first = data.lstrip(b"\xef\xbb\xbf").lstrip()[:1].decode("latin-1")
    else:
        first = data.lstrip("\ufeff").lstrip()[:1]
    return {"{": "jsonl", "<": "html"}.get(first, "text")


def _read_file(path: Path, published: str | None) -> Iterator[Article | ErrorRecord]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        unreadable = InputError(
            f"{path}: cannot be read ({exc.strerror or exc}); check its permissions",
            code=INPUT_UNREADABLE,
        )
        yield _failure(unreadable, path, _format_of(path) or "text")
        return
    fmt = _format_of(path) or _sniff(data)
    yield from _read(data, fmt, doc_id=path.stem, where=str(path), published=published)


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
    reader = read_html if fmt == "html" else read_text
    try:
        yield reader(data, doc_id=doc_id, path=where, published=published)
    except InputError as exc:
        yield ErrorRecord(doc_id, exc.stage, exc.code, exc.message, {"path": where, "format": fmt})


def _failure(exc: InputError, path: Path, fmt: str) -> ErrorRecord:
    return ErrorRecord(path.stem or str(path), exc.stage, exc.code, exc.message, {"path": str(path), "format": fmt})
