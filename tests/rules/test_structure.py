"""The structural checks (bpmnlint's recommended rules): each rule finds what it should and no
more, says it so that a designer understands, and agrees with bpmnlint itself on the MIWG
reference models and on small models, except for the differences documented here."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, miwg_files

from smo_designer.formats.bpmn import parse_bpmn, read_bpmn
from smo_designer.model import bpmn
from smo_designer.model.document import Document
from smo_designer.model.problems import ERROR, WARNING, Problem
from smo_designer.rules import lanes as lane_rules
from smo_designer.rules.structure import RULES, check_bpmn, check_structure

NAMESPACES = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def model_xml(process: str, *, before: str = "", after: str = "") -> str:
    """A definitions element holding one process 'Onboarding' (id P) with the given content."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions {NAMESPACES} id="Definitions" '
        f'targetNamespace="https://example.org/test">{before}'
        f'<bpmn:process id="P" name="Onboarding" isExecutable="false">{process}</bpmn:process>'
        f"{after}</bpmn:definitions>"
    )


def model(process: str, *, before: str = "", after: str = "") -> Document:
    loaded = parse_bpmn(model_xml(process, before=before, after=after).encode())
    assert loaded.problems == []
    return loaded.document


def flow(source: str, target: str, *, condition: str = "", name: str = "", ident: str = "") -> str:
    ident = ident or f"{source}_{target}"
    named = f' name="{name}"' if name else ""
    if not condition:
        return f'<bpmn:sequenceFlow id="{ident}"{named} sourceRef="{source}" targetRef="{target}"/>'
    return (
        f'<bpmn:sequenceFlow id="{ident}"{named} sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}</bpmn:conditionExpression>'
        "</bpmn:sequenceFlow>"
    )


def chain(*ids: str) -> str:
    return "".join(flow(a, b) for a, b in zip(ids, ids[1:], strict=False))


START = '<bpmn:startEvent id="S" name="Hired"/>'
END = '<bpmn:endEvent id="E" name="Onboarded"/>'


def task(ident: str, name: str | None = None, local: str = "task", extra: str = "") -> str:
    label = ident if name is None else name
    named = f' name="{label}"' if label else ""
    return f'<bpmn:{local} id="{ident}"{named}{extra}/>'


def found(document: Document, rule: str) -> set[tuple[str, str]]:
    """(severity, element id) of every problem the rule reports."""
    return {(p.severity, p.element) for p in check_bpmn(document) if p.rule == rule}


def problems_of(document: Document, rule: str) -> list[Problem]:
    return [p for p in check_bpmn(document) if p.rule == rule]


# --- each rule: a model that breaks it, and the same model put right ----------------------------------

SUB_NO_EVENTS = f'<bpmn:subProcess id="Sub" name="Prepare desk">{task("In")}</bpmn:subProcess>'
SUB_WITH_EVENTS = (
    '<bpmn:subProcess id="Sub" name="Prepare desk"><bpmn:startEvent id="SS"/>'
    f"{task('In')}<bpmn:endEvent id='SE'/>{chain('SS', 'In', 'SE')}</bpmn:subProcess>"
)

