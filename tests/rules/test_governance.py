"""Governance checks: each one finds what it is about, names the element the UI selects, and
keeps quiet about what is in order."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT

from smo_designer.formats.bpmn import read_bpmn
from smo_designer.model import bpmn, smo
from smo_designer.model.document import Document
from smo_designer.model.problems import ERROR, WARNING
from smo_designer.rules import governance
from smo_designer.rules.governance import check_governance

TODAY = dt.date(2026, 6, 1)
SAMPLE = ROOT / "samples" / "incident-management.bpmn"


@pytest.fixture
def model() -> tuple[Document, str, str, str]:
    """A process with two activities, a KPI with a target, and two roles; the owner role is
    Accountable for 'Log'. Returns document, log id, close id, owner role id."""
    document = bpmn.new_document("Incidents")
    process = bpmn.processes(document)[0]
    log = bpmn.create(document, process, "userTask", {"name": "Log\nincident"}, id_prefix="Activity")
    close = bpmn.create(document, process, "userTask", {"name": "Close incident"}, id_prefix="Activity")
    owner = smo.add_role(document, "Incident manager").get("id") or ""
    agent = smo.add_role(document, "Service desk agent").get("id") or ""
    smo.set_raci(document, log, owner, "A")
    smo.set_raci(document, log, agent, "R")
    smo.set_raci(document, close, agent, "RA")
    smo.add_kpi(document, process, smo.Kpi(name="Mean time to resolve", target="8", unit="hours"))
    return document, log.id or "", close.id or "", owner


def governed(document: Document, log: str, owner: str, **values: object) -> smo.Policy:
    policy = smo.Policy(
        identifier="IM-POL-01",
        title="Every incident is logged",
        owner_role=owner,
        status="approved",
        next_review="2026-09-01",
        links=(log,),
    )
    return smo.add_policy(document, smo.replace(policy, **values))


def rules(document: Document, today: dt.date = TODAY) -> list[tuple[str, str, str]]:
    return [(p.rule, p.element, p.severity) for p in check_governance(document, today)]


def test_a_policy_in_order_and_a_measured_process_give_no_problem(model) -> None:
    document, log, _, owner = model
    governed(document, log, owner)
    assert check_governance(document, TODAY) == []


def test_an_approved_policy_without_owner(model) -> None:
    document, log, _, _ = model
    policy = governed(document, log, "")
    (problem,) = check_governance(document, TODAY)
    assert (problem.rule, problem.element, problem.severity) == (governance.APPROVED_WITHOUT_OWNER, policy.id, ERROR)
    assert problem.message == "policy IM-POL-01 'Every incident is logged' is approved but has no owner role"
    smo.update_policy(document, smo.replace(policy, status="draft"))
    assert check_governance(document, TODAY) == []  # a draft may still be looking for its owner


def test_a_policy_past_its_review_date(model) -> None:
    document, log, _, owner = model
    policy = governed(document, log, owner, next_review="2026-05-31")
    (problem,) = check_governance(document, TODAY)
    assert (problem.rule, problem.element, problem.severity) == (governance.REVIEW_OVERDUE, policy.id, WARNING)
    assert "was due for review on 2026-05-31" in problem.message
    assert check_governance(document, dt.date(2026, 5, 31)) == []  # due today is not overdue yet
    smo.update_policy(document, smo.replace(policy, status="retired"))
    assert check_governance(document, TODAY) == []  # a retired policy needs no review


def test_a_review_date_another_tool_wrote_in_its_own_way_is_not_judged(model) -> None:
    document, log, _, owner = model
    governed(document, log, owner)
    node = document.element(smo.policies(document)[0].id)
    document.set_attribute(node, "nextReview", "Q3 2025")
    assert check_governance(document, TODAY) == []


def test_a_policy_linked_to_nothing(model) -> None:
    document, log, _, owner = model
    policy = governed(document, log, owner, links=())
    (problem,) = check_governance(document, TODAY)
    assert (problem.rule, problem.element) == (governance.UNLINKED, policy.id)
    assert problem.message == "policy IM-POL-01 'Every incident is logged' is linked to no process or activity"
    # a link whose element is gone links nothing either
    smo.update_policy(document, smo.replace(policy, links=("Activity_Gone",)))
    assert rules(document) == [(governance.UNLINKED, policy.id, WARNING)]
    # a process is something to link to
    smo.update_policy(document, smo.replace(policy, links=(bpmn.processes(document)[0].id,)))
    assert check_governance(document, TODAY) == []


def test_a_policy_whose_owner_has_no_part_in_a_linked_activity(model) -> None:
    document, log, close, owner = model
    policy = governed(document, log, owner, links=(log, close))
    (problem,) = check_governance(document, TODAY)
    assert (problem.rule, problem.element, problem.role) == (governance.OWNER_WITHOUT_PART, policy.id, owner)
    assert problem.message == (
        "policy IM-POL-01 'Every incident is logged': its owner Incident manager has no RACI letter in 'Close incident'"
    )
    smo.set_raci(document, document.element(close), owner, "I")
    assert check_governance(document, TODAY) == []


def test_a_process_without_kpis(model) -> None:
    document, log, _, owner = model
    governed(document, log, owner)
    process = bpmn.processes(document)[0]
    (kpi,) = smo.kpis(process)
    smo.remove_kpi(document, kpi.id)
    (problem,) = check_governance(document, TODAY)
    assert (problem.rule, problem.element) == (governance.PROCESS_WITHOUT_KPIS, process.id)
    assert problem.message == "the process has no KPI to measure it"
    bpmn.set_name(document, process, "Incident management")
    assert check_governance(document, TODAY)[0].message == "process 'Incident management' has no KPI to measure it"


def test_a_process_without_activities_needs_no_kpi() -> None:
    document = bpmn.new_document("Empty")
    assert check_governance(document, TODAY) == []


def test_a_kpi_without_target(model) -> None:
    document, log, _, owner = model
    governed(document, log, owner)
    (kpi,) = smo.kpis(bpmn.processes(document)[0])
    smo.update_kpi(document, smo.replace(kpi, target=""))
    (problem,) = check_governance(document, TODAY)
    assert (problem.rule, problem.element) == (governance.KPI_WITHOUT_TARGET, kpi.id)
    assert problem.message == "KPI 'Mean time to resolve' has no target"


def test_the_sample_is_in_order_until_its_policies_are_due_for_review() -> None:
    document = read_bpmn(SAMPLE).document
    assert check_governance(document, dt.date(2026, 11, 23)) == []
    overdue = check_governance(document, dt.date(2027, 3, 2))
    assert {p.rule for p in overdue} == {governance.REVIEW_OVERDUE}
    assert sorted(smo.policy_by_id(document, p.element).identifier for p in overdue) == [
        "IM-POL-01",
        "IM-POL-02",
        "IM-POL-04",
    ]


def test_plain_bpmn_from_another_tool_is_not_asked_for_kpis() -> None:
    from conftest import MIWG

    from smo_designer.formats.bpmn import read_bpmn
    from smo_designer.rules.governance import check_governance, check_governed, governs

    document = read_bpmn(MIWG / "A.4.0.bpmn").document
    assert not governs(document)
    assert check_governed(document, dt.date(2026, 11, 23)) == []
    assert check_governance(document, dt.date(2026, 11, 23))  # the rule itself still fires
