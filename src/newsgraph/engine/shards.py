"""Shards: runs of consecutive articles that are parsed and extracted as one unit.

A shard is the unit of work of a Dask build and of resumption: its key is a hash of
everything its result depends on — the articles (every field, text included), the
pipeline, the extractors, the record schema — so a shard file found in a work dir
under that key holds exactly what parsing the shard again would give. Re-running a
build after a crash reads the input again (cheap next to parsing it), cuts the same
shards, and parses only those whose file is missing.

>>> from newsgraph.models import Article
>>> shards = list(plan_shards([Article(id=str(i), text="x y") for i in range(5)], size=2,
...                           salt="s"))
>>> [(s.index, len(s.articles), s.words) for s in shards]
[(0, 2, 4), (1, 2, 4), (2, 1, 2)]
>>> shards[0].key != shards[1].key
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from ..errors import NewsGraphError
from ..extract import ExtractorSpec, extract_relations
from ..models import Article, Extraction
from ..nlp import annotate
from .records import RecordError, ShardRecords, decode, encode, schema_digest

logger = logging.getLogger(__name__)

DEFAULT_SHARD_SIZE = 64
"""Articles per shard: about 5 s of parsing for the default model, so a crash loses
little, and the last shards of a build keep every worker busy; the per-shard cost (a
task, a file) is a few milliseconds."""


@dataclass(kw_only=True, slots=True)
class Shard:
    """One run of articles, numbered in input order.

    ``articles`` is emptied once the shard is handed to a worker (the driver keeps
    no text); ``sources`` keeps where each article came from and its word count, for
    the report of an article the worker could not parse. ``done`` is set when a
    work dir already holds the shard's result.
    """

    index: int
    key: str
    articles: list[Article] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)
    size: int = 0
    words: int = 0
    done: Path | None = None


def build_salt(*, model: str, model_version: str, extractors: Iterable[ExtractorSpec]) -> str:
    """What a shard's result depends on besides its articles (part of every key)."""
    from .. import __version__

    names = ",".join(f"{spec.name}@{spec.version}" for spec in extractors)
    return f"newsgraph {__version__}|{model} {model_version}|{names}|{schema_digest()}"


def plan_shards(articles: Iterable[Article], *, size: int, salt: str) -> Iterator[Shard]:
    """Cut the article stream into shards of ``size`` articles, each keyed by its content.

    Streaming: one shard is held at a time.
    """
    index = 0
    batch: list[Article] = []
    sources: list[tuple[str, int]] = []
    digest = hashlib.sha256(salt.encode())
    words = 0
    for article in articles:
        batch.append(article)
        count = len(article.full_text.split())
        sources.append((article.path or article.id, count))
        words += count
        for value in dataclasses.astuple(article):
            digest.update(b"\x1f" + (b"\x00" if value is None else str(value).encode()))
        digest.update(b"\x1e")
        if len(batch) == size:
            yield Shard(index=index, key=digest.hexdigest()[:32], articles=batch,
                        sources=sources, size=size, words=words)
            index, batch, sources, words = index + 1, [], [], 0
            digest = hashlib.sha256(salt.encode())
    if batch:
        yield Shard(index=index, key=digest.hexdigest()[:32], articles=batch, sources=sources,
                    size=len(batch), words=words)


class WorkDir:
    """A directory of finished shards, one gzipped msgpack file per shard key.

    Files are written to a temporary name, flushed to disk and renamed, so a file
    under a shard's name is always complete: a crash leaves at most a hidden
    temporary file, which no run reads.

    Raises:
        NewsGraphError: the directory cannot be created.
    """

    SUFFIX = ".msgpack.gz"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()
        self._shards = self.path / "shards"
        try:
            self._shards.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NewsGraphError(f"{self.path}: cannot create the work dir "
                                 f"({exc.strerror or exc})") from exc

    def file_for(self, key: str) -> Path:
        """Where the shard with this key is kept."""
        return self._shards / f"{key}{self.SUFFIX}"

    def find(self, key: str) -> Path | None:
        """The file of a finished shard, if there is a readable one."""
        path = self.file_for(key)
        try:
            decode(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, RecordError) as exc:
            logger.warning("%s: unreadable shard file (%s); parsing the shard again", path, exc)
            return None
        return path

    def save(self, key: str, data: bytes) -> Path:
        """Keep a finished shard's bytes (atomically)."""
        path = self.file_for(key)
        fd, tmp = tempfile.mkstemp(dir=self._shards, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def __len__(self) -> int:
        return sum(1 for _ in self._shards.glob(f"*{self.SUFFIX}"))


def run_shard(
    articles: Sequence[Article],
    nlp: Language,
    extractors: Sequence[ExtractorSpec],
    *,
    batch_size: int = 32,
) -> ShardRecords:
    """Parse and extract one shard where the pipeline lives (a worker, or this process).

    An article the pipeline cannot take — longer than its ``max_length``, or one that
    makes it raise — becomes a ``(source, reason)`` failure, reported by the driver
    like any unreadable input; the shard's other articles are still extracted.
    """
    out = ShardRecords()
    todo: list[Article] = []
    for article in articles:
        if len(article.full_text) > nlp.max_length:
            out.failures.append((article.path or article.id,
                                 f"text too long ({len(article.full_text)} characters; "
                                 f"the limit is {nlp.max_length})"))
        else:
            todo.append(article)
    try:
        out.extractions = [extract_relations(doc, article, extractors=extractors)
                           for doc, article in annotate(todo, nlp, batch_size=batch_size)]
    except Exception:
        # One article broke the batch: parse them one by one to find it.
        logger.debug("a batch failed; parsing its articles one by one", exc_info=True)
        out.extractions = []
        for article in todo:
            extraction = _one(article, nlp, extractors, out.failures)
            if extraction is not None:
                out.extractions.append(extraction)
    return out


def _one(article: Article, nlp: Language, extractors: Sequence[ExtractorSpec],
         failures: list[tuple[str, str]]) -> Extraction | None:
    try:
        ((doc, _),) = annotate([article], nlp, batch_size=1)
        return extract_relations(doc, article, extractors=extractors)
    except Exception as exc:
        failures.append((article.path or article.id,
                         f"could not be parsed ({type(exc).__name__}: {exc})"))
        return None


def shard_bytes(articles: Sequence[Article], nlp: Language, extractors: Sequence[ExtractorSpec],
                *, batch_size: int = 32) -> bytes:
    """:func:`run_shard`, encoded for the wire and the work dir."""
    result = run_shard(articles, nlp, extractors, batch_size=batch_size)
    return encode(result.extractions, result.failures)
