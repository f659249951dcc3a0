"""The parsed document as the extract stage reads it, and token helpers its modules share.

:class:`TokenIndex` wraps one parsed article with the look-ups every later step
asks for (tokens made once, tokens by lemma, "is this a match report"). Mention
finding (:mod:`.mentions`), coreference (:mod:`.coref`) and the rules (through
:class:`~newsgraph.extract.context.DocContext`, which extends it) all read the
document through it, so none of them walks the whole document for a word.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from spacy.tokens import Doc, Span, Token

from ..models import Article
from .lexicon import lexicon, words

SUBJECTS = frozenset({"nsubj", "nsubjpass"})
"""Dependency labels of a clause's subject."""

_LIST_PREPS = frozenset({"like", "including", "as", "include"})


class TokenIndex:
    """One parsed article with the token look-ups the extract stage shares.

    Args:
        doc: the parsed article (title and body, as :attr:`Article.full_text`).
        article: the article it came from.
    """

    def __init__(self, doc: Doc, article: Article) -> None:
        self.doc = doc
        self.article = article
        self.text = doc.text  # a property that joins every token's text on each call
        self.tokens: list[Token] = list(doc)
        """The document's tokens, made once: every ``for t in doc`` makes them anew."""
        self._by_lemma: dict[str, list[Token]] | None = None
        self._match_report: bool | None = None

    def with_lemma(self, lemmas: Iterable[str]) -> list[Token]:
        """The tokens whose lower-case lemma is one of ``lemmas``, in text order. The rules
        look for a few trigger words each; an index built once spares each rule a pass
        over the whole document."""
        index = self._lemma_index()
        found = [t for lemma in set(lemmas) for t in index.get(lemma, ())]
        return sorted(found, key=lambda t: t.i)

    def _lemma_index(self) -> dict[str, list[Token]]:
        if self._by_lemma is None:
            index: dict[str, list[Token]] = {}
            for token in self.tokens:
                index.setdefault(token.lemma_.lower(), []).append(token)
            self._by_lemma = index
        return self._by_lemma

    def is_match_report(self) -> bool:
        """Whether the article reports on team sport: it uses at least a few words of
        matches and leagues ("striker", "Bundesliga", "relegation"), where "Hamburg"
        and "Dortmund" are clubs."""
        if self._match_report is None:
            index = self._lemma_index()
            found = sum(1 for w in words("sports.words") if w in index)
            self._match_report = found >= int(lexicon()["sports"]["min_words"])
        return self._match_report

    def sentence(self, token: Token) -> str:
        """The sentence of a token, as evidence: whitespace collapsed."""
        return " ".join(token.sent.text.split())


_CREDIT_CUES = ("reporting by", "editing by", "writing by", "to contact the", "read more:")
"""How wire services open their credit lines ("(Reporting by X in Bengaluru; Editing by
Y)", "To contact the reporter on this story: X in Milan at x@bloomberg.net"): a
person "in" a city there is where a journalist filed from, not where anyone lives; and
"Read more:" teasers, headlines of other articles."""


def credit_line(sent: Span) -> bool:
    """Whether a sentence is a wire service's byline or contact line."""
    lower = sent.text.lower()
    return any(cue in lower for cue in _CREDIT_CUES) or any(t.like_email for t in sent)


@cache
def org_places() -> frozenset[str]:
    """Gazetteer "places" that are bodies, not places: the European Union."""
    return frozenset(lexicon()["org_places"])


def capitalised(token: Token) -> bool:
    """Whether a token starts with a capital and has a letter in it."""
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


LEGAL_SUFFIXES = frozenset({
    "inc", "inc.", "corp", "corp.", "co", "co.", "ltd", "ltd.", "llc", "plc", "nv", "n.v.",
    "sa", "s.a.", "ag", "gmbh", "bhd", "spa", "s.p.a.", "oyj", "pte", "pty", "l.p.", "lp",
})
"""Legal forms that follow a company's name (not "Group": "Smith group of lawmakers")."""


def legal_suffix(word: str) -> bool:
    """Whether a word is a legal form that follows a company's name ("Inc.", "plc")."""
    return word.lower().rstrip(",") in LEGAL_SUFFIXES


def name_key(text: str) -> str:
    """A name without case, a leading "the" and trailing legal forms: "Taiyo Yuden Co." and
    "Taiyo Yuden" are one name."""
    tokens = text.lower().split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1].rstrip(",") in LEGAL_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


def descriptor_nouns(span: Span) -> Iterator[Token]:
    """Common nouns that describe the entity: compounds before it and appositions.

    "Chinese smartphone manufacturer Xiaomi", "Xiaomi, a Chinese company",
    "another Chinese smartphone manufacturer, Xiaomi".
    """
    root = span.root
    for child in root.children:
        if child.i < span.start and child.dep_ in {"compound", "nmod"} and child.pos_ in {
            "NOUN", "PROPN"
        } and child.ent_type_ == "":
            yield child
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            yield child
        if child.dep_ == "amod" and child.i == span.start - 1 and child.lower_ in {
                "daily", "weekly"}:
            yield child  # "the left-liberal daily Nepszabadsag": a newspaper, parsed as a modifier
        if child.dep_ == "appos" and child.lower_ == "one":  # "one of Canada's producers"
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    yield from (c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "NOUN")
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        yield root.head
    if root.dep_ in {"attr"} and root.head.lemma_ == "be":
        for sib in root.head.children:
            if sib.dep_ == "nsubj" and sib.pos_ == "NOUN":
                yield sib


def list_head(token: Token) -> Token | None:
    """The noun a "like/such as/including" list hangs from, if any."""
    node = token
    while node.dep_ == "conj":
        node = node.head
    if node.dep_ != "pobj":
        return None
    prep = node.head
    if prep.lower_ not in _LIST_PREPS:
        return None
    head = prep.head
    if head.lower_ == "such":
        head = head.head
    return head if head.pos_ in {"NOUN", "PROPN"} else None


def with_conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Apple, Samsung and Huawei")."""
    return [token, *token.conjuncts]


def listed_examples(token: Token) -> Iterator[Token]:
    """Examples listed under a noun: "markets such as India", "rivals like Apple"."""
    for prep in token.children:
        if prep.dep_ != "prep":
            continue
        is_list = prep.lower_ in {"like", "including"} or (prep.lower_ == "as" and any(
            c.lower_ == "such" for c in (*token.children, *prep.children)
        ))
        if is_list:
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    yield from with_conjuncts(pobj)
                    # "such companies as Apple Inc, Bank of America Corp and Wells Fargo":
                    # the parser may hang the rest of the list as an apposition
                    for appos in pobj.children:
                        if appos.dep_ == "appos" and appos.pos_ == "PROPN":
                            yield from with_conjuncts(appos)
        elif prep.lower_ == "such":
            for sub in prep.children:
                if sub.lower_ == "as":
                    for pobj in sub.children:
                        if pobj.dep_ == "pobj":
                            yield from with_conjuncts(pobj)
