"""The document's mutation API: changes, events, undo and redo, ids and schema order."""

from __future__ import annotations

import pytest
from bpmn_checks import xsd_errors
from conftest import MIWG

from smo_designer.formats.bpmn import parse_bpmn, read_bpmn, serialize
from smo_designer.model import bpmn, di
from smo_designer.model.document import NCNAME, AttributeChanged, ChildInserted, ChildRemoved, TextChanged
from smo_designer.model.element import Element
from smo_designer.model.namespaces import bpmn as tag
from smo_designer.model.namespaces import bpmndi, dc
from smo_designer.model.references import dangling_references, references_to


def test_every_change_reaches_subscribers_in_order() -> None:
    document = bpmn.new_document("Incident")
    process = bpmn.processes(document)[0]
    seen = []
    unsubscribe = document.subscribe(seen.append)
    task = bpmn.create(document, process, "userTask", {"name": "Log incident"}, id_prefix="Activity")
    document.set_attribute(task, "name", "Log and categorise")
    bpmn.set_documentation(document, task, "Record every incident.")
    document.remove(task)
    unsubscribe()
    document.set_attribute(process, "name", "ignored")
    assert [type(change) for change in seen] == [ChildInserted, AttributeChanged, ChildInserted, ChildRemoved]
    assert seen[1].old == "Log incident" and seen[1].new == "Log and categorise"


def test_an_edit_undoes_and_redoes_to_equal_documents() -> None:
    document = read_bpmn(MIWG / "A.2.0.bpmn").document
    before = document.content()
    process = bpmn.processes(document)[0]
    with document.edit("Add and rename") as edit:
        task = bpmn.create(document, process, "task", {"name": "Review"}, id_prefix="Activity")
        document.set_attribute(task, "name", "Review request")
        first = next(bpmn.flow_elements(process))
        document.remove(first)
        document.set_text(bpmn.create(document, task, "documentation"), "why")
    after = document.content()
    assert after != before
    edit.undo(document)
    assert document.content() == before
    edit.redo(document)
    assert document.content() == after


def test_an_edit_that_fails_is_rolled_back_whole() -> None:
    document = bpmn.new_document()
    before = document.content()
    process = bpmn.processes(document)[0]
    with pytest.raises(RuntimeError):
        with document.edit("Broken"):
            bpmn.create(document, process, "task", id_prefix="Activity")
            document.set_attribute(process, "name", "half")
            raise RuntimeError("disk full")
    assert document.content() == before


def test_nested_edits_join_the_outer_one() -> None:
    document = bpmn.new_document()
    process = bpmn.processes(document)[0]
    with document.edit("Outer") as outer:
        with document.edit("Inner") as inner:
            document.set_attribute(process, "name", "P")
        document.set_attribute(process, "isClosed", "false")
    assert inner is outer and len(outer.changes) == 2


def test_new_ids_are_unique_valid_ncnames() -> None:
    document = read_bpmn(MIWG / "B.2.0.bpmn").document
    existing = set(document.ids())
    fresh = [document.new_id(prefix) for prefix in ["Activity", "Activity", "9lives", "a b:c", ""] * 20]
    assert len(set(fresh)) == len(fresh)
    assert not existing & set(fresh)
    assert all(NCNAME.match(ident) for ident in fresh)


def test_id_index_follows_inserts_removals_and_renames() -> None:
    document = bpmn.new_document()
    process = bpmn.processes(document)[0]
    task = bpmn.create(document, process, "task", id_prefix="Activity")
    ident = task.id
    assert document.element(ident) is task
    document.set_attribute(task, "id", "Renamed")
    assert document.element(ident) is None and document.element("Renamed") is task
    document.remove(task)
    assert document.element("Renamed") is None


def test_vendor_ids_are_not_document_ids() -> None:
    # C.8.0 carries an ADONIS extension element whose id repeats the process id
    result = read_bpmn(MIWG / "C.8.0.bpmn")
    assert result.problems == []
    assert result.document.element("VacationRequestProcess").local == "process"


def test_children_are_inserted_in_schema_order() -> None:
    document = bpmn.new_document()
    process = bpmn.processes(document)[0]
    task = bpmn.create(document, process, "task", id_prefix="Activity")
    bpmn.create(document, task, "standardLoopCharacteristics", id_prefix="Loop")
    bpmn.create(document, task, "outgoing", text="Flow_1")
    bpmn.create(document, task, "incoming", text="Flow_0")
    bpmn.extension_elements(document, task)
    bpmn.set_documentation(document, task, "text")
    assert [c.local for c in task.children] == [
        "documentation",
        "extensionElements",
        "incoming",
        "outgoing",
        "standardLoopCharacteristics",
    ]
    bpmn.create(document, process, "laneSet", id_prefix="LaneSet")
    assert [c.local for c in process.children] == ["laneSet", "task"]


def test_geometry_edits_write_plain_numbers() -> None:
    document = bpmn.new_document()
    plane = di.plane(di.diagrams(document)[0])
    shape = Element(bpmndi("BPMNShape"), {"id": "S", "bpmnElement": "Process_1"})
    document.append(plane, shape)
    di.set_bounds(document, shape, di.Bounds(10, 20.5, 100.0, 80.00000001))
    assert shape.find(dc("Bounds")).attributes == {"x": "10", "y": "20.5", "width": "100", "height": "80"}
    assert di.bounds(shape) == di.Bounds(10, 20.5, 100, 80)


