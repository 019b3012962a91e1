"""Attribution candidates: a cue word, the clause it governs, and what describes them.

Most of what news attributes stands outside quote marks: "Trump said he would
...", "officials warned that ...", "according to the filing, ...". Each
candidate here pairs a possible cue (a verb, a noun such as "claim", the
"according" of "according to") with one possible content: the subtree of one
of its dependents (a that-clause, an infinitive, an object, the object of a
preposition) or, for a cue inside the clause it reports ("..., he said"), the
clause above it. The parse proposes; ``scorer`` decides which
pairs are attributions, from ``features``.

The spans follow PolNeAR's conventions: the content is the whole clause with
its "that"; the cue is the verb with its auxiliaries and negation ("could have
envisioned", "are reported"); the source is the subject's noun phrase without
a relative clause ("Michael Mulgrew, president of the union," not "..., which
represents ...").
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from storyline.stages.shared.clauses import SUBJECTS, according_to, near_subject
from storyline.stages.shared.lexicon import CUE_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.nlp.doctable import DocTable

#: Dependents whose subtree may be what a cue reports.
CONTENT_DEPS = frozenset(
    {"ccomp", "xcomp", "dobj", "advcl", "oprd", "nsubjpass", "attr", "acomp", "acl", "relcl", "conj", "nsubj", "csubj"}
)
#: How a cue may hang below the clause it reports ("..., he said" is parataxis or the root).
HEAD_DEPS = frozenset(
    {"parataxis", "advcl", "ccomp", "conj", "relcl", "prep", "acl", "ROOT", "advmod", "xcomp", "pcomp"}
)
_CUE_POS = frozenset({"VERB", "NOUN", "AUX", "PROPN", "ADJ"})
#: Parts of speech of a verb, for the speech verbs of the lexicon and the verbs a clause holds.
VERB_POS = frozenset({"VERB", "AUX"})
#: A subject that is a noun phrase, active or passive (not a clause: "csubj").
NOMINAL_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
#: The dependents of a preposition whose subtree may be what its cue reports ("called for [a global solution]").
_PREP_OBJECT_DEPS = frozenset({"pobj", "pcomp"})
#: Dependents that close a clause without being part of it: a dangling "but"/"and", punctuation.
_LOOSE_DEPS = frozenset({"cc", "punct"})
#: How a participle or infinitive hangs on the clause whose subject speaks for it ("..., saying", "quick to emphasize").
_RAISED_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "acomp"})
#: What a participle may modify and speak for: "a report claiming ...".
_NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON"})
#: How a verb of a relative clause hangs on its noun ("Mulgrew, who said ...").
_RELATIVE_DEPS = frozenset({"relcl", "acl"})
#: How a verb may hang on another inside one relative clause ("who was asked and said ...").
_CHAINED_VERB_DEPS = frozenset({"conj", "xcomp"})
#: The words of a cue besides its verb: auxiliaries, negation, a particle ("has not said", "points out").
CUE_WORD_DEPS = frozenset({"aux", "auxpass", "neg", "prt"})
#: Entity types of a time expression ("said Friday").
TIME_ENT_TYPES = frozenset({"DATE", "TIME"})
#: The dependents of a cue word that are features of it ("C=prep:for", "C=neg:not").
_FEATURE_CHILD_DEPS = frozenset({"prep", "prt", "aux", "neg", "advmod", "agent"})


class Candidate(NamedTuple):
    """One possible attribution: the cue token, how the content hangs on it, and the content's range."""

    cue: Token
    relation: str  # a dependency label, "prep>pobj", or "HEAD:<dep of the cue>"
    root: Token  # the token whose subtree is the content
    start: int  # character offsets of the content, half-open
    end: int


def _edges(tok: Token) -> tuple[int, int]:
    right = tok.right_edge
    return tok.left_edge.idx, right.idx + len(right.text)


def _trailing_aside(child: Token) -> bool:
    """A dependent that closes a clause without belonging to what is reported.

    ", which currently supplies ..." (a relative clause after a comma),
    ", according to the poll", a dangling "but"/"and".
    """
    if child.dep_ in _LOOSE_DEPS:
        return True
    before = child.doc[child.left_edge.i - 1] if child.left_edge.i > 0 else None
    if child.dep_ == "relcl" and before is not None and before.text == ",":
        return True
    return child.dep_ == "prep" and child.lower_ == "according"


