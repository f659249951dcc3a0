"""SPARQL over the graph, answered by Oxigraph.

rdflib's own SPARQL engine is pure Python (an aggregate over 220k triples took
2.7 s there and 0.14 s in Oxigraph), so a graph that is not already on an Oxigraph
store is copied onto one before it is queried.

The prefixes ``ng: ent: art: prov: dct: rdf: rdfs: skos: schema: xsd: owl:`` are
predeclared. Values from outside — a name to look for, a ``--bind`` — are checked as
RDF terms and written into a ``VALUES`` block by Oxigraph's own serialiser, every
quote, brace and newline escaped (see :func:`_bound` for why not SPARQL substitution,
`SEP-0007 <https://github.com/w3c/sparql-dev/blob/main/SEP/SEP-0007/sep-0007.md>`_,
which is kept for what VALUES cannot hold), or looked up as RDF terms without SPARQL
at all (:func:`find_entities`).

>>> from newsgraph.graph import new_dataset
>>> from newsgraph.ontology import ENT
>>> from rdflib import RDFS, Literal
>>> ds = new_dataset()
>>> _ = ds.add((ENT.acme, RDFS.label, Literal('Acme "}')))
>>> [str(r.e) for r in run_query(ds, "SELECT ?e ?name WHERE { ?e rdfs:label ?name }",
...                              bindings={"name": 'Acme "}'})]
['https://w3id.org/newsgraph/entity/acme']
>>> print(format_result(execute(ds, "SELECT ?e WHERE { ?e rdfs:label ?l }"), "table").decode())
e
--------
ent:acme
(1 row)
<BLANKLINE>
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.query import Result
from rdflib.term import Node

from .errors import QueryError
from .graph import PREFIXES, context_in, new_dataset, oxigraph_of
from .ontology import ENT, ENTITY_CLASSES, NG
from .resolve import entity_key, slug_for

__all__ = [
    "GRAPH_RESULT_FORMATS",
    "RESULT_FORMATS",
    "execute",
    "find_entities",
    "format_result",
    "load_query_file",
    "on_oxigraph",
    "parse_bindings",
    "run_query",
    "unknown_names",
]

Bindings = Mapping[str, Node | str]

RESULT_FORMATS: dict[str, ox.QueryResultsFormat | None] = {
    "table": None,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
"""``--format`` for SELECT and ASK: an aligned table, or a SPARQL 1.1 results format."""

GRAPH_RESULT_FORMATS: dict[str, ox.RdfFormat] = {
    "table": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "json": ox.RdfFormat.JSON_LD,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
"""``--format`` for CONSTRUCT and DESCRIBE, which give RDF (``table`` means Turtle)."""

FORMAT_NAMES = tuple(dict.fromkeys([*RESULT_FORMATS, *GRAPH_RESULT_FORMATS]))


def on_oxigraph(graph: Graph) -> Graph:
    """The graph itself if Oxigraph holds it, else a copy on an Oxigraph store."""
    if oxigraph_of(graph) is not None:
        return graph
    ds = new_dataset()
    if isinstance(graph, Dataset):
        ds.addN((s, p, o, context_in(ds, c)) for s, p, o, c in graph.quads())
    else:
        ds.default_context.addN((s, p, o, ds.default_context) for s, p, o in graph)
    return ds


def _term(value: Node | str) -> Node:
    return value if isinstance(value, Node) else Literal(value)


def run_query(graph: Graph, sparql: str, *, bindings: Bindings | None = None) -> Result:
    """Run a SPARQL query with the newsgraph prefixes predeclared (rdflib results).

    Args:
        graph: any rdflib graph; not on Oxigraph, it is copied onto it first.
        sparql: the query (SELECT, ASK, CONSTRUCT, DESCRIBE).
        bindings: variable name -> value (a ``str`` is a plain literal) the variable
            takes; the query must use it. Values go to Oxigraph as escaped terms in a
            ``VALUES`` block (:func:`_bound`), never as raw text.

    Raises:
        QueryError: the query does not parse or fails; the message says where.
    """
    target = on_oxigraph(graph)
    text, init = _bound(sparql, bindings)
    try:
        return target.query(text, initNs=PREFIXES, initBindings=init)
    except SyntaxError as exc:
        raise _syntax_error_in(sparql, exc) from exc
    except (OSError, RuntimeError, ValueError, NotImplementedError) as exc:
        raise _failure(exc) from exc


def execute(
    graph: Graph, sparql: str, *, bindings: Bindings | None = None
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a query the way :func:`run_query` does, returning Oxigraph's own results
    (streamed, serialisable as SPARQL JSON/CSV/TSV/XML or RDF: see :func:`format_result`).

    Raises:
        QueryError: the query does not parse or fails.
    """
    store = oxigraph_of(on_oxigraph(graph))
    assert store is not None
    text, rest = _bound(sparql, bindings)
    substitutions = {ox.Variable(name): _ox_term(value) for name, value in rest.items()}
    try:
        return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True,
                           substitutions=substitutions)
    except SyntaxError as exc:
        raise _syntax_error_in(sparql, exc) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise _failure(exc) from exc


