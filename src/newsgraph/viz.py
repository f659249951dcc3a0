"""Draw the knowledge graph as one self-contained, offline HTML page an analyst can explore.

Three steps, each usable alone:

1. :func:`select_view` reads the graph (any rdflib ``Graph`` or ``Dataset``, e.g. one
   on an Oxigraph store, or a :class:`~newsgraph.KnowledgeGraph`) and picks what to
   show: ``focus`` on named entities and their neighbours within ``hops``, only some
   ``types`` or ``predicates``, facts from articles dated ``since``/``until``,
   entities with ``min_mentions``, and at most ``max_nodes`` entities, the most
   connected. It returns a :class:`View` of vis-network node and edge records
   with positions laid out by :mod:`newsgraph.layout`.
2. :func:`render_html_string` turns a view into the page: search box, type and
   relation filters (the legend), tooltips, a details panel with the evidence and
   links to the articles, and physics that polishes the layout briefly and stops.
3. :func:`render_html` writes it atomically.

The graph is read with one triple-pattern scan per predicate, never with SPARQL
text, so nothing a user types (a ``--focus`` name, a type) can change a query; the
selection is made in Python.

The page is built with pyvis (its :class:`~pyvis.network.Network` collects the nodes
and edges, and its bundled vis-network 9 is inlined), but rendered through this
module's own Jinja template, because pyvis's template loads Bootstrap from a CDN even
with ``cdn_resources="in_line"``, and a page meant to be mailed around or opened on
a plane must not reach out to the network.

Article text is untrusted, and it ends up in node labels, tooltips and the details
panel. Three layers keep it inert:

- tooltips are plain strings, which vis-network 9 writes with ``innerText``, and the
  page script builds the panel with ``textContent`` only (never ``innerHTML``), so
  markup shows as text; a link is made only from an ``http(s)`` URL;
- the data travels in a ``<script type="application/json">`` block whose JSON has
  every ``<``, ``>``, ``&``, U+2028 and U+2029 written as a ``\\uXXXX`` escape, so no
  string can close the block or open a comment; everything else in the template is
  HTML-escaped;
- a Content-Security-Policy allows only the two inline scripts of the page (by
  hash) and no network access at all, so even a mistake in the above could neither
  run injected code nor load anything.

Only the facts the graph asserts become edges (a statement with ``ng:negated true``
alone draws nothing); each edge's tooltip lists the statements that support it.
"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import hashlib
import json
import logging
import math
import os
import re
import secrets
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack
from urllib.parse import urlsplit

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup
from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from newsgraph.errors import OutputError, SelectionError
from newsgraph.layout import layout
from newsgraph.ontology import ENTITY_CLASSES, NG, RELATIONS

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = [
    "DEFAULT_MAX_NODES",
    "OTHER_COLOUR",
    "OTHER_TYPE",
    "TYPE_COLOURS",
    "Selection",
    "SelectionOptions",
    "View",
    "graph_to_vis",
    "node_size",
    "render_html",
    "render_html_string",
    "script_json",
    "select_view",
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

DEFAULT_MAX_NODES = 2000
"""How many entities a page shows unless told otherwise: the most connected.

Enough for every entity of a few hundred articles with a fact; beyond it a
picture stops being readable long before the browser stops being fast."""

_MIN_SIZE = 12.0
_MAX_SIZE = 60.0
_MAX_ALIASES = 20  # beyond this a node tooltip grows taller than the screen
_MAX_STATEMENTS = 12  # same for an edge tooltip; the rest is counted, not listed
_MAX_STRONGEST = 5  # facts named in a node tooltip
_STABILIZATION_BUDGET = 25_000  # node-iterations of polish: well under a second
_LAYOUT_BUDGET_MS = 2000  # the page stops polishing after this long, whatever is left
_HIDE_EDGES_ON_ZOOM = 1000  # from this many edges on, zooming draws nodes only
_VIS_VERSION = "vis-9.1.2"  # the build pyvis 0.3.2 inlines for cdn_resources="in_line"
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Fact = tuple[Node, str, Node]


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, kw_only=True, slots=True)
class _Article:
    """What the page says about an article: title, ISO date, and a link if it has one."""

    title: str
    date: str
    url: str


@dataclass(frozen=True, kw_only=True, slots=True)
class _Support:
    """One ``rdf:Statement`` about a fact, for one of the articles it derives from."""

    evidence: str
    article: _Article | None
    confidence: float | None
    negated: bool

    def sort_key(self) -> tuple[str, str, str]:
        article = self.article or _Article(title="", date="", url="")
        return (article.date, article.title, self.evidence)

    def describe(self) -> str:
        """Render as tooltip lines: the quoted evidence, then where it comes from."""
        article = self.article or _Article(title="", date="", url="")
        source = " · ".join(
            part
            for part in (
                article.title,
                article.date,
                f"confidence {self.confidence:.2f}" if self.confidence is not None else "",
            )
            if part
        )
        quote = f"“{self.evidence}”" if self.evidence else "(no evidence sentence)"
        lines = [quote]
        if source:
            lines.append(f"  — {source}")
        if article.url:
            lines.append(f"  {article.url}")
        return "\n".join(lines)

    def record(self) -> dict[str, Any]:
        """The statement as the page's details panel shows it."""
        article = self.article or _Article(title="", date="", url="")
        return {
            "text": self.evidence,
            "title": article.title,
            "date": article.date,
            "url": article.url,
            "confidence": self.confidence,
            "negated": self.negated,
        }


