"""Duplicates: the same URL, the same text, or a wire copy with trivial changes is read once."""

from __future__ import annotations

import pytest

from newsgraph.errors import ErrorReport
from newsgraph.ingest import ReadOptions, read_articles
from newsgraph.ingest.dedupe import drop_duplicates, normalise_url
from newsgraph.models import Article

WIRE = (
    "Payments technology company Fiserv Inc said on Wednesday it would buy First Data Corp "
    "in an all-stock deal valued at about $22 billion, creating one of the largest players in "
    "the fast-growing payments industry. The deal brings together Fiserv, which provides "
    "software to banks and credit unions, with First Data, which processes card payments for "
    "merchants. Fiserv chief executive Jeffery Yabuki will lead the combined company, which "
    "expects to save about $900 million in costs over five years. First Data is controlled by "
    "private equity firm KKR, which will own about 16 percent of the combined company."
)
OTHER = (
    "Altria Group Inc said on Thursday it would take a 35 percent stake in e-cigarette maker "
    "Juul Labs for $12.8 billion, as the Marlboro maker looks for growth beyond cigarettes in "
    "a market where smoking rates keep falling. The deal values Juul at $38 billion, making it "
    "one of the most valuable private companies in the United States, and gives Altria three "
    "seats on its board. Juul will use Altria's distribution network to sell its products."
)


def dedupe(*articles: Article) -> tuple[list[str], list[str]]:
    report = ErrorReport("skip")
    kept = [a.id for a in drop_duplicates(articles, report)]
    return kept, [note.reason for note in report.skipped]


@pytest.mark.parametrize(
    "second, reason",
    [
        pytest.param(Article(id="b", text="Other.", url="https://www.x.com/a/?utm_source=rss"),
                     "duplicate of a (same URL)", id="same-url-tracking-params"),
        pytest.param(Article(id="b", text="  " + WIRE.upper().replace(" ", "  ") + "!"),
                     "duplicate of a (same text)", id="same-text-case-space-punct"),
        pytest.param(Article(id="b", text="NEW YORK (Reuters) - " + WIRE.replace(
            "Wednesday", "Tuesday") + "\n\nReporting by Jane Doe; Editing by Bob Roe"),
                     "near-identical", id="wire-copy-with-dateline-and-credits"),
    ],
)
def test_duplicate_dropped(second: Article, reason: str) -> None:
    first = Article(id="a", text=WIRE, url="http://x.com/a")
    kept, reasons = dedupe(first, second)
    assert kept == ["a"]
    assert len(reasons) == 1 and reasons[0].startswith("duplicate of a (") and reason in reasons[0]


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(Article(id="b", text=OTHER), id="different-story"),
        pytest.param(Article(id="b", text=WIRE[: len(WIRE) // 2] + " " + OTHER),
                     id="shares-half-a-story"),
        pytest.param(Article(id="b", text="Apple sued Samsung."), id="short-text"),
    ],
)
def test_not_a_duplicate(second: Article) -> None:
    assert dedupe(Article(id="a", text=WIRE), second) == (["a", "b"], [])


def test_same_text_under_another_url_is_a_duplicate() -> None:
    first = Article(id="a", text=WIRE, url="https://x.com/a")
    assert dedupe(first, Article(id="b", text=WIRE, url="https://y.org/b")) == (
        ["a"], ["duplicate of a (same text)"])


@pytest.mark.parametrize(
    "first, second",
    [
        ("Apple sued Samsung.", "Apple sued Motorola."),  # one word, but all there is
        ("Comments", "Comments"),  # same short text, different titles: different entries
    ],
)
def test_short_texts_only_match_exactly_with_their_titles(first: str, second: str) -> None:
    a = Article(id="a", text=first, title="Lambda URLs")
    b = Article(id="b", text=second, title="Dall-E 2")
    assert dedupe(a, b) == (["a", "b"], [])


def test_read_articles_drops_and_notes_duplicates(tmp_path) -> None:
    (tmp_path / "a.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(WIRE + "\n\nShare this article", encoding="utf-8")
    report = ErrorReport("skip")
    articles = list(read_articles([tmp_path], report=report))
    assert [a.id for a in articles] == ["a"]
    assert [(n.source, n.kind) for n in report.skipped] == [(str(tmp_path / "b.txt"), "duplicate")]
    assert report.failures == []  # a duplicate is not a failure: --strict ignores it
    assert len(list(read_articles([tmp_path], options=ReadOptions(dedupe=False)))) == 2


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.example.com/a/", "example.com/a"),
        ("http://EXAMPLE.com/a#comments", "example.com/a"),
        ("https://example.com/a?b=2&a=1&utm_campaign=x&fbclid=y", "example.com/a?a=1&b=2"),
        ("https://example.com:8080/a", "example.com:8080/a"),
        ("https://example.com/A", "example.com/A"),  # paths are case-sensitive
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected
