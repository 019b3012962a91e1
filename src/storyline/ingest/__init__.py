"""Ingest: turn files, directories and stdin into articles, or error records.

Offsets in every article index its ``text``: the decoded file for plain text
(BOM removed, CRLF kept), the extracted main text for HTML, the ``text`` field
for JSONL.
"""

from __future__ import annotations

from .common import check_date
from .files import EXTENSIONS, read_inputs
from .html import read_html
from .jsonl import read_jsonl
from .text import read_header_date, read_text

__all__ = ["EXTENSIONS", "check_date", "read_header_date", "read_html", "read_inputs", "read_jsonl", "read_text"]
