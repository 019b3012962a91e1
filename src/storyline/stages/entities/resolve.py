"""Entities: spaCy NER plus our own clustering into canonical entities.

No neural coreference model can be installed offline, so resolution here is
rule-based and explainable: every mention carries ``via``, the reason it was
tied to its entity. The steps, in order:

1. names: NER mentions, repaired (``names.py``), plus titles found by pattern
   (``epithets.py``), clustered in ``mentions.py``;
2. clusters: full name <-> first name <-> surname; an organisation's full name <->
   its acronym ("International Monetary Fund" <-> "IMF", ``acronyms.py``);
3. gender: from kin terms ("her husband, X"), pronouns with a single
   candidate, then first-name lists as a prior;
4. epithets ("the director", "The mother of four") resolved by the article's
   evidence: the same role used before, gender, and salience;
5. organisation nouns ("the newspaper", "the agency") tied to the last organisation
   named that is one, and a subject "it" to the organisation the sentence before is about;
6. pronouns (he/she/his/her; they -> an organisation) by agreement and salience.

Ages, descriptions and relations are read in ``relations.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.errors import ENTITY_UNRESOLVED
from storyline.model import Entity, Issue, Mention, Relation, Span
from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster, QuotedRanges, TokenMention
from storyline.stages.entities.epithets import Epithet
from storyline.stages.entities.mentions import find_mentions
from storyline.stages.shared.lexicon import (
    FEMALE_NAMES,
    FEMALE_PRONOUNS,
    MALE_NAMES,
    MALE_PRONOUNS,
    NEW_ORG_MODIFIERS,
    ORG_NOUNS,
    PLURAL_PRONOUNS,
    RELATION_NOUNS,
    ROLE_NOUNS,
    ROLE_VERBS,
    SPEAKING_THINGS,
)
from storyline.stages.shared.resolved import Entities

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storyline.stages.shared.quotemarks import QuotedSpan

__all__ = ["resolve_entities"]


def _vote_genders(t: DocTable, people: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges) -> None:
    """Collect gender evidence: kin terms, pronouns with one candidate, name lists."""
    for cl in people:
        first = cl.name_tokens[0].lower() if cl.name_tokens else ""
        if first in MALE_NAMES:
            cl.gender_votes["m"] += 1
        elif first in FEMALE_NAMES:
            cl.gender_votes["f"] += 1
    n = t.n
    pronouns: list[tuple[int, str]] = []
    for i, low in enumerate(t.lower):
        # "her husband, Ryan Reynolds": the named person is male, the possessor female
        rel = RELATION_NOUNS.get(low)
        if rel and rel[1]:
            for k in range(i + 1, min(n, i + 3)):
                if k in owner:
                    owner[k].gender_votes[rel[1]] += 3
                    break
                if not t.is_punct[k]:
                    break
        g = "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None
        if g is not None and not quoted.covers(i):
            pronouns.append((i, g))
    for _ in range(2):  # a second round uses what the first one settled
        for i, g in pronouns:
            seen: list[NameCluster] = []
            for k in range(t.sent_bounds(i)[0], i):
                near = owner.get(k)
                if near is not None and near not in seen:
                    seen.append(near)
            candidates = [c for c in seen if c.gender in (None, g)]
            if len(candidates) == 1 and candidates[0].gender is None:
                candidates[0].gender_votes[g] += 1


def _salience(cl: NameCluster, at: int, t: DocTable, sent_of: list[int]) -> float:
    """How likely an unnamed reference at token ``at`` is to point at ``cl``."""
    prior = [m for m in cl.mentions if m.start < at]
    if not prior:
        return 0.0
    here = sent_of[at]
    score = 0.0
    for m in prior:
        back = here - sent_of[m.start]
        weight = 1.0 / (1 + back)
        if t.dep[m.end - 1] in ("nsubj", "nsubjpass") or t.dep[m.start] in ("nsubj", "nsubjpass"):
            weight *= 2
        score += weight
    # the article's topic stays salient across quotes and other people's turns
    return score + 0.25 * len(prior)


def _previous_subject(doc: Doc, start: int, owner: dict[int, NameCluster], quoted: QuotedRanges) -> NameCluster | None:
    """The entity that is the narrated subject of the sentence before ``start`` (not inside a quote)."""
    if start == 0:
        return None
    prev = doc[start - 1].sent
    root = prev.root
    if quoted.covers(root.i):
        return None
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or quoted.covers(subj.i):
        return None
    return owner.get(subj.i)


def _resolve_epithets(
    t: DocTable, epithets: list[Epithet], people: list[NameCluster], owner: dict[int, NameCluster],
    quoted: QuotedRanges, sent_of: list[int],
) -> list[Issue]:
    issues: list[Issue] = []
    doc = t.doc
    for start, end, role_i, _title_end in epithets:
        role = t.lower[role_i]
        if role_i in owner:
            continue
        gender = ROLE_NOUNS.get(role)
        why: list[str] = []
        sent_start, sent_end = t.sent_bounds(start)
        if gender:
            why.append(f"'{role}' is {'female' if gender == 'f' else 'male'}")
        else:
            # the first third-person pronoun after a subject epithet in its sentence
            if t.dep[role_i] in ("nsubj", "nsubjpass", "ROOT") or start == sent_start:
                for k in range(end, sent_end):
                    low = t.lower[k]
                    if not quoted.covers(k) and (low in MALE_PRONOUNS or low in FEMALE_PRONOUNS):
                        gender = "m" if low in MALE_PRONOUNS else "f"
                        why.append(f"'{t.orth[k]}' later in the sentence")
                        break
        candidates = [c for c in people if any(m.start < start for m in c.mentions)]
        if gender:
            candidates = [c for c in candidates if c.gender in (None, gender)]
            # a person already given this role keeps it even when their gender is unknown
            known = [c for c in candidates if c.gender == gender or role in c.roles]
            candidates = known or candidates
        # whoever speaks about the epithet is not it: "Sofia Brandt said the founder had ..."
        governors = {
            id(owner[s.i]) for a in doc[role_i].ancestors for s in a.children
            if s.dep_ in ("nsubj", "nsubjpass") and s.i in owner and not start <= s.i < end
        }
        candidates = [c for c in candidates if id(c) not in governors] or candidates
        # a name in the same clause is someone else ("The mother of four sued Justin")
        clause_end = next((k for k in range(end, sent_end) if t.orth[k] in {",", ";", ":"}), sent_end)
        same_clause = {id(owner[k]) for k in range(end, clause_end) if k in owner}
        candidates = [c for c in candidates if id(c) not in same_clause] or candidates
        if not candidates:
            a, b, text = t.char_span(start, end)
            issues.append(Issue("entities", ENTITY_UNRESOLVED, f"no earlier person fits the epithet '{text}'; it was left unresolved", Span(a, b, text)))
            continue
        verb = ROLE_VERBS.get(role)
        by_role = [c for c in candidates if role in c.roles or verb is not None and verb in c.verbs]
        if by_role:
            best = max(by_role, key=lambda c: _salience(c, start, t, sent_of))
            why.append(f"already called the {role}")
        else:
            # news names someone, then refers back with a role in the next sentence's
            # subject: "Gregor Lind said ... The Ironbridge chief did not take questions."
            previous = _previous_subject(doc, start, owner, quoted) if sent_start == start else None
            if previous is not None and previous in candidates:
                best = previous
                why.append("subject of the sentence before")
            else:
                best = max(candidates, key=lambda c: _salience(c, start, t, sent_of))
                why.append("most salient person so far")
        best.mentions.append(TokenMention(start, end, "epithet", "epithet: " + "; ".join(why)))
        best.roles.add(role)
        desc = t.span_text(start + 1 if t.lower[start] == "the" else start, end)
        if desc not in best.descriptions:
            best.descriptions.append(desc)
        for k in range(start, end):
            owner.setdefault(k, best)  # a title inside the epithet stays the work's
        owner[role_i] = best
    return issues


#: How many sentences back the organisation "the agency" stands for may have been named last.
_ORG_NOUN_WINDOW = 8


def _name_of(t: DocTable, cl: NameCluster) -> str:
    """The longest name an organisation was given so far: "The Washington Post", not "Post"."""
    return max((t.span_text(m.start, m.end) for m in cl.mentions if m.kind in ("name", "alias")), key=len, default="")


def _name_words(t: DocTable, cl: NameCluster) -> set[str]:
    """The lowercased words of an organisation's names: {"u.s.", "court", "of", "appeals"}."""
    return {t.lower[k] for m in cl.mentions if m.kind in ("name", "alias") for k in range(m.start, m.end)}


