"""Titles and names in title case: "Paper Harbors", "The Jane the Virgin star".

Shared by the entity stage (titles of works are mentions) and the attribution
stage (quoted words that read as a title are not speech).
"""

from __future__ import annotations

#: Small words a title keeps in lower case: "It Ends With Us", "The Lord of the Rings".
TITLE_FUNCTION_WORDS = {"the", "of", "with", "and", "a", "an", "in", "on", "to", "for", "at", "de", "from", "&"}


def looks_like_title(text: str) -> bool:
    """Whether quoted words read as a title or name ("Paper Harbors"), not as speech.

    Title case throughout, at most eight words, no sentence punctuation.
    """
    words = text.split()
    if not words or len(words) > 8 or text.rstrip()[-1:] in ".,!?…:;" or not words[0][:1].isupper():
        return False
    small = TITLE_FUNCTION_WORDS | {"is", "it", "us", "we", "my", "me", "you", "or", "but", "as", "by"}
    if len(words) == 1 and words[0].lower() in {"i", "yes", "no", "ok", "okay", "never", "thanks"}:
        return False  # a one-word answer, not a title
    return all(w[:1].isupper() or w.lower() in small or not w[:1].isalpha() for w in words)

#: Titles of an office or a job written before a person's name ("Deputy Sheriff Ana Morales",
#: "Senator Paul Hale", "Chief Executive Jane Roe"): not part of the name, they go to the
#: person's descriptions. Lower case, without a final dot ("Gov." is "gov").
OFFICE_TITLES = frozenset(
    """mr mrs ms miss mx dr doctor prof professor officer sergeant sgt captain capt general gen colonel col
    lieutenant lt major maj admiral adm commander cmdr corporal cpl private pvt trooper constable marshal
    president vice senator sen rep representative governor gov lt-gov mayor judge justice minister premier
    chancellor secretary treasurer speaker coach director detective det agent inspector chief executive
    dean councillor councilor councilman councilwoman alderman alderwoman congressman congresswoman
    assemblyman assemblywoman assemblymember commissioner ambassador sheriff deputy superintendent supt
    del delegate attorney atty district state county police fire prosecutor chairman chairwoman chair
    assistant associate acting interim former""".split()
)
#: Royal, noble and religious titles, which stay in the name: "Emperor Norton", "Pope Francis",
#: "Queen Elizabeth", "Sister Helen", "Rabbi Sacks".
KEPT_TITLES = frozenset(
    """king queen prince princess emperor empress tsar czar sultan sheikh shaikh emir duke duchess
    earl count countess baron baroness lord lady sir dame pope saint st father sister brother mother
    rabbi imam reverend rev bishop archbishop cardinal ayatollah""".split()
)
#: Forms of address, dropped from a name like an office but no office to record: "Mr.", "Ms.".
SOCIAL_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
#: Every title a person's name may follow.
PERSON_TITLES = OFFICE_TITLES | KEPT_TITLES
#: The titles that only ever stand before a person's name, so the name after one is a person's
#: ("Dr. Okoro", "Emperor Norton"); not words that also open other names ("State Farm", "Police
#: Scotland", "General Motors", "Vice News", "St. Louis", "Mother Jones").
NAME_TITLES = PERSON_TITLES - frozenset(
    """state county district police fire executive general gen major maj private speaker chair former acting interim
    vice associate assistant chief director agent justice count st saint mother father brother sister lady lord
    sir dame deputy secretary president premier chancellor attorney treasurer delegate del captain commander""".split()
)


def is_office_title(word: str) -> bool:
    """Whether a word ("Senator", "Gov.", "deputy") is an office or job title that is no part of a name."""
    return word.lower().rstrip(".") in OFFICE_TITLES
