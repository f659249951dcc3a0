"""Read each article once: the same URL, the same text, or a near copy of the text.

A pile of news has the same story many times: a page saved twice, a feed read
every day, a wire story syndicated by twenty outlets with a different dateline,
a corrected word, another footer. Parsed twice, it would count its facts twice as
evidence. The first copy read is kept; later ones are noted in the report
(``kind="duplicate"``) with the copy they repeat.

Three tests, cheapest first:

1. **same URL**, after normalisation (scheme, ``www.``, trailing slash, fragment
   and tracking parameters such as ``utm_*`` do not count);
2. **same text**, after case, punctuation and whitespace are folded (title and
   text, for a text shorter than :data:`MIN_WORDS_NEAR` words);
3. **near copy**: MinHash over word 5-grams with LSH banding finds candidates in
   constant time per article; a candidate is a copy when the estimated Jaccard
   similarity of the two texts' 5-grams is at least :data:`NEAR_DUPLICATE`. Texts
   shorter than :data:`MIN_WORDS_NEAR` words are only compared exactly: two
   one-sentence items that differ in a word are different facts.

Memory grows by about 1 KB per distinct article (its signature and index keys).

>>> from newsgraph.errors import ErrorReport
>>> report = ErrorReport("skip")
>>> a = Article(id="a", text="Fiserv will buy First Data.", url="https://www.x.com/a?utm_source=rss")
>>> b = Article(id="b", text="Other text.", url="http://x.com/a/")
>>> [x.id for x in drop_duplicates([a, b], report)], report.skipped[0].reason
(['a'], 'duplicate of a (same URL)')
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from ..errors import ErrorReport, Skipped
from ..models import Article

logger = logging.getLogger(__name__)

NEAR_DUPLICATE = 0.8
"""Estimated 5-gram Jaccard similarity from which a text is a copy of another."""

MIN_WORDS_NEAR = 40
"""Texts shorter than this (in words) are compared exactly only."""

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 8  # of PERMUTATIONS // BANDS rows: P(candidate) ~ 0.99 at similarity 0.9
_PRIME = np.uint64((1 << 31) - 1)
_BASE = np.uint64(1_000_003)
_rng = np.random.default_rng(20190524)  # fixed: signatures must agree across runs
_A = _rng.integers(1, int(_PRIME), PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, int(_PRIME), PERMUTATIONS, dtype=np.uint64)
_TOKEN = re.compile(r"\w+")
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|src|rss)$",
                       re.IGNORECASE)


class Deduplicator:
    """Remembers what was read, and tells whether an article repeats it."""

    def __init__(self) -> None:
        self._urls: dict[str, str] = {}
        self._texts: dict[bytes, str] = {}
        self._bands: dict[tuple[int, bytes], int] = {}
        self._signatures: list[np.ndarray] = []
        self._names: list[str] = []

    def check(self, article: Article) -> str | None:
        """Return why ``article`` repeats one seen before, or None (and remember it)."""
        name = article.path or article.id
        url = normalise_url(article.url) if article.url else None
        if url is not None and url in self._urls:
            return f"duplicate of {self._urls[url]} (same URL)"
        tokens = _TOKEN.findall(article.text.casefold())
        # A short text ("Comments", one sentence) says too little alone: the title
        # is part of what makes it this article.
        key = tokens if len(tokens) >= MIN_WORDS_NEAR else _TOKEN.findall(
            article.full_text.casefold())
        digest = hashlib.sha1(" ".join(key).encode("utf-8")).digest()
        if digest in self._texts:
            return f"duplicate of {self._texts[digest]} (same text)"
        signature = minhash(tokens) if len(tokens) >= MIN_WORDS_NEAR else None
        if signature is not None:
            near = self._near(signature)
            if near is not None:
                index, similarity = near
                return (f"duplicate of {self._names[index]} (near-identical text, "
                        f"{similarity:.0%} alike)")
        if url is not None:
            self._urls[url] = name
        self._texts[digest] = name
        if signature is not None:
            self._remember(signature, name)
        return None

    def _near(self, signature: np.ndarray) -> tuple[int, float] | None:
        best: tuple[int, float] | None = None
        for key in _band_keys(signature):
            index = self._bands.get(key)
            if index is None:
                continue
            similarity = float(np.mean(self._signatures[index] == signature))
            if similarity >= NEAR_DUPLICATE and (best is None or similarity > best[1]):
                best = (index, similarity)
        return best

    def _remember(self, signature: np.ndarray, name: str) -> None:
        index = len(self._signatures)
        self._signatures.append(signature)
        self._names.append(name)
        for key in _band_keys(signature):
            self._bands.setdefault(key, index)


def drop_duplicates(articles: Iterable[Article], report: ErrorReport) -> Iterator[Article]:
    """Yield each article unless it repeats an earlier one; note the repeats in ``report``."""
    seen = Deduplicator()
    for article in articles:
        reason = seen.check(article)
        if reason is None:
            yield article
        else:
            report.skip(Skipped(source=article.path or article.id, kind="duplicate",
                                reason=reason))


def minhash(tokens: list[str]) -> np.ndarray:
    """The MinHash signature (``PERMUTATIONS`` uint32 values) of the text's word 5-grams.

    Each word is hashed once; a 5-gram's hash is a polynomial of its words' hashes,
    computed for all 5-grams at once (arithmetic wraps modulo 2**64), so no 5-gram
    string is ever built.
    """
    words = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64,
                        count=len(tokens))
    count = len(words) - SHINGLE + 1
    shingles = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        shingles = shingles * _BASE + words[offset : offset + count]
    hashes = np.unique(shingles) % _PRIME
    values = (_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME
    return values.min(axis=1).astype(np.uint32)


def normalise_url(url: str) -> str:
    """The URL with what does not change the page removed.

    >>> normalise_url("HTTPS://www.Example.com/news/a/?utm_source=rss&id=7#top")
    'example.com/news/a?id=7'
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    return urlunsplit(("", host, parts.path.rstrip("/"), query, "")).lstrip("/")


def _band_keys(signature: np.ndarray) -> Iterator[tuple[int, bytes]]:
    rows = PERMUTATIONS // BANDS
    for band in range(BANDS):
        yield band, signature[band * rows : (band + 1) * rows].tobytes()
