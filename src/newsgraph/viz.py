"""Draw the knowledge graph as one self-contained, offline HTML page.

The page is built with pyvis (its :class:`~pyvis.network.Network` collects the nodes
and edges, and its bundled vis-network 9 is inlined), but rendered through this
module's own Jinja template, because pyvis's template loads Bootstrap from a CDN even
with ``cdn_resources="in_line"``, and a page meant to be mailed around or opened on
a plane must not reach out to the network.

Article text is untrusted, and it ends up in node labels and tooltips. Three layers
keep it inert:

- tooltips are plain strings, which vis-network 9 writes with ``innerText`` (never
  ``innerHTML``), so markup shows as text;
- the data travels in a ``<script type="application/json">`` block whose JSON has
  every ``<``, ``>``, ``&``, U+2028 and U+2029 written as a ``\\uXXXX`` escape, so no
  string can close the block or open a comment; the heading and legend are
  HTML-escaped;
- a Content-Security-Policy allows only the two inline scripts of the page (by
  hash) and no network access at all, so even a mistake in the above could neither
  run injected code nor load anything.

Only the facts the graph asserts become edges (a statement with ``ng:negated true``
alone draws nothing); each edge's tooltip lists the statements that support it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import math
import os
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network
from rdflib import RDF, RDFS, SKOS, Graph, Literal
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from newsgraph.errors import OutputError
from newsgraph.ontology import ENTITY_CLASSES, NG, RELATIONS

__all__ = [
    "OTHER_COLOUR",
    "OTHER_TYPE",
    "TYPE_COLOURS",
    "graph_to_vis",
    "node_size",
    "render_html",
    "render_html_string",
    "script_json",
    "stabilization_iterations",
    "vis_options",
]

logger = logging.getLogger(__name__)

TYPE_COLOURS: dict[str, str] = {
    "Organization": "#4e79a7",
    "Person": "#f28e2b",
    "Place": "#59a14f",
    "Product": "#b07aa1",
}
"""Node colour per entity class (colour-blind-safe Tableau 10 hues)."""

OTHER_TYPE = "Entity"
"""Type shown for a fact's endpoint that carries none of the entity classes."""

OTHER_COLOUR = "#9d9d9d"
"""Colour of :data:`OTHER_TYPE` nodes."""

_MIN_SIZE = 12.0
_MAX_SIZE = 60.0
_MAX_ALIASES = 20  # beyond this a node tooltip grows taller than the screen
_MAX_STATEMENTS = 12  # same for an edge tooltip; the rest is counted, not listed
_IMPROVED_LAYOUT_MAX = 1000
_STABILIZATION_BUDGET = 150_000  # node-iterations: ~a few seconds of barnesHut in Chromium
_VIS_VERSION = "vis-9.1.2"  # the build pyvis 0.3.2 inlines for cdn_resources="in_line"


# --------------------------------------------------------------------------- graph → vis


@dataclass(frozen=True, kw_only=True, slots=True)
class _Support:
    """One ``rdf:Statement`` about a fact, reduced to what a tooltip shows."""

    evidence: str
    title: str
    date: str
    confidence: float | None
    negated: bool

    def describe(self) -> str:
        """Render as tooltip lines: the quoted evidence, then where it comes from."""
        source = " · ".join(
            part
            for part in (
                self.title,
                self.date,
                f"confidence {self.confidence:.2f}" if self.confidence is not None else "",
            )
            if part
        )
        quote = f"“{self.evidence}”" if self.evidence else "(no evidence sentence)"
        return f"{quote}\n  — {source}" if source else quote


def _first_text(values: Iterable[Node]) -> str:
    """Pick one literal deterministically: untagged or English first, then by text.

    A merged graph can carry several labels or titles for one node; choosing by a
    fixed order keeps the page stable between runs.
    """
    texts = sorted(
        (getattr(v, "language", None) not in (None, "en"), str(v))
        for v in values
        if isinstance(v, Literal)
    )
    return texts[0][1] if texts else ""


