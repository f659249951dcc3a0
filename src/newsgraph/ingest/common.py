"""Helpers every reader shares: ids, dates, decoding, and human failure reasons.

Readers must agree on these, or the same article read from a text file and from a
JSONL record would get different ids and differently written dates.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
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

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_GZIP_MAGIC = b"\x1f\x8b"
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_DECLARED = re.compile(
    rb"""(?:<\?xml[^>]*?\bencoding|<meta[^>]*?\bcharset)\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_LATIN1_ALIASES = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})
_WESTERN = frozenset(
    [chr(c) for c in range(0xA0, 0x100) if c not in (0xD7, 0xF7)]
    + list("“”‘’‚„–—…•€™‹›†‡ˆ˜šŠœŒžŽŸƒ")
)
_MAX_CHAOS = 0.2
MIN_EVIDENCE_BYTES = 16
"""Non-ASCII bytes charset-normalizer needs before its guess is trusted."""
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


def stable_id(text: str, *, prefix: str = TEXT_ID_PREFIX) -> str:
    """Return an id derived from the text alone, the same on every run and machine.

    Used when an input has no name of its own (a string, a JSONL record without
    ``id``, a feed entry, hashed from its link), so re-reading the same article
    updates it instead of duplicating it.

    >>> stable_id("Xiaomi signed an MoU with Microsoft.")
    'txt-4585c2bcfa51673b'
    """
    return prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


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


