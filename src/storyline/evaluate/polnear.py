"""PolNeAR: read the corpus, run storyline over it, and score attribution.

A PolNeAR split folder holds ``text/<stem>.txt`` (the article) and
``attributions/<stem>_<annotator>.ann`` (brat standoff; offsets are Python
``str`` indices into the ``.txt``, half-open). ``metadata.tsv`` in the folder
or its parent gives each article's publisher and publication date.

Gold, following EVALUATION.md: the first ``.ann`` of an article in sorted
order; each ``E`` line links an attribution to its ``Content`` and, when
present, ``Source`` and ``Cue``. A discontinuous span (``start end;start end``)
counts from its earliest start to its latest end (9 dev spans list their
fragments out of text order, so "first" means first in the text). Brat numbers
a repeated role (``Content2``: a second content of one attribution, 3 times in
dev); the definitions name one content span, so the numbered repeats are
ignored. An ``E`` line without ``Content`` cannot be scored and is counted
(``no_content``), as is every attribution dropped because an earlier one has
the same content span (``duplicate_content``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from storyline.errors import BAD_ANNOTATION, BAD_PREDICTION, CORPUS_NOT_FOUND, TEXT_MISMATCH, EvaluationError
from storyline.evaluate.attribution import (
    QUOTED_KINDS,
    Attribution,
    AttributionCounts,
    attribution_figures,
    is_quoted_content,
    score_attributions,
)
from storyline.evaluate.documents import Predict, predict_document
from storyline.spans import SpanTuple

if TYPE_CHECKING:
    from storyline.model import Record

_T_LINE = re.compile(r"^(?P<id>T\d+)\t(?P<type>\S+) (?P<offsets>\d+ \d+(?:;\d+ \d+)*)(?:\t.*)?$")
_T_ID = re.compile(r"^T\d+\t")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BratGold(NamedTuple):
    """The gold attributions of one ``.ann`` file, with what could not be kept."""

    attributions: tuple[Attribution, ...]
    no_content: int
    duplicate_content: int


@dataclass(frozen=True, slots=True)
class PolnearArticle:
    """One article with its gold attributions; ``doc_id`` is the text file's stem."""

    doc_id: str
    text: str
    publisher: str
    published: str | None
    annotation: str
    gold: BratGold


@dataclass(frozen=True, slots=True)
class PolnearCorpus:
    """The articles of a split, in sorted order, and the files that could not be paired."""

    directory: str
    articles: tuple[PolnearArticle, ...]
    unannotated: tuple[str, ...] = ()
    orphan_annotations: tuple[str, ...] = ()


