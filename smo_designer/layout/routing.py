"""Orthogonal connection routing between two shapes, and repair after a shape moves
(layout layer, pure Python).

Points are docked on the middle of a shape's side, as bpmn-js's ManhattanLayout does, so that
flows look the same whichever tool drew them. `route` makes a fresh path: the usual cases
(straight, a step in the gap between the shapes, a gateway's branch leaving from its top or
bottom corner, a loop back going round below or above) come from templates; anything else,
such as shapes that nearly touch, is found by a shortest-path search over a small grid of
channels around the two shapes. `repair` keeps the user's bend points and re-docks only the
end whose shape moved.

A route never runs through the inside of its source or target, nor along their outlines: it
touches each of them only at its end point.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from ..model.di import Bounds, Point

GAP = 20.0  # how far a route leaves a shape before it turns round
BEND_COST = 20.0  # a bend costs as much as this many units of length when searching a route
EPSILON = 0.5  # coordinates closer than this count as equal (files store up to 3 decimals)

SIDES = ("right", "left", "bottom", "top")
_OUTWARD = {"right": (1, 0), "left": (-1, 0), "bottom": (0, 1), "top": (0, -1)}


def centre(box: Bounds) -> Point:
    return Point(box.x + box.width / 2, box.y + box.height / 2)


def _right(box: Bounds) -> float:
    return box.x + box.width


def _bottom(box: Bounds) -> float:
    return box.y + box.height


def dock(box: Bounds, side: str) -> Point:
    """The middle of a side: 'left', 'right', 'top' or 'bottom'."""
    middle = centre(box)
    return {
        "left": Point(box.x, middle.y),
        "right": Point(_right(box), middle.y),
        "top": Point(middle.x, box.y),
        "bottom": Point(middle.x, _bottom(box)),
    }[side]


def is_orthogonal(points: list[Point]) -> bool:
    return all(abs(a.x - b.x) < EPSILON or abs(a.y - b.y) < EPSILON for a, b in zip(points, points[1:], strict=False))


def translate(points: list[Point], dx: float, dy: float) -> list[Point]:
    return [Point(p.x + dx, p.y + dy) for p in points]


def _dedupe(points: list[Point]) -> list[Point]:
    """Drop repeated points and middle points of straight runs."""
    result: list[Point] = []
    for point in points:
        if result and abs(result[-1].x - point.x) < EPSILON and abs(result[-1].y - point.y) < EPSILON:
            continue
        result.append(point)
    index = 1
    while index < len(result) - 1:
        before, here, after = result[index - 1], result[index], result[index + 1]
        collinear = (abs(before.x - here.x) < EPSILON and abs(here.x - after.x) < EPSILON) or (
            abs(before.y - here.y) < EPSILON and abs(here.y - after.y) < EPSILON
        )
        if collinear:
            del result[index]
        else:
            index += 1
    return result


# --- geometry tests ---------------------------------------------------------------------------


def on_border(box: Bounds, point: Point, tolerance: float = EPSILON) -> bool:
    """Whether a point lies on the outline of a box."""
    inside_x = box.x - tolerance <= point.x <= _right(box) + tolerance
    inside_y = box.y - tolerance <= point.y <= _bottom(box) + tolerance
    on_vertical = abs(point.x - box.x) <= tolerance or abs(point.x - _right(box)) <= tolerance
    on_horizontal = abs(point.y - box.y) <= tolerance or abs(point.y - _bottom(box)) <= tolerance
    return (on_vertical and inside_y) or (on_horizontal and inside_x)


def segment_enters(box: Bounds, a: Point, b: Point) -> bool:
    """Whether the axis-parallel segment a-b passes through the inside of a box (its outline
    excluded)."""
    low_x, high_x = min(a.x, b.x), max(a.x, b.x)
    low_y, high_y = min(a.y, b.y), max(a.y, b.y)
    return (
        high_x > box.x + EPSILON
        and low_x < _right(box) - EPSILON
        and high_y > box.y + EPSILON
        and low_y < _bottom(box) - EPSILON
    )


def _segment_touches(box: Bounds, a: Point, b: Point) -> bool:
    """Whether the segment a-b meets the box, outline included."""
    low_x, high_x = min(a.x, b.x), max(a.x, b.x)
    low_y, high_y = min(a.y, b.y), max(a.y, b.y)
    return (
        high_x >= box.x - EPSILON
        and low_x <= _right(box) + EPSILON
        and high_y >= box.y - EPSILON
        and low_y <= _bottom(box) + EPSILON
    )


def _leaves_cleanly(box: Bounds, end: Point, towards: Point) -> bool:
    """Whether a segment from a point on the box's outline heads away from the box (rather than
    inwards or along the outline)."""
    if abs(end.x - towards.x) < EPSILON:  # vertical
        if abs(end.y - box.y) < EPSILON and box.x + EPSILON < end.x < _right(box) - EPSILON:
            return towards.y < end.y
        if abs(end.y - _bottom(box)) < EPSILON and box.x + EPSILON < end.x < _right(box) - EPSILON:
            return towards.y > end.y
        return False
    if abs(end.x - box.x) < EPSILON and box.y + EPSILON < end.y < _bottom(box) - EPSILON:
        return towards.x < end.x
    if abs(end.x - _right(box)) < EPSILON and box.y + EPSILON < end.y < _bottom(box) - EPSILON:
        return towards.x > end.x
    return False


def is_clear(source: Bounds, target: Bounds, points: list[Point]) -> bool:
    """Whether a route is orthogonal, starts on the source's outline and ends on the target's,
    and otherwise keeps off both shapes: it neither crosses them nor runs along their outlines."""
    if len(points) < 2 or not is_orthogonal(points):
        return False
    if not _leaves_cleanly(source, points[0], points[1]) or not _leaves_cleanly(target, points[-1], points[-2]):
        return False
    last = len(points) - 2
    for index, (a, b) in enumerate(zip(points, points[1:], strict=False)):
        for box, touching_end in ((source, 0), (target, last)):
            if index == touching_end:
                # the end segment may touch its own shape at the end point only
                inner = b if box is source else a
                if _segment_touches(box, inner, inner) or segment_enters(box, a, b):
                    return False
            elif _segment_touches(box, a, b):
                return False
    return True


# --- fresh routes -----------------------------------------------------------------------------


def route(source: Bounds, target: Bounds, *, source_fork: bool = False, target_join: bool = False) -> list[Point]:
    """A fresh orthogonal route from source to target.

    source_fork: the source is a gateway that splits; a branch above or below leaves from the
    top or bottom corner (the way people draw decisions). target_join: the same for a gateway
    that merges, entered from above or below.
    """
    for candidate in _templates(source, target, source_fork, target_join):
        candidate = _dedupe(candidate)
        if is_clear(source, target, candidate):
            return candidate
    found = search_route(source, target, source_fork=source_fork, target_join=target_join)
    if found is not None:
        return found
    # the shapes overlap so that no clear route exists: go round the right-hand side
    start, end = dock(source, "right"), dock(target, "right")
    outside = max(_right(source), _right(target)) + GAP
    return _dedupe([start, Point(outside, start.y), Point(outside, end.y), end])


def _templates(source: Bounds, target: Bounds, source_fork: bool, target_join: bool) -> Iterable[list[Point]]:
    """The routes people draw for the usual relative positions, most wanted first."""
    s, t = centre(source), centre(target)
    if target.x > _right(source) + EPSILON:  # target to the right: the usual forward flow
        if abs(s.y - t.y) < EPSILON:
            yield [dock(source, "right"), dock(target, "left")]
        if source_fork and (t.y < source.y or t.y > _bottom(source)):
            start = dock(source, "top" if t.y < s.y else "bottom")
            yield [start, Point(start.x, t.y), dock(target, "left")]
        if target_join and (s.y < target.y or s.y > _bottom(target)):
            end = dock(target, "top" if s.y < t.y else "bottom")
            yield [dock(source, "right"), Point(end.x, s.y), end]
        start, end = dock(source, "right"), dock(target, "left")
        middle = (start.x + end.x) / 2
        yield [start, Point(middle, start.y), Point(middle, end.y), end]
    elif _right(target) < source.x - EPSILON:  # target to the left: a loop back
        if _bottom(target) < source.y - EPSILON:  # and above: up through the gap
            yield _vertical_step(source, target, "top", "bottom")
        elif target.y > _bottom(source) + EPSILON:  # and below
            yield _vertical_step(source, target, "bottom", "top")
        else:  # beside it: round below, or above when the target stands higher
            yield from _round(source, target, "top" if t.y < s.y - EPSILON else "bottom")
            yield from _round(source, target, "bottom" if t.y < s.y - EPSILON else "top")
    if target.y > _bottom(source) + EPSILON:  # below, overlapping in x
        yield _vertical_step(source, target, "bottom", "top")
    elif _bottom(target) < source.y - EPSILON:  # above
        yield _vertical_step(source, target, "top", "bottom")


def _vertical_step(source: Bounds, target: Bounds, source_side: str, target_side: str) -> list[Point]:
    start, end = dock(source, source_side), dock(target, target_side)
    middle = (start.y + end.y) / 2
    return [start, Point(start.x, middle), Point(end.x, middle), end]


def _round(source: Bounds, target: Bounds, side: str) -> Iterable[list[Point]]:
    """Out of the source's top (bottom) side, along a channel above (below) both shapes, into
    the target's top (bottom) side."""
    start, end = dock(source, side), dock(target, side)
    if side == "bottom":
        channel = max(_bottom(source), _bottom(target)) + GAP
    else:
        channel = min(source.y, target.y) - GAP
    yield [start, Point(start.x, channel), Point(end.x, channel), end]