def read_bytes(path: Path, *, max_bytes: int | None = None) -> bytes:
    """Read a whole (possibly gzipped) file, with failures as :class:`InputError`.

    A file saved gzip-compressed without a ``.gz`` suffix (a web page stored as the
    server sent it) is decompressed too.

    Args:
        path: The file.
        max_bytes: Refuse a file (or its decompressed content) larger than this,
            before reading it all: whole-file readers hold it in memory.

    Raises:
        InputError: ``no such file``, ``permission denied``, ``too large …``,
            ``truncated compressed file`` …
    """
    source = str(path)
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise InputError(source, too_large_reason(path.stat().st_size, max_bytes))
        with open_binary(path) as stream:
            data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
        if data.startswith(_GZIP_MAGIC) and not path.name.lower().endswith(".gz"):
            data = _gunzip(data, max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(source, os_reason(exc)) from exc
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(source, too_large_reason(None, max_bytes))
    return data


def read_limited(stream: BinaryIO, source: str, max_bytes: int) -> bytes:
    """Read a whole stream (standard input), refusing more than ``max_bytes``.

    Raises:
        InputError: ``too large …``.
    """
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(source, too_large_reason(None, max_bytes))
    return data


def check_text_bytes(data: bytes, source: str) -> None:
    """Refuse bytes that are empty or binary, before a parser sees them.

    Raises:
        InputError: ``empty file`` or ``binary file``.
    """
    body = next((data[len(bom):] for bom, _ in _BOMS if data.startswith(bom)), None)
    if body is not None:
        if not body.strip(b"\x00 \t\r\n"):
            raise InputError(source, "empty file")
        return  # UTF-16/32 hold NUL bytes by design
    if not data.strip():
        raise InputError(source, "empty file")
    if looks_binary(data):
        raise InputError(source, "binary file")


def _gunzip(data: bytes, max_bytes: int | None) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        return stream.read() if max_bytes is None else stream.read(max_bytes + 1)


def too_large_reason(size: int | None, limit: int) -> str:
    """Say how large a refused input is and what the limit is, in MB.

    >>> too_large_reason(150 * 1024 * 1024, 64 * 1024 * 1024)
    'too large (150.0 MB; the limit is 64.0 MB)'
    >>> too_large_reason(None, 1024 * 1024)
    'too large (more than that; the limit is 1.0 MB)'
    """
    mb = 1024 * 1024
    what = f"{size / mb:.1f} MB" if size is not None else "more than that"
    return f"too large ({what}; the limit is {limit / mb:.1f} MB)"


def file_id(path: Path, suffix: str | None) -> str:
    """The article id of a file: its name without the suffix its reader claimed.

    ``page.html.gz`` is ``page``, not ``page.html``; a name that is nothing but
    the suffix keeps its name.

    >>> file_id(Path("a/2019-05-24.story.html.gz"), ".html.gz"), file_id(Path("x.txt"), None)
    ('2019-05-24.story', 'x')
    """
    name = path.name
    if suffix and name.lower().endswith(suffix) and len(name) > len(suffix):
        return name[: -len(suffix)]
    return path.stem or name


def looks_binary(data: bytes) -> bool:
    """Tell whether bytes are not text: NUL bytes, or many control characters.

    Only the start is looked at; text formats never hold NUL, and a PDF, image
    or archive shows itself within the first kilobytes.

    >>> png = bytes.fromhex("89504e470d0a1a0a0000000d")
    >>> looks_binary(png), looks_binary("Café au lait".encode())
    (True, False)
    """
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > max(4, len(head) // 20)


def declared_charset(head: bytes) -> str | None:
    """The encoding an HTML ``<meta>`` or XML declaration names, if any.

    Latin-1 and ASCII declarations mean windows-1252, as browsers read them: pages
    that say ISO-8859-1 routinely hold curly quotes from 1252's extra range.

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=latin-1">')
    'cp1252'
    >>> declared_charset(b'<?xml version="1.0" encoding="koi8-r"?>'), declared_charset(b"<p>")
    ('koi8-r', None)
    """
    match = _DECLARED.search(head[:4096])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return "cp1252" if name in _LATIN1_ALIASES else name


def decode_text(data: bytes, source: str, *, declared: str | None = None) -> str:
    """Decode a whole file's bytes as text, detecting the encoding when it is not UTF-8.

    In order: a byte-order mark (UTF-8/16/32); UTF-8 (a multi-byte character cut at
    the very end, as a truncated download leaves it, is dropped); the encoding the
    document declares (``declared``); windows-1252 when that yields Western text;
    else the best guess of charset-normalizer. A BOM is dropped and line ends become
    LF, so offsets computed downstream do not depend on the editor that saved
    the file.

    Args:
        data: The bytes.
        source: The file name, for messages.
        declared: An encoding the document names for itself (HTML meta, XML
            declaration); tried before guessing.

    Raises:
        InputError: ``empty file``, ``binary file``, or ``undecodable text …`` when
            no encoding fits.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(source, f"undecodable text (not {encoding} "
                                         f"despite its byte-order mark: {exc.reason})") from exc
            break
    else:
        if not data.strip():
            raise InputError(source, "empty file")
        if looks_binary(data):
            raise InputError(source, "binary file")
        text = _decode_unmarked(data, source, declared)
    if not text.strip():
        raise InputError(source, "empty file")
    return normalise_newlines(text)


def _decode_unmarked(data: bytes, source: str, declared: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            logger.debug("%s: incomplete UTF-8 character at the end dropped", source)
            return data[: exc.start].decode("utf-8", errors="replace")
        first_error = exc
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            logger.debug("%s: not %s as declared", source, declared)
    guess = guess_encoding(data)
    if guess is None:
        raise InputError(source, undecodable_reason(first_error, first_error.start))
    logger.debug("%s: decoded as %s", source, guess)
    return data.decode(guess)


def guess_encoding(data: bytes) -> str | None:
    """Guess the encoding of bytes that are not UTF-8, or None when nothing fits.

    Windows-1252 first, when it yields Western text (letters mostly ASCII, the
    rest accented Latin letters and typographic punctuation): charset detectors
    are unreliable on short Western texts ("café" comes out as Urdu cp1006).
    Otherwise charset-normalizer decides (Cyrillic, Greek, CJK …), given at least
    :data:`MIN_EVIDENCE_BYTES` non-ASCII bytes to go on.

    >>> guess_encoding("Köln, sagte der Bürgermeister – “ja”.".encode("cp1252"))
    'cp1252'
    >>> guess_encoding("Москва — столица России, сказал он.".encode("cp1251"))
    'cp1251'
    """
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _looks_western(western):
        return "cp1252"
    if sum(1 for byte in data if byte > 127) < MIN_EVIDENCE_BYTES:
        return None  # a few odd bytes: any guess would be a coin toss
    from charset_normalizer import from_bytes  # imported on need: most input is UTF-8

    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        return None
    return best.encoding


def _looks_western(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    foreign = [ch for ch in text if ord(ch) > 127]
    if any(ch not in _WESTERN for ch in foreign):
        return False
    return sum(1 for ch in letters if ord(ch) > 127) <= 0.3 * len(letters)


class LineDecoder:
    """Decode the lines of a streamed file (JSONL, CSV) that may not be UTF-8.

    Lines are UTF-8 until one is not; the encoding guessed for that line is then
    kept for the rest of the file, since a file has one encoding and a short line
    says little about it.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.fallback: str | None = None

    def decode(self, line: bytes, *, where: str, offset: int) -> str:
        """Decode one line; ``offset`` is its position in the file, for messages.

        Raises:
            InputError: Named ``where``, when no encoding fits the line.
        """
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError as exc:
            error = exc
        if self.fallback is None:
            self.fallback = guess_encoding(line)
            if self.fallback is not None:
                logger.info("%s: not UTF-8; reading it as %s", self.source, self.fallback)
        if self.fallback is not None:
            try:
                return line.decode(self.fallback)
            except UnicodeDecodeError:
                pass
        raise InputError(where, undecodable_reason(error, offset + error.start))


def normalise_newlines(text: str) -> str:
    r"""Turn CRLF and lone CR line ends into ``\n``.

    >>> normalise_newlines("a\r\nb\rc\n")
    'a\nb\nc\n'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def not_utf8_reason(exc: UnicodeDecodeError, offset: int) -> str:
    """Say which byte broke UTF-8 decoding and where, so the user can find it."""
    return f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {offset})"


def undecodable_reason(exc: UnicodeDecodeError, offset: int) -> str:
    """Say that no encoding fits, and where UTF-8 broke, so the user can find it."""
    return (f"undecodable text (byte 0x{exc.object[exc.start]:02x} at offset {offset} is not "
            "UTF-8, and no other encoding fits)")


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
