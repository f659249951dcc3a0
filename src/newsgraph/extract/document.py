"""Document-level relations: facts an article states across sentences.

A news article names a country once ("… in Germany", "the German chancellor")
and its cities, institutions and people everywhere else; readers join the two
without the sentence saying so. The extractors here add such facts with lower
confidences than the sentence rules, and give the sentence of the subject's
mention as evidence:

- ``document-places``: a city or region of the gazetteer lies in its country when
  the article also names that country (by name or demonym): "… in Jena" + "German"
  -> Jena locatedIn Germany.
- ``document-names``: a country, demonym or city inside an organization's name
  ("Federation of German Industry", "News Agency of Nigeria", "Berlin Senate")
  -> basedIn; a city an organization is based in -> also basedIn that city's
  country when the article names it.
- ``document-seats``: an organization placed by a city next to its name ("Carl
  Zeiss in Jena", "Berlin's University of the Arts", "OMV of Austria") -> basedIn,
  and basedIn the city's country when the article names it.
- ``document-roles``: what sentence-level roles imply: a person who works for or
  leads an organization is a member of it ("SPD leader Müntefering" -> memberOf
  SPD); a person who leads or works for a country (head of state, minister) is
  its citizen, and so, less surely, is one who belongs to an organization the
  article places in a country ("a spokesman for German carmaker Volkswagen").
- ``document-domestic``: an official named by an unqualified title ("President X",
  "Immigration Minister Y") in an article about one country is its citizen, and
  leads or works for it as the title says (``domestic_titles`` in lexicon.json);
  a state institution named without a country ("the Interior Ministry") is based
  in it (``state_institution_nouns``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from ..models import Mention, Relation
from ..ontology import RELATIONS
from . import rules
from .context import DocContext
from .finalize import company_news, membership_org
from .lexicon import Place, city_named, domestic_titles, place_named, place_of_demonym, words
from .registry import register_extractor
from .spans import credit_line

# Lower than the sentence rules (0.6-0.9): nothing in one sentence states these.
CONTAINMENT = 0.6
NAME_PLACE = 0.6
ROLE_MEMBER = 0.6
ROLE_CITIZEN = 0.6
CITY_COUNTRY = 0.5
DOMESTIC = 0.55
SEAT_CITIZEN = 0.5  # measured on DWIE dev: about half of such people are citizens


@dataclass
class _Country:
    """Where an article names a country: a mention of it, or the first demonym token."""

    place: Place
    mention: Mention | None = None
    token: Token | None = None


def _countries(ctx: DocContext) -> dict[str, _Country]:
    """The countries an article names, by gazetteer name ("Germany"), in text order.

    Demonyms count ("German officials"); their Place mention is only made when a
    fact needs it, so unused demonyms add no entities to the graph.
    """
    out: dict[str, _Country] = {}
    for mention in ctx.mentions:
        if mention.label != "Place" or mention.ner_label == "NORP":
            continue
        place = place_named(mention.text)
        if place is not None and place.kind == "country" and place.name not in out:
            out[place.name] = _Country(place=place, mention=mention)
    for token in ctx.tokens:
        if not token.text[:1].isupper():
            continue
        mention = ctx.mention_at(token)
        if mention is not None and mention.label != "Place" and mention.ner_label != "NORP":
            continue  # "German" inside "German Society for Philosophy" names the society
        place = place_of_demonym(token.text)
        if place is not None and place.kind == "country" and place.name not in out:
            out[place.name] = _Country(place=place, token=token)
    return out


def _country_mention(ctx: DocContext, country: _Country) -> Mention:
    if country.mention is not None:
        return country.mention
    assert country.token is not None
    country.mention = ctx.synthetic_place(country.token, country.place)
    return country.mention


def _relation(
    ctx: DocContext, subject: Mention, predicate: str, obj: Mention, *, confidence: float,
    extractor: str, evidence: str | None = None,
) -> Relation | None:
    """A document-level relation, or ``None`` when the ontology's types forbid it."""
    rel = RELATIONS[predicate]
    if subject.label not in rel.subject_types or obj.label not in rel.object_types:
        return None
    if subject.text.lower() == obj.text.lower() or place_named(subject.text) == place_named(
        obj.text
    ) is not None:
        return None
    span = ctx.span(subject)
    return Relation(
        subject=subject,
        predicate=predicate,
        object=obj,
        evidence=evidence or ctx.sentence(span.root),
        confidence=confidence,
        extractor=extractor,
        cues=("document",),
    )


