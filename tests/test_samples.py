"""The sample models are the templates a user starts from (File → New from template): one per
ITIL 4 practice. They load clean, pass every check of our own (structure, lanes, RACI, policies and
KPIs), the OMG XSD, bpmn-moddle and bpmnlint's recommended rules without a single report, save back
byte for byte, and their RACI, lanes and diagram are in order."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from bpmn_checks import xsd_errors
from conftest import ROOT

from smo_designer.formats.bpmn import read_bpmn, serialize
from smo_designer.model import bpmn, di, frameworks, smo
from smo_designer.model.document import Document
from smo_designer.model.element import Element
from smo_designer.rules.governance import check_governed
from smo_designer.rules.raci import check_raci
from smo_designer.rules.structure import check_structure

SAMPLES = sorted((ROOT / "samples").glob("*.bpmn"))
EACH_SAMPLE = pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
# the templates issue 6 asks for, by ITIL 4 practice
TEMPLATES = {
    "incident-management.bpmn": "Incident management practice",
    "problem-management.bpmn": "Problem management practice",
    "change-enablement.bpmn": "Change enablement practice",
    "service-request-management.bpmn": "Service request management practice",
    "service-configuration-management.bpmn": "Service configuration management practice",
}
# a fixed day for the policy checks, so that the test gives the same answer next year
CHECKED_ON = dt.date(2026, 6, 1)


def build_samples_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_samples", ROOT / "tools" / "build_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def activities(document: Document) -> list[Element]:
    return [
        element
        for process in bpmn.processes(document)
        for element in bpmn.flow_elements(process)
        if bpmn.kind(element) in bpmn.RACI_ACTIVITY_TYPES
    ]


def test_the_incident_management_sample_is_there() -> None:
    assert ROOT / "samples" / "incident-management.bpmn" in SAMPLES


def test_there_is_a_template_for_each_practice() -> None:
    assert [sample.name for sample in SAMPLES] == sorted(TEMPLATES)


@EACH_SAMPLE
def test_the_template_passes_its_own_checks(sample: Path) -> None:
    """What the Problems panel shows for a template just opened: nothing at all."""
    document = read_bpmn(sample).document
    assert check_structure(document) == []
    assert check_raci(document) == []
    assert check_governed(document, CHECKED_ON) == []


@EACH_SAMPLE
def test_the_template_is_one_pool_with_lanes_for_its_roles_and_decisions(sample: Path) -> None:
    document = read_bpmn(sample).document
    [process] = bpmn.processes(document)
    [pool] = bpmn.participants(document)
    assert pool.get("processRef") == process.id and bpmn.name(pool)
    lanes = bpmn.lanes(process)
    assert len(lanes) >= 3
    assert len({smo.lane_role(lane) for lane in lanes}) == len(lanes)  # one lane per role
    nodes = [node for node in process.children if bpmn.kind(node) in bpmn.FLOW_NODE_TYPES]
    assert len([n for n in nodes if bpmn.kind(n) in bpmn.ACTIVITY_TYPES]) >= 7
    deciding = [n for n in nodes if bpmn.kind(n) == "exclusiveGateway" and bpmn.name(n).endswith("?")]
    assert len(deciding) >= 2
    # the practice named in the process's description and in its policies
    practice = TEMPLATES[sample.name]
    assert practice.removesuffix(" practice").lower() in bpmn.documentation(process).lower()
    assert any(ref.clause == practice for policy in smo.policies(document) for ref in policy.frameworks)


@EACH_SAMPLE
def test_policies_refer_to_the_ready_framework_lists(sample: Path) -> None:
    """A reference the policy editor offers, not a typo it would show as free text."""
    document = read_bpmn(sample).document
    for policy in smo.policies(document):
        for reference in policy.frameworks:
            framework = frameworks.framework(reference.framework)
            assert framework is not None and framework.find(reference.clause) is not None, (
                policy.identifier,
                reference,
            )


@EACH_SAMPLE
def test_sample_loads_without_problems_and_is_schema_valid(sample: Path) -> None:
    assert read_bpmn(sample).problems == []
    assert xsd_errors(sample.read_bytes()) == []


@EACH_SAMPLE
def test_bpmn_moddle_reads_the_sample_without_a_warning(sample: Path, bpmn_moddle: Path) -> None:
    run = subprocess.run(
        ["node", str(bpmn_moddle), "--no-lint", "--fail-on-warnings", str(sample)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "moddle-warnings=0" in run.stdout


@EACH_SAMPLE
def test_bpmnlint_finds_nothing_to_report(sample: Path, bpmn_moddle: Path) -> None:
    run = subprocess.run(["node", str(bpmn_moddle), "-v", str(sample)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "lint-problems=0" in run.stdout, run.stdout


@EACH_SAMPLE
def test_loading_and_saving_gives_the_committed_bytes(sample: Path) -> None:
    assert serialize(read_bpmn(sample).document) == sample.read_bytes()


def test_the_samples_are_what_the_build_tool_makes() -> None:
    """A sample edited by hand and not in tools/build_samples.py would be lost on the next build."""
    tool = build_samples_tool()
    assert sorted(tool.SAMPLE_BUILDERS) == [sample.name for sample in SAMPLES]
    for name, builder in tool.SAMPLE_BUILDERS.items():
        assert serialize(builder()) == (ROOT / "samples" / name).read_bytes(), f"run tools/build_samples.py ({name})"


@EACH_SAMPLE
def test_every_activity_has_one_accountable_and_a_responsible_role(sample: Path) -> None:
    document = read_bpmn(sample).document
    roles = {role.id for role in smo.roles(document)}
    found = activities(document)
    assert found
    for activity in found:
        cells = smo.raci(activity)
        assert len([role for role, letters in cells.items() if "A" in letters]) == 1, activity.id
        assert any("R" in letters for letters in cells.values()), activity.id
        assert set(cells) <= roles, activity.id
    assert check_raci(document) == []


@EACH_SAMPLE
def test_lanes_stand_for_roles_and_their_role_does_the_work(sample: Path) -> None:
    document = read_bpmn(sample).document
    roles = {role.id: role for role in smo.roles(document)}
    for process in bpmn.processes(document):
        for lane in bpmn.lanes(process):
            role = smo.lane_role(lane)
            assert role in roles and roles[role].name == bpmn.name(lane)
            for ref in lane.findall(bpmn.bpmn("flowNodeRef")):
                node = document.element(ref.text)
                if bpmn.kind(node) in bpmn.RACI_ACTIVITY_TYPES:
                    assert "R" in smo.raci(node).get(role, ""), node.id
    assert all(role.description and role.kind for role in roles.values())


@EACH_SAMPLE
def test_policies_kpis_and_metadata_are_filled_in(sample: Path) -> None:
    document = read_bpmn(sample).document
    policies = smo.policies(document)
    assert len(policies) >= 2
    for policy in policies:
        assert policy.title and policy.statement and policy.status in smo.POLICY_STATUSES
        assert policy.frameworks and all(f.relation in smo.FRAMEWORK_RELATIONS for f in policy.frameworks)
        assert policy.history and policy.history[-1].status == policy.status
        assert policy.links
        assert all(bpmn.kind(document.element(link)) in bpmn.RACI_ACTIVITY_TYPES for link in policy.links)
    for process in bpmn.processes(document):
        kpis = smo.kpis(process)
        assert len(kpis) >= 3
        assert all(k.name and k.target and k.unit and k.direction in ("higher", "lower") for k in kpis)
    metadata = smo.metadata(document)
    assert all((metadata.title, metadata.version, metadata.status, metadata.owner, metadata.created))
    assert metadata.modified >= metadata.created


# --- the diagram ----------------------------------------------------------------------------------


def inside(inner: di.Bounds, outer: di.Bounds) -> bool:
    return (
        outer.x <= inner.x
        and inner.x + inner.width <= outer.x + outer.width
        and outer.y <= inner.y
        and inner.y + inner.height <= outer.y + outer.height
    )


def on_outline(point: di.Point, node: Element, box: di.Bounds) -> bool:
    """Whether a waypoint touches the drawn outline: a task's border, an event's circle, a
    gateway's corner."""
    cx, cy = box.x + box.width / 2, box.y + box.height / 2
    kind = bpmn.kind(node) or ""
    if kind in bpmn.EVENT_TYPES:
        return abs(((point.x - cx) ** 2 + (point.y - cy) ** 2) ** 0.5 - box.width / 2) < 0.01
    if kind in bpmn.GATEWAY_TYPES:
        return (point.x == cx and abs(point.y - cy) == box.height / 2) or (
            point.y == cy and abs(point.x - cx) == box.width / 2
        )
    return inside(di.Bounds(point.x, point.y, 0, 0), box) and (
        point.x in (box.x, box.x + box.width) or point.y in (box.y, box.y + box.height)
    )