def _org_kinds(words: set[str]) -> set[str]:
    """The organisation nouns names fit: {"harbour", "gazette"} -> {"newspaper", "paper"}.

    A name that is the bare noun ("Bank executives aren't", tagged ORG) is no bank.
    """
    return {noun for noun, marks in ORG_NOUNS.items() if not marks.isdisjoint(words) and words != {noun}}


def _speaks_here(t: DocTable, i: int) -> bool:
    """Whether token ``i`` stands where a speech source does: "the agency said", "according to the agency", "the agency's memo"."""
    dep, head = t.dep[i], t.head[i]
    if dep in ("nsubj", "nsubjpass", "poss"):
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
        if c.dep_ not in ("amod", "compound", "nummod") or c.text[:1].isupper() or c.lower_ in NEW_ORG_MODIFIERS:
            return None
    if any(c.dep_ == "appos" or c.dep_ == "prep" and c.lower_ == "of" for c in tok.rights):
        return None
    return lefts[0].i, {c.lower_ for c in lefts if c.dep_ == "compound"}


def _resolve_org_nouns(t: DocTable, orgs: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges, sent_of: list[int]) -> None:
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


def _resolve_org_pronouns(t: DocTable, owner: dict[int, NameCluster], quoted: QuotedRanges) -> None:
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
        if low != "it" or i in owner or t.dep[i] not in ("nsubj", "nsubjpass") or quoted.covers(i):
            continue
        head = t.head[i]
        if t.lemma[head] == "be" or any(c.dep_ in ("acomp", "attr") for c in doc[head].children):
            continue
        start = t.sent_bounds(i)[0]
        if any(t.dep[k] in ("nsubj", "nsubjpass", "expl") for k in range(start, i)):
            continue
        previous = _previous_subject(doc, start, owner, quoted)
        if previous is None or previous.type != "ORG" or _something_else_it(t, start, previous, owner):
            continue
        previous.mentions.append(TokenMention(i, i + 1, "pronoun", f"pronoun: '{_name_of(t, previous)}' is the subject of the sentence before"))
        owner[i] = previous


