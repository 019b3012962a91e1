"""Epithets: definite role phrases that refer back to a person ("the director", "The mother of four").

``find_epithets_and_titles`` reads the candidate phrases (and the titles of
works found on the way: "The Five Feet Apart director", "their project, It
Ends With Us", a quoted title) before names are clustered; ``resolve.py``
resolves them. Token offsets, half-open.
"""

from __future__ import annotations

from typing import NamedTuple

from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import QuotedRanges
from storyline.stages.shared.lexicon import NEW_REFERENT_ROLES, ROLE_NOUNS, WORK_NOUNS, WORK_ROLES
from storyline.stages.shared.titles import TITLE_FUNCTION_WORDS, looks_like_title

#: The part-of-speech tags of a work noun: "their project", "the film".
_NOUNS = frozenset({"NOUN", "PROPN"})
#: The part-of-speech tags a title may open with: "It Ends With Us", "Five Feet Apart".
_TITLE_START_POS = frozenset({"PROPN", "PRON", "NOUN", "VERB", "ADJ", "NUM", "DET"})
#: The part-of-speech tags of the words before a role noun: "the publishing executive", "the embattled founder".
_MODIFIER_POS = frozenset({"ADJ", "NOUN"})


class Epithet(NamedTuple):
    """A definite role phrase in token offsets: "The Five Feet Apart director" (half-open)."""

    start: int
    end: int
    role: int  # the token of the role noun ("director")
    title_end: int  # the end of a title inside the phrase, or ``start + 1`` with none


def find_epithets_and_titles(t: DocTable, quoted: QuotedRanges) -> tuple[list[Epithet], list[tuple[int, int]]]:
    """Find definite role phrases and the titles inside them.

    Returns:
        (epithets, titles): the outermost epithets, in token order ("The Five
        Feet Apart director" with role "director"), and the outermost titles
        of works as half-open (start, end) token ranges.
    """
    epithets: list[Epithet] = []
    titles = _quoted_titles(t, quoted)
    for i in range(t.n):
        if quoted.covers(i):
            continue
        work_title = _title_after_work_noun(t, i)
        if work_title is not None:
            titles.append(work_title)
        found = _epithet_at(t, i) if t.lower[i] == "the" else None
        if found is not None:
            epithet, title = found
            if title is not None:
                titles.append(title)
            epithets.append(epithet)
    return _outermost_epithets(epithets), _outermost(titles)


def _quoted_titles(t: DocTable, quoted: QuotedRanges) -> list[tuple[int, int]]:
    """The quoted passages that read as a title: the 2019 film "Paper Harbors"."""
    titles: list[tuple[int, int]] = []
    for a, b in quoted:
        if looks_like_title(t.text[a:b]):
            span = t.doc.char_span(a, b, alignment_mode="contract")
            if span is not None and len(span):
                titles.append((span.start, span.end))
    return titles


def _title_after_work_noun(t: DocTable, i: int) -> tuple[int, int] | None:
    """The title that follows a work noun at ``i``: "their project, It Ends With Us", "the film Five Feet Apart"."""
    if t.lower[i] not in WORK_NOUNS or t.pos[i] not in _NOUNS:
        return None
    n = t.n
    j = i + 1
    if j < n and t.orth[j] == ",":
        j += 1
    if j < n and t.orth[j][:1].isupper() and t.pos[j] in _TITLE_START_POS:
        end = _title_run(t, j, min(n, j + 12))
        if end > j:
            return j, end
    return None


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


