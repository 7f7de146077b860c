"""RACI edits as undo steps: set cells, apply what the lanes imply, import a sheet
(commands layer)."""

from __future__ import annotations

from ..model import raci, smo
from ..model.document import Document
from .base import DocumentCommand


class SetRaciCellsCommand(DocumentCommand):
    """Set one or many cells (typing, pasting, clearing, filling down) as one step."""

    def __init__(self, document: Document, cells: list[tuple[str, str, str]], label: str | None = None) -> None:
        if label is None:
            label = "Set RACI cell" if len(cells) == 1 else f"Set {len(cells)} RACI cells"
        super().__init__(document, label)
        self.cells = list(cells)

    def perform(self, document: Document) -> None:
        raci.apply_cells(document, self.cells, self.text())


class ApplyLaneResponsibilityCommand(DocumentCommand):
    """Give R to the role bound to each activity's lane, where it is missing."""

    def __init__(self, document: Document, activity_ids: list[str] | None = None) -> None:
        super().__init__(document, "Apply lane roles to RACI")
        self.activity_ids = set(activity_ids) if activity_ids is not None else None

    def perform(self, document: Document) -> None:
        cells = []
        for item in raci.lane_responsibilities(document):
            if item.has_r or (self.activity_ids is not None and item.activity_id not in self.activity_ids):
                continue
            activity = document.element(item.activity_id)
            assert activity is not None
            current = smo.raci(activity).get(item.role, "")
            cells.append((item.activity_id, item.role, current + "R"))
        raci.apply_cells(document, cells, self.text())