def _clause_range(root: Token) -> tuple[int, int]:
    """The subtree of ``root`` less the asides that trail it."""
    start, end = _edges(root)
    for child in reversed(list(root.rights)):
        if not _trailing_aside(child):
            break
        cut = child.left_edge
        # also drop the comma before the aside
        while cut.i > root.i and cut.doc[cut.i - 1].text in (",", "—", "–"):
            cut = cut.doc[cut.i - 1]
        end = min(end, cut.idx)
    return start, max(end, root.idx + len(root.text))  # never cut into the root itself


def _without(start: int, end: int, inner: tuple[int, int]) -> tuple[int, int]:
    """A clause's range less the cue's own phrase when that stands at either edge ("According to X, ...")."""
    if inner[0] <= start < inner[1]:
        return inner[1], end
    if inner[0] < end <= inner[1]:
        return start, inner[0]
    return start, end


def _contents(cue: Token) -> Iterator[tuple[str, Token]]:
    for child in cue.children:
        if child.dep_ in CONTENT_DEPS:
            yield child.dep_, child
        elif child.dep_ == "prep":
            yield "prep", child  # "called for [a global solution]" and "[for use of the server]" both occur
            for obj in child.children:
                if obj.dep_ in _PREP_OBJECT_DEPS:
                    yield "prep>" + obj.dep_, obj
    head = cue.head
    if head.i != cue.i and cue.dep_ in HEAD_DEPS:
        yield "HEAD:" + cue.dep_, head


def candidates(doc: Doc, table: DocTable | None = None, *, never: frozenset[str] = frozenset()) -> Iterator[Candidate]:
    """Every (cue, content) pair the parse allows, in token order; none for a cue lemma in ``never``."""
    pos = table.pos if table is not None else [t.pos_ for t in doc]
    lower = table.lower if table is not None else [t.lower_ for t in doc]
    lemma = table.lemma if table is not None and never else None
    for i, tag in enumerate(pos):
        if tag not in _CUE_POS and lower[i] != "according":
            continue
        if lemma is not None and lemma[i].lower() in never:
            continue
        tok = doc[i]
        if tag not in _CUE_POS and according_to(tok) is None:
            continue
        for relation, root in _contents(tok):
            start, end = _clause_range(root)
            if relation.startswith("HEAD:"):
                start, end = _without(start, end, _edges(tok))
            if end - start >= 2:
                yield Candidate(tok, relation, root, start, end)
            if relation == "dobj":
                yield from _object_and_complement(tok, root, end)
            if relation == "xcomp":
                # a raising verb reports its subject too: "[Melania seems to have vanished]"
                subj = next((c for c in tok.children if c.dep_ in NOMINAL_SUBJECT_DEPS), None)
                if subj is not None and subj.i < tok.i:
                    yield Candidate(tok, "subj+xcomp", root, subj.left_edge.idx, end)


#: What may follow a cue's object to report about it: "urged [voters to ...]", "called [him a liar]", "blamed [the crash on ...]".
_AFTER_OBJECT = frozenset({"xcomp", "oprd", "ccomp", "prep"})


def _object_and_complement(cue: Token, obj: Token, obj_end: int) -> Iterator[Candidate]:
    """The object with what the cue says of it, as one content: "urged [supporters to monitor polling places]"."""
    for child in cue.rights:
        if child.i > obj.i and child.dep_ in _AFTER_OBJECT:
            start, end = _clause_range(child)
            if start >= obj_end:
                yield Candidate(cue, "dobj+" + child.dep_, child, obj.left_edge.idx, end)


