"""Descriptions of people: "a neighbour who asked not to be named", "officials", "the 30-year-old driver".

A noun phrase headed by a person noun that is no mention yet (no name, no
resolved epithet, no kin nominal) becomes a ``nominal`` mention of an unnamed
PERSON entity, whose name is the description's text. A later definite or bare
mention with the same head ("the neighbour", "officials" again) joins the
latest such entity; an indefinite one ("a neighbour", "another resident") is
someone new. Descriptions that describe a name (appositives "X, the mayor,",
predicates "X is the judge", titles "coach Mikel Arteta") are not mentions
here: ``relations.py`` reads them as the named person's descriptions.

The person nouns are the common nouns that head GUM's person mentions
(``data/person-nouns.txt``, written by ``python -m storyline.train.person_nouns``)
and the lexicon's role nouns. Token offsets, half-open.
"""

from __future__ import annotations

from importlib import resources

from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster, TokenMention
from storyline.stages.shared.lexicon import ROLE_NOUNS, SPOKESPERSON_NOUNS

PERSON_NOUNS_FILE = "person-nouns.txt"
#: Nouns of people that news uses for unnamed sources and bystanders, besides GUM's and the role nouns.
_NEWS_PEOPLE = frozenset(
    """official source aide insider critic analyst expert witness bystander neighbour neighbor victim
    driver resident investigator prosecutor spokesperson councilman councilwoman councillor lawmaker
    legislator commissioner trustee motorist pedestrian shopper survivor suspect gunman attacker
    relative employee nurse firefighter paramedic medic trooper deputy homeowner tenant landlord owner
    teenager toddler baby infant child adult people envoy diplomat negotiator mediator adviser advisor
    strategist consultant economist lobbyist""".split()
)
#: Determiners of a description that brings in someone new: "a neighbour", "another resident".
_NEW = frozenset({"a", "an", "another", "other", "one", "some", "two", "three", "several", "many"})
#: Nouns for anyone at all, which a quantifier makes generic: "some people", "most people".
_GENERIC = frozenset({"people", "person", "everyone", "anyone"})
_QUANTIFIERS = frozenset({"some", "many", "most", "few", "all", "no", "several", "other", "more"})
#: The possessive clitic: "Adeyemi's lawyer".
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
#: Determiners of a description that points back: "the neighbour", "these voters".
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
#: The tags of a plural noun.
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
#: The dependency labels of a noun that describes a name rather than mentions someone:
#: "X, the mayor," (appos), "X is the judge" (attr), "player ratings", "voter turnout" (compound, nmod).
_DESCRIBES = frozenset({"appos", "attr", "compound", "npadvmod", "oprd", "nmod", "amod"})
#: Prepositions whose phrase belongs to the description: "a spokeswoman for the city", "the mother of four".
_PREPS = frozenset({"for", "of", "at", "from", "with"})
#: The press, as told something: "she told reporters" brings in no one the story is about.
_PRESS = frozenset({"reporter", "journalist"})
#: How many tokens a prepositional phrase or a relative clause may add to a description.
_MAX_TAIL = 8


def _load_person_nouns() -> frozenset[str]:
    """The shipped person-noun list, its ``#`` header aside."""
    text = (resources.files("storyline.stages.entities") / "data" / PERSON_NOUNS_FILE).read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


#: Role nouns that as often name a thing: "one chair", "a new model", "a host of problems", "a rising star".
_THINGS_TOO = frozenset({"chair", "model", "host", "star"})
#: Lemmas of the nouns that denote people.
PERSON_NOUNS = (_load_person_nouns() | frozenset(ROLE_NOUNS) | frozenset(SPOKESPERSON_NOUNS) | _NEWS_PEOPLE) - _THINGS_TOO


