"""Entities: spaCy NER plus our own clustering into canonical entities.

No neural coreference model can be installed offline, so resolution here is
rule-based and explainable: every mention carries ``via``, the reason it was
tied to its entity. The steps, in order:

1. names: NER mentions, repaired, plus titles found by pattern (``mentions.py``);
2. clusters: full name <-> first name <-> surname;
3. gender: from kin terms ("her husband, X"), pronouns with a single
   candidate, then first-name lists as a prior;
4. epithets ("the director", "The mother of four") resolved by the article's
   evidence: the same role used before, gender, and salience;
5. pronouns (he/she/his/her; they -> an organisation) by agreement and salience.

Ages, descriptions and relations are read in ``relations.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import ENTITY_UNRESOLVED
from .lexicon import (
    FEMALE_NAMES,
    FEMALE_PRONOUNS,
    MALE_NAMES,
    MALE_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATION_NOUNS,
    ROLE_NOUNS,
    ROLE_VERBS,
)
from .mentions import NameCluster, QuotedRanges, TokenMention, find_mentions, in_quote, looks_like_title
from .model import Entity, Issue, Mention, Relation, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .quotemarks import QuotedSpan

__all__ = ["Entities", "looks_like_title", "resolve_entities"]


@dataclass
class Entities:
    """What entity resolution found in one article.

    ``by_token`` maps a token index to the id of the entity its mention
    belongs to, so later stages (quotes, events) can resolve a source mention.
    """

    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    issues: tuple[Issue, ...] = ()
    by_token: dict[int, str] = field(default_factory=dict)

    def entity(self, entity_id: str | None) -> Entity | None:
        """Return the entity with this id, or None."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        return None

    def at(self, token_i: int) -> str | None:
        """Entity id of the mention covering token ``token_i``, if any."""
        return self.by_token.get(token_i)


def _sentence_of(doc: Doc) -> list[int]:
    sent_ids = [0] * len(doc)
    for k, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sent_ids[i] = k
    return sent_ids


def _vote_genders(doc: Doc, people: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges, sent_of: list[int]) -> None:
    """Collect gender evidence: kin terms, pronouns with one candidate, name lists."""
    for cl in people:
        first = cl.name_tokens[0].lower() if cl.name_tokens else ""
        if first in MALE_NAMES:
            cl.gender_votes["m"] += 1
        elif first in FEMALE_NAMES:
            cl.gender_votes["f"] += 1
    for tok in doc:
        # "her husband, Ryan Reynolds": the named person is male, the possessor female
        rel = RELATION_NOUNS.get(tok.lower_)
        if rel and rel[1]:
            for k in range(tok.i + 1, min(len(doc), tok.i + 3)):
                if k in owner:
                    owner[k].gender_votes[rel[1]] += 3
                    break
                if not doc[k].is_punct:
                    break
    for _ in range(2):  # a second round uses what the first one settled
        for tok in doc:
            low = tok.lower_
            g = "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None
            if g is None or in_quote(doc, tok.i, quoted):
                continue
            sent = doc[tok.i].sent
            seen: list[NameCluster] = []
            for k in range(sent.start, tok.i):
                near = owner.get(k)
                if near is not None and near not in seen:
                    seen.append(near)
            candidates = [c for c in seen if c.gender in (None, g)]
            if len(candidates) == 1 and candidates[0].gender is None:
                candidates[0].gender_votes[g] += 1


def _salience(cl: NameCluster, at: int, doc: Doc, sent_of: list[int]) -> float:
    """How likely an unnamed reference at token ``at`` is to point at ``cl``."""
    prior = [m for m in cl.mentions if m.start < at]
    if not prior:
        return 0.0
    here = sent_of[at]
    score = 0.0
    for m in prior:
        back = here - sent_of[m.start]
        weight = 1.0 / (1 + back)
        if doc[m.end - 1].dep_ in ("nsubj", "nsubjpass") or doc[m.start].dep_ in ("nsubj", "nsubjpass"):
            weight *= 2
        score += weight
    # the article's topic stays salient across quotes and other people's turns
    return score + 0.25 * len(prior)


