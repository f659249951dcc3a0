"""Node positions for the HTML view, computed once when the page is written.

Why not leave the layout to the browser: vis-network's physics runs in the reader's
tab, every time the page opens. On the 510 BBC business articles (2,771 entities,
1,570 facts) it kept the tab busy for 9 s and still left a tangle, and half of the
entities, which have no fact at all, were flung onto a ring around it. Computed
here, the layout costs about a second once, the page draws at once for every
reader, the picture is the same each time (seeded), and the browser's physics only
has to polish it.

How: each connected component gets its own layout (pivot MDS for the overall
shape, then Fruchterman–Reingold for the neighbourhoods, vectorised with numpy), the
components are packed in rows
biggest first, and the entities without a fact sit in a grid below them, in the
order the caller gives (the page groups them by type). Coordinates are in
vis-network pixels, so ``edge_length`` is the distance a fact spans at zoom 1.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

__all__ = ["layout"]

_BLOCK = 512  # rows of the pairwise repulsion computed at once: 512 × n × 2 floats
_PAIR_BUDGET = 5e7  # node pairs × iterations per component: under a second
_PIVOTS = 40
_MIN_ITERATIONS = 30
_MAX_ITERATIONS = 150
_GAP = 60.0  # space between packed components, in pixels
_LABEL_WIDTH = 100.0  # room for a label under a node of the grid, at least …
_MAX_LABEL_WIDTH = 320.0  # … and at most (about 40 characters): a longer one may touch the next


def layout(
    nodes: Sequence[Hashable],
    edges: Iterable[tuple[Hashable, Hashable]],
    *,
    sizes: Mapping[Hashable, float] | None = None,
    label_widths: Mapping[Hashable, float] | None = None,
    edge_length: float = 150.0,
    seed: int = 7,
) -> dict[Hashable, tuple[float, float]]:
    """Place ``nodes`` in the plane: components laid out apart, packed, isolated ones gridded.

    Args:
        nodes: The node ids. Their order decides the order of the grid of isolated
            nodes and breaks ties, so the same input gives the same picture.
        edges: Pairs of node ids; direction, duplicates and loops do not matter, and
            pairs naming an unknown node are ignored.
        sizes: Radius of each node in pixels (default 12), so big nodes get room.
        label_widths: Width of each node's label in pixels, so the labels in the
            grid of isolated nodes do not run into each other.
        edge_length: Typical length of an edge, in pixels.
        seed: Seed of the random start positions.

    Returns:
        ``{node: (x, y)}`` for every node, centred on the origin.

    Examples:
        >>> pos = layout(["a", "b", "c", "lonely"], [("a", "b"), ("b", "c")])
        >>> sorted(pos) == ["a", "b", "c", "lonely"]
        True
        >>> 50 < math.dist(pos["a"], pos["b"]) < 400  # an edge spans about edge_length
        True
        >>> layout([], [])
        {}
    """
    order = {node: i for i, node in enumerate(dict.fromkeys(nodes))}
    if not order:
        return {}
    radius = {node: float((sizes or {}).get(node, 12.0)) for node in order}
    neighbours: dict[Hashable, set[Hashable]] = defaultdict(set)
    for a, b in edges:
        if a != b and a in order and b in order:
            neighbours[a].add(b)
            neighbours[b].add(a)

    rng = np.random.default_rng(seed)
    blocks: list[tuple[list[Hashable], np.ndarray]] = []
    for component in _components(order, neighbours):
        coords = _component_layout(component, neighbours, rng) * edge_length
        blocks.append((component, coords))
    isolated = [node for node in order if node not in neighbours]
    if isolated:
        widest = max((float((label_widths or {}).get(n, 0.0)) for n in isolated), default=0.0)
        blocks.append((isolated, _grid(isolated, radius, widest)))
    return _pack(blocks, radius)


def _components(
    order: Mapping[Hashable, int], neighbours: Mapping[Hashable, set[Hashable]]
) -> list[list[Hashable]]:
    """Connected components with an edge, biggest first, each in input order."""
    seen: set[Hashable] = set()
    found: list[list[Hashable]] = []
    for start in order:
        if start in seen or start not in neighbours:
            continue
        seen.add(start)
        stack, members = [start], []
        while stack:
            node = stack.pop()
            members.append(node)
            for other in neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        found.append(sorted(members, key=order.__getitem__))
    found.sort(key=lambda c: (-len(c), order[c[0]]))
    return found


def _component_layout(
    members: list[Hashable], neighbours: Mapping[Hashable, set[Hashable]], rng: np.random.Generator
) -> np.ndarray:
    """Positions of one component in units of the ideal edge length.

    Pivot MDS gives the component its overall shape from graph distances, so
    Fruchterman–Reingold only has to untangle the neighbourhoods: a few dozen steps
    instead of hundreds from random positions, and no long arms left stretched across
    the picture by a start that put them on the wrong side.
    """
    n = len(members)
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    index = {node: i for i, node in enumerate(members)}
    adjacency = [sorted(index[b] for b in neighbours[a]) for a in members]
    pairs = np.array(
        [(i, j) for i, others in enumerate(adjacency) for j in others if i < j], dtype=np.int64
    )
    start = _pivot_mds(adjacency)
    # MDS keeps graph distances, so a long chain comes out as long as the component
    # is wide: start from its shape shrunk to the area the forces will settle in,
    # and let them stretch what needs room. A little noise separates the nodes MDS
    # puts on one spot (the leaves of a hub).
    radius = np.sqrt((start**2).sum(axis=1).mean()) or 1.0
    start *= math.sqrt(n) / 3 / radius
    start += rng.normal(scale=0.05, size=start.shape)
    iterations = int(max(_MIN_ITERATIONS, min(_MAX_ITERATIONS, _PAIR_BUDGET / (n * n))))
    return _lift_off_edges(_fruchterman_reingold(start, pairs, iterations), adjacency)


def _lift_off_edges(pos: np.ndarray, adjacency: list[list[int]]) -> np.ndarray:
    """Move a node off the edge between its only two neighbours when they are linked.

    News graphs are full of such triangles (X based in Paris, X based in France,
    Paris located in France), and the forces put X on the segment Paris–France,
    where its two edges hide the third: no one could hover or read it. Each such
    node goes to the side, the first of a pair half an edge length away (more along
    a long edge), the next ones alternately on the other side and further out.
    """
    linked = {(a, b) for a, others in enumerate(adjacency) for b in others}
    crowd: dict[tuple[int, int], list[int]] = defaultdict(list)
    for node, others in enumerate(adjacency):
        if len(others) == 2 and (others[0], others[1]) in linked:
            crowd[(others[0], others[1])].append(node)
    out = pos.copy()
    for (first, second), members in crowd.items():
        a, b = pos[first], pos[second]
        along = b - a
        length = float(np.hypot(*along))
        if length < 1e-6:
            continue
        unit = along / length
        normal = np.array([-unit[1], unit[0]])
        # the first goes to the side it is on already; the others alternate around it
        sign = 1.0 if float(np.dot(pos[members[0]] - a, normal)) >= 0 else -1.0
        # far enough to tell the edges apart along most of a long edge, too
        step = max(0.5, 0.12 * length)
        for count, node in enumerate(members):
            t = float(np.clip(np.dot(pos[node] - a, unit), 0.25 * length, 0.75 * length))
            offset = step * (1 + count // 2) * (sign if count % 2 == 0 else -sign)
            out[node] = a + unit * t + normal * offset
    return out


def _bfs(adjacency: list[list[int]], source: int) -> np.ndarray:
    distance = np.full(len(adjacency), -1.0)
    distance[source] = 0.0
    frontier = [source]
    level = 0.0
    while frontier:
        level += 1.0
        reached = []
        for node in frontier:
            for other in adjacency[node]:
                if distance[other] < 0:
                    distance[other] = level
                    reached.append(other)
        frontier = reached
    return distance


def _pivot_mds(adjacency: list[list[int]]) -> np.ndarray:
    """Classical MDS on the graph distances to a few pivots (Brandes & Pich, 2006).

    The pivots are the biggest hub, then again and again the node farthest from all
    pivots so far; cost O(pivots × edges) for the distances and an SVD of an
    n × pivots matrix, against O(n²) per step of the force-directed layout.
    """
    n = len(adjacency)
    k = min(_PIVOTS, n)
    distances = np.empty((n, k))
    nearest = np.full(n, np.inf)
    pivot = max(range(n), key=lambda i: (len(adjacency[i]), -i))
    for column in range(k):
        distances[:, column] = _bfs(adjacency, pivot)
        nearest = np.minimum(nearest, distances[:, column])
        pivot = int(np.argmax(nearest))
    squared = distances**2
    centred = -0.5 * (
        squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean()
    )
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    return u[:, :2] * s[:2]


def _fruchterman_reingold(start: np.ndarray, pairs: np.ndarray, iterations: int) -> np.ndarray:
    """Force-directed placement with an ideal distance of 1 and a linearly cooling step.

    Every pair repels with 1/d, every edge attracts with d². The pairwise part is
    computed on x and y separately in float32 and in row blocks: about 4 ns a pair,
    ten times less than the obvious ``(n, n, 2)`` einsum, and memory stays
    O(block × n), not O(n²).
    """
    n = len(start)
    pos = start.astype(np.float32)
    step = math.sqrt(n) / 10
    cooling = step / (iterations + 1)
    src, dst = pairs[:, 0], pairs[:, 1]
    for _ in range(iterations):
        x, y = np.ascontiguousarray(pos[:, 0]), np.ascontiguousarray(pos[:, 1])
        disp = np.empty_like(pos)
        for start in range(0, n, _BLOCK):
            rows = slice(start, start + _BLOCK)
            dx = x[rows, None] - x[None, :]
            dy = y[rows, None] - y[None, :]
            inverse = dx * dx + dy * dy
            np.maximum(inverse, 1e-4, out=inverse)
            np.reciprocal(inverse, out=inverse)
            disp[rows, 0] = np.einsum("ij,ij->i", dx, inverse)
            disp[rows, 1] = np.einsum("ij,ij->i", dy, inverse)
        pull = pos[src] - pos[dst]
        pull *= np.sqrt(np.einsum("ij,ij->i", pull, pull))[:, None]
        np.subtract.at(disp, src, pull)
        np.add.at(disp, dst, pull)
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp))
        np.maximum(length, 1e-9, out=length)
        pos += disp * (np.minimum(length, step) / length)[:, None]
        step -= cooling
    return (pos - pos.mean(axis=0)).astype(float)


def _grid(
    members: list[Hashable], radius: Mapping[Hashable, float], label_width: float
) -> np.ndarray:
    """Nodes without an edge in rows, in the given order, the block about 16:10.

    Cells are wide enough for a label under each node (vis-network writes it
    there), so a zoomed-in grid reads like a list.
    """
    largest = max(radius[node] for node in members)
    room = min(max(label_width, _LABEL_WIDTH), _MAX_LABEL_WIDTH) + 16
    pitch_x, pitch_y = max(2 * largest + 12, room), 2 * largest + 30
    columns = max(1, math.ceil(math.sqrt(len(members) * 1.6 * pitch_y / pitch_x)))
    return np.array(
        [((i % columns) * pitch_x, (i // columns) * pitch_y) for i in range(len(members))],
        dtype=float,
    )


def _pack(
    blocks: list[tuple[list[Hashable], np.ndarray]], radius: Mapping[Hashable, float]
) -> dict[Hashable, tuple[float, float]]:
    """Place the first (biggest) block, and shelf-pack the others in rows beside it.

    A screen is wider than tall: the rest fills a column to the right of the main
    component, about as high as the whole picture would be at 16:10, so the result
    neither trails off in one long row nor stacks into a tower.
    """
    boxes = []
    for members, coords in blocks:
        r = np.array([radius[node] for node in members])
        low = (coords - r[:, None]).min(axis=0)
        high = (coords + r[:, None]).max(axis=0)
        boxes.append((low, (float(high[0] - low[0]), float(high[1] - low[1]))))
    area = [(w + _GAP) * (h + _GAP) for _, (w, h) in boxes]
    first_w, first_h = boxes[0][1]
    height = max(first_h, math.sqrt(sum(area) / 1.6))
    rest_w = max([w for _, (w, _h) in boxes[1:]] + [sum(area[1:]) / height * 1.15])

    offsets = [(0.0, 0.0)]
    left = first_w + _GAP
    x = y = row_height = 0.0
    for _, (w, h) in boxes[1:]:
        if x > 0 and x + w > rest_w:
            x, y, row_height = 0.0, y + row_height + _GAP, 0.0
        offsets.append((left + x, y))
        x += w + _GAP
        row_height = max(row_height, h)

    out: dict[Hashable, tuple[float, float]] = {}
    for (members, coords), (low, _size), offset in zip(blocks, boxes, offsets, strict=True):
        shifted = coords - low + offset
        for node, (px, py) in zip(members, shifted, strict=True):
            out[node] = (float(px), float(py))
    xs, ys = zip(*out.values(), strict=True)
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {node: (round(px - cx, 1), round(py - cy, 1)) for node, (px, py) in out.items()}
