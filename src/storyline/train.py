"""Train the attribution model on PolNeAR: ``make train`` runs this module.

    python -m storyline.train ../shared/data/polnear/train [-o src/storyline/data/attribution-model.json.gz]

It parses every article of the split with the same pipeline extraction uses,
lists the candidates of ``cues.candidates``, labels each one against the gold
attributions (``attribution_model`` says how), fits the logistic regression
and writes the weights. Deterministic for a given corpus and seed; about 5
minutes on 2 cores (the parse takes most of it).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .attribution_model import MODEL_FILE, AttributionModel
from .cues import DocView, candidates, dense, features
from .doctable import DocTable
from .evaluate.attribution import Attribution
from .evaluate.spans import jaccard, word_tokens

#: A candidate counts as the gold attribution when their contents overlap this much (as ``storyline evaluate``).
MATCH = 0.5
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "data" / MODEL_FILE


def label_candidates(
    doc: object, text: str, gold: Sequence[Attribution]
) -> list[tuple[list[str], int, list[float] | None]]:
    """``(features, label, context vector)`` for every candidate of one parsed article."""
    by_cue_char: dict[int, list[frozenset[tuple[int, int]]]] = {}
    for g in gold:
        if g.cue is None:
            continue
        words = word_tokens(text, g.content)
        for at in range(g.cue[0], g.cue[1]):
            by_cue_char.setdefault(at, []).append(words)
    out = []
    table = DocTable(doc)  # type: ignore[arg-type]
    view = DocView(doc, table)  # type: ignore[arg-type]
    for cand in candidates(doc, table):  # type: ignore[arg-type]
        golds = by_cue_char.get(cand.cue.idx, ())
        label = 0
        if golds:
            mine = word_tokens(text, (cand.start, cand.end))
            label = int(any(jaccard(mine, g) >= MATCH for g in golds))
        out.append((features(cand, view), label, dense(cand)))
    return out


def train(directory: str | Path, output: str | Path = DEFAULT_OUTPUT, *, limit: int | None = None,
          epochs: int = 8, seed: int = 0, log=print) -> AttributionModel:
    """Train on a PolNeAR split folder and write the weights to ``output``."""
    from .evaluate.polnear import load_polnear
    from .nlp import load_model

    started = time.perf_counter()
    corpus = load_polnear(directory, limit=limit)
    nlp = load_model()
    examples: list[tuple[list[str], int]] = []
    vectors: list[list[float] | None] = []
    texts = [a.text for a in corpus.articles]
    for n, (article, doc) in enumerate(zip(corpus.articles, nlp.pipe(texts, batch_size=8), strict=True), 1):
        for feats, label, vector in label_candidates(doc, article.text, article.gold.attributions):
            examples.append((feats, label))
            vectors.append(vector)
        if n % 100 == 0:
            log(f"parsed {n}/{len(texts)} articles ({time.perf_counter() - started:.0f} s)")
    positives = sum(y for _, y in examples)
    log(f"{len(examples):,} candidates, {positives:,} positive; fitting")
    model = AttributionModel(meta={
        "corpus": "PolNeAR " + Path(directory).name,
        "articles": len(corpus.articles),
        "candidates": len(examples),
        "positives": positives,
        "epochs": epochs,
        "seed": seed,
    })
    model.fit(examples, vectors=vectors, epochs=epochs, seed=seed)
    model.learn_gate([next(f[2:] for f in feats if f.startswith("L=")) for feats, _ in examples], [y for _, y in examples])
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    model.save(output)
    size = Path(output).stat().st_size
    log(f"{len(model.never):,} cue lemmas never positive, skipped at once")
    log(f"{len(model.weights):,} weights → {output} ({size / 1e6:.2f} MB) in {time.perf_counter() - started:.0f} s")
    return model


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storyline.train", description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="a PolNeAR split folder with text/ and attributions/")
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUTPUT), help="where to write the weights")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N articles only")
    parser.add_argument("--epochs", type=int, default=8)
    args = parser.parse_args(argv)
    if not Path(args.directory, "text").is_dir():
        print(f"{args.directory}: no text/ folder; point at a PolNeAR split such as ../shared/data/polnear/train",
              file=sys.stderr)
        return 2
    train(args.directory, args.output, limit=args.limit, epochs=args.epochs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
