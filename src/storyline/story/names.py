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
