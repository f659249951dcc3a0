"""HTTP: ``newsgraph serve`` and ``build --endpoint``, against real Oxigraph server
processes on 127.0.0.1 (the ``oxigraph`` package's binary), started and stopped here."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from handmade import extraction
from paths import ROOT, SEEDS, SMALL_MODEL
from rdflib import Graph
from rdflib.compare import isomorphic

from newsgraph.cli import main
from newsgraph.endpoint import GraphStore
from newsgraph.errors import EndpointError, StoreError
from newsgraph.export import union_graph
from newsgraph.query import execute, load_query_file
from newsgraph.server import SNAPSHOTS, Server, free_port, oxigraph_executable, serve_store
from newsgraph.store import StoreWriter, open_store, store_stats

QUERIES = sorted((ROOT / "examples" / "queries").glob("*.rq"))
COUNT_ARTICLES = ("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { "
                  "?a a <https://w3id.org/newsgraph/ontology#Article> }")


def _sparql(url: str, query: str, *, accept: str = "application/sparql-results+json") -> bytes:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def _count(url: str, query: str = COUNT_ARTICLES) -> int:
    rows = json.loads(_sparql(url, query))["results"]["bindings"]
    return int(rows[0]["n"]["value"])


def _status(method: str, url: str, body: bytes = b"", content_type: str = "text/plain") -> int:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _refused(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _store(path: Path, *ids: str) -> Path:
    ds = open_store(path, read_only=False)
    writer = StoreWriter(ds)
    for i in ids:
        writer.add(extraction(i, {}, [("Acme", "partnersWith", f"Partner {i}")]))
    ds.close()
    return path


def _run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_server_binary_comes_with_the_dependencies() -> None:
    exe = oxigraph_executable()
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=30,
                          check=True)
    assert proc.stdout.startswith("oxigraph 0.5")


# ------------------------------------------------------------------ newsgraph serve


def test_serve_is_a_read_only_sparql_endpoint_that_stops_cleanly(tmp_path: Path) -> None:
    store = _store(tmp_path / "store", "a1", "a2")
    exe = Path(sys.executable).with_name("newsgraph")
    proc = subprocess.Popen([str(exe), "serve", "--store", str(store), "--port", "0"],
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert "read-only" in line and "SPARQL endpoint" in line, line
        query_url = line.split("SPARQL endpoint ")[1].split(",")[0]
        root = query_url.removesuffix("/query")
        assert _count(query_url) == 2
        page = urllib.request.urlopen(root + "/", timeout=30).read().decode()
        assert "yasgui" in page.lower()  # the browser query page
        assert _status("POST", root + "/update", b"DROP ALL",
                       "application/sparql-update") == 403
        assert _status("PUT", root + "/store?graph=urn%3Ax", b"<urn:a> <urn:b> <urn:c> .",
                       "application/n-triples") == 403
        assert _count(query_url) == 2
        assert list((store / SNAPSHOTS).iterdir())  # it serves a snapshot …
    finally:
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=30)[1]
    assert proc.returncode == 0, rest
    assert "server stopped" in rest
    port = int(query_url.rsplit(":", 1)[1].split("/")[0])
    assert _refused(port)
    assert not list((store / SNAPSHOTS).iterdir())  # … removed when it stops


@pytest.mark.parametrize("args, says", [
    (["--store", "{missing}"], "no store here"),
    (["--store", "{store}", "--port", "{busy}"], "exited at once"),
])
def test_serve_errors_are_one_line(args: list[str], says: str, tmp_path: Path) -> None:
    store = _store(tmp_path / "store", "a1")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run("serve", *(a.format(missing=tmp_path / "nope", store=store, busy=port)
                                 for a in args))
    assert result.exit_code == 1
    assert says in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert not list((store / SNAPSHOTS).iterdir()) if (store / SNAPSHOTS).exists() else True


def test_a_read_only_server_lets_builds_go_on(tmp_path: Path) -> None:
    store = _store(tmp_path / "store", "a1")
    with serve_store(store, port=0) as server:
        assert _count(server.query_url) == 1
        _store(store, "a2", "a3")  # a build while it serves: no lock in its way
        assert _count(server.query_url) == 1  # it answers from its snapshot
    with serve_store(store, port=0) as server:
        assert _count(server.query_url) == 3


def test_a_writable_server_takes_updates_that_last(tmp_path: Path) -> None:
    store = _store(tmp_path / "store", "a1")
    with serve_store(store, port=0, writable=True) as server:
        with pytest.raises(StoreError, match="--endpoint"):
            open_store(store, read_only=False)  # the server is the store's writer now
        update = ("INSERT DATA { GRAPH <https://w3id.org/newsgraph/article/x> { "
                  "<https://w3id.org/newsgraph/article/x> a "
                  "<https://w3id.org/newsgraph/ontology#Article> } }")
        assert _status("POST", server.update_url, update.encode(),
                       "application/sparql-update") == 204
        assert _count(server.query_url) == 2
    assert store_stats(open_store(store)).articles == 2


def test_every_example_query_runs_over_http(tmp_path: Path) -> None:
    """The .rq files declare their prefixes, so they run unchanged on the endpoint and
    answer as ``newsgraph query`` does."""
    path = tmp_path / "seeds"
    raw = ox.Store(str(path))
    raw.bulk_load(path=str(ROOT / "graphs" / "seeds.ttl"), format=ox.RdfFormat.TURTLE)
    del raw
    local = open_store(path)
    with serve_store(path, port=0) as server:
        for query in QUERIES:
            text, _ = load_query_file(query)
            accept = ("text/turtle" if "CONSTRUCT" in text
                      else "application/sparql-results+json")
            answer = _sparql(server.query_url, text, accept=accept)
            expected = execute(local, text)
            if isinstance(expected, ox.QueryTriples):
                assert len(Graph().parse(data=answer, format="turtle")) == len(list(expected))
            else:
                rows = json.loads(answer)["results"]["bindings"]
                assert len(rows) == len(list(expected)), query.name


# ------------------------------------------------------------------ build --endpoint


@pytest.fixture
def remote():
    """An empty, writable Oxigraph server (in memory) on a free port."""
    with Server(None, port=0, writable=True) as server:
        yield server


def _remote_quads(server: Server) -> int:
    return _count(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")


def _remote_union(server: Server) -> Graph:
    data = _sparql(server.query_url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                   accept="application/n-triples")
    return Graph().parse(data=data, format="nt")


def test_build_sends_each_article_graph_to_the_endpoint_idempotently(remote: Server,
                                                                     tmp_path: Path) -> None:
    store = tmp_path / "store"
    counts = []
    for _ in range(2):
        result = _run("build", str(SEEDS), "--store", str(store), "--endpoint",
                      remote.store_url, "--model", SMALL_MODEL)
        assert result.exit_code == 0, result.output
        counts.append(_remote_quads(remote))
    assert counts[0] == counts[1] > 100
    graphs = {r["g"]["value"] for r in json.loads(_sparql(
        remote.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))["results"][
        "bindings"]}
    articles = {f"https://w3id.org/newsgraph/article/{p.stem}" for p in SEEDS.glob("*.txt")}
    assert articles <= graphs  # one named graph per article …
    assert "https://w3id.org/newsgraph/entity/xiaomi" in graphs  # … and per entity description
    assert "https://w3id.org/newsgraph/store" not in graphs  # the resolver state stays home
    # the server's union is the local store's graph
    assert isomorphic(_remote_union(remote), union_graph(open_store(store)))


def test_an_article_sent_again_replaces_what_the_server_had(remote: Server,
                                                            tmp_path: Path) -> None:
    article = tmp_path / "a1.txt"
    article.write_text("Acme Corp sued Globex Inc in a federal court.", encoding="utf-8")
    assert _run("build", str(article), "--endpoint", remote.store_url,
                "--model", SMALL_MODEL).exit_code == 0
    ask = ("ASK { <https://w3id.org/newsgraph/entity/acme> "
           "<https://w3id.org/newsgraph/ontology#sued> ?x }")
    assert json.loads(_sparql(remote.query_url, ask))["boolean"] is True
    article.write_text("Acme Corp agreed to acquire Initech for $2 billion.", encoding="utf-8")
    assert _run("build", str(article), "--endpoint", remote.store_url,
                "--model", SMALL_MODEL).exit_code == 0
    assert json.loads(_sparql(remote.query_url, ask))["boolean"] is False
    assert json.loads(_sparql(remote.query_url, ask.replace("sued", "acquired")))["boolean"]


def test_an_endpoint_that_is_not_there_fails_before_parsing(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    started = time.monotonic()
    result = _run("build", str(SEEDS), "--endpoint", url, "--model", "xx_not_loaded")
    assert result.exit_code == 1
    assert url in result.stderr and "cannot reach" in result.stderr
    assert result.stderr.count("\n") == 1
    assert time.monotonic() - started < 10


def test_a_read_only_server_refuses_the_graphs_with_a_clear_message(tmp_path: Path) -> None:
    store = _store(tmp_path / "store", "a1")
    with serve_store(store, port=0) as server:
        result = _run("build", str(SEEDS / "000_61b824737333c4b0.txt"), "--endpoint",
                      server.store_url, "--model", SMALL_MODEL)
    assert result.exit_code == 1
    assert "PUT of graph <https://w3id.org/newsgraph/article/000_61b824737333c4b0>" in \
        result.stderr and "403" in result.stderr


@pytest.mark.parametrize("url", ["ftp://host/store", "127.0.0.1:7878/store", "http:///x"])
def test_an_endpoint_url_must_be_http(url: str) -> None:
    with pytest.raises(EndpointError, match="not an http"):
        GraphStore(url)


def test_credentials_become_basic_auth_and_stay_out_of_messages() -> None:
    store = GraphStore("https://alice:s%3Acret@example.org:8443/ds/data?x=1")
    assert store.display_url == "https://example.org:8443/ds/data"
    assert store._headers["Authorization"] == "Basic YWxpY2U6czpjcmV0"
    assert store._target("urn:g") == "/ds/data?x=1&graph=urn%3Ag"
