"""Read and write graph files — RDF, GraphML, CSV for Gephi and neo4j — and hand the
graph to networkx.

The format follows the file's suffix (CONTRACT.md section 1). Triple formats get the
union of all graphs; TriG and N-Quads keep one named graph per article. GraphML and
the CSV pair (``nodes.csv`` + ``edges.csv``) hold the entity graph: entities as
nodes, asserted facts as edges with their support. Files are written to a temporary
file beside the target and renamed into place, so a failed write never leaves a
half-written or truncated file behind. The state a persistent store keeps for its
resolver (:data:`~newsgraph.graph.STATE_GRAPH`) is never exported.

RDF from an on-disk store streams through Oxigraph's own serialisers
(:func:`dump_store`): a store of millions of quads never becomes an rdflib graph.
In-memory graphs go through rdflib, whose Turtle groups and sorts by subject.

Reading and writing live together so one table of formats serves both:
:func:`load_graph` is the one loader of graph files, for the CLI, the Python API
and the evaluation.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, starmap
from pathlib import Path
from typing import TYPE_CHECKING, Any
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import XSD, Dataset, Graph, Literal
from rdflib.term import Node

from .errors import InputError, OutputError
from .graph import PREFIXES, STATE_GRAPH, context_in, dataset_on, oxigraph_of
from .ontology import ENTITY_CLASSES, NG, RELATIONS

if TYPE_CHECKING:
    import networkx as nx

FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
}
"""RDF output suffix -> rdflib serializer name."""

QUAD_FORMATS = frozenset({"nquads", "trig"})

GRAPH_FORMATS: dict[str, str] = {**FORMATS, ".owl": "xml"}
"""Graph file suffix -> format name, for reading (kgeval's table: .owl is RDF/XML)."""

GRAPHML = ".graphml"
CSV_STYLES = ("gephi", "neo4j")
CsvStyle = TypingLiteral["gephi", "neo4j"]

_OX_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


def format_for(path: str | os.PathLike[str]) -> str:
    """The format for an output path, by suffix: an rdflib serializer name, or
    ``"graphml"``.

    Raises:
        OutputError: the suffix is not one of :data:`FORMATS` or ``.graphml``.
    """
    suffix = Path(path).suffix.lower()
    if suffix == GRAPHML:
        return "graphml"
    if suffix not in FORMATS:
        raise OutputError(
            f"{path}: unknown output format {suffix or '(none)'!r}; "
            f"use one of {', '.join([*FORMATS, GRAPHML])}"
        )
    return FORMATS[suffix]


def load_graph(path: str | os.PathLike[str]) -> Dataset:
    """Read a graph file onto an in-memory Oxigraph store, format by suffix.

    Named graphs (TriG, N-Quads) are kept; the dataset's default graph is their
    union, as for a build. Oxigraph's own parsers read the file, so a large graph
    loads at native speed.

    Raises:
        InputError: unknown suffix, missing or unreadable file, or a syntax error
            (the message gives the line).
    """
    suffix = Path(path).suffix.lower()
    fmt = GRAPH_FORMATS.get(suffix)
    if fmt is None:
        raise InputError(str(path), f"unknown graph format {suffix or '(none)'!r}; "
                                    f"use one of {', '.join(GRAPH_FORMATS)}")
    if not Path(path).is_file():
        raise InputError(str(path), "no such file")
    store = ox.Store()
    try:
        store.load(path=os.fspath(path), format=_OX_FORMATS[fmt])
    except SyntaxError as exc:
        raise InputError(str(path), f"not valid {fmt}: {_parse_error(exc)}") from exc
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc
    except ValueError as exc:  # e.g. a JSON-LD remote context
        raise InputError(str(path), f"not valid {fmt}: {exc}") from exc
    return dataset_on(store)


def _parse_error(exc: Exception) -> str:
    """One line saying what the parser did not like, and where."""
    text = " ".join(str(exc).split())
    return text.removeprefix("Parser error at ")[:200] or type(exc).__name__


def plain(term: Node) -> Node:
    """``term`` with an explicit ``xsd:string`` datatype dropped.

    Oxigraph hands every simple literal back as ``"x"^^xsd:string``. RDF 1.1 says
    the two are the same, but rdflib compares them as different terms and writes
    the datatype out, so files would carry ``^^xsd:string`` on every label.
    """
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _graph_name(context: Node | Graph | None) -> Node | None:
    return context.identifier if isinstance(context, Graph) else context


def knowledge_quads(ds: Dataset) -> Iterable[tuple[Node, Node, Node, Node | None]]:
    """The quads of a dataset without a store's resolver state."""
    return (q for q in ds.quads() if _graph_name(q[3]) != STATE_GRAPH)


def union_graph(graph: Graph) -> Graph:
    """All triples of a dataset (every named graph, whether or not its default graph
    is the union) or of a graph, in one in-memory graph, prefixes kept."""
    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    triples = (q[:3] for q in knowledge_quads(graph)) if isinstance(graph, Dataset) else graph
    out.addN((s, p, plain(o), out) for s, p, o in triples)
    return out


def memory_dataset(ds: Dataset) -> Dataset:
    """An in-memory copy of a dataset, named graphs and prefixes kept, literals plain."""
    out = Dataset()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    out.addN((s, p, plain(o), context_in(out, c)) for s, p, o, c in knowledge_quads(ds))
    return out



def serialize(graph: Graph, fmt: str) -> bytes:
    """The graph in ``fmt``: the dataset for quad formats, the union otherwise."""
    if fmt in QUAD_FORMATS:
        if not isinstance(graph, Dataset):  # a plain graph: its triples, default graph
            ds = Dataset()
            ds.default_context.addN((s, p, o, ds.default_context) for s, p, o in graph)
            graph = ds
        return memory_dataset(graph).serialize(format=fmt, encoding="utf-8")
    return union_graph(graph).serialize(format=fmt, encoding="utf-8")


def _file_mode() -> int:
    """The mode a new file gets under the process's umask (0644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


@contextmanager
def _atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary file beside ``path`` to write to, renamed onto ``path`` when the block
    ends and removed when it raises, so ``path`` is either the old file or the whole
    new one. A writer that streams (Oxigraph's serialisers) writes to it by name."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, FILE_MODE)  # mkstemp makes it 0600; an output is for others too
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    with _atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


_OX_STATE = ox.NamedNode(str(STATE_GRAPH))

_DISTINCT_TRIPLES = f"""
    SELECT DISTINCT ?s ?p ?o WHERE {{
      {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{STATE_GRAPH}>) }}
    }}"""
"""Every triple of the default and the article graphs once: the union the triple
formats hold. DISTINCT drops the copies of a fact several articles state; Oxigraph
keeps its set of seen rows in Rust, about 160 bytes a triple (1.39M triples: 390 MB
peak for the whole export). A SELECT, not a CONSTRUCT: Oxigraph's CONSTRUCT keeps its
own set of the triples it emitted, which would hold them all a second time. (A
``FILTER NOT EXISTS`` on the other graphs instead needs no set, 170 MB, but takes
three times as long: 35 s against 13 s.)"""


def knowledge_ox_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """The quads of a pyoxigraph store without the resolver state, graph by graph (so a
    TriG file gets one block per graph), streamed from the store."""
    graphs = [ox.DefaultGraph(), *(g for g in store.named_graphs() if g != _OX_STATE)]
    return chain.from_iterable(store.quads_for_pattern(None, None, None, g) for g in graphs)


def dump_store(store: ox.Store, path: str | os.PathLike[str], fmt: str) -> Path:
    """Write a pyoxigraph store to ``path`` in ``fmt`` (a :data:`FORMATS` value) with
    Oxigraph's streaming serialisers: quad formats graph by graph, triple formats the
    union without duplicates; the resolver state left out, prefixes kept.

    Nothing passes through rdflib, so memory does not grow with the store (apart from
    the set DISTINCT keeps for triple formats) and a million quads take seconds, not
    minutes. Literals need no :func:`plain`: Oxigraph writes a simple literal without
    ``^^xsd:string``. Atomic as :func:`write_atomic`.

    Raises:
        OSError: the file cannot be written.
    """
    ox_format = _OX_FORMATS[fmt]
    prefixes = PREFIXES if ox_format in {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG,
                                         ox.RdfFormat.RDF_XML} else None
    with _atomic_path(path) as tmp:
        if fmt in QUAD_FORMATS:
            ox.serialize(knowledge_ox_quads(store), tmp, ox_format, prefixes=prefixes)
        else:
            rows = store.query(_DISTINCT_TRIPLES)
            assert isinstance(rows, ox.QuerySolutions)
            ox.serialize(starmap(ox.Triple, rows), tmp, ox_format, prefixes=prefixes)
    return Path(path)


def _on_disk(graph: Graph) -> bool:
    """Whether ``graph`` is a store opened with :func:`~newsgraph.store.open_store`."""
    from .store import _DiskStore  # the store module builds on this one's stages

    return isinstance(graph, Dataset) and isinstance(graph.store, _DiskStore)


def write_graph(graph: Graph, path: str | os.PathLike[str], *,
                stream: bool | None = None) -> Path:
    """Write the graph to ``path`` in the format its suffix names (RDF, or GraphML).

    Args:
        stream: write RDF with Oxigraph's serialisers straight from the store
            (:func:`dump_store`) instead of through an in-memory rdflib graph. The
            default streams an on-disk store, which may hold millions of quads, and
            keeps rdflib for in-memory graphs: its Turtle, sorted by subject, reads
            and diffs better. Ignored for GraphML and for graphs not on Oxigraph.

    Raises:
        OutputError: unknown suffix, or the file cannot be written.
    """
    fmt = format_for(path)
    try:
        if fmt == "graphml":
            return write_graphml(graph, path)
        store = oxigraph_of(graph) if isinstance(graph, Dataset) else None
        if store is not None and (stream if stream is not None else _on_disk(graph)):
            return dump_store(store, path, fmt)
        return write_atomic(path, serialize(graph, fmt))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """An Oxigraph term's IRI, blank node id or lexical form ("" for an unbound one):
    what ``str()`` gives of the rdflib term."""
    return "" if term is None else term.value


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The entity graph as a networkx MultiDiGraph.

    Nodes are entity IRIs with ``label``, ``type``, ``aliases`` and ``mentions``;
    one edge per asserted fact (key: the predicate) with ``predicate`` (local name),
    ``label`` and ``evidence``: a list of ``{article, title, date, sentence,
    confidence, negated}``, the statements that support it, oldest first. Three
    SPARQL queries on Oxigraph read it all, and their rows stay Oxigraph terms (rdflib
    terms cost more to make than the queries take), so a store of millions of triples
    converts in seconds.
    """
    import networkx as nx

    from .query import execute, on_oxigraph

    source = on_oxigraph(graph)  # a graph rdflib holds is copied once, not once a query

    def rows(sparql: str) -> ox.QuerySolutions:
        result = execute(source, sparql)
        assert isinstance(result, ox.QuerySolutions)
        return result

    g = nx.MultiDiGraph()
    types = " ".join(f"ng:{name}" for name in ENTITY_CLASSES)
    nodes: dict[str, dict[str, Any]] = {}
    for row in rows(f"""
            SELECT ?e ?type ?label ?mentions WHERE {{
              VALUES ?type {{ {types} }} ?e a ?type .
              OPTIONAL {{ ?e rdfs:label ?label }} OPTIONAL {{ ?e ng:mentions ?mentions }}
            }}"""):
        node = nodes.setdefault(_text(row["e"]), {"label": "", "types": set(),
                                                  "aliases": set(), "mentions": 0})
        node["types"].add(_text(row["type"]).rsplit("#", 1)[-1])
        label = _text(row["label"])
        if label and (not node["label"] or label < node["label"]):
            node["label"] = label
        if row["mentions"] is not None:
            node["mentions"] = max(node["mentions"], int(_text(row["mentions"])))
    for row in rows("SELECT ?e ?alias WHERE { ?e skos:altLabel ?alias }"):
        if _text(row["e"]) in nodes:
            nodes[_text(row["e"])]["aliases"].add(_text(row["alias"]))
    for iri, node in sorted(nodes.items()):
        g.add_node(iri, label=node["label"] or iri, type=sorted(node["types"])[0],
                   aliases=sorted(node["aliases"]), mentions=node["mentions"])

    evidence: dict[tuple[str, str, str], dict[tuple, dict[str, Any]]] = defaultdict(dict)
    for row in rows("""
            SELECT ?st ?s ?p ?o ?article ?title ?date ?sentence ?confidence ?negated WHERE {
              ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
              OPTIONAL { ?st prov:wasDerivedFrom ?article
                         OPTIONAL { ?article dct:title ?title }
                         OPTIONAL { ?article dct:date ?date } }
              OPTIONAL { ?st ng:evidence ?sentence }
              OPTIONAL { ?st ng:confidence ?confidence }
              OPTIONAL { ?st ng:negated ?negated }
            }"""):
        confidence = row["confidence"]
        entry = {
            "article": _text(row["article"]),
            "title": _text(row["title"]),
            "date": _text(row["date"]),
            "sentence": _text(row["sentence"]),
            "confidence": float(confidence.value) if confidence is not None else None,
            "negated": _text(row["negated"]) in {"true", "1"},  # xsd:boolean's two trues
        }
        # one entry per statement, however many rows its optional parts made
        evidence[(_text(row["s"]), _text(row["p"]), _text(row["o"]))].setdefault(
            (row["st"], entry["article"]), entry)
    by_iri = {str(NG[name]): name for name in RELATIONS}
    values = " ".join(f"ng:{name}" for name in RELATIONS)
    for row in rows(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"):
        s, p, o = _text(row["s"]), _text(row["p"]), _text(row["o"])
        name = by_iri[p]
        if s in g and o in g:
            support = sorted((e for e in evidence.get((s, p, o), {}).values() if not e["negated"]),
                             key=lambda e: (e["date"], e["article"], e["sentence"]))
            g.add_edge(s, o, key=name, predicate=name, label=RELATIONS[name].label,
                       evidence=support)
    return g


def flat_networkx(graph: Graph) -> nx.MultiDiGraph:
    """:func:`to_networkx` with every attribute a string or number, as GraphML and CSV
    need: aliases and articles joined with ``;``, the evidence of an edge reduced to
    its support (how many statements), best confidence and most confident sentence."""
    g = to_networkx(graph)
    for _, data in g.nodes(data=True):
        data["aliases"] = ";".join(data["aliases"])
    for _, _, data in g.edges(data=True):
        support = data.pop("evidence")
        best = max(support, key=lambda e: e["confidence"] or 0.0, default=None)
        data["support"] = len(support)
        data["confidence"] = max((e["confidence"] for e in support
                                  if e["confidence"] is not None), default=0.0)
        data["evidence"] = _one_line(best["sentence"]) if best else ""
        data["articles"] = ";".join(sorted({e["article"] for e in support if e["article"]}))
        data["symmetric"] = RELATIONS[data["predicate"]].symmetric
    return g


def _one_line(text: str) -> str:
    """Whitespace (newlines of wrapped wire copy) collapsed: CSV readers such as
    neo4j-admin import need one record per line unless told otherwise."""
    return " ".join(text.split())


def write_graphml(graph: Graph, path: str | os.PathLike[str]) -> Path:
    """Write the entity graph as GraphML (attributes as in :func:`flat_networkx`),
    atomically as :func:`write_atomic`.

    lxml writes it element by element to the file: networkx's default writer builds
    the whole document as an ElementTree first (1.45M-quad store: 9 s and 200 MB more
    than lxml's 2 s and nothing).
    """
    import networkx as nx

    g = flat_networkx(graph)
    with _atomic_path(path) as tmp:
        nx.write_graphml_lxml(g, tmp)
    return Path(path)


_CSV_HEADERS: dict[str, tuple[list[str], list[str]]] = {
    # Gephi's spreadsheet import recognises Id/Label and Source/Target/Type/Weight by name.
    "gephi": (["Id", "Label", "Type", "Aliases", "Mentions"],
              ["Source", "Target", "Type", "Label", "Predicate", "Weight", "Confidence",
               "Evidence", "Articles"]),
    # neo4j-admin database import: typed header fields, ';' separates array items.
    "neo4j": (["id:ID", "label", ":LABEL", "aliases:string[]", "mentions:int"],
              [":START_ID", ":END_ID", ":TYPE", "label", "support:int", "confidence:float",
               "evidence", "articles:string[]"]),
}


def csv_tables(graph: Graph, *, style: CsvStyle = "gephi") -> tuple[str, str]:
    """The entity graph as two CSV texts, nodes and edges, with the headers ``style``
    expects (``gephi``: Id, Label … Source, Target …; ``neo4j``: id:ID, :LABEL …
    :START_ID, :END_ID, :TYPE …).

    Raises:
        OutputError: an unknown style.
    """
    if style not in _CSV_HEADERS:
        raise OutputError(f"unknown CSV style {style!r}; use one of {', '.join(CSV_STYLES)}")
    g = flat_networkx(graph)
    node_header, edge_header = _CSV_HEADERS[style]
    nodes, edges = io.StringIO(), io.StringIO()
    node_writer, edge_writer = csv.writer(nodes), csv.writer(edges)
    node_writer.writerow(node_header)
    edge_writer.writerow(edge_header)
    for iri, d in g.nodes(data=True):
        node_writer.writerow([iri, _one_line(d["label"]), d["type"], _one_line(d["aliases"]),
                              d["mentions"]])
    for s, o, d in g.edges(data=True):
        if style == "gephi":
            kind = "Undirected" if d["symmetric"] else "Directed"
            edge_writer.writerow([s, o, kind, d["label"], d["predicate"], d["support"],
                                  d["confidence"], d["evidence"], d["articles"]])
        else:
            edge_writer.writerow([s, o, d["predicate"], d["label"], d["support"],
                                  d["confidence"], d["evidence"], d["articles"]])
    return nodes.getvalue(), edges.getvalue()


def write_csv(graph: Graph, directory: str | os.PathLike[str], *,
              style: CsvStyle = "gephi") -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``directory`` (created if absent).

    Returns:
        The two paths, nodes first.

    Raises:
        OutputError: an unknown style, or the files cannot be written.
    """
    nodes, edges = csv_tables(graph, style=style)
    target = Path(directory)
    try:
        if target.exists() and not target.is_dir():
            raise OutputError(f"{target}: not a directory (CSV export writes nodes.csv and "
                              f"edges.csv into a directory)")
        return (write_atomic(target / "nodes.csv", nodes.encode("utf-8")),
                write_atomic(target / "edges.csv", edges.encode("utf-8")))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from exc
