"""A knowledge graph that lasts: an on-disk Oxigraph store that builds add to, article by article.

The store holds exactly what a build writes — entity descriptions in the default
graph, one named graph per article with its metadata, mentions, facts and
statements — plus, in :data:`~newsgraph.graph.STATE_GRAPH`, what the resolver
needs to remember between builds: for each article one JSON literal (its metadata,
the evidence it gave each entity, its facts before the type check) and for each
entity one JSON literal (its key and summed :class:`~newsgraph.resolve.Evidence`).

Adding an article is one Oxigraph transaction (a single SPARQL update): the old
version of the article, if any, is taken out of every entity it touched, the new
one is added, the touched entities are decided again (type, label, aliases) from
the sums, and the article's named graph is replaced. So

- re-adding an article replaces its facts and never duplicates them;
- entities merge across separate builds as they merge inside one: a store built
  from A and then B holds the same graph as one build of A and B;
- an interrupted build leaves the store as it was before the article being
  written, and a reader never sees half an article;
- an entity whose type changes (more articles voted otherwise) has the facts of
  every article that mentions it checked again against the new type.

One process writes at a time (Oxigraph holds a lock on the directory); any number
read at once. A reader opened with :func:`open_store` sees every article committed
when it opened, and keeps seeing that state while a build goes on.

Values reach the update text only as terms that pyoxigraph serialises (N-Triples
escaping), never as pasted strings, so an article naming ``Evil " } ; DROP ALL``
stays a literal.

>>> import tempfile, newsgraph
>>> from newsgraph.models import Article, Extraction
>>> path = tempfile.mkdtemp() + "/store"
>>> ds = open_store(path, read_only=False)
>>> writer = StoreWriter(ds)
>>> change = writer.add(Extraction(article=Article(id="a1", text="", title="Hello")))
>>> change.article_id, change.replaced, store_stats(ds).articles
('a1', False, 1)
>>> writer.add(Extraction(article=Article(id="a1", text="", title="Hello"))).replaced
True
>>> store_stats(ds).articles
1
"""

from __future__ import annotations

import json
import logging
import os
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib.store import OxigraphStore
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from .errors import StoreError
from .graph import (
    STATE_GRAPH,
    Quad,
    article_iri,
    article_quads,
    dataset_on,
    description_quads,
    entity_iri,
    fact_quads,
    oxigraph_of,
)
from .models import Article, Entity, Extraction
from .ontology import ENT, NG
from .resolve import Evidence, Fact, Resolver, decide_entity, select_facts, slug_for

logger = logging.getLogger(__name__)

__all__ = ["ArticleChange", "StoreStats", "StoreWriter", "open_store", "store_stats"]

STATE_NS = "https://w3id.org/newsgraph/store#"
ARTICLE_STATE = URIRef(STATE_NS + "article")
"""``art:X ngs:article "{…}"^^rdf:JSON``: what the store remembers of article X."""
ENTITY_STATE = URIRef(STATE_NS + "entity")
"""``ent:x ngs:entity "{…}"^^rdf:JSON``: an entity's key and summed evidence."""
VERSION = URIRef(STATE_NS + "version")
LAYOUT_VERSION = 1
"""Bumped when the state's shape changes; a store written by a newer newsgraph is refused."""

_JSON = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON")
_STATE = ox.NamedNode(str(STATE_GRAPH))
_ARTICLE_STATE = ox.NamedNode(str(ARTICLE_STATE))
_ENTITY_STATE = ox.NamedNode(str(ENTITY_STATE))
_MENTIONED_IN = ox.NamedNode(str(NG.mentionedIn))
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class _DiskStore(OxigraphStore):
    """oxrdflib's store over an on-disk pyoxigraph store, remembering its directory (so a
    process that already writes to a store reuses it instead of tripping on its own lock)."""

    def __init__(self, store: ox.Store, path: Path, *, read_only: bool) -> None:
        super().__init__(store=store)
        self.path = path
        self.read_only = read_only

    def close(self, commit_pending_transaction: bool = False) -> None:
        """Let go of the store (and of the write lock: another process may write then)."""
        self._store = None  # the pyoxigraph store closes when its last reference goes
        key = self.path.resolve()
        if not self.read_only and key in _WRITABLE and _WRITABLE[key]() is self:
            del _WRITABLE[key]

    @property
    def _inner(self) -> ox.Store:
        if self._store is None:
            raise StoreError(f"{self.path}: the store was closed")
        return self._store


