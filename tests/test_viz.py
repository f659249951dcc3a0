"""Tests for newsgraph.viz: the vis records, the HTML page, and the page in Chromium.

Graphs are built by hand in the shape of CONTRACT.md section 3; no NLP model is
needed. The browser tests drive the system Chromium offline (see ``browser.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, SKOS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from newsgraph import viz
from newsgraph.errors import OutputError, SelectionError
from newsgraph.ontology import ART, ENT, ENTITY_CLASSES, NG, RELATIONS
from newsgraph.viz import (
    OTHER_COLOUR,
    OTHER_TYPE,
    TYPE_COLOURS,
    graph_to_vis,
    render_html,
    render_html_string,
    script_json,
)

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=1">'
DATA_OPEN = '<script type="application/json" id="newsgraph-data">'


# --------------------------------------------------------------------------- builders


def add_entity(
    g: Graph,
    slug: str,
    cls: str = "Organization",
    label: str | None = None,
    *,
    mentions: int | None = 1,
    aliases: Sequence[str] = (),
) -> URIRef:
    entity = ENT[slug]
    g.add((entity, RDF.type, NG[cls]))
    g.add((entity, RDFS.label, Literal(label if label is not None else slug.title())))
    if mentions is not None:
        g.add((entity, NG.mentions, Literal(mentions)))  # xsd:integer
    for alias in aliases:
        g.add((entity, SKOS.altLabel, Literal(alias)))
    return entity


def add_article(g: Graph, ident: str, title: str, date: str = "2019-05-24") -> URIRef:
    article = ART[ident]
    g.add((article, RDF.type, NG.Article))
    g.add((article, DCTERMS.identifier, Literal(ident)))
    g.add((article, DCTERMS.title, Literal(title)))
    g.add((article, DCTERMS.date, Literal(dt.date.fromisoformat(date))))  # xsd:date
    g.add((article, DCTERMS.source, URIRef(f"https://example.org/{ident}")))
    return article


def add_fact(
    g: Graph,
    subject: URIRef,
    predicate: str,
    obj: URIRef,
    article: URIRef | None = None,
    evidence: str = "",
    *,
    confidence: float = 0.87,
    negated: bool = False,
) -> None:
    """Add a fact the way the contract stores it: asserted unless negated, plus a statement."""
    if not negated:
        g.add((subject, NG[predicate], obj))
    if article is None:
        return
    statement = BNode()
    g.add((statement, RDF.type, RDF.Statement))
    g.add((statement, RDF.subject, subject))
    g.add((statement, RDF.predicate, NG[predicate]))
    g.add((statement, RDF.object, obj))
    g.add((statement, PROV.wasDerivedFrom, article))
    g.add((statement, NG.evidence, Literal(evidence)))
    g.add((statement, NG.confidence, Literal(confidence)))
    if negated:
        g.add((statement, NG.negated, Literal(True)))


def demo_graph() -> Graph:
    """Four entities, three facts, one negated statement that must not be drawn."""
    g = Graph()
    xiaomi = add_entity(g, "xiaomi", "Organization", "Xiaomi", mentions=12, aliases=["Xiaomi Corp"])
    microsoft = add_entity(g, "microsoft", "Organization", "Microsoft", mentions=3)
    china = add_entity(g, "china", "Place", "China", mentions=5)
    lei = add_entity(g, "lei_jun", "Person", "Lei Jun", mentions=2)
    usa = add_entity(g, "united_states", "Place", "United States", mentions=1)
    mou = add_article(g, "000_mou", "Xiaomi and Microsoft sign MoU", "2018-02-23")
    spain = add_article(g, "001_spain", "Xiaomi opens in Spain", "2017-11-08")
    add_fact(g, xiaomi, "partnersWith", microsoft, mou, "Xiaomi signed an MoU with Microsoft.")
    add_fact(g, xiaomi, "basedIn", china, spain, "Chinese smartphone maker Xiaomi expands.")
    add_fact(g, lei, "leads", xiaomi, spain, "Xiaomi's chairman and CEO Lei Jun said …")
    denial = "Xiaomi doesn't sell phones in the US."
    add_fact(g, xiaomi, "operatesIn", usa, spain, denial, negated=True)
    return g


def by_id(records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in records}


def edge_of(edges: list[dict], subject: URIRef, predicate: str, obj: URIRef) -> dict:
    [edge] = [
        e
        for e in edges
        if (e["from"], e["predicate"], e["to"]) == (str(subject), predicate, str(obj))
    ]
    return edge


def embedded_data(document: str) -> str:
    """The text of the page's JSON data block, as the HTML parser would delimit it."""
    start = document.index(DATA_OPEN) + len(DATA_OPEN)
    return document[start : document.index("</script", start)]


# --------------------------------------------------------------------------- nodes


@pytest.mark.parametrize("cls", ENTITY_CLASSES)
def test_node_colour_follows_type(cls: str) -> None:
    g = Graph()
    add_entity(g, "thing", cls, "Thing")
    [node] = graph_to_vis(g)[0]
    assert node["type"] == cls
    assert node["color"] == TYPE_COLOURS[cls]


def test_every_type_has_its_own_colour() -> None:
    assert set(TYPE_COLOURS) == set(ENTITY_CLASSES)
    assert len(set(TYPE_COLOURS.values()) | {OTHER_COLOUR}) == len(ENTITY_CLASSES) + 1


def test_node_size_grows_with_mentions() -> None:
    g = Graph()
    counts = [0, 1, 2, 5, 20, 100]
    for n in counts:
        add_entity(g, f"e{n}", mentions=n)
    nodes = by_id(graph_to_vis(g)[0])
    sizes = [nodes[str(ENT[f"e{n}"])]["size"] for n in counts]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    assert [nodes[str(ENT[f"e{n}"])]["mentions"] for n in counts] == counts


def test_node_size_is_bounded() -> None:
    assert viz.node_size(10**9) == viz.node_size(10**6) <= 60
    assert viz.node_size(-5) == viz.node_size(0) > 0


def test_missing_mentions_count_as_zero() -> None:
    g = Graph()
    add_entity(g, "quiet", mentions=None)
    [node] = graph_to_vis(g)[0]
    assert node["mentions"] == 0 and node["size"] == viz.node_size(0)


def test_node_tooltip_shows_type_aliases_and_mentions() -> None:
    g = Graph()
    add_entity(g, "xiaomi", "Organization", "Xiaomi", mentions=12, aliases=("Xiaomi Corp", "MI"))
    [node] = graph_to_vis(g)[0]
    assert node["label"] == "Xiaomi"
    assert node["aliases"] == ["MI", "Xiaomi Corp"]
    for text in ("Xiaomi", "Type: Organization", "Xiaomi Corp", "MI", "Mentions: 12"):
        assert text in node["title"]


def test_untyped_fact_endpoint_is_drawn_as_other() -> None:
    g = Graph()
    xiaomi = add_entity(g, "xiaomi")
    g.add((xiaomi, NG.suppliesTo, ENT.mystery))
    nodes = by_id(graph_to_vis(g)[0])
    other = nodes[str(ENT.mystery)]
    assert other["type"] == OTHER_TYPE and other["color"] == OTHER_COLOUR
    assert other["label"] == "mystery"  # the IRI's local name stands in for a label


