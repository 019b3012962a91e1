"""One article and batches: run the stages, turn failures into error records.

``analyze_doc`` is the one function that turns a parsed ``Doc`` into a
``Record``; the CLI, the Python API and the spaCy component all end there.

Each article in a batch gets a time budget (``STORYLINE_TIME_BUDGET``
seconds, 60 by default, 0 for none): one that takes longer becomes an SL902
error record and the batch goes on. The budget is a ``SIGALRM`` timer
(``signal.setitimer``), so it holds only on POSIX, in the main thread, and
when no other ``ITIMER_REAL`` timer is running; elsewhere articles run
without a budget rather than have a thread killed. The alarm interrupts
Python code between bytecodes, so a long call into compiled code (one parser
step) finishes before the article is stopped.
"""

from __future__ import annotations

import os
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from types import EllipsisType, FrameType
from typing import TYPE_CHECKING

from storyline.errors import STAGE_CRASHED, TEXT_TOO_LONG, TIME_BUDGET_EXCEEDED, TIME_BUDGET_INVALID, StorylineError
from storyline.model import Article, ErrorRecord, Record
from storyline.nlp import DocTable, load_model
from storyline.stages.attribution import attribute_speakers, shipped_model
from storyline.stages.entities import resolve_entities
from storyline.stages.events import date_quotes, extract_events
from storyline.stages.shared.quotemarks import scan_quotes
from storyline.stages.time import find_timexes
from storyline.text.plain import article_from_string

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Seconds one article of a batch may take when ``STORYLINE_TIME_BUDGET`` is unset.
DEFAULT_TIME_BUDGET = 60.0
#: Articles up to this many characters are parsed together in ``process_batch``.
BATCH_CHARS = 20_000
#: The environment variable that sets the budget of ``process_batch`` (seconds; 0 or "off" for none).
TIME_BUDGET_ENV = "STORYLINE_TIME_BUDGET"


class _OverBudget(BaseException):
    """Raised by the alarm inside an article's stages.

    A ``BaseException``, so that no ``except Exception`` inside a stage can
    swallow it; ``process_article`` turns it into SL902.
    """


def analyze_doc(doc: Doc, article: Article) -> Record:
    """Run every stage over a parsed article.

    Args:
        doc: the spaCy parse of ``article.text`` (same text, same offsets).
        article: the input article; its ``text`` is what all offsets index.

    Returns:
        The article's record; spans are half-open character offsets into
        ``article.text``.
    """
    table = DocTable(doc)  # the token attributes every stage reads, read once
    quoted, scan_issues = scan_quotes(table.text)
    found = resolve_entities(doc, quoted, table=table)
    # the speakers are resolved through the entities, which gain the sources and the quotes' "I" and "you"
    quotes, quote_issues, found = attribute_speakers(doc, found, quoted, table=table, author=article.author)
    # the dates stage reads tense from the words around each expression; a tense read off
    # the sm parse scored lower on MEANTIME (value F1 0.858 vs 0.870), so it is not passed
    timexes, time_issues = find_timexes(table.text, article.published)
    events, event_issues = extract_events(doc, found, timexes, quoted, tuple(quotes), table=table)
    quotes = date_quotes(doc, quotes, events, timexes, table=table)
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


_WARM_UP = (
    'The harbour council said on Monday that the ferry would run again in May. "We are ready," '
    "said Ines Duarte, who leads the crew. According to the schedule, boats leave every hour."
)


