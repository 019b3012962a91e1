"""Names: the spans of the article that name someone or something, from spaCy's NER repaired for news.

The sm model calls single first names ORG, org names PERSON ("the Gazette"),
misses people ("Leah Varga" after a date header, "Okafor said", "Kowalski, 47,")
and takes a vocative or an office title into a name ("Hey, Blake", "Deputy
Sheriff Ana Morales"); it calls a dateline ("LAGOS —") or a team ("the Chelsea
team") a person and a person a place. Each repair here is one small function;
``name_spans`` applies them in order. Office titles leave the name (royal and
religious ones stay: "Emperor Norton"); ``relations.py`` records them. Token
offsets, half-open.
"""

from __future__ import annotations

from storyline.nlp.doctable import DocTable
from storyline.stages.shared.clauses import NOMINAL_SUBJECTS
from storyline.stages.shared.lexicon import (
    CUE_VERBS,
    FEMALE_NAMES,
    HONORIFICS,
    MALE_NAMES,
    NEUTRAL_NAMES,
    ORG_SUFFIXES,
    RELATION_NOUNS,
    ROLE_NOUNS,
    TEAM_NOUNS,
)
from storyline.stages.shared.titles import KEPT_TITLES, NAME_TITLES, PERSON_TITLES, is_office_title

#: spaCy's NER labels -> ours; a label not here is no name we keep (DATE, MONEY, ...).
_LABELS = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC",
    "WORK_OF_ART": "WORK_OF_ART", "EVENT": "EVENT", "PRODUCT": "PRODUCT", "NORP": "NORP",
    "LAW": "OTHER", "LANGUAGE": "OTHER",
}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_GIVEN_NAMES = MALE_NAMES | FEMALE_NAMES | NEUTRAL_NAMES
#: The dashes and brackets after a dateline: "LAGOS —", "WASHINGTON (AP) —".
_DATELINE_NEXT = frozenset({"—", "–", "-", "--", "(", ":"})
#: The part-of-speech tags of a vocative or greeting the NER took into a name: "Hey, Blake".
_NOT_NAME_POS = frozenset({"INTJ", "PUNCT"})
#: Verbs whose subject is a person, not an organisation or a place: "Xi Jinping met", "Okafor smiled".
_PERSON_VERBS = frozenset(
    """meet visit marry wed divorce die resign testify plead apologize apologise smile laugh shrug nod
    frown sigh weep cry recall""".split()
)
#: Prepositions before a place: "in Leeds", "from Lagos".
_PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "to", "near", "into", "across", "throughout", "outside", "inside"})
#: The tags of a proper noun.
_PROPER_TAGS = frozenset({"NNP", "NNPS"})


