"""Turn a mix of paths, directories, strings and articles into one stream of articles.

This is the first stage of the pipeline. It decides *what* each input is and walks
directories; *how* a file is read is up to the reader registered for its suffix
(:mod:`newsgraph.ingest.registry`). Nothing is held in memory beyond the article
being yielded and the listing of the directory being walked, so a million
articles stream through.

>>> from newsgraph.models import Article
>>> [a.id for a in read_articles([Article(id="a", text="Hi."), "Xiaomi met Microsoft."])]
['a', 'txt-b657c94a7125ccdb']
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import ErrorReport, InputError
from ..models import Article
from .common import normalise_newlines, os_reason, stable_id
from .registry import ReaderSpec, ReadItem, reader_for, readers

logger = logging.getLogger(__name__)

Input = str | os.PathLike[str] | Article
"""One input: a path (file or directory), article text, or a ready article."""

TEXT_SOURCE = "<text>"
"""The name failures of string inputs are reported under."""

FALLBACK_READER = "text"
"""Format used for an explicitly named file whose suffix no reader claims."""


def read_articles(
    inputs: Iterable[Input] | Input, *, report: ErrorReport | None = None
) -> Iterator[Article]:
    """Yield the articles of every input, lazily, in input order.

    Each input is one of:

    - an :class:`Article`, passed through unchanged;
    - a :class:`pathlib.Path` (or other ``os.PathLike``), always a path;
    - a ``str`` with a line break, or with a space and not naming an existing
      file, is the text of an article (its id is :func:`~.common.stable_id`);
    - any other ``str`` is a path.

    A directory is read recursively in sorted order, skipping hidden entries and
    files whose suffix no reader claims. A file named explicitly is read by the
    reader for its suffix, or as plain text when none claims it.

    Args:
        inputs: The inputs; a single path, string or article is accepted too
            (rather than iterating over the characters of a string).
        report: Collects the failures — missing or unreadable files, files that
            are not UTF-8 text, broken JSONL lines … — under its policy. Defaults
            to a fresh ``ErrorReport("warn")``, which logs each one.

    Yields:
        The articles that could be read; every failure goes to ``report`` and
        reading continues with the next file or line.

    Raises:
        InputError: Only when ``report.policy`` is ``"raise"``.
        TypeError: For an input that is none of the above (a programming error).
    """
    if report is None:
        report = ErrorReport("warn")
    if isinstance(inputs, str | os.PathLike | Article):
        inputs = (inputs,)
    for item in inputs:
        yield from _read_input(item, report)


def _read_input(item: Input, report: ErrorReport) -> Iterator[Article]:
    if isinstance(item, Article):
        yield item
    elif isinstance(item, str) and is_article_text(item):
        yield from _read_string(item, report)
    elif isinstance(item, str | os.PathLike):
        yield from _read_path(Path(item), report)
    else:
        raise TypeError(
            f"cannot read a {type(item).__name__}: expected a path, article text or an Article"
        )


def is_article_text(value: str) -> bool:
    """Tell whether a string input is article text rather than a path.

    A line break always means text. Other whitespace means text too, unless the
    string names an existing file — paths with spaces exist ("My Articles/a.txt").
    A blank string is (empty) text: as a path it would mean the current directory.

    >>> is_article_text("Xiaomi signed an MoU with Microsoft."), is_article_text("a.txt")
    (True, False)
    """
    if "\n" in value or "\r" in value or not value.strip():
        return True
    if not any(ch.isspace() for ch in value):
        return False
    return not os.path.exists(value)


def _read_string(value: str, report: ErrorReport) -> Iterator[Article]:
    text = normalise_newlines(value).strip()
    if not text:
        report.add(InputError(TEXT_SOURCE, "empty text"))
        return
    yield Article(id=stable_id(text), text=text)


def _read_path(path: Path, report: ErrorReport) -> Iterator[Article]:
    """Read a path named by the user: a directory is walked, a file always read."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        report.add(InputError(str(path), os_reason(exc)))
        return
    if stat.S_ISDIR(mode):
        yield from _read_tree(path, report, seen=set())
        return
    spec = reader_for(path) or readers()[FALLBACK_READER]
    yield from _run_reader(spec, path, report)


def _read_tree(root: Path, report: ErrorReport, *, seen: set[Path]) -> Iterator[Article]:
    """Walk ``root`` depth-first in name order; symlink loops are entered once."""
    real = root.resolve()
    if real in seen:
        logger.debug("skipping %s: directory already read (symlink loop)", root)
        return
    seen.add(real)
    try:
        entries = _list_dir(root)
    except OSError as exc:
        report.add(InputError(str(root), os_reason(exc)))
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            logger.debug("skipping hidden %s", path)
        elif _is_dir(entry):
            yield from _read_tree(path, report, seen=seen)
        elif (spec := reader_for(path)) is None:
            logger.debug("skipping %s: no reader for its suffix", path)
        elif not _is_file(entry):
            logger.debug("skipping %s: not a regular file", path)
        else:
            yield from _run_reader(spec, path, report)


def _list_dir(path: Path) -> list[os.DirEntry[str]]:
    """List one directory, sorted so that runs are reproducible."""
    with os.scandir(path) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    """True for regular files and for broken symlinks (the reader reports those).

    FIFOs and devices are skipped inside directories: opening one would block.
    """
    try:
        return entry.is_file() or (entry.is_symlink() and not os.path.exists(entry.path))
    except OSError:
        return True


def _run_reader(spec: ReaderSpec, path: Path, report: ErrorReport) -> Iterator[Article]:
    for item in _guarded(spec, path):
        if isinstance(item, InputError):
            report.add(item)
        else:
            yield item


def _guarded(spec: ReaderSpec, path: Path) -> Iterator[ReadItem]:
    """Run a reader, turning whatever it raises into one reported failure.

    Reports go through the caller, outside this ``try``, so that a report with the
    ``raise`` policy is not caught here again.
    """
    try:
        yield from spec.read(path)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(str(path), os_reason(exc))
    except Exception as exc:  # a buggy (plugin) reader must not end the batch
        logger.debug("reader %r failed on %s", spec.name, path, exc_info=True)
        yield InputError(str(path), f"{spec.name} reader failed ({type(exc).__name__}: {exc})")
