"""Which article entities are one story entity: the rules ``storyline.story.linking`` applies.

``load_entities`` reads the article entities with what the rules need (folded
full names, single names, aliases, descriptions and roles, ages, gender,
whether they are named) and their
relations; ``assign_groups`` applies the rules, strongest first, and records
for each entity the rule and the evidence in words. The rules themselves are
described in ``storyline.story.linking``.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from storyline.store import links as tables
from storyline.store.rows import Row
from storyline.story.names import fold_name, person_name_parts, role_words

PERSON = "PERSON"


_DETERMINERS = ("the ", "a ", "an ")


def _fold_description(text: str) -> str:
    text = fold_name(text)
    for det in _DETERMINERS:
        text = text.removeprefix(det)
    return text


def _folded(written: str, etype: str) -> tuple[str, str, tuple[str, ...]]:
    """A name folded for comparison, as written less its titles, and the roles those titles give (persons only)."""
    if etype == PERSON:
        return person_name_parts(written)
    return fold_name(written), written, ()


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def ages_consistent(first: tuple[int, date | None], second: tuple[int, date | None]) -> bool:
    """Whether two reported ages can belong to one person, given when each was published.

    Args:
        first: ``(age, published)`` of one report.
        second: ``(age, published)`` of another.

    Returns:
        True when the age difference matches the time between the reports
        within a year (birthdays fall between them); without both dates, when
        the ages differ by at most one.
    """
    (a1, d1), (a2, d2) = first, second
    if d1 is None or d2 is None:
        return abs(a1 - a2) <= 1
    years = (d2 - d1).days / 365.25
    return abs((a2 - a1) - years) <= 1.0


@dataclass(frozen=True, slots=True)
class AmbiguousName:
    """A single name that could have been several story entities and was left apart."""

    doc_id: str
    entity_id: str
    name: str
    candidates: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"doc_id": self.doc_id, "entity_id": self.entity_id, "name": self.name, "candidates": list(self.candidates)}


@dataclass(slots=True)
class ArticleEntity:
    """One article entity with what linking needs."""

    index: int
    doc_id: str
    id: str
    name: str
    type: str
    published: date | None
    order: tuple[str, str, int]
    full: dict[str, str]  # folded full name -> as written
    single: str | None  # folded single name (PERSON alias-only entities, one-word organisations)
    aliases: set[str]
    descriptions: set[str]
    ages: list[tuple[int, date | None]]
    gender: str | None
    named: bool = True  # False for an entity the article only describes ("a neighbour")


def load_entities(conn: sqlite3.Connection) -> tuple[list[ArticleEntity], dict[str, list[tuple[int, str, int]]]]:
    """Article entities, and per entity index its relations as (other index, predicate, direction)."""
    mentions: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for m in tables.mention_rows(conn):
        mentions[(m["doc_id"], m["entity_id"])].append(m)
    ents: list[ArticleEntity] = []
    for row in tables.entity_rows(conn):
        attrs = json.loads(row["attributes_json"] or "{}")
        published = _parse_date(row["published"])
        ms = mentions[(row["doc_id"], row["id"])]
        etype = row["type"]
        # an unnamed entity ("a neighbour", named: false; in the store: a person with no name or alias
        # mention) is its description only: never linked by it
        named = attrs.get("named") is not False and (etype != PERSON or any(m["kind"] in ("name", "alias") for m in ms))
        names = [row["name"]] + [m["text"] for m in ms if m["kind"] == "name"]
        full: dict[str, str] = {}
        roles: set[str] = set()
        for written in names if named else []:
            folded, written, titles = _folded(written, etype)
            roles.update(titles)
            if folded and (etype != PERSON or len(folded.split()) > 1):
                full.setdefault(folded, written.strip())
        folded_name = _folded(row["name"], etype)[0]
        single = folded_name if named and len(folded_name.split()) == 1 and not any(" " in f for f in full) else None
        aliases = {fold_name(a) for a in json.loads(row["aliases_json"] or "[]")}
        aliases |= {fold_name(m["text"]) for m in ms if m["kind"] in ("name", "alias")}
        descriptions = {_fold_description(d) for d in attrs.get("descriptions") or [] if isinstance(d, str)}
        if etype == PERSON:
            # the roles the article gives (titles, descriptions, epithets): compared as descriptions;
            # a title the entity stage split off the name may come as attributes.title (one or a list)
            title = attrs.get("title")
            given = [title] if isinstance(title, str) else [t for t in title or [] if isinstance(t, str)]
            roles.update(r for t in given for r in role_words(t) | set(person_name_parts(f"{t} X")[2]))
            roles.update(r for d in descriptions for r in role_words(d))
            roles.update(r for m in ms if m["kind"] == "epithet" for r in role_words(m["text"]))
            descriptions |= roles
        age = attrs.get("age")
        ages = [(int(age), published)] if isinstance(age, (int, float)) and not isinstance(age, bool) else []
        ents.append(
            ArticleEntity(
                index=len(ents),
                doc_id=row["doc_id"],
                id=row["id"],
                name=row["name"],
                type=etype,
                published=published,
                order=(row["published"] or "9999", row["doc_id"], int(row["n"])),
                full=full if single is None else {},
                single=single,
                aliases=aliases - {""},
                descriptions=descriptions - {""},
                ages=ages,
                gender=attrs.get("gender") if isinstance(attrs.get("gender"), str) else None,
                named=named,
            )
        )
    by_key = {(e.doc_id, e.id): e.index for e in ents}
    relations: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for r in tables.relation_rows(conn):
        s, o = by_key.get((r["doc_id"], r["subject"])), by_key.get((r["doc_id"], r["object"]))
        if s is not None and o is not None:
            relations[str(s)].append((o, r["predicate"], 1))
            relations[str(o)].append((s, r["predicate"], -1))
    return ents, relations


class Groups:
    """Story entities under construction: member indexes, evidence per member, and running totals."""

    def __init__(self, ents: list[ArticleEntity]) -> None:
        self.ents = ents
        self.members: list[list[int]] = []
        self.of: dict[int, int] = {}
        self.evidence: dict[int, str] = {}
        self.rule: dict[int, str] = {}
        self.by_name: dict[tuple[str, str], int] = {}  # rule 3 groups by (folded name, type)
        # Kept up to date as members join, so no check has to walk a whole group.
        self.genders: list[set[str]] = []
        self.ages: list[list[tuple[int, date | None]]] = []

    def new(self, indexes: list[int]) -> int:
        """Open a group holding these entities; return its number."""
        self.members.append([])
        self.genders.append(set())
        self.ages.append([])
        g = len(self.members) - 1
        for i in indexes:
            self._join(g, i)
        return g

    def add(self, group: int, index: int, rule: str, evidence: str) -> None:
        """Put entity ``index`` into ``group``, recording the rule and the evidence in words."""
        self._join(group, index)
        self.rule[index] = rule
        self.evidence[index] = evidence

    def _join(self, g: int, i: int) -> None:
        self.members[g].append(i)
        self.of[i] = g
        if self.ents[i].gender:
            self.genders[g].add(self.ents[i].gender or "")
        self.ages[g] += self.ents[i].ages


def _full_name_groups(ents: list[ArticleEntity]) -> list[list[int]]:
    """Union article entities that share a folded full name and type."""
    parent = list(range(len(ents)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for ent in ents:
        for folded in ent.full:
            key = (folded, ent.type)
            if key in first:
                parent[find(ent.index)] = find(first[key])
            else:
                first[key] = ent.index
    groups: dict[int, list[int]] = defaultdict(list)
    for ent in ents:
        if ent.full:
            groups[find(ent.index)].append(ent.index)
    return list(groups.values())


def _split_by_age(members: list[int], ents: list[ArticleEntity]) -> list[list[int]]:
    """Split one full-name group where reported ages cannot be one person's."""
    clusters: list[list[int]] = []
    ageless: list[int] = []
    for i in members:
        if not ents[i].ages:
            ageless.append(i)
            continue
        for cluster in clusters:
            if all(ages_consistent(a, b) for j in cluster for a in ents[j].ages for b in ents[i].ages):
                cluster.append(i)
                break
        else:
            clusters.append([i])
    if len(clusters) <= 1:
        return [members]
    return clusters + [[i] for i in ageless]  # placed later by context


