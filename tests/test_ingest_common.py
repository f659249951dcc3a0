"""Decoding any text file: BOMs, UTF-8, declared and guessed encodings; size limits."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from newsgraph.errors import InputError
from newsgraph.ingest import ReadOptions, read_articles
from newsgraph.ingest.common import (
    declared_charset,
    decode_text,
    file_id,
    guess_encoding,
    looks_binary,
    read_bytes,
)

RUSSIAN = "Москва - столица России, сказал министр в понедельник на встрече с журналистами."
JAPANESE = "東京は日本の首都です。ソニーは新しいカメラを発表しました。" * 2
GERMAN = "Der Bürgermeister von Köln sagte: „Wir schließen das Geschäft“ – und lächelte."


@pytest.mark.parametrize(
    "data, declared, expected",
    [
        ("café".encode(), None, "café"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", None, "café"),  # UTF-8 BOM dropped
        ("café\r\nau lait".encode("utf-16"), None, "café\nau lait"),  # UTF-16 with BOM
        (b"\xfe\xff" + "Zürich".encode("utf-16-be"), None, "Zürich"),
        ("Nestlé bought the café “today”.".encode("cp1252"), None,
         "Nestlé bought the café “today”."),
        (GERMAN.encode("cp1252"), None, GERMAN),
        (GERMAN.encode("latin-1", errors="replace"), "cp1252",
         GERMAN.encode("latin-1", errors="replace").decode("cp1252")),
        (RUSSIAN.encode("cp1251"), None, RUSSIAN),
        (RUSSIAN.encode("koi8-r"), "koi8-r", RUSSIAN),  # as declared
        (JAPANESE.encode("shift_jis"), None, JAPANESE),
        ("Fin du café".encode()[:-1], None, "Fin du caf"),  # a cut multi-byte character
    ],
)
def test_decode_text(data: bytes, declared: str | None, expected: str) -> None:
    assert decode_text(data, "x", declared=declared) == expected


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"\n \t\r\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"%PDF-1.4\n\x00\x01\x02", "binary file"),
        (bytes(range(1, 32)) * 8, "binary file"),
        (bytes(b | 0x80 for b in random.Random(1).randbytes(200)),
         "undecodable text (byte 0xf5 at offset 0 is not UTF-8, and no other encoding fits)"),
    ],
)
def test_decode_text_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode_text(data, "x.txt")
    assert (info.value.source, info.value.reason) == ("x.txt", reason)


@pytest.mark.parametrize(
    "data, expected",
    [
        ("Köln, sagte er.".encode("cp1252"), "cp1252"),
        (b"\x81\x8d", None),  # two odd bytes: no guess is worth making
        (RUSSIAN.encode("cp1251"), "cp1251"),
    ],
)
def test_guess_encoding(data: bytes, expected: str | None) -> None:
    assert guess_encoding(data) == expected


@pytest.mark.parametrize(
    "head, expected",
    [
        (b'<meta charset="utf-8">', "utf-8"),
        (b"<meta charset=ISO-8859-1>", "cp1252"),  # browsers read latin-1 as windows-1252
        (b"<?xml version='1.0' encoding='windows-1251'?>", "cp1251"),
        (b'<meta charset="no-such-codec">', None),
        (b"<p>no declaration</p>", None),
    ],
)
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert declared_charset(head) == expected


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"plain text\nwith lines\tand tabs", False),
        ("ünïcödé".encode(), False),
        (b"\x1b[1mcoloured\x1b[0m terminal output", False),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", True),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", True),
    ],
)
def test_looks_binary(data: bytes, expected: bool) -> None:
    assert looks_binary(data) is expected


def test_oversized_file_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    with pytest.raises(InputError, match=r"too large \(0\.0 MB; the limit is 0\.0 MB\)"):
        read_bytes(path, max_bytes=100)
    assert len(read_bytes(path, max_bytes=10_000)) == 5000


def test_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000))  # 5 MB from ~5 kB
    assert path.stat().st_size < 20_000
    with pytest.raises(InputError, match="too large"):
        read_bytes(path, max_bytes=1_000_000)


def test_oversized_input_is_one_failure_and_the_rest_is_read(tmp_path: Path) -> None:
    from newsgraph.errors import ErrorReport

    (tmp_path / "a.txt").write_text("Small article.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>" + "word " * 500 + "</p>", encoding="utf-8")
    report = ErrorReport("skip")
    articles = list(read_articles([tmp_path], report=report, options=ReadOptions(max_bytes=1000)))
    assert [a.id for a in articles] == ["a"]
    assert [(f.source, f.reason.split(" (")[0]) for f in report.failures] == [
        (str(tmp_path / "b.html"), "too large")]


@pytest.mark.parametrize(
    "name, suffix, expected",
    [
        ("page.html", ".html", "page"),
        ("page.html.gz", ".html.gz", "page"),
        ("2019.05.24.story.htm", ".htm", "2019.05.24.story"),
        ("notes.log", None, "notes"),
        (".html", ".html", ".html"),
    ],
)
def test_file_id(name: str, suffix: str | None, expected: str) -> None:
    assert file_id(Path(name), suffix) == expected
