"""Epithets: definite role phrases that refer back to a person ("the director", "The mother of four").

Two halves: ``find_epithets_and_titles`` reads the candidate phrases (and the
titles of works found on the way: "The Five Feet Apart director", "their
project, It Ends With Us", a quoted title) before names are clustered;
``resolve_epithets`` ties each to the earlier person the article's evidence
points at: the same role used before, gender, the sentence before, salience.
Token offsets, half-open.
"""

from __future__ import annotations

from typing import NamedTuple

from storyline.errors import ENTITY_UNRESOLVED
from storyline.model import Issue, Span
from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster, QuotedRanges, TokenMention, previous_subject, salience
from storyline.stages.shared.clauses import NOMINAL_SUBJECTS
from storyline.stages.shared.lexicon import (
    FEMALE_PRONOUNS,
    MALE_PRONOUNS,
    NEW_REFERENT_ROLES,
    ROLE_NOUNS,
    ROLE_VERBS,
    WORK_NOUNS,
    WORK_ROLES,
)
from storyline.stages.shared.titles import TITLE_FUNCTION_WORDS, looks_like_title

#: The part-of-speech tags of a work noun: "their project", "the film".
_NOUNS = frozenset({"NOUN", "PROPN"})
#: The part-of-speech tags a title may open with: "It Ends With Us", "Five Feet Apart".
_TITLE_START_POS = frozenset({"PROPN", "PRON", "NOUN", "VERB", "ADJ", "NUM", "DET"})
#: The part-of-speech tags of the words before a role noun: "the publishing executive", "the embattled founder".
_MODIFIER_POS = frozenset({"ADJ", "NOUN"})
#: The dependency labels of an epithet that opens a statement about its referent: "The director said".
_SUBJECT_OR_ROOT = NOMINAL_SUBJECTS | {"ROOT"}
#: Punctuation that ends a clause: a name after it may be the epithet's referent again.
_CLAUSE_BREAKS = {",", ";", ":"}


class Epithet(NamedTuple):
    """A definite role phrase in token offsets: "The Five Feet Apart director" (half-open)."""

    start: int
    end: int
    role: int  # the token of the role noun ("director")


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
    return Epithet(i, end, j), title


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


def resolve_epithets(
    t: DocTable, epithets: list[Epithet], people: list[NameCluster], owner: dict[int, NameCluster],
    quoted: QuotedRanges, sent_of: list[int],
) -> list[Issue]:
    """Tie each epithet to the earlier person it refers back to, in ``owner`` and as a mention.

    Returns:
        An ``ENTITY_UNRESOLVED`` issue for each epithet no earlier person fits, with its span in
        half-open character offsets into ``doc.text``; it is left unresolved.
    """
    issues: list[Issue] = []
    for epithet in epithets:
        if epithet.role in owner:
            continue
        issue = _resolve_epithet(t, epithet, people, owner, quoted, sent_of)
        if issue is not None:
            issues.append(issue)
    return issues


def _resolve_epithet(
    t: DocTable, epithet: Epithet, people: list[NameCluster], owner: dict[int, NameCluster],
    quoted: QuotedRanges, sent_of: list[int],
) -> Issue | None:
    """Resolve one epithet: the gender it implies, the people it may be, the one it is."""
    role = t.lower[epithet.role]
    gender, why = _epithet_gender(t, epithet, role, quoted)
    candidates = _epithet_candidates(t, epithet, role, gender, people, owner)
    if not candidates:
        a, b, text = t.char_span(epithet.start, epithet.end)
        return Issue("entities", ENTITY_UNRESOLVED, f"no earlier person fits the epithet '{text}'; it was left unresolved", Span(a, b, text))
    best, reason = _epithet_referent(t, epithet, role, candidates, owner, quoted, sent_of)
    why.append(reason)
    _attach_epithet(t, epithet, role, best, owner, why)
    return None


