"""Tests for newsgraph.snapshot and ``newsgraph snapshot``: PNGs of pages, taken offline."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest
from browser import chromium_missing_reason
from click.testing import CliRunner, Result
from rdflib import RDF, RDFS, Graph, Literal

from newsgraph.cli import main
from newsgraph.ontology import ENT, NG
from newsgraph.viz import TYPE_COLOURS, render_html

_FILTERS_WIDTH = 215  # CSS pixels: the nav with the legend is 13em of 0.88em text, padded
_HEADER_HEIGHT = 50

pytestmark = pytest.mark.skipif(
    chromium_missing_reason() is not None, reason=chromium_missing_reason() or ""
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking the file is a whole PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR" and data[-8:-4] == b"IEND"
    idat = b"".join(
        data[i + 8 : i + 8 + struct.unpack(">I", data[i : i + 4])[0]]
        for i in _chunks(data)
        if data[i + 4 : i + 8] == b"IDAT"
    )
    zlib.decompress(idat)  # the image data is complete
    return struct.unpack(">II", data[16:24])


def _chunks(data: bytes) -> list[int]:
    offsets, i = [], 8
    while i < len(data):
        offsets.append(i)
        i += 12 + struct.unpack(">I", data[i : i + 4])[0]
    return offsets


def pixels_of_colour(png: Path, colour: str, scale: float = 1.0) -> int:
    """How many pixels of ``png`` right of the filters and below the header are
    (nearly) ``colour``, counted on a canvas: the legend's swatches do not count.

    A browser of its own: the snapshot command runs Playwright's sync API too, and
    two cannot share a thread.
    """
    from browser import launch_chromium

    encoded = base64.b64encode(png.read_bytes()).decode()
    with launch_chromium() as browser:
        page = browser.new_page()
        page.set_content(f'<img id="shot" src="data:image/png;base64,{encoded}">')
        page.wait_for_function("document.getElementById('shot').complete")
        return page.evaluate(
            """([hex, left, top]) => {
                const img = document.getElementById('shot');
                const canvas = document.createElement('canvas');
                canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
                const ctx = canvas.getContext('2d');
                ctx.drawImage(img, 0, 0);
                const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
                const want = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
                let n = 0;
                for (let y = top; y < canvas.height; y++) {
                    for (let x = left; x < canvas.width; x++) {
                        const i = 4 * (y * canvas.width + x);
                        if (want.every((v, k) => Math.abs(px[i + k] - v) < 12)) { n++; }
                    }
                }
                return n;
            }""",
            [colour, round(_FILTERS_WIDTH * scale), round(_HEADER_HEIGHT * scale)],
        )


def one_company_graph() -> Graph:
    g = Graph()
    for slug, label, cls in (("a", "Acme", "Organization"), ("b", "Bolt", "Organization")):
        g.add((ENT[slug], RDF.type, NG[cls]))
        g.add((ENT[slug], RDFS.label, Literal(label)))
        g.add((ENT[slug], NG.mentions, Literal(40)))
    g.add((ENT.a, NG.acquired, ENT.b))
    return g


@pytest.mark.parametrize(
    "args, size",
    [
        ([], (1280, 800)),
        (["--width", "640", "--height", "400"], (640, 400)),
        (["--width", "640", "--height", "400", "--scale", "2"], (1280, 800)),
    ],
)
def test_snapshot_writes_a_png_of_the_asked_size(
    tmp_path: Path, args: list[str], size: tuple[int, int]
) -> None:
    page = render_html(one_company_graph(), tmp_path / "g.html")
    out = tmp_path / "g.png"
    result = run("snapshot", str(page), "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert png_size(out) == size


@pytest.mark.parametrize("graph, drawn", [(one_company_graph(), True), (Graph(), False)])
def test_snapshot_is_taken_once_the_graph_is_drawn(
    tmp_path: Path, graph: Graph, drawn: bool
) -> None:
    page = render_html(graph, tmp_path / "g.html")
    out = tmp_path / "g.png"
    assert run("snapshot", str(page), "-o", str(out)).exit_code == 0
    nodes = pixels_of_colour(out, TYPE_COLOURS["Organization"])
    assert nodes > 100 if drawn else nodes == 0


def test_snapshot_of_another_page_reports_what_it_blocked(tmp_path: Path) -> None:
    page = tmp_path / "cdn.html"
    page.write_text(
        '<!DOCTYPE html><title>x</title><script src="https://cdn.example.org/lib.js"></script>'
        "<p>hello</p>",
        encoding="utf-8",
    )
    out = tmp_path / "cdn.png"
    result = run("snapshot", str(page), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert png_size(out) == (1280, 800)
    assert "blocked a request to https://cdn.example.org/lib.js" in result.stderr


@pytest.mark.parametrize(
    "setup, args, message",
    [
        (None, ["-o", "x.png"], "missing.html: no such file"),
        ("ok", ["-o", "x.jpg"], "x.jpg: the screenshot is a PNG"),
        ("ok", ["-o", "x.png", "--chromium", "/nonexistent/chromium"],
         "/nonexistent/chromium: no Chromium executable there"),
        ("never", ["-o", "x.png", "--timeout", "1"], "the graph was not drawn within 1 s"),
        ("ok", ["-o", "no/such/dir/x.png"], "x.png: cannot write"),
    ],
)
def test_snapshot_failures_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str | None, args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "missing.html"
    if setup == "ok":
        page = render_html(one_company_graph(), tmp_path / "ok.html")
    elif setup == "never":  # claims to be newsgraph's, never says it has drawn
        page = tmp_path / "never.html"
        page.write_text(
            '<!DOCTYPE html><meta name="generator" content="newsgraph"><title>x</title>',
            encoding="utf-8",
        )
    result = run("snapshot", str(page), *args)
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not list(tmp_path.glob("*.png"))