_WRITABLE: dict[Path, weakref.ref[_DiskStore]] = {}


def open_store(path: str | os.PathLike[str], *, read_only: bool = True) -> Dataset:
    """Open an on-disk store as an rdflib Dataset (union default graph, prefixes bound).

    The result is what every consumer takes — ``KnowledgeGraph(ds)``,
    :func:`~newsgraph.export.write_graph`, :func:`~newsgraph.query.run_query`,
    :func:`~newsgraph.viz.render_html`, :func:`~newsgraph.export.to_networkx` — and
    its SPARQL runs on Oxigraph.

    Args:
        path: the store's directory (an Oxigraph/RocksDB directory; ``oxigraph serve
            --location`` opens it too).
        read_only: open for reading (the default): any number of processes may, also
            while one builds; the reader sees the articles committed when it opened.
            With ``False`` the store is created if absent and this process becomes its
            one writer until the dataset is closed (``ds.close()``) or garbage-collected.

    Raises:
        StoreError: no store there (read-only), a directory that is not a store, or
            another process writing to it (read-write).
    """
    where = Path(path).expanduser()
    if read_only:
        if not (where / "CURRENT").is_file():
            raise StoreError(f"{where}: no store here (create one with: newsgraph build "
                             f"INPUT... --store {where})")
        return dataset_on(_DiskStore(_open_read_only(where), where, read_only=True))
    key = where.resolve()
    existing = _WRITABLE.get(key)
    disk = existing() if existing is not None else None
    if disk is None:
        if where.exists() and not where.is_dir():
            raise StoreError(f"{where}: not a directory")
        if where.is_dir() and any(where.iterdir()) and not (where / "CURRENT").is_file():
            raise StoreError(f"{where}: not a store (a non-empty directory without Oxigraph's "
                             f"CURRENT file); give a new or empty directory")
        try:
            where.mkdir(parents=True, exist_ok=True)
            disk = _DiskStore(ox.Store(os.fspath(where)), where, read_only=False)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"{where}: another process is writing to this store (a build, or "
                    f"'newsgraph serve --writable'); wait for it, or send the articles to the "
                    f"running server with 'newsgraph build --endpoint URL'") from exc
            raise StoreError(f"{where}: cannot open the store ({_reason(exc)})") from exc
        _check_version(disk._inner, where)
        _WRITABLE[key] = weakref.ref(disk)
    return dataset_on(disk)


def _open_read_only(where: Path, *, attempts: int = 40) -> ox.Store:
    """Open a store read-only, also while another process writes to it.

    A read-only open reads the list of table files, then opens them; a writer that
    compacts in between has deleted some of them ("No such file or directory").
    Opening again reads the new list, so a few tries always get through. Once
    opened, the files stay readable (open handles outlive their deletion).
    """
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(os.fspath(where))
        except (OSError, RuntimeError) as exc:
            if "no such file" not in str(exc).lower() or attempt == attempts - 1:
                raise StoreError(f"{where}: cannot open the store ({_reason(exc)})") from exc
            time.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or " ".join(str(exc).split())


def _check_version(store: ox.Store, where: Path) -> None:
    for quad in store.quads_for_pattern(_STATE, ox.NamedNode(str(VERSION)), None, _STATE):
        version = int(quad.object.value)
        if version > LAYOUT_VERSION:
            raise StoreError(f"{where}: written by a newer newsgraph (store layout {version}, "
                             f"this one knows {LAYOUT_VERSION}); upgrade newsgraph")
        return
    store.update(f"INSERT DATA {{ GRAPH {_STATE} {{ {_STATE} {ox.NamedNode(str(VERSION))} "
                 f"{ox.Literal(str(LAYOUT_VERSION), datatype=_XSD_INTEGER)} }} }}")


