"""GAP (Google's gendered ambiguous pronouns): read the TSV, run storyline on each snippet, score the pronoun decisions.

A GAP file is a TSV with a header: ``ID, Text, Pronoun, Pronoun-offset, A,
A-offset, A-coref, B, B-offset, B-coref, URL``; offsets are Python ``str``
indices into ``Text``. The URL column is never read (the snippet-context
setting of EVALUATION.md).

Scoring (EVALUATION.md): storyline runs on ``Text``; the predicted mention
covering ``Pronoun-offset`` (the shortest, when several do) gives the
pronoun's entity, and A is decided true when that entity has another mention
overlapping the A name span (``A-offset`` for ``len(A)`` characters); the same
for B. An unresolved pronoun decides both false. The ``2 x rows`` decisions
are scored as P/R/F1 (a true decision that is gold-true is a true positive),
overall and for masculine and feminine pronouns; bias = F1 feminine / F1
masculine. The two baselines of EVALUATION.md are scored on the same rows:
``a_always`` (A true, B false) and ``nearest_before`` (of A and B, the one
whose offset is the closest before the pronoun; both false when neither is
before it).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.errors import BAD_ANNOTATION, CORPUS_NOT_FOUND, EvaluationError
from storyline.evaluate.documents import Predict, predict_document
from storyline.evaluate.report import align, failure_lines
from storyline.evaluate.spans import PRF, prf
from storyline.spans import char_overlap

if TYPE_CHECKING:
    from storyline.model import Record

MASCULINE = frozenset({"he", "him", "his", "himself"})
"""GAP pronouns counted as masculine (lower-cased); the others are feminine."""
FEMININE = frozenset({"she", "her", "hers", "herself"})
"""GAP pronouns counted as feminine (lower-cased)."""
GENDERS = ("overall", "masculine", "feminine")
SYSTEMS = ("storyline", "a_always", "nearest_before")
"""What the report scores: storyline's decisions and the two baselines."""

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


Decide = Callable[[GapRow], tuple[bool, bool]]


def pronoun_gender(pronoun: str) -> str:
    """``masculine`` or ``feminine`` from the pronoun word; ``other`` for anything else."""
    word = pronoun.lower()
    return "masculine" if word in MASCULINE else "feminine" if word in FEMININE else "other"


def decide_from_record(row: GapRow, record: Record | None) -> tuple[bool, bool] | None:
    """storyline's A and B decisions for ``row``; None when no predicted mention covers the pronoun (both false)."""
    if record is None:
        return None
    covering = [
        (m.end - m.start, index, m)
        for index, entity in enumerate(record.entities)
        for m in entity.mentions
        if m.start <= row.pronoun_offset < m.end
    ]
    if not covering:
        return None
    _, index, pronoun = min(covering, key=lambda c: (c[0], c[1], c[2].start))
    others = [(m.start, m.end) for m in record.entities[index].mentions if m != pronoun]

    def refers(offset: int, name: str) -> bool:
        return any(char_overlap(span, (offset, offset + len(name))) > 0 for span in others)

    return refers(row.a_offset, row.a), refers(row.b_offset, row.b)


def decide_a_always(row: GapRow) -> tuple[bool, bool]:
    """The baseline "A is always the antecedent"."""
    return True, False


def decide_nearest_before(row: GapRow) -> tuple[bool, bool]:
    """The baseline "the nearest name before the pronoun": of A and B, the closest one starting before it."""
    a_before, b_before = row.a_offset < row.pronoun_offset, row.b_offset < row.pronoun_offset
    if a_before and b_before:
        return (True, False) if row.a_offset > row.b_offset else (False, True)
    return a_before, b_before


@dataclass(frozen=True, slots=True)
class GapCounts:
    """True positives, true decisions and gold-true decisions, summable over rows."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def __add__(self, other: GapCounts) -> GapCounts:
        """Sum two counts."""
        return GapCounts(self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold)

    def figures(self) -> PRF:
        """Precision, recall and F1 of these counts."""
        return prf(self.tp, self.n_pred, self.n_gold)


def count_decisions(row: GapRow, decided: tuple[bool, bool]) -> GapCounts:
    """The counts of one row's two decisions against its gold."""
    pairs = list(zip(decided, (row.a_coref, row.b_coref), strict=True))
    return GapCounts(sum(d and g for d, g in pairs), sum(d for d, _ in pairs), sum(g for _, g in pairs))