# --------------------------------------------------------------------------- edges


@pytest.mark.parametrize("predicate", sorted(RELATIONS))
def test_edge_label_is_the_ontology_label(predicate: str) -> None:
    g = Graph()
    add_fact(g, add_entity(g, "a"), predicate, add_entity(g, "b"))
    [edge] = graph_to_vis(g)[1]
    assert edge["label"] == RELATIONS[predicate].label
    assert edge["predicate"] == predicate


def test_partners_with_reads_as_words() -> None:
    _, edges = graph_to_vis(demo_graph())
    assert edge_of(edges, ENT.xiaomi, "partnersWith", ENT.microsoft)["label"] == "partners with"


def test_edge_tooltip_has_evidence_title_and_date() -> None:
    _, edges = graph_to_vis(demo_graph())
    title = edge_of(edges, ENT.xiaomi, "partnersWith", ENT.microsoft)["title"]
    assert "Xiaomi signed an MoU with Microsoft." in title
    assert "Xiaomi and Microsoft sign MoU" in title
    assert "2018-02-23" in title
    assert "0.87" in title


def test_one_edge_per_fact_listing_every_supporting_statement() -> None:
    g = Graph()
    a, b = add_entity(g, "fiserv"), add_entity(g, "first_data")
    articles = [("Fiserv to buy", "2019-01-16"), ("Deal done", "2019-07-29")]
    for i, (title, date) in enumerate(articles):
        article = add_article(g, f"art{i}", title, date)
        add_fact(g, a, "acquired", b, article, f"Evidence number {i}.")
    [edge] = graph_to_vis(g)[1]
    assert edge["statements"] == 2
    for text in ("Evidence number 0.", "Evidence number 1.", "Fiserv to buy", "Deal done"):
        assert text in edge["title"]
    assert "2019-01-16" in edge["title"] and "2019-07-29" in edge["title"]
    assert "2 supporting statements" in edge["title"]


def test_negated_statement_is_not_drawn() -> None:
    nodes, edges = graph_to_vis(demo_graph())
    assert not [e for e in edges if e["predicate"] == "operatesIn"]
    assert len(edges) == 3
    assert str(ENT.united_states) in by_id(nodes)  # the entity itself is still there


def test_negated_statement_on_an_asserted_fact_is_shown_as_denial() -> None:
    g = Graph()
    a, b = add_entity(g, "a"), add_entity(g, "b")
    add_fact(g, a, "suppliesTo", b, add_article(g, "yes", "Yes"), "A supplies B.")
    denial = "A no longer supplies B."
    add_fact(g, a, "suppliesTo", b, add_article(g, "no", "No"), denial, negated=True)
    [edge] = graph_to_vis(g)[1]
    assert edge["statements"] == 1
    assert "Denied in 1 statement" in edge["title"]
    assert "A no longer supplies B." in edge["title"]


def test_symmetric_fact_in_both_directions_is_one_edge() -> None:
    g = Graph()
    a, b = add_entity(g, "a"), add_entity(g, "b")
    add_fact(g, a, "partnersWith", b, add_article(g, "one", "One"), "A teams up with B.")
    add_fact(g, b, "partnersWith", a, add_article(g, "two", "Two"), "B and A form a venture.")
    [edge] = graph_to_vis(g)[1]
    assert edge["statements"] == 2
    assert "A teams up with B." in edge["title"] and "B and A form a venture." in edge["title"]


def test_fact_without_statement_still_drawn() -> None:
    g = Graph()
    add_fact(g, add_entity(g, "a"), "competesWith", add_entity(g, "b"))
    [edge] = graph_to_vis(g)[1]
    assert edge["statements"] == 0
    assert "No supporting statement" in edge["title"]


def test_symmetric_relation_has_no_arrow() -> None:
    _, edges = graph_to_vis(demo_graph())
    assert edge_of(edges, ENT.xiaomi, "partnersWith", ENT.microsoft)["arrows"] == {
        "to": {"enabled": False}
    }
    assert "arrows" not in edge_of(edges, ENT.xiaomi, "basedIn", ENT.china)


def test_parallel_edges_are_bent_apart() -> None:
    g = Graph()
    a, b = add_entity(g, "a"), add_entity(g, "b")
    for predicate in ("suppliesTo", "investsIn", "sued"):
        add_fact(g, a, predicate, b)
    edges = graph_to_vis(g)[1]
    assert sum("smooth" not in e for e in edges) == 1
    assert len({e["smooth"]["roundness"] for e in edges if "smooth" in e}) == 2


def test_dataset_with_named_graphs_reads_the_union() -> None:
    ds = Dataset(default_union=True)
    part = ds.graph(URIRef("https://w3id.org/newsgraph/graph/part"))
    for s, p, o in demo_graph():
        part.add((s, p, o))
    assert graph_to_vis(ds) == graph_to_vis(demo_graph())


def test_records_are_sorted_and_stable() -> None:
    first, second = graph_to_vis(demo_graph()), graph_to_vis(demo_graph())
    assert first == second
    assert [n["id"] for n in first[0]] == sorted(n["id"] for n in first[0])


# --------------------------------------------------------------------------- selection


def newsroom_graph() -> Graph:
    """A deal, a stake, a ban and the people around them, in three dated articles.

    Degrees: First Data 3 (acquired, investsIn, leads), Fiserv 3 (acquired, worksFor,
    basedIn); 'leads' is a sub-property of worksFor, 'blocks' the inverse of blockedBy;
    the product is mentioned (in 2018) but in no fact.
    """
    g = Graph()
    fiserv = add_entity(g, "fiserv", "Organization", "Fiserv", mentions=9, aliases=["Fiserv Inc"])
    first = add_entity(g, "first_data", "Organization", "First Data", mentions=4)
    kkr = add_entity(g, "kkr", "Organization", "KKR", mentions=2)
    frank = add_entity(g, "frank_bisignano", "Person", "Frank Bisignano", mentions=3)
    jeff = add_entity(g, "jeffery_yabuki", "Person", "Jeffery Yabuki", mentions=2)
    wisconsin = add_entity(g, "wisconsin", "Place", "Wisconsin", mentions=1)
    huawei = add_entity(g, "huawei", "Organization", "Huawei", mentions=5)
    att = add_entity(g, "att", "Organization", "AT&T", mentions=2)
    phone = add_entity(g, "lonely", "Product", "Lonely Phone", mentions=7)
    deal = add_article(g, "a2019", "Fiserv to buy First Data", "2019-01-16")
    ban = add_article(g, "a2018", "AT&T drops Huawei", "2018-01-09")
    stake = add_article(g, "a2017", "KKR keeps its stake", "2017-06-01")
    add_fact(g, fiserv, "acquired", first, deal, "Fiserv will acquire First Data.")
    add_fact(g, kkr, "investsIn", first, stake, "KKR holds a stake in First Data.")
    add_fact(g, frank, "leads", first, deal, "First Data CEO Frank Bisignano said …")
    add_fact(g, jeff, "worksFor", fiserv, deal, "Fiserv's Jeffery Yabuki said …")
    add_fact(g, fiserv, "basedIn", wisconsin, deal, "Wisconsin-based Fiserv …")
    add_fact(g, att, "blocks", huawei, ban, "AT&T backed out of a deal to sell Huawei phones.")
    g.add((phone, NG.mentionedIn, ban))
    for entity, article in ((att, ban), (huawei, ban), (kkr, stake), (first, stake)):
        g.add((entity, NG.mentionedIn, article))
    return g


