"""Facts stated about entities: ages, roles, and relations between people.

Works on the token -> cluster map that ``resolve.py`` builds (``owner``);
patterns are surface ones (appositives, possessives) because the sm parser's
attachments around commas are unreliable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.model import Span
from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster
from storyline.stages.shared.lexicon import RELATION_NOUNS, ROLE_NOUNS, SYMMETRIC_RELATIONS
from storyline.stages.shared.titles import SOCIAL_TITLES, is_office_title

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: A relation read from the text: (subject, predicate, object, evidence), the evidence
#: in half-open character offsets into ``doc.text``: "Ryan Reynolds spouse_of Blake Lively".
RelationFact = tuple[NameCluster, str, NameCluster, Span]

_DETERMINERS = {"the", "a", "an"}


def _mention_ends(owner: dict[int, NameCluster]) -> dict[int, NameCluster]:
    """Map the last token of each contiguous mention run to its cluster."""
    ends: dict[int, NameCluster] = {}
    for i, cl in owner.items():
        if owner.get(i + 1) is not cl:
            ends[i] = cl
    return ends


def _table(doc: Doc, table: DocTable | None) -> DocTable:
    """``table``, or the ``DocTable`` of ``doc`` when the caller has none."""
    return table if table is not None else DocTable(doc)


def read_roles(doc: Doc, owner: dict[int, NameCluster], *, table: DocTable | None = None) -> None:
    """Read roles from appositives and titles: "X, the director," / "director X"."""
    t = _table(doc, table)
    for last, cl in _mention_ends(owner).items():
        if cl.type != "PERSON":
            continue
        _read_appositive_role(t, last, cl)
        first = last
        while first - 1 in owner and owner[first - 1] is cl:
            first -= 1  # the start of this mention's run of tokens
        _read_title_role(t, first, cl)


def _read_appositive_role(t: DocTable, last: int, cl: NameCluster) -> None:
    """Read a role from an appositive after a mention ending at ``last``: "Jane Doe, a veteran director of games,"."""
    n, orth, lower, pos = t.n, t.orth, t.lower, t.pos
    j = last + 1
    if not (j + 1 < n and orth[j] == "," and lower[j + 1] in _DETERMINERS):
        return
    stop = j + 2
    while stop < n and stop < j + 9 and orth[stop] not in {",", ".", ";", ":", ")"} and "\n" not in orth[stop]:
        stop += 1
    words = range(j + 2, stop)
    nouns = [k for k in words if pos[k] == "NOUN" and orth[k].islower()]
    if nouns and stop < n and orth[stop] in {",", ".", ";"} and not any(pos[k] in ("VERB", "AUX") for k in words):
        role = lower[nouns[0]] if any(lower[k] == "of" for k in words) else lower[nouns[-1]]
        cl.roles.add(role)
        gender = ROLE_NOUNS.get(role)
        if gender:
            cl.gender_votes[gender] += 2  # "Mara Quist, a mother of two,"
        text = t.span_text(j + 2, stop)
        if text not in cl.descriptions:
            cl.descriptions.append(text)


def _read_title_role(t: DocTable, first: int, cl: NameCluster) -> None:
    """Read a role from the noun before a mention starting at ``first``: "director Justin Baldoni".

    An office title in capitals ("Deputy Sheriff Ana Morales") is the person's
    ``title`` and one of their descriptions.
    """
    start = first
    while start > 0 and t.orth[start - 1][:1].isupper() and is_office_title(t.orth[start - 1]):
        start -= 1
    if start < first and t.lower[first - 1].rstrip(".") in SOCIAL_TITLES:
        return  # "Mr. Morial": a form of address, no office
    if start < first:
        title = t.span_text(start, first)
        cl.title = cl.title or title
        cl.roles.update(t.lower[k].rstrip(".") for k in range(start, first))
        if title not in cl.descriptions:
            cl.descriptions.append(title)
        return
    if first > 0:
        prev = t.lower[first - 1]
        if t.orth[first - 1].islower() and prev in ROLE_NOUNS and prev not in RELATION_NOUNS:
            cl.roles.add(prev)
            if prev not in cl.descriptions:
                cl.descriptions.append(prev)


def read_predicate_roles(doc: Doc, owner: dict[int, NameCluster], *, table: DocTable | None = None) -> None:
    """Read roles from copular sentences: "Nadia Fenwick is the lead writer at Lowtide"."""
    t = _table(doc, table)
    for i in range(t.n):
        if t.dep[i] != "attr" or t.pos[i] != "NOUN" or t.lemma[t.head[i]] != "be":
            continue
        tok = doc[i]
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        cl = owner.get(subj.i) if subj is not None else None
        if cl is None or cl.type != "PERSON":
            continue
        left = min([c.i for c in tok.lefts if c.dep_ not in ("det", "punct")] + [tok.i])
        right = max([c.right_edge.i for c in tok.rights if c.dep_ == "prep"] + [tok.i])
        desc = doc[left:right + 1].text
        cl.roles.add(tok.lemma_.lower())
        if desc not in cl.descriptions:
            cl.descriptions.append(desc)


def read_ages(doc: Doc, owner: dict[int, NameCluster], *, table: DocTable | None = None) -> None:
    """Read ages from "Name, 37," and "The star, 41," (also "Name (37)")."""
    t = _table(doc, table)
    n, orth = t.n, t.orth
    for last, cl in _mention_ends(owner).items():
        if cl.type != "PERSON" or cl.age is not None:
            continue
        j = last + 1
        if j + 2 <= n and orth[j] in {",", "("} and j + 1 < n and orth[j + 1].isdigit():
            after = orth[j + 2] if j + 2 < n else ""
            if after in {",", ")", ".", ";"} or j + 2 == n:
                age = int(orth[j + 1])
                if 0 < age < 120:
                    cl.age = age


def _possessor(t: DocTable, i: int, owner: dict[int, NameCluster]) -> tuple[NameCluster | None, int]:
    """Who a kin noun at ``i`` belongs to: "her husband", "Blake's close friend".

    Returns:
        The possessor's cluster (None when there is none) and the token before the
        noun's modifiers, where the possessor would stand.
    """
    k = i - 1
    while k >= 0 and k >= i - 4 and (t.pos[k] == "ADJ" or t.lower[k] in {"longtime", "close", "best", "old"}):
        k -= 1
    if k >= 1 and t.orth[k] in {"'s", "’s"} and k - 1 in owner:
        return owner[k - 1], k - 1
    if k >= 0 and t.tag[k] == "PRP$" and k in owner:
        return owner[k], k
    return None, k


def read_kin_nominals(
    doc: Doc, owner: dict[int, NameCluster], facts: list[RelationFact], *, table: DocTable | None = None
) -> list[tuple[NameCluster, int, int, str]]:
    """Nominal mentions through a known relation: "Blake's husband" is Ryan Reynolds.

    Returns:
        ``(cluster, start_token, end_token, via)`` for each such mention, in
        half-open token offsets.
    """
    t = _table(doc, table)
    out: list[tuple[NameCluster, int, int, str]] = []
    for i, low in enumerate(t.lower):
        rel = RELATION_NOUNS.get(low)
        if rel is None or i in owner:
            continue
        nxt = i + 1 + (1 if i + 1 < t.n and t.orth[i + 1] == "," else 0)
        if nxt in owner and owner[nxt].type == "PERSON":
            continue  # "her husband, Ryan Reynolds": the name itself is the mention
        possessor, k = _possessor(t, i, owner)
        if possessor is None:
            continue
        named = [f[0] for f in facts if f[1] == rel[0] and f[2] is possessor]
        if rel[0] in SYMMETRIC_RELATIONS:
            named += [f[2] for f in facts if f[1] == rel[0] and f[0] is possessor]
        if rel[1]:  # "his sister": only a woman
            named = [c for c in named if c.gender in (None, rel[1])]
        if len(set(map(id, named))) == 1:
            out.append((named[0], k, i + 1, f"{low} of {' '.join(possessor.name_tokens)}, named earlier"))
    return out


def read_relations(doc: Doc, owner: dict[int, NameCluster], *, table: DocTable | None = None) -> list[RelationFact]:
    """Read relations from "her husband, Ryan Reynolds" and "close friend Taylor Swift".

    Returns:
        ``(subject_cluster, predicate, object_cluster, evidence)``: the named
        person is the subject ("Ryan Reynolds spouse_of Blake Lively").
        Evidence spans are character offsets into ``doc.text``.
    """
    t = _table(doc, table)
    facts: list[RelationFact] = []
    last_possessor: dict[int, tuple[NameCluster, int]] = {}  # sentence start -> possessor of the previous kin noun
    n, orth, lower = t.n, t.orth, t.lower
    for i, low in enumerate(lower):
        rel = RELATION_NOUNS.get(low)
        if rel is None or not orth[i].islower():
            continue
        predicate = rel[0]
        # the named person right after the noun: "husband, Ryan Reynolds" / "friend Taylor Swift"
        j = i + 1
        if j < n and orth[j] == ",":
            j += 1
        named = owner.get(j)
        if named is None or named.type != "PERSON":
            continue
        possessor, k = _possessor(t, i, owner)
        sent_start = t.sent_bounds(i)[0]
        if possessor is None and k >= 0 and lower[k] == "and" and sent_start in last_possessor:
            possessor = last_possessor[sent_start][0]  # "her husband, X, and close friend Y"
        if possessor is None or possessor is named:
            continue
        last_possessor[sent_start] = (possessor, i)
        end = j
        while end + 1 < n and owner.get(end + 1) is named:
            end += 1
        facts.append((named, predicate, possessor, Span(*t.char_span(max(k + 1 if lower[k] == "and" else k, 0), end + 1))))
        if rel[1]:
            named.gender_votes[rel[1]] += 1
    facts.extend(_appositive_relations(t, owner))
    return facts


def _appositive_relations(t: DocTable, owner: dict[int, NameCluster]) -> list[RelationFact]:
    """Read relations from appositives: "Sofia Brandt, a close friend of Varga," -> (Sofia Brandt, friend_of, Varga)."""
    facts: list[RelationFact] = []
    n, lower = t.n, t.lower
    for last, cl in _mention_ends(owner).items():
        if cl.type != "PERSON" or last + 2 >= n or t.orth[last + 1] != ",":
            continue
        k = last + 2
        if lower[k] in _DETERMINERS:
            k += 1
        while k < n and t.pos[k] == "ADJ":
            k += 1
        rel = RELATION_NOUNS.get(lower[k]) if k < n else None
        if rel is None or k + 2 >= n or lower[k + 1] != "of":
            continue
        other = owner.get(k + 2)
        if other is None or other is cl or other.type != "PERSON":
            continue
        end = k + 2
        while end + 1 < n and owner.get(end + 1) is other:
            end += 1
        first = last
        while first - 1 >= 0 and owner.get(first - 1) is cl:
            first -= 1
        facts.append((cl, rel[0], other, Span(*t.char_span(first, end + 1))))
    return facts