class _Context:
    """What surrounds each full-name group: co-occurring entities, relations, descriptions.

    Taken from the full-name groups as they stand before single names are
    placed, so the context of a story entity is that of the articles naming
    it in full, and placing one single name cannot change how the next is placed.
    """

    def __init__(self, ents: list[ArticleEntity], groups: Groups, relations: dict[str, list[tuple[int, str, int]]]) -> None:
        self.ents, self.relations = ents, relations
        self.of = dict(groups.of)
        self.members = [list(m) for m in groups.members]
        self.by_doc: dict[str, list[int]] = defaultdict(list)
        for e in ents:
            self.by_doc[e.doc_id].append(e.index)
        self._idents = [self._ident(e.index) for e in ents]
        self._groups: dict[int, tuple[set[Any], set[tuple[str, Any]], set[str]]] = {}
        self._labels: dict[int, str] = {}
        self._counts: dict[int, int] = {}

    def _ident(self, i: int) -> Any:
        g = self.of.get(i)
        return g if g is not None else (fold_name(self.ents[i].name), self.ents[i].type)

    def ident(self, i: int) -> Any:
        return self._idents[i]

    def full_articles(self, g: int) -> int:
        """Articles naming group ``g`` in full (as it stood when the context was taken)."""
        if g not in self._counts:
            self._counts[g] = _full_articles(self.members[g], self.ents) if g < len(self.members) else 0
        return self._counts[g]

    def label(self, ident: Any) -> str:
        if isinstance(ident, int):
            if ident not in self._labels:
                self._labels[ident] = display_name(self.members[ident], self.ents)
            return self._labels[ident]
        return str(ident[0])

    def of_entity(self, i: int) -> tuple[set[Any], set[tuple[str, Any]], set[str]]:
        ent = self.ents[i]
        near = {self.ident(j) for j in self.by_doc[ent.doc_id] if j != i}
        rels = {(p, self.ident(o)) for o, p, _ in self.relations.get(str(i), [])}
        return near, rels, set(ent.descriptions)

    def of_group(self, g: int) -> tuple[set[Any], set[tuple[str, Any]], set[str]]:
        if g not in self._groups:
            near: set[Any] = set()
            rels: set[tuple[str, Any]] = set()
            descs: set[str] = set()
            for i in self.members[g] if g < len(self.members) else []:
                n, r, d = self.of_entity(i)
                near |= n
                rels |= r
                descs |= d
            near.discard(g)
            self._groups[g] = (near, rels, descs)
        return self._groups[g]

    def score(self, i: int, g: int) -> tuple[int, list[str]]:
        """Overlap between entity ``i``'s article and group ``g``: relations 3, descriptions 2, co-occurrence 1."""
        near, rels, descs = self.of_entity(i)
        gnear, grels, gdescs = self.of_group(g)
        why = [f"{p} {self.label(o)}" for p, o in sorted(rels & grels, key=str)]
        why += [f"description '{d}'" for d in sorted(descs & gdescs)]
        shared = sorted((self.label(o) for o in near & gnear if o != g), key=str)
        why += shared
        return 3 * len(rels & grels) + 2 * len(descs & gdescs) + len(shared), why