def source_token(cue: Token) -> Token | None:
    """The head of the source: "according to X" → X, the subject, or the agent of a passive ("by X")."""
    to = according_to(cue)
    if to is not None:
        return next((c for c in to.children if c.dep_ == "pobj"), None)
    outer = _outer_speech(cue)
    if outer is not None:
        return source_token(outer)
    subj = near_subject(cue)
    if subj is not None:
        # a dateline parsed as the subject: "WASHINGTON -- President Obama ... said"
        if subj.is_upper and subj.i + 1 < len(subj.doc) and subj.doc[subj.i + 1].text in _DASHES:
            return next((c for c in subj.rights if c.dep_ == "appos"), subj)
        return subj
    agent = passive_agent(cue)
    if agent is not None:
        return agent
    if cue.pos_ == "NOUN":  # "Trump's claim that ...": the possessor
        return next((c for c in cue.children if c.dep_ == "poss"), None)
    # a participle or infinitive deeper down speaks for the clause's subject:
    # "Trump attacked Clinton on Monday, saying ...", "began his speech by marveling at ...",
    # "he was quick to emphasize ..."
    head = cue
    for _ in range(3):
        if head.dep_ not in _RAISED_DEPS or head.head.i == head.i:
            break
        head = head.head
        subj = next((c for c in head.children if c.dep_ in NOMINAL_SUBJECT_DEPS), None)
        if subj is not None:
            return subj
    if cue.dep_ == "acl" and cue.tag_ == "VBG" and cue.head.pos_ in _NOMINAL_POS:
        return cue.head  # a participle speaks for the noun it modifies: "a report claiming ...", "The mother of four ..., claiming ..."
    return None


def joined_speech(tok: Token) -> bool:
    """A speech verb joined to a clause with no subject of its own: "... was late [and added] that ..."."""
    return tok.dep_ == "conj" and tok.pos_ == "VERB" and tok.lemma_.lower() in CUE_VERBS and not any(c.dep_ in SUBJECTS for c in tok.children)


def _outer_speech(cue: Token) -> Token | None:
    """The speech verb whose report a second speech verb was parsed into, or None.

    "Brel said the ferry was late and added that ...": "added" hangs on "was"; Brel adds.
    """
    if not joined_speech(cue):
        return None
    head = cue.head
    if head.dep_ == "ccomp" and head.head.lemma_.lower() in CUE_VERBS and head.head.i < cue.i:
        return head.head
    return None


def passive_agent(cue: Token) -> Token | None:
    """The "by X" of a passive cue: "was first reported by [the Post]"."""
    for child in cue.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


def antecedent(tok: Token) -> Token | None:
    """What a relative pronoun subject stands for: "Mulgrew, who said ..." → Mulgrew."""
    if tok.lower_ not in RELATIVE_PRONOUNS or tok.dep_ not in NOMINAL_SUBJECT_DEPS:
        return None
    verb = tok.head
    while verb.dep_ in _CHAINED_VERB_DEPS and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ in _RELATIVE_DEPS and verb.head.i != verb.i:
        return verb.head
    return None


def source_range(tok: Token, cue: Token | None = None) -> tuple[int, int]:
    """The source's noun phrase, as PolNeAR marks it.

    Before its cue, the subtree less what a comma sets off: "Michael Mulgrew,
    president of the union," keeps its appositive; ", which represents ...",
    ", like Obama," and ", released in August" are dropped, and below the head an
    appositive's own aside goes too ("Jean-Marc Ayrault, the foreign minister of
    France, a permanent member of the Council"). A restrictive clause stays
    ("people Republicans have tried to reach"). After its cue the phrase is
    whole: "said Luis Rubio, who heads the Center". A dateline parsed into the
    subject is not part of it ("WASHINGTON -- President Obama").
    """
    doc = tok.doc
    drop: set[int] = set()
    if cue is None or tok.i < cue.i:
        for head in tok.subtree:
            if head.i in drop:
                continue
            set_off = _SET_OFF if head.i == tok.i else _SET_OFF_BELOW
            for child in head.rights:
                if child.dep_ in set_off and child.left_edge.i > 0 and doc[child.left_edge.i - 1].text == "," and child.lower_ not in _KEPT_PREPS:
                    drop.update(t.i for t in child.subtree)
    if cue is not None and tok.is_ancestor(cue):
        drop.update(t.i for t in cue.subtree)  # "a letter [claiming that ...]": the source is not its own cue
    kept = [t for t in tok.subtree if t.i not in drop]
    if tok.dep_ == "ROOT":
        # a noun parsed as the sentence's root holds the misread verb too: "The mother of
        # four formally sued Justin ..., claiming ..." is "The mother of four"
        verb = next((t.i for t in kept if t.i > tok.i and t.tag_.startswith("VB")), None)
        kept = [t for t in kept if verb is None or t.i < verb and not (t.dep_ == "advmod" and t.head.i == verb)]
    first = kept[0]
    last = max((t for t in kept if not (t.is_punct or t.is_space) or t.i == tok.i), key=lambda t: t.i)  # not the closing comma
    dash = next((t for t in kept if t.i < tok.i and t.text in _DASHES), None)
    if dash is not None and all(t.is_upper or t.is_punct for t in doc[first.i : dash.i]):
        first = doc[dash.i + 1]
    return first.idx, last.idx + len(last.text)


