"""Policies, KPIs and document control in the model: the lifecycle with dated steps, links to
processes and activities, values the format refuses, document metadata with approver, scope and
change history, the ready framework lists; all of it through save, load and save byte for byte,
valid against the OMG schema and read by bpmn-moddle without a warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bpmn_checks import moddle_warnings, xsd_errors
from conftest import ROOT

from smo_designer.formats.bpmn import parse_bpmn, read_bpmn, serialize, write_bpmn
from smo_designer.model import bpmn, frameworks, smo
from smo_designer.model.document import Document
from smo_designer.model.namespaces import smo as smo_tag

SAMPLE = ROOT / "samples" / "incident-management.bpmn"


def undoable(document: Document, change: Callable[[], object]) -> object:
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
    data = serialize(document)
    assert xsd_errors(data) == []
    result = parse_bpmn(data, "saved.bpmn")
    assert result.problems == []
    assert result.document.content() == document.content()
    assert serialize(result.document) == data
    return result.document


def new_model() -> tuple[Document, str, str]:
    """A document with one process, one task and one role; returns document, task id, role id."""
    document = bpmn.new_document("Change enablement")
    process = bpmn.processes(document)[0]
    task = bpmn.create(document, process, "userTask", {"name": "Assess change"}, id_prefix="Activity")
    role = smo.add_role(document, "Change manager")
    return document, task.id or "", role.get("id") or ""


def draft(document: Document, **values: object) -> smo.Policy:
    policy = smo.Policy(
        identifier="CH-POL-01",
        title="Every change is assessed",
        status="draft",
        history=(smo.StatusChange("draft", "2026-01-05"),),
    )
    return smo.add_policy(document, smo.replace(policy, **values))


# --- the lifecycle ------------------------------------------------------------------------------


def test_a_policy_goes_from_draft_through_review_to_approval_with_each_step_dated() -> None:
    document, _, _ = new_model()
    policy = draft(document)
    undoable(document, lambda: smo.transition_policy(document, policy.id, "in review", "2026-01-20"))
    approved = undoable(document, lambda: smo.transition_policy(document, policy.id, "approved", "2026-02-02"))
    assert approved == smo.policies(document)[0]
    assert approved.status == "approved"
    assert approved.history == (
        smo.StatusChange("draft", "2026-01-05"),
        smo.StatusChange("in review", "2026-01-20"),
        smo.StatusChange("approved", "2026-02-02"),
    )
    # approval makes the policy effective that day and plans its review a year on
    assert (approved.effective, approved.next_review) == ("2026-02-02", "2027-02-02")
    smo.transition_policy(document, policy.id, "retired", "2026-06-30")
    assert smo.policies(reloaded(document))[0].history[-1] == smo.StatusChange("retired", "2026-06-30")


def test_approval_keeps_dates_the_policy_already_has() -> None:
    document, _, _ = new_model()
    policy = draft(document, status="in review", effective="2026-03-01", next_review="2026-09-01")
    approved = smo.transition_policy(document, policy.id, "approved", "2026-02-15")
    assert (approved.effective, approved.next_review) == ("2026-03-01", "2026-09-01")


def test_a_review_can_send_a_policy_back_to_draft_and_an_approved_one_back_into_review() -> None:
    document, _, _ = new_model()
    policy = draft(document)
    smo.transition_policy(document, policy.id, "in review", "2026-01-06")
    smo.transition_policy(document, policy.id, "draft", "2026-01-07")
    smo.transition_policy(document, policy.id, "in review", "2026-01-08")
    smo.transition_policy(document, policy.id, "approved", "2026-01-09")
    again = smo.transition_policy(document, policy.id, "in review", "2027-01-04")
    assert [step.status for step in again.history] == [
        "draft",
        "in review",
        "draft",
        "in review",
        "approved",
        "in review",
    ]


@pytest.mark.parametrize(
    ("start", "target", "date", "message"),
    [
        ("draft", "approved", "2026-02-01", "a policy draft can go to in review or retired, not to approved"),
        ("retired", "draft", "2026-02-01", "a policy retired has no further step"),
        ("draft", "in review", "2026-01-04", "2026-01-04 is before the last step (draft on 2026-01-05)"),
        ("draft", "in review", "20.1.2026", "the date of the step '20.1.2026' is not a date"),
        ("draft", "in review", "2026-02-30", "the date of the step '2026-02-30' is not a date"),
        ("draft", "in review", "", "a lifecycle step needs a date"),
        ("draft", "published", "2026-02-01", "a policy draft can go to in review or retired, not to published"),
    ],
)
def test_steps_the_lifecycle_does_not_allow_are_refused_with_a_reason(
    start: str, target: str, date: str, message: str
) -> None:
    document, _, _ = new_model()
    policy = draft(document, status=start)
    before = document.content()
    with pytest.raises(ValueError) as refused:
        smo.transition_policy(document, policy.id, target, date)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)
    assert document.content() == before


# --- values the format refuses, values others wrote ---------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "published"}, "unknown policy status 'published'"),
        ({"effective": "March 2026"}, "the effective date 'March 2026' is not a date"),
        ({"next_review": "2026-13-01"}, "the next review date '2026-13-01' is not a date"),
        ({"frameworks": (smo.FrameworkReference("ITIL 4", "", "implements"),)}, "a framework reference needs"),
        ({"frameworks": (smo.FrameworkReference("ITIL 4", "Service desk", "enforces"),)}, "unknown relation"),
        ({"links": ("",)}, "a policy link needs the id"),
        ({"title": "bell\x07"}, "text cannot hold the control character U+0007"),
    ],
)
def test_an_edit_with_a_value_the_format_refuses_changes_nothing(change: dict, message: str) -> None:
    document, _, _ = new_model()
    policy = draft(document)
    before = document.content()
    with pytest.raises(ValueError) as refused:
        smo.update_policy(document, smo.replace(policy, **change))
    assert str(refused.value).startswith(message)
    assert document.content() == before


def test_a_value_another_version_wrote_stays_while_the_user_edits_something_else() -> None:
    document, _, _ = new_model()
    policy = draft(document)
    data = serialize(document).replace(b'status="draft"', b'status="superseded"', 1)
    document = parse_bpmn(data, "other.bpmn").document
    (foreign,) = smo.policies(document)
    assert foreign.status == "superseded"
    smo.update_policy(document, smo.replace(foreign, title="Every change is assessed first"))
    assert smo.policies(document)[0].status == "superseded"
    assert smo.policies(document)[0].title == "Every change is assessed first"
    assert policy.id == foreign.id


def test_links_name_processes_and_activities_once_each() -> None:
    document, task, _ = new_model()
    process = bpmn.processes(document)[0].id or ""
    policy = draft(document, links=(process, task, task))
    assert policy.links == (process, task, task)  # what was asked …
    stored = smo.policies(document)[0]
    assert stored.links == (process, task)  # … and what the file holds
    assert smo.policy_links(document) == {process: [policy.id], task: [policy.id]}
    assert smo.policies(reloaded(document))[0].links == (process, task)


def test_a_policy_is_found_by_its_id() -> None:
    document, _, _ = new_model()
    policy = draft(document)
    assert smo.policy_by_id(document, policy.id) == smo.policies(document)[0]
    with pytest.raises(KeyError):
        smo.policy_by_id(document, "Policy_9")


# --- KPIs ---------------------------------------------------------------------------------------


def test_a_kpi_is_found_with_its_process_and_its_direction_is_checked() -> None:
    document, _, _ = new_model()
    process = bpmn.processes(document)[0]
    kpi = smo.add_kpi(document, process, smo.Kpi(name="Change success rate", target="95", unit="%"))
    assert smo.kpi_by_id(document, kpi.id) == kpi
    assert smo.kpi_process(document, kpi.id) is process
    before = document.content()
    with pytest.raises(ValueError, match="^a KPI's direction is 'higher' or 'lower'"):
        smo.update_kpi(document, smo.replace(kpi, direction="up"))
    with pytest.raises(ValueError, match="^a KPI's direction"):
        smo.add_kpi(document, process, smo.Kpi(name="Backlog", direction="sideways"))
    assert document.content() == before


# --- document control ---------------------------------------------------------------------------

CONTROL = smo.Metadata(
    title="Change enablement",
    version="1.1",
    status="approved",
    owner="Service Management Office",
    created="2026-01-05",
    modified="2026-02-02",
    approver="Head of IT service management",
    scope="All changes to services in the catalogue.\nStandard changes follow their own model.",
    revisions=(
        smo.Revision("1.0", "2026-01-20", "SMO", "First issue & approval <board>."),
        smo.Revision("1.1", "2026-02-02", "", ""),
    ),
)


def test_document_control_holds_approver_scope_and_change_history() -> None:
    document, _, _ = new_model()
    undoable(document, lambda: smo.set_metadata(document, CONTROL))
    node = document_home_child(document, "metadata")
    assert list(node.attributes) == ["version", "status", "owner", "created", "modified", "approver"]
    assert [child.local for child in node.children] == ["scope", "revision", "revision"]
    assert node.children[2].attributes == {"version": "1.1", "date": "2026-02-02"}  # empty values left out
    assert smo.metadata(reloaded(document)) == CONTROL


def test_document_control_refuses_a_date_that_is_no_date() -> None:
    document, _, _ = new_model()
    before = document.content()
    with pytest.raises(ValueError, match="^the modified date 'yesterday' is not a date"):
        smo.set_metadata(document, smo.replace(CONTROL, modified="yesterday"))
    with pytest.raises(ValueError, match="^the date of version 2.0 '2026-02' is not a date"):
        smo.set_metadata(document, smo.replace(CONTROL, revisions=(smo.Revision("2.0", "2026-02"),)))
    assert document.content() == before


def test_clearing_the_change_history_and_scope_leaves_the_rest() -> None:
    document, _, _ = new_model()
    smo.set_metadata(document, CONTROL)
    undoable(document, lambda: smo.set_metadata(document, smo.replace(CONTROL, scope="", revisions=())))
    assert document_home_child(document, "metadata").children == []
    assert smo.metadata(reloaded(document)) == smo.replace(CONTROL, scope="", revisions=())


def document_home_child(document: Document, local: str):
    return smo.document_home(document).find(smo_tag(local))


# --- the ready lists ----------------------------------------------------------------------------


def test_the_ready_lists_hold_the_published_sets() -> None:
    sizes = {f.name: len(f.clauses) for f in frameworks.FRAMEWORKS}
    assert sizes["ITIL 4"] == 34  # 14 general, 17 service and 3 technical management practices
    assert sizes["COBIT 2019"] == 40  # governance and management objectives
    assert sizes["NIST CSF 2.0"] == 6 + 22  # functions and categories
    assert sizes["ISO/IEC 27001:2022"] == 93  # Annex A controls
    iso27001 = frameworks.framework("ISO/IEC 27001:2022")
    assert [len([c for c in iso27001.clauses if c.group == g]) for g in iso27001.groups()] == [37, 8, 14, 34]
    itil = frameworks.framework("itil 4")
    assert [len([c for c in itil.clauses if c.group == g]) for g in itil.groups()] == [14, 17, 3]
    for ready in frameworks.FRAMEWORKS:
        labels = [clause.label for clause in ready.clauses]
        assert len(labels) == len(set(labels)), ready.name


def test_clauses_are_found_by_label_or_code() -> None:
    iso20000 = frameworks.framework("ISO/IEC 20000-1:2018")
    assert iso20000.find("8.6.1 Incident management").title == "Incident management"
    assert iso20000.find("8.5.1.1").title == "Change management policy"
    assert frameworks.framework("COBIT 2019").find("DSS02").title == "Managed Service Requests and Incidents"
    assert frameworks.framework("NIST CSF 2.0").find("GV.PO").title == "Policy"
    assert frameworks.framework("ISO/IEC 27001:2022").find("A.5.1").title == "Policies for information security"
    assert frameworks.framework("NIST CSF 2.0").find("GV.XX") is None
    assert frameworks.framework("ISO 9001") is None


def test_the_samples_refer_to_clauses_of_the_ready_lists() -> None:
    document = read_bpmn(SAMPLE).document
    for policy in smo.policies(document):
        for reference in policy.frameworks:
            ready = frameworks.framework(reference.framework)
            assert ready is not None and ready.find(reference.clause) is not None, reference


# --- round trip ---------------------------------------------------------------------------------


def governed_model() -> Document:
    document, task, role = new_model()
    process = bpmn.processes(document)[0]
    smo.set_metadata(document, CONTROL)
    policy = draft(
        document,
        statement="Every change is assessed for risk & impact before approval.",
        rationale="Unassessed changes cause most major incidents.",
        scope="All normal and emergency changes.",
        owner_role=role,
        approver="CAB chair",
        links=(process.id or "", task),
        frameworks=(
            smo.FrameworkReference("ITIL 4", "Change enablement practice", "implements"),
            smo.FrameworkReference("ISO/IEC 20000-1:2018", "8.5.1.3 Change management activities", "supports"),
            smo.FrameworkReference("ISO/IEC 27001:2022", "A.8.32 Change management", "related"),
        ),
    )
    smo.transition_policy(document, policy.id, "in review", "2026-01-12")
    smo.transition_policy(document, policy.id, "approved", "2026-01-19")
    smo.add_kpi(
        document,
        process,
        smo.Kpi(
            name="Change success rate",
            description="Changes implemented without incident / all changes implemented",
            target="95",
            unit="%",
            direction="higher",
            frequency="monthly",
            owner_role=role,
            data_source="ITSM tool",
        ),
    )
    return document


def test_policies_kpis_and_document_control_survive_save_load_save(tmp_path: Path) -> None:
    document = governed_model()
    first = tmp_path / "first.bpmn"
    write_bpmn(document, first)
    loaded = read_bpmn(first)
    assert loaded.problems == []
    second = tmp_path / "second.bpmn"
    write_bpmn(loaded.document, second)
    assert second.read_bytes() == first.read_bytes()
    assert xsd_errors(first.read_bytes()) == []
    assert smo.policies(loaded.document) == smo.policies(document)
    assert smo.metadata(loaded.document) == CONTROL
    process = bpmn.processes(loaded.document)[0]
    assert smo.kpis(process) == smo.kpis(bpmn.processes(document)[0])


def test_bpmn_moddle_reads_the_governance_data_without_a_warning(tmp_path: Path, bpmn_moddle: Path) -> None:
    path = tmp_path / "governed.bpmn"
    write_bpmn(governed_model(), path)
    assert moddle_warnings(bpmn_moddle, [path]) == {str(path): []}