@dataclass(kw_only=True, slots=True)
class _Entity:
    iri: Node
    type: str
    label: str
    aliases: list[str]
    mentions: int
    articles: frozenset[Node]


@dataclass(kw_only=True, slots=True)
class _Index:
    """Everything the page needs from the graph, read once."""

    entities: dict[Node, _Entity]
    facts: dict[Fact, list[_Support]]  # asserted facts → every statement about them
    article_dates: dict[Node, str]


def _pairs(graph: Graph, predicate: URIRef) -> set[tuple[Node, Node]]:
    """Subject and object of every triple with ``predicate``.

    A ``Dataset`` is read in all its named graphs, whatever its ``default_union``
    says: a graph loaded from TriG keeps each article's facts in its own graph.
    """
    if isinstance(graph, Dataset):
        return {(s, o) for s, _, o, _ in graph.quads((None, predicate, None, None))}
    return set(graph.subject_objects(predicate))


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


def _safe_url(value: str) -> str:
    """``value`` if it is an absolute http(s) URL, else "": only those become links.

    Examples:
        >>> _safe_url("https://example.org/a?b=1"), _safe_url("javascript:alert(1)")
        ('https://example.org/a?b=1', '')
    """
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    ok = parts.scheme.lower() in ("http", "https") and parts.netloc and value.isprintable()
    return value if ok and not any(ch.isspace() for ch in value) else ""


def _iso_date(values: Iterable[Node]) -> str:
    """The earliest ISO day among ``dct:date`` values ("" if none is one): xsd:date,
    xsd:dateTime and plain "YYYY-MM-DD…" literals all start with it."""
    days = sorted(str(v)[:10] for v in values if _ISO_DAY.match(str(v)))
    return days[0] if days else ""


def _grouped(pairs: Iterable[tuple[Node, Node]]) -> dict[Node, list[Node]]:
    out: dict[Node, list[Node]] = defaultdict(list)
    for s, o in pairs:
        out[s].append(o)
    return out


def _read_index(graph: Graph) -> _Index:
    """Read entities, facts, statements and articles with one scan per predicate."""
    classes = {NG[name]: name for name in ENTITY_CLASSES}
    types: dict[Node, str] = {}
    for entity, cls in sorted(_pairs(graph, RDF.type), key=lambda p: (str(p[0]), str(p[1]))):
        if cls in classes:  # sorted, so a doubly-typed node gets a stable colour
            types.setdefault(entity, classes[cls])

    facts: set[Fact] = set()
    for name in RELATIONS:
        for s, o in _pairs(graph, NG[name]):
            if isinstance(s, Literal) or isinstance(o, Literal):
                logger.debug("skipping %s fact with a literal end: %s %s", name, s, o)
                continue
            facts.add((s, name, o))

    endpoints = {term for s, _, o in facts for term in (s, o)}
    labels = _grouped(_pairs(graph, RDFS.label))
    aliases = _grouped(_pairs(graph, SKOS.altLabel))
    mentions = dict(_pairs(graph, NG.mentions))
    mentioned_in = _grouped(_pairs(graph, NG.mentionedIn))
    entities: dict[Node, _Entity] = {}
    for iri in set(types) | endpoints:
        label = _first_text(labels.get(iri, ())) or _local_name(iri)
        entities[iri] = _Entity(
            iri=iri,
            type=types.get(iri, OTHER_TYPE),
            label=label,
            aliases=sorted({str(a) for a in aliases.get(iri, ())} - {label}),
            mentions=_as_int(mentions.get(iri)),
            articles=frozenset(mentioned_in.get(iri, ())),
        )

    titles = _grouped(_pairs(graph, DCTERMS.title))
    identifiers = _grouped(_pairs(graph, DCTERMS.identifier))
    dates = _grouped(_pairs(graph, DCTERMS.date))
    sources = _grouped(_pairs(graph, DCTERMS.source))
    articles: dict[Node, _Article] = {}

    article_dates = {iri: _iso_date(values) for iri, values in dates.items()}

    def article(iri: Node) -> _Article:
        if iri not in articles:
            urls = sorted(u for u in (_safe_url(str(s)) for s in sources.get(iri, ())) if u)
            articles[iri] = _Article(
                title=_first_text(titles.get(iri, ()))
                or _first_text(identifiers.get(iri, ()))
                or _local_name(iri),
                date=article_dates.get(iri, ""),
                url=urls[0] if urls else "",
            )
        return articles[iri]

    by_predicate = {NG[name]: name for name in RELATIONS}
    subjects = dict(_pairs(graph, RDF.subject))
    predicates = dict(_pairs(graph, RDF.predicate))
    objects = dict(_pairs(graph, RDF.object))
    derived = _grouped(_pairs(graph, PROV.wasDerivedFrom))
    evidence = _grouped(_pairs(graph, NG.evidence))
    confidence = dict(_pairs(graph, NG.confidence))
    negated = dict(_pairs(graph, NG.negated))
    supports: dict[Fact, list[_Support]] = {f: [] for f in facts}
    for statement, s in subjects.items():
        name = by_predicate.get(predicates.get(statement))  # type: ignore[arg-type]
        o = objects.get(statement)
        if name is None or o is None:
            continue
        text = " … ".join(sorted({str(e) for e in evidence.get(statement, ())}))
        origins = sorted(set(derived.get(statement, ())), key=str) or [None]
        for origin in origins:
            supports.setdefault((s, name, o), []).append(
                _Support(
                    evidence=text,
                    article=None if origin is None else article(origin),
                    confidence=_as_float(confidence.get(statement)),
                    negated=_is_true(negated.get(statement)),
                )
            )

    # A partnersWith B and B partnersWith A are one fact: keep one direction, with
    # the statements of both.
    merged: dict[Fact, list[_Support]] = {}
    for s, name, o in sorted(facts, key=lambda f: (str(f[0]), f[1], str(f[2]))):
        if RELATIONS[name].symmetric and (o, name, s) in merged:
            continue
        found = list(supports.get((s, name, o), ()))
        if RELATIONS[name].symmetric and s != o:
            found += supports.get((o, name, s), ())
        merged[(s, name, o)] = sorted(found, key=_Support.sort_key)
    logger.debug("read %d entities and %d facts", len(entities), len(merged))
    return _Index(entities=entities, facts=merged, article_dates=article_dates)