def warm_up(nlp: Language | None = None) -> None:
    """Load what the first article would load (the attribution weights) and run one short article.

    Worker processes call it at start, so that the start-up is paid before the
    first real article and not inside its time budget.
    """
    shipped_model()
    nlp = nlp or load_model()
    analyze_doc(nlp(_WARM_UP), Article(doc_id="warm-up", text=_WARM_UP))


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
        A ``Record``; call ``.to_dict()`` for plain data. It runs without a
        time budget; use ``process_article`` for one.

    Raises:
        InputError: (SL108) when ``published`` is not an ISO date.
    """
    article = article_from_string(text, published=published, doc_id=doc_id, title=title)
    # no time budget: a single call is the caller's to stop, and a library call should not set SIGALRM unasked
    return _extract_record(article, nlp, None, None)


def process_article(
    article: Article,
    *,
    nlp: Language | None = None,
    raise_errors: bool = False,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    doc: Doc | None = None,
) -> Record | ErrorRecord:
    """Parse and analyse one article; a failure becomes an ``ErrorRecord``.

    Args:
        article: the input; the record's spans are half-open character
            offsets into ``article.text``.
        nlp: a loaded spaCy pipeline; the shared one when None.
        raise_errors: re-raise instead of returning an error record.
        time_budget: seconds the parse and the stages may take (model
            loading not counted); None or 0 for no limit. Enforced with a
            ``SIGALRM`` timer in the main thread on POSIX only (see the
            module docstring); elsewhere the article runs without one.
        doc: the article already parsed with ``nlp`` (``process_batch``
            parses short articles together); the budget then covers the stages.

    Returns:
        The article's ``Record``, or an ``ErrorRecord``: SL202 when the text
        is longer than the parser's limit, SL902 when it ran over the time
        budget, SL901 when a stage crashed.

    Raises:
        StorylineError: with ``raise_errors``, what would have been the error
            record (SL902 included); other exceptions as they come.
    """
    try:
        return _extract_record(article, nlp, time_budget, doc)
    except Exception as exc:  # one article's crash must never lose the batch
        if raise_errors:
            raise
        return _error_record(article, exc)


def _extract_record(article: Article, nlp: Language | None, time_budget: float | None, doc: Doc | None) -> Record:
    """``process_article`` without the safety net: SL202 and SL902 are raised, as is any crash."""
    nlp = nlp or load_model()
    if len(article.text) > nlp.max_length:
        raise StorylineError(
            f"{article.doc_id!r} is {len(article.text):,} characters, more than the parser's limit of "
            f"{nlp.max_length:,}; split the article, or raise `nlp.max_length` when calling the API "
            f"(the parser needs about 1 GB of memory per 100,000 words)",
            code=TEXT_TOO_LONG,
            stage="parse",
        )
    try:
        with _time_budget(time_budget):
            if doc is None:
                doc = nlp(article.text)
            return analyze_doc(doc, article)
    except _OverBudget:
        assert time_budget  # the alarm is only set with a budget
        raise StorylineError(
            f"{article.doc_id!r} ({len(article.text):,} characters) took longer than {time_budget:g} s to "
            f"extract and was stopped; split the article, or raise the budget with the environment variable "
            f"{TIME_BUDGET_ENV}=SECONDS (0 turns it off)",
            code=TIME_BUDGET_EXCEEDED,
            stage="extract",
        ) from None


def time_budget_from_env() -> float | None:
    """Read the per-article time budget from ``STORYLINE_TIME_BUDGET``.

    Returns:
        Seconds (``DEFAULT_TIME_BUDGET`` when the variable is unset or
        empty), or None when it is ``0``, ``off`` or ``none``.

    Raises:
        StorylineError: (SL903) when the value is not a number of seconds.
    """
    raw = os.environ.get(TIME_BUDGET_ENV, "").strip()
    if not raw:
        return DEFAULT_TIME_BUDGET
    if raw.lower() in ("off", "none"):
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not seconds >= 0 or seconds == float("inf"):
        raise StorylineError(
            f"{TIME_BUDGET_ENV}={raw!r} is not a number of seconds; set it to e.g. 120, or 0 for no budget",
            code=TIME_BUDGET_INVALID,
            stage="extract",
        )
    return seconds or None


@contextmanager
def _time_budget(seconds: float | None) -> Iterator[None]:
    """Raise ``_OverBudget`` in the body once ``seconds`` have passed, where a SIGALRM timer can be used."""
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0  # never take over someone else's timer
    ):
        yield
        return

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise _OverBudget()

    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)


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
    items: Iterable[Article | ErrorRecord],
    *,
    nlp: Language | None = None,
    batch_size: int = 16,
    time_budget: float | None | EllipsisType = ...,
) -> Iterator[Record | ErrorRecord]:
    """Process articles in input order; error records from ingest pass through.

    Args:
        items: articles, and error records from ingest.
        nlp: a loaded spaCy pipeline; the shared one when None.
        batch_size: how many short articles (under ``BATCH_CHARS`` characters)
            are parsed together with ``nlp.pipe``, which is faster; a batch that
            fails or runs over the budget is parsed again article by article.
        time_budget: seconds each article may take (see ``process_article``);
            None for no limit; by default read from ``STORYLINE_TIME_BUDGET``
            (60 when unset).

    Yields:
        One ``Record`` or ``ErrorRecord`` per input item, in input order.

    Raises:
        StorylineError: (SL903) at once when ``STORYLINE_TIME_BUDGET`` is not a number.
    """
    budget = time_budget_from_env() if time_budget is ... else time_budget
    return _process_all(items, nlp, budget, max(1, batch_size))


def _process_all(
    items: Iterable[Article | ErrorRecord], nlp: Language | None, budget: float | None, batch_size: int
) -> Iterator[Record | ErrorRecord]:
    nlp = nlp or load_model()
    iterator = iter(items)
    while chunk := list(islice(iterator, batch_size)):
        yield from process_chunk(chunk, nlp, budget)


def process_chunk(
    chunk: list[Article | ErrorRecord],
    nlp: Language | None,
    budget: float | None,
    article: Callable[..., Record | ErrorRecord] = process_article,
) -> list[Record | ErrorRecord]:
    """One outcome per item of a chunk, in order: its short articles parsed together, then each analysed.

    ``article`` processes one article (``process_article``; worker processes
    pass their own reference to it). Without ``nlp`` nothing is parsed ahead.
    """
    docs = parse_together(nlp, [a for a in chunk if isinstance(a, Article)], budget) if nlp is not None else {}
    return [
        item if isinstance(item, ErrorRecord) else article(item, nlp=nlp, time_budget=budget, doc=docs.get(id(item)))
        for item in chunk
    ]


def parse_together(nlp: Language, articles: list[Article], budget: float | None) -> dict[int, Doc]:
    """Parse the short articles of a chunk in one ``nlp.pipe`` call; ``{}`` when that fails or runs over.

    The batch gets one article's budget: short articles that take longer
    together are each parsed again alone, under their own budget, so a slow
    one still becomes its own SL902 and nothing else is lost.
    """
    short = [a for a in articles if len(a.text) <= BATCH_CHARS]
    if len(short) < 2:
        return {}
    try:
        with _time_budget(budget):
            parsed = list(nlp.pipe([a.text for a in short], batch_size=len(short)))
    except (_OverBudget, Exception):
        return {}
    return {id(a): doc for a, doc in zip(short, parsed, strict=True)}
