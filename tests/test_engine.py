"""Shards and their records (newsgraph.engine), and resumable one-process builds."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import spacy
from paths import SEEDS, SMALL_MODEL
from spacy.language import Language
from spacy.tokens import Doc

import newsgraph
from newsgraph.engine.records import RecordError, decode, encode, schema_digest
from newsgraph.engine.shards import WorkDir, plan_shards, run_shard
from newsgraph.errors import ErrorReport
from newsgraph.extract import DEFAULT_EXTRACTORS, get_extractors
from newsgraph.models import Article, Extraction, Mention, Relation

APPLE = Mention(article_id="a", text="Apple", start=0, end=5, label="Organization",
                ner_label="ORG", votes=(("Organization", 1.5), ("Person", 0.25)),
                cluster=0, aliases=("Apple Inc",))
SAMSUNG = Mention(article_id="a", text="Samsung", start=11, end=18, label="Organization")
ONLY_IN_RELATION = Mention(article_id="a", text="Seoul", start=30, end=35, label="Place")


def _extraction() -> Extraction:
    return Extraction(
        article=Article(id="a", text="Apple sued Samsung.", title="Suit", date="2019-01-02",
                        url="https://example.com/a", author="Jane Roe", path="in.jsonl:1"),
        mentions=(APPLE, SAMSUNG),
        relations=(
            Relation(subject=APPLE, predicate="sued", object=SAMSUNG,
                     evidence="Apple sued Samsung.", confidence=0.8712345678901234,
                     extractor="verb-frames"),
            Relation(subject=SAMSUNG, predicate="basedIn", object=ONLY_IN_RELATION,
                     evidence="Samsung of Seoul", confidence=0.5, extractor="modifiers",
                     negated=True),
        ))


def test_records_round_trip_every_field_but_the_text() -> None:
    original = _extraction()
    shard = decode(encode([original, original], failures=[("x.txt", "text too long")]))
    expected = Extraction(article=Article(**{**_fields(original.article), "text": ""}),
                          mentions=original.mentions, relations=original.relations)
    assert shard.extractions == [expected, expected]
    assert shard.failures == [("x.txt", "text too long")]
    # frozen records stay hashable (tuples, not msgpack's lists)
    assert hash(shard.extractions[0].mentions[0]) == hash(APPLE)
    # a relation's mentions are the article's mention objects, not copies
    decoded = shard.extractions[0]
    assert decoded.relations[0].subject is decoded.mentions[0]


def _fields(article: Article) -> dict:
    return {name: getattr(article, name) for name in article.__dataclass_fields__}


def test_records_are_compact() -> None:
    extraction = _extraction()
    data = encode([extraction] * 100)
    assert len(data) < 2_000  # the same records compress to almost nothing
    assert len(gzip.decompress(data)) < 100 * 420


@pytest.mark.parametrize("data", [b"", b"not gzip", gzip.compress(b"\x93\x01\x02\x03"),
                                  gzip.compress(b"\x81\xa6format\x09")])
def test_decode_refuses_what_it_did_not_write(data: bytes) -> None:
    with pytest.raises(RecordError):
        decode(data)


def test_shard_keys_follow_the_content_and_the_build() -> None:
    articles = [Article(id=str(i), text=f"text {i}") for i in range(5)]
    keys = [s.key for s in plan_shards(articles, size=2, salt="a")]
    assert keys == [s.key for s in plan_shards(articles, size=2, salt="a")]
    assert len(set(keys)) == 3
    assert keys != [s.key for s in plan_shards(articles, size=2, salt="b")]
    # a change in the 4th article changes the 2nd shard only
    changed = [*articles[:3], Article(id="3", text="text 3", title="new"), articles[4]]
    changed_keys = [s.key for s in plan_shards(changed, size=2, salt="a")]
    assert changed_keys[0] == keys[0] and changed_keys[2] == keys[2]
    assert changed_keys[1] != keys[1]
    assert len(schema_digest()) == 16


def test_work_dir_keeps_complete_files_only(tmp_path: Path) -> None:
    work = WorkDir(tmp_path / "work")
    data = encode([_extraction()])
    assert work.find("k1") is None
    path = work.save("k1", data)
    assert work.find("k1") == path and path.read_bytes() == data
    work.file_for("k2").write_bytes(data[: len(data) // 2])  # a torn file (not ours)
    assert work.find("k2") is None
    assert not list((tmp_path / "work" / "shards").glob(".*"))  # no temporary file left
    assert len(work) == 2


@Language.component("test_explode")
def _explode(doc: Doc) -> Doc:
    if "BOOM" in doc.text:
        raise ValueError("cannot parse this")
    return doc


def test_run_shard_reports_an_article_it_cannot_parse_and_keeps_the_rest() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_explode")
    nlp.max_length = 100
    articles = [Article(id="ok1", text="Fine text."),
                Article(id="bad", text="It goes BOOM.", path="feed.jsonl:2"),
                Article(id="long", text="x " * 60, path="feed.jsonl:3"),
                Article(id="ok2", text="More fine text.")]
    result = run_shard(articles, nlp, get_extractors(DEFAULT_EXTRACTORS))
    assert [e.article.id for e in result.extractions] == ["ok1", "ok2"]
    assert result.failures == [
        ("feed.jsonl:3", "text too long (120 characters; the limit is 100)"),
        ("feed.jsonl:2", "could not be parsed (ValueError: cannot parse this)"),
    ]


def test_interrupted_build_with_a_work_dir_resumes_to_the_same_graph(tmp_path: Path) -> None:
    articles = [*newsgraph.read_articles([SEEDS]),
                Article(id="s1", text="Apple sued Samsung in California on Monday."),
                Article(id="s2", text="Xiaomi opened a store in Spain."),
                Article(id="s3", text="Fiserv will acquire First Data, the companies said.")]
    whole = newsgraph.build(articles, model=SMALL_MODEL)

    class Stop(Exception):
        pass

    def stop_after_two(progress: newsgraph.pipeline.Progress) -> None:
        if progress.done >= 2:
            raise Stop

    work = tmp_path / "work"
    with pytest.raises(Stop):
        newsgraph.build(articles, model=SMALL_MODEL, work_dir=work, shard_size=1,
                        progress=stop_after_two, count_total=False)
    assert len(WorkDir(work)) == 2
    resumed = newsgraph.build(articles, model=SMALL_MODEL, work_dir=work, shard_size=1)
    assert (resumed.stats.shards, resumed.stats.resumed) == (5, 2)
    assert set(resumed.graph.quads()) == set(whole.graph.quads())
    assert resumed.stats.articles == whole.stats.articles == 5
    assert resumed.stats.words == whole.stats.words
    again = newsgraph.build(articles, model=SMALL_MODEL, work_dir=work, shard_size=1)
    assert again.stats.resumed == 5
    assert set(again.graph.quads()) == set(whole.graph.quads())


def test_too_long_article_is_one_reported_failure_in_a_sharded_build(tmp_path: Path) -> None:
    long_text = "Apple sued Samsung. " * 60_000  # over spaCy's 1,000,000 characters
    articles = [Article(id="ok", text="Apple sued Samsung in California."),
                Article(id="long", text=long_text, path="dump.jsonl:2")]
    plain, sharded = ErrorReport("skip"), ErrorReport("skip")
    one = newsgraph.build(articles, model=SMALL_MODEL, report=plain)
    two = newsgraph.build(articles, model=SMALL_MODEL, report=sharded, work_dir=tmp_path)
    assert [str(f) for f in sharded.failures] == [str(f) for f in plain.failures] == [
        f"dump.jsonl:2: text too long ({len(long_text)} characters; the limit is 1000000)"]
    assert (two.stats.articles, two.stats.words) == (one.stats.articles, one.stats.words)
    assert set(two.graph.quads()) == set(one.graph.quads())


def test_processes_do_not_mix_with_shards(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="processes"):
        newsgraph.build(["Apple sued Samsung."], processes=2, work_dir=tmp_path)
