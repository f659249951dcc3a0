"""Extraction records as compact bytes: what a worker sends back and a work dir keeps.

A shard's extractions travel as one msgpack document, gzipped. The encoding is
generic over the dataclasses of :mod:`newsgraph.models`: each record is a list of
field values in the order the header names the fields, and the record types are
found by following the type hints of :class:`~newsgraph.models.Extraction` — so a
field added to ``Mention`` or ``Relation``, or a new tuple of records on
``Extraction``, travels without a change here, and a file written with other fields
is recognised (:func:`schema_digest` is part of every shard key, and :func:`decode`
refuses a header that does not match).

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

from ..models import Extraction, Mention, Relation

FORMAT = 2
"""Bumped when the layout (not the fields) of a shard document changes."""


class RecordError(ValueError):
    """Bytes that are not a shard document of this newsgraph (stale or damaged)."""


@dataclass
class ShardRecords:
    """One shard's results: an extraction per article that was parsed, and the articles
    that could not be, as ``(source, reason)`` pairs."""

    extractions: list[Extraction] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _record_type(hint: Any) -> tuple[type | None, bool]:
    """The dataclass a field holds (one, or a tuple of them), and whether it is a tuple."""
    if dataclasses.is_dataclass(hint):
        return hint, False  # type: ignore[return-value]
    if typing.get_origin(hint) is tuple:
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        if len(args) == 1 and dataclasses.is_dataclass(args[0]):
            return args[0], True
    return None, False


@cache
def schema() -> dict[str, tuple[str, ...]]:
    """The field names of every record type an Extraction holds, in declaration order."""
    out: dict[str, tuple[str, ...]] = {}
    todo: list[type] = [Extraction]
    while todo:
        cls = todo.pop()
        if cls.__name__ in out:
            continue
        out[cls.__name__] = tuple(f.name for f in dataclasses.fields(cls))
        for hint in _hints(cls).values():
            inner, _ = _record_type(hint)
            if inner is not None:
                todo.append(inner)
    return dict(sorted(out.items()))


@cache
def schema_digest() -> str:
    """A short hash of :func:`schema`: records written under another schema never match."""
    return hashlib.sha256(repr((FORMAT, schema())).encode()).hexdigest()[:16]


def encode(extractions: Iterable[Extraction],
           failures: Sequence[tuple[str, str]] = ()) -> bytes:
    """The extractions (article text dropped) and failures as gzipped msgpack."""
    rows = [_extraction_row(extraction) for extraction in extractions]
    document = {"format": FORMAT, "schema": {k: list(v) for k, v in schema().items()},
                "records": rows, "failures": [list(f) for f in failures]}
    return gzip.compress(msgpack.packb(document, use_bin_type=True), compresslevel=5, mtime=0)


def _extraction_row(extraction: Extraction) -> list[Any]:
    """One article's record: its Extraction's fields in order. The mentions are
    ``[rows, own]`` (rows past ``own`` are mentions that only relations name), and a
    relation names its mentions by their row number."""
    index: dict[Mention, int] = {}
    mentions: list[list[Any]] = []
    for mention in extraction.mentions:
        index.setdefault(mention, len(mentions))
        mentions.append(_row(mention))
    own = len(mentions)

    def mention_index(mention: Mention) -> int:
        at = index.get(mention)
        if at is None:
            at = index[mention] = len(mentions)
            mentions.append(_row(mention))
        return at

    out: list[Any] = []
    for name in schema()["Extraction"]:
        value = getattr(extraction, name)
        if name == "article":
            out.append(_row(dataclasses.replace(value, text="")))
        elif name == "mentions":
            out.append(None)  # filled in below, once relations added theirs
        elif name == "relations":
            out.append([_row(rel, mentions=mention_index) for rel in value])
        else:
            out.append(_encode(value))
    out[schema()["Extraction"].index("mentions")] = [mentions, own]
    return out


def _row(record: Any, *, mentions: Any = None) -> list[Any]:
    """A record as the list of its field values (a Mention inside it as an index)."""
    return [mentions(value) if mentions is not None and isinstance(value, Mention)
            else _encode(value) for value in (getattr(record, f.name)
                                              for f in dataclasses.fields(record))]


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _row(value)
    if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        return [_row(v) for v in value]
    return value


def decode(data: bytes) -> ShardRecords:
    """The inverse of :func:`encode`.

    Raises:
        RecordError: not a shard document, or one written with other record fields.
    """
    try:
        document = msgpack.unpackb(gzip.decompress(data), raw=False, strict_map_key=False)
    except (OSError, EOFError, ValueError, msgpack.UnpackException) as exc:
        raise RecordError(f"not a shard document ({exc})") from exc
    if (not isinstance(document, dict) or document.get("format") != FORMAT
            or {k: tuple(v) for k, v in document.get("schema", {}).items()} != schema()):
        raise RecordError("shard document of another format or record schema")
    out = ShardRecords(failures=[(str(s), str(r)) for s, r in document["failures"]])
    names = schema()["Extraction"]
    hints = _hints(Extraction)
    for row in document["records"]:
        values = dict(zip(names, row, strict=True))
        mention_rows, own = values["mentions"]
        mentions = [_decode(Mention, r) for r in mention_rows]
        fields: dict[str, Any] = {}
        for name, value in values.items():
            if name == "mentions":
                fields[name] = tuple(mentions[:own])
            elif name == "relations":
                fields[name] = tuple(_decode(Relation, r, mentions=mentions) for r in value)
            else:
                fields[name] = _decode_value(hints[name], value)
        out.extractions.append(Extraction(**fields))
    return out


def _decode(cls: type, row: Sequence[Any], *, mentions: Sequence[Mention] | None = None) -> Any:
    hints = _hints(cls)
    values = {}
    for f, value in zip(dataclasses.fields(cls), row, strict=True):
        if mentions is not None and hints[f.name] is Mention:
            values[f.name] = mentions[value]
        else:
            values[f.name] = _decode_value(hints[f.name], value)
    return cls(**values)


def _decode_value(hint: Any, value: Any) -> Any:
    inner, many = _record_type(hint)
    if inner is not None and value is not None:
        return tuple(_decode(inner, r) for r in value) if many else _decode(inner, value)
    return _tuples(value)


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value