# What a WHERE clause's opening brace can hide behind: comments, strings, IRIs.
_SKIP = re.compile(
    r"#[^\n]*"
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
)
_TOKEN = re.compile(r"(?i)\bwhere\b|\bconstruct\b|[{}]")


def _where_brace(sparql: str) -> int | None:
    """The offset just after the opening brace of the query's own WHERE clause (not a
    CONSTRUCT template's, not a subquery's), or None where there is none."""
    depth, construct, after_where = 0, False, False
    pos = 0
    while pos < len(sparql):
        skip = _SKIP.match(sparql, pos)
        if skip and skip.end() > pos:
            pos = skip.end()
            continue
        token = _TOKEN.match(sparql, pos)
        if token is None:
            pos += 1
            continue
        word = token.group().lower()
        if word == "{":
            if depth == 0 and (after_where or not construct):
                return token.end()
            depth += 1
        elif word == "}":
            depth -= 1
        elif depth == 0:
            construct = construct or word == "construct"
            after_where = after_where or word == "where"
        pos = token.end()
    return None


def _bound(sparql: str, bindings: Bindings | None) -> tuple[str, dict[str, Node]]:
    """Bind values as a ``VALUES`` block at the head of the WHERE clause, so that
    Oxigraph plans the query from them: it plans a substituted variable as if it were
    free, and a bound name then costs a scan of every statement (1 s on an 800k-triple
    store) where an index lookup takes 4 ms. The values are written by Oxigraph's own
    N-Triples serialiser, every quote, brace and newline escaped, after being checked
    as terms; what cannot go there (a blank node, a query without a WHERE clause) is
    returned, to be substituted instead.

    >>> _bound('SELECT ?e WHERE { ?e rdfs:label ?name }', {"name": 'a"}'})[0]
    'SELECT ?e WHERE { VALUES (?name) { ("a\\\\"}") }  ?e rdfs:label ?name }'

    Raises:
        QueryError: a bound variable that the query does not use.
    """
    terms = {name: _term(value) for name, value in (bindings or {}).items()}
    for name in terms:
        if not re.search(rf"[?$]{re.escape(name)}\b", sparql):
            raise QueryError(f"cannot bind ?{name}: the query does not use it (a bound "
                             f"value fills in a variable of the query's patterns)")
    inline = {name: term for name, term in terms.items() if not isinstance(term, BNode)}
    at = _where_brace(sparql) if inline else None
    if at is None:
        return sparql, terms
    names = " ".join(f"?{name}" for name in inline)
    values = " ".join(str(_ox_term(term)) for term in inline.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    rest = {name: term for name, term in terms.items() if name not in inline}
    return sparql[:at] + block + sparql[at:], rest


def _syntax_error_in(sparql: str, exc: SyntaxError) -> QueryError:
    """The syntax error at its place in the query as written (a VALUES block from
    :func:`_bound` shifts columns): the text alone is parsed again, on an empty store."""
    try:
        ox.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError as own:
        return syntax_error(own, sparql)
    except (OSError, RuntimeError, ValueError):
        pass
    return syntax_error(exc, sparql)


def _ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from .store import _ox  # the one rdflib -> pyoxigraph term conversion

    return _ox(term)


def _failure(exc: Exception) -> QueryError:
    message = " ".join(str(exc).split())
    found = re.search(r"does not contains? variable \?(\w+)", message)
    if found:
        return QueryError(f"cannot bind ?{found.group(1)}: the query does not use it (a bound "
                          f"value fills in a variable of the query's patterns)")
    return QueryError(f"SPARQL query failed: {message}")


_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.S)