@dataclass(slots=True)
class PolnearReport:
    """Summed counts, overall and per publisher, and every article that failed."""

    directory: str
    articles: int
    counts: AttributionCounts
    by_publisher: dict[str, tuple[int, AttributionCounts]] | None
    failures: list[tuple[str, str]] = field(default_factory=list)
    gold_notes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Figures and counts as plain data (what ``--json`` writes)."""
        out: dict[str, Any] = {
            "corpus": "polnear",
            "directory": self.directory,
            "articles": self.articles,
            "failed": [{"doc_id": d, "message": m} for d, m in self.failures],
            "gold": self.gold_notes,
            "figures": attribution_figures(self.counts),
            "counts": self.counts.to_dict(),
        }
        if self.by_publisher is not None:
            out["by_publisher"] = {
                pub: {"articles": n, "figures": attribution_figures(c), "counts": c.to_dict()}
                for pub, (n, c) in sorted(self.by_publisher.items())
            }
        return out


def _merged(offsets: str) -> SpanTuple:
    pairs = [tuple(int(x) for x in frag.split()) for frag in offsets.split(";")]
    return (min(p[0] for p in pairs), max(p[1] for p in pairs))


def parse_brat(ann: str, text: str, *, name: str = "<ann>") -> BratGold:
    """Read the attributions of one brat ``.ann`` file.

    Args:
        ann: the file's content.
        text: the article text its offsets index.
        name: the file name, for error messages.

    Returns:
        One ``Attribution`` per distinct content span, in ``E``-line order;
        spans are half-open offsets into ``text``.

    Raises:
        EvaluationError: (SL603) a ``T`` line is malformed or points outside
            the text, or an ``E`` line names an unknown ``T`` id.
    """
    spans: dict[str, SpanTuple] = {}
    events: list[tuple[int, str]] = []
    for number, line in enumerate(ann.splitlines(), 1):
        # a T line's covered text may itself hold line breaks: the lines after it that do not
        # start with a brat id are the rest of that text, not annotations
        if _T_ID.match(line):
            m = _T_LINE.match(line)
            if not m:
                raise EvaluationError(f"{name}:{number}: not a brat text-bound line: {line[:80]!r}", code=BAD_ANNOTATION)
            span = _merged(m["offsets"])
            if not 0 <= span[0] <= span[1] <= len(text):
                raise EvaluationError(
                    f"{name}:{number}: span {span[0]}-{span[1]} lies outside the text ({len(text)} characters); "
                    f"is this the annotation of another article?",
                    code=BAD_ANNOTATION,
                )
            spans[m["id"]] = span
        elif line.startswith("E"):
            events.append((number, line))
    kept: list[Attribution] = []
    seen: set[SpanTuple] = set()
    no_content = duplicates = 0
    for number, line in events:
        roles: dict[str, SpanTuple] = {}
        for arg in line.split("\t", 1)[-1].split()[1:]:  # the first argument is the trigger
            role, _, tid = arg.partition(":")
            if tid not in spans:
                raise EvaluationError(f"{name}:{number}: {role} refers to unknown {tid!r}", code=BAD_ANNOTATION)
            roles.setdefault(role, spans[tid])
        content = roles.get("Content")
        if content is None:
            no_content += 1
            continue
        if content in seen:
            duplicates += 1
            continue
        seen.add(content)
        kept.append(Attribution(content, roles.get("Source"), roles.get("Cue"), is_quoted_content(text, content)))
    return BratGold(tuple(kept), no_content, duplicates)


def _read_metadata(directory: Path) -> dict[str, tuple[str, str | None]]:
    for folder in (directory, directory.parent):
        path = folder / "metadata.tsv"
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                rows = csv.DictReader(handle, delimiter="\t")
                return {r["filename"]: (r["publisher"], r.get("publication_date") or None) for r in rows}
    return {}


def _from_stem(stem: str) -> tuple[str, str | None]:
    """Publisher and date from ``<publisher>_<YYYY-MM-DD>_<slug>``, used when metadata.tsv lacks the article."""
    parts = stem.split("_")
    date = parts[1] if len(parts) > 1 and _DATE.match(parts[1]) else None
    return parts[0], date


def load_polnear(directory: str | Path, *, limit: int | None = None) -> PolnearCorpus:
    """Load a PolNeAR split folder (``text/`` and ``attributions/``).

    Args:
        directory: the split folder, e.g. ``…/polnear/dev``.
        limit: keep only the first ``limit`` articles in sorted order.

    Returns:
        The articles with their gold attributions, and the names of texts
        without annotation and annotations without text (not scored, listed).

    Raises:
        EvaluationError: (SL601) the folder lacks ``text/*.txt`` or
            ``attributions/``; (SL603) an annotation file is malformed.
    """
    root = Path(directory)
    text_dir, ann_dir = root / "text", root / "attributions"
    texts = sorted(text_dir.glob("*.txt")) if text_dir.is_dir() else []
    if not texts or not ann_dir.is_dir():
        raise EvaluationError(
            f"{root} is not a PolNeAR split folder: it needs text/*.txt and attributions/*.ann "
            f"(pass e.g. ../shared/data/polnear/dev)",
            code=CORPUS_NOT_FOUND,
        )
    annotations: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        annotations.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
    metadata = _read_metadata(root)
    articles: list[PolnearArticle] = []
    unannotated: list[str] = []
    for path in texts:
        if limit is not None and len(articles) >= limit:
            break
        stem = path.stem
        if stem not in annotations:
            unannotated.append(stem)
            continue
        ann = annotations[stem][0]
        text = path.read_text(encoding="utf-8")
        gold = parse_brat(ann.read_text(encoding="utf-8"), text, name=ann.name)
        publisher, published = metadata.get(stem) or _from_stem(stem)
        articles.append(PolnearArticle(stem, text, publisher, published, ann.name, gold))
    stems = {p.stem for p in texts}
    orphans = tuple(sorted(s for s in annotations if s not in stems))
    return PolnearCorpus(str(root), tuple(articles), tuple(unannotated), orphans)


def record_attributions(record: Record, text: str) -> list[Attribution]:
    """Turn a record's quotes into predicted attributions, after checking they index ``text``.

    Raises:
        EvaluationError: (SL602) the record's text differs from ``text``;
            (SL604) a quote span lies outside it.
    """
    if record.text != text:
        raise EvaluationError(
            f"record {record.doc_id!r}: its text differs from the corpus file (first difference at character "
            f"{_first_difference(record.text, text)}), so its offsets cannot be scored; the pipeline must keep "
            f"the input text verbatim",
            code=TEXT_MISMATCH,
        )
    out = []
    for quote in record.quotes:
        for span in (quote.content, quote.source_span, quote.cue):
            if span is not None and not 0 <= span.start <= span.end <= len(text):
                raise EvaluationError(
                    f"record {record.doc_id!r}, quote {quote.id}: span {span.start}-{span.end} lies outside the "
                    f"text ({len(text)} characters)",
                    code=BAD_PREDICTION,
                )
        out.append(
            Attribution(
                (quote.content.start, quote.content.end),
                (quote.source_span.start, quote.source_span.end) if quote.source_span else None,
                (quote.cue.start, quote.cue.end) if quote.cue else None,
                quote.kind in QUOTED_KINDS,
                quote.speaker is not None,
            )
        )
    return out


def _first_difference(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return min(len(a), len(b))


def score_polnear(
    corpus: PolnearCorpus, *, predict: Predict | None = None, by_publisher: bool = False
) -> PolnearReport:
    """Run ``predict`` over every article of ``corpus`` and sum the attribution counts.

    An article whose prediction raises counts as having no predictions (its
    gold still counts) and is listed in ``failures``.

    Args:
        corpus: from ``load_polnear``.
        predict: ``predict(text, published, doc_id) -> Record``;
            ``storyline.extract`` when None.
        by_publisher: also sum counts per publisher.

    Raises:
        EvaluationError: (SL602, SL604) a record does not index its article's text.
    """
    total = AttributionCounts()
    per: dict[str, tuple[int, AttributionCounts]] = {}
    failures: list[tuple[str, str]] = []
    for article in corpus.articles:
        record = predict_document(predict, article.text, article.published, article.doc_id, failures=failures)
        pred = record_attributions(record, article.text) if record is not None else []
        counts = score_attributions(article.text, article.gold.attributions, pred)
        total = total + counts
        n, sub = per.get(article.publisher, (0, AttributionCounts()))
        per[article.publisher] = (n + 1, sub + counts)
    return PolnearReport(
        directory=corpus.directory,
        articles=len(corpus.articles),
        counts=total,
        by_publisher=per if by_publisher else None,
        failures=failures,
        gold_notes=_gold_notes(corpus),
    )


def _gold_notes(corpus: PolnearCorpus) -> dict[str, Any]:
    articles = corpus.articles
    return {
        "attributions": sum(len(a.gold.attributions) for a in articles),
        "no_content": sum(a.gold.no_content for a in articles),
        "duplicate_content": sum(a.gold.duplicate_content for a in articles),
        "unannotated_texts": list(corpus.unannotated),
        "annotations_without_text": list(corpus.orphan_annotations),
    }


def evaluate_polnear(
    directory: str | Path,
    *,
    by_publisher: bool = False,
    limit: int | None = None,
    predict: Predict | None = None,
) -> PolnearReport:
    """Load a PolNeAR split and score storyline's quotes against it (EVALUATION.md).

    Args:
        directory: the split folder (``text/``, ``attributions/``).
        by_publisher: add a per-publisher breakdown.
        limit: score only the first ``limit`` articles in sorted order.
        predict: what to evaluate; ``storyline.extract`` when None.

    Raises:
        EvaluationError: (SL601) not a PolNeAR folder; (SL602) a record's text
            differs from the file; (SL603) bad annotation; (SL604) a span
            outside the text.
    """
    corpus = load_polnear(directory, limit=limit)
    return score_polnear(corpus, predict=predict, by_publisher=by_publisher)
