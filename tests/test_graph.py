"""The graph stage: the shape of CONTRACT.md section 3, on the seed build and on edge cases."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from newsgraph.export import serialize
from newsgraph.graph import article_iri, build_graph, entity_iri, new_dataset
from newsgraph.models import Article, Entity
from newsgraph.ontology import ART, ENT, NG
from newsgraph.resolve import Fact

SEED = "000_61b824737333c4b0"


def _entity(slug: str, label: str, type_: str = "Organization") -> Entity:
    return Entity(slug=slug, label=label, type=type_, aliases={f"{label} Inc"}, mentions=2,
                  articles={"a1"})


def _fact(**kw) -> Fact:
    base = dict(subject="acme", predicate="partnersWith", object="globex", article_id="a1",
                evidence="Acme teamed up with Globex.", confidence=0.9, extractor="verb-frames",
                negated=False)
    base.update(kw)
    return Fact(**base)


@pytest.fixture
def small():
    entities = {"acme": _entity("acme", "Acme"), "globex": _entity("globex", "Globex")}
    article = Article(id="a1", text="", title="Acme & Globex", date="2020-03-04",
                      author="Jo Doe", url="https://example.com/a1", source="example.com")
    return [article], entities


def test_entities_are_typed_and_labelled(seeds_kg) -> None:
    g = seeds_kg.graph
    xiaomi = ENT.xiaomi
    assert (xiaomi, RDF.type, NG.Organization) in g
    assert str(g.value(xiaomi, RDFS.label)) == "Xiaomi"
    assert (ENT["lei-jun"], RDF.type, NG.Person) in g
    assert (ENT.china, RDF.type, NG.Place) in g


def test_one_node_per_entity_across_articles(seeds_kg) -> None:
    rows = seeds_kg.query(
        'SELECT ?e WHERE { ?e rdfs:label ?l FILTER(lcase(str(?l)) = "xiaomi") }')
    assert len(list(rows)) == 1
    articles = set(seeds_kg.graph.objects(ENT.xiaomi, NG.mentionedIn))
    assert len(articles) == 2


def test_aliases_merge_into_one_node_with_alt_labels(seeds_kg) -> None:
    g = seeds_kg.graph
    labels = {str(x) for x in g.objects(ENT["united-states"], SKOS.altLabel)}
    assert "US" in labels
    assert str(g.value(ENT["united-states"], RDFS.label)) == "United States"
    assert not list(g.triples((ENT.us, None, None)))


def test_fact_is_asserted_and_described_by_a_statement(seeds_kg) -> None:
    g = seeds_kg.graph
    assert (ENT.microsoft, NG.partnersWith, ENT.xiaomi) in g or (
        ENT.xiaomi, NG.partnersWith, ENT.microsoft) in g
    stmts = [s for s in g.subjects(RDF.predicate, NG.partnersWith)
             if {g.value(s, RDF.subject), g.value(s, RDF.object)} == {ENT.xiaomi, ENT.microsoft}]
    assert len(stmts) == 1
    stmt = stmts[0]
    assert (stmt, RDF.type, RDF.Statement) in g
    assert g.value(stmt, PROV.wasDerivedFrom) == ART[SEED]
    assert "memorandum of understanding with Microsoft" in str(g.value(stmt, NG.evidence))
    confidence = g.value(stmt, NG.confidence)
    assert confidence.datatype == XSD.decimal and 0 < confidence.toPython() <= 1


def test_negated_fact_is_kept_as_statement_only(seeds_kg) -> None:
    g = seeds_kg.graph
    negated = list(g.subjects(NG.negated, Literal(True)))
    assert negated, "the seed's 'doesn't sell smartphones in the US' is kept as negated"
    for stmt in negated:
        triple = (g.value(stmt, RDF.subject), g.value(stmt, RDF.predicate),
                  g.value(stmt, RDF.object))
        assert triple not in g


def test_article_metadata(seeds_kg) -> None:
    g = seeds_kg.graph
    art = ART[SEED]
    assert (art, RDF.type, NG.Article) in g
    assert str(g.value(art, DCTERMS.identifier)) == SEED
    assert g.value(art, DCTERMS.date) == Literal("2019-05-24", datatype=XSD.date)
    assert str(g.value(art, DCTERMS.title)).startswith("Xiaomi")


def test_author_becomes_creator_and_person(seeds_kg) -> None:
    g = seeds_kg.graph
    art = ART["001_4ff7d883ba893956"]
    assert str(g.value(art, DCTERMS.creator)) == "Bayan Temur"
    author = g.value(art, NG.author)
    assert (author, RDF.type, NG.Person) in g


def test_each_article_has_its_own_named_graph(seeds_kg) -> None:
    ds = seeds_kg.graph
    graph = ds.graph(ART[SEED])
    assert (ART[SEED], RDF.type, NG.Article) in graph
    assert (ART["001_4ff7d883ba893956"], RDF.type, NG.Article) not in graph


def test_min_confidence_leaves_out_weak_facts(small) -> None:
    articles, entities = small
    facts = [_fact(confidence=0.4), _fact(predicate="competesWith", confidence=0.95)]
    ds = build_graph(articles, entities, facts, min_confidence=0.5)
    assert (ENT.acme, NG.competesWith, ENT.globex) in ds
    assert (ENT.acme, NG.partnersWith, ENT.globex) not in ds
    assert len(list(ds.subjects(RDF.type, RDF.Statement))) == 1


def test_confidence_is_a_two_place_decimal(small) -> None:
    articles, entities = small
    ds = build_graph(articles, entities, [_fact(confidence=0.8765)])
    (value,) = list(ds.objects(None, NG.confidence))
    assert value.toPython() == Decimal("0.88")


def test_date_that_is_not_iso_stays_a_plain_literal(small) -> None:
    _, entities = small
    ds = build_graph([Article(id="x", text="", date="spring 2019")], entities, [])
    assert ds.value(ART.x, DCTERMS.date).datatype in {None, XSD.string}
    assert str(ds.value(ART.x, DCTERMS.date)) == "spring 2019"


@pytest.mark.parametrize("url", [
    'https://ex.com/a b"><script>alert(1)</script>',
    "https://ex.com/{x}|^`\\",
])
def test_unsafe_url_is_percent_encoded(url: str, small) -> None:
    _, entities = small
    ds = build_graph([Article(id="x", text="", url=url)], entities, [])
    source = ds.value(ART.x, DCTERMS.source)
    assert not any(ch in str(source) for ch in ' <>"{}|\\^`')
    Graph().parse(data=ds.serialize(format="nt"), format="nt")


def test_non_http_url_is_not_an_iri(small) -> None:
    _, entities = small
    ds = build_graph([Article(id="x", text="", url="javascript:alert(1)")], entities, [])
    assert ds.value(ART.x, DCTERMS.source) is None


@given(st.text(min_size=1, max_size=40))
def test_any_article_id_mints_a_valid_iri(article_id: str) -> None:
    iri = article_iri(article_id)
    assert str(iri).startswith(str(ART))
    local = str(iri)[len(str(ART)):]
    assert local and all(ch.isascii() and ch not in ' <>"{}|\\^`#?/' for ch in local)
    ds = new_dataset()
    ds.add((iri, RDF.type, NG.Article))
    back = Graph().parse(data=ds.serialize(format="nt"), format="nt")
    assert (iri, RDF.type, NG.Article) in back


def test_untrusted_text_survives_as_literal(small) -> None:
    _, entities = small
    evidence = 'He said "}; DROP <script>alert(1)</script> \\ \n" . ?x'
    ds = build_graph([Article(id="a1", text="")], entities, [_fact(evidence=evidence)])
    back = Graph().parse(data=serialize(ds, "turtle"), format="turtle")
    assert Literal(evidence) in set(back.objects(None, NG.evidence))


def test_entity_iri_uses_slug() -> None:
    assert entity_iri(_entity("at-t", "AT&T")) == URIRef(str(ENT) + "at-t")


def test_graph_is_json_ld_serialisable(seeds_kg) -> None:
    data = json.loads(seeds_kg.graph.serialize(format="json-ld"))
    assert data


def test_the_same_build_writes_the_same_bytes(tmp_path) -> None:
    from paths import SEEDS, SMALL_MODEL

    import newsgraph

    first = newsgraph.build([SEEDS], model=SMALL_MODEL).write(tmp_path / "a.ttl")
    second = newsgraph.build([SEEDS], model=SMALL_MODEL).write(tmp_path / "b.ttl")
    assert first.read_bytes() == second.read_bytes()