EVERYONE = {
    "Fiserv", "First Data", "KKR", "Frank Bisignano", "Jeffery Yabuki", "Wisconsin",
    "Huawei", "AT&T", "Lonely Phone",
}


def shown(view: viz.View) -> tuple[set[str], set[str]]:
    labels = {n["label"] for n in view.nodes}
    return labels, {e["predicate"] for e in view.edges}


@pytest.mark.parametrize(
    "options, labels, predicates",
    [
        ({}, EVERYONE, {"acquired", "investsIn", "leads", "worksFor", "basedIn", "blocks"}),
        ({"types": "Person"}, {"Frank Bisignano", "Jeffery Yabuki"}, set()),
        ({"types": ["organization", "place"]},
         {"Fiserv", "First Data", "KKR", "Wisconsin", "Huawei", "AT&T"},
         {"acquired", "investsIn", "basedIn", "blocks"}),
        ({"predicates": "acquired"}, {"Fiserv", "First Data"}, {"acquired"}),
        # a sub-property comes along: every leader works for what they lead
        ({"predicates": "worksFor"},
         {"Jeffery Yabuki", "Fiserv", "Frank Bisignano", "First Data"}, {"worksFor", "leads"}),
        # an inverse comes along: AT&T blocks Huawei is Huawei blockedBy AT&T
        ({"predicates": "blockedBy"}, {"AT&T", "Huawei"}, {"blocks"}),
        ({"since": "2019"},
         {"Fiserv", "First Data", "Frank Bisignano", "Jeffery Yabuki", "Wisconsin"},
         {"acquired", "leads", "worksFor", "basedIn"}),
        ({"until": "2017"}, {"KKR", "First Data"}, {"investsIn"}),
        ({"until": dt.date(2017, 12, 31)}, {"KKR", "First Data"}, {"investsIn"}),
        # a month: the product has no fact but was mentioned that month
        ({"since": "2018-01", "until": "2018-01-31"}, {"AT&T", "Huawei", "Lonely Phone"},
         {"blocks"}),
        ({"since": "2020"}, set(), set()),
        ({"min_mentions": 3},
         {"Fiserv", "First Data", "Frank Bisignano", "Huawei", "Lonely Phone"},
         {"acquired", "leads"}),
        ({"focus": "KKR"}, {"KKR", "First Data"}, {"investsIn"}),
        ({"focus": "kkr", "hops": 2}, {"KKR", "First Data", "Fiserv", "Frank Bisignano"},
         {"investsIn", "acquired", "leads"}),
        ({"focus": "fiserv inc", "hops": 0}, {"Fiserv"}, set()),  # an alias, any case
        ({"focus": str(ENT.fiserv)}, {"Fiserv", "First Data", "Jeffery Yabuki", "Wisconsin"},
         {"acquired", "worksFor", "basedIn"}),
        ({"focus": "first_data", "hops": 0}, {"First Data"}, set()),  # the IRI's last part
        # the focus stays whatever the types; its neighbours must pass them
        ({"focus": "Fiserv", "types": "Person"}, {"Fiserv", "Jeffery Yabuki"}, {"worksFor"}),
        ({"focus": ["KKR", "AT&T"]}, {"KKR", "First Data", "AT&T", "Huawei"},
         {"investsIn", "blocks"}),
        ({"focus": "Fiserv", "predicates": "basedIn"}, {"Fiserv", "Wisconsin"}, {"basedIn"}),
        # the most connected: First Data and Fiserv have three facts each
        ({"max_nodes": 2}, {"Fiserv", "First Data"}, {"acquired"}),
        # nearest to the focus first, then the most connected
        ({"focus": "Frank Bisignano", "hops": 2, "max_nodes": 3},
         {"Frank Bisignano", "First Data", "Fiserv"}, {"leads", "acquired"}),
        ({"max_nodes": 0}, EVERYONE,
         {"acquired", "investsIn", "leads", "worksFor", "basedIn", "blocks"}),
        ({"max_nodes": None}, EVERYONE,
         {"acquired", "investsIn", "leads", "worksFor", "basedIn", "blocks"}),
    ],
)
def test_selection_chooses_what_is_shown(
    options: dict, labels: set[str], predicates: set[str]
) -> None:
    view = viz.select_view(newsroom_graph(), **options)
    assert shown(view) == (labels, predicates)
    assert view.entities == len(EVERYONE) and view.facts == 6
    ids = {n["id"] for n in view.nodes}
    assert all(e["from"] in ids and e["to"] in ids for e in view.edges)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"types": "Persons"}, r"unknown type 'Persons'; use some of .*Person"),
        ({"predicates": "buys"}, r"unknown predicate 'buys'; use some of .*acquired"),
        ({"since": "2019-13"}, r"--since '2019-13' is not a date"),
        ({"until": "yesterday"}, r"--until 'yesterday' is not a date"),
        ({"since": "2019-02-30"}, r"not a date"),
        ({"since": "2020", "until": "2019-12"}, r"--since 2020 is after --until 2019-12"),
        ({"hops": -1}, r"--hops must be 0 or more"),
        ({"min_mentions": -2}, r"--min-mentions must be 0 or more"),
        ({"max_nodes": -5}, r"--max-nodes must be 0 \(no limit\) or more"),
        ({"focus": "Fiserve"}, r"no entity named 'Fiserve' in the graph; did you mean 'Fiserv'"),
        ({"focus": "Bisignano"}, r"did you mean 'Frank Bisignano'"),
        ({"focus": "Nobody Atall"}, r"no entity named 'Nobody Atall' in the graph$"),
        # text that would break a SPARQL query is just a name that matches nothing
        ({"focus": '"} . ?s ?p ?o . FILTER(true) {'}, r"no entity named"),
    ],
)
def test_bad_selection_is_one_clear_error(options: dict, message: str) -> None:
    with pytest.raises(SelectionError, match=message):
        viz.select_view(newsroom_graph(), **options)


@pytest.mark.parametrize(
    "options",
    [{"since": "2019", "until": "2019"}, {"since": "2019-01", "until": "2019-01-16"}, {}],
)
def test_good_date_ranges_are_accepted(options: dict) -> None:
    assert viz.select_view(newsroom_graph(), **options).edges


def test_unknown_option_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="max_node"):
        viz.select_view(newsroom_graph(), max_node=3)  # type: ignore[call-arg]


def test_date_range_keeps_only_the_statements_inside_it() -> None:
    g = Graph()
    a, b = add_entity(g, "a"), add_entity(g, "b")
    add_fact(g, a, "suppliesTo", b, add_article(g, "old", "Old", "2017-03-01"), "Old news.")
    add_fact(g, a, "suppliesTo", b, add_article(g, "new", "New", "2019-03-01"), "New news.")
    [edge] = viz.select_view(g, since="2019").edges
    assert edge["statements"] == 1
    assert "New news." in edge["title"] and "Old news." not in edge["title"]
    [edge] = viz.select_view(g).edges
    assert edge["statements"] == 2


