"""Orthogonal routes and their repair after a move (layout layer)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smo_designer.layout import routing
from smo_designer.layout.routing import dock, repair, route, translate
from smo_designer.model.di import Bounds, Point

TASK = Bounds(100, 100, 100, 80)


def box_at(x: float, y: float, width: float = 100, height: float = 80) -> Bounds:
    return Bounds(x, y, width, height)


def overlaps(a: Bounds, b: Bounds) -> bool:
    """Whether two boxes share inside area (touching outlines do not count)."""
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def assert_route_is_clean(source: Bounds, target: Bounds, points: list[Point]) -> None:
    """What a user sees of a good flow: right angles only, starting on the source's outline,
    ending on the target's, never crossing either shape."""
    assert len(points) >= 2
    assert routing.is_orthogonal(points), points
    assert routing.on_border(source, points[0]), (source, points)
    assert routing.on_border(target, points[-1]), (target, points)
    for a, b in zip(points, points[1:], strict=False):
        assert not routing.segment_enters(source, a, b), (source, points)
        assert not routing.segment_enters(target, a, b), (target, points)
    assert routing.is_clear(source, target, points), (source, target, points)


# --- the shapes people draw -------------------------------------------------------------------


def test_aligned_shapes_get_a_straight_line_between_side_middles() -> None:
    target = box_at(300, 100)
    assert route(TASK, target) == [Point(200, 140), Point(300, 140)]


def test_a_target_lower_right_gets_one_step_halfway_between() -> None:
    target = box_at(300, 300)
    assert route(TASK, target) == [Point(200, 140), Point(250, 140), Point(250, 340), Point(300, 340)]


def test_a_gateway_branch_leaves_from_the_corner_facing_its_target() -> None:
    gateway = Bounds(100, 115, 50, 50)
    below = box_at(250, 300)
    above = box_at(250, -100)
    assert route(gateway, below, source_fork=True) == [Point(125, 165), Point(125, 340), Point(250, 340)]
    assert route(gateway, above, source_fork=True) == [Point(125, 115), Point(125, -60), Point(250, -60)]


def test_a_merging_gateway_is_entered_from_the_side_facing_the_branch() -> None:
    gateway = Bounds(400, 315, 50, 50)
    assert route(TASK, gateway, target_join=True) == [Point(200, 140), Point(425, 140), Point(425, 315)]


def test_a_loop_back_on_the_same_row_goes_round_below_both_shapes() -> None:
    earlier = box_at(-200, 100)
    points = route(TASK, earlier)
    assert points == [Point(150, 180), Point(150, 200), Point(-150, 200), Point(-150, 180)]
    assert_route_is_clean(TASK, earlier, points)


def test_a_loop_back_to_a_higher_shape_goes_round_above() -> None:
    earlier = box_at(-200, 80)
    points = route(TASK, earlier)
    assert points[0] == dock(TASK, "top") and points[-1] == dock(earlier, "top")
    assert min(p.y for p in points) == 80 - routing.GAP  # a channel above both
    assert all(p.y <= 100 for p in points)


def test_a_loop_back_to_a_lane_above_climbs_through_the_gap() -> None:
    earlier = box_at(-200, -100)
    assert route(TASK, earlier) == [Point(150, 100), Point(150, 40), Point(-150, 40), Point(-150, -20)]


def test_shapes_one_above_the_other_are_joined_top_to_bottom() -> None:
    below = box_at(100, 300)
    assert route(TASK, below) == [Point(150, 180), Point(150, 300)]


def test_shapes_too_close_for_a_step_still_get_a_clean_route() -> None:
    # 4 units apart and offset: no room for the middle step, the search goes round
    target = box_at(204, 150)
    assert_route_is_clean(TASK, target, route(TASK, target))


# --- every relative position ------------------------------------------------------------------

coordinate = st.integers(-400, 400).map(float)
size = st.integers(10, 200).map(float)
boxes = st.builds(Bounds, coordinate, coordinate, size, size)


@settings(max_examples=400, deadline=None)
@given(boxes, boxes, st.booleans(), st.booleans())
def test_every_route_between_separate_shapes_is_orthogonal_attached_and_clear(
    source: Bounds, target: Bounds, fork: bool, join: bool
) -> None:
    if overlaps(source, target):
        return
    points = route(source, target, source_fork=fork, target_join=join)
    assert_route_is_clean(source, target, points)


