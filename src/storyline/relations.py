"""Facts stated about entities: ages, roles, and relations between people.

Works on the token -> cluster map that ``entities.py`` builds; patterns are
surface ones (appositives, possessives) because the sm parser's attachments
around commas are unreliable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .lexicon import RELATION_NOUNS, ROLE_NOUNS, SYMMETRIC_RELATIONS
from .model import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

_DETERMINERS = {"the", "a", "an"}


def _mention_ends(owner: dict[int, Any]) -> dict[int, Any]:
    """Map the last token of each contiguous mention run to its cluster."""
    ends: dict[int, Any] = {}
    for i, cl in owner.items():
        if owner.get(i + 1) is not cl:
            ends[i] = cl
    return ends


def read_roles(doc: Doc, owner: dict[int, Any]) -> None:
    """Read roles from appositives and titles: "X, the director," / "director X"."""
    n = len(doc)
    for last, cl in _mention_ends(owner).items():
        if cl.type != "PERSON":
            continue
        # "Jane Doe, the composer," / "Jane Doe, a veteran director of games,"
        j = last + 1
        if j + 1 < n and doc[j].text == "," and doc[j + 1].lower_ in _DETERMINERS:
            stop = j + 2
            while stop < n and stop < j + 9 and doc[stop].text not in {",", ".", ";", ":", ")"} and "\n" not in doc[stop].text:
                stop += 1
            words = doc[j + 2:stop]
            nouns = [t for t in words if t.pos_ == "NOUN" and t.text.islower()]
            if nouns and stop < n and doc[stop].text in {",", ".", ";"} and not any(t.pos_ in ("VERB", "AUX") for t in words):
                role = nouns[0].lower_ if any(t.lower_ == "of" for t in words) else nouns[-1].lower_
                cl.roles.add(role)
                if ROLE_NOUNS.get(role):
                    cl.gender_votes[ROLE_NOUNS[role]] += 2  # "Mara Quist, a mother of two,"
                if words.text not in cl.descriptions:
                    cl.descriptions.append(words.text)
        # "director Justin Baldoni"
        first = last
        while first - 1 in owner and owner[first - 1] is cl:
            first -= 1  # the start of this mention's run of tokens
        prev = doc[first - 1] if first > 0 else None
        if prev is not None and prev.text.islower() and prev.lower_ in ROLE_NOUNS and prev.lower_ not in RELATION_NOUNS:
            cl.roles.add(prev.lower_)
            if prev.lower_ not in cl.descriptions:
                cl.descriptions.append(prev.lower_)


def read_predicate_roles(doc: Doc, owner: dict[int, Any]) -> None:
    """Read roles from copular sentences: "Nadia Fenwick is the lead writer at Lowtide"."""
    for tok in doc:
        if tok.dep_ != "attr" or tok.pos_ != "NOUN" or tok.head.lemma_ != "be":
            continue
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


def read_ages(doc: Doc, owner: dict[int, Any]) -> None:
    """Read ages from "Name, 37," and "The star, 41," (also "Name (37)")."""
    n = len(doc)
    for last, cl in _mention_ends(owner).items():
        if cl.type != "PERSON" or cl.age is not None:
            continue
        j = last + 1
        if j + 2 <= n and doc[j].text in {",", "("} and j + 1 < n and doc[j + 1].text.isdigit():
            after = doc[j + 2].text if j + 2 < n else ""
            if after in {",", ")", ".", ";"} or j + 2 == n:
                age = int(doc[j + 1].text)
                if 0 < age < 120:
                    cl.age = age


def _possessor(doc: Doc, i: int, owner: dict[int, Any]) -> tuple[Any, int]:
    """Who a kin noun at ``i`` belongs to: "her husband", "Blake's close friend"."""
    k = i - 1
    while k >= 0 and k >= i - 4 and (doc[k].pos_ == "ADJ" or doc[k].lower_ in {"longtime", "close", "best", "old"}):
        k -= 1
    if k >= 1 and doc[k].text in {"'s", "’s"} and k - 1 in owner:
        return owner[k - 1], k - 1
    if k >= 0 and doc[k].tag_ == "PRP$" and k in owner:
        return owner[k], k
    return None, k


def read_kin_nominals(doc: Doc, owner: dict[int, Any], facts: list[tuple[Any, str, Any, Span]]) -> list[tuple[Any, int, int, str]]:
    """Nominal mentions through a known relation: "Blake's husband" is Ryan Reynolds.

    Returns:
        ``(cluster, start_token, end_token, via)`` for each such mention.
    """
    out: list[tuple[Any, int, int, str]] = []
    for tok in doc:
        rel = RELATION_NOUNS.get(tok.lower_)
        if rel is None or tok.i in owner:
            continue
        nxt = tok.i + 1 + (1 if tok.i + 1 < len(doc) and doc[tok.i + 1].text == "," else 0)
        if nxt in owner and owner[nxt].type == "PERSON":
            continue  # "her husband, Ryan Reynolds": the name itself is the mention
        possessor, k = _possessor(doc, tok.i, owner)
        if possessor is None:
            continue
        named = [f[0] for f in facts if f[1] == rel[0] and f[2] is possessor]
        if rel[0] in SYMMETRIC_RELATIONS:
            named += [f[2] for f in facts if f[1] == rel[0] and f[0] is possessor]
        if rel[1]:  # "his sister": only a woman
            named = [c for c in named if c.gender in (None, rel[1])]
        if len(set(map(id, named))) == 1:
            out.append((named[0], k, tok.i + 1, f"{tok.lower_} of {' '.join(possessor.name_tokens)}, named earlier"))
    return out


def read_relations(doc: Doc, owner: dict[int, Any]) -> list[tuple[Any, str, Any, Span]]:
    """Read relations from "her husband, Ryan Reynolds" and "close friend Taylor Swift".

    Returns:
        ``(subject_cluster, predicate, object_cluster, evidence)``: the named
        person is the subject ("Ryan Reynolds spouse_of Blake Lively").
        Evidence spans are character offsets into ``doc.text``.
    """
    facts: list[tuple[Any, str, Any, Span]] = []
    last_possessor: dict[int, tuple[Any, int]] = {}  # sentence start -> possessor of the previous kin noun
    n = len(doc)
    for tok in doc:
        rel = RELATION_NOUNS.get(tok.lower_)
        if rel is None or not tok.text.islower():
            continue
        predicate = rel[0]
        # the named person right after the noun: "husband, Ryan Reynolds" / "friend Taylor Swift"
        j = tok.i + 1
        if j < n and doc[j].text == ",":
            j += 1
        named: Any = owner.get(j)
        if named is None or named.type != "PERSON":
            continue
        possessor: Any
        possessor, k = _possessor(doc, tok.i, owner)
        sent_start = tok.sent.start
        if possessor is None and k >= 0 and doc[k].lower_ == "and" and sent_start in last_possessor:
            possessor = last_possessor[sent_start][0]  # "her husband, X, and close friend Y"
        if possessor is None or possessor is named:
            continue
        last_possessor[sent_start] = (possessor, tok.i)
        end = j
        while end + 1 < n and owner.get(end + 1) is named:
            end += 1
        span = doc[max(k + 1 if doc[k].lower_ == "and" else k, 0):end + 1]
        facts.append((named, predicate, possessor, Span(span.start_char, span.end_char, span.text)))
        if rel[1]:
            named.gender_votes[rel[1]] += 1
    facts.extend(_appositive_relations(doc, owner))
    return facts


def _appositive_relations(doc: Doc, owner: dict[int, Any]) -> list[tuple[Any, str, Any, Span]]:
    """ "Sofia Brandt, a close friend of Varga," -> (Sofia Brandt, friend_of, Varga)."""
    facts: list[tuple[Any, str, Any, Span]] = []
    n = len(doc)
    for last, cl in _mention_ends(owner).items():
        if cl.type != "PERSON" or last + 2 >= n or doc[last + 1].text != ",":
            continue
        k = last + 2
        if doc[k].lower_ in _DETERMINERS:
            k += 1
        while k < n and doc[k].pos_ == "ADJ":
            k += 1
        rel = RELATION_NOUNS.get(doc[k].lower_) if k < n else None
        if rel is None or k + 2 >= n or doc[k + 1].lower_ != "of":
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
        span = doc[first:end + 1]
        facts.append((cl, rel[0], other, Span(span.start_char, span.end_char, span.text)))
    return facts
