"""The JSONL reader: one article object per line, optionally gzip-compressed.

Records follow section 2 of the contract; only ``text`` is required. A bad line
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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import Article
from .common import (
    normalise_newlines,
    not_utf8_reason,
    open_binary,
    os_reason,
    parse_date,
    stable_id,
)
from .registry import ReadItem, register_reader

logger = logging.getLogger(__name__)

_BOM = b"\xef\xbb\xbf"
_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
_OPTIONAL_FIELDS = ("title", "url", "source", "author")


@register_reader("jsonl", suffixes=(".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"))
def read_jsonl(path: Path) -> Iterator[ReadItem]:
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
            yield from iter_jsonl(stream, source)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source, os_reason(exc)) from exc


def iter_jsonl(lines: Iterable[bytes], source: str) -> Iterator[ReadItem]:
    """Parse JSONL from any iterable of byte lines (an open binary file, say).

    Separate from :func:`read_jsonl` so that streams which are not files (stdin, a
    socket, a test's endless generator) can be read the same way.

    Args:
        lines: Byte lines, each one JSON object; blank lines are skipped.
        source: The name used in error messages and in :attr:`Article.path`.

    Raises:
        InputError: ``empty file`` when there is not a single non-blank line, and
            ``binary file`` when the first line holds NUL bytes.
    """
    offset = 0
    seen_content = False
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
        yield parse_line(line, source=source, lineno=lineno, offset=start)
    if not seen_content:
        raise InputError(source, "empty file")


def parse_line(line: bytes, *, source: str, lineno: int, offset: int = 0) -> ReadItem:
    """Turn one JSONL line into an :class:`Article`, or the reason it is not one.

    Args:
        line: The raw bytes of the line.
        source: The file name; failures are named ``source:lineno``.
        lineno: 1-based line number.
        offset: Byte offset of the line in the file, for the not-UTF-8 message.
    """
    where = f"{source}:{lineno}"
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(where, not_utf8_reason(exc, offset + exc.start))
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as exc:
        return InputError(where, f"invalid JSON ({exc.msg}, column {exc.colno})")
    if not isinstance(record, dict):
        return InputError(where, f"not a JSON object (got {_json_type(record)})")
    return record_to_article(record, where)


def record_to_article(record: dict[str, Any], where: str) -> ReadItem:
    """Map a contract record onto an :class:`Article`, coercing values to strings."""
    if record.get("text") is None:
        return InputError(where, "no 'text' field")
    text = normalise_newlines(_as_str(record["text"], sep="\n\n") or "").strip()
    if not text:
        return InputError(where, "empty 'text' field")
    fields = {name: _as_str(record.get(name)) for name in _OPTIONAL_FIELDS}
    return Article(
        id=_as_str(record.get("id")) or stable_id(text),
        text=text,
        date=_normalise_date(record.get("date"), where),
        language=_as_str(record.get("language", record.get("lang"))),
        path=where,
        **fields,
    )


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
