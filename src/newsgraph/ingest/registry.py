"""The reader registry: one named entry per input format.

:func:`~newsgraph.ingest.read.read_articles` never names a format itself; it asks
:func:`reader_for` which reader claims a file, so a new format (HTML, RSS/Atom,
CSV …) slots in by registering a reader, here or from a plugin, without touching
the code that walks the inputs.

A reader is a function ``read(path) -> Iterator[Article | InputError]``, or
``read(path, options)`` when it wants the user's :class:`ReadOptions` (``--fetch``,
column names, size limit):

- it *raises* :class:`~newsgraph.errors.InputError` when the whole file cannot be
  read (missing, not UTF-8, binary, empty …);
- it *yields* an :class:`~newsgraph.errors.InputError` for one bad record in an
  otherwise good file (a broken JSONL line), so the caller can report it and the
  reader keeps going — generators cannot raise and then resume.

A reader may also say how to recognise its format from the first bytes (``sniff``),
which is how a file with an unknown suffix or standard input finds its reader, and
how to read a byte stream that is not a file (``stream``), which is what ``-``
(standard input) needs.

Third-party readers register themselves when their module is imported; a package
can have that happen automatically by declaring an entry point in the
``newsgraph.readers`` group that points at the module (or at the reader). A plugin
that fails to load is logged and skipped.

>>> from pathlib import Path
>>> reader_for(Path("a/b.jsonl.gz")).name
'jsonl'
>>> reader_for(Path("notes.TXT")).name
'text'
>>> reader_for(Path("photo.png")) is None
True
>>> sniff_reader(b"<!DOCTYPE html><html><body>").name
'html'
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO, TypeAlias

from ..errors import InputError
from ..models import Article

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "newsgraph.readers"
"""Entry-point group scanned once for third-party readers."""

ReadItem: TypeAlias = Article | InputError
"""What a reader yields: an article, or the failure of one record."""

MiB = 1024 * 1024

USER_AGENT = "Mozilla/5.0 (compatible; newsgraph/0.1; +https://w3id.org/newsgraph)"
"""Sent with ``--fetch``: browser-compatible, so sites serve the normal page, and
naming newsgraph, so site owners can tell who is asking."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ReadOptions:
    """What the user asked of the readers; one object, passed to every reader.

    Attributes:
        fetch: Download the page behind each feed entry and read it as HTML.
        fetch_timeout: Seconds to wait for a server (connecting, and between bytes).
        fetch_max_bytes: A fetched page larger than this is refused.
        max_bytes: A file read whole (text, HTML, feed) larger than this is refused;
            line formats (JSONL, CSV) stream and have no file limit.
        user_agent: The User-Agent header of ``--fetch`` requests.
        columns: Field name -> CSV column / JSONL key, for dumps whose names differ
            from the contract's (``{"text": "body"}``).
        format: Read every file (and standard input) with this reader, whatever its
            suffix or content.
        dedupe: Read an article seen before (same URL, same text, or a near copy)
            only once.
        languages: Keep only articles in these languages (ISO 639-1 codes); None
            keeps all. Articles whose language is unknown are kept.
    """

    fetch: bool = False
    fetch_timeout: float = 15.0
    fetch_max_bytes: int = 10 * MiB
    max_bytes: int = 64 * MiB
    user_agent: str = USER_AGENT
    columns: Mapping[str, str] = field(default_factory=dict)
    format: str | None = None
    dedupe: bool = True
    languages: frozenset[str] | None = None


DEFAULT_OPTIONS = ReadOptions()

ReadFunc: TypeAlias = Callable[..., Iterator[ReadItem]]
"""``read(path)`` or ``read(path, options)``."""

StreamFunc: TypeAlias = Callable[[BinaryIO, str, ReadOptions], Iterator[ReadItem]]
"""``stream(binary_stream, source_name, options)``: read what is not a file (stdin)."""