def _local_name(term: Node) -> str:
    text = str(term).rstrip("/#")
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text


def _as_int(value: Node | None) -> int:
    try:
        return max(0, int(value.toPython())) if isinstance(value, Literal) else 0
    except (TypeError, ValueError):
        return 0


def _as_float(value: Node | None) -> float | None:
    try:
        return float(value.toPython()) if isinstance(value, Literal) else None
    except (TypeError, ValueError):
        return None


def _is_true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() in (True, "true", "1", 1)


def node_size(mentions: int) -> float:
    """Map a mention count to a node radius.

    Logarithmic, because mention counts are heavy-tailed: linear sizes would turn
    the few companies every article names into discs that hide the rest. Capped
    for the same reason.

    Examples:
        >>> node_size(0), node_size(1) < node_size(10) < node_size(100)
        (12.0, True)
    """
    return round(min(_MAX_SIZE, _MIN_SIZE + 6.0 * math.log1p(max(0, mentions))), 2)


def _entity_types(graph: Graph) -> dict[Node, str]:
    types: dict[Node, str] = {}
    for name in ENTITY_CLASSES:  # sorted, so a doubly-typed node gets a stable colour
        for entity in graph.subjects(RDF.type, NG[name]):
            types.setdefault(entity, name)
    return types


def _facts(graph: Graph) -> list[tuple[Node, str, Node]]:
    facts: set[tuple[Node, str, Node]] = set()
    for name in RELATIONS:
        for subject, obj in graph.subject_objects(NG[name]):
            if isinstance(obj, Literal) or isinstance(subject, Literal):
                logger.debug("skipping %s fact with a literal end: %s %s", name, subject, obj)
                continue
            facts.add((subject, name, obj))
    # A partnersWith B and B partnersWith A are one fact: keep one direction.
    facts = {
        (s, name, o)
        for s, name, o in facts
        if not (RELATIONS[name].symmetric and str(o) < str(s) and (o, name, s) in facts)
    }
    return sorted(facts, key=lambda f: (str(f[0]), f[1], str(f[2])))


def _article_info(
    graph: Graph, article: Node, cache_: dict[Node, tuple[str, str]]
) -> tuple[str, str]:
    if article not in cache_:
        title = _first_text(graph.objects(article, DCTERMS.title))
        if not title:
            title = _first_text(graph.objects(article, DCTERMS.identifier)) or _local_name(article)
        date = min((str(d) for d in graph.objects(article, DCTERMS.date)), default="")
        cache_[article] = (title, date)
    return cache_[article]


def _supports(graph: Graph) -> dict[tuple[Node, str, Node], list[_Support]]:
    """Index every statement about a relation by the fact it describes."""
    by_predicate = {NG[name]: name for name in RELATIONS}
    articles: dict[Node, tuple[str, str]] = {}
    out: dict[tuple[Node, str, Node], list[_Support]] = defaultdict(list)
    for statement in set(graph.subjects(RDF.subject, None)):
        subject = graph.value(statement, RDF.subject)
        name = by_predicate.get(graph.value(statement, RDF.predicate))  # type: ignore[arg-type]
        obj = graph.value(statement, RDF.object)
        if subject is None or name is None or obj is None:
            continue
        evidence = " … ".join(sorted({str(e) for e in graph.objects(statement, NG.evidence)}))
        confidence = _as_float(graph.value(statement, NG.confidence))
        negated = _is_true(graph.value(statement, NG.negated))
        sources = sorted(set(graph.objects(statement, PROV.wasDerivedFrom)), key=str) or [None]
        for article in sources:
            title, date = ("", "") if article is None else _article_info(graph, article, articles)
            out[(subject, name, obj)].append(
                _Support(
                    evidence=evidence,
                    title=title,
                    date=date,
                    confidence=confidence,
                    negated=negated,
                )
            )
    for supports in out.values():
        supports.sort(key=lambda s: (s.date, s.title, s.evidence))
    return out