def _epithet_gender(t: DocTable, epithet: Epithet, role: str, quoted: QuotedRanges) -> tuple[str | None, list[str]]:
    """The gender an epithet implies, and why: its role noun's ("actress"), else the next "he"/"she" in its sentence.

    The pronoun counts only after an epithet that is its sentence's subject (or opens it).
    """
    gender = ROLE_NOUNS.get(role)
    if gender:
        return gender, [f"'{role}' is {'female' if gender == 'f' else 'male'}"]
    sent_start, sent_end = t.sent_bounds(epithet.start)
    if t.dep[epithet.role] in _SUBJECT_OR_ROOT or epithet.start == sent_start:
        for k in range(epithet.end, sent_end):
            low = t.lower[k]
            if not quoted.covers(k) and (low in MALE_PRONOUNS or low in FEMALE_PRONOUNS):
                return "m" if low in MALE_PRONOUNS else "f", [f"'{t.orth[k]}' later in the sentence"]
    return gender, []


def _epithet_candidates(
    t: DocTable, epithet: Epithet, role: str, gender: str | None, people: list[NameCluster], owner: dict[int, NameCluster],
) -> list[NameCluster]:
    """The people named before an epithet that it may be, narrowed by gender and the sentence around it.

    Each narrowing that would leave no one is skipped.
    """
    candidates = [c for c in people if any(m.start < epithet.start for m in c.mentions)]
    if gender:
        candidates = [c for c in candidates if c.gender in (None, gender)]
        # a person already given this role keeps it even when their gender is unknown
        known = [c for c in candidates if c.gender == gender or role in c.roles]
        candidates = known or candidates
    # whoever speaks about the epithet is not it: "Sofia Brandt said the founder had ..."
    governors = _governing_subjects(t, epithet, owner)
    candidates = [c for c in candidates if id(c) not in governors] or candidates
    # a name in the same clause is someone else ("The mother of four sued Justin")
    same_clause = _named_later_in_clause(t, epithet, owner)
    return [c for c in candidates if id(c) not in same_clause] or candidates


def _governing_subjects(t: DocTable, epithet: Epithet, owner: dict[int, NameCluster]) -> set[int]:
    """The ``id`` of each entity that is the subject of a verb above the epithet's role noun."""
    return {
        id(owner[s.i]) for a in t.doc[epithet.role].ancestors for s in a.children
        if s.dep_ in NOMINAL_SUBJECTS and s.i in owner and not epithet.start <= s.i < epithet.end
    }


def _named_later_in_clause(t: DocTable, epithet: Epithet, owner: dict[int, NameCluster]) -> set[int]:
    """The ``id`` of each entity named after the epithet before its clause ends."""
    sent_end = t.sent_bounds(epithet.start)[1]
    clause_end = next((k for k in range(epithet.end, sent_end) if t.orth[k] in _CLAUSE_BREAKS), sent_end)
    return {id(owner[k]) for k in range(epithet.end, clause_end) if k in owner}


def _epithet_referent(
    t: DocTable, epithet: Epithet, role: str, candidates: list[NameCluster], owner: dict[int, NameCluster],
    quoted: QuotedRanges, sent_of: list[int],
) -> tuple[NameCluster, str]:
    """The candidate an epithet refers to, and why: given the role before, the sentence before's subject, or the most salient."""
    verb = ROLE_VERBS.get(role)
    by_role = [c for c in candidates if role in c.roles or verb is not None and verb in c.verbs]
    if by_role:
        return max(by_role, key=lambda c: salience(c, epithet.start, t, sent_of)), f"already called the {role}"
    # news names someone, then refers back with a role in the next sentence's
    # subject: "Gregor Lind said ... The Ironbridge chief did not take questions."
    opens_sentence = t.sent_bounds(epithet.start)[0] == epithet.start
    previous = previous_subject(t.doc, epithet.start, owner, quoted) if opens_sentence else None
    if previous is not None and previous in candidates:
        return previous, "subject of the sentence before"
    return max(candidates, key=lambda c: salience(c, epithet.start, t, sent_of)), "most salient person so far"


def _attach_epithet(t: DocTable, epithet: Epithet, role: str, best: NameCluster, owner: dict[int, NameCluster], why: list[str]) -> None:
    """Add an epithet to its referent: a mention, the role, the description; its tokens to ``owner``."""
    start, end = epithet.start, epithet.end
    best.mentions.append(TokenMention(start, end, "epithet", "epithet: " + "; ".join(why)))
    best.roles.add(role)
    desc = t.span_text(start + 1 if t.lower[start] == "the" else start, end)
    if desc not in best.descriptions:
        best.descriptions.append(desc)
    for k in range(start, end):
        owner.setdefault(k, best)  # a title inside the epithet stays the work's
    owner[epithet.role] = best
