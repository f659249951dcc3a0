"""Helpers every reader shares: ids, dates, decoding, and human failure reasons.

Readers must agree on these, or the same article read from a text file and from a
JSONL record would get different ids and differently written dates.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import zlib
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError

logger = logging.getLogger(__name__)

TEXT_ID_PREFIX = "txt-"

_BOM = b"\xef\xbb\xbf"
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%d %b, %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%Y/%m/%d",
)
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)


def stable_id(text: str) -> str:
    """Return an id derived from the text alone, the same on every run and machine.

    Used when an input has no name of its own (a string, a JSONL record without
    ``id``), so re-reading the same article updates it instead of duplicating it.

    >>> stable_id("Xiaomi signed an MoU with Microsoft.")
    'txt-4585c2bcfa51673b'
    """
    return TEXT_ID_PREFIX + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def parse_date(value: str) -> str | None:
    """Return ``value`` as an ISO date (YYYY-MM-DD), or None when it is not a date.

    News sources write dates many ways; the graph types them as ``xsd:date``, so
    they are normalised once, here. Day-first numeric forms (``05/06/2019``) are
    ambiguous and deliberately not guessed.

    >>> [parse_date(s) for s in ("24 May 2019", "May 24, 2019", "2019-05-24")]
    ['2019-05-24', '2019-05-24', '2019-05-24']
    >>> parse_date("Fri, 24 May 2019 10:30:00 GMT"), parse_date("2019-05-24T10:30:00Z")
    ('2019-05-24', '2019-05-24')
    >>> parse_date("8 Mar 2017"), parse_date("Sept. 3rd, 2018"), parse_date("Monday")
    ('2017-03-08', '2018-09-03', None)
    """
    text = " ".join(value.split())
    if not text or len(text) > 64 or not any(ch.isdigit() for ch in text):
        return None
    return _parse_iso(text) or _parse_named(text) or _parse_rfc2822(text)


def _parse_iso(text: str) -> str | None:
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        return None


def _parse_named(text: str) -> str | None:
    cleaned = _ORDINAL.sub("", _WEEKDAY.sub("", text)).replace(".", "")
    cleaned = re.sub(r"\bSept\b", "Sep", cleaned, flags=re.IGNORECASE)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _parse_rfc2822(text: str) -> str | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date().isoformat() if isinstance(parsed, date) else None


def open_binary(path: Path) -> BinaryIO:
    """Open ``path`` for reading bytes, transparently gunzipping ``*.gz`` files.

    Raises:
        OSError: As :func:`open` does; turn it into a reason with :func:`os_reason`.
    """
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_bytes(path: Path) -> bytes:
    """Read a whole (possibly gzipped) file, with failures as :class:`InputError`."""
    try:
        with open_binary(path) as stream:
            return stream.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(str(path), os_reason(exc)) from exc


def decode_text(data: bytes, source: str) -> str:
    """Decode a whole file's bytes as UTF-8 text, refusing what is not text.

    A BOM is dropped and line ends become ``\\n``, so offsets computed downstream do
    not depend on the editor that saved the file.

    Raises:
        InputError: ``empty file``, ``binary file`` (NUL bytes) or ``not UTF-8 text``.
    """
    body = data[len(_BOM) :] if data.startswith(_BOM) else data
    if not body.strip():
        raise InputError(source, "empty file")
    if b"\x00" in body:
        raise InputError(source, "binary file")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + len(data) - len(body)
        raise InputError(source, not_utf8_reason(exc, offset)) from exc
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    r"""Turn CRLF and lone CR line ends into ``\n``.

    >>> normalise_newlines("a\r\nb\rc\n")
    'a\nb\nc\n'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def not_utf8_reason(exc: UnicodeDecodeError, offset: int) -> str:
    """Say which byte broke UTF-8 decoding and where, so the user can find it."""
    return f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {offset})"


def os_reason(exc: BaseException) -> str:
    """Return a short human reason for an I/O failure (no errno, no traceback)."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, NotADirectoryError):
        return "not a directory"
    if isinstance(exc, gzip.BadGzipFile):
        return "not a gzip file"
    if isinstance(exc, EOFError):
        return "truncated compressed file"
    if isinstance(exc, zlib.error):
        return "corrupt compressed data"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
