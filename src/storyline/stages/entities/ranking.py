"""The learned pronoun resolver: which earlier (or cataphoric) entity a "he" or "she" is.

A mention-ranking model: for a pronoun, every entity mentioned in the window
before it (and, for a pronoun in a fronted clause, just after it) is a
candidate, described by string features — distance, grammatical roles and
their parallelism, binding, gender agreement, salience, quotation — and
so is the choice of leaving it unresolved (``NULL``). A linear model scores
each and the softmax over them picks one. The features are the explainable
rules the resolver used to be; the weights are learned from GUM train and
GAP development (``make train`` → ``storyline.train.coref``).

The weights ship with the package (``data/coref-model.json.gz``) and load
offline; ``STORYLINE_COREF=rules`` turns the model off (the rule resolver of
``pronouns.py`` then decides). Token offsets, half-open.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from pathlib import Path

from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster, QuotedRanges, TokenMention
from storyline.stages.shared.lexicon import CUE_VERBS

MODEL_FILE = "coref-model.json.gz"
#: ``STORYLINE_COREF``: ``model`` (default) or ``rules`` (the rule resolver alone).
MODE_ENV = "STORYLINE_COREF"
#: How many sentences back an entity may have been mentioned last to be a candidate.
WINDOW = 10
#: The types of an entity a personal pronoun may point at: the small NER model types many people ORG or GPE.
CANDIDATE_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART", "PRODUCT", "FAC", "LOC", "EVENT"})
#: The grammatical roles a mention is read in, by dependency label.
_ROLES = {
    "nsubj": "subj", "nsubjpass": "subj", "csubj": "subj", "expl": "subj",
    "dobj": "obj", "dative": "obj", "iobj": "obj", "pobj": "pobj", "poss": "poss",
    "appos": "appos", "conj": "conj", "compound": "mod", "attr": "attr", "npadvmod": "mod",
}
_REFLEXIVE = frozenset({"himself", "herself", "themselves"})
#: The tags of a plural noun (and "they", "them" ...): what "they" agrees with.
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
#: The types of a name "they" may stand for although it is singular: "the company ... they".
_COLLECTIVE = frozenset({"ORG", "NORP", "GPE"})
_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "xcomp", "relcl", "acl", "csubj", "conj", "parataxis"})


@dataclass(frozen=True)
class Candidate:
    """One entity a pronoun may be, seen at its mention nearest the pronoun."""

    cluster: NameCluster
    mention: TokenMention
    features: list[str]


def role(t: DocTable, a: int, b: int) -> str:
    """The grammatical role of the mention ``[a, b)``: that of its head, the token whose head lies outside."""
    head = mention_head(t, a, b)
    dep = t.dep[head]
    if dep == "pobj" and t.lower[t.head[head]] == "by" and t.dep[t.head[head]] == "agent":
        return "subj"  # "was sued by X": the agent
    return _ROLES.get(dep, "other")


def mention_head(t: DocTable, a: int, b: int) -> int:
    """The head token of the mention ``[a, b)``."""
    return next((k for k in range(a, b) if not a <= t.head[k] < b), b - 1)


def clause_of(t: DocTable, i: int) -> int:
    """The verb (or root) heading the clause token ``i`` stands in."""
    k = i
    for _ in range(40):
        if t.pos[k] in ("VERB", "AUX") or t.head[k] == k or t.dep[k] in _CLAUSE_DEPS:
            return k
        k = t.head[k]
    return k


def governs(t: DocTable, upper: int, lower: int) -> bool:
    """Whether ``upper`` dominates ``lower`` in the parse."""
    k = lower
    for _ in range(60):
        if k == upper:
            return True
        if t.head[k] == k:
            return False
        k = t.head[k]
    return False


def _bucket(n: int, edges: Sequence[int]) -> str:
    """``n`` as the first edge it does not exceed, or ``edges[-1]+``."""
    for e in edges:
        if n <= e:
            return str(e)
    return f"{edges[-1]}+"


@dataclass
class PronounContext:
    """What every candidate of one pronoun shares: the pronoun's gender, role, clause, sentence."""

    i: int
    gender: str  # m or f; p for "they" and its forms
    role: str
    clause: int
    sent: int
    quoted: bool
    reflexive: bool
    lower: str
    fronted: bool  # in a clause before the main clause: "When she took office, Okoro ..."
    speaks: bool  # the narrated subject of a speech verb: '"...," he said'


def pronoun_context(t: DocTable, i: int, gender: str, quoted: QuotedRanges) -> PronounContext:
    """Read what the features need of the pronoun at token ``i``."""
    clause = clause_of(t, i)
    fronted = t.dep[clause] in ("advcl", "prep", "pcomp") and t.head[clause] > i
    speaks = t.dep[i] == "nsubj" and t.lemma[t.head[i]].lower() in CUE_VERBS and not quoted.covers(i)
    return PronounContext(i, gender, role(t, i, i + 1), clause, t.sent_of[i], quoted.covers(i), t.lower[i] in _REFLEXIVE, t.lower[i], fronted,
                          speaks)


