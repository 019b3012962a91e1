"""Evidentiality: how sure the outlet is of a fact, and whose claim it is.

One reading of hedges and sources, applied alike to quotes (their cue),
events (their trigger) and relations, so a user can keep "facts the outlet
asserts" apart from "claims it reports":

- hedges: ``allegedly``, ``reportedly`` on the predicate or its chain,
  ``appeared to`` / ``seems to``, ``is said to`` / ``is believed to``,
  ``the alleged campaign``;
- ``attributed_to``: the subject of a claim verb above the predicate
  ("claiming his team had engaged in ...", "X said the firm would ..."),
  or the object of ``according to``;
- ``provenance``: who obtained or published the material ("obtained by the
  Daily Mail");
- ``modality``: ``hypothetical`` (would, could, might, if ...), else
  ``reported`` (someone's claim), else ``hedged``, else ``asserted``;
- ``polarity``: ``negative`` under not / never / n't.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from storyline.stages.shared.clauses import subject_of
from storyline.stages.shared.lexicon import CLAIM_VERBS, HEDGES, HYPOTHETICAL_AUX

if TYPE_CHECKING:
    from spacy.tokens import Token

    from storyline.nlp.doctable import DocTable
    from storyline.stages.shared.resolved import Entities

_RAISING = {"appear", "seem"}
_PASSIVE_REPORT = {"say", "believe", "report", "allege", "think", "rumor", "rumour", "understand", "expect"}
_NEGATIONS = {"not", "n't", "never", "no"}
_OBTAINING = ("obtain", "see", "publish", "review", "hear", "leak")
#: The dependency labels of a clause of its own, whose hedges and modals are its own.
_OWN_CLAUSE = frozenset({"ccomp", "relcl", "advcl"})
#: A clause that modifies a noun: "the message, which was sent", "the woman claiming ...".
_NOUN_CLAUSES = frozenset({"relcl", "acl"})
#: Any clause below the predicate's own: where its hedges stop.
_SUBCLAUSE = _OWN_CLAUSE | _NOUN_CLAUSES
#: Adjectives that hedge the noun they modify: "the alleged campaign".
_HEDGING_ADJECTIVES = frozenset({"alleged", "reported", "purported", "supposed", "rumored", "rumoured"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the text says about how a predicate is known."""

    hedges: tuple[str, ...] = ()
    modality: str = "asserted"
    attributed_to: str | None = None
    provenance: str | None = None
    polarity: str = "positive"


def _chain(tok: Token, limit: int = 8) -> list[Token]:
    """The token and its heads up to the root."""
    out = [tok]
    cur = tok
    while cur.head.i != cur.i and len(out) < limit:
        cur = cur.head
        out.append(cur)
    return out


def read_hedges(tok: Token) -> list[str]:
    """Evidential words on a predicate and the verbs it hangs from in its clause.

    "was allegedly heard saying" -> ["allegedly"]; "appeared to pour" ->
    ["appeared to"]; "is said to have" -> ["is said to"]; "the alleged smear
    campaign" -> ["alleged"].
    """
    out: list[str] = []

    def add(word: str) -> None:
        if word not in out:
            out.append(word)

    for k, cur in enumerate(_chain(tok, 4)):
        if k and cur.dep_ in _SUBCLAUSE and cur.pos_ == "VERB" and k > 1:
            break  # another clause: its hedges are its own
        for c in cur.children:
            low = c.lower_
            if low in HEDGES:
                add(low)
            elif low in _HEDGING_ADJECTIVES and c.dep_ == "amod":
                add(low)
        lemma = cur.lemma_.lower()
        if lemma in _RAISING and cur.i != tok.i:
            add(f"{cur.lower_} to")
        if lemma in _PASSIVE_REPORT and cur.i != tok.i and any(c.dep_ == "auxpass" for c in cur.children):
            aux = next(c for c in cur.children if c.dep_ == "auxpass")
            add(f"{aux.lower_} {cur.lower_} to")
        if cur.dep_ in _OWN_CLAUSE:
            break
    return out