def display_name(members: list[int], ents: list[ArticleEntity]) -> str:
    """The longest full name seen (words, then characters, then how often), as written."""
    counts: Counter[str] = Counter()
    for i in members:
        for written in ents[i].full.values():
            counts[written] += 1
    if not counts:
        counts.update(ents[i].name.strip() for i in members)
    # Ties go to the alphabetically first form, so the name never depends on ingest order.
    return max(counts, key=lambda n: (len(n.split()), len(n), counts[n], [-ord(c) for c in n]))


def article_count(members: list[int], ents: list[ArticleEntity]) -> int:
    """How many articles a group's entities come from."""
    return len({ents[i].doc_id for i in members})


def _full_articles(members: list[int], ents: list[ArticleEntity]) -> int:
    """Articles where the group's full name itself appears (not only a short name linked to it)."""
    return len({ents[i].doc_id for i in members if ents[i].full})


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _name_role(token: str, full_names: list[str]) -> str:
    roles = {"first name" if f.split()[0] == token else "surname" if f.split()[-1] == token else "name" for f in full_names}
    return roles.pop() if len(roles) == 1 else "name"


def _matches(ent: ArticleEntity, other: ArticleEntity) -> bool:
    """Whether single name ``ent.single`` fits ``other``, an entity with a full name (first name, surname, alias)."""
    token = ent.single or ""
    for folded in other.full:
        words = folded.split()
        if len(words) > 1 and (words[0] == token or (ent.type == PERSON and words[-1] == token)):
            return True
    return any(" " in f for f in other.full) and token in other.aliases


