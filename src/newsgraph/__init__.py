"""newsgraph: news articles in, one merged RDF knowledge graph out.

>>> import newsgraph
>>> sorted(newsgraph.__all__)[:3]
['Article', 'ErrorReport', 'KnowledgeGraph']
"""

import logging

from .errors import ErrorReport, NewsGraphError
from .ingest import read_articles
from .models import Article
from .pipeline import KnowledgeGraph, build
from .store import open_store

__all__ = [
    "Article",
    "ErrorReport",
    "KnowledgeGraph",
    "NewsGraphError",
    "build",
    "open_store",
    "read_articles",
]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
