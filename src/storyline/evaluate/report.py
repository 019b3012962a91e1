"""Evaluation reports as plain-text tables (what ``storyline evaluate …`` prints).

Pure functions from reports to strings: no printing, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.evaluate.attribution import AttributionCounts, attribution_figures
from storyline.evaluate.polnear import PolnearReport
from storyline.evaluate.timex import TimexCounts, TimexReport, timex_figures

_PRF_FIGURES = ("content_all_overlap", "content_all_exact", "content_quoted_overlap", "content_quoted_exact")
_SHARE_FIGURES = (
    "source_all_exact_on_matched",
    "source_quoted_exact_on_matched",
    "cue_all_exact_on_matched",
    "cue_quoted_exact_on_matched",
    "speaker_span_acc_quoted",
    "unknown_speaker_share",
    "unknown_speaker_share_quoted",
)


def _cell(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def align(rows: Sequence[Sequence[Any]]) -> list[str]:
    """Lay rows out in columns: the first left-aligned, the others right-aligned; floats to 3 places."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()
        for row in cells
    ]


def failure_lines(failures: Sequence[tuple[str, str]], what: str, scored_as: str = "having no predictions") -> list[str]:
    """The lines listing the documents whose extraction failed, under a blank line; none without failures."""
    if not failures:
        return []
    lines = ["", f"failed {what} (scored as {scored_as}):"]
    lines.extend(f"  {doc_id}: {message}" for doc_id, message in failures)
    return lines


def _polnear_figures(counts: AttributionCounts) -> list[str]:
    fig = attribution_figures(counts)
    rows: list[list[Any]] = [["figure", "P", "R", "F1", "tp", "pred", "gold"]]
    for name in _PRF_FIGURES:
        f = fig[name]
        rows.append([name, f["precision"], f["recall"], f["f1"], f["tp"], f["n_pred"], f["n_gold"]])
    lines = align(rows)
    lines.append("")
    share_rows: list[list[Any]] = [["figure", "value", "count", "of"]]
    share_rows.extend([name, fig[name]["value"], fig[name]["count"], fig[name]["total"]] for name in _SHARE_FIGURES)
    lines.extend(align(share_rows))
    return lines


def _publisher_rows(by_publisher: dict[str, tuple[int, AttributionCounts]]) -> list[str]:
    rows: list[list[Any]] = [
        ["publisher", "articles", "gold", "pred", "all F1", "all exact F1", "quoted F1", "quoted exact F1",
         "source", "cue", "speaker", "unknown"]
    ]  # fmt: skip
    for publisher, (n, counts) in sorted(by_publisher.items()):
        fig = attribution_figures(counts)
        rows.append(
            [
                publisher,
                n,
                counts.all.n_gold,
                counts.all.n_pred,
                fig["content_all_overlap"]["f1"],
                fig["content_all_exact"]["f1"],
                fig["content_quoted_overlap"]["f1"],
                fig["content_quoted_exact"]["f1"],
                fig["source_all_exact_on_matched"]["value"],
                fig["cue_all_exact_on_matched"]["value"],
                fig["speaker_span_acc_quoted"]["value"],
                fig["unknown_speaker_share"]["value"],
            ]
        )
    return align(rows)


def format_polnear(report: PolnearReport) -> str:
    """Render a PolNeAR report: header, content P/R/F1, source/cue/speaker figures, publishers, failures.

    Returns:
        The table, lines joined by ``\\n``, without a trailing newline.
    """
    notes = report.gold_notes
    lines = [
        f"PolNeAR attribution: {report.articles} articles in {report.directory}, {len(report.failures)} failed",
        f"gold: {notes.get('attributions', 0)} attributions ({notes.get('no_content', 0)} E line(s) without content "
        f"and {notes.get('duplicate_content', 0)} repeated content spans left out)",
    ]
    for key, label in (("unannotated_texts", "texts without annotation"), ("annotations_without_text", "annotations without text")):
        if notes.get(key):
            lines.append(f"not scored, {label}: {', '.join(notes[key])}")
    lines.append("")
    lines.extend(_polnear_figures(report.counts))
    if report.by_publisher is not None:
        lines.append("")
        lines.append("by publisher (F1 of content overlap/exact; source, cue: exact on matched, all;")
        lines.append("speaker: speaker_span_acc_quoted; unknown: unknown_speaker_share)")
        lines.extend(_publisher_rows(report.by_publisher))
    lines.extend(failure_lines(report.failures, "articles"))
    return "\n".join(lines)


def _timex_row(name: str, documents: int, counts: TimexCounts) -> list[Any]:
    fig = timex_figures(counts)
    s, r, v = fig["strict"], fig["relaxed"], fig["value_f1"]
    return [
        name, documents, counts.n_gold, counts.n_pred,
        s["precision"], s["recall"], s["f1"],
        r["precision"], r["recall"], r["f1"],
        fig["value_accuracy"]["value"], v["f1"], fig["type_accuracy"]["value"],
    ]  # fmt: skip


def format_timex(report: TimexReport) -> str:
    """Render a time-expression report: one row per corpus and overall, then per type (overall).

    Returns:
        The table, lines joined by ``\\n``, without a trailing newline.
    """
    title = {"meantime": "MEANTIME", "timeml": "TimeML"}.get(report.name, report.name)
    dct = ", ".join(f"{k} {v}" for k, v in sorted(report.dct.items()))
    lines = [
        f"{title} time expressions: {report.documents} documents in {report.directory}, "
        f"{len(report.failures)} failed, {report.issues} issues reported by the stage",
        f"creation time (DCT) markables: {dct or 'none'} (counted = its tokens are in the text, so it is scored)",
    ]
    if report.out_of_scope:
        lines.append(f"not scored: {report.out_of_scope} predictions after the annotated part of their document")
    lines.append("")
    rows: list[list[Any]] = [
        ["corpus", "docs", "gold", "pred", "strict P", "strict R", "strict F1",
         "relaxed P", "relaxed R", "relaxed F1", "value acc", "value F1", "type acc"]
    ]  # fmt: skip
    for name, (n, counts) in report.corpora.items():
        rows.append(_timex_row(name, n, counts))
    rows.append(_timex_row("overall", report.documents, report.overall))
    lines.extend(align(rows))
    lines.append("")
    type_rows: list[list[Any]] = [["type (overall, relaxed)", "gold", "pred", "P", "R", "F1", "value acc", "type acc"]]
    for kind, t in timex_figures(report.overall)["by_type"].items():
        type_rows.append(
            [kind, t["n_gold"], t["n_pred"], t["precision"], t["recall"], t["f1"], t["value_accuracy"], t["type_accuracy"]]
        )
    lines.extend(align(type_rows))
    lines.extend(failure_lines(report.failures, "documents"))
    return "\n".join(lines)