def _compatible(ent: ArticleEntity, g: int, groups: Groups) -> bool:
    """Gender and ages do not rule the single-name entity out of group ``g``."""
    genders = groups.genders[g]
    if ent.gender and genders and ent.gender not in genders:
        return False
    return all(ages_consistent(a, b) for a in groups.ages[g] for b in ent.ages)


def _full_evidence(members: list[int], ents: list[ArticleEntity]) -> dict[int, str]:
    """The evidence of each full-name member of one story entity."""
    n = _full_articles(members, ents)
    docs_by_description: dict[str, set[str]] = defaultdict(set)
    for j in members:
        for d in ents[j].descriptions:
            docs_by_description[d].add(ents[j].doc_id)
    reports = sum(len(ents[j].ages) for j in members)
    out = {}
    for i in members:
        ent = ents[i]
        if not ent.full:
            continue
        written = next(iter(ent.full.values()))
        parts = [f"same full name '{written}' ({_plural(n, 'article')})" if n > 1 else f"full name '{written}' (1 article)"]
        shared = sorted(d for d in ent.descriptions if docs_by_description[d] - {ent.doc_id})
        if shared:
            parts.append("shared description " + ", ".join(f"'{d}'" for d in shared[:2]))
        if ent.ages and reports > 1:
            parts.append(f"age {ent.ages[0][0]} consistent with {_plural(reports - 1, 'other report')}")
        out[i] = "; ".join(parts)
    return out


def _name_index(ents: list[ArticleEntity], groups: Groups) -> dict[tuple[str, str], set[int]]:
    """(single name, type) -> the full-name groups it could stand for (first name, surname, alias)."""
    index: dict[tuple[str, str], set[int]] = defaultdict(set)
    for g, members in enumerate(groups.members):
        full = [f for i in members for f in ents[i].full if " " in f]
        if not full:
            continue
        etype = ents[members[0]].type
        tokens = {f.split()[0] for f in full}
        if etype == PERSON:
            tokens |= {f.split()[-1] for f in full}
        for i in members:
            tokens |= {a for a in ents[i].aliases if " " not in a}
        for token in tokens:
            index[(token, etype)].add(g)
    return index


def _link_single(
    i: int,
    ents: list[ArticleEntity],
    groups: Groups,
    ctx: _Context,
    index: dict[tuple[str, str], set[int]],
    ambiguous: list[AmbiguousName],
) -> None:
    """Place one single-name entity (rule 2), or leave it apart with the reason."""
    ent = ents[i]
    token = ent.single or ""
    same_doc = [
        j for j in ctx.by_doc[ent.doc_id]
        if j != i and ents[j].type == ent.type and _matches(ent, ents[j])
    ]
    if len(same_doc) == 1:
        j = same_doc[0]
        role = _name_role(token, list(ents[j].full))
        full = next(iter(ents[j].full.values()))
        groups.add(groups.of[j], i, "same-article", f"{role} '{ent.name}' matches '{full}' in the same article")
        return
    if len(same_doc) > 1:
        names = tuple(sorted(next(iter(ents[j].full.values())) for j in same_doc))
        ambiguous.append(AmbiguousName(ent.doc_id, ent.id, ent.name, names))
        _alone(i, ents, groups, f"'{ent.name}' could be {' or '.join(repr(n) for n in names)} in the same article; kept apart")
        return
    candidates = [
        g for g in sorted(index.get((token, ent.type), ()))
        if _compatible(ent, g, groups)
    ]
    if not candidates:
        if ent.type == PERSON:
            _alone(i, ents, groups, f"only the single name '{ent.name}'; no full name of that type to link to")
        else:
            _by_exact_name(i, ents, groups)
        return
    role = _name_role(token, [fold_name(ctx.label(g)) for g in candidates])
    if len(candidates) == 1:
        g = candidates[0]
        n = ctx.full_articles(g)
        _, why = ctx.score(i, g)
        evidence = f"{role} '{ent.name}' unique in article; full name seen in {_plural(n, 'article')}"
        if why:
            evidence += "; shared context: " + ", ".join(why[:3])
        groups.add(g, i, "single-name", evidence)
        return
    scored = sorted(((ctx.score(i, g), g) for g in candidates), key=lambda s: -s[0][0])
    names = tuple(sorted(ctx.label(g) for g in candidates))
    (best, why), g = scored[0]
    if best > 0 and best > scored[1][0][0]:
        chosen = ctx.label(g)
        groups.add(
            g, i, "context",
            f"{role} '{ent.name}' not unique ({', '.join(repr(n) for n in names)}); "
            f"linked to '{chosen}' by shared context: {', '.join(why[:3])}",
        )
        return
    ambiguous.append(AmbiguousName(ent.doc_id, ent.id, ent.name, names))
    _alone(i, ents, groups, f"{role} '{ent.name}' ambiguous ({', '.join(repr(n) for n in names)}); no deciding context; kept apart")