def candidates(
    t: DocTable, p: PronounContext, clusters: Iterable[NameCluster], quoted: QuotedRanges, topic: NameCluster | None,
) -> list[Candidate]:
    """Every entity the pronoun may be, each with its features, the nearest first."""
    sent_of = t.sent_of
    near: list[tuple[NameCluster, TokenMention, int]] = []
    for cl in clusters:
        if cl.type not in CANDIDATE_TYPES:
            continue
        before = [m for m in cl.mentions if m.end <= p.i]
        if _bound(t, p, cl):
            continue
        if p.speaks:  # '"Give Ryan my love," he said': a narrated speaker is read off the narration, not off quotes
            before = [m for m in before if not quoted.covers(m.start)]
        if before:
            m = max(before, key=lambda m: m.start)
            if p.sent - sent_of[m.start] <= WINDOW:
                near.append((cl, m, len(before)))
            continue
        after = [m for m in cl.mentions if m.start > p.i and sent_of[m.start] == p.sent]
        if after:  # cataphora: "When she took office, Okoro ..."
            near.append((cl, min(after, key=lambda m: m.start), 0))
    near.sort(key=lambda x: (x[1].start > p.i, -x[1].start if x[1].start < p.i else x[1].start))
    agree = [agreement(t, p, cl) for cl, _, _ in near]
    if p.gender != "p":  # "she" is never a man: gender, once known, is a constraint, not a preference
        near = [x for x, g in zip(near, agree, strict=True) if g != "dis"]
        agree = [g for g in agree if g != "dis"]
    n_agree = agree.count("agree")
    out: list[Candidate] = []
    rank_ok = 0
    for rank, ((cl, m, seen), g) in enumerate(zip(near, agree, strict=True)):
        ok = g != "dis"
        feats = _pair_features(t, p, cl, m, seen, g, quoted, topic)
        feats += _rank_features(rank, rank_ok if ok else -1, n_agree, feats[0], p)
        feats += _pairs([feats[0], feats[1], feats[3], feats[4], feats[5], *feats[-5:-3], f"pr={p.role}"])
        rank_ok += ok
        out.append(Candidate(cl, m, feats))
    return out


def _bound(t: DocTable, p: PronounContext, cl: NameCluster) -> bool:
    """Whether binding rules ``cl`` out: "Maria thanked her" (an object pronoun is not its own verb's subject).

    A reflexive ("himself") is the exception and goes the other way: it is left to the features.
    """
    if p.reflexive or p.role not in ("obj", "pobj"):
        return False
    verb = t.head[p.i] if p.role == "obj" else t.head[t.head[p.i]]
    return any(
        role(t, m.start, m.end) == "subj" and t.head[mention_head(t, m.start, m.end)] == verb and m.start < p.i for m in cl.mentions
    )


def agreement(t: DocTable, p: PronounContext, cl: NameCluster) -> str:
    """``agree``, ``dis`` or ``unk``: gender for "he" and "she", number for "they"."""
    if p.gender != "p":
        return "unk" if cl.gender is None else "agree" if cl.gender == p.gender else "dis"
    if any(t.tag[mention_head(t, m.start, m.end)] in _PLURAL_TAGS for m in cl.mentions):
        return "agree"
    if cl.type in _COLLECTIVE:
        return "unk"
    return "dis" if cl.gender is not None or cl.type == "PERSON" else "unk"


def _pair_features(
    t: DocTable, p: PronounContext, cl: NameCluster, m: TokenMention, seen: int, g: str, quoted: QuotedRanges, topic: NameCluster | None,
) -> list[str]:
    """The features of one (pronoun, candidate) pair; the first is the agreement (``g``), the second the type."""
    cata = m.start > p.i
    sd = abs(p.sent - t.sent_of[m.start])
    crole = role(t, m.start, m.end)
    head = mention_head(t, m.start, m.end)
    same_clause = clause_of(t, head) == p.clause
    sdb = _bucket(sd, (0, 1, 2, 4))
    feats = [
        f"g={g}", f"type={cl.type}|pg={p.gender == 'p'}", f"g={g}|type={cl.type}|pg={p.gender == 'p'}", f"sd={sdb}", f"kind={m.kind}", f"cr={crole}",
        f"pr={p.role}|cr={crole}", f"sd={sdb}|cr={crole}", f"sd={sdb}|pr={p.role}|cr={crole}",
        f"seen={_bucket(seen, (0, 1, 2, 4, 8))}", f"kind={m.kind}|sd={sdb}",
        f"tok={_bucket(abs(p.i - m.start), (3, 8, 16, 32, 64, 128))}",
    ]
    if crole == p.role:
        feats.append(f"parallel|sd={sdb}")
    if cata:
        feats += ["cata", f"cata|cr={crole}|pr={p.role}"]
    if sd == 0 and same_clause:
        feats.append(f"local|refl={p.reflexive}|pr={p.role}|cr={crole}")
    if sd == 0 and not cata and governs(t, t.head[head], p.i):
        feats.append(f"commands|pr={p.role}|cr={crole}")
    if sd == 0 and governs(t, head, p.i):  # "Jake Burns, who was promoting his band": inside the candidate's phrase
        feats.append(f"dominates|pr={p.role}|dep={t.dep[t.head[p.i]] if p.role == 'poss' else t.dep[p.i]}")
    if quoted.covers(m.start) or p.quoted:
        feats.append(f"q={quoted.covers(m.start)}|pq={p.quoted}")
    if cl is topic:
        feats.append("topic")
    feats += _context_features(t, p, cl, sdb)
    if cl.type == "PERSON" and g == "agree":
        feats.append(f"person_agree|sd={sdb}")
    return feats


