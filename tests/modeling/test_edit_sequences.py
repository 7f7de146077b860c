"""Property: any sequence of diagram commands on a model, followed by as many undos, gives back
the model it started from; and every model the commands leave behind is still valid BPMN."""

from __future__ import annotations

from functools import cache

from bpmn_checks import xsd_errors
from conftest import MIWG, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QUndoStack

from smo_designer.commands.base import execute
from smo_designer.commands.diagram import DiagramCommand
from smo_designer.formats.bpmn import parse_bpmn, serialize
from smo_designer.model import bpmn as b
from smo_designer.model import di
from smo_designer.model.di import Bounds, Point
from smo_designer.modeling import clipboard, lanes, shapes
from smo_designer.modeling.shapes import ModelingError, ShapeSpec

SOURCES = [ROOT / "samples" / "incident-management.bpmn", MIWG / "A.4.0.bpmn", MIWG / "B.2.0.bpmn", MIWG / "C.1.0.bpmn"]
KINDS = [
    "task",
    "userTask",
    "startEvent",
    "endEvent",
    "exclusiveGateway",
    "parallelGateway",
    "intermediateThrowEvent",
    "dataObjectReference",
    "textAnnotation",
]


@cache
def source_bytes(index: int) -> bytes:
    return SOURCES[index].read_bytes()


def drawn(document, plane, kinds) -> list:
    index = di.plane_index(document, plane)
    return [
        e
        for ident, d in index.by_element.items()
        if (e := document.element(ident)) is not None and e.local in kinds and di.is_shape(d)
    ]


def one_edit(data, document, plane):
    """A random user intent as (label, function of the document)."""
    index = di.plane_index(document, plane)
    nodes = drawn(document, plane, b.FLOW_NODE_TYPES - {"boundaryEvent"})
    lanes_drawn = drawn(document, plane, {"lane"})
    choice = data.draw(
        st.sampled_from(["move", "create", "connect", "delete", "rename", "replace", "align", "space", "lane", "paste"])
    )
    if choice == "move" and nodes:
        picked = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique_by=id))
        dx, dy = data.draw(st.integers(-200, 200)), data.draw(st.integers(-200, 200))
        drawings = [index.drawing(e.id) for e in picked]
        return "Move", lambda doc: shapes.move_elements(doc, plane, drawings, dx, dy)
    if choice == "create":
        kind = data.draw(st.sampled_from(KINDS))
        anchor = data.draw(st.sampled_from(nodes)) if nodes else None
        box = di.bounds(index.drawing(anchor.id)) if anchor is not None else Bounds(100, 100, 10, 10)
        at = Point(box.x + data.draw(st.integers(-150, 250)), box.y + data.draw(st.integers(-100, 150)))
        return "Create", lambda doc: shapes.create_shape(doc, plane, ShapeSpec(kind), at, name="New")
    if choice == "connect" and len(nodes) >= 2:
        source, target = data.draw(st.lists(st.sampled_from(nodes), min_size=2, max_size=2, unique_by=id))
        return "Connect", lambda doc: shapes.connect(doc, plane, source, target)
    if choice == "delete" and nodes:
        victims = data.draw(st.lists(st.sampled_from(nodes + lanes_drawn), min_size=1, max_size=2, unique_by=id))
        return "Delete", lambda doc: shapes.delete_elements(doc, victims)
    if choice == "rename" and nodes:
        element = data.draw(st.sampled_from(nodes))
        text = data.draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20))
        return "Rename", lambda doc: shapes.set_label(doc, element, text)
    if choice == "replace" and nodes:
        element = data.draw(st.sampled_from(nodes))
        new = data.draw(
            st.sampled_from(
                [
                    "task",
                    "userTask",
                    "exclusiveGateway",
                    "parallelGateway",
                    "intermediateThrowEvent",
                    "endEvent",
                    "subProcess",
                ]
            )
        )
        return "Change type", lambda doc: shapes.replace_element(doc, plane, element, new)
    if choice == "align" and len(nodes) >= 3:
        picked = data.draw(st.lists(st.sampled_from(nodes), min_size=3, max_size=4, unique_by=id))
        how = data.draw(
            st.sampled_from(["left", "center", "right", "top", "middle", "bottom", "horizontal", "vertical"])
        )
        drawings = [index.drawing(e.id) for e in picked]
        if how in ("horizontal", "vertical"):
            return "Distribute", lambda doc: shapes.distribute(doc, plane, drawings, how)
        return "Align", lambda doc: shapes.align(doc, plane, drawings, how)
    if choice == "space" and nodes:
        anchor = di.bounds(index.drawing(data.draw(st.sampled_from(nodes)).id))
        dx = data.draw(st.sampled_from([0, 60, -30]))
        dy = 0 if dx else data.draw(st.sampled_from([50, -20]))
        at = Point(anchor.x, anchor.y)
        return "Make space", lambda doc: shapes.make_space(doc, plane, at, dx, dy)
    if choice == "lane" and lanes_drawn:
        lane = data.draw(st.sampled_from(lanes_drawn))
        action = data.draw(st.sampled_from(["add", "split", "move", "resize", "delete"]))
        if action == "add":
            where = data.draw(st.sampled_from(["before", "after"]))
            return "Add lane", lambda doc: lanes.add_lane(doc, plane, lane, where)
        if action == "split":
            return "Split lane", lambda doc: lanes.split_lane(doc, plane, lane, data.draw(st.integers(2, 3)))
        if action == "move":
            target = data.draw(st.integers(0, 3))
            return "Move lane", lambda doc: lanes.move_lane(doc, plane, lane, target)
        if action == "resize":
            box = di.bounds(index.drawing(lane.id))
            grow = data.draw(st.integers(-40, 80))
            new = Bounds(box.x, box.y, box.width, box.height + grow)
            return "Resize lane", lambda doc: lanes.resize_lane(doc, plane, lane, new, make_space=grow > 60)
        return "Delete lane", lambda doc: lanes.delete_lane(doc, plane, lane)
    if choice == "paste" and nodes:
        picked = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique_by=id))
        copied = clipboard.copy_elements(document, plane, picked)
        if copied is not None:
            return "Paste", lambda doc: clipboard.paste_elements(doc, plane, copied)
    return None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_command_sequence_undoes_to_the_start_and_stays_valid(qapp, data) -> None:
    source = data.draw(st.integers(0, len(SOURCES) - 1))
    document = parse_bpmn(source_bytes(source)).document
    plane = di.plane(di.diagrams(document)[0])
    start = document.content()
    stack = QUndoStack()
    states = [start]
    for _ in range(data.draw(st.integers(1, 6))):
        edit = one_edit(data, document, plane)
        if edit is None:
            continue
        label, function = edit
        try:
            execute(stack, DiagramCommand(document, label, function))
        except ModelingError:
            assert document.content() == states[-1]  # a refused edit changes nothing
            continue
        if stack.count() + 1 > len(states):
            states.append(document.content())
    assert xsd_errors(serialize(document)) == []
    while stack.canUndo():
        stack.undo()
        assert document.content() == states[stack.index()]
    assert document.content() == start
    while stack.canRedo():
        stack.redo()
    assert document.content() == states[-1]
