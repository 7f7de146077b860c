"""Invariants over random edit sequences (hypothesis): undo gives back the start, and every
document the model can hold survives a save and a load."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smo_designer.formats.bpmn import parse_bpmn, serialize
from smo_designer.model import bpmn, di, smo
from smo_designer.model.document import Document
from smo_designer.model.element import Element
from smo_designer.model.namespaces import bpmndi

# Text a user can type: anything XML can hold, including newlines, tabs and non-Latin scripts.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\n\t\r "),
    max_size=30,
)
COORDINATE = st.floats(min_value=-5000, max_value=5000, allow_nan=False).map(lambda v: round(v, 2))
LETTERS = st.sets(st.sampled_from("RASCI")).map("".join)


def _activities(document: Document) -> list[Element]:
    return [e for e in document.root.iter() if bpmn.kind(e) in bpmn.ACTIVITY_TYPES]


def _shapes(document: Document) -> list[Element]:
    return [e for e in di.diagram_elements(document) if di.is_shape(e)]


def apply_random_edit(document: Document, data: st.DataObject) -> None:
    process = bpmn.processes(document)[0]
    plane = di.plane(di.diagrams(document)[0])
    operation = data.draw(
        st.sampled_from(
            ["task", "rename", "describe", "connect", "lane", "role", "raci", "move", "remove", "policy", "kpi", "meta"]
        )
    )
    if operation == "task":
        kind = data.draw(st.sampled_from(sorted(bpmn.TASK_TYPES | {"subProcess", "callActivity"})))
        task = bpmn.create(document, process, kind, {"name": data.draw(TEXT)}, id_prefix="Activity")
        shape = Element(bpmndi("BPMNShape"), {"id": document.new_id(f"{task.id}_di"), "bpmnElement": task.id})
        document.append(plane, shape)
        di.set_bounds(document, shape, di.Bounds(data.draw(COORDINATE), data.draw(COORDINATE), 100, 80))
    elif operation == "rename" and _activities(document):
        bpmn.set_name(document, data.draw(st.sampled_from(_activities(document))), data.draw(TEXT))
    elif operation == "describe" and _activities(document):
        bpmn.set_documentation(document, data.draw(st.sampled_from(_activities(document))), data.draw(TEXT))
    elif operation == "connect" and len(_activities(document)) >= 2:
        source, target = data.draw(st.permutations(_activities(document)))[:2]
        flow = bpmn.create(
            document, process, "sequenceFlow", {"sourceRef": source.id, "targetRef": target.id}, id_prefix="Flow"
        )
        bpmn.create(document, source, "outgoing", text=flow.id)
        bpmn.create(document, target, "incoming", text=flow.id)
        edge = Element(bpmndi("BPMNEdge"), {"id": document.new_id(f"{flow.id}_di"), "bpmnElement": flow.id})
        document.append(plane, edge)
        di.set_waypoints(document, edge, [di.Point(data.draw(COORDINATE), data.draw(COORDINATE)) for _ in range(3)])
    elif operation == "lane":
        lane_set = process.find(bpmn.bpmn("laneSet")) or bpmn.create(document, process, "laneSet", id_prefix="LaneSet")
        lane = bpmn.create(document, lane_set, "lane", {"name": data.draw(TEXT)}, id_prefix="Lane")
        roles = smo.roles(document)
        if roles:
            smo.set_lane_role(document, lane, data.draw(st.sampled_from(roles)).id)
    elif operation == "role":
        smo.add_role(document, data.draw(TEXT), data.draw(TEXT), data.draw(st.sampled_from(["", "group", "person"])))
    elif operation == "raci" and _activities(document) and smo.roles(document):
        activity = data.draw(st.sampled_from(_activities(document)))
        smo.set_raci(document, activity, data.draw(st.sampled_from(smo.roles(document))).id, data.draw(LETTERS))
    elif operation == "move" and _shapes(document):
        shape = data.draw(st.sampled_from(_shapes(document)))
        di.set_bounds(document, shape, di.Bounds(data.draw(COORDINATE), data.draw(COORDINATE), 120, 80))
    elif operation == "remove" and _activities(document):
        document.remove(data.draw(st.sampled_from(_activities(document))))
    elif operation == "policy":
        links = tuple(a.id for a in _activities(document)[:2])
        smo.add_policy(
            document,
            smo.Policy(identifier="POL-1", title=data.draw(TEXT), statement=data.draw(TEXT), links=links),
        )
    elif operation == "kpi":
        smo.add_kpi(document, process, smo.Kpi(name=data.draw(TEXT), target=data.draw(TEXT), unit="%"))
    elif operation == "meta":
        smo.set_metadata(document, smo.Metadata(title=data.draw(TEXT), version=data.draw(TEXT), status="draft"))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_any_edit_sequence_then_as_many_undos_gives_back_the_start(data: st.DataObject) -> None:
    document = bpmn.new_document("Incident management")
    start = document.content()
    edits = []
    for _ in range(data.draw(st.integers(1, 12))):
        with document.edit("random") as edit:
            apply_random_edit(document, data)
        edits.append(edit)
    for edit in reversed(edits):
        edit.undo(document)
    assert document.content() == start
    assert serialize(document) == serialize(bpmn.new_document("Incident management"))


@SETTINGS
@given(st.data())
def test_documents_built_by_random_edits_survive_save_and_load(data: st.DataObject) -> None:
    document = bpmn.new_document("Problem management")
    for _ in range(data.draw(st.integers(1, 15))):
        apply_random_edit(document, data)
    saved = serialize(document)
    loaded = parse_bpmn(saved, "saved").document
    assert loaded.content() == document.content()
    assert serialize(loaded) == saved
    assert smo.raci_matrix(loaded) == smo.raci_matrix(document)
    assert smo.policies(loaded) == smo.policies(document)
