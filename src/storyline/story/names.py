"""How names are compared across articles: folded for case, spacing, titles, possessives and acronym dots."""

from __future__ import annotations

import re
import unicodedata

#: Titles dropped before comparing names ("Ms Varga" is "Varga"). Not the entity stage's
#: ``lexicon.HONORIFICS``: that list holds titles a *person's* name may follow (General, Saint,
#: King, Director), and folding those away here would make "General Motors" "motors" and
#: "St. Louis" "louis"; these are the titles that never begin an organisation's or place's name.
NAME_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady",
    "judge", "justice", "rev", "fr", "sen", "rep", "gov", "president",
})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_EDGE_PUNCT = " \t\n\"'.,;:()[]"
#: A dotted acronym, folded without its dots: "u.n." is "un", "f.b.i" is "fbi".
_DOTTED_ACRONYM = re.compile(r"(?:[a-z]\.)+[a-z]\.?")


def fold_name(name: str) -> str:
    """Fold a name for comparison: case, spacing, apostrophes, possessive, honorific, leading "the", acronym dots.

    Args:
        name: A name as written (``"Ms Varga’s"``).

    Returns:
        The folded form (``"varga"``; ``"un"`` for ``"the U.N."``).
    """
    text = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES)
    text = re.sub(r"\s+", " ", text).strip(_EDGE_PUNCT).casefold()
    text = re.sub(r"'s?$", "", text)
    text = text.removeprefix("the ")
    words = [w.replace(".", "") if _DOTTED_ACRONYM.fullmatch(w) else w for w in text.split()]
    while len(words) > 1 and words[0].rstrip(".") in NAME_TITLES:
        words = words[1:]
    return " ".join(words)


#: Office and rank titles a person's name may carry in front ("Governor Ada Okafor"). Folded off a
#: *person's* name only (never an organisation's: "General Motors"), and kept as the person's roles.
OFFICE_TITLES = frozenset({
    "governor", "gov", "lt", "lieutenant", "senator", "sen", "representative", "rep", "congressman",
    "congresswoman", "councilman", "councilwoman", "councillor", "councilor", "alderman", "mayor",
    "sheriff", "deputy", "officer", "detective", "sergeant", "sgt", "captain", "capt", "chief",
    "commissioner", "inspector", "constable", "trooper", "minister", "secretary", "chancellor",
    "premier", "ambassador", "attorney", "general", "gen", "colonel", "col", "major", "admiral",
    "president", "vice", "former", "state", "del", "delegate", "speaker", "coach", "professor", "prof",
    "judge", "justice", "dr", "mr", "mrs", "ms",
})
#: Role nouns a description may give a person ("the former governor", "a spokesman for X"): compared
#: across articles as the person's role history.
ROLE_WORDS = OFFICE_TITLES - {"former", "state", "vice", "dr", "mr", "mrs", "ms", "lt", "gov", "sen", "rep", "sgt",
                              "capt", "gen", "col", "del", "prof"} | frozenset({
    "spokesman", "spokeswoman", "spokesperson", "director", "ceo", "founder", "chairman", "chairwoman",
    "lawyer", "doctor", "nurse", "teacher", "driver", "pilot", "striker", "player", "manager", "owner",
    "candidate", "nominee", "actor", "actress", "singer", "author", "reporter", "editor", "executive",
})


def person_name_parts(name: str) -> tuple[str, str, tuple[str, ...]]:
    """Fold a person's name and take the titles off its front.

    Args:
        name: a person's name as written (``"Governor Ada Okafor"``).

    Returns:
        ``(folded, written, roles)``: ``("ada okafor", "Ada Okafor",
        ("governor",))``; the roles are the office titles taken off (``Gov.``
        read as governor; "Ms" and "Dr" are no roles). A name that is only
        titles is kept whole.
    """
    words = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip(_EDGE_PUNCT).split()
    if words and words[0].lower() == "the":
        words = words[1:]
    titles: list[str] = []
    while len(words) > 1 and (low := words[0].lower().rstrip(".")) in OFFICE_TITLES | NAME_TITLES:
        titles.append(_TITLE_ABBREVIATIONS.get(low, low))
        words = words[1:]
    written = " ".join(words)
    return fold_name(written), written, tuple(t for t in titles if t in ROLE_WORDS)


_TITLE_ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "lt": "lieutenant", "sgt": "sergeant",
    "capt": "captain", "gen": "general", "col": "colonel", "del": "delegate", "prof": "professor",
}


def role_words(description: str) -> set[str]:
    """The roles a description gives: "the former governor of Lagos" -> {"governor"}, "Okafor's lawyer" -> {"lawyer"}."""
    return {w.strip(".,'’") for w in fold_name(description).split()} & ROLE_WORDS
