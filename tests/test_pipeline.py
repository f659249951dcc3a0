"""The Python API: newsgraph.build over paths, Article objects and strings."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from paths import SEEDS, SMALL_MODEL
from rdflib import Graph
from rdflib.compare import isomorphic

import newsgraph
from newsgraph import Article, ErrorReport, KnowledgeGraph
from newsgraph.errors import ExtractorError, InputError, ModelNotFoundError
from newsgraph.export import union_graph
from newsgraph.ontology import ENT


def test_build_from_strings_and_articles() -> None:
    kg = newsgraph.build([
        "Acme Corp agreed to acquire Globex for $2 billion, the companies said.",
        Article(id="b", text="Oracle sued Google in a federal court in California.",
                title="Oracle sues Google", date="2021-02-03"),
    ])
    assert kg.stats.articles == 2
    assert kg.query("ASK { ?a ng:acquired ?b }").askAnswer
    assert kg.query("ASK { ent:oracle ng:sued ent:google }").askAnswer
    assert isinstance(kg.graph, Graph)


def test_build_accepts_a_single_path() -> None:
    kg = newsgraph.build(SEEDS / "000_61b824737333c4b0.txt", model=SMALL_MODEL)
    assert kg.stats.articles == 1


def test_stats_count_what_was_built(seeds_kg) -> None:
    stats = seeds_kg.stats
    assert stats.articles == 2
    assert stats.words > 700  # the seeds without their footer, teasers and bio
    assert stats.entities >= 10
    assert stats.facts >= 8
    assert stats.failures == []


def test_to_networkx_is_a_multidigraph(seeds_kg) -> None:
    g = seeds_kg.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_edges() >= 8


def test_write_and_load_round_trip(seeds_kg, tmp_path: Path) -> None:
    for suffix in (".ttl", ".trig"):
        path = seeds_kg.write(tmp_path / f"g{suffix}")
        loaded = KnowledgeGraph.load(path)
        assert len(loaded) == len(seeds_kg)
        assert loaded.query("ASK { ent:lei-jun ng:leads ent:xiaomi }").askAnswer


def test_write_html(seeds_kg, tmp_path: Path) -> None:
    html = seeds_kg.write_html(tmp_path / "g.html").read_text(encoding="utf-8")
    assert "Xiaomi" in html and "<script" in html


def test_bad_inputs_are_reported_and_the_rest_is_built(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    report = ErrorReport("skip")
    kg = newsgraph.build([missing, "Acme Corp sued Globex Inc."], model=SMALL_MODEL,
                         report=report)
    assert [f.source for f in report.failures] == [str(missing)]
    assert kg.stats.articles == 1
    assert kg.stats.failures == [str(report.failures[0])]


def test_raise_policy_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt"):
        newsgraph.build([tmp_path / "nope.txt"], model=SMALL_MODEL,
                        report=ErrorReport("raise"))


def test_missing_model() -> None:
    with pytest.raises(ModelNotFoundError, match="pip install"):
        newsgraph.build(["Acme sued Globex."], model="xx_missing_model")


def test_unknown_extractor() -> None:
    with pytest.raises(ExtractorError, match="verb-frames"):
        newsgraph.build(["Acme sued Globex."], model=SMALL_MODEL, extractors=["nope"])


def test_extractor_selection_limits_predicates() -> None:
    text = ("Chinese smartphone maker Xiaomi signed a partnership agreement with Microsoft. "
            "Xiaomi's chief executive Lei Jun spoke in Beijing.")
    only_titles = newsgraph.build([text], model=SMALL_MODEL, extractors=["titles"])
    everything = newsgraph.build([text], model=SMALL_MODEL)

    def relations(kg: KnowledgeGraph) -> set[str]:
        rows = kg.query("SELECT DISTINCT ?p WHERE { ?st rdf:predicate ?p }")
        return {str(r.p).rsplit("#", 1)[-1] for r in rows}

    assert relations(only_titles) == {"leads"}
    assert relations(everything) > {"leads"}


def test_min_confidence_filters_asserted_facts(seeds_kg) -> None:
    strict = newsgraph.build([SEEDS], min_confidence=0.99)
    assert strict.stats.facts < seeds_kg.stats.facts


def test_one_node_per_entity_when_articles_repeat_names() -> None:
    kg = newsgraph.build([
        Article(id="a", text="Huawei Technologies Co Ltd sued T-Mobile US Inc in Texas."),
        Article(id="b", text="Huawei said on Monday it would appeal. Huawei is based in China."),
    ], model=SMALL_MODEL)
    rows = list(kg.query(
        'SELECT ?e WHERE { ?e a ?t ; rdfs:label ?l FILTER(CONTAINS(LCASE(?l), "huawei")) }'))
    assert len(rows) == 1
    assert rows[0].e == ENT.huawei


def test_several_processes_give_the_same_graph() -> None:
    texts = [f"Acme{i} Corp sued Globex{i} Inc in Ohio." for i in range(6)]
    one = newsgraph.build(texts)
    two = newsgraph.build(texts, processes=2, batch_size=2)
    assert one.stats.facts == two.stats.facts > 0
    assert isomorphic(union_graph(one.graph), union_graph(two.graph))


def test_a_second_article_with_the_same_id_is_reported_and_skipped(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(f"Oracle sued Google in {folder}.",
                                                 encoding="utf-8")
    report = ErrorReport("skip")
    kg = newsgraph.build([tmp_path / "a", tmp_path / "b"], model=SMALL_MODEL, report=report)
    assert kg.stats.articles == 1
    [failure] = report.failures
    assert failure.source.endswith("x.txt") and "/b/" in failure.source
    assert "duplicate article id 'x'" in failure.reason


def test_a_text_too_long_for_the_model_is_reported_and_the_rest_built() -> None:
    from newsgraph.nlp import load_pipeline

    limit = load_pipeline(SMALL_MODEL).max_length
    report = ErrorReport("skip")
    kg = newsgraph.build([Article(id="huge", text="word " * (limit // 5 + 1)),
                          "Oracle sued Google."], model=SMALL_MODEL, report=report)
    assert kg.stats.articles == 1
    assert [f.source for f in report.failures] == ["huge"]
    assert "too long" in report.failures[0].reason


def test_facts_are_counted_once_across_articles() -> None:
    kg = newsgraph.build([Article(id="a", text="Oracle Corp sued Google Inc in California."),
                          Article(id="b", text="Oracle Corp sued Google Inc in a US court.")])
    assert kg.query("ASK { ent:oracle ng:sued ent:google }").askAnswer
    rows = kg.query("SELECT (COUNT(?st) AS ?n) WHERE { ?st rdf:predicate ng:sued }")
    assert int(next(iter(rows)).n) == 2
    assert kg.stats.facts == len(list(kg.query(
        "SELECT DISTINCT ?s ?p ?o WHERE { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o "
        "FILTER NOT EXISTS { ?st ng:negated true } }")))


def test_names_without_latin_letters_keep_their_entity() -> None:
    kg = newsgraph.build([Article(id="ru", text="Газпром signed a deal with Shell.")],
                         model=SMALL_MODEL)
    labels = {str(r.l) for r in kg.query("SELECT ?l WHERE { ?e rdfs:label ?l }")}
    assert {"Газпром", "Shell"} <= labels
