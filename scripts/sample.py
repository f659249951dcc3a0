"""Write a seeded random sample of a corpus as JSONL, for reading a fresh build.

The corpora under ../shared/data/corpora may not be copied into the repository, so the
sample goes wherever ``-o`` says (outside the checkout):

    .venv/bin/python scripts/sample.py bbc --section business -n 100 --seed 15 -o /tmp/bbc.jsonl
    .venv/bin/newsgraph build /tmp/bbc.jsonl -o /tmp/bbc.ttl --html /tmp/bbc.html

Skips (exit 0) when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "corpora"
CORPORA = {"bbc": "bbc-news-2225.jsonl.gz", "reuters": "reuters21578.jsonl.gz"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", choices=sorted(CORPORA))
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--section", help="only articles of this section (BBC: business, tech …)")
    ap.add_argument("--min-words", type=int, default=50, help="skip shorter texts")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    path = DATA / CORPORA[a.corpus]
    if not path.is_file():
        print(f"skipped: {path} is absent")
        return 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows = [r for r in rows if (a.section is None or r.get("section") == a.section)
            and len(r.get("text", "").split()) >= a.min_words]
    chosen = random.Random(a.seed).sample(rows, min(a.n, len(rows)))
    with open(a.output, "w", encoding="utf-8") as out:
        for row in chosen:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} of {len(rows)} articles -> {a.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
