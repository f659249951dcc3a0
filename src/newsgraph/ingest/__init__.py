"""Read news articles from files, directories, JSONL dumps and strings.

>>> from newsgraph.ingest import read_articles, readers
>>> sorted(readers())
['csv', 'feed', 'html', 'json', 'jsonl', 'text']

Formats are pluggable: see :mod:`newsgraph.ingest.registry`.
"""

from __future__ import annotations

# Importing a reader module registers its readers.
from . import csvfile as _csvfile  # noqa: F401  ("csv")
from . import feeds as _feeds  # noqa: F401  ("feed", "json")
from . import html as _html  # noqa: F401  ("html")
from . import jsonl as _jsonl  # noqa: F401  ("jsonl")
from . import text as _text  # noqa: F401  ("text")
from .common import parse_date, stable_id
from .read import STDIN, is_article_text, read_articles, read_stream
from .registry import (
    ReaderSpec,
    ReadItem,
    ReadOptions,
    reader_for,
    readers,
    register_reader,
    sniff_reader,
)

__all__ = [
    "STDIN",
    "ReadItem",
    "ReadOptions",
    "ReaderSpec",
    "is_article_text",
    "parse_date",
    "read_articles",
    "read_stream",
    "reader_for",
    "readers",
    "register_reader",
    "sniff_reader",
    "stable_id",
]