# --------------------------------------------------------------------------- selection


class SelectionOptions(TypedDict, total=False):
    """What :func:`select_view` and the render functions take to choose what to show."""

    focus: str | Sequence[str] | None
    hops: int
    types: str | Iterable[str] | None
    predicates: str | Iterable[str] | None
    since: str | dt.date | None
    until: str | dt.date | None
    min_mentions: int
    max_nodes: int | None


def _names(value: str | Iterable[str] | None) -> list[str]:
    """Names from a comma-separated string or an iterable of them (which may hold commas)."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def _canonical(names: list[str], known: Iterable[str], what: str) -> frozenset[str]:
    lookup = {name.casefold(): name for name in known}
    out = set()
    for name in names:
        if name.casefold() not in lookup:
            raise SelectionError(
                f"unknown {what} {name!r}; use some of {', '.join(sorted(lookup.values()))}"
            )
        out.add(lookup[name.casefold()])
    return frozenset(out)


def _date_bound(value: str | dt.date | None, which: str) -> str | None:
    """An ISO date or a prefix of one (``2019``, ``2019-05``, ``2019-05-24``)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        dt.date.fromisoformat((text + "-01-01")[:10])
    except ValueError:
        raise SelectionError(
            f"--{which} {value!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY"
        ) from None
    return text


@dataclass(frozen=True, kw_only=True, slots=True)
class Selection:
    """What a view shows, validated. Build it with :meth:`of`.

    Attributes:
        focus: Entity names (label, alias or IRI, any case); empty for the whole graph.
        hops: How far from the focus to go, in facts.
        types: Entity classes to show (``None``: all).
        predicates: Relations to show, as asked (``None``: all).
        since: Earliest article date, an ISO date or a prefix of one.
        until: Latest article date, same form (``2019`` means up to 2019-12-31).
        min_mentions: Leave out entities mentioned less often.
        max_nodes: Show at most this many entities, the most connected (closest to
            the focus first); ``None`` for no limit.
    """

    focus: tuple[str, ...] = ()
    hops: int = 1
    types: frozenset[str] | None = None
    predicates: frozenset[str] | None = None
    since: str | None = None
    until: str | None = None
    min_mentions: int = 0
    max_nodes: int | None = DEFAULT_MAX_NODES

    @classmethod
    def of(cls, **options: Unpack[SelectionOptions]) -> Selection:
        """Validate and normalise keyword options.

        Raises:
            SelectionError: an unknown type or predicate, a malformed date, ``since``
                after ``until``, or a negative count. The message names the value
                and the valid choices.

        Examples:
            >>> sorted(Selection.of(types="person,Organization", since="2019").types)
            ['Organization', 'Person']
            >>> Selection.of(predicates=["acquired"], max_nodes=0).max_nodes is None
            True
        """
        unknown = set(options) - set(SelectionOptions.__annotations__)
        if unknown:
            raise TypeError(f"unexpected selection option {sorted(unknown)[0]!r}")
        hops = int(options.get("hops", 1))
        min_mentions = int(options.get("min_mentions", 0))
        max_nodes = options.get("max_nodes", DEFAULT_MAX_NODES)
        for name, number in (("hops", hops), ("min-mentions", min_mentions)):
            if number < 0:
                raise SelectionError(f"--{name} must be 0 or more, not {number}")
        if max_nodes is not None and int(max_nodes) < 0:
            raise SelectionError(f"--max-nodes must be 0 (no limit) or more, not {max_nodes}")
        types = _names(options.get("types"))
        predicates = _names(options.get("predicates"))
        since = _date_bound(options.get("since"), "since")
        until = _date_bound(options.get("until"), "until")
        if since and until and since > until + "-99-99"[len(until) - 4 :]:
            raise SelectionError(f"--since {since} is after --until {until}")
        focus = options.get("focus")
        return cls(
            focus=tuple(_names_keep_commas(focus)),
            hops=hops,
            types=_canonical(types, (*ENTITY_CLASSES, OTHER_TYPE), "type") if types else None,
            predicates=_canonical(predicates, RELATIONS, "predicate") if predicates else None,
            since=since,
            until=until,
            min_mentions=min_mentions,
            max_nodes=(int(max_nodes) or None) if max_nodes is not None else None,
        )

    def predicate_names(self) -> frozenset[str] | None:
        """The predicates drawn: each one asked for, its inverse and its sub-properties.

        ``blockedBy`` also shows ``blocks`` facts (the same relation read the other
        way) and ``worksFor`` also shows ``leads`` (every leader works for what they
        lead), as CONTRACT.md section 4 defines them.
        """
        if self.predicates is None:
            return None
        out = set(self.predicates)
        for name in self.predicates:
            if RELATIONS[name].inverse:
                out.add(RELATIONS[name].inverse)  # type: ignore[arg-type]
        out |= {n for n, r in RELATIONS.items() if r.parent in out}
        return frozenset(out)

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    def in_range(self, date: str) -> bool:
        """Whether an article date (ISO, or "" when unknown) lies within since/until."""
        if not date:
            return False
        return (self.since is None or date[: len(self.since)] >= self.since) and (
            self.until is None or date[: len(self.until)] <= self.until
        )


