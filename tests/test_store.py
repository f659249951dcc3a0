"""The persistent store: transactions per article, replacement, merging across builds,
type changes, readers during a build, and untrusted text.

Extractions are built by hand (no spaCy), so these tests pin the store's own logic;
tests/test_cli.py and tests/test_server.py run the seed articles through it.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from handmade import extraction
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, SKOS

from newsgraph.errors import StoreError
from newsgraph.export import union_graph, write_graph
from newsgraph.graph import STATE_GRAPH, build_graph, new_dataset, oxigraph_of
from newsgraph.models import Extraction
from newsgraph.ontology import ART, ENT, NG
from newsgraph.resolve import Resolver
from newsgraph.store import StoreWriter, open_store, store_stats

SRC = Path(__file__).resolve().parents[1] / "src"


# ------------------------------------------------------------------ hand-made extractions


def batch(extractions: list[Extraction]):
    """What one in-memory build of these extractions gives (the pipeline's batch path)."""
    resolver = Resolver()
    for e in extractions:
        resolver.add(e)
    return build_graph([e.article for e in extractions], resolver.entities(), resolver.facts(),
                       authors=resolver.authors)


A1 = extraction("a1", {"Lei Jun": "Person"}, [("Acme Corp", "partnersWith", "Globex"),
                                              ("Lei Jun", "leads", "Acme Corp")],
                title="Acme and Globex team up", date="2020-01-02", author="Jo Writer")
A2 = extraction("a2", {"Acme": "Organization", "China": "Place"},
                [("Acme", "basedIn", "China"), ("Initech", "sued", "Acme")], date="2020-02-03")
A3 = extraction("a3", {}, [("Globex", "competesWith", "Initech")],
                negated=[("Acme", "partnersWith", "Globex")], repeat={"Globex": 3})
ARTICLES = [A1, A2, A3]


def quads(ds) -> int:
    """Quads of the knowledge graph (the resolver state left out)."""
    return store_stats(ds).triples


@pytest.fixture
def store(tmp_path: Path):
    return open_store(tmp_path / "store", read_only=False)


# ------------------------------------------------------------------ opening


def test_a_new_store_is_created_and_found_again(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "store"
    ds = open_store(path, read_only=False)
    StoreWriter(ds).add(A1)
    del ds
    again = open_store(path)  # read-only
    assert store_stats(again).articles == 1
    assert (ENT["acme"], RDFS.label, Literal("Acme Corp")) in again


@pytest.mark.parametrize("setup, read_only, message", [
    ("missing", True, "no store here"),
    ("file", True, "no store here"),
    ("file", False, "not a directory"),
    ("articles", False, "not a store"),
    ("articles", True, "no store here"),
])
def test_what_is_not_a_store_is_refused(setup: str, read_only: bool, message: str,
                                        tmp_path: Path) -> None:
    path = tmp_path / "x"
    if setup == "file":
        path.write_text("hello")
    elif setup == "articles":  # someone's folder of articles, given as --store by mistake
        path.mkdir()
        (path / "a.txt").write_text("Acme sued Globex.")
    with pytest.raises(StoreError, match=message):
        open_store(path, read_only=read_only)
    if setup == "articles":
        assert sorted(p.name for p in path.iterdir()) == ["a.txt"]  # nothing written there


def test_the_same_process_can_open_its_store_twice(tmp_path: Path) -> None:
    first = open_store(tmp_path / "s", read_only=False)
    second = open_store(tmp_path / "s", read_only=False)
    StoreWriter(first).add(A1)
    assert store_stats(second).articles == 1


def test_closing_lets_go_of_the_write_lock(tmp_path: Path) -> None:
    ds = open_store(tmp_path / "s", read_only=False)
    writer = StoreWriter(ds)
    writer.add(A1)
    ds.close()
    gc.collect()
    with pytest.raises(StoreError, match="closed"):
        writer.add(A2)
    # RocksDB refuses a second lock even to the process holding the first one
    assert len(ox.Store(str(tmp_path / "s"))) > 0


def test_another_process_can_read_but_not_write_while_this_one_writes(
        store, tmp_path: Path) -> None:
    StoreWriter(store).add(A1)
    code = ("import sys; from newsgraph.store import open_store, store_stats\n"
            "from newsgraph.errors import StoreError\n"
            "print(store_stats(open_store(sys.argv[1])).articles)\n"
            "try:\n    open_store(sys.argv[1], read_only=False)\n"
            "except StoreError as e:\n    print(e); sys.exit(3)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "store")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(SRC)}, check=False)
    assert proc.returncode == 3, proc.stderr
    count, message = proc.stdout.split("\n", 1)
    assert count == "1"
    assert "another process is writing" in message and "--endpoint" in message


def test_a_read_only_store_cannot_be_written(store, tmp_path: Path) -> None:
    StoreWriter(store).add(A1)
    with pytest.raises(StoreError, match="read-only"):
        StoreWriter(open_store(tmp_path / "store"))


def test_a_store_from_a_newer_newsgraph_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    raw = ox.Store(str(path))
    raw.update(f"INSERT DATA {{ GRAPH <{STATE_GRAPH}> {{ <{STATE_GRAPH}> "
               f"<https://w3id.org/newsgraph/store#version> 99 }} }}")
    del raw
    with pytest.raises(StoreError, match="newer newsgraph"):
        open_store(path, read_only=False)


# ------------------------------------------------------------------ adding and replacing


def test_re_adding_an_article_leaves_every_count_unchanged(store) -> None:
    writer = StoreWriter(store)
    for e in ARTICLES:
        writer.add(e)
    before, triples = store_stats(store), len(store)
    for e in ARTICLES:
        assert writer.add(e).replaced
    assert store_stats(store) == before
    assert len(store) == triples  # distinct triples too


def test_replacing_an_article_replaces_its_facts(store) -> None:
    writer = StoreWriter(store)
    writer.add(A1)
    writer.add(A2)
    assert (ENT.acme, NG.partnersWith, ENT.globex) in store
    change = writer.add(extraction("a1", {}, [("Acme", "competesWith", "Hooli")]))
    assert change.replaced and change.graphs == (ART.a1,)
    assert (ENT.acme, NG.partnersWith, ENT.globex) not in store
    assert (ENT.acme, NG.competesWith, ENT.hooli) in store
    assert not list(store.subjects(RDF.predicate, NG.partnersWith))  # its statement too
    # entities only a1 mentioned are gone entirely, with their description
    assert ENT.globex in change.removed and ENT["lei-jun"] in change.removed
    assert not list(store.triples((ENT.globex, None, None)))
    assert not list(store.triples((ENT["lei-jun"], None, None)))
    # an entity both mention keeps a2's mentions only (a1's were taken out)
    assert int(store.value(ENT.acme, NG.mentions)) == 2


def test_removing_an_article_restores_the_store_without_it(store) -> None:
    writer = StoreWriter(store)
    writer.add(A1)
    writer.add(A2)
    without = union_graph(store)
    writer.add(A3)
    change = writer.remove("a3")
    assert change is not None and change.dropped == (ART.a3,)
    assert isomorphic(union_graph(store), without)
    assert writer.remove("a3") is None


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 1, 0], [1, 0, 2]])
@pytest.mark.parametrize("splits", [1, 2, 3])
def test_builds_in_any_order_and_split_equal_one_build(order: list[int], splits: int,
                                                       tmp_path: Path) -> None:
    """The store's promise: entities merge across builds exactly as inside one."""
    articles = [ARTICLES[i] for i in order]
    path = tmp_path / "s"
    for part in range(splits):  # each part a separate build: open, add, close
        ds = open_store(path, read_only=False)
        writer = StoreWriter(ds)
        for e in articles[part::splits]:
            writer.add(e)
        del writer, ds
    assert isomorphic(union_graph(open_store(path)), union_graph(batch(ARTICLES)))


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(6)), st.lists(st.integers(0, 5), max_size=4))
def test_any_order_with_re_adds_equals_one_build(order: list[int], again: list[int]) -> None:
    articles = [*ARTICLES,
                extraction("b1", {"Acme Corporation": "Organization"}, [("Acme", "investsIn",
                                                                         "Initech")]),
                extraction("b2", {"China": "Place", "Globex": "Person"}, [],
                           repeat={"Globex": 2}),
                extraction("b3", {"Lei": "Person"}, [("Lei Jun", "worksFor", "Globex")])]
    ds = new_dataset()
    writer = StoreWriter(ds)
    for i in [*order, *again]:
        writer.add(articles[i])
    assert isomorphic(union_graph(ds), union_graph(batch(articles)))


