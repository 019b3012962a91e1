"""Organisation references: "the newspaper", "the agency", and a subject "it", tied to an organisation named before.

Token offsets, half-open.
"""

from __future__ import annotations

from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster, QuotedRanges, TokenMention, previous_subject
from storyline.stages.shared.clauses import NOMINAL_SUBJECTS
from storyline.stages.shared.lexicon import NEW_ORG_MODIFIERS, ORG_NOUNS, SPEAKING_THINGS

#: How many sentences back the organisation "the agency" stands for may have been named last.
_ORG_NOUN_WINDOW = 8
#: The mention kinds that give an organisation's name.
_NAMING_KINDS = frozenset({"name", "alias"})
#: Where a source stands in a sentence: "the agency said", "the agency's memo".
_SOURCE_DEPS = NOMINAL_SUBJECTS | {"poss"}
#: The dependency labels of the words "the ... <organisation noun>" may have before the noun: "the appeals court".
_ORG_NOUN_MODIFIERS = frozenset({"amod", "compound", "nummod"})
#: The dependency labels that make a sentence describe "it" rather than report what it did: "It is the biggest".
_DESCRIBING = frozenset({"acomp", "attr"})
#: What makes a later "it" not its sentence's first subject: a subject before it, or "there".
_EARLIER_SUBJECTS = NOMINAL_SUBJECTS | {"expl"}


def resolve_org_nouns(t: DocTable, orgs: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges, sent_of: list[int]) -> None:
    """Tie "the newspaper", "the agency", "the commission" to the last organisation named that is one.

    "The Harbour Gazette reported the closure on Monday. The newspaper said the ferry
    would stop." -> the Harbour Gazette. The organisation's name must say what the noun
    says (a Gazette is a newspaper, the "Commission on Presidential Debates" a
    commission), it must have been named in the last few sentences, and no other use of
    the noun may come between ("among the high-earning group ... The group also views"
    is a group of voters, not the Roper Center named before). Only where a source stands:
    a subject, a possessor, "according to the union".
    """
    words = {id(cl): _name_words(t, cl) for cl in orgs}
    kinds = {id(cl): _org_kinds(words[id(cl)]) for cl in orgs}
    named = sorted(((m.start, cl) for cl in orgs if kinds[id(cl)] for m in cl.mentions), key=lambda p: p[0])
    latest: dict[str, dict[int, tuple[int, NameCluster]]] = {}  # noun -> where each organisation that is one was last named
    other_since: dict[str, int] = {}  # noun -> where it was last used for something else
    k = 0
    for i, low in enumerate(t.lower):
        while k < len(named) and named[k][0] < i:
            at, cl = named[k]
            for noun in kinds[id(cl)]:
                latest.setdefault(noun, {})[id(cl)] = (at, cl)
            k += 1
        if low not in ORG_NOUNS or i in owner or t.dep[i] == "compound":
            continue  # "the company spokesman" is about someone else
        found = None if quoted.covers(i) or not _speaks_here(t, i) else _org_nominal(t, i)
        fits = [(at, org) for at, org in latest.get(low, {}).values() if found[1] <= words[id(org)]] if found else []
        best = max(fits, key=lambda p: p[0], default=None)
        if found is None or best is None or other_since.get(low, -1) > best[0] or sent_of[i] - sent_of[best[0]] > _ORG_NOUN_WINDOW:
            other_since[low] = i
            continue
        org = best[1]
        org.mentions.append(TokenMention(found[0], i + 1, "epithet", f"organisation noun: '{_name_of(t, org)}' is the {low} named last"))
        for j in range(found[0], i + 1):
            owner[j] = org
        for noun in kinds[id(org)]:
            latest[noun][id(org)] = (i, org)


def _name_of(t: DocTable, cl: NameCluster) -> str:
    """The longest name an organisation was given so far: "The Washington Post", not "Post"."""
    return max((t.span_text(m.start, m.end) for m in cl.mentions if m.kind in _NAMING_KINDS), key=len, default="")


def _name_words(t: DocTable, cl: NameCluster) -> set[str]:
    """The lowercased words of an organisation's names: {"u.s.", "court", "of", "appeals"}."""
    return {t.lower[k] for m in cl.mentions if m.kind in _NAMING_KINDS for k in range(m.start, m.end)}


