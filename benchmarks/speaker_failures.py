"""List the quoted PolNeAR attributions whose speaker storyline gets wrong, grouped by kind.

For every matched quoted pair (gold content with a source) it reports one of:
``no source`` (the prediction has no source span), ``wrong source`` (the spans
do not overlap), and, over all quoted predictions, ``unknown speaker`` (a
source span without an entity), each with the gold and predicted source words
and ``speaker_via``. Records are cached as JSONL (``--cache``), so a second run
only re-scores.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/speaker_failures.py ../shared/data/polnear/dev \
        [--cache /tmp/polnear_dev.jsonl] [--fresh] [--show N]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from storyline.evaluate.attribution import AttributionCounts, attribution_figures, match_contents, score_attributions
from storyline.evaluate.polnear import load_polnear, record_attributions
from storyline.evaluate.spans import trim_span
from storyline.model import Record, record_from_dict
from storyline.pipeline import extract
from storyline.spans import char_overlap


def _records(directory: str, cache: Path, fresh: bool) -> dict[str, Record]:
    corpus = load_polnear(directory)
    if cache.is_file() and not fresh:
        out = {}
        for line in cache.read_text(encoding="utf-8").splitlines():
            rec = record_from_dict(json.loads(line))
            assert isinstance(rec, Record)
            out[rec.doc_id] = rec
        return out
    records = {a.doc_id: extract(a.text, a.published, doc_id=a.doc_id) for a in corpus.articles}
    cache.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in records.values()), encoding="utf-8")
    return records


def _clip(text: str, span: tuple[int, int] | None) -> str:
    return "-" if span is None else repr(text[span[0] : span[1]][:60])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--cache", default="/tmp/polnear_dev.jsonl")
    parser.add_argument("--fresh", action="store_true", help="extract again instead of reading the cache")
    parser.add_argument("--show", type=int, default=200, help="list at most N failures")
    args = parser.parse_args(argv)
    corpus = load_polnear(args.directory)
    records = _records(args.directory, Path(args.cache), args.fresh)
    kinds: Counter[str] = Counter()
    lines: list[str] = []
    total = AttributionCounts()
    for article in corpus.articles:
        rec, text = records[article.doc_id], article.text
        total = total + score_attributions(text, article.gold.attributions, record_attributions(rec, text))
        gold = [g for g in article.gold.attributions if g.quoted]
        quotes = [q for q in rec.quotes if q.kind in ("direct", "partial", "mixed")]
        pred = [a for a in record_attributions(rec, text) if a.quoted]
        for q in quotes:
            if q.speaker is None:
                kinds["unknown speaker"] += 1
                src = (q.source_span.start, q.source_span.end) if q.source_span else None
                lines.append(f"unknown speaker\t{article.doc_id}\t{q.id}\tsource {_clip(text, src)}\tvia {q.speaker_via}")
        for gi, pi, _ in match_contents(text, gold, pred):
            g, p, q = gold[gi], pred[pi], quotes[pi]
            if g.source is None:
                continue
            gs, ps = trim_span(text, *g.source), p.source and trim_span(text, *p.source)
            if ps is not None and char_overlap(gs, ps) > 0:
                continue
            kind = "no source" if ps is None else "wrong source"
            kinds[kind] += 1
            lines.append(
                f"{kind}\t{article.doc_id}\t{q.id}\tgold {_clip(text, gs)}\tpred {_clip(text, ps)}\t"
                f"via {q.speaker_via}\tcontent {_clip(text, g.content)}"
            )
    for line in sorted(lines)[: args.show]:
        print(line)
    print(dict(kinds))
    figures = attribution_figures(total)
    for name in ("content_all_overlap", "content_quoted_overlap"):
        print(name, figures[name]["f1"])
    for name in ("source_all_exact_on_matched", "speaker_span_acc_quoted", "unknown_speaker_share_quoted"):
        print(name, figures[name]["value"], figures[name]["count"], figures[name]["total"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
