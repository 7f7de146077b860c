"""Creating, connecting, deleting, replacing, arranging and pasting, as the model sees it: the
BPMN rules users expect, references kept whole, files still valid."""

from __future__ import annotations

import pytest
from bpmn_checks import xsd_errors
from conftest import MIWG, ROOT

from smo_designer.formats.bpmn import read_bpmn, serialize
from smo_designer.model import bpmn as b
from smo_designer.model import di
from smo_designer.model.di import Point
from smo_designer.model.namespaces import bpmn
from smo_designer.model.references import dangling_references
from smo_designer.modeling import clipboard, shapes
from smo_designer.modeling.shapes import ModelingError, ShapeSpec

SAMPLE = ROOT / "samples" / "incident-management.bpmn"


def load(path=SAMPLE):
    document = read_bpmn(path).document
    return document, di.plane(di.diagrams(document)[0])


def centre(plane, document, ident) -> Point:
    box = di.bounds(di.plane_index(document, plane).drawing(ident))
    return Point(box.x + box.width / 2, box.y + box.height / 2)


def test_create_places_the_shape_in_the_pool_and_lane_under_the_point() -> None:
    document, plane = load()
    lane_centre = centre(plane, document, "Lane_Specialist")
    with document.edit("Create"):
        element, shape = shapes.create_shape(
            document, plane, ShapeSpec("startEvent", "timer"), lane_centre, name="Every day"
        )
    assert element.parent is document.element("Process_1")
    assert b.event_trigger(element) == "timer"
    assert [lane.id for lane in b.lanes_of(document, element)] == ["Lane_Specialist"]
    assert di.bounds(shape).width == 36
    assert xsd_errors(serialize(document)) == []


def test_create_outside_every_pool_is_refused_and_changes_nothing() -> None:
    document, plane = load()
    before = document.content()
    with pytest.raises(ModelingError, match="inside a pool"):
        with document.edit("Create"):
            shapes.create_shape(document, plane, ShapeSpec("task"), Point(-2000, -2000))
    assert document.content() == before


def test_connect_follows_bpmn_rules() -> None:
    document, plane = load()
    start = document.element(next(e.id for e in document.root.iter(bpmn("startEvent"))))
    end = document.element(next(e.id for e in document.root.iter(bpmn("endEvent"))))
    task = document.element("Activity_LogIncident")
    with pytest.raises(ModelingError, match="end event"):
        shapes.connect(document, plane, end, task)
    with pytest.raises(ModelingError, match="start event"):
        shapes.connect(document, plane, task, start)
    with document.edit("Connect"):
        flow, edge = shapes.connect(document, plane, task, document.element("Activity_CloseIncident"))
    assert flow.local == "sequenceFlow"
    assert any(o.text == flow.id for o in task.findall(bpmn("outgoing")))
    points = di.waypoints(edge)
    assert all(a.x == c.x or a.y == c.y for a, c in zip(points, points[1:], strict=False))
    assert dangling_references(document) == []


def test_a_data_object_connects_to_a_task_by_a_data_association() -> None:
    document, plane = load(MIWG / "C.1.0.bpmn")
    tasks = [t for t in document.root.iter() if t.local == "task" and di.plane_index(document, plane).drawing(t.id)]
    with document.edit("Data"):
        data, _shape = shapes.create_shape(
            document, plane, ShapeSpec("dataObjectReference"), centre(plane, document, tasks[0].id)
        )
        connection, _edge = shapes.connect(document, plane, data, tasks[0])
    assert connection.local == "dataInputAssociation"
    assert xsd_errors(serialize(document)) == []


def test_delete_takes_flows_references_and_drawings_along() -> None:
    document, plane = load()
    task = document.element("Activity_InitialDiagnosis")
    flow_ids = {f.id for f in document.root.iter(bpmn("sequenceFlow")) if task.id in b.connection_ends(f)}
    assert flow_ids
    with document.edit("Delete") as edit:
        shapes.delete_elements(document, [task])
    for ident in flow_ids | {task.id}:
        assert document.element(ident) is None
        assert di.plane_index(document, plane).drawing(ident) is None
    assert dangling_references(document) == []
    assert xsd_errors(serialize(document)) == []
    edit.undo(document)
    assert document.element(task.id) is not None


def test_replace_keeps_id_name_connections_and_drops_what_the_new_kind_cannot_have() -> None:
    document, plane = load(MIWG / "B.2.0.bpmn")
    catch = next(e for e in document.root.iter() if e.local == "intermediateCatchEvent")
    user = next(e for e in document.root.iter(bpmn("userTask")))
    with document.edit("Replace"):
        document.set_attribute(catch, "parallelMultiple", "true")
        document.set_attribute(user, "implementation", "##unspecified")
        thrown = shapes.replace_element(document, plane, catch, "intermediateThrowEvent")
        task = shapes.replace_element(document, plane, user, "scriptTask")
    assert thrown.id == catch.id and "parallelMultiple" not in thrown.attributes
    assert task.id == user.id and b.name(task) == b.name(user)
    assert "implementation" not in task.attributes
    assert xsd_errors(serialize(document)) == []


def test_align_and_distribute() -> None:
    document, plane = load()
    index = di.plane_index(document, plane)
    ids = ["Activity_LogIncident", "Activity_CoordinateMajorIncident", "Activity_InvestigateDiagnose"]
    drawings = [index.drawing(i) for i in ids]
    with document.edit("Align"):
        shapes.align(document, plane, drawings, "left")
    assert len({di.bounds(d).x for d in drawings}) == 1
    with document.edit("Distribute"):
        shapes.distribute(document, plane, drawings, "vertical")
    tops = sorted((di.bounds(d).y, di.bounds(d).height) for d in drawings)
    gaps = [tops[i + 1][0] - (tops[i][0] + tops[i][1]) for i in range(2)]
    assert gaps[0] == pytest.approx(gaps[1])


def test_make_space_moves_what_lies_beyond_and_grows_the_pool() -> None:
    document, plane = load()
    index = di.plane_index(document, plane)
    pool = index.drawing("Participant_ITServiceProvider")
    width = di.bounds(pool).width
    line = centre(plane, document, "Activity_InitialDiagnosis")
    right_of = [d for d in plane.children if di.is_shape(d) and di.bounds(d).x >= line.x]
    xs = [di.bounds(d).x for d in right_of]
    with document.edit("Space"):
        shapes.make_space(document, plane, line, 120, 0)
    assert [di.bounds(d).x for d in right_of] == [x + 120 for x in xs]
    assert di.bounds(pool).width == width + 120


def test_copy_paste_into_another_document_brings_roles_and_fresh_ids() -> None:
    document, plane = load()
    elements = [document.element("Activity_LogIncident"), document.element("Activity_CategorisePrioritise")]
    data = clipboard.copy_elements(document, plane, elements)
    assert data is not None
    other, other_plane = load()
    with other.edit("Paste"):
        pasted = clipboard.paste_elements(other, other_plane, data)
    names = sorted(b.name(e) for e in pasted if e.local == "userTask")
    assert names == ["Categorise and prioritise", "Log incident"]
    assert all(e.id not in ("Activity_LogIncident", "Activity_CategorisePrioritise") for e in pasted)
    assert any(e.local == "sequenceFlow" for e in pasted)
    assert dangling_references(other) == []
    assert xsd_errors(serialize(other)) == []


def test_hostile_clipboard_text_is_refused() -> None:
    document, plane = load()
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(ModelingError, match="clipboard"):
        clipboard.paste_elements(document, plane, evil)
