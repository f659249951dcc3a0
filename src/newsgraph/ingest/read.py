"""Turn a mix of paths, directories, strings and articles into one stream of articles.

This is the first stage of the pipeline. It decides *what* each input is and walks
directories; *how* a file is read is up to the reader registered for its suffix
(:mod:`newsgraph.ingest.registry`), or, for a file whose suffix no reader claims and
for standard input (``-``), the reader that recognises its first bytes. Then the
same article seen twice is dropped (:mod:`~newsgraph.ingest.dedupe`) and, when a set
of languages is asked for, articles in other languages are skipped
(:mod:`~newsgraph.ingest.language`); both are noted in the report, not failures.
Nothing is held in memory beyond the article being yielded, the listing of the
directory being walked and the duplicate index, so a million articles stream
through.

>>> from newsgraph.models import Article
>>> [a.id for a in read_articles([Article(id="a", text="Hi."), "Xiaomi met Microsoft."])]
['a', 'txt-b657c94a7125ccdb']
"""

from __future__ import annotations

import io
import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import ErrorReport, InputError
from ..models import Article
from .common import normalise_newlines, os_reason, stable_id
from .dedupe import drop_duplicates
from .language import filter_languages
from .registry import (
    DEFAULT_OPTIONS,
    ReaderSpec,
    ReadItem,
    ReadOptions,
    reader_for,
    readers,
    sniff_reader,
)

logger = logging.getLogger(__name__)

Input = str | os.PathLike[str] | Article
"""One input: a path (file or directory), article text, or a ready article."""

TEXT_SOURCE = "<text>"
"""The name failures of string inputs are reported under."""

FALLBACK_READER = "text"
"""Format used for an explicitly named file whose suffix no reader claims and whose
content no reader recognises."""

STDIN = "-"
"""The input that means standard input."""

STDIN_SOURCE = "<stdin>"
"""The name articles and failures from standard input are reported under."""

SNIFF_BYTES = 4096


