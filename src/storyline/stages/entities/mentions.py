"""Mentions: where the article names someone or something, before resolution.

spaCy NER, repaired for news: single first names the sm model calls ORG,
titles it splits into PERSON pieces ("The Jane the Virgin star"), org names
it calls PERSON ("the Gazette"), people it misses ("Leah Varga" after a
date header). Adds titles found by pattern ("The <Title> director", "their
project, <Title>", a quoted title) and the definite role phrases that
``resolve.py`` resolves as epithets, and ties an organisation's acronym to its full name
("IMF" to "International Monetary Fund"). Token offsets here; ``resolve.py``
turns them into character spans.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.nlp.doctable import DocTable
from storyline.stages.shared.lexicon import (
    CUE_VERBS,
    FEMALE_NAMES,
    HONORIFICS,
    MALE_NAMES,
    NEUTRAL_NAMES,
    NEW_REFERENT_ROLES,
    ORG_SUFFIXES,
    RELATION_NOUNS,
    ROLE_NOUNS,
    WORK_NOUNS,
    WORK_ROLES,
)
from storyline.stages.shared.titles import TITLE_FUNCTION_WORDS, looks_like_title

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storyline.stages.shared.quotemarks import QuotedSpan

_LABELS = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC",
    "WORK_OF_ART": "WORK_OF_ART", "EVENT": "EVENT", "PRODUCT": "PRODUCT", "NORP": "NORP",
    "LAW": "OTHER", "LANGUAGE": "OTHER",
}
_POSSESSIVE = {"'s", "’s", "'", "’"}
#: An acronym as news writes it: two to six capitals, dotted or not ("IMF", "U.N.", "F.B.I.").
_ACRONYM = re.compile(r"[A-Z]{2,6}|(?:[A-Z]\.){1,5}[A-Z]\.?")
#: Words an acronym leaves out: "Federal Bureau of Investigation" is the FBI.
_ACRONYM_SKIPS = {"of", "the", "and", "for", "on", "de"}
_GIVEN_NAMES = MALE_NAMES | FEMALE_NAMES | NEUTRAL_NAMES
#: The types whose multi-word names a one-word name may be the short form of ("Ironbridge" for "Ironbridge Interactive").
_NAMED_THINGS = ("ORG", "PRODUCT", "WORK_OF_ART", "FAC", "LOC", "GPE", "EVENT")
#: Titles of an office, not part of the name: "Councillor Pita Rahu" is Pita Rahu; a royal's or
#: a religious title stays ("Prince Harry", "Sister Helen").
_OFFICE_TITLES = HONORIFICS - {"king", "queen", "prince", "princess", "pope", "saint", "st", "sir", "dame", "lord", "lady", "father", "sister", "brother"}


@dataclass
class TokenMention:
    """A mention in token offsets, before it is turned into a character-offset ``Mention``."""

    start: int  # token index, inclusive
    end: int  # token index, exclusive
    kind: str
    via: str | None = None


@dataclass
class NameCluster:
    """The mentions of one entity while they are being clustered, with the evidence gathered about it."""

    type: str
    mentions: list[TokenMention] = field(default_factory=list)
    gender_votes: Counter[str] = field(default_factory=Counter)
    descriptions: list[str] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    verbs: set[str] = field(default_factory=set)
    age: int | None = None
    name_tokens: tuple[str, ...] = ()

    @property
    def first(self) -> int:
        """The token index of its first mention."""
        return min(m.start for m in self.mentions)

    @property
    def gender(self) -> str | None:
        """``m`` or ``f`` by the most votes; None without votes or on a tie."""
        if not self.gender_votes:
            return None
        (top, n), *rest = self.gender_votes.most_common()
        if rest and rest[0][1] == n:
            return None
        return top


def _clean_name_span(t: DocTable, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive from a name span."""
    while start < end and (t.lower[start] == "the" or t.is_punct[start]):
        start += 1
    while end > start and (t.orth[end - 1] in _POSSESSIVE or t.is_punct[end - 1]):
        end -= 1
    return start, end