def _according_to(tok: Token, found: Entities) -> str | None:
    """The entity id of the source an "according to" above ``tok`` names, or None."""
    for cur in _chain(tok, 4):
        for c in cur.children:
            if c.lower_ == "according":
                for to in c.children:
                    for obj in to.children:
                        if obj.dep_ == "pobj":
                            return found.by_token.get(obj.i)
    return None


def _claimant(tok: Token, found: Entities) -> str | None:
    """The subject of a claim verb governing ``tok``'s clause, as an entity id."""
    chain = _chain(tok)
    for child, cur in pairwise(chain):
        if child.dep_ in _NOUN_CLAUSES and child.i == tok.i:
            break  # a noun's own clause ("the message, which was sent") is no one's claim
        if cur.pos_ == "VERB" and cur.lemma_.lower() in CLAIM_VERBS:
            subj = subject_of(cur)
            if subj is not None:
                eid = found.by_token.get(subj.i)
                if eid is not None:
                    return eid
            # "The mother of four ... , claiming ...": the participle's subject is its head noun
            if cur.dep_ == "acl" and found.by_token.get(cur.head.i):
                return found.by_token.get(cur.head.i)
            if cur.dep_ == "advcl" and cur.tag_ == "VBG":
                head_subj = subject_of(cur.head)
                if head_subj is not None and found.by_token.get(head_subj.i):
                    return found.by_token.get(head_subj.i)
    return None


def _hypothetical(tok: Token) -> bool:
    """Whether a modal or a condition in ``tok``'s clause makes it hypothetical: "would sue", "if she sues"."""
    for cur in _chain(tok, 3):
        for c in cur.children:
            if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX:
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                return True
        if cur.dep_ in _OWN_CLAUSE:
            break
    return False


def _negative(tok: Token) -> bool:
    """Whether ``tok`` (or the verb it completes, for an xcomp) is negated: "did not sue", "never sued"."""
    heads = [tok] + ([tok.head] if tok.dep_ in ("xcomp",) else [])
    return any(c.dep_ == "neg" or c.lower_ in _NEGATIONS and c.dep_ in ("neg", "advmod", "det") for h in heads for c in h.children)


def provenance_of(tok: Token, found: Entities, *, table: DocTable | None = None) -> str | None:
    """Who obtained or published the material a sentence reports: "obtained by the Daily Mail".

    Scoped to the predicate's sentence: the phrase usually hangs off the
    medium ("the message, which was ... obtained by the Daily Mail"), not off
    the predicate itself. ``table`` is ``DocTable(tok.doc)``, if the caller has it
    (else the one ``found`` was read with, when it is that ``Doc``'s).
    """
    if table is None and found.table is not None and found.table.doc is tok.doc:
        table = found.table
    if table is None:
        verbs = [cur for cur in tok.sent if cur.lemma_.lower() in _OBTAINING and cur.tag_ == "VBN"]
    else:
        start, end = table.sent_bounds(tok.i)
        lemma, tag = table.lemma, table.tag
        verbs = [table.doc[k] for k in range(start, end) if tag[k] == "VBN" and lemma[k].lower() in _OBTAINING]
    for cur in verbs:
        for agent in cur.children:
            if agent.dep_ == "agent":
                for obj in agent.children:
                    if obj.dep_ == "pobj" and found.by_token.get(obj.i):
                        return found.by_token.get(obj.i)
    return None


def read_evidence(tok: Token, found: Entities, *, table: DocTable | None = None) -> Evidence:
    """Read hedges, claimant, provenance, modality and polarity around a predicate.

    Args:
        tok: the predicate: an event trigger, a quote's cue, a relation's word.
        found: the article's entities, to resolve claimants to entity ids.
        table: ``DocTable(tok.doc)``, when the caller has read it already.

    Returns:
        An ``Evidence``; ``attributed_to`` and ``provenance`` are entity ids.
    """
    hedges = read_hedges(tok)
    claimant = _according_to(tok, found) or _claimant(tok, found)
    if _hypothetical(tok):
        modality = "hypothetical"
    elif claimant is not None:
        modality = "reported"
    elif hedges:
        modality = "hedged"
    else:
        modality = "asserted"
    return Evidence(
        hedges=tuple(hedges),
        modality=modality,
        attributed_to=claimant,
        provenance=provenance_of(tok, found, table=table),
        polarity="negative" if _negative(tok) else "positive",
    )
