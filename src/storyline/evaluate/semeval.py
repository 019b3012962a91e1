"""SemEval-2015 Task 4 (TimeLine: cross-document event ordering), Track A: read, predict, score.

A corpus folder (``corpus_1``, ``corpus_2``) holds ``corpus_trackA_TimeML/*.tml``
(raw text: ``<s id=N>`` sentences of space-separated tokens inside ``<TEXT>``,
the creation time in ``<DCT><TIMEX3 value=...>``), the gold timelines
``TimeLines_Gold_Standard/*.txt`` (first line the target entity, then
``order TAB date TAB docid-sentence-word [TAB coreferent mentions]``) and
``list_target_entities_corpus_N.txt``.

Each document's text is its sentences joined with newlines (tokens keep their
single spaces), so every token's characters are known and a trigger can be
named like the gold; the tokenizer's quote tokens `````` and ``''`` are written
``"`` so that the quote stage sees quote marks (the gold names no quote mark,
so no mention changes); ``published`` is the DCT value. ``storyline.extract``
runs on each document, ``semeval_predict`` turns the records into one
timeline per target, and ``semeval_score`` scores them with temporal
awareness, micro-averaged over the timelines of a corpus; F1 is also given
x 100, as the task reports it (best Track A run: 7.85 over three corpora,
Minard et al. 2015). Every difference from the official scorer is listed in
``semeval_score``'s docstring and in README's "Evaluation".

One DCT is not ISO: ``120578`` (corpus_2) has ``03-02-2009``, and its
dateline reads "February 03 , 2009", so a ``DD-MM-YYYY`` DCT is read day first.

The gold is read as given: one line of ``airbus_a380`` lost a line break
(``62929-7-travelling8  2007-03-19  62929-2-land`` are read as three mentions of
order 8), as the official scorer would read it. With ``limit``, only the first
``limit`` documents (sorted by file name) of each corpus are read, and the gold
timelines keep only the mentions of those documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import BAD_ANNOTATION, CORPUS_NOT_FOUND, TEXT_MISMATCH, EvaluationError
from storyline.evaluate.documents import Predict, parse_xml, predict_document
from storyline.evaluate.report import align
from storyline.evaluate.semeval_predict import PredictedMention, TargetMatcher, Token, build_timelines, record_mentions
from storyline.evaluate.semeval_score import (
    Timeline,
    TimelineCounts,
    TimelineEntry,
    score_timeline,
    sum_counts,
    timeline_figures,
    timeline_text,
)

PTB_QUOTES = frozenset({"``", "''"})
"""The tokenizer's opening and closing quote tokens; the text shows them as ``"``."""
_DAY_FIRST = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
TRACK_A = "corpus_tracka_timeml"
GOLD = "timelines_gold_standard"


@dataclass(frozen=True, slots=True)
class TrackADocument:
    """One Track A document: text (sentences joined with newlines), DCT, title and tokens."""

    doc_id: str
    text: str
    published: str | None
    title: str | None
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class SemevalCorpus:
    """One corpus: its documents, target entities and gold timelines (by target)."""

    name: str
    documents: tuple[TrackADocument, ...]
    targets: tuple[str, ...]
    gold: dict[str, Timeline]


def parse_track_a(xml: str | bytes, *, name: str = "") -> TrackADocument:
    """Read one Track A ``.tml`` file.

    Args:
        xml: the file's content.
        name: the file name, for messages; its leading digits are the doc id
            when ``<DOCID>`` is missing.

    Raises:
        EvaluationError: (SL603) not well-formed XML, or no ``<TEXT>`` sentences.
    """
    root = parse_xml(xml, name=name)
    body = root.find("TEXT")
    sentences = body.findall("s") if body is not None else []
    if not sentences:
        raise EvaluationError(f"{name}: no <TEXT> with <s> sentences; is this a Track A TimeML file?", code=BAD_ANNOTATION)
    doc_id = (root.findtext("DOCID") or "").strip() or name.split("_", 1)[0]
    dct = root.find("DCT/TIMEX3")
    published = dct.get("value") if dct is not None else None
    if published and (day_first := _DAY_FIRST.match(published)):
        published = f"{day_first.group(3)}-{day_first.group(2)}-{day_first.group(1)}"
    tokens: list[Token] = []
    lines: list[str] = []
    position = 0
    for sentence in sentences:
        words = ['"' if w in PTB_QUOTES else w for w in "".join(sentence.itertext()).split(" ")]
        text = " ".join(words)
        sid = sentence.get("id", str(len(lines)))
        offset = position
        for word in words:
            if word:
                tokens.append(Token(offset, offset + len(word), sid, word))
            offset += len(word) + 1
        lines.append(text)
        position += len(text) + 1  # the newline
    title = (root.findtext("EXTRAINFO") or "").strip() or None
    return TrackADocument(doc_id, "\n".join(lines), published or None, title, tuple(tokens))


