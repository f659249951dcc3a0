"""Plain-text cleaning: footers, newsletters, teasers and bios out; article sentences in."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.ingest import read_articles
from newsgraph.ingest.clean import (
    is_furniture,
    is_teaser,
    split_run_together,
    stands_alone,
    strip_boilerplate,
)
from newsgraph.ingest.text import clean_article_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
SEEDS = ROOT / "examples" / "articles"


@pytest.mark.parametrize(
    "line",
    [
        "– Contact us at [email protected]",
        "Contact us at newsroom@example.com",
        "EJI Weekly Newsletter",
        "The Morning Newsletter",
        "Please click here to unsubscribe",
        "Click here to subscribe",
        "Unsubscribe",
        "Sign up for our daily briefing",
        "Subscribe to the newsletter",
        "Follow us on Twitter",
        "Follow Reuters on Facebook",
        "Share this article",
        "Share on Facebook",
        "©2019 Bloomberg L.P.",
        "Copyright © 2019 Example News. All rights reserved.",
        "(c) 2018 Example Media",
        "All rights reserved.",
        "ADVERTISEMENT",
        "Archive author:",
        "Related articles",
        "Read more",
        "Read more: TikTok Revamps Lobbying as Washington Targets Chinese Ownership",
        "Website: www.gadget-time.com",
        "Email: jane@example.com",
        "To contact the reporter on this story: Jane Doe in London at jdoe@example.net",
        "For more articles like this, please visit us at bloomberg.com",
    ],
)
def test_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Users can unsubscribe from the service at any time, Xiaomi said.",
        "The newsletter business grew 40% last year, the company said.",
        "Xiaomi signed a memorandum of understanding with Microsoft.",
        "Copyright infringement claims rose sharply in 2019.",
        "Share prices fell 3% on Monday.",
        "Apple will follow Samsung into the market, analysts said.",
        "(C) - Sales made on exporters' own account.",  # a Reuters table legend
        "Contact lenses are a growing business for the company.",
        "Read the full statement on the company's website, it said.",
        "",
        "x" * 161 + " newsletter",  # too long for furniture
    ],
)
def test_not_furniture(line: str) -> None:
    assert not is_furniture(line)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("A new Xiaomi MIUI 8.3 build was released this week –   … read article", True),
        ("Flash Sale Alert! Buy it now for only $9.89 ... Read more »", True),
        ("The company posted a profit [...] Continue reading", True),
        ("He paused … and read the article aloud.", False),
        ("Read more about the deal on page 3.", False),
    ],
)
def test_teaser(line: str, expected: bool) -> None:
    assert is_teaser(line) is expected


def test_footer_and_newsletter_dropped_sentences_kept() -> None:
    (article,) = read_articles([FIXTURES / "boilerplate.txt"])
    assert article.text == (
        "Fiserv said on Wednesday it had completed its acquisition of First Data.\n\n"
        "The combined company will be led by Jeffery Yabuki.\n\n"
        "Users can unsubscribe from the payment service at any time, Fiserv said."
    )
    assert (article.title, article.date) == ("Fiserv completes First Data deal", "2019-06-12")


def test_teasers_bio_and_byline_become_metadata_or_go() -> None:
    (article,) = read_articles([FIXTURES / "teasers.txt"])
    assert article.text == (
        "Xiaomi is preparing to enter the US market, its chairman said on Monday.")
    assert (article.author, article.date) == ("Anna Writer", "2017-03-08")


def test_hard_wrapped_wire_copy_is_left_alone() -> None:
    text = (
        "Net profit was 1.20 dlrs per\n"
        "share on sales of 40.8 mln dlrs.\n"
        "The dividend is payable\n"
        "April 29, 1986.\n"
        "The offering was underwritten\n"
        "by Merrill Lynch Capital Markets and Salomon Brothers Inc.\n"
    )
    assert strip_boilerplate(text).dropped == ()
    assert clean_article_text(text).text == text.strip()


def test_date_inside_the_story_is_kept() -> None:
    text = "The deal was announced on:\n\n24 May 2019\n\nand it closed in June."
    assert strip_boilerplate(text).text == text


def test_dangling_date_at_the_end_is_dropped() -> None:
    cleaned = strip_boilerplate("Xiaomi opened a store.\n\n28 Mar 2017\n\nShare this article")
    assert cleaned.text == "Xiaomi opened a store."
    assert cleaned.dropped == ("28 Mar 2017", "Share this article")


@pytest.mark.parametrize(
    "lines, index, expected",
    [
        (["First line"], 0, True),
        (["It grew.", "Share this"], 1, True),
        (["Profit was 1.20 dlrs per", "share on sales"], 1, False),
        (["", "Share this"], 1, True),
        (["Archive author:", "Website: x.com"], 1, True),
    ],
)
def test_stands_alone(lines: list[str], index: int, expected: bool) -> None:
    assert stands_alone(lines, index) is expected


@given(st.lists(st.sampled_from([
    "Xiaomi opened a store in Spain.", "", "EJI Weekly Newsletter", "24 Mar 2017",
    "Flash sale! … read article", "Share this article", "by Jane Doe", "net profit per",
    "share on sales.", "Please click here to unsubscribe",
]), max_size=12))
def test_cleaning_is_idempotent(lines: list[str]) -> None:
    once = strip_boilerplate("\n".join(lines)).text
    assert strip_boilerplate(once).text == once


# --- the seeds: nothing but boilerplate is dropped -----------------------------------

SEED_DROPPED = {
    "000_61b824737333c4b0": {
        "24 May 2019",  # the date line: now metadata
        "Xiaomi working ‘very, very carefully’ to enter US market: CNBC",  # the title
        "– Contact us at [email\xa0protected]",
        "EJI Weekly Newsletter",
        "Please click here to unsubscribe",
    },
    "001_4ff7d883ba893956": {
        "Xiaomi is in no rush to expand internationally and will expand into the overseas "
        "markets gradually",  # the title
        "by Bayan Temur - date 8 Mar 2017",  # the byline: author and date
        "A blog scientist by mind and a passionate blogger by heart.",  # the author's bio
        "Archive author:",
        "Website: www.gadget-time.com",
        "28 Mar 2017", "24 Mar 2017", "23 Mar 2017", "22 Mar 2017",  # teaser dates
    },
}


@pytest.mark.parametrize("seed", sorted(SEED_DROPPED))
def test_seeds_lose_only_their_furniture(seed: str) -> None:
    raw = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    (article,) = read_articles([SEEDS / f"{seed}.txt"])
    kept = {line.strip() for line in article.text.split("\n") if line.strip()}
    raw_lines = {line.strip() for line in raw.split("\n") if line.strip()}
    dropped = raw_lines - kept
    teasers = {line for line in dropped if line.endswith("read article")}
    assert dropped - teasers == SEED_DROPPED[seed]
    assert len(teasers) == (6 if seed.startswith("001") else 0)
    assert kept <= raw_lines  # nothing rewritten, only lines removed


@pytest.mark.parametrize(
    "text, repaired",
    [
        ("Growth slowed in the UK.This is new.", "Growth slowed in the UK. This is new."),
        ("Shares rose 4.6%.On Monday they fell.", "Shares rose 4.6%. On Monday they fell."),
        ("It ended at 27.66.Palantir fell too.", "It ended at 27.66. Palantir fell too."),
        ("For details click here)In a statement, Exxon said so.",
         "For details click here) In a statement, Exxon said so."),
        ("It declined to commentExxon referred questions to Exxon Mobil.",
         "It declined to comment\n\nExxon referred questions to Exxon Mobil."),
    ],
)
def test_sentences_run_together_are_split(text: str, repaired: str) -> None:
    assert split_run_together(text) == (repaired, 1)
    assert split_run_together(repaired) == (repaired, 0)  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "Shares of Amazon.com rose; J.P.Morgan and GlaxoSmithKline fell.",
        "Halo.Bungie.Org, a fan site, said so.",
        "Shares of <smbs.St> and <Neoy.He> rose in Stockholm.",
        "One.Tel collapsed. One.Tel had debts.",
        "The tenderCare unit was sold.",  # a brand, not named elsewhere on its own
        "Net profit was 1.20 dlrs per\nshare on sales of 40.8 mln dlrs.",
    ],
)
def test_text_that_is_fine_does_not_move(text: str) -> None:
    assert split_run_together(text) == (text, 0)


def test_readers_repair_the_text(tmp_path) -> None:
    from newsgraph.ingest import read_articles

    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "Exxon grew in the UK.This is new. It declined to comment."}\n',
                    encoding="utf-8")
    [article] = list(read_articles([path]))
    assert article.text.startswith("Exxon grew in the UK. This is new.")
