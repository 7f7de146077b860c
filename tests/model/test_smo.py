"""The SMO part of the document: roles, RACI with performer sync, lane roles, metadata,
policies and KPIs; every edit undoable, every value kept through a save and a load."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from bpmn_checks import xsd_errors
from conftest import MIWG

from smo_designer.formats.bpmn import parse_bpmn, read_bpmn, serialize
from smo_designer.model import bpmn, smo
from smo_designer.model.document import Document
from smo_designer.model.element import Element
from smo_designer.model.namespaces import SMO
from smo_designer.model.namespaces import bpmn as tag
from smo_designer.model.namespaces import smo as smo_tag

# --- helpers ------------------------------------------------------------------------------------


def process_document() -> tuple[Document, Element, Element]:
    """A new document with one process holding one user task; returns document, process, task."""
    document = bpmn.new_document("Incident management")
    process = bpmn.processes(document)[0]
    task = bpmn.create(document, process, "userTask", {"name": "Log incident"}, id_prefix="Activity")
    return document, process, task


def with_collaboration(document: Document) -> Element:
    process = bpmn.processes(document)[0]
    collaboration = Element(tag("collaboration"), {"id": "Collaboration_1"})
    document.insert(document.root, process.index_in_parent(), collaboration)
    bpmn.create(document, collaboration, "participant", {"id": "Participant_1", "processRef": process.id or ""})
    return collaboration


def undoable(document: Document, change: Callable[[], object]) -> object:
    """Run `change` as one edit and check that undo gives back the document before it and redo
    the document after it. Returns what `change` returned."""
    before = document.content()
    with document.edit("x") as edit:
        result = change()
    after = document.content()
    assert after != before, "the edit changed nothing"
    edit.undo(document)
    assert document.content() == before
    edit.redo(document)
    assert document.content() == after
    return result


def reloaded(document: Document) -> Document:
    """Save and load: the loaded document equals the saved one, saving it again gives the same
    bytes, and the file is valid against the OMG schema."""
    data = serialize(document)
    assert xsd_errors(data) == []
    result = parse_bpmn(data, "saved.bpmn")
    assert result.problems == []
    assert result.document.content() == document.content()
    assert serialize(result.document) == data
    return result.document


@contextmanager
def unchanged(document: Document) -> Iterator[None]:
    before = document.content()
    yield
    assert document.content() == before


def performers(activity: Element) -> list[str]:
    """The role ids the activity's bpmn:performer elements name."""
    return [p.find(tag("resourceRef")).text for p in activity.findall(tag("performer"))]


def role_ids(document: Document, *names: str) -> list[str]:
    return [smo.add_role(document, name).get("id", "") for name in names]


FOREIGN_PERFORMER = b"""<?xml version="1.0" encoding="UTF-8"?>
<semantic:definitions xmlns:semantic="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:vendor="http://example.com/vendor" id="D" targetNamespace="http://example.com/t">
  <semantic:resource id="Clerk" name="Clerk"/>
  <semantic:resource id="Manager" name="Manager"/>
  <semantic:process id="P" isExecutable="false">
    <semantic:userTask id="Review" name="Review claim">
      <semantic:extensionElements>
        <vendor:colour value="blue"/>
      </semantic:extensionElements>
      <semantic:performer id="Performer_Review">
        <semantic:resourceRef>Clerk</semantic:resourceRef>
      </semantic:performer>
    </semantic:userTask>
  </semantic:process>
</semantic:definitions>
"""