def parse_gold_timeline(text: str, *, name: str = "") -> Timeline:
    """Read one gold timeline file: the target on the first line, then ``order TAB date TAB mention...``.

    Raises:
        EvaluationError: (SL603) an empty file, or a line without order, date
            and a mention, or whose order is not a number.
    """
    lines = [line.rstrip("\r") for line in text.splitlines()]
    if not lines or not lines[0].strip():
        raise EvaluationError(f"{name}: empty timeline file (the first line names the target)", code=BAD_ANNOTATION)
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) < 3 or not fields[0].isdigit():
            raise EvaluationError(
                f"{name} line {number}: expected 'order<TAB>date<TAB>docid-sentence-word', got {line!r}",
                code=BAD_ANNOTATION,
            )
        entries.append(TimelineEntry(int(fields[0]), fields[1], tuple(f for f in fields[2:] if f)))
    return Timeline(lines[0].strip(), tuple(entries))


def _subfolder(folder: Path, lowered: str) -> Path | None:
    return next((p for p in sorted(folder.iterdir()) if p.is_dir() and p.name.lower() == lowered), None)


def find_semeval_corpora(directory: str | Path) -> list[Path]:
    """The corpus folders under ``directory``: itself, or its subfolders, holding Track A files and gold timelines.

    Raises:
        EvaluationError: (SL601) none there.
    """
    root = Path(directory)
    candidates = [root, *sorted(p for p in root.iterdir() if p.is_dir())] if root.is_dir() else []
    found = [c for c in candidates if _subfolder(c, TRACK_A) and _subfolder(c, GOLD)]
    if not found:
        raise EvaluationError(
            f"no SemEval-2015 TimeLine corpus in {directory}: a corpus folder holds corpus_trackA_TimeML/ and "
            f"TimeLines_Gold_Standard/ (pass e.g. ../shared/data/semeval2015-timeline or one corpus_N folder)",
            code=CORPUS_NOT_FOUND,
        )
    return found[:1] if found[0] == root else found


def _keep_documents(timeline: Timeline, doc_ids: set[str]) -> Timeline:
    entries = []
    for entry in timeline.entries:
        mentions = tuple(m for m in entry.mentions if m.split("-", 1)[0] in doc_ids)
        if mentions:
            entries.append(TimelineEntry(entry.order, entry.date, mentions))
    return Timeline(timeline.target, tuple(entries))


def target_file_stem(target: str) -> str:
    """The timeline file name (without ``.txt``) of a target, as the task names them: ``boeing_787_dreamliner``."""
    return re.sub(r"[^0-9a-z]+", "_", target.lower().replace("&", "_and_"))


