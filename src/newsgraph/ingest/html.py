"""The HTML reader: a saved web page becomes one article, its metadata kept.

A news page is mostly not the story: navigation, ads, share bars, comments and
lists of related links surround it. trafilatura finds the main text (and
htmldate, through it, the publication date); the page's own metadata gives the
title, author, site name, canonical URL and language, so every fact drawn from
the page can be dated and sourced. The text is then cleaned like every format's
(:func:`~newsgraph.ingest.text.clean_article_text`).

On the 216 pages of the readability and scrapinghub test sets the extracted text
scores a mean token F1 of about 0.95 against the expected text
(``benchmarks/ingest.py``).

>>> page = (b"<html lang='en-GB'><head><title>Fiserv to buy First Data</title></head>"
...         b"<body><article><p>Fiserv will acquire First Data for $22 billion, "
...         b"the companies said on Wednesday.</p></article></body></html>")
>>> article = parse_html(page, source="page.html", article_id="page")
>>> article.title, article.language, article.text[:30]
('Fiserv to buy First Data', 'en', 'Fiserv will acquire First Data')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..errors import InputError
from ..models import Article
from .common import (
    declared_charset,
    decode_text,
    file_id,
    parse_date,
    read_bytes,
    read_limited,
    stable_id,
)
from .registry import DEFAULT_OPTIONS, ReadItem, ReadOptions, register_reader
from .text import clean_article_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

MIN_WORDS = 8
"""A page whose main text is shorter than this is a menu or an error page, not an article."""

SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".html.gz", ".htm.gz")

_HTML_START = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_FEED_START = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_MARKUP = re.compile(r"<[A-Za-z!/]")
_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "form", "button",
              "svg", "video", "audio", "select", "template")
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
                         "blockquote", "pre", "table", "tr", "section", "article", "header",
                         "footer", "figure", "figcaption", "dd", "dt", "dl", "hr", "aside"})
_LANG = re.compile(r"^[a-z]{2,3}$")
_AUTHOR_NOISE = frozenset({"username", "admin", "administrator", "staff", "editor", "unknown"})
_DATE_PARAMS = {"original_date": True, "extensive_search": True}


def sniff_html(head: bytes) -> bool:
    """An HTML document shows a doctype, ``<html>``, ``<head>`` or ``<body>`` early on.

    >>> sniff_html(b"  <!DOCTYPE html>\\n<html>"), sniff_html(b"<?xml version='1.0'?><rss>")
    (True, False)
    """
    start = head[:2048]
    return bool(_HTML_START.search(start)) and not _FEED_START.search(start)


def _stream_html(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[ReadItem]:
    yield parse_html(read_limited(stream, source, options.max_bytes), source=source,
                     article_id=None)


@register_reader("html", suffixes=SUFFIXES, sniff=sniff_html, stream=_stream_html)
def read_html(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[ReadItem]:
    """Read a saved web page (``.html``, ``.htm``, gzipped too) as one article.

    The article id is the file name without its suffix.

    Raises:
        InputError: When the file cannot be read, is empty, binary, too large or
            undecodable, is not HTML, or holds no article text.
    """
    data = read_bytes(path, max_bytes=options.max_bytes)
    suffix = max((s for s in SUFFIXES if path.name.lower().endswith(s)), key=len, default=None)
    yield parse_html(data, source=str(path), article_id=file_id(path, suffix))


def parse_html(
    data: bytes | str,
    *,
    source: str,
    article_id: str | None,
    url: str | None = None,
) -> Article:
    """Extract the article of one web page: main text and metadata.

    Args:
        data: The page, as bytes (the encoding is detected: BOM, UTF-8, the
            page's ``<meta charset>``, then a guess) or as text.
        source: Where the page came from, for messages and :attr:`Article.path`.
        article_id: The id; None derives it from the canonical URL, or the text.
        url: The address the page was fetched from, when known; the page's
            canonical URL wins over it.

    Raises:
        InputError: ``empty file``, ``binary file``, ``undecodable text …``,
            ``not an HTML page`` or ``no article text found in the page``.
    """
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    html = data if isinstance(data, str) else decode_text(
        data, source, declared=declared_charset(data[:4096])
    )
    if not html.strip():
        raise InputError(source, "empty file")
    tree = load_html(html) if _MARKUP.search(html) else None
    if tree is None:
        raise InputError(source, "not an HTML page (no markup found)")
    language = page_language(tree)
    try:
        doc = bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            deduplicate=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, AttributeError) as exc:  # trafilatura on a broken tree
        raise InputError(source, f"malformed HTML ({type(exc).__name__}: {exc})") from exc
    text = _paragraphs(getattr(doc, "text", None) or "")
    if not text:
        raise InputError(source, "no article text found in the page")
    title = _clean(doc.title)
    if title and text.split("\n\n", 1)[0].casefold() == title.casefold():
        text = text.split("\n\n", 1)[1] if "\n\n" in text else ""  # the headline, again
    parts = clean_article_text(text)
    if len(parts.text.split()) < MIN_WORDS:
        raise InputError(source, "no article text found in the page")
    canonical = _clean(doc.url) or url
    return Article(
        id=article_id or (stable_id(canonical, prefix="url-") if canonical else
                          stable_id(parts.text)),
        text=parts.text,
        title=title,
        date=parse_date(doc.date) if doc.date else parts.date,
        url=canonical,
        source=_clean(doc.sitename) or _clean(doc.hostname),
        author=clean_authors(doc.author) or parts.author,
        language=language,
        path=source,
    )


def page_language(tree: HtmlElement) -> str | None:
    """The language the page declares (``<html lang>``, ``content-language``, ``og:locale``).

    Reduced to the primary subtag: ``en-US`` and ``en_GB`` are both ``en``.
    """
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        code = (value or "").strip().replace("_", "-").split("-")[0].lower()
        if _LANG.match(code):
            return code
    return None


def clean_authors(value: str | None) -> str | None:
    """Tidy trafilatura's author string: one spelling of each name, no placeholders.

    >>> clean_authors("Jeffrey Gettleman; JEFFREY GETTLEMAN"), clean_authors("Username")
    ('Jeffrey Gettleman', None)
    >>> clean_authors("Stella Kim; Jennifer Jett")
    'Stella Kim, Jennifer Jett'
    """
    if not value:
        return None
    names: dict[str, str] = {}
    for name in re.split(r"\s*;\s*", value):
        name = " ".join(name.split()).strip(" ,")
        if name and name.casefold() not in _AUTHOR_NOISE:
            names.setdefault(name.casefold(), name)
    return ", ".join(names.values()) or None


def fragment_text(fragment: str) -> str:
    r"""The text of an HTML fragment (a feed entry's content), one paragraph per block.

    Unlike :func:`parse_html` nothing is judged boilerplate: a feed entry's content
    is the story. Scripts, styles, forms and embedded media are dropped; block
    elements become paragraphs and ``<br>`` a line break. Text without markup is
    returned with its whitespace tidied.

    >>> fragment_text("<p>Fiserv will buy <b>First Data</b>.</p><p>It said so.<br>Today.</p>")
    'Fiserv will buy First Data.\n\nIt said so.\nToday.'
    >>> fragment_text("Plain   summary &amp; no tags")
    'Plain summary & no tags'
    """
    from lxml import etree
    from lxml import html as lxml_html

    if not _MARKUP.search(fragment):
        fragment = f"<p>{fragment}</p>"  # entities still need decoding
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    paragraphs = re.split(r"\n\s*\n", root.text_content())
    tidy = ("\n".join(" ".join(line.split()) for line in p.split("\n")) for p in paragraphs)
    return "\n\n".join(p.strip("\n") for p in tidy if p.strip())


def _paragraphs(text: str) -> str:
    """One blank line between trafilatura's blocks, so each is a paragraph for spaCy.

    Subheadings have no final period; on adjacent lines the parser would run them
    into the next sentence.
    """
    blocks = [" ".join(line.split()) for line in text.split("\n")]
    return "\n\n".join(block for block in blocks if block)


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None
