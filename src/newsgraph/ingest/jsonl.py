"""The JSONL reader: one article object per line, optionally gzip-compressed.

Records follow section 2 of the contract; only ``text`` is required (a dump whose
keys differ is read with ``ReadOptions.columns``, ``--text-column body``). The text
is cleaned like every format's (bylines to ``author``, footers and teasers out). A
file that is not UTF-8 is decoded in the encoding guessed at its first non-UTF-8
line. A bad line
(broken JSON, not an object, no ``text``) is reported under ``FILE:LINE`` and the
next line is read, because one corrupt record in a dump of a million articles must
not cost the other 999,999. Lines are read one at a time, so a file of any size
streams.

>>> import io
>>> items = iter_jsonl(io.BytesIO(b'{"text": "Hi.", "date": "May 24, 2019"}\\n[1]\\n'), "a.jsonl")
>>> next(items).date
'2019-05-24'
>>> str(next(items))
'a.jsonl:2: not a JSON object (got array)'
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..models import Article
from .common import LineDecoder, normalise_newlines, open_binary, os_reason, parse_date, stable_id
from .registry import DEFAULT_OPTIONS, ReadItem, ReadOptions, register_reader
from .text import clean_article_text

logger = logging.getLogger(__name__)

_BOM = b"\xef\xbb\xbf"
_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
_OPTIONAL_FIELDS = ("title", "url", "source", "author")
FIELDS = ("id", "title", "date", "url", "source", "author", "language", "text")
"""The article fields a record (or a CSV row) can fill, in the contract's order."""


def sniff_jsonl(head: bytes) -> bool:
    """A JSONL stream starts with an object, and its first line is one.

    >>> sniff_jsonl(b'{"text": "a"}\\n{"text": "b"}\\n'), sniff_jsonl(b'{"version": "x",\\n')
    (True, False)
    """
    first = head.lstrip(_BOM + b" \t\r\n").split(b"\n", 1)[0].strip()
    return first.startswith(b"{") and first.endswith(b"}")


