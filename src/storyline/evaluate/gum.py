"""GUM (CorefUD CoNLL-U): rebuild each document's text and read its gold entity mentions.

The text of a document is rebuilt from its tokens with their original
spacing: a token is followed by a space unless its MISC says ``SpaceAfter=No``
(``SpacesAfter=`` gives the exact characters, with ``\\s``, ``\\t``, ``\\n``
escapes); sentences of one paragraph are joined with a single space, and
paragraphs (``# newpar``) with a blank line. A multiword token (``9-10
country’s``) gives the text; its words get consecutive pieces of it when
their forms spell it, else the whole of it.

Mentions come from the MISC ``Entity=`` attribute: ``(id-type-...`` opens a
mention, ``id)`` closes the latest open one of that entity, ``(id-type-...)``
is a one-token mention; the field order is the document's ``# global.Entity``
declaration (CorefUD's ``eid-etype-head-other`` when absent). A mention's
head is the token given by a ``head`` field when the declaration has one,
else the first token of the mention whose syntactic head lies outside it.
Its form is ``pronoun`` (head PRON, or a personal/possessive DET such as
"his"), ``name`` (head PROPN) or ``nominal``. This reader stands alone: no
udapi at runtime.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from storyline.errors import BAD_ANNOTATION, CORPUS_NOT_FOUND, EvaluationError

DEFAULT_ENTITY_FIELDS = ("eid", "etype", "head", "other")
"""CorefUD's field order of ``Entity=`` when a file declares none."""