def find_descriptions(t: DocTable, clusters: list[NameCluster]) -> list[NameCluster]:
    """Make each person description no entity holds a mention of an unnamed person; return those people.

    Inside quotations too: "if we go to the pregnant woman" mentions someone, whoever speaks.
    Mentions are in token offsets, half-open; each new cluster has ``named`` False and its
    description's words as ``name_tokens``.
    """
    covered = {k for cl in clusters for m in cl.mentions for k in range(m.start, m.end)}
    people = {k for cl in clusters if cl.type == "PERSON" for m in cl.mentions for k in range(m.start, m.end)}
    orgs = {k for cl in clusters if cl.type == "ORG" for m in cl.mentions for k in range(m.start, m.end)}
    unnamed: list[NameCluster] = []
    by_head: dict[tuple[str, bool], NameCluster] = {}
    by_text: dict[str, NameCluster] = {}
    for i in range(t.n):
        if i in covered or not _is_description_head(t, i) or _names_someone(t, i, people):
            continue
        a, b = _mention_span(t, i, covered)
        head = t.lemma[i].lower()
        key = (head, t.tag[i] in _PLURAL_TAGS)  # "the mother" does not join "single mothers"
        if head in _GENERIC and t.lower[a] in _QUANTIFIERS:
            continue  # "some people may not vote": no one in particular, and no one to give a quote to
        if head in SPOKESPERSON_NOUNS and any(k in orgs for k in range(i + 1, b)):
            continue  # "a spokesperson for Ironbridge" is the organisation speaking: the attribution gives it its words
        cl = _earlier_same(t, a, i, b, key, by_head, by_text)
        if cl is None:
            cl = NameCluster("PERSON", name_tokens=tuple(_name_text(t, i, a, b).split()), named=False)
            gender = ROLE_NOUNS.get(head)
            if gender and not key[1]:
                cl.gender_votes[gender] += 1
            cl.roles.add(head)
            unnamed.append(cl)
        cl.mentions.append(TokenMention(a, b, "nominal", "description" if cl.mentions == [] else f"same description as '{' '.join(cl.name_tokens)}'"))
        by_head[key] = cl
        by_text.setdefault(_bare_text(t, a, b), cl)
        covered.update(range(a, b))
    return unnamed


def _earlier_same(
    t: DocTable, a: int, i: int, b: int, key: tuple[str, bool], by_head: dict[tuple[str, bool], NameCluster], by_text: dict[str, NameCluster],
) -> NameCluster | None:
    """The unnamed person an earlier description of the same words or head refers to, if this one repeats it.

    A definite description ("the neighbour", "these voters") joins the latest with its head and
    number; any other the one with the same words ("officials" again); an indefinite one ("a
    neighbour", "other officials", "two voters") is someone new.
    """
    if t.lower[a] in _NEW or t.like_num[a] or any(t.lower[k] in ("other", "another") for k in range(a, i)):
        return None
    if t.lower[a] in _DEFINITE:
        return by_head.get(key)
    return by_text.get(_bare_text(t, a, b))


def _bare_text(t: DocTable, a: int, b: int) -> str:
    """A description's words in lower case, without its determiner: what a repeat of it must say."""
    words = [t.lower[k] for k in range(a, b) if not t.is_punct[k]]
    return " ".join(words[1:] if words and words[0] in _DEFINITE else words)


def _is_description_head(t: DocTable, i: int) -> bool:
    """Whether token ``i`` is a common noun of a person that heads a phrase of its own, not a title or a predicate."""
    opens_sentence = t.sent_bounds(i)[0] == i
    if t.pos[i] != "NOUN" or not (t.orth[i].islower() or opens_sentence) or t.lemma[i].lower() not in PERSON_NOUNS:
        return False
    if t.dep[i] in _DESCRIBES:
        return False
    if t.lower[i] == "person" and i > 0 and t.lower[i - 1] in ("in", "per", "first", "third"):
        return False  # "see each other in person", "per person", "in the first person": no one
    nxt = i + 1
    # "coach Mikel Arteta", "the director Jon Chu": a title before a name
    return not (nxt < t.n and t.pos[nxt] == "PROPN" and t.orth[nxt][:1].isupper())


def _names_someone(t: DocTable, i: int, people: set[int]) -> bool:
    """Whether the noun at ``i`` stands before a person's name it describes ("her brother, Paulo Mendes"),
    or is whom something was told ("told a young woman", "said to reporters")."""
    if i + 2 < t.n and t.orth[i + 1] == "," and i + 2 in people:
        return True
    if t.dep[i] in ("dobj", "dative") and t.lemma[t.head[i]].lower() == "tell":
        return True  # the addressee: the quote that follows is the teller's, not theirs
    return t.lemma[i].lower() in _PRESS and t.dep[i] == "pobj" and t.lemma[t.head[i]].lower() == "to"