def _node_tooltip(label: str, type_: str, aliases: list[str], mentions: int) -> str:
    lines = [label, f"Type: {type_}"]
    if aliases:
        shown = "; ".join(aliases[:_MAX_ALIASES])
        more = len(aliases) - _MAX_ALIASES
        lines.append(f"Also known as: {shown}" + (f" (+{more} more)" if more > 0 else ""))
    lines.append(f"Mentions: {mentions}")
    return "\n".join(lines)


def _edge_tooltip(subject: str, name: str, obj: str, supports: list[_Support]) -> str:
    lines = [f"{subject} — {RELATIONS[name].label} → {obj}"]
    positive = [s for s in supports if not s.negated]
    negative = [s for s in supports if s.negated]
    if not positive:
        lines.append("No supporting statement recorded.")
    else:
        count = len(positive)
        lines.append(f"{count} supporting statement{'s' if count != 1 else ''}:")
        lines.extend("\n" + s.describe() for s in positive[:_MAX_STATEMENTS])
        if count > _MAX_STATEMENTS:
            lines.append(f"\n… and {count - _MAX_STATEMENTS} more")
    if negative:
        # The fact stands (another article asserts it), but a reader should know
        # that some text denies it.
        lines.append(f"\nDenied in {len(negative)} statement{'s' if len(negative) != 1 else ''}:")
        lines.extend("\n" + s.describe() for s in negative[:_MAX_STATEMENTS])
    return "\n".join(lines)


