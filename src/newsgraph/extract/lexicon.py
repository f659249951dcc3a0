"""The trigger lexicon and place gazetteer, loaded once from the JSON files beside this module.

Rules read words from here so that adding a trigger ("teams up", "inks a pact")
is a data change, not a code change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ExtractorError


def _load(name: str) -> dict[str, Any]:
    return json.loads((resources.files(__package__) / name).read_text(encoding="utf-8"))


@dataclass(frozen=True, kw_only=True, slots=True)
class VerbFrame:
    """A verb that states a relation, and where its arguments sit in the parse.

    ``object`` lists slots separated by ``|``: ``dobj``, ``prep:in``, ``prep:with|against``.
    """

    lemma: str
    predicate: str
    object: tuple[str, ...]
    prt: str | None = None
    dobj: frozenset[str] = frozenset()
    subject_type: str | None = None
    object_type: str | None = None
    requires: frozenset[str] = frozenset()
    passive: bool = False
    dobj_required: bool = False
    inverse: bool = False  # the object is the relation's subject ("Berkshire owns Geico")


def _slots(spec: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in spec.split("|"):
        if part.startswith("prep:") or part in {"dobj", "subject"}:
            out.append(part)
        else:  # "prep:in|of" continues the previous preposition list
            out.append(f"prep:{part}")
    return tuple(out)


@cache
def lexicon() -> dict[str, Any]:
    """The trigger lexicon (``lexicon.json``) as parsed JSON, checked against
    :data:`SECTIONS` (see :func:`check_lexicon`)."""
    data = _load("lexicon.json")
    check_lexicon(data)
    return data


_WORDS = "words"  # a list of strings
_WORD_SECTION = "word-section"  # {"_comment", "words": [...]} and the extra keys named
_BY_PREDICATE = "by-predicate"  # {predicate: [words]}: predicates of the ontology
_RECORDS = "records"  # [{...}] with the keys named; "predicate" values of the ontology
_BY_NAME = "by-name"  # {name: [words]}
_BY_TYPE = "by-type"  # {entity type: [words]}

SECTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "ner_types": ("ner-types", frozenset()),
    "org_descriptors": (_WORDS, frozenset()),
    "place_descriptors": (_WORDS, frozenset()),
    "product_descriptors": (_WORDS, frozenset()),
    "person_titles": (_BY_PREDICATE, frozenset()),
    "title_modifiers": (_WORDS, frozenset()),
    "head_of_state_titles": (_WORDS, frozenset()),
    "membership_org_nouns": (_WORD_SECTION, frozenset()),
    "domestic_titles": (_BY_PREDICATE, frozenset()),
    "state_institution_nouns": (_WORD_SECTION, frozenset({"international"})),
    "division_nouns": (_WORDS, frozenset()),
    "org_relation_nouns": (_BY_PREDICATE, frozenset({"parentOf", "customerOf", "acquiredBy"})),
    "verb_frames": (_RECORDS, frozenset({
        "lemma", "predicate", "object", "prt", "dobj", "subject_type", "object_type",
        "requires", "passive", "dobj_required", "inverse"})),
    "deal_nouns": (_WORDS, frozenset()),
    "withdraw_verbs": (_RECORDS, frozenset({"lemma", "prt", "prep"})),
    "deal_action_verbs": (_WORDS, frozenset()),
    "operations_nouns": (_WORDS, frozenset()),
    "closing_verbs": (_WORDS, frozenset()),
    "market_nouns": (_WORDS, frozenset()),
    "negative_governors": (_WORDS, frozenset()),
    "hedge_governors": (_WORDS, frozenset()),
    "intent_governors": (_WORDS, frozenset()),
    "hedge_adverbs": (_WORDS, frozenset()),
    "negators": (_WORDS, frozenset()),
    "pronouns": (_BY_TYPE, frozenset({"Group"})),
    "honorifics": (_WORDS, frozenset()),
    "name_titles": (_WORDS, frozenset()),
    "place_name_heads": (_WORDS, frozenset()),
    "product_name_heads": (_WORDS, frozenset()),
    "org_name_heads": (_WORDS, frozenset()),
    "org_name_articles": (_WORDS, frozenset()),
    "org_name_words": (_WORDS, frozenset()),
    "kind_nouns": (_BY_TYPE, frozenset()),
    "sports": (_WORD_SECTION, frozenset({"min_words", "team_nouns", "verbs", "preps"})),
    "org_places": (_WORDS, frozenset()),
    "legal_forms": (_WORD_SECTION, frozenset()),
    "org_suffixes": (_WORDS, frozenset()),
    "deal_failure_verbs": (_RECORDS, frozenset({"lemma", "prt"})),
    "deal_failure_nouns": (_WORDS, frozenset()),
    "hypothetical_marks": (_WORDS, frozenset()),
    "pp_frames": (_RECORDS, frozenset({"prep", "nouns", "object", "predicate"})),
    "ban_verbs": (_WORDS, frozenset()),
    "dealing_verbs": (_WORDS, frozenset()),
    "access_verbs": (_WORDS, frozenset()),
    "access_nouns": (_WORDS, frozenset()),
    "corporate_titles": (_WORDS, frozenset()),
    "killer_nouns": (_WORDS, frozenset()),
    "killing_nouns": (_WORDS, frozenset()),
    "conviction_verbs": (_WORD_SECTION, frozenset()),
    "mention_filter": ("named-lists", frozenset({
        "rating_words", "finance_terms", "common_names", "units", "lowercase_names"})),
    "exchanges": (_WORDS, frozenset()),
    "known_products": (_BY_NAME, frozenset()),
    "org_aliases": (_BY_NAME, frozenset()),
    "product_kind_nouns": (_WORD_SECTION, frozenset()),
    "business_words": (_WORDS, frozenset()),
}
"""Every section of ``lexicon.json``: its shape, and the keys it may have besides."""


def _strings(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ExtractorError(f"lexicon: {where} must be a list of strings")


def check_lexicon(data: dict[str, Any]) -> None:
    """Check a lexicon against :data:`SECTIONS`: no unknown section or key, every list a
    list of strings, every predicate one the ontology defines.

    >>> check_lexicon({"deal_nouns": ["deal"], "person_titles": {"leads": ["ceo"]}})
    >>> check_lexicon({"person_titles": {"lead": ["ceo"]}})
    Traceback (most recent call last):
    ...
    newsgraph.errors.ExtractorError: lexicon: person_titles: 'lead' is no predicate of the ontology
    """
    from ..ontology import RELATIONS

    predicates = set(RELATIONS) | {"blocks"}
    for section, value in data.items():
        if section.startswith("_"):
            continue
        if section not in SECTIONS:
            raise ExtractorError(f"lexicon: unknown section {section!r}; known: "
                                 f"{', '.join(sorted(SECTIONS))}")
        shape, extra = SECTIONS[section]
        if shape == _WORDS:
            _strings(value, section)
            continue
        if shape == _RECORDS:
            if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
                raise ExtractorError(f"lexicon: {section} must be a list of objects")
            for record in value:
                unknown = set(record) - extra
                if unknown:
                    raise ExtractorError(f"lexicon: {section}: unknown key(s) "
                                         f"{', '.join(sorted(unknown))} in {record}")
                if "predicate" in record and record["predicate"] not in predicates:
                    raise ExtractorError(f"lexicon: {section}: {record['predicate']!r} is no "
                                         "predicate of the ontology")
            continue
        if not isinstance(value, dict):
            raise ExtractorError(f"lexicon: {section} must be an object")
        for key, item in value.items():
            if key.startswith("_"):
                continue
            where = f"{section}.{key}"
            if shape == _BY_PREDICATE and key not in predicates | extra:
                raise ExtractorError(f"lexicon: {section}: {key!r} is no predicate of the "
                                     "ontology")
            if shape == _BY_TYPE and key not in {"Organization", "Person", "Place",
                                                 "Product"} | extra:
                raise ExtractorError(f"lexicon: {section}: {key!r} is no entity type")
            if shape in {_WORD_SECTION, "named-lists"} and key not in extra | {"words"}:
                raise ExtractorError(f"lexicon: {section}: unknown key {key!r}")
            if shape == "ner-types":
                if item not in {"Organization", "Person", "Place", "Product"}:
                    raise ExtractorError(f"lexicon: {where}: {item!r} is no entity type")
            elif not (section == "sports" and key == "min_words"):
                _strings(item, where)


@cache
def words(key: str) -> frozenset[str]:
    """A lower-cased word set of the lexicon, by dotted key ("person_titles.leads")."""
    node: Any = lexicon()
    for part in key.split("."):
        node = node[part]
    return frozenset(w.lower() for w in node)


@cache
def verb_frames() -> dict[str, tuple[VerbFrame, ...]]:
    """Verb frames grouped by lemma, in file order."""
    frames: dict[str, list[VerbFrame]] = {}
    for spec in lexicon()["verb_frames"]:
        frame = VerbFrame(
            lemma=spec["lemma"],
            predicate=spec["predicate"],
            object=_slots(spec["object"]),
            prt=spec.get("prt"),
            dobj=frozenset(spec.get("dobj", ())),
            subject_type=spec.get("subject_type"),
            object_type=spec.get("object_type"),
            requires=frozenset(spec.get("requires", ())),
            passive=spec.get("passive", False),
            dobj_required=spec.get("dobj_required", False),
            inverse=spec.get("inverse", False),
        )
        frames.setdefault(frame.lemma, []).append(frame)
    return {k: tuple(v) for k, v in frames.items()}


@cache
def titles() -> dict[str, str]:
    """Person title (lower-case, may be several words) -> predicate it implies."""
    out: dict[str, str] = {}
    for predicate, words in lexicon()["person_titles"].items():
        for w in words:
            out.setdefault(w.lower(), predicate)
    return out


@cache
def domestic_titles() -> dict[str, str]:
    """Unqualified government title (lower-case) -> predicate it implies for the
    article's country ("minister" -> worksFor)."""
    out: dict[str, str] = {}
    for predicate, words_ in lexicon()["domestic_titles"].items():
        if predicate.startswith("_"):
            continue
        for w in words_:
            out.setdefault(w.lower(), predicate)
    return out


