"""Person nouns from GUM's gold coreference: which common nouns head mentions of people.

    python -m storyline.train.person_nouns ../shared/data/gum/train [-o src/storyline/stages/entities/data/person-nouns.txt]

Reads the CorefUD-style ``Entity`` column of every ``*.conllu`` file (no
``udapi`` needed): each mention's span, its entity type, and its syntactic head
(the token of the span whose head lies outside it). A common-noun head's lemma
counts for ``person`` when the mention's entity is a person and against it
otherwise. Lemmas seen at least ``MIN_COUNT`` times as a person's head with a
precision of at least ``MIN_PRECISION`` (an agentive noun, "-er", "-ist", "-ian",
... heading nothing else: once) are written one a line, sorted, with a
header saying how they were chosen: the same corpus gives the same file.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Where the list ships, relative to the package root.
OUTPUT = Path(__file__).resolve().parents[1] / "stages" / "entities" / "data" / "person-nouns.txt"
#: A lemma must head this many person mentions ...
MIN_COUNT = 2
#: ... and at least this share of all the mentions it heads.
MIN_PRECISION = 0.75
#: The endings of a noun for someone who does something ("commentator", "librarian", "employee"):
#: a lemma with one of them needs to head only one person mention and nothing else.
AGENTIVE = re.compile(r"(?:er|or|ist|ian|ee|ant|ent|man|woman|person)$")
#: Heads that count for people in GUM's idioms or mis-tags, never as a description of one:
#: quantities ("a million", "a bunch"), military ranks read as adjectives ("major", "general"),
#: "face" (a face in the crowd), a surname tagged NOUN ("santorum"), a bare address ("sir").
EXCLUDED = frozenset({"million", "bunch", "face", "major", "general", "independent", "elite", "santorum", "sir", "holder"})
#: One bracket of the Entity column: an opening "(eid-etype-..." (closed at once by ")"), or a closing "eid)".
_BRACKET = re.compile(r"\((\d+)-([a-z]+)[^()]*(\))?|(\d+)(?:\[[^]]*\])?\)")


@dataclass
class _Token:
    """One word of a sentence: its 1-based id, lemma, part of speech and head id."""

    id: int
    lemma: str
    upos: str
    head: int


def _sentences(path: Path) -> Iterator[list[tuple[_Token, str]]]:
    """Yield each sentence of a CoNLL-U file as its words with their MISC column (multi-word and empty tokens skipped)."""
    sent: list[tuple[_Token, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if sent:
                yield sent
            sent = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 10 or not cols[0].isdigit():
            continue
        sent.append((_Token(int(cols[0]), cols[2], cols[3], int(cols[6]) if cols[6].isdigit() else 0), cols[9]))
    if sent:
        yield sent


def _entity_field(misc: str) -> str:
    """The ``Entity=`` value of a MISC column, or ''."""
    for part in misc.split("|"):
        if part.startswith("Entity="):
            return part[len("Entity="):]
    return ""


def _mentions(sent: list[tuple[_Token, str]]) -> Iterator[tuple[str, list[_Token]]]:
    """Yield (entity type, tokens) for each mention that opens and closes inside the sentence."""
    open_: dict[str, list[tuple[int, str]]] = {}
    for k, (_, misc) in enumerate(sent):
        for m in _BRACKET.finditer(_entity_field(misc)):
            if m.group(1) is not None:  # "(6-person-new-...": opens; with a closing ")" it is one word long
                open_.setdefault(m.group(1), []).append((k, m.group(2)))
                if m.group(3):
                    yield from _close(open_, m.group(1), k, sent)
            else:  # "6)": closes
                yield from _close(open_, m.group(4), k, sent)


def _close(open_: dict[str, list[tuple[int, str]]], eid: str, k: int, sent: list[tuple[_Token, str]]) -> Iterator[tuple[str, list[_Token]]]:
    """Close the latest open mention of entity ``eid`` at word ``k``."""
    stack = open_.get(eid)
    if stack:
        start, etype = stack.pop()
        yield etype, [tok for tok, _ in sent[start : k + 1]]


def _head(tokens: list[_Token]) -> _Token:
    """The syntactic head of a span: its word whose head is outside it (the first such)."""
    ids = {t.id for t in tokens}
    return next((t for t in tokens if t.head not in ids), tokens[-1])


def count_heads(directory: Path) -> tuple[Counter[str], Counter[str]]:
    """Count common-noun mention heads by lemma: (heads of person mentions, heads of all others)."""
    person: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for path in sorted(directory.glob("*.conllu")):
        for sent in _sentences(path):
            for etype, tokens in _mentions(sent):
                head = _head(tokens)
                if head.upos != "NOUN":
                    continue
                lemma = head.lemma.lower()
                (person if etype == "person" else other)[lemma] += 1
    return person, other


def person_nouns(person: Counter[str], other: Counter[str], min_count: int = MIN_COUNT, min_precision: float = MIN_PRECISION) -> list[str]:
    """The lemmas that head person mentions often enough and seldom anything else, sorted; an agentive
    noun ("commentator") that heads only person mentions needs no second one."""
    return sorted(
        lemma for lemma, n in person.items()
        if lemma.isalpha() and lemma not in EXCLUDED and (
            n >= min_count and n / (n + other[lemma]) >= min_precision or not other[lemma] and AGENTIVE.search(lemma) is not None
        )
    )


def main(argv: list[str] | None = None) -> int:
    """Read a GUM split, write the person-noun list; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="a folder of GUM .conllu files, e.g. ../shared/data/gum/train")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    person, other = count_heads(args.directory)
    nouns = person_nouns(person, other)
    header = (
        f"# person nouns: common-noun heads of GUM person mentions in {args.directory.name},"
        f" >= {MIN_COUNT} times, precision >= {MIN_PRECISION} (agentive nouns: once, precision 1);"
        " python -m storyline.train.person_nouns\n"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(header + "".join(f"{w}\n" for w in nouns), encoding="utf-8")
    print(f"{len(nouns)} person nouns -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
