"""Throughput of storyline against a bare en_core_web_sm parse, and scaled out: ``storyline bench`` as a script.

Calls the same functions as the command (``storyline.run.bench``); see its
docstring for what each run measures and how it is kept fair.

Usage::

    .venv/bin/python benchmarks/throughput.py [PATH...] [--polnear DIR] [--size MB] [--limit N]
        [--repeat N] [--warmup N] [--workers N] [--dask local|tcp://HOST:PORT] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys

from storyline.errors import StorylineError
from storyline.run.bench import example_corpus, format_bench, input_corpus, polnear_corpus, run_bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="articles to use (files or directories)")
    parser.add_argument("--polnear", metavar="DIR", help="a PolNeAR split folder: use DIR/text/*.txt")
    parser.add_argument("--size", type=float, default=2.0, metavar="MB",
                        help="repeat the examples to about MB million characters (default 2)")
    parser.add_argument("--limit", type=int, metavar="N", help="use only the first N documents")
    parser.add_argument("--repeat", type=int, default=2, metavar="N", help="rounds, alternating (default 2)")
    parser.add_argument("--warmup", type=int, default=3, metavar="N", help="warm-up documents (default 3)")
    parser.add_argument("--workers", type=int, metavar="N", help="also time N worker processes")
    parser.add_argument("--dask", metavar="ADDRESS", help="also time --dask (local, or tcp://HOST:PORT)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    try:
        if args.polnear:
            articles, name = polnear_corpus(args.polnear), f"PolNeAR {args.polnear}"
        elif args.paths:
            articles, name = input_corpus(args.paths), ", ".join(args.paths)
        else:
            articles, name = example_corpus(int(args.size * 1_000_000)), f"examples/ repeated to {args.size:g} MB"
        if args.limit:
            articles = articles[: args.limit]
        report = run_bench(articles, corpus=name, repeats=args.repeat, warmup=args.warmup, workers=args.workers,
                           dask=args.dask, on_progress=lambda line: print(f"bench: {line}", file=sys.stderr))
    except StorylineError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(format_bench(report))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report.to_dict(), handle, ensure_ascii=False, indent=2)
            handle.write("\n")
    return 0


if __name__ == "__main__":  # the guard the worker processes (spawn) and the Dask cluster need
    sys.exit(main())
