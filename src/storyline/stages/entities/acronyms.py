"""Acronyms: an organisation's acronym is an alias of its full name ("IMF": International Monetary Fund).

Token offsets, half-open, as in ``mentions.py``.
"""

from __future__ import annotations

import re

from storyline.nlp.doctable import DocTable
from storyline.stages.entities.clusters import NameCluster, TokenMention

#: An acronym as news writes it: two to six capitals, dotted or not ("IMF", "U.N.", "F.B.I.").
_ACRONYM = re.compile(r"[A-Z]{2,6}|(?:[A-Z]\.){1,5}[A-Z]\.?")
#: Words an acronym leaves out: "Federal Bureau of Investigation" is the FBI.
_ACRONYM_SKIPS = {"of", "the", "and", "for", "on", "de"}


def join_acronyms(t: DocTable, clusters: dict[str, NameCluster], covered: set[int]) -> None:
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
    for key, cl in list(clusters.items()):
        hit = _target(cl.name_tokens[0], False, targets, spelled) if len(cl.name_tokens) == 1 and cl.type != "WORK_OF_ART" else None
        if hit is not None:
            hit[0].mentions.extend(TokenMention(m.start, m.end, "alias", hit[1]) for m in cl.mentions)
            del clusters[key]
    for i, word in enumerate(t.orth):
        if i in covered or not (word[:1].isupper() and (word[1:2].isupper() or word[1:2] == ".")):
            continue  # only words that start the way an acronym does are looked up
        hit = _target(word, True, targets, spelled)
        if hit is not None:
            hit[0].mentions.append(TokenMention(i, i + 1, "alias", hit[1]))
            covered.add(i)


def _target(word: str, untagged: bool, targets: dict[str, list[NameCluster]], spelled: set[str]) -> tuple[NameCluster, str] | None:
    """The organisation ``word`` is the acronym of, and why; None when it is none or more than one's.

    ``untagged``: the NER did not call the word a name, so it must have three letters
    or have been spelt out.
    """
    letters = _acronym_letters(word)
    found = targets.get(letters, []) if letters is not None else []
    if len(found) != 1 or untagged and len(letters or "") < 3 and letters not in spelled:
        return None
    name = " ".join(found[0].name_tokens)
    return found[0], f"acronym given in parentheses after {name}" if letters in spelled else f"initials of {name}"


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