_BRACKET = re.compile(r"\((?P<open>[^()]+)(?P<single>\))?|(?P<close>[^()]+)\)")
_NEWPAR = re.compile(r"^# newpar(?:\s*$|\s+id\s*=)")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ESCAPES = {"s": " ", "t": "\t", "n": "\n", "r": "\r", "\\": "\\", "p": "|"}


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One gold mention: character offsets into the rebuilt text, half-open, for the span and for its head token.

    ``chain`` is the entity id within the document, ``etype`` its entity type
    (``person``, ``organization``, ``place``, ...), ``form`` one of
    ``pronoun`` / ``name`` / ``nominal``.
    """

    start: int
    end: int
    head_start: int
    head_end: int
    chain: str
    etype: str
    form: str


@dataclass(frozen=True, slots=True)
class GumDoc:
    """One GUM document: its rebuilt text, ``published`` (``# meta::dateCreated``, ISO date) and gold mentions.

    The mentions are sorted by ``(start, -end)``.
    """

    doc_id: str
    text: str
    published: str | None
    mentions: tuple[GoldMention, ...]


@dataclass(slots=True)
class _Token:
    """A word of the current document: where it is (sentence, id), what the parse says, its characters."""

    sent: int
    id: int
    form: str
    upos: str
    feats: str
    head: int
    start: int
    end: int
    entity: str


@dataclass(slots=True)
class _Builder:
    """The document being read: its text so far, its words, the sentence being read."""

    doc_id: str
    fields: tuple[str, ...]
    published: str | None = None
    pieces: list[str] = field(default_factory=list)
    length: int = 0
    tokens: list[_Token] = field(default_factory=list)
    sentences: int = 0
    newpar: bool = False
    sentence: list[tuple[list[str], str, str]] = field(default_factory=list)

    def add(self, piece: str) -> int:
        """Append ``piece`` to the text and return where it starts."""
        start = self.length
        self.pieces.append(piece)
        self.length += len(piece)
        return start


def _spaces_after(misc: str) -> str:
    """What follows a token in the original text, from its MISC column."""
    for item in misc.split("|"):
        key, _, value = item.partition("=")
        if key == "SpaceAfter" and value == "No":
            return ""
        if key == "SpacesAfter":
            return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), value)
    return " "


def _misc_value(misc: str, key: str) -> str:
    for item in misc.split("|"):
        name, _, value = item.partition("=")
        if name == key:
            return value
    return ""


def _flush_sentence(doc: _Builder) -> None:
    """Lay out the sentence just read: its separator, then its surface tokens and their words' offsets."""
    if not doc.sentence:
        return
    if doc.sentences:
        doc.add("\n\n" if doc.newpar else " ")
    doc.newpar = False
    for i, (words, surface, after) in enumerate(doc.sentence):
        start = doc.add(surface)
        forms = [w.split("\t")[1] for w in words]
        split = len(words) > 1 and "".join(forms) == surface
        position = start
        for word, form in zip(words, forms, strict=True):
            cols = word.split("\t")
            end = position + len(form) if split else start + len(surface)
            head = int(cols[6]) if cols[6].isdigit() else 0
            doc.tokens.append(
                _Token(doc.sentences, int(cols[0]), form, cols[3], cols[5], head, position if split else start, end,
                       _misc_value(cols[9], "Entity"))
            )
            position = end
        if i < len(doc.sentence) - 1:
            doc.add(after)
    doc.sentences += 1
    doc.sentence = []


def _read_line(doc: _Builder, line: str, pending: list[tuple[int, str, str]], where: str) -> None:
    """One token line: a multiword range opens ``pending``; a word joins it or stands as its own surface token."""
    cols = line.split("\t")
    if len(cols) != 10:
        raise EvaluationError(f"{where}: a token line needs 10 tab-separated columns, found {len(cols)}",
                              code=BAD_ANNOTATION)
    ident = cols[0]
    if "." in ident:  # an empty node has no surface text
        return
    if "-" in ident:
        last = ident.partition("-")[2]
        pending.clear()
        pending.append((int(last), cols[1], _spaces_after(cols[9])))
        doc.sentence.append(([], cols[1], _spaces_after(cols[9])))
        return
    if not ident.isdigit():
        raise EvaluationError(f"{where}: bad token id {ident!r}", code=BAD_ANNOTATION)
    if pending and int(ident) <= pending[0][0]:
        doc.sentence[-1][0].append(line)
        if int(ident) == pending[0][0]:
            pending.clear()
        return
    doc.sentence.append(([line], cols[1], _spaces_after(cols[9])))


def _entity_fields(comment: str) -> tuple[str, ...]:
    names = comment.split("=", 1)[1].strip().lower().split("-")
    return tuple("eid" if n in ("grp", "eid") else n for n in names)


def _head_token(span: list[_Token], head_field: str) -> _Token:
    """The head of a mention: the ``head`` field's token when given, else the first whose head is outside."""
    if head_field.isdigit() and 1 <= int(head_field) <= len(span):
        return span[int(head_field) - 1]
    inside = {(t.sent, t.id) for t in span}
    for token in span:
        if token.head == 0 or (token.sent, token.head) not in inside:
            return token
    return span[0]


def mention_form(token_upos: str, token_feats: str) -> str:
    """``pronoun``, ``name`` or ``nominal`` from the head's UPOS (a personal or possessive DET is a pronoun)."""
    if token_upos == "PRON":
        return "pronoun"
    feats = set(token_feats.split("|"))
    if token_upos == "DET" and ("Poss=Yes" in feats or "PronType=Prs" in feats):
        return "pronoun"
    return "name" if token_upos == "PROPN" else "nominal"


def _mentions(doc: _Builder) -> list[GoldMention]:
    """Read every token's ``Entity=`` brackets into mentions (see the module docstring)."""
    fields = doc.fields
    etype_at = fields.index("etype") if "etype" in fields else 1
    head_at = fields.index("head") if "head" in fields else None
    open_: dict[str, list[tuple[int, list[str]]]] = {}
    found: list[GoldMention] = []

    def close(eid: str, first: int, values: list[str], last: int) -> None:
        span = doc.tokens[first : last + 1]
        head = _head_token(span, values[head_at] if head_at is not None and head_at < len(values) else "")
        etype = values[etype_at].lower() if etype_at < len(values) else ""
        found.append(GoldMention(span[0].start, span[-1].end, head.start, head.end, eid, etype,
                                 mention_form(head.upos, head.feats)))

    for index, token in enumerate(doc.tokens):
        for m in _BRACKET.finditer(token.entity):
            if m["open"] is not None:
                values = m["open"].split("-", len(fields) - 1)
                eid = values[0].split("[", 1)[0]
                if m["single"]:
                    close(eid, index, values, index)
                else:
                    open_.setdefault(eid, []).append((index, values))
            else:
                eid = m["close"].split("[", 1)[0]
                if not open_.get(eid):
                    raise EvaluationError(f"{doc.doc_id}: entity {eid} closes at token {token.sent + 1}:{token.id} "
                                          f"without being open", code=BAD_ANNOTATION)
                first, values = open_[eid].pop()
                close(eid, first, values, index)
    unclosed = sorted(e for e, stack in open_.items() if stack)
    if unclosed:
        raise EvaluationError(f"{doc.doc_id}: entity mention(s) never closed: {', '.join(unclosed)}",
                              code=BAD_ANNOTATION)
    found.sort(key=lambda g: (g.start, -g.end, g.chain))
    return found


def _finish(doc: _Builder) -> GumDoc:
    _flush_sentence(doc)
    return GumDoc(doc.doc_id, "".join(doc.pieces), doc.published, tuple(_mentions(doc)))


def parse_conllu(conllu: str, *, name: str) -> list[GumDoc]:
    """Read the documents of one CoNLL-U file (``# newdoc id = ...`` starts each; ``name`` when there is none).

    Returns:
        The documents in file order; mention offsets index each one's rebuilt text.

    Raises:
        EvaluationError: (SL603) a malformed token line or unbalanced ``Entity=`` brackets.
    """
    docs: list[GumDoc] = []
    doc: _Builder | None = None
    fields: tuple[str, ...] = DEFAULT_ENTITY_FIELDS
    pending: list[tuple[int, str, str]] = []
    for number, line in enumerate(conllu.splitlines(), 1):
        if line.startswith("# global.Entity"):
            fields = _entity_fields(line)
            if doc is not None:
                doc.fields = fields
        elif line.startswith("# newdoc"):
            if doc is not None:
                docs.append(_finish(doc))
            doc_id = line.split("=", 1)[1].strip() if "=" in line else f"{name}-{len(docs) + 1}"
            doc = _Builder(doc_id, fields, newpar=True)
        elif doc is None and line.strip():
            doc = _Builder(name, fields)
        if doc is None or not line.strip():
            if doc is not None:
                _flush_sentence(doc)
            continue
        if line.startswith("#"):
            if _NEWPAR.match(line):
                doc.newpar = True
            elif line.startswith("# meta::dateCreated") and "=" in line:
                value = line.split("=", 1)[1].strip()
                doc.published = value[:10] if _DATE.match(value) else None
            continue
        _read_line(doc, line, pending, f"{name}:{number}")
    if doc is not None:
        docs.append(_finish(doc))
    return docs


def read_gum(directory: str | Path, *, limit: int | None = None) -> list[GumDoc]:
    """Read every ``*.conllu`` file of ``directory``, in sorted order.

    Args:
        directory: e.g. ``../shared/data/gum/dev``.
        limit: keep only the first ``limit`` documents.

    Raises:
        EvaluationError: (SL601) no ``.conllu`` file there; (SL603) a malformed file.
    """
    root = Path(directory)
    files = sorted(root.glob("*.conllu")) if root.is_dir() else []
    if not files:
        raise EvaluationError(f"no .conllu files in {directory} (pass e.g. ../shared/data/gum/dev)",
                              code=CORPUS_NOT_FOUND)
    docs: list[GumDoc] = []
    for path in files:
        docs.extend(parse_conllu(path.read_text(encoding="utf-8"), name=path.stem))
        if limit is not None and len(docs) >= limit:
            return docs[:limit]
    return docs