def graph_to_vis(graph: Graph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Turn a newsgraph graph into vis-network node and edge records.

    Kept separate from :func:`render_html` so the mapping can be tested without a
    browser or a file, and reused by other front ends.

    Nodes are the typed entities plus any untyped end of an asserted fact; edges are
    the asserted facts (one per subject, predicate, object), never statements that
    are only negated. All text is plain; none of it is HTML.

    Args:
        graph: A graph in the shape of CONTRACT.md section 3. A ``Dataset`` is read
            through whatever its ``triples`` yields (use ``default_union=True`` to
            see every named graph).

    Returns:
        ``(nodes, edges)``, sorted for a stable page. A symmetric fact asserted in
        both directions is one edge, supported by the statements of both.

        Node keys: ``id`` (the IRI), ``label``, ``title`` (tooltip), ``color``,
        ``size``, ``shape``, ``type``, ``mentions``, ``aliases``.

        Edge keys: ``id``, ``from``, ``to``, ``label`` (the ontology label of the
        predicate), ``title``, ``predicate``, ``statements`` (supporting statement
        count), and ``arrows`` for symmetric relations, ``smooth`` for parallel edges.

    Examples:
        >>> from rdflib import Graph, Literal
        >>> from newsgraph.ontology import ENT
        >>> g = Graph()
        >>> g.add((ENT.xiaomi, RDF.type, NG.Organization))  # doctest: +ELLIPSIS
        <Graph ...>
        >>> _ = g.add((ENT.xiaomi, RDFS.label, Literal("Xiaomi")))
        >>> _ = g.add((ENT.spain, RDF.type, NG.Place))
        >>> _ = g.add((ENT.xiaomi, NG.operatesIn, ENT.spain))
        >>> nodes, edges = graph_to_vis(g)
        >>> [(n["label"], n["type"]) for n in nodes]
        [('spain', 'Place'), ('Xiaomi', 'Organization')]
        >>> edges[0]["label"]
        'operates in'
    """
    types = _entity_types(graph)
    facts = _facts(graph)
    supports = _supports(graph)

    endpoints = {term for s, _, o in facts for term in (s, o)}
    nodes: list[dict[str, Any]] = []
    labels: dict[Node, str] = {}
    for entity in sorted(set(types) | endpoints, key=str):
        type_ = types.get(entity, OTHER_TYPE)
        label = _first_text(graph.objects(entity, RDFS.label)) or _local_name(entity)
        aliases = sorted({str(a) for a in graph.objects(entity, SKOS.altLabel)} - {label})
        mentions = _as_int(graph.value(entity, NG.mentions))
        labels[entity] = label
        nodes.append(
            {
                "id": str(entity),
                "label": label,
                "title": _node_tooltip(label, type_, aliases, mentions),
                "color": TYPE_COLOURS.get(type_, OTHER_COLOUR),
                "size": node_size(mentions),
                "shape": "dot",
                "type": type_,
                "mentions": mentions,
                "aliases": aliases,
            }
        )

    edges: list[dict[str, Any]] = []
    parallel: dict[frozenset[Node], int] = defaultdict(int)
    for index, (subject, name, obj) in enumerate(facts):
        fact_supports = supports.get((subject, name, obj), [])
        if RELATIONS[name].symmetric and subject != obj:
            fact_supports = sorted(
                fact_supports + supports.get((obj, name, subject), []),
                key=lambda s: (s.date, s.title, s.evidence),
            )
        edge: dict[str, Any] = {
            "id": f"e{index}",
            "from": str(subject),
            "to": str(obj),
            "label": RELATIONS[name].label,
            "title": _edge_tooltip(labels[subject], name, labels[obj], fact_supports),
            "predicate": name,
            "statements": sum(not s.negated for s in fact_supports),
        }
        if RELATIONS[name].symmetric:
            edge["arrows"] = {"to": {"enabled": False}}
        # Straight edges between the same two nodes would be drawn on top of each
        # other (labels included); bend every further one a little more.
        pair = frozenset((subject, obj))
        if parallel[pair]:
            edge["smooth"] = {
                "enabled": True,
                "type": "curvedCW",
                "roundness": 0.25 * parallel[pair],
            }
        parallel[pair] += 1
        edges.append(edge)
    logger.debug("graph_to_vis: %d nodes, %d edges", len(nodes), len(edges))
    return nodes, edges


# --------------------------------------------------------------------------- HTML


def stabilization_iterations(node_count: int) -> int:
    """How many layout iterations to run before the page becomes usable.

    Each barnesHut iteration costs about O(n log n), so a fixed count that tidies a
    hundred nodes nicely would freeze the tab for a minute on five thousand. The
    count shrinks with the graph, within bounds that still untangle it.

    Examples:
        >>> stabilization_iterations(50), stabilization_iterations(5000)
        (300, 60)
    """
    return max(60, min(300, _STABILIZATION_BUDGET // max(1, node_count)))


def vis_options(node_count: int = 0) -> dict[str, Any]:
    """The vis-network options of the page.

    Physics runs a bounded number of stabilisation iterations before the first
    paint and is then switched off by the page script, so a graph of thousands of
    nodes does not keep the CPU busy (or the nodes drifting) while it is read.
    Straight edges are cheaper to draw and to hit-test than smooth ones.

    Args:
        node_count: Number of nodes, to size the stabilisation effort.
    """
    return {
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "face": "system-ui, sans-serif"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"color": "#9aa5b1", "highlight": "#34495e", "hover": "#34495e"},
            "font": {"size": 11, "align": "middle", "color": "#444444", "strokeWidth": 3},
            "smooth": False,
            "width": 1.2,
        },
        # Kamada-Kawai seeding pays off on small graphs and costs seconds on big ones.
        "layout": {"improvedLayout": node_count <= _IMPROVED_LAYOUT_MAX},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": True,
            "multiselect": True,
        },
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"springLength": 160, "avoidOverlap": 0.2},
            "minVelocity": 0.75,
            "stabilization": {
                "enabled": True,
                "iterations": stabilization_iterations(node_count),
                "updateInterval": 25,
                "fit": True,
            },
        },
    }


def script_json(value: Any) -> str:
    r"""Serialise ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    ``json.dumps`` alone is not: a string holding ``</script>`` ends the element,
    ``<!--`` switches the parser into an escaped state, and U+2028/U+2029 end a
    line in older JavaScript. Inside JSON these characters can only occur within
    strings, where the ``\uXXXX`` escapes decode back to the same text.

    Examples:
        >>> print(script_json({"t": "</script><!--&\u2028"}))
        {"t": "\u003c/script\u003e\u003c!--\u0026\u2028"}
    """
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _normalise_newlines(text: str) -> str:
    # The HTML parser turns CR LF and lone CR into LF before a script runs, and the
    # CSP hash is taken over what it sees.
    return text.replace("\r\n", "\n").replace("\r", "\n")


@cache
def _vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet pyvis ships, ready to inline.

    The trailing ``sourceMappingURL`` comment is dropped: it names a file that is
    not in the page, and devtools would try to fetch it.
    """
    lib = Path(Network(cdn_resources="in_line").template_dir) / "lib" / _VIS_VERSION
    script = _normalise_newlines((lib / "vis-network.min.js").read_text(encoding="utf-8"))
    script = "\n".join(
        line for line in script.split("\n") if not line.startswith("//# sourceMappingURL=")
    )
    css = _normalise_newlines((lib / "vis-network.css").read_text(encoding="utf-8"))
    for name, text, closer in (("script", script, "</script"), ("style", css, "</style")):
        if closer in text.lower() or "<!--" in text:
            raise OutputError(f"pyvis's vis-network {name} cannot be inlined: it contains {closer}")
    return script, css


_PAGE_SCRIPT = """
var nodes, edges, data, options, network, container;

// Same globals and drawGraph() as pyvis's own template, so scripts written for
// pyvis pages (and the tests) find `network` where they expect it.
function drawGraph() {
  var payload = JSON.parse(document.getElementById("newsgraph-data").textContent);
  var status = document.getElementById("status");
  container = document.getElementById("mynetwork");
  nodes = new vis.DataSet(payload.nodes);
  edges = new vis.DataSet(payload.edges);
  data = {nodes: nodes, edges: edges};
  options = payload.options;
  network = new vis.Network(container, data, options);

  function settled() {
    network.setOptions({physics: {enabled: false}});
    status.textContent = "";
    document.body.setAttribute("data-stabilized", "true");
  }
  network.on("stabilizationProgress", function (params) {
    status.textContent = "laying out " + Math.round(100 * params.iterations / params.total) + "%";
  });
  network.once("stabilizationIterationsDone", settled);
  if (nodes.length === 0) {
    settled();
  }
  return network;
}
drawGraph();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
script-src {{ script_hashes }}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; \
form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="newsgraph">
<title>{{ heading }}</title>
<style>{{ vis_css }}</style>
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font-family: system-ui, sans-serif;
         color: #222; background: #fff; }
  header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5em 1.5em;
           padding: 0.5em 1em; border-bottom: 1px solid #ddd; }
  h1 { font-size: 1.25em; margin: 0; }
  .stats, #status { color: #666; font-size: 0.9em; }
  ul.legend { display: flex; flex-wrap: wrap; gap: 0.25em 1em; list-style: none;
              margin: 0; padding: 0; font-size: 0.9em; }
  ul.legend li { display: flex; align-items: center; gap: 0.35em; }
  .swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%;
            border: 1px solid rgba(0, 0, 0, 0.25); }
  #mynetwork { flex: 1 1 auto; min-height: 400px; position: relative; }
  div.vis-tooltip { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 36em;
                    font-family: system-ui, sans-serif; font-size: 13px; line-height: 1.35; }
</style>
<script>{{ vis_js }}</script>
</head>
<body>
<header>
  <h1>{{ heading }}</h1>
  <span class="stats">{{ node_count }} entities · {{ edge_count }} facts</span>
  <ul class="legend" aria-label="Entity types">
  {%- for item in legend %}
    <li><span class="swatch" style="background-color: {{ item.colour }}"></span>\
{{ item.name }} ({{ item.count }})</li>
  {%- endfor %}
  </ul>
  <span id="status"></span>
</header>
<div id="mynetwork"></div>
<script type="application/json" id="newsgraph-data">{{ data_json }}</script>
<script>{{ page_script }}</script>
</body>
</html>
"""


@cache
def _template() -> Any:
    # autoescape as a second guard: every text value is escaped even if a caller
    # forgets; the pre-escaped values are passed as Markup and kept as they are.
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return env.from_string(_TEMPLATE)


class _IdList(list):  # type: ignore[type-arg]
    """pyvis's node-id list with a set beside it.

    pyvis checks ``id in self.node_ids`` (a list) for every node and for both ends of
    every edge, which is quadratic; with this it is linear, and a graph of tens of
    thousands of facts renders in seconds.
    """

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _network(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], title: str) -> Network:
    net = Network(
        height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line"
    )
    net.node_ids = _IdList()
    for node in nodes:
        net.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    for edge in edges:
        net.add_edge(
            edge["from"], edge["to"], **{k: v for k, v in edge.items() if k not in ("from", "to")}
        )
    net.options = vis_options(len(nodes))
    return net