class QuotedRanges:
    """Quoted character ranges, with a per-token mask so lookups stay O(1) on long articles."""

    def __init__(self, doc: Doc, spans: list[QuotedSpan], table: DocTable | None = None) -> None:
        self.ranges = sorted((q.start, q.end) for q in spans if q.depth == 0)
        starts = table.idx if table is not None else [tok.idx for tok in doc]
        # a token is quoted when a range holds its start: mark the tokens of each range (starts ascend)
        self.mask = [False] * len(starts)
        for a, b in self.ranges:
            lo, hi = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
            self.mask[lo:hi] = [True] * (hi - lo)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self.ranges)


def in_quote(doc: Doc, i: int, quoted: QuotedRanges) -> bool:
    """Whether token ``i`` starts inside a quoted passage."""
    return quoted.mask[i]


def _title_run(t: DocTable, start: int, limit: int) -> int:
    """End (exclusive) of a run of title-case words from ``start``, function words allowed inside."""
    i, last_cap = start, -1
    while i < limit:
        if t.is_punct[i] or t.is_space[i]:
            break
        if t.orth[i][:1].isupper():
            last_cap = i
        elif t.lower[i] in TITLE_FUNCTION_WORDS and i > start:
            pass
        else:
            break
        i += 1
    return last_cap + 1 if last_cap >= start else start


def _role_at(t: DocTable, j: int) -> tuple[str, int] | None:
    """A hyphenated role noun split by the tokenizer: "co - founder" -> ("co-founder", last index)."""
    if j + 2 < t.n and t.orth[j + 1] == "-" and not t.ws[j] and not t.ws[j + 1]:
        word = f"{t.lower[j]}-{t.lower[j + 2]}"
        if word in ROLE_NOUNS:
            return word, j + 2
    return None


def _find_epithets_and_titles(t: DocTable, quoted: QuotedRanges) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int]]]:
    """Find definite role phrases and the titles inside them.

    Returns:
        (epithets, titles): epithets as (start, end, role_token, title_end)
        token ranges ("The Five Feet Apart director" with role "director"),
        titles as (start, end) token ranges of works.
    """
    epithets: list[tuple[int, int, int, int]] = []
    titles: list[tuple[int, int]] = []
    n = t.n
    text = t.text
    orth, lower, pos = t.orth, t.lower, t.pos
    mask = quoted.mask
    for a, b in quoted:  # "the 2019 film "Paper Harbors""
        if looks_like_title(text[a:b]):
            span = t.doc.char_span(a, b, alignment_mode="contract")
            if span is not None and len(span):
                titles.append((span.start, span.end))
    for i in range(n):
        if mask[i]:
            continue
        low = lower[i]
        # "their project, It Ends With Us" / "the film Five Feet Apart"
        if low in WORK_NOUNS and pos[i] in ("NOUN", "PROPN"):
            j = i + 1
            if j < n and orth[j] == ",":
                j += 1
            if j < n and orth[j][:1].isupper() and pos[j] in ("PROPN", "PRON", "NOUN", "VERB", "ADJ", "NUM", "DET"):
                end = _title_run(t, j, min(n, j + 12))
                if end > j:
                    titles.append((j, end))
        if low != "the":
            continue
        if i >= 2 and orth[i - 1] == "," and pos[i - 2] == "PROPN" and t.doc[i - 2].ent_type_ not in ("DATE", "TIME"):
            continue  # "Tomas Reyes, the composer,": an appositive, read as a description ("On Monday, the mayor" is none)
        if i >= 1 and t.lemma[i - 1] == "be":
            continue  # "Nadia Fenwick is the lead writer": a description, read in relations
        # The [Title] [adjectives] role [of N]
        j = i + 1
        title_start = title_end = j
        if j < n and orth[j][:1].isupper():
            end = _title_run(t, j, min(n, j + 10))
            # the run may have swallowed the role noun ("star" tagged PROPN is lowercase, so it stops)
            title_end = end
            j = end
        while j + 1 < n and orth[j].islower() and pos[j] in ("ADJ", "NOUN") and lower[j] not in ROLE_NOUNS and _role_at(t, j) is None:
            j += 1  # "the publishing executive", "the embattled founder"
        if j >= n:
            continue
        hyphen = _role_at(t, j)
        if hyphen is not None:
            role, j = hyphen
        else:
            role = lower[j]
        if role not in ROLE_NOUNS or not orth[j].islower() or role in NEW_REFERENT_ROLES:
            continue  # "the company spokesman" is someone new, not someone named before
        while j + 1 < n and lower[j + 1] in ROLE_NOUNS and orth[j + 1].islower():
            j += 1  # "the veteran director": the last noun is the role
            role = lower[j]
        end = j + 1
        if end + 1 < n and lower[end] == "of" and t.like_num[end + 1]:
            end += 2
        # "the director Jon Chu" is a title before a name, not an epithet
        if end < n and pos[end] == "PROPN" and t.doc[end].ent_type_ == "PERSON":
            continue
        # "the director of the FBI": a new person, not a back-reference
        if end < n and lower[end] == "of" and end == j + 1:
            continue
        if title_end > title_start and role in WORK_ROLES:
            titles.append((title_start, title_end))
        # "The Ironbridge chief": a role at an organisation; the name stays the organisation's
        epithets.append((i, end, j, title_end))
    return _outermost4(epithets), _outermost(titles)