CASES = [
    # rule, broken process content, what is reported, the process put right
    (
        "bpmn.start-event-required",
        f"{task('A')}{END}{chain('A', 'E')}",
        {(ERROR, "P")},
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}",
    ),
    (
        "bpmn.start-event-required",
        f"{START}{SUB_NO_EVENTS}{END}{chain('S', 'Sub', 'E')}",
        {(ERROR, "Sub")},
        f"{START}{SUB_WITH_EVENTS}{END}{chain('S', 'Sub', 'E')}",
    ),
    (
        "bpmn.end-event-required",
        f"{START}{task('A')}{chain('S', 'A')}",
        {(ERROR, "P")},
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}",
    ),
    (
        "bpmn.end-event-required",
        f"{START}{SUB_NO_EVENTS}{END}{chain('S', 'Sub', 'E')}",
        {(ERROR, "Sub")},
        f"{START}{SUB_WITH_EVENTS}{END}{chain('S', 'Sub', 'E')}",
    ),
    (
        "bpmn.no-disconnected",
        f"{START}{task('A')}{task('Lone')}{END}{chain('S', 'A', 'E')}",
        {(ERROR, "Lone")},
        f"{START}{task('A')}{task('Lone')}{END}{chain('S', 'A', 'Lone', 'E')}",
    ),
    (
        "bpmn.no-implicit-start",
        f"{START}{task('A')}{task('B')}{END}{chain('S', 'A', 'E')}{flow('B', 'E')}",
        {(ERROR, "B")},
        f"{START}{task('A')}{task('B')}{END}{chain('S', 'A', 'B', 'E')}",
    ),
    (
        "bpmn.no-implicit-end",
        f"{START}{task('A')}{task('B')}{END}{chain('S', 'A', 'E')}{flow('A', 'B', condition='x', name='x')}"
        f"<bpmn:task id='A2' name='A2'/>",
        {(ERROR, "B"), (ERROR, "A2")},
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}",
    ),
    (
        "bpmn.no-implicit-split",
        f"{START}{task('A')}{task('B')}{task('C')}{END}{chain('S', 'A', 'B', 'E')}{chain('A', 'C', 'E')}",
        {(ERROR, "A")},
        f"{START}{task('A')}{task('B')}{task('C')}{END}{chain('S', 'A')}"
        f"{flow('A', 'B', condition='new', name='New')}{flow('A', 'C', ident='A_C')}{chain('B', 'E')}"
        f"{chain('C', 'E')}".replace('id="A"', 'id="A" default="A_C"', 1),
    ),
    (
        "bpmn.fake-join",
        f"{START}{task('A')}{task('B')}{task('C')}{END}"
        f"<bpmn:parallelGateway id='Fork'/>{chain('S', 'Fork', 'A', 'C', 'E')}{chain('Fork', 'B', 'C')}",
        {(WARNING, "C")},
        f"{START}{task('A')}{task('B')}{task('C')}{END}<bpmn:parallelGateway id='Fork'/>"
        f"<bpmn:parallelGateway id='Join'/>{chain('S', 'Fork', 'A', 'Join', 'C', 'E')}{chain('Fork', 'B', 'Join')}",
    ),
    (
        "bpmn.label-required",
        f"{START}{task('A', '')}<bpmn:exclusiveGateway id='G' default='G_E'/>{task('B')}{END}"
        f"{chain('S', 'A', 'G')}{flow('G', 'B', condition='ok')}{flow('G', 'E', ident='G_E')}{chain('B', 'E')}",
        {(ERROR, "A"), (ERROR, "G"), (ERROR, "G_B")},
        f"{START}{task('A')}<bpmn:exclusiveGateway id='G' name='Remote?' default='G_E'/>{task('B')}{END}"
        f"{chain('S', 'A', 'G')}{flow('G', 'B', condition='ok', name='Yes')}{flow('G', 'E', ident='G_E')}"
        f"{chain('B', 'E')}",
    ),
    (
        "bpmn.conditional-flows",
        f"{START}<bpmn:exclusiveGateway id='G' name='Remote?'/>{task('A')}{task('B')}{END}"
        f"{chain('S', 'G')}{flow('G', 'A', condition='remote', name='Yes')}{flow('G', 'B')}{chain('A', 'E')}"
        f"{chain('B', 'E')}",
        {(ERROR, "G_B")},
        f"{START}<bpmn:exclusiveGateway id='G' name='Remote?' default='G_B'/>{task('A')}{task('B')}{END}"
        f"{chain('S', 'G')}{flow('G', 'A', condition='remote', name='Yes')}{flow('G', 'B')}{chain('A', 'E')}"
        f"{chain('B', 'E')}",
    ),
    (
        "bpmn.superfluous-gateway",
        f"{START}<bpmn:exclusiveGateway id='G'/>{task('A')}{END}{chain('S', 'G', 'A', 'E')}",
        {(WARNING, "G")},
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}",
    ),
    (
        "bpmn.no-gateway-join-fork",
        f"{START}{task('A')}{task('B')}<bpmn:parallelGateway id='G'/>{task('C')}{task('D')}"
        f"<bpmn:parallelGateway id='F'/><bpmn:parallelGateway id='J'/>{END}"
        f"{chain('S', 'F', 'A', 'G', 'C', 'J', 'E')}{chain('F', 'B', 'G', 'D', 'J')}",
        {(ERROR, "G")},
        f"{START}{task('A')}{task('B')}<bpmn:parallelGateway id='G'/><bpmn:parallelGateway id='G2'/>{task('C')}"
        f"{task('D')}<bpmn:parallelGateway id='F'/><bpmn:parallelGateway id='J'/>{END}"
        f"{chain('S', 'F', 'A', 'G', 'G2', 'C', 'J', 'E')}{chain('F', 'B', 'G')}{chain('G2', 'D', 'J')}",
    ),
    (
        "bpmn.single-blank-start-event",
        f"{START}<bpmn:startEvent id='S2' name='Rehired'/>{task('A')}{END}{chain('S', 'A', 'E')}{chain('S2', 'A')}",
        {(ERROR, "P")},
        f"{START}<bpmn:startEvent id='S2' name='Rehired'><bpmn:messageEventDefinition/></bpmn:startEvent>"
        f"{task('A')}{END}{chain('S', 'A', 'E')}{chain('S2', 'A')}",
    ),
    (
        "bpmn.single-event-definition",
        f"<bpmn:startEvent id='S' name='Hired'><bpmn:messageEventDefinition/><bpmn:timerEventDefinition/>"
        f"</bpmn:startEvent>{task('A')}{END}{chain('S', 'A', 'E')}",
        {(ERROR, "S")},
        f"<bpmn:startEvent id='S' name='Hired'><bpmn:messageEventDefinition/></bpmn:startEvent>"
        f"{task('A')}{END}{chain('S', 'A', 'E')}",
    ),
    (
        "bpmn.no-duplicate-sequence-flows",
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}{flow('S', 'A', ident='Again')}",
        {(ERROR, "Again"), (ERROR, "S"), (ERROR, "A")},
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}",
    ),
    (
        "bpmn.sub-process-blank-start-event",
        f"{START}{SUB_WITH_EVENTS}{END}{chain('S', 'Sub', 'E')}".replace(
            '<bpmn:startEvent id="SS"/>', '<bpmn:startEvent id="SS"><bpmn:timerEventDefinition/></bpmn:startEvent>'
        ),
        {(ERROR, "SS")},
        f"{START}{SUB_WITH_EVENTS}{END}{chain('S', 'Sub', 'E')}",
    ),
    (
        "bpmn.event-sub-process-typed-start-event",
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}"
        f"<bpmn:subProcess id='Ev' name='Cancelled' triggeredByEvent='true'><bpmn:startEvent id='ES' name='x'/>"
        f"<bpmn:endEvent id='EE' name='y'/>{chain('ES', 'EE')}</bpmn:subProcess>",
        {(ERROR, "ES")},
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}"
        f"<bpmn:subProcess id='Ev' name='Cancelled' triggeredByEvent='true'><bpmn:startEvent id='ES' name='x'>"
        f"<bpmn:messageEventDefinition/></bpmn:startEvent><bpmn:endEvent id='EE' name='y'/>{chain('ES', 'EE')}"
        "</bpmn:subProcess>",
    ),
    (
        "bpmn.no-complex-gateway",
        f"{START}<bpmn:complexGateway id='G' name='Enough?'/>{task('A')}{task('B')}{END}"
        f"{chain('S', 'G')}{flow('G', 'A', condition='a', name='a')}{flow('G', 'B', condition='b', name='b')}"
        f"{chain('A', 'E')}{chain('B', 'E')}",
        {(ERROR, "G")},
        f"{START}<bpmn:exclusiveGateway id='G' name='Enough?'/>{task('A')}{task('B')}{END}"
        f"{chain('S', 'G')}{flow('G', 'A', condition='a', name='a')}{flow('G', 'B', condition='b', name='b')}"
        f"{chain('A', 'E')}{chain('B', 'E')}",
    ),
    (
        "bpmn.no-inclusive-gateway",
        f"{START}<bpmn:inclusiveGateway id='G' name='Which?'/>{task('A')}{task('B')}{END}"
        f"{chain('S', 'G')}{flow('G', 'A', condition='a', name='a')}{flow('G', 'B', condition='b', name='b')}"
        f"{chain('A', 'E')}{chain('B', 'E')}",
        {(WARNING, "G")},
        f"{START}<bpmn:exclusiveGateway id='G' name='Which?'/>{task('A')}{task('B')}{END}"
        f"{chain('S', 'G')}{flow('G', 'A', condition='a', name='a')}{flow('G', 'B', condition='b', name='b')}"
        f"{chain('A', 'E')}{chain('B', 'E')}",
    ),
    (
        "bpmn.ad-hoc-sub-process",
        f"{START}<bpmn:adHocSubProcess id='H' name='Settle in'><bpmn:startEvent id='HS' name='x'/>{task('In')}"
        f"</bpmn:adHocSubProcess>{END}{chain('S', 'H', 'E')}",
        {(ERROR, "HS")},
        f"{START}<bpmn:adHocSubProcess id='H' name='Settle in'>{task('In')}</bpmn:adHocSubProcess>{END}"
        f"{chain('S', 'H', 'E')}",
    ),
    (
        "bpmn.event-based-gateway",
        f"{START}<bpmn:eventBasedGateway id='G'/><bpmn:intermediateCatchEvent id='M' name='Signed'>"
        f"<bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>{END}{chain('S', 'G')}"
        f"{flow('G', 'M', condition='x', name='x')}{chain('M', 'E')}",
        {(ERROR, "G"), (ERROR, "G_M")},
        f"{START}<bpmn:eventBasedGateway id='G'/><bpmn:intermediateCatchEvent id='M' name='Signed'>"
        f"<bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent><bpmn:intermediateCatchEvent id='T' "
        f"name='A week passed'><bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>{END}{chain('S', 'G')}"
        f"{chain('G', 'M', 'E')}{chain('G', 'T', 'E')}",
    ),
    (
        "bpmn.link-event",
        f"{START}<bpmn:intermediateThrowEvent id='LT' name='To B'><bpmn:linkEventDefinition name='B'/>"
        f"</bpmn:intermediateThrowEvent><bpmn:intermediateThrowEvent id='LU' name='To nowhere'>"
        f"<bpmn:linkEventDefinition/></bpmn:intermediateThrowEvent>{END}{chain('S', 'LT')}",
        {(ERROR, "LT"), (ERROR, "LU")},
        f"{START}<bpmn:intermediateThrowEvent id='LT' name='To B'><bpmn:linkEventDefinition name='B'/>"
        f"</bpmn:intermediateThrowEvent><bpmn:intermediateCatchEvent id='LC' name='From A'>"
        f"<bpmn:linkEventDefinition name='B'/></bpmn:intermediateCatchEvent>{END}{chain('S', 'LT')}"
        f"{chain('LC', 'E')}",
    ),
    (
        "bpmn.superfluous-label",
        f"{START}{task('A')}{END}{flow('S', 'A', name='then')}{chain('A', 'E')}",
        {(WARNING, "S_A")},
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}",
    ),
    (
        "bpmn.superfluous-termination",
        f"{START}{task('A')}<bpmn:endEvent id='E' name='Done'><bpmn:terminateEventDefinition/></bpmn:endEvent>"
        f"{chain('S', 'A', 'E')}",
        {(WARNING, "E")},
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}",
    ),
]


