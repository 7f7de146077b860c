"""Policy and KPI edits as undo steps: add, edit a field, link, move along the lifecycle,
remove (commands layer). Each command reads the policy or KPI as it is when it runs, so a step
changes only what the user touched."""

from __future__ import annotations

from dataclasses import replace

from ..model import bpmn as b
from ..model import smo
from ..model.document import Document
from .base import DocumentCommand


class GovernanceCommand(DocumentCommand):
    """A command that can tell beforehand, without changing anything, whether it would be
    refused: validate() raises ValueError or KeyError with a message for the user, so editors
    show the message instead of pushing a step that fails."""

    def validate(self, document: Document) -> None:
        pass


def linkable(document: Document, element_id: str) -> str:
    """The id a policy links to for an element the user picked: an activity or a process as it
    is, a pool as its process. ValueError with a message for anything else."""
    element = document.element(element_id)
    if element is None:
        raise ValueError(f"there is no element '{element_id}' in the model")
    kind = b.kind(element)
    if kind == "participant" and element.get("processRef"):
        process_id = (element.get("processRef") or "").rpartition(":")[2]
        if document.element(process_id) is not None:
            return process_id
    if kind == "process" or kind in b.RACI_ACTIVITY_TYPES:
        return element_id
    name = b.name(element)
    what = f"'{name}' ({kind})" if name else f"a {kind or 'foreign element'}"
    raise ValueError(f"{what} cannot carry a policy: link a process or an activity")


class AddPolicyCommand(GovernanceCommand):
    def __init__(self, document: Document, policy: smo.Policy) -> None:
        super().__init__(document, f"Add policy {policy.identifier}".rstrip())
        self.policy = policy
        self.policy_id: str | None = None

    def validate(self, document: Document) -> None:
        smo.check_policy(self.policy, None)

    def perform(self, document: Document) -> None:
        self.policy_id = smo.add_policy(document, self.policy).id


class EditPolicyCommand(GovernanceCommand):
    """Change some fields of a policy (title, statement, owner_role, frameworks …)."""

    def __init__(self, document: Document, policy_id: str, label: str = "Edit policy", **changes: object) -> None:
        super().__init__(document, label)
        self.policy_id = policy_id
        self.changes = changes

    def validate(self, document: Document) -> None:
        current = smo.policy_by_id(document, self.policy_id)
        smo.check_policy(replace(current, **self.changes), current)  # type: ignore[arg-type]

    def perform(self, document: Document) -> None:
        current = smo.policy_by_id(document, self.policy_id)
        smo.update_policy(document, replace(current, **self.changes))  # type: ignore[arg-type]


class RemovePolicyCommand(GovernanceCommand):
    def __init__(self, document: Document, policy_id: str) -> None:
        super().__init__(document, "Delete policy")
        self.policy_id = policy_id

    def perform(self, document: Document) -> None:
        smo.remove_policy(document, self.policy_id)


class TransitionPolicyCommand(GovernanceCommand):
    """One step of the lifecycle (draft → in review → approved → retired), recorded with its date."""

    def __init__(self, document: Document, policy_id: str, status: str, date: str) -> None:
        super().__init__(document, f"Policy {status}")
        self.policy_id, self.status, self.date = policy_id, status, date

    def validate(self, document: Document) -> None:
        smo.check_transition(smo.policy_by_id(document, self.policy_id), self.status, self.date)

    def perform(self, document: Document) -> None:
        smo.transition_policy(document, self.policy_id, self.status, self.date)


class LinkPolicyCommand(GovernanceCommand):
    """Link a policy to a process or an activity (a pool links its process)."""

    def __init__(self, document: Document, policy_id: str, element_id: str) -> None:
        super().__init__(document, "Link policy")
        self.policy_id, self.element_id = policy_id, element_id

    def validate(self, document: Document) -> None:
        smo.policy_by_id(document, self.policy_id)
        linkable(document, self.element_id)

    def perform(self, document: Document) -> None:
        target = linkable(document, self.element_id)
        current = smo.policy_by_id(document, self.policy_id)
        if target not in current.links:
            smo.update_policy(document, replace(current, links=(*current.links, target)))


class UnlinkPolicyCommand(GovernanceCommand):
    def __init__(self, document: Document, policy_id: str, element_id: str) -> None:
        super().__init__(document, "Unlink policy")
        self.policy_id, self.element_id = policy_id, element_id

    def perform(self, document: Document) -> None:
        current = smo.policy_by_id(document, self.policy_id)
        smo.update_policy(document, replace(current, links=tuple(x for x in current.links if x != self.element_id)))


class AddKpiCommand(GovernanceCommand):
    def __init__(self, document: Document, process_id: str, kpi: smo.Kpi) -> None:
        super().__init__(document, f"Add KPI {kpi.name}".rstrip())
        self.process_id, self.kpi = process_id, kpi
        self.kpi_id: str | None = None

    def validate(self, document: Document) -> None:
        smo.check_kpi(self.kpi, None)

    def perform(self, document: Document) -> None:
        process = document.element(self.process_id)
        if process is None or b.kind(process) != "process":
            raise KeyError(f"no process with id {self.process_id!r}")
        self.kpi_id = smo.add_kpi(document, process, self.kpi).id


class EditKpiCommand(GovernanceCommand):
    def __init__(self, document: Document, kpi_id: str, label: str = "Edit KPI", **changes: object) -> None:
        super().__init__(document, label)
        self.kpi_id = kpi_id
        self.changes = changes

    def validate(self, document: Document) -> None:
        current = smo.kpi_by_id(document, self.kpi_id)
        smo.check_kpi(replace(current, **self.changes), current)  # type: ignore[arg-type]

    def perform(self, document: Document) -> None:
        current = smo.kpi_by_id(document, self.kpi_id)
        smo.update_kpi(document, replace(current, **self.changes))  # type: ignore[arg-type]


class RemoveKpiCommand(GovernanceCommand):
    def __init__(self, document: Document, kpi_id: str) -> None:
        super().__init__(document, "Delete KPI")
        self.kpi_id = kpi_id

    def perform(self, document: Document) -> None:
        smo.remove_kpi(document, self.kpi_id)
