"""The events stage: who did what to whom, and when; and the date of quoted words.

``extract_events`` returns ``Event`` records; ``date_quotes`` gives quotes the
date their words were said or sent, when the article says so.
"""

from storyline.stages.events.events import date_quotes, extract_events

__all__ = ["date_quotes", "extract_events"]
