"""The learned part of attribution: which candidates are attributions.

A logistic regression over the string features of ``cues.features``, trained
on PolNeAR train (``make train`` → ``storyline.train.attribution``). A candidate is a
positive example when its cue word lies in a gold cue and its content
overlaps that attribution's gold content (word Jaccard ≥ 0.5, the matching
rule of ``storyline evaluate``): it learns "is this word a cue here, with a
content like this one". Its ``chooser``, trained on the candidates of gold
cues only, with the closest content as the one positive, learns which of a
cue's clauses is *the* content ("urged [supporters to vote]", not "[to vote]").

The weights ship with the package (``data/attribution-model.json.gz``, a
feature → weight table for the detector and its chooser, about 1.2 MB) and load offline. Without them, or
with ``STORYLINE_ATTRIBUTION=rules``, a rule scorer stands in: a cue verb of
the lexicon with a that-clause or an infinitive, "according to X".
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import os
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import NotRequired, TypedDict

from storyline.stages.attribution.cues import Candidate
from storyline.stages.shared.lexicon import CUE_VERBS

MODEL_FILE = "attribution-model.json.gz"
#: ``STORYLINE_ATTRIBUTION``: ``model`` (default), ``rules`` (no learned weights), ``off`` (quote marks only).
MODE_ENV = "STORYLINE_ATTRIBUTION"
MODES = ("model", "rules", "off")
#: How often a cue lemma must have been seen, never positive, to be skipped at once.
GATE_MIN = 5
#: Probability above which a candidate becomes an attribution (tuned on PolNeAR dev).
THRESHOLD = 0.4


class _PlainModel(TypedDict):
    """An ``AttributionModel`` as the JSON of its file; files of older versions may lack the optional keys."""

    format: NotRequired[str]
    meta: NotRequired[dict[str, object]]
    dense: NotRequired[list[float] | None]
    never: NotRequired[list[str]]
    weights: dict[str, float]
    chooser: NotRequired[_PlainModel]


@dataclass
class AttributionModel:
    """Feature weights of a logistic regression; ``meta`` says how they were trained."""

    weights: dict[str, float] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)
    dense: list[float] | None = None  # weights of ``cues.dense``, when trained with it
    #: Cue lemmas never part of an attribution in training, over ``GATE_MIN`` candidates or more:
    #: skipped before their features are built (the cheap pass first).
    never: frozenset[str] = frozenset()
    #: A second model that picks, among the contents one cue word proposes, the one it reports,
    #: once this model has found an attribution at that cue (trained on the cues of gold attributions).
    chooser: AttributionModel | None = None

    def score(self, feats: Iterable[str]) -> float:
        """The linear score of the string features (the dense part is added by the caller)."""
        return sum(map(self.weights.get, feats, repeat(0.0)))

    def probability(self, feats: Iterable[str], vector: Sequence[float] | None = None) -> float:
        """P(the candidate is an attribution) for its features (and context vector)."""
        z = self.score(feats)
        if self.dense is not None and vector is not None:
            z += sum(a * b for a, b in zip(self.dense, vector, strict=False))
        return sigmoid(z)

    def fit(self, examples: Sequence[tuple[list[str], int]], *, vectors: Sequence[Sequence[float] | None] | None = None,
            epochs: int = 8, rate: float = 0.2, l2: float = 1e-5, seed: int = 0) -> None:
        """AdaGrad on the log loss; deterministic for a given ``seed``.

        ``vectors``, when given, holds one context vector (or None) per example,
        and the model learns a dense weight vector for them too.
        """
        import numpy as np

        w: dict[str, float] = {}
        g2: dict[str, float] = {}
        width = next((len(v) for v in vectors or () if v is not None), 0)
        dw = np.zeros(width)
        dg2 = np.zeros(width)
        arrays = [None if v is None else np.asarray(v, dtype=float) for v in vectors] if vectors else None
        order = list(range(len(examples)))
        rng = random.Random(seed)
        for _ in range(epochs):
            rng.shuffle(order)
            for k in order:
                feats, y = examples[k]
                vec = arrays[k] if arrays is not None else None
                z = sum(w.get(f, 0.0) for f in feats)
                if vec is not None:
                    z += float(dw @ vec)
                err = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y
                for f in feats:
                    g = err + l2 * w.get(f, 0.0)
                    g2[f] = g2.get(f, 0.0) + g * g
                    w[f] = w.get(f, 0.0) - rate * g / math.sqrt(g2[f] + 1e-8)
                if vec is not None:
                    dg = err * vec + l2 * dw
                    dg2 += dg * dg
                    dw -= 0.1 * rate * dg / np.sqrt(dg2 + 1e-8)
        self.weights = {f: round(v, 4) for f, v in w.items() if abs(v) >= 0.005}
        self.dense = [round(float(x), 5) for x in dw] if width else None

    def save(self, path: str | Path) -> None:
        """Write the weights as gzipped JSON (sorted, so the file is reproducible)."""
        data = {"format": "storyline-attribution/1", **self._plain()}
        with gzip.GzipFile(path, "wb", mtime=0) as fh:
            fh.write(json.dumps(data, separators=(",", ":")).encode("utf-8"))

    def _plain(self) -> _PlainModel:
        data: _PlainModel = {"meta": self.meta, "dense": self.dense, "never": sorted(self.never),
                             "weights": dict(sorted(self.weights.items()))}
        if self.chooser is not None:
            data["chooser"] = self.chooser._plain()
        return data

    @classmethod
    def _from_plain(cls, data: _PlainModel) -> AttributionModel:
        chooser = data.get("chooser")
        return cls(weights=data["weights"], meta=data.get("meta", {}), dense=data.get("dense"),
                   never=frozenset(data.get("never", ())),
                   chooser=cls._from_plain(chooser) if chooser is not None else None)

    @classmethod
    def load(cls, path: str | Path) -> AttributionModel:
        """Read weights written by ``save``."""
        with gzip.open(path, "rb") as fh:
            return cls._from_plain(json.loads(fh.read().decode("utf-8")))

    def learn_gate(self, lemmas: Sequence[str], labels: Sequence[int]) -> None:
        """Set ``never``: the cue lemmas seen ``GATE_MIN`` times or more in training and never positive."""
        seen: dict[str, int] = {}
        positive: set[str] = set()
        for lemma, label in zip(lemmas, labels, strict=True):
            seen[lemma] = seen.get(lemma, 0) + 1
            if label:
                positive.add(lemma)
        self.never = frozenset(k for k, n in seen.items() if n >= GATE_MIN and k not in positive)


def sigmoid(z: float) -> float:
    """The logistic function, clipped so that it never overflows."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def mode() -> str:
    """The attribution mode from ``STORYLINE_ATTRIBUTION`` (``model`` when unset or unknown)."""
    value = os.environ.get(MODE_ENV, "model").strip().lower()
    return value if value in MODES else "model"


@functools.lru_cache(maxsize=1)
def shipped_model() -> AttributionModel | None:
    """The weights that ship with the package, or None when they are missing."""
    ref = resources.files("storyline.stages.attribution") / "data" / MODEL_FILE
    if not ref.is_file():
        return None
    with resources.as_file(ref) as path:
        return AttributionModel.load(path)


def rule_probability(cand: Candidate) -> float:
    """The stand-in when there are no weights: a cue verb with a clause, or "according to"."""
    cue = cand.cue
    if cue.lower_ == "according" and cand.relation == "HEAD:prep":
        return 1.0
    if cue.pos_ == "VERB" and cue.lemma_.lower() in CUE_VERBS and cand.relation in ("ccomp", "xcomp"):
        return 1.0
    return 0.0
