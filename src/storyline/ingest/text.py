"""Plain text input (stub: header date only, being written)."""
from __future__ import annotations
import re
_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?=\s)")

def read_header_date(text: str) -> str | None:
    m = _HEADER.match(text)
    return m.group(1) if m else None