@pytest.mark.parametrize(("rule", "broken", "expected", "fixed"), CASES, ids=[case[0] for case in CASES])
def test_each_rule_finds_what_breaks_it_and_not_the_repair(rule: str, broken: str, expected, fixed: str) -> None:
    assert found(model(broken), rule) == expected
    assert found(model(fixed), rule) == set()
    assert all(severity == RULES[rule][0] for severity, _ in expected)


def test_every_rule_has_a_case() -> None:
    assert {case[0] for case in CASES} | {"bpmn.global", "bpmn.no-bpmndi", "bpmn.no-overlapping-elements"} == set(RULES)


# --- the rules that need more than a process ------------------------------------------------------


GLOBAL_BODY = (
    f"{START}<bpmn:intermediateCatchEvent id='M' name='Contract signed'><bpmn:messageEventDefinition "
    f"messageRef='Contract'/></bpmn:intermediateCatchEvent>{END}{chain('S', 'M', 'E')}"
)
GLOBAL_BEFORE = (
    '<bpmn:message id="Contract" name="Contract"/><bpmn:message id="Unused" name="Contract"/>'
    '<bpmn:signal id="Nameless"/>'
)


def test_global_elements_need_a_name_a_use_and_a_name_of_their_own() -> None:
    problems = problems_of(model(GLOBAL_BODY, before=GLOBAL_BEFORE), "bpmn.global")
    assert [(p.severity, p.element, p.message) for p in problems] == [
        (WARNING, "Contract", "2 messages are named 'Contract': tell them apart"),
        (WARNING, "Unused", "Message 'Contract' is used by no event, task or flow"),
        (WARNING, "Unused", "2 messages are named 'Contract': tell them apart"),
        (WARNING, "Nameless", "The signal has no name"),
        (WARNING, "Nameless", "The signal is used by no event, task or flow"),
    ]


