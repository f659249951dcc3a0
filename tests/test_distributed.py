"""Builds on a Dask LocalCluster of two worker processes give the graph a one-process
build gives; a worker or the driver stopped mid-build loses nothing.

The small model keeps these about the engine, not extraction quality.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from paths import BBC, SEEDS, SMALL_MODEL, bbc_articles
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

import newsgraph
from newsgraph.errors import ErrorReport, ModelNotFoundError
from newsgraph.export import load_graph
from newsgraph.models import Article
from newsgraph.pipeline import Progress

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
NEWSGRAPH = [sys.executable, "-m", "newsgraph.cli"]


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    """One LocalCluster of two single-threaded worker processes for the module."""
    with tempfile.TemporaryDirectory() as scratch:
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", local_directory=scratch)
        client = distributed.Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()


def _flat(kg: newsgraph.KnowledgeGraph | Dataset) -> Graph:
    """The quads as triples whose predicate names the graph too, for an isomorphism test
    that keeps graph names (a store names its blank nodes afresh)."""
    graph = Graph()
    dataset = kg.graph if isinstance(kg, newsgraph.KnowledgeGraph) else kg
    for s, p, o, g in dataset.quads():
        graph.add((s, URIRef(f"{p}--{quote(str(getattr(g, 'identifier', g)), safe='')}"), o))
    return graph


def _articles() -> list:
    """The seeds and, when the corpus is there, 30 BBC business articles."""
    articles = list(newsgraph.read_articles([SEEDS]))
    if BBC.exists():
        articles += bbc_articles("business")[:30]
    return articles


@pytest.fixture(scope="module")
def one_process() -> newsgraph.KnowledgeGraph:
    return newsgraph.build(_articles(), model=SMALL_MODEL)


def test_two_workers_give_the_triples_of_one_process(client, one_process) -> None:
    kg = newsgraph.build(_articles(), model=SMALL_MODEL, dask=client, shard_size=4)
    assert kg.stats.shards == -(-len(_articles()) // 4)
    assert set(kg.graph.quads()) == set(one_process.graph.quads())
    assert isomorphic(_flat(kg), _flat(one_process))  # whatever the blank nodes are named
    stats, base = kg.stats, one_process.stats
    assert (stats.articles, stats.words, stats.mentions, stats.relations, stats.entities,
            stats.facts) == (base.articles, base.words, base.mentions, base.relations,
                             base.entities, base.facts)


def test_a_running_scheduler_is_reached_by_its_address(client) -> None:
    seeds = list(newsgraph.read_articles([SEEDS]))
    kg = newsgraph.build(seeds, model=SMALL_MODEL, dask=client.scheduler.address)
    expected = newsgraph.build(seeds, model=SMALL_MODEL)
    assert set(kg.graph.quads()) == set(expected.graph.quads())
    assert client.nthreads()  # the cluster the build connected to is still there


def test_a_store_built_on_dask_holds_what_one_process_writes(client, tmp_path: Path) -> None:
    articles = list(newsgraph.read_articles([SEEDS]))
    with newsgraph.build(articles, model=SMALL_MODEL, store=tmp_path / "a") as a, \
            newsgraph.build(articles, model=SMALL_MODEL, store=tmp_path / "b", dask=client,
                            shard_size=1) as b:
        assert len(a) == len(b) and isomorphic(_flat(a), _flat(b))
        assert b.stats.articles == 2


def test_a_bad_article_on_a_worker_is_one_reported_line(client) -> None:
    long_text = "Apple sued Samsung. " * 60_000  # over the pipeline's max_length
    articles = [Article(id="ok", text="Apple sued Samsung in California."),
                Article(id="long", text=long_text, path="dump.jsonl:2"),
                Article(id="ok2", text="Xiaomi opened a store in Spain.")]
    report = ErrorReport("skip")
    kg = newsgraph.build(articles, model=SMALL_MODEL, dask=client, report=report, shard_size=2)
    assert [str(f) for f in report.failures] == [
        f"dump.jsonl:2: text too long ({len(long_text)} characters; the limit is 1000000)"]
    assert kg.stats.articles == 2
    assert kg.query("ASK { ?a ng:sued ?b }").askAnswer


def test_a_model_missing_on_the_workers_is_a_clear_error(client) -> None:
    with pytest.raises(ModelNotFoundError, match=r"on Dask worker tcp://.*'no_such_model' is "
                                                 r"not installed; install it with: pip"):
        newsgraph.build(["Apple sued Samsung."], model="no_such_model", dask=client)


def test_progress_counts_shards_and_the_total(client) -> None:
    seen: list[Progress] = []
    newsgraph.build(_articles(), model=SMALL_MODEL, dask=client, shard_size=8,
                    progress=seen.append)
    assert seen[0].done == 0 and seen[-1].done == seen[-1].total == len(_articles())
    assert seen[-1].dashboard and seen[-1].dashboard.startswith("http")
    assert [p.done for p in seen] == sorted(p.done for p in seen)


def test_a_worker_killed_mid_build_changes_nothing(client, one_process) -> None:
    pids = list(client.run(os.getpid).values())
    killed: list[int] = []

    def kill_one(progress: Progress) -> None:
        if progress.done and not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    kg = newsgraph.build(_articles(), model=SMALL_MODEL, dask=client, shard_size=2,
                         progress=kill_one, count_total=False)
    assert killed
    assert set(kg.graph.quads()) == set(one_process.graph.quads())
    client.wait_for_workers(2, timeout=60)  # the nanny restarted it


# --------------------------------------------------------------------------- CLI


def _corpus(path: Path, count: int) -> Path:
    """``count`` BBC articles as JSONL (skips when the corpus is absent)."""
    if not BBC.exists():
        pytest.skip(f"{BBC} not found (../shared is not beside the repository)")
    with gzip.open(BBC, "rt", encoding="utf-8") as lines, path.open("w") as out:
        for _, line in zip(range(count), lines, strict=False):
            out.write(line)
    return path


def _cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([*NEWSGRAPH, "build", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, **kwargs)


def test_cli_resumes_after_the_driver_is_killed(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in.jsonl", 40)
    work = tmp_path / "work"
    args = [str(corpus), "--model", SMALL_MODEL, "--dask", "local", "--workers", "2",
            "--work-dir", str(work), "--shard-size", "4"]
    first = _cli(*args, "-o", str(tmp_path / "killed.ttl"), start_new_session=True)
    shards = work / "shards"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(shards.glob("*.msgpack.gz"))) < 3:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the driver and its cluster, as a crash would
    first.communicate()
    done = len(list(shards.glob("*.msgpack.gz")))
    assert 3 <= done < 10, "the build was not stopped mid-way"
    assert not (tmp_path / "killed.ttl").exists()

    second = _cli(*args, "-o", str(tmp_path / "resumed.nq"))
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert f"{done} of 10 shards from {work}" in err
    assert "Dask dashboard at http" in err
    expected = newsgraph.build([corpus], model=SMALL_MODEL)
    assert isomorphic(_flat(load_graph(tmp_path / "resumed.nq")), _flat(expected))


def test_cli_dask_build_reports_bad_input_and_leaves_nothing_on_disk(tmp_path: Path) -> None:
    corpus = tmp_path / "in.jsonl"
    with corpus.open("w") as out:
        out.write(json.dumps({"id": "a", "text": "Apple sued Samsung in California."}) + "\n")
        out.write(json.dumps({"id": "b", "text": "Apple sued Samsung. " * 60_000}) + "\n")
        out.write("{not json\n")
        out.write(json.dumps({"id": "c", "text": "Xiaomi opened a store in Spain."}) + "\n")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    run = _cli(str(corpus), "-o", str(tmp_path / "out.ttl"), "--model", SMALL_MODEL,
               "--dask", "local", "--workers", "2", env={"TMPDIR": str(scratch)})
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    skipped = [line for line in err.splitlines() if line.startswith("newsgraph: skipped")]
    assert len(skipped) == 2, err
    assert f"skipped {corpus}:2: text too long (1199999 characters; the limit is 1000000)" in err
    assert f"skipped {corpus}:3:" in err
    assert "2 articles" in err.splitlines()[-1]
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.ttl", "tmp"]


def test_cli_refuses_workers_without_a_local_cluster(tmp_path: Path) -> None:
    run = _cli("x.txt", "-o", str(tmp_path / "o.ttl"), "--workers", "2")
    _, err = run.communicate(timeout=60)
    assert run.returncode == 2 and "--workers N is for --dask local" in err