def test_names_and_aliases_merge_across_builds(tmp_path: Path) -> None:
    path = tmp_path / "s"
    StoreWriter(open_store(path, read_only=False)).add(
        extraction("x1", {"Xiaomi Corp": "Organization"}, repeat={"Xiaomi Corp": 2}))
    StoreWriter(open_store(path, read_only=False)).add(
        extraction("x2", {"Xiaomi": "Organization"}, repeat={"Xiaomi": 3}))
    ds = open_store(path)
    assert [str(e) for e in ds.subjects(RDF.type, NG.Organization)] == [str(ENT.xiaomi)]
    assert str(ds.value(ENT.xiaomi, RDFS.label)) == "Xiaomi"  # 3 mentions beat 2
    assert {str(x) for x in ds.objects(ENT.xiaomi, SKOS.altLabel)} == {"Xiaomi Corp"}
    assert {str(a) for a in ds.objects(ENT.xiaomi, NG.mentionedIn)} == {str(ART.x1),
                                                                         str(ART.x2)}


def test_a_type_change_rechecks_the_facts_of_other_articles(store) -> None:
    """Jordan is a person in j1 (a mention and a worksFor fact, which votes Person too);
    j2, j3 and j4 say Jordan is a place, which outvotes j1: j1's fact no longer fits and
    goes; take them out and it is back."""
    writer = StoreWriter(store)
    writer.add(extraction("j1", {"Jordan": "Person"}, [("Jordan", "worksFor", "Acme")]))
    assert (ENT.jordan, NG.worksFor, ENT.acme) in store
    writer.add(extraction("j2", {"Jordan": "Place"}))
    tie = writer.add(extraction("j3", {"Jordan": "Place"}))  # 2:2, a tie: Person stays
    assert (ENT.jordan, RDF.type, NG.Person) in store and tie.graphs == (ART.j3,)
    change = writer.add(extraction("j4", {"Jordan": "Place"}))
    assert (ENT.jordan, RDF.type, NG.Place) in store
    assert ART.j1 in change.graphs  # j1's graph was rewritten in the same transaction
    assert (ENT.jordan, NG.worksFor, ENT.acme) not in store
    assert not list(store.subjects(RDF.predicate, NG.worksFor))
    for article in ("j2", "j3", "j4"):
        writer.remove(article)
    assert (ENT.jordan, RDF.type, NG.Person) in store
    assert (ENT.jordan, NG.worksFor, ENT.acme) in store


