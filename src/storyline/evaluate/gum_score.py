"""GUM people: score storyline's PERSON entities against GUM's gold ``person`` chains (EVALUATION.md).

Gold: every mention of every chain whose entity type is ``person``
(singletons included). Prediction: every mention of every PERSON entity of
the record. A predicted mention can match a gold mention when it lies inside
the gold span and covers the gold mention's head; the pairing is one to one,
tightest first (the largest predicted/gold length ratio, ties to the earlier
gold mention; ``greedy_match``). A matched predicted mention takes its gold
mention's id; an unmatched one keeps an id of its own, so it counts as
spurious (precision suffers), and an unmatched gold mention as missed.

Figures, micro over documents: MUC, B-cubed and CEAF-e (``coref``) and their
mean (CoNLL F1); mention recall by form (pronoun / name / nominal); pronoun
antecedent accuracy: over third-person pronouns (``THIRD_PERSON``) whose gold
chain has an earlier mention, the share whose predicted entity also holds a
mention matched to an earlier mention of the same gold chain. The baseline
is scored on the same documents from the same records: the predicted PERSON
name mentions (kinds ``name`` and ``alias``) only, those sharing a
capitalised word (``TITLES`` aside) forming one chain, pronouns unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.evaluate.coref import CorefScores, score_clusters
from storyline.evaluate.documents import Predict, predict_document
from storyline.evaluate.gum import GoldMention, GumDoc, read_gum
from storyline.evaluate.report import align, failure_lines
from storyline.evaluate.spans import greedy_match, ratio

if TYPE_CHECKING:
    from storyline.model import Record

THIRD_PERSON = frozenset(
    "he him his himself she her hers herself they them their theirs themselves themself".split()
)
"""The pronouns whose antecedent is scored (lower-cased)."""
TITLES = frozenset("mr mrs ms miss dr prof sir dame lord lady st".split())
"""Words that do not tie two names together in the baseline."""
FORMS = ("pronoun", "name", "nominal")
SYSTEMS = ("storyline", "names_baseline")
_WORD = re.compile(r"\w+")

PredMention = tuple[int, int, str]
"""A predicted mention: ``(start, end, kind)``, character offsets into the document's text, half-open."""


@dataclass(slots=True)
class GumCounts:
    """What one system scored, summed over documents."""

    scores: CorefScores = field(default_factory=CorefScores)
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORMS, 0))
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORMS, 0))
    predicted: int = 0
    matched: int = 0
    pronouns: int = 0
    pronouns_right: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Figures and counts as plain data."""
        return {
            **self.scores.to_dict(),
            "mention_recall": {f: {"value": ratio(self.found[f], self.gold[f]), "found": self.found[f],
                                   "gold": self.gold[f]} for f in FORMS},
            "predicted_mentions": self.predicted,
            "matched_mentions": self.matched,
            "pronoun_antecedent_accuracy": {"value": ratio(self.pronouns_right, self.pronouns),
                                            "right": self.pronouns_right, "of": self.pronouns},
        }


def person_mentions(doc: GumDoc) -> list[GoldMention]:
    """The gold mentions of the document's ``person`` chains, in text order."""
    return [m for m in doc.mentions if m.etype == "person"]


def record_people(record: Record | None) -> list[list[PredMention]]:
    """The mentions of each PERSON entity of ``record`` (none when it is None)."""
    if record is None:
        return []
    return [[(m.start, m.end, m.kind) for m in e.mentions] for e in record.entities if e.type == "PERSON"]


def names_baseline(people: Sequence[Sequence[PredMention]], text: str) -> list[list[PredMention]]:
    """The baseline's chains: the name and alias mentions, joined when they share a capitalised word."""
    names = sorted({m for entity in people for m in entity if m[2] in ("name", "alias")})
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, (start, end, _) in enumerate(names):
        for word in _WORD.findall(text[start:end]):
            if word[0].isupper() and word.lower() not in TITLES:
                j = owner.setdefault(word, i)
                parent[root(i)] = root(j)
    chains: dict[int, list[PredMention]] = {}
    for i, mention in enumerate(names):
        chains.setdefault(root(i), []).append(mention)
    return list(chains.values())


def match_mentions(gold: Sequence[GoldMention], predicted: Sequence[PredMention]) -> dict[int, int]:
    """Pair predicted and gold mentions one to one: inside the gold span and covering its head, tightest first.

    Returns:
        Predicted index to gold index.
    """
    candidates = [
        (g, p, (pe - ps) / (m.end - m.start))
        for g, m in enumerate(gold)
        for p, (ps, pe, _) in enumerate(predicted)
        if m.start <= ps and pe <= m.end and ps <= m.head_start and m.head_end <= pe
    ]
    return {p: g for g, p, _ in greedy_match(candidates)}


def _pronoun_counts(
    text: str, gold: Sequence[GoldMention], matched: dict[int, int], entity_of: Sequence[int]
) -> tuple[int, int]:
    """Third-person pronouns with an earlier gold mention in their chain, and how many got one right."""
    gold_to_pred = {g: p for p, g in matched.items()}
    total = right = 0
    for g, mention in enumerate(gold):
        if mention.form != "pronoun" or text[mention.start : mention.end].lower() not in THIRD_PERSON:
            continue
        earlier = {i for i, other in enumerate(gold) if other.chain == mention.chain and other.start < mention.start}
        if not earlier:
            continue
        total += 1
        p = gold_to_pred.get(g)
        if p is not None and any(entity_of[q] == entity_of[p] and h in earlier for q, h in matched.items()):
            right += 1
    return total, right


