"""Extraction records as compact bytes: what a worker sends back and a work dir keeps.

A shard's extractions travel as one msgpack document, gzipped. The encoding is
generic over the dataclasses of :mod:`newsgraph.models`: each record is a list of
field values in the order the header names the fields, so a field added to
``Mention`` or ``Relation`` travels without a change here, and a file written with
other fields is recognised (:func:`schema_digest` is part of every shard key, and
:func:`decode` refuses a header that does not match).

Two things keep it small: the article text is not sent (the resolver and the graph
use the metadata only; the text was already read once), and a relation names its
subject and object by their index in the article's mention list instead of repeating
them.

>>> from newsgraph.models import Article, Extraction, Mention, Relation
>>> m = Mention(article_id="a", text="Apple", start=0, end=5, label="Organization",
...             votes=(("Organization", 1.0),))
>>> n = Mention(article_id="a", text="Samsung", start=11, end=18, label="Organization")
>>> r = Relation(subject=m, predicate="sued", object=n, evidence="Apple sued Samsung.",
...              confidence=0.9, extractor="verb-frames")
>>> ex = Extraction(article=Article(id="a", text="Apple sued Samsung."), mentions=(m, n),
...                 relations=(r,))
>>> shard = decode(encode([ex], failures=[("b.txt", "text too long")]))
>>> shard.extractions[0] == Extraction(article=Article(id="a", text=""), mentions=(m, n),
...                                    relations=(r,))
True
>>> shard.failures
[('b.txt', 'text too long')]
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import msgpack

from ..models import Article, Extraction, Mention, Relation

FORMAT = 1
"""Bumped when the layout (not the fields) of a shard document changes."""

_KINDS: dict[str, type] = {"Article": Article, "Mention": Mention, "Relation": Relation}


class RecordError(ValueError):
    """Bytes that are not a shard document of this newsgraph (stale or damaged)."""


@dataclass
class ShardRecords:
    """One shard's results: an extraction per article that was parsed, and the articles
    that could not be, as ``(source, reason)`` pairs."""

    extractions: list[Extraction] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


@cache
def schema() -> dict[str, tuple[str, ...]]:
    """The field names of each record type, in declaration order."""
    return {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _KINDS.items()}


@cache
def _mention_fields() -> frozenset[str]:
    """The fields of a Relation that hold a Mention (encoded as an index)."""
    hints = typing.get_type_hints(Relation)
    return frozenset(name for name in schema()["Relation"] if hints.get(name) is Mention)


@cache
def schema_digest() -> str:
    """A short hash of :func:`schema`: records written under another schema never match."""
    text = repr((FORMAT, sorted(schema().items()), sorted(_mention_fields())))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(extractions: Iterable[Extraction],
           failures: Sequence[tuple[str, str]] = ()) -> bytes:
    """The extractions (article text dropped) and failures as gzipped msgpack."""
    names = schema()
    rows = [_row(extraction, names, _mention_fields()) for extraction in extractions]
    document = {"format": FORMAT, "schema": {k: list(v) for k, v in names.items()},
                "records": rows, "failures": [list(f) for f in failures]}
    return gzip.compress(msgpack.packb(document, use_bin_type=True), compresslevel=5, mtime=0)


def _row(extraction: Extraction, names: dict[str, tuple[str, ...]],
         mention_fields: frozenset[str]) -> list[Any]:
    """One article's record: article fields, mention rows, how many are its own, relations."""
    article = [getattr(extraction.article, f) for f in names["Article"]]
    article[names["Article"].index("text")] = ""
    index: dict[Mention, int] = {}
    mentions: list[list[Any]] = []

    def mention_index(mention: Mention) -> int:
        at = index.get(mention)
        if at is None:
            at = index[mention] = len(mentions)
            mentions.append([getattr(mention, f) for f in names["Mention"]])
        return at

    for mention in extraction.mentions:
        index.setdefault(mention, len(mentions))
        mentions.append([getattr(mention, f) for f in names["Mention"]])
    own = len(mentions)  # mentions past this one appear in relations only
    relations = [[mention_index(getattr(rel, f)) if f in mention_fields else getattr(rel, f)
                  for f in names["Relation"]] for rel in extraction.relations]
    return [article, mentions, own, relations]


def decode(data: bytes) -> ShardRecords:
    """The inverse of :func:`encode`.

    Raises:
        RecordError: not a shard document, or one written with other record fields.
    """
    try:
        document = msgpack.unpackb(gzip.decompress(data), raw=False, strict_map_key=False)
    except (OSError, EOFError, ValueError, msgpack.UnpackException) as exc:
        raise RecordError(f"not a shard document ({exc})") from exc
    names = schema()
    if (not isinstance(document, dict) or document.get("format") != FORMAT
            or {k: tuple(v) for k, v in document.get("schema", {}).items()} != names):
        raise RecordError("shard document of another format or record schema")
    mention_fields = _mention_fields()
    out = ShardRecords(failures=[(str(s), str(r)) for s, r in document["failures"]])
    for article_row, mention_rows, own, relation_rows in document["records"]:
        article = Article(**_values(names["Article"], article_row))
        mentions = [Mention(**_values(names["Mention"], row)) for row in mention_rows]
        relations = []
        for row in relation_rows:
            values = _values(names["Relation"], row)
            for name in mention_fields:
                values[name] = mentions[values[name]]
            relations.append(Relation(**values))
        out.extractions.append(Extraction(article=article, mentions=tuple(mentions[:own]),
                                          relations=tuple(relations)))
    return out


def _values(names: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    """Field name -> value, msgpack's lists turned back into the tuples the records hold."""
    return {name: _tuples(value) for name, value in zip(names, row, strict=True)}


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value