def _names_keep_commas(value: str | Sequence[str] | None) -> list[str]:
    """Focus names: a name may contain a comma ("Apple, Inc."), so only lists split them."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [str(item).strip() for item in items if str(item).strip()]


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _match_focus(index: _Index, names: Sequence[str]) -> list[Node]:
    """The entities each name means: by label, else by alias, else by IRI or its last part.

    Raises:
        SelectionError: a name matches no entity; the message suggests close labels.
    """
    by_label: dict[str, list[Node]] = defaultdict(list)
    by_alias: dict[str, list[Node]] = defaultdict(list)
    by_iri: dict[str, list[Node]] = defaultdict(list)
    for iri, entity in index.entities.items():
        by_label[_normal(entity.label)].append(iri)
        for alias in entity.aliases:
            by_alias[_normal(alias)].append(iri)
        by_iri[str(iri)].append(iri)
        by_iri[_normal(_local_name(iri))].append(iri)
    roots: list[Node] = []
    for name in names:
        key = _normal(name)
        found = by_label.get(key) or by_alias.get(key) or by_iri.get(name) or by_iri.get(key)
        if not found:
            labels = sorted({e.label for e in index.entities.values()})
            normal = {_normal(label): label for label in labels}
            close = difflib.get_close_matches(key, list(normal), n=5, cutoff=0.75)
            close += [n for n in normal if key and key in n and n not in close][: 5 - len(close)]
            hint = f"; did you mean {', '.join(repr(normal[c]) for c in close)}?" if close else ""
            raise SelectionError(f"no entity named {name!r} in the graph{hint}")
        roots.extend(sorted(found, key=str))
    return list(dict.fromkeys(roots))


# --------------------------------------------------------------------------- view


@dataclass(frozen=True, kw_only=True)
class View:
    """What a page shows: vis-network records plus how they were chosen.

    Attributes:
        nodes: Node records (see :func:`graph_to_vis`), sorted by IRI.
        edges: Edge records, sorted by subject, predicate, object.
        selection: The selection that made the view.
        entities: Entities in the whole graph.
        facts: Asserted facts in the whole graph.
        matched: Entities the selection matched before ``max_nodes`` cut them.
        focus: Labels of the focus entities.
    """

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    selection: Selection = field(default_factory=Selection)
    entities: int = 0
    facts: int = 0
    matched: int = 0
    focus: tuple[str, ...] = ()

    @property
    def truncated(self) -> bool:
        """Whether ``max_nodes`` left out entities the selection matched."""
        return self.matched > len(self.nodes)

    def summary(self) -> str:
        """One line for people: what is shown out of what there is.

        Examples:
            >>> View(nodes=[{}], edges=[], entities=3, facts=2, matched=1).summary()
            '1 of 3 entities, 0 of 2 facts'
        """
        return (
            f"{len(self.nodes)} of {self.entities} entities, "
            f"{len(self.edges)} of {self.facts} facts"
        )

    def describe(self) -> str:
        """How the view was chosen, as a phrase for the page header ("" for everything)."""
        sel = self.selection
        parts = []
        if self.focus:
            hops = f"{sel.hops} hop{'s' if sel.hops != 1 else ''}"
            parts.append(f"around {', '.join(self.focus)} ({hops})")
        if sel.types is not None:
            parts.append("types: " + ", ".join(sorted(sel.types)))
        if sel.predicates is not None:
            parts.append("relations: " + ", ".join(sorted(sel.predicates)))
        if sel.since:
            parts.append(f"since {sel.since}")
        if sel.until:
            parts.append(f"until {sel.until}")
        if sel.min_mentions:
            parts.append(f"at least {sel.min_mentions} mentions")
        if self.truncated:
            parts.append(
                f"the {len(self.nodes)} most {'closely ' if self.focus else ''}connected "
                f"of {self.matched} matching entities (--max-nodes)"
            )
        return " · ".join(parts)


def _as_graph(source: Any) -> Graph:
    """The rdflib graph of ``source``: a Graph or Dataset, or anything with ``.graph``
    (a :class:`~newsgraph.KnowledgeGraph`), without importing the pipeline here."""
    if isinstance(source, Graph):
        return source
    graph = getattr(source, "graph", None)
    if isinstance(graph, Graph):
        return graph
    raise TypeError(f"expected an rdflib Graph or a KnowledgeGraph, not {type(source).__name__}")


def _fact_articles(supports: list[_Support]) -> int:
    """How many articles state a fact (statements without an article count one each)."""
    positive = [s for s in supports if not s.negated]
    return len({s.article for s in positive if s.article}) + sum(not s.article for s in positive)


def _strength(supports: list[_Support]) -> tuple[int, float]:
    best = max((s.confidence or 0.0 for s in supports if not s.negated), default=0.0)
    return (_fact_articles(supports), best)


def select_view(source: Any, **options: Unpack[SelectionOptions]) -> View:
    """Choose and lay out what a page of the graph shows.

    Args:
        source: An rdflib ``Graph`` or ``Dataset`` in the shape of CONTRACT.md
            section 3 (every named graph is read), or a ``KnowledgeGraph``.
        **options: See :class:`Selection`: ``focus``, ``hops``, ``types``,
            ``predicates``, ``since``, ``until``, ``min_mentions``, ``max_nodes``.

    Returns:
        The :class:`View`.

    How each option narrows the view:

    - ``predicates`` and ``since``/``until`` choose facts: a fact stays when its
      predicate is asked for (or is the inverse or a sub-property of one asked
      for) and one of its statements comes from an article dated in the range;
      its tooltip then lists only those statements. Entities then need a fact
      that stayed, or, for dates only, a mention in an article of the range.
    - ``types`` and ``min_mentions`` choose entities; facts need both ends.
    - ``focus`` keeps the named entities, whatever the other options say, and the
      entities within ``hops`` facts of them that pass the options.
    - ``max_nodes`` keeps the most connected entities (nearest to the focus first).

    Raises:
        SelectionError: a bad option, or a focus name no entity has.
    """
    graph = _as_graph(source)
    selection = Selection.of(**options)
    index = _read_index(graph)
    predicates = selection.predicate_names()

    # Facts the options keep, each with the statements that keep it.
    facts: dict[Fact, list[_Support]] = {}
    for fact, supports in index.facts.items():
        if predicates is not None and fact[1] not in predicates:
            continue
        if selection.dated:
            supports = [
                s for s in supports if s.article is not None and selection.in_range(s.article.date)
            ]
            if not any(not s.negated for s in supports):
                continue
        facts[fact] = supports

    incident: dict[Node, list[Fact]] = defaultdict(list)
    for fact in facts:
        incident[fact[0]].append(fact)
        if fact[2] != fact[0]:
            incident[fact[2]].append(fact)

    def passes(entity: _Entity) -> bool:
        if selection.types is not None and entity.type not in selection.types:
            return False
        if entity.mentions < selection.min_mentions:
            return False
        if predicates is not None and entity.iri not in incident:
            return False
        if selection.dated and entity.iri not in incident:
            dates = (index.article_dates.get(a, "") for a in entity.articles)
            return any(selection.in_range(d) for d in dates)
        return True

    distance: dict[Node, int] = {}
    roots = _match_focus(index, selection.focus) if selection.focus else []
    if roots:
        queue = deque(roots)
        distance = dict.fromkeys(roots, 0)
        while queue:
            node = queue.popleft()
            if distance[node] >= selection.hops:
                continue
            for s, _, o in incident.get(node, ()):
                other = o if s == node else s
                if other not in distance and passes(index.entities[other]):
                    distance[other] = distance[node] + 1
                    queue.append(other)
        chosen = set(distance)
    else:
        chosen = {iri for iri, entity in index.entities.items() if passes(entity)}

    def kept_facts(nodes: set[Node]) -> list[Fact]:
        return [f for f in facts if f[0] in nodes and f[2] in nodes]

    edges = kept_facts(chosen)
    matched = len(chosen)
    if selection.max_nodes is not None and matched > selection.max_nodes:
        degree: dict[Node, int] = defaultdict(int)
        weight: dict[Node, int] = defaultdict(int)
        for fact in edges:
            for end in {fact[0], fact[2]}:
                degree[end] += 1
                weight[end] += _fact_articles(facts[fact])
        ranked = sorted(
            chosen - set(roots),
            key=lambda n: (
                distance.get(n, 0),
                -degree[n],
                -weight[n],
                -index.entities[n].mentions,
                index.entities[n].label.casefold(),
                str(n),
            ),
        )
        chosen = set(roots) | set(ranked[: max(0, selection.max_nodes - len(roots))])
        edges = kept_facts(chosen)

    nodes, records = _records(index, facts, incident, chosen, edges)
    return View(
        nodes=nodes,
        edges=records,
        selection=selection,
        entities=len(index.entities),
        facts=len(index.facts),
        matched=matched,
        focus=tuple(index.entities[r].label for r in roots),
    )


# --------------------------------------------------------------------------- records


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


def _label_width(label: str) -> float:
    """About how wide vis-network draws a label at its 14 px font (no text metrics here)."""
    return 7.5 * len(label)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _fact_sentence(index: _Index, fact: Fact) -> str:
    s, name, o = fact
    return f"{index.entities[s].label} {RELATIONS[name].label} {index.entities[o].label}"


def _node_tooltip(entity: _Entity, degree: int, strongest: list[str], more: int) -> str:
    lines = [entity.label, f"Type: {entity.type}"]
    if entity.aliases:
        shown = "; ".join(entity.aliases[:_MAX_ALIASES])
        extra = len(entity.aliases) - _MAX_ALIASES
        lines.append(f"Also known as: {shown}" + (f" (+{extra} more)" if extra > 0 else ""))
    lines.append(f"Mentions: {entity.mentions}")
    if strongest:
        lines.append(f"Strongest facts ({degree} in all):" if more else "Facts:")
        lines.extend(f"  {line}" for line in strongest)
        if more:
            lines.append(f"  … and {more} more")
    else:
        lines.append("No facts.")
    return "\n".join(lines)


def _edge_tooltip(index: _Index, fact: Fact, supports: list[_Support]) -> str:
    s, name, o = fact
    lines = [
        f"{index.entities[s].label} — {RELATIONS[name].label} → {index.entities[o].label}",
        f"Relation: ng:{name}",
    ]
    positive = [x for x in supports if not x.negated]
    negative = [x for x in supports if x.negated]
    if not positive:
        lines.append("No supporting statement recorded.")
    else:
        lines.append(f"{_plural(len(positive), 'supporting statement')}:")
        lines.extend("\n" + x.describe() for x in positive[:_MAX_STATEMENTS])
        if len(positive) > _MAX_STATEMENTS:
            lines.append(f"\n… and {len(positive) - _MAX_STATEMENTS} more")
    if negative:
        # The fact stands (another article asserts it), but a reader should know
        # that some text denies it.
        lines.append(f"\nDenied in {_plural(len(negative), 'statement')}:")
        lines.extend("\n" + x.describe() for x in negative[:_MAX_STATEMENTS])
    if any(x.article and x.article.url for x in supports):
        lines.append("\nClick the edge to keep this open, with links to the articles.")
    return "\n".join(lines)


def _records(
    index: _Index,
    facts: dict[Fact, list[_Support]],
    incident: dict[Node, list[Fact]],
    chosen: set[Node],
    edges: list[Fact],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node and edge records of the chosen entities and facts, laid out."""
    degree: dict[Node, int] = defaultdict(int)
    for s, _, o in edges:
        degree[s] += 1
        degree[o] += s != o
    ordered = sorted(chosen, key=str)
    # The grid of entities without a fact reads like the legend: by type, most mentioned first.
    grid_order = sorted(
        ordered,
        key=lambda n: (
            index.entities[n].type,
            -index.entities[n].mentions,
            index.entities[n].label.casefold(),
        ),
    )
    sizes = {n: node_size(index.entities[n].mentions) for n in ordered}
    widths = {n: _label_width(index.entities[n].label) for n in ordered}
    positions = layout(
        grid_order, [(s, o) for s, _, o in edges], sizes=sizes, label_widths=widths
    )

    nodes: list[dict[str, Any]] = []
    for iri in ordered:
        entity = index.entities[iri]
        own = sorted(
            incident.get(iri, ()),
            key=lambda f: (
                tuple(-x for x in _strength(facts[f])),
                RELATIONS[f[1]].label,
                str(f),
            ),
        )
        strongest = [
            f"{_fact_sentence(index, f)} ({_plural(_fact_articles(facts[f]), 'article')})"
            for f in own[:_MAX_STRONGEST]
        ]
        x, y = positions[iri]
        node: dict[str, Any] = {
            "id": str(iri),
            "label": entity.label,
            "title": _node_tooltip(entity, len(own), strongest, len(own) - len(strongest)),
            "color": TYPE_COLOURS.get(entity.type, OTHER_COLOUR),
            "size": sizes[iri],
            "shape": "dot",
            "type": entity.type,
            "mentions": entity.mentions,
            "aliases": entity.aliases,
            "degree": degree[iri],
            "x": x,
            "y": y,
        }
        if not degree[iri]:
            node["physics"] = False  # nothing pulls it: repulsion alone would fling it away
        nodes.append(node)

    records: list[dict[str, Any]] = []
    parallel: dict[frozenset[Node], int] = defaultdict(int)
    for number, fact in enumerate(edges):
        s, name, o = fact
        supports = facts[fact]
        edge: dict[str, Any] = {
            "id": f"e{number}",
            "from": str(s),
            "to": str(o),
            "label": RELATIONS[name].label,
            "title": _edge_tooltip(index, fact, supports),
            "predicate": name,
            "statements": sum(not x.negated for x in supports),
            "evidence": [x.record() for x in supports[: 4 * _MAX_STATEMENTS]],
        }
        if RELATIONS[name].symmetric:
            edge["arrows"] = {"to": {"enabled": False}}
        # Straight edges between the same two nodes would be drawn on top of each
        # other (labels included); bend every further one a little more.
        pair = frozenset((s, o))
        if parallel[pair]:
            bend = 0.25 * parallel[pair]
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": bend}
        parallel[pair] += 1
        records.append(edge)
    logger.debug("view: %d nodes, %d edges", len(nodes), len(records))
    return nodes, records


