"""Entity resolution: one entity per real-world thing across all articles of a build.

Within an article, the extract stage already linked short forms to full names
("Wang" -> "Wang Xiang", "NPC" -> "National People's Congress") through
:attr:`Mention.cluster`. Here mentions from all articles are merged by a
normalised key (case, punctuation, "the", possessives, legal and corporate
suffixes, and the place gazetteer's aliases: "U.S." = "US" = "the United States"),
and each entity's type is decided by the type votes of all its mentions and
their contexts — so a company the model once tags PERSON stays a company.

Short forms are only merged inside the article that spells out the full name,
so two people who share a surname in different articles stay apart.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from .extract.lexicon import place_named, words
from .models import Entity, Extraction, Relation
from .ontology import RELATIONS

logger = logging.getLogger(__name__)

_LEGAL = frozenset({"inc", "corp", "corporation", "co", "ltd", "llc", "plc", "nv", "sa", "ag",
                    "lp", "company", "limited", "se"})


_FACT_VOTE = 1.0
"""Type vote a fact casts for each party whose type its predicate fixes."""


def normalize_name(text: str) -> str:
    """The matching key of a name: ASCII, lower case, no punctuation, "the" or legal suffix.

    >>> normalize_name("The Walt Disney Co.")
    'walt disney'
    >>> normalize_name("AT&T Inc")
    'at and t'
    >>> normalize_name("Газпром")
    'газпром'
    """
    # a typographic apostrophe is an apostrophe: "McDonald’s" = "McDonald's"
    text = text.replace("’", "'").replace("ʼ", "'")
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = s.lower().replace("&", " and ")
    s = re.sub(r"['’]s\b", "", s)
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    tokens = s.split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _LEGAL:
        tokens = tokens[:-1]
    if not tokens:  # no Latin letters ("Газпром", "北京"): keep the name itself
        return " ".join(re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text)
                               ).casefold().split())
    return " ".join(tokens)


def entity_key(text: str, label: str) -> str:
    """The key entities merge on: the gazetteer's name for places, corporate
    designators dropped for organizations ("Huawei Technologies" = "Huawei")."""
    place = place_named(text)
    if place is not None and label in {"Place", "Organization"}:
        return normalize_name(place.name)
    key = normalize_name(text)
    if label == "Organization":
        tokens = key.split()
        suffixes = _org_suffixes()
        while len(tokens) > 1 and tokens[-1] in suffixes:
            tokens.pop()
        key = " ".join(tokens)
    return key


@cache
def _org_suffixes() -> frozenset[str]:
    return frozenset(normalize_name(w) for w in words("org_suffixes"))


def slugify(text: str) -> str:
    """An IRI-safe local name: ASCII letters, digits and hyphens.

    >>> slugify("AT&T Inc.")
    'at-t-inc'
    >>> slugify("Société Générale")
    'societe-generale'
    """
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "entity-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True, kw_only=True, slots=True)
class Fact:
    """A relation between resolved entities, as stated by one article."""

    subject: str  # entity key
    predicate: str
    object: str
    article_id: str
    evidence: str
    confidence: float
    extractor: str
    negated: bool = False


@dataclass
class _Acc:
    votes: Counter = field(default_factory=Counter)
    forms: Counter = field(default_factory=Counter)
    full_forms: Counter = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    mentions: int = 0
    articles: set[str] = field(default_factory=set)


class Resolver:
    """Accumulates extractions, then decides entities and facts.

    Holds only small records (no documents), so memory grows with the number of
    distinct entities and facts, not with the text.
    """

    def __init__(self) -> None:
        self._acc: dict[str, _Acc] = defaultdict(_Acc)
        self._facts: dict[tuple[str, str, str, str, bool], Fact] = {}
        self._entities: dict[str, Entity] | None = None
        self.authors: dict[str, str] = {}
        """Article id -> the entity key of its author, for articles that name one."""

    def add(self, extraction: Extraction) -> None:
        """Merge one article's mentions and relations, and its author."""
        self._entities = None
        article_id = extraction.article.id
        if extraction.article.author:
            author = self.add_author(article_id, extraction.article.author)
            if author:
                self.authors[article_id] = author
        roots = {i: m for i, m in enumerate(extraction.mentions)}
        keys: dict[tuple[str, int, int], str] = {}
        for mention in extraction.mentions:
            root = roots.get(mention.cluster, mention)
            key = entity_key(root.text, root.label)
            if not key:
                continue
            keys[mention.key] = key
            acc = self._acc[key]
            for etype, weight in mention.votes:
                acc.votes[etype] += weight
            acc.forms[mention.text] += 1
            acc.aliases.update(mention.aliases)
            if root is mention:
                acc.full_forms[mention.text] += 1
            acc.mentions += 1
            acc.articles.add(article_id)
        negated = {
            self._fact_key(keys, r) for r in extraction.relations if r.negated
        }
        for rel in extraction.relations:
            fkey = self._fact_key(keys, rel)
            if fkey is None:
                continue
            if not rel.negated:
                # what a fact says of its parties' types ("X makes Y": Y is a product)
                relation = RELATIONS[rel.predicate]
                for key, types in ((keys[rel.subject.key], relation.subject_types),
                                   (keys[rel.object.key], relation.object_types)):
                    if len(types) == 1:
                        self._acc[key].votes[next(iter(types))] += _FACT_VOTE
            if not rel.negated and fkey in negated:
                continue  # the article also denies it: never assert it from this article
            s, p, o = fkey
            full = (s, p, o, article_id, rel.negated)
            old = self._facts.get(full)
            if old is None or rel.confidence > old.confidence:
                self._facts[full] = Fact(
                    subject=s, predicate=p, object=o, article_id=article_id,
                    evidence=rel.evidence, confidence=rel.confidence,
                    extractor=rel.extractor, negated=rel.negated,
                )

    def add_author(self, article_id: str, name: str) -> str | None:
        """Record an article's author as a Person entity; returns its key."""
        key = entity_key(name, "Person")
        if not key:
            return None
        acc = self._acc[key]
        acc.votes["Person"] += 3.0
        acc.forms[name] += 1
        acc.full_forms[name] += 1
        acc.mentions += 1
        acc.articles.add(article_id)
        self._entities = None
        return key

    @staticmethod
    def _fact_key(
        keys: dict[tuple[str, int, int], str], rel: Relation
    ) -> tuple[str, str, str] | None:
        s, o = keys.get(rel.subject.key), keys.get(rel.object.key)
        if s is None or o is None or s == o:
            return None
        if RELATIONS[rel.predicate].symmetric and o < s:
            s, o = o, s
        return (s, rel.predicate, o)

    def entities(self) -> dict[str, Entity]:
        """Entities by key, with their decided type, label and aliases."""
        if self._entities is None:
            self._entities = self._decide()
        return self._entities

    def _decide(self) -> dict[str, Entity]:
        out: dict[str, Entity] = {}
        slugs: dict[str, str] = {}
        for key in sorted(self._acc):
            acc = self._acc[key]
            etype = acc.votes.most_common(1)[0][0] if acc.votes else "Organization"
            label = _label(key, etype, acc)
            # From the key, not the label: the IRI must not change when later
            # articles make another surface form the most frequent one.
            slug = slugify(key)
            if slug in slugs and slugs[slug] != key:
                slug = f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
            slugs[slug] = key
            out[key] = Entity(
                slug=slug, label=label, type=etype,
                aliases={f for f in (*acc.forms, *acc.aliases) if f != label},
                mentions=acc.mentions, articles=set(acc.articles),
            )
        return out

    def facts(self) -> list[Fact]:
        """Facts whose entities satisfy the predicate's domain and range.

        A worksFor that an article also states as leads is left out: ng:leads is a
        sub-property of ng:worksFor, so the general fact is entailed, and a reader (or a
        scorer) would otherwise count the CEO's employment twice.
        """
        entities = self.entities()
        led = {(f.subject, f.object, f.article_id) for f in self._facts.values()
               if f.predicate == "leads" and not f.negated}
        kept = []
        for fact in self._facts.values():
            if fact.predicate == "worksFor" and not fact.negated and (
                fact.subject, fact.object, fact.article_id) in led:
                continue
            rel = RELATIONS[fact.predicate]
            s, o = entities[fact.subject], entities[fact.object]
            if s.type not in rel.subject_types or o.type not in rel.object_types:
                logger.debug("dropped %s: types %s/%s", fact, s.type, o.type)
                continue
            kept.append(fact)
        return kept


def _label(key: str, etype: str, acc: _Acc) -> str:
    if etype == "Place":
        place = place_named(key)
        if place is not None:
            return place.name
    forms = acc.full_forms or acc.forms
    return max(forms.items(), key=lambda kv: (kv[1], len(kv[0])))[0]


def resolve_entities(extractions: Iterable[Extraction]) -> Resolver:
    """Resolve a stream of extractions (a convenience over :class:`Resolver`)."""
    resolver = Resolver()
    for extraction in extractions:
        resolver.add(extraction)
    return resolver