def _once(relations: Iterable[Relation | None]) -> Iterator[Relation]:
    """One relation per (subject name, predicate, object name): the first, in text order."""
    seen: set[tuple[str, str, str]] = set()
    for rel in relations:
        if rel is None:
            continue
        key = (rel.subject.text.lower(), rel.predicate, rel.object.text.lower())
        if key not in seen:
            seen.add(key)
            yield rel


# ------------------------------------------------------------- containment


@register_extractor("document-places", version="1")
def extract_places(ctx: DocContext) -> Iterator[Relation]:
    """Cities and regions lie in the country the article names: "Jena" + "Germany".

    Not in company news (:func:`~newsgraph.extract.finalize.company_news`): there a city
    is where shares trade, an interview took place or a government sits ("talks between
    Washington and Beijing"), and the story never says what country it lies in.
    Measured on business dev: 0 of 15 such facts were gold; DWIE, which states them,
    has no company news.
    """
    if company_news(ctx):
        return
    countries = _countries(ctx)
    yield from _once(_containment(ctx, countries))


def _containment(ctx: DocContext, countries: dict[str, _Country]) -> Iterator[Relation | None]:
    for mention in list(ctx.mentions):
        if mention.label != "Place" or mention.ner_label == "NORP":
            continue
        span = ctx.span(mention)
        if span is None or credit_line(span.sent):
            continue  # "Reporting by X in Bengaluru": where a journalist filed from
        place = place_named(mention.text)
        if place is None:
            place = city_named(mention.text)
        elif place.kind != "subnational":
            continue  # countries and world regions lie in nothing we name
        if place is None or place.country not in countries:
            continue
        yield _relation(ctx, mention, "locatedIn", _country_mention(ctx, countries[place.country]),
                        confidence=CONTAINMENT, extractor="document-places/containment")


# ------------------------------------------------------------ names


@register_extractor("document-names", version="1")
def extract_names(ctx: DocContext) -> Iterator[Relation]:
    """Organizations are based where their name says: "Federation of German Industry"."""
    countries = _countries(ctx)
    yield from _once(_named_places(ctx, countries))


def _named_places(ctx: DocContext, countries: dict[str, _Country]) -> Iterator[Relation | None]:
    """A place inside an organization's name, when the article also names it on its own.

    Only then is the place one of the article's entities: "University of Amsterdam"
    alone says nothing about a city the article is about, but with "the
    Netherlands" elsewhere it places the university in the country.
    """
    named = _named_cities(ctx)
    for org in list(ctx.mentions):
        if org.label != "Organization" or not org.ner_label:
            continue
        span = ctx.span(org)
        tokens = [t for t in span if t.text[:1].isupper()]
        found: list[tuple[Token, Place]] = []
        for i, token in enumerate(tokens):
            pair = " ".join(t.text for t in tokens[i: i + 2])
            place = (place_named(pair) if len(tokens) > i + 1 else None) or place_named(
                token.text) or place_of_demonym(token.text) or city_named(token.text)
            if place is not None and place.kind != "region":
                found.append((token, place))
        if len(found) != 1 or len(tokens) < 2:
            continue  # "German-Dutch Chamber": two countries, no single seat
        token, place = found[0]
        if place.kind == "country":
            if place.name in countries:
                yield _relation(ctx, org, "basedIn", _country_mention(ctx, countries[place.name]),
                                confidence=NAME_PLACE, extractor="document-names/named-places")
            continue
        if place.name in named:
            yield _relation(ctx, org, "basedIn", named[place.name], confidence=NAME_PLACE,
                            extractor="document-names/named-places")
        if place.country in countries:
            yield _relation(ctx, org, "basedIn",
                            _country_mention(ctx, countries[place.country]),
                            confidence=CITY_COUNTRY, extractor="document-names/named-places")


def _named_cities(ctx: DocContext) -> dict[str, Mention]:
    """Cities and regions the article names on their own, by gazetteer name."""
    out: dict[str, Mention] = {}
    for mention in ctx.mentions:
        if mention.label != "Place" or mention.ner_label == "NORP":
            continue
        place = place_named(mention.text) or city_named(mention.text)
        if place is not None and place.kind in {"city", "subnational"}:
            out.setdefault(place.name, mention)
    return out


@register_extractor("document-seats", version="1")
def extract_seats(ctx: DocContext) -> Iterator[Relation]:
    """Organizations placed by a city: "Carl Zeiss in Jena", "OMV of Austria",
    "Berlin's University of the Arts" -> basedIn the city (or country), and the
    city's country when the article names it."""
    countries = _countries(ctx)
    yield from _once(_seats(ctx, countries))


