"""The HTML reader: main text without page furniture, metadata from the page, safe failure."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml.html import fromstring

from newsgraph.errors import ErrorReport, InputError
from newsgraph.ingest import ReadOptions, read_articles
from newsgraph.ingest.html import clean_authors, fragment_text, page_language, parse_html
from newsgraph.models import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
PAGE = FIXTURES / "page.html"
GERMAN_PAGE = FIXTURES / "page-de-latin1.html"


def read_one(path: Path, **options: object) -> Article:
    (article,) = read_articles([path], options=ReadOptions(**options))  # type: ignore[arg-type]
    return article


@pytest.mark.parametrize(
    "field, expected",
    [
        ("id", "page"),  # the file name without its suffix
        ("title", "Fiserv to buy First Data for $22 billion"),  # og:title, no site suffix
        ("date", "2019-01-16"),
        ("url", "https://news.example.com/business/fiserv-first-data"),  # canonical
        ("source", "Example Business News"),
        ("author", "Jane Doe"),
        ("language", "en"),  # lang="en-GB", primary subtag
        ("path", str(PAGE)),
    ],
)
def test_page_metadata(field: str, expected: str) -> None:
    assert getattr(read_one(PAGE), field) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Payments technology company Fiserv Inc said on Wednesday it would buy First Data Corp",
        "Fiserv chief executive Jeffery Yabuki will lead the combined company",
        "First Data is controlled by private equity firm KKR",
        "A bet on digital payments",  # a subheading is part of the story
    ],
)
def test_page_main_text_kept(sentence: str) -> None:
    assert sentence in " ".join(read_one(PAGE).text.split())


@pytest.mark.parametrize(
    "furniture",
    [
        "Markets",  # navigation
        "Subscribe now",
        "MegaBroker",  # advertisement
        "Global Payments agrees to buy TSYS",  # related links
        "Related stories",
        "Bob123",  # comments
        "I closed my account",
        "Privacy policy",  # footer
        "All rights reserved",
        "By Jane Doe",  # the byline is metadata, not text
        "<p>",
    ],
)
def test_page_furniture_dropped(furniture: str) -> None:
    assert furniture not in read_one(PAGE).text


def test_paragraphs_are_separated_by_blank_lines() -> None:
    paragraphs = read_one(PAGE).text.split("\n\n")
    assert len(paragraphs) >= 5
    assert all("\n" not in p for p in paragraphs)


def test_gzipped_page_has_the_same_article(tmp_path: Path) -> None:
    path = tmp_path / "saved.html.gz"
    path.write_bytes(gzip.compress(PAGE.read_bytes()))
    plain, packed = read_one(PAGE), read_one(path)
    assert packed.id == "saved"
    assert (packed.text, packed.title, packed.date) == (plain.text, plain.title, plain.date)


def test_page_saved_compressed_without_gz_suffix(tmp_path: Path) -> None:
    path = tmp_path / "raw.html"
    path.write_bytes(gzip.compress(PAGE.read_bytes()))
    assert read_one(path).title == read_one(PAGE).title


def test_declared_latin1_page_decoded() -> None:
    article = read_one(GERMAN_PAGE)
    assert article.title == "Übernahme in München"
    assert "Der Münchner Konzern Siemens übernimmt" in article.text
    assert "„Wir stärken damit unser Geschäft mit digitalen Fabriken“" in article.text
    assert article.language == "de"


def test_undeclared_cp1252_page_decoded(tmp_path: Path) -> None:
    html = ("<html><head><title>Xiaomi’s plan</title></head><body><article>"
            "<p>“We are very, very carefully building our resources,” Wang said — and Xiaomi’s "
            "chairman agreed that the company would enter the market in 2019.</p>"
            "</article></body></html>")
    path = tmp_path / "quotes.html"
    path.write_bytes(html.encode("cp1252"))
    article = read_one(path)
    assert "“We are very, very carefully building our resources,” Wang said —" in article.text
    assert article.title == "Xiaomi’s plan"


def test_german_page_skipped_for_an_english_pipeline() -> None:
    report = ErrorReport("skip")
    articles = list(read_articles([GERMAN_PAGE, PAGE], report=report,
                                  options=ReadOptions(languages=frozenset({"en"}))))
    assert [a.id for a in articles] == ["page"]
    assert len(report.failures) == 0  # skipping a language is not a failure
    (note,) = report.skipped
    assert (note.source, note.kind) == (str(GERMAN_PAGE), "language")
    assert note.reason.startswith("in German (de), not English; skipped")


@pytest.mark.parametrize(
    "cut",
    [0.35, 0.6, 0.85],
    ids=["cut-in-first-paragraph", "cut-mid-article", "cut-in-comments"],
)
def test_truncated_page_reads_what_is_there(tmp_path: Path, cut: float) -> None:
    data = PAGE.read_bytes()
    path = tmp_path / "cut.html"
    path.write_bytes(data[: int(len(data) * cut)])
    article = read_one(path)
    assert article.text.startswith("Fiserv to buy First Data") or "Fiserv" in article.text
    assert "Bob123" not in article.text


def test_malformed_html_still_read(tmp_path: Path) -> None:
    path = tmp_path / "tagsoup.html"
    path.write_text(
        "<html><head><title>Tag soup</title><body><div><p>Qualcomm sued Apple in a federal "
        "court in San Diego on Friday, accusing it of breaching a software license <b>agreement"
        "<p>Apple did not respond to a request for comment on the lawsuit </div></span></td>"
        "<<<>>> &nbsp &bogus; </html></html>",
        encoding="utf-8",
    )
    article = read_one(path)
    assert "Qualcomm sued Apple in a federal court" in article.text
    assert "Apple did not respond" in article.text


def test_explicit_html_file_is_not_read_as_text() -> None:
    # It used to fall back to the plain-text reader and keep every tag.
    assert "<" not in read_one(PAGE).text


def test_html_recognised_by_content_when_the_suffix_says_nothing(tmp_path: Path) -> None:
    path = tmp_path / "download.page"
    path.write_bytes(PAGE.read_bytes())
    article = read_one(path)
    assert article.title == "Fiserv to buy First Data for $22 billion"
    assert "<" not in article.text


def test_parse_html_without_a_file_name_ids_by_canonical_url() -> None:
    article = parse_html(PAGE.read_bytes(), source="<stdin>", article_id=None)
    assert article.id.startswith("url-")
    again = parse_html(PAGE.read_bytes(), source="<stdin>", article_id=None)
    assert again.id == article.id


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b" \n\t ", "empty file"),
        (b"\x00\x01<html>", "binary file"),
        (b"plain words without any markup at all", "not an HTML page (no markup found)"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
         "no article text found in the page"),
    ],
)
def test_parse_html_failures(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        parse_html(data, source="x.html", article_id="x")
    assert (info.value.source, info.value.reason) == ("x.html", reason)


@pytest.mark.parametrize(
    "fragment, expected",
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("<p>Line<br>break</p>", "Line\nbreak"),
        ("<p>A <a href='x'>link</a> and <em>emphasis</em>.</p>", "A link and emphasis."),
        ("<p>Kept.</p><script>track()</script><style>p{}</style>", "Kept."),
        ("<ul><li>First</li><li>Second</li></ul>", "First\n\nSecond"),
        ("AT&amp;T backed out", "AT&T backed out"),
        ("  plain   text  ", "plain text"),
        ("", ""),
    ],
)
def test_fragment_text(fragment: str, expected: str) -> None:
    assert fragment_text(fragment) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Jane Doe", "Jane Doe"),
        ("Jeffrey Gettleman; JEFFREY GETTLEMAN", "Jeffrey Gettleman"),
        ("Stella Kim; Jennifer Jett", "Stella Kim, Jennifer Jett"),
        ("Username", None),
        ("  ", None),
        (None, None),
    ],
)
def test_clean_authors(value: str | None, expected: str | None) -> None:
    assert clean_authors(value) == expected


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<html lang='en-US'><body></body></html>", "en"),
        ("<html lang='pt_BR'><body></body></html>", "pt"),
        ("<html><head><meta http-equiv='content-language' content='de'></head></html>", "de"),
        ("<html><head><meta property='og:locale' content='fr_FR'></head></html>", "fr"),
        ("<html lang='x-default'><body></body></html>", None),
        ("<html><body></body></html>", None),
    ],
)
def test_page_language(html: str, expected: str | None) -> None:
    assert page_language(fromstring(html)) == expected