def syntax_error(exc: Exception, sparql: str) -> QueryError:
    """A :class:`QueryError` saying where the query is wrong: line, column, the text
    there, and what the parser expected (shortened to what a person can read)."""
    message = " ".join(str(exc).split())
    found = _POSITION.search(message)
    if not found:
        return QueryError(f"SPARQL syntax error: {message}")
    line, column, detail = int(found.group(1)), int(found.group(2)), found.group(3)
    lines = sparql.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    before = text[: max(column - 1, 0)]
    prefix = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
    if "Prefix not found" in detail and prefix:
        what = f"unknown prefix {prefix.group(1) or ''}:"
    else:
        what = _expected(detail)
    snippet = text[max(column - 1, 0):].strip()[:30]
    near = f"at {snippet!r}" if snippet else "at the end of the line"
    return QueryError(f"SPARQL syntax error at line {line}, column {column} ({near}): {what}")


def _expected(detail: str) -> str:
    """Oxigraph lists every token it would have taken, character classes included;
    keep the words and the first few symbols."""
    if not detail.startswith("expected"):
        return detail[:200]
    items = [i.strip() for i in re.split(r",\s*(?![^\[]*\])", detail.removeprefix(
        "expected one of").removeprefix("expected")) if i.strip()]
    readable = [i for i in items if not i.startswith("[") and "\\u" not in i][:10]
    more = len(items) - len(readable)
    tail = f" (or {more} more)" if more > 0 and readable else ""
    return "expected " + (", ".join(readable) + tail if readable else "something else")


def parse_bindings(items: Iterable[str]) -> dict[str, Node]:
    """``--bind NAME=VALUE`` values as terms: ``<iri>`` is an IRI, ``ent:x``-style names
    with a predeclared prefix are IRIs, anything else a plain string literal.

    >>> parse_bindings(["name=Xiaomi", "org=ent:xiaomi", "x=<urn:a>", 'q=a "b" }'])
    ... # doctest: +NORMALIZE_WHITESPACE
    {'name': rdflib.term.Literal('Xiaomi'),
     'org': rdflib.term.URIRef('https://w3id.org/newsgraph/entity/xiaomi'),
     'x': rdflib.term.URIRef('urn:a'), 'q': rdflib.term.Literal('a "b" }')}

    Raises:
        QueryError: an item is not NAME=VALUE, or NAME is not a variable name.
    """
    out: dict[str, Node] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"--bind {item!r}: give NAME=VALUE, e.g. --bind name=Xiaomi")
        if value.startswith("<") and value.endswith(">") and len(value) > 2:
            out[name] = URIRef(value[1:-1])
            continue
        prefix, colon, local = value.partition(":")
        if colon and prefix in PREFIXES and re.fullmatch(r"[\w.-]*", local):
            out[name] = URIRef(PREFIXES[prefix] + local)
        else:
            out[name] = Literal(value)
    return out


_BIND_EXAMPLE = re.compile(r"^#\s*(?:\$\s*)?newsgraph query\b(.*)$")