def _legend(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for node in nodes:
        counts[node["type"]] += 1
    colours = dict(TYPE_COLOURS)
    if counts.get(OTHER_TYPE):
        colours[OTHER_TYPE] = OTHER_COLOUR
    return [
        {"name": Markup(html.escape(name)), "colour": colour, "count": counts.get(name, 0)}
        for name, colour in colours.items()
    ]


def render_html_string(graph: Graph, *, title: str = "newsgraph") -> str:
    """Render the graph as the text of a self-contained HTML page.

    Args:
        graph: A graph in the shape of CONTRACT.md section 3.
        title: Page title and heading; plain text, escaped here.

    Returns:
        The HTML document. It references no URL: vis-network is inlined and a
        Content-Security-Policy forbids every network request.

    Raises:
        OutputError: pyvis's bundled vis-network cannot be inlined safely.
    """
    vis_js, vis_css = _vis_assets()
    nodes, edges = graph_to_vis(graph)
    net = _network(nodes, edges, title)
    net_nodes, net_edges, heading, _height, _width, _options = net.get_network_data()
    page_script = _normalise_newlines(_PAGE_SCRIPT)
    payload = {"nodes": net_nodes, "edges": net_edges, "options": net.options}
    return _template().render(
        heading=Markup(html.escape(heading)),
        script_hashes=Markup(f"{_csp_hash(vis_js)} {_csp_hash(page_script)}"),
        vis_css=Markup(vis_css),
        vis_js=Markup(vis_js),
        page_script=Markup(page_script),
        data_json=Markup(script_json(payload)),
        legend=_legend(nodes),
        node_count=len(net_nodes),
        edge_count=len(net_edges),
    )


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new, never half.

    The temporary file is created in the same directory (``os.replace`` is only
    atomic within one file system) with mode 0666 so the umask applies as it
    would to a plain ``open``.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def render_html(graph: Graph, path: str | os.PathLike[str], *, title: str = "newsgraph") -> Path:
    """Write the graph as one self-contained HTML file that works offline.

    Entities are dots coloured by type (with a legend) and sized by mentions; facts
    are edges labelled with the ontology label of their predicate. Hovering shows
    plain-text tooltips: type, aliases and mentions for a node; each supporting
    statement's evidence sentence, article title and date for an edge.

    Args:
        graph: A graph in the shape of CONTRACT.md section 3 (a ``Dataset`` with
            ``default_union=True`` works too).
        path: Where to write the page; an existing file is replaced atomically.
        title: Page title and heading; plain text.

    Returns:
        The path written.

    Raises:
        OutputError: The file cannot be written (missing directory, permissions).
    """
    target = Path(path)
    document = render_html_string(graph, title=title)
    try:
        # "replace" only matters for lone surrogates, which cannot be UTF-8.
        _write_atomic(target, document.encode("utf-8", errors="replace"))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write HTML ({exc.strerror or exc})") from exc
    logger.info("wrote %s (%d bytes)", target, len(document))
    return target
