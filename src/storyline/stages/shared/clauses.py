"""Clause-level grammar shared by the stages: subjects and "according to".

Plain functions over spaCy tokens; quotes, events and evidence all ask the
same questions of the parse, so they ask them here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

#: The dependency labels of a subject.
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
#: The dependency labels of a nominal subject, active or passive: "she sued", "she was sued".
NOMINAL_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
#: The dependency labels of a verb that may share the subject of the verb it hangs from:
#: "wanted to leave", "sued and won", "left, saying ...".
_SHARES_SUBJECT = frozenset({"xcomp", "conj", "advcl"})


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
        subj = [c for c in cur.children if c.dep_ in SUBJECTS]
        if subj:
            return subj[0]
        if cur.dep_ in _SHARES_SUBJECT and cur.head.i != cur.i:
            # "recalling Blake referring to ...": the raised object is the subject
            if cur.dep_ == "advcl" and cur.tag_ == "VBG":
                obj = [c for c in cur.head.children if c.dep_ == "dobj" and c.i < cur.i]
                # only when the participle follows its object directly: "recalling Blake
                # referring to ...", not "sued Leah Varga and her husband, claiming ..."
                if obj and not any(t.text == "," for t in cur.doc[obj[0].right_edge.i + 1:cur.i]):
                    return obj[0]
            cur = cur.head
            continue
        return None
    return None


def near_subject(tok: Token) -> Token | None:
    """The subject of a verb, or of the verb it is conjoined to or depends on, one step up.

    "has criticized ... and called for": "called" shares the subject. Unlike
    ``subject_of``, it does not climb further, nor read "according to" or a
    raised object: the attribution model was trained with this reading.
    """
    for child in tok.children:
        if child.dep_ in SUBJECTS:
            return child
    if tok.dep_ in _SHARES_SUBJECT and tok.head.i != tok.i:
        for child in tok.head.children:
            if child.dep_ in NOMINAL_SUBJECTS:
                return child
    return None
