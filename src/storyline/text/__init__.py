"""Ingest: turn files, directories and stdin into articles, or error records.

Offsets in every article index its ``text``: the decoded file for plain text
(BOM removed, CRLF kept), the extracted main text for HTML and for each HTML
page of a WARC file, the ``text`` field for JSONL.
"""

from __future__ import annotations

from storyline.text.common import check_date
from storyline.text.files import EXTENSIONS, count_inputs, read_inputs
from storyline.text.html import read_html
from storyline.text.jsonl import read_jsonl
from storyline.text.plain import read_header_date, read_text
from storyline.text.warc import read_warc

__all__ = [
    "EXTENSIONS", "check_date", "count_inputs", "read_header_date", "read_html", "read_inputs", "read_jsonl",
    "read_text", "read_warc",
]
