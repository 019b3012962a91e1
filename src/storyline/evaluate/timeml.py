"""TimeML (TempEval-3 ``.tml``): read documents and inline TIMEX3s, score time expressions.

The text of a document is the content of its ``<TEXT>`` element with every
tag removed (XML entities decoded), verbatim otherwise; each inline
``<TIMEX3>`` becomes a gold span, half-open character offsets into that text.
The document creation time (``<DCT><TIMEX3 functionInDocument="CREATION_TIME">``)
gives ``published``; it sits outside ``<TEXT>``, so it is never scored (a DCT
inside ``<TEXT>`` would be scored like any other TIMEX3). Files are scored with
the MEANTIME scorer; each folder holding ``.tml`` files is reported as a corpus.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from storyline.errors import BAD_ANNOTATION, CORPUS_NOT_FOUND, EvaluationError
from storyline.evaluate.documents import parse_xml
from storyline.evaluate.timex import FindTimexes, TimexDocument, TimexReport, TimexSpan, score_timex_documents


def _local(tag: object) -> str:
    """The tag name without a ``{namespace}`` prefix (comments and processing instructions give '')."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _flatten(element: ET.Element, pieces: list[str], timexes: list[TimexSpan], position: int) -> int:
    """Append the text inside ``element`` to ``pieces``, recording TIMEX3 offsets; return the new position."""
    if element.text:
        pieces.append(element.text)
        position += len(element.text)
    for child in element:
        start = position
        position = _flatten(child, pieces, timexes, position)
        if _local(child.tag) == "TIMEX3":
            timexes.append(TimexSpan(start, position, child.get("type", ""), child.get("value") or None))
        if child.tail:
            pieces.append(child.tail)
            position += len(child.tail)
    return position


def parse_timeml(xml: str | bytes, *, doc_id: str, corpus: str = "timeml") -> TimexDocument:
    """Read one TimeML document.

    Args:
        xml: the file's content.
        doc_id: the document's name (its file stem).
        corpus: the corpus it belongs to.

    Returns:
        The document: text (``<TEXT>`` without tags), ``published`` (the DCT
        value, or None) and the gold timexes inside ``<TEXT>``.

    Raises:
        EvaluationError: (SL603) not well-formed XML, or no ``<TEXT>`` element.
    """
    root = parse_xml(xml, name=doc_id)
    body = next((e for e in root.iter() if _local(e.tag) == "TEXT"), None)
    if body is None:
        raise EvaluationError(f"{doc_id}: no <TEXT> element; is this a TimeML file?", code=BAD_ANNOTATION)
    pieces: list[str] = []
    gold: list[TimexSpan] = []
    _flatten(body, pieces, gold, 0)
    published: str | None = None
    dct = "none"
    in_text = {id(e) for e in body.iter()}
    for timex in root.iter():
        if _local(timex.tag) == "TIMEX3" and timex.get("functionInDocument") == "CREATION_TIME":
            published = timex.get("value") or None
            dct = "counted" if id(timex) in in_text else "outside"
            break
    gold.sort(key=lambda t: (t.start, t.end))
    return TimexDocument(doc_id, corpus, "".join(pieces), published, tuple(gold), dct)


def load_timeml(directory: str | Path, *, limit: int | None = None) -> list[TimexDocument]:
    """Load every ``.tml`` file under ``directory`` (recursively, sorted).

    Args:
        directory: a folder of ``.tml`` files, or of folders of them.
        limit: keep only the first ``limit`` documents of each folder.

    Raises:
        EvaluationError: (SL601) no ``.tml`` file; (SL603) a malformed one.
    """
    root = Path(directory)
    files = sorted(root.rglob("*.tml")) if root.is_dir() else []
    if not files:
        raise EvaluationError(
            f"no .tml files under {directory}; pass a folder of TimeML (TempEval-3) files", code=CORPUS_NOT_FOUND
        )
    docs: list[TimexDocument] = []
    taken: dict[Path, int] = {}
    for path in files:
        if limit is not None and taken.get(path.parent, 0) >= limit:
            continue
        taken[path.parent] = taken.get(path.parent, 0) + 1
        folder = path.parent.relative_to(root)
        corpus = folder.as_posix() if folder.parts else (root.resolve().name or "timeml")
        docs.append(parse_timeml(path.read_bytes(), doc_id=path.stem, corpus=corpus))
    return docs


def evaluate_timeml(directory: str | Path, *, limit: int | None = None, find: FindTimexes | None = None) -> TimexReport:
    """Score time expressions on TimeML files, per folder and overall: ``load_timeml``, then ``score_timex_documents``."""
    return score_timex_documents("timeml", str(directory), load_timeml(directory, limit=limit), find=find)
