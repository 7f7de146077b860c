"""The model recognises everything the MIWG reference models contain."""

from __future__ import annotations

from functools import cache

from bpmn_checks import xsd_errors
from conftest import MIWG, miwg_files

from smo_designer.formats.bpmn import parse_bpmn, read_bpmn, serialize
from smo_designer.model import bpmn, di
from smo_designer.model.document import Document


@cache
def documents() -> tuple[Document, ...]:
    return tuple(read_bpmn(path).document for path in miwg_files())


def all_elements():
    for document in documents():
        yield from document.root.iter()


def test_the_references_kinds_are_recognised() -> None:
    kinds = {bpmn.kind(e) for e in all_elements()}
    assert bpmn.TASK_TYPES - {"scriptTask"} <= kinds
    assert {"subProcess", "callActivity"} <= kinds
    assert bpmn.GATEWAY_TYPES - {"complexGateway"} <= kinds
    assert bpmn.DATA_TYPES <= kinds and bpmn.ARTIFACT_TYPES <= kinds
    assert {"dataInputAssociation", "dataOutputAssociation", "messageFlow", "participant", "collaboration"} <= kinds
    assert {"message", "signal", "error", "itemDefinition", "resource", "documentation"} <= kinds
    triggers = {bpmn.event_trigger(e) for e in all_elements() if bpmn.kind(e) in bpmn.EVENT_TYPES}
    assert {"none", "message", "timer", "error", "escalation", "compensate", "conditional", "link"} <= triggers
    assert {"signal", "terminate"} <= triggers
    markers = {bpmn.loop_marker(e) for e in all_elements() if bpmn.kind(e) in bpmn.ACTIVITY_TYPES}
    assert {"loop", "parallel", "sequential"} <= markers
    assert any(bpmn.is_event_subprocess(e) for e in all_elements())
    boundary = [e for e in all_elements() if bpmn.kind(e) == "boundaryEvent"]
    assert {bpmn.is_interrupting(e) for e in boundary} == {True, False}


def test_kinds_the_references_lack_are_held_too() -> None:
    """Script tasks, complex gateways, cancel, multiple and parallel multiple events and
    nested lanes are not in the MIWG set; build them and read them back."""
    document = bpmn.new_document()
    process = bpmn.processes(document)[0]
    for kind in sorted(bpmn.TASK_TYPES | bpmn.GATEWAY_TYPES | {"transaction", "adHocSubProcess", "callActivity"}):
        bpmn.create(document, process, kind, {"name": kind}, id_prefix="Node")
    definitions = {
        "cancel": ["cancelEventDefinition"],
        "multiple": ["messageEventDefinition", "signalEventDefinition"],
        "parallelMultiple": ["messageEventDefinition", "timerEventDefinition"],
        "escalation": ["escalationEventDefinition"],
    }
    for trigger, locals_ in definitions.items():
        event = bpmn.create(document, process, "intermediateCatchEvent", {"name": trigger}, id_prefix="Event")
        if trigger == "parallelMultiple":
            document.set_attribute(event, "parallelMultiple", "true")
        for local in locals_:
            bpmn.create(document, event, local, id_prefix="Definition")
    lane_set = bpmn.create(document, process, "laneSet", id_prefix="LaneSet")
    outer = bpmn.create(document, lane_set, "lane", {"name": "Service desk"}, id_prefix="Lane")
    inner_set = bpmn.create(document, outer, "childLaneSet", id_prefix="LaneSet")
    bpmn.create(document, inner_set, "lane", {"name": "First line"}, id_prefix="Lane")

    reloaded = parse_bpmn(serialize(document)).document
    assert xsd_errors(serialize(reloaded)) == []
    kinds = {bpmn.kind(e) for e in reloaded.root.iter()}
    assert bpmn.TASK_TYPES | bpmn.GATEWAY_TYPES <= kinds
    triggers = {bpmn.name(e): bpmn.event_trigger(e) for e in reloaded.root.iter() if bpmn.kind(e) in bpmn.EVENT_TYPES}
    assert triggers == {trigger: trigger for trigger in definitions}
    assert [bpmn.name(lane) for lane in bpmn.lanes(bpmn.processes(reloaded)[0])] == ["Service desk", "First line"]


def test_conditional_and_default_flows_are_recognised() -> None:
    flows = [e for e in all_elements() if bpmn.kind(e) == "sequenceFlow"]
    assert any(f.find(bpmn.bpmn("conditionExpression")) is not None for f in flows)
    defaults = [e.get("default") for e in all_elements() if e.get("default")]
    assert defaults


def test_black_box_pools_are_participants_without_process() -> None:
    document = read_bpmn(MIWG / "C.1.0.bpmn").document
    collaboration = bpmn.collaborations(document)[0]
    pool = bpmn.create(document, collaboration, "participant", {"name": "Customer"}, id_prefix="Participant")
    reloaded = parse_bpmn(serialize(document)).document
    pools = {bpmn.name(p): p.get("processRef") for p in bpmn.participants(reloaded)}
    assert pools["Customer"] is None and pool.id in reloaded.ids()
    assert any(ref is not None for ref in pools.values())


def test_lanes_know_their_nodes() -> None:
    document = read_bpmn(MIWG / "A.4.0.bpmn").document
    task = next(e for e in document.root.iter() if bpmn.name(e) == "Task 5")
    assert [bpmn.name(lane) for lane in bpmn.lanes_of(document, task)] == ["Lane 1"]


def test_diagram_interchange_is_read_apart_from_semantics() -> None:
    shapes = [s for d in documents() for s in di.diagram_elements(d) if di.is_shape(s)]
    edges = [s for d in documents() for s in di.diagram_elements(d) if di.is_edge(s)]
    assert all(di.bounds(s) is not None for s in shapes)
    assert all(len(di.waypoints(e)) >= 2 for e in edges)
    assert {di.is_horizontal(s) for s in shapes} >= {True}
    assert {di.is_expanded(s) for s in shapes} >= {True, False}
    assert any(s.get("isMarkerVisible") == "true" for s in shapes)
    assert any(di.label_bounds(s) is not None for s in shapes + edges)
    assert max(len(di.diagrams(d)) for d in documents()) > 1
