"""Tests for newsgraph.ingest: readers, the registry, and read_articles."""

from __future__ import annotations

import gzip
import inspect
import io
import itertools
import json
import logging
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgraph.errors import ErrorReport, InputError
from newsgraph.ingest import (
    ReadOptions,
    is_article_text,
    parse_date,
    read_articles,
    reader_for,
    readers,
    register_reader,
    stable_id,
)
from newsgraph.ingest import jsonl as jsonl_module
from newsgraph.ingest.jsonl import iter_jsonl
from newsgraph.ingest.registry import unregister_reader
from newsgraph.ingest.text import TextParts, parse_byline, parse_plain_text
from newsgraph.models import Article

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "examples" / "articles"
SEED_000 = SEEDS / "000_61b824737333c4b0.txt"
SEED_001 = SEEDS / "001_4ff7d883ba893956.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
MIXED_JSONL = FIXTURES / "mixed.jsonl"

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def read_all(*inputs: object, policy: str = "skip") -> tuple[list[Article], ErrorReport]:
    """Read ``inputs`` fully; return the articles and the report of failures."""
    report = ErrorReport(policy)  # type: ignore[arg-type]
    return list(read_articles(inputs, report=report)), report  # type: ignore[arg-type]


def failures(report: ErrorReport) -> list[tuple[str, str]]:
    return [(err.source, err.reason) for err in report.failures]


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def jsonl_bytes(*records: object) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


# --- the seed articles -------------------------------------------------------------


@pytest.mark.parametrize(
    "path, field, expected",
    [
        (SEED_000, "id", "000_61b824737333c4b0"),
        (SEED_000, "date", "2019-05-24"),
        (SEED_000, "title", "Xiaomi working ‘very, very carefully’ to enter US market: CNBC"),
        (SEED_000, "author", None),
        (SEED_001, "id", "001_4ff7d883ba893956"),
        (SEED_001, "author", "Bayan Temur"),
        (SEED_001, "date", "2017-03-08"),
        (
            SEED_001,
            "title",
            "Xiaomi is in no rush to expand internationally and will expand into the "
            "overseas markets gradually",
        ),
    ],
)
def test_seed_header_fields(path: Path, field: str, expected: str | None) -> None:
    (article,) = read_articles([path])
    assert getattr(article, field) == expected


def test_seed_000_body() -> None:
    (article,) = read_articles([SEED_000])
    caption = "Chinese smartphone manufacturer Xiaomi is building its “resources”"
    assert article.text.startswith(caption)
    assert article.text.count(caption) == 1  # the doubled caption is kept once
    assert "24 May 2019" not in article.text
    assert article.title is not None and article.title not in article.text
    assert article.full_text.startswith(article.title)
    assert "memorandum of understanding with Microsoft" in article.text
    assert article.path == str(SEED_000)


def test_seed_001_byline_removed() -> None:
    (article,) = read_articles([SEED_001])
    assert "by Bayan Temur" not in article.text
    assert "Bayan Temur" not in article.text
    assert article.text.startswith("I waited updates intentions Xiaomi US market.")
    assert "\n\n\n" not in article.text  # removing lines leaves no doubled gaps


