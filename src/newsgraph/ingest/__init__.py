"""Read news articles from files, directories, JSONL dumps and strings.

>>> from newsgraph.ingest import read_articles, readers
>>> sorted(readers())
['jsonl', 'text']

Formats are pluggable: see :mod:`newsgraph.ingest.registry`.
"""

from __future__ import annotations

from . import jsonl as _jsonl  # noqa: F401  (registers the "jsonl" reader)
from . import text as _text  # noqa: F401  (registers the "text" reader)
from .common import parse_date, stable_id
from .read import is_article_text, read_articles
from .registry import ReaderSpec, ReadItem, reader_for, readers, register_reader

__all__ = [
    "ReadItem",
    "ReaderSpec",
    "is_article_text",
    "parse_date",
    "read_articles",
    "reader_for",
    "readers",
    "register_reader",
    "stable_id",
]
