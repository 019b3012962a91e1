"""Exceptions with stable codes and messages that name the fix.

Codes by range: SL1xx input and ingest, SL2xx model and parsing, SL3xx quotes,
SL4xx entities, SL9xx internal failures. The library raises; only ``cli.py``
turns these into exit statuses.
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


class ModelError(StorylineError):
    """The spaCy model is missing or unusable (SL2xx)."""

    code = "SL201"
    stage = "parse"


# Codes used across the package, in one place so they stay stable.
INPUT_NOT_FOUND = "SL101"
INPUT_NOT_UTF8 = "SL102"
INPUT_EMPTY = "SL103"
INPUT_FORMAT = "SL104"
JSONL_BAD_LINE = "SL105"
JSONL_BAD_FIELD = "SL106"
HTML_NO_TEXT = "SL107"
BAD_DATE = "SL108"
MODEL_MISSING = "SL201"
TEXT_TOO_LONG = "SL202"
QUOTE_UNBALANCED = "SL301"
QUOTE_UNCLOSED_PARAGRAPH = "SL302"
QUOTE_NO_SPEAKER = "SL303"
QUOTE_NOT_SPEECH = "SL304"
ENTITY_UNRESOLVED = "SL401"
STAGE_CRASHED = "SL901"
INPUT_BOM_STRIPPED = "SL109"
JSONL_IGNORED_FIELD = "SL110"
INPUT_UNREADABLE = "SL111"
TIMEX_UNRESOLVED = "SL501"
TIMEX_INVALID = "SL502"
INPUT_DECODED_AS = "SL112"
INPUT_BINARY = "SL113"
INPUT_NUL_REPLACED = "SL114"
JSONL_LINE_TOO_LONG = "SL115"
TIME_BUDGET_EXCEEDED = "SL902"
TIME_BUDGET_INVALID = "SL903"
# Worker processes (`--workers N`, storyline.parallel) and WARC input (storyline.ingest.warc).
WORKER_DIED = "SL904"
WARC_BROKEN = "SL141"
WARC_RECORD_TOO_LARGE = "SL142"
# A Dask cluster (`storyline extract --dask`, storyline.distributed), its shards, and `storyline bench`.
SHARDS_OUTDIR_TAKEN = "SL151"
DASK_MISSING = "SL152"
DASK_CONNECT_FAILED = "SL153"
DASK_PARTITION_FAILED = "SL154"
DASK_BAD_INPUT = "SL155"
SHARD_BAD_RECORD = "SL156"
BENCH_NO_DOCUMENTS = "SL157"

# Codes of the story store, story queries, resume, evaluation and the web UI.
GZIP_TOO_LARGE = "SL121"
GZIP_BROKEN = "SL122"
RESUME_BAD_OUTPUT = "SL131"
STORY_STORE_MISSING = "SL451"
STORY_ENTITY_NOT_FOUND = "SL452"
STORY_ENTITY_AMBIGUOUS = "SL453"
STORY_BAD_QUERY = "SL454"
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