def drawn(shapes: dict[str, tuple[float, float, float, float]], edges: tuple[str, ...] = (), plane: str = "P") -> str:
    parts = [f'<bpmndi:BPMNDiagram id="Diagram"><bpmndi:BPMNPlane id="Plane" bpmnElement="{plane}">']
    for ident, (x, y, w, h) in shapes.items():
        parts.append(
            f'<bpmndi:BPMNShape id="{ident}_di" bpmnElement="{ident}"><dc:Bounds x="{x}" y="{y}" width="{w}" '
            f'height="{h}"/></bpmndi:BPMNShape>'
        )
    for ident in edges:
        parts.append(
            f'<bpmndi:BPMNEdge id="{ident}_di" bpmnElement="{ident}"><di:waypoint x="0" y="0"/>'
            '<di:waypoint x="1" y="0"/></bpmndi:BPMNEdge>'
        )
    parts.append("</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>")
    return "".join(parts)


def test_an_element_not_drawn_is_reported_and_a_data_object_needs_no_drawing() -> None:
    body = (
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}<bpmn:dataObject id='Form'/>"
        "<bpmn:dataObjectReference id='FormRef' dataObjectRef='Form'/>"
    )
    shapes = {"S": (0, 0, 36, 36), "A": (100, 0, 100, 80), "E": (300, 0, 36, 36), "FormRef": (100, 200, 36, 50)}
    assert found(model(body, after=drawn(shapes, ("S_A", "A_E"))), "bpmn.no-bpmndi") == set()
    del shapes["A"]
    problems = problems_of(model(body, after=drawn(shapes, ("S_A",))), "bpmn.no-bpmndi")
    assert [(p.severity, p.element) for p in problems] == [(ERROR, "A"), (ERROR, "A_E")]
    assert problems[0].message == "Task 'A' is not drawn in any diagram: other modelers will not show it"


