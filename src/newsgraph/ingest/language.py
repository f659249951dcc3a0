"""Which language an article is in, cheaply, so the pipeline can skip what it cannot parse.

An English spaCy pipeline run over German text finds nonsense entities and facts;
such articles are skipped with a note unless the user names a pipeline for their
language. Deciding must cost next to nothing, because nearly every article is in
the expected language:

1. a cheap check first: in English prose a fifth or more of the words are a
   handful of function words ("the", "of", "and" …), which no other language
   reaches; most articles stop here, with no model loaded;
2. otherwise py3langid (a compact, well-kept n-gram classifier of 97 languages,
   ~0.3 ms an article once loaded) decides, when confident;
3. a text too short to tell (a headline, one sentence) keeps the language its
   source declared (``<html lang>``, the feed's ``<language>``, a record's field),
   or none — and an article of unknown language is never skipped.

>>> detect_language("The company said on Monday that it would buy its rival for two "
...                 "billion dollars, and the deal is expected to close in the spring.")
'en'
>>> detect_language("Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die "
...                 "Rechte der Arbeitnehmer in den Betrieben deutlich stärken soll.")
'de'
>>> detect_language("Xiaomi to enter US") is None
True
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from ..errors import ErrorReport, Skipped
from ..models import Article

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

logger = logging.getLogger(__name__)

MIN_WORDS = 12
"""Fewer words than this, and the text's language is not guessed."""

SAMPLE_CHARS = 1000
"""Only the start of an article is looked at: its language does not change midway."""

MIN_CONFIDENCE = 0.9
"""py3langid's probability below which its answer is not trusted."""

ENGLISH_SHARE = 0.2
"""Share of English function words above which a text is English without a model."""

_ENGLISH = frozenset({
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "on", "was", "with", "as",
    "he", "be", "by", "at", "are", "this", "from", "have", "has", "had", "not", "but", "or",
    "an", "they", "which", "his", "were", "their", "its", "been", "would", "will", "who",
    "said", "we", "there", "also", "more", "after", "than", "about", "when", "you", "can", "i",
    "one", "new", "into", "over",
})
NO_LANGUAGE = frozenset({"zxx", "und", "mul", "mis"})
"""ISO 639 codes for "no linguistic content", "undetermined" …: no language at all."""

_WORD = re.compile(r"[^\W\d_]+")

LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese",
    "kn": "Kannada", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "nb": "Norwegian",
    "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish",
    "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese", "zh": "Chinese",
}


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the text's language, or None when unsure.

    Args:
        text: Article text; only its first :data:`SAMPLE_CHARS` characters are read.
    """
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        # Scripts without spaces (Chinese, Japanese, Thai) have few "words": ask the model.
        if len(sample.strip()) < 2 * MIN_WORDS or all(ch.isascii() for ch in sample):
            return None
    elif sum(word in _ENGLISH for word in words) >= ENGLISH_SHARE * len(words):
        return "en"
    code, probability = _identifier().classify(sample)
    return code if probability >= MIN_CONFIDENCE and code not in NO_LANGUAGE else None


def language_name(code: str) -> str:
    """``de`` -> ``German``; an unknown code is returned as it is."""
    return LANGUAGE_NAMES.get(code, code)


def filter_languages(
    articles: Iterable[Article], languages: frozenset[str], report: ErrorReport
) -> Iterator[Article]:
    """Yield the articles in one of ``languages`` (or of unknown language).

    Each article's ``language`` is set to the detected one, which wins over what
    its source declared (templates declare ``lang="en"`` on every page); a skipped
    article becomes a ``language`` note in ``report``.
    """
    wanted = ", ".join(language_name(code) for code in sorted(languages))
    for article in articles:
        language = detect_language(article.full_text) or article.language
        if language != article.language:
            article = replace(article, language=language)
        if language is None or language in languages:
            yield article
            continue
        report.skip(Skipped(
            source=article.path or article.id,
            kind="language",
            reason=f"in {language_name(language)} ({language}), not {wanted}; skipped "
                   f"(name a {language_name(language)} spaCy pipeline with --model to read it)",
        ))


@cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model with normalised probabilities, loaded once (~0.5 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    logger.debug("loading the py3langid language model")
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
