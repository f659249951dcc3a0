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
    """The trigger lexicon (``lexicon.json``) as parsed JSON."""
    return _load("lexicon.json")


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