def pool_model_xml(*, crowded: bool) -> str:
    """A pool with four nodes in a row; crowded: one task on top of another, the end event across
    the pool's border."""
    body = f"{START}{task('A')}{task('B')}{END}{chain('S', 'A', 'B', 'E')}"
    before = '<bpmn:collaboration id="C"><bpmn:participant id="Pool" name="HR" processRef="P"/></bpmn:collaboration>'
    shapes = {
        "Pool": (0, 0, 600, 200),
        "S": (40, 60, 36, 36),
        "A": (120, 40, 100, 80),
        "B": (200, 40, 100, 80) if crowded else (250, 40, 100, 80),
        "E": (580, 60, 36, 36) if crowded else (400, 60, 36, 36),
    }
    return model_xml(body, before=before, after=drawn(shapes, ("S_A", "A_B", "B_E"), "C"))


def test_overlapping_shapes_and_shapes_outside_their_pool_are_reported() -> None:
    tidy = parse_bpmn(pool_model_xml(crowded=False).encode()).document
    assert found(tidy, "bpmn.no-overlapping-elements") == set()
    crowded = parse_bpmn(pool_model_xml(crowded=True).encode()).document
    assert [(p.severity, p.element, p.message) for p in problems_of(crowded, "bpmn.no-overlapping-elements")] == [
        (WARNING, "A", "Task 'A' is drawn on top of another shape: move one of them"),
        (WARNING, "B", "Task 'B' is drawn on top of another shape: move one of them"),
        (WARNING, "E", "End event 'Onboarded' is drawn outside its pool"),
    ]


# --- what a designer reads ---------------------------------------------------------------------------


def test_messages_name_the_element_and_say_what_to_do() -> None:
    document = model(
        f"{START}<bpmn:userTask id='A' name='Order laptop'/>{task('B')}{task('C')}{END}"
        f"{chain('S', 'A', 'B', 'E')}{chain('A', 'C', 'E')}"
    )
    [split] = problems_of(document, "bpmn.no-implicit-split")
    assert split.element == "A"
    assert split.message == (
        "User task 'Order laptop' has 2 unconditional flows out, which all run at once: split with a gateway "
        "(parallel to do all, exclusive to choose one)"
    )
    [join] = problems_of(document, "bpmn.fake-join")
    assert join.message.startswith("End event 'Onboarded' has 2 incoming flows")