def _org_kinds(words: set[str]) -> set[str]:
    """The organisation nouns names fit: {"harbour", "gazette"} -> {"newspaper", "paper"}.

    A name that is the bare noun ("Bank executives aren't", tagged ORG) is no bank.
    """
    return {noun for noun, marks in ORG_NOUNS.items() if not marks.isdisjoint(words) and words != {noun}}


def _speaks_here(t: DocTable, i: int) -> bool:
    """Whether token ``i`` stands where a speech source does: "the agency said", "according to the agency", "the agency's memo"."""
    dep, head = t.dep[i], t.head[i]
    if dep in _SOURCE_DEPS:
        return True
    return dep == "pobj" and (t.dep[head] == "agent" or t.lower[head] == "to" and head > 0 and t.lower[head - 1] == "according")


def _org_nominal(t: DocTable, i: int) -> tuple[int, set[str]] | None:
    """The definite phrase "the [modifiers] <organisation noun>" headed by token ``i``, or None.

    Returns its start and the nouns before the head, which the organisation's name must
    have: "The appeals court ruled" -> (the index of "The", {"appeals"}), a court of
    appeals, not the Supreme Court. Not "another group", "the group of voters" or "the
    Clinton campaign", which are organisations of their own.
    """
    if t.tag[i] != "NN" or t.lower[i] not in ORG_NOUNS:
        return None
    tok = t.doc[i]
    lefts = list(tok.lefts)
    if not lefts or lefts[0].lower_ != "the" or lefts[0].dep_ != "det":
        return None
    for c in lefts[1:]:
        if c.dep_ not in _ORG_NOUN_MODIFIERS or c.text[:1].isupper() or c.lower_ in NEW_ORG_MODIFIERS:
            return None
    if any(c.dep_ == "appos" or c.dep_ == "prep" and c.lower_ == "of" for c in tok.rights):
        return None
    return lefts[0].i, {c.lower_ for c in lefts if c.dep_ == "compound"}


def resolve_org_pronouns(t: DocTable, owner: dict[int, NameCluster], quoted: QuotedRanges) -> None:
    """Tie a subject "it" to the organisation that is the subject of the sentence before.

    "The Harbour Gazette reported the closure on Monday. It said the ferry would stop."
    -> the Harbour Gazette. Only when nothing else can be "it": the pronoun is the first
    subject of its sentence and makes a statement ("It is the biggest decline" describes
    something), and the sentence before is narration whose subject is an organisation
    and offers nothing else to be "it": "The Riverton Council obtained a letter from the
    ferry operator. It says ..." stays unresolved (the letter says it).
    """
    doc = t.doc
    for i, low in enumerate(t.lower):
        if low != "it" or i in owner or t.dep[i] not in NOMINAL_SUBJECTS or quoted.covers(i):
            continue
        head = t.head[i]
        if t.lemma[head] == "be" or any(c.dep_ in _DESCRIBING for c in doc[head].children):
            continue
        start = t.sent_bounds(i)[0]
        if any(t.dep[k] in _EARLIER_SUBJECTS for k in range(start, i)):
            continue
        previous = previous_subject(doc, start, owner, quoted)
        if previous is None or previous.type != "ORG" or _something_else_it(t, start, previous, owner):
            continue
        previous.mentions.append(TokenMention(i, i + 1, "pronoun", f"pronoun: '{_name_of(t, previous)}' is the subject of the sentence before"))
        owner[i] = previous


def _something_else_it(t: DocTable, start: int, org: NameCluster, owner: dict[int, NameCluster]) -> bool:
    """Whether the sentence before ``start`` offers something other than ``org`` to be "it".

    An "it" that is not the organisation ("NBC News first published the video, and the
    family released it to the Post. It shows ..."), or a thing that speaks ("The council
    sent a letter on Thursday. It says ...": the letter).
    """
    if start == 0:
        return False
    a, _ = t.sent_bounds(start - 1)
    return any(
        t.lower[k] in ("it", "its") and owner.get(k) is not org or t.pos[k] == "NOUN" and t.lemma[k].lower() in SPEAKING_THINGS
        for k in range(a, start)
    )
