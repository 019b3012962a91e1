"""Pronouns: "he", "she" and their forms tied to a person by gender and salience; "they" to an organisation.

Pronouns inside quotation marks are the speaker's, not the narrator's, and are
left alone. Token offsets, half-open.
"""

from __future__ import annotations

from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster, QuotedRanges, TokenMention, salience
from storyline.stages.shared.lexicon import FEMALE_PRONOUNS, MALE_PRONOUNS, PLURAL_PRONOUNS

#: How many sentences back a person "he" or "she" refers to may have been mentioned last.
_PERSON_WINDOW = 8
#: The dependency labels of a pronoun that is a verb's object: "sued him", "spoke to her".
_OBJECTS = frozenset({"dobj", "pobj"})


def resolve_pronouns(
    t: DocTable, people: list[NameCluster], orgs: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges,
    sent_of: list[int],
) -> None:
    """Tie each narrated pronoun no earlier pass resolved to its entity, in ``owner`` and as a mention."""
    for i, low in enumerate(t.lower):
        if i in owner or t.pos[i] != "PRON" or quoted.covers(i):
            continue
        if low in PLURAL_PRONOUNS:
            _resolve_plural(i, orgs, owner, sent_of)
            continue
        gender = "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None
        if gender is not None:
            _resolve_personal(t, i, gender, people, owner, sent_of)


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
