"""Records as text for a person to read (``storyline extract --format table``).

Pure functions from records to strings: no printing, no I/O.
"""

from __future__ import annotations

from storyline.cli.columns import align, clip
from storyline.model import ErrorRecord, Record

CONTENT_WIDTH = 60


def render_table(item: Record | ErrorRecord) -> str:
    """Render one record (or error record) as a short block of aligned rows.

    A record gives a header line (doc_id, published, counts), one row per
    quote (speaker, cue, kind, the start of the content), its entities and
    its warnings. An error record gives one ``!!`` row with its code.

    Returns:
        The block, lines joined by ``\\n``, without a trailing newline.
    """
    if isinstance(item, ErrorRecord):
        return render_error(item)
    return render_record(item)


def render_error(error: ErrorRecord) -> str:
    """One row: ``!! doc_id  FAILED  code stage: message``."""
    return f"!! {error.doc_id}  FAILED  {error.code} {error.stage}: {error.message}"


def render_record(record: Record) -> str:
    """Header, quote rows, entity list and warnings of one record."""
    lines = [_header(record)]
    if record.title:
        lines.append(f"   title: {clip(record.title, 80)}")
    if record.quotes:
        rows: list[tuple[str, ...]] = [("SPEAKER", "CUE", "KIND", "CONTENT")]
        for quote in record.quotes:
            speaker = record.entity(quote.speaker)
            rows.append(
                (
                    clip(speaker.name if speaker else (quote.speaker or "?"), 28),
                    clip(quote.cue.text, 20) if quote.cue else "-",
                    quote.kind,
                    clip(quote.content.text, CONTENT_WIDTH),
                )
            )
        lines.extend(align(rows, "   ", strip=False))
    else:
        lines.append("   (no quotes)")
    if record.entities:
        lines.append("   entities:")
        for ent in record.entities:
            aka = [a for a in ent.aliases if a != ent.name]
            age = ent.attributes.get("age")
            line = f"     {ent.name} ({ent.type}{'' if age is None else f', {age}'})"
            lines.append(line + (f" aka {', '.join(aka)}" if aka else ""))
    if record.relations:
        lines.append("   relations:")
        for rel in record.relations:
            subj, obj = record.entity(rel.subject), record.entity(rel.object)
            lines.append(f"     {subj.name if subj else rel.subject} {rel.predicate} {obj.name if obj else rel.object}")
    if record.events:
        lines.append("   events:")
        rows = [("DATE", "PREDICATE", "AGENT", "PATIENTS", "EVIDENCE")]
        for ev in record.events:
            timex = next((t for t in record.timexes if t.id == ev.timex), None)
            date = (ev.date or "-") + (" ~" if timex is not None and timex.approximate else "")
            claim = record.entity(ev.attributed_to)
            evidence = ev.modality + (f" ({', '.join(ev.hedges)})" if ev.hedges else "") + (f", claim of {claim.name}" if claim else "")
            if ev.polarity == "negative":
                evidence += ", negated"
            rows.append((date, ev.predicate, _name(record, ev.agent), ", ".join(_name(record, p) for p in ev.patients) or "-", evidence))
        lines.extend(align(rows, "   ", strip=False))
    if record.timexes:
        lines.append("   time expressions:")
        lines.extend(
            f"     {clip(t.text, 30)} -> {t.value or '?'} ({t.type}{', approximate' if t.approximate else ''})" for t in record.timexes
        )
    if record.warnings:
        lines.append("   warnings:")
        lines.extend(f"     {warning}" for warning in record.warnings)
    return "\n".join(lines)


def _header(record: Record) -> str:
    counts = ", ".join(
        f"{len(items)} {name}"
        for name, items in (
            ("entities", record.entities),
            ("quotes", record.quotes),
            ("warnings", record.warnings),
        )
    )
    return f"== {record.doc_id}  published {record.published or '?'}  ({counts})"


def _name(record: Record, entity_id: str | None) -> str:
    ent = record.entity(entity_id)
    return clip(ent.name, 28) if ent is not None else (entity_id or "-")
