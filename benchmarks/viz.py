"""How fast the HTML view of a large graph renders in Python and draws in Chromium.

Builds the graph of the BBC business articles (the 510 records of
../shared/data/corpora/bbc-news-2225.jsonl.gz whose ``section`` is ``business``)
with the small model, or reads a graph file given with ``--graph``, then for each
``--max-nodes`` setting prints:

- entities and facts shown (of all), the HTML size;
- the render time in Python (select, lay out, write);
- the draw time in headless Chromium (the system one, offline): from navigation
  start to the first frame drawn after the layout settled, best and median of
  ``--rounds`` page loads, and the wall time Playwright saw;
- pan and zoom: the median and worst time vis-network spends drawing one frame
  while the mouse drags the view and turns the wheel.

    .venv/bin/python benchmarks/viz.py                        # build, then measure
    .venv/bin/python benchmarks/viz.py --save /tmp/bbc.trig   # keep the graph …
    .venv/bin/python benchmarks/viz.py --graph /tmp/bbc.trig  # … and reuse it

Skips (exit status 0) when the corpus is absent and no graph is given.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import newsgraph
from newsgraph.evaluate import load_graph
from newsgraph.snapshot import launch_chromium, open_offline
from newsgraph.viz import DEFAULT_MAX_NODES, render_html, select_view

# The tests' paths module knows where ../shared is and how to pick a BBC section.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from paths import BBC, SMALL_MODEL, bbc_articles

# Frames drawn while the view is dragged and zoomed with the mouse, as vis-network
# reports them (beforeDrawing → afterDrawing), in milliseconds.
_RECORD_FRAMES = """() => {
    window.__frames = [];
    let started = 0;
    network.on('beforeDrawing', () => { started = performance.now(); });
    network.on('afterDrawing', () => { window.__frames.push(performance.now() - started); });
}"""


def pan_and_zoom(page: Any) -> list[float]:
    """Drag the view around and zoom in and out; the frame draw times seen meanwhile."""
    page.evaluate(_RECORD_FRAMES)
    box = page.evaluate(
        """() => { const r = network.body.container.getBoundingClientRect();
                   return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }"""
    )
    page.mouse.move(box["x"], box["y"])
    for step in range(6):
        page.mouse.wheel(0, -240 if step < 3 else 240)
        page.wait_for_timeout(60)
    page.mouse.down()
    for step in range(20):
        page.mouse.move(box["x"] + 10 * step, box["y"] + 6 * step)
    page.mouse.up()
    page.wait_for_timeout(100)
    return page.evaluate("window.__frames")


def draw(browser: Any, path: Path) -> dict[str, Any]:
    """Load the page once; when its graph was drawn, and how pan and zoom went."""
    started = time.perf_counter()
    with open_offline(browser, path) as (page, log):
        page.wait_for_selector("body[data-drawn='true']", state="attached", timeout=120_000)
        wall = time.perf_counter() - started
        timings = page.evaluate("newsgraph.timings")
        shown = page.evaluate(
            "[network.body.data.nodes.length, network.body.data.edges.length]"
        )
        frames = pan_and_zoom(page)
    if log.blocked or log.errors:
        raise SystemExit(f"{path}: blocked {log.blocked}, errors {log.errors}")
    return {"wall": wall, "drawn_ms": timings["drawn"], "shown": shown, "frames": frames}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graph", type=Path, help="Graph file to draw instead of building.")
    parser.add_argument("--save", type=Path, help="Keep the built graph here.")
    parser.add_argument("--corpus", type=Path, default=BBC)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-nodes", type=int, nargs="+", default=[DEFAULT_MAX_NODES, 0],
                        help="Settings to measure (0: every entity).")
    args = parser.parse_args(argv)

    if args.graph:
        started = time.perf_counter()
        graph = load_graph(args.graph)
        print(f"read {args.graph}: {len(graph)} triples in {time.perf_counter() - started:.1f} s")
    elif args.corpus.exists():
        articles = bbc_articles("business", args.corpus)
        started = time.perf_counter()
        kg = newsgraph.build(articles, model=SMALL_MODEL)
        print(f"built {len(articles)} BBC business articles with {SMALL_MODEL} in "
              f"{time.perf_counter() - started:.1f} s: {kg.stats.entities} entities, "
              f"{kg.stats.facts} facts, {len(kg)} triples")
        if args.save:
            kg.write(args.save)
        graph = kg.graph
    else:
        print(f"skipped: {args.corpus} not found (../shared/data is not beside the repository)")
        return 0

    with tempfile.TemporaryDirectory() as tmp, launch_chromium() as browser:
        for limit in args.max_nodes:
            path = Path(tmp) / f"bbc-{limit}.html"
            started = time.perf_counter()
            view = select_view(graph, max_nodes=limit)
            render_html(view, path, title="BBC business")
            render_s = time.perf_counter() - started
            runs = [draw(browser, path) for _ in range(args.rounds)]
            drawn = sorted(run["drawn_ms"] / 1000 for run in runs)
            frames = [f for run in runs for f in run["frames"]]
            print(
                f"--max-nodes {limit}: {view.summary()}; shown in the page "
                f"{runs[0]['shown'][0]} nodes, {runs[0]['shown'][1]} edges; "
                f"HTML {path.stat().st_size / 1e6:.2f} MB; render {render_s:.2f} s; "
                f"drawn in {drawn[0]:.2f} s best, {statistics.median(drawn):.2f} s median "
                f"(wall {statistics.median(r['wall'] for r in runs):.2f} s); "
                f"pan/zoom frames {statistics.median(frames):.0f} ms median, "
                f"{max(frames):.0f} ms worst ({len(frames)} frames)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