@settings(max_examples=200, deadline=None)
@given(boxes, boxes)
def test_overlapping_shapes_still_get_an_orthogonal_route_from_outline_to_outline(
    source: Bounds, target: Bounds
) -> None:
    points = route(source, target)
    assert routing.is_orthogonal(points)
    assert routing.on_border(source, points[0]) and routing.on_border(target, points[-1])


@settings(max_examples=200, deadline=None)
@given(boxes, boxes)
def test_routing_twice_gives_the_same_points(source: Bounds, target: Bounds) -> None:
    assert route(source, target) == route(source, target)


# --- repair -----------------------------------------------------------------------------------


def test_repair_leaves_a_route_whose_shapes_did_not_move_unchanged() -> None:
    target = box_at(300, 300)
    drawn = [Point(200, 150), Point(260, 150), Point(260, 330), Point(300, 330)]  # off-middle docking
    assert repair(TASK, target, drawn) == drawn


def test_repair_keeps_the_user_bend_when_the_target_moves() -> None:
    # the target stood at (400, 300); the user pulled the vertical run to x=230
    drawn = [Point(200, 140), Point(230, 140), Point(230, 340), Point(400, 340)]
    moved = box_at(450, 360)
    points = repair(TASK, moved, drawn)
    assert points == [Point(200, 140), Point(230, 140), Point(230, 400), Point(450, 400)]
    assert_route_is_clean(TASK, moved, points)


def test_repair_keeps_the_user_bends_when_the_source_moves() -> None:
    target = box_at(400, 300)
    drawn = [Point(200, 140), Point(230, 140), Point(230, 340), Point(400, 340)]
    moved = box_at(80, 60)
    points = repair(moved, target, drawn)
    assert points == [Point(180, 100), Point(230, 100), Point(230, 340), Point(400, 340)]


def test_repair_routes_afresh_when_a_bend_ends_up_inside_the_moved_shape() -> None:
    target = box_at(400, 300)
    drawn = [Point(200, 140), Point(230, 140), Point(230, 340), Point(400, 340)]
    moved = box_at(200, 300)  # now covers the vertical run
    points = repair(moved, target, drawn)
    assert points == route(moved, target)
    assert_route_is_clean(moved, target, points)


def test_repair_of_a_straight_line_keeps_it_straight_while_the_shapes_still_face_each_other() -> None:
    target = box_at(300, 100)
    drawn = route(TASK, target)
    nudged = box_at(300, 110)
    assert repair(TASK, nudged, drawn) == drawn
    far = box_at(300, 300)
    assert repair(TASK, far, drawn) == route(TASK, far)


def test_repair_gives_the_fork_route_when_it_routes_afresh() -> None:
    gateway = Bounds(100, 115, 50, 50)
    below = box_at(250, 300)
    assert repair(gateway, below, [Point(150, 140), Point(250, 140)], source_fork=True) == route(
        gateway, below, source_fork=True
    )


@settings(max_examples=300, deadline=None)
@given(boxes, boxes, st.integers(-300, 300), st.integers(-300, 300), st.booleans())
def test_every_repair_after_a_move_is_orthogonal_attached_and_clear(
    source: Bounds, target: Bounds, dx: int, dy: int, move_source: bool
) -> None:
    if overlaps(source, target):
        return
    drawn = route(source, target)
    if move_source:
        source = Bounds(source.x + dx, source.y + dy, source.width, source.height)
    else:
        target = Bounds(target.x + dx, target.y + dy, target.width, target.height)
    if overlaps(source, target):
        return
    assert_route_is_clean(source, target, repair(source, target, drawn))


@settings(max_examples=200, deadline=None)
@given(boxes, boxes, st.integers(-300, 300), st.integers(-300, 300))
def test_moving_both_ends_alike_keeps_the_shape_of_the_route(source: Bounds, target: Bounds, dx: int, dy: int) -> None:
    if overlaps(source, target):
        return
    drawn = route(source, target)
    moved_source = Bounds(source.x + dx, source.y + dy, source.width, source.height)
    moved_target = Bounds(target.x + dx, target.y + dy, target.width, target.height)
    assert repair(moved_source, moved_target, translate(drawn, dx, dy)) == translate(drawn, dx, dy)