def _outermost(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop ranges nested in an earlier, longer one ("the Virgin" inside "Jane the Virgin")."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(set(ranges), key=lambda r: (r[0], -r[1])):
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return out


def _outermost4(epithets: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    keep = set(_outermost([(e[0], e[1]) for e in epithets]))
    return [e for e in epithets if (e[0], e[1]) in keep]


def _is_name_word(t: DocTable, i: int) -> bool:
    text = t.orth[i]
    return t.tag[i] in ("NNP", "NNPS") and text[:1].isupper() and text.replace("-", "").replace("'", "").isalpha() and not text.isupper()


def _person_evidence(t: DocTable, a: int, b: int) -> str | None:
    """Why a capitalised pair of words the NER skipped is a person's name, if it is."""
    first = t.lower[a]
    if first in MALE_NAMES or first in FEMALE_NAMES or first in NEUTRAL_NAMES:
        return "known given name"
    n = t.n
    orth, lower = t.orth, t.lower
    if b + 2 < n and orth[b] in {",", "("} and orth[b + 1].isdigit() and orth[b + 2] in {",", ")"}:
        return "age after the name"
    if b + 2 < n and orth[b] == "," and lower[b + 1] in ("the", "a", "an") and any(
        lower[k] in ROLE_NOUNS or lower[k] in RELATION_NOUNS for k in range(b + 2, min(n, b + 6))
    ):
        return "role in apposition"
    if t.dep[b - 1] in ("nsubj", "nsubjpass") and t.lemma[t.head[b - 1]].lower() in CUE_VERBS:
        return "subject of a speech verb"
    return None


def _unlabelled_people(t: DocTable, taken: list[bool], quoted: QuotedRanges) -> list[tuple[int, int, str]]:
    """Names the sm NER missed: capitalised words ending in an org word, or a person's with evidence."""
    out: list[tuple[int, int, str]] = []
    i, n = 0, t.n
    while i < n:
        if taken[i] or not _is_name_word(t, i):
            i += 1
            continue
        j = i
        while j < n and j - i < 3 and not taken[j] and _is_name_word(t, j):
            j += 1
        if j - i >= 2 and t.lower[j - 1] in ORG_SUFFIXES:
            out.append((i, j, "ORG"))  # "Ironbridge Interactive", "Foxglove Games"
        elif j - i >= 2 and (i == 0 or t.lower[i - 1] != "the") and _person_evidence(t, i, j):
            out.append((i, j, "PERSON"))
        i = j
    return out


def _relabel(t: DocTable, a: int, b: int, label: str) -> str:
    """Repair labels the sm model gets wrong in news: "the Gazette" is no person."""
    if label == "PERSON" and b - a == 1:
        prev = t.lower[a - 1] if a > 0 else None
        if prev == "the":
            return "ORG"
        if prev in ("in", "at", "from", "near") and t.dep[a] == "pobj":
            return "GPE"
    if b - a >= 2 and t.lower[b - 1] in ORG_SUFFIXES:
        return "ORG"
    if label in ("GPE", "ORG", "LOC", "NORP", "PRODUCT", "EVENT") and t.lower[a] in _GIVEN_NAMES and (b - a > 1 or label in ("ORG", "GPE", "NORP")):
        return "PERSON"  # "Leah Varga" tagged ORG; a lone "Gregor" tagged GPE
    if label in ("GPE", "ORG", "NORP", "PRODUCT", "EVENT") and 2 <= b - a <= 3 and all(_is_name_word(t, k) for k in range(a, b)):
        if _person_evidence(t, a, b) not in (None, "subject of a speech verb"):
            return "PERSON"  # "Anja Holt, a close friend of Solberg," tagged ORG
    if label in ("GPE", "LOC") and b - a == 1 and _acts_like_a_person(t, a):
        return "PERSON"  # "Gregor doesn't care about this game. He cares about ..." (a place is no "he")
    return label


def _acts_like_a_person(t: DocTable, i: int) -> bool:
    """Whether a lone name the NER called a place is the subject of its sentence's main verb, a
    verb of doing (not "was", nor shared: "Florida and Ohio look good"), and the next sentence
    goes on with "he" or "she"."""
    verb = t.head[i]
    if t.dep[i] != "nsubj" or t.dep[verb] != "ROOT" or t.lemma[verb] == "be" or not _is_name_word(t, i):
        return False
    if any(t.head[k] == i and t.dep[k] == "conj" for k in range(i + 1, min(t.n, i + 4))):
        return False
    return _next_subject_is_he_or_she(t, i)


def _next_subject_is_he_or_she(t: DocTable, i: int) -> bool:
    """Whether the sentence after token ``i``'s opens with "he" or "she" as its first subject."""
    end = t.sent_bounds(i)[1]
    if end >= t.n:
        return False
    stop = t.sent_bounds(end)[1]
    first = next((k for k in range(end, stop) if t.dep[k] in ("nsubj", "nsubjpass")), None)
    return first is not None and t.lower[first] in ("he", "she")


def _widen_person(t: DocTable, a: int, taken: list[bool]) -> int:
    """Take in a given name the NER left out: "Mira" before "Solberg"."""
    while a > 0 and not taken[a - 1] and _is_name_word(t, a - 1) and t.lower[a - 1] not in HONORIFICS:
        a -= 1
    return a


def _normal(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


def find_mentions(
    doc: Doc, quoted: QuotedRanges, *, table: DocTable | None = None
) -> tuple[dict[str, NameCluster], list[tuple[int, int, int, int]]]:
    """Collect name mentions and cluster them; returns clusters by key and epithet candidates.

    ``table`` is ``DocTable(doc)`` when the caller has one already.
    """
    t = table if table is not None else DocTable(doc)
    epithets, titles = _find_epithets_and_titles(t, quoted)
    taken = [False] * t.n
    spans: list[tuple[int, int, str]] = []
    for a, b in titles:
        spans.append((a, b, "WORK_OF_ART"))
        for k in range(a, b):
            taken[k] = True
    for ent in doc.ents:
        label = _LABELS.get(ent.label_)
        if label is None:
            continue
        a, b = _clean_name_span(t, ent.start, ent.end)
        if a >= b or any(taken[k] for k in range(a, b)):
            continue
        # vocatives and greetings the sm model reads as titles: "Hey, Blake"
        while a < b and t.pos[a] in ("INTJ", "PUNCT"):
            a += 1
        if a >= b:
            continue
        label = _relabel(t, a, b, label)
        if label == "PERSON":
            a = _widen_person(t, a, taken)
            while b - a > 1 and t.lower[a].rstrip(".") in _OFFICE_TITLES and _is_name_word(t, a + 1):
                a += 1  # a title the NER took into the name: "[Councillor] Pita Rahu" ("Prince Harry" keeps his)
        spans.append((a, b, label))
        for k in range(a, b):
            taken[k] = True
    spans.extend(_unlabelled_people(t, taken, quoted))
    spans.sort()

    clusters: dict[str, NameCluster] = {}
    persons_full: dict[str, NameCluster] = {}
    # pass 1: multi-word PERSON names define people
    for a, b, label in spans:
        words = tuple(t.orth[k] for k in range(a, b) if not t.is_punct[k])
        if label == "PERSON" and len(words) >= 2:
            key = _normal(" ".join(words))
            cl = clusters.get(key)
            if cl is None:
                cl = clusters[key] = NameCluster("PERSON", name_tokens=words)
            cl.mentions.append(TokenMention(a, b, "name", "ner"))
            persons_full[key] = cl

    by_word: dict[str, list[NameCluster]] = {}
    for c in persons_full.values():
        for w in {c.name_tokens[0].lower(), c.name_tokens[-1].lower()}:
            by_word.setdefault(w, []).append(c)

    def person_for(word: str, at: int) -> NameCluster | None:
        hits = by_word.get(word.lower(), [])
        if len(hits) == 1:
            return hits[0]
        if hits:  # two people called Ryan: the one mentioned last before this point, else the one named first
            return max(hits, key=lambda c: (max((m.start for m in c.mentions if m.start < at), default=-1), -c.first))
        return None

    # pass 2: everything else, single names attached to the person they shorten
    for a, b, label in spans:
        words = tuple(t.orth[k] for k in range(a, b) if not t.is_punct[k])
        if label == "PERSON" and len(words) >= 2:
            continue
        if len(words) == 1 and label in ("PERSON", "ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART"):
            short = person_for(words[0], a)
            if short is not None:
                short.mentions.append(TokenMention(a, b, "alias", f"shortens {' '.join(short.name_tokens)}"))
                continue
        key = _normal(" ".join(words))
        cl = clusters.get(key)
        if cl is None:
            cl = clusters[key] = NameCluster(label, name_tokens=words)
        cl.mentions.append(TokenMention(a, b, "name", "ner" if label != "WORK_OF_ART" or (a, b) not in titles else "title pattern"))

    # short forms of organisations: "Ironbridge" for "Ironbridge Interactive"
    for key, cl in list(clusters.items()):
        if cl.type == "PERSON" or len(cl.name_tokens) != 1:
            continue
        longer = [
            c for c in clusters.values()
            if c is not cl and c.type in _NAMED_THINGS and len(c.name_tokens) > 1 and c.name_tokens[0].lower() == key
        ]
        if len(longer) == 1:
            target = longer[0]
            target.type = "ORG" if "ORG" in (cl.type, target.type) else target.type
            target.mentions.extend(TokenMention(m.start, m.end, "alias", f"short form of {' '.join(target.name_tokens)}") for m in cl.mentions)
            del clusters[key]

    covered = {k for cl in clusters.values() for m in cl.mentions for k in range(m.start, m.end)}
    covered.update(k for a, b in titles for k in range(a, b))
    _join_acronyms(t, clusters, covered)

    # pass 3: first names and surnames NER missed ("Hey, Blake", "Give Ryan my love")
    for i in range(t.n):
        if i in covered or t.pos[i] not in ("PROPN", "NOUN") or not t.orth[i][:1].isupper():
            continue
        short = person_for(t.orth[i], i)
        if short is not None:
            short.mentions.append(TokenMention(i, i + 1, "alias", f"shortens {' '.join(short.name_tokens)}"))
    return clusters, epithets


def _acronym_letters(word: str) -> str | None:
    """The capitals of an acronym, without dots: "U.N." -> "UN", "IMF" -> "IMF"; None for "Washington" or "AT&T"."""
    return word.replace(".", "") if _ACRONYM.fullmatch(word) else None


def _initials(words: tuple[str, ...]) -> set[str]:
    """The acronyms a full name can go by: "Federal Bureau of Investigation" -> {"FBI", "FBOI"}.

    Function words left out or kept, for the DOJ of "Department of Justice"; a possessive
    or other word that starts with no letter has no initial ("Democratic People's Republic
    of Korea" -> DPRK).
    """
    letters = [(w[0].upper(), w.lower() in _ACRONYM_SKIPS) for w in words if w[:1].isalpha()]
    return {"".join(c for c, _ in letters), "".join(c for c, skip in letters if not skip)} - {""}


def _parenthesised_acronym(t: DocTable, end: int) -> str | None:
    """The acronym in parentheses right after a name ending at token ``end``: "the Committee to Protect Journalists (CPJ)" -> "CPJ"."""
    if end + 2 < t.n and t.orth[end] == "(" and t.orth[end + 2] == ")":
        return _acronym_letters(t.orth[end + 1])
    return None


def _acronym_targets(t: DocTable, clusters: dict[str, NameCluster]) -> tuple[dict[str, list[NameCluster]], set[str]]:
    """The organisations each acronym could stand for, and the acronyms the article spells out.

    An acronym given in parentheses right after a name stands for that name, whatever its
    initials ("the Islamic State (ISIS)"; not after a short form, such as a "WASHINGTON (AP)"
    dateline taken for The Washington Post); any other stands for the organisations whose
    initials it is ("IMF": International Monetary Fund). Only organisations named in more
    than one word; one list per acronym, so a caller sees when two names share it.
    """
    by_initials: dict[str, list[NameCluster]] = {}
    spelled: dict[str, list[NameCluster]] = {}
    for cl in clusters.values():
        if cl.type != "ORG" or len(cl.name_tokens) < 2:
            continue
        for letters in _initials(cl.name_tokens):
            by_initials.setdefault(letters, []).append(cl)
        for m in cl.mentions:
            given = _parenthesised_acronym(t, m.end) if m.kind == "name" else None
            if given is not None and cl not in spelled.get(given, []):
                spelled.setdefault(given, []).append(cl)
    return by_initials | spelled, set(spelled)


def _join_acronyms(t: DocTable, clusters: dict[str, NameCluster], covered: set[int]) -> None:
    """Make an organisation's acronym an alias of its full name: "IMF" of "International Monetary Fund".

    "The International Monetary Fund cut its forecast. ... The IMF said" is one entity,
    whichever comes first; the full name stays its name and keeps its type (the tagger's
    GPE for "F.B.I." does not make the FBI a place). An acronym two organisations of the
    article share ("NRA": National Rifle Association, National Restaurant Association)
    stays apart, unless the article spelt it out after one of them. An acronym the tagger
    missed joins too when the article spelt it out or it has three letters or more
    ("S.E.C."; not "S.C." for a Supreme Court, which is South Carolina). Adds the tokens
    it ties to ``covered``.
    """
    targets, spelled = _acronym_targets(t, clusters)
    if not targets:
        return

    def target(word: str, untagged: bool) -> tuple[NameCluster, str] | None:
        letters = _acronym_letters(word)
        found = targets.get(letters, []) if letters is not None else []
        if len(found) != 1 or untagged and len(letters or "") < 3 and letters not in spelled:
            return None
        name = " ".join(found[0].name_tokens)
        return found[0], f"acronym given in parentheses after {name}" if letters in spelled else f"initials of {name}"

    for key, cl in list(clusters.items()):
        hit = target(cl.name_tokens[0], False) if len(cl.name_tokens) == 1 and cl.type != "WORK_OF_ART" else None
        if hit is not None:
            hit[0].mentions.extend(TokenMention(m.start, m.end, "alias", hit[1]) for m in cl.mentions)
            del clusters[key]
    for i, word in enumerate(t.orth):
        if i in covered or not (word[:1].isupper() and (word[1:2].isupper() or word[1:2] == ".")):
            continue  # only words that start the way an acronym does are looked up
        hit = target(word, True)
        if hit is not None:
            hit[0].mentions.append(TokenMention(i, i + 1, "alias", hit[1]))
            covered.add(i)