# --- RACI letters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ar", "RA"),
        ("A/R", "RA"),
        ("R, A", "RA"),
        ("i c s a r", "RASCI"),
        ("c+i", "CI"),
        ("RR", "R"),
        ("s;a", "AS"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_letters_are_normalised_to_rasci_order(typed: str, stored: str) -> None:
    assert smo.normalize_letters(typed) == stored


@pytest.mark.parametrize(("typed", "named"), [("X", "X"), ("RX", "X"), ("a1", "1"), ("Responsible", "BELNOP")])
def test_other_letters_are_refused_by_name(typed: str, named: str) -> None:
    with pytest.raises(ValueError, match=f"unknown RACI letter\\(s\\): {named}$"):
        smo.normalize_letters(typed)


# --- roles --------------------------------------------------------------------------------------


def test_a_role_is_a_resource_with_description_and_kind_that_survives_a_save() -> None:
    document, _, _ = process_document()
    resource = undoable(
        document, lambda: smo.add_role(document, "Service desk agent", "First line of support.", "operational")
    )
    assert isinstance(resource, Element) and resource.tag == tag("resource")
    assert [c.local for c in document.root.children] == ["resource", "process", "BPMNDiagram"]
    expected = [smo.Role(resource.id or "", "Service desk agent", "First line of support.", "operational")]
    assert smo.roles(document) == expected
    assert smo.roles(reloaded(document)) == expected


def test_roles_keep_their_order_after_the_last_role() -> None:
    document, _, _ = process_document()
    first, second = role_ids(document, "Service desk agent", "Incident manager")
    third = undoable(document, lambda: smo.add_role(document, "Process owner"))
    assert [r.id for r in smo.roles(document)] == [first, second, third.get("id")]
    assert [r.name for r in smo.roles(reloaded(document))] == [
        "Service desk agent",
        "Incident manager",
        "Process owner",
    ]


def test_updating_a_role_changes_only_what_is_given() -> None:
    document, _, _ = process_document()
    (role,) = role_ids(document, "Agent")
    undoable(document, lambda: smo.update_role(document, role, name="Service desk agent", kind="operational"))
    assert smo.roles(document) == [smo.Role(role, "Service desk agent", "", "operational")]
    undoable(document, lambda: smo.update_role(document, role, description="Logs incidents."))
    assert smo.roles(reloaded(document)) == [smo.Role(role, "Service desk agent", "Logs incidents.", "operational")]


def test_clearing_a_role_s_kind_and_description_leaves_a_plain_resource() -> None:
    document, _, _ = process_document()
    resource = smo.add_role(document, "Agent", "Logs incidents.", "operational")
    undoable(document, lambda: smo.update_role(document, resource.id or "", description="", kind=""))
    assert resource.children == []
    assert smo.roles(reloaded(document)) == [smo.Role(resource.id or "", "Agent")]


def test_a_resource_another_tool_wrote_takes_a_kind_and_gives_it_back() -> None:
    document = parse_bpmn(FOREIGN_PERFORMER).document
    undoable(document, lambda: smo.update_role(document, "Clerk", kind="operational"))
    assert smo.roles(document)[0] == smo.Role("Clerk", "Clerk", "", "operational")
    undoable(document, lambda: smo.update_role(document, "Clerk", kind=""))
    assert document.element("Clerk").children == []
    reloaded(document)


def test_updating_an_unknown_role_is_refused() -> None:
    document, _, task = process_document()
    with pytest.raises(KeyError):
        smo.update_role(document, "Role_9", name="Nobody")
    with pytest.raises(KeyError):
        smo.update_role(document, task.id or "", name="Not a role")


# --- RACI cells and performers ------------------------------------------------------------------


def test_responsible_is_also_written_as_a_standard_performer() -> None:
    document, _, task = process_document()
    agent, manager = role_ids(document, "Service desk agent", "Incident manager")
    undoable(document, lambda: smo.set_raci(document, task, agent, "r"))
    assert smo.raci(task) == {agent: "R"}
    assert performers(task) == [agent]
    undoable(document, lambda: smo.set_raci(document, task, manager, "A"))
    assert smo.raci(task) == {agent: "R", manager: "A"}
    assert performers(task) == [agent]
    loaded = reloaded(document)
    assert smo.raci(loaded.element(task.id)) == {agent: "R", manager: "A"}
    assert smo.raci_matrix(loaded) == {task.id: {agent: "R", manager: "A"}}


def test_the_performer_comes_after_incoming_and_outgoing_as_the_schema_wants() -> None:
    document, process, task = process_document()
    (agent,) = role_ids(document, "Agent")
    end = bpmn.create(document, process, "endEvent", id_prefix="Event")
    flow = bpmn.create(document, process, "sequenceFlow", {"sourceRef": task.id, "targetRef": end.id}, id_prefix="Flow")
    bpmn.create(document, task, "outgoing", text=flow.id)
    bpmn.create(document, end, "incoming", text=flow.id)
    bpmn.set_documentation(document, task, "Record the incident.")
    smo.set_raci(document, task, agent, "R")
    assert [c.local for c in task.children] == ["documentation", "extensionElements", "outgoing", "performer"]
    reloaded(document)


def test_keeping_r_keeps_one_performer_and_dropping_it_removes_the_performer() -> None:
    document, _, task = process_document()
    (agent,) = role_ids(document, "Agent")
    smo.set_raci(document, task, agent, "R")
    undoable(document, lambda: smo.set_raci(document, task, agent, "RA"))
    assert performers(task) == [agent]
    assert smo.raci(task) == {agent: "RA"}
    undoable(document, lambda: smo.set_raci(document, task, agent, "A"))
    assert performers(task) == []
    assert smo.raci(reloaded(document).element(task.id)) == {agent: "A"}


def test_clearing_the_last_cell_leaves_the_activity_as_it_was() -> None:
    document, _, task = process_document()
    (agent,) = role_ids(document, "Agent")
    before = task.content()
    smo.set_raci(document, task, agent, "RA")
    undoable(document, lambda: smo.set_raci(document, task, agent, ""))
    assert task.content() == before
    assert smo.raci(task) == {}
    assert smo.raci_matrix(document) == {}


def test_a_performer_written_by_another_tool_reads_as_responsible() -> None:
    document = parse_bpmn(FOREIGN_PERFORMER).document
    review = document.element("Review")
    assert smo.raci(review) == {"Clerk": "R"}
    assert smo.raci_matrix(document) == {"Review": {"Clerk": "R"}}
    # adding A keeps the other tool's performer, not a second one
    undoable(document, lambda: smo.set_raci(document, review, "Clerk", "RA"))
    assert [p.id for p in review.findall(tag("performer"))] == ["Performer_Review"]
    assert smo.raci(review) == {"Clerk": "RA"}


def test_clearing_r_removes_another_tool_s_performer_and_keeps_its_extensions() -> None:
    document = parse_bpmn(FOREIGN_PERFORMER).document
    review = document.element("Review")
    undoable(document, lambda: smo.set_raci(document, review, "Clerk", ""))
    assert smo.raci(review) == {}
    assert review.findall(tag("performer")) == []
    assert [c.tag for c in review.find(tag("extensionElements")).children] == ["{http://example.com/vendor}colour"]
    reloaded(document)


def test_the_performers_of_the_miwg_reference_read_as_responsible() -> None:
    document = read_bpmn(MIWG / "C.7.0.bpmn").document
    matrix = smo.raci_matrix(document)
    roles = {role.id for role in smo.roles(document)}
    assert matrix
    assert all(letters == "R" and role in roles for cells in matrix.values() for role, letters in cells.items())


def test_every_kind_of_activity_takes_a_performer_where_the_schema_wants_it() -> None:
    document, process, _ = process_document()
    (agent,) = role_ids(document, "Agent")
    for kind in sorted(bpmn.ACTIVITY_TYPES):
        activity = bpmn.create(document, process, kind, {"name": kind}, id_prefix="Activity")
        bpmn.create(document, activity, "standardLoopCharacteristics")
        if kind in bpmn.SUBPROCESS_TYPES:
            bpmn.create(document, activity, "startEvent", id_prefix="Event")
        smo.set_raci(document, activity, agent, "RA")
        assert smo.raci(activity) == {agent: "RA"}, kind
    reloaded(document)


def test_a_cell_without_a_role_is_refused() -> None:
    document, _, task = process_document()
    with unchanged(document), pytest.raises(ValueError):
        smo.set_raci(document, task, "", "R")


def test_a_prefixed_performer_reference_names_the_role() -> None:
    document = parse_bpmn(FOREIGN_PERFORMER.replace(b">Clerk</", b">tns:Clerk</")).document
    review = document.element("Review")
    assert smo.raci(review) == {"Clerk": "R"}
    smo.set_raci(document, review, "Clerk", "C")
    assert review.findall(tag("performer")) == []
    assert smo.raci(review) == {"Clerk": "C"}


def test_wrong_letters_change_nothing() -> None:
    document, _, task = process_document()
    (agent,) = role_ids(document, "Agent")
    smo.set_raci(document, task, agent, "R")
    with unchanged(document), pytest.raises(ValueError):
        smo.set_raci(document, task, agent, "RX")


def test_raci_is_read_with_any_prefix_for_the_smo_namespace() -> None:
    document, _, task = process_document()
    agent, manager = role_ids(document, "Agent", "Manager")
    smo.set_raci(document, task, agent, "R")
    smo.set_raci(document, task, manager, "A")
    data = serialize(document).replace(b"smo:", b"ext:").replace(b"xmlns:smo=", b"xmlns:ext=")
    loaded = parse_bpmn(data).document
    assert smo.raci(loaded.element(task.id)) == {agent: "R", manager: "A"}


# --- lanes --------------------------------------------------------------------------------------


def test_a_lane_stands_for_a_role_through_partition_element_ref() -> None:
    document, process, _ = process_document()
    (agent,) = role_ids(document, "Service desk agent")
    lane_set = bpmn.create(document, process, "laneSet", id_prefix="LaneSet")
    lane = bpmn.create(document, lane_set, "lane", {"name": "Service desk"}, id_prefix="Lane")
    assert smo.lane_role(lane) is None
    undoable(document, lambda: smo.set_lane_role(document, lane, agent))
    assert lane.get("partitionElementRef") == agent
    assert smo.lane_role(lane) == agent
    assert smo.lane_role(reloaded(document).element(lane.id)) == agent
    undoable(document, lambda: smo.set_lane_role(document, lane, None))
    assert "partitionElementRef" not in lane.attributes
    assert smo.lane_role(lane) is None


def test_no_role_is_no_partition_element_ref() -> None:
    document, process, _ = process_document()
    (agent,) = role_ids(document, "Service desk agent")
    lane = bpmn.create(document, bpmn.create(document, process, "laneSet"), "lane", id_prefix="Lane")
    smo.set_lane_role(document, lane, agent)
    smo.set_lane_role(document, lane, "")
    assert smo.lane_role(lane) is None
    reloaded(document)


def test_a_prefixed_lane_reference_names_the_role() -> None:
    lane = Element(tag("lane"), {"id": "Lane_1", "partitionElementRef": "tns:Role_1"})
    assert smo.lane_role(lane) == "Role_1"


# --- metadata -----------------------------------------------------------------------------------

METADATA = smo.Metadata(
    title="Incident management",
    version="1.2",
    status="approved",
    owner="Service Management Office",
    created="2024-01-15",
    modified="2024-03-01",
)


def test_metadata_lives_in_the_first_collaboration() -> None:
    document, process, _ = process_document()
    collaboration = with_collaboration(document)
    undoable(document, lambda: smo.set_metadata(document, METADATA))
    assert document.root.get("name") == "Incident management"
    node = collaboration.find(tag("extensionElements")).find(smo_tag("metadata"))
    assert node.attributes == {
        "version": "1.2",
        "status": "approved",
        "owner": "Service Management Office",
        "created": "2024-01-15",
        "modified": "2024-03-01",
    }
    assert process.find(tag("extensionElements")) is None
    assert smo.metadata(reloaded(document)) == METADATA


def test_metadata_lives_in_the_first_process_without_a_collaboration() -> None:
    document, process, _ = process_document()
    undoable(document, lambda: smo.set_metadata(document, METADATA))
    assert process.find(tag("extensionElements")).find(smo_tag("metadata")) is not None
    assert smo.metadata(reloaded(document)) == METADATA


def test_metadata_stays_where_the_file_had_it() -> None:
    document, process, _ = process_document()
    smo.set_metadata(document, METADATA)
    collaboration = with_collaboration(document)
    undoable(document, lambda: smo.set_metadata(document, smo.Metadata(title="Incidents", version="2.0")))
    assert collaboration.find(tag("extensionElements")) is None
    node = process.find(tag("extensionElements")).find(smo_tag("metadata"))
    assert node.attributes == {"version": "2.0"}
    assert smo.metadata(reloaded(document)) == smo.Metadata(title="Incidents", version="2.0")


def test_a_document_without_process_gets_one_to_hold_its_metadata() -> None:
    document = Document(Element(tag("definitions"), {"id": "D", "targetNamespace": "http://example.com/t"}))
    undoable(document, lambda: smo.set_metadata(document, METADATA))
    (process,) = bpmn.processes(document)
    assert process.get("isExecutable") == "false"
    assert smo.metadata(reloaded(document)) == METADATA


def test_metadata_in_a_collaboration_another_tool_wrote() -> None:
    document = read_bpmn(MIWG / "C.1.0.bpmn").document
    undoable(document, lambda: smo.set_metadata(document, smo.Metadata(title="Invoice handling", version="3")))
    assert smo.document_home(document).parent is bpmn.collaborations(document)[0]
    assert smo.metadata(reloaded(document)) == smo.Metadata(title="Invoice handling", version="3")


def test_clearing_the_metadata_leaves_no_empty_element() -> None:
    document, process, _ = process_document()
    smo.set_metadata(document, METADATA)
    undoable(document, lambda: smo.set_metadata(document, smo.Metadata(title="Incident management")))
    assert process.find(tag("extensionElements")) is None
    assert smo.metadata(reloaded(document)) == smo.Metadata(title="Incident management")


def test_clearing_the_metadata_keeps_what_another_version_wrote_beside_it() -> None:
    document, process, _ = process_document()
    smo.set_metadata(document, METADATA)
    data = serialize(document).replace(
        b'<smo:metadata version="1.2"', b'<smo:metadata reviewer="SMO board" version="1.2"'
    )
    document = parse_bpmn(data).document
    smo.set_metadata(document, smo.Metadata())
    node = bpmn.processes(document)[0].find(tag("extensionElements")).find(smo_tag("metadata"))
    assert node.attributes == {"reviewer": "SMO board"}
    assert smo.metadata(reloaded(document)) == smo.Metadata()


def test_empty_metadata_adds_nothing() -> None:
    document, _, _ = process_document()
    before = document.root.content()
    smo.set_metadata(document, smo.Metadata(title="Incident management"))
    assert document.root.content() == before
    assert smo.metadata(document) == smo.Metadata(title="Incident management")


# --- policies -----------------------------------------------------------------------------------


def policy(links: tuple[str, ...], owner: str) -> smo.Policy:
    return smo.Policy(
        identifier="IM-POL-01",
        title="Every incident is logged",
        statement="Every incident is logged before work on it starts.",
        rationale="Only a logged incident can be tracked & measured <always>.",
        scope="All services, all channels.",
        owner_role=owner,
        approver="Head of IT service management",
        status="approved",
        effective="2024-03-01",
        next_review="2025-03-01",
        links=links,
        frameworks=(
            smo.FrameworkReference("ITIL 4", "Incident management practice", "implements"),
            smo.FrameworkReference("ISO/IEC 20000-1:2018", "8.6.1 Incident management", "supports"),
        ),
        history=(smo.StatusChange("draft", "2024-01-15"), smo.StatusChange("approved", "2024-03-01")),
    )


def test_a_policy_is_added_with_a_new_id_and_survives_a_save() -> None:
    document, _, task = process_document()
    collaboration = with_collaboration(document)
    (owner,) = role_ids(document, "Process owner")
    added = undoable(document, lambda: smo.add_policy(document, policy((task.id or "",), owner)))
    assert isinstance(added, smo.Policy)
    assert added.id == "Policy_1"
    assert added == smo.replace(policy((task.id or "",), owner), id="Policy_1")
    assert smo.policies(document) == [added]
    container = collaboration.find(tag("extensionElements")).find(smo_tag("policies"))
    assert [c.local for c in container.find(smo_tag("policy")).children] == [
        "title",
        "statement",
        "rationale",
        "scope",
        "link",
        "framework",
        "framework",
        "transition",
        "transition",
    ]
    assert smo.policies(reloaded(document)) == [added]


def test_policies_share_the_home_of_the_metadata() -> None:
    document, process, _ = process_document()
    smo.set_metadata(document, METADATA)
    with_collaboration(document)
    smo.add_policy(document, smo.Policy(title="First"))
    home = process.find(tag("extensionElements"))
    assert [c.local for c in home.children] == ["metadata", "policies"]


def test_updating_a_policy_rewrites_its_texts_links_and_history() -> None:
    document, process, task = process_document()
    other = bpmn.create(document, process, "userTask", {"name": "Close incident"}, id_prefix="Activity")
    (owner,) = role_ids(document, "Process owner")
    added = smo.add_policy(document, policy((task.id or "",), owner))
    changed = smo.replace(
        added,
        title="All incidents are logged",
        rationale="",
        scope="",
        status="retired",
        effective="",
        links=(task.id or "", other.id or ""),
        frameworks=(smo.FrameworkReference("COBIT 2019", "DSS02.02", "related"),),
        history=(*added.history, smo.StatusChange("retired", "2025-01-31")),
    )
    undoable(document, lambda: smo.update_policy(document, changed))
    assert smo.policies(document) == [changed]
    node = document.element(added.id)
    assert "effective" not in node.attributes
    assert node.find(smo_tag("rationale")) is None and node.find(smo_tag("scope")) is None
    assert smo.policies(reloaded(document)) == [changed]


def test_a_text_given_back_to_a_policy_takes_its_place_among_the_texts() -> None:
    document, _, _ = process_document()
    added = smo.add_policy(document, smo.Policy(title="Log", scope="All incidents."))
    undoable(document, lambda: smo.update_policy(document, smo.replace(added, statement="Log them all.")))
    assert [c.local for c in document.element(added.id).children] == ["title", "statement", "scope"]


def test_removing_the_last_policy_removes_its_container() -> None:
    document, process, _ = process_document()
    first = smo.add_policy(document, smo.Policy(title="First"))
    second = smo.add_policy(document, smo.Policy(title="Second"))
    undoable(document, lambda: smo.remove_policy(document, first.id))
    assert smo.policies(document) == [second]
    undoable(document, lambda: smo.remove_policy(document, second.id))
    assert smo.policies(document) == []
    assert process.find(tag("extensionElements")) is None


def test_removing_the_last_policy_keeps_the_metadata() -> None:
    document, _, _ = process_document()
    smo.set_metadata(document, METADATA)
    added = smo.add_policy(document, smo.Policy(title="First"))
    smo.remove_policy(document, added.id)
    assert smo.metadata(reloaded(document)) == METADATA


def test_unknown_policies_cannot_be_changed() -> None:
    document, _, task = process_document()
    with unchanged(document):
        with pytest.raises(KeyError):
            smo.update_policy(document, smo.Policy(id="Policy_9", title="Nothing"))
        with pytest.raises(KeyError):
            smo.remove_policy(document, task.id or "")


# --- KPIs ---------------------------------------------------------------------------------------

MTTR = smo.Kpi(
    name="Mean time to resolve",
    description="Average time from logging to resolution.",
    target="8",
    unit="hours",
    direction="lower",
    frequency="monthly",
    owner_role="Role_1",  # the first role a test adds
    data_source="ITSM tool",
)


def test_a_kpi_belongs_to_its_process_and_survives_a_save() -> None:
    document, process, _ = process_document()
    role_ids(document, "Incident manager")
    added = undoable(document, lambda: smo.add_kpi(document, process, MTTR))
    assert isinstance(added, smo.Kpi) and added == smo.replace(MTTR, id="Kpi_1")
    assert smo.kpis(process) == [added]
    node = process.find(tag("extensionElements")).find(smo_tag("kpis")).find(smo_tag("kpi"))
    assert node.attributes == {
        "id": "Kpi_1",
        "name": "Mean time to resolve",
        "target": "8",
        "unit": "hours",
        "direction": "lower",
        "frequency": "monthly",
        "ownerRole": "Role_1",
        "dataSource": "ITSM tool",
    }
    assert smo.kpis(bpmn.processes(reloaded(document))[0]) == [added]


def test_kpis_of_two_processes_stay_apart() -> None:
    document, process, _ = process_document()
    role_ids(document, "Incident manager")
    other = bpmn.create(document, document.root, "process", {"isExecutable": "false"}, id_prefix="Process")
    smo.add_kpi(document, process, MTTR)
    smo.add_kpi(document, other, smo.Kpi(name="Backlog", unit="incidents", direction="lower"))
    assert [k.name for k in smo.kpis(process)] == ["Mean time to resolve"]
    assert [k.name for k in smo.kpis(other)] == ["Backlog"]
    reloaded(document)


def test_updating_a_kpi_changes_its_values_and_description() -> None:
    document, process, _ = process_document()
    role_ids(document, "Incident manager")
    added = smo.add_kpi(document, process, MTTR)
    changed = smo.replace(added, target="6", frequency="weekly", description="", data_source="")
    undoable(document, lambda: smo.update_kpi(document, changed))
    assert smo.kpis(process) == [changed]
    assert document.element(added.id).children == []
    assert smo.kpis(bpmn.processes(reloaded(document))[0]) == [changed]


def test_removing_the_last_kpi_removes_its_container() -> None:
    document, process, _ = process_document()
    first = smo.add_kpi(document, process, MTTR)
    second = smo.add_kpi(document, process, smo.Kpi(name="First-contact resolution rate", unit="%"))
    undoable(document, lambda: smo.remove_kpi(document, first.id))
    assert [k.id for k in smo.kpis(process)] == [second.id]
    undoable(document, lambda: smo.remove_kpi(document, second.id))
    assert smo.kpis(process) == []
    assert process.find(tag("extensionElements")) is None
    with pytest.raises(KeyError):
        smo.remove_kpi(document, second.id)


# --- everything together ------------------------------------------------------------------------


def test_a_model_with_every_kind_of_smo_data_survives_save_and_load_unchanged() -> None:
    document, process, task = process_document()
    with_collaboration(document)
    agent, manager, owner = role_ids(document, "Service desk agent", "Incident manager", "Process owner")
    smo.update_role(document, agent, description="First line.", kind="operational")
    lane = bpmn.create(document, bpmn.create(document, process, "laneSet"), "lane", id_prefix="Lane")
    smo.set_lane_role(document, lane, agent)
    smo.set_raci(document, task, agent, "R")
    smo.set_raci(document, task, manager, "A")
    smo.set_raci(document, task, owner, "CI")
    smo.set_metadata(document, METADATA)
    smo.add_policy(document, policy((task.id or "",), owner))
    smo.add_kpi(document, process, MTTR)

    loaded = reloaded(document)
    assert smo.roles(loaded) == smo.roles(document)
    assert smo.raci_matrix(loaded) == {task.id: {agent: "R", manager: "A", owner: "CI"}}
    assert smo.lane_role(loaded.element(lane.id)) == agent
    assert smo.metadata(loaded) == METADATA
    assert smo.policies(loaded) == smo.policies(document)
    assert smo.kpis(bpmn.processes(loaded)[0]) == smo.kpis(process)
    assert document.root.namespaces["smo"] == SMO


def test_the_namespace_is_declared_by_the_first_smo_edit_and_undone_with_it() -> None:
    document, _, task = process_document()
    (agent,) = role_ids(document, "Agent")
    assert "smo" not in document.root.namespaces
    with document.edit("Set RACI") as edit:
        smo.set_raci(document, task, agent, "A")
    assert document.root.namespaces["smo"] == SMO
    edit.undo(document)
    assert "smo" not in document.root.namespaces


OTHER_VERSION = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:smo="http://example.com/not-smo"
    xmlns:next="https://smo-designer.org/schema/bpmn-extensions/2.0" id="D" targetNamespace="http://example.com/t">
  <resource id="Agent" name="Agent"/>
  <process id="P" isExecutable="false">
    <extensionElements>
      <next:kpis>
        <next:kpi id="K" name="Backlog"/>
      </next:kpis>
      <smo:colour value="blue"/>
    </extensionElements>
    <task id="T" name="Log incident"/>
  </process>
</definitions>
"""


def test_another_version_s_data_is_kept_but_not_read_and_a_taken_prefix_is_not_reused() -> None:
    document = parse_bpmn(OTHER_VERSION).document
    process = bpmn.processes(document)[0]
    assert smo.kpis(process) == []
    smo.set_raci(document, document.element("T"), "Agent", "R")
    smo.add_kpi(document, process, smo.Kpi(name="Mean time to resolve"))
    assert document.root.namespaces["smo"] == "http://example.com/not-smo"
    assert document.root.namespaces["smo2"] == SMO
    data = serialize(document)
    assert b"<smo2:raci>" in data and b'<next:kpi id="K" name="Backlog"/>' in data and b"<smo:colour" in data
    loaded = reloaded(document)
    assert [k.name for k in smo.kpis(bpmn.processes(loaded)[0])] == ["Mean time to resolve"]
    assert smo.raci(loaded.element("T")) == {"Agent": "R"}


def test_what_a_newer_version_adds_to_a_policy_survives_an_edit() -> None:
    document, _, task = process_document()
    added = smo.add_policy(document, smo.Policy(title="Log", links=(task.id or "",)))
    data = (
        serialize(document)
        .replace(b'<smo:policy id="Policy_1"', b'<smo:policy id="Policy_1" severity="high"')
        .replace(b"</smo:title>", b"</smo:title><smo:exception>Monitoring events</smo:exception>")
    )
    document = parse_bpmn(data).document
    undoable(document, lambda: smo.update_policy(document, smo.replace(added, title="Log all", status="approved")))
    node = document.element("Policy_1")
    assert node.get("severity") == "high"
    assert node.find(smo_tag("exception")).text == "Monitoring events"
    assert smo.policies(reloaded(document)) == [smo.replace(added, title="Log all", status="approved")]