@dataclass(slots=True)
class GapReport:
    """Counts per system (storyline and the baselines) and per gender, with the rows that failed."""

    path: str
    rows: int
    counts: dict[str, dict[str, GapCounts]]
    unresolved: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def figures(self, system: str) -> dict[str, Any]:
        """P/R/F1 of one system overall, masculine and feminine, and bias = F1 feminine / F1 masculine."""
        out: dict[str, Any] = {g: self.counts[system][g].figures()._asdict() for g in GENDERS}
        male = out["masculine"]["f1"]
        out["bias"] = out["feminine"]["f1"] / male if male else 0.0
        return out

    def to_dict(self) -> dict[str, Any]:
        """Figures and counts as plain data (what ``--json`` writes)."""
        return {
            "corpus": "gap",
            "path": self.path,
            "rows": self.rows,
            "unresolved_pronouns": self.unresolved,
            "failed": [{"doc_id": d, "message": m} for d, m in self.failures],
            "figures": {s: self.figures(s) for s in SYSTEMS},
        }


def score_gap(rows: list[GapRow], *, path: str = "", predict: Predict | None = None) -> GapReport:
    """Run ``predict`` on every row's text and score storyline's decisions and the two baselines.

    A row whose prediction raises decides both false and is listed in ``failures``.

    Args:
        rows: from ``read_gap``.
        path: the file they came from (for the report).
        predict: ``predict(text, published, doc_id) -> Record``; ``storyline.extract`` when None.

    Raises:
        EvaluationError: as ``predict`` raised it.
    """
    counts = {s: {g: GapCounts() for g in GENDERS} for s in SYSTEMS}
    failures: list[tuple[str, str]] = []
    unresolved = 0
    baselines: dict[str, Decide] = {"a_always": decide_a_always, "nearest_before": decide_nearest_before}
    for row in rows:
        record = predict_document(predict, row.text, None, row.id, failures=failures)
        decided = decide_from_record(row, record)
        unresolved += decided is None
        gender = pronoun_gender(row.pronoun)
        for system in SYSTEMS:
            choice = (decided or (False, False)) if system == "storyline" else baselines[system](row)
            row_counts = count_decisions(row, choice)
            for group in ("overall", gender):
                if group in counts[system]:
                    counts[system][group] = counts[system][group] + row_counts
    return GapReport(path, len(rows), counts, unresolved, failures)


def evaluate_gap(path: str | Path, *, limit: int | None = None, predict: Predict | None = None) -> GapReport:
    """Read a GAP TSV file and score storyline on it (EVALUATION.md): ``read_gap``, then ``score_gap``."""
    return score_gap(read_gap(path, limit=limit), path=str(path), predict=predict)


def format_gap(report: GapReport) -> str:
    """Render a GAP report: one row per system, P/R/F1 overall, F1 masculine and feminine, bias.

    Returns:
        The table, lines joined by ``\\n``, without a trailing newline.
    """
    lines = [
        f"GAP pronouns: {report.rows} rows of {report.path}, {len(report.failures)} failed, "
        f"{report.unresolved} pronouns with no predicted mention (both decisions false)",
        "",
    ]
    table: list[list[Any]] = [["system", "P", "R", "F1", "F1 masc", "F1 fem", "bias", "tp", "pred", "gold"]]
    for system in SYSTEMS:
        fig = report.figures(system)
        overall = fig["overall"]
        table.append([system, overall["precision"], overall["recall"], overall["f1"], fig["masculine"]["f1"],
                      fig["feminine"]["f1"], fig["bias"], overall["tp"], overall["n_pred"], overall["n_gold"]])
    lines.extend(align(table))
    lines.extend(failure_lines(report.failures, "rows", "unresolved"))
    return "\n".join(lines)
