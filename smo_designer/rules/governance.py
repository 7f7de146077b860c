"""Governance checks: policies without owner, overdue for review, linked to nothing or owned by
a role with no part in what they govern; processes without KPIs, KPIs without target (rules
layer). Each problem names the policy, process or KPI, so the UI can select it."""

from __future__ import annotations

import datetime as dt

from ..model import bpmn as b
from ..model import smo
from ..model.document import Document
from ..model.problems import ERROR, WARNING, Problem

APPROVED_WITHOUT_OWNER = "policy.approved-without-owner"
REVIEW_OVERDUE = "policy.review-overdue"
UNLINKED = "policy.unlinked"
OWNER_WITHOUT_PART = "policy.owner-without-part"
PROCESS_WITHOUT_KPIS = "kpi.process-without-kpis"
KPI_WITHOUT_TARGET = "kpi.without-target"


def check_governance(document: Document, today: dt.date) -> list[Problem]:
    """The policy and KPI problems of a document as of `today` (a parameter, so that a check
    gives the same answer in a test next year)."""
    return check_policies(document, today) + check_kpis(document)


def governs(document: Document) -> bool:
    """Whether the document is governed here: it has policies or KPIs. Plain BPMN from another
    tool has neither, and a warning on every process for missing KPIs would only be noise."""
    return bool(smo.policies(document)) or any(smo.kpis(process) for process in b.processes(document))


def check_governed(document: Document, today: dt.date) -> list[Problem]:
    """check_governance for governed documents, nothing for others (what `check` and the
    Problems panel show)."""
    return check_governance(document, today) if governs(document) else []


def check_policies(document: Document, today: dt.date) -> list[Problem]:
    roles = {role.id: role.name or role.id for role in smo.roles(document)}
    problems: list[Problem] = []
    for policy in smo.policies(document):
        what = policy_label(policy)
        if policy.status == "approved" and not policy.owner_role:
            problems.append(
                Problem(ERROR, policy.id, f"{what} is approved but has no owner role", APPROVED_WITHOUT_OWNER)
            )
        if policy.status == "retired":
            continue  # a retired policy governs nothing any more: it needs no review, links or owner
        if policy.next_review and _is_before(policy.next_review, today):
            problems.append(
                Problem(WARNING, policy.id, f"{what} was due for review on {policy.next_review}", REVIEW_OVERDUE)
            )
        linked = [element for ref in policy.links if (element := document.element(ref)) is not None]
        if not any(b.kind(e) in b.RACI_ACTIVITY_TYPES or b.kind(e) == "process" for e in linked):
            problems.append(Problem(WARNING, policy.id, f"{what} is linked to no process or activity", UNLINKED))
        if policy.owner_role:
            activities = [e for e in linked if b.kind(e) in b.RACI_ACTIVITY_TYPES]
            without = [e for e in activities if not smo.raci(e).get(policy.owner_role)]
            if without:
                names = ", ".join(f"'{_one_line(b.name(e)) or e.id}'" for e in without)
                owner = roles.get(policy.owner_role, policy.owner_role)
                problems.append(
                    Problem(
                        WARNING,
                        policy.id,
                        f"{what}: its owner {owner} has no RACI letter in {names}",
                        OWNER_WITHOUT_PART,
                        policy.owner_role,
                    )
                )
    return problems


def check_kpis(document: Document) -> list[Problem]:
    problems: list[Problem] = []
    for process in b.processes(document):
        kpis = smo.kpis(process)
        has_work = any(b.kind(node) in b.RACI_ACTIVITY_TYPES for node in b.flow_elements(process))
        if not kpis and has_work:
            # an empty process (such as the one that only holds document data) measures nothing
            name = _one_line(b.name(process))
            what = f"process '{name}'" if name else "the process"
            problems.append(
                Problem(WARNING, process.id or "", f"{what} has no KPI to measure it", PROCESS_WITHOUT_KPIS)
            )
        for kpi in kpis:
            if not kpi.target.strip():
                name = _one_line(kpi.name)
                what = f"KPI '{name}'" if name else "a KPI"
                problems.append(Problem(WARNING, kpi.id, f"{what} has no target", KPI_WITHOUT_TARGET))
    return problems


def policy_label(policy: smo.Policy) -> str:
    """'policy IM-POL-01 'Every incident is logged'', or what of it there is."""
    parts = ["policy"]
    if policy.identifier:
        parts.append(_one_line(policy.identifier))
    if policy.title:
        parts.append(f"'{_one_line(policy.title)}'")
    if len(parts) == 1:
        parts.append(policy.id)
    return " ".join(parts)


def _is_before(value: str, today: dt.date) -> bool:
    try:
        return dt.date.fromisoformat(value) < today
    except ValueError:
        return False  # a date another tool wrote in its own way: not ours to judge


def _one_line(text: str) -> str:
    return " ".join(text.split())
