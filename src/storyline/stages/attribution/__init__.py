"""The attribution stage: who said what, with which cue, in quote marks or reported.

``attribute(doc, found, quoted)`` returns the article's ``Quote`` records
(direct, partial, indirect and mixed) and the issues met on the way; spans are
half-open character offsets into ``doc.text``.
"""

from storyline.stages.attribution.attributions import attribute

__all__ = ["attribute"]
