"""Word lists the rule-based stages share: roles, kin terms, name genders, cues.

Plain data, no logic. Each list is small on purpose: resolution rests on the
article's own evidence, these only say what a word can mean.
"""

from __future__ import annotations

# Role nouns that can stand for a person already in the story ("the director").
# Value: grammatical gender the noun implies ("m", "f") or None.
ROLE_NOUNS: dict[str, str | None] = {
    # film, TV, music, publishing
    "actor": None, "actress": "f", "star": None, "co-star": None, "costar": None,
    "director": None, "filmmaker": None, "producer": None, "writer": None, "author": None,
    "novelist": None, "screenwriter": None, "showrunner": None, "creator": None,
    "singer": None, "rapper": None, "songwriter": None, "musician": None, "comedian": None,
    "host": None, "presenter": None, "model": None, "influencer": None, "artist": None,
    "designer": None, "developer": None, "composer": None, "photographer": None, "journalist": None, "reporter": None, "editor": None,
    # business, politics, public life
    "founder": None, "co-founder": None, "cofounder": None, "ceo": None, "chief": None,
    "executive": None, "chairman": "m", "chairwoman": "f", "chair": None, "boss": None,
    "entrepreneur": None, "billionaire": None, "tycoon": None, "mogul": None,
    "president": None, "senator": None, "governor": None, "mayor": None, "minister": None,
    "lawmaker": None, "congressman": "m", "congresswoman": "f", "candidate": None,
    "spokesman": "m", "spokeswoman": "f", "spokesperson": None, "lawyer": None,
    "attorney": None, "coach": None, "player": None, "striker": None, "quarterback": None,
    "athlete": None, "champion": None, "officer": None, "detective": None, "judge": None,
    "plaintiff": None, "defendant": None, "businessman": "m", "businesswoman": "f",
    "scientist": None, "professor": None, "doctor": None, "activist": None, "analyst": None,
    # kin and life roles
    "mother": "f", "father": "m", "mom": "f", "mum": "f", "dad": "m", "parent": None,
    "wife": "f", "husband": "m", "widow": "f", "widower": "m", "son": "m", "daughter": "f",
    "brother": "m", "sister": "f", "grandmother": "f", "grandfather": "m",
    "man": "m", "woman": "f", "boy": "m", "girl": "f", "king": "m", "queen": "f",
    "prince": "m", "princess": "f", "veteran": None, "star's": None,
}

# Roles whose holder makes works: "The <Title> director" names a work.
WORK_ROLES = {
    "actor", "actress", "star", "co-star", "costar", "director", "filmmaker", "producer",
    "writer", "author", "novelist", "screenwriter", "showrunner", "creator", "singer",
    "rapper", "songwriter", "musician", "comedian", "host", "presenter", "designer", "developer",
}

# Nouns that introduce a title: "their project, It Ends With Us".
WORK_NOUNS = {
    "film", "movie", "project", "book", "novel", "memoir", "series", "show", "sitcom",
    "drama", "album", "song", "single", "documentary", "play", "musical", "podcast", "game",
    "adaptation", "sequel", "franchise", "comedy", "thriller",
}

# Kin and social nouns that relate a possessor to a named person.
# "her husband, Ryan Reynolds" -> (Ryan Reynolds, spouse_of, her).
RELATION_NOUNS: dict[str, tuple[str, str | None]] = {
    "husband": ("spouse_of", "m"), "wife": ("spouse_of", "f"), "spouse": ("spouse_of", None),
    "partner": ("partner_of", None), "boyfriend": ("partner_of", "m"),
    "girlfriend": ("partner_of", "f"), "fiance": ("partner_of", "m"), "fiancé": ("partner_of", "m"),
    "fiancee": ("partner_of", "f"), "fiancée": ("partner_of", "f"),
    "ex-husband": ("former_spouse_of", "m"), "ex-wife": ("former_spouse_of", "f"),
    "friend": ("friend_of", None), "pal": ("friend_of", None), "bestie": ("friend_of", None),
    "mother": ("parent_of", "f"), "father": ("parent_of", "m"), "mom": ("parent_of", "f"),
    "dad": ("parent_of", "m"), "son": ("child_of", "m"), "daughter": ("child_of", "f"),
    "brother": ("sibling_of", "m"), "sister": ("sibling_of", "f"), "sibling": ("sibling_of", None),
    "lawyer": ("lawyer_of", None), "attorney": ("lawyer_of", None),
    "publicist": ("employed_by", None), "assistant": ("employed_by", None),
    "manager": ("employed_by", None), "agent": ("employed_by", None),
    "co-star": ("costar_of", None), "costar": ("costar_of", None),
    "colleague": ("colleague_of", None), "co-founder": ("cofounder_of", None),
    "cofounder": ("cofounder_of", None), "rival": ("rival_of", None),
}

MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}

# First names whose bearers are overwhelmingly of one gender. Names used for
# both (Blake, Taylor, Jordan, Alex, ...) are deliberately absent: for them the
# article's own pronouns and kin terms decide.
MALE_NAMES = set(
    """aaron adam adrian ahmed alan albert alexander ali andre andrew angelo anthony antonio
    arthur barack ben benjamin bernard bill billy bob bobby brad bradley brandon brian bruce
    bryan carl carlos charles chris christian christopher clint colin connor craig dan daniel
    darren dave david dennis derek diego dmitri dominic donald doug douglas dustin dwayne
    edward elon emmanuel eric ethan evan frank fred gabriel gary gavin george gerald gordon
    greg gregory harry hector henry hugh hugo ian isaac ivan jack jacob jake james jason javier
    jeff jeffrey jeremy jerry jesse jim jimmy joe joel john johnny jon jonathan jorge jose joseph
    joshua juan julian justin keith ken kenneth kevin kyle larry lee leonardo liam louis lucas
    luis luke marco marcus mark martin matt matthew max michael miguel mike mohammed muhammad
    nathan neil nicholas nick noah oliver omar oscar owen pablo patrick paul pedro peter philip
    pierre rafael ralph raymond richard rick rob robert roberto roger ron ronald roy russell ryan
    sam samuel scott sean sebastian sergei simon stephen steve steven stuart ted thomas tim
    timothy tom tommy tony travis trevor tyler victor vincent vladimir walter wayne will william
    xavier zach zachary""".split()
)
FEMALE_NAMES = set(
    """abigail ada adele alice alicia alison amanda amber amelia amy ana andrea angela angelina
    anna anne annie ariana ashley audrey barbara beatrice becky beth betty beyonce brenda
    brittany camila carla carmen caroline carol catherine charlotte chloe christina claire clara
    claudia cynthia daisy dana deborah denise diana donna dorothy elena eleanor elizabeth ella
    ellen emily emma erin eva eve fiona florence gemma gina grace hannah heather helen holly
    isabel isabella jane janet jennifer jessica jill joan joanna julia julie karen kate katherine
    kathleen katie kelly kim kimberly kristen laura lauren leah linda lisa lily lucy madison
    margaret maria marie mary megan melanie melissa mia michelle miley monica nancy natalie
    natasha nicole nina olivia pamela patricia paula rachel rebecca rihanna rita rosa rose ruth
    sandra sarah selena serena sharon sofia sophia sophie stephanie susan tanya tara teresa
    tiffany tina valerie vanessa veronica victoria wendy whitney yolanda zoe""".split()
)

# Evidential markers that qualify an attribution or a claim.
HEDGES = {
    "allegedly", "reportedly", "apparently", "purportedly", "supposedly", "seemingly",
    "ostensibly", "possibly", "probably", "likely", "rumoredly", "rumouredly",
}

# Nouns naming the channel words came through: "in the message", "in a statement".
MEDIUM_NOUNS = {
    "message", "audio", "note", "voice note", "voicemail", "text", "letter", "email", "e-mail",
    "statement", "interview", "post", "tweet", "video", "podcast", "lawsuit", "complaint",
    "filing", "suit", "memo", "speech", "recording", "call", "op-ed", "essay", "documentary",
    "press release", "release", "court documents", "documents", "deposition", "testimony",
    "affidavit", "caption", "story", "column", "book", "memoir", "broadcast", "show",
}

# Media nouns that name one recorded message: "the voice note", "the audio", "the message".
RECORDING_NOUNS = {"message", "audio", "note", "voice note", "voicemail", "recording"}

# Things that can be the "it" that says something: "The council sent a letter. It says ...".
SPEAKING_THINGS = MEDIUM_NOUNS | {
    "report", "ad", "advert", "advertisement", "study", "poll", "survey", "document", "proposal",
    "plan", "bill", "ruling", "order", "notice", "guidance", "website", "site", "page", "article",
}

# Verbs (lemmas) that attribute words to a source: "said", "explained", "was heard saying".
CUE_VERBS = set(
    """say tell add explain share admit recall write ask reply respond continue insist claim
    note state declare announce confirm deny acknowledge warn argue suggest joke quip laugh
    sigh recount remember reveal concede stress emphasize emphasise gush tease whisper shout
    scream cry tweet post caption conclude hear repeat muse complain boast vow promise predict
    allege maintain assert contend observe remark point mention told describe call refer dub
    label brand term praise thank apologize apologise urge plead beg lament exclaim yell
    report testify recall allude begin start open close end sign text message email demand wonder""".split()
)
# Verbs whose object a partial quote can be: "referring to them as "titans"", "called it "a mess"".
NAMING_VERBS = {"call", "refer", "describe", "dub", "label", "brand", "term", "nickname", "name"}