def _resolve_pronouns(
    t: DocTable, people: list[NameCluster], orgs: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges,
    sent_of: list[int],
) -> None:
    pos = t.pos
    for i, low in enumerate(t.lower):
        if i in owner or pos[i] != "PRON" or quoted.covers(i):
            continue
        if low in PLURAL_PRONOUNS:
            # "the New York Times after they published": an organisation just named
            near = [c for c in orgs if any(m.start < i and sent_of[i] - sent_of[m.start] <= 0 for m in c.mentions)]
            if len(near) == 1:
                near[0].mentions.append(TokenMention(i, i + 1, "pronoun", "organisation named earlier in the sentence"))
                owner[i] = near[0]
            continue
        g = "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None
        if g is None:
            continue
        window = [c for c in people if any(m.start < i and sent_of[i] - sent_of[m.start] <= 8 for m in c.mentions)]
        agree = [c for c in window if c.gender == g]
        unknown = [c for c in window if c.gender is None]
        pool = agree or unknown
        if not pool:
            continue
        # a pronoun object does not corefer with its own verb's subject (Principle B)
        if t.dep[i] in ("dobj", "pobj") and pos[t.head[i]] == "VERB":
            subj = [c.i for c in t.doc[t.head[i]].children if c.dep_ == "nsubj"]
            pool = [c for c in pool if not any(owner.get(s) is c for s in subj)] or pool
        best = max(pool, key=lambda c: _salience(c, i, t, sent_of))
        via = f"pronoun: {'agrees in gender' if agree else 'gender unknown'}, most salient"
        best.mentions.append(TokenMention(i, i + 1, "pronoun", via))
        owner[i] = best


def _relation_hedges(doc: Doc, evidence: Span) -> tuple[str, ...]:
    """Hedges on the word that states a relation: "her alleged boyfriend, X"."""
    from storyline.stages.shared.evidence import read_hedges

    span = doc.char_span(evidence.start, evidence.end, alignment_mode="expand")
    words = [t for t in span if t.lower_ in RELATION_NOUNS] if span is not None else []
    return tuple(read_hedges(words[0])) if words else ()