def _previous_subject(doc: Doc, start: int, owner: dict[int, NameCluster], quoted: QuotedRanges) -> NameCluster | None:
    """The person who is the narrated subject of the sentence before ``start`` (not inside a quote)."""
    if start == 0:
        return None
    prev = doc[start - 1].sent
    root = prev.root
    if in_quote(doc, root.i, quoted):
        return None
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or in_quote(doc, subj.i, quoted):
        return None
    cl = owner.get(subj.i)
    return cl if cl is not None and cl.type == "PERSON" else None


def _resolve_epithets(doc: Doc, epithets: list[tuple[int, int, int, int]], people: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges, sent_of: list[int]) -> list[Issue]:
    issues: list[Issue] = []
    for start, end, role_i, title_end in epithets:
        role = doc[role_i].lower_
        if role_i in owner:
            continue
        gender = ROLE_NOUNS.get(role)
        why: list[str] = []
        if gender:
            why.append(f"'{role}' is {'female' if gender == 'f' else 'male'}")
        else:
            # the first third-person pronoun after a subject epithet in its sentence
            sent = doc[start].sent
            if doc[role_i].dep_ in ("nsubj", "nsubjpass", "ROOT") or start == sent.start:
                for k in range(end, sent.end):
                    low = doc[k].lower_
                    if not in_quote(doc, k, quoted) and (low in MALE_PRONOUNS or low in FEMALE_PRONOUNS):
                        gender = "m" if low in MALE_PRONOUNS else "f"
                        why.append(f"'{doc[k].text}' later in the sentence")
                        break
        candidates = [c for c in people if any(m.start < start for m in c.mentions)]
        if gender:
            candidates = [c for c in candidates if c.gender in (None, gender)]
            # a person already given this role keeps it even when their gender is unknown
            known = [c for c in candidates if c.gender == gender or role in c.roles]
            candidates = known or candidates
        # whoever speaks about the epithet is not it: "Sofia Brandt said the founder had ..."
        governors = {id(owner[s.i]) for a in doc[role_i].ancestors for s in a.children if s.dep_ in ("nsubj", "nsubjpass") and s.i in owner and not start <= s.i < end}
        candidates = [c for c in candidates if id(c) not in governors] or candidates
        # a name in the same clause is someone else ("The mother of four sued Justin")
        sent = doc[start].sent
        clause_end = next((k for k in range(end, sent.end) if doc[k].text in {",", ";", ":"}), sent.end)
        same_clause = {id(owner[k]) for k in range(end, clause_end) if k in owner}
        candidates = [c for c in candidates if id(c) not in same_clause] or candidates
        if not candidates:
            span = doc[start:end]
            issues.append(Issue("entities", ENTITY_UNRESOLVED, f"no earlier person fits the epithet '{span.text}'; it was left unresolved", Span(span.start_char, span.end_char, span.text)))
            continue
        verb = ROLE_VERBS.get(role)
        by_role = [c for c in candidates if role in c.roles or verb is not None and verb in c.verbs]
        if by_role:
            best = max(by_role, key=lambda c: _salience(c, start, doc, sent_of))
            why.append(f"already called the {role}")
        else:
            # news names someone, then refers back with a role in the next sentence's
            # subject: "Gregor Lind said ... The Ironbridge chief did not take questions."
            previous = _previous_subject(doc, start, owner, quoted) if doc[start].sent.start == start else None
            if previous is not None and previous in candidates:
                best = previous
                why.append("subject of the sentence before")
            else:
                best = max(candidates, key=lambda c: _salience(c, start, doc, sent_of))
                why.append("most salient person so far")
        best.mentions.append(TokenMention(start, end, "epithet", "epithet: " + "; ".join(why)))
        best.roles.add(role)
        desc = doc[start + 1 if doc[start].lower_ == "the" else start:end].text
        if desc not in best.descriptions:
            best.descriptions.append(desc)
        for k in range(start, end):
            owner.setdefault(k, best)  # a title inside the epithet stays the work's
        owner[role_i] = best
    return issues


