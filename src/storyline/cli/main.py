"""The ``storyline`` command: thin wrappers over library functions.

This is the only module that prints, exits, or turns a ``StorylineError``
into a ``click.ClickException`` (exit status 1, the code in the message).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO, Any

import click

from storyline import __version__
from storyline.cli.options import format_option, progress_option, published_option, strict_option, workers_option
from storyline.cli.progress import Progress, closing_iterator, progress_enabled
from storyline.cli.shards import check_without_dask, dask_options, extract_on_cluster
from storyline.cli.tables import render_error, render_table
from storyline.errors import StorylineError
from storyline.evaluate import evaluate_meantime, evaluate_polnear, evaluate_timeml, format_polnear, format_timex
from storyline.evaluate.gap import evaluate_gap, format_gap
from storyline.evaluate.gum_score import evaluate_gum, format_gum
from storyline.evaluate.semeval import evaluate_semeval, format_semeval
from storyline.model import ErrorRecord, Record
from storyline.pipeline import process_batch
from storyline.run.resume import read_finished, skip_finished
from storyline.run.workers import process_parallel
from storyline.text import read_inputs


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
    type=click.Path(writable=True, allow_dash=True),
    help="Write here instead of stdout (with --dask: a directory of shards).",
)
@published_option
@format_option(("jsonl", "table"), "jsonl: one record a line; table: for reading.")
@strict_option
@click.option(
    "--resume",
    is_flag=True,
    help="Skip the inputs whose records OUT.jsonl (-o) already holds and append the rest.",
)
@workers_option
@progress_option
@dask_options
def extract(paths: tuple[str, ...], output: str, published: str | None, fmt: str, strict: bool, resume: bool,
            workers: int, progress: bool | None, dask: str | None = None, shard_size: int | None = None,
            partitions: int | None = None, shard_format: str | None = None) -> None:
    """Extract quotes and entities from articles.

    PATHS are text, HTML, JSONL or WARC files (also gzipped, e.g. .txt.gz),
    directories (read recursively), or `-` for stdin. Every input gives one
    record, or an error record when it cannot be processed; the run goes on,
    prints counts to stderr and exits with status 1 when anything failed.
    With --resume, a run that was stopped picks up where it left off.
    --workers N extracts in N processes, with the same output in the same order.
    --dask local|tcp://HOST:PORT extracts on a Dask cluster into -o OUTDIR/,
    one part-NNNNN.jsonl (or .parquet) shard per partition of the inputs.
    """
    if dask is not None:
        extract_on_cluster(paths, address=dask, output=output, published=published, fmt=fmt, strict=strict,
                           resume=resume, workers=workers, shard_size=shard_size, partitions=partitions,
                           shard_format=shard_format)
        return
    check_without_dask(output, shard_size=shard_size, partitions=partitions, shard_format=shard_format)
    if resume and output == "-":
        raise click.UsageError("--resume needs -o OUT.jsonl: it skips the inputs whose records that file already "
                               "holds and appends the rest; stdout cannot be read back")
    if resume and fmt != "jsonl":
        raise click.UsageError("--resume works with --format jsonl only: a table cannot be read back")
    try:
        items = read_inputs(paths, published=published)
        skipped: list[str] = []
        finished = None
        if resume:
            finished = read_finished(output)
            if finished.dropped:
                click.echo(f"{output}: dropped a torn last line ({finished.dropped} bytes) left by a stopped run; "
                           f"its article is extracted again", err=True)
            items = skip_finished(items, finished, skipped)
        records = process_batch(items) if workers == 1 else process_parallel(items, workers)
        with click.open_file(output, "a" if resume else "w", encoding="utf-8") as out, \
                Progress(progress_enabled(progress), paths, desc="extract") as bar:
            # A table on stdout already shows each failure; elsewhere, name them on stderr too.
            echo_failures = fmt != "table" or output != "-"
            ok, failed = _write_all(records, out, fmt, strict=strict, echo_failures=echo_failures,
                                    bar=bar, skipped=skipped)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    line = _counts(ok, failed)
    # An error record kept from the earlier run is still a failure of this output: say so in the status.
    failed_before = 0
    if finished is not None:
        failed_before = sum(1 for doc_id in skipped if doc_id in finished.failed)
        total = ok + failed + len(skipped)
        line = (f"{total} article{'s' if total != 1 else ''}, {ok} ok, {failed} failed, {len(skipped)} skipped "
                f"(already in {output}, {failed_before} of them error records)")
    click.echo(line, err=True)
    if failed or failed_before:
        click.get_current_context().exit(1)


def _write_all(
    records: Iterable[Record | ErrorRecord], out: IO[str], fmt: str, *, strict: bool, echo_failures: bool,
    bar: Progress | None = None, skipped: list[str] | None = None,
) -> tuple[int, int]:
    """Write each record as it comes; return (ok, failed) counts. ``bar`` counts them, and the ``skipped`` inputs."""
    bar = bar or Progress(False)
    ok = failed = 0
    counted_skips = 0
    with closing_iterator(records):
        for record in records:
            if skipped is not None and len(skipped) > counted_skips:  # inputs --resume let out before this record
                bar.advance(len(skipped) - counted_skips)
                counted_skips = len(skipped)
            bar.advance(failed=isinstance(record, ErrorRecord))
            ok, failed = _write_one(record, out, fmt, ok, failed, strict=strict, echo_failures=echo_failures, bar=bar)
    if skipped is not None and len(skipped) > counted_skips:
        bar.advance(len(skipped) - counted_skips)
    bar.done()
    return ok, failed


def _write_one(
    record: Record | ErrorRecord, out: IO[str], fmt: str, ok: int, failed: int, *, strict: bool,
    echo_failures: bool, bar: Progress,
) -> tuple[int, int]:
    """Write one record; return the (ok, failed) counts with it."""
    if fmt == "table":
        out.write(render_table(record) + "\n\n")
    else:
        out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    out.flush()
    if not isinstance(record, ErrorRecord):
        return ok + 1, failed
    failed += 1
    if echo_failures:
        bar.echo(render_error(record))
    if strict:
        raise click.ClickException(
            f"{record.code}: stopped at the first failure (--strict); {_counts(ok, failed)}; "
            f"drop --strict to process the rest and keep an error record for each failure"
        )
    return ok, failed


def _counts(ok: int, failed: int) -> str:
    total = ok + failed
    return f"{total} article{'s' if total != 1 else ''}, {ok} ok, {failed} failed"


@main.group()
def evaluate() -> None:
    """Score storyline against annotated corpora (the figures of EVALUATION.md).

    Each command prints a table; `--json PATH` also writes the figures and
    counts as JSON. Exit status 1 when an article could not be processed (it
    is scored as having no predictions and listed) or the corpus is unusable.
    """


def _json_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--json",
        "json_path",
        metavar="PATH",
        type=click.Path(dir_okay=False, writable=True),
        help="Also write the figures and counts to this JSON file.",
    )(command)


def _limit_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--limit", type=click.IntRange(min=1), metavar="N", help=f"Score only the first N {what}.")


def _finish(table: str, data: dict[str, Any], json_path: str | None, failed: int) -> None:
    """Print the table, write the JSON, exit 1 when any document failed."""
    click.echo(table)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
    if failed:
        click.get_current_context().exit(1)


def _corpus_command(name: str, limit_what: str) -> Callable[[Callable[..., Any]], click.Command]:
    """``storyline evaluate NAME DIRECTORY [--limit N] [--json PATH]``: a corpus command and its usual options."""

    def decorate(function: Callable[..., Any]) -> click.Command:
        with_options = _limit_option(limit_what)(_json_option(function))
        return evaluate.command(name)(click.argument("directory", type=click.Path(file_okay=False))(with_options))

    return decorate


def _score(
    evaluate: Callable[..., Any], render: Callable[[Any], str], directory: str, limit: int | None, json_path: str | None
) -> None:
    """Run ``evaluate(directory, limit=limit)`` and finish with its report rendered by ``render``.

    A ``StorylineError`` (an unusable corpus) ends the command with its message.
    """
    try:
        report = evaluate(directory, limit=limit)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    _finish(render(report), report.to_dict(), json_path, len(report.failures))


@evaluate.command("polnear")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--by", type=click.Choice(["publisher"]), help="Add a breakdown per publisher.")
@click.option(
    "--attribution",
    type=click.Choice(["model", "rules", "off"]),
    default=None,
    help="Reported speech from the learned model (default), the rule scorer, or not at all "
    "(quote marks only): the ablation. Same as STORYLINE_ATTRIBUTION.",
)
@_limit_option("articles, in sorted order")
@_json_option
def evaluate_polnear_command(
    directory: str, by: str | None, attribution: str | None, limit: int | None, json_path: str | None
) -> None:
    """Score quotes, sources and cues against PolNeAR.

    DIRECTORY is a PolNeAR split folder with text/ and attributions/, e.g.
    ../shared/data/polnear/dev. The last line gives the extraction speed.
    """
    import os
    import time

    from storyline.stages.attribution.scorer import MODE_ENV

    if attribution:
        os.environ[MODE_ENV] = attribution
    started = time.perf_counter()
    try:
        report = evaluate_polnear(directory, by_publisher=by == "publisher", limit=limit)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    seconds = time.perf_counter() - started
    data = report.to_dict()
    data["attribution"] = attribution or os.environ.get(MODE_ENV, "model")
    data["seconds"] = round(seconds, 2)
    table = format_polnear(report) + (
        f"\n\nattribution: {data['attribution']}; {report.articles} articles in {seconds:.1f} s "
        f"({report.articles / seconds:.2f} docs/s, parse included)"
    )
    _finish(table, data, json_path, len(report.failures))


@_corpus_command("meantime", "documents of each corpus")
def evaluate_meantime_command(directory: str, limit: int | None, json_path: str | None) -> None:
    """Score time expressions against MEANTIME, per corpus and overall.

    DIRECTORY is the corpora folder or one corpus folder of MEANTIME CAT XML,
    e.g. ../shared/data/meantime-en/corpora.
    """
    _score(evaluate_meantime, format_timex, directory, limit, json_path)


@_corpus_command("timeml", "documents of each folder")
def evaluate_timeml_command(directory: str, limit: int | None, json_path: str | None) -> None:
    """Score time expressions against TimeML (TempEval-3) .tml files.

    DIRECTORY is searched recursively; each folder of .tml files is reported
    as one corpus.
    """
    _score(evaluate_timeml, format_timex, directory, limit, json_path)


@_corpus_command("semeval-timeline", "documents of each corpus")
def evaluate_semeval_command(directory: str, limit: int | None, json_path: str | None) -> None:
    """Build event timelines and score them against SemEval-2015 Task 4 (TimeLine), Track A.

    DIRECTORY is the dataset folder or one corpus folder, e.g.
    ../shared/data/semeval2015-timeline. Prints temporal-awareness P/R/F1 x 100
    per corpus and per target entity; the JSON also holds the predicted timelines.
    """
    _score(evaluate_semeval, format_semeval, directory, limit, json_path)



def _timed(evaluate: Callable[..., Any], render: Callable[[Any], str], path: str, limit: int | None,
           json_path: str | None, what: str) -> None:
    """Like ``_score``, with the wall time (extraction included) as the last line and in the JSON."""
    import time

    started = time.perf_counter()
    try:
        report = evaluate(path, limit=limit)
    except StorylineError as exc:
        raise click.ClickException(str(exc)) from exc
    seconds = time.perf_counter() - started
    data = report.to_dict()
    data["seconds"] = round(seconds, 2)
    _finish(f"{render(report)}\n\n{what} in {seconds:.1f} s (parse included)", data, json_path, len(report.failures))


@evaluate.command("gap")
@click.argument("file", type=click.Path(dir_okay=False))
@_limit_option("rows")
@_json_option
def evaluate_gap_command(file: str, limit: int | None, json_path: str | None) -> None:
    """Score pronoun resolution against GAP (snippet context), with the two baselines.

    FILE is a GAP TSV, e.g. ../shared/data/gap/gap-development.tsv. Prints
    P/R/F1 of the A/B decisions overall, F1 masculine and feminine and the
    bias (F1 feminine / F1 masculine) for storyline, "A always" and "nearest
    name before the pronoun".
    """
    _timed(evaluate_gap, format_gap, file, limit, json_path, "rows scored")


@_corpus_command("gum", "documents, in sorted order")
def evaluate_gum_command(directory: str, limit: int | None, json_path: str | None) -> None:
    """Score PERSON entities against GUM's person chains, with the names baseline.

    DIRECTORY holds GUM CoNLL-U files (CorefUD Entity= annotation), e.g.
    ../shared/data/gum/dev. Prints MUC, B-cubed, CEAF-e and CoNLL F1, mention
    recall by form and pronoun antecedent accuracy.
    """
    _timed(evaluate_gum, format_gum, directory, limit, json_path, "documents scored")


from storyline.cli.ingest import ingest as ingest_command  # noqa: E402  (registered last: commands import the library)

main.add_command(ingest_command)
from storyline.cli.serve import serve  # noqa: E402

main.add_command(serve)
from storyline.cli.story import entities, link, profile, quotes, timeline  # noqa: E402

for _story_command in (entities, profile, timeline, quotes, link):
    main.add_command(_story_command)
from storyline.cli.bench import bench  # noqa: E402

main.add_command(bench)