SniffFunc: TypeAlias = Callable[[bytes], bool]
"""``sniff(head)``: True when the first bytes of an input are in this format."""


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """A registered reader: its format name, the suffixes it claims, the function.

    Suffixes are lower-case and may have several parts (``.jsonl.gz``), because a
    compressed file must go to the reader that understands its inner format.
    """

    name: str
    suffixes: tuple[str, ...]
    read: ReadFunc
    sniff: SniffFunc | None = None
    stream: StreamFunc | None = None
    takes_options: bool = False

    def run(self, path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[ReadItem]:
        """Call the reader on ``path``, with the options when it accepts them."""
        return self.read(path, options) if self.takes_options else self.read(path)

    def claims(self, path: Path) -> str | None:
        """Return the longest suffix of ours that ``path`` ends with, or None."""
        filename = path.name.lower()
        matches = [s for s in self.suffixes if filename.endswith(s) and filename != s]
        return max(matches, key=len, default=None)


_REGISTRY: dict[str, ReaderSpec] = {}
_plugins_loaded = False


def register_reader(
    name: str,
    *,
    suffixes: tuple[str, ...],
    sniff: SniffFunc | None = None,
    stream: StreamFunc | None = None,
    replace: bool = False,
) -> Callable[[ReadFunc], ReadFunc]:
    """Register the decorated function as the reader for format ``name``.

    Args:
        name: Format name, the registry key (``"text"``, ``"jsonl"``, ``"html"`` …).
        suffixes: File-name endings the reader claims, with the dot
            (``".jsonl.gz"``); matched case-insensitively, longest first.
        sniff: Recognises the format from an input's first bytes, for files whose
            suffix no reader claims and for standard input.
        stream: Reads a byte stream (standard input); without it, ``-`` cannot be
            read in this format.
        replace: Allow overriding an already registered format of the same name,
            so a plugin can replace a built-in reader on purpose, never by accident.

    Returns:
        A decorator that registers the function and returns it unchanged.

    Raises:
        ValueError: When ``name`` is taken (and ``replace`` is false) or a suffix
            does not start with a dot.
    """
    normalised = tuple(s.lower() for s in suffixes)
    bad = [s for s in normalised if not s.startswith(".") or len(s) < 2]
    if bad:
        raise ValueError(f"reader {name!r}: suffixes must look like '.ext', got {bad}")

    def decorator(func: ReadFunc) -> ReadFunc:
        if name in _REGISTRY and not replace:
            raise ValueError(
                f"a reader named {name!r} is already registered "
                f"(registered: {', '.join(sorted(_REGISTRY))}); pass replace=True"
            )
        _REGISTRY[name] = ReaderSpec(
            name=name,
            suffixes=normalised,
            read=func,
            sniff=sniff,
            stream=stream,
            takes_options=_takes_options(func),
        )
        logger.debug("registered reader %r for %s", name, ", ".join(normalised))
        return func

    return decorator


def unregister_reader(name: str) -> None:
    """Remove the reader ``name`` (tests and plugins that clean up after themselves)."""
    _REGISTRY.pop(name, None)


def readers() -> Mapping[str, ReaderSpec]:
    """Return the registered readers by format name (a read-only view)."""
    _load_plugins()
    return MappingProxyType(_REGISTRY)


def reader_for(path: Path) -> ReaderSpec | None:
    """Pick the reader whose suffix matches ``path`` best, or None if none claims it.

    The longest matching suffix wins (``.jsonl.gz`` over a hypothetical ``.gz``);
    on a tie the reader registered last wins, so a plugin can take over a suffix.
    """
    best: tuple[int, ReaderSpec] | None = None
    for spec in readers().values():
        suffix = spec.claims(path)
        if suffix is not None and (best is None or len(suffix) >= best[0]):
            best = (len(suffix), spec)
    return best[1] if best else None


def sniff_reader(head: bytes) -> ReaderSpec | None:
    """Pick the reader that recognises ``head`` (an input's first bytes), or None.

    Readers registered later are asked first, so a plugin can claim content a
    built-in reader would also take.
    """
    for spec in reversed(list(readers().values())):
        if spec.sniff is not None and spec.sniff(head):
            return spec
    return None


def _takes_options(func: ReadFunc) -> bool:
    """True when ``func`` accepts a second positional argument (the options)."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind is p.VAR_POSITIONAL for p in params)


def _load_plugins() -> None:
    """Import every ``newsgraph.readers`` entry point once; skip the broken ones."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            entry_point.load()
        except Exception as exc:  # a broken plugin must not take the run down
            logger.warning("skipping reader plugin %r: %s", entry_point.name, exc)
