"""Mentions: where the article names someone or something, clustered by name before resolution.

The names come from ``names.py`` (spaCy NER repaired for news) and the titles
of works from ``epithets.py``, which also finds the definite role phrases
that ``resolve.py`` resolves as epithets. Here they are clustered: a full
name with the first names and surnames that shorten it, an organisation's
short form with its full name ("Ironbridge" for "Ironbridge Interactive"),
an acronym with the name it stands for (``acronyms.py``). Token offsets here;
``resolve.py`` turns them into character spans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.doctable import DocTable
from storyline.stages.entities.acronyms import join_acronyms
from storyline.stages.entities.clusters import NameCluster, QuotedRanges, TokenMention
from storyline.stages.entities.epithets import Epithet, find_epithets_and_titles
from storyline.stages.entities.names import name_spans
from storyline.stages.shared.lexicon import FEMALE_NAMES, MALE_NAMES
from storyline.stages.shared.titles import KEPT_TITLES, PERSON_TITLES, SOCIAL_TITLES, is_office_title

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: The types whose multi-word names a one-word name may be the short form of ("Ironbridge" for "Ironbridge Interactive").
_NAMED_THINGS = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "FAC", "LOC", "GPE", "EVENT"})
#: The types of a one-word name that may be a person's first name or surname the NER mislabelled.
_MAYBE_PERSON = frozenset({"PERSON", "ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART"})
#: How many more words a full name may have than a shorter form of it ("Khalid al-Rashid" of
#: "al-Rashid"); more, and the longer "name" is likely a headline ("Black Lawmakers Rip Donald Trump").
_MAX_EXTRA_WORDS = 2
#: The part-of-speech tags of a capitalised word that may shorten a person's name: "Hey, Blake".
_NAME_POS = frozenset({"PROPN", "NOUN"})


def find_mentions(
    doc: Doc, quoted: QuotedRanges, *, table: DocTable | None = None
) -> tuple[dict[str, NameCluster], list[Epithet]]:
    """Collect name mentions and cluster them; returns clusters by key and epithet candidates.

    Mentions are in token offsets, half-open. ``table`` is ``DocTable(doc)``
    when the caller has one already.
    """
    t = table if table is not None else DocTable(doc)
    epithets, titles = find_epithets_and_titles(t, quoted)
    spans = name_spans(t, titles)
    clusters: dict[str, NameCluster] = {}
    people = _cluster_full_names(t, spans, clusters)
    by_word = _people_by_word(people)
    _cluster_other_names(t, spans, titles, clusters, by_word)
    _join_short_forms(clusters)
    covered = {k for cl in clusters.values() for m in cl.mentions for k in range(m.start, m.end)}
    covered.update(k for a, b in titles for k in range(a, b))
    join_acronyms(t, clusters, covered)
    _add_missed_names(t, covered, by_word)
    for cl in clusters.values():
        if cl.type == "PERSON":
            _widen_aliases(t, cl)
    return clusters, epithets


def _normal(text: str) -> str:
    """A name's cluster key: one space between words, straight apostrophes, lower case."""
    return " ".join(text.replace("’", "'").split()).lower()


def _words(t: DocTable, a: int, b: int) -> tuple[str, ...]:
    """The words of a name span, without its punctuation or a nickname in brackets ("Robert (Bob) Lee")."""
    words: list[str] = []
    depth = 0
    for k in range(a, b):
        depth += t.orth[k] == "("
        if depth == 0 and not t.is_punct[k]:
            words.append(t.orth[k])
        depth -= t.orth[k] == ")" and depth > 0
    return tuple(words)


def _nicknames(t: DocTable, a: int, b: int) -> tuple[str, ...]:
    """The words in brackets inside a name span: "Bob" in "Robert (Bob) Lee"."""
    inside = [k for k in range(a, b) if any(t.orth[j] == "(" for j in range(a, k)) and not any(t.orth[j] == ")" for j in range(a, k))]
    return tuple(t.orth[k] for k in inside if not t.is_punct[k])


def _defines_person(t: DocTable, a: int, b: int, label: str) -> bool:
    """Whether a name span defines a person: a multi-word PERSON name, or one after an office title ("Secretary Cardona")."""
    return label == "PERSON" and (len(_words(t, a, b)) >= 2 or _title_before(t, a) is not None)


