"""Build the RDF graph of CONTRACT.md section 3 from resolved entities and facts.

The graph is an rdflib :class:`~rdflib.Dataset` on an Oxigraph store (oxrdflib):
SPARQL runs on Oxigraph, not on rdflib's pure-Python engine. Entity descriptions
(type, labels, mention count) live in the default graph; everything an article
contributes — its metadata, which entities it mentions (``ng:mentionedIn``), its
facts and their statements — lives in the article's own named graph, so an
article's contribution can be replaced as a whole. The dataset's default graph is
the union, so ``ds.query`` and ``ds.triples`` see everything (a fact stated by two
articles is in both graphs: count it with ``DISTINCT``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from urllib.parse import quote

import pyoxigraph as ox
from oxrdflib.store import OxigraphStore
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS
from rdflib.term import Node

from .models import Article, Entity
from .ontology import ART, ENT, NG, RELATIONS
from .resolve import Fact

PREFIXES: dict[str, str] = {
    "ng": str(NG),
    "ent": str(ENT),
    "art": str(ART),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "schema": "http://schema.org/",
    "xsd": str(XSD),
    "owl": str(OWL),
}
"""Prefixes bound in every graph newsgraph writes and predeclared for queries."""

STATE_GRAPH = URIRef("https://w3id.org/newsgraph/store")
"""The named graph where a persistent store keeps what its resolver remembers (one
JSON literal per article and per entity). Not part of the knowledge graph: exports
leave it out."""

Quad = tuple[Node, Node, Node, URIRef | None]


def new_dataset() -> Dataset:
    """An empty dataset on an in-memory Oxigraph store, union default graph, prefixes bound."""
    return dataset_on(ox.Store())


def dataset_on(store: ox.Store | OxigraphStore) -> Dataset:
    """An rdflib Dataset over a pyoxigraph store (or oxrdflib's wrapper of one): union
    default graph, prefixes bound.

    rdflib code (``triples``, ``value``, serializers, viz) and Oxigraph's SPARQL engine
    then work on the same data, in memory or on disk.
    """
    wrapper = store if isinstance(store, OxigraphStore) else OxigraphStore(store=store)
    ds = Dataset(store=wrapper, default_union=True)
    for prefix, iri in PREFIXES.items():
        ds.bind(prefix, iri, override=True, replace=True)
    return ds


def oxigraph_of(graph: Graph) -> ox.Store | None:
    """The pyoxigraph store under an rdflib graph, or None when rdflib's own store holds it.

    oxrdflib keeps it in ``_inner`` (oxrdflib is pinned below 0.6 in pyproject.toml).
    """
    store = graph.store
    if isinstance(store, OxigraphStore):
        return store._inner
    return None


def context_in(ds: Dataset, context: Node | Graph | None) -> Graph:
    """The graph of ``ds`` that a quad's context (a graph or its name) stands for."""
    name = context.identifier if isinstance(context, Graph) else context
    if name is None or name == DATASET_DEFAULT_GRAPH_ID:
        return ds.default_context
    return ds.graph(name)


def article_iri(article_id: str) -> URIRef:
    """The IRI of an article: its id percent-encoded under the article namespace."""
    return ART[quote(article_id, safe="-._~")]


def entity_iri(entity: Entity) -> URIRef:
    """The IRI of an entity: its slug under the entity namespace."""
    return ENT[entity.slug]


def _date_literal(value: str) -> Literal:
    try:
        return Literal(dt.date.fromisoformat(value[:10]), datatype=XSD.date)
    except ValueError:
        return Literal(value)


def _iri_or_none(value: str | None) -> URIRef | None:
    if not value or not value.startswith(("http://", "https://")):
        return None
    if any(ch in value for ch in ' <>"{}|\\^`\n\r\t'):
        return URIRef(quote(value, safe=":/?#[]@!$&'()*+,;=%-._~"))
    return URIRef(value)


def article_quads(article: Article, *, author: Entity | None = None) -> Iterator[Quad]:
    """The article node and its metadata, in the article's named graph."""
    node = article_iri(article.id)
    g = node
    yield (node, RDF.type, NG.Article, g)
    yield (node, DCTERMS.identifier, Literal(article.id), g)
    if article.title:
        yield (node, DCTERMS.title, Literal(article.title), g)
    if article.date:
        yield (node, DCTERMS.date, _date_literal(article.date), g)
    if article.author:
        yield (node, DCTERMS.creator, Literal(article.author), g)
    if author is not None:
        yield (node, NG.author, entity_iri(author), g)
    url = _iri_or_none(article.url)
    if url is not None:
        yield (node, DCTERMS.source, url, g)
    if article.source:
        yield (node, DCTERMS.publisher, Literal(article.source), g)
    if article.language:
        yield (node, DCTERMS.language, Literal(article.language), g)


def entity_quads(entity: Entity) -> Iterator[Quad]:
    """An entity's description — type, labels, mention count — in the default graph, and
    each ``ng:mentionedIn`` in the graph of the article that mentions it."""
    yield from description_quads(entity)
    node = entity_iri(entity)
    for article_id in sorted(entity.articles):
        art = article_iri(article_id)
        yield (node, NG.mentionedIn, art, art)


def description_quads(entity: Entity) -> Iterator[Quad]:
    """An entity's type, labels, tickers and mention count, in the default graph."""
    node = entity_iri(entity)
    yield (node, RDF.type, NG[entity.type], None)
    yield (node, RDFS.label, Literal(entity.label), None)
    for alias in sorted(entity.aliases):
        yield (node, SKOS.altLabel, Literal(alias), None)
    for ticker in sorted(entity.tickers):
        yield (node, NG.ticker, Literal(ticker), None)
    yield (node, NG.mentions, Literal(entity.mentions), None)


def fact_quads(fact: Fact, subject: Entity, obj: Entity) -> Iterator[Quad]:
    """The fact (unless negated) and its ``rdf:Statement``, in the article's named graph."""
    g = article_iri(fact.article_id)
    s, p, o = entity_iri(subject), NG[fact.predicate], entity_iri(obj)
    if not fact.negated:
        yield (s, p, o, g)
    # A blank node named after what it describes: the same build writes the same
    # file byte for byte, so graphs diff cleanly under version control.
    stmt = BNode("st" + hashlib.sha1(f"{g}|{s}|{p}|{o}|{fact.negated}".encode()).hexdigest()[:20])
    yield (stmt, RDF.type, RDF.Statement, g)
    yield (stmt, RDF.subject, s, g)
    yield (stmt, RDF.predicate, p, g)
    yield (stmt, RDF.object, o, g)
    yield (stmt, PROV.wasDerivedFrom, article_iri(fact.article_id), g)
    yield (stmt, NG.evidence, Literal(fact.evidence), g)
    yield (stmt, NG.confidence, Literal(Decimal(str(round(fact.confidence, 2))),
                                       datatype=XSD.decimal), g)
    yield (stmt, NG.extractor, Literal(fact.extractor), g)
    if fact.negated:
        yield (stmt, NG.negated, Literal(True), g)


def build_graph(
    articles: Iterable[Article],
    entities: dict[str, Entity],
    facts: Iterable[Fact],
    *,
    authors: dict[str, str] | None = None,
    min_confidence: float = 0.0,
    dataset: Dataset | None = None,
) -> Dataset:
    """Assemble the dataset.

    Args:
        articles: the articles of the build (metadata only is used).
        entities: resolved entities by key.
        facts: resolved facts, keyed by entity keys.
        authors: article id -> entity key of its author.
        min_confidence: facts below this are left out.
        dataset: add to this dataset instead of a new in-memory one.
    """
    ds = dataset if dataset is not None else new_dataset()
    authors = authors or {}
    quads: list[Quad] = []
    for article in articles:
        author_key = authors.get(article.id)
        author = entities.get(author_key) if author_key else None
        quads.extend(article_quads(article, author=author))
    for entity in entities.values():
        quads.extend(entity_quads(entity))
    for fact in facts:
        if fact.confidence < min_confidence:
            continue
        quads.extend(fact_quads(fact, entities[fact.subject], entities[fact.object]))
    ds.addN((s, p, o, ds.graph(g) if g is not None else ds.default_context)
            for s, p, o, g in quads)
    return ds


def relation_predicates() -> list[URIRef]:
    """The IRIs of the relation vocabulary."""
    return [NG[name] for name in RELATIONS]

