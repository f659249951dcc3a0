"""Dependency-parse helpers the extractors share: a verb's logical subjects, passives,
particles, and the entities a list of tokens names.

They read spaCy's parse the way the rules need it (control and coordination,
relative clauses, the verbless title-cased headline the parser misreads) and hold no
state; :mod:`.finalize` and the rule modules import them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Token

from ..models import Mention
from .context import DocContext

RELATIVE = frozenset({"which", "who", "that", "whom"})


def is_passive(verb: Token) -> bool:
    children = list(verb.children)
    if any(c.dep_ == "auxpass" and c.lower_ in {"'s", "’s"} for c in children) and not any(
            c.dep_ == "agent" for c in children):
        return False  # "it's turned to Jump": "it has turned", which the parser took for "is"
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in children) or (
        verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"}
    )


def headline_verb(token: Token) -> bool:
    """A verb the parser took for a noun in a verbless, title-cased line: "Global Good
    Teams Up With Motic", "Xiaomi Partners With Microsoft" (the root of a sentence with
    no verb, followed by a particle or preposition)."""
    return (token.pos_ in {"NOUN", "PROPN"} and token.dep_ == "ROOT"
            and token.tag_ in {"NNS", "NNPS", "VBZ"}
            and any(c.dep_ in {"prt", "prep"} and c.i > token.i for c in token.children)
            and not any(t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"amod", "compound"}
                        for t in token.sent))


def clause_subjects(verb: Token) -> list[Token]:
    """The logical subject(s) of a verb, inherited through control and coordination."""
    if headline_verb(verb):  # the name words the parser hung on the mistaken noun
        return [c for c in verb.children if c.i < verb.i
                and c.dep_ in {"compound", "amod", "nmod", "nsubj"}]  # not "IV's" in
        # "IV's Global Good Teams Up With Motic": the possessor owns the subject
    node = verb
    for _ in range(6):
        if is_passive(node):
            for child in node.children:
                if child.dep_ == "agent":
                    return [c for c in child.children if c.dep_ == "pobj"]
        subjects = [c for c in node.children if (c.dep_ in {"nsubj", "csubj"} or (
                        c.dep_ == "nsubjpass" and not is_passive(node))) and not bracketed(c)]
        if subjects:
            subj = subjects[0]
            if subj.lower_ in RELATIVE and node.dep_ == "relcl":
                return [node.head, *_among(node.head)]
            return [subj]
        if node.dep_ in {"xcomp", "advcl", "conj", "pcomp"} and node.head.i != node.i:
            pcomp = node.dep_ == "pcomp"
            node = node.head
            if node.dep_ == "prep" and node.head.pos_ in {"VERB", "AUX"}:
                node = node.head  # "Oswald acted alone in killing Kennedy"
            elif pcomp and node.dep_ == "prep" and node.head.dep_ == "pobj" and \
                    node.head.head.dep_ == "prep" and node.head.head.head.pos_ in {"VERB", "AUX"}:
                node = node.head.head.head  # "In addition to buying X, Tesla has bought …"
            continue
        if node.dep_ == "relcl":
            return [node.head]
        if node.dep_ == "acl" and (is_passive(node) or node.tag_ == "VBG"):
            return [node.head]  # "Huawei, banned by …", "Xiaomi working to enter …"
        return []
    return []


def _among(noun: Token) -> list[Token]:
    """What an "among" phrase says is one of the nouns: "Among the thousands of companies
    that supply Huawei is a Japanese company called Taiyo Yuden" -> the company."""
    while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.i != noun.i:
        noun = noun.head.head
    if noun.dep_ != "pobj" or noun.head.lower_ != "among" or noun.head.head.lemma_ != "be":
        return []
    return [c for c in noun.head.head.children if c.dep_ in {"nsubj", "attr"}]


def bracketed(token: Token) -> bool:
    """A word alone in brackets, like the agency of "(Reuters) - Google will …", which the
    parser may take for a second subject."""
    doc = token.doc
    return 0 < token.i < len(doc) - 1 and doc[token.i - 1].text == "(" and \
        doc[token.i + 1].text == ")"


def particles(verb: Token, prt: str) -> Iterator[Token]:
    """The verb's particle ``prt``; the parser tags "away" in "walk away" as advmod."""
    return (c for c in verb.children if c.dep_ in {"prt", "prep", "advmod"} and c.lower_ == prt)


def has_prt(verb: Token, prt: str) -> bool:
    return any(particles(verb, prt))


def mentions_of(ctx: DocContext, tokens: Iterable[Token]) -> list[tuple[Mention, bool]]:
    out: list[tuple[Mention, bool]] = []
    for token in tokens:
        for mention in ctx.entities(token):
            out.append((mention, ctx.is_coreferent(token)))
    return out