_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@dataclass(frozen=True, kw_only=True, slots=True)
class ArticleChange:
    """What adding one article changed, for reports and for replicas (``--endpoint``).

    ``graphs`` are the article graphs rewritten (the article's own, and those of
    articles whose facts were checked again after a type change); ``dropped`` the
    article graph of a removed article; ``entities`` the entity IRIs whose
    description changed; ``removed`` those no article mentions any more.
    """

    article_id: str
    replaced: bool
    graphs: tuple[URIRef, ...] = ()
    dropped: tuple[URIRef, ...] = ()
    entities: tuple[URIRef, ...] = ()
    removed: tuple[URIRef, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class StoreStats:
    """How much a store holds (the resolver's state left out)."""

    articles: int
    entities: int
    facts: int
    triples: int


@dataclass
class _ArticleState:
    article: Article
    author: str | None
    entities: dict[str, Evidence]
    facts: list[Fact]

    def to_json(self) -> dict[str, Any]:
        a = self.article
        meta = {k: v for k, v in (("id", a.id), ("title", a.title), ("date", a.date),
                                  ("url", a.url), ("source", a.source), ("author", a.author),
                                  ("language", a.language)) if v is not None}
        return {"article": meta, "author": self.author,
                "entities": {k: e.to_json() for k, e in sorted(self.entities.items())},
                "facts": [f.to_json() for f in self.facts]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> _ArticleState:
        article = Article(text="", **data["article"])
        return cls(article=article, author=data.get("author"),
                   entities={k: Evidence.from_json(v, articles={article.id})
                             for k, v in data["entities"].items()},
                   facts=[Fact.from_json(f) for f in data["facts"]])


@dataclass
class _Update:
    """One SPARQL update under construction: deletions first, then one INSERT DATA."""

    operations: list[str] = field(default_factory=list)
    default: list[str] = field(default_factory=list)
    graphs: dict[str, list[str]] = field(default_factory=dict)

    def insert(self, quads: Iterable[Quad]) -> None:
        for s, p, o, g in quads:
            line = f"{_ox(s)} {_ox(p)} {_ox(o)} ."
            if g is None:
                self.default.append(line)
            else:
                self.graphs.setdefault(str(_ox(g)), []).append(line)

    def text(self) -> str:
        body = [*self.default]
        for name, lines in self.graphs.items():
            body.append(f"GRAPH {name} {{\n" + "\n".join(lines) + "\n}")
        ops = [*self.operations]
        if body:
            ops.append("INSERT DATA {\n" + "\n".join(body) + "\n}")
        return " ;\n".join(ops)


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term, whose ``str`` is its escaped N-Triples form."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


class StoreWriter:
    """Adds articles to a store, one transaction each, merging entities with everything
    the store remembers.

    Args:
        store: a dataset from ``open_store(path, read_only=False)`` (or any rdflib
            Dataset on Oxigraph, e.g. an in-memory one from ``new_dataset()``).
        min_confidence: facts less confident than this are not kept.

    Raises:
        StoreError: the dataset is read-only or not on Oxigraph.
    """

    def __init__(self, store: Dataset, *, min_confidence: float = 0.0) -> None:
        inner = oxigraph_of(store)
        if inner is None:
            raise StoreError("a store is a Dataset on Oxigraph (open_store or new_dataset)")
        if isinstance(store.store, _DiskStore) and store.store.read_only:
            raise StoreError(f"{store.store.path}: opened read-only; "
                             f"open_store(path, read_only=False) to add articles")
        self.dataset = store
        self.min_confidence = min_confidence

    @property
    def _store(self) -> ox.Store:
        # looked up each time, so closing the dataset really lets go of the store
        inner = oxigraph_of(self.dataset)
        assert inner is not None
        return inner

    # ------------------------------------------------------------------ reading state

    def _article_state(self, article_id: str) -> _ArticleState | None:
        node = ox.NamedNode(str(article_iri(article_id)))
        for quad in self._store.quads_for_pattern(node, _ARTICLE_STATE, None, _STATE):
            return _ArticleState.from_json(json.loads(quad.object.value))
        return None

    def _entity_state(self, key: str) -> tuple[str, Evidence] | None:
        """The slug and summed evidence the store has for an entity key."""
        for slug in (slug_for(key, {}), slug_for(key, {slug_for(key, {}): ""})):
            node = ox.NamedNode(str(ENT[slug]))
            for quad in self._store.quads_for_pattern(node, _ENTITY_STATE, None, _STATE):
                data = json.loads(quad.object.value)
                if data.get("key") == key:
                    return slug, Evidence.from_json(data)
        return None

    def _slug_taken(self, slug: str) -> bool:
        node = ox.NamedNode(str(ENT[slug]))
        return any(True for _ in self._store.quads_for_pattern(node, _ENTITY_STATE, None, _STATE))

    def _stored_type(self, slug: str) -> str | None:
        node = ox.NamedNode(str(ENT[slug]))
        for quad in self._store.quads_for_pattern(node, _TYPE, None, ox.DefaultGraph()):
            return quad.object.value.rsplit("#", 1)[-1]
        return None

    def _articles_mentioning(self, slug: str) -> set[str]:
        node = ox.NamedNode(str(ENT[slug]))
        out = set()
        for quad in self._store.quads_for_pattern(node, _MENTIONED_IN, None, None):
            if isinstance(quad.graph_name, ox.NamedNode):
                out.add(quad.graph_name.value)
        return out

    # ------------------------------------------------------------------ writing

    def add(self, extraction: Extraction) -> ArticleChange:
        """Add (or replace) one article in one transaction.

        Raises:
            StoreError: the store could not be written (nothing of the article was).
        """
        article = extraction.article
        resolver = Resolver()
        resolver.add(extraction)
        new = _ArticleState(
            article=Article(id=article.id, text="", title=article.title, date=article.date,
                            url=article.url, source=article.source, author=article.author,
                            language=article.language),
            author=resolver.authors.get(article.id),
            entities=dict(resolver.evidence),
            facts=[f for f in resolver.candidates() if f.confidence >= self.min_confidence],
        )
        return self._replace(article.id, new)

    def remove(self, article_id: str) -> ArticleChange | None:
        """Take an article out of the store (its graph, its mentions, its facts); None if
        the store does not have it."""
        if self._article_state(article_id) is None:
            return None
        return self._replace(article_id, None)

    def _replace(self, article_id: str, new: _ArticleState | None) -> ArticleChange:
        old = self._article_state(article_id)
        old_entities = old.entities if old else {}
        new_entities = new.entities if new else {}
        touched = sorted(set(old_entities) | set(new_entities))

        update = _Update()
        decided: dict[str, Entity] = {}  # touched keys that still exist, decided anew
        removed: list[URIRef] = []
        retyped: list[str] = []  # slugs whose type changed
        taken: dict[str, str] = {}  # slugs handed out in this transaction
        for key in touched:
            found = self._entity_state(key)
            if found is not None:
                slug, evidence = found
            else:
                slug, evidence = slug_for(key, taken), Evidence()
                if self._slug_taken(slug):
                    slug = slug_for(key, {slug: ""})
            taken[slug] = key
            if key in old_entities:
                evidence.subtract(old_entities[key])
            if key in new_entities:
                evidence.add(new_entities[key])
            node = ENT[slug]
            ox_node = ox.NamedNode(str(node))
            update.operations.append(f"DELETE WHERE {{ {ox_node} ?p ?o }}")
            update.operations.append(
                f"DELETE WHERE {{ GRAPH {_STATE} {{ {ox_node} {_ENTITY_STATE} ?state }} }}")
            if evidence.empty:
                removed.append(node)
                continue
            entity = decide_entity(key, evidence, slug=slug)
            before = self._stored_type(slug) if found is not None else None
            if before is not None and before != entity.type:
                retyped.append(slug)
            decided[key] = entity
            update.insert(description_quads(entity))
            update.insert([(node, ENTITY_STATE, _rdflib_json({"key": key, **evidence.to_json()}),
                            STATE_GRAPH)])

        graphs: list[URIRef] = []
        art = ox.NamedNode(str(article_iri(article_id)))
        update.operations.append(f"DROP SILENT GRAPH {art}")
        update.operations.append(
            f"DELETE WHERE {{ GRAPH {_STATE} {{ {art} {_ARTICLE_STATE} ?state }} }}")
        if new is not None:
            update.insert(self._article_graph(new, decided))
            update.insert([(article_iri(article_id), ARTICLE_STATE,
                            _rdflib_json(new.to_json()), STATE_GRAPH)])
            graphs.append(article_iri(article_id))

        # Facts of other articles were kept or dropped on the old type: judge them again.
        others = sorted({a for slug in retyped for a in self._articles_mentioning(slug)}
                        - {str(article_iri(article_id))})
        for other_iri in others:
            other_id = other_iri.removeprefix(str(article_iri("")))
            state = self._article_state_by_iri(other_iri)
            if state is None:
                continue
            update.operations.append(f"DROP SILENT GRAPH {ox.NamedNode(other_iri)}")
            update.insert(self._article_graph(state, decided))
            graphs.append(URIRef(other_iri))
            logger.debug("re-checked the facts of %s after a type change", other_id)

        try:
            self._store.update(update.text())
        except (OSError, RuntimeError, SyntaxError) as exc:
            raise StoreError(f"article {article_id!r} was not written: {exc}") from exc
        return ArticleChange(
            article_id=article_id, replaced=old is not None, graphs=tuple(graphs),
            dropped=(article_iri(article_id),) if new is None else (),
            entities=tuple(entity_iri(e) for e in decided.values()), removed=tuple(removed))

    def _article_state_by_iri(self, iri: str) -> _ArticleState | None:
        for quad in self._store.quads_for_pattern(ox.NamedNode(iri), _ARTICLE_STATE, None,
                                                  _STATE):
            return _ArticleState.from_json(json.loads(quad.object.value))
        return None

    def _article_graph(self, state: _ArticleState, decided: Mapping[str, Entity]) -> Iterator[Quad]:
        """The article's named graph: metadata, mentions, facts that fit the entity types."""
        entities: dict[str, Entity] = {}
        keys = set(state.entities) | {f.subject for f in state.facts} | {
            f.object for f in state.facts}
        for key in keys:
            entity = decided.get(key) or self._current_entity(key)
            if entity is not None:
                entities[key] = entity
        author = entities.get(state.author) if state.author else None
        yield from article_quads(state.article, author=author)
        art = article_iri(state.article.id)
        for key in sorted(state.entities):
            if key in entities:
                yield (entity_iri(entities[key]), NG.mentionedIn, art, art)
        for fact in select_facts(state.facts, entities):
            yield from fact_quads(fact, entities[fact.subject], entities[fact.object])

    def _current_entity(self, key: str) -> Entity | None:
        found = self._entity_state(key)
        if found is None:
            return None
        slug, evidence = found
        return decide_entity(key, evidence, slug=slug)


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """A pyoxigraph term as an rdflib term (the inverse of :func:`_ox`)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


def _rdflib_json(data: Any) -> Literal:
    """State as an ``rdf:JSON`` literal."""
    return Literal(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                   datatype=URIRef(_JSON.value))


def store_stats(store: Dataset) -> StoreStats:
    """Count a store's articles, entities, distinct asserted facts and triples (quads of
    the knowledge graph; the resolver state is not counted)."""
    inner = oxigraph_of(store)
    if inner is None:
        raise StoreError("not a dataset on Oxigraph")

    def count(sparql: str) -> int:
        return int(next(iter(inner.query(sparql)))[0].value)

    state = str(_STATE)
    return StoreStats(
        articles=count("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a "
                       f"<{NG.Article}> }} }}"),
        entities=count(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH {state} "
                       f"{{ ?e {_ENTITY_STATE} ?s }} }}") or count(
            "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#"
            "label> ?l ; a ?t }"),
        facts=count(_FACT_COUNT),
        triples=count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g "
                      f"{{ ?s ?p ?o }} FILTER(?g != {state}) }} }}"),
    )


def _fact_count_query() -> str:
    from .ontology import RELATIONS

    values = " ".join(f"<{NG[name]}>" for name in RELATIONS)
    return (f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ "
            f"VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} }}")


_FACT_COUNT = _fact_count_query()