def test_min_confidence_is_applied_when_articles_are_stored(store) -> None:
    StoreWriter(store, min_confidence=0.95).add(A1)
    assert (ENT.acme, NG.partnersWith, ENT.globex) not in store
    assert (ENT.acme, RDFS.label, Literal("Acme Corp")) in store


# ------------------------------------------------------------------ untrusted text


NASTY = [
    'Evil " } ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> } #',
    "Line\nbreak\r\nand \\ backslash",
    "O'Brien {braces} <angle> \"quotes\" \u2028",
    "'''triple''' \"\"\"quotes\"\"\" ?var $var @en ^^xsd:string",
]


@pytest.mark.parametrize("name", NASTY)
def test_untrusted_names_and_sentences_stay_literals(name: str, store) -> None:
    writer = StoreWriter(store)
    writer.add(A2)
    before = store_stats(store)
    e = extraction("n1", {name: "Organization"}, [(name, "sued", "Acme")], evidence=name,
                   title=name, author=name)
    writer.add(e)
    labels = {str(o) for o in store.objects(None, RDFS.label)}
    assert name in labels
    assert name in {str(o) for o in store.objects(None, NG.evidence)}
    assert name in {str(o) for o in store.objects(ART.n1, DCTERMS.title)}
    raw = oxigraph_of(store)
    assert not list(raw.quads_for_pattern(ox.NamedNode("urn:x"), None, None, None))
    assert store_stats(store).articles == before.articles + 1
    writer.remove("n1")
    assert store_stats(store) == before


