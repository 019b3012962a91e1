"""The spaCy factory ``storyline``: the same stages, inside a spaCy pipeline.

Add it after the parser (``nlp.add_pipe("storyline")``); it fills
``doc._.record`` (the ``Record``), ``doc._.quotes`` and ``doc._.entities``
(the record's quotes and entities), by calling ``pipeline.analyze_doc`` —
the function the CLI and the Python API call too.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from storyline.pipeline import analyze_doc
from storyline.text.common import check_date
from storyline.text.plain import article_from_string

_EXTENSIONS = ("record", "quotes", "entities")


def _ensure_extensions() -> None:
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class StorylineComponent:
    """Runs storyline's stages over each parsed ``Doc``.

    Writes ``doc._.record``, ``doc._.quotes``, ``doc._.entities``. Offsets in
    the record index ``doc.text``.
    """

    def __init__(self, nlp: Language, name: str, published: str | None = None) -> None:
        _ensure_extensions()
        published = check_date(published) if published else None
        self.name = name
        self.published = published

    def __call__(self, doc: Doc) -> Doc:
        article = article_from_string(doc.text, published=self.published, where="doc")
        record = analyze_doc(doc, article)
        doc._.record = record
        doc._.quotes = list(record.quotes)
        doc._.entities = list(record.entities)
        return doc


def make_storyline(nlp: Language, name: str, published: str | None = None) -> Any:
    """Factory registered as ``storyline`` (entry point ``spacy_factories``)."""
    return StorylineComponent(nlp, name, published)


if not Language.has_factory("storyline"):
    Language.factory("storyline", default_config={"published": None}, func=make_storyline)
