"""Clause-level grammar shared by the stages: subjects, "according to", tense.

Plain functions over spaCy tokens; quotes, events and evidence all ask the
same questions of the parse, so they ask them here.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_FUTURE_AUX = {"will", "'ll", "’ll", "shall"}
_PAST_TAGS = {"VBD", "VBN"}


def according_to(tok: Token) -> Token | None:
    """The "to" of "according to", or None."""
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        return tok.doc[tok.i + 1]
    return None


def subject_of(tok: Token) -> Token | None:
    """The subject of a verb, climbing xcomp/conj chains ("was heard saying")."""
    to = according_to(tok)
    if to is not None:  # "according to the filing": the source is the object of "to"
        objects = [c for c in to.children if c.dep_ == "pobj"]
        return objects[0] if objects else None
    cur: Token | None = tok
    for _ in range(4):
        if cur is None:
            return None
        subj = [c for c in cur.children if c.dep_ in _SUBJECTS]
        if subj:
            return subj[0]
        if cur.dep_ in ("xcomp", "conj", "advcl") and cur.head.i != cur.i:
            # "recalling Blake referring to ...": the raised object is the subject
            if cur.dep_ == "advcl" and cur.tag_ == "VBG":
                obj = [c for c in cur.head.children if c.dep_ == "dobj" and c.i < cur.i]
                if obj:
                    return obj[0]
            cur = cur.head
            continue
        return None
    return None


def clause_verb(tok: Token) -> Token:
    """The verb heading the clause ``tok`` sits in (itself when it is one)."""
    cur = tok
    for _ in range(12):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def tense_of(verb: Token) -> str | None:
    """``past``, ``future`` or ``present`` for a clause's verb, from its tag and auxiliaries."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX or "going" in words or verb.lower_ == "going":
        return "future"
    if any(a.tag_ == "VBD" for a in auxes) or verb.tag_ == "VBD" or (verb.tag_ == "VBN" and "have" not in {a.lemma_ for a in auxes}):
        return "past"
    if "have" in {a.lemma_ for a in auxes}:
        return "past"  # present perfect reports what happened
    if verb.tag_ in ("VBZ", "VBP", "VBG", "VB"):
        if verb.tag_ == "VB" and verb.dep_ == "xcomp":
            return tense_of(verb.head) if verb.head.i != verb.i else None
        return "present"
    return None


def tense_at(doc: Doc) -> Callable[[int], str | None]:
    """A function from a character offset to the tense of the clause around it."""
    starts = [t.idx for t in doc]

    def at(offset: int) -> str | None:
        if not starts:
            return None
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        return tense_of(clause_verb(doc[i]))

    return at