@EACH_SAMPLE
def test_every_node_is_drawn_inside_the_lane_that_holds_it(sample: Path) -> None:
    document = read_bpmn(sample).document
    shapes = {ident: elements[0] for ident, elements in di.shapes_by_element(document).items()}
    pool_of = {p.get("processRef"): di.bounds(shapes[p.id]) for p in bpmn.participants(document)}
    for process in bpmn.processes(document):
        lanes = bpmn.lanes(process)
        for lane in lanes:
            assert inside(di.bounds(shapes[lane.id]), pool_of[process.id]), lane.id
        for node in process.children:
            if bpmn.kind(node) not in bpmn.FLOW_NODE_TYPES:
                continue
            box = di.bounds(shapes[node.id])
            holders = bpmn.lanes_of(document, node)
            assert holders or not lanes, f"{node.id} is in no lane"
            if not holders:
                continue
            lane = holders[-1]  # the innermost
            lane_box = di.bounds(shapes[lane.id])
            assert inside(box, lane_box), f"{node.id} is drawn outside {lane.id}"
            label = di.label_bounds(shapes[node.id])
            if bpmn.name(node) and bpmn.kind(node) not in bpmn.ACTIVITY_TYPES:
                assert label is not None and inside(label, lane_box), f"the name of {node.id}"


