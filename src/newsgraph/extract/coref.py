"""Within-article coreference: which mention a pronoun or a description stands for.

A coreference resolver is a callable ``(index, mentions, token_mention) -> {token: mention}``
registered under a name in :data:`coreference_resolvers` (a ``catalogue`` registry, so a
package can add its own under the ``newsgraph_coreference`` entry-point group and a build
can choose it). ``rules`` is the default; ``none`` links nothing.

The ``rules`` resolver is deliberately narrow: pronouns (``it``, ``its``, ``he``, ``she``,
``they``) and definite descriptions ("the company", "The Chinese smartphone maker", "the
country") are linked to the most salient earlier mention of a compatible type —
same-sentence subjects first, then subjects of the previous sentences, then any
mention — with a bonus when the description shares words with how the entity was
described before ("Chinese smartphone manufacturer Xiaomi" … "the Chinese smartphone
maker").

>>> sorted(coreference_resolvers.get_all())
['none', 'rules']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import catalogue
from spacy.tokens import Span, Token

from ..errors import ExtractorError
from ..models import Mention
from .lexicon import lexicon, place_named, words
from .spans import SUBJECTS, TokenIndex, descriptor_nouns

CoreferenceResolver = Callable[[TokenIndex, Sequence[Mention], Mapping[int, int]], dict[int, int]]
"""Links tokens (by index) that are no mention of their own to the mention they mean."""

coreference_resolvers = catalogue.create("newsgraph", "coreference", entry_points=True)
"""Coreference resolvers by name."""

DEFAULT_COREFERENCE = "rules"

_WINDOW = 3  # sentences a pronoun may look back


def get_coreference(name: str) -> CoreferenceResolver:
    """The coreference resolver registered as ``name``.

    Raises:
        ExtractorError: no resolver has that name; the message lists those that do.
    """
    try:
        return coreference_resolvers.get(name)
    except catalogue.RegistryError:
        known = ", ".join(sorted(coreference_resolvers.get_all()))
        raise ExtractorError(f"unknown coreference resolver {name!r}; choose from: {known}"
                             ) from None


@coreference_resolvers.register("none")
def no_coreference(
    index: TokenIndex, mentions: Sequence[Mention], token_mention: Mapping[int, int]
) -> dict[int, int]:
    """Link nothing: facts come only from names (for measuring what coreference adds)."""
    return {}


@coreference_resolvers.register("rules")
def rule_coreference(
    index: TokenIndex, mentions: Sequence[Mention], token_mention: Mapping[int, int]
) -> dict[int, int]:
    """Pronouns and definite descriptions to the most salient compatible mention."""
    return _RuleCoreference(index, mentions, token_mention).run()


@dataclass
class _Salience:
    mention: int
    sent: int
    subject: bool
    position: int
    descriptors: set[str] = field(default_factory=set)


class _RuleCoreference:
    """One document's run of the ``rules`` resolver."""

    def __init__(self, index: TokenIndex, mentions: Sequence[Mention],
                 token_mention: Mapping[int, int]) -> None:
        self.doc = index.doc
        self.mentions = mentions
        self._token_mention = token_mention
        self._descriptors: dict[str, set[str]] = {}
        self._coref: dict[int, int] = {}

    def _span(self, index: int) -> Span:
        mention = self.mentions[index]
        return self.doc.char_span(mention.start, mention.end, alignment_mode="expand")

    def run(self) -> dict[int, int]:
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
                    if token.i == self._span(index).root.i:
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
        return self._coref

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
        coargs = self._coarguments(token)
        for item in reversed(history):
            distance = s_index - item.sent
            if distance > _WINDOW:
                break
            mention = self.mentions[item.mention]
            if mention.label != wanted:
                continue
            if item.mention in coargs:
                continue  # "X and Y offered to buy the company": neither X nor Y
            place = place_named(mention.text) if wanted == "Place" else None
            if place is not None and place.kind != "country":
                continue
            descriptors = self._descriptors.get(mention.text.lower(), set())
            score = distance * 2.0 + (0.0 if item.subject else 1.0)
            score -= 1.5 * len(modifiers & descriptors)
            if best is None or score < best[0]:
                best = (score, item.mention)
        return best[1] if best is not None else None

    def _coarguments(self, token: Token) -> set[int]:
        """Mentions that are the subject (with its conjuncts) of the clause whose object
        the token is: a description or pronoun object ("bought the company", "bought
        it") never refers to its own clause's subject; "its" and "his" may ("X cut its
        prices"), so possessives are not asked."""
        if token.dep_ not in {"dobj", "pobj", "attr"} or token.lower_ in {"its", "his", "her",
                                                                             "their"}:
            return set()
        verb = token.head
        while verb.dep_ in {"prep", "agent"} and verb.head.i != verb.i:
            verb = verb.head
        # "X and Y offered to buy the company": the subject of the controlling verb
        while verb.dep_ in {"xcomp", "conj"} and verb.head.i != verb.i and not any(
            c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children
        ):
            verb = verb.head
        out: set[int] = set()
        for subj in verb.children:
            if subj.dep_ not in {"nsubj", "nsubjpass"}:
                continue
            for node in (subj, *subj.conjuncts):
                index = self._token_mention.get(node.i)
                if index is not None:
                    out.add(index)
        return out

    def _is_subject(self, token: Token) -> bool:
        node = token
        while node.dep_ in {"compound", "appos", "conj"} and node.head.i != node.i:
            node = node.head
        return node.dep_ in SUBJECTS

    def _descriptor_words(self, index: int) -> set[str]:
        span = self._span(index)
        out: set[str] = set()
        for noun in descriptor_nouns(span):
            out.add(noun.lemma_.lower())
            out.update(
                c.lemma_.lower() for c in noun.children if c.dep_ in {"amod", "compound"}
            )
        return out


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
