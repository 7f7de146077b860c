"""The lane and pool checks as a designer meets them: a node in no lane, a lane list that says
something else than the drawing, an empty lane, a sequence flow between pools or drawn out of
its pool; and that the membership they expect is the one the modeling layer keeps."""

from __future__ import annotations

import pytest
from conftest import ROOT, miwg_files

from smo_designer.formats.bpmn import parse_bpmn, read_bpmn
from smo_designer.model import bpmn, di
from smo_designer.model.di import Bounds
from smo_designer.model.document import Document
from smo_designer.model.problems import ERROR, WARNING, Problem
from smo_designer.modeling.lanes import split_lane, sync_lane_membership
from smo_designer.rules.lanes import (
    BETWEEN_POOLS,
    EMPTY,
    LEAVES_POOL,
    OUT_OF_STEP,
    OUTSIDE_LANES,
    check_lanes,
)

INCIDENT = ROOT / "samples" / "incident-management.bpmn"
NAMESPACES = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)


def incident() -> Document:
    return read_bpmn(INCIDENT).document


def plane_of(document: Document):
    plane = di.plane(di.diagrams(document)[0])
    assert plane is not None
    return plane


def move_centre(document: Document, ident: str, x: float, y: float) -> None:
    shape = di.plane_index(document, plane_of(document)).drawing(ident)
    assert shape is not None
    box = di.bounds(shape)
    assert box is not None
    with document.edit("move"):
        di.set_bounds(document, shape, Bounds(x - box.width / 2, y - box.height / 2, box.width, box.height))


def listed_by(document: Document, ident: str) -> list[str]:
    node = document.element(ident)
    assert node is not None
    return [lane.id or "" for lane in bpmn.lanes_of(document, node)]


def of_rule(problems: list[Problem], rule: str) -> list[tuple[str, str, str]]:
    return [(p.severity, p.element, p.message) for p in problems if p.rule == rule]


def test_the_incident_sample_has_no_lane_problem() -> None:
    assert check_lanes(incident()) == []


def test_no_lane_problem_in_the_miwg_reference_models() -> None:
    # drawn by Signavio, Trisotech, MID, IBM and others, which keep lane lists and drawings in step
    for path in miwg_files():
        assert check_lanes(read_bpmn(path).document) == [], path.name


# --- membership out of step --------------------------------------------------------------------


def test_a_node_drawn_in_another_lane_than_the_one_listing_it() -> None:
    document = incident()
    # the lanes: agent y 80-280, manager 280-420, specialist 420-600
    move_centre(document, "Activity_InitialDiagnosis", 770, 490)
    assert of_rule(check_lanes(document), OUT_OF_STEP) == [
        (
            WARNING,
            "Activity_InitialDiagnosis",
            "User task 'Initial diagnosis' is drawn in lane 'Support group specialist (2nd line)', but the file lists "
            "it in lane 'Service desk agent': other modelers and the RACI check go by the list; move the node, or "
            "nudge it to bring the list up to date",
        )
    ]


def test_syncing_the_membership_settles_what_the_check_found() -> None:
    document = incident()
    move_centre(document, "Activity_InitialDiagnosis", 770, 490)
    move_centre(document, "Gateway_MajorIncident", 640, 350)
    assert {p.element for p in check_lanes(document)} == {"Activity_InitialDiagnosis", "Gateway_MajorIncident"}
    with document.edit("sync"):
        sync_lane_membership(document, plane_of(document))
    assert check_lanes(document) == []
    assert listed_by(document, "Activity_InitialDiagnosis") == ["Lane_Specialist"]


@pytest.mark.parametrize(
    "centre",
    [
        (770, 279.5),
        (770, 280),  # on the border between agent and manager: the manager's (start edges in)
        (770, 420),
        (770, 599.5),
        (191, 300),  # the lanes' left edge
        (2359.5, 500),
        (780, 350),  # in a nested lane of the manager's
        (1100, 350),  # on the border of the two nested lanes
    ],
)
def test_the_check_measures_membership_as_the_modeling_layer_keeps_it(centre: tuple[float, float]) -> None:
    """Whatever sync_lane_membership decides, the check calls in step: borders included."""
    document = incident()
    plane = plane_of(document)
    manager = document.element("Lane_Manager")
    assert manager is not None
    with document.edit("split"):
        halves = split_lane(document, plane, manager, 2)
    assert len(halves) == 2
    move_centre(document, "Activity_InitialDiagnosis", *centre)
    with document.edit("sync"):
        sync_lane_membership(document, plane)
    # one half of the split lane may be left empty; nothing is out of step
    assert [p for p in check_lanes(document) if p.rule != EMPTY] == []