def test_an_unnamed_deciding_gateway_is_asked_for_its_question_and_a_merging_one_is_not() -> None:
    body = (
        f"{START}<bpmn:exclusiveGateway id='G'/>{task('A')}{task('B')}<bpmn:exclusiveGateway id='M'/>{END}"
        f"{chain('S', 'G')}{flow('G', 'A', condition='a', name='Yes')}{flow('G', 'B', condition='b', name='No')}"
        f"{chain('A', 'M', 'E')}{chain('B', 'M')}"
    )
    problems = problems_of(model(body), "bpmn.label-required")
    assert [(p.element, p.message) for p in problems] == [
        ("G", "Exclusive gateway has no name: name the decision it takes, as a question")
    ]


def test_pools_and_lanes_need_names() -> None:
    body = (
        f"<bpmn:laneSet id='LS'><bpmn:lane id='L1' name='HR'/><bpmn:lane id='L2'/></bpmn:laneSet>"
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}"
    )
    before = '<bpmn:collaboration id="C"><bpmn:participant id="Pool" processRef="P"/></bpmn:collaboration>'
    assert found(model(body, before=before), "bpmn.label-required") == {(ERROR, "Pool"), (ERROR, "L2")}


def test_sequence_flows_are_followed_by_their_ends_not_by_incoming_and_outgoing_lists() -> None:
    # the file lists no <incoming> or <outgoing>: the flows still connect the nodes
    document = model(f"{START}{task('A')}{END}{chain('S', 'A', 'E')}")
    assert not [p for p in check_bpmn(document) if p.rule != "bpmn.no-bpmndi"]


def test_compensation_and_event_sub_processes_need_no_sequence_flow() -> None:
    body = (
        f"{START}<bpmn:task id='A' name='Book trip'/>"
        "<bpmn:boundaryEvent id='Comp' name='Trip cancelled' attachedToRef='A'>"
        "<bpmn:compensateEventDefinition/></bpmn:boundaryEvent>"
        "<bpmn:task id='Undo' name='Cancel trip' isForCompensation='true'/>"
        f"{END}{chain('S', 'A', 'E')}"
        "<bpmn:association id='As' sourceRef='Comp' targetRef='Undo'/>"
        "<bpmn:subProcess id='Ev' name='Offer withdrawn' triggeredByEvent='true'><bpmn:startEvent id='ES' "
        "name='Withdrawal received'><bpmn:messageEventDefinition/></bpmn:startEvent><bpmn:endEvent id='EE' "
        f"name='Withdrawn'/>{chain('ES', 'EE')}</bpmn:subProcess>"
    )
    problems = [p for p in check_bpmn(model(body)) if p.rule != "bpmn.no-bpmndi"]
    assert problems == []


def test_a_file_that_repeats_an_id_gets_each_problem_once() -> None:
    text = model_xml(f"{START}{task('A')}{task('A', 'Copy of A')}{END}{chain('S', 'A', 'E')}")
    shapes = {"S": (0, 0, 36, 36), "A": (100, 0, 100, 80), "E": (300, 0, 36, 36)}
    loaded = parse_bpmn(
        text.replace("</bpmn:definitions>", drawn(shapes, ("S_A", "A_E")) + "</bpmn:definitions>").encode()
    )
    assert [p.element for p in loaded.problems] == ["A"]  # the reader's report: the id is used twice
    problems = check_bpmn(loaded.document)
    assert len(problems) == len(set(problems))
    # the two share one drawing, which does not make them overlap each other
    assert [p for p in problems if p.rule == "bpmn.no-overlapping-elements"] == []


def test_check_structure_adds_the_lane_rules() -> None:
    body = (
        "<bpmn:laneSet id='LS'><bpmn:lane id='L1' name='HR'><bpmn:flowNodeRef>S</bpmn:flowNodeRef>"
        "<bpmn:flowNodeRef>A</bpmn:flowNodeRef><bpmn:flowNodeRef>E</bpmn:flowNodeRef></bpmn:lane>"
        "<bpmn:lane id='L2' name='IT'/></bpmn:laneSet>"
        f"{START}{task('A')}{END}{chain('S', 'A', 'E')}"
    )
    document = model(body)
    assert [(p.rule, p.element) for p in check_structure(document) if not p.rule.startswith("bpmn.")] == [
        ("lane.empty", "L2")
    ]