def _context_features(t: DocTable, p: PronounContext, cl: NameCluster, sdb: str) -> list[str]:
    """What the candidate's other mentions near the pronoun say: a subject of this or the sentence before, the first named."""
    feats = []
    for m in cl.mentions:
        if m.start >= p.i or p.sent - t.sent_of[m.start] > 1:
            continue
        r = role(t, m.start, m.end)
        where = "same" if t.sent_of[m.start] == p.sent else "prev"
        if r in ("subj", "poss"):
            feats.append(f"{r}_{where}|pr={p.role}")
        if where == "same" and m.start == t.sent_bounds(p.i)[0]:
            feats.append("starts_sentence")
    if p.fronted:
        feats.append(f"fronted|cata={any(m.start > p.i for m in cl.mentions)}")
    return sorted(set(feats))


def _rank_features(rank: int, rank_ok: int, n_agree: int, gender_feature: str, p: PronounContext) -> list[str]:
    """Where a candidate stands among the pronoun's candidates: nearest, second nearest ...; of those that agree."""
    r = _bucket(rank, (0, 1, 2, 3))
    ro = "x" if rank_ok < 0 else _bucket(rank_ok, (0, 1, 2, 3))
    na = _bucket(n_agree, (0, 1, 2, 3))
    return [f"rank={r}", f"rank_ok={ro}", f"rank_ok={ro}|{gender_feature}", f"rank_ok={ro}|nagree={na}", f"rank_ok={ro}|pr={p.role}"]


def _pairs(core: Sequence[str]) -> list[str]:
    """Every pair of the core features, as one feature each: what a linear model cannot combine by itself."""
    return [f"{a}&{b}" for n, a in enumerate(core) for b in core[n + 1:]]


def null_features(p: PronounContext, cands: Sequence[Candidate]) -> list[str]:
    """The features of leaving the pronoun unresolved."""
    n_agree = sum(1 for c in cands if c.features[0] == "g=agree")
    n_ok = sum(1 for c in cands if c.features[0] != "g=dis")
    plural = p.gender == "p"
    return ["null", f"null|nagree={_bucket(n_agree, (0, 1, 2))}|pg={plural}", f"null|nok={_bucket(n_ok, (0, 1, 2))}|pg={plural}",
            f"null|pq={p.quoted}|pg={plural}", f"null|pr={p.role}|pg={plural}", f"null|pg={plural}"]


@dataclass
class PronounRanker:
    """A linear mention-ranking model: feature → weight; ``meta`` says how it was trained."""

    weights: dict[str, float] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)

    def score(self, feats: Iterable[str]) -> float:
        """The linear score of one choice's features."""
        return sum(map(self.weights.get, feats, repeat(0.0)))

    def probabilities(self, cands: Sequence[Candidate], null: Sequence[str]) -> list[float]:
        """The softmax over the candidates and, last, leaving the pronoun unresolved."""
        scores = [self.score(c.features) for c in cands] + [self.score(null)]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def choose(self, p: PronounContext, cands: Sequence[Candidate], null: Sequence[str]) -> tuple[Candidate | None, float]:
        """The best candidate and its probability; None when leaving the pronoun unresolved scores best."""
        if not cands:
            return None, 1.0
        probs = self.probabilities(cands, null)
        k = max(range(len(probs)), key=probs.__getitem__)
        return (cands[k] if k < len(cands) else None), probs[k]

    def save(self, path: str | Path) -> None:
        """Write the weights as gzipped JSON (sorted, so the file is reproducible)."""
        data = {"format": "storyline-coref/1", "meta": self.meta, "weights": dict(sorted(self.weights.items()))}
        with gzip.GzipFile(path, "wb", mtime=0) as fh:
            fh.write(json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8"))

    @classmethod
    def load(cls, path: str | Path) -> PronounRanker:
        """Read weights written by ``save``."""
        with gzip.open(path, "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
        return cls(weights={str(k): float(v) for k, v in data["weights"].items()}, meta=dict(data.get("meta", {})))


def mode() -> str:
    """``model`` or ``rules``, from ``STORYLINE_COREF``."""
    return "rules" if os.environ.get(MODE_ENV, "model").strip().lower() == "rules" else "model"


@functools.cache
def _load_shipped() -> PronounRanker | None:
    ref = resources.files("storyline.stages.entities").joinpath("data", MODEL_FILE)
    if not ref.is_file():
        return None
    with resources.as_file(ref) as path:
        return PronounRanker.load(path)


def shipped_ranker() -> PronounRanker | None:
    """The ranker that ships with the package, or None (no weights file, or ``STORYLINE_COREF=rules``)."""
    return _load_shipped() if mode() == "model" else None