def name_spans(t: DocTable, titles: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """List the article's names as sorted ``(start, end, label)`` token ranges, half-open.

    Titles of works found by pattern come first and keep their tokens; then the
    NER's entities, repaired, where they overlap no title; then the people and
    organisations the NER missed.
    """
    taken = [False] * t.n
    spans: list[tuple[int, int, str]] = []
    for a, b in titles:
        spans.append((a, b, "WORK_OF_ART"))
        _take(taken, a, b)
    for a, b in _nicknamed_names(t):
        spans.append((a, b, "PERSON"))
        _take(taken, a, b)
    for ent in t.doc.ents:
        span = _repaired_entity(t, ent.start, ent.end, ent.label_, taken)
        if span is not None:
            spans.append(span)
            _take(taken, span[0], span[1])
    spans.extend(_unlabelled_names(t, taken))
    spans = _people_not_places(t, spans)
    spans.sort()
    return spans


def _people_not_places(t: DocTable, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Settle one label for a name the NER calls a person here and a place there, by the article's evidence.

    A team noun after it makes it an organisation ("the Chelsea team", "Arsenal fans"); a
    place's preposition before it ("in Moran") a place; being the subject of a speech or a
    person's verb ("Gloria said") a person. With evidence one way only, every PERSON and GPE
    use of the name takes that label; with none, the label the NER gave it more often.
    """
    teams = {t.span_text(a, b) for a, b, _ in spans if b < t.n and t.lower[b] in TEAM_NOUNS}
    votes: dict[str, list[int]] = {}  # name -> [place evidence, person evidence, GPE labels, PERSON labels]
    for a, b, label in spans:
        if label in ("PERSON", "GPE"):
            vote = votes.setdefault(t.span_text(a, b), [0, 0, 0, 0])
            vote[0] += t.dep[a] == "pobj" and t.lower[t.head[a]] in _PLACE_PREPOSITIONS
            vote[1] += b - a == 1 and _person_evidence(t, a, b) in ("subject of a speech verb", "subject of a person's verb", "after a title")
            vote[2 if label == "GPE" else 3] += 1
    settled = {text: "ORG" for text in teams}
    for text, (place, person, gpe, people) in votes.items():
        if text in settled or not gpe or not people:
            continue
        if bool(place) != bool(person):
            settled[text] = "GPE" if place else "PERSON"
        elif gpe != people:
            settled[text] = "GPE" if gpe > people else "PERSON"
    return [(a, b, settled.get(t.span_text(a, b), label) if label in ("PERSON", "GPE") else label) for a, b, label in spans]


def _nicknamed_names(t: DocTable) -> list[tuple[int, int]]:
    """Names with a nickname in brackets, which the NER splits in three: "Robert (Bob) Lee"."""
    out: list[tuple[int, int]] = []
    for i in range(t.n - 4):
        if _is_name_word(t, i) and t.orth[i + 1] == "(" and _is_name_word(t, i + 2) and t.orth[i + 3] == ")" and _is_name_word(t, i + 4):
            end = i + 5
            while end < t.n and end < i + 7 and _is_name_word(t, end):
                end += 1
            start = i
            while start > 0 and i - start < 2 and _is_name_word(t, start - 1) and not is_office_title(t.orth[start - 1]):
                start -= 1
            if not out or start >= out[-1][1]:
                out.append((start, end))
    return out


def _take(taken: list[bool], a: int, b: int) -> None:
    """Mark the tokens of a name, which no later name may overlap."""
    for k in range(a, b):
        taken[k] = True


def _repaired_entity(t: DocTable, start: int, end: int, ner_label: str, taken: list[bool]) -> tuple[int, int, str] | None:
    """An NER entity as a name span, trimmed and relabelled; None when no name is left or it overlaps one."""
    label = _LABELS.get(ner_label)
    if label is None:
        return None
    a, b = _clean_name_span(t, start, end)
    if a >= b or any(taken[k] for k in range(a, b)):
        return None
    # vocatives and greetings the sm model reads as titles: "Hey, Blake"
    while a < b and t.pos[a] in _NOT_NAME_POS:
        a += 1
    if a >= b:
        return None
    label = _relabel(t, a, b, label)
    if label != "PERSON" and a > 0 and not taken[a - 1] and t.lower[a - 1].rstrip(".") in NAME_TITLES and t.orth[a - 1][:1].isupper():
        label = "PERSON"  # "Dr. Okoro", "Emperor Norton" tagged ORG: a name after a title is a person's
    if label == "PERSON":
        a = _drop_office_title(t, _widen_person(t, a, taken), b)
        a = _take_kept_title(t, a, taken)
    return a, b, label


def _clean_name_span(t: DocTable, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive from a name span."""
    while start < end and (t.lower[start] == "the" or t.is_punct[start]):
        start += 1
    while end > start and (t.orth[end - 1] in _POSSESSIVE or t.is_punct[end - 1]):
        end -= 1
    return start, end


def _is_name_word(t: DocTable, i: int) -> bool:
    """Whether token ``i`` reads as a word of a name: a capitalised proper noun of letters, not all capitals."""
    text = t.orth[i]
    return t.tag[i] in _PROPER_TAGS and text[:1].isupper() and text.replace("-", "").replace("'", "").isalpha() and not text.isupper()


def _person_evidence(t: DocTable, a: int, b: int) -> str | None:
    """Why a capitalised pair of words the NER skipped is a person's name, if it is."""
    first = t.lower[a]
    if first in MALE_NAMES or first in FEMALE_NAMES or first in NEUTRAL_NAMES:
        return "known given name"
    n = t.n
    orth, lower = t.orth, t.lower
    if a > 0 and orth[a - 1][:1].isupper() and lower[a - 1].rstrip(".") in NAME_TITLES:
        return "after a title"
    if b + 2 < n and orth[b] in {",", "("} and orth[b + 1].isdigit() and orth[b + 2] in {",", ")"}:
        return "age after the name"
    if b + 2 < n and orth[b] == "," and lower[b + 1] in ("the", "a", "an") and any(
        lower[k] in ROLE_NOUNS or lower[k] in RELATION_NOUNS for k in range(b + 2, min(n, b + 6))
    ):
        return "role in apposition"
    if t.dep[b - 1] in NOMINAL_SUBJECTS and t.lemma[t.head[b - 1]].lower() in CUE_VERBS:
        return "subject of a speech verb"
    if t.dep[b - 1] in NOMINAL_SUBJECTS and t.lemma[t.head[b - 1]].lower() in _PERSON_VERBS:
        return "subject of a person's verb"
    return None


def _unlabelled_names(t: DocTable, taken: list[bool]) -> list[tuple[int, int, str]]:
    """Names the sm NER missed: capitalised words ending in an org word, or a person's with evidence."""
    out: list[tuple[int, int, str]] = []
    i, n = 0, t.n
    while i < n:
        if taken[i] or not _is_name_word(t, i) or is_office_title(t.orth[i]):
            i += 1  # an office title starts no name: "[Deputy Sheriff] Ana Morales"
            continue
        j = i
        while j < n and j - i < 3 and not taken[j] and _is_name_word(t, j):
            j += 1
        if j - i >= 2 and t.lower[j - 1] in ORG_SUFFIXES:
            out.append((i, j, "ORG"))  # "Ironbridge Interactive", "Foxglove Games"
        elif j - i >= 2 and (i == 0 or t.lower[i - 1] != "the") and _person_evidence(t, i, j):
            out.append((i, j, "PERSON"))
        elif j - i == 1 and _lone_person(t, i):
            out.append((i, j, "PERSON"))
        i = j
    return out


def _is_dateline(t: DocTable, a: int, b: int) -> bool:
    """Whether a name in capitals opens a line before a dash or an agency: "LAGOS —", "WASHINGTON (AP) —"."""
    at_line_start = a == 0 or "\n" in t.orth[a - 1] or "\n" in t.text[t.idx[a - 1] : t.idx[a]]
    return at_line_start and b < t.n and t.orth[b] in _DATELINE_NEXT and all(t.orth[k].isupper() for k in range(a, b) if not t.is_punct[k])


def _lone_person(t: DocTable, i: int) -> bool:
    """Whether one capitalised word the NER skipped is a person: "Okafor said", "Kowalski, 47,", "Dr. Okoro".

    Not a word that opens a line in capitals, nor one after "the" ("the Gazette said").
    """
    if t.orth[i].isupper() or i > 0 and t.lower[i - 1] == "the":
        return False
    return _person_evidence(t, i, i + 1) in ("age after the name", "subject of a speech verb", "subject of a person's verb", "after a title")


def _relabel(t: DocTable, a: int, b: int, label: str) -> str:
    """Repair labels the sm model gets wrong in news: "the Gazette" is no person."""
    if _is_dateline(t, a, b):
        return "GPE"  # "LAGOS —" is where the story was filed
    if label == "PERSON" and b < t.n and t.lower[b] in TEAM_NOUNS and b - a <= 2:
        return "ORG"  # "the Chelsea team", "Arsenal fans"
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
        evidence = _person_evidence(t, a, b)
        if evidence not in (None, "subject of a speech verb", "subject of a person's verb"):
            return "PERSON"  # "Anja Holt, a close friend of Solberg," tagged ORG
        if evidence == "subject of a speech verb" and _next_subject_is_he_or_she(t, a):
            return "PERSON"  # "Chidi Okonkwo said ... He added": an organisation is no "he"
    if (label in ("GPE", "LOC") or label == "ORG" and a > 0 and t.lower[a - 1] != "the") and b - a == 1 and _acts_like_a_person(t, a):
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
    first = next((k for k in range(end, stop) if t.dep[k] in NOMINAL_SUBJECTS), None)
    return first is not None and t.lower[first] in ("he", "she")


def _widen_person(t: DocTable, a: int, taken: list[bool]) -> int:
    """Take in a given name the NER left out: "Mira" before "Solberg"."""
    while a > 0 and not taken[a - 1] and _is_name_word(t, a - 1) and t.lower[a - 1] not in HONORIFICS and t.lower[a - 1] not in PERSON_TITLES:
        a -= 1
    return a


def _drop_office_title(t: DocTable, a: int, b: int) -> int:
    """Leave out a title the NER took into a person's name: "[Deputy Sheriff] Ana Morales" ("Prince Harry" keeps his)."""
    while b - a > 1 and is_office_title(t.orth[a]) and (_is_name_word(t, a + 1) or is_office_title(t.orth[a + 1])):
        a += 1
    return a


def _take_kept_title(t: DocTable, a: int, taken: list[bool]) -> int:
    """Take in a royal or religious title the NER left out: "[Emperor] Norton", "[Pope] Francis"."""
    if a > 0 and not taken[a - 1] and t.lower[a - 1] in KEPT_TITLES and t.orth[a - 1][:1].isupper() and t.pos[a - 1] == "PROPN":
        return a - 1
    return a
