"""The one exception class of ``storyline.evaluate`` and its stable codes (SL6xx).

The codes are listed in README.md next to the package's other codes. They live
here rather than in ``storyline.errors`` only so that the evaluation package can
be added without touching the stage modules' shared file; ``EvaluationError``
subclasses ``StorylineError``, so callers catch it the same way.
"""

from __future__ import annotations

from storyline.errors import StorylineError

from storyline.errors import CORPUS_NOT_FOUND, TEXT_MISMATCH, BAD_ANNOTATION, BAD_PREDICTION  # noqa: E402, F401  (re-exported; the codes live in storyline.errors)


class EvaluationError(StorylineError):
    """An evaluation cannot give meaningful figures: bad corpus, or predictions that do not index it (SL6xx)."""

    code = "SL600"
    stage = "evaluate"
