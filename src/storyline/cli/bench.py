"""``storyline bench``: throughput against a bare spaCy parse, and scaled out, in one run.

A thin wrapper over ``storyline.run.bench``: it picks the corpus, prints progress
and the table, and writes the JSON.
"""

from __future__ import annotations

import json

import click

from storyline.errors import StorylineError


@click.command("bench")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--polnear", "polnear", metavar="DIR", type=click.Path(file_okay=False, exists=True),
              help="Use the real news of a PolNeAR split, DIR/text/*.txt (e.g. ../shared/data/polnear/dev).")
@click.option("--size", type=click.FloatRange(min=0, min_open=True), default=2.0, show_default=True, metavar="MB",
              help="Without PATHS or --polnear: repeat the example articles to about MB million characters.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Use only the first N documents.")
@click.option("--repeat", type=click.IntRange(min=1), default=2, show_default=True, metavar="N",
              help="Rounds: every run is timed N times, alternating; the best counts.")
@click.option("--warmup", type=click.IntRange(min=0), default=3, show_default=True, metavar="N",
              help="Documents each pipeline processes before the timing starts.")
@click.option("--workers", type=click.IntRange(min=0), metavar="N",
              help="Also time N worker processes (`extract --workers N`; 0: one per CPU).")
@click.option("--dask", metavar="local|tcp://HOST:PORT",
              help="Also time `extract --dask` (local: a LocalCluster of 2 processes), against 2 worker processes.")
@click.option("--json", "json_path", metavar="PATH", type=click.Path(dir_okay=False, writable=True),
              help="Also write the figures to this JSON file (`-`: stdout, instead of the table).")
def bench(paths: tuple[str, ...], polnear: str | None, size: float, limit: int | None, repeat: int, warmup: int,
          workers: int | None, dask: str | None, json_path: str | None) -> None:
    """Measure docs/s and tokens/s of storyline against a bare en_core_web_sm parse.

    On the same documents, in one run: the plain model's `nlp.pipe` (none
    of storyline's components) and storyline's full extraction in one
    process, alternating, best of --repeat rounds after a warm-up; then the
    ratio. --workers N and --dask add the scaled-out runs and their ratios.
    The documents are PATHS (read as by `storyline extract`), the PolNeAR
    articles of --polnear DIR, or else the example articles repeated to
    --size MB. Progress goes to stderr.
    """
    from storyline.run.bench import example_corpus, format_bench, input_corpus, polnear_corpus, run_bench

    if paths and polnear:
        raise click.UsageError("give PATHS or --polnear DIR, not both")
    try:
        if polnear:
            articles, name = polnear_corpus(polnear), f"PolNeAR {polnear}"
        elif paths:
            articles, name = input_corpus(paths), ", ".join(paths)
        else:
            articles, name = example_corpus(int(size * 1_000_000)), f"examples/ repeated to {size:g} MB"
        if limit is not None and limit < len(articles):
            articles, name = articles[:limit], f"{name}, first {limit}"
        report = run_bench(articles, corpus=name, repeats=repeat, warmup=warmup, workers=workers, dask=dask,
                           on_progress=lambda line: click.echo(f"bench: {line}", err=True))
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    data = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    if json_path == "-":
        click.echo(data)
        return
    click.echo(format_bench(report))
    if json_path:
        with open(json_path, "w", encoding="utf-8") as handle:
            handle.write(data + "\n")