def search_route(
    source: Bounds,
    target: Bounds,
    *,
    source_fork: bool = False,
    target_join: bool = False,
    source_sides: Iterable[str] | None = None,
    target_sides: Iterable[str] | None = None,
    obstacles: Sequence[Bounds] = (),
) -> list[Point] | None:
    """The cheapest clear route (length plus a cost per bend, plus a small cost for an unusual
    side) over a grid made of the shapes' sides, centres and the channels around and between
    them; None when the shapes overlap so that none exists. Routes also keep off `obstacles`
    (other shapes), passing them at half the usual distance."""
    side_cost = {"right": 0.0, "left": 2 * GAP, "bottom": GAP, "top": GAP}
    start_costs = {side: side_cost[side] for side in (source_sides or SIDES)}
    end_costs = {side: side_cost[_opposite(side)] for side in (target_sides or SIDES)}
    if source_fork:
        start_costs = {side: cost if side not in ("top", "bottom") else 0.0 for side, cost in start_costs.items()}
    if target_join:
        end_costs = {side: cost if side not in ("top", "bottom") else 0.0 for side, cost in end_costs.items()}

    s, t = centre(source), centre(target)
    xs = _channels((source.x, s.x, _right(source)), (target.x, t.x, _right(target)))
    ys = _channels((source.y, s.y, _bottom(source)), (target.y, t.y, _bottom(target)))
    if obstacles:
        margin = GAP / 2
        xs = sorted({*xs, *(o.x - margin for o in obstacles), *(_right(o) + margin for o in obstacles)})
        ys = sorted({*ys, *(o.y - margin for o in obstacles), *(_bottom(o) + margin for o in obstacles)})
        xs = sorted({*xs, xs[0] - GAP, xs[-1] + GAP})
        ys = sorted({*ys, ys[0] - GAP, ys[-1] + GAP})
    column = {x: i for i, x in enumerate(xs)}
    row = {y: j for j, y in enumerate(ys)}
    boxes = (source, target, *obstacles)
    # which grid points and which middles of grid steps lie in a shape (outline included, with
    # is_clear's tolerance): a doubled grid, even indexes for points, odd ones for middles
    xs2 = [value for i, x in enumerate(xs) for value in ((x, (x + xs[i + 1]) / 2) if i + 1 < len(xs) else (x,))]
    ys2 = [value for j, y in enumerate(ys) for value in ((y, (y + ys[j + 1]) / 2) if j + 1 < len(ys) else (y,))]
    width2 = len(xs2)
    covered = bytearray(width2 * len(ys2))
    for box in boxes:
        first_x, last_x = bisect_left(xs2, box.x - EPSILON), bisect_right(xs2, _right(box) + EPSILON)
        first_y, last_y = bisect_left(ys2, box.y - EPSILON), bisect_right(ys2, _bottom(box) + EPSILON)
        for b2 in range(first_y, last_y):
            covered[b2 * width2 + first_x : b2 * width2 + last_x] = b"\x01" * (last_x - first_x)

    def blocked(a2: int, b2: int) -> bool:
        return bool(covered[b2 * width2 + a2])

    starts: dict[tuple[int, int], tuple[float, int]] = {}
    for side, cost in start_costs.items():
        point = dock(source, side)
        if any(blocked_by(box, point) for box in boxes[1:]):
            continue
        direction = SIDES.index(side)
        starts[(column[point.x], row[point.y])] = (cost, direction)
    ends: dict[tuple[int, int], float] = {}
    for side, cost in end_costs.items():
        point = dock(target, side)
        if blocked_by(source, point) or any(blocked_by(box, point) for box in obstacles):
            continue
        ends[(column[point.x], row[point.y])] = cost
    if not starts or not ends:
        return None

    steps = [(1, 0), (-1, 0), (0, 1), (0, -1)]  # in the order of SIDES: right, left, bottom, top
    best: dict[tuple[int, int, int], float] = {}
    previous: dict[tuple[int, int, int], tuple[int, int, int] | None] = {}
    queue: list[tuple[float, int, int, int]] = []
    for (i, j), (cost, direction) in sorted(starts.items()):
        state = (i, j, direction)
        best[state] = cost
        previous[state] = None
        heapq.heappush(queue, (cost, i, j, direction))
    finish: tuple[int, int, int] | None = None
    finish_cost = float("inf")
    while queue:
        cost, i, j, direction = heapq.heappop(queue)
        if cost > best.get((i, j, direction), float("inf")) or cost >= finish_cost:
            continue
        if (i, j) in ends:
            total = cost + ends[(i, j)]
            if total < finish_cost:
                finish_cost, finish = total, (i, j, direction)
            continue
        for new_direction, (di, dj) in enumerate(steps):
            ni, nj = i + di, j + dj
            if not (0 <= ni < len(xs) and 0 <= nj < len(ys)):
                continue
            if blocked(i + ni, j + nj):  # the step's middle, in the doubled grid
                continue  # the step would cross a shape or run along its outline
            if blocked(2 * ni, 2 * nj) and (ni, nj) not in ends:
                continue
            length = abs(xs[ni] - xs[i]) + abs(ys[nj] - ys[j])
            new_cost = cost + length + (BEND_COST if new_direction != direction else 0.0)
            state = (ni, nj, new_direction)
            if new_cost < best.get(state, float("inf")):
                best[state] = new_cost
                previous[state] = (i, j, direction)
                heapq.heappush(queue, (new_cost, ni, nj, new_direction))
    if finish is None:
        return None
    path: list[Point] = []
    state: tuple[int, int, int] | None = finish
    while state is not None:
        path.append(Point(xs[state[0]], ys[state[1]]))
        state = previous[state]
    path.reverse()
    result = _dedupe(path)
    return result if is_clear(source, target, result) and keeps_off(result, obstacles) else None