def _cluster_full_names(t: DocTable, spans: list[tuple[int, int, str]], clusters: dict[str, NameCluster]) -> list[NameCluster]:
    """Cluster the names that define people (``_defines_person``); return the people in the order first named."""
    people: dict[str, NameCluster] = {}
    for a, b, label in spans:
        words = _words(t, a, b)
        if _defines_person(t, a, b, label):
            key = _normal(" ".join(words))
            cl = clusters.get(key)
            if cl is None:
                cl = clusters[key] = NameCluster("PERSON", name_tokens=words, other_keys=_nicknames(t, a, b))
            title = _title_before(t, a)
            if title is not None and title.split()[-1].lower().rstrip(".") not in SOCIAL_TITLES:
                cl.title = cl.title or title  # "Mr." is no office
            cl.mentions.append(TokenMention(a, b, "name", "ner"))
            people[key] = cl
    return _merge_variants(list(people.values()), clusters)


def _merge_variants(people: list[NameCluster], clusters: dict[str, NameCluster]) -> list[NameCluster]:
    """Join a shorter full name to the one longer name it is a form of: "al-Rashid", "J. Smith", "Emperor Norton".

    The longer forms join first ("Emperor Joshua Norton" into "Joshua Abraham Norton",
    then "Emperor Norton" into both); a name stays apart when it may be a form of two
    people's names.
    """
    for short in sorted(people, key=lambda c: [-n for n in _fullness(c)]):
        longer = [c for c in people if c is not short and _fullness(c) > _fullness(short) and is_name_variant(short.name_tokens, c.name_tokens)]
        if len(longer) != 1:
            continue
        target = longer[0]
        via = f"shortens {' '.join(target.name_tokens)}"
        target.mentions.extend(TokenMention(m.start, m.end, "alias", via) for m in short.mentions)
        # "the Emperor", "Bob": the words the shorter form went by stay keys of the person
        target.other_keys += short.other_keys + tuple(w for w in short.name_tokens if w.lower() in KEPT_TITLES)
        target.title = target.title or short.title
        people.remove(short)
        del clusters[_normal(" ".join(short.name_tokens))]
    return people


def _fullness(c: NameCluster) -> tuple[int, int, int]:
    """How full a name is: its words without titles, its words, its letters ("John Smith" over "J. Smith")."""
    return len(_untitled(c.name_tokens)), len(c.name_tokens), sum(len(w) for w in c.name_tokens)


def _untitled(words: tuple[str, ...]) -> list[str]:
    """A name's words in lower case, without dots or the titles before or inside it ("Emperor", "Dr.")."""
    return [w.lower().rstrip(".") for w in words if w.lower().rstrip(".") not in PERSON_TITLES]


