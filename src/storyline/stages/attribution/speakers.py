"""Speakers through the resolution: every quote's speaker is an entity of the article, and ``speaker_via`` says how.

The quote rules find a source phrase ("Vitter", "she", "the company", "a
friend") and look its head up in the entity resolution (``Entities.by_token``).
``resolve_speakers`` then goes over the quotes once, in text order:

- a speaker found through its cue gets the kind of mention its source is:
  ``cue: name``, ``cue: pronoun → e2``, ``cue: epithet``, ``cue: organisation noun``;
- a source the resolution left without an entity is resolved by these rules,
  first match wins, each a function below:

  1. a relative pronoun speaks for its antecedent ("the department, which reported");
  2. "it"/"they" for the organisation named last in its sentence or the one before;
  3. an organisation noun ("police", "the company", "the union") for the one
     organisation of the article that is one (its name says so);
  4. a role ("the mayor", "the congressman") for the one person the article
     gives that role (in a title or a description);
  5. a document ("the statement", "the suit", "that report") for whoever the
     article says issued or filed it;
  6. a description of people ("a friend", "one questioner", "demonstrators")
     becomes an unnamed entity of its own (attribute ``named: false``), one
     per description, so that its quotes have a speaker that can be counted;

- a quote that continues another with no speaker of its own takes the speaker
  the one it continues was given here.

Every source so resolved becomes a mention of its entity (kind ``pronoun``,
``epithet`` or ``nominal``, with ``via``). Spans are half-open character
offsets into the article text.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from storyline.model import Entity, Mention, Quote, Span
from storyline.stages.attribution.context import AGENT_TYPES
from storyline.stages.attribution.cues import RELATIVE_PRONOUNS, antecedent
from storyline.stages.shared.clauses import SUBJECTS
from storyline.stages.shared.lexicon import HUMAN_NOUNS, ORG_NOUNS, ROLE_NOUNS, SPOKESPERSON_NOUNS
from storyline.stages.shared.resolved import Entities

if TYPE_CHECKING:
    from spacy.tokens import Token

    from storyline.stages.attribution.context import QuoteContext

#: Organisation nouns besides the lexicon's, with the words an organisation's name must have to be one.
EXTRA_ORG_NOUNS: dict[str, frozenset[str]] = {
    "police": frozenset({"police", "sheriff", "constabulary"}),
    "administration": frozenset({"administration"}),
    "government": frozenset({"government"}),
    "team": frozenset({"team", "club"}),
}
#: Documents that speak for whoever issued them ("the statement said", "That suit claims").
DOCUMENT_NOUNS = frozenset(
    """statement report suit lawsuit complaint filing letter memo ruling order decision ad advert advertisement
    release study survey poll post tweet email book video petition indictment motion brief""".split()
)
#: Verbs by which someone issues a document: "X filed a suit", "the council issued a statement".
ISSUING_VERBS = frozenset(
    """issue file bring release publish send write sign post tweet run air produce launch submit
    put make draft present""".split()
)
#: Nouns of people who speak without a name, besides the lexicon's roles and human nouns.
PEOPLE_NOUNS = frozenset(
    """questioner reader narrator announcer voice demonstrator demonstrators protester protesters voter
    voters resident neighbour neighbor bystander witness student students worker workers parent parents
    teacher teachers supporter supporters opponent opponents leader leaders lawmakers officer officers
    spokesman spokeswoman spokesperson person man woman someone somebody caller user users viewer viewers
    commentator commentators critic observer observers participant participants member delegate delegates
    insider expert economist strategist pollster historian""".split()
)
_PRONOUN_IT = frozenset({"it", "they"})
_GENDERED = {"he": "male", "she": "female"}
#: Speech verbs that go on with the words of the speaker before: "he added", "she continued".
CONTINUING_CUES = frozenset({"add", "continue"})
#: Nouns of a quantity or group, which name people when they are "of" people: "groups of protesters".
QUANTITY_NOUNS = frozenset(
    """group percent majority minority half third crowd dozen hundred thousand number share most many some""".split()
)
#: spaCy entity types that are no speaker's name ("Thursday said" is a misparse).
_NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
#: Titles that stand before a name and are no name themselves ("Rev.", "General").
TITLE_WORDS = frozenset(
    """rev reverend gen general judge justice sen senator rep representative gov governor lt sgt capt col dr mr mrs
    ms prof president coalition""".split()
)
#: spaCy entity types a missed name may keep.
_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: How many sentences back "it" may find its organisation.
_IT_WINDOW = 1


@dataclass
class _Additions:
    """What resolving the speakers adds to the entity resolution: mentions per entity, new entities."""

    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    new: list[Entity] = field(default_factory=list)
    by_token: dict[int, str] = field(default_factory=dict)
    unnamed: dict[str, str] = field(default_factory=dict)  # folded description -> its entity id
    moved: set[tuple[int, int]] = field(default_factory=set)  # pronoun mentions given to another entity


def resolve_speakers(ctx: QuoteContext, quotes: list[Quote]) -> tuple[list[Quote], Entities]:
    """Resolve every quote's speaker through the entity resolution, and say how in ``speaker_via``.

    Args:
        ctx: the lookups of the article (its ``found`` entities among them).
        quotes: the attributed quotes, in text order.

    Returns:
        ``(quotes, entities)``: the quotes with speakers and ``speaker_via``
        filled in where the rules above find one, and the article's entities
        with the resolved sources added as mentions (and the unnamed entities
        made for descriptions). Offsets are half-open character offsets into
        the article text.
    """
    add = _Additions()
    out: list[Quote] = []
    by_id: dict[str, Quote] = {}
    for q in quotes:
        if q.speaker is not None:
            q = _pronoun_speaker(ctx, replace(q, speaker_via=_how(ctx, q)), out, add)
        elif q.source_span is not None:
            q = _resolve_source(ctx, q, add)
        if q.speaker is None and q.continues and q.continues in by_id:
            before = by_id[q.continues]
            if before.speaker is not None:
                q = replace(q, speaker=before.speaker, speaker_via="continues the previous quote")
        if q.id:
            by_id[q.id] = q
        out.append(q)
    return out, with_mentions(ctx.found, add.mentions, add.new, add.by_token, add.moved)


def with_mentions(
    found: Entities,
    mentions: dict[str, list[Mention]],
    new: list[Entity],
    by_token: dict[int, str],
    moved: AbstractSet[tuple[int, int]] = frozenset(),
) -> Entities:
    """Rebuild the entities with more mentions (each entity's in text order) and new entities at the end.

    Args:
        found: the entity resolution as it stands.
        mentions: entity id -> the mentions to add (half-open character offsets).
        new: entities to add, with their mentions.
        by_token: token index -> entity id, for the tokens of the added mentions.
        moved: ``(start, end)`` of mentions taken from the entity they had
            (given to another one in ``mentions``).
    """
    if not mentions and not new and not moved:
        return found
    entities = []
    for ent in (*found.entities, *new):
        if moved and any((m.start, m.end) in moved for m in ent.mentions):
            ent = replace(ent, mentions=tuple(m for m in ent.mentions if (m.start, m.end) not in moved))
        extra = mentions.get(ent.id)
        if extra:
            have = {(m.start, m.end) for m in ent.mentions}
            fresh = [m for m in extra if (m.start, m.end) not in have]
            ent = replace(ent, mentions=tuple(sorted((*ent.mentions, *fresh), key=lambda m: (m.start, m.end))))
        entities.append(ent)
    return Entities(
        entities=tuple(entities),
        relations=found.relations,
        issues=found.issues,
        by_token={**found.by_token, **by_token},
        table=found.table,
    )


def _how(ctx: QuoteContext, q: Quote) -> str | None:
    """``speaker_via`` of a quote whose speaker is known: a cue's reading gets the kind of its source mention."""
    via = q.speaker_via
    if via != "cue" or q.source_span is None:
        return via
    ent = ctx.found.entity(q.speaker)
    span = q.source_span
    kinds = [m for m in ent.mentions if m.start < span.end and span.start < m.end] if ent is not None else []
    if not kinds:
        head = _head(ctx, span)
        if head is not None and head.lower_ in RELATIVE_PRONOUNS | {"what"}:
            return f"cue: relative pronoun → {q.speaker}"
        return f"cue: a phrase holding a mention of {q.speaker}"
    m = min(kinds, key=lambda m: (m.kind != "name", m.kind != "alias", m.start))
    if m.kind in ("name", "alias"):
        return "cue: name"
    if m.kind == "pronoun":
        return f"cue: pronoun → {q.speaker}"
    if m.via and m.via.startswith("organisation noun"):
        return "cue: organisation noun"
    return f"cue: {m.kind}"


def _pronoun_speaker(ctx: QuoteContext, q: Quote, before: list[Quote], add: _Additions) -> Quote:
    """A "he"/"she" source checked against what speech tells: "he added" goes on with the previous speaker,
    "she said" after narration about a woman is hers.

    '"...," Walsh said. "...," he added.' is Walsh's, whoever else is a man;
    'Ruiz was less certain. "...," she said.' is Ruiz's (words in quote marks,
    the resolver's pick not named in the paragraph). Only a speaker of the
    pronoun's gender, in the quote's paragraph (the previous speaker: in it or
    the one before), named there (not itself a pronoun) as the main subject
    of a sentence before the pronoun's; the pronoun's mention moves to that
    speaker.
    """
    if q.source_span is None or q.cue is None:
        return q
    head = _head(ctx, q.source_span)
    if head is None or head.lower_ not in _GENDERED:
        return q
    gender = _GENDERED[head.lower_]
    cue = ctx.tokens(q.cue.start, q.cue.end)
    para_start, _ = ctx.paragraph(min(q.content.start, head.idx))
    pick, why = None, ""
    if cue and cue[-1].lemma_.lower() in CONTINUING_CUES:
        floor = ctx.paragraph(max(para_start - 2, 0))[0]
        prev = next((p for p in reversed(before) if p.speaker is not None and p.content.end > floor), None)
        if prev is not None and prev.speaker is not None and _gender(ctx, prev.speaker) == gender:
            pick, why = prev.speaker, f"pronoun → {prev.speaker}: '{head.text} {cue[-1].text}' goes on with the previous speaker"
    elif q.kind != "indirect" and not _named_in(ctx, q.speaker, para_start, head.idx):
        for t in ctx.tokens(para_start, min(q.content.start, head.idx)):
            if t.sent.start == head.sent.start or t.dep_ not in SUBJECTS or t.head.dep_ != "ROOT":
                continue  # only the main subject of a sentence before: the pronoun's own sentence is the resolver's
            eid = ctx.found.by_token.get(t.i)
            m = ctx.mention_of.get(t.i)
            if eid and m is not None and m.kind != "pronoun" and _gender(ctx, eid) == gender:
                pick, why = eid, f"pronoun → {eid}: the {gender} subject of the narration before the quote"
    if pick is None or pick == q.speaker:
        return q
    span = (head.idx, head.idx + len(head.text))
    add.moved.add(span)
    add.mentions.setdefault(pick, []).append(Mention(*span, head.text, "pronoun", why))
    add.by_token[head.i] = pick
    return replace(q, speaker=pick, speaker_via=why)


def _named_in(ctx: QuoteContext, eid: str | None, start: int, end: int) -> bool:
    """Whether the entity is named (not only a pronoun) in ``[start, end)``."""
    ent = ctx.found.entity(eid)
    return ent is not None and any(start <= m.start < end and m.kind != "pronoun" for m in ent.mentions)


def _gender(ctx: QuoteContext, eid: str) -> str | None:
    ent = ctx.found.entity(eid)
    gender = ent.attributes.get("gender") if ent is not None and ent.type == "PERSON" else None
    return gender if isinstance(gender, str) else None


def _head(ctx: QuoteContext, span: Span) -> Token | None:
    """The head token of a source phrase: the one whose head lies outside it."""
    toks = ctx.tokens(span.start, span.end)
    inside = {t.i for t in toks}
    heads = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
    return heads[0] if heads else None


def _resolve_source(ctx: QuoteContext, q: Quote, add: _Additions) -> Quote:
    """Resolve a source phrase without an entity by the rules of the module docstring, first match wins."""
    assert q.source_span is not None
    head = _head(ctx, q.source_span)
    if head is None:
        return q
    tok, eid, via = head, add.by_token.get(head.i) or ctx.found.by_token.get(head.i), None
    if eid is not None:
        return replace(q, speaker=eid, speaker_via="cue: " + ("name" if head.pos_ == "PROPN" else "the same words before"))
    if head.lower_ in RELATIVE_PRONOUNS:
        ante = antecedent(head) or _noun_before(head)
        if ante is None:
            return q
        tok = ante
        eid = add.by_token.get(ante.i) or ctx.found.by_token.get(ante.i)
        if eid is not None:
            return _resolved(ctx, q, add, head, eid, "pronoun", f"relative pronoun → {eid}")
    for rule in (_it_or_they, _organisation_noun, _role_holder, _document_issuer):
        found = rule(ctx, tok, add)
        if found is not None:
            eid, kind, via = found
            return _resolved(ctx, q, add, head, eid, kind if tok is head else "pronoun", via)
    unnamed = _unnamed(ctx, tok, add)
    if unnamed is not None:
        eid, via = unnamed
        return replace(q, speaker=eid, speaker_via=via)
    return q


def _noun_before(tok: Token) -> Token | None:
    """The noun right before a relative pronoun the parse did not tie to it: "the Department which reported"."""
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.text == "," and prev.i > 0:
        prev = tok.doc[prev.i - 1]
    return prev if prev is not None and prev.pos_ in ("NOUN", "PROPN") else None


def _resolved(ctx: QuoteContext, q: Quote, add: _Additions, tok: Token, eid: str, kind: str, via: str) -> Quote:
    """Give the quote its speaker, and the speaker a mention at the source's head (its compact phrase)."""
    left = min([c.i for c in tok.lefts if c.dep_ in ("det", "amod", "compound", "poss", "nummod")] + [tok.i])
    start, end = ctx.doc[left].idx, tok.idx + len(tok.text)
    add.mentions.setdefault(eid, []).append(Mention(start, end, ctx.text[start:end], kind, via))
    for i in range(left, tok.i + 1):
        add.by_token[i] = eid
    return replace(q, speaker=eid, speaker_via=via)


def _is(ctx: QuoteContext, eid: str | None, types: frozenset[str]) -> bool:
    ent = ctx.found.entity(eid)
    return ent is not None and ent.type in types


_ORGS = frozenset({"ORG", "NORP", "GPE"})


def _it_or_they(ctx: QuoteContext, tok: Token, add: _Additions) -> tuple[str, str, str] | None:
    """"it"/"they" as a source: the organisation (or document) that is the subject of its sentence or the one before.

    '"...," the article read. "...," it added.': the article. Nothing when a
    person or another document is named between.
    """
    if tok.lower_ not in _PRONOUN_IT or tok.dep_ not in SUBJECTS:
        return None
    doc = tok.doc
    sent = tok.sent
    start = sent.start
    for _ in range(_IT_WINDOW):
        if start > 0:
            start = doc[start - 1].sent.start
    for i in range(tok.i - 1, start - 1, -1):
        eid = add.by_token.get(i) or ctx.found.by_token.get(i)
        if eid is not None and doc[i].dep_ in SUBJECTS and any(e.id == eid and e.type == "OTHER" for e in add.new):
            return eid, "pronoun", f"pronoun → {eid}: the document the sentence before '{tok.text}' quotes"
        if doc[i].lemma_.lower() in DOCUMENT_NOUNS:
            return None  # "obtained a letter ... It says": the letter speaks
        if eid is None and _unnamed_body(doc[i], tok):
            # "Donald Trump's campaign is defending ... It's denouncing what it calls": an organisation no name gives
            eid = _new_unnamed(ctx, doc[i], "ORG", add)[0]
            return eid, "pronoun", f"pronoun → {eid}: the {doc[i].lower_} the sentence before '{tok.text}' is about"
        if eid is None:
            continue
        if _is(ctx, eid, _ORGS) and doc[i].dep_ in SUBJECTS:
            return eid, "pronoun", f"pronoun → {eid}: the organisation the sentence before '{tok.text}' is about"
        if _is(ctx, eid, frozenset({"PERSON"})) and tok.lower_ == "they":
            return None  # a person named between: "they" may be them
    return None


def _unnamed_body(noun: Token, pronoun: Token) -> bool:
    """A subject that is an organisation no name gives: "Donald Trump's campaign", "the committee" (singular for "it")."""
    if noun.dep_ not in SUBJECTS or noun.pos_ != "NOUN" or not _org_marks(noun.lemma_.lower()):
        return False
    if pronoun.lower_ == "it" and noun.tag_ != "NN":
        return False
    return any(c.dep_ == "poss" or c.dep_ == "det" and c.lower_ == "the" for c in noun.lefts)


def _org_marks(noun: str) -> frozenset[str] | None:
    return EXTRA_ORG_NOUNS.get(noun) or ORG_NOUNS.get(noun)


def _organisation_noun(ctx: QuoteContext, tok: Token, add: _Additions) -> tuple[str, str, str] | None:
    """"police", "the company", "the union": the one organisation of the article whose name says it is one."""
    noun = tok.lower_
    marks = _org_marks(noun) or _org_marks(tok.lemma_.lower())
    if marks is None or tok.pos_ not in ("NOUN", "PROPN"):
        return None
    if any(c.dep_ == "det" and c.lower_ in ("a", "an", "another", "some") for c in tok.lefts):
        return None  # "a company": some other one
    fits = [
        e for e in ctx.found.entities
        if e.type in _ORGS and {w.lower().strip(".,") for n in (e.name, *e.aliases) for w in n.split()} & marks
    ]
    named_before = [e for e in fits if any(m.start < tok.idx for m in e.mentions)]
    if len(named_before) != 1:
        return None
    last = max(m.end for m in named_before[0].mentions if m.start < tok.idx)
    if any(t.lemma_.lower() == tok.lemma_.lower() and _indefinite(t) for t in ctx.tokens(last, tok.idx)):
        return None  # "A group of fishermen protested. The group said": the noun was used for something else
    eid = named_before[0].id
    return eid, "nominal", f"organisation noun: '{named_before[0].name}' is the one {noun} named"


def _indefinite(tok: Token) -> bool:
    """Whether a noun is some other one: "a group", "another union", "other companies"."""
    return any(c.dep_ in ("det", "amod") and c.lower_ in ("a", "an", "another", "other", "one", "some") for c in tok.lefts)


def _role_holder(ctx: QuoteContext, tok: Token, add: _Additions) -> tuple[str, str, str] | None:
    """"the mayor", "the congressman": the one person named before whom the article gives that role."""
    role = tok.lower_
    if role not in ROLE_NOUNS or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.lefts):
        return None
    holders = []
    for e in ctx.found.entities:
        if e.type != "PERSON" or not any(m.start < tok.idx for m in e.mentions):
            continue
        descriptions = [d for d in e.attributes.get("descriptions") or [] if isinstance(d, str)]
        titled = [ctx.text[max(0, m.start - 40) : m.start].lower().split()[-1:] for m in e.mentions if m.kind == "name"]
        words = {w.strip(".,").lower() for d in (*descriptions, *e.aliases, e.name) for w in d.split()}
        words |= {w.strip(".,") for t in titled for w in t}
        if role in words:
            holders.append(e)
    if len(holders) != 1:
        return None
    return holders[0].id, "epithet", f"role: {holders[0].name} is the one person called {role}"


