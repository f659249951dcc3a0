"""The Dask engine: parse and extract shards on a Dask cluster, resolve on the driver.

The driver (the process running ``build``) reads the articles, cuts them into shards
(:mod:`~newsgraph.engine.shards`) and submits each shard's articles as one task. A
worker parses them with the pipeline its :class:`PipelinePlugin` loaded once, runs
the extractors and sends back the shard's records as compact bytes
(:mod:`~newsgraph.engine.records`) — never a spaCy ``Doc``. The driver hands the
results on in input order, so the resolver, the graph and a store see exactly the
stream a one-process build gives them.

Only a bounded window of shards is in flight (submitted, or finished but waiting for
an earlier one), so the driver's memory does not grow with the corpus. A worker that
dies takes its tasks with it; the scheduler gives them to another worker (a
``LocalCluster``'s nanny restarts the dead one).

Everything here imports ``distributed``, which is an extra (``newsgraph[dask]``): the
rest of newsgraph never imports this module unless a build asks for Dask.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ClusterError, ModelNotFoundError
from ..extract import get_extractors
from ..models import Article
from ..nlp import load_pipeline
from .records import schema_digest
from .shards import Shard, shard_bytes

try:
    import dask
    from distributed import Client, WorkerPlugin, as_completed, get_worker
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ClusterError("build --dask needs Dask: pip install 'newsgraph[dask]'") from exc

logger = logging.getLogger(__name__)

LOCAL = "local"
"""The ``dask`` argument that starts a LocalCluster on this machine."""

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a scheduler to answer."""

WORKER_TIMEOUT = 120.0
"""Seconds to wait for a first worker to join a scheduler that has none."""


def plugin_name(model: str) -> str:
    """The name a worker knows the pipeline plugin of ``model`` by."""
    return f"newsgraph-pipeline:{model}"


class PipelinePlugin(WorkerPlugin):
    """Loads the spaCy pipeline once per worker, when the worker joins (or now).

    A pipeline that is not installed on a worker is remembered as the worker's error,
    not raised: the driver asks every worker (:func:`_probe`) and names the ones that
    lack it; a task given to such a worker fails with the same message.
    """

    def __init__(self, model: str) -> None:
        self.model = model
        self.name = plugin_name(model)
        self.error: str | None = None

    async def setup(self, worker: Any) -> None:
        # Loading takes seconds: off the event loop, so the worker keeps its heartbeat.
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, load_pipeline, self.model)
        except ModelNotFoundError as exc:
            self.error = str(exc)


def _probe(model: str, dask_worker: Any = None) -> dict[str, Any]:
    """What a worker has: the pipeline's language, length limit and version, or the error
    loading it; and its newsgraph version and record schema (they must match ours)."""
    from .. import __version__

    info: dict[str, Any] = {"newsgraph": __version__, "schema": schema_digest(),
                            "pid": os.getpid()}
    plugin = dask_worker.plugins.get(plugin_name(model)) if dask_worker is not None else None
    if plugin is not None and plugin.error:
        info["error"] = plugin.error
        return info
    try:
        nlp = load_pipeline(model)
    except ModelNotFoundError as exc:
        info["error"] = str(exc)
        return info
    info.update(lang=nlp.lang, max_length=nlp.max_length,
                version=str(nlp.meta.get("version", "")))
    return info


def _shard_task(articles: list[Article], model: str, extractors: tuple[str, ...],
                batch_size: int) -> bytes:
    """A shard's records, parsed on the worker this runs on."""
    worker = get_worker()
    plugin = worker.plugins.get(plugin_name(model))
    try:
        if plugin is not None and plugin.error:
            raise ModelNotFoundError(plugin.error)
        nlp = load_pipeline(model)
    except ModelNotFoundError as exc:
        raise ModelNotFoundError(f"Dask worker {worker.address}: {exc}") from None
    return shard_bytes(articles, nlp, get_extractors(extractors), batch_size=batch_size)