def load_query_file(path: str | os.PathLike[str]) -> tuple[str, dict[str, str]]:
    """Read a ``.rq`` file: its text, and the example values of the first comment line
    that shows how to run it (``# newsgraph query … --bind name=Xiaomi``).

    Raises:
        QueryError: the file cannot be read.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise QueryError(f"{path}: cannot read the query ({reason})") from exc
    example: dict[str, str] = {}
    for line in text.splitlines():
        found = _BIND_EXAMPLE.match(line.strip())
        if found:
            args = shlex.split(found.group(1))
            for i, arg in enumerate(args):
                if arg == "--bind" and i + 1 < len(args):
                    name, _, value = args[i + 1].partition("=")
                    example[name] = value
            break
    return text, example


def format_result(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    fmt: str = "table",
    *,
    max_width: int = 0,
) -> bytes:
    """Serialise a query result.

    SELECT and ASK: ``table`` (aligned columns, IRIs as prefixed names, a row count),
    or SPARQL 1.1 Query Results ``json``, ``csv``, ``tsv``, ``xml``. CONSTRUCT and
    DESCRIBE give RDF: ``turtle`` (also for ``table``), ``ntriples``, ``jsonld``
    (also for ``json``), ``rdfxml``.

    Args:
        max_width: cut table cells longer than this with "…" (0: never).

    Raises:
        QueryError: a format that does not fit the query form.
    """
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPH_RESULT_FORMATS:
            raise QueryError(f"a CONSTRUCT or DESCRIBE query gives RDF: use --format "
                             f"{', '.join(k for k in GRAPH_RESULT_FORMATS if k != 'table')}")
        rdf_format = GRAPH_RESULT_FORMATS[fmt]
        if rdf_format == ox.RdfFormat.TURTLE:  # for people: rdflib groups by subject, sorted
            from .export import plain
            from .store import _rdflib

            graph = Graph()
            for prefix, iri in PREFIXES.items():
                graph.bind(prefix, iri)
            graph.addN((_rdflib(t.subject), _rdflib(t.predicate), plain(_rdflib(t.object)), graph)
                       for t in result)
            return graph.serialize(format="turtle", encoding="utf-8")
        prefixes = PREFIXES if rdf_format == ox.RdfFormat.RDF_XML else None
        return ox.serialize(result, format=rdf_format, prefixes=prefixes)
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"a SELECT or ASK query gives a table: use --format "
                         f"{', '.join(RESULT_FORMATS)}")
    results_format = RESULT_FORMATS[fmt]
    if results_format is not None:
        return result.serialize(format=results_format)
    if isinstance(result, ox.QueryBoolean):
        return b"true\n" if bool(result) else b"false\n"
    return _table(result, max_width=max_width).encode("utf-8")


def _table(solutions: ox.QuerySolutions, *, max_width: int) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[_cell(solution[name], max_width) for name in names] for solution in solutions]
    widths = [max([len(name), *(len(r[i]) for r in rows)]) for i, name in enumerate(names)]
    out = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out) + "\n"


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, max_width: int) -> str:
    if term is None:
        text = ""
    elif isinstance(term, ox.NamedNode):
        text = f"<{term.value}>"
        for prefix, iri in _BY_LENGTH:
            local = term.value[len(iri):]
            if term.value.startswith(iri) and re.fullmatch(r"[\w.-]*", local):
                text = f"{prefix}:{local}"
                break
    elif isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    else:
        text = " ".join(term.value.split())  # one line per row
    if max_width and len(text) > max_width:
        text = text[: max_width - 1] + "…"
    return text


def unknown_names(graph: Graph, bindings: Mapping[str, Node]) -> list[tuple[str, str, list[str]]]:
    """Bound string values that no entity has as its label, with the labels of the
    entities they probably mean: ``[(variable, value, suggestions)]``.

    Example queries match canonical names (``rdfs:label``) exactly; "Huawei" finds
    nothing where the label is "Huawei Technologies", and a hint saves a puzzled user.
    """
    out = []
    for variable, value in bindings.items():
        if not isinstance(value, Literal) or value.datatype not in {None, XSD.string}:
            continue
        if any(True for _ in graph.subjects(RDFS.label, Literal(str(value)))):
            continue
        labels = sorted({str(label) for e in find_entities(graph, str(value))
                         for label in graph.objects(e, RDFS.label)})
        out.append((variable, str(value), labels))
    return out


def find_entities(graph: Graph, name: str) -> list[URIRef]:
    """The entities a name refers to, for options such as ``viz --focus NAME``.

    Looked up without SPARQL text, so any name — quotes, braces, newlines — is only
    ever compared as data: the entity IRI the resolver would mint for the name (any
    spelling that normalises alike: "xiaomi corp." finds ``ent:xiaomi``), then exact
    ``rdfs:label`` and ``skos:altLabel`` matches. Sorted, without duplicates.

    >>> from newsgraph.graph import new_dataset
    >>> ds = new_dataset()
    >>> _ = ds.add((ENT.xiaomi, RDF.type, NG.Organization))
    >>> _ = ds.add((ENT.xiaomi, RDFS.label, Literal("Xiaomi")))
    >>> find_entities(ds, "Xiaomi Corp."), find_entities(ds, 'x" } ; DROP ALL')
    ([rdflib.term.URIRef('https://w3id.org/newsgraph/entity/xiaomi')], [])
    """
    found: set[URIRef] = set()
    entity_types = {NG[t] for t in ENTITY_CLASSES}
    for etype in ENTITY_CLASSES:
        key = entity_key(name, etype)
        if not key:
            continue
        slug = slug_for(key, {})
        for candidate in (ENT[slug], ENT[slug_for(key, {slug: ""})]):
            if any(t in entity_types for t in graph.objects(candidate, RDF.type)):
                found.add(candidate)
    for predicate in (RDFS.label, SKOS.altLabel):
        for subject in graph.subjects(predicate, Literal(name)):
            if isinstance(subject, URIRef) and any(
                    t in entity_types for t in graph.objects(subject, RDF.type)):
                found.add(subject)
    return sorted(found, key=str)
