"""Click options the commands share, defined once so their names, defaults and help agree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def db_option(help: str) -> Decorator:
    """``--db``: the SQLite store, ``storyline.db`` by default; ``help`` says what the command does with it."""
    return click.option(
        "--db",
        default="storyline.db",
        show_default=True,
        type=click.Path(dir_okay=False),
        help=help,
    )


def format_option(choices: tuple[str, ...], help: str) -> Decorator:
    """``--format`` (stored as ``fmt``): one of ``choices``, the first by default."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=choices[0], show_default=True, help=help
    )


published_option: Decorator = click.option(
    "--published", metavar="DATE", help="ISO publication date for every input, e.g. 2025-01-28."
)
strict_option: Decorator = click.option("--strict", is_flag=True, help="Stop at the first input that fails (exit status 1).")
workers_option: Decorator = click.option(
    "--workers",
    default=1,
    show_default=True,
    metavar="N",
    type=click.IntRange(min=0),
    help="Extract in N worker processes (0: one per CPU); output order and records are the same as with 1.",
)
progress_option: Decorator = click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar with rate and ETA on stderr [default: when stderr is a terminal].",
)
