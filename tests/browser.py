"""Drive the system Chromium over generated pages: launch, open offline, point and hover.

Test helper (not part of the package). It never downloads a browser: it drives the
Debian ``/usr/bin/chromium`` through Playwright, and tests skip when that binary is
absent. Pages open through :func:`newsgraph.snapshot.open_offline`, which aborts and
records every request other than the page itself, so a test can assert that a page
works with no network at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from newsgraph.snapshot import CHROMIUM, PageLog, open_offline
from newsgraph.snapshot import launch_chromium as _launch

__all__ = [
    "CHROMIUM",
    "PageLog",
    "chromium_missing_reason",
    "hover_tooltip",
    "launch_chromium",
    "open_offline",
    "screen_point_of_edge",
    "screen_point_of_node",
    "screen_points_of_edge",
    "wait_until",
]


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return (
            f"{CHROMIUM} not found: browser tests need the system Chromium (apt install chromium)"
        )
    return None


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Start headless Debian Chromium (exactly /usr/bin/chromium) for the block."""
    with _launch(CHROMIUM) as browser:
        yield browser


def screen_point_of_node(page: Any, node_id: str) -> dict[str, float]:
    """Viewport coordinates of a node's centre, via ``network.canvasToDOM``."""
    return page.evaluate(
        """(id) => {
            const rect = network.body.container.getBoundingClientRect();
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            if (network.getNodeAt(p) !== id) { throw new Error('node ' + id + ' is covered'); }
            return {x: rect.left + p.x, y: rect.top + p.y};
        }""",
        node_id,
    )


def screen_points_of_edge(page: Any, edge_id: str) -> list[dict[str, float]]:
    """Viewport points on an edge that hit that edge and nothing else, middle first.

    A point must not lie on a node, nor within 8 pixels of another (straight) edge:
    where two edges cross or run close, vis-network may show either one's tooltip.
    """
    return page.evaluate(
        """(id) => {
            const e = network.body.data.edges.get(id);
            const all = network.getPositions();
            const a = all[e.from], b = all[e.to];
            const scale = network.getScale();
            const rect = network.body.container.getBoundingClientRect();
            const others = network.body.data.edges.get().filter(o => o.id !== id);
            const near = (p, o) => {  // canvas distance from p to edge o, in screen pixels
                const u = all[o.from], v = all[o.to];
                const dx = v.x - u.x, dy = v.y - u.y, len = dx * dx + dy * dy || 1;
                const t = Math.max(0, Math.min(1, ((p.x - u.x) * dx + (p.y - u.y) * dy) / len));
                return Math.hypot(p.x - u.x - t * dx, p.y - u.y - t * dy) * scale;
            };
            const found = [];
            for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65, 0.25, 0.75]) {
                const c = {x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)};
                const p = network.canvasToDOM(c);
                const inside = p.x > 2 && p.y > 2 && p.x < rect.width - 2 && p.y < rect.height - 2;
                if (inside && network.getEdgeAt(p) === id && network.getNodeAt(p) === undefined
                        && others.every(o => near(c, o) > 8)) {
                    found.push({x: rect.left + p.x, y: rect.top + p.y});
                }
            }
            if (!found.length) { throw new Error('no point of edge ' + id + ' can be hovered'); }
            return found;
        }""",
        edge_id,
    )


def screen_point_of_edge(page: Any, edge_id: str) -> dict[str, float]:
    """The first of :func:`screen_points_of_edge`."""
    return screen_points_of_edge(page, edge_id)[0]


def _empty_point(page: Any) -> dict[str, float]:
    """A point of the canvas over no node and no edge, to rest the mouse on."""
    return page.evaluate(
        """() => {
            const r = network.body.container.getBoundingClientRect();
            for (let y = 3; y < r.height; y += 17) {
                for (let x = 3; x < r.width; x += 17) {
                    const p = {x: x, y: y};
                    if (network.getNodeAt(p) === undefined && network.getEdgeAt(p) === undefined) {
                        return {x: r.left + x, y: r.top + y};
                    }
                }
            }
            throw new Error('the canvas has no empty point');
        }"""
    )


def hover_tooltip(
    page: Any,
    points: dict[str, float] | list[dict[str, float]],
    expect: str,
    *,
    attempts: int = 3,
    timeout: float = 4000,
) -> Any:
    """Hover ``points`` in turn and return ``div.vis-tooltip`` once it shows ``expect``.

    The mouse first rests on an empty point of the canvas, so the tooltip of a
    previous hover closes and a fresh one opens after vis-network's delay. Under
    load a hover can be missed (the delay timer and the mouse events race), and a
    point can show a crossing edge's tooltip, so each point is tried a few times
    and then the next, before the test fails.
    """
    rest = _empty_point(page)
    seen: list[str] = []
    for point in [points] if isinstance(points, dict) else points:
        for _ in range(attempts):
            page.mouse.move(rest["x"], rest["y"])
            page.wait_for_function(
                """() => { const t = document.querySelector('div.vis-tooltip');
                           return !t || getComputedStyle(t).visibility !== 'visible'; }""",
                timeout=timeout,
            )
            page.mouse.move(point["x"], point["y"], steps=4)
            try:
                page.wait_for_function(
                    """(expect) => { const t = document.querySelector('div.vis-tooltip');
                                     return t && getComputedStyle(t).visibility === 'visible'
                                            && t.innerText.includes(expect); }""",
                    arg=expect,
                    timeout=timeout,
                )
                return page.query_selector("div.vis-tooltip")
            except Exception:  # Playwright's TimeoutError: look at what showed, try again
                shown = page.evaluate(
                    "(document.querySelector('div.vis-tooltip') || {}).innerText || ''"
                )
                seen.append(shown.split("\n")[0])
    raise AssertionError(f"no tooltip showing {expect!r}; saw {seen}")


def wait_until(page: Any, condition: Callable[[], bool], *, timeout: float = 10_000) -> None:
    """Wait for a condition on what the page has logged (checked in Python).

    Console messages and requests reach Python as events, which Playwright delivers
    while it waits; so wait in short steps until the condition holds, and fail
    after ``timeout`` milliseconds rather than guess how long is enough.
    """
    deadline = time.monotonic() + timeout / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout / 1000:g} s")
        page.wait_for_timeout(20)
