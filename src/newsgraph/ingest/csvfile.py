"""The CSV reader: a table of articles with a header row (``.csv``, ``.tsv``, gzipped too).

Scraped dumps and spreadsheet exports name their columns every which way, so the
header is matched case-insensitively against common names for each field
(``text``/``body``/``content``/``article``…, ``title``/``headline``, ``date``/
``published``…); ``ReadOptions.columns`` (``--text-column body`` …) names the ones
that differ. Rows stream, one at a time; a bad row (no text, a wrong number of
cells) is one failure named ``FILE:LINE``, and the next row is read. The delimiter is
a tab for ``.tsv``, else guessed from the header line (comma, semicolon, tab, pipe).

>>> import io
>>> rows = io.BytesIO(b"headline,body,published\\n"
...                   b"Fiserv deal,Fiserv will buy First Data.,2019-01-16\\n")
>>> (article,) = iter_csv(rows, "deals.csv")
>>> article.title, article.text, article.date, article.path
('Fiserv deal', 'Fiserv will buy First Data.', '2019-01-16', 'deals.csv:2')
"""

from __future__ import annotations

import csv
import logging
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from .common import LineDecoder, open_binary, os_reason
from .jsonl import FIELDS, record_to_article
from .registry import DEFAULT_OPTIONS, ReadItem, ReadOptions, register_reader

logger = logging.getLogger(__name__)

SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz")

COLUMN_NAMES: Mapping[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id", "guid", "uuid"),
    "title": ("title", "headline", "heading", "subject"),
    "date": ("date", "published", "published_at", "publish_date", "pubdate", "pub_date",
             "date_published", "datetime", "timestamp", "created_at"),
    "url": ("url", "link", "href", "permalink", "source_url"),
    "source": ("source", "site", "sitename", "site_name", "publisher", "publication", "domain",
               "outlet"),
    "author": ("author", "authors", "byline", "creator", "writer"),
    "language": ("language", "lang", "locale"),
    "text": ("text", "body", "content", "article", "story", "full_text", "article_text",
             "maintext", "description"),
}
"""Header names recognised for each field, best first (case and spacing ignored)."""

_DELIMITERS = ",;\t|"


def _stream_csv(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[ReadItem]:
    return iter_csv(stream, source, options=options)


@register_reader("csv", suffixes=SUFFIXES, stream=_stream_csv)
def read_csv(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[ReadItem]:
    """Stream the articles of a CSV/TSV file with a header row.

    Raises:
        InputError: When the file cannot be opened or decompressed, is empty or
            binary, or has no column for the text.
    """
    source = str(path)
    tab = path.name.lower().endswith((".tsv", ".tsv.gz"))
    try:
        with open_binary(path) as stream:
            yield from iter_csv(stream, source, options=options, delimiter="\t" if tab else None)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source, os_reason(exc)) from exc


def iter_csv(
    lines: Iterable[bytes],
    source: str,
    *,
    options: ReadOptions = DEFAULT_OPTIONS,
    delimiter: str | None = None,
) -> Iterator[ReadItem]:
    """Parse CSV from byte lines: the header first, then one article per row.

    Args:
        lines: Byte lines (an open binary file).
        source: The name used in messages; rows are ``source:LINE``.
        options: ``columns`` maps fields to header names.
        delimiter: The cell separator; None guesses it from the header line.

    Raises:
        InputError: ``empty file``, ``binary file``, or no text column.
    """
    bad: dict[int, str] = {}  # line number -> why it could not be decoded
    decoded = _decoded_lines(lines, source, bad)
    header_line = next(decoded, None)
    if header_line is None or not header_line.strip():
        raise InputError(source, "empty file" if header_line is None else "no header row")
    if 1 in bad:
        raise InputError(source, bad[1])
    if "\x00" in header_line:
        raise InputError(source, "binary file")
    if delimiter is None:
        delimiter = _guess_delimiter(header_line)
    _raise_field_limit()
    rows = csv.reader(_chain([header_line], decoded), delimiter=delimiter)
    header = next(rows)
    names = {field: header[i] for field, i in map_columns(header, options.columns, source).items()}
    end = rows.line_num
    for row in rows:
        first, end = end + 1, rows.line_num
        where = f"{source}:{first}"
        broken = next((bad[n] for n in range(first, end + 1) if n in bad), None)
        if broken is not None:
            yield InputError(where, broken)
        elif not any(cell.strip() for cell in row):
            continue
        elif len(row) != len(header):
            yield InputError(where, f"{len(row)} cells, but the header has {len(header)}")
        else:
            yield record_to_article(dict(zip(header, row, strict=True)), where, columns=names)


def map_columns(
    header: list[str], names: Mapping[str, str], source: str
) -> dict[str, int]:
    """Find the column of each field in ``header``; the text column must exist.

    Args:
        header: The header row.
        names: Field -> column name the user gave; these must exist.
        source: For messages.

    Raises:
        InputError: A named column is missing, or no column holds the text.
    """
    folded = {_fold(name): index for index, name in reversed(list(enumerate(header)))}
    found: dict[str, int] = {}
    for field in FIELDS:
        if field in names:
            if _fold(names[field]) not in folded:
                raise InputError(source, f"no column {names[field]!r} (for the {field}); "
                                         f"columns: {', '.join(header)}")
            found[field] = folded[_fold(names[field])]
            continue
        index = next((folded[n] for n in COLUMN_NAMES[field] if n in folded), None)
        if index is not None and index not in found.values():
            found[field] = index
    if "text" not in found:
        raise InputError(source, f"no text column (columns: {', '.join(header)}); "
                                 "name it with --text-column")
    return found


def _decoded_lines(lines: Iterable[bytes], source: str, bad: dict[int, str]) -> Iterator[str]:
    """Decode each line; an undecodable one is noted in ``bad`` and passed on
    with replacement characters, so the csv module keeps its line count."""
    decoder = LineDecoder(source)
    offset = 0
    for lineno, line in enumerate(lines, start=1):
        start, offset = offset, offset + len(line)
        if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line, start = line[3:], start + 3
        try:
            yield decoder.decode(line, where=f"{source}:{lineno}", offset=start)
        except InputError as exc:
            bad[lineno] = exc.reason
            yield line.decode("utf-8", errors="replace")


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _guess_delimiter(header: str) -> str:
    """The candidate that splits the header into the most cells (comma on a tie)."""
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _fold(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _raise_field_limit() -> None:
    """Allow article-sized cells: the csv module refuses cells over 128 KiB by default."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2