def keeps_off(points: list[Point], obstacles: Iterable[Bounds]) -> bool:
    """Whether no segment of a route passes through the inside of any of the boxes."""
    return not any(segment_enters(box, a, c) for box in obstacles for a, c in zip(points, points[1:], strict=False))


def blocked_by(box: Bounds, point: Point) -> bool:
    """Whether a point lies in a box, outline included."""
    return box.x - EPSILON <= point.x <= _right(box) + EPSILON and box.y - EPSILON <= point.y <= _bottom(box) + EPSILON


def _opposite(side: str) -> str:
    return {"right": "left", "left": "right", "top": "bottom", "bottom": "top"}[side]


def _channels(a: tuple[float, float, float], b: tuple[float, float, float]) -> list[float]:
    """Coordinates a route may run along on one axis, given each shape's (low side, middle,
    high side): the sides and middles, a channel just outside each side, and the middle of the
    gap between the shapes."""
    (low_a, middle_a, high_a), (low_b, middle_b, high_b) = a, b
    values = {
        low_a,
        middle_a,
        high_a,
        low_b,
        middle_b,
        high_b,
        low_a - GAP,
        high_a + GAP,
        low_b - GAP,
        high_b + GAP,
    }
    if low_b > high_a:
        values.add((high_a + low_b) / 2)
    if low_a > high_b:
        values.add((high_b + low_a) / 2)
    return sorted(values)