@cache
def org_relation_nouns() -> dict[str, str]:
    """Noun ("rival", "unit", "supplier") -> relation key of ``org_relation_nouns``."""
    out: dict[str, str] = {}
    for key, words in lexicon()["org_relation_nouns"].items():
        for w in words:
            out.setdefault(w.lower(), key)
    return out


@dataclass(frozen=True, kw_only=True, slots=True)
class Place:
    """A gazetteer entry: canonical name, kind, and the country it lies in."""

    name: str
    kind: str  # "country", "region" or "subnational"
    country: str | None = None


@cache
def places() -> tuple[dict[str, Place], dict[str, Place]]:
    """Place names and demonyms of ``places.json``.

    Returns:
        ``(names, demonyms)``: both map a lower-cased surface form to its :class:`Place`.
    """
    raw = _load("places.json")
    names: dict[str, Place] = {}
    demonyms: dict[str, Place] = {}
    for kind_key, kind in (("countries", "country"), ("regions", "region"),
                           ("subnational", "subnational")):
        for name, entry in raw.get(kind_key, {}).items():
            canonical = re.sub(r"\s*\(.*\)$", "", name)
            place = Place(name=canonical, kind=kind, country=entry.get("country"))
            for form in (name, canonical, *entry.get("aliases", ())):
                names.setdefault(form.lower(), place)
            for form in entry.get("demonyms", ()):
                demonyms.setdefault(form.lower(), place)
    return names, demonyms