_SET_OFF = frozenset({"relcl", "acl", "prep", "advmod", "amod", "npadvmod", "advcl"})
_SET_OFF_BELOW = frozenset({"relcl", "acl", "advcl", "appos"})
_DASHES = frozenset({"-", "--", "—", "–"})
#: Set off by a comma but part of the source: "Johnnie Wilson, of Springfield, Va.", "Proponents, including the mayors".
_KEPT_PREPS = frozenset({"of", "including"})


def cue_range(cue: Token, relation: str | None = None, root: Token | None = None) -> tuple[int, int]:
    """The cue words, as PolNeAR marks them.

    The verb with its auxiliaries, negation and particle ("has not said",
    "points out"), an adverb right before it ("also said", "later told"), a
    bare time noun right after it ("said Friday"), the preposition that
    introduces the content ("called for [new tariffs]"), "according to" whole.
    """
    toks = [cue]
    for child in cue.children:
        if (
            child.dep_ in CUE_WORD_DEPS
            or child.dep_ == "advmod" and child.i < cue.i and cue.i - child.i <= 2 and child.pos_ == "ADV"
            or child.dep_ == "npadvmod" and child.i == cue.i + 1 and child.ent_type_ in TIME_ENT_TYPES
        ):
            toks.append(child)
    if relation is not None and relation.startswith("prep>") and root is not None and root.head.head.i == cue.i:
        prep = root.head
        if prep.i == max(t.i for t in toks) + 1:  # only right after the cue words: "called for", not "told X about"
            toks.append(prep)
    to = according_to(cue)
    if to is not None:
        toks.append(to)
    doc = cue.doc
    # never across a quote mark: '"... probably not," she said' keeps "not" in the quote
    toks = [t for t in toks if not any(doc[k].text in _QUOTE_TOKENS for k in range(min(t.i, cue.i), max(t.i, cue.i)))]
    return min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)


_QUOTE_TOKENS = frozenset({'"', "“", "”", "''", "``", ',"', ",”"})


_MARK = re.compile('["“”]')
_BREAK = re.compile("\n")