# --- repair -----------------------------------------------------------------------------------


def repair(
    source: Bounds,
    target: Bounds,
    points: list[Point],
    *,
    source_fork: bool = False,
    target_join: bool = False,
) -> list[Point]:
    """Re-attach a connection whose ends moved, keeping its inner bend points.

    An end still on its shape's outline stays where it is (the shape did not move); an end
    that came loose is docked again at the middle of the side facing the next bend, and that
    bend slides along its segment so every segment stays horizontal or vertical (bpmn-js's
    waypoint repair). When that cannot work (a bend ends up inside a shape, the route would
    cross one, or only the two ends exist) a fresh route is made.
    """
    points = _dedupe(points)
    if is_clear(source, target, points):
        return points
    if len(points) < 3 or not is_orthogonal(points):
        return route(source, target, source_fork=source_fork, target_join=target_join)
    repaired = list(points)
    if not _attached(source, repaired[0], repaired[1]):
        repaired = _redock_start(source, repaired)
    if not _attached(target, repaired[-1], repaired[-2]):
        repaired = _redock_end(target, repaired)
    repaired = _dedupe(repaired)
    if is_clear(source, target, repaired):
        return repaired
    return route(source, target, source_fork=source_fork, target_join=target_join)


def _attached(box: Bounds, end: Point, towards: Point) -> bool:
    return on_border(box, end) and _leaves_cleanly(box, end, towards)


