"""Named, versioned relation extractors, extensible through entry points.

An extractor is a callable ``(DocContext) -> Iterable[Relation]``. Third-party
packages add their own under the ``newsgraph.extractors`` entry-point group; a
plugin that fails to load is logged and skipped instead of stopping the run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points

from ..errors import ExtractorError
from ..models import Relation
from .context import DocContext

logger = logging.getLogger(__name__)

ExtractorFn = Callable[[DocContext], Iterable[Relation]]


@dataclass(frozen=True, kw_only=True, slots=True)
class ExtractorSpec:
    """A registered extractor."""

    name: str
    version: str
    func: ExtractorFn
    description: str = ""


_REGISTRY: dict[str, ExtractorSpec] = {}
_PLUGINS_LOADED = False


def register_extractor(
    name: str, *, version: str = "1", description: str = ""
) -> Callable[[ExtractorFn], ExtractorFn]:
    """Register ``func`` under ``name`` (a decorator).

    Raises:
        ExtractorError: the name is taken.
    """

    def decorate(func: ExtractorFn) -> ExtractorFn:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ExtractorError(f"extractor {name!r} is already registered")
        doc = description or (func.__doc__ or "").strip().splitlines()[0:1]
        _REGISTRY[name] = ExtractorSpec(
            name=name,
            version=version,
            func=func,
            description=doc if isinstance(doc, str) else "".join(doc),
        )
        return func

    return decorate


def _load_plugins() -> None:
    global _PLUGINS_LOADED
    if _PLUGINS_LOADED:
        return
    _PLUGINS_LOADED = True
    for ep in entry_points(group="newsgraph.extractors"):
        try:
            func = ep.load()
            register_extractor(ep.name)(func)
        except Exception as exc:  # a broken plugin must not take the run down
            logger.warning("extractor plugin %s failed to load: %s", ep.name, exc)


def extractors() -> dict[str, ExtractorSpec]:
    """All registered extractors by name, plugins included."""
    _load_plugins()
    return dict(sorted(_REGISTRY.items()))


def get_extractors(names: Iterable[str]) -> list[ExtractorSpec]:
    """Look extractors up by name.

    Raises:
        ExtractorError: a name is unknown; the message lists the valid ones.
    """
    known = extractors()
    out = []
    for name in names:
        if name not in known:
            raise ExtractorError(
                f"unknown extractor {name!r}; choose from: {', '.join(known)}"
            )
        out.append(known[name])
    return out
