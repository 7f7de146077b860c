"""RACI commands: one undo step each, nothing applied when they fail."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack
from raci_fixtures import incident_document

from smo_designer.commands.raci import ApplyLaneResponsibilityCommand, SetRaciCellsCommand
from smo_designer.model import raci, smo


def test_set_cells_is_one_undo_step() -> None:
    document, activities, roles = incident_document()
    stack = QUndoStack()
    before = document.content()
    stack.push(
        SetRaciCellsCommand(
            document,
            [
                (activities["Assign"], roles["Process owner"], "A"),
                (activities["Assign"], roles["Incident manager"], "R"),
            ],
        )
    )
    after = document.content()
    assert stack.count() == 1 and stack.undoText() == "Set 2 RACI cells"
    assert smo.raci(document.element(activities["Assign"])) == {
        roles["Process owner"]: "A",
        roles["Incident manager"]: "R",
    }
    stack.undo()
    assert document.content() == before
    stack.redo()
    assert document.content() == after


def test_a_command_that_changes_nothing_leaves_no_step() -> None:
    document, activities, roles = incident_document()
    stack = QUndoStack()
    stack.push(SetRaciCellsCommand(document, [(activities["Assign"], roles["Process owner"], "")]))
    assert stack.count() == 0


def test_a_failing_command_applies_nothing() -> None:
    document, activities, roles = incident_document()
    stack = QUndoStack()
    before = document.content()
    with pytest.raises(ValueError):
        stack.push(
            SetRaciCellsCommand(
                document,
                [(activities["Assign"], roles["Process owner"], "A"), (activities["Assign"], roles["Specialist"], "Q")],
            )
        )
    assert document.content() == before
    assert stack.count() == 0


def test_applying_lane_roles_adds_the_missing_r_in_one_step() -> None:
    document, activities, roles = incident_document()
    smo.set_raci(document, document.element(activities["Assign"]), roles["Incident manager"], "A")
    stack = QUndoStack()
    before = document.content()
    stack.push(ApplyLaneResponsibilityCommand(document))
    assert all(r.has_r for r in raci.lane_responsibilities(document))
    assert smo.raci(document.element(activities["Assign"]))[roles["Incident manager"]] == "RA"
    assert stack.count() == 1
    stack.undo()
    assert document.content() == before