def _epithet_at(t: DocTable, i: int) -> tuple[Epithet, tuple[int, int] | None] | None:
    """The epithet "The [Title] [adjectives] role [of N]" opening with the "the" at ``i``, and a work's title in it.

    None when the phrase describes a name next to it, has no role noun, or
    brings in someone new ("the company spokesman", "the director Jon Chu",
    "the director of the FBI").
    """
    if _describes_a_name(t, i):
        return None
    title_start = i + 1
    title_end, j = _title_and_modifiers(t, title_start)
    found = _role_noun(t, j)
    if found is None:
        return None
    role, j = found
    end = j + 1
    if end + 1 < t.n and t.lower[end] == "of" and t.like_num[end + 1]:
        end += 2  # "The mother of four"
    if _introduces_someone(t, j, end):
        return None
    title = (title_start, title_end) if title_end > title_start and role in WORK_ROLES else None
    # "The Ironbridge chief": a role at an organisation; the name stays the organisation's
    return Epithet(i, end, j, title_end), title


def _describes_a_name(t: DocTable, i: int) -> bool:
    """Whether the "the" at ``i`` opens a description of a name rather than an epithet.

    "Tomas Reyes, the composer,": an appositive ("On Monday, the mayor" is
    none); "Nadia Fenwick is the lead writer": a predicate, read in relations.
    """
    if i >= 2 and t.orth[i - 1] == "," and t.pos[i - 2] == "PROPN" and t.doc[i - 2].ent_type_ not in ("DATE", "TIME"):
        return True
    return i >= 1 and t.lemma[i - 1] == "be"


def _title_and_modifiers(t: DocTable, start: int) -> tuple[int, int]:
    """Read a title and then modifiers from ``start``; return the title's end and the next token after them."""
    n = t.n
    j = title_end = start
    if j < n and t.orth[j][:1].isupper():
        # the run may have swallowed the role noun ("star" tagged PROPN is lowercase, so it stops)
        title_end = j = _title_run(t, j, min(n, j + 10))
    while j + 1 < n and t.orth[j].islower() and t.pos[j] in _MODIFIER_POS and t.lower[j] not in ROLE_NOUNS and _role_at(t, j) is None:
        j += 1  # "the publishing executive", "the embattled founder"
    return title_end, j


def _role_at(t: DocTable, j: int) -> tuple[str, int] | None:
    """A hyphenated role noun split by the tokenizer: "co - founder" -> ("co-founder", last index)."""
    if j + 2 < t.n and t.orth[j + 1] == "-" and not t.ws[j] and not t.ws[j + 1]:
        word = f"{t.lower[j]}-{t.lower[j + 2]}"
        if word in ROLE_NOUNS:
            return word, j + 2
    return None


def _role_noun(t: DocTable, j: int) -> tuple[str, int] | None:
    """The role noun at ``j`` and its last token ("the veteran director": the last noun is the role).

    None when there is none, or it is a role that always brings in someone new
    ("the company spokesman" is not someone named before).
    """
    if j >= t.n:
        return None
    hyphen = _role_at(t, j)
    role, j = hyphen if hyphen is not None else (t.lower[j], j)
    if role not in ROLE_NOUNS or not t.orth[j].islower() or role in NEW_REFERENT_ROLES:
        return None
    while j + 1 < t.n and t.lower[j + 1] in ROLE_NOUNS and t.orth[j + 1].islower():
        j += 1
        role = t.lower[j]
    return role, j


def _introduces_someone(t: DocTable, j: int, end: int) -> bool:
    """Whether the role noun at ``j`` brings in a new person: "the director Jon Chu", "the director of the FBI"."""
    if end >= t.n:
        return False
    if t.pos[end] == "PROPN" and t.doc[end].ent_type_ == "PERSON":
        return True  # a title before a name, not an epithet
    return t.lower[end] == "of" and end == j + 1


def _outermost(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop ranges nested in an earlier, longer one ("the Virgin" inside "Jane the Virgin")."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(set(ranges), key=lambda r: (r[0], -r[1])):
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return out


def _outermost_epithets(epithets: list[Epithet]) -> list[Epithet]:
    """Drop epithets nested in an earlier, longer one; the rest keep their order."""
    keep = set(_outermost([(e.start, e.end) for e in epithets]))
    return [e for e in epithets if (e.start, e.end) in keep]