# Given names used for people of any gender (or common enough abroad) that mark
# a capitalised pair as a person's name without saying which gender.
NEUTRAL_NAMES = set(
    """alex avery blake cameron casey charlie dakota drew eden elliot emerson finley frankie
    harper jamie jess jordan jules kai kit lee logan morgan noel parker quinn reese riley
    river robin rowan sage sam sasha sidney skyler taylor toni""".split()
)
# More given names: several languages' common ones, each with its usual gender.
MALE_NAMES |= set(
    """ahmad akira alejandro andreas anton arjun bruno carlos dario diego enzo farid felipe
    gustavo hamid hans ivan jan jakub javier jonas karim kenji kofi lars leon lorenzo luca
    mateo mehmet milan nikolai olaf olu omar pavel rahul raj ravi sandro stefan sven tariq
    tomas tomasz viktor wei yusuf""".split()
)
FEMALE_NAMES |= set(
    """aisha alina amara ananya anya astrid ayla bianca carmen chiara daria elif elsa esther
    fatima freya greta hana hanna ines ingrid irene isla ivana joanna keiko lara leila lena
    liv lucia luisa malia marta maya mei mila nadia nora olga priya rosa ruth sakura sara
    silvia sofia tamara uma vera yara yasmin zara""".split()
)

# What a role's holder does: evidence that "the director" is the person who directed.
ROLE_VERBS = {
    "director": "direct", "filmmaker": "direct", "producer": "produce", "writer": "write",
    "author": "write", "novelist": "write", "screenwriter": "write", "creator": "create",
    "singer": "sing", "songwriter": "write", "designer": "design", "developer": "develop",
    "founder": "found", "co-founder": "found", "cofounder": "found", "host": "host",
    "coach": "coach", "actor": "act", "actress": "act", "star": "star", "composer": "compose",
    "lawyer": "represent", "attorney": "represent", "plaintiff": "sue", "mother": "raise",
    "father": "raise", "parent": "raise", "chief": "lead", "boss": "run", "ceo": "run",
}

# Last words that make a capitalised name an organisation.
ORG_SUFFIXES = {
    "games", "interactive", "studio", "studios", "inc", "inc.", "corp", "corp.", "corporation",
    "ltd", "ltd.", "llc", "plc", "group", "media", "records", "pictures", "entertainment",
    "works", "labs", "bank", "times", "news", "post", "gazette", "journal", "agency", "company",
    "co", "co.", "foundation", "institute", "university", "council", "committee", "party",
    "association", "network", "press", "publishing", "partners", "holdings", "capital", "ventures",
}
# Nouns that stand for an organisation the article has named ("the newspaper", "the agency").
# Value: words that, in the organisation's name, show it is one: "The Harbour Gazette" is a
# newspaper, the "Commission on Presidential Debates" a commission.
_NEWSPAPER_WORDS = frozenset({
    "newspaper", "paper", "times", "post", "journal", "gazette", "tribune", "herald", "globe",
    "chronicle", "inquirer", "enquirer", "examiner", "observer", "telegraph", "guardian", "courier",
    "dispatch", "register", "sentinel", "daily",
})
_GROUP_WORDS = frozenset({
    "group", "association", "coalition", "alliance", "caucus", "center", "centre", "institute",
    "foundation", "council", "forum", "league", "federation", "union", "organization",
    "organisation", "society", "network", "project",
})
ORG_NOUNS: dict[str, frozenset[str]] = {
    "newspaper": _NEWSPAPER_WORDS, "paper": _NEWSPAPER_WORDS,
    "network": frozenset({"network", "news", "television", "tv"}),
    "agency": frozenset({"agency", "administration", "bureau"}), "bureau": frozenset({"bureau"}),
    "commission": frozenset({"commission"}), "committee": frozenset({"committee"}),
    "department": frozenset({"department"}), "ministry": frozenset({"ministry"}),
    "company": frozenset({"company", "co", "co.", "corp", "corp.", "corporation", "inc", "inc.", "llc", "ltd", "ltd.", "plc", "holdings"}),
    "firm": frozenset({"firm", "partners", "llp", "company", "group", "holdings"}),
    "group": _GROUP_WORDS, "organization": _GROUP_WORDS, "organisation": _GROUP_WORDS,
    "union": frozenset({"union", "workers", "federation", "teamsters", "afl-cio", "association"}),
    "fund": frozenset({"fund"}), "bank": frozenset({"bank"}), "court": frozenset({"court"}),
    "council": frozenset({"council"}), "board": frozenset({"board"}), "party": frozenset({"party"}),
    "foundation": frozenset({"foundation"}), "institute": frozenset({"institute"}),
    "coalition": frozenset({"coalition"}), "association": frozenset({"association"}),
    "university": frozenset({"university", "college"}), "campaign": frozenset({"campaign"}),
    "caucus": frozenset({"caucus"}), "studio": frozenset({"studio", "studios", "pictures"}),
    "publisher": frozenset({"publishing", "press", "books"}),
}
# Modifiers that make an organisation noun a new one: "another group", "the rival network".
NEW_ORG_MODIFIERS = {"other", "another", "new", "rival", "different", "second", "third", "parent", "sister", "subsidiary"}
# Verbs that report the clause their as-clause hangs on: "..., as Quist noted", "as the Gazette reported".
AS_CLAUSE_VERBS = frozenset(
    """say note write report point observe explain argue tell describe acknowledge admit claim insist
    warn recall concede state predict remark testify reveal announce confirm suggest""".split()
)
# Nouns for people who speak for someone else: "a spokesperson for Ironbridge".
SPOKESPERSON_NOUNS = {"spokesperson", "spokesman", "spokeswoman", "representative", "rep", "lawyer", "attorney", "counsel"}
# Nouns for unnamed human sources: they can be the source of a quote without being an entity.
HUMAN_NOUNS = {
    "official", "officials", "source", "sources", "aide", "aides", "insider", "insiders",
    "people", "critics", "analysts", "experts", "fans", "staff", "employees", "witnesses",
    "residents", "members", "colleagues", "friends", "friend", "family", "team", "crew",
    "police", "prosecutors", "investigators", "doctors", "scientists", "researchers",
}