def _document_issuer(ctx: QuoteContext, tok: Token, add: _Additions) -> tuple[str, str, str] | None:
    """"the statement", "That suit": its possessor or compound ("Clinton's ad"), else whoever the article says issued it."""
    noun = tok.lemma_.lower()
    if noun not in DOCUMENT_NOUNS:
        return None
    for c in tok.lefts:
        if c.dep_ in ("poss", "compound"):
            eid = ctx.found.by_token.get(c.i)
            if eid is not None and _is(ctx, eid, AGENT_TYPES):
                return eid, "nominal", f"document: the {noun} of {ctx.found.entity(eid).name}"  # type: ignore[union-attr]
    for prev in reversed(tok.doc[: tok.i]):
        if prev.lemma_.lower() != noun or prev.dep_ not in ("dobj", "nsubjpass"):
            continue
        verb = prev.head
        if verb.lemma_.lower() not in ISSUING_VERBS:
            continue
        subj = next((c for c in verb.children if c.dep_ in ("nsubj",)), None)
        agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        who = subj if prev.dep_ == "dobj" else agent
        eid = ctx.found.by_token.get(who.i) if who is not None else None
        if eid is not None and _is(ctx, eid, AGENT_TYPES):
            return eid, "nominal", f"document: {ctx.found.entity(eid).name} {verb.text} the {noun}"  # type: ignore[union-attr]
        return None
    return None


