"""The ``storyline`` command: thin wrappers over library functions.

This is the only module that prints, exits, or turns a ``StorylineError``
into a ``click.ClickException`` (exit status 1, the code in the message).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

import click

from . import __version__
from .errors import StorylineError
from .ingest import read_inputs
from .model import ErrorRecord, Record
from .pipeline import process_batch
from .render import render_error, render_table


@click.group()
@click.version_option(__version__, prog_name="storyline")
def main() -> None:
    """Turn news articles into attributed, time-anchored records."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "-o",
    "--output",
    default="-",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write here instead of stdout.",
)
@click.option("--published", metavar="DATE", help="ISO publication date for every input, e.g. 2025-01-28.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one record a line; table: for reading.",
)
@click.option("--strict", is_flag=True, help="Stop at the first input that fails (exit status 1).")
def extract(paths: tuple[str, ...], output: str, published: str | None, fmt: str, strict: bool) -> None:
    """Extract quotes and entities from articles.

    PATHS are text, HTML or JSONL files, directories (read recursively), or
    `-` for stdin. Every input gives one record, or an error record when it
    cannot be processed; the run goes on, prints counts to stderr and exits
    with status 1 when anything failed.
    """
    try:
        items = read_inputs(paths, published=published)
        with click.open_file(output, "w", encoding="utf-8") as out:
            # A table on stdout already shows each failure; elsewhere, name them on stderr too.
            echo_failures = fmt != "table" or output != "-"
            ok, failed = _write_all(process_batch(items), out, fmt, strict=strict, echo_failures=echo_failures)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(_counts(ok, failed), err=True)
    if failed:
        click.get_current_context().exit(1)


def _write_all(
    records: Iterable[Record | ErrorRecord], out: IO[str], fmt: str, *, strict: bool, echo_failures: bool
) -> tuple[int, int]:
    """Write each record as it comes; return (ok, failed) counts."""
    ok = failed = 0
    for record in records:
        if fmt == "table":
            out.write(render_table(record) + "\n\n")
        else:
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        out.flush()
        if isinstance(record, ErrorRecord):
            failed += 1
            if echo_failures:
                click.echo(render_error(record), err=True)
            if strict:
                raise click.ClickException(
                    f"{record.code}: stopped at the first failure (--strict); {_counts(ok, failed)}; "
                    f"drop --strict to process the rest and keep an error record for each failure"
                )
        else:
            ok += 1
    return ok, failed


def _counts(ok: int, failed: int) -> str:
    total = ok + failed
    return f"{total} article{'s' if total != 1 else ''}, {ok} ok, {failed} failed"