def _seats(ctx: DocContext, countries: dict[str, _Country]) -> Iterator[Relation | None]:
    doc = ctx.doc
    for org in list(ctx.mentions):
        if org.label != "Organization" or not org.ner_label:
            continue
        span = ctx.span(org)
        root = span.root
        places: list[Token] = []
        for child in root.children:
            if child.dep_ == "prep" and child.i == span.end and child.lower_ in {"in", "of"}:
                places += [c for c in child.children if c.dep_ == "pobj"]
            if child.dep_ == "poss" and child.i < span.start and all(
                t.dep_ == "case" for t in doc[child.i + 1: span.start]
            ):
                places.append(child)
        for token in places:
            where = ctx.mention_at(token)
            if where is None or where.label != "Place" or where.ner_label == "NORP":
                continue
            gaz = place_named(where.text)
            city = city_named(where.text) if gaz is None else None
            if gaz is not None and gaz.kind == "country" and token.head.lower_ == "of":
                yield _relation(ctx, org, "basedIn", where, confidence=NAME_PLACE,
                                extractor="document-seats/seats")
            if city is None and (gaz is None or gaz.kind != "subnational"):
                continue
            if token.head.lower_ == "of":
                continue  # "the University of Jena" names, "the mayor of Jena" is not an org
            yield _relation(ctx, org, "basedIn", where, confidence=NAME_PLACE,
                            extractor="document-seats/seats")
            country = (city or gaz).country
            if country in countries:
                yield _relation(ctx, org, "basedIn", _country_mention(ctx, countries[country]),
                                confidence=CITY_COUNTRY, extractor="document-seats/seats")


# ------------------------------------------------------------ roles


@register_extractor("document-roles", version="1")
def extract_roles(ctx: DocContext) -> Iterator[Relation]:
    """What sentence-level roles imply across the article.

    Works for or leads an organization -> memberOf it; leads or works for a
    country, or belongs to an organization based in one -> citizenOf it; an
    organization based in a city -> based in that city's country when the article
    names the country.
    """
    countries = _countries(ctx)
    found = [r for r in (*rules.extract_titles(ctx), *rules.extract_modifiers(ctx))
             if not r.negated]
    yield from _once((*_implied(ctx, found, countries), *_possessed(ctx)))


def _possessed(ctx: DocContext) -> Iterator[Relation | None]:
    """ "Barcelona's Andres Iniesta" -> memberOf Barcelona; "Merkel's Christian
    Democratic Union" -> Merkel memberOf the party (membership organizations only:
    "Buffett's Berkshire" is owned, not joined)."""
    doc = ctx.doc
    for mention in list(ctx.mentions):
        if mention.label not in {"Person", "Organization"} or not mention.ner_label:
            continue
        span = ctx.span(mention)
        for token in span:
            for poss in token.children:
                if poss.dep_ != "poss" or span.start <= poss.i < span.end:
                    continue
                owner = ctx.mention_at(poss)
                owner_span = ctx.span(owner) if owner is not None else None
                if owner is None or owner_span is None:
                    continue
                if any(t.dep_ != "case" for t in doc[owner_span.end: span.start]):
                    continue
                if mention.label == "Person" and owner.label == "Organization":
                    yield _relation(ctx, mention, "memberOf", owner, confidence=ROLE_MEMBER,
                                    extractor="document-roles/possessed")
                elif (mention.label == "Organization" and owner.label == "Person"
                      and membership_org(mention)):
                    yield _relation(ctx, owner, "memberOf", mention, confidence=ROLE_MEMBER,
                                    extractor="document-roles/possessed")


def _implied(
    ctx: DocContext, found: list[Relation], countries: dict[str, _Country]
) -> Iterator[Relation | None]:
    seats: dict[str, list[Mention]] = {}
    for rel in found:
        if rel.predicate == "basedIn":
            gaz = place_named(rel.object.text)
            if gaz is not None and gaz.kind == "country":
                seats.setdefault(rel.subject.text.lower(), []).append(rel.object)
    for rel in found:
        obj = rel.object
        if rel.predicate in {"worksFor", "leads", "memberOf"} and obj.label == "Organization":
            for country in seats.get(obj.text.lower(), []):
                yield _relation(ctx, rel.subject, "citizenOf", country, evidence=rel.evidence,
                                confidence=SEAT_CITIZEN, extractor="document-roles/implied")
        if rel.predicate in {"worksFor", "leads"} and obj.label == "Organization" and \
                rel.family != "modifiers":  # "Buffett's Berkshire": owned, not joined
            yield _relation(ctx, rel.subject, "memberOf", obj, evidence=rel.evidence,
                            confidence=min(rel.confidence, ROLE_MEMBER),
                            extractor="document-roles/implied")
        place = place_named(obj.text) if obj.label == "Place" else None
        if rel.predicate in {"worksFor", "leads"} and place is not None and (
            place.kind == "country"
        ):
            yield _relation(ctx, rel.subject, "citizenOf", obj, evidence=rel.evidence,
                            confidence=min(rel.confidence, ROLE_CITIZEN),
                            extractor="document-roles/implied")
        city = city_named(obj.text) if obj.label == "Place" else None
        if rel.predicate == "basedIn" and city is not None and city.country in countries:
            yield _relation(ctx, rel.subject, "basedIn",
                            _country_mention(ctx, countries[city.country]),
                            confidence=CITY_COUNTRY, extractor="document-roles/implied")



