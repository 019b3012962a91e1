"""Train the pronoun ranker on GUM train and GAP development: ``make train`` runs this module.

    python -m storyline.train.coref --gum ../shared/data/gum/train --gap ../shared/data/gap/gap-development.tsv

Every document is parsed and run through the entity stage as extraction runs
it, with a recorder in the ranker's place: at each "he" or "she" it writes
down the candidates ``ranking.candidates`` lists, which of them are right by
the gold annotation, and then takes the nearest right one (teacher forcing), so
that later pronouns see the entities as they should be. A GUM pronoun is
right about a candidate when one of the candidate's mentions covers the head
of a mention in the pronoun's gold chain, and leaving it unresolved is right
only when it is its chain's first mention; a GAP pronoun about the candidate
that covers the name marked A or B as its antecedent (when neither is,
anything but A and B is right, leaving it unresolved included). The model is
a linear softmax over each pronoun's choices, fitted by AdaGrad; deterministic
for a given corpus and seed, a minute or two on 2 cores (the parse takes most).
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.evaluate.gap import GapRow, read_gap
from storyline.evaluate.gum import GumDoc, read_gum
from storyline.nlp.doctable import DocTable
from storyline.nlp.load import load_model
from storyline.stages.entities import resolve_entities
from storyline.stages.entities.ranking import MODEL_FILE, Candidate, PronounContext, PronounRanker
from storyline.stages.shared.quotemarks import scan_quotes

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "stages" / "entities" / "data" / MODEL_FILE


@dataclass
class Choice:
    """One pronoun of a training document: its candidates' features and which choices are right."""

    options: list[list[str]]  # the candidates' features, then leaving the pronoun unresolved
    right: list[int]  # indexes into ``options``
    source: str  # gum or gap


@dataclass
class Recorder:
    """Stands in for the ranker while a training document is resolved; ``gold`` says what is right."""

    right_of: Gold
    choices: list[Choice] = field(default_factory=list)

    def choose(self, p: PronounContext, cands: list[Candidate], null: list[str]) -> tuple[Candidate | None, float]:
        """Record the pronoun's choices and take the nearest right candidate (or none when unresolved is right)."""
        right = self.right_of(p.i, cands)
        if right is None:  # a pronoun the gold says nothing about: the nearest that agrees
            ok = [c for c in cands if c.features[0] != "g=dis"]
            return (ok[0] if ok else None), 1.0
        if cands:
            self.choices.append(Choice([c.features for c in cands] + [null], right, self.right_of.source))
        pick = next((k for k in right if k < len(cands)), None)
        return (cands[pick] if pick is not None else None), 1.0


class Gold:
    """Which of a pronoun's choices are right, by a document's gold annotation."""

    source = ""

    def __call__(self, i: int, cands: Sequence[Candidate]) -> list[int] | None:
        raise NotImplementedError


class GumGold(Gold):
    """GUM: a candidate is right when one of its mentions covers the head of a mention of the pronoun's chain."""

    source = "gum"

    def __init__(self, t: DocTable, doc: GumDoc) -> None:
        self.chains: dict[int, set[str]] = {}
        self.first: dict[str, int] = {}  # each chain's first head token
        for m in doc.mentions:
            for k in _tokens(t, m.head_start, m.head_end):
                self.chains.setdefault(k, set()).add(m.chain)
                self.first[m.chain] = min(k, self.first.get(m.chain, k))

    def __call__(self, i: int, cands: Sequence[Candidate]) -> list[int] | None:
        mine = self.chains.get(i)
        if not mine:
            return None
        right = [n for n, c in enumerate(cands) if any(
            self.chains.get(k, set()) & mine for m in c.cluster.mentions if m.start != i for k in range(m.start, m.end))]
        if right:
            return right
        # no candidate is right: unresolved is the answer only for a chain's first mention; else the
        # antecedent is a mention the entity stage did not find, which is not the ranker's to learn from
        return [len(cands)] if all(self.first[c] >= i for c in mine) else None


class GapGold(Gold):
    """GAP: the candidate covering the name marked as the antecedent; when neither is, anything but A and B."""

    source = "gap"

    def __init__(self, t: DocTable, row: GapRow) -> None:
        self.pronoun = _tokens(t, row.pronoun_offset, row.pronoun_offset + len(row.pronoun))
        self.names = [(set(_tokens(t, row.a_offset, row.a_offset + len(row.a))), row.a_coref),
                      (set(_tokens(t, row.b_offset, row.b_offset + len(row.b))), row.b_coref)]

    def __call__(self, i: int, cands: Sequence[Candidate]) -> list[int] | None:
        if i not in self.pronoun:
            return None
        hits = [[any(k in toks for m in c.cluster.mentions for k in range(m.start, m.end)) for toks, _ in self.names] for c in cands]
        if any(coref for _, coref in self.names):
            right = [n for n, hit in enumerate(hits) if any(h and coref for h, (_, coref) in zip(hit, self.names, strict=True))]
            return right or None  # the antecedent is not among the candidates: nothing to learn from
        return [n for n, hit in enumerate(hits) if not any(hit)] + [len(cands)]