@EACH_SAMPLE
def test_flows_are_orthogonal_and_start_and_end_on_their_shapes(sample: Path) -> None:
    document = read_bpmn(sample).document
    shapes = {ident: elements[0] for ident, elements in di.shapes_by_element(document).items()}
    for process in bpmn.processes(document):
        for flow in process.findall(bpmn.bpmn("sequenceFlow")):
            points = di.waypoints(shapes[flow.id])
            assert len(points) >= 2
            assert all(a.x == b.x or a.y == b.y for a, b in zip(points, points[1:], strict=False)), flow.id
            source, target = document.element(flow.get("sourceRef")), document.element(flow.get("targetRef"))
            assert on_outline(points[0], source, di.bounds(shapes[source.id])), flow.id
            assert on_outline(points[-1], target, di.bounds(shapes[target.id])), flow.id
            if bpmn.name(flow):
                assert di.label_bounds(shapes[flow.id]) is not None, flow.id


def drawn_labels(document: Document) -> list[tuple[str, di.Bounds]]:
    return [
        (drawing.get("bpmnElement") or "", box)
        for drawing in di.diagram_elements(document)
        if (box := di.label_bounds(drawing)) is not None
    ]


def overlaps(a: di.Bounds, b: di.Bounds) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def crosses(box: di.Bounds, a: di.Point, b: di.Point) -> bool:
    return (
        min(a.x, b.x) <= box.x + box.width
        and box.x <= max(a.x, b.x)
        and min(a.y, b.y) <= box.y + box.height
        and box.y <= max(a.y, b.y)
    )


@EACH_SAMPLE
def test_names_are_readable_on_no_shape_no_flow_and_no_other_name(sample: Path) -> None:
    document = read_bpmn(sample).document
    shapes, segments = [], []
    for drawing in di.diagram_elements(document):
        element = document.element(drawing.get("bpmnElement"))
        if di.is_shape(drawing) and bpmn.kind(element) not in ("participant", "lane"):
            shapes.append((element.id, di.bounds(drawing)))
        elif di.is_edge(drawing):
            points = di.waypoints(drawing)
            segments += [(element.id, a, b) for a, b in zip(points, points[1:], strict=False)]
    labels = drawn_labels(document)
    assert len(labels) >= 6  # the names of events, gateways and decisions: the test compares something
    for ident, box in labels:
        assert [other for other, shape in shapes if overlaps(box, shape)] == [], f"the name of {ident}"
        assert [flow for flow, a, b in segments if crosses(box, a, b)] == [], f"the name of {ident}"
        assert [other for other, label in labels if other != ident and overlaps(box, label)] == [], ident


# --- the file format documentation ----------------------------------------------------------------


def test_the_example_in_the_format_documentation_is_taken_from_the_sample() -> None:
    text = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```xml\n(.*?)```", text, re.S)
    assert blocks
    sample_lines = set((ROOT / "samples" / "incident-management.bpmn").read_text(encoding="utf-8").splitlines())
    for block in blocks:
        for line in block.splitlines():
            if line.strip() != "…":
                assert line in sample_lines, line


def test_the_templates_are_described_for_users() -> None:
    text = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    for name in TEMPLATES:
        assert f"samples/{name}" in text
        document = read_bpmn(ROOT / "samples" / name).document
        for policy in smo.policies(document):
            assert policy.identifier in text, (name, policy.identifier)
