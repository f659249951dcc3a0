"""How well and how fast newsgraph reads real web pages.

Reads every page of the two HTML test sets in ../shared/data/html with newsgraph's
HTML reader (the same code ``newsgraph read`` runs) and prints, per set:

- the mean token F1 of the extracted text against the set's expected text
  (target: >= 0.90). Tokens are the lower-cased words (``\\w+``) of each text, as a
  multiset: F1 = 2PR/(P+R) with P the share of extracted tokens that are in the
  expected text and R the share of expected tokens extracted;
- title and date accuracy where the index has them (readability: title for every
  page, date for 13): a title is right when it equals the expected one after case
  and whitespace are folded; a date when the day is the same;
- pages/s (reading and extraction only; best of ``--rounds``), and the worst pages.

It also reads the feed fixtures of ../shared/data/feeds and prints entries/s.

    .venv/bin/python benchmarks/ingest.py            # both HTML sets and the feeds
    .venv/bin/python benchmarks/ingest.py --worst 10 # list the 10 lowest-F1 pages

Skips (exit status 0) when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from newsgraph.errors import ErrorReport, InputError
from newsgraph.ingest import read_articles
from newsgraph.ingest.html import parse_html

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SETS = ("readability", "scrapinghub")
_WORD = re.compile(r"\w+")


def token_f1(predicted: str, expected: str) -> float:
    """Bag-of-words F1 between two texts (lower-cased ``\\w+`` tokens, with counts)."""
    got, want = Counter(_WORD.findall(predicted.lower())), Counter(_WORD.findall(expected.lower()))
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _fold(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


@dataclass
class SetResult:
    name: str
    pages: int
    f1: list[tuple[float, str]]
    titles: tuple[int, int]
    dates: tuple[int, int]
    failures: list[str]
    seconds: float


def measure_set(name: str, rounds: int) -> SetResult:
    folder = DATA / "html" / name
    rows = [json.loads(line) for line in (folder / "index.jsonl").open(encoding="utf-8")]
    pages = []
    for row in rows:
        path = folder / row["html"]
        data = path.read_bytes()
        pages.append((row, gzip.decompress(data) if path.suffix == ".gz" else data))
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        results = []
        for row, data in pages:
            try:
                results.append(parse_html(data, source=row["html"], article_id=None,
                                          url=row.get("url")))
            except InputError as exc:
                results.append(exc)
        best = min(best, time.perf_counter() - started)
    f1, failures = [], []
    titles = dates = titled = dated = 0
    for (row, _), article in zip(pages, results, strict=True):
        label = row.get("case") or row["id"][:12]
        if isinstance(article, InputError):
            failures.append(f"{label}: {article.reason}")
            f1.append((0.0, label))
            continue
        f1.append((token_f1(article.text, row["expected_text"]), label))
        if row.get("title"):
            titled += 1
            titles += _fold(article.title) == _fold(row["title"])
        if row.get("published_time"):
            dated += 1
            dates += article.date == row["published_time"][:10]
    return SetResult(name, len(pages), f1, (titles, titled), (dates, dated), failures, best)


def measure_feeds() -> tuple[int, int, int, float]:
    files = sorted(p for p in (DATA / "feeds").rglob("*")
                   if p.is_file() and p.suffix in {".xml", ".rss", ".atom", ".json"}
                   and "output" not in p.parts)
    report = ErrorReport("skip")
    started = time.perf_counter()
    entries = sum(1 for _ in read_articles(files, report=report))
    return len(files), entries, len(report.failures), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="time each set this often")
    parser.add_argument("--worst", type=int, default=3, help="list this many worst pages")
    args = parser.parse_args(argv)
    if not (DATA / "html").is_dir():
        print(f"skipped: {DATA / 'html'} not found (../shared/data is not beside the repository)")
        return 0
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    all_f1: list[float] = []
    total_pages = total_seconds = 0.0
    for name in SETS:
        result = measure_set(name, args.rounds)
        scores = [score for score, _ in result.f1]
        all_f1 += scores
        total_pages += result.pages
        total_seconds += result.seconds
        line = (f"{name}: {result.pages} pages, token F1 {sum(scores) / len(scores):.3f}, "
                f"{result.pages / result.seconds:.1f} pages/s")
        if result.titles[1]:
            line += f", title {result.titles[0]}/{result.titles[1]}"
        if result.dates[1]:
            line += f", date {result.dates[0]}/{result.dates[1]}"
        print(line)
        for score, label in sorted(result.f1)[: args.worst]:
            print(f"    {score:.3f} {label}")
        for failure in result.failures:
            print(f"    failed: {failure}")
    print(f"all: {int(total_pages)} pages, token F1 {sum(all_f1) / len(all_f1):.3f}, "
          f"{total_pages / total_seconds:.1f} pages/s (target F1 >= 0.90)")
    if (DATA / "feeds").is_dir():
        files, entries, failed, seconds = measure_feeds()
        print(f"feeds: {files} files, {entries} entries read, {failed} failures, "
              f"{entries / seconds:.0f} entries/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