def _tokens(t: DocTable, start: int, end: int) -> list[int]:
    """The tokens whose first character lies in ``[start, end)`` (else the token holding ``start``)."""
    lo = bisect.bisect_left(t.idx, start)
    hi = bisect.bisect_left(t.idx, end)
    if lo == hi:
        return [max(0, lo - 1)]
    return list(range(lo, hi))


def record(nlp: Language, texts: Iterable[str], items: Sequence[GumDoc | GapRow]) -> list[Choice]:
    """Parse each text and resolve it with a recorder; return every recorded choice."""
    choices: list[Choice] = []
    for doc, item in zip(nlp.pipe(texts, batch_size=16), items, strict=True):
        t = DocTable(doc)
        quoted, _ = scan_quotes(t.text)
        gold: Gold = GumGold(t, item) if isinstance(item, GumDoc) else GapGold(t, item)
        rec = Recorder(gold)
        resolve_entities(doc, quoted, table=t, ranker=rec)
        choices.extend(rec.choices)
    return choices


def fit(choices: Sequence[Choice], *, epochs: int = 10, rate: float = 0.1, l2: float = 1e-4, seed: int = 0) -> dict[str, float]:
    """AdaGrad on the softmax log loss of the right choices (their summed probability); deterministic for ``seed``."""
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    order = list(range(len(choices)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for n in order:
            ch = choices[n]
            scores = [sum(w.get(f, 0.0) for f in feats) for feats in ch.options]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            right = sum(exps[k] for k in ch.right)
            grads: dict[str, float] = {}
            for k, feats in enumerate(ch.options):
                # d(-log sum_right p)/d score_k = p_k - [k right] * p_k / p_right
                g = exps[k] / total - (exps[k] / right if k in ch.right else 0.0)
                if g:
                    for f in feats:
                        grads[f] = grads.get(f, 0.0) + g
            for f, g in grads.items():
                g += l2 * w.get(f, 0.0)
                g2[f] = g2.get(f, 0.0) + g * g
                w[f] = w.get(f, 0.0) - rate * g / math.sqrt(g2[f] + 1e-8)
    return {f: round(v, 4) for f, v in w.items() if abs(v) >= 0.001}


def accuracy(ranker: PronounRanker, choices: Sequence[Choice]) -> float:
    """The share of pronouns whose best-scored choice is a right one."""
    good = 0
    for ch in choices:
        scores = [ranker.score(f) for f in ch.options]
        good += max(range(len(scores)), key=scores.__getitem__) in ch.right
    return good / max(1, len(choices))


def gather(nlp: Language, gum: Path | None, gap: Path | None, limit: int | None = None) -> list[Choice]:
    """The recorded choices of a GUM folder and a GAP file (either may be None)."""
    choices: list[Choice] = []
    if gum is not None:
        docs = read_gum(gum)[:limit]
        choices += record(nlp, [d.text for d in docs], docs)
    if gap is not None:
        rows = read_gap(gap)[:limit]
        choices += record(nlp, [r.text for r in rows], rows)
    return choices


def main(argv: list[str] | None = None) -> int:
    """Train and write the weights; print the accuracy of the choices on the training and tuning data."""
    ap = argparse.ArgumentParser(prog="python -m storyline.train.coref", description=__doc__.split("\n\n")[0])
    ap.add_argument("--gum", type=Path, help="GUM train folder (CoNLL-U)")
    ap.add_argument("--gap", type=Path, help="GAP development TSV")
    ap.add_argument("--dev-gum", type=Path, help="GUM dev folder, to report on")
    ap.add_argument("--dev-gap", type=Path, help="GAP validation TSV, to report on")
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--limit", type=int, help="documents (rows) of each corpus to read; for a quick run")
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args(argv)
    started = time.perf_counter()
    nlp = load_model()
    train = gather(nlp, args.gum, args.gap, args.limit)
    dev = gather(nlp, args.dev_gum, args.dev_gap, args.limit) if args.dev_gum or args.dev_gap else []
    ranker = PronounRanker(weights=fit(train, epochs=args.epochs))
    ranker.meta = {"trained_on": [str(p.name) for p in (args.gum, args.gap) if p], "pronouns": len(train), "epochs": args.epochs}
    ranker.save(args.output)
    print(f"{len(train)} training pronouns, {len(ranker.weights)} weights -> {args.output}", file=sys.stderr)
    print(f"choice accuracy: train {accuracy(ranker, train):.3f}" + (f", dev {accuracy(ranker, dev):.3f} on {len(dev)}" if dev else ""),
          file=sys.stderr)
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
