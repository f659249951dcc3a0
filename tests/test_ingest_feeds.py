"""The feed readers: RSS 0.91/1.0/2.0, Atom, JSON Feed; --fetch against a local server."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from newsgraph.errors import ErrorReport, InputError
from newsgraph.ingest import ReadOptions, read_articles
from newsgraph.ingest.feeds import parse_feed, parse_json, sniff_feed
from newsgraph.ingest.fetch import fetch_page
from newsgraph.models import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
PAGE = FIXTURES / "page.html"


def read(*paths: Path, **options: object) -> tuple[list[Article], ErrorReport]:
    report = ErrorReport("skip")
    articles = list(read_articles(list(paths), report=report,
                                  options=ReadOptions(**options)))  # type: ignore[arg-type]
    return articles, report


def reasons(report: ErrorReport) -> list[tuple[str, str]]:
    return [(f.source, f.reason) for f in report.failures]


@pytest.mark.parametrize(
    "name, count",
    [("rss091.xml", 2), ("rss10.rdf", 1), ("rss20.xml", 2), ("atom.xml", 2), ("jsonfeed.json", 2)],
)
def test_one_article_per_entry(name: str, count: int) -> None:
    articles, _ = read(FIXTURES / name)
    assert len(articles) == count
    assert [a.path for a in articles] == [f"{FIXTURES / name}#{i}" for i in range(1, count + 1)]


@pytest.mark.parametrize(
    "name, index, field, expected",
    [
        # RSS 0.91: description is the text; the channel title the source
        ("rss091.xml", 0, "title", "Qualcomm sues Apple over modem chips"),
        ("rss091.xml", 0, "text", "Qualcomm Inc filed a lawsuit against Apple Inc on Monday, "
                                  "accusing it of sharing trade secrets with Intel."),
        ("rss091.xml", 0, "url", "https://wire.example.org/2019/qualcomm-apple"),
        ("rss091.xml", 0, "source", "Wire Headlines"),
        ("rss091.xml", 0, "language", "en"),
        ("rss091.xml", 1, "text", "Altria takes a 35% stake in Juul"),  # title only: a headline
        # RSS 1.0 (RDF) with Dublin Core
        ("rss10.rdf", 0, "author", "P. J. Hines"),
        ("rss10.rdf", 0, "date", "2017-06-15"),  # the date as written, not shifted to UTC
        ("rss10.rdf", 0, "source", "Science Weekly"),
        # RSS 2.0: content:encoded wins over description; scripts and prompts dropped
        ("rss20.xml", 0, "text", "Chinese smartphone maker Xiaomi opened its third physical "
                                 "store in Spain last week.\n\nThe company is also accelerating "
                                 "store launches in India."),
        ("rss20.xml", 0, "date", "2019-05-24"),
        ("rss20.xml", 0, "author", "Wang Li"),
        ("rss20.xml", 0, "source", "Example Tech Daily"),
        ("rss20.xml", 1, "author", "Sam Reporter"),  # "editor@… (Sam Reporter)"
        ("rss20.xml", 1, "text", "AT&T backed out of a deal to sell Huawei's flagship handset "
                                 "in the United States."),  # escaped HTML description
        ("rss20.xml", 1, "title", "Huawei phone deal pulled by AT&T"),
        # Atom: content over summary, published over updated
        ("atom.xml", 0, "text", "Fiserv said it will acquire First Data in an all-stock deal."
                                "\n\nKKR controls First Data."),
        ("atom.xml", 0, "date", "2019-01-16"),
        ("atom.xml", 0, "author", "Jane Doe"),
        ("atom.xml", 0, "url", "https://deals.example.net/fiserv-first-data"),
        ("atom.xml", 1, "date", "2019-02-01"),
        ("atom.xml", 1, "text", "Google, a subsidiary of Alphabet, reported higher revenue."),
        # JSON Feed 1.1
        ("jsonfeed.json", 0, "text", "Samsung supplies memory chips to Apple for the new iPhone."),
        ("jsonfeed.json", 0, "author", "Kim Lee"),
        ("jsonfeed.json", 0, "date", "2019-03-01"),
        ("jsonfeed.json", 1, "text", "Microsoft and Xiaomi signed a memorandum of understanding "
                                     "on cloud computing."),
        ("jsonfeed.json", 1, "date", "2019-03-02"),
        ("jsonfeed.json", 1, "source", "Market Notes"),
    ],
)
def test_entry_fields(name: str, index: int, field: str, expected: str) -> None:
    articles, _ = read(FIXTURES / name)
    assert getattr(articles[index], field) == expected


def test_json_feed_bad_item_is_one_failure() -> None:
    articles, report = read(FIXTURES / "jsonfeed.json")
    assert len(articles) == 2
    assert reasons(report) == [(f"{FIXTURES / 'jsonfeed.json'}#3", "entry is not a JSON object")]


def test_entry_ids_are_stable_and_distinct(tmp_path: Path) -> None:
    first, _ = read(FIXTURES / "rss20.xml")
    copy = tmp_path / "renamed.rss"
    copy.write_bytes((FIXTURES / "rss20.xml").read_bytes())
    again, _ = read(copy, dedupe=False)
    assert [a.id for a in first] == [a.id for a in again]  # guid, not file or position
    assert len({a.id for a in first}) == 2
    assert all(a.id.startswith("feed-") for a in first)


def test_truncated_feed_reads_entries_then_names_the_break(tmp_path: Path) -> None:
    data = (FIXTURES / "rss20.xml").read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: data.index(b"<title>Huawei")])
    articles, report = read(path)
    assert [a.title for a in articles] == ["Xiaomi opens its third store in Spain"]
    assert reasons(report) == [
        (str(path), "malformed XML (line 22: no element found); 1 entry read before it")]


def test_broken_feed_keeps_the_entries_it_recovered(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<rss version='2.0'><channel><item><title>Apple sued Samsung</title>"
                     b"</mismatch></channel></rss>")
    articles, report = read(path)
    assert [a.text for a in articles] == ["Apple sued Samsung"]
    assert reasons(report) == [
        (str(path), "malformed XML (line 1: mismatched tag); 1 entry read before it")]


def test_harmless_xml_slips_are_not_failures(tmp_path: Path) -> None:
    path = tmp_path / "loose.rss"
    path.write_text(
        "\n  <?xml version='1.0'?>\n<rss version='2.0'><channel><title>T&nbsp;</title><item>"
        "<title>Apple sued Samsung</title><description>Apple sued Samsung in California."
        "</description></item></channel></rss>", encoding="utf-8")
    articles, report = read(path)
    assert [a.text for a in articles] == ["Apple sued Samsung in California."]
    assert reasons(report) == []


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"\x00\x00\x01\x02", "binary file"),
        (b"<?xml version='1.0'?><html><body>Not a feed</body></html>",
         "not a feed (no RSS, RDF or Atom root element)"),
        (b"<rss version='2.0'><channel><title>Empty</title></channel></rss>",
         "feed has no entries"),
        (b"<rss version='2.0'><channel><title>x</mismatch></channel></rss>",
         "not a feed (malformed XML: line 1: mismatched tag)"),
        (b"<?xml version='1.0'?>\n<rss version='2.0'><channel><item><title>cut",
         "not a feed (malformed XML: line 2: no element found)"),
    ],
)
def test_feed_failures(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as info:
        list(parse_feed(data, source="f.xml"))
    assert (info.value.source, info.value.reason) == ("f.xml", reason)


@pytest.mark.parametrize(
    "data, expected_ids, failure",
    [
        (b'[{"id": "a", "text": "Apple sued Samsung."}, {"id": "b", "text": "Two."}]',
         ["a", "b"], None),
        (b'{"id": "one", "text": "One article."}', ["one"], None),
        (b'[{"id": "a", "text": "Fine."}, {"title": "no text"}]', ["a"], "x.json#2"),
    ],
)
def test_json_records(data: bytes, expected_ids: list[str], failure: str | None) -> None:
    items = list(parse_json(data, source="x.json"))
    assert [i.id for i in items if isinstance(i, Article)] == expected_ids
    assert [i.source for i in items if isinstance(i, InputError)] == ([failure] if failure else [])


@pytest.mark.parametrize(
    "data, reason",
    [
        (b'{"items": [', "invalid JSON (Expecting value, line 1 column 12)"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": []}', "feed has no entries"),
        (b"[1, 2]", "not a JSON Feed or article records (expected an object with 'text', an "
                    "array of them, or a JSON Feed)"),
        (b'{"title": "x"}', "not a JSON Feed or an article record (no 'text' field)"),
    ],
)
def test_json_failures(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=None) as info:
        list(parse_json(data, source="x.json"))
    assert info.value.reason == reason


@pytest.mark.parametrize(
    "head, expected",
    [
        (b"<?xml version='1.0'?>\n<rss version='2.0'>", True),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'>", True),
        (b"<rdf:RDF xmlns:rdf='x'>", True),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', True),
        (b"<!DOCTYPE html><html>", False),
        (b'{"text": "an article"}', False),
    ],
)
def test_sniff_feed(head: bytes, expected: bool) -> None:
    assert sniff_feed(head) is expected


def test_feed_recognised_by_content(tmp_path: Path) -> None:
    path = tmp_path / "feed"  # no suffix at all
    path.write_bytes((FIXTURES / "atom.xml").read_bytes())
    articles, _ = read(path)
    assert [a.source for a in articles] == ["Deals Blog", "Deals Blog"]


# --- --fetch, against a real HTTP server on 127.0.0.1 ------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves the test site: an article page, a PDF, a huge page, a slow page, a 404."""

    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}
    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow.html":
            time.sleep(1.5)
        status, content_type, body = self.routes.get(self.path, (404, "text/html", b"gone"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    """A local web server (a real one, on a free port of 127.0.0.1); yields its base URL."""
    _Handler.routes = {
        "/fiserv.html": (200, "text/html; charset=utf-8", PAGE.read_bytes()),
        "/report.pdf": (200, "application/pdf", b"%PDF-1.4 ..."),
        "/huge.html": (200, "text/html", b"<html><body>" + b"<p>word</p>" * 20_000),
        "/slow.html": (200, "text/html", PAGE.read_bytes()),
    }
    _Handler.agents = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening: what an offline machine answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _feed(tmp_path: Path, links: list[str]) -> Path:
    items = "".join(
        f"<item><title>Entry {i}</title><link>{link}</link><guid>g{i}</guid>"
        f"<pubDate>Wed, 16 Jan 2019 08:00:00 GMT</pubDate>"
        f"<description>Summary {i} of the entry.</description></item>"
        for i, link in enumerate(links, 1)
    )
    path = tmp_path / "site.rss"
    path.write_text(f"<rss version='2.0'><channel><title>Local Site</title>{items}"
                    "</channel></rss>", encoding="utf-8")
    return path


def test_fetch_reads_each_entry_page(tmp_path: Path, site: str) -> None:
    feed = _feed(tmp_path, [f"{site}/fiserv.html"])
    (article,), report = read(feed, fetch=True)
    assert reasons(report) == []
    assert "Fiserv chief executive Jeffery Yabuki will lead" in article.text  # the page's text
    assert "Summary 1" not in article.text
    assert (article.title, article.date, article.source) == ("Entry 1", "2019-01-16", "Local Site")
    assert article.author == "Jane Doe"  # the page fills what the entry lacks
    assert article.url == f"{site}/fiserv.html"
    assert article.id == read(feed)[0][0].id  # same entry, same id, fetched or not
    assert _Handler.agents[0].startswith("Mozilla/5.0 (compatible; newsgraph/")


def test_fetch_failures_are_one_line_per_entry(tmp_path: Path, site: str) -> None:
    offline = f"http://127.0.0.1:{_closed_port()}/story.html"
    feed = _feed(tmp_path, [
        f"{site}/fiserv.html",
        f"{site}/missing.html",
        f"{site}/report.pdf",
        f"{site}/huge.html",
        f"{site}/slow.html",
        offline,
        "ftp://example.com/file.html",
    ])
    articles, report = read(feed, fetch=True, fetch_timeout=0.5, fetch_max_bytes=100_000)
    assert [a.title for a in articles] == ["Entry 1"]
    assert reasons(report) == [
        (f"{feed}#2", f"cannot fetch {site}/missing.html: HTTP 404 Not Found"),
        (f"{feed}#3", f"cannot fetch {site}/report.pdf: not a web page (content type "
                      "application/pdf)"),
        (f"{feed}#4", f"cannot fetch {site}/huge.html: page larger than 0.1 MB"),
        (f"{feed}#5", f"cannot fetch {site}/slow.html: timed out after 0.5 s"),
        (f"{feed}#6", f"cannot fetch {offline}: connection refused"),
        (f"{feed}#7", "cannot fetch ftp://example.com/file.html: not an http(s) address"),
    ]


def test_without_fetch_nothing_is_downloaded(tmp_path: Path, site: str) -> None:
    articles, _ = read(_feed(tmp_path, [f"{site}/fiserv.html"]))
    assert articles[0].text == "Summary 1 of the entry."
    assert _Handler.agents == []


def test_fetch_page_follows_redirect_target_and_reports_type(site: str) -> None:
    page = fetch_page(f"{site}/fiserv.html", where="x")
    assert page.content_type == "text/html"
    assert page.data == PAGE.read_bytes()
