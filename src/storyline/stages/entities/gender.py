"""A first name's usual gender, from the name dictionary of the ``gender-guesser`` package.

The dictionary (Jörg Michael's ``nam_dict``, about 40,000 first names over
many countries) ships inside that package and loads offline, once per process,
on first use. Our own lists in ``shared/lexicon.py`` come first; names used
for both genders answer None.
"""

from __future__ import annotations

import functools

from storyline.stages.shared.lexicon import FEMALE_NAMES, MALE_NAMES

#: Only the dictionary's firm answers: "mostly_male" covers Blake, Taylor, Ryan, Will — names borne by both.
_ANSWERS = {"male": "m", "female": "f"}


@functools.cache
def _detector() -> object | None:
    try:
        from gender_guesser.detector import Detector  # type: ignore[import-untyped]
    except ImportError:  # an install without the package: our lists alone
        return None
    detector: object = Detector(case_sensitive=False)
    return detector


def name_gender(first: str, *, dictionary: bool = True) -> str | None:
    """``m`` or ``f`` for a first name borne by men or by women; None when unknown or used for both.

    ``dictionary=False`` asks our lists alone (for a name the NER did not type
    PERSON, where "Five" of "Five Feet Apart" is no first name).
    """
    low = first.lower()
    if low in MALE_NAMES:
        return "m"
    if low in FEMALE_NAMES:
        return "f"
    if not dictionary or len(low) < 2 or not low.isalpha():
        return None
    detector = _detector()
    if detector is None:
        return None
    return _ANSWERS.get(detector.get_gender(first.capitalize()))  # type: ignore[attr-defined]
