"""A per-document view for the rules: entity mentions, their type evidence, coreference.

This is the one place of the extract stage that touches spaCy objects; what leaves
the stage are :class:`~newsgraph.models.Mention` and
:class:`~newsgraph.models.Relation` records.

Coreference is rule-based and deliberately narrow: pronouns (``it``, ``its``,
``he``, ``she``, ``they``) and definite descriptions ("the company", "The Chinese
smartphone maker", "the country") are linked to the most salient earlier mention
of a compatible type — same-sentence subjects first, then subjects of the
previous sentences, then any mention — with a bonus when the description shares
words with how the entity was described before ("Chinese smartphone manufacturer
Xiaomi" … "the Chinese smartphone maker").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..models import Article, Mention
from .lexicon import Place, lexicon, place_named, place_of_demonym, titles, words

_SUBJ = frozenset({"nsubj", "nsubjpass"})
_LIST_PREPS = frozenset({"like", "including", "as", "include"})
_WINDOW = 3  # sentences a pronoun may look back


@dataclass
class _Salience:
    mention: int
    sent: int
    subject: bool
    position: int
    descriptors: set[str] = field(default_factory=set)


class DocContext:
    """Mentions of one parsed article and the links the rules follow between tokens.

    Args:
        doc: the parsed article (title and body, as :attr:`Article.full_text`).
        article: the article it came from.
    """

    def __init__(self, doc: Doc, article: Article) -> None:
        self.doc = doc
        self.article = article
        self.mentions: list[Mention] = []
        self._token_mention: dict[int, int] = {}
        self._coref: dict[int, int] = {}
        self._descriptors: dict[str, set[str]] = {}
        self._synthetic: dict[tuple[int, str], int] = {}
        self._collect_mentions()
        self._resolve_coreference()

    # ------------------------------------------------------------ mentions

    def _collect_mentions(self) -> None:
        ner_types = lexicon()["ner_types"]
        for ent in self.doc.ents:
            etype = ner_types.get(ent.label_)
            if etype is None:
                continue
            span = _trim(ent)
            if span is None:
                continue
            votes = [(etype, 1.0), *self._type_cues(span)]
            index = len(self.mentions)
            self.mentions.append(
                Mention(
                    article_id=self.article.id,
                    text=span.text,
                    start=span.start_char,
                    end=span.end_char,
                    label=_best(votes),
                    ner_label=ent.label_,
                    votes=tuple(votes),
                    cluster=index,
                )
            )
            for token in span:
                self._token_mention[token.i] = index
        self._link_short_forms()

    def _link_short_forms(self) -> None:
        """Point short forms at the full name used earlier in the same article.

        "Wang" after "Wang Xiang", "Berkshire" after "Berkshire Hathaway", "NPC" after
        "National People's Congress": the short form joins the full name's cluster and
        takes its type (the small model tags a bare "Wang" as ORG).
        """
        from dataclasses import replace

        for i, mention in enumerate(self.mentions):
            full = _full_form(mention, self.mentions[:i])
            if full is None or _named_alone_before(mention, full, self.mentions[:i]):
                continue
            votes = (*mention.votes, (full.label, 2.0))
            self.mentions[i] = replace(
                mention, cluster=full.cluster, votes=votes, label=_best(list(votes))
            )

    def _type_cues(self, span: Span) -> list[tuple[str, float]]:
        """Type evidence from the mention's own words and its syntactic context."""
        cues: list[tuple[str, float]] = []
        root = span.root
        if place_named(span.text) is not None:
            cues.append(("Place", 1.5))
        prev = self.doc[span.start - 1] if span.start > 0 else None
        if prev is not None and prev.lower_ in words("honorifics"):
            cues.append(("Person", 2.0))
        for noun in _descriptor_nouns(span):
            lemma = noun.lemma_.lower()
            if lemma in words("org_descriptors"):
                cues.append(("Organization", 1.5))
            elif lemma in words("place_descriptors") and lemma not in {"market", "economy"}:
                cues.append(("Place", 1.0))
            elif lemma in titles() or noun.lower_ in titles():
                cues.append(("Person", 1.5))
            elif lemma in words("product_descriptors"):
                cues.append(("Product", 1.0))
        # "chipmakers like Qualcomm", "rivals such as Apple"
        if root.dep_ in {"pobj", "conj"}:
            head = _list_head(root)
            if head is not None and head.lemma_.lower() in words("org_descriptors"):
                cues.append(("Organization", 1.0))
        # "Xiaomi's CEO", "Apple's iPhone": possessors of roles are organizations
        if root.dep_ == "poss" and (
            root.head.lemma_.lower() in titles() or root.head.lower_ in titles()
        ):
            cues.append(("Organization", 1.0))
        return cues

    # --------------------------------------------------------- coreference

    def _resolve_coreference(self) -> None:
        history: list[_Salience] = []
        pronouns = {
            w.lower(): etype
            for etype, ws in lexicon()["pronouns"].items()
            for w in ws
        }
        for s_index, sent in enumerate(self.doc.sents):
            for token in sent:
                index = self._token_mention.get(token.i)
                if index is not None:
                    if token.i == self._span_root(index).i:
                        desc = self._descriptor_words(index)
                        key = self.mentions[index].text.lower()
                        self._descriptors.setdefault(key, set()).update(desc)
                        history.append(
                            _Salience(index, s_index, self._is_subject(token), token.i, desc)
                        )
                    continue
                target = self._antecedent(token, pronouns, history, s_index)
                if target is not None:
                    self._coref[token.i] = target
                    history.append(
                        _Salience(target, s_index, self._is_subject(token), token.i)
                    )

    def _antecedent(
        self,
        token: Token,
        pronouns: dict[str, str],
        history: list[_Salience],
        s_index: int,
    ) -> int | None:
        lower = token.lower_
        modifiers: set[str] = set()
        if (lower in pronouns and token.pos_ == "PRON") or lower in {"its", "his", "her", "their"}:
            wanted = pronouns.get(lower)
            if wanted == "Group":
                wanted = "Organization"
            if lower == "it" and _pleonastic(token):
                return None
        elif _is_definite_description(token):
            lemma = token.lemma_.lower()
            if lemma in words("org_descriptors"):
                wanted = "Organization"
            elif lemma in {"country", "nation"}:
                wanted = "Place"
            else:
                return None
            modifiers = {
                c.lemma_.lower() for c in token.children if c.dep_ in {"amod", "compound"}
            } | {lemma}
        else:
            return None
        best: tuple[float, int] | None = None
        for item in reversed(history):
            distance = s_index - item.sent
            if distance > _WINDOW:
                break
            mention = self.mentions[item.mention]
            if mention.label != wanted:
                continue
            place = place_named(mention.text) if wanted == "Place" else None
            if place is not None and place.kind != "country":
                continue
            descriptors = self._descriptors.get(mention.text.lower(), set())
            score = distance * 2.0 + (0.0 if item.subject else 1.0)
            score -= 1.5 * len(modifiers & descriptors)
            if best is None or score < best[0]:
                best = (score, item.mention)
        return best[1] if best is not None else None

    def _is_subject(self, token: Token) -> bool:
        node = token
        while node.dep_ in {"compound", "appos", "conj"} and node.head.i != node.i:
            node = node.head
        return node.dep_ in _SUBJ

    def _descriptor_words(self, index: int) -> set[str]:
        span = self.span(self.mentions[index])
        out: set[str] = set()
        for noun in _descriptor_nouns(span):
            out.add(noun.lemma_.lower())
            out.update(
                c.lemma_.lower() for c in noun.children if c.dep_ in {"amod", "compound"}
            )
        return out

    # ----------------------------------------------------------- look-ups

    def span(self, mention: Mention) -> Span:
        """The spaCy span of a mention of this document."""
        return self.doc.char_span(mention.start, mention.end, alignment_mode="expand")

    def _span_root(self, index: int) -> Token:
        return self.span(self.mentions[index]).root

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
        if token.i in self._coref:
            return self.mentions[self._coref[token.i]]
        if token.lemma_.lower() in words("market_nouns"):
            for child in token.children:
                if child.dep_ in {"compound", "amod", "poss", "nmod"}:
                    place = self.place(child)
                    if place is not None:
                        return place
        return None

    def entities(self, token: Token) -> Iterator[Mention]:
        """The entity of ``token`` and of its conjuncts and listed examples.

        "Apple, Samsung and Huawei" yields three; "key markets such as India" yields India.
        """
        seen: set[int] = set()
        for node in _with_conjuncts(token):
            for candidate in (node, *_listed_examples(node)):
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
            self._synthetic[key] = len(self.mentions)
            self.mentions.append(
                Mention(
                    article_id=self.article.id,
                    text=place.name,
                    start=token.idx,
                    end=token.idx + len(token.text),
                    label="Place",
                    ner_label="NORP",
                    votes=(("Place", 2.0),),
                    cluster=len(self.mentions),
                )
            )
        return self.mentions[self._synthetic[key]]

    def sentence(self, token: Token) -> str:
        """The sentence of a token, as evidence: whitespace collapsed."""
        return " ".join(token.sent.text.split())