def load_semeval_corpus(folder: str | Path, *, limit: int | None = None) -> SemevalCorpus:
    """Load one corpus folder (see the module docstring).

    Targets are those of ``list_target_entities*.txt``, then any gold
    timeline's target not listed there; a listed target without a gold file
    gets an empty gold timeline. Gold files are paired with targets by file
    name (``target_file_stem``), as the task pairs gold and system files: the
    first line of ``united_states_air_force.txt`` reads "United States Air
    Froce".

    Raises:
        EvaluationError: (SL601) no Track A files; (SL603) a malformed file.
    """
    folder = Path(folder)
    track_a, gold_dir = _subfolder(folder, TRACK_A), _subfolder(folder, GOLD)
    files = sorted(track_a.glob("*.tml")) if track_a else []
    if not files or gold_dir is None:
        raise EvaluationError(f"{folder}: no Track A .tml files or no gold timelines", code=CORPUS_NOT_FOUND)
    documents = tuple(parse_track_a(p.read_bytes(), name=p.name) for p in files[:limit])
    listed: list[str] = []
    for path in sorted(folder.glob("list_target_entities*.txt")):
        listed.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    by_slug = {target_file_stem(t): t for t in listed}
    gold: dict[str, Timeline] = {}
    for path in sorted(gold_dir.glob("*.txt")):
        timeline = parse_gold_timeline(path.read_text(encoding="utf-8"), name=path.name)
        target = by_slug.get(path.stem, timeline.target)  # the file name pairs gold and system, as in the task
        gold[target] = Timeline(target, timeline.entries)
    targets = tuple(dict.fromkeys([*listed, *gold]))
    if limit is not None:
        kept = {d.doc_id for d in documents}
        gold = {t: _keep_documents(tl, kept) for t, tl in gold.items()}
    gold = {t: gold.get(t, Timeline(t)) for t in targets}
    return SemevalCorpus(folder.name, documents, targets, gold)


def load_semeval(directory: str | Path, *, limit: int | None = None) -> list[SemevalCorpus]:
    """Load every corpus under ``directory`` (the dataset folder or one corpus folder)."""
    return [load_semeval_corpus(folder, limit=limit) for folder in find_semeval_corpora(directory)]


@dataclass(slots=True)
class CorpusResult:
    """The scores of one corpus: per target (main measure and ordering only) and the predicted timelines."""

    name: str
    documents: int
    main: dict[str, TimelineCounts]
    ordering: dict[str, TimelineCounts]
    predicted: dict[str, Timeline]
    matched_entities: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> TimelineCounts:
        """The main-measure counts of every timeline summed."""
        return sum_counts(list(self.main.values()))

    @property
    def ordering_total(self) -> TimelineCounts:
        """The ordering-only counts of every timeline summed."""
        return sum_counts(list(self.ordering.values()))


@dataclass(slots=True)
class SemevalReport:
    """Per-corpus results, with the documents whose extraction failed."""

    directory: str
    corpora: list[CorpusResult]
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def overall(self) -> TimelineCounts:
        """Main-measure counts of every corpus summed."""
        return sum_counts([c.total for c in self.corpora])

    @property
    def overall_ordering(self) -> TimelineCounts:
        """Ordering-only counts of every corpus summed."""
        return sum_counts([c.ordering_total for c in self.corpora])

    def to_dict(self) -> dict[str, Any]:
        """Figures, counts and predicted timelines as plain data (what ``--json`` writes)."""

        def block(main: TimelineCounts, ordering: TimelineCounts) -> dict[str, Any]:
            return {
                "figures": timeline_figures(main),
                "ordering_only": timeline_figures(ordering),
                "counts": main.to_dict(),
                "ordering_counts": ordering.to_dict(),
            }

        return {
            "corpus": "semeval2015-timeline",
            "directory": self.directory,
            "documents": sum(c.documents for c in self.corpora),
            "failed": [{"doc_id": d, "message": m} for d, m in self.failures],
            "overall": block(self.overall, self.overall_ordering),
            "by_corpus": {
                c.name: {
                    "documents": c.documents,
                    **block(c.total, c.ordering_total),
                    "by_target": {t: block(c.main[t], c.ordering[t]) for t in c.main},
                    "matched_entities": c.matched_entities,
                    "predicted_timelines": {t: timeline_text(tl) for t, tl in c.predicted.items()},
                }
                for c in self.corpora
            },
        }


