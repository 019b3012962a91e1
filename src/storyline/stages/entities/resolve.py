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
   evidence: the same role used before, gender, and salience (``epithets.py``);
5. organisation nouns ("the newspaper", "the agency") tied to the last organisation
   named that is one, and a subject "it" to the organisation the sentence before is
   about (``organisations.py``);
6. pronouns (he/she/his/her; they -> an organisation) by agreement and salience
   (``pronouns.py``);
7. descriptions (``descriptions.py``): one said of a named person ("X, a trade
   envoy,") becomes its mention; any other person description ("a neighbour who
   asked not to be named", "officials") a mention of an unnamed PERSON entity
   (``Entity.named`` False), which its repeats join ("the neighbour"). These
   entities come after the named ones, so the named keep their ids.

Ages, descriptions and relations are read in ``relations.py``. The records are
built at the end, in character offsets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from storyline.model import Entity, Issue, Mention, Relation, Span
from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster, QuotedRanges, TokenMention
from storyline.stages.entities.descriptions import DESCRIBES_VIA, describe_named, find_descriptions
from storyline.stages.entities.epithets import resolve_epithets
from storyline.stages.entities.gender import name_gender
from storyline.stages.entities.mentions import find_mentions
from storyline.stages.entities.organisations import resolve_org_nouns, resolve_org_pronouns
from storyline.stages.entities.pronouns import Chooser, resolve_pronouns
from storyline.stages.entities.ranking import shipped_ranker
from storyline.stages.entities.relations import (
    RelationFact,
    read_ages,
    read_kin_nominals,
    read_predicate_roles,
    read_relations,
    read_roles,
)
from storyline.stages.shared.clauses import NOMINAL_SUBJECTS
from storyline.stages.shared.evidence import read_hedges
from storyline.stages.shared.lexicon import FEMALE_PRONOUNS, MALE_PRONOUNS, RELATION_NOUNS
from storyline.stages.shared.resolved import Entities

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storyline.stages.shared.quotemarks import QuotedSpan

__all__ = ["resolve_entities"]


def resolve_entities(
    doc: Doc, quoted: list[QuotedSpan] | None = None, *, table: DocTable | None = None, ranker: Chooser | Literal["shipped"] | None = "shipped",
) -> Entities:
    """Find the article's entities and cluster every mention under one name.

    Args:
        doc: the parsed article.
        quoted: quotations found by ``scan_quotes``; pronouns inside them are
            the speaker's, not the narrator's, and are left alone.
        table: ``DocTable(doc)``, when the caller has read it already.
        ranker: what decides "he" and "she": "shipped" (the default) for the shipped
            ranker (the rules when none ships or ``STORYLINE_COREF=rules``), None
            for the rules, or a ``Chooser`` of the caller's (training records with one).

    Returns:
        ``Entities``; mention offsets are half-open character offsets into
        ``doc.text``.
    """
    t = table if table is not None else DocTable(doc)
    chooser = shipped_ranker() if isinstance(ranker, str) else ranker
    quoted_ranges = QuotedRanges(doc, quoted or [], t)
    clusters, epithets = find_mentions(doc, quoted_ranges, table=t)
    ordered = sorted(clusters.values(), key=lambda c: c.first)
    owner = _owner_map(ordered)
    sent_of = t.sent_of
    _read_subject_verbs(t, owner)
    people = [c for c in ordered if c.type == "PERSON"]
    orgs = [c for c in ordered if c.type == "ORG"]
    _vote_genders(t, ordered, owner, quoted_ranges)
    read_roles(doc, owner, table=t)
    read_predicate_roles(doc, owner, table=t)
    issues = resolve_epithets(t, epithets, people, owner, quoted_ranges, sent_of)
    read_ages(doc, owner, table=t)
    resolve_org_nouns(t, orgs, owner, quoted_ranges, sent_of)
    resolve_org_pronouns(t, owner, quoted_ranges)
    # the people known only by a description are found before the pronouns, which may be theirs
    # ("a neighbour ... she"), and come after the named, whose ids stay as they were
    describe_named(t, ordered)
    described = find_descriptions(t, ordered)
    resolve_pronouns(t, ordered + described, owner, quoted_ranges, chooser)
    relation_facts = read_relations(doc, owner, table=t)
    for cl, a, b, via in read_kin_nominals(doc, owner, relation_facts, table=t):
        cl.mentions.append(TokenMention(a, b, "nominal", via))
    ordered.extend(_merge_known(described, ordered))
    ids = {id(cl): f"e{n}" for n, cl in enumerate(ordered, 1)}
    entities, by_token = _entity_records(t, ordered, ids)
    relations = _relation_records(doc, relation_facts, ids)
    return Entities(entities, relations, tuple(_still_unresolved(issues, entities)), by_token, table=t)


def _merge_known(described: list[NameCluster], named: list[NameCluster]) -> list[NameCluster]:
    """The described people who stay unnamed: one a relation has since named ("Solberg's husband" is Jonas Eide) joins that person."""
    held = {k: cl for cl in named for m in cl.mentions if m.kind == "nominal" for k in range(m.start, m.end)}
    kept = []
    for cl in described:
        first = min(cl.mentions, key=lambda m: m.start)
        known = next((held[k] for k in range(first.start, first.end) if k in held), None)
        if known is None:
            kept.append(cl)
        else:
            known.mentions.extend(m for m in cl.mentions if m is not first)
    return kept


def _still_unresolved(issues: list[Issue], entities: tuple[Entity, ...]) -> list[Issue]:
    """Drop the unresolved-epithet issues of the epithets that became an unnamed person's mentions."""
    taken = {(m.start, m.end) for e in entities if not e.named for m in e.mentions}
    return [i for i in issues if i.span is None or (i.span.start, i.span.end) not in taken]


def _owner_map(ordered: list[NameCluster]) -> dict[int, NameCluster]:
    """Map each token of a name mention to its cluster (a later cluster's mention wins a shared token)."""
    owner: dict[int, NameCluster] = {}
    for cl in ordered:
        for m in cl.mentions:
            for k in range(m.start, m.end):
                owner[k] = cl
    return owner


def _read_subject_verbs(t: DocTable, owner: dict[int, NameCluster]) -> None:
    """Note the verbs each entity is the subject of: "Dario Mendes has directed films" -> a director."""
    for i, cl in owner.items():
        if t.dep[i] in NOMINAL_SUBJECTS:
            cl.verbs.add(t.lemma[t.head[i]].lower())


def _vote_genders(t: DocTable, clusters: list[NameCluster], owner: dict[int, NameCluster], quoted: QuotedRanges) -> None:
    """Collect gender evidence: first names (of any name the NER typed, people or not), kin terms, pronouns with one candidate."""
    _vote_by_first_name(clusters)
    _vote_by_kin_terms(t, owner)
    pronouns = _narrated_pronouns(t, quoted)
    for _ in range(2):  # a second round uses what the first one settled
        for i, g in pronouns:
            _vote_by_pronoun(t, i, g, owner)


def _vote_by_first_name(clusters: list[NameCluster]) -> None:
    """Vote each person's gender by their first name (our lists, then the ``gender-guesser`` dictionary)."""
    for cl in clusters:
        gender = name_gender(cl.name_tokens[0], dictionary=cl.type == "PERSON") if cl.name_tokens else None
        if gender is not None:
            cl.gender_votes[gender] += 1


def _vote_by_kin_terms(t: DocTable, owner: dict[int, NameCluster]) -> None:
    """Vote the gender of a person named after a kin term: "her husband, Ryan Reynolds" is male."""
    for i, low in enumerate(t.lower):
        rel = RELATION_NOUNS.get(low)
        if rel and rel[1]:
            for k in range(i + 1, min(t.n, i + 3)):
                if k in owner:
                    owner[k].gender_votes[rel[1]] += 3
                    break
                if not t.is_punct[k]:
                    break


def _narrated_pronouns(t: DocTable, quoted: QuotedRanges) -> list[tuple[int, str]]:
    """The gendered pronouns outside quotations, as (token, "m" or "f"), in order."""
    pronouns: list[tuple[int, str]] = []
    for i, low in enumerate(t.lower):
        g = "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None
        if g is not None and not quoted.covers(i):
            pronouns.append((i, g))
    return pronouns


def _vote_by_pronoun(t: DocTable, i: int, gender: str, owner: dict[int, NameCluster]) -> None:
    """Vote a pronoun's gender for the one entity of its sentence before it that it may be, when that one has none yet."""
    seen: list[NameCluster] = []
    for k in range(t.sent_bounds(i)[0], i):
        near = owner.get(k)
        if near is not None and near not in seen:
            seen.append(near)
    candidates = [c for c in seen if c.gender in (None, gender)]
    if len(candidates) == 1 and candidates[0].gender is None:
        candidates[0].gender_votes[gender] += 1


def _entity_records(t: DocTable, ordered: list[NameCluster], ids: dict[int, str]) -> tuple[tuple[Entity, ...], dict[int, str]]:
    """Build the ``Entity`` records, and the map of each mention token to its entity's id.

    Mention offsets are half-open character offsets into ``doc.text``.
    """
    entities: list[Entity] = []
    by_token: dict[int, str] = {}
    for cl in ordered:
        eid = ids[id(cl)]
        mentions = sorted(cl.mentions, key=lambda m: m.start)
        texts = [t.span_text(m.start, m.end) for m in mentions]
        name, aliases = _name_and_aliases(mentions, texts)
        if not cl.named:
            name = " ".join(cl.name_tokens)
            aliases = [a for a in aliases if a.lower() != name.lower()]
        out_mentions = []
        for m in mentions:
            a, b, text = t.char_span(m.start, m.end)
            out_mentions.append(Mention(a, b, text, m.kind, m.via))
            for k in range(m.start, m.end):
                if cl.named:
                    by_token[k] = eid
                else:  # a description's words may hold a name ("a teacher at Hillside"): the name keeps them
                    by_token.setdefault(k, eid)
        entities.append(Entity(eid, name, cl.type, tuple(out_mentions), tuple(aliases), _attributes(cl), named=cl.named))
    return tuple(entities), by_token


def _name_and_aliases(mentions: list[TokenMention], texts: list[str]) -> tuple[str, list[str]]:
    """An entity's name (its longest name, else its longest mention) and its other forms, pronouns aside."""
    names = [text for m, text in zip(mentions, texts, strict=True) if m.kind == "name"]
    name = max(names or texts, key=len)
    aliases: list[str] = []
    for m, text in zip(mentions, texts, strict=True):
        said_of = m.via is not None and m.via.startswith(DESCRIBES_VIA)  # "a trade envoy": a description, no alias
        if m.kind != "pronoun" and not said_of and text != name and text.lower() not in {a.lower() for a in aliases}:
            aliases.append(text)
    return name, aliases


def _attributes(cl: NameCluster) -> dict[str, object]:
    """An entity's attributes: age, descriptions, a person's gender, where known."""
    attributes: dict[str, object] = {}
    if cl.age is not None:
        attributes["age"] = cl.age
    if cl.descriptions:
        attributes["descriptions"] = list(cl.descriptions)
    if cl.type == "PERSON" and cl.gender:
        attributes["gender"] = "female" if cl.gender == "f" else "male"
    if cl.title:
        attributes["title"] = cl.title
    return attributes


def _relation_records(doc: Doc, facts: list[RelationFact], ids: dict[int, str]) -> tuple[Relation, ...]:
    """Build the ``Relation`` records, one per distinct (subject, predicate, object), none of an entity to itself.

    Evidence spans are half-open character offsets into ``doc.text``.
    """
    relations: list[Relation] = []
    seen: set[tuple[str, str, str]] = set()
    for subj, pred, obj, evidence in facts:
        key = (ids[id(subj)], pred, ids[id(obj)])
        if key[0] != key[2] and key not in seen:
            seen.add(key)
            hedges = _relation_hedges(doc, evidence)
            relations.append(Relation(key[0], pred, key[2], evidence, hedges, "hedged" if hedges else "asserted"))
    return tuple(relations)


def _relation_hedges(doc: Doc, evidence: Span) -> tuple[str, ...]:
    """Hedges on the word that states a relation: "her alleged boyfriend, X"."""
    span = doc.char_span(evidence.start, evidence.end, alignment_mode="expand")
    words = [t for t in span if t.lower_ in RELATION_NOUNS] if span is not None else []
    return tuple(read_hedges(words[0])) if words else ()
