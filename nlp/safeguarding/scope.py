"""Whether a matched phrase is negated, hypothetical, or about nobody in particular.

These read the dependency parse: "I'm not scared" has a `neg` child on the verb that governs
the match; "if someone threatened me" puts the match in a clause marked by "if".
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

NEGATORS = frozenset({"not", "n't", "nt", "never", "no", "neither", "nor", "cannot", "dont"})
NOBODY = frozenset({"nobody", "noone", "nothing", "none", "neither", "no-one"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "incase"})
# "I don't think he would hurt me" negates the thought and with it what was thought.
BELIEF_VERBS = frozenset({"think", "believe", "reckon", "suppose", "expect", "feel", "imagine"})
# A match that is an object ("a knife") is negated through the verb it hangs from.
OBJECT_DEPS = frozenset({"dobj", "pobj", "prep", "attr", "amod", "compound", "det", "poss"})

# "we" is left out: "we need more youth clubs" is the voice of policy, not of a person at risk.
FIRST_PERSON = frozenset(
    {
        "i",
        "me",
        "my",
        "myself",
        "mine",
        "us",
        "our",
        "ourselves",
        "im",
        "i'm",
        "ive",
        "i've",
        "id",
        "i'd",
        "ill",
        "i'll",
        "meself",
        "mi",
    }
)
# Short answers are judged whole: the parser's sentence breaks are unreliable on them.
SHORT_TEXT_TOKENS = 40
# A sentence with no subject ("feel suicidal", "been cutting again") speaks for the writer,
# unless it is an instruction ("Stop cutting youth services").
PAST_OR_PRESENT_TAGS = frozenset({"VBD", "VBG", "VBN", "VBP", "VBZ", "JJ"})
SELF_VERBS = frozenset({"feel", "want", "wish", "hate", "wan", "wanna", "think"})
# Someone in particular, not people in general: "a kid in year 10", "this lad called Kai".
SPECIFIC_PERSON = re.compile(
    r"\b(a|this|that|one|some|these) (\w+ )?(kid|lad|boy|girl|man|woman|guy|bloke|teenager|"
    r"lads|boys|girls|men|guys)s? (in|at|from|on|who|called|named|near|off)\b",
    re.IGNORECASE,
)
NEWS_WORDS = frozenset(
    {
        "news",
        "newspaper",
        "paper",
        "telegraph",
        "bbc",
        "itv",
        "headlines",
        "film",
        "documentary",
        "article",
        "reported",
        "read",
    }
)
# Nouns for people: "this lad is killing me" is not a figure of speech.
PERSON_NOUNS = frozenset(
    {"lad", "man", "boy", "girl", "guy", "bloke", "woman", "kid", "person", "someone", "gang"}
    | {"husband", "wife", "partner", "boyfriend", "girlfriend", "dad", "mum", "brother", "ex"}
)
# "died by suicide", "lost my uncle to suicide", "bereaved through suicide".
BEREAVEMENT_LEMMAS = frozenset({"die", "lose", "bereave", "bereaved", "death", "lost", "died"})
# "won't stop hitting me" says the hitting goes on.
DOUBLE_NEGATIVE_VERBS = frozenset({"stop", "quit", "leave"})
PLACE_WORDS = frozenset(
    {
        "street",
        "road",
        "close",
        "lane",
        "avenue",
        "drive",
        "way",
        "crescent",
        "estate",
        "park",
        "flat",
        "flats",
        "house",
        "garage",
        "garages",
        "shop",
        "pub",
        "station",
        "number",
        "corner",
        "van",
        "car",
        "gate",
        "canal",
        "rec",
        "alley",
        "takeaway",
        "bookies",
        "church",
        "depot",
        "toilets",
        "hedges",
        "bushes",
        "bin",
        "lock",
        "loft",
        "skate",
        "playground",
        "school",
    }
)


def _governor(span: Span) -> Token:
    """The token that owns the match: the span's root, lifted from an object to its verb."""
    token = span.root
    for _ in range(3):
        if token.dep_ not in OBJECT_DEPS or token.head is token:
            break
        token = token.head
    return token