# ------------------------------------------------------------------ crashes and readers

WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, sys.argv[2])
    from handmade import extraction
    from newsgraph.store import StoreWriter, open_store
    writer = StoreWriter(open_store(sys.argv[1], read_only=False))
    names = {f"Company {i}": "Organization" for i in range(12)}
    for n in range(100000):
        facts = [(f"Company {n % 12}", "partnersWith", f"Company {(n + 1) % 12}"),
                 (f"Company {(n + 5) % 12}", "acquired", f"Company {(n + 7) % 12}")]
        writer.add(extraction(f"w{n % 40}", names, facts, repeat={f"Company {n % 12}": 3}))
        print(n, flush=True)
""")


def _check_consistent(path: Path) -> int:
    """Open the store read-only and check that it holds whole articles only: every
    article graph has its state and vice versa, its mentions match its state, and each
    entity's summed mentions equal the sum over the articles that mention it."""
    ds = open_store(path)
    raw = oxigraph_of(ds)
    states = {}
    for q in raw.quads_for_pattern(None, ox.NamedNode("https://w3id.org/newsgraph/store#article"),
                                   None, ox.NamedNode(str(STATE_GRAPH))):
        states[q.subject.value] = json.loads(q.object.value)
    graphs = {g.value for g in raw.named_graphs() if g.value != str(STATE_GRAPH)}
    assert graphs == set(states)
    totals: Counter[str] = Counter()
    for iri, state in states.items():
        mentioned = {q.subject.value for q in raw.quads_for_pattern(
            None, ox.NamedNode(str(NG.mentionedIn)), ox.NamedNode(iri), ox.NamedNode(iri))}
        assert len(mentioned) == len(state["entities"])
        for key, evidence in state["entities"].items():
            totals[key] += evidence["mentions"]
    entity_states = [json.loads(q.object.value) for q in raw.quads_for_pattern(
        None, ox.NamedNode("https://w3id.org/newsgraph/store#entity"), None,
        ox.NamedNode(str(STATE_GRAPH)))]
    assert {e["key"]: e["mentions"] for e in entity_states} == dict(totals)
    return len(states)


def _start_writer(path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path),
                             str(Path(__file__).parent)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for(proc: subprocess.Popen[str], lines: int) -> None:
    assert proc.stdout is not None
    for _ in range(lines):
        if not proc.stdout.readline():
            raise AssertionError(proc.stderr.read() if proc.stderr else "writer died")


def test_readers_see_whole_articles_while_a_build_runs(tmp_path: Path) -> None:
    path = tmp_path / "s"
    proc = _start_writer(path)
    try:
        _wait_for(proc, 5)
        seen = []
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            seen.append(_check_consistent(path))
        assert len(seen) >= 3 and max(seen) >= 5
        assert proc.poll() is None  # the build went on all along
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_build_leaves_the_store_as_before_the_article_being_written(
        tmp_path: Path) -> None:
    path = tmp_path / "s"
    proc = _start_writer(path)
    try:
        _wait_for(proc, 45)  # the 40 articles are in; now replacing them, one by one
        time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert _check_consistent(path) == 40
    ds = open_store(path, read_only=False)  # the next build can write
    StoreWriter(ds).add(A1)
    ds.close()
    assert _check_consistent(path) == 41


# ------------------------------------------------------------------ what leaves the store


def test_the_resolver_state_is_never_exported(store, tmp_path: Path) -> None:
    StoreWriter(store).add(A1)
    for suffix in (".trig", ".nq", ".ttl"):
        text = write_graph(store, tmp_path / f"g{suffix}").read_text(encoding="utf-8")
        assert "newsgraph/store" not in text
    state = list(oxigraph_of(store).quads_for_pattern(None, None, None,
                                                      ox.NamedNode(str(STATE_GRAPH))))
    assert len(state) == 1 + 4 + 1  # the article, its 4 entities, the layout version
    assert len(union_graph(store)) == len(store) - len(state)