# ------------------------------------------------------------ the article's country


@register_extractor("document-domestic", version="1")
def extract_domestic(ctx: DocContext) -> Iterator[Relation]:
    """Officials and institutions named without a country belong to the article's.

    "President Demetris Christofias" in an article about Cyprus, "Immigration
    Minister Peter Dutton" in one about Australia: the title names no country
    because the article's country is meant. Only when one country clearly
    dominates the article's mentions.
    """
    main = _main_country(ctx)
    if main is None:
        return
    yield from _once((*_domestic(ctx, main), *_institutions(ctx, main)))


def _main_country(ctx: DocContext) -> _Country | None:
    """The country an article is about: named at least three times and twice as often as
    any other (a demonym the model did not tag counts half)."""
    counts: dict[str, float] = {}
    for mention in ctx.mentions:
        if mention.label == "Place" and mention.ner_label != "NORP":
            place = place_named(mention.text)
            if place is not None and place.kind == "country":
                counts[place.name] = counts.get(place.name, 0) + 1
    for token in ctx.tokens:
        if token.text[:1].isupper() and ctx.mention_at(token) is None:
            place = place_of_demonym(token.text)
            if place is not None and place.kind == "country":
                counts[place.name] = counts.get(place.name, 0) + 0.5  # weaker than a name
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < _MAIN_MIN or (
        len(ranked) > 1 and ranked[1][1] * _MAIN_MARGIN > ranked[0][1]
    ):
        return None
    return _countries(ctx).get(ranked[0][0])


_MAIN_MIN = 3
_MAIN_MARGIN = 2


def _domestic(ctx: DocContext, main: _Country) -> Iterator[Relation | None]:
    table = domestic_titles()
    doc = ctx.doc
    for person in list(ctx.mentions):
        if person.label != "Person" or not person.ner_label:
            continue
        span = ctx.span(person)
        title = None
        for n in (4, 3, 2, 1):
            start = span.start - n
            if start < span.sent.start:
                continue
            phrase = " ".join(t.lower_ for t in doc[start: span.start])
            if phrase in table:
                title = (phrase, start)
                break
        if title is None:
            continue
        before = doc[max(span.sent.start, title[1] - 2): title[1]]
        if any(ctx.mention_at(t) is not None or place_of_demonym(t.text) is not None
               or t.tag_ == "POS" for t in before):
            continue  # "German Chancellor X", "Xiaomi's president X": the sentence rules' case
        country = _country_mention(ctx, main)
        yield _relation(ctx, person, "citizenOf", country, confidence=DOMESTIC,
                        extractor="document-domestic/domestic")
        predicate = table[title[0]]
        if predicate != "citizenOf":
            yield _relation(ctx, person, predicate, country, confidence=DOMESTIC,
                            extractor="document-domestic/domestic")


def _institutions(ctx: DocContext, main: _Country) -> Iterator[Relation | None]:
    """ "the Interior Ministry", "the Constitutional Court": a state's institutions
    named without a country belong to the article's country."""
    nouns = words("state_institution_nouns.words")
    for org in list(ctx.mentions):
        if org.label != "Organization" or not org.ner_label:
            continue
        tokens = org.text.split()
        if not any(w.lower() in nouns for w in tokens):
            continue
        if any(place_named(w) or place_of_demonym(w) or city_named(w) for w in tokens):
            continue  # "Israeli Air Force", "Berlin Senate": the name says where
        if any(w.lower() in words("state_institution_nouns.international") for w in tokens):
            continue  # "International Air Transport Association" belongs to no one country
        yield _relation(ctx, org, "basedIn", _country_mention(ctx, main), confidence=DOMESTIC,
                        extractor="document-domestic/institutions")