def _redock_start(box: Bounds, points: list[Point]) -> list[Point]:
    """Dock the first point on the box again, sliding the first bend to keep right angles."""
    bend = points[1]
    horizontal = abs(points[0].y - bend.y) < abs(points[0].x - bend.x)
    middle = centre(box)
    if horizontal:
        start = dock(box, "right" if bend.x >= middle.x else "left")
        moved = Point(bend.x, start.y)
    else:
        start = dock(box, "bottom" if bend.y >= middle.y else "top")
        moved = Point(start.x, bend.y)
    if len(points) == 3:
        # an L: its one bend also serves the other end, which keeps its own axis
        end = points[2]
        moved = Point(end.x, start.y) if horizontal else Point(start.x, end.y)
    return [start, moved, *points[2:]]


def _redock_end(box: Bounds, points: list[Point]) -> list[Point]:
    reversed_points = _redock_start(box, list(reversed(points)))
    return list(reversed(reversed_points))


def middle(points: list[Point]) -> Point | None:
    """The middle of a route by its points: where a flow's name sits."""
    if not points:
        return None
    if len(points) % 2:
        return points[len(points) // 2]
    a, c = points[len(points) // 2 - 1], points[len(points) // 2]
    return Point((a.x + c.x) / 2, (a.y + c.y) / 2)