def read_articles(
    inputs: Iterable[Input] | Input,
    *,
    report: ErrorReport | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> Iterator[Article]:
    """Yield the articles of every input, lazily, in input order.

    Each input is one of:

    - an :class:`Article`, passed through unchanged;
    - a :class:`pathlib.Path` (or other ``os.PathLike``), always a path;
    - a ``str`` with a line break, or with a space and not naming an existing
      file, is the text of an article (its id is :func:`~.common.stable_id`);
    - ``"-"`` is standard input, read in the format its first bytes show
      (JSONL, HTML, a feed) or as plain text;
    - any other ``str`` is a path.

    A directory is read recursively in sorted order, skipping hidden entries and
    files whose suffix no reader claims. A file named explicitly is read by the
    reader for its suffix, else by the reader that recognises its content, else
    as plain text; ``options.format`` overrides both for named files and stdin.

    Args:
        inputs: The inputs; a single path, string or article is accepted too
            (rather than iterating over the characters of a string).
        report: Collects the failures — missing or unreadable files, files that
            are not UTF-8 text, broken JSONL lines … — under its policy. Defaults
            to a fresh ``ErrorReport("warn")``, which logs each one. Duplicates and
            skipped languages are noted in ``report.skipped``.
        options: What the readers should do (``--fetch``, column names, size
            limit, forced format), whether to drop duplicates (default yes) and
            which languages to keep (default all).

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
    if options.format is not None and options.format not in readers():
        raise ValueError(f"unknown format {options.format!r}; "
                         f"choose from {', '.join(sorted(readers()))}")
    articles = _read_all(inputs, report, options)
    if options.dedupe:
        articles = drop_duplicates(articles, report)
    if options.languages is not None:
        articles = filter_languages(articles, options.languages, report)
    yield from articles


def _read_all(
    inputs: Iterable[Input], report: ErrorReport, options: ReadOptions
) -> Iterator[Article]:
    for item in inputs:
        yield from _read_input(item, report, options)


def _read_input(item: Input, report: ErrorReport, options: ReadOptions) -> Iterator[Article]:
    if isinstance(item, Article):
        yield item
    elif isinstance(item, str) and item == STDIN:
        yield from read_stream(sys.stdin.buffer, STDIN_SOURCE, report=report, options=options)
    elif isinstance(item, str) and is_article_text(item):
        yield from _read_string(item, report)
    elif isinstance(item, str | os.PathLike):
        yield from _read_path(Path(item), report, options)
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


def read_stream(
    stream: BinaryIO,
    source: str = STDIN_SOURCE,
    *,
    report: ErrorReport,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> Iterator[Article]:
    """Read a byte stream that is not a file (standard input), in the format it shows.

    The format is ``options.format`` if given, else the one whose reader recognises
    the first bytes, else plain text. JSONL and CSV stream line by line; the other
    formats read the whole stream (up to ``options.max_bytes``).
    """
    head = _peek(stream)
    spec = _forced(options) or sniff_reader(head) or readers()[FALLBACK_READER]
    if spec.stream is None:
        report.add(InputError(source, f"the {spec.name} reader cannot read a stream; "
                                      "save it to a file"))
        return
    whole = io.BufferedReader(_Prefixed(head, stream))  # type: ignore[arg-type]
    for item in _guarded(spec, lambda: spec.stream(whole, source, options), source):
        if isinstance(item, InputError):
            report.add(item)
        else:
            yield item


def _peek(stream: BinaryIO) -> bytes:
    """Read up to :data:`SNIFF_BYTES` from the start (fewer if the stream ends)."""
    chunks, size = [], 0
    while size < SNIFF_BYTES:
        chunk = stream.read(SNIFF_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read: those, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _forced(options: ReadOptions) -> ReaderSpec | None:
    return readers()[options.format] if options.format else None


def _read_path(path: Path, report: ErrorReport, options: ReadOptions) -> Iterator[Article]:
    """Read a path named by the user: a directory is walked, a file always read."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        report.add(InputError(str(path), os_reason(exc)))
        return
    if stat.S_ISDIR(mode):
        yield from _read_tree(path, report, options, seen=set())
        return
    spec = _forced(options) or reader_for(path) or _sniff_file(path) or readers()[
        FALLBACK_READER]
    yield from _run_reader(spec, path, report, options)


def _sniff_file(path: Path) -> ReaderSpec | None:
    """The reader that recognises the file's first bytes; None if unreadable (the
    fallback reader then reports why)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError:
        return None
    spec = sniff_reader(head)
    if spec is not None:
        logger.debug("%s: read as %s (recognised by its content)", path, spec.name)
    return spec


def _read_tree(
    root: Path, report: ErrorReport, options: ReadOptions, *, seen: set[Path]
) -> Iterator[Article]:
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
            yield from _read_tree(path, report, options, seen=seen)
        elif (spec := reader_for(path)) is None:
            logger.debug("skipping %s: no reader for its suffix", path)
        elif not _is_file(entry):
            logger.debug("skipping %s: not a regular file", path)
        else:
            yield from _run_reader(spec, path, report, options)


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


def _run_reader(
    spec: ReaderSpec, path: Path, report: ErrorReport, options: ReadOptions
) -> Iterator[Article]:
    for item in _guarded(spec, lambda: spec.run(path, options), str(path)):
        if isinstance(item, InputError):
            report.add(item)
        else:
            yield item


def _guarded(
    spec: ReaderSpec, start: Callable[[], Iterator[ReadItem]], source: str
) -> Iterator[ReadItem]:
    """Run a reader, turning whatever it raises into one reported failure.

    Reports go through the caller, outside this ``try``, so that a report with the
    ``raise`` policy is not caught here again.
    """
    try:
        yield from start()
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(source, os_reason(exc))
    except Exception as exc:  # a buggy (plugin) reader must not end the batch
        logger.debug("reader %r failed on %s", spec.name, source, exc_info=True)
        yield InputError(source, f"{spec.name} reader failed ({type(exc).__name__}: {exc})")
