"""Tests for newsgraph.viz: the vis records, the HTML page, and the page in Chromium.

Graphs are built by hand in the shape of CONTRACT.md section 3; no NLP model is
needed. The browser tests drive the system Chromium offline (see ``browser.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, SKOS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from newsgraph import viz
from newsgraph.errors import OutputError
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
    from browser import hover_tooltip, open_offline, screen_point_of_edge, screen_point_of_node

    with open_offline(chromium, demo_page) as (page, log):
        wait_until_stable(page)
        tip = hover_tooltip(page, screen_point_of_node(page, str(ENT.xiaomi)), "Xiaomi Corp")
        text = tip.inner_text()
        assert "Type: Organization" in text and "Mentions: 12" in text

        edge_id = page.evaluate(
            "network.body.data.edges.get({filter: e => e.predicate === 'partnersWith'})[0].id"
        )
        tip = hover_tooltip(page, screen_point_of_edge(page, edge_id), "sign MoU")
        text = tip.inner_text()
        assert "Xiaomi signed an MoU with Microsoft." in text
        assert "Xiaomi and Microsoft sign MoU" in text and "2018-02-23" in text
    assert log.blocked == [] and log.errors == []


def test_markup_in_article_text_is_shown_as_text(chromium, hostile_page: Path) -> None:
    from browser import hover_tooltip, open_offline, screen_point_of_edge, screen_point_of_node

    with open_offline(chromium, hostile_page) as (page, log):
        wait_until_stable(page)
        assert page.evaluate("network.body.data.edges.length") == 1
        edge_id = page.evaluate("network.body.data.edges.getIds()[0]")
        tip = hover_tooltip(page, screen_point_of_edge(page, edge_id), "It said")
        text = tip.inner_text()
        assert f"It said {XSS_IMG} and {XSS_SCRIPT}." in text
        assert f"Breaking {XSS_SCRIPT} {XSS_IMG}" in text
        assert tip.query_selector("img, script") is None

        tip = hover_tooltip(page, screen_point_of_node(page, str(ENT.x)), "Also known as")
        assert f"Evil {XSS_SCRIPT}" in tip.inner_text() and XSS_IMG in tip.inner_text()
        assert tip.query_selector("img, script") is None

        assert page.inner_text("h1") == f"Title {XSS_SCRIPT}"
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert log.blocked == [] and log.errors == []


def test_csp_blocks_injected_script(chromium, demo_page: Path, tmp_path: Path) -> None:
    """Defence in depth: were escaping ever to fail, injected inline code would not run."""
    from browser import open_offline

    document = demo_page.read_text(encoding="utf-8")
    injected = document.replace("</body>", f"{XSS_SCRIPT}{XSS_IMG}</body>")
    path = tmp_path / "injected.html"
    path.write_text(injected, encoding="utf-8")
    with open_offline(chromium, path) as (page, log):
        wait_until_stable(page)  # the page's own scripts still run
        page.wait_for_timeout(100)
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert any("Content Security Policy" in e for e in log.errors), log.errors


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
    from browser import open_offline
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.add_node("a")
    path = tmp_path / "pyvis_default.html"
    path.write_text(net.generate_html(), encoding="utf-8")
    with open_offline(chromium, path) as (page, log):
        page.wait_for_timeout(200)
    assert any("bootstrap" in url for url in log.blocked), log.blocked


def test_seed_build_page_opens_offline_without_errors(chromium, seeds_kg, tmp_path: Path) -> None:
    """The real build of the example articles, as the README's first command writes it."""
    from browser import open_offline

    path = seeds_kg.write_html(tmp_path / "seeds.html", title="seeds")
    with open_offline(chromium, path) as (page, log):
        wait_until_stable(page)
        assert page.evaluate("network.body.data.nodes.length") == seeds_kg.stats.entities
        labels = page.evaluate("network.body.data.nodes.map(n => n.label)")
        assert "Xiaomi" in labels and "Microsoft" in labels
        assert page.evaluate("network.body.data.edges.length") >= 8
    assert log.blocked == [] and log.errors == []
