"""SPARQL: answered by Oxigraph, prefixes predeclared, errors as QueryError."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from newsgraph.errors import QueryError
from newsgraph.ontology import ENT, NG
from newsgraph.query import on_oxigraph, run_query


def test_select_with_predeclared_prefixes(seeds_kg) -> None:
    rows = seeds_kg.query("""
        SELECT ?name WHERE { ?p ng:worksFor|ng:leads ent:xiaomi ; rdfs:label ?name } ORDER BY ?name
    """)
    assert [str(r.name) for r in rows] == ["Lei Jun", "Wang Xiang"]


def test_evidence_is_reachable_through_statements(seeds_kg) -> None:
    rows = list(seeds_kg.query("""
        SELECT ?sentence ?date WHERE {
          ?st rdf:subject ent:huawei ; rdf:predicate ng:blockedBy ; rdf:object ent:at-and-t ;
              ng:evidence ?sentence ; prov:wasDerivedFrom ?art .
          ?art dct:date ?date .
        }"""))
    assert len(rows) == 1
    assert "AT&T" in str(rows[0].sentence)


def test_aggregates_run(seeds_kg) -> None:
    rows = list(seeds_kg.query(
        "SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type } GROUP BY ?type"))
    counts = {str(r.type).rsplit("#", 1)[-1]: int(r.n) for r in rows}
    assert counts["Article"] == 2
    assert counts["Organization"] >= 5


def test_named_graph_per_article_is_queryable(seeds_kg) -> None:
    rows = list(seeds_kg.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ng:leads ?o } }"))
    assert [str(r.g).rsplit("/", 1)[-1] for r in rows] == ["001_4ff7d883ba893956"]


def test_the_graph_is_on_oxigraph(seeds_kg) -> None:
    assert on_oxigraph(seeds_kg.graph) is seeds_kg.graph


def test_a_plain_rdflib_graph_is_copied_onto_oxigraph() -> None:
    g = Graph()
    g.add((ENT.a, NG.partnersWith, ENT.b))
    copy = on_oxigraph(g)
    assert type(copy.store).__name__ == "OxigraphStore"
    assert run_query(g, "ASK { ent:a ng:partnersWith ent:b }").askAnswer


@pytest.mark.parametrize("bad", [
    "SELEC ?x WHERE { ?x ?p ?o }",
    "SELECT ?x WHERE { ?x nope:thing ?o }",
    "SELECT ?x WHERE { ?x ?p ",
])
def test_bad_query_is_a_query_error(bad: str, seeds_kg) -> None:
    with pytest.raises(QueryError):
        seeds_kg.query(bad)


def test_literal_with_quotes_is_matched_as_data() -> None:
    g = Graph()
    name = 'Evil " } ; DROP ALL ; "'
    g.add((URIRef(str(ENT) + "x"), NG.evidence, Literal(name)))
    rows = list(run_query(g, "SELECT ?v WHERE { ?s ng:evidence ?v }"))
    assert str(rows[0].v) == name
