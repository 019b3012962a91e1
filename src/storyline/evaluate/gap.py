"""GAP (Google's gendered ambiguous pronouns): read the TSV, run storyline on each snippet, score the pronoun decisions.

A GAP file is a TSV with a header: ``ID, Text, Pronoun, Pronoun-offset, A,
A-offset, A-coref, B, B-offset, B-coref, URL``; offsets are Python ``str``
indices into ``Text``. The URL column is never read (the snippet-context
setting of EVALUATION.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from storyline.errors import BAD_ANNOTATION, CORPUS_NOT_FOUND, EvaluationError

_COLUMNS = ("ID", "Text", "Pronoun", "Pronoun-offset", "A", "A-offset", "A-coref", "B", "B-offset", "B-coref")


@dataclass(frozen=True, slots=True)
class GapRow:
    """One GAP example: a snippet, its pronoun and the two candidate names, with the gold decisions.

    Offsets are character offsets into ``text``; each span runs from its
    offset for the length of its word(s).
    """

    id: str
    text: str
    pronoun: str
    pronoun_offset: int
    a: str
    a_offset: int
    a_coref: bool
    b: str
    b_offset: int
    b_coref: bool


def _flag(value: str, where: str) -> bool:
    word = value.strip().upper()
    if word not in ("TRUE", "FALSE"):
        raise EvaluationError(f"{where}: expected TRUE or FALSE, found {value!r}", code=BAD_ANNOTATION)
    return word == "TRUE"


def _offset(value: str, word: str, text: str, where: str) -> int:
    try:
        offset = int(value)
    except ValueError:
        raise EvaluationError(f"{where}: offset {value!r} is not a number", code=BAD_ANNOTATION) from None
    if text[offset : offset + len(word)] != word:
        raise EvaluationError(
            f"{where}: {word!r} is not at offset {offset} (the text there reads "
            f"{text[offset : offset + len(word)]!r})",
            code=BAD_ANNOTATION,
        )
    return offset


def parse_gap_row(row: dict[str, str], *, where: str) -> GapRow:
    """Turn one TSV row (column name to value) into a ``GapRow``, checking each offset against the text.

    Raises:
        EvaluationError: (SL603) a missing column, a non-numeric offset, a
            word not found at its offset, or a coref flag other than TRUE/FALSE.
    """
    missing = [c for c in _COLUMNS if row.get(c) is None]
    if missing:
        raise EvaluationError(f"{where}: missing column(s) {', '.join(missing)}", code=BAD_ANNOTATION)
    text = row["Text"]
    return GapRow(
        id=row["ID"],
        text=text,
        pronoun=row["Pronoun"],
        pronoun_offset=_offset(row["Pronoun-offset"], row["Pronoun"], text, f"{where} Pronoun"),
        a=row["A"],
        a_offset=_offset(row["A-offset"], row["A"], text, f"{where} A"),
        a_coref=_flag(row["A-coref"], f"{where} A-coref"),
        b=row["B"],
        b_offset=_offset(row["B-offset"], row["B"], text, f"{where} B"),
        b_coref=_flag(row["B-coref"], f"{where} B-coref"),
    )


def read_gap(path: str | Path, *, limit: int | None = None) -> list[GapRow]:
    """Read a GAP TSV file (with its header), in file order.

    Args:
        path: e.g. ``../shared/data/gap/gap-development.tsv``.
        limit: keep only the first ``limit`` rows.

    Returns:
        One ``GapRow`` per data line.

    Raises:
        EvaluationError: (SL601) no such file; (SL603) a malformed row.
    """
    file = Path(path)
    if not file.is_file():
        raise EvaluationError(f"{path}: no such GAP file (pass e.g. ../shared/data/gap/gap-development.tsv)",
                              code=CORPUS_NOT_FOUND)
    rows: list[GapRow] = []
    with file.open(encoding="utf-8", newline="") as handle:
        # GAP text holds quote marks that are not CSV quoting
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for number, row in enumerate(reader, 2):
            if limit is not None and len(rows) >= limit:
                break
            rows.append(parse_gap_row(row, where=f"{file.name}:{number}"))
    return rows
