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

What the resolver knows about an entity is its :class:`Evidence`: sums over
articles that a persistent store can keep, add an article to, and take an
article out of again when the article is replaced — so entities merge across
separate builds exactly as they merge inside one. Every decision made from it
(type, label, slug) is a function of the sums alone, never of the order in which
articles arrived.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .extract.gazetteer import company_by_ticker
from .extract.lexicon import city_named, org_aliases, place_named, words
from .models import ENTITY_TYPES, Entity, Extraction, Mention, Relation
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
    designators dropped for organizations ("Huawei Technologies" = "Huawei"), and an
    organization's known short forms its full name's ("Fed" = "Federal Reserve")."""
    place = place_named(text)
    if place is not None and label in {"Place", "Organization"}:
        return normalize_name(place.name)
    full = org_aliases().get(text.lower().strip())
    if full is not None and label in {"Organization", "Place"}:
        text, label = full, "Organization"  # "Fed", "US Federal Reserve": the Federal Reserve
    key = normalize_name(text)
    if label == "Organization" and city_named(text) is not None:
        return key + _ORG_SENSE
    if label == "Organization":
        tokens = key.split()
        suffixes = _org_suffixes()
        while len(tokens) > 1 and tokens[-1] in suffixes:
            tokens.pop()
        key = " ".join(tokens)
    return key


_ORG_SENSE = " (organization)"
"""Suffix of the key of an organization named like a place: "Hamburg" the football club
(an article that types the name an organization, by its context) is not the city, and
must not take the city's type votes, nor give it its own."""


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

    def to_json(self) -> list[Any]:
        """The fact as a JSON-ready list (a store keeps the facts of each article)."""
        return [self.subject, self.predicate, self.object, self.article_id, self.evidence,
                self.confidence, self.extractor, self.negated]

    @classmethod
    def from_json(cls, data: list[Any]) -> Fact:
        """The inverse of :meth:`to_json`."""
        s, p, o, article_id, evidence, confidence, extractor, negated = data
        return cls(subject=s, predicate=p, object=o, article_id=article_id, evidence=evidence,
                   confidence=confidence, extractor=extractor, negated=negated)


_VOTE_EPSILON = 1e-9


@dataclass
class Evidence:
    """What the mentions of one entity said about it, summed over articles.

    Type votes, surface forms (and those that were full names, not short forms),
    aliases and the mention count are sums, so one article's evidence can be added
    and later subtracted again: that is how a store replaces an article without
    rebuilding everything. ``articles`` is the set of articles that mention it.

    >>> a = Evidence(votes=Counter(Person=1.0), forms=Counter({"Lei Jun": 2}), mentions=2)
    >>> b = Evidence(votes=Counter(Person=0.5), forms=Counter({"Lei": 1}), mentions=1)
    >>> a.add(b); a.subtract(b); a == Evidence(votes=Counter(Person=1.0),
    ...                                        forms=Counter({"Lei Jun": 2}), mentions=2)
    True
    """

    votes: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    full_forms: Counter[str] = field(default_factory=Counter)
    aliases: Counter[str] = field(default_factory=Counter)
    tickers: Counter[str] = field(default_factory=Counter)
    mentions: int = 0
    articles: set[str] = field(default_factory=set)

    def add(self, other: Evidence) -> None:
        """Add another article's (or build's) evidence for the same entity."""
        self.votes.update(other.votes)
        self.forms.update(other.forms)
        self.full_forms.update(other.full_forms)
        self.aliases.update(other.aliases)
        self.tickers.update(other.tickers)
        self.mentions += other.mentions
        self.articles |= other.articles
        self._tidy()

    def subtract(self, other: Evidence) -> None:
        """Take out evidence added before (an article being replaced or removed)."""
        self.votes.subtract(other.votes)
        self.forms.subtract(other.forms)
        self.full_forms.subtract(other.full_forms)
        self.aliases.subtract(other.aliases)
        self.tickers.subtract(other.tickers)
        self.mentions -= other.mentions
        self.articles -= other.articles
        self._tidy()

    def _tidy(self) -> None:
        # Float votes summed and subtracted in another order differ in the last bits;
        # rounding keeps the decisions a function of the sums, not of the order.
        for name, weight in list(self.votes.items()):
            weight = round(weight, 9)
            if weight <= _VOTE_EPSILON:
                del self.votes[name]
            else:
                self.votes[name] = weight
        for counter in (self.forms, self.full_forms, self.aliases, self.tickers):
            for name, count in list(counter.items()):
                if count <= 0:
                    del counter[name]

    @property
    def empty(self) -> bool:
        """No mention is left: the entity no longer exists."""
        return self.mentions <= 0

    def to_json(self) -> dict[str, Any]:
        """The counts as JSON-ready data (``articles`` is left out: a store keeps it as
        ``ng:mentionedIn`` triples)."""
        out = {"votes": dict(sorted(self.votes.items())), "forms": dict(self.forms),
               "full_forms": dict(self.full_forms), "aliases": dict(self.aliases),
               "mentions": self.mentions}
        if self.tickers:
            out["tickers"] = dict(self.tickers)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, articles: Iterable[str] = ()) -> Evidence:
        """The inverse of :meth:`to_json`."""
        return cls(votes=Counter(data.get("votes", {})), forms=Counter(data.get("forms", {})),
                   full_forms=Counter(data.get("full_forms", {})),
                   aliases=Counter(data.get("aliases", {})),
                   tickers=Counter(data.get("tickers", {})), mentions=int(data.get("mentions", 0)),
                   articles=set(articles))