# --- plain-text header rules ---------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        pytest.param(
            "24 May 2019\nHeadline here\n\nBody one.",
            TextParts(text="Body one.", title="Headline here", date="2019-05-24"),
            id="date-dmy",
        ),
        pytest.param(
            "May 24, 2019\n\nHeadline here\n\nBody one.",
            TextParts(text="Body one.", title="Headline here", date="2019-05-24"),
            id="date-mdy",
        ),
        pytest.param(
            "2019-05-24\nHeadline here\nBody one.",
            TextParts(text="Body one.", title="Headline here", date="2019-05-24"),
            id="date-iso",
        ),
        pytest.param(
            "Headline here\n24 May 2019\n\nBody one.",
            TextParts(text="Body one.", title="Headline here", date="2019-05-24"),
            id="date-under-headline",
        ),
        pytest.param(
            "Xiaomi opened a store. It sells phones.\n\nMore text.",
            TextParts(text="Xiaomi opened a store. It sells phones.\n\nMore text."),
            id="first-line-is-a-sentence",
        ),
        pytest.param(
            "“We like the US market,” he said.\n\nMore text.",
            TextParts(text="“We like the US market,” he said.\n\nMore text."),
            id="period-inside-closing-quote",
        ),
        pytest.param(
            "A" * 200 + "\n\nMore text.",
            TextParts(text="A" * 200 + "\n\nMore text."),
            id="first-line-too-long",
        ),
        pytest.param(
            "Xiaomi signed an MoU with Microsoft",
            TextParts(text="Xiaomi signed an MoU with Microsoft"),
            id="lone-line-is-text",
        ),
        pytest.param(
            "Lei Jun on stage. Photo: Reuters\nLei Jun on stage. Photo: Reuters\n\n"
            "Headline here\n\nBody one.",
            TextParts(text="Lei Jun on stage. Photo: Reuters\n\nBody one.", title="Headline here"),
            id="doubled-caption",
        ),
        pytest.param(
            "A new phone (Photo credit should read STR/AFP/Getty Images)\nHeadline here\nBody.",
            TextParts(
                text="A new phone (Photo credit should read STR/AFP/Getty Images)\nBody.",
                title="Headline here",
            ),
            id="photo-credit-caption",
        ),
        pytest.param(
            "The new store in Madrid. Image: Xiaomi\n\nHeadline here\n\nBody.",
            TextParts(
                text="The new store in Madrid. Image: Xiaomi\n\nBody.", title="Headline here"
            ),
            id="image-caption",
        ),
        pytest.param(
            "Headline here\n\nBy Jonathan Stempel\n\nNEW YORK (Reuters) - Body.",
            TextParts(
                text="NEW YORK (Reuters) - Body.", title="Headline here", author="Jonathan Stempel"
            ),
            id="byline-author",
        ),
        pytest.param(
            "Headline here\n\nBody one.\n\nby Bayan Temur - date 8 Mar 2017\n\nBio.",
            TextParts(
                text="Body one.\n\nBio.",
                title="Headline here",
                date="2017-03-08",
                author="Bayan Temur",
            ),
            id="byline-date-used",
        ),
        pytest.param(
            "24 May 2019\nHeadline here\n\nBody.\n\nby Bayan Temur - date 8 Mar 2017",
            TextParts(text="Body.", title="Headline here", date="2019-05-24", author="Bayan Temur"),
            id="header-date-wins-over-byline",
        ),
        pytest.param(
            "Headline here\n\nBy the end of 2018 Xiaomi had grown\n\nBody.",
            TextParts(text="By the end of 2018 Xiaomi had grown\n\nBody.", title="Headline here"),
            id="by-sentence-is-not-a-byline",
        ),
        pytest.param(
            "Headline here\n\nSame line\nSame line\n\nBody.",
            TextParts(text="Same line\n\nBody.", title="Headline here"),
            id="repeat-in-body-kept-once",
        ),
    ],
)
def test_parse_plain_text(raw: str, expected: TextParts) -> None:
    assert parse_plain_text(raw) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("24 May 2019", "2019-05-24"),
        ("May 24, 2019", "2019-05-24"),
        ("2019-05-24", "2019-05-24"),
        ("24 May, 2019", "2019-05-24"),
        ("Friday, 24 May 2019", "2019-05-24"),
        ("Sept. 3rd, 2018", "2018-09-03"),
        ("2019-05-24T10:30:00Z", "2019-05-24"),
        ("2019-05-24T10:30:00+02:00", "2019-05-24"),
        ("Fri, 24 May 2019 10:30:00 GMT", "2019-05-24"),
        ("  24   May 2019 ", "2019-05-24"),
        ("", None),
        ("Monday", None),
        ("sometime in spring", None),
        ("05/06/2019", None),  # day-first or month-first? not guessed
        ("Fiserv to Buy First Data for $22 Billion", None),
        ("Xiaomi Mi 9 launched on 24 Feb", None),
        ("31 February 2019", None),
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("by Bayan Temur - date 8 Mar 2017", ("Bayan Temur", "2017-03-08")),
        ("By Jonathan Stempel", ("Jonathan Stempel", None)),
        ("BY Jonathan Stempel | May 24, 2019", ("Jonathan Stempel", "2019-05-24")),
        ("By Jonathan Stempel, May 24, 2019", ("Jonathan Stempel", "2019-05-24")),
        ("By Jonathan Stempel, Reuters", ("Jonathan Stempel, Reuters", None)),
        ("By Ann One and Bob Two", ("Ann One and Bob Two", None)),
        ("By Ursula von der Leyen", ("Ursula von der Leyen", None)),
        ("By the end of the year", None),
        ("By 2020 Xiaomi will lead", None),
        ("by Bayan Temur - not a date at all", None),
        ("Bylines are fun", None),
    ],
)
def test_parse_byline(line: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_byline(line) == expected


def test_text_file_bom_and_crlf(tmp_path: Path) -> None:
    path = write(tmp_path / "win.txt", "\ufeffHeadline here\r\n\r\nLine one.\r\nLine two.\r")
    (article,) = read_articles([path])
    assert article == Article(
        id="win",
        title="Headline here",
        text="Line one.\nLine two.",
        path=str(path),
    )


# --- JSONL -----------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines() -> None:
    articles, report = read_all(MIXED_JSONL)
    src = str(MIXED_JSONL)
    assert failures(report) == [
        (f"{src}:2", "invalid JSON (Expecting ',' delimiter, column 33)"),
        (f"{src}:4", "no 'text' field"),
        (f"{src}:5", "not a JSON object (got array)"),
    ]
    assert articles == [
        Article(
            id="yf-1",
            title="Fiserv to Buy First Data",
            date="2019-01-16",
            url="https://example.com/fiserv",
            source="example.com",
            author="Jane Doe",
            text="Fiserv will acquire First Data.",
            path=f"{src}:1",
        ),
        Article(
            id="42",  # non-string values are coerced
            text="Altria takes a stake in Juul.",
            date="2019-05-24",
            language="en",
            author="Ann One, Bob Two",
            path=f"{src}:6",
        ),
        Article(
            id=stable_id("Qualcomm sued Apple."),
            text="Qualcomm sued Apple.",
            date=None,  # not understood: dropped, not kept raw
            path=f"{src}:7",
        ),
    ]


@pytest.mark.parametrize(
    "line, reason",
    [
        (
            b'{"text": "a", }',
            "invalid JSON (Expecting property name enclosed in double quotes, column 15)",
        ),
        (b'{"text": ""}', "empty 'text' field"),
        (b'{"text": null}', "no 'text' field"),
        (b'"just a string"', "not a JSON object (got string)"),
        (b"42", "not a JSON object (got number)"),
        (b"null", "not a JSON object (got null)"),
        (
            b'{"text": "\x81\x8d"}',  # bytes no encoding of a JSON line decodes
            "undecodable text (byte 0x81 at offset 26 is not UTF-8, and no other encoding fits)",
        ),
    ],
)
def test_jsonl_bad_line_reasons(tmp_path: Path, line: bytes, reason: str) -> None:
    path = write(tmp_path / "a.jsonl", b'{"text": "ok."}\n' + line + b"\n")  # line 1: 16 bytes
    articles, report = read_all(path)
    assert [a.text for a in articles] == ["ok."]
    assert failures(report) == [(f"{path}:2", reason)]


@pytest.mark.parametrize(
    "record, field, expected",
    [
        ({"text": "x.", "language": "de"}, "language", "de"),
        ({"text": "x.", "lang": "fr"}, "language", "fr"),
        ({"text": "x.", "date": "24 May 2019"}, "date", "2019-05-24"),
        ({"text": "x.", "date": 20190524}, "date", "2019-05-24"),
        ({"text": "x.", "title": 7}, "title", "7"),
        ({"text": "x.", "id": ""}, "id", stable_id("x.")),
        ({"text": ["Para one.", "Para two."]}, "text", "Para one.\n\nPara two."),
        ({"text": "a\r\nb"}, "text", "a\nb"),
        ({"text": "x.", "author": None}, "author", None),
    ],
)
def test_jsonl_fields(tmp_path: Path, record: dict, field: str, expected: str | None) -> None:
    (article,) = read_articles([write(tmp_path / "a.jsonl", jsonl_bytes(record))])
    assert getattr(article, field) == expected


def test_jsonl_default_id_is_stable(tmp_path: Path) -> None:
    one = write(tmp_path / "one.jsonl", jsonl_bytes({"text": "Same text."}))
    two = write(tmp_path / "two.ndjson", jsonl_bytes({"title": "other", "text": "Same text."}))
    ids = {a.id for a in read_articles([one, two])}
    assert ids == {stable_id("Same text.")}
    assert next(iter(ids)).startswith("txt-")


@pytest.mark.parametrize("name", ["a.jsonl.gz", "a.ndjson.gz", "A.JSONL.GZ"])
def test_jsonl_gzip(tmp_path: Path, name: str) -> None:
    data = jsonl_bytes({"id": "g1", "text": "Gzipped one."}, {"id": "g2", "text": "Two."})
    path = write(tmp_path / name, gzip.compress(b"\xef\xbb\xbf" + data))
    assert [a.id for a in read_articles([path])] == ["g1", "g2"]


TRUNCATED_GZ = gzip.compress(jsonl_bytes(*({"id": f"t{i}", "text": f"x{i}."} for i in range(9))))


@pytest.mark.parametrize(
    "data, read_before_failure, reason",
    [
        (b"this is not gzip at all", [], "not a gzip file"),
        (gzip.compress(b""), [], "empty file"),
        # streaming: what was decompressed before the cut (the trailer) is still read
        (TRUNCATED_GZ[:-8], [f"t{i}" for i in range(9)], "truncated compressed file"),
        (TRUNCATED_GZ[:12], [], "truncated compressed file"),
    ],
    ids=["not-gzip", "empty", "no-trailer", "cut-in-header"],
)
def test_jsonl_gzip_failures(
    tmp_path: Path, data: bytes, read_before_failure: list[str], reason: str
) -> None:
    bad = write(tmp_path / "bad.jsonl.gz", data)
    good = write(tmp_path / "good.jsonl", jsonl_bytes({"id": "ok", "text": "Fine."}))
    articles, report = read_all(bad, good)
    assert [a.id for a in articles] == [*read_before_failure, "ok"]
    assert failures(report) == [(str(bad), reason)]


# --- failures: one report entry each, the others still read --------------------------

GOOD_JSONL = jsonl_bytes({"id": "ok", "text": "Fine."})
GARBAGE = bytes(byte | 0x80 for byte in random.Random(0).randbytes(300))
"""High bytes at random: no encoding makes text of them."""


@pytest.mark.parametrize(
    "name, data, source_suffix, reason",
    [
        ("missing.txt", None, "", "no such file"),
        (
            "bom-latin1.txt",
            b"\xef\xbb\xbfcaf\xe9",
            "",
            "undecodable text (not utf-8 despite its byte-order mark: unexpected end of data)",
        ),
        (
            "garbage.txt",
            GARBAGE,
            "",
            "undecodable text (byte 0xac at offset 2 is not UTF-8, and no other encoding fits)",
        ),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", "binary file"),
        ("controls.txt", bytes(range(1, 32)) * 4, "", "binary file"),
        ("empty.txt", b"", "", "empty file"),
        ("blank.txt", b"  \n\n\t\n", "", "empty file"),
        ("only-date.txt", b"24 May 2019\n", "", "no article text"),
        ("empty.jsonl", b"", "", "empty file"),
        ("blank.jsonl", b"\n\n", "", "empty file"),
        ("binary.jsonl", b"\x00\x01\x02{}", "", "binary file"),
        (
            "syntax.jsonl",
            b'{"text": "a" "b"}\n',
            ":1",
            "invalid JSON (Expecting ',' delimiter, column 14)",
        ),
        ("notext.jsonl", b'\n\n{"title": "t"}\n', ":3", "no 'text' field"),
        ("list.jsonl", b"[1, 2]\n", ":1", "not a JSON object (got array)"),
        ("unknown.bin", b"\x00\x00\x00", "", "binary file"),
        ("unknown.log", b"\xff\xfe", "", "empty file"),  # a UTF-16 byte-order mark, no text
        ("page.html", b"", "", "empty file"),
        ("page.htm", b"\x00\x01\x02<html>", "", "binary file"),
        ("notes.html", b"just words, no markup at all", "", "not an HTML page (no markup found)"),
        ("menu.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "",
         "no article text found in the page"),
        ("empty.rss", b"  \n", "", "empty file"),
        ("cut.rss", b"<?xml version='1.0'?><rss version='2.0'><chan", "",
         "not a feed (malformed XML: line 1: unclosed token)"),
        ("none.rss", b"<rss version='2.0'><channel><title>x</title></channel></rss>", "",
         "feed has no entries"),
        ("sitemap.xml", b"<?xml version='1.0'?><urlset><url><loc>x</loc></url></urlset>", "",
         "not a feed (no RSS, RDF or Atom root element)"),
        ("broken.json", b'{"items": [', "", "invalid JSON (Expecting value, line 1 column 12)"),
        ("empty.csv", b"", "", "empty file"),
        ("nocol.csv", b"a,b\n1,2\n", "", "no text column (columns: a, b); name it with "
                                        "--text-column"),
        ("big.txt", b"x" * 2048, "", "too large (0.0 MB; the limit is 0.0 MB)"),
    ],
)
def test_each_failure_reported_once(
    tmp_path: Path, name: str, data: bytes | None, source_suffix: str, reason: str
) -> None:
    bad = tmp_path / name
    if data is not None:
        write(bad, data)
    before = write(tmp_path / "before.txt", "Xiaomi opened a store in Spain.")
    after = write(tmp_path / "after.jsonl", GOOD_JSONL)
    report = ErrorReport("skip")
    articles = list(read_articles([before, bad, after], report=report,
                                  options=ReadOptions(max_bytes=1024)))
    assert [a.id for a in articles] == ["before", "ok"]
    assert failures(report) == [(f"{bad}{source_suffix}", reason)]
    assert str(report.failures[0]).startswith(str(bad))


def test_explicit_unknown_suffix_read_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.log", "Headline here\n\nXiaomi met Microsoft.")
    (article,) = read_articles([path])
    assert (article.id, article.title, article.text) == (
        "notes",
        "Headline here",
        "Xiaomi met Microsoft.",
    )


@pytest.fixture
def deny(monkeypatch: pytest.MonkeyPatch):
    """Make opening (or listing) the given paths fail with PermissionError.

    Simulated because the tests may run as root, for whom chmod 000 changes nothing.
    """
    denied: set[Path] = set()
    real_open, real_scandir = Path.open, os.scandir

    def fake_open(self: Path, *args, **kwargs):
        if self in denied:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def fake_scandir(path="."):
        if Path(path) in denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    return denied


@pytest.mark.parametrize("name", ["locked.txt", "locked.jsonl"])
def test_permission_denied_file(tmp_path: Path, deny: set[Path], name: str) -> None:
    locked = write(tmp_path / "d" / name, GOOD_JSONL)
    write(tmp_path / "d" / "z.txt", "Still read.")
    deny.add(locked)
    for inputs in ([locked, tmp_path / "d" / "z.txt"], [tmp_path / "d"]):
        articles, report = read_all(*inputs)
        assert [a.id for a in articles] == ["z"]
        assert failures(report) == [(str(locked), "permission denied")]


def test_unreadable_directory(tmp_path: Path, deny: set[Path]) -> None:
    write(tmp_path / "a" / "one.txt", "One.")
    write(tmp_path / "b" / "hidden-from-us.txt", "Two.")
    write(tmp_path / "c" / "three.txt", "Three.")
    deny.add(tmp_path / "b")
    articles, report = read_all(tmp_path)
    assert [a.id for a in articles] == ["one", "three"]
    assert failures(report) == [(str(tmp_path / "b"), "permission denied")]


@pytest.mark.skipif(IS_ROOT or os.name != "posix", reason="root ignores file permissions")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.txt", "Secret.")
    locked_dir = tmp_path / "locked-dir"
    write(locked_dir / "x.txt", "Hidden.")
    write(tmp_path / "open.txt", "Open.")
    locked.chmod(0)
    locked_dir.chmod(0)
    try:
        articles, report = read_all(tmp_path)
    finally:
        locked.chmod(0o600)
        locked_dir.chmod(0o700)
    assert [a.id for a in articles] == ["open"]
    assert sorted(failures(report)) == [
        (str(locked), "permission denied"),
        (str(locked_dir), "permission denied"),
    ]


def test_raise_policy_stops_at_first_failure(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(InputError, match=r"missing\.txt: no such file"):
        read_all(missing, MIXED_JSONL, policy="raise")
    with pytest.raises(InputError, match=r"mixed\.jsonl:2: invalid JSON"):
        read_all(MIXED_JSONL, policy="raise")


def test_default_report_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="newsgraph"):
        assert list(read_articles([tmp_path / "nope.txt"])) == []
    assert [r.getMessage() for r in caplog.records] == [f"{tmp_path / 'nope.txt'}: no such file"]


# --- directories -----------------------------------------------------------------------


def test_directory_recursion(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write(tmp_path / "b.txt", "B text.")
    write(tmp_path / "a" / "z.md", "Z text.")
    write(tmp_path / "a" / "deeper" / "m.text", "M text.")
    write(tmp_path / "a" / "list.jsonl", jsonl_bytes({"id": "j1", "text": "J1."}))
    write(tmp_path / "c" / "feed.jsonl.gz", gzip.compress(jsonl_bytes({"id": "g", "text": "G."})))
    write(tmp_path / "c" / "photo.png", b"\x89PNG\x00")  # no reader claims .png
    write(tmp_path / "c" / "data.csv", "id,text\nc1,C1.\n")
    write(tmp_path / ".hidden.txt", "Hidden.")
    write(tmp_path / ".git" / "inside.txt", "Hidden dir.")
    write(tmp_path / "c" / ".cache" / "x.jsonl", b"not json\n")
    with caplog.at_level(logging.DEBUG, logger="newsgraph.ingest"):
        articles, report = read_all(tmp_path)
    assert [a.id for a in articles] == ["m", "j1", "z", "b", "c1", "g"]
    assert len(report) == 0
    assert any("photo.png" in r.getMessage() for r in caplog.records)


def test_directory_as_string_and_path_agree(tmp_path: Path) -> None:
    write(tmp_path / "x" / "one.txt", "One.")
    assert read_all(str(tmp_path / "x"))[0] == read_all(tmp_path / "x")[0]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_loop_read_once(tmp_path: Path) -> None:
    write(tmp_path / "d" / "one.txt", "One.")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    articles, report = read_all(tmp_path)
    assert [a.id for a in articles] == ["one"]
    assert len(report) == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_fifo_in_directory_skipped(tmp_path: Path) -> None:
    write(tmp_path / "one.txt", "One.")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever
    assert [a.id for a in read_all(tmp_path)[0]] == ["one"]


# --- what a string input means -------------------------------------------------------


@pytest.mark.parametrize(
    "value, is_text",
    [
        ("article.txt", False),
        ("dir/sub/feed.jsonl", False),
        ("", True),  # not a path: Path("") would be the current directory
        ("   ", True),
        ("Xiaomi signed an MoU with Microsoft.", True),
        ("Headline\nbody", True),
        ("Headline\r\nbody", True),
        ("Xiaomi\tMicrosoft", True),
    ],
)
def test_is_article_text(value: str, is_text: bool) -> None:
    assert is_article_text(value) is is_text


def test_string_with_space_naming_a_file_is_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "my article.txt", "Xiaomi met Microsoft.")
    monkeypatch.chdir(tmp_path)
    (article,) = read_articles(["my article.txt"])
    assert article.id == "my article"


def test_string_inputs(tmp_path: Path) -> None:
    path = write(tmp_path / "file.txt", "From a file.")
    text = "Xiaomi signed an MoU\r\nwith Microsoft.  "
    articles, report = read_all(text, str(path), "   \n ", "", str(tmp_path / "nope"))
    assert articles == [
        Article(
            id=stable_id("Xiaomi signed an MoU\nwith Microsoft."),
            text="Xiaomi signed an MoU\nwith Microsoft.",
        ),
        Article(id="file", text="From a file.", path=str(path)),
    ]
    assert failures(report) == [
        ("<text>", "empty text"),
        ("<text>", "empty text"),
        (str(tmp_path / "nope"), "no such file"),
    ]


def test_path_object_is_always_a_path(tmp_path: Path) -> None:
    _, report = read_all(Path("Xiaomi signed an MoU with Microsoft."))
    assert failures(report) == [("Xiaomi signed an MoU with Microsoft.", "no such file")]


def test_articles_pass_through_and_single_input() -> None:
    article = Article(id="a", text="Hi.")
    assert next(read_articles([article])) is article
    assert [a.id for a in read_articles(article)] == ["a"]
    # a lone string is one input, not a sequence of one-character paths
    assert len(list(read_articles("Xiaomi met Microsoft."))) == 1


def test_unsupported_input_type() -> None:
    with pytest.raises(TypeError, match="cannot read a int"):
        list(read_articles([42]))  # type: ignore[list-item]


# --- streaming -------------------------------------------------------------------------


class CountingStream(io.RawIOBase):
    """An endless-looking JSONL stream that counts how many bytes were pulled."""

    def __init__(self, lines: int) -> None:
        self._lines = (
            json.dumps({"id": f"n{i}", "text": f"Article {i}."}).encode() + b"\n"
            for i in range(lines)
        )
        self._pending = b""
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while len(self._pending) < len(buffer):
            chunk = next(self._lines, b"")
            if not chunk:
                break
            self._pending += chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self.bytes_read += size
        return size


def test_iter_jsonl_does_not_read_ahead() -> None:
    raw = CountingStream(lines=1_000_000)  # about 50 MB if read to the end
    stream = io.BufferedReader(raw, buffer_size=8192)
    first = list(itertools.islice(iter_jsonl(stream, "<stream>"), 3))
    assert [a.id for a in first] == ["n0", "n1", "n2"]
    assert raw.bytes_read <= 8192


def test_read_articles_streams_from_a_big_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("wb") as out:
        for i in range(20_000):
            out.write(jsonl_bytes({"id": f"n{i}", "text": f"Article number {i}."}))
    opened: list[io.BufferedReader] = []
    real_open_binary = jsonl_module.open_binary

    def counting_open(p: Path):
        stream = real_open_binary(p)
        opened.append(stream)
        return stream

    monkeypatch.setattr(jsonl_module, "open_binary", counting_open)
    articles = read_articles([path])
    assert inspect.isgenerator(articles)
    assert opened == []  # nothing happens before the first next()
    first = list(itertools.islice(articles, 2))
    assert [a.id for a in first] == ["n0", "n1"]
    assert opened[0].raw.tell() <= 64 * 1024 < path.stat().st_size  # bytes taken from disk
    articles.close()
    assert opened[0].closed


def test_read_articles_consumes_inputs_lazily() -> None:
    pulled: list[int] = []

    def endless() -> Iterator[Article]:
        for i in itertools.count():
            pulled.append(i)
            yield Article(id=f"a{i}", text=f"Article {i}.")

    report = ErrorReport("skip")
    got = list(itertools.islice(read_articles(endless(), report=report), 3))
    assert [a.id for a in got] == ["a0", "a1", "a2"]
    assert pulled == [0, 1, 2]


# --- the registry ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, reader",
    [
        ("a.txt", "text"),
        ("a.TEXT", "text"),
        ("README.md", "text"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.jsonl.gz", "jsonl"),
        ("dir.v2/a.ndjson.gz", "jsonl"),
        ("a.gz", None),
        ("a.txt.gz", None),
        ("a.html", "html"),
        ("A.HTM", "html"),
        ("page.html.gz", "html"),
        ("a.rss", "feed"),
        ("a.atom", "feed"),
        ("a.xml", "feed"),
        ("a.rdf", "feed"),
        ("feed.json", "json"),
        ("a.csv", "csv"),
        ("a.tsv.gz", "csv"),
        (".txt", None),
    ],
)
def test_reader_for(name: str, reader: str | None) -> None:
    spec = reader_for(Path(name))
    assert (spec.name if spec else None) == reader


def test_builtin_readers_listed() -> None:
    assert {"text", "jsonl"} <= set(readers())
    assert readers()["jsonl"].suffixes == (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
    with pytest.raises(TypeError):
        readers()["x"] = readers()["text"]  # type: ignore[index]


@pytest.fixture
def csv_reader() -> Iterator[str]:
    """Register a toy CSV reader for one test: a new format, no change to read_articles."""

    @register_reader("toycsv", suffixes=(".CSV",))
    def read_csv(path: Path) -> Iterator[Article | InputError]:
        for lineno, line in enumerate(path.read_text().splitlines(), start=1):
            ident, _, text = line.partition(",")
            if text:
                yield Article(id=ident, text=text, path=f"{path}:{lineno}")
            else:
                yield InputError(f"{path}:{lineno}", "no text column")

    yield "toycsv"
    unregister_reader("toycsv")


def test_new_format_slots_in(tmp_path: Path, csv_reader: str) -> None:
    write(tmp_path / "d" / "rows.csv", "r1,First row.\nbroken\nr2,Second row.\n")
    write(tmp_path / "d" / "x.txt", "Text.")
    articles, report = read_all(tmp_path / "d")
    assert [a.id for a in articles] == ["r1", "r2", "x"]
    assert failures(report) == [(f"{tmp_path / 'd' / 'rows.csv'}:2", "no text column")]
    assert reader_for(Path("a.csv")).name == csv_reader  # type: ignore[union-attr]


def test_register_reader_guards(csv_reader: str) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_reader(csv_reader, suffixes=(".csv",))(lambda path: iter(()))
    with pytest.raises(ValueError, match="suffixes must look like"):
        register_reader("bad", suffixes=("csv",))
    register_reader(csv_reader, suffixes=(".tsv",), replace=True)(lambda path: iter(()))
    assert readers()[csv_reader].suffixes == (".tsv",)


def test_broken_reader_is_reported_not_fatal(tmp_path: Path) -> None:
    @register_reader("broken", suffixes=(".brk",))
    def read_broken(path: Path) -> Iterator[Article]:
        yield Article(id="partial", text="Before the bug.")
        raise RuntimeError("boom")

    try:
        bad = write(tmp_path / "a.brk", "x")
        write(tmp_path / "b.txt", "Fine.")
        articles, report = read_all(tmp_path)
    finally:
        unregister_reader("broken")
    assert [a.id for a in articles] == ["partial", "b"]
    assert failures(report) == [(str(bad), "broken reader failed (RuntimeError: boom)")]
