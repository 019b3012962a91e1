"""The time stage: time expressions and their TIMEX3 values, anchored on the publication date.

``find_timexes(text, published)`` returns ``Timex`` records (half-open
character offsets into ``text``) and the issues met on the way.
"""

from storyline.stages.time.timexes import find_timexes

__all__ = ["find_timexes"]