def score_document(text: str, gold: Sequence[GoldMention], people: Sequence[Sequence[PredMention]]) -> GumCounts:
    """The counts of one document: coreference scores, mention recall by form, pronoun antecedents."""
    predicted = [m for entity in people for m in entity]
    entity_of = [i for i, entity in enumerate(people) for _ in entity]
    matched = match_mentions(gold, predicted)
    chains: dict[str, set[Hashable]] = {}
    for g, mention in enumerate(gold):
        chains.setdefault(mention.chain, set()).add(("gold", g))
    response: list[set[Hashable]] = [set() for _ in people]
    for p, e in enumerate(entity_of):
        response[e].add(("gold", matched[p]) if p in matched else ("pred", p))
    counts = GumCounts(
        scores=score_clusters([frozenset(c) for c in chains.values()], [frozenset(r) for r in response]),
        predicted=len(predicted),
        matched=len(matched),
    )
    found = set(matched.values())
    for g, mention in enumerate(gold):
        counts.gold[mention.form] += 1
        counts.found[mention.form] += g in found
    counts.pronouns, counts.pronouns_right = _pronoun_counts(text, gold, matched, entity_of)
    return counts


def _add(total: GumCounts, part: GumCounts) -> None:
    total.scores = total.scores + part.scores
    for form in FORMS:
        total.found[form] += part.found[form]
        total.gold[form] += part.gold[form]
    total.predicted += part.predicted
    total.matched += part.matched
    total.pronouns += part.pronouns
    total.pronouns_right += part.pronouns_right


@dataclass(slots=True)
class GumReport:
    """Counts per system over the documents, with the documents that failed."""

    directory: str
    documents: int
    counts: dict[str, GumCounts]
    failures: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Figures and counts as plain data (what ``--json`` writes)."""
        return {
            "corpus": "gum",
            "directory": self.directory,
            "documents": self.documents,
            "failed": [{"doc_id": d, "message": m} for d, m in self.failures],
            "figures": {s: c.to_dict() for s, c in self.counts.items()},
        }


def score_gum(docs: Sequence[GumDoc], *, directory: str = "", predict: Predict | None = None) -> GumReport:
    """Run ``predict`` on every document and score storyline's PERSON entities and the names baseline.

    A document whose prediction raises counts as having no predictions and is listed in ``failures``.

    Raises:
        EvaluationError: as ``predict`` raised it.
    """
    counts = {s: GumCounts() for s in SYSTEMS}
    failures: list[tuple[str, str]] = []
    for doc in docs:
        record = predict_document(predict, doc.text, doc.published, doc.doc_id, failures=failures)
        gold = person_mentions(doc)
        people = record_people(record)
        _add(counts["storyline"], score_document(doc.text, gold, people))
        _add(counts["names_baseline"], score_document(doc.text, gold, names_baseline(people, doc.text)))
    return GumReport(directory, len(docs), counts, failures)


def evaluate_gum(directory: str | Path, *, limit: int | None = None, predict: Predict | None = None) -> GumReport:
    """Read GUM CoNLL-U documents and score storyline's people on them: ``read_gum``, then ``score_gum``."""
    return score_gum(read_gum(directory, limit=limit), directory=str(directory), predict=predict)


def format_gum(report: GumReport) -> str:
    """Render a GUM report: per system MUC/B3/CEAF-e F1, CoNLL F1, mention recall by form, pronoun accuracy.

    Returns:
        The table, lines joined by ``\\n``, without a trailing newline.
    """
    any_counts = next(iter(report.counts.values()))
    gold = sum(any_counts.gold.values())
    lines = [
        f"GUM people: {report.documents} documents in {report.directory}, {len(report.failures)} failed; "
        f"{gold} gold person mentions ({', '.join(f'{any_counts.gold[f]} {f}' for f in FORMS)})",
        "",
    ]
    rows: list[list[Any]] = [["system", "MUC P", "MUC R", "MUC F1", "B3 P", "B3 R", "B3 F1", "CEAF-e P",
                              "CEAF-e R", "CEAF-e F1", "CoNLL F1"]]
    for system, c in report.counts.items():
        figs = [c.scores.muc.figures(), c.scores.b_cubed.figures(), c.scores.ceaf_e.figures()]
        rows.append([system, *(f[k] for f in figs for k in ("precision", "recall", "f1")), c.scores.conll_f1()])
    lines.extend(align(rows))
    lines.append("")
    rows = [["system", "pred", "matched", "R pronoun", "R name", "R nominal", "pronoun antecedent acc", "of"]]
    for system, c in report.counts.items():
        rows.append([system, c.predicted, c.matched, *(ratio(c.found[f], c.gold[f]) for f in FORMS),
                     ratio(c.pronouns_right, c.pronouns), c.pronouns])
    lines.extend(align(rows))
    lines.extend(failure_lines(report.failures, "documents"))
    return "\n".join(lines)