@dataclass(frozen=True, kw_only=True, slots=True)
class PipelineInfo:
    """What the workers report about the pipeline (all workers agree, or the build stops)."""

    lang: str
    max_length: int
    version: str


class DaskEngine:
    """A Dask client (and, for ``"local"``, the LocalCluster it owns) ready to parse shards.

    Use it as a context manager: entering connects (or starts the cluster), loads the
    pipeline on every worker and checks them; leaving closes what it started and
    removes the cluster's scratch directory.

    Args:
        address: ``"local"`` for a LocalCluster on this machine, a scheduler address
            (``tcp://host:8786``), or a ``distributed.Client`` to use as it is.
        workers: worker processes of a LocalCluster (default: one per core).
        model: the spaCy pipeline the workers load.
        extractors: names of the extractors the workers run.
        batch_size: documents per ``nlp.pipe`` batch on a worker.
    """

    def __init__(self, address: str | Client, *, model: str, extractors: Sequence[str],
                 workers: int | None = None, batch_size: int = 32) -> None:
        self.address = address
        self.model = model
        self.extractors = tuple(extractors)
        self.workers = workers
        self.batch_size = batch_size
        self.client: Client | None = None
        self.info: PipelineInfo | None = None
        self._cluster: Any = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._owns_client = not isinstance(address, Client)
        self._threads = 1
        self._threads_checked = 0.0

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> DaskEngine:
        try:
            self._connect()
            self._load_pipeline()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dashboard_link(self) -> str | None:
        """The Dask dashboard's URL, when the scheduler serves one."""
        if self.client is None:
            return None
        try:
            return self.client.dashboard_link or None
        except (KeyError, AttributeError):
            return None

    def _connect(self) -> None:
        if isinstance(self.address, Client):
            self.client = self.address
        elif self.address == LOCAL:
            from distributed import LocalCluster

            # The workers' scratch space goes here and goes away with the build: a
            # build without --work-dir leaves nothing on disk.
            self._scratch = tempfile.TemporaryDirectory(prefix="newsgraph-dask-")
            n = self.workers or os.cpu_count() or 1
            try:
                with dask.config.set({"temporary-directory": self._scratch.name}):
                    self._cluster = LocalCluster(
                        n_workers=n, threads_per_worker=1, processes=True,
                        dashboard_address=":0", local_directory=self._scratch.name,
                        silence_logs=logging.ERROR)
            except Exception as exc:
                raise ClusterError(f"could not start a local Dask cluster of {n} workers "
                                   f"({type(exc).__name__}: {exc})") from exc
            self.client = Client(self._cluster)
        else:
            address = self.address if "://" in self.address else f"tcp://{self.address}"
            try:
                self.client = Client(address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise ClusterError(f"{address}: no Dask scheduler answers there ({exc}); start "
                                   f"one with: dask scheduler") from exc
        assert self.client is not None
        if not self.client.scheduler_info().get("workers"):
            logger.warning("waiting for a Dask worker to join %s", self.client.scheduler.address)
            try:
                self.client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
            except TimeoutError as exc:
                raise ClusterError(
                    f"{self.client.scheduler.address}: no Dask worker joined in "
                    f"{WORKER_TIMEOUT:.0f}s; start some with: dask worker "
                    f"{self.client.scheduler.address} --nthreads 1") from exc

    def _load_pipeline(self) -> None:
        """Load the pipeline on every worker and check what they report."""
        from .. import __version__

        assert self.client is not None
        self.client.register_plugin(PipelinePlugin(self.model), name=plugin_name(self.model))
        reports = self.client.run(_probe, self.model)
        missing = sorted(address for address, info in reports.items() if "error" in info)
        if missing:
            first = reports[missing[0]]["error"]
            where = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more"
                                              if len(missing) > 3 else "")
            raise ModelNotFoundError(f"on Dask worker {where}: {first} (on every machine that "
                                     f"runs a worker)")
        for address, info in sorted(reports.items()):
            if info["newsgraph"] != __version__ or info["schema"] != schema_digest():
                raise ClusterError(
                    f"Dask worker {address} runs newsgraph {info['newsgraph']} (record schema "
                    f"{info['schema']}), this build {__version__} ({schema_digest()}); install "
                    f"the same newsgraph on every machine")
        kinds = {(i["lang"], i["max_length"], i["version"]) for i in reports.values()}
        if len(kinds) > 1:
            raise ClusterError(f"the Dask workers have different versions of {self.model}: "
                               f"{sorted(kinds)}; install the same one everywhere")
        lang, max_length, version = kinds.pop()
        self.info = PipelineInfo(lang=lang, max_length=max_length, version=version)
        logger.info("%d Dask workers loaded %s %s", len(reports), self.model, version)

    def close(self) -> None:
        """Close the client and the cluster this engine started (not a client it was given)."""
        if self._owns_client and self.client is not None:
            self.client.close()
        self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._scratch is not None:
            self._scratch.cleanup()
            shutil.rmtree(self._scratch.name, ignore_errors=True)
            self._scratch = None

    # ------------------------------------------------------------------ work

    def _window(self) -> int:
        """Shards to keep in flight: two per worker thread, so none waits for work."""
        assert self.client is not None
        now = time.monotonic()
        if now - self._threads_checked > 10.0:  # workers may join or leave during a build
            self._threads = max(1, sum(self.client.nthreads().values()))
            self._threads_checked = now
        return 2 * self._threads + 1

    def map(self, shards: Iterable[Shard], *,
            on_done: Callable[[Shard, bytes | None], None] | None = None,
            ) -> Iterator[tuple[Shard, bytes | None]]:
        """Run the shards on the cluster; yield each with its records, in input order.

        A shard whose ``done`` is set (its records are in a work dir) is not run and is
        yielded with ``None``. ``on_done`` is called with each shard and its records as
        it finishes, in whatever order they finish (to keep them, and for progress).

        Raises:
            ModelNotFoundError: a worker does not have the pipeline.
            ClusterError: a shard killed the workers that took it, again and again.
        """
        assert self.client is not None
        client = self.client
        finished = as_completed()
        by_key: dict[str, Shard] = {}
        ready: dict[int, tuple[Shard, bytes | None]] = {}
        next_index = 0
        running = 0

        def collect() -> None:
            nonlocal running
            future = next(finished)
            shard = by_key.pop(future.key)
            try:
                data = future.result()
            except ModelNotFoundError:
                raise
            except Exception as exc:
                if type(exc).__name__ == "KilledWorker":
                    raise ClusterError(
                        f"shard {shard.index} (articles {shard.index * shard.size + 1}…) "
                        f"killed every Dask worker that parsed it: {exc}") from exc
                raise
            finally:
                future.release()
            running -= 1
            ready[shard.index] = (shard, data)
            if on_done is not None:
                on_done(shard, data)

        def deliver() -> Iterator[tuple[Shard, bytes | None]]:
            nonlocal next_index
            while next_index in ready:
                yield ready.pop(next_index)
                next_index += 1

        try:
            for shard in shards:
                if shard.done is not None:
                    ready[shard.index] = (shard, None)
                    if on_done is not None:
                        on_done(shard, None)
                else:
                    future = client.submit(
                        _shard_task, shard.articles, self.model, self.extractors,
                        self.batch_size, key=f"newsgraph-shard-{shard.index}-{shard.key}",
                        pure=False, retries=0)
                    shard.articles = []  # the scheduler has them; the driver keeps no text
                    by_key[future.key] = shard
                    finished.add(future)
                    running += 1
                yield from deliver()
                while running and running + len(ready) >= self._window():
                    collect()
                    yield from deliver()
            while running:
                collect()
                yield from deliver()
        finally:
            if by_key:
                client.cancel(list(finished.futures), force=True)
                finished.clear()
