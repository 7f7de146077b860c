"""Role catalog edits as undo steps (commands layer)."""

from __future__ import annotations

from ..model import roles, smo
from ..model.document import Document
from .base import DocumentCommand


class AddRoleCommand(DocumentCommand):
    def __init__(self, document: Document, name: str, description: str = "", kind: str = "") -> None:
        super().__init__(document, f"Add role {name}")
        self.name, self.description, self.kind = name, description, kind
        self.role_id: str | None = None

    def perform(self, document: Document) -> None:
        self.role_id = smo.add_role(document, self.name, self.description, self.kind).get("id")


class EditRoleCommand(DocumentCommand):
    """Change a role's name (lanes bound to it follow), description or kind."""

    def __init__(self, document: Document, role_id: str, field: str, value: str) -> None:
        super().__init__(document, f"Change role {field}")
        self.role_id, self.field, self.value = role_id, field, value

    def perform(self, document: Document) -> None:
        if self.field == "name":
            roles.rename_role(document, self.role_id, self.value)
        elif self.field == "description":
            smo.update_role(document, self.role_id, description=self.value)
        elif self.field == "kind":
            smo.update_role(document, self.role_id, kind=self.value)
        else:
            raise ValueError(f"a role has no field {self.field!r}")


class RemoveRoleCommand(DocumentCommand):
    def __init__(self, document: Document, role_id: str) -> None:
        super().__init__(document, "Remove role")
        self.role_id = role_id

    def perform(self, document: Document) -> None:
        roles.remove_role(document, self.role_id)


class AddLaneForRoleCommand(DocumentCommand):
    def __init__(self, document: Document, process_id: str, role_id: str) -> None:
        super().__init__(document, "Add lane for role")
        self.process_id, self.role_id = process_id, role_id

    def perform(self, document: Document) -> None:
        process = document.element(self.process_id)
        if process is None:
            raise KeyError(f"no process with id {self.process_id!r}")
        roles.add_lane_for_role(document, process, self.role_id)