def _is_people(tok: Token) -> bool:
    """Whether a noun names people: "a friend", "demonstrators", "the announcer"."""
    low, lemma = tok.lower_, tok.lemma_.lower()
    return tok.pos_ == "NOUN" and (
        low in PEOPLE_NOUNS or lemma in PEOPLE_NOUNS or low in HUMAN_NOUNS or lemma in ROLE_NOUNS or low in SPOKESPERSON_NOUNS
    )


def _people_of(tok: Token) -> bool:
    """A quantity or group of people: "small groups of protesters", "52 percent of registered voters"."""
    if tok.lemma_.lower() not in QUANTITY_NOUNS:
        return False
    return any(p.dep_ == "prep" and p.lower_ == "of" and any(o.dep_ == "pobj" and _is_people(o) for o in p.children)
               for p in tok.rights)


def _unnamed(ctx: QuoteContext, tok: Token, add: _Additions) -> tuple[str, str] | None:
    """A description of people (or a document) as the source: an unnamed entity of its own, one per description.

    A proper noun no entity has is a name the entity stage missed: it becomes
    a named entity of the type spaCy gave it (a person when none).
    """
    if tok.pos_ == "PROPN" and tok.text[:1].isupper():
        return _missed_name(ctx, tok, add)
    people = _is_people(tok) or _people_of(tok)
    if not people and tok.lemma_.lower() not in DOCUMENT_NOUNS:
        return None
    return _new_unnamed(ctx, tok, "PERSON" if people else "OTHER", add)


