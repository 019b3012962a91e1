"""The attribution stage: who said what, with which cue, in quote marks or reported.

``attribute(doc, found, quoted)`` returns the article's ``Quote`` records
(direct, partial, indirect and mixed) and the issues met on the way; spans are
half-open character offsets into ``doc.text``; ``attribute_speakers`` also returns
the entities with the speakers' mentions added. ``shipped_model`` loads the
learned scorer's weights (once per process).
"""

from storyline.stages.attribution.attributions import Attributed, attribute, attribute_speakers
from storyline.stages.attribution.scorer import shipped_model

__all__ = ["Attributed", "attribute", "attribute_speakers", "shipped_model"]