def _resolve_pronouns(doc: Doc, people: list[NameCluster], orgs: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges, sent_of: list[int]) -> None:
    for tok in doc:
        low = tok.lower_
        if tok.i in owner or tok.pos_ != "PRON" or in_quote(doc, tok.i, quoted):
            continue
        if low in PLURAL_PRONOUNS:
            # "the New York Times after they published": an organisation just named
            near = [c for c in orgs if any(m.start < tok.i and sent_of[tok.i] - sent_of[m.start] <= 0 for m in c.mentions)]
            if len(near) == 1:
                near[0].mentions.append(TokenMention(tok.i, tok.i + 1, "pronoun", "organisation named earlier in the sentence"))
                owner[tok.i] = near[0]
            continue
        g = "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None
        if g is None:
            continue
        window = [c for c in people if any(m.start < tok.i and sent_of[tok.i] - sent_of[m.start] <= 8 for m in c.mentions)]
        agree = [c for c in window if c.gender == g]
        unknown = [c for c in window if c.gender is None]
        pool = agree or unknown
        if not pool:
            continue
        # a pronoun object does not corefer with its own verb's subject (Principle B)
        if tok.dep_ in ("dobj", "pobj") and tok.head.pos_ == "VERB":
            subj = [c.i for c in tok.head.children if c.dep_ == "nsubj"]
            pool = [c for c in pool if not any(owner.get(s) is c for s in subj)] or pool
        best = max(pool, key=lambda c: _salience(c, tok.i, doc, sent_of))
        via = f"pronoun: {'agrees in gender' if agree else 'gender unknown'}, most salient"
        best.mentions.append(TokenMention(tok.i, tok.i + 1, "pronoun", via))
        owner[tok.i] = best


def _relation_hedges(doc: Doc, evidence: Span) -> tuple[str, ...]:
    """Hedges on the word that states a relation: "her alleged boyfriend, X"."""
    from .evidence import read_hedges

    span = doc.char_span(evidence.start, evidence.end, alignment_mode="expand")
    words = [t for t in span if t.lower_ in RELATION_NOUNS] if span is not None else []
    return tuple(read_hedges(words[0])) if words else ()


def resolve_entities(doc: Doc, quoted: list[QuotedSpan] | None = None) -> Entities:
    """Find the article's entities and cluster every mention under one name.

    Args:
        doc: the parsed article.
        quoted: quotations found by ``scan_quotes``; pronouns inside them are
            the speaker's, not the narrator's, and are left alone.

    Returns:
        ``Entities``; mention offsets are half-open character offsets into
        ``doc.text``.
    """
    from .relations import read_ages, read_kin_nominals, read_predicate_roles, read_relations, read_roles

    quoted_ranges = QuotedRanges(doc, quoted or [])
    clusters, epithets = find_mentions(doc, quoted_ranges)
    ordered = sorted(clusters.values(), key=lambda c: c.first)
    owner: dict[int, NameCluster] = {}
    for cl in ordered:
        for m in cl.mentions:
            for k in range(m.start, m.end):
                owner[k] = cl
    sent_of = _sentence_of(doc)
    for i, cl in owner.items():
        if doc[i].dep_ in ("nsubj", "nsubjpass"):
            cl.verbs.add(doc[i].head.lemma_.lower())  # "Dario Mendes has directed films" -> a director
    people = [c for c in ordered if c.type == "PERSON"]
    orgs = [c for c in ordered if c.type == "ORG"]
    _vote_genders(doc, people, owner, quoted_ranges, sent_of)
    read_roles(doc, owner)
    read_predicate_roles(doc, owner)
    issues = _resolve_epithets(doc, epithets, people, owner, quoted_ranges, sent_of)
    read_ages(doc, owner)
    _resolve_pronouns(doc, people, orgs, owner, quoted_ranges, sent_of)
    relation_facts = read_relations(doc, owner)
    for cl, a, b, via in read_kin_nominals(doc, owner, relation_facts):
        cl.mentions.append(TokenMention(a, b, "nominal", via))

    ids = {id(cl): f"e{n}" for n, cl in enumerate(ordered, 1)}
    entities = []
    by_token: dict[int, str] = {}
    for cl in ordered:
        eid = ids[id(cl)]
        mentions = sorted(cl.mentions, key=lambda m: m.start)
        names = [doc[m.start:m.end].text for m in mentions if m.kind == "name"]
        name = max(names or [doc[m.start:m.end].text for m in mentions], key=len)
        aliases: list[str] = []
        for m in mentions:
            text = doc[m.start:m.end].text
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
            span = doc[m.start:m.end]
            out_mentions.append(Mention(span.start_char, span.end_char, span.text, m.kind, m.via))
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
    return Entities(tuple(entities), tuple(relations), tuple(issues), by_token)