def _new_unnamed(ctx: QuoteContext, tok: Token, etype: str, add: _Additions) -> tuple[str, str]:
    """The unnamed entity of the phrase headed by ``tok`` (one per description): ``(id, speaker_via)``."""
    left = min([c.i for c in tok.lefts] + [tok.i])
    right = max([c.i for c in tok.rights if c.dep_ in ("prep", "amod", "compound") and c.i - tok.i <= 6] + [tok.i])
    phrase = tok.doc[left : (tok.doc[right].right_edge.i if right > tok.i else tok.i) + 1]
    start, end = phrase.start_char, phrase.end_char
    words = ctx.text[start:end]
    key = " ".join(w for w in words.lower().split() if w not in ("a", "an", "the", "one", "some"))
    eid = add.unnamed.get(key)
    via = "unnamed: a description that names no one the article names"
    mention = Mention(start, end, words, "nominal", via)
    if eid is None:
        eid = f"e{last_number(ctx.found.entities) + len(add.new) + 1}"
        add.unnamed[key] = eid
        add.new.append(Entity(eid, words, etype, (mention,), (), {"descriptions": [key]}, named=False))
    elif not any(m.start == start for m in add.mentions.get(eid, [])):
        add.mentions.setdefault(eid, []).append(mention)
    for i in range(phrase.start, phrase.end):
        add.by_token[i] = eid
    return eid, f"description: unnamed {eid}"