def _is_negated_token(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "neg" or child.lower_ in NEGATORS and child.dep_ in {"advmod", "det"}:
            return True
        if child.dep_ in {"nsubj", "nsubjpass"}:
            if child.lower_ in NOBODY:
                return True
            if child.lower_ in {"one", "body"} and any(g.lower_ == "no" for g in child.children):
                return True
    return False


def is_negated(span: Span) -> bool:
    """True when the clause that owns the match is negated ("not", "never", "nobody")."""
    token: Token | None = _governor(span)
    for inside in span:
        if inside.dep_ == "neg" or inside.lower_ in NOBODY:
            return True
        # "never self harmed": the parser may hang the negation on any word of the match.
        if any(c.dep_ == "neg" for c in inside.children):
            return True
    seen = 0
    while token is not None and seen < 6:
        if _is_negated_token(token):
            return token.lemma_.lower() not in DOUBLE_NEGATIVE_VERBS
        head = token.head
        if head is token:
            break
        within_clause = token.dep_ in {"xcomp", "acomp", "aux", "auxpass", "prep", "pobj", "dobj"}
        believed = token.dep_ == "ccomp" and head.lemma_.lower() in BELIEF_VERBS
        if within_clause or token.dep_ == "attr" or believed:
            token = head
        else:
            break
        seen += 1
    return False


def is_modifier(span: Span) -> bool:
    """True when the match only names a kind of thing ("a domestic abuse charity")."""
    root = span.root
    return root.dep_ == "compound" and not (span.start <= root.head.i < span.end)


def is_news(span: Span) -> bool:
    """True when the sentence reports a news story, a film or a rumour."""
    return any(t.lower_ in NEWS_WORDS for t in span.sent)


def is_passive_victim(span: Span) -> bool:
    """True when the family member in the match is the one harmed ("my son was attacked")."""
    return any(t.dep_ in {"nsubjpass", "auxpass"} for t in span) and not any(
        t.lower_ == "by" for t in span
    )


def is_figurative(span: Span) -> bool:
    """True for "the traffic is killing me": ongoing "killing" done by a thing, not a person."""
    for token in span:
        if token.lemma_.lower() != "kill" or token.tag_ != "VBG":
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if subjects and all(
            s.pos_ == "NOUN" and s.lemma_.lower() not in PERSON_NOUNS for s in subjects
        ):
            return True
    return False


def is_bereavement(span: Span) -> bool:
    """True when the match names how someone died ("died by suicide", "lost him to suicide"):
    a bereavement, which is not by itself a risk to the writer."""
    if span.start == 0 or span.doc[span.start - 1].lower_ not in {"by", "to", "through"}:
        return False
    before = span.doc[span.sent.start : span.start]
    return any(t.lemma_.lower() in BEREAVEMENT_LEMMAS for t in before)


def is_hypothetical(span: Span) -> bool:
    """True when the match sits in an "if"/"unless" clause or a question about what would happen."""
    token = span.root
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in token.children):
            return True
        if token.head is token:
            break
        token = token.head
    sentence = span.sent
    first = sentence[0].lower_
    return sentence.text.rstrip().endswith("?") and first in {"what", "would", "where", "how"}


def _context(span: Span) -> Span:
    doc = span.doc
    return doc[:] if len(doc) <= SHORT_TEXT_TOKENS else span.sent


def has_person(span: Span) -> bool:
    """True when the text speaks for the writer or someone close ("I", "my brother"), or its
    sentence has no subject at all ("feel suicidal"), which in an answer means the writer."""
    context = _context(span)
    if any(t.lower_ in FIRST_PERSON for t in context):
        return True
    if SPECIFIC_PERSON.search(context.text):
        return True
    for token in context:
        is_root = token.dep_ == "ROOT"
        if not (is_root or token.lemma_ in SELF_VERBS) or token.pos_ not in {"VERB", "AUX", "ADJ"}:
            continue
        subjectless = not any(
            c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for c in token.children
        )
        if subjectless and (token.lemma_ in SELF_VERBS or token.tag_ in PAST_OR_PRESENT_TAGS):
            return True
    return False


def has_place(span: Span) -> bool:
    """True when the sentence names a particular place, a witness, or a proper noun."""
    sentence = _context(span)
    for token in sentence:
        if token.lower_ in PLACE_WORDS and any(
            c.lower_ in {"the", "that", "this", "a", "my", "our"} or c.dep_ == "poss"
            for c in token.children
        ):
            return True
        if token.pos_ == "PROPN" and token.ent_type_ != "PERSON" and token.i > sentence.start:
            return True
        if token.like_num and token.i > sentence.start:
            return True
    return has_person(span)