def test_undated_facts_are_left_out_by_a_date_range() -> None:
    g = Graph()
    add_fact(g, add_entity(g, "a"), "sued", add_entity(g, "b"))  # no statement, no date
    assert viz.select_view(g).edges
    assert not viz.select_view(g, until="2100").edges


def test_view_says_how_it_was_chosen() -> None:
    view = viz.select_view(
        newsroom_graph(), focus="kkr", hops=2, types="Organization,Person", since="2017",
        max_nodes=2,
    )
    text = view.describe()
    for part in ("around KKR (2 hops)", "types: Organization, Person", "since 2017",
                 "the 2 most closely connected of 4 matching entities (--max-nodes)"):
        assert part in text
    assert view.truncated and view.matched == 4
    assert view.summary() == "2 of 9 entities, 1 of 6 facts"
    assert viz.select_view(newsroom_graph()).describe() == ""


def test_node_tooltip_names_the_strongest_facts() -> None:
    g = newsroom_graph()
    # a second article for the deal makes it Fiserv's strongest fact
    later = add_article(g, "a2019b", "Deal closes", "2019-07-29")
    add_fact(g, ENT.fiserv, "acquired", ENT.first_data, later, "Fiserv completed the deal.")
    nodes = by_id(viz.select_view(g).nodes)
    tip = nodes[str(ENT.fiserv)]["title"]
    lines = tip.splitlines()
    facts = lines[lines.index("Facts:") + 1 :]
    assert facts[0] == "  Fiserv acquired First Data (2 articles)"
    assert "  Jeffery Yabuki works for Fiserv (1 article)" in facts
    assert "  Fiserv based in Wisconsin (1 article)" in facts
    assert nodes[str(ENT.lonely)]["title"].endswith("No facts.")


def test_node_tooltip_counts_the_facts_it_does_not_list() -> None:
    g = Graph()
    hub = add_entity(g, "hub", label="Hub")
    for i in range(8):
        add_fact(g, hub, "partnersWith", add_entity(g, f"p{i}", label=f"Partner {i}"))
    [node] = [n for n in viz.select_view(g).nodes if n["label"] == "Hub"]
    assert "Strongest facts (8 in all):" in node["title"]
    assert "… and 3 more" in node["title"]
    assert node["degree"] == 8


def test_nodes_arrive_laid_out() -> None:
    nodes = viz.select_view(newsroom_graph()).nodes
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)
    # only an entity without a fact sits out the physics (nothing would hold it)
    assert [n["label"] for n in nodes if n.get("physics") is False] == ["Lonely Phone"]


@pytest.mark.parametrize(
    "url, linked",
    [
        ("https://example.org/a?b=1&c=2", True),
        ("http://example.org/", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("//example.org/no-scheme", False),
    ],
)
def test_only_web_links_reach_the_page(url: str, linked: bool) -> None:
    g = Graph()
    article = ART.a
    g.add((article, DCTERMS.title, Literal("Title")))
    g.add((article, DCTERMS.source, URIRef(url)))
    add_fact(g, add_entity(g, "a"), "sued", add_entity(g, "b"), article, "A sued B.")
    [edge] = viz.select_view(g).edges
    [statement] = edge["evidence"]
    assert statement == {
        "text": "A sued B.", "title": "Title", "date": "", "url": url if linked else "",
        "confidence": 0.87, "negated": False,
    }
    assert (url in edge["title"]) is linked


def test_edge_tooltip_names_the_predicate() -> None:
    _, edges = graph_to_vis(demo_graph())
    title = edge_of(edges, ENT.xiaomi, "partnersWith", ENT.microsoft)["title"]
    assert "Relation: ng:partnersWith" in title
    assert "https://example.org/000_mou" in title
    assert "Click the edge" in title


def test_dataset_named_graphs_are_read_without_a_union_default() -> None:
    ds = Dataset(default_union=False)
    part = ds.graph(URIRef("https://w3id.org/newsgraph/graph/part"))
    for s, p, o in demo_graph():
        part.add((s, p, o))
    assert graph_to_vis(ds) == graph_to_vis(demo_graph())


def test_knowledge_graph_is_accepted(tmp_path: Path) -> None:
    from newsgraph import KnowledgeGraph

    ds = Dataset(default_union=True)
    ds.default_context.addN((s, p, o, ds.default_context) for s, p, o in demo_graph())
    kg = KnowledgeGraph(ds)
    assert graph_to_vis(kg) == graph_to_vis(demo_graph())
    page = kg.write_html(tmp_path / "kg.html", focus="Lei Jun", hops=0)
    assert "around Lei Jun (0 hops)" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", [None, "graph.ttl", 42, [("s", "p", "o")]])
def test_something_else_is_a_type_error(source: object) -> None:
    with pytest.raises(TypeError, match="rdflib Graph or a KnowledgeGraph"):
        viz.select_view(source)


def test_options_cannot_be_applied_to_a_view() -> None:
    view = viz.select_view(demo_graph())
    assert render_html_string(view) == render_html_string(demo_graph())
    with pytest.raises(TypeError, match="select again"):
        render_html_string(view, types="Person")


# --------------------------------------------------------------------------- HTML text

EXTERNAL_REF = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_render_html_writes_a_self_contained_page(tmp_path: Path) -> None:
    out = render_html(demo_graph(), tmp_path / "graph.html", title="Demo")
    assert out == tmp_path / "graph.html"
    document = out.read_text(encoding="utf-8")
    assert not EXTERNAL_REF.search(document)
    assert "bootstrap" not in document.lower()
    assert "<link" not in document.lower()
    assert not re.search(r"<script[^>]*\ssrc\s*=", document, re.I)
    assert "sourceMappingURL" not in document
    assert "Content-Security-Policy" in document and "default-src 'none'" in document
    # pyvis's global stays available to page scripts
    assert re.search(r"^var [^;]*\bnetwork\b", document, re.M)


def test_template_itself_names_no_url() -> None:
    for text in (viz._TEMPLATE, *viz._page_assets()):
        assert not re.search(r"https?:|//[\w.-]+\.\w", text, re.I)


def test_legend_lists_every_type_with_its_colour(tmp_path: Path) -> None:
    document = render_html_string(demo_graph())
    legend = document[document.index('<ul class="legend"') : document.index("</ul>")]
    for cls, colour in TYPE_COLOURS.items():
        assert cls in legend and colour in legend
    assert "Organization (2)" in legend and "Place (2)" in legend and "Product (0)" in legend


def test_heading_is_escaped() -> None:
    document = render_html_string(Graph(), title=XSS_IMG)
    assert XSS_IMG not in document
    assert "<h1>&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;</h1>" in document or (
        "<h1>&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;</h1>" in document
    )


def test_page_has_search_and_filters_for_what_it_shows() -> None:
    document = render_html_string(newsroom_graph(), predicates="worksFor")
    assert 'id="search"' in document and '<datalist id="names">' in document
    boxes = re.findall(r'data-predicate="(\w+)"', document)
    assert sorted(boxes) == ["leads", "worksFor"]
    assert re.findall(r'data-type="(\w+)"', document) == list(TYPE_COLOURS)
    assert "works for (1)" in document and "leads (1)" in document


def test_header_says_what_is_left_out() -> None:
    document = render_html_string(newsroom_graph(), max_nodes=2)
    assert "2 of 9 entities · 1 of 6 facts" in document
    assert "the 2 most connected of 9 matching entities (--max-nodes)" in document
    full = render_html_string(newsroom_graph())
    assert "9 entities · 6 facts" in full and 'class="selection"' not in full


def test_focus_names_in_the_header_are_escaped() -> None:
    g = Graph()
    add_fact(g, add_entity(g, "x", label=XSS_IMG), "sued", add_entity(g, "y"))
    document = render_html_string(g, focus=XSS_IMG)
    assert XSS_IMG not in document
    assert "around &lt;img src=x onerror=" in document


def test_untrusted_text_is_escaped_in_the_data_block() -> None:
    g = Graph()
    x = add_entity(g, "x", label=XSS_SCRIPT, aliases=(XSS_IMG,))
    add_fact(g, x, "sued", add_entity(g, "y"), add_article(g, "a", XSS_SCRIPT), XSS_IMG)
    document = render_html_string(g)
    assert XSS_SCRIPT not in document and XSS_IMG not in document
    data = json.loads(embedded_data(document))
    assert XSS_SCRIPT in {n["label"] for n in data["nodes"]}
    assert XSS_SCRIPT in data["edges"][0]["title"] and XSS_IMG in data["edges"][0]["title"]


def test_script_json_round_trips_and_hides_markup() -> None:
    text = "</script><!-- & \u2028 \u2029 </SCRIPT >"
    out = script_json({"t": text})
    assert json.loads(out) == {"t": text}
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in out


def test_overwrite_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")
    render_html(demo_graph(), target)
    assert "newsgraph-data" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match=r"graph\.html"):
        render_html(demo_graph(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]


def test_unwritable_path_raises_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="missing"):
        render_html(Graph(), tmp_path / "missing" / "graph.html")