def graph_to_vis(
    graph: Any, **options: Unpack[SelectionOptions]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Turn a newsgraph graph into vis-network node and edge records.

    Kept separate from :func:`render_html` so the mapping can be tested without a
    browser or a file, and reused by other front ends.

    Nodes are the typed entities plus any untyped end of an asserted fact; edges are
    the asserted facts (one per subject, predicate, object), never statements that
    are only negated. All text is plain; none of it is HTML.

    Args:
        graph: A graph in the shape of CONTRACT.md section 3; a ``Dataset`` is read
            in every named graph. Or a ``KnowledgeGraph``.
        **options: What to show, as for :func:`select_view`.

    Returns:
        ``(nodes, edges)``, sorted for a stable page. A symmetric fact asserted in
        both directions is one edge, supported by the statements of both.

        Node keys: ``id`` (the IRI), ``label``, ``title`` (tooltip), ``color``,
        ``size``, ``shape``, ``type``, ``mentions``, ``aliases``, ``degree`` (facts
        shown), ``x`` and ``y`` (the layout), and ``physics: False`` for a node
        without a fact.

        Edge keys: ``id``, ``from``, ``to``, ``label`` (the ontology label of the
        predicate), ``title``, ``predicate``, ``statements`` (supporting statement
        count), ``evidence`` (the statements: ``text``, ``title``, ``date``,
        ``url``, ``confidence``, ``negated``), and ``arrows`` for symmetric
        relations, ``smooth`` for parallel edges.

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
    view = select_view(graph, **options)
    return view.nodes, view.edges


# --------------------------------------------------------------------------- HTML


def stabilization_iterations(node_count: int) -> int:
    """How many layout iterations the page may spend polishing before it stops physics.

    The layout arrives computed (:mod:`newsgraph.layout`), so this is polish: it
    keeps big nodes from overlapping. Each iteration costs about O(n log n), and a
    big graph gains little from it, so the count shrinks with the graph to nothing.
    The page also stops after a time budget, whatever the count.

    Examples:
        >>> stabilization_iterations(50), stabilization_iterations(1000)
        (100, 25)
        >>> stabilization_iterations(5000)
        5
    """
    return max(0, min(100, _STABILIZATION_BUDGET // max(1, node_count)))


def vis_options(node_count: int = 0, edge_count: int = 0) -> dict[str, Any]:
    """The vis-network options of the page.

    Physics polishes the computed layout for a bounded number of iterations before
    the first paint and is then switched off by the page script, so a graph of
    thousands of nodes does not keep the CPU busy (or the nodes drifting) while it
    is read. Straight edges are cheaper to draw and to hit-test than smooth ones;
    on big graphs edges are not drawn while the view is dragged or zoomed.

    Args:
        node_count: Number of nodes, to size the polishing effort.
        edge_count: Number of edges, to decide whether zooming hides them.
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
        # The layout comes with the data; Kamada-Kawai seeding would only cost time.
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": True,
            "hideEdgesOnZoom": edge_count >= _HIDE_EDGES_ON_ZOOM,
            "multiselect": True,
        },
        "physics": {
            "enabled": True,
            # Short-range repulsion only: it pushes apart nodes that crowd each other and
            # leaves the rest where the computed layout put them. The long-range solvers
            # (barnesHut, forceAtlas2) would squeeze each hub's neighbours into a blob
            # or drift the packed components apart, and central gravity would push
            # them into each other.
            "solver": "repulsion",
            "repulsion": {
                "nodeDistance": 110,
                "springLength": 150,
                "springConstant": 0.04,
                "centralGravity": 0.0,
                "damping": 0.2,
            },
            "minVelocity": 0.75,
            "stabilization": {
                "enabled": True,
                "iterations": stabilization_iterations(node_count),
                "updateInterval": 10,
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
        {"t":"\u003c/script\u003e\u003c!--\u0026\u2028"}
    """
    text = json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
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


def _check_inlinable(name: str, text: str, closer: str) -> None:
    if closer in text.lower() or "<!--" in text:
        raise OutputError(f"the {name} cannot be inlined: it contains {closer} or <!--")


@cache
def _vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet pyvis ships, ready to inline.

    The trailing ``sourceMappingURL`` comment is dropped: it names a file that is
    not in the page, and devtools would try to fetch it.
    """
    from pyvis.network import Network  # imports IPython: half a second, paid only here

    lib = Path(Network(cdn_resources="in_line").template_dir) / "lib" / _VIS_VERSION
    script = _normalise_newlines((lib / "vis-network.min.js").read_text(encoding="utf-8"))
    script = "\n".join(
        line for line in script.split("\n") if not line.startswith("//# sourceMappingURL=")
    )
    css = _normalise_newlines((lib / "vis-network.css").read_text(encoding="utf-8"))
    _check_inlinable("vis-network script", script, "</script")
    _check_inlinable("vis-network stylesheet", css, "</style")
    return script, css


@cache
def _page_assets() -> tuple[str, str]:
    """The page's own script and stylesheet (``viz.js``, ``viz.css`` beside this module)."""
    here = resources.files("newsgraph")
    script = _normalise_newlines((here / "viz.js").read_text(encoding="utf-8"))
    css = _normalise_newlines((here / "viz.css").read_text(encoding="utf-8"))
    _check_inlinable("page script", script, "</script")
    _check_inlinable("page stylesheet", css, "</style")
    return script, css


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
<style>{{ page_css }}</style>
<script>{{ vis_js }}</script>
</head>
<body>
<header>
  <h1>{{ heading }}</h1>
  <span class="stats" id="stats">{% if truncated %}{{ node_count }} of {{ entity_total }} \
entities · {{ edge_count }} of {{ fact_total }} facts{% else %}{{ node_count }} entities · \
{{ edge_count }} facts{% endif %}</span>
  <form id="search-form" role="search">
    <input id="search" type="search" list="names" placeholder="Find an entity…"
           aria-label="Find an entity by name or alias" autocomplete="off">
    <datalist id="names"></datalist>
  </form>
  <span id="status" role="status"></span>
  {%- if selection %}
  <p class="selection">Showing {{ selection }}</p>
  {%- endif %}
</header>
<main>
<nav id="filters" aria-label="Filters">
  <section>
    <h2>Types</h2>
    <ul class="legend" aria-label="Entity types">
    {%- for item in legend %}
      <li><label><input type="checkbox" data-type="{{ item.name }}" checked>\
<span class="swatch" style="background-color: {{ item.colour }}"></span>\
{{ item.name }} ({{ item.count }})</label></li>
    {%- endfor %}
    </ul>
  </section>
  <section>
    <h2>Relations</h2>
    <ul class="predicates" aria-label="Relations">
    {%- for item in predicates %}
      <li><label title="ng:{{ item.name }}"><input type="checkbox" data-predicate="{{ item.name }}"\
 checked>{{ item.label }} ({{ item.count }})</label></li>
    {%- else %}
      <li class="none">no facts</li>
    {%- endfor %}
    </ul>
    {%- if predicates %}
    <p class="toggles"><button type="button" id="predicates-all">all</button>
    <button type="button" id="predicates-none">none</button></p>
    {%- endif %}
  </section>
  <p id="focus-note" hidden><span id="focus-text"></span>
    <button type="button" id="focus-clear">Show all</button></p>
</nav>
<div id="mynetwork"></div>
<aside id="details" aria-live="polite" hidden>
  <button type="button" id="details-close" aria-label="Close">×</button>
  <div id="details-body"></div>
</aside>
</main>
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
    from pyvis.network import Network

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
    net.options = vis_options(len(nodes), len(edges))
    return net


def _legend(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for node in nodes:
        counts[node["type"]] += 1
    colours = dict(TYPE_COLOURS)
    if counts.get(OTHER_TYPE):
        colours[OTHER_TYPE] = OTHER_COLOUR
    return [
        {"name": name, "colour": colour, "count": counts.get(name, 0)}
        for name, colour in colours.items()
    ]


def _predicate_legend(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for edge in edges:
        counts[edge["predicate"]] += 1
    return [
        {"name": name, "label": RELATIONS[name].label, "count": counts[name]}
        for name in sorted(counts, key=lambda n: (-counts[n], RELATIONS[n].label))
    ]


def render_html_string(
    source: Any, *, title: str = "newsgraph", **options: Unpack[SelectionOptions]
) -> str:
    """Render the graph as the text of a self-contained HTML page.

    Args:
        source: A :class:`View`, or what :func:`select_view` takes (an rdflib
            ``Graph``/``Dataset`` or a ``KnowledgeGraph``).
        title: Page title and heading; plain text, escaped here.
        **options: What to show, as for :func:`select_view` (not with a View).

    Returns:
        The HTML document. It references no URL: vis-network is inlined and a
        Content-Security-Policy forbids every network request.

    Raises:
        OutputError: pyvis's bundled vis-network cannot be inlined safely.
        SelectionError: a bad option (see :func:`select_view`).
    """
    if isinstance(source, View):
        if options:
            raise TypeError("selection options cannot be applied to a View; select again")
        view = source
    else:
        view = select_view(source, **options)
    vis_js, vis_css = _vis_assets()
    page_js, page_css = _page_assets()
    net = _network(view.nodes, view.edges, title)
    net_nodes, net_edges, heading, _height, _width, _options = net.get_network_data()
    payload = {
        "nodes": net_nodes,
        "edges": net_edges,
        "options": net.options,
        "layoutBudgetMs": _LAYOUT_BUDGET_MS,
        "colours": {**TYPE_COLOURS, OTHER_TYPE: OTHER_COLOUR},
    }
    return _template().render(
        heading=heading,
        script_hashes=Markup(f"{_csp_hash(vis_js)} {_csp_hash(page_js)}"),
        vis_css=Markup(vis_css),
        page_css=Markup(page_css),
        vis_js=Markup(vis_js),
        page_script=Markup(page_js),
        data_json=Markup(script_json(payload)),
        legend=_legend(view.nodes),
        predicates=_predicate_legend(view.edges),
        node_count=len(net_nodes),
        edge_count=len(net_edges),
        truncated=view.truncated or len(net_nodes) < view.entities or len(net_edges) < view.facts,
        entity_total=view.entities,
        fact_total=view.facts,
        selection=view.describe(),
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


def render_html(
    source: Any,
    path: str | os.PathLike[str],
    *,
    title: str = "newsgraph",
    **options: Unpack[SelectionOptions],
) -> Path:
    """Write the graph as one self-contained HTML file that works offline.

    Entities are dots coloured by type and sized by mentions; facts are edges
    labelled with the ontology label of their predicate. The page has a search box,
    type and relation filters (the legend), plain-text tooltips (a node's type,
    aliases, mentions and strongest facts; an edge's statements with evidence,
    article title, date and link), and a details panel on click with the links
    and a "focus here" button.

    Args:
        source: A :class:`View`, an rdflib ``Graph``/``Dataset`` in the shape of
            CONTRACT.md section 3, or a ``KnowledgeGraph``.
        path: Where to write the page; an existing file is replaced atomically.
        title: Page title and heading; plain text.
        **options: What to show: ``focus``, ``hops``, ``types``, ``predicates``,
            ``since``, ``until``, ``min_mentions``, ``max_nodes`` (see
            :func:`select_view`).

    Returns:
        The path written.

    Raises:
        OutputError: The file cannot be written (missing directory, permissions).
        SelectionError: A bad option, or a focus name no entity has.

    Examples:
        >>> from rdflib import Graph
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     render_html(Graph(), Path(tmp) / "g.html", max_nodes=50).name
        'g.html'
    """
    target = Path(path)
    document = render_html_string(source, title=title, **options)
    try:
        # "replace" only matters for lone surrogates, which cannot be UTF-8.
        _write_atomic(target, document.encode("utf-8", errors="replace"))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write HTML ({exc.strerror or exc})") from exc
    logger.info("wrote %s (%d bytes)", target, len(document))
    return target