def _stream_jsonl(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[ReadItem]:
    return iter_jsonl(stream, source, options=options)


@register_reader(
    "jsonl",
    suffixes=(".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"),
    sniff=sniff_jsonl,
    stream=_stream_jsonl,
)
def read_jsonl(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[ReadItem]:
    """Stream the articles of a (gzipped) JSONL file, one line at a time.

    Yields:
        An :class:`Article` per good line, an :class:`InputError` per bad one.

    Raises:
        InputError: When the file cannot be opened or decompressed, or is empty
            or binary as a whole.
    """
    source = str(path)
    try:
        with open_binary(path) as stream:
            yield from iter_jsonl(stream, source, options=options)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source, os_reason(exc)) from exc


def iter_jsonl(
    lines: Iterable[bytes], source: str, *, options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[ReadItem]:
    """Parse JSONL from any iterable of byte lines (an open binary file, say).

    Separate from :func:`read_jsonl` so that streams which are not files (stdin, a
    socket, a test's endless generator) can be read the same way.

    Args:
        lines: Byte lines, each one JSON object; blank lines are skipped.
        source: The name used in error messages and in :attr:`Article.path`.
        options: Their ``columns`` name the keys of the record's fields.

    Raises:
        InputError: ``empty file`` when there is not a single non-blank line, and
            ``binary file`` when the first line holds NUL bytes.
    """
    offset = 0
    seen_content = False
    decoder = LineDecoder(source)
    for lineno, line in enumerate(lines, start=1):
        start, offset = offset, offset + len(line)
        if lineno == 1 and line.startswith(_BOM):
            line, start = line[len(_BOM) :], start + len(_BOM)
        if not line.strip():
            continue
        if b"\x00" in line:
            if not seen_content:
                raise InputError(source, "binary file")
            yield InputError(f"{source}:{lineno}", "binary data")
            continue
        seen_content = True
        yield parse_line(line, source=source, lineno=lineno, offset=start, decoder=decoder,
                         columns=options.columns)
    if not seen_content:
        raise InputError(source, "empty file")


def parse_line(
    line: bytes,
    *,
    source: str,
    lineno: int,
    offset: int = 0,
    decoder: LineDecoder | None = None,
    columns: Mapping[str, str] | None = None,
) -> ReadItem:
    """Turn one JSONL line into an :class:`Article`, or the reason it is not one.

    Args:
        line: The raw bytes of the line.
        source: The file name; failures are named ``source:lineno``.
        lineno: 1-based line number.
        offset: Byte offset of the line in the file, for the undecodable message.
        decoder: Keeps the encoding guessed for the file across lines.
        columns: Field name -> key, for records whose keys differ.
    """
    where = f"{source}:{lineno}"
    try:
        decoded = (decoder or LineDecoder(source)).decode(line, where=where, offset=offset)
    except InputError as exc:
        return exc
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as exc:
        return InputError(where, f"invalid JSON ({exc.msg}, column {exc.colno})")
    if not isinstance(record, dict):
        return InputError(where, f"not a JSON object (got {_json_type(record)})")
    return record_to_article(record, where, columns=columns)


def record_to_article(
    record: Mapping[str, Any], where: str, *, columns: Mapping[str, str] | None = None
) -> ReadItem:
    """Map a contract record onto an :class:`Article`, coercing values to strings.

    Args:
        record: The record (a JSON object, a CSV row as a dict).
        where: ``FILE:LINE``, for messages and :attr:`Article.path`.
        columns: Field name -> key where the record's keys differ from the
            contract's; ``language`` also accepts ``lang``.
    """
    keys = {name: (columns or {}).get(name, name) for name in FIELDS}
    value = _lookup(record, keys["text"])
    if value is None:
        return InputError(where, f"no {keys['text']!r} field")
    text = normalise_newlines(_as_str(value, sep="\n\n") or "").strip()
    if not text:
        return InputError(where, f"empty {keys['text']!r} field")
    parts = clean_article_text(text)
    if not parts.text:
        return InputError(where, "no article text once footers and teasers are removed")
    fields = {name: _as_str(_lookup(record, keys[name])) for name in _OPTIONAL_FIELDS}
    fields["author"] = fields["author"] or parts.author
    language = _lookup(record, keys["language"])
    if language is None and "language" not in (columns or {}):
        language = _lookup(record, "lang")
    return Article(
        id=_as_str(_lookup(record, keys["id"])) or stable_id(parts.text),
        text=parts.text,
        date=_normalise_date(_lookup(record, keys["date"]), where) or parts.date,
        language=_as_str(language),
        path=where,
        **fields,
    )


def article_record(article: Article) -> dict[str, str]:
    """The contract record of an article (section 2), fields in order, empty ones left out.

    What ``newsgraph read`` prints: reading the record back gives the same article.

    >>> article_record(Article(id="a", text="Hi.", title="T", language="en"))
    {'id': 'a', 'title': 'T', 'language': 'en', 'text': 'Hi.'}
    """
    values = {name: getattr(article, name) for name in FIELDS}
    return {name: value for name, value in values.items() if value is not None}


def _lookup(record: Mapping[str, Any], key: str) -> Any:
    """``record[key]``, else the value under the same key in another case (``Text``)."""
    if key in record:
        return record[key]
    folded = key.casefold()
    return next((v for k, v in record.items() if str(k).casefold() == folded), None)


def _normalise_date(value: Any, where: str) -> str | None:
    raw = _as_str(value)
    if raw is None:
        return None
    date = parse_date(raw)
    if date is None:
        logger.debug("%s: date %r not understood, left out", where, raw)
    return date


def _as_str(value: Any, *, sep: str = ", ") -> str | None:
    """Coerce a JSON value to a stripped string; None or blank becomes None.

    Lists (several authors, a text in paragraphs) are joined with ``sep``.
    """
    if value is None:
        return None
    if isinstance(value, list):
        parts = [part for part in (_as_str(item, sep=sep) for item in value) if part]
        text = sep.join(parts)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return text.strip() or None


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "number")