# Words before a name that are titles, not given names: "Officer Tusk", "Senator Hale".
HONORIFICS = set(
    """mr mrs ms miss mx dr prof sir dame lord lady officer sergeant sgt captain capt general
    gen colonel col lieutenant lt president senator sen rep representative governor gov mayor
    judge justice minister chancellor king queen prince princess pope father sister brother
    coach director detective agent inspector chief dean rabbi imam reverend rev saint st
    councillor councilor councilman councilwoman congressman congresswoman assemblyman
    assemblywoman commissioner ambassador sheriff superintendent supt del delegate""".split()
)
# Nouns a team's or a club's name modifies: "the Chelsea team", "Arsenal fans" (the name is no person's).
TEAM_NOUNS = frozenset({"team", "club", "side", "squad", "fans", "supporters", "players", "manager", "coach", "stadium", "fc"})
# Roles that introduce someone new rather than point back: "the company spokesman said".
NEW_REFERENT_ROLES = {"spokesman", "spokeswoman", "spokesperson", "representative", "rep"}
# Relations that hold both ways: "his sister" finds (X sibling_of him) as well as (him sibling_of X).
SYMMETRIC_RELATIONS = {"spouse_of", "partner_of", "former_spouse_of", "friend_of", "sibling_of", "colleague_of", "costar_of", "cofounder_of", "rival_of"}

# Reportable actions (lemma -> coarse type). Speech verbs that are quote cues
# ("say", "tell") are not events here: they become quotes.
EVENT_VERBS: dict[str, str] = {
    **dict.fromkeys(
        "sue countersue file settle dismiss rule charge arrest indict convict sentence acquit "
        "appeal testify subpoena prosecute investigate plead jail fine ban".split(), "legal"),
    **dict.fromkeys("send publish post tweet announce release leak email text apologize apologise".split(), "communication"),
    **dict.fromkeys("meet invite visit attend host interview".split(), "meeting"),
    **dict.fromkeys(
        "hire fire resign sign launch acquire buy sell merge found close open cut delay fund "
        "freeze restore withdraw drop quit lay invest raise pay loan award win lose".split(), "business"),
    **dict.fromkeys("die marry divorce kill injure wed bear adopt".split(), "life"),
    **dict.fromkeys("premiere film shoot record direct produce write star cast".split(), "release"),
}
# Nouns that name an event: "the countersuit", "a smear campaign".
EVENT_NOUNS: dict[str, str] = {
    **dict.fromkeys("lawsuit suit countersuit complaint settlement arrest trial ruling verdict charge indictment appeal "
                    "investigation allegation".split(), "legal"),
    **dict.fromkeys("campaign attack".split(), "conflict"),
    **dict.fromkeys("resignation acquisition merger deal launch takeover layoffs bankruptcy".split(), "business"),
    **dict.fromkeys("meeting interview visit summit".split(), "meeting"),
    **dict.fromkeys("death wedding marriage divorce funeral".split(), "life"),
    **dict.fromkeys("release premiere".split(), "release"),
}
# Verbs whose complement is someone's claim, not the outlet's assertion.
CLAIM_VERBS = {
    "claim", "allege", "say", "tell", "argue", "insist", "accuse", "contend", "assert", "maintain",
    "believe", "think", "suggest", "report", "deny", "testify", "write", "state", "charge", "suspect",
}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should", "must"}