def _alone(i: int, ents: list[ArticleEntity], groups: Groups, evidence: str) -> None:
    groups.new([i])
    groups.rule[i] = "alone"
    groups.evidence[i] = evidence


def _by_exact_name(i: int, ents: list[ArticleEntity], groups: Groups) -> None:
    """Rule 3: a single-word non-person name joins others of the same name and type."""
    key = (fold_name(ents[i].name), ents[i].type)
    if key in groups.by_name:
        groups.add(groups.by_name[key], i, "same-name", "")
        return
    groups.by_name[key] = groups.new([i])
    groups.rule[i] = "same-name"


def _place_ageless(i: int, ents: list[ArticleEntity], groups: Groups, ctx: _Context, split: list[int], ambiguous: list[AmbiguousName]) -> None:
    """A full-name entity without an age, whose name belongs to several people by age."""
    scored = sorted(((ctx.score(i, g), g) for g in split), key=lambda s: -s[0][0])
    names = tuple(f"{display_name(groups.members[g], ents)} (age {ents[groups.members[g][0]].ages[0][0]})" for g in split)
    (best, why), g = scored[0]
    if best > 0 and best > scored[1][0][0]:
        groups.add(g, i, "context", f"full name '{ents[i].name}' shared by people of different ages; linked by shared context: {', '.join(why[:3])}")
    else:
        ambiguous.append(AmbiguousName(ents[i].doc_id, ents[i].id, ents[i].name, names))
        _alone(i, ents, groups, f"full name '{ents[i].name}' shared by people of different ages; no age or deciding context here; kept apart")


def assign_groups(
    ents: list[ArticleEntity], relations: dict[str, list[tuple[int, str, int]]]
) -> tuple[Groups, list[AmbiguousName]]:
    """Group the article entities into story entities, strongest rule first; return the groups and the names left apart."""
    groups = Groups(ents)
    ambiguous: list[AmbiguousName] = []
    ageless: list[tuple[int, list[int]]] = []
    for members in _full_name_groups(ents):
        parts = _split_by_age(members, ents)
        if len(parts) == 1:
            groups.new(members)
            for i in members:
                groups.rule[i] = "full-name"
            continue
        split = []
        for part in parts:
            if ents[part[0]].ages:
                split.append(groups.new(part))
                for i in part:
                    groups.rule[i] = "full-name"
            else:
                ageless.append((part[0], split))
    for ent in ents:
        if not ent.named:
            _alone(ent.index, ents, groups, f"unnamed: '{ent.name}' is a description, not linked across articles by it alone")
    ctx = _Context(ents, groups, relations)
    for i, split in ageless:
        _place_ageless(i, ents, groups, ctx, split, ambiguous)
    index = _name_index(ents, groups)
    for ent in sorted((e for e in ents if e.single is not None), key=lambda e: e.order):
        _link_single(ent.index, ents, groups, ctx, index, ambiguous)
    for members in groups.members:
        full = _full_evidence(members, ents)
        n = article_count(members, ents)
        for i in members:
            if groups.rule.get(i) == "full-name":
                groups.evidence[i] = full[i]
            elif groups.rule.get(i) == "same-name":
                groups.evidence[i] = f"same name '{ents[i].name}' ({_plural(n, 'article')})" if n > 1 else f"name '{ents[i].name}' (1 article)"
    return groups, ambiguous