def test_a_nested_lane_and_its_parent_both_list_the_node() -> None:
    document = incident()
    plane = plane_of(document)
    manager = document.element("Lane_Manager")
    assert manager is not None
    with document.edit("split"):
        upper, lower = split_lane(document, plane, manager, 2)  # y 280-350 and 350-420
    with document.edit("sync"):
        sync_lane_membership(document, plane)
    node_id = "Activity_AssignSupportGroup"  # centred at y=350: the lower half's start edge
    assert listed_by(document, node_id) == ["Lane_Manager", lower.id]
    assert [p for p in check_lanes(document) if p.rule != EMPTY] == []
    # take the node off its parent lane's list: the drawing still puts it in both
    [ref] = [r for r in manager.findall(bpmn.bpmn("flowNodeRef")) if r.text == node_id]
    with document.edit("unlist"):
        document.remove(ref)
    assert [(p.element, p.message) for p in check_lanes(document) if p.rule == OUT_OF_STEP] == [
        (
            node_id,
            f"User task 'Assign to support group' is drawn in lanes 'Incident manager' and '{lower.id}', but the "
            f"file lists it in lane '{lower.id}': other modelers and the RACI check go by the list; move the node, "
            "or nudge it to bring the list up to date",
        )
    ]


def test_a_node_drawn_outside_every_lane_but_listed_by_one() -> None:
    document = incident()
    move_centre(document, "Activity_LogIncident", 370, 700)  # below the pool
    [problem] = check_lanes(document)
    assert (problem.rule, problem.element) == (OUT_OF_STEP, "Activity_LogIncident")
    assert "is drawn outside every lane, but lane 'Service desk agent' lists it" in problem.message


# --- a node in no lane ---------------------------------------------------------------------------


def test_a_node_no_lane_lists_and_drawn_in_none_is_outside_the_lanes() -> None:
    document = incident()
    node = document.element("Activity_LogIncident")
    assert node is not None
    with document.edit("unlist"):
        for lane in bpmn.lanes_of(document, node):
            for ref in lane.findall(bpmn.bpmn("flowNodeRef")):
                if ref.text == node.id:
                    document.remove(ref)
    move_centre(document, "Activity_LogIncident", 175, 190)  # in the pool's name band
    assert of_rule(check_lanes(document), OUTSIDE_LANES) == [
        (
            WARNING,
            "Activity_LogIncident",
            "User task 'Log incident' is in none of the lanes of pool 'IT service provider' and is drawn outside "
            "them: no role's lane holds it; move it into the lane of the role that does it",
        )
    ]
    # drawn back inside a lane, it is no longer outside: the list is what is wrong then
    move_centre(document, "Activity_LogIncident", 370, 190)
    assert [p.rule for p in check_lanes(document)] == [OUT_OF_STEP]


def model(process: str, *, collaboration: str = "", diagram: str = "", processes: str = "") -> Document:
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions {NAMESPACES} id="Definitions" '
        f'targetNamespace="https://example.org/test">{collaboration}'
        f'<bpmn:process id="P" name="Onboarding">{process}</bpmn:process>{processes}{diagram}</bpmn:definitions>'
    )
    loaded = parse_bpmn(text.encode())
    assert loaded.problems == []
    return loaded.document


def test_an_undrawn_node_no_lane_lists_is_outside_the_lanes() -> None:
    document = model(
        "<bpmn:laneSet id='LS'><bpmn:lane id='HR' name='HR'><bpmn:flowNodeRef>A</bpmn:flowNodeRef></bpmn:lane>"
        "</bpmn:laneSet><bpmn:task id='A' name='Sign contract'/><bpmn:task id='B' name='Order laptop'/>"
    )
    assert [(p.rule, p.element) for p in check_lanes(document)] == [(OUTSIDE_LANES, "B")]
    assert check_lanes(model("<bpmn:task id='A' name='Sign contract'/>")) == []  # no lanes, no lane rules


def test_a_boundary_event_no_lane_lists_belongs_to_its_activitys_lane() -> None:
    document = model(
        "<bpmn:laneSet id='LS'><bpmn:lane id='HR' name='HR'><bpmn:flowNodeRef>A</bpmn:flowNodeRef></bpmn:lane>"
        "</bpmn:laneSet><bpmn:task id='A' name='Sign contract'/>"
        "<bpmn:boundaryEvent id='T' name='A week' attachedToRef='A'><bpmn:timerEventDefinition/></bpmn:boundaryEvent>"
    )
    assert check_lanes(document) == []


# --- empty lanes -----------------------------------------------------------------------------------


def test_an_empty_lane_is_reported_and_a_lane_split_into_lanes_is_not() -> None:
    document = incident()
    plane = plane_of(document)
    manager = document.element("Lane_Manager")
    assert manager is not None
    with document.edit("split"):
        upper, _ = split_lane(document, plane, manager, 2)
    with document.edit("sync"):
        sync_lane_membership(document, plane)
    # the manager's activities stand on y=350, the lower half's start edge: the upper half is empty,
    # and the manager's lane, now split, holds what its halves hold
    assert of_rule(check_lanes(document), EMPTY) == [
        (WARNING, upper.id, "Lane holds no activity, event or gateway: remove it, or give its role the work it does")
    ]