def last_number(entities: tuple[Entity, ...]) -> int:
    """Return the highest number of an ``e<n>`` id among the entities (0 when none)."""
    return max((int(e.id[1:]) for e in entities if e.id[:1] == "e" and e.id[1:].isdigit()), default=0)


def _missed_name(ctx: QuoteContext, tok: Token, add: _Additions) -> tuple[str, str] | None:
    """A proper-noun source no entity has: the one person of that surname, else a named entity of its own."""
    word = tok.text.strip(".")
    same = [e for e in ctx.found.entities if e.type == "PERSON" and e.name.split()[-1:] == [word]]
    if len(same) == 1:
        eid = same[0].id
        via = f"name: the one person of the article called {word}"
        add.mentions.setdefault(eid, []).append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, "alias", via))
        add.by_token[tok.i] = eid
        return eid, via
    low = word.lower()
    after = list(_name_after(tok))
    if low in TITLE_WORDS and after:
        tok, word, low = after[-1], after[-1].text, after[-1].lower_  # "the Rev. Peter Wherry": the name after the title
    parts = [c for c in tok.lefts if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
    if after and tok is after[-1]:
        parts = [t for t in after[:-1]]
    if (
        len(word) < 3
        or tok.ent_type_ in _NOT_NAMES
        or low in ROLE_NOUNS or low in ORG_NOUNS or low in PEOPLE_NOUNS or low in HUMAN_NOUNS or low in TITLE_WORDS
        or not parts and tok.is_sent_start and not tok.ent_type_  # "Bankruptcy filings show": a capital, not a name
    ):
        return None
    start = min([c.idx for c in parts] + [tok.idx])
    end = tok.idx + len(tok.text)
    name = ctx.text[start:end]
    known = add.unnamed.get(name.lower())
    via = "name: a source the entity stage did not take for a name"
    mention = Mention(start, end, name, "name", via)
    if known is not None:
        eid = known
        add.mentions.setdefault(eid, []).append(mention)
    else:
        eid = f"e{last_number(ctx.found.entities) + len(add.new) + 1}"
        add.unnamed[name.lower()] = eid
        etype = tok.ent_type_ if tok.ent_type_ in _NAME_TYPES else "ORG" if word.isupper() else "PERSON"
        add.new.append(Entity(eid, name, etype, (mention,), (), {}))
    for c in [*parts, tok]:
        add.by_token[c.i] = eid
    return eid, f"name: {eid}"


def _name_after(tok: Token) -> list[Token]:
    """The capitalised proper nouns right after a token: "Rev. [Peter Wherry]"."""
    out = []
    for t in tok.doc[tok.i + 1 : tok.i + 5]:
        if t.pos_ != "PROPN" or not t.text[:1].isupper():
            break
        out.append(t)
    return out