def score_semeval_corpus(
    corpus: SemevalCorpus, *, predict: Predict | None = None, failures: list[tuple[str, str]] | None = None
) -> CorpusResult:
    """Run ``predict`` over the corpus's documents, build the predicted timelines and score them.

    A document whose prediction raises adds nothing to the predicted timelines
    and is appended to ``failures``.

    Raises:
        EvaluationError: (SL602) a record's text differs from the document's.
    """
    failures = failures if failures is not None else []
    matcher = TargetMatcher(corpus.targets)
    mentions: list[PredictedMention] = []
    matched: dict[str, set[str]] = {}
    for doc in corpus.documents:
        record = predict_document(
            predict, doc.text, doc.published, doc.doc_id, failures=failures, name=f"{corpus.name}/{doc.doc_id}"
        )
        if record is None:
            continue
        if record.text != doc.text:
            raise EvaluationError(
                f"{corpus.name}/{doc.doc_id}: the record's text differs from the document's, so its offsets cannot "
                f"be scored; the pipeline must keep the input text verbatim",
                code=TEXT_MISMATCH,
            )
        found, names = record_mentions(record, doc.tokens, matcher)
        mentions.extend(found)
        for name, target in names.items():
            matched.setdefault(target, set()).add(name)
    predicted = build_timelines(corpus.targets, mentions)
    return CorpusResult(
        name=corpus.name,
        documents=len(corpus.documents),
        main={t: score_timeline(corpus.gold[t], predicted[t]) for t in corpus.targets},
        ordering={t: score_timeline(corpus.gold[t], predicted[t], anchors=False) for t in corpus.targets},
        predicted=predicted,
        matched_entities={t: sorted(matched.get(t, ())) for t in corpus.targets},
    )


def evaluate_semeval(directory: str | Path, *, limit: int | None = None, predict: Predict | None = None) -> SemevalReport:
    """Build and score timelines on SemEval-2015 Task 4 Track A, per corpus.

    Args:
        directory: the dataset folder (``corpus_1/``, ``corpus_2/``) or one corpus folder.
        limit: read only the first ``limit`` documents of each corpus (the gold
            keeps only their mentions).
        predict: what to evaluate; ``storyline.extract`` when None.

    Raises:
        EvaluationError: (SL601) no corpus; (SL602) a record's text differs from
            its document; (SL603) a malformed file.
    """
    failures: list[tuple[str, str]] = []
    corpora = [score_semeval_corpus(c, predict=predict, failures=failures) for c in load_semeval(directory, limit=limit)]
    return SemevalReport(str(directory), corpora, failures)


def _row(name: str, counts: TimelineCounts, ordering: TimelineCounts) -> list[Any]:
    fig, ord_fig = timeline_figures(counts), timeline_figures(ordering)
    return [
        name, counts.timelines, counts.gold_events, counts.pred_events, counts.shared_events,
        counts.gold_relations, counts.pred_relations,
        f"{100 * fig['precision']:.2f}", f"{100 * fig['recall']:.2f}", f"{100 * fig['f1']:.2f}",
        f"{100 * ord_fig['f1']:.2f}",
    ]  # fmt: skip


_HEADER = ["timelines", "gold ev", "pred ev", "shared ev", "gold rel", "pred rel", "P", "R", "F1", "F1 order"]


def format_semeval(report: SemevalReport) -> str:
    """Render the report: one row per corpus and overall, then one per target of each corpus.

    P, R and F1 are temporal awareness x 100 (the task's figure); "F1 order" is
    the ordering-only variant; event counts are mentions, for diagnosis.

    Returns:
        The table, lines joined by ``\\n``, without a trailing newline.
    """
    documents = sum(c.documents for c in report.corpora)
    lines = [
        (
            f"SemEval-2015 Task 4 TimeLine, Track A: {documents} documents in {report.directory}, "
            f"{len(report.failures)} failed"
        ),
        "temporal awareness x 100, micro-averaged over timelines (best published Track A F1: 7.85, three corpora)",
        "",
    ]
    rows: list[list[Any]] = [["corpus", *_HEADER]]
    rows.extend(_row(c.name, c.total, c.ordering_total) for c in report.corpora)
    rows.append(_row("overall", report.overall, report.overall_ordering))
    lines.extend(align(rows))
    for corpus in report.corpora:
        lines.append("")
        target_rows: list[list[Any]] = [[f"{corpus.name} target", *_HEADER]]
        target_rows.extend(_row(t, corpus.main[t], corpus.ordering[t]) for t in corpus.main)
        lines.extend(align(target_rows))
    if report.failures:
        lines.extend(["", "failed documents (they add no events):"])
        lines.extend(f"  {doc_id}: {message}" for doc_id, message in report.failures)
    return "\n".join(lines)
