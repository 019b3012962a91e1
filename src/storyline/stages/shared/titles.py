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