def test_waypoints_are_replaced_in_place() -> None:
    document = read_bpmn(MIWG / "A.1.0.bpmn").document
    edge = next(e for e in di.diagram_elements(document) if di.is_edge(e))
    with document.edit("Route") as edit:
        di.set_waypoints(document, edge, [di.Point(0, 0), di.Point(0, 50), di.Point(80, 50)])
    assert di.waypoints(edge) == [di.Point(0, 0), di.Point(0, 50), di.Point(80, 50)]
    edit.undo(document)
    saved = serialize(document)
    assert saved == serialize(read_bpmn(MIWG / "A.1.0.bpmn").document)


def test_references_are_found_and_dangling_ones_reported() -> None:
    document = read_bpmn(MIWG / "A.1.0.bpmn").document
    task = next(e for e in document.root.iter() if bpmn.kind(e) == "task")
    holders = {ref.holder.local for ref in references_to(document, task.id)}
    assert {"sequenceFlow", "BPMNShape"} <= holders
    assert dangling_references(document) == []
    document.remove(task)
    assert {ref.value for ref in dangling_references(document)} == {task.id}


def test_blank_document_is_valid_and_round_trips() -> None:
    document = bpmn.new_document("Change enablement")
    data = serialize(document)
    assert xsd_errors(data) == []
    assert parse_bpmn(data).document.content() == document.content()


def test_prolog_comments_are_kept() -> None:
    data = serialize(read_bpmn(MIWG / "C.3.0.bpmn").document)
    assert data.split(b"\n")[1].startswith(b"<!--Created by Process Modeler")


def test_text_edits_keep_everything_else() -> None:
    document = read_bpmn(MIWG / "C.1.0.bpmn").document
    task = next(e for e in document.root.iter() if bpmn.kind(e) == "userTask")
    before = [(c.tag, dict(c.attributes)) for c in task.children]
    bpmn.set_name(document, task, "Renamed")
    assert [(c.tag, dict(c.attributes)) for c in task.children] == before
    reloaded = parse_bpmn(serialize(document)).document
    assert bpmn.name(reloaded.element(task.id)) == "Renamed"


def test_text_changed_event_carries_old_and_new() -> None:
    document = bpmn.new_document()
    process = bpmn.processes(document)[0]
    doc = bpmn.create(document, process, "documentation", text="old")
    seen = []
    document.subscribe(seen.append)
    document.set_text(doc, "new")
    assert isinstance(seen[0], TextChanged) and (seen[0].old, seen[0].new) == ("old", "new")
    assert doc.tag == tag("documentation")


def test_special_characters_survive_a_save_and_load() -> None:
    document = bpmn.new_document("R&D <pilot>")
    process = bpmn.processes(document)[0]
    values = ["a & b", "&#38; literally", 'say "hi"', "line 1\nline 2\ttab\r", "<tag> & ]]>", "Café – 事件"]
    tasks = [bpmn.create(document, process, "task", {"name": value}, id_prefix="Activity") for value in values]
    for task, value in zip(tasks, values, strict=True):
        bpmn.set_documentation(document, task, value)
    reloaded = parse_bpmn(serialize(document)).document
    for task, value in zip(tasks, values, strict=True):
        again = reloaded.element(task.id)
        assert bpmn.name(again) == value
        assert bpmn.documentation(again) == value
    assert reloaded.root.get("name") == "R&D <pilot>"


def test_mixed_content_is_kept_exactly() -> None:
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">'
        b'<bpmn:process id="P"><bpmn:documentation textFormat="text/html">Call <b>now</b> <i>or</i> later'
        b'</bpmn:documentation><bpmn:extensionElements><v:note xmlns:v="urn:vendor">  spaced  </v:note>'
        b"</bpmn:extensionElements></bpmn:process></bpmn:definitions>"
    )
    document = parse_bpmn(data).document
    saved = serialize(document)
    assert b"Call <b>now</b> <i>or</i> later</bpmn:documentation>" in saved
    assert b'<v:note xmlns:v="urn:vendor">  spaced  </v:note>' in saved
    assert parse_bpmn(saved).document.content() == document.content()


def test_control_characters_are_refused_before_they_reach_a_file() -> None:
    document = bpmn.new_document()
    process = bpmn.processes(document)[0]
    with pytest.raises(ValueError, match="U\\+0007"):
        document.set_attribute(process, "name", "bell\x07")
    with pytest.raises(ValueError):
        bpmn.create(document, process, "documentation", text="nul\x00")
    assert xsd_errors(serialize(document)) == []


def test_root_elements_stay_before_the_diagrams() -> None:
    document = bpmn.new_document()
    collaboration = bpmn.create(document, document.root, "collaboration", id_prefix="Collaboration")
    assert [c.local for c in document.root.children] == ["process", "collaboration", "BPMNDiagram"]
    assert collaboration.parent is document.root
    assert xsd_errors(serialize(document)) == []
