"""Train the attribution model on PolNeAR: ``make train`` runs this module.

    python -m storyline.train ../shared/data/polnear/train [-o src/storyline/data/attribution-model.json.gz]

It parses every article of the split with the same pipeline extraction uses,
lists the candidates of ``cues.candidates``, labels each one against the gold
attributions (``scorer`` says how), fits the logistic regression
and writes the weights. Deterministic for a given corpus and seed; about 5
minutes on 2 cores (the parse takes most of it).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from storyline.evaluate.attribution import Attribution
from storyline.evaluate.polnear import load_polnear
from storyline.nlp.doctable import DocTable
from storyline.nlp.load import load_model
from storyline.spans import jaccard, word_tokens
from storyline.stages.attribution.cues import DocView, candidates, dense, features
from storyline.stages.attribution.scorer import MODEL_FILE, AttributionModel

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: A candidate counts as the gold attribution when their contents overlap this much (as ``storyline evaluate``).
MATCH = 0.5
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "stages" / "attribution" / "data" / MODEL_FILE


class Labelled(NamedTuple):
    """One candidate of a training article: what the models see of it and its two labels."""

    features: list[str]
    label: int  # the content overlaps a gold content of this cue (the detector's label)
    vector: list[float] | None
    cue: int  # the cue word's token index: the chooser compares the candidates of one cue
    best: int  # of this cue's candidates, the closest to that gold content (the chooser's label)


def label_candidates(doc: Doc, text: str, gold: Sequence[Attribution]) -> list[Labelled]:
    """Every candidate of one parsed article, labelled against the gold attributions.

    ``label`` is 1 when the candidate's cue word lies in a gold cue and its
    content overlaps that gold content (word Jaccard ≥ ``MATCH``); ``best`` is
    1 when it is also, of all the contents its cue word proposes, the closest
    to it.
    """
    by_cue_char: dict[int, list[frozenset[tuple[int, int]]]] = {}
    for g in gold:
        if g.cue is None:
            continue
        words = word_tokens(text, g.content)
        for at in range(g.cue[0], g.cue[1]):
            by_cue_char.setdefault(at, []).append(words)
    table = DocTable(doc)
    view = DocView(doc, table)
    cands = list(candidates(doc, table))
    overlaps: list[list[float]] = []
    closest: dict[tuple[int, int], float] = {}  # (cue word, gold index) → the closest candidate's overlap
    for cand in cands:
        golds = by_cue_char.get(cand.cue.idx, ())
        mine = word_tokens(text, (cand.start, cand.end)) if golds else frozenset()
        scores = [jaccard(mine, g) for g in golds]
        overlaps.append(scores)
        for k, score in enumerate(scores):
            key = (cand.cue.i, k)
            closest[key] = max(closest.get(key, 0.0), score)
    out = []
    for cand, scores in zip(cands, overlaps, strict=True):
        label = int(any(score >= MATCH for score in scores))
        best = int(any(score >= MATCH and score == closest[(cand.cue.i, k)] for k, score in enumerate(scores)))
        out.append(Labelled(features(cand, view), label, dense(cand), cand.cue.i, best))
    return out


def fit_models(articles: Iterable[list[Labelled]], meta: dict[str, object], *, epochs: int = 8, seed: int = 0,
               log: Callable[[str], object] = print) -> AttributionModel:
    """Fit the detector, its cue-lemma gate and its chooser on the labelled candidates of each article."""
    examples: list[tuple[list[str], int]] = []
    vectors: list[list[float] | None] = []
    choices: list[tuple[list[str], int]] = []  # the candidates of cues with a gold content
    choice_vectors: list[list[float] | None] = []
    for labelled in articles:
        attributed = {c.cue for c in labelled if c.best}
        for c in labelled:
            examples.append((c.features, c.label))
            vectors.append(c.vector)
            if c.cue in attributed:
                choices.append((c.features, c.best))
                choice_vectors.append(c.vector)
    positives = sum(y for _, y in examples)
    log(f"{len(examples):,} candidates, {positives:,} positive; {len(choices):,} to choose from; fitting")
    model = AttributionModel(meta={**meta, "candidates": len(examples), "positives": positives,
                                   "epochs": epochs, "seed": seed})
    model.fit(examples, vectors=vectors, epochs=epochs, seed=seed)
    model.learn_gate([next(f[2:] for f in feats if f.startswith("L=")) for feats, _ in examples], [y for _, y in examples])
    model.chooser = AttributionModel(meta={"candidates": len(choices)})
    model.chooser.fit(choices, vectors=choice_vectors, epochs=epochs, seed=seed)
    return model


def train(directory: str | Path, output: str | Path = DEFAULT_OUTPUT, *, limit: int | None = None,
          epochs: int = 8, seed: int = 0, log: Callable[[str], object] = print) -> AttributionModel:
    """Train on a PolNeAR split folder and write the weights to ``output``."""
    started = time.perf_counter()
    corpus = load_polnear(directory, limit=limit)
    nlp = load_model()
    texts = [a.text for a in corpus.articles]

    def labelled() -> Iterator[list[Labelled]]:
        pairs = zip(corpus.articles, nlp.pipe(texts, batch_size=8), strict=True)
        for n, (article, doc) in enumerate(pairs, 1):
            yield label_candidates(doc, article.text, article.gold.attributions)
            if n % 100 == 0:
                log(f"parsed {n}/{len(texts)} articles ({time.perf_counter() - started:.0f} s)")

    meta = {"corpus": "PolNeAR " + Path(directory).name, "articles": len(corpus.articles)}
    model = fit_models(labelled(), meta, epochs=epochs, seed=seed, log=log)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    model.save(output)
    size = Path(output).stat().st_size
    log(f"{len(model.never):,} cue lemmas never positive, skipped at once")
    log(f"{len(model.weights):,} weights → {output} ({size / 1e6:.2f} MB) in {time.perf_counter() - started:.0f} s")
    return model


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m storyline.train SPLIT [-o WEIGHTS]``: train and write the weights; the exit status."""
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
