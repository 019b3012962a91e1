"""MEANTIME (NewsReader CAT XML): read documents and gold TIMEX3s, score time expressions.

The text of a document is its ``<token>``s joined with single spaces, so a
token's characters are known exactly; a gold TIMEX3 spans from the start of its
first ``<token_anchor>`` token to the end of its last. TIMEX3 markables with no
token anchor (implicit times, ``TAG_DESCRIPTOR``) are not in the text and are
not scored.

MEANTIME annotates time expressions in the title and the first sentences
only: every TIMEX3 of the corpus lies in sentences 0-5 (``sentence``
attribute; 0 is the title, 1 the dateline), while later sentences carry event
and entity markables but never a TIMEX3. So the whole text is given to the
stage (it needs the context), but only predictions that start inside sentences
0-5 are scored (``TimexDocument.scope``); the others are counted as
``out_of_scope`` in the report, not silently dropped.

The document creation time (``functionInDocument="CREATION_TIME"``) gives
``published``. It *counts as gold* when its tokens are in the text (in this
corpus it is the dateline under the title, so a system reading the text should
find it) and is left out otherwise; ``TimexDocument.dct`` records which.
"""

from __future__ import annotations

from pathlib import Path

from storyline.errors import BAD_ANNOTATION, CORPUS_NOT_FOUND, EvaluationError
from storyline.evaluate.documents import parse_xml
from storyline.evaluate.timex import FindTimexes, TimexDocument, TimexReport, TimexSpan, score_timex_documents

ANNOTATED_SENTENCES = 6
"""Sentences 0-5 (title, dateline, first sentences) carry MEANTIME's TIMEX3 annotation."""


def parse_meantime(xml: str | bytes, *, doc_id: str, corpus: str = "meantime") -> TimexDocument:
    """Read one MEANTIME CAT XML document.

    Args:
        xml: the file's content.
        doc_id: the document's name (its file stem).
        corpus: the corpus it belongs to (``airbus``, ...).

    Returns:
        The document: text (tokens joined with single spaces), ``published``
        (the DCT value, or None), gold timexes with half-open character
        offsets into that text, and ``scope``: the end of sentence 5, after
        which predictions are not scored (None when no token has a
        ``sentence`` number).

    Raises:
        EvaluationError: (SL603) not well-formed XML, or an anchor naming an
            unknown token.
    """
    root = parse_xml(xml, name=doc_id)
    offsets: dict[str, tuple[int, int]] = {}
    pieces: list[str] = []
    position = 0
    scope: int | None = None
    for token in root.iter("token"):
        word = token.text or ""
        if pieces:
            position += 1  # the joining space
        offsets[token.get("t_id", "")] = (position, position + len(word))
        pieces.append(word)
        position += len(word)
        sentence = token.get("sentence", "")
        if sentence.isdigit() and int(sentence) < ANNOTATED_SENTENCES:
            scope = position
    text = " ".join(pieces)
    gold: list[TimexSpan] = []
    published: str | None = None
    dct = "none"
    for timex in root.iter("TIMEX3"):
        anchors = [a.get("t_id", "") for a in timex.findall("token_anchor")]
        unknown = [a for a in anchors if a not in offsets]
        if unknown:
            raise EvaluationError(
                f"{doc_id}: TIMEX3 m_id={timex.get('m_id')} anchors unknown token(s) {unknown}", code=BAD_ANNOTATION
            )
        is_dct = timex.get("functionInDocument") == "CREATION_TIME"
        if is_dct:
            published = timex.get("value") or None
            dct = "counted" if anchors else "outside"
        if not anchors:
            continue
        start = min(offsets[a][0] for a in anchors)
        end = max(offsets[a][1] for a in anchors)
        gold.append(TimexSpan(start, end, timex.get("type", ""), timex.get("value") or None))
    gold.sort(key=lambda t: (t.start, t.end))
    return TimexDocument(doc_id, corpus, text, published, tuple(gold), dct, scope)


def _corpus_name(folder: Path) -> str:
    return folder.name.removeprefix("corpus_")


def find_meantime_corpora(directory: str | Path) -> dict[str, list[Path]]:
    """Find the corpora under ``directory``: one corpus folder, or a folder of them (``corpora/``).

    Returns:
        Corpus name (the folder name without ``corpus_``) to its XML files, sorted.

    Raises:
        EvaluationError: (SL601) no ``*.xml`` there or one level down.
    """
    root = Path(directory)
    if (root / "corpora").is_dir():
        root = root / "corpora"
    if root.is_dir() and any(root.glob("*.xml")):
        return {_corpus_name(root): sorted(root.glob("*.xml"))}
    found = {
        _corpus_name(sub): sorted(sub.glob("*.xml"))
        for sub in sorted(root.iterdir() if root.is_dir() else [])
        if sub.is_dir() and any(sub.glob("*.xml"))
    }
    if not found:
        raise EvaluationError(
            f"no MEANTIME XML files in {directory} or its subfolders; pass the corpora folder or one corpus folder "
            f"(e.g. ../shared/data/meantime-en/corpora)",
            code=CORPUS_NOT_FOUND,
        )
    return found


def load_meantime(directory: str | Path, *, limit: int | None = None) -> list[TimexDocument]:
    """Load every document of every corpus under ``directory``, corpus by corpus in sorted order.

    Args:
        directory: the ``corpora`` folder, one ``corpus_*`` folder, or the folder above ``corpora``.
        limit: keep only the first ``limit`` documents of each corpus.

    Raises:
        EvaluationError: (SL601) no corpus; (SL603) a malformed document.
    """
    docs: list[TimexDocument] = []
    for name, files in find_meantime_corpora(directory).items():
        for path in files[:limit]:
            docs.append(parse_meantime(path.read_bytes(), doc_id=path.stem, corpus=name))
    return docs


def evaluate_meantime(directory: str | Path, *, limit: int | None = None, find: FindTimexes | None = None) -> TimexReport:
    """Score time expressions on MEANTIME, per corpus and overall: ``load_meantime``, then ``score_timex_documents``."""
    return score_timex_documents("meantime", str(directory), load_meantime(directory, limit=limit), find=find)