def test_a_lane_with_a_node_drawn_in_it_is_not_empty_but_out_of_step() -> None:
    document = model(
        "<bpmn:laneSet id='LS'><bpmn:lane id='HR' name='HR'><bpmn:flowNodeRef>A</bpmn:flowNodeRef></bpmn:lane>"
        "<bpmn:lane id='IT' name='IT'/></bpmn:laneSet><bpmn:task id='A' name='Order laptop'/>",
        diagram=diagram(
            "P",
            {"HR": (0, 0, 600, 100), "IT": (0, 100, 600, 100), "A": (100, 110, 100, 80)},
        ),
    )
    assert [(p.rule, p.element) for p in check_lanes(document)] == [(OUT_OF_STEP, "A")]


def diagram(root: str, shapes: dict[str, tuple[float, ...]], edges: dict[str, list[tuple[float, float]]] | None = None):
    parts = [f'<bpmndi:BPMNDiagram id="Diagram"><bpmndi:BPMNPlane id="Plane" bpmnElement="{root}">']
    for ident, (x, y, w, h) in shapes.items():
        parts.append(
            f'<bpmndi:BPMNShape id="{ident}_di" bpmnElement="{ident}" isHorizontal="true"><dc:Bounds x="{x}" y="{y}" '
            f'width="{w}" height="{h}"/></bpmndi:BPMNShape>'
        )
    for ident, points in (edges or {}).items():
        waypoints = "".join(f'<di:waypoint x="{x}" y="{y}"/>' for x, y in points)
        parts.append(f'<bpmndi:BPMNEdge id="{ident}_di" bpmnElement="{ident}">{waypoints}</bpmndi:BPMNEdge>')
    parts.append("</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>")
    return "".join(parts)


# --- flows and pools ---------------------------------------------------------------------------------

TWO_POOLS = (
    '<bpmn:collaboration id="C"><bpmn:participant id="HR" name="HR" processRef="P"/>'
    '<bpmn:participant id="IT" name="IT department" processRef="P2"/></bpmn:collaboration>'
)


def test_a_sequence_flow_between_two_pools_is_an_error() -> None:
    document = model(
        "<bpmn:task id='A' name='Request laptop'/><bpmn:sequenceFlow id='F' sourceRef='A' targetRef='B'/>",
        collaboration=TWO_POOLS,
        processes="<bpmn:process id='P2'><bpmn:task id='B' name='Order laptop'/></bpmn:process>",
    )
    assert of_rule(check_lanes(document), BETWEEN_POOLS) == [
        (
            ERROR,
            "F",
            "Sequence flow runs from task 'Request laptop' in pool 'HR' to task 'Order laptop' in pool "
            "'IT department': a sequence flow stays inside one pool; between pools, use a message flow",
        )
    ]


def test_a_sequence_flow_drawn_out_of_its_pool_is_a_warning() -> None:
    process = (
        "<bpmn:task id='A' name='Sign contract'/><bpmn:task id='B' name='Order laptop'/>"
        "<bpmn:sequenceFlow id='F' sourceRef='A' targetRef='B'/>"
    )
    shapes = {"HR": (0, 0, 600, 200), "IT": (0, 240, 600, 100), "A": (100, 60, 100, 80), "B": (300, 60, 100, 80)}
    inside = [(200, 100), (250, 100), (250, 200), (300, 200)]  # the last two on the pool's border
    outside = [(200, 100), (250, 100), (250, 290), (350, 290), (350, 140)]  # through the other pool
    for points, expected in ((inside, []), (outside, [(LEAVES_POOL, "F")])):
        document = model(
            process,
            collaboration=TWO_POOLS,
            processes="<bpmn:process id='P2'/>",
            diagram=diagram("C", shapes, {"F": points}),
        )
        assert [(p.rule, p.element) for p in check_lanes(document)] == expected
    [problem] = check_lanes(document)
    assert problem.severity == WARNING
    assert problem.message.startswith("Sequence flow is drawn leaving pool 'HR'")


def test_a_vertical_pool_is_measured_the_same_way() -> None:
    document = model(
        "<bpmn:laneSet id='LS'><bpmn:lane id='HR' name='HR'><bpmn:flowNodeRef>A</bpmn:flowNodeRef></bpmn:lane>"
        "<bpmn:lane id='IT' name='IT'><bpmn:flowNodeRef>B</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"
        "<bpmn:task id='A' name='Sign contract'/><bpmn:task id='B' name='Order laptop'/>",
        diagram=diagram(
            "P",
            {"HR": (0, 0, 150, 600), "IT": (150, 0, 150, 600), "A": (25, 100, 100, 80), "B": (25, 300, 100, 80)},
        ),
    )
    # B is drawn in the left lane, HR, while IT lists it; IT is not empty, its list names B
    assert [(p.rule, p.element) for p in check_lanes(document)] == [(OUT_OF_STEP, "B")]
