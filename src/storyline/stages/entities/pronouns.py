"""Pronouns: "he", "she" and their forms tied to an entity; "they" to an organisation.

"he" and "she" go to the learned ranker of ``ranking.py`` when its weights
ship, else to the rules below (gender agreement, then salience, never the
subject of the pronoun's own verb). A pronoun inside quotation marks is the
speaker's word: the rules leave it alone, the ranker reads the quotation as
one of its features. Token offsets, half-open.
"""

from __future__ import annotations

from typing import Protocol

from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster, QuotedRanges, TokenMention, salience
from storyline.stages.entities.ranking import Candidate, PronounContext, candidates, null_features, pronoun_context
from storyline.stages.shared.lexicon import FEMALE_PRONOUNS, MALE_PRONOUNS, PLURAL_PRONOUNS

#: How many sentences back a person "he" or "she" refers to may have been mentioned last.
_PERSON_WINDOW = 8
#: The dependency labels of a pronoun that is a verb's object: "sued him", "spoke to her".
_OBJECTS = frozenset({"dobj", "pobj"})


class Chooser(Protocol):
    """What picks a pronoun's entity among its candidates: a ``PronounRanker``, or the recorder training uses."""

    def choose(self, p: PronounContext, cands: list[Candidate], null: list[str]) -> tuple[Candidate | None, float]:
        """The chosen candidate (None: unresolved) and its probability."""
        ...


def resolve_pronouns(
    t: DocTable, clusters: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges,
    ranker: Chooser | None = None,
) -> None:
    """Tie each pronoun no earlier pass resolved to its entity, in ``owner`` and as a mention.

    ``clusters`` are all the article's entities in the order first named; ``ranker``
    decides "he" and "she" when given, the rules otherwise.
    """
    sent_of = t.sent_of
    people = [c for c in clusters if c.type == "PERSON"]
    orgs = [c for c in clusters if c.type == "ORG"]
    for i, low in enumerate(t.lower):
        if i in owner or t.pos[i] != "PRON":
            continue
        gender = "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None
        if ranker is not None and (gender is not None or low in PLURAL_PRONOUNS):
            _rank_personal(t, i, gender or "p", clusters, owner, quoted, ranker)
        elif quoted.covers(i):
            continue
        elif low in PLURAL_PRONOUNS:
            _resolve_plural(i, orgs, owner, sent_of)
        elif gender is not None:
            _resolve_personal(t, i, gender, people, owner, sent_of)


def _rank_personal(
    t: DocTable, i: int, gender: str, clusters: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges, ranker: Chooser,
) -> None:
    """Tie "he", "she" or "they" (``gender`` p) to the candidate the ranker scores best, unless leaving it unresolved scores better."""
    p = pronoun_context(t, i, gender, quoted)
    topic = max(clusters, key=lambda c: (sum(1 for m in c.mentions if m.start < i), -c.first), default=None)
    cands = candidates(t, p, clusters, quoted, topic)
    best, prob = ranker.choose(p, cands, null_features(p, cands))
    if best is None:
        return
    cl = best.cluster
    if cl.type != "PERSON" and gender != "p":  # "he" or "she" for a name the NER typed otherwise: a person after all
        cl.type = "PERSON"
    cl.mentions.append(TokenMention(i, i + 1, "pronoun", f"pronoun: ranked first of {len(cands)} ({prob:.2f})"))
    owner[i] = cl


def _resolve_plural(i: int, orgs: list[NameCluster], owner: dict[int, NameCluster], sent_of: list[int]) -> None:
    """Tie "they" to the one organisation named earlier in its sentence: "the New York Times after they published"."""
    near = [c for c in orgs if any(m.start < i and sent_of[i] - sent_of[m.start] <= 0 for m in c.mentions)]
    if len(near) == 1:
        near[0].mentions.append(TokenMention(i, i + 1, "pronoun", "organisation named earlier in the sentence"))
        owner[i] = near[0]


def _resolve_personal(t: DocTable, i: int, gender: str, people: list[NameCluster], owner: dict[int, NameCluster], sent_of: list[int]) -> None:
    """Tie "he" or "she" to the most salient person mentioned lately who agrees in gender (else whose gender is unknown)."""
    window = [c for c in people if any(m.start < i and sent_of[i] - sent_of[m.start] <= _PERSON_WINDOW for m in c.mentions)]
    agree = [c for c in window if c.gender == gender]
    unknown = [c for c in window if c.gender is None]
    pool = agree or unknown
    if not pool:
        return
    # a pronoun object does not corefer with its own verb's subject (Principle B)
    if t.dep[i] in _OBJECTS and t.pos[t.head[i]] == "VERB":
        subj = [c.i for c in t.doc[t.head[i]].children if c.dep_ == "nsubj"]
        pool = [c for c in pool if not any(owner.get(s) is c for s in subj)] or pool
    best = max(pool, key=lambda c: salience(c, i, t, sent_of))
    via = f"pronoun: {'agrees in gender' if agree else 'gender unknown'}, most salient"
    best.mentions.append(TokenMention(i, i + 1, "pronoun", via))
    owner[i] = best
