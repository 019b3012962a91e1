"""The one exception class of ``storyline.evaluate`` and its stable codes (SL6xx).

The codes are listed in README.md next to the package's other codes. They live
here rather than in ``storyline.errors`` only so that the evaluation package can
be added without touching the stage modules' shared file; ``EvaluationError``
subclasses ``StorylineError``, so callers catch it the same way.
"""

from __future__ import annotations

from ..errors import StorylineError

CORPUS_NOT_FOUND = "SL601"
TEXT_MISMATCH = "SL602"
BAD_ANNOTATION = "SL603"
BAD_PREDICTION = "SL604"
STAGE_MISSING = "SL605"


class EvaluationError(StorylineError):
    """An evaluation cannot give meaningful figures: bad corpus, or predictions that do not index it (SL6xx)."""

    code = "SL600"
    stage = "evaluate"