def is_name_variant(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether the words of ``short`` name the person called ``full``.

    Its surname with particles ("al Rashid" of "Khalid al Rashid"), its first
    words, its first and last words ("Joshua Norton" of "Joshua Abraham Norton"),
    or the full name with initials ("J. Smith" of "John Smith"); titles are
    ignored ("Professor Eastman" of "Cres Eastman").
    """
    s, f = _untitled(short), _untitled(full)
    if not s or not f or len(f) - len(s) > _MAX_EXTRA_WORDS or not _same_gender(short, full):
        return False
    if s == f:
        return len(short) != len(full)
    titled = len(s) < len(short)  # "Mr. Ban" is "Ban Ki-moon": a title may stand before a family name that comes first
    if len(s) < len(f) and (f[-len(s):] == s or (len(s) >= 2 or titled) and f[: len(s)] == s):
        return True
    if len(s) == 2 and len(f) > 2 and s[0] == f[0] and s[-1] == f[-1]:
        return True
    return _initials_match(s, f)


def _same_gender(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether a form of address and a first name agree: "Mr. Obama" is not "Michelle Obama"."""
    title = short[0].lower().rstrip(".") if short else ""
    first = _untitled(full)[0] if _untitled(full) else ""
    if title == "mr":
        return first not in FEMALE_NAMES
    if title in ("mrs", "ms", "miss"):
        return first not in MALE_NAMES
    return True


def _initials_match(s: list[str], f: list[str]) -> bool:
    """Whether ``s`` is ``f`` with its given names cut to initials: "j smith" of "john smith"."""
    if len(s) != len(f) or len(s) < 2 or s[-1] != f[-1]:
        return False
    return all(a == b or len(a) == 1 and b.startswith(a) for a, b in zip(s[:-1], f[:-1], strict=True)) and s != f


def _title_before(t: DocTable, a: int) -> str | None:
    """The office title in capitals just before a name starting at ``a`` ("Deputy Sheriff"), or None."""
    start = a
    while start > 0 and t.orth[start - 1][:1].isupper() and is_office_title(t.orth[start - 1]):
        start -= 1
    return t.span_text(start, a) if start < a else None


def _people_by_word(people: list[NameCluster]) -> dict[str, list[NameCluster]]:
    """Index people by the lowercased first and last words of their full names, their other keys and
    the office title they were named with ("secretary"); a royal title is a key too ("emperor")."""
    by_word: dict[str, list[NameCluster]] = {}
    for c in people:
        words = [w for w in c.name_tokens if not is_office_title(w)] or list(c.name_tokens)
        keys = {words[0].lower(), words[-1].lower(), *(n.lower() for n in c.other_keys)}
        if c.title:  # "the Secretary" after "Secretary Cardona"
            keys.add(c.title.split()[-1].lower())
        for w in keys:
            by_word.setdefault(w, []).append(c)
    return by_word


def _person_for(by_word: dict[str, list[NameCluster]], word: str, at: int) -> NameCluster | None:
    """The person a single name at token ``at`` shortens, or None."""
    hits = by_word.get(word.lower(), [])
    if len(hits) == 1:
        return hits[0]
    if hits:  # two people called Ryan: the one mentioned last before this point, else the one named first
        return max(hits, key=lambda c: (max((m.start for m in c.mentions if m.start < at), default=-1), -c.first))
    return None


def _cluster_other_names(
    t: DocTable, spans: list[tuple[int, int, str]], titles: list[tuple[int, int]], clusters: dict[str, NameCluster],
    by_word: dict[str, list[NameCluster]],
) -> None:
    """Cluster every other name; a single name goes to the person it shortens, if there is one."""
    for a, b, label in spans:
        words = _words(t, a, b)
        if _defines_person(t, a, b, label):
            continue
        if len(words) == 1 and label in _MAYBE_PERSON:
            short = _person_for(by_word, words[0], a)
            if short is not None:
                short.mentions.append(TokenMention(a, b, "alias", f"shortens {' '.join(short.name_tokens)}"))
                continue
        key = _normal(" ".join(words))
        cl = clusters.get(key)
        if cl is None:
            cl = clusters[key] = NameCluster(label, name_tokens=words)
        cl.mentions.append(TokenMention(a, b, "name", "ner" if label != "WORK_OF_ART" or (a, b) not in titles else "title pattern"))


def _join_short_forms(clusters: dict[str, NameCluster]) -> None:
    """Join a one-word name to the one longer name it starts: "Ironbridge" for "Ironbridge Interactive"."""
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


def _titles_a_name(t: DocTable, i: int, covered: set[int]) -> bool:
    """Whether token ``i`` is an office title written before a name ("[Deputy Sheriff] Ana Morales"), not a name itself."""
    k = i
    while k < t.n and is_office_title(t.orth[k]):
        k += 1
    return k > i and k < t.n and (k in covered or t.orth[k][:1].isupper())


def _add_missed_names(t: DocTable, covered: set[int], by_word: dict[str, list[NameCluster]]) -> None:
    """Add the first names and surnames the NER missed to the people they shorten: "Hey, Blake", "Give Ryan my love"."""
    for i in range(t.n):
        if i in covered or t.pos[i] not in _NAME_POS or not t.orth[i][:1].isupper() or _titles_a_name(t, i, covered):
            continue
        short = _person_for(by_word, t.orth[i], i)
        if short is not None:
            short.mentions.append(TokenMention(i, i + 1, "alias", f"shortens {' '.join(short.name_tokens)}"))


def _widen_aliases(t: DocTable, cl: NameCluster) -> None:
    """Take into a short form the particles and the title of the name it shortens ("[van der] Berg",
    "[Emperor] Norton"), and make one mention of two short forms side by side ("Emperor" "Norton")."""
    name = [w.lower() for w in cl.name_tokens]
    starts = {m.start for m in cl.mentions}
    for n, m in enumerate(cl.mentions):
        if m.kind != "alias":
            continue
        a = m.start
        while a > 0 and (a - 1) not in starts and _joins_name(t, a - 1):
            words = [w.lower() for w in _words(t, a - 1, m.end)]
            if len(words) > len(name) or name[-len(words):] != words:
                break
            a -= 1
        while a < m.start and t.is_punct[a]:
            a += 1
        if a < m.start:
            cl.mentions[n] = TokenMention(a, m.end, m.kind, m.via)
    cl.mentions.sort(key=lambda m: m.start)
    joined: list[TokenMention] = []
    for m in cl.mentions:
        last = joined[-1] if joined else None
        if last is not None and last.kind == m.kind == "alias" and last.end == m.start and t.ws[last.end - 1]:
            joined[-1] = TokenMention(last.start, m.end, "alias", last.via)
        else:
            joined.append(m)
    cl.mentions[:] = joined


def _joins_name(t: DocTable, k: int) -> bool:
    """Whether token ``k`` may be part of a name that goes on after it: a word, or a hyphen inside one ("al-")."""
    if t.is_space[k] or "\n" in t.orth[k]:
        return False
    return t.orth[k].isalpha() or t.orth[k] in ("-", "'", "’") and not t.ws[k]
