"""Export: every format round-trips, quad formats keep one graph per article,
writes are atomic, and networkx gets the entities, facts and evidence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from newsgraph.errors import OutputError
from newsgraph.export import (
    FORMATS,
    QUAD_FORMATS,
    flat_networkx,
    format_for,
    load_graph,
    memory_dataset,
    serialize,
    to_networkx,
    union_graph,
    write_csv,
    write_graph,
)
from newsgraph.ontology import ART, ENT, NG

TRIPLE_SUFFIXES = [s for s, f in FORMATS.items() if f not in {"trig", "nquads"}]
QUAD_SUFFIXES = [s for s, f in FORMATS.items() if f in {"trig", "nquads"}]


def test_the_contract_formats_are_all_there() -> None:
    assert set(FORMATS) == {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"}


@pytest.mark.parametrize("suffix", TRIPLE_SUFFIXES)
def test_triple_formats_round_trip(suffix: str, seeds_kg, tmp_path: Path) -> None:
    path = seeds_kg.write(tmp_path / f"g{suffix}")
    back = Graph().parse(path, format=FORMATS[suffix])
    assert isomorphic(back, union_graph(seeds_kg.graph))


@pytest.mark.parametrize("suffix", QUAD_SUFFIXES)
def test_quad_formats_round_trip_graph_by_graph(suffix: str, seeds_kg, tmp_path: Path) -> None:
    path = seeds_kg.write(tmp_path / f"g{suffix}")
    back = Dataset()
    back.parse(path, format=FORMATS[suffix])
    expected = memory_dataset(seeds_kg.graph)
    names = {g.identifier for g in expected.contexts()}
    assert ART["000_61b824737333c4b0"] in names and ART["001_4ff7d883ba893956"] in names
    assert {g.identifier for g in back.contexts()} == names
    for name in names:
        assert isomorphic(back.graph(name), expected.graph(name)), name


def test_files_carry_no_xsd_string_noise(seeds_kg, tmp_path: Path) -> None:
    text = seeds_kg.write(tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "xsd:string" not in text
    back = Graph().parse(tmp_path / "g.ttl")
    assert (ENT.xiaomi, RDFS.label, Literal("Xiaomi")) in back


def test_suffix_is_case_insensitive() -> None:
    assert format_for("OUT.TTL") == "turtle"


@pytest.mark.parametrize("path", ["out.txt", "out", "out.ttl.bak"])
def test_unknown_suffix_is_an_output_error_naming_the_file(path: str) -> None:
    with pytest.raises(OutputError, match=path.replace(".", r"\.")):
        format_for(path)


def test_write_creates_parent_directories(seeds_kg, tmp_path: Path) -> None:
    assert seeds_kg.write(tmp_path / "a" / "b" / "g.nt").exists()


def test_failed_write_keeps_the_old_file(seeds_kg, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "g.ttl"
    target.write_text("old", encoding="utf-8")

    def broken(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OutputError, match=r"g\.ttl"):
        write_graph(seeds_kg.graph, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_unwritable_target_is_an_output_error(seeds_kg, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_graph(seeds_kg.graph, blocker / "g.ttl")


def test_networkx_nodes_and_edges_with_evidence(seeds_kg) -> None:
    g = seeds_kg.to_networkx()
    xiaomi, microsoft = str(ENT.xiaomi), str(ENT.microsoft)
    assert g.nodes[xiaomi]["label"] == "Xiaomi"
    assert g.nodes[xiaomi]["type"] == "Organization"
    assert g.nodes[xiaomi]["mentions"] > 5
    edges = [d for u, v, d in g.edges(data=True)
             if {u, v} == {xiaomi, microsoft} and d["predicate"] == "partnersWith"]
    assert len(edges) == 1
    (evidence,) = edges[0]["evidence"]
    assert "Microsoft" in evidence["sentence"]
    assert evidence["article"] == str(ART["000_61b824737333c4b0"])
    assert evidence["date"] == "2019-05-24"
    assert 0 < evidence["confidence"] <= 1


def test_networkx_leaves_out_negated_facts(seeds_kg) -> None:
    g = seeds_kg.to_networkx()
    us = str(ENT["united-states"])
    operates = [(u, v) for u, v, d in g.edges(data=True)
                if d["predicate"] == "operatesIn" and v == us]
    assert operates == []


def test_networkx_of_a_graph_rdflib_holds_is_the_same(seeds_kg) -> None:
    on_oxigraph, in_rdflib = to_networkx(seeds_kg.graph), to_networkx(union_graph(seeds_kg.graph))
    assert dict(in_rdflib.nodes(data=True)) == dict(on_oxigraph.nodes(data=True))
    assert sorted(in_rdflib.edges(keys=True, data=True)) == \
        sorted(on_oxigraph.edges(keys=True, data=True))


@pytest.mark.parametrize("suffix", QUAD_SUFFIXES)
def test_a_plain_graph_writes_to_quad_formats(suffix: str, tmp_path: Path) -> None:
    g = Graph()
    g.add((ENT.acme, RDFS.label, Literal("Acme")))
    path = write_graph(g, tmp_path / f"g{suffix}")
    back = Dataset()
    back.parse(path, format=FORMATS[suffix])
    assert (ENT.acme, RDFS.label, Literal("Acme")) in back


# --------------------------------------------------------------------------- stores stream


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory):
    """An on-disk store where two articles state the same fact (so the union has fewer
    triples than the graphs together) and one denies it, with a resolver state graph."""
    from handmade import extraction

    from newsgraph.store import StoreWriter, open_store

    ds = open_store(tmp_path_factory.mktemp("export") / "store", read_only=False)
    writer = StoreWriter(ds)
    writer.add(extraction("a1", {"Lei Jun": "Person"}, [("Acme", "partnersWith", "Globex"),
                                                         ("Lei Jun", "leads", "Acme")],
                          title="Acme and Globex team up", date="2020-01-02", author="Jo"))
    writer.add(extraction("a2", {}, [("Acme", "partnersWith", "Globex")],
                          evidence='"Acme" and Globex, again\nand again'))
    writer.add(extraction("a3", {}, [], negated=[("Acme", "partnersWith", "Globex")]))
    return ds


def _parsed(path: Path, fmt: str) -> Graph | Dataset:
    if fmt in QUAD_FORMATS:
        ds = Dataset()
        ds.parse(path, format=fmt)
        return ds
    return Graph().parse(path, format=fmt)


def _same_graph_by_graph(a: Dataset, b: Dataset) -> bool:
    graphs_a = {g.identifier: g for g in a.graphs() if len(g)}
    graphs_b = {g.identifier: g for g in b.graphs() if len(g)}
    return graphs_a.keys() == graphs_b.keys() and all(
        isomorphic(graphs_a[name], graphs_b[name]) for name in graphs_a)


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_store_streams_the_same_graph_rdflib_writes(suffix: str, disk_store,
                                                      tmp_path: Path) -> None:
    fmt = FORMATS[suffix]
    streamed = _parsed(write_graph(disk_store, tmp_path / f"new{suffix}"), fmt)
    through_rdflib = _parsed(write_graph(disk_store, tmp_path / f"old{suffix}", stream=False),
                             fmt)
    if fmt in QUAD_FORMATS:
        assert _same_graph_by_graph(streamed, through_rdflib)
    else:
        assert isomorphic(streamed, through_rdflib)
    assert len(streamed) > 20


@pytest.mark.parametrize("suffix", FORMATS)
def test_streamed_files_leave_out_the_state_and_xsd_string(suffix: str, disk_store,
                                                           tmp_path: Path) -> None:
    from newsgraph.graph import STATE_GRAPH
    from newsgraph.store import STATE_NS

    text = write_graph(disk_store, tmp_path / f"g{suffix}").read_text(encoding="utf-8")
    assert str(STATE_GRAPH) not in text and STATE_NS not in text
    assert "XMLSchema#string" not in text and "xsd:string" not in text


def test_the_streamed_union_holds_a_fact_two_articles_state_once(disk_store,
                                                                  tmp_path: Path) -> None:
    fact = f"<{ENT.acme}> <{NG.partnersWith}> <{ENT.globex}> "
    lines = write_graph(disk_store, tmp_path / "g.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))
    assert [line for line in lines if line.startswith(fact)] == [fact + "."]
    quads = write_graph(disk_store, tmp_path / "g.nq").read_text(encoding="utf-8").splitlines()
    assert sorted(line for line in quads if line.startswith(fact)) == [
        fact + f"<{ART.a1}> .", fact + f"<{ART.a2}> ."]


def test_trig_from_a_store_has_one_block_per_graph(disk_store, tmp_path: Path) -> None:
    text = write_graph(disk_store, tmp_path / "g.trig").read_text(encoding="utf-8")
    assert text.count("art:a1 {") == text.count("art:a2 {") == text.count("art:a3 {") == 1
    assert text.startswith("@prefix")


@pytest.mark.parametrize("suffix", FORMATS)
def test_an_in_memory_build_streams_on_request(suffix: str, seeds_kg, tmp_path: Path) -> None:
    fmt = FORMATS[suffix]
    back = _parsed(write_graph(seeds_kg.graph, tmp_path / f"g{suffix}", stream=True), fmt)
    if fmt in QUAD_FORMATS:
        assert _same_graph_by_graph(back, memory_dataset(seeds_kg.graph))
    else:
        assert isomorphic(back, union_graph(seeds_kg.graph))


def test_a_failed_streamed_write_keeps_the_old_file(disk_store, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "g.nt"
    target.write_text("old", encoding="utf-8")

    def broken(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OutputError, match=r"g\.nt"):
        write_graph(disk_store, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.nt"]


def test_a_streamed_file_gets_the_usual_mode(disk_store, tmp_path: Path) -> None:
    from newsgraph.export import FILE_MODE

    assert write_graph(disk_store, tmp_path / "g.ttl").stat().st_mode & 0o777 == FILE_MODE


# --------------------------------------------------------------------------- GraphML and CSV


def _edges(g) -> set[tuple[str, str, str]]:
    return {(u, v, d["predicate"]) for u, v, d in g.edges(data=True)}


def test_graphml_round_trips_the_entity_graph(seeds_kg, tmp_path: Path) -> None:
    import networkx as nx

    path = seeds_kg.write(tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    expected = flat_networkx(seeds_kg.graph)
    assert set(back.nodes) == set(expected.nodes)
    assert _edges(back) == _edges(expected)
    xiaomi = str(ENT.xiaomi)
    assert back.nodes[xiaomi]["label"] == "Xiaomi"
    assert back.nodes[xiaomi]["type"] == "Organization"
    assert back.nodes[xiaomi]["mentions"] == expected.nodes[xiaomi]["mentions"]
    [edge] = [d for u, v, d in back.edges(data=True) if d["predicate"] == "blockedBy"]
    assert edge["support"] == 1 and "AT&T" in edge["evidence"]
    assert edge["articles"] == str(ART["000_61b824737333c4b0"])


@pytest.mark.parametrize("style, node_header, edge_header", [
    ("gephi", "Id,Label,Type,Aliases,Mentions",
     "Source,Target,Type,Label,Predicate,Weight,Confidence,Evidence,Articles"),
    ("neo4j", "id:ID,label,:LABEL,aliases:string[],mentions:int",
     ":START_ID,:END_ID,:TYPE,label,support:int,confidence:float,evidence,articles:string[]"),
])
def test_csv_pairs_for_gephi_and_neo4j(style: str, node_header: str, edge_header: str,
                                       seeds_kg, tmp_path: Path) -> None:
    import csv

    nodes_path, edges_path = seeds_kg.write_csv(tmp_path / style, style=style)
    assert (nodes_path.name, edges_path.name) == ("nodes.csv", "edges.csv")
    nodes = list(csv.reader(nodes_path.open(encoding="utf-8", newline="")))
    edges = list(csv.reader(edges_path.open(encoding="utf-8", newline="")))
    assert ",".join(nodes[0]) == node_header and ",".join(edges[0]) == edge_header
    g = to_networkx(seeds_kg.graph)
    assert {row[0] for row in nodes[1:]} == set(g.nodes)
    ids = {row[0] for row in nodes[1:]}
    assert all(row[0] in ids and row[1] in ids for row in edges[1:])  # no dangling edge
    predicate = 4 if style == "gephi" else 2
    assert {(r[0], r[1], r[predicate]) for r in edges[1:]} == _edges(g)
    # one record per line: wrapped sentences are joined, so neo4j-admin needs no
    # --multiline-fields
    assert len(edges_path.read_text(encoding="utf-8").splitlines()) == len(edges)


def test_csv_fields_with_commas_quotes_and_newlines_survive(tmp_path: Path) -> None:
    import csv

    from handmade import extraction

    from newsgraph.graph import new_dataset
    from newsgraph.store import StoreWriter

    ds = new_dataset()
    name = 'Acme, "the" one'
    StoreWriter(ds).add(extraction("a1", {name: "Organization"}, [(name, "sued", "Globex")],
                                   evidence='It said:\n"we sue", today; ok'))
    nodes, edges = write_csv(ds, tmp_path, style="gephi")
    rows = list(csv.DictReader(edges.open(encoding="utf-8", newline="")))
    assert [(r["Predicate"], r["Evidence"], r["Type"]) for r in rows] == [
        ("sued", 'It said: "we sue", today; ok', "Directed")]
    labels = {r["Label"] for r in csv.DictReader(nodes.open(encoding="utf-8", newline=""))}
    assert name in labels


@pytest.mark.parametrize("style", ["gexf", ""])
def test_an_unknown_csv_style_is_refused(style: str, seeds_kg, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="gephi, neo4j"):
        write_csv(seeds_kg.graph, tmp_path / "x", style=style)  # type: ignore[arg-type]


def test_csv_into_a_file_is_refused(seeds_kg, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(OutputError, match="not a directory"):
        write_csv(seeds_kg.graph, target)
    assert target.read_text() == "x"


def test_symmetric_facts_are_undirected_for_gephi(seeds_kg, tmp_path: Path) -> None:
    import csv

    _, edges = seeds_kg.write_csv(tmp_path)
    kinds = {r["Predicate"]: r["Type"] for r in csv.DictReader(edges.open(encoding="utf-8"))}
    assert kinds["partnersWith"] == "Undirected" and kinds["blockedBy"] == "Directed"


def test_graphml_is_an_output_suffix_everywhere() -> None:
    assert format_for("g.GraphML") == "graphml"
    with pytest.raises(OutputError, match=r"\.graphml"):
        format_for("g.gexf")


@pytest.mark.parametrize("suffix", [*FORMATS, ".owl"])
def test_load_graph_reads_every_format(suffix: str, seeds_kg, tmp_path: Path) -> None:
    path = tmp_path / f"g{suffix}"
    fmt = "xml" if suffix == ".owl" else FORMATS[suffix]
    path.write_bytes(serialize(seeds_kg.graph, fmt))
    assert isomorphic(union_graph(load_graph(path)), union_graph(seeds_kg.graph))


def test_written_files_get_the_usual_mode_not_mkstemps(tmp_path: Path) -> None:
    """Outputs are for other users and tools too: 0644 under a 022 umask, not 0600."""
    from newsgraph.export import FILE_MODE, write_atomic

    path = write_atomic(tmp_path / "out.ttl", b"")
    assert path.stat().st_mode & 0o777 == FILE_MODE  # the process's umask, as open() would
