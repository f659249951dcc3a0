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
from newsgraph.export import FORMATS, format_for, memory_dataset, union_graph, write_graph
from newsgraph.ontology import ART, ENT

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


@pytest.mark.parametrize("suffix", QUAD_SUFFIXES)
def test_a_plain_graph_writes_to_quad_formats(suffix: str, tmp_path: Path) -> None:
    g = Graph()
    g.add((ENT.acme, RDFS.label, Literal("Acme")))
    path = write_graph(g, tmp_path / f"g{suffix}")
    back = Dataset()
    back.parse(path, format=FORMATS[suffix])
    assert (ENT.acme, RDFS.label, Literal("Acme")) in back
