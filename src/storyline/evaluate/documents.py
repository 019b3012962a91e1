"""What the corpus modules share about one document: reading its XML, and running what is evaluated on it.

``parse_xml`` is the first step of the MEANTIME, TimeML and SemEval readers;
``Predict``, ``default_predict`` and ``predict_document`` are how PolNeAR and
SemEval run ``storyline.extract`` (or a stand-in) over their documents, a
crash in one document being counted rather than ending the run.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TYPE_CHECKING

from storyline.errors import BAD_ANNOTATION, EvaluationError
from storyline.pipeline import extract

if TYPE_CHECKING:
    from storyline.model import Record

Predict = Callable[[str, "str | None", str], "Record"]
"""``predict(text, published, doc_id) -> Record``: what gets evaluated."""


def parse_xml(xml: str | bytes, *, name: str) -> ET.Element:
    """The root element of one annotated file.

    Raises:
        EvaluationError: (SL603) not well-formed XML; the message starts with ``name``.
    """
    try:
        return ET.fromstring(xml)
    except ET.ParseError as exc:
        raise EvaluationError(f"{name}: not well-formed XML ({exc})", code=BAD_ANNOTATION) from exc


def default_predict(text: str, published: str | None, doc_id: str) -> Record:
    """``storyline.extract``: what is evaluated when no ``predict`` is given."""
    return extract(text, published, doc_id=doc_id)


def predict_document(
    predict: Predict | None, text: str, published: str | None, doc_id: str, *, failures: list[tuple[str, str]],
    name: str | None = None,
) -> Record | None:
    """Run ``predict`` (``default_predict`` when None) on one document.

    Args:
        failures: where a crash is appended, as ``(name, "Type: message")``.
        name: the document's name in ``failures``; ``doc_id`` when None.

    Returns:
        The record, or None when ``predict`` raised anything but an
        ``EvaluationError`` (the document then counts as having no predictions).

    Raises:
        EvaluationError: as ``predict`` raised it: the evaluation itself cannot go on.
    """
    try:
        return (predict or default_predict)(text, published, doc_id)
    except EvaluationError:
        raise
    except Exception as exc:  # one document's crash is a failure to count, not the end of the run
        failures.append((name or doc_id, f"{type(exc).__name__}: {exc}"))
        return None