# --- agreement with bpmnlint -------------------------------------------------------------------------


def bpmnlint_reports(check_script: Path, files: list[Path]) -> dict[str, set[tuple[str, str]]]:
    """bpmnlint's (rule, element id) pairs per file, with its recommended rules."""
    run = subprocess.run(
        ["node", str(check_script), "--json", *map(str, files)], capture_output=True, text=True, timeout=300
    )
    report = json.loads(run.stdout)
    out = {}
    for result in report["results"]:
        assert result["ok"] and "failed" not in result["lint"], result
        out[Path(result["file"]).name] = {(r["rule"], r["id"]) for r in result["lint"]["reports"]}
    return out


def ours(document: Document) -> set[tuple[str, str]]:
    return {(p.rule.removeprefix("bpmn."), p.element) for p in check_bpmn(document)}


def test_bpmnlint_runs_the_rules_we_implement(bpmn_moddle: Path) -> None:
    """Our RULES are bpmnlint's recommended set, no more, no fewer: a new bpmnlint release that
    adds or drops a rule fails here."""
    config = (bpmn_moddle.parent / "node_modules" / "bpmnlint" / "config" / "recommended.js").read_text()
    recommended = dict(re.findall(r"'([a-z-]+)': '(error|warn)'", config))
    assert {f"bpmn.{name}" for name in recommended} == set(RULES)
    for name, severity in recommended.items():
        assert RULES[f"bpmn.{name}"][0] == {"warn": WARNING, "error": ERROR}[severity], name


def test_we_agree_with_bpmnlint_on_every_miwg_reference_model(bpmn_moddle: Path) -> None:
    files = miwg_files()
    assert len(files) == 21
    theirs = bpmnlint_reports(bpmn_moddle, files)
    disagreements = {}
    for path in files:
        mine = ours(read_bpmn(path).document)
        if mine != theirs[path.name]:
            disagreements[path.name] = (sorted(theirs[path.name] - mine), sorted(mine - theirs[path.name]))
    assert disagreements == {}
    # the comparison compares something: the references break many rules
    assert len({rule for pairs in theirs.values() for rule, _ in pairs}) >= 10


def with_incoming_and_outgoing(text: str) -> str:
    """The model with each node's <incoming> and <outgoing> written out, as modelers write them
    and as bpmnlint needs them (see QUIRKS)."""
    from lxml import etree

    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    root = etree.fromstring(text.encode())
    by_id = {node.get("id"): node for node in root.iter() if node.get("id")}
    for flow in root.iterfind(".//bpmn:sequenceFlow", ns):
        for end, tag in (("targetRef", "incoming"), ("sourceRef", "outgoing")):
            node = by_id.get(flow.get(end))
            if node is not None:
                reference = etree.Element(f"{{{ns['bpmn']}}}{tag}")
                reference.text = flow.get("id")
                node.insert(0, reference)
    return etree.tostring(root, encoding="unicode")


def test_we_agree_with_bpmnlint_on_every_case(bpmn_moddle: Path, tmp_path: Path) -> None:
    """The MIWG models break 11 of the 26 rules; the cases above break every one."""
    models = [model_xml(body) for _, broken, _, fixed in CASES for body in (broken, fixed)]
    models += [
        model_xml(GLOBAL_BODY, before=GLOBAL_BEFORE),
        pool_model_xml(crowded=False),
        pool_model_xml(crowded=True),
    ]
    files = {}
    for number, text in enumerate(models):
        path = tmp_path / f"case-{number}.bpmn"
        files[path] = with_incoming_and_outgoing(text)
        path.write_text(files[path], encoding="utf-8")
    theirs = bpmnlint_reports(bpmn_moddle, list(files))
    disagreements = {}
    for path, text in files.items():
        mine = ours(parse_bpmn(text.encode()).document)
        if mine != theirs[path.name]:
            disagreements[path.name] = (sorted(theirs[path.name] - mine), sorted(mine - theirs[path.name]))
    assert disagreements == {}
    assert {f"bpmn.{rule}" for pairs in theirs.values() for rule, _ in pairs} == set(RULES)


