"""The exceptions newsgraph raises, in one tree.

::

    NewsGraphError                 anything newsgraph raises on purpose
    ├── InputError                 an input file or record cannot be read (names the file)
    ├── ModelNotFoundError         the spaCy pipeline is not installed (says how to install it)
    ├── ExtractorError             an unknown or broken extractor name
    ├── OutputError                an output path or format newsgraph cannot write
    ├── QueryError                 a SPARQL query failed (syntax error, unknown prefix …)
    ├── SelectionError             a view asks for what the graph has not (unknown --focus
    │                              name, type or predicate, a malformed date)
    ├── StoreError                 a store cannot be opened or written (names the directory)
    ├── EndpointError              a remote SPARQL endpoint refused or could not be reached
    ├── ClusterError               a Dask cluster could not be started or reached, or lost
    │                              its workers (``build --dask``)
    └── ServerError                the Oxigraph server could not be started

Per-article failures do not stop a batch: the readers record them in an
:class:`ErrorReport` that the CLI prints at the end, one line per failure. Articles
left out on purpose — a duplicate, a language the pipeline cannot parse — are not
failures: the report keeps them apart as :class:`Skipped` notes, which ``--strict``
ignores.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

logger = logging.getLogger(__name__)

Policy = Literal["raise", "warn", "skip"]


class NewsGraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""


class InputError(NewsGraphError):
    """An input cannot be read; the message names the source and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ModelNotFoundError(NewsGraphError):
    """The requested spaCy pipeline is not installed."""


class ExtractorError(NewsGraphError):
    """An extractor name is unknown, or an extractor failed to load."""


class OutputError(NewsGraphError):
    """The output cannot be written (unknown suffix, unwritable path)."""


class QueryError(NewsGraphError):
    """A SPARQL query could not be parsed or evaluated."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article deliberately left out: read fine, but not wanted.

    ``kind`` says why (``"duplicate"``, ``"language"``), so the CLI can count each
    kind in one summary line instead of printing thousands of duplicates.
    """

    source: str
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class SelectionError(NewsGraphError):
    """A view of the graph cannot be made as asked; the message names the bad value and,
    where there are few, the valid ones."""


class StoreError(NewsGraphError):
    """A persistent store cannot be opened (missing, locked by a writer, not a store) or
    an article could not be written to it (then nothing of that article was)."""


class EndpointError(NewsGraphError):
    """A SPARQL 1.1 Graph Store Protocol endpoint could not be reached or refused a
    request; the message names the URL, the graph and the HTTP status."""


class ClusterError(NewsGraphError):
    """The Dask cluster of a ``build --dask`` could not be started or reached, its workers
    run another newsgraph, or a shard kept killing the workers that parsed it."""


class ServerError(NewsGraphError):
    """The Oxigraph server (the ``oxigraph`` package's binary) is missing or did not start."""


@dataclass
class ErrorReport:
    """Collects per-input failures under a policy instead of aborting the batch.

    ``raise`` re-raises the first failure, ``warn`` logs each one and keeps it,
    ``skip`` keeps it silently. The CLI prints :attr:`failures` at the end.
    """

    policy: Policy = "warn"
    failures: list[InputError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def add(self, error: InputError) -> None:
        """Record ``error``, or raise it when the policy is ``raise``."""
        if self.policy == "raise":
            raise error
        self.failures.append(error)
        if self.policy == "warn":
            logger.warning("%s", error)

    def skip(self, note: Skipped) -> None:
        """Record an article left out on purpose; never raises, whatever the policy."""
        self.skipped.append(note)
        logger.info("%s", note)

    def skipped_by_kind(self) -> dict[str, list[Skipped]]:
        """The skipped articles grouped by kind, in the order they were first seen."""
        groups: dict[str, list[Skipped]] = {}
        for note in self.skipped:
            groups.setdefault(note.kind, []).append(note)
        return groups

    def __len__(self) -> int:
        return len(self.failures)
