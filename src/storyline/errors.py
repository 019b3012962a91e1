"""What can go wrong: the exception classes and one sorted registry of stable codes.

Codes by range: SL1xx input and ingest (SL12x gzip, SL13x resume, SL14x WARC,
SL15x Dask, shards, bench), SL2xx model and parsing, SL3xx quotes, SL4xx
entities (SL45x story queries), SL5xx time expressions, SL6xx evaluation,
SL7xx the store, SL8xx the web UI, SL9xx failures inside one article. The
README's "Error and warning codes" table says what each means and how to fix
it (``tests/test_docs.py`` checks that every code is there).

The library raises; only ``storyline.cli`` turns these into exit statuses.
This module imports nothing of ours: every other module may import it.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class: ``code`` is stable, ``message`` says what happened and what to do."""

    code = "SL000"
    stage = "internal"

    def __init__(self, message: str, *, code: str | None = None, stage: str | None = None) -> None:
        if code is not None:
            self.code = code
        if stage is not None:
            self.stage = stage
        self.message = message
        super().__init__(f"{self.code}: {message}")


class InputError(StorylineError):
    """An input could not be read or decoded (SL1xx)."""

    code = "SL100"
    stage = "ingest"


class ResumeError(StorylineError):
    """The output to resume holds a line that is not a storyline record (SL131)."""

    code = "SL131"
    stage = "resume"


class DistributedError(StorylineError):
    """The cluster or the output directory cannot be used (SL15x)."""

    code = "SL155"
    stage = "distributed"


class ShardError(StorylineError):
    """Shards cannot be written as asked (SL152: parquet without pyarrow)."""

    code = "SL152"
    stage = "shards"


class BenchError(StorylineError):
    """There is nothing to measure (SL157)."""

    code = "SL157"
    stage = "bench"


class ModelError(StorylineError):
    """The spaCy model is missing or unusable (SL2xx)."""

    code = "SL201"
    stage = "parse"


class StoryError(StorylineError):
    """A story query cannot be answered: no store, no such entity, a bad search (SL45x)."""

    code = "SL450"
    stage = "story"


class EvaluationError(StorylineError):
    """An evaluation cannot give meaningful figures: bad corpus, or predictions that do not index it (SL6xx)."""

    code = "SL600"
    stage = "evaluate"


class StoreError(StorylineError):
    """The store cannot be opened, is of a newer schema, or a record cannot be written (SL7xx)."""

    code = "SL700"
    stage = "store"


class WebError(StorylineError):
    """A page cannot be answered (SL8xx); ``status`` is the HTTP status to answer with."""

    code = "SL800"
    stage = "web"

    def __init__(self, message: str, *, code: str | None = None, status: int = 400) -> None:
        super().__init__(message, code=code)
        self.status = status


# --- the codes, in order ---------------------------------------------------------------------------------------------

INPUT_NOT_FOUND = "SL101"
INPUT_NOT_UTF8 = "SL102"
INPUT_EMPTY = "SL103"
INPUT_FORMAT = "SL104"
JSONL_BAD_LINE = "SL105"
JSONL_BAD_FIELD = "SL106"
HTML_NO_TEXT = "SL107"
BAD_DATE = "SL108"
INPUT_BOM_STRIPPED = "SL109"
JSONL_IGNORED_FIELD = "SL110"
INPUT_UNREADABLE = "SL111"
INPUT_DECODED_AS = "SL112"
INPUT_BINARY = "SL113"
INPUT_NUL_REPLACED = "SL114"
JSONL_LINE_TOO_LONG = "SL115"
GZIP_TOO_LARGE = "SL121"
GZIP_BROKEN = "SL122"
RESUME_BAD_OUTPUT = "SL131"
WARC_BROKEN = "SL141"
WARC_RECORD_TOO_LARGE = "SL142"
SHARDS_OUTDIR_TAKEN = "SL151"
DASK_MISSING = "SL152"
DASK_CONNECT_FAILED = "SL153"
DASK_PARTITION_FAILED = "SL154"
DASK_BAD_INPUT = "SL155"
SHARD_BAD_RECORD = "SL156"
BENCH_NO_DOCUMENTS = "SL157"
MODEL_MISSING = "SL201"
TEXT_TOO_LONG = "SL202"
QUOTE_UNBALANCED = "SL301"
QUOTE_UNCLOSED_PARAGRAPH = "SL302"
QUOTE_NO_SPEAKER = "SL303"
QUOTE_NOT_SPEECH = "SL304"
ENTITY_UNRESOLVED = "SL401"
STORY_STORE_MISSING = "SL451"
STORY_ENTITY_NOT_FOUND = "SL452"
STORY_ENTITY_AMBIGUOUS = "SL453"
STORY_BAD_QUERY = "SL454"
TIMEX_UNRESOLVED = "SL501"
TIMEX_INVALID = "SL502"
CORPUS_NOT_FOUND = "SL601"
TEXT_MISMATCH = "SL602"
BAD_ANNOTATION = "SL603"
BAD_PREDICTION = "SL604"
STORE_NEWER = "SL701"
STORE_UNUSABLE = "SL702"
STORE_WRITE_FAILED = "SL703"
WEB_NOT_A_STORE = "SL801"
WEB_ENTITY_NOT_FOUND = "SL802"
WEB_ARTICLE_NOT_FOUND = "SL803"
WEB_NOT_FOUND = "SL804"
WEB_STORE_MISSING = "SL805"
WEB_INTERNAL = "SL806"
STAGE_CRASHED = "SL901"
TIME_BUDGET_EXCEEDED = "SL902"
TIME_BUDGET_INVALID = "SL903"
WORKER_DIED = "SL904"