# --------------------------------------------------------------------------- property

any_text = st.text(max_size=60)
markupish = st.text(alphabet="<>/&!-'\"=sSciptrCRIPT \u2028\u2029", max_size=40)
texts = st.one_of(any_text, markupish, st.sampled_from([XSS_SCRIPT, XSS_IMG, "<!--", "</script"]))


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=texts, alias=texts, evidence=texts, title=texts, heading=texts)
def test_arbitrary_text_never_escapes_the_data_block(
    label: str, alias: str, evidence: str, title: str, heading: str
) -> None:
    g = Graph()
    a = add_entity(g, "a", label=label, aliases=(alias,))
    add_fact(g, a, "acquired", add_entity(g, "b"), add_article(g, "x", title), evidence)
    document = render_html_string(g, title=heading)

    data = embedded_data(document)
    assert "<" not in data and ">" not in data
    assert "\u2028" not in data and "\u2029" not in data
    # The block ends exactly where the template ends it: the JSON parses whole.
    payload = json.loads(data)
    [edge] = payload["edges"]
    assert evidence in edge["title"] and title in edge["title"]
    node = next(n for n in payload["nodes"] if n["id"] == str(a))
    assert node["label"] == (label or "a")
    # No extra element terminators anywhere: exactly the template's three scripts.
    assert len(re.findall(r"</script", document, re.I)) == 3
    assert document.count("<!--") == 0


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_script_json_property(text: str) -> None:
    out = script_json(text)
    assert json.loads(out) == text
    assert not set(out) & {"<", ">", "&", "\u2028", "\u2029"}


# --------------------------------------------------------------------------- command line


@pytest.fixture(scope="module")
def newsroom_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "newsroom.ttl"
    newsroom_graph().serialize(path, format="turtle")
    return path


