"""``storyline extract --dask``: the options, and the run over ``storyline.run.cluster``.

A thin wrapper, like ``storyline.cli``: it checks the options, prints each
failure and the counts, and exits with status 1 when anything failed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click

from storyline.cli.tables import render_error
from storyline.errors import StorylineError

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

#: The options ``extract`` takes for a cluster; none of them is allowed without ``--dask``.
SHARD_OPTIONS = ("shard_size", "partitions", "shard_format")


def dask_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--dask``, ``--shard-size``, ``--partitions`` and ``--shard-format`` to a command."""
    for option in reversed((
        click.option(
            "--dask",
            "dask",
            metavar="local|tcp://HOST:PORT",
            help="Extract on a Dask cluster: `local` starts one here (--workers processes, 2 by default); an "
                 "address connects to a running scheduler. -o then names a directory of shards.",
        ),
        click.option("--shard-size", type=click.IntRange(min=1), metavar="N",
                     help="With --dask: articles per shard [default: 200]."),
        click.option("--partitions", type=click.IntRange(min=1), metavar="N",
                     help="With --dask: about N shards, instead of --shard-size."),
        click.option("--shard-format", type=click.Choice(["jsonl", "parquet", "both"]), default=None,
                     help="With --dask: part-NNNNN.jsonl (default), .parquet (one row a record), or both."),
    )):
        command = option(command)
    return command


def check_without_dask(output: str, **shard_options: Any) -> None:
    """Refuse the shard options, and a directory as -o, when the run is not on a cluster.

    Raises:
        click.UsageError: naming the fix.
    """
    given = [f"--{name.replace('_', '-')}" for name, value in shard_options.items() if value is not None]
    if given:
        raise click.UsageError(f"{', '.join(given)}: only with --dask (e.g. --dask local)")
    if output != "-" and os.path.isdir(output):
        raise click.UsageError(f"-o {output} is a directory; give a file such as OUT.jsonl, or add --dask local "
                               f"to write a directory of shards")


def extract_on_cluster(
    paths: tuple[str, ...],
    *,
    address: str,
    output: str,
    published: str | None,
    fmt: str,
    strict: bool,
    resume: bool,
    workers: int,
    shard_size: int | None,
    partitions: int | None,
    shard_format: str | None,
) -> None:
    """Run ``storyline extract --dask``: shards into ``output``, failures and counts on stderr, exit 1 on failure."""
    from storyline.run.cluster import DEFAULT_WORKERS, ShardResult, connect, extract_to_shards
    from storyline.run.workers import resolve_workers

    if output == "-":
        raise click.UsageError("--dask writes a directory of shards: give it with -o OUTDIR/")
    for flag, used in (("--resume", resume), ("--strict", strict), ("--format table", fmt == "table")):
        if used:
            raise click.UsageError(f"{flag} does not apply with --dask: every shard is written whole, with an "
                                   f"error record for each failed input; run without --dask for {flag}")
    if shard_size is not None and partitions is not None:
        raise click.UsageError("give --shard-size or --partitions, not both")
    ctx = click.get_current_context()
    workers_given = ctx.get_parameter_source("workers") not in (None, click.core.ParameterSource.DEFAULT)
    count = resolve_workers(workers) if workers_given else DEFAULT_WORKERS

    def _echo(result: ShardResult) -> None:
        for error in result.errors:
            click.echo(render_error(error), err=True)

    try:
        with connect(address, workers=count) as client:
            summary = extract_to_shards(
                paths, output, client=client, shard_size=shard_size, partitions=partitions,
                shard_format=shard_format or "jsonl", published=published, on_shard=_echo,
            )
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    total = summary.ok + summary.failed
    shards = len(summary.shards)
    click.echo(
        f"{total} article{'s' if total != 1 else ''}, {summary.ok} ok, {summary.failed} failed "
        f"({shards} shard{'s' if shards != 1 else ''} in {output}, {summary.workers} "
        f"worker{'s' if summary.workers != 1 else ''}, {summary.seconds:.1f} s)",
        err=True,
    )
    if summary.failed:
        ctx.exit(1)
