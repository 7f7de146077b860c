"""Positions for undrawn elements on opening a file, and tidying up a selection (layout layer)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bpmn_checks import xsd_errors
from conftest import miwg_files
from test_autolayout import (
    build,
    drawn,
    inside,
    laid_out,
    layout_problems,
    load_without_di,
    model,
    shapes_of,
    without_di,
)

from smo_designer.formats.bpmn import read_bpmn, serialize
from smo_designer.layout.autolayout import layout_diagram
from smo_designer.layout.placement import place_missing
from smo_designer.model import bpmn as b
from smo_designer.model import di
from smo_designer.model.di import Bounds
from smo_designer.model.document import Document

REFERENCES = pytest.mark.parametrize("reference", miwg_files(), ids=lambda p: p.stem)


def drop_some_shapes(document: Document, every: int = 3) -> set[str]:
    """Remove the shape of every `every`-th flow node of each diagram, and the edges touching
    one: what a file from a tool that drew only part of a model looks like."""
    removed: set[str] = set()
    for diagram in di.diagrams(document):
        plane = di.plane(diagram)
        shapes = [c for c in plane.children if di.is_shape(c)]
        for number, shape in enumerate(shapes):
            element = document.element(shape.get("bpmnElement"))
            if element is not None and element.local in b.FLOW_NODE_TYPES and number % every == 0:
                removed.add(element.id)
                document.remove(shape)
        for edge in [c for c in plane.children if di.is_edge(c)]:
            connection = document.element(edge.get("bpmnElement"))
            if connection is not None and set(b.connection_ends(connection)) & removed:
                removed.add(connection.id)
                document.remove(edge)
    return removed


def node_boxes(document: Document) -> dict[str, Bounds]:
    found = {}
    for shape in di.diagram_elements(document):
        if di.is_shape(shape):
            element = document.element(shape.get("bpmnElement"))
            if element is not None and element.local in b.FLOW_NODE_TYPES:
                found[element.id] = di.bounds(shape)
    return found


# --- files with some DI ------------------------------------------------------------------------


@REFERENCES
def test_undrawn_nodes_and_flows_of_a_reference_get_clean_places(reference: Path) -> None:
    document = read_bpmn(reference).document
    removed = drop_some_shapes(document)
    before = drawn(document)
    with document.edit("Place"):
        count = place_missing(document)
    now = drawn(document)
    assert removed <= now
    assert count == len(now - before)
    assert layout_problems(document, only=now - before) == []
    assert xsd_errors(serialize(document)) == []


@pytest.mark.parametrize("name", ["A.1.0", "A.2.0", "A.3.0", "C.1.0", "C.4.0", "C.5.0", "C.7.0", "C.8.0"])
def test_shapes_already_drawn_stay_where_they_are(name: str) -> None:
    document = read_bpmn(next(p for p in miwg_files() if p.stem == name)).document
    drop_some_shapes(document)
    kept = node_boxes(document)
    place_missing(document)
    after = node_boxes(document)
    assert {ident: after[ident] for ident in kept} == kept


def test_a_missing_step_goes_right_of_the_step_before_it_in_its_lane() -> None:
    document = laid_out(without_di(build(30)))
    plane = di.plane(di.diagrams(document)[0])
    process = b.processes(document)[0]
    lanes = b.lanes(process)
    missing = lanes[1].findall(b.bpmn("flowNodeRef"))[0].text  # the first step of the second lane
    flows = [f for f in process.findall(b.bpmn("sequenceFlow")) if missing in b.connection_ends(f)]
    previous = next(f.get("sourceRef") for f in flows if f.get("targetRef") == missing)
    for child in [c for c in plane.children if c.get("bpmnElement") in {missing, *(f.id for f in flows)}]:
        document.remove(child)
    assert place_missing(document) == 1 + len(flows)
    shapes = shapes_of(document, plane)
    placed, before = shapes[missing][1], shapes[previous][1]
    assert placed.x > before.x + before.width
    lane = lanes[1]
    assert inside(shapes[lane.id][1], placed)
    assert layout_problems(document) == []


def test_a_file_without_any_di_gets_the_full_layout() -> None:
    reference = next(p for p in miwg_files() if p.stem == "C.1.0")
    document = load_without_di(reference)
    count = place_missing(document)
    assert count == len(drawn(document)) and count > 40
    assert layout_problems(document) == []
    fresh = laid_out(load_without_di(reference))
    assert serialize(document) == serialize(fresh)


def test_a_pool_nobody_drew_goes_below_the_others() -> None:
    reference = next(p for p in miwg_files() if p.stem == "C.1.0")
    document = read_bpmn(reference).document
    plane = di.plane(di.diagrams(document)[0])
    pool = b.participants(document)[0]
    process = document.element(pool.get("processRef"))
    inside_pool = {pool.id} | {e.id for e in process.iter() if e.id}
    for child in [c for c in plane.children if c.get("bpmnElement") in inside_pool]:
        document.remove(child)
    for child in [c for c in plane.children if di.is_edge(c)]:
        flow = document.element(child.get("bpmnElement"))
        if set(b.connection_ends(flow)) & inside_pool:
            document.remove(child)
    others = {k: v for k, v in node_boxes(document).items()}
    lowest = max(box.y + box.height for box in others.values())
    place_missing(document)
    shapes = shapes_of(document, plane)
    assert shapes[pool.id][1].y > lowest
    assert {k: node_boxes(document)[k] for k in others} == others
    assert layout_problems(document) == []


def test_placing_twice_changes_nothing_the_second_time() -> None:
    document = read_bpmn(next(p for p in miwg_files() if p.stem == "B.1.0")).document
    drop_some_shapes(document)
    place_missing(document)
    once = serialize(document)
    with document.edit("Place") as edit:
        assert place_missing(document) == 0
    assert serialize(document) == once and edit.changes == []


def test_placing_is_one_undo_step() -> None:
    document = read_bpmn(next(p for p in miwg_files() if p.stem == "C.2.0")).document
    drop_some_shapes(document)
    start = document.content()
    with document.edit("Place") as edit:
        place_missing(document)
    edit.undo(document)
    assert document.content() == start


# --- tidying up a selection ------------------------------------------------------------------


def scramble(document: Document, idents: list[str]) -> None:
    """Move some steps about inside their lanes, as a hurried facilitator leaves them."""
    plane = di.plane(di.diagrams(document)[0])
    shapes = shapes_of(document, plane)
    for number, ident in enumerate(idents):
        shape, box = shapes[ident]
        di.set_bounds(document, shape, Bounds(box.x + (number % 3) * 37 - 20, box.y + (number % 2) * 9, 100, 80))


def test_a_tidied_selection_moves_only_its_steps_and_leaves_them_clean() -> None:
    document = laid_out(without_di(build(60)))
    plane = di.plane(di.diagrams(document)[0])
    chosen = [f"{kind}_{n}" for n in range(14, 22) for kind in ("UserTask", "ServiceTask", "ManualTask", "Task")]
    chosen = [c for c in chosen if document.element(c) is not None]
    scramble(document, chosen)
    before = {k: v for k, (_, v) in shapes_of(document, plane).items()}
    with document.edit("Tidy up selection") as edit:
        layout_diagram(document, plane, elements=set(chosen))
    after = {k: v for k, (_, v) in shapes_of(document, plane).items()}
    unchosen_moved = [k for k in before if k not in chosen and before[k] != after[k]]
    assert unchosen_moved == []
    assert layout_problems(document, only=set(chosen)) == []
    assert any(before[k] != after[k] for k in chosen)
    edit.undo(document)
    assert {k: v for k, (_, v) in shapes_of(document, plane).items()} == before


def test_a_tidied_chain_runs_left_to_right_where_the_selection_started() -> None:
    document = model(
        '<process id="P"><startEvent id="S"/><task id="A"/><task id="B"/><task id="C"/><endEvent id="E"/>'
        '<sequenceFlow id="f1" sourceRef="S" targetRef="A"/><sequenceFlow id="f2" sourceRef="A" targetRef="B"/>'
        '<sequenceFlow id="f3" sourceRef="B" targetRef="C"/><sequenceFlow id="f4" sourceRef="C" targetRef="E"/>'
        "</process>"
    )
    laid_out(document)
    plane = di.plane(di.diagrams(document)[0])
    shapes = shapes_of(document, plane)
    # the user piled B and C on top of each other, below A
    a = shapes["A"][1]
    di.set_bounds(document, shapes["B"][0], Bounds(a.x + 20, a.y + 200, 100, 80))
    di.set_bounds(document, shapes["C"][0], Bounds(a.x + 60, a.y + 220, 100, 80))
    start = shapes_of(document, plane)
    layout_diagram(document, plane, elements={"A", "B", "C"})
    shapes = shapes_of(document, plane)
    a, b_, c = shapes["A"][1], shapes["B"][1], shapes["C"][1]
    assert a.x + a.width < b_.x and b_.x + b_.width < c.x
    assert a.y == b_.y == c.y  # one straight line
    assert a.x == min(start[k][1].x for k in "ABC")
    assert shapes["S"][1] == start["S"][1] and shapes["E"][1] == start["E"][1]
    assert layout_problems(document) == []
