"""Coreference metrics: MUC, B-cubed, CEAF-e and their mean, over entities given as sets of mention ids.

An entity ("cluster") is a set of hashable mention ids; ``key`` holds the
gold entities, ``response`` the predicted ones. A mention id found on one
side only is a missed (key) or spurious (response) mention: no mention
alignment is done here. Each metric returns a ``CorefCounts`` of numerators
and denominators, so documents can be summed before dividing (micro
average), as the CoNLL-2012 reference scorer does.

- MUC (Vilain et al. 1995): recall = sum over key entities K of
  ``|K| - |partition of K by the response|`` over ``sum(|K| - 1)``; a key
  mention absent from the response is a part of its own. Precision swaps the
  roles. Singletons add nothing.
- B-cubed (Bagga and Baldwin 1998): recall = sum over key entities K and
  response entities R of ``|K ∩ R|² / |K|`` over the key mentions;
  precision swaps the roles.
- CEAF-e (Luo 2005): the one-to-one alignment of key and response entities
  that maximises the sum of ``phi4(K, R) = 2|K ∩ R| / (|K| + |R|)``; recall
  divides that sum by the number of key entities, precision by the number of
  response entities. The alignment is the Hungarian method (``assign``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

Cluster = frozenset[Hashable]
"""One entity: the ids of its mentions."""


@dataclass(frozen=True, slots=True)
class CorefCounts:
    """Recall and precision as numerator and denominator, summable over documents."""

    recall_num: float = 0.0
    recall_den: float = 0.0
    precision_num: float = 0.0
    precision_den: float = 0.0

    def __add__(self, other: CorefCounts) -> CorefCounts:
        """Sum two documents' counts."""
        return CorefCounts(
            self.recall_num + other.recall_num,
            self.recall_den + other.recall_den,
            self.precision_num + other.precision_num,
            self.precision_den + other.precision_den,
        )

    def figures(self) -> dict[str, float]:
        """Precision, recall and F1 (0.0 where a denominator is 0)."""
        recall = self.recall_num / self.recall_den if self.recall_den else 0.0
        precision = self.precision_num / self.precision_den if self.precision_den else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "f1": f1}

    def to_dict(self) -> dict[str, Any]:
        """Figures and the counts they come from, as plain data."""
        return {**self.figures(), "recall_num": self.recall_num, "recall_den": self.recall_den,
                "precision_num": self.precision_num, "precision_den": self.precision_den}


def _muc_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float]:
    where = {m: i for i, r in enumerate(response) for m in r}
    num = den = 0
    for k in key:
        if not k:
            continue
        parts = {where.get(m, ("alone", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return float(num), float(den)


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
    """MUC counts of one document (see the module docstring)."""
    r_num, r_den = _muc_side(key, response)
    p_num, p_den = _muc_side(response, key)
    return CorefCounts(r_num, r_den, p_num, p_den)


def _b_cubed_side(key: Sequence[Cluster], response: Sequence[Cluster]) -> tuple[float, float]:
    num = 0.0
    for k in key:
        if k:
            num += sum(len(k & r) ** 2 for r in response) / len(k)
    return num, float(sum(len(k) for k in key))


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
    """B-cubed counts of one document (see the module docstring)."""
    r_num, r_den = _b_cubed_side(key, response)
    p_num, p_den = _b_cubed_side(response, key)
    return CorefCounts(r_num, r_den, p_num, p_den)


def phi4(first: Cluster, second: Cluster) -> float:
    """Luo's entity similarity ``2|K ∩ R| / (|K| + |R|)``; 0.0 for two empty sets."""
    total = len(first) + len(second)
    return 2 * len(first & second) / total if total else 0.0


def assign(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """The one-to-one pairing of rows and columns with the largest total weight (the Hungarian method).

    Args:
        weights: a rows x columns matrix (rows of equal length); not every
            row or column need be paired when the matrix is not square.

    Returns:
        ``(row, column)`` pairs, sorted by row; ``min(rows, columns)`` of them.
    """
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if not rows or not cols:
        return []
    size = max(rows, cols)
    top = max(max(row) for row in weights)
    # minimise (top - weight) on a square matrix padded with zero-weight cells
    cost = [[top - (weights[i][j] if i < rows and j < cols else 0.0) for j in range(size)] for i in range(size)]
    u = [0.0] * (size + 1)
    v = [0.0] * (size + 1)
    match = [0] * (size + 1)  # match[column] = row, 1-based; 0 = free
    way = [0] * (size + 1)
    for i in range(1, size + 1):
        match[0] = i
        j0 = 0
        low = [float("inf")] * (size + 1)
        used = [False] * (size + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], float("inf"), 0
            for j in range(1, size + 1):
                if not used[j]:
                    current = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if current < low[j]:
                        low[j], way[j] = current, j0
                    if low[j] < delta:
                        delta, j1 = low[j], j
            for j in range(size + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    low[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    pairs = [(match[j] - 1, j - 1) for j in range(1, size + 1) if match[j] - 1 < rows and j - 1 < cols]
    return sorted(pairs)


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefCounts:
    """Entity-based CEAF (phi4) counts of one document (see the module docstring)."""
    key = [k for k in key if k]
    response = [r for r in response if r]
    if not key or not response:
        return CorefCounts(0.0, float(len(key)), 0.0, float(len(response)))
    weights = [[phi4(k, r) for r in response] for k in key]
    total = sum(weights[i][j] for i, j in assign(weights))
    return CorefCounts(total, float(len(key)), total, float(len(response)))


@dataclass(frozen=True, slots=True)
class CorefScores:
    """MUC, B-cubed and CEAF-e counts, summed over documents."""

    muc: CorefCounts = CorefCounts()
    b_cubed: CorefCounts = CorefCounts()
    ceaf_e: CorefCounts = CorefCounts()

    def __add__(self, other: CorefScores) -> CorefScores:
        """Sum two documents' scores."""
        return CorefScores(self.muc + other.muc, self.b_cubed + other.b_cubed, self.ceaf_e + other.ceaf_e)

    def conll_f1(self) -> float:
        """The mean of the three F1s (the CoNLL-2012 score)."""
        return (self.muc.figures()["f1"] + self.b_cubed.figures()["f1"] + self.ceaf_e.figures()["f1"]) / 3

    def to_dict(self) -> dict[str, Any]:
        """Each metric's figures and counts, and the CoNLL F1."""
        return {"muc": self.muc.to_dict(), "b_cubed": self.b_cubed.to_dict(), "ceaf_e": self.ceaf_e.to_dict(),
                "conll_f1": self.conll_f1()}


def score_clusters(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefScores:
    """MUC, B-cubed and CEAF-e counts of one document."""
    return CorefScores(muc(key, response), b_cubed(key, response), ceaf_e(key, response))