def _mention_span(t: DocTable, i: int, covered: set[int]) -> tuple[int, int]:
    """The description headed by ``i``: its determiner and modifiers, and a short prepositional phrase after it."""
    a = i
    left = t.doc[i].left_edge.i
    while a > left and (a - 1) not in covered and (not t.is_punct[a - 1] or t.orth[a - 1] == "-"):
        if t.pos[a - 1] == "VERB" and not (a - 2 >= left and t.pos[a - 2] == "DET"):
            break  # "The first ending punished players": a verb the parser read as a modifier ("the injured driver" keeps it)
        a -= 1
    while a < i and (t.is_punct[a] or t.orth[a] in ("'s", "’s")):
        a += 1
    b = i + 1
    for child in t.doc[i].rights:
        if child.dep_ == "prep" and child.lower_ in _PREPS and child.i == b and any(c.dep_ == "pobj" for c in child.children):
            end = child.right_edge.i + 1
            if end - b <= _MAX_TAIL and not any(t.is_punct[k] and t.orth[k] != "-" for k in range(b, end)):
                b = end
    return a, b


def _name_text(t: DocTable, i: int, a: int, b: int) -> str:
    """An unnamed person's name: the description, with its possessor ("Adeyemi's lawyer") and a short
    relative clause ("a neighbour who asked not to be named")."""
    left = t.doc[i].left_edge.i
    start = a
    if a - 1 > left and t.orth[a - 1] in _POSSESSIVE:
        # the possessor, a name the mention leaves to its own entity: "[Adeyemi's] lawyer"
        start = a - 1
        while start > left and t.pos[start - 1] in ("PROPN", "DET") and not t.is_punct[start - 1]:
            start -= 1
    end = b
    for child in t.doc[i].rights:
        if child.dep_ == "relcl" and child.left_edge.i == b and t.lower[b] in ("who", "that"):
            stop = child.right_edge.i + 1
            if stop - b <= _MAX_TAIL and not any(t.is_punct[k] for k in range(b, stop)):
                end = stop
    return t.span_text(start, end)


def describe_named(t: DocTable, clusters: list[NameCluster]) -> None:
    """Add to a named person the descriptions that are said of them: "X, a trade envoy," (an
    appositive) and "X is the judge" (a predicate) become ``nominal`` mentions of X.

    The mention is the description up to its noun ("a trade envoy"), so a name after it
    ("the chief executive of the Urban League") stays its own entity's. Token offsets, half-open.
    """
    owner = {k: cl for cl in clusters if cl.type == "PERSON" for m in cl.mentions if m.kind in ("name", "alias") for k in range(m.start, m.end)}
    covered = {k for cl in clusters for m in cl.mentions for k in range(m.start, m.end)}
    for i in range(t.n):
        if i in covered or t.pos[i] != "NOUN" or t.lemma[i].lower() not in PERSON_NOUNS:
            continue
        described = _described(t, i, owner)
        if described is None:
            continue
        cl, how = described
        a, _ = _mention_span(t, i, covered)
        cl.mentions.append(TokenMention(a, i + 1, "nominal", f"{DESCRIBES_VIA} {how} of {' '.join(cl.name_tokens)}"))
        covered.update(range(a, i + 1))


#: How a description said of a named person begins its ``via``: such a mention is no alias.
DESCRIBES_VIA = "describes:"


def _described(t: DocTable, i: int, owner: dict[int, NameCluster]) -> tuple[NameCluster, str] | None:
    """The named person a description at ``i`` is said of, and how (appositive or predicate)."""
    head = t.head[i]
    if t.dep[i] == "appos" and head in owner:
        return owner[head], "appositive"
    if t.dep[i] == "attr" and t.lemma[head] == "be":
        subj = next((k for k in range(t.sent_bounds(i)[0], i) if t.head[k] == head and t.dep[k] in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj in owner:
            return owner[subj], "predicate"
    return None