# ----------------------------------------------------------------- helpers


def _trim(ent: Span) -> Span | None:
    """Drop a leading "the", trailing possessives and punctuation from an entity span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct
                           or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or (doc[end - 1].is_punct
                           and doc[end - 1].text not in {")", "."}) or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    span = doc[start:end]
    if not any(ch.isalpha() for ch in span.text):
        return None
    # "Smartphone giants including …": a capitalised common noun opening a sentence
    if len(span) == 1 and span[0].is_sent_start and (
        span[0].lower_ in _COMMON_WORDS() or span[0].lemma_.lower() in _COMMON_WORDS()
    ):
        return None
    return span


def _COMMON_WORDS() -> frozenset[str]:
    return words("org_descriptors") | words("product_descriptors") | words(
        "place_descriptors"
    ) | {"smartphone", "smartphones", "internet", "cloud", "mobile"}


def _initials(text: str) -> str:
    return "".join(w[0] for w in text.replace("-", " ").split() if w[:1].isupper())


def _full_form(mention: Mention, earlier: list[Mention]) -> Mention | None:
    tokens = mention.text.split()
    for full in reversed(earlier):
        other = full.text.split()
        if len(other) <= len(tokens):
            continue
        if full.label == "Person" and mention.label in {"Person", "Organization"} and (
            other[: len(tokens)] == tokens or other[-len(tokens):] == tokens
        ):
            return full
        if full.label == "Organization" and mention.label == "Organization" and (
            other[: len(tokens)] == tokens
        ):
            return full
        if (
            mention.text.isupper() and 2 <= len(mention.text) <= 6
            and full.label in {"Organization", "Place"}
            and _initials(full.text) == mention.text
        ):
            return full
    return None


def _named_alone_before(mention: Mention, full: Mention, earlier: list[Mention]) -> bool:
    """Whether a longer name only starts with a name the article already used on its own.

    "Xiaomi" … "Xiaomi Roidmi Driver" … "Xiaomi": the later "Xiaomi" is the company,
    not a short form of the product. Surnames ("Cook" after "Tim Cook") are not
    affected: the full name ends with them.
    """
    words_ = mention.text.split()
    if full.text.split()[: len(words_)] != words_:
        return False
    return any(
        m.text == mention.text and m.cluster == j and m.start < full.start
        for j, m in enumerate(earlier)
    )


def _best(votes: list[tuple[str, float]]) -> str:
    totals: dict[str, float] = {}
    for etype, weight in votes:
        totals[etype] = totals.get(etype, 0.0) + weight
    return max(totals.items(), key=lambda kv: kv[1])[0]


def _descriptor_nouns(span: Span) -> Iterator[Token]:
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
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        yield root.head
    if root.dep_ in {"attr"} and root.head.lemma_ == "be":
        for sib in root.head.children:
            if sib.dep_ == "nsubj" and sib.pos_ == "NOUN":
                yield sib


def _list_head(token: Token) -> Token | None:
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


def _with_conjuncts(token: Token) -> list[Token]:
    return [token, *token.conjuncts]


def _listed_examples(token: Token) -> Iterator[Token]:
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
                    yield from _with_conjuncts(pobj)
        elif prep.lower_ == "such":
            for sub in prep.children:
                if sub.lower_ == "as":
                    for pobj in sub.children:
                        if pobj.dep_ == "pobj":
                            yield from _with_conjuncts(pobj)


def _is_definite_description(token: Token) -> bool:
    if token.pos_ != "NOUN" or token.tag_ in {"NNS", "NNPS"} or token.ent_type_:
        return False
    dets = [c for c in token.children if c.dep_ == "det"]
    if not dets or dets[0].lower_ not in {"the", "this", "that"}:
        return False
    return not any(c.dep_ == "appos" for c in token.children)


def _pleonastic(token: Token) -> bool:
    """ "It is important to …", "it takes time …": an ``it`` that refers to nothing."""
    head = token.head
    if head.lemma_ in {"take", "seem", "appear", "remain", "rain", "matter"}:
        return True
    if head.lemma_ == "be":
        return any(c.dep_ in {"acomp", "ccomp", "xcomp"} for c in head.children)
    return False