def place_named(text: str) -> Place | None:
    """The gazetteer place called ``text`` ("U.S.", "the United States"), if any."""
    key = text.lower().strip()
    names, _ = places()
    if key in names:
        return names[key]
    if key.startswith("the "):
        return names.get(key[4:])
    if "." in key and key + "." in names:
        return names[key + "."]  # "U.S" when the sentence's full stop took the last one
    return None


def place_of_demonym(word: str) -> Place | None:
    """The place a nationality adjective refers to ("Chinese" -> China), if any."""
    _, demonyms = places()
    return demonyms.get(word.lower())


@cache
def _cities() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for name, entry in _load("places.json").get("cities", {}).items():
        canonical = re.sub(r"\s*\(.*\)$", "", name)
        place = Place(name=canonical, kind="city", country=entry["country"])
        for form in (name, canonical, *entry.get("aliases", ())):
            out.setdefault(form.lower(), place)
    return out


def city_named(text: str) -> Place | None:
    """The gazetteer city called ``text`` ("Munich", "München"), with its country.

    Kept apart from :func:`place_named` on purpose: many city names are also
    surnames or clubs ("Darwin", "Hamburg"), so cities only serve containment
    facts about mentions already typed as places, never typing or merging.
    """
    key = text.lower().strip()
    cities = _cities()
    return cities.get(key) or (cities.get(key[4:]) if key.startswith("the ") else None)


@cache
def known_products() -> dict[str, str]:
    """Well-known product name (lower-case) -> its maker, from ``known_products``."""
    out: dict[str, str] = {}
    for maker, names in lexicon()["known_products"].items():
        if maker.startswith("_"):
            continue
        for name in names:
            out.setdefault(name.lower(), maker)
    return out


@cache
def org_aliases() -> dict[str, str]:
    """An organization's short form or variant (lower-case) -> its full name, from
    ``org_aliases`` ("fed" -> "Federal Reserve", "bofa" -> "Bank of America")."""
    out: dict[str, str] = {}
    for name, forms in lexicon()["org_aliases"].items():
        if name.startswith("_"):
            continue
        for form in (name, *forms):
            out.setdefault(form.lower(), name)
    return out