def run_cli(*args: str):
    from click.testing import CliRunner

    from newsgraph.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    "args, labels",
    [
        ([], EVERYONE),
        (["--focus", "kkr", "--hops", "2"], {"KKR", "First Data", "Fiserv", "Frank Bisignano"}),
        (["--focus", "KKR", "--focus", "AT&T"], {"KKR", "First Data", "AT&T", "Huawei"}),
        (["--types", "Person,Place"], {"Frank Bisignano", "Jeffery Yabuki", "Wisconsin"}),
        (["--predicates", "worksFor"],
         {"Jeffery Yabuki", "Fiserv", "Frank Bisignano", "First Data"}),
        (["--since", "2018", "--until", "2018-12-31"], {"AT&T", "Huawei", "Lonely Phone"}),
        (["--min-mentions", "5"], {"Fiserv", "Huawei", "Lonely Phone"}),
        (["--max-nodes", "2"], {"Fiserv", "First Data"}),
        (["--max-nodes", "0"], EVERYONE),
    ],
)
@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nt"])
def test_viz_command_writes_the_selected_page(
    newsroom_file: Path, tmp_path: Path, args: list[str], labels: set[str], suffix: str
) -> None:
    graph_file = tmp_path / f"newsroom{suffix}"
    if suffix == ".trig":  # one named graph per part, as newsgraph writes TriG
        ds = Dataset()
        part = ds.graph(URIRef("https://example.org/part"))
        for triple in Graph().parse(newsroom_file):
            part.add(triple)
        ds.serialize(graph_file, format="trig")
    else:
        fmt = {".ttl": "turtle", ".nt": "nt"}[suffix]
        Graph().parse(newsroom_file).serialize(graph_file, format=fmt, encoding="utf-8")
    out = tmp_path / "page.html"
    result = run_cli("viz", str(graph_file), "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    payload = json.loads(embedded_data(out.read_text(encoding="utf-8")))
    assert {n["label"] for n in payload["nodes"]} == labels
    assert f"{len(labels)} of 9 entities" in result.stderr
    assert "<title>newsroom</title>" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--focus", "Fiserve"], "no entity named 'Fiserve' in the graph; did you mean 'Fiserv'?"),
        (["--types", "Persons"], "unknown type 'Persons'"),
        (["--predicates", "acquires"], "unknown predicate 'acquires'"),
        (["--since", "16/01/2019"], "--since '16/01/2019' is not a date"),
        (["--since", "2020", "--until", "2019"], "--since 2020 is after --until 2019"),
    ],
)
def test_viz_command_reports_a_bad_option_in_one_line(
    newsroom_file: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "page.html"
    result = run_cli("viz", str(newsroom_file), "-o", str(out), *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"newsgraph: error: {message}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("missing.ttl", None, "missing.ttl: no such file"),
        ("broken.ttl", "this is not turtle", "broken.ttl: not valid turtle"),
        ("graph.csv", "a,b", "unknown graph format '.csv'"),
    ],
)
def test_viz_command_reports_an_unreadable_graph(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    source = tmp_path / name
    if content is not None:
        source.write_text(content, encoding="utf-8")
    result = run_cli("viz", str(source), "-o", str(tmp_path / "page.html"))
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_viz_command_title_and_quiet(newsroom_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = run_cli("viz", str(newsroom_file), "-o", str(out), "--title", "Deals <2019>", "-q")
    assert result.exit_code == 0 and result.stderr == ""
    assert "<h1>Deals &lt;2019&gt;</h1>" in out.read_text(encoding="utf-8")


def test_build_html_uses_the_same_renderer(tmp_path: Path) -> None:
    from paths import SEEDS, SMALL_MODEL

    out, html = tmp_path / "seeds.ttl", tmp_path / "seeds.html"
    result = run_cli("build", str(SEEDS), "-o", str(out), "--html", str(html),
                     "--model", SMALL_MODEL, "-q")
    assert result.exit_code == 0, result.output
    built = html.read_text(encoding="utf-8")
    again = tmp_path / "again.html"
    assert run_cli("viz", str(out), "-o", str(again), "--title", "seeds").exit_code == 0
    drawn = again.read_text(encoding="utf-8")
    # the same page, but for what the file round trip cannot keep byte for byte
    assert json.loads(embedded_data(built))["nodes"] == json.loads(embedded_data(drawn))["nodes"]
    assert 'id="search"' in built and "newsgraph-data" in built


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def chromium():
    """One headless system Chromium for every browser test of this module."""
    from browser import chromium_missing_reason, launch_chromium

    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_html(demo_graph(), tmp_path_factory.mktemp("viz") / "demo.html", title="Demo")


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    g = Graph()
    x = add_entity(g, "x", "Organization", f"Evil {XSS_SCRIPT}", aliases=(XSS_IMG,))
    y = add_entity(g, "y", "Person", XSS_IMG)
    article = add_article(g, "hostile", f"Breaking {XSS_SCRIPT} {XSS_IMG}")
    g.set((article, DCTERMS.source, URIRef("javascript:window.__pwned=1")))
    add_fact(g, x, "sued", y, article, f"It said {XSS_IMG} and {XSS_SCRIPT}.")
    path = tmp_path_factory.mktemp("viz") / "hostile.html"
    return render_html(g, path, title=f"Title {XSS_SCRIPT}")


def wait_until_stable(page) -> None:
    page.wait_for_selector("body[data-stabilized='true']", state="attached", timeout=20_000)


def test_page_loads_offline_without_errors(chromium, demo_page: Path) -> None:
    from browser import open_offline

    with open_offline(chromium, demo_page) as (page, log):
        wait_until_stable(page)
        assert page.evaluate("network.body.data.nodes.length") == 5
        assert page.evaluate("network.body.data.edges.length") == 3
        assert page.evaluate("network.physics.physicsEnabled") is False
        assert "Organization (2)" in page.inner_text("ul.legend")
        assert page.inner_text("h1") == "Demo"
    assert log.blocked == []
    assert log.errors == []


def test_hover_shows_node_and_edge_tooltips(chromium, demo_page: Path) -> None:
    from browser import hover_tooltip, open_offline, screen_point_of_node, screen_points_of_edge

    with open_offline(chromium, demo_page) as (page, log):
        wait_until_stable(page)
        tip = hover_tooltip(page, screen_point_of_node(page, str(ENT.xiaomi)), "Xiaomi Corp")
        text = tip.inner_text()
        assert "Type: Organization" in text and "Mentions: 12" in text

        edge_id = page.evaluate(
            "network.body.data.edges.get({filter: e => e.predicate === 'partnersWith'})[0].id"
        )
        tip = hover_tooltip(page, screen_points_of_edge(page, edge_id), "sign MoU")
        text = tip.inner_text()
        assert "Xiaomi signed an MoU with Microsoft." in text
        assert "Xiaomi and Microsoft sign MoU" in text and "2018-02-23" in text
    assert log.blocked == [] and log.errors == []


def test_markup_in_article_text_is_shown_as_text(chromium, hostile_page: Path) -> None:
    from browser import hover_tooltip, open_offline, screen_point_of_node, screen_points_of_edge

    with open_offline(chromium, hostile_page) as (page, log):
        wait_until_stable(page)
        assert page.evaluate("network.body.data.edges.length") == 1
        edge_id = page.evaluate("network.body.data.edges.getIds()[0]")
        tip = hover_tooltip(page, screen_points_of_edge(page, edge_id), "It said")
        text = tip.inner_text()
        assert f"It said {XSS_IMG} and {XSS_SCRIPT}." in text
        assert f"Breaking {XSS_SCRIPT} {XSS_IMG}" in text
        assert tip.query_selector("img, script") is None

        tip = hover_tooltip(page, screen_point_of_node(page, str(ENT.x)), "Also known as")
        assert f"Evil {XSS_SCRIPT}" in tip.inner_text() and XSS_IMG in tip.inner_text()
        assert tip.query_selector("img, script") is None

        assert page.inner_text("h1") == f"Title {XSS_SCRIPT}"

        # the details panel, the search suggestions: text too, and no javascript: link
        click_node(page, str(ENT.x))
        assert page.inner_text("#details h2") == f"Evil {XSS_SCRIPT}"
        assert XSS_IMG in page.inner_text("#details")
        page.click("#details ul.facts button")
        assert page.inner_text("#details blockquote") == f"It said {XSS_IMG} and {XSS_SCRIPT}."
        assert page.inner_text("#details figcaption").startswith(f"Breaking {XSS_SCRIPT}")
        assert page.query_selector("#details a") is None
        labels = page.evaluate("[...document.querySelectorAll('#names option')].map(o => o.value)")
        assert f"Evil {XSS_SCRIPT}" in labels and XSS_IMG in labels
        page.fill("#search", XSS_IMG)
        page.press("#search", "Enter")
        # y is named so, x has it as an alias: both are found
        assert sorted(page.evaluate("network.getSelectedNodes()")) == [str(ENT.x), str(ENT.y)]

        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert log.blocked == [] and log.errors == []


def test_csp_blocks_injected_script(chromium, demo_page: Path, tmp_path: Path) -> None:
    """Defence in depth: were escaping ever to fail, injected inline code would not run."""
    from browser import open_offline, wait_until

    document = demo_page.read_text(encoding="utf-8")
    injected = document.replace("</body>", f"{XSS_SCRIPT}{XSS_IMG}</body>")
    path = tmp_path / "injected.html"
    path.write_text(injected, encoding="utf-8")
    with open_offline(chromium, path) as (page, log):
        wait_until_stable(page)  # the page's own scripts still run
        # both injections were tried, and refused: the script, then the image's handler
        page.wait_for_function("[...document.images].every(i => i.complete)")
        for what in ("inline script", "inline event handler"):
            wait_until(page, lambda what=what: any(what in e for e in log.errors))
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert all("Content Security Policy" in e for e in log.errors), log.errors


def test_empty_graph_page_works(chromium, tmp_path: Path) -> None:
    from browser import open_offline

    path = render_html(Graph(), tmp_path / "empty.html")
    with open_offline(chromium, path) as (page, log):
        wait_until_stable(page)
        counts = "[network.body.data.nodes.length, network.body.data.edges.length]"
        assert page.evaluate(counts) == [
            0,
            0,
        ]
    assert log.blocked == [] and log.errors == []


def test_harness_catches_pyvis_default_cdn_request(chromium, tmp_path: Path) -> None:
    """The offline check is not vacuous: pyvis's own in_line page is caught fetching Bootstrap."""
    from browser import open_offline, wait_until
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.add_node("a")
    path = tmp_path / "pyvis_default.html"
    path.write_text(net.generate_html(), encoding="utf-8")
    with open_offline(chromium, path) as (page, log):
        wait_until(page, lambda: any("bootstrap" in url for url in log.blocked))


def test_seed_build_page_opens_offline_without_errors(chromium, seeds_kg, tmp_path: Path) -> None:
    """The real build of the example articles, as the README's first command writes it."""
    from browser import hover_tooltip, open_offline, screen_point_of_node, screen_points_of_edge

    path = seeds_kg.write_html(tmp_path / "seeds.html", title="seeds")
    with open_offline(chromium, path) as (page, log):
        wait_until_stable(page)
        assert page.evaluate("network.body.data.nodes.length") == seeds_kg.stats.entities
        labels = page.evaluate("network.body.data.nodes.map(n => n.label)")
        assert "Xiaomi" in labels and "Microsoft" in labels
        assert page.evaluate("network.body.data.edges.length") == seeds_kg.stats.facts >= 8

        xiaomi = page.evaluate("nodes.get({filter: n => n.label === 'Xiaomi'})[0].id")
        tip = hover_tooltip(page, screen_point_of_node(page, xiaomi), "Mentions:")
        assert "Type: Organization" in tip.inner_text()
        assert re.search(r"(Strongest facts \(\d+ in all\)|Facts):\n  \w", tip.inner_text())
        partners = page.evaluate(
            "edges.get({filter: e => e.predicate === 'partnersWith'"
            " && [e.from, e.to].some(id => nodes.get(id).label === 'Microsoft')})[0].id"
        )
        tip = hover_tooltip(page, screen_points_of_edge(page, partners), "memorandum of")
        assert "supporting statement" in tip.inner_text()

        page.click("input[data-type='Person']")
        assert "Wang Xiang" not in page.evaluate("network.body.data.nodes.map(n => n.label)")
    assert log.blocked == [] and log.errors == []


# --------------------------------------------------------------------------- browser: exploring


@pytest.fixture(scope="module")
def newsroom_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_html(newsroom_graph(), tmp_path_factory.mktemp("viz") / "newsroom.html")


SHOWN = "[network.body.data.nodes.length, network.body.data.edges.length]"
SHOWN_LABELS = "network.body.data.nodes.map(n => n.label).sort()"


def toggle(page, selector: str) -> None:
    page.click(selector)


@pytest.mark.parametrize(
    "clicks, nodes, edges, gone",
    [
        ([], 9, 6, set()),
        # people go, and with them the facts that need them
        (["input[data-type='Person']"], 7, 4, {"Frank Bisignano", "Jeffery Yabuki"}),
        # Wisconsin's only fact goes, so Wisconsin goes; Fiserv keeps others
        (["input[data-predicate='basedIn']"], 8, 5, {"Wisconsin"}),
        # no relation at all: only the entity without facts is left
        (["#predicates-none"], 1, 0, EVERYONE - {"Lonely Phone"}),
        (["#predicates-none", "#predicates-all"], 9, 6, set()),
        (["input[data-type='Person']", "input[data-type='Person']"], 9, 6, set()),
        (["input[data-type='Product']"], 8, 6, {"Lonely Phone"}),
    ],
)
def test_filters_change_what_is_shown(
    chromium, newsroom_page: Path, clicks: list[str], nodes: int, edges: int, gone: set[str]
) -> None:
    from browser import open_offline

    with open_offline(chromium, newsroom_page) as (page, log):
        wait_until_stable(page)
        for selector in clicks:
            toggle(page, selector)
        assert page.evaluate(SHOWN) == [nodes, edges]
        assert set(page.evaluate(SHOWN_LABELS)) == EVERYONE - gone
        # every edge shown has both ends shown
        assert page.evaluate(
            """network.body.data.edges.get().every(e =>
                 network.body.data.nodes.get(e.from) && network.body.data.nodes.get(e.to))"""
        )
        stats = page.inner_text("#stats")
        if gone:
            assert stats == f"{nodes} of 9 entities · {edges} of 6 facts shown"
        else:  # every filter back on: the page says what it said at first
            assert stats == "9 entities · 6 facts"
    assert log.blocked == [] and log.errors == []


def test_a_node_that_comes_back_keeps_its_place(chromium, newsroom_page: Path) -> None:
    from browser import open_offline

    with open_offline(chromium, newsroom_page) as (page, log):
        wait_until_stable(page)
        where = f"network.getPositions([{json.dumps(str(ENT.wisconsin))}])"
        before = page.evaluate(where)
        toggle(page, "input[data-type='Place']")
        assert page.evaluate(where) == {}
        toggle(page, "input[data-type='Place']")
        assert page.evaluate(where) == before
    assert log.errors == []


def click_node(page, node_id: str) -> None:
    from browser import screen_point_of_node

    point = screen_point_of_node(page, node_id)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#details:not([hidden])")


@pytest.mark.parametrize(
    "hops, labels",
    [
        (1, {"KKR", "First Data"}),
        (2, {"KKR", "First Data", "Fiserv", "Frank Bisignano"}),
        (3, {"KKR", "First Data", "Fiserv", "Frank Bisignano", "Jeffery Yabuki", "Wisconsin"}),
    ],
)
def test_focus_in_the_page_shows_the_neighbourhood(
    chromium, newsroom_page: Path, hops: int, labels: set[str]
) -> None:
    from browser import open_offline

    with open_offline(chromium, newsroom_page) as (page, log):
        wait_until_stable(page)
        click_node(page, str(ENT.kkr))
        assert page.inner_text("#details h2") == "KKR"
        page.select_option("#details select", index=hops - 1)
        page.click("#details button:has-text('Focus here')")
        assert set(page.evaluate(SHOWN_LABELS)) == labels
        assert f"Around KKR ({hops} hop" in page.inner_text("#focus-note")
        page.click("#focus-clear")
        assert page.evaluate(SHOWN) == [9, 6]
        assert page.is_hidden("#focus-note")
    assert log.blocked == [] and log.errors == []


@pytest.mark.parametrize(
    "query, selected, status",
    [
        ("Fiserv", [ENT.fiserv], ""),
        ("fiserv inc", [ENT.fiserv], ""),  # an alias, any case
        ("bisig", [ENT.frank_bisignano], ""),  # part of a name
        ("a", None, "matches"),  # many: all selected, the status names a few
        ("Nobody", [], "No entity matches “Nobody”."),
    ],
)
def test_search_box_finds_entities(
    chromium, newsroom_page: Path, query: str, selected: list | None, status: str
) -> None:
    from browser import open_offline

    with open_offline(chromium, newsroom_page) as (page, log):
        wait_until_stable(page)
        page.fill("#search", query)
        page.press("#search", "Enter")
        chosen = page.evaluate("network.getSelectedNodes()")
        if selected is None:
            assert len(chosen) > 3
        else:
            assert chosen == [str(s) for s in selected]
        if selected:
            assert page.inner_text("#details h2") == page.evaluate(
                f"nodes.get({json.dumps(str(selected[0]))}).label"
            )
        assert status in page.inner_text("#status")
    assert log.blocked == [] and log.errors == []


def test_search_says_when_filters_hide_the_match(chromium, newsroom_page: Path) -> None:
    from browser import open_offline

    with open_offline(chromium, newsroom_page) as (page, log):
        wait_until_stable(page)
        toggle(page, "input[data-type='Person']")
        page.fill("#search", "Jeffery Yabuki")
        page.press("#search", "Enter")
        assert "hidden by the filters" in page.inner_text("#status")
        assert page.evaluate("network.getSelectedNodes()") == []
    assert log.errors == []


def test_details_panel_shows_evidence_with_links(chromium, newsroom_page: Path) -> None:
    from browser import open_offline

    with open_offline(chromium, newsroom_page) as (page, log):
        wait_until_stable(page)
        click_node(page, str(ENT.fiserv))
        facts = page.inner_text("#details ul.facts")
        assert "Fiserv acquired First Data (1 statement)" in facts
        page.click("#details ul.facts button:has-text('acquired')")
        assert page.inner_text("#details h2") == "Fiserv acquired First Data"
        assert page.inner_text("#details .predicate") == "ng:acquired"
        assert page.inner_text("#details blockquote") == "Fiserv will acquire First Data."
        link = page.query_selector("#details figcaption a")
        assert link.inner_text() == "Fiserv to buy First Data"
        assert link.get_attribute("href") == "https://example.org/a2019"
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert "2019-01-16 · confidence 0.87" in page.inner_text("#details figcaption")
        page.click("#details h2 button:has-text('First Data')")  # to the other end
        assert page.inner_text("#details h2") == "First Data"
        page.click("#details-close")
        assert page.is_hidden("#details")
    assert log.blocked == [] and log.errors == []  # showing a link fetches nothing


@pytest.mark.parametrize(
    "args, nodes, edges",
    [
        (["--focus", "First Data"], 4, 3),
        (["--since", "2019-01-01", "--types", "Organization,Person"], 4, 3),
        (["--predicates", "blockedBy"], 2, 1),
    ],
)
def test_pages_from_the_command_line_show_the_selection(
    chromium, newsroom_file: Path, tmp_path: Path, args: list[str], nodes: int, edges: int
) -> None:
    from browser import open_offline

    out = tmp_path / "selected.html"
    assert run_cli("viz", str(newsroom_file), "-o", str(out), *args).exit_code == 0
    with open_offline(chromium, out) as (page, log):
        wait_until_stable(page)
        assert page.evaluate(SHOWN) == [nodes, edges]
    assert log.blocked == [] and log.errors == []


# --------------------------------------------------------------------------- browser: a big graph

DRAW_BUDGET_S = 15.0  # issue 6: the 510 BBC business articles render and are drawn within this


@pytest.fixture(scope="module")
def bbc_pages(bbc_business_kg, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The BBC business graph as the default page and with every entity, timed in Python."""
    folder = tmp_path_factory.mktemp("bbc")
    pages = {}
    for name, limit in (("default", viz.DEFAULT_MAX_NODES), ("every entity", None)):
        started = time.perf_counter()
        view = viz.select_view(bbc_business_kg, max_nodes=limit)
        path = render_html(view, folder / f"{name}.html", title="BBC business")
        pages[name] = (path, view, time.perf_counter() - started)
    return pages


@pytest.mark.parametrize("which", ["default", "every entity"])
def test_bbc_business_graph_renders_and_draws_within_budget(
    chromium, bbc_pages: dict, which: str
) -> None:
    from browser import open_offline

    path, view, render_s = bbc_pages[which]
    assert view.entities > 2000 and view.facts > 1000  # a big graph, or the test means nothing
    if which == "every entity":
        assert (len(view.nodes), len(view.edges)) == (view.entities, view.facts)
    started = time.perf_counter()
    with open_offline(chromium, path) as (page, log):
        page.wait_for_selector(
            "body[data-drawn='true']", state="attached", timeout=DRAW_BUDGET_S * 1000
        )
        wall_s = time.perf_counter() - started
        drawn_s = page.evaluate("newsgraph.timings.drawn") / 1000  # since navigation started
        assert page.evaluate(SHOWN) == [len(view.nodes), len(view.edges)]
        assert page.evaluate("network.physics.physicsEnabled") is False
    assert log.blocked == [] and log.errors == []
    assert render_s + max(wall_s, drawn_s) < DRAW_BUDGET_S, (render_s, wall_s, drawn_s)


def test_bbc_page_is_idle_once_drawn_and_pans_and_zooms_smoothly(
    chromium, bbc_pages: dict
) -> None:
    from browser import open_offline

    path, _view, _ = bbc_pages["every entity"]
    with open_offline(chromium, path) as (page, log):
        page.wait_for_selector("body[data-drawn='true']", state="attached", timeout=30_000)
        page.evaluate(
            """() => { window.__frames = []; let t = 0;
                       network.on('beforeDrawing', () => { t = performance.now(); });
                       network.on('afterDrawing', () => { __frames.push(performance.now() - t); });
                     }"""
        )
        page.wait_for_timeout(1000)
        assert page.evaluate("__frames.length") == 0  # physics stopped: nothing redraws
        middle = page.evaluate(
            """() => { const r = network.body.container.getBoundingClientRect();
                       return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }"""
        )
        page.mouse.move(middle["x"], middle["y"])
        scale = page.evaluate("network.getScale()")
        for delta in (-240, -240, -240, 240):
            page.mouse.wheel(0, delta)
            page.wait_for_timeout(50)
        assert page.evaluate("network.getScale()") > scale  # the wheel zoomed in
        view_before = page.evaluate("network.getViewPosition()")
        page.mouse.down()
        for step in range(1, 16):
            page.mouse.move(middle["x"] + 12 * step, middle["y"] + 8 * step)
        page.mouse.up()
        assert page.evaluate("network.getViewPosition()") != view_before  # the drag panned
        frames = sorted(page.evaluate("__frames"))
    assert len(frames) >= 5
    # Headless Chromium draws in software on a shared CI core; a desktop GPU is many
    # times faster. This still catches a page that redraws everything slowly.
    assert frames[len(frames) // 2] < 150, frames
    assert log.errors == []


def test_bbc_tooltips_show_on_hover(chromium, bbc_pages: dict) -> None:
    from browser import hover_tooltip, open_offline, screen_point_of_node, screen_points_of_edge

    path, view, _ = bbc_pages["default"]
    hub = max(view.nodes, key=lambda n: (n["degree"], n["id"]))
    strongest = sorted(view.edges, key=lambda e: (-e["statements"], e["id"]))[:5]
    with open_offline(chromium, path) as (page, log):
        wait_until_stable(page)
        page.evaluate(f"network.focus({json.dumps(hub['id'])}, {{scale: 1.2}})")
        tip = hover_tooltip(page, screen_point_of_node(page, hub["id"]), "Mentions:")
        assert tip.inner_text().startswith(hub["label"])
        assert "Strongest facts" in tip.inner_text() or "Facts:" in tip.inner_text()
        # the best supported fact that can be pointed at alone (another may cross it)
        for edge in strongest:
            page.evaluate(
                """(id) => { const e = network.body.data.edges.get(id);
                             const p = network.getPositions([e.from, e.to]);
                             network.moveTo({position: {x: (p[e.from].x + p[e.to].x) / 2,
                                                        y: (p[e.from].y + p[e.to].y) / 2},
                                             scale: 1.2}); }""",
                edge["id"],
            )
            try:
                points = screen_points_of_edge(page, edge["id"])
            except Exception:  # no point of it hits it alone
                continue
            first_line = edge["title"].split("\n")[0]
            tip = hover_tooltip(page, points, first_line)
            assert f"Relation: ng:{edge['predicate']}" in tip.inner_text()
            assert "supporting statement" in tip.inner_text()
            break
        else:
            pytest.fail("none of the five best supported facts can be hovered alone")
    assert log.blocked == [] and log.errors == []