def resolve_entities(doc: Doc, quoted: list[QuotedSpan] | None = None, *, table: DocTable | None = None) -> Entities:
    """Find the article's entities and cluster every mention under one name.

    Args:
        doc: the parsed article.
        quoted: quotations found by ``scan_quotes``; pronouns inside them are
            the speaker's, not the narrator's, and are left alone.
        table: ``DocTable(doc)``, when the caller has read it already.

    Returns:
        ``Entities``; mention offsets are half-open character offsets into
        ``doc.text``.
    """
    from storyline.stages.entities.relations import (
        read_ages,
        read_kin_nominals,
        read_predicate_roles,
        read_relations,
        read_roles,
    )

    t = table if table is not None else DocTable(doc)
    quoted_ranges = QuotedRanges(doc, quoted or [], t)
    clusters, epithets = find_mentions(doc, quoted_ranges, table=t)
    ordered = sorted(clusters.values(), key=lambda c: c.first)
    owner: dict[int, NameCluster] = {}
    for cl in ordered:
        for m in cl.mentions:
            for k in range(m.start, m.end):
                owner[k] = cl
    sent_of = t.sent_of
    for i, cl in owner.items():
        if t.dep[i] in ("nsubj", "nsubjpass"):
            cl.verbs.add(t.lemma[t.head[i]].lower())  # "Dario Mendes has directed films" -> a director
    people = [c for c in ordered if c.type == "PERSON"]
    orgs = [c for c in ordered if c.type == "ORG"]
    _vote_genders(t, people, owner, quoted_ranges)
    read_roles(doc, owner, table=t)
    read_predicate_roles(doc, owner, table=t)
    issues = _resolve_epithets(t, epithets, people, owner, quoted_ranges, sent_of)
    read_ages(doc, owner, table=t)
    _resolve_org_nouns(t, orgs, owner, quoted_ranges, sent_of)
    _resolve_org_pronouns(t, owner, quoted_ranges)
    _resolve_pronouns(t, people, orgs, owner, quoted_ranges, sent_of)
    relation_facts = read_relations(doc, owner, table=t)
    for cl, a, b, via in read_kin_nominals(doc, owner, relation_facts, table=t):
        cl.mentions.append(TokenMention(a, b, "nominal", via))

    ids = {id(cl): f"e{n}" for n, cl in enumerate(ordered, 1)}
    entities = []
    by_token: dict[int, str] = {}
    for cl in ordered:
        eid = ids[id(cl)]
        mentions = sorted(cl.mentions, key=lambda m: m.start)
        texts = [t.span_text(m.start, m.end) for m in mentions]
        names = [text for m, text in zip(mentions, texts, strict=True) if m.kind == "name"]
        name = max(names or texts, key=len)
        aliases: list[str] = []
        for m, text in zip(mentions, texts, strict=True):
            if m.kind != "pronoun" and text != name and text.lower() not in {a.lower() for a in aliases}:
                aliases.append(text)
        attributes: dict[str, object] = {}
        if cl.age is not None:
            attributes["age"] = cl.age
        if cl.descriptions:
            attributes["descriptions"] = list(cl.descriptions)
        if cl.type == "PERSON" and cl.gender:
            attributes["gender"] = "female" if cl.gender == "f" else "male"
        out_mentions = []
        for m in mentions:
            a, b, text = t.char_span(m.start, m.end)
            out_mentions.append(Mention(a, b, text, m.kind, m.via))
            for k in range(m.start, m.end):
                by_token[k] = eid
        entities.append(Entity(eid, name, cl.type, tuple(out_mentions), tuple(aliases), attributes))
    relations = []
    seen: set[tuple[str, str, str]] = set()
    for subj, pred, obj, evidence in relation_facts:
        key = (ids[id(subj)], pred, ids[id(obj)])
        if key[0] != key[2] and key not in seen:
            seen.add(key)
            hedges = _relation_hedges(doc, evidence)
            relations.append(Relation(key[0], pred, key[2], evidence, hedges, "hedged" if hedges else "asserted"))
    return Entities(tuple(entities), tuple(relations), tuple(issues), by_token, table=t)