def decide_type(evidence: Evidence) -> str:
    """The entity's type: the class with the most vote weight (ties in the ontology's
    class order, so the decision never depends on which article came first)."""
    if not evidence.votes:
        return "Organization"
    order = {name: i for i, name in enumerate(ENTITY_TYPES)}
    return min(evidence.votes.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99), kv[0]))[0]


def slug_for(key: str, taken: Mapping[str, str]) -> str:
    """The IRI slug of an entity key, given the slugs already taken (slug -> key).

    Minted from the key, not the label, so the IRI does not change when later
    articles make another surface form the most frequent one; two keys that
    slugify alike ("at&t", "at-t") are told apart by a hash of the key.

    >>> slug_for("at and t", {})
    'at-and-t'
    >>> slug_for("at-and-t", {"at-and-t": "at and t"})
    'at-and-t-b87e90'
    """
    slug = slugify(key)
    if slug in taken and taken[slug] != key:
        slug = f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
    return slug


def decide_entity(key: str, evidence: Evidence, *, slug: str) -> Entity:
    """The entity that the evidence for ``key`` describes: type, label, aliases."""
    etype = decide_type(evidence)
    label = _label(key, etype, evidence)
    return Entity(
        slug=slug, label=label, type=etype,
        aliases={f for f in (*evidence.forms, *evidence.aliases) if f != label},
        tickers=set(evidence.tickers), mentions=evidence.mentions,
        articles=set(evidence.articles),
    )


def select_facts(facts: Iterable[Fact], entities: Mapping[str, Entity]) -> list[Fact]:
    """The facts whose entities satisfy the predicate's domain and range.

    A worksFor that an article also states as leads is left out: ng:leads is a
    sub-property of ng:worksFor, so the general fact is entailed, and a reader (or a
    scorer) would otherwise count the CEO's employment twice.
    """
    facts = list(facts)
    led = {(f.subject, f.object, f.article_id) for f in facts
           if f.predicate == "leads" and not f.negated}
    kept = []
    for fact in facts:
        if fact.predicate == "worksFor" and not fact.negated and (
                fact.subject, fact.object, fact.article_id) in led:
            continue
        rel = RELATIONS[fact.predicate]
        s, o = entities.get(fact.subject), entities.get(fact.object)
        if s is None or o is None:
            continue
        if s.type not in rel.subject_types or o.type not in rel.object_types:
            logger.debug("dropped %s: types %s/%s", fact, s.type, o.type)
            continue
        kept.append(fact)
    return kept


class Resolver:
    """Accumulates extractions, then decides entities and facts.

    Holds only small records (no documents), so memory grows with the number of
    distinct entities and facts, not with the text.
    """

    def __init__(self) -> None:
        self._acc: dict[str, Evidence] = defaultdict(Evidence)
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
            key = _ticker_key(root) or entity_key(root.text, root.label)
            if not key:
                continue
            keys[mention.key] = key
            acc = self._acc[key]
            for etype, weight in mention.votes:
                acc.votes[etype] += weight
            acc.forms[mention.text] += 1
            acc.aliases.update(set(mention.aliases))
            acc.tickers.update(set(mention.tickers))
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

    @property
    def evidence(self) -> dict[str, Evidence]:
        """The evidence gathered so far, by entity key (what a store adds up)."""
        return self._acc

    def candidates(self) -> list[Fact]:
        """Every fact found, before the domain and range check (which needs the entity
        types, and those may change as more articles arrive)."""
        return list(self._facts.values())

    def entities(self) -> dict[str, Entity]:
        """Entities by key, with their decided type, label and aliases."""
        if self._entities is None:
            self._entities = self._decide()
        return self._entities

    def _decide(self) -> dict[str, Entity]:
        out: dict[str, Entity] = {}
        slugs: dict[str, str] = {}
        for key in sorted(self._acc):
            slug = slug_for(key, slugs)
            slugs[slug] = key
            out[key] = decide_entity(key, self._acc[key], slug=slug)
        return out

    def facts(self) -> list[Fact]:
        """Facts whose entities satisfy the predicate's domain and range (see
        :func:`select_facts`)."""
        return select_facts(self._facts.values(), self.entities())


def _label(key: str, etype: str, evidence: Evidence) -> str:
    if etype == "Place":
        place = place_named(key)
        if place is not None:
            return place.name
    forms = evidence.full_forms or evidence.forms
    if not forms:
        return key
    # the most frequent full form, the longest of equals, one not in capitals ("Xiaomi",
    # not "XIAOMI"), then the first in code-point order: a choice that does not depend
    # on the order the articles came in
    return max(forms.items(), key=lambda kv: (kv[1], len(kv[0]), not kv[0].isupper(),
                                              [-ord(c) for c in kv[0]]))[0]


def _ticker_key(root: Mention) -> str | None:
    """The key of a company an article names only by its ticker ("$AAPL"): the listed
    company's, so it merges with the company named elsewhere."""
    if root.text not in root.tickers:
        return None
    company = company_by_ticker(root.text)
    return entity_key(company.name, "Organization") if company is not None else None


def resolve_entities(extractions: Iterable[Extraction]) -> Resolver:
    """Resolve a stream of extractions (a convenience over :class:`Resolver`)."""
    resolver = Resolver()
    for extraction in extractions:
        resolver.add(extraction)
    return resolver
