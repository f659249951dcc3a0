"""The reader registry: one named entry per input format.

:func:`~newsgraph.ingest.read.read_articles` never names a format itself; it asks
:func:`reader_for` which reader claims a file, so a new format (HTML, RSS/Atom,
CSV …) slots in by registering a reader, here or from a plugin, without touching
the code that walks the inputs.

A reader is a function ``read(path) -> Iterator[Article | InputError]``:

- it *raises* :class:`~newsgraph.errors.InputError` when the whole file cannot be
  read (missing, not UTF-8, binary, empty …);
- it *yields* an :class:`~newsgraph.errors.InputError` for one bad record in an
  otherwise good file (a broken JSONL line), so the caller can report it and the
  reader keeps going — generators cannot raise and then resume.

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
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import MappingProxyType
from typing import TypeAlias

from ..errors import InputError
from ..models import Article

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "newsgraph.readers"
"""Entry-point group scanned once for third-party readers."""

ReadItem: TypeAlias = Article | InputError
"""What a reader yields: an article, or the failure of one record."""

ReadFunc: TypeAlias = Callable[[Path], Iterator[ReadItem]]


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """A registered reader: its format name, the suffixes it claims, the function.

    Suffixes are lower-case and may have several parts (``.jsonl.gz``), because a
    compressed file must go to the reader that understands its inner format.
    """

    name: str
    suffixes: tuple[str, ...]
    read: ReadFunc

    def claims(self, path: Path) -> str | None:
        """Return the longest suffix of ours that ``path`` ends with, or None."""
        filename = path.name.lower()
        matches = [s for s in self.suffixes if filename.endswith(s) and filename != s]
        return max(matches, key=len, default=None)


_REGISTRY: dict[str, ReaderSpec] = {}
_plugins_loaded = False


def register_reader(
    name: str, *, suffixes: tuple[str, ...], replace: bool = False
) -> Callable[[ReadFunc], ReadFunc]:
    """Register the decorated function as the reader for format ``name``.

    Args:
        name: Format name, the registry key (``"text"``, ``"jsonl"``, ``"html"`` …).
        suffixes: File-name endings the reader claims, with the dot
            (``".jsonl.gz"``); matched case-insensitively, longest first.
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
        _REGISTRY[name] = ReaderSpec(name=name, suffixes=normalised, read=func)
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
