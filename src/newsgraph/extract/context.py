"""A per-document view for the rules: mentions, coreference and the look-ups between them.

:class:`DocContext` runs the two stages before extraction — mention finding
(:mod:`.mentions`) and coreference (:mod:`.coref`, swappable by name) — and answers the
questions the rules ask of a token: which entity it names or stands for, which place a
nationality word means, what the sentence says. It is the one place of the extract stage
the rules reach spaCy objects through; what leaves the stage are
:class:`~newsgraph.models.Mention` and :class:`~newsgraph.models.Relation` records.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from ..models import Article, Mention
from .coref import DEFAULT_COREFERENCE, get_coreference
from .lexicon import Place, place_of_demonym, words
from .mentions import find_mentions
from .spans import TokenIndex, credit_line, listed_examples, org_places, with_conjuncts

__all__ = ["DocContext", "credit_line", "listed_examples"]

_PARTS_OF_PLACES = frozenset({"state", "province", "city", "region"})


class DocContext(TokenIndex):
    """Mentions of one parsed article and the links the rules follow between tokens.

    Args:
        doc: the parsed article (title and body, as :attr:`Article.full_text`).
        article: the article it came from.
        coreference: the name of a registered coreference resolver.
    """

    def __init__(self, doc: Doc, article: Article, *,
                 coreference: str = DEFAULT_COREFERENCE) -> None:
        super().__init__(doc, article)
        found = find_mentions(self)
        self.mentions: list[Mention] = found.mentions
        self._token_mention = found.token_mention
        self.notes = found.notes
        self._coref = get_coreference(coreference)(self, self.mentions, self._token_mention)
        self._synthetic: dict[tuple[int, str], int] = {}

    def span(self, mention: Mention) -> Span:
        """The spaCy span of a mention of this document."""
        return self.doc.char_span(mention.start, mention.end, alignment_mode="expand")

    def mention_at(self, token: Token) -> Mention | None:
        """The named-entity mention the token is part of, if any."""
        index = self._token_mention.get(token.i)
        return self.mentions[index] if index is not None else None

    def is_coreferent(self, token: Token) -> bool:
        """Whether the token was linked by coreference (a pronoun or description)."""
        return token.i in self._coref

    def entity(self, token: Token) -> Mention | None:
        """The entity a token stands for: its own mention, an apposition, or coreference.

        "another Chinese smartphone manufacturer, Xiaomi" -> Xiaomi (apposition);
        "It opened a store" -> the antecedent of "It"; "the US market" -> US.
        """
        mention = self.mention_at(token)
        if mention is not None:
            return mention
        for child in token.children:
            if child.dep_ == "appos" and (m := self.mention_at(child)) is not None:
                return m
        if token.dep_ == "appos" and (m := self.mention_at(token.head)) is not None:
            return m
        for acl in token.children:  # "a Japanese company called Taiyo Yuden"
            if acl.dep_ == "acl" and acl.lemma_.lower() in {"call", "name", "dub"} and \
                    token.pos_ == "NOUN":
                for named in acl.children:
                    if named.dep_ in {"oprd", "attr", "dobj"} and (
                            m := self.mention_at(named)) is not None:
                        return m
        if (m := self._name_before(token)) is not None:
            return m
        if token.i in self._coref:
            return self.mentions[self._coref[token.i]]
        if token.lemma_.lower() in words("market_nouns"):
            for child in token.children:
                if child.dep_ in {"compound", "amod", "poss", "nmod"}:
                    place = self.place(child)
                    if place is not None:
                        return place
        if token.tag_ == "NNS" and token.lemma_.lower() in _PARTS_OF_PLACES:
            for child in token.children:  # "44 U.S. states", "Chinese cities": in the country
                if child.dep_ in {"compound", "amod"} and child.i < token.i:
                    place = self.place(child)
                    if place is not None:
                        return place
        return None

    def _name_before(self, token: Token) -> Mention | None:
        """A company named right before its common noun: "the BNSF railroad", "the Cleveland
        Browns football team", "Geico insurance". The name says which one; without this the
        noun would be resolved by coreference to some other company of the article."""
        if token.pos_ != "NOUN" and not (token.pos_ == "PROPN" and not token.ent_type_
                                         and token.dep_ in {"nsubj", "nsubjpass"}):
            return None  # "Google Assistant … takes on Alexa": the product speaks for Google
        i = token.i - 1
        while i >= 0 and i > token.i - 3 and self.doc[i].pos_ == "NOUN" and \
                self.doc[i].dep_ == "compound" and self.doc[i].text.islower():
            i -= 1
        if i < 0 or self.doc[i].dep_ not in {"compound", "nmod"}:
            return None
        mention = self.mention_at(self.doc[i])
        if mention is None or mention.label != "Organization":
            return None
        return mention

    def entities(self, token: Token) -> Iterator[Mention]:
        """The entity of ``token`` and of its conjuncts and listed examples.

        "Apple, Samsung and Huawei" yields three; "key markets such as India" yields India.
        """
        seen: set[int] = set()
        for node in with_conjuncts(token):
            for candidate in (node, *listed_examples(node)):
                mention = self.entity(candidate)
                if mention is not None and mention.start not in seen:
                    seen.add(mention.start)
                    yield mention

    def place(self, token: Token) -> Mention | None:
        """A Place mention for a token that names or implies a place ("US", "Chinese")."""
        mention = self.mention_at(token)
        if mention is not None:
            return mention if mention.label == "Place" else None
        if not token.text[:1].isupper():
            return None
        if token.i > 0:  # "South African", "New Zealander"
            pair = place_of_demonym(f"{self.doc[token.i - 1].text} {token.text}")
            if pair is not None:
                return self.synthetic_place(token, pair)
        place = place_of_demonym(token.text)
        if place is None:
            return None
        return self.synthetic_place(token, place)

    def synthetic_place(self, token: Token, place: Place) -> Mention:
        """A Place mention for a gazetteer place a token implies, made once per token:
        the demonym "Chinese", or "German" inside "German Chamber of Commerce"."""
        key = (token.i, place.name)
        if key not in self._synthetic:
            votes = (("Organization" if place.name in org_places() else "Place", 2.0),)
            self._synthetic[key] = len(self.mentions)
            self.mentions.append(Mention(
                article_id=self.article.id, text=place.name, start=token.idx,
                end=token.idx + len(token.text), label="Place", ner_label="NORP", votes=votes,
                cluster=len(self.mentions), aliases=(token.text,)))
        return self.mentions[self._synthetic[key]]
