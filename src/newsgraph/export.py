"""Write the graph to RDF files, and hand it to networkx.

The format follows the output file's suffix (CONTRACT.md section 1). Triple formats
get the union of all graphs; TriG and N-Quads keep one named graph per article.
Files are written to a temporary file beside the target and renamed into place, so
a failed write never leaves a half-written or truncated graph behind.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from .errors import OutputError
from .graph import PREFIXES, context_in
from .ontology import NG, RELATIONS

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
"""Output suffix -> rdflib serializer name."""

QUAD_FORMATS = frozenset({"nquads", "trig"})


def format_for(path: str | os.PathLike[str]) -> str:
    """The rdflib format for an output path, by suffix.

    Raises:
        OutputError: the suffix is not one of :data:`FORMATS`.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(
            f"{path}: unknown output format {suffix or '(none)'!r}; "
            f"use one of {', '.join(FORMATS)}"
        )
    return FORMATS[suffix]


def plain(term: Node) -> Node:
    """``term`` with an explicit ``xsd:string`` datatype dropped.

    Oxigraph hands every simple literal back as ``"x"^^xsd:string``. RDF 1.1 says
    the two are the same, but rdflib compares them as different terms and writes
    the datatype out, so files would carry ``^^xsd:string`` on every label.
    """
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def union_graph(graph: Graph) -> Graph:
    """All triples of a dataset (every named graph, whether or not its default graph
    is the union) or of a graph, in one in-memory graph, prefixes kept."""
    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    triples = (q[:3] for q in graph.quads()) if isinstance(graph, Dataset) else graph
    out.addN((s, p, plain(o), out) for s, p, o in triples)
    return out


def memory_dataset(ds: Dataset) -> Dataset:
    """An in-memory copy of a dataset, named graphs and prefixes kept, literals plain."""
    out = Dataset()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    out.addN((s, p, plain(o), context_in(out, c)) for s, p, o, c in ds.quads())
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


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_graph(graph: Graph, path: str | os.PathLike[str]) -> Path:
    """Write the graph to ``path`` in the format its suffix names.

    Raises:
        OutputError: unknown suffix, or the file cannot be written.
    """
    fmt = format_for(path)
    try:
        return write_atomic(path, serialize(graph, fmt))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """The entity graph as a networkx MultiDiGraph.

    Nodes are entity IRIs with ``label``, ``type``, ``aliases`` and ``mentions``;
    one edge per asserted fact with ``predicate`` (local name), ``label`` and
    ``evidence``: a list of ``{article, title, date, sentence, confidence}``.
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    entity_types = {NG[t] for t in ("Organization", "Person", "Place", "Product")}
    for node, _, etype in graph.triples((None, RDF.type, None)):
        if etype not in entity_types:
            continue
        mentions = graph.value(node, NG.mentions)
        g.add_node(
            str(node),
            label=str(graph.value(node, RDFS.label) or node),
            type=str(etype).rsplit("#", 1)[-1],
            aliases=sorted(str(a) for a in graph.objects(node, SKOS.altLabel)),
            mentions=int(mentions) if mentions is not None else 0,
        )
    evidence: dict[tuple, list[dict]] = defaultdict(list)
    for stmt in graph.subjects(RDF.type, RDF.Statement):
        s, p, o = (graph.value(stmt, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        article = graph.value(stmt, PROV.wasDerivedFrom)
        confidence = graph.value(stmt, NG.confidence)
        evidence[(s, p, o)].append({
            "article": str(article),
            "title": str(graph.value(article, DCTERMS.title) or ""),
            "date": str(graph.value(article, DCTERMS.date) or ""),
            "sentence": str(graph.value(stmt, NG.evidence) or ""),
            "confidence": float(confidence) if confidence is not None else None,
            "negated": bool(graph.value(stmt, NG.negated)),
        })
    for name, rel in RELATIONS.items():
        for s, o in graph.subject_objects(NG[name]):
            if str(s) in g and str(o) in g:
                support = [e for e in evidence.get((s, NG[name], o), []) if not e["negated"]]
                g.add_edge(str(s), str(o), key=name, predicate=name, label=rel.label,
                           evidence=support)
    return g