class DocView:
    """What ``features`` reads of one article, computed once: its text, where the quote marks and verbs are."""

    def __init__(self, doc: Doc, table: DocTable | None = None) -> None:
        self.doc = doc
        self.text = text = table.text if table is not None else doc.text  # Doc.text is rebuilt on each access
        self._marks = [m.start() for m in _MARK.finditer(text)]
        self._kinds = [text[i] for i in self._marks]
        pos = table.pos if table is not None else [t.pos_ for t in doc]
        self._verbs = list(accumulate((p in VERB_POS for p in pos), initial=0))
        self._breaks = [m.start() for m in _BREAK.finditer(text)]
        self._facts: dict[int, _CueFacts] = {}

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` holds a double quote mark."""
        return bisect.bisect_left(self._marks, end) > bisect.bisect_left(self._marks, start)

    def has_verb(self, first: int, last: int) -> bool:
        """Whether tokens ``first`` to ``last`` (inclusive) hold a verb."""
        return self._verbs[last + 1] > self._verbs[first]

    def inside_quote(self, at: int) -> bool:
        """Whether an odd number of quote marks opens before ``at`` in its paragraph."""
        k = bisect.bisect_left(self._breaks, at)
        start = self._breaks[k - 1] + 1 if k else 0
        kinds = self._kinds[bisect.bisect_left(self._marks, start) : bisect.bisect_left(self._marks, at)]
        return kinds.count('"') % 2 == 1 or kinds.count("“") > kinds.count("”")

    def cue_facts(self, cue: Token) -> _CueFacts:
        """``features``' reading of a cue word, made once per word (each has several candidate clauses)."""
        facts = self._facts.get(cue.i)
        if facts is None:
            facts = self._facts[cue.i] = _cue_facts(cue, self)
        return facts

    def dense_scores(self, weights: Sequence[float]) -> tuple[list[float], list[float]] | None:
        """Per token, the dense part of the score as a cue and as a content root; None without a tensor."""
        import numpy as np

        tensor = self.doc.tensor
        width = len(weights) // 2
        if tensor is None or len(tensor.shape) != 2 or tensor.shape[0] != len(self.doc) or tensor.shape[1] != width:
            return None
        w = np.asarray(weights, dtype="float32")
        return (tensor @ w[:width]).tolist(), (tensor @ w[width:]).tolist()


#: Width of ``dense``: the parser's context vectors of the cue word and of the content's root.
DENSE_WIDTH = 192


def dense(cand: Candidate) -> list[float] | None:
    """The context vectors (``doc.tensor``, 96 wide in the sm model) of the cue and the content root.

    They let the model generalise from the cue words it saw in training to
    words of similar use it did not see ("seethed", "extols"). None when the
    pipeline left no tensor.
    """
    tensor = cand.cue.doc.tensor
    if tensor is None or len(tensor.shape) != 2 or tensor.shape[0] != len(cand.cue.doc) or tensor.shape[1] * 2 != DENSE_WIDTH:
        return None
    return [*tensor[cand.cue.i].tolist(), *tensor[cand.root.i].tolist()]


class _CueFacts(NamedTuple):
    """What ``features`` reads of a cue word: the same for each clause it may report."""

    lemma: str
    pos: str
    features: tuple[str, ...]  # the cue word's own features


def _cue_facts(cue: Token, view: DocView) -> _CueFacts:
    subj = near_subject(cue)
    lemma, pos, tag, dep = cue.lemma_.lower(), cue.pos_, cue.tag_, cue.dep_
    has_subj = subj is not None
    own = (
        "bias",
        "L=" + lemma,
        "P=" + pos,
        "T=" + tag,
        "D=" + dep,
        f"LT={lemma}|{tag}",
        f"LD={lemma}|{dep}",
        "S=" + (subj.pos_ if subj is not None else "none"),
        "SE=" + (subj.ent_type_ if subj is not None else "none"),
        f"LS={lemma}|{has_subj}",
        f"iq={view.inside_quote(cue.idx)}",
        "SL=" + (subj.lower_ if subj is not None and subj.pos_ == "PRON" else "x"),
        *(f"C={c.dep_}:{c.lower_}" for c in cue.children if c.dep_ in _FEATURE_CHILD_DEPS),
    )
    return _CueFacts(lemma, pos, own)


def features(cand: Candidate, view: DocView) -> list[str]:
    """What the model sees of one candidate: plain strings, the cue word's first, then the candidate's own."""
    return [*view.cue_facts(cand.cue).features, *candidate_features(cand, view)]


def candidate_features(cand: Candidate, view: DocView) -> list[str]:
    """The features of one candidate less those of its cue word (``_CueFacts.features``, the same for each clause)."""
    cue, relation, root = cand.cue, cand.relation, cand.root
    facts = view.cue_facts(cue)
    lemma = facts.lemma
    content = view.text[cand.start : cand.end]
    quoted = view.quoted(cand.start, cand.end)
    size = f"n{min(6, int(math.log2(content.count(' ') + 2)))}"
    feats = [
        "O=" + relation,
        f"LO={lemma}|{relation}",
        f"PO={facts.pos}|{relation}",
        "nb=" + size,
        f"Onb={relation}|{size}",
        "RP=" + root.pos_,
        "RE=" + root.ent_type_,
        f"OR={relation}|{root.pos_}",
        f"q={quoted}",
        f"that={content[:5].lower() == 'that '}",
        f"after={cand.start > cue.idx}",
        f"Lq={lemma}|{quoted}",
        f"rv={view.has_verb(root.left_edge.i, root.right_edge.i)}",
    ]
    if relation.startswith("HEAD"):
        feats.append("HL=" + root.lemma_.lower())
    elif relation.startswith("prep"):
        feats.append(f"PP={lemma}|{root.head.lower_}")
    elif relation == "dobj+prep":
        feats.append(f"PP={lemma}|{root.lower_}")
    return feats
