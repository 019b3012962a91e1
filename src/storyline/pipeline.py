"""One article and batches: run the stages, turn failures into error records.

``analyze_doc`` is the one function that turns a parsed ``Doc`` into a
``Record``; the CLI, the Python API and the spaCy component all end there.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .dates import find_timexes
from .entities import resolve_entities
from .events import date_quotes, extract_events
from .errors import STAGE_CRASHED, TEXT_TOO_LONG, StorylineError
from .model import Article, ErrorRecord, Issue, Record
from .nlp import load_model
from .quotemarks import scan_quotes
from .quotes import attribute_quotes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def analyze_doc(doc: Doc, article: Article) -> Record:
    """Run every stage over a parsed article.

    Args:
        doc: the spaCy parse of ``article.text`` (same text, same offsets).
        article: the input article; its ``text`` is what all offsets index.

    Returns:
        The article's record; spans are half-open character offsets into
        ``article.text``.
    """
    quoted, scan_issues = scan_quotes(doc.text)
    found = resolve_entities(doc, quoted)
    quotes, quote_issues = attribute_quotes(doc, found, quoted)
    # the dates stage reads tense from the words around each expression; a tense read off
    # the sm parse scored lower on MEANTIME (value F1 0.858 vs 0.870), so it is not passed
    timexes, time_issues = find_timexes(doc.text, article.published)
    events, event_issues = extract_events(doc, found, timexes, quoted, tuple(quotes))
    quotes = date_quotes(doc, quotes, events, timexes)
    return Record(
        doc_id=article.doc_id,
        text=article.text,
        published=article.published,
        title=article.title,
        source=dict(article.source),
        entities=found.entities,
        relations=found.relations,
        quotes=tuple(quotes),
        events=tuple(events),
        timexes=tuple(timexes),
        warnings=(*article.warnings, *scan_issues, *found.issues, *quote_issues, *time_issues, *event_issues),
    )


def _doc_id_for(text: str) -> str:
    return "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def extract(
    text: str,
    published: str | None = None,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    nlp: Language | None = None,
) -> Record:
    """Extract the record of one article given as a string.

    Args:
        text: the article; offsets in the result index this string.
        published: ISO date of publication; when None, a leading
            `` date YYYY-MM-DD `` header line in ``text`` is used if present
            (an impossible header date is left out, with an SL108 warning).
        doc_id: stable id; derived from the content hash when None.
        title: article title, if known.
        nlp: a loaded spaCy pipeline; the shared one when None.

    Returns:
        A ``Record``; call ``.to_dict()`` for plain data.

    Raises:
        InputError: (SL108) when ``published`` is not an ISO date.
    """
    from .ingest.common import check_date
    from .ingest.text import header_published

    issues: tuple[Issue, ...] = ()
    if published is None:
        published, issue = header_published(text, "text")
        issues = (issue,) if issue else ()
    else:
        published = check_date(published)
    article = Article(doc_id=doc_id or _doc_id_for(text), text=text, published=published, title=title, warnings=issues)
    return process_article(article, nlp=nlp, raise_errors=True)  # type: ignore[return-value]


def process_article(
    article: Article, *, nlp: Language | None = None, raise_errors: bool = False
) -> Record | ErrorRecord:
    """Parse and analyse one article; a failure becomes an ``ErrorRecord``.

    Args:
        article: the input.
        nlp: a loaded spaCy pipeline; the shared one when None.
        raise_errors: re-raise instead of returning an error record.
    """
    try:
        nlp = nlp or load_model()
        if len(article.text) > nlp.max_length:
            raise StorylineError(
                f"{article.doc_id!r} is {len(article.text):,} characters, more than the parser's limit of "
                f"{nlp.max_length:,}; split the article, or raise `nlp.max_length` when calling the API "
                f"(the parser needs about 1 GB of memory per 100,000 words)",
                code=TEXT_TOO_LONG,
                stage="parse",
            )
        doc = nlp(article.text)
        return analyze_doc(doc, article)
    except Exception as exc:  # one article's crash must never lose the batch
        if raise_errors:
            raise
        return _error_record(article, exc)


def _error_record(article: Article, exc: Exception) -> ErrorRecord:
    if isinstance(exc, StorylineError):
        return ErrorRecord(article.doc_id, exc.stage, exc.code, exc.message, dict(article.source))
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return ErrorRecord(
        article.doc_id,
        "extract",
        STAGE_CRASHED,
        f"internal error while processing {article.doc_id!r}: {type(exc).__name__}: {exc} "
        f"(in {where.name}, {where.filename.rsplit('/', 1)[-1]}:{where.lineno}); the rest of the "
        f"batch went on; please report this input",
        dict(article.source),
    )


def process_batch(
    items: Iterable[Article | ErrorRecord], *, nlp: Language | None = None, batch_size: int = 16
) -> Iterator[Record | ErrorRecord]:
    """Process articles in input order; error records from ingest pass through.

    Yields:
        One ``Record`` or ``ErrorRecord`` per input item, in input order.
    """
    nlp = nlp or load_model()
    for item in items:
        if isinstance(item, ErrorRecord):
            yield item
        else:
            yield process_article(item, nlp=nlp)
