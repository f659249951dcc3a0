"""Language: detect cheaply, skip what the pipeline cannot parse, never skip the unknown."""

from __future__ import annotations

import pytest

from newsgraph.errors import ErrorReport
from newsgraph.ingest import ReadOptions, read_articles
from newsgraph.ingest.language import detect_language, filter_languages
from newsgraph.models import Article

ENGLISH = ("Xiaomi signed a memorandum of understanding with Microsoft to work together in "
           "the fields of cloud computing and artificial intelligence, the company said.")
GERMAN = ("Der Münchner Konzern Siemens übernimmt nach eigenen Angaben den Softwarehersteller "
          "aus Köln für rund zwei Milliarden Euro, teilte das Unternehmen am Donnerstag mit.")
FRENCH = ("Le groupe français a annoncé jeudi le rachat de son concurrent allemand pour deux "
          "milliards d'euros, une opération qui doit encore être approuvée par les autorités.")
SPANISH = ("La empresa española anunció el jueves la compra de su competidor alemán por dos mil "
           "millones de euros, una operación que aún deben aprobar las autoridades.")
CHINESE = ("小米公司周一表示，它已与微软签署了一份谅解备忘录，"
           "双方将在云计算和人工智能领域展开合作。"
           "该公司还表示，今年将在西班牙和印度开设更多的零售店，"
           "以加快海外扩张的步伐。")


@pytest.mark.parametrize(
    "text, expected",
    [
        (ENGLISH, "en"),
        (GERMAN, "de"),
        (FRENCH, "fr"),
        (SPANISH, "es"),
        (CHINESE, "zh"),
        ("Xiaomi to enter US market", None),  # a headline: too short to tell
        ("Apple sued Samsung.", None),
        ("", None),
        ("12 34 56 78 90 12 34 56 78 90 12 34 56", None),  # no words at all
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def run(articles: list[Article], languages: set[str]) -> tuple[list[str], list[str]]:
    report = ErrorReport("skip")
    kept = list(filter_languages(articles, frozenset(languages), report))
    return [f"{a.id}:{a.language}" for a in kept], [n.reason for n in report.skipped]


def test_other_language_skipped_with_a_note() -> None:
    kept, notes = run([Article(id="en", text=ENGLISH), Article(id="de", text=GERMAN)], {"en"})
    assert kept == ["en:en"]
    assert notes == ["in German (de), not English; skipped (name a German spaCy pipeline with "
                     "--model to read it)"]


def test_a_pipeline_for_the_language_keeps_it() -> None:
    kept, notes = run([Article(id="en", text=ENGLISH), Article(id="de", text=GERMAN)], {"de"})
    assert kept == ["de:de"]
    assert notes[0].startswith("in English (en), not German")


@pytest.mark.parametrize(
    "article, expected",
    [
        # the text decides over a template's declaration
        (Article(id="a", text=ENGLISH, language="de"), "a:en"),
        # too short to tell: what the source declared stands
        (Article(id="b", text="Xiaomi to enter US", language="en"), "b:en"),
        # too short and undeclared: unknown, and kept
        (Article(id="c", text="Xiaomi to enter US"), "c:None"),
    ],
)
def test_detected_beats_declared_and_unknown_is_kept(article: Article, expected: str) -> None:
    assert run([article], {"en"}) == ([expected], [])


def test_short_text_declared_foreign_is_skipped() -> None:
    kept, notes = run([Article(id="d", text="Siemens kauft", language="de")], {"en"})
    assert kept == [] and len(notes) == 1


def test_read_articles_keeps_every_language_unless_asked() -> None:
    articles = [Article(id="en", text=ENGLISH), Article(id="de", text=GERMAN)]
    assert len(list(read_articles(articles))) == 2
    only = list(read_articles(articles, options=ReadOptions(languages=frozenset({"en"}))))
    assert [a.id for a in only] == ["en"]
