"""The CSV reader: header matching, --text-column and friends, bad rows, encodings."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newsgraph.errors import ErrorReport, InputError
from newsgraph.ingest import ReadOptions, read_articles
from newsgraph.ingest.csvfile import map_columns
from newsgraph.models import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
CSV = FIXTURES / "articles.csv"


def read(path: Path, **options: object) -> tuple[list[Article], list[tuple[str, str]]]:
    report = ErrorReport("skip")
    articles = list(read_articles([path], report=report,
                                  options=ReadOptions(**options)))  # type: ignore[arg-type]
    return articles, [(f.source, f.reason) for f in report.failures]


def test_fixture_rows_and_failures() -> None:
    articles, failures = read(CSV)
    assert articles[0] == Article(
        id=articles[0].id,
        title="Fiserv to buy First Data",
        text="Fiserv will acquire First Data.\n\nKKR controls First Data.",  # quoted newlines
        date="2019-01-16",
        url="https://example.com/fiserv",
        author="Jane Doe",  # "Byline" is a synonym of author
        path=f"{CSV}:2",
    )
    assert (articles[1].title, articles[1].date, articles[1].path) == (
        "Altria, Juul deal", "2019-05-24", f"{CSV}:6")
    assert failures == [
        (f"{CSV}:5", "empty 'Body' field"),
        (f"{CSV}:7", "6 cells, but the header has 5"),
    ]


def test_tsv_by_suffix() -> None:
    (article,), failures = read(FIXTURES / "articles.tsv")
    assert (article.id, article.title, article.text) == (
        "q1", "Qualcomm sues Apple", "Qualcomm sued Apple in California.")  # "story" column
    assert failures == []


@pytest.mark.parametrize(
    "header, row, columns, field, expected",
    [
        ("body;headline", "Text one.;Head", {}, "title", "Head"),  # semicolons guessed
        ("Text|Title", "Text one.|Head", {}, "title", "Head"),  # pipes
        ("Full Text,Published At", "Text one.,2019-05-24", {}, "date", "2019-05-24"),
        ("TEXT,LINK", "Text one.,https://x.org/a", {}, "url", "https://x.org/a"),
        ("message,when", "Text one.,24 May 2019", {"text": "message", "date": "when"}, "date",
         "2019-05-24"),
        ("message,kicker", "Text one.,Head", {"text": "Message", "title": "kicker"}, "title",
         "Head"),
        ("id,text,lang", "a1,Text one.,de", {}, "language", "de"),
        ("text,headline,title", "Text one.,H,T", {}, "title", "T"),  # the better name wins
    ],
)
def test_columns(tmp_path: Path, header: str, row: str, columns: dict[str, str], field: str,
                 expected: str) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    (article,), failures = read(path, columns=columns, dedupe=False)
    assert getattr(article, field) == expected
    assert failures == []


@pytest.mark.parametrize(
    "header, columns, reason",
    [
        (["a", "b"], {}, "no text column (columns: a, b); name it with --text-column"),
        (["body"], {"text": "content"},
         "no column 'content' (for the text); columns: body"),
        (["text"], {"title": "headline"}, "no column 'headline' (for the title); columns: text"),
    ],
)
def test_map_columns_failures(header: list[str], columns: dict[str, str], reason: str) -> None:
    with pytest.raises(InputError) as info:
        map_columns(header, columns, "x.csv")
    assert info.value.reason == reason


def test_text_column_option_names_the_jsonl_key_too(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text('{"uid": "d1", "body": "Apple sued Samsung.", "headline": "Suit"}\n',
                    encoding="utf-8")
    (article,), _ = read(path, columns={"text": "body", "id": "uid", "title": "headline"})
    assert (article.id, article.title, article.text) == ("d1", "Suit", "Apple sued Samsung.")
    _, failures = read(path)
    assert failures == [(f"{path}:1", "no 'text' field")]


def test_cp1252_csv_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("title,text\nCafé,“Nestlé” bought the café in Zürich.\n".encode("cp1252"))
    (article,), failures = read(path)
    assert (article.title, article.text) == ("Café", "“Nestlé” bought the café in Zürich.")
    assert failures == []


def test_gzipped_csv(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv.gz"
    path.write_bytes(gzip.compress(b"id,text\nz1,Zipped row.\n"))
    assert [a.id for a in read(path)[0]] == ["z1"]


def test_huge_cell_is_read(tmp_path: Path) -> None:
    body = "Apple sued Samsung. " * 20_000  # 400 kB: over the csv module's default cell limit
    path = tmp_path / "big.csv"
    path.write_text(f'id,text\nbig,"{body}"\n', encoding="utf-8")
    (article,), _ = read(path)
    assert len(article.text) == len(body.strip())


def test_undecodable_row_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"id,text\nr1,Caf\xe9 row.\nr2,\x81\x8d row\nr3,Fine row.\n")
    articles, failures = read(path)
    assert [a.id for a in articles] == ["r1", "r3"]
    assert failures == [(f"{path}:3", "undecodable text (byte 0x81 at offset 24 is not UTF-8, "
                                      "and no other encoding fits)")]
