"""Story query results as text for a person to read (``storyline entities|profile|timeline|quotes``).

Pure functions from the plain dicts of ``storyline.story`` to strings: no
printing, no I/O. JSON output needs nothing from here: it is those dicts.
"""

from __future__ import annotations

from typing import Any

from storyline.cli.columns import align, clip

TEXT_WIDTH = 70



def render_entities(entities: list[dict[str, Any]]) -> str:
    """One row per story entity: id, name, type, counts, first and last seen.

    Returns:
        The table, lines joined by ``\\n``, without a trailing newline.
    """
    if not entities:
        return "(no story entities: ingest articles with `storyline ingest PATH --db FILE`)"
    rows = [("ID", "NAME", "TYPE", "ARTICLES", "MENTIONS", "QUOTES", "FIRST SEEN", "LAST SEEN")]
    rows += [
        (
            str(e["id"]), clip(e["name"], 40, trim=False), e["type"], str(e["articles"]), str(e["mentions"]), str(e["quotes"]),
            e["first_seen"] or "-", e["last_seen"] or "-",
        )
        for e in entities
    ]
    return "\n".join(align(rows))


def render_profile(p: dict[str, Any]) -> str:
    """A block: name and counts, names, attributes over time, relations, and each article with its link evidence.

    Returns:
        The block, lines joined by ``\\n``, without a trailing newline.
    """
    lines = [
        f"{p['name']} ({p['type']})  key {p['key']}",
        (
            f"  {len(p['articles'])} articles, {p['first_seen'] or '-'} to {p['last_seen'] or '-'}; "
            f"{p['mentions']} mentions, {p['quotes']} quotes"
        ),
    ]
    if p["aliases"]:
        lines.append("  names: " + ", ".join(p["aliases"]))
    if p["epithets"]:
        lines.append("  epithets: " + ", ".join(p["epithets"]))
    if p.get("gender"):
        lines.append(f"  gender: {p['gender']}")
    rows: list[tuple[str, ...]]
    for label, key in (("ages", "ages"), ("descriptions", "descriptions")):
        if p[key]:
            lines.append(f"  {label}:")
            rows = [(item["published"] or "-", str(item["value"]), item["doc_id"]) for item in p[key]]
            lines += align(rows, "    ")
    if p["relations"]:
        lines.append("  relations:")
        rows = [
            (f"{r['subject']} {r['predicate']} {r['object']}" + (f" ({', '.join(r['hedges'])})" if r["hedges"] else ""),
             ", ".join(r["sources"]))
            for r in p["relations"]
        ]
        lines += align(rows, "    ")
    lines.append("  articles:")
    rows = [(a["published"] or "-", a["doc_id"], a["entity_id"], a["evidence"]) for a in p["articles"]]
    lines += align(rows, "    ")
    return "\n".join(lines)


def _when(item: dict[str, Any]) -> str:
    if item["undated"]:
        return f"undated ({item['placed'] or 'no date'})" if not item["date"] else f"{item['date']} ({item['placed']})"
    start, end = item["range"]
    if item["approximate"]:
        return f"~{item['date']} ({start}..{end})"
    return item["date"] if start == end or not item["date"] else f"{item['date']} ({start}..{end})"


def _what(item: dict[str, Any]) -> str:
    agent = item["agent"] or "?"
    if item["kind"] == "quote":
        to = f" to {', '.join(item['patients'])}" if item["patients"] else ""
        return f"{agent} said{to}: \u201c{clip(item['evidence'], TEXT_WIDTH - len(agent) - 12, trim=False)}\u201d"
    verb = ("not " if item["polarity"] == "negative" else "") + item["predicate"]
    return " ".join(x for x in (agent, verb, ", ".join(item["patients"])) if x)


def render_timeline(items: list[dict[str, Any]]) -> str:
    """One row per event or dated quote: when, what, how sure, and the articles that report it.

    ``~`` marks an approximate date (its range follows); undated items show
    the published date they are placed at.

    Returns:
        The table, lines joined by ``\\n``, without a trailing newline.
    """
    if not items:
        return "(no events)"
    rows = [("WHEN", "WHAT", "MODALITY", "SOURCES")]
    for item in items:
        how = item["modality"] + (f" ({', '.join(item['hedges'])})" if item["hedges"] else "")
        rows.append((_when(item), clip(_what(item), TEXT_WIDTH, trim=False), how, ", ".join(item["sources"])))
    return "\n".join(align(rows))


def render_quotes(quotes: list[dict[str, Any]]) -> str:
    """One row per quote: published date (and when said), speaker, the words, hedges, article.

    Returns:
        The table, lines joined by ``\\n``, without a trailing newline.
    """
    if not quotes:
        return "(no quotes)"
    rows = [("PUBLISHED", "SAID", "SPEAKER", "QUOTE", "HEDGES", "DOC")]
    rows += [
        (
            q["published"] or "-", q["date"] or "-", clip(q["speaker"] or "(unknown)", 28, trim=False),
            clip(q["quote"], TEXT_WIDTH, trim=False), ", ".join(q["hedges"]) or "-", q["doc_id"],
        )
        for q in quotes
    ]
    return "\n".join(align(rows))
