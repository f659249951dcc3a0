"""Tests for newsgraph.extract.document: facts an article states across sentences.

Each case is a short article of our own, parsed by the default pipeline. A case
runs the sentence rules plus one document extractor and checks only what that
extractor added, so a sentence rule finding the same fact cannot make it pass.
Negative cases first check that the entities were recognised.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsgraph.extract import DEFAULT_EXTRACTORS, extract_relations, get_extractors
from newsgraph.extract.lexicon import city_named, place_named
from newsgraph.models import Article, Extraction

Triple = tuple[str, str, str]
SENTENCE_RULES = [n for n in DEFAULT_EXTRACTORS if not n.startswith("document-")]


def _run(nlp: Language, extractor: str, text: str) -> tuple[set[Triple], Extraction]:
    article = Article(id="t", text=text)
    ex = extract_relations(nlp(article.full_text), article,
                           extractors=get_extractors([*SENTENCE_RULES, extractor]))
    found = {(r.subject.text, r.predicate, r.object.text)
             for r in ex.relations if r.family == extractor and not r.negated}
    return found, ex


CYPRUS = ("Cyprus mourned the victims of the blast on Monday. The explosion destroyed the "
          "largest power station in Cyprus. Officials said Cyprus would import electricity. ")

POSITIVE = [
    # -- document-places: a gazetteer city or region lies in the country the article names
    ("document-places", "Police in Leipzig arrested two men on Monday. German prosecutors "
     "said the investigation would take months.", ("Leipzig", "locatedIn", "Germany")),
    ("document-places", "The summit opened in Nairobi on Tuesday. Delegates praised Kenya "
     "for its hospitality.", ("Nairobi", "locatedIn", "Kenya")),
    ("document-places", "Floods hit Bavaria this week. Germany sent soldiers to help.",
     ("Bavaria", "locatedIn", "Germany")),
    # one company's legal name does not make company news
    ("document-places", "Siemens AG cut jobs in Munich on Monday. German unions protested.",
     ("Munich", "locatedIn", "Germany")),
    # -- document-names: a place inside an organization's name, named on its own elsewhere
    ("document-names", "The Federation of German Industry warned of a recession. Exports "
     "from Germany fell for a third month.", ("Federation of German Industry", "basedIn",
                                               "Germany")),
    ("document-names", "Researchers at the University of Amsterdam published the study. "
     "The Netherlands has funded the project since 2010.",
     ("University of Amsterdam", "basedIn", "Netherlands")),
    # -- document-seats: an organization placed by a city or country next to its name
    ("document-seats", "The Fraunhofer Institute in Jena built the lens. Germany funded the "
     "work.", ("Fraunhofer Institute", "basedIn", "Jena")),
    ("document-seats", "The Fraunhofer Institute in Jena built the lens. Germany funded the "
     "work.", ("Fraunhofer Institute", "basedIn", "Germany")),
    ("document-seats", "Ulrich Simon runs Siemens Healthineers in Erlangen.",
     ("Siemens Healthineers", "basedIn", "Erlangen")),
    ("document-seats", "The pipeline has two shareholders, OMV of Austria and MOL of Hungary.",
     ("OMV", "basedIn", "Austria")),
    # -- document-roles: what the sentence-level roles imply
    ("document-roles", "SPD leader Franz Müntefering criticised the plan on Tuesday.",
     ("Franz Müntefering", "memberOf", "SPD")),
    ("document-roles", "Shannon Cross, an analyst at Cross Research, said demand was weak.",
     ("Shannon Cross", "memberOf", "Cross Research")),
    ("document-roles", "The talks were led by Vladimir Putin, the president of Russia.",
     ("Vladimir Putin", "citizenOf", "Russia")),
    ("document-roles", "Thomas Berger, a spokesman for German carmaker Volkswagen, declined "
     "to comment.", ("Thomas Berger", "citizenOf", "Germany")),
    ("document-roles", "Greenpeace's Anna Weber criticised the plan.",
     ("Anna Weber", "memberOf", "Greenpeace")),
    ("document-roles", "Angela Merkel's Christian Democratic Union lost votes.",
     ("Angela Merkel", "memberOf", "Christian Democratic Union")),
    # -- document-domestic: an unqualified title in an article about one country
    ("document-domestic", CYPRUS + "President Demetris Christofias promised help.",
     ("Demetris Christofias", "citizenOf", "Cyprus")),
    ("document-domestic", CYPRUS + "President Demetris Christofias promised help.",
     ("Demetris Christofias", "leads", "Cyprus")),
    ("document-domestic", CYPRUS + "Energy Minister Antonis Paschalides promised help.",
     ("Antonis Paschalides", "worksFor", "Cyprus")),
    ("document-domestic", CYPRUS + "The Interior Ministry opened an inquiry.",
     ("Interior Ministry", "basedIn", "Cyprus")),
]


@pytest.mark.parametrize(
    "extractor, text, expected",
    [pytest.param(e, t, x, id=f"{e}: {t[:40]}") for e, t, x in POSITIVE],
)
def test_document_extractors_find_facts(
    nlp: Language, extractor: str, text: str, expected: Triple
) -> None:
    found, _ = _run(nlp, extractor, text)
    assert expected in found


NEGATIVE = [
    # the city's country is not the one the article names
    ("document-places", "The conference opened in Vienna. Delegates from France attended.",
     ("Vienna", "locatedIn", "France"), {"Vienna", "France"}),
    # a wire credit line says where a journalist filed from, not what the article is about
    ("document-places", "Germany's Siemens cut jobs. (Reporting by Anna Weber in Munich; Editing "
     "by Tom Brown)", ("Munich", "locatedIn", "Germany"), {"Munich", "Germany"}),
    # company news (companies named by their legal names): a city is where shares trade
    ("document-places", "Siemens AG and Alstom SA agreed to merge. Alstom shares rose 5% in "
     "Paris. France backed the deal.", ("Paris", "locatedIn", "France"),
     {"Paris", "France"}),
    # no country named at all: nothing to place the city in
    ("document-places", "Officials in Lyon said the river had flooded the old town.",
     ("Lyon", "locatedIn", "France"), {"Lyon"}),
    # the country only appears inside the name: not an entity of the article
    ("document-names", "Researchers at the University of Amsterdam published the study.",
     ("University of Amsterdam", "basedIn", "Netherlands"), {"University of Amsterdam"}),
    # two countries in one name give no single seat
    ("document-names", "The German-Dutch Chamber of Commerce held its meeting. Germany and "
     "the Netherlands trade more than ever.",
     ("German-Dutch Chamber of Commerce", "basedIn", "Germany"), {"Germany"}),
    # a company in a country may only sell there
    ("document-seats", "Walmart in Mexico reported higher sales.",
     ("Walmart", "basedIn", "Mexico"), {"Walmart", "Mexico"}),
    # "of" a city is part of the name, not a seat the article states
    ("document-seats", "Researchers at the University of Jena built the lens. Germany "
     "funded it.", ("University of Jena", "basedIn", "Jena"), {"University of Jena"}),
    # a denied role implies no membership
    ("document-roles", "Franz Müntefering was never the leader of the SPD.",
     ("Franz Müntefering", "memberOf", "SPD"), {"Franz Müntefering", "SPD"}),
    # a company named in the same sentence is not the person's organization
    # a company a person owns is not one they joined
    ("document-roles", "Elon Musk's Tesla Inc. sold more cars.",
     ("Elon Musk", "memberOf", "Tesla Inc."), {"Elon Musk", "Tesla Inc."}),
    ("document-roles", "Warren Buffett's Berkshire Hathaway bought more shares.",
     ("Warren Buffett", "memberOf", "Berkshire Hathaway"),
     {"Warren Buffett", "Berkshire Hathaway"}),
    # an organization with no known seat says nothing about its people's nationality
    ("document-roles", "Thomas Berger, a spokesman for Volkswagen, declined to comment in "
     "Germany.", ("Thomas Berger", "citizenOf", "Germany"), {"Thomas Berger", "Volkswagen"}),
    # the country is named once only: the article is not about it
    ("document-domestic", "The explosion destroyed the largest power station in Cyprus. "
     "President Demetris Christofias promised help.",
     ("Demetris Christofias", "citizenOf", "Cyprus"), {"Demetris Christofias"}),
    # two countries named as often: no country of the article
    ("document-domestic", "Greece and Turkey met in Cyprus. Greece and Turkey disagreed. Greece "
     "and Turkey will meet again. President Demetris Christofias promised help.",
     ("Demetris Christofias", "citizenOf", "Greece"), {"Demetris Christofias"}),
    # an international court belongs to no one country
    ("document-domestic", CYPRUS + "The European Court of Human Rights opened an inquiry.",
     ("European Court of Human Rights", "basedIn", "Cyprus"),
     {"European Court of Human Rights"}),
    # a title with its own country is the sentence rules' case, not the article's country
    ("document-domestic", CYPRUS + "French President Emmanuel Macron promised help.",
     ("Emmanuel Macron", "citizenOf", "Cyprus"), {"Emmanuel Macron"}),
    ("document-roles", "Tim Cook met Lei Jun, who runs Xiaomi.",
     ("Tim Cook", "memberOf", "Xiaomi"), {"Tim Cook", "Xiaomi"}),
]


@pytest.mark.parametrize(
    "extractor, text, triple, entities",
    [pytest.param(e, t, x, n, id=f"{e}: {t[:40]}") for e, t, x, n in NEGATIVE],
)
def test_document_extractors_refrain(
    nlp: Language, extractor: str, text: str, triple: Triple, entities: set[str]
) -> None:
    found, ex = _run(nlp, extractor, text)
    assert entities <= {m.text for m in ex.mentions}
    assert triple not in found


@pytest.mark.parametrize(
    "text, org, predicate",
    [
        ("Anna Weber, a spokeswoman for the Green Party, criticised the plan.", "Green Party",
         "memberOf"),
        ("The plan was criticised by Anna Weber of the Green Party.", "Green Party", "memberOf"),
        # a coach or captain is part of the team (person_titles.memberOf)
        ("Chelsea coach Antonio Conte praised the team.", "Chelsea", "memberOf"),
        # a company's spokesman works for it
        ("Thomas Berger, a spokesman for Siemens, declined to comment.", "Siemens", "worksFor"),
    ],
)
def test_roles_in_parties_are_memberships(
    nlp: Language, text: str, org: str, predicate: str
) -> None:
    """A role in a party, union or club is membership, not employment (finalize.emit)."""
    article = Article(id="t", text=text)
    ex = extract_relations(nlp(text), article, extractors=get_extractors(SENTENCE_RULES))
    preds = {r.predicate for r in ex.relations if r.object.text == org}
    assert preds == {predicate}


@pytest.mark.parametrize(
    "name, country",
    [("Munich", "Germany"), ("München", "Germany"), ("Tripoli", "Libya"),
     ("The Hague", "Netherlands"), ("Bengaluru", "India")],
)
def test_cities_know_their_country(name: str, country: str) -> None:
    city = city_named(name)
    assert city is not None and city.country == country
    assert place_named(name) is None  # cities never retype or merge mentions


def test_document_extractors_are_registered() -> None:
    names = ["document-places", "document-names", "document-seats", "document-roles",
             "document-domestic"]
    assert len(get_extractors(names)) == 5


@pytest.mark.parametrize(
    "text, person, place",
    [
        ("Chile midfielder Arturo Vidal scored twice.", "Arturo Vidal", "Chile"),
        ("Texas senator John Cornyn voted against the bill.", "John Cornyn", "Texas"),
    ],
)
def test_members_of_a_place_do_not_work_for_it(
    nlp: Language, text: str, person: str, place: str
) -> None:
    """A striker or a senator named with a place is not its employee (rules._left_titles)."""
    ex = extract_relations(nlp(text), Article(id="t", text=text),
                           extractors=get_extractors(SENTENCE_RULES))
    assert {person, place} <= {m.text for m in ex.mentions}
    assert (person, "worksFor", place) not in {
        (r.subject.text, r.predicate, r.object.text) for r in ex.relations}