# Where we differ from bpmnlint on purpose. Each entry: a model, what only bpmnlint reports, what
# only we report. The test runs both, so a bpmnlint release that changes its behaviour shows here.
QUIRKS = {
    # bpmnlint reads a node's flows from its optional <incoming>/<outgoing> children, so a file
    # that leaves them out (valid BPMN; Signavio and scripts often do) looks disconnected to it
    "incoming and outgoing": (
        model_xml(f"{START}{task('A')}{END}{chain('S', 'A', 'E')}"),
        {
            ("no-disconnected", "S"),
            ("no-disconnected", "A"),
            ("no-disconnected", "E"),
            ("no-implicit-end", "S"),
            ("no-implicit-end", "A"),
            ("no-implicit-start", "A"),
            ("no-implicit-start", "E"),
        },
        set(),
    ),
    # bpmnlint's no-disconnected looks at tasks, sub-processes, gateways and events, not at
    # call activities (its no-implicit-start and -end still catch them)
    "call activity": (
        model_xml(
            f"{START}<bpmn:task id='A' name='A'><bpmn:incoming>S_A</bpmn:incoming><bpmn:outgoing>A_E</bpmn:outgoing>"
            f"</bpmn:task><bpmn:callActivity id='Call' name='Payroll set-up'/>{END}{chain('S', 'A', 'E')}"
        )
        .replace(START, "<bpmn:startEvent id='S' name='Hired'><bpmn:outgoing>S_A</bpmn:outgoing></bpmn:startEvent>")
        .replace(END, "<bpmn:endEvent id='E' name='Onboarded'><bpmn:incoming>A_E</bpmn:incoming></bpmn:endEvent>"),
        set(),
        {("no-disconnected", "Call")},
    ),
    # bpmnlint passes a message without a name attribute (only name="" fails) and then calls all
    # unnamed messages "not unique"; one unnamed message it lets through
    "unnamed message": (
        model_xml(
            "<bpmn:startEvent id='S' name='Hired'><bpmn:messageEventDefinition messageRef='M'/>"
            "<bpmn:outgoing>S_E</bpmn:outgoing></bpmn:startEvent>"
            "<bpmn:endEvent id='E' name='Onboarded'><bpmn:incoming>S_E</bpmn:incoming></bpmn:endEvent>"
            f"{flow('S', 'E')}",
            before='<bpmn:message id="M"/>',
        ),
        set(),
        {("global", "M")},
    ),
}


@pytest.mark.parametrize("name", sorted(QUIRKS))
def test_where_we_differ_from_bpmnlint_it_is_as_documented(name: str, bpmn_moddle: Path, tmp_path: Path) -> None:
    text, only_bpmnlint, only_ours = QUIRKS[name]
    path = tmp_path / "quirk.bpmn"
    path.write_text(text, encoding="utf-8")
    # the models have no diagram: both sides report every element for that, and agree on it
    theirs = {pair for pair in bpmnlint_reports(bpmn_moddle, [path])["quirk.bpmn"] if pair[0] != "no-bpmndi"}
    mine = {pair for pair in ours(parse_bpmn(text.encode()).document) if pair[0] != "no-bpmndi"}
    assert (theirs - mine, mine - theirs) == (only_bpmnlint, only_ours)


# --- the documentation -------------------------------------------------------------------------------


def test_docs_list_every_rule_with_its_severity() -> None:
    text = (ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z.-]+)` \| (error|warning) \|", text, re.M))
    structural = {rule: severity for rule, (severity, _) in {**RULES, **lane_rules.RULES}.items()}
    assert {rule: rows.get(rule) for rule in structural} == structural
    # the RACI and governance rules are named in their modules' source
    sources = "".join((ROOT / "smo_designer" / "rules" / name).read_text() for name in ("raci.py", "governance.py"))
    others = set(re.findall(r'"((?:raci|policy|kpi)\.[a-z-]+)"', sources))
    assert len(others) >= 14
    assert set(rows) == set(structural) | others


def test_a_new_document_lacks_only_its_start_and_end() -> None:
    document = bpmn.new_document()
    assert [(p.rule, p.element) for p in check_structure(document)] == [
        ("bpmn.end-event-required", "Process_1"),
        ("bpmn.start-event-required", "Process_1"),
    ]
