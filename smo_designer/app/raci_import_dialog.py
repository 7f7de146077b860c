"""The report shown before a RACI sheet from the workshop is applied: every changed cell with
where it is, what it was and what it is now; or, for a sheet that is refused, why, cell by cell
(app layer)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..formats.raci_xlsx import RaciImport
from ..model.smo import RACI_LETTERS


def _shown(letters: str) -> str:
    return "/".join(c for c in RACI_LETTERS if c in letters) or "—"


class RaciImportDialog(QDialog):
    """Accepting it means: apply these changes (the caller pushes one command)."""

    def __init__(self, result: RaciImport, sheet_name: str, parent=None) -> None:
        super().__init__(parent)
        self.result = result
        layout = QVBoxLayout(self)
        buttons = QDialogButtonBox(self)
        if result.refused:
            self.setWindowTitle("RACI sheet refused")
            layout.addWidget(
                QLabel(f"{sheet_name} cannot be imported; nothing was changed. Correct these cells and try again:")
            )
            self.report = QPlainTextEdit("\n".join(str(refusal) for refusal in result.refusals), self)
            self.report.setReadOnly(True)
            layout.addWidget(self.report)
            buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        elif not result.changes:
            self.setWindowTitle("RACI sheet: no changes")
            layout.addWidget(QLabel(f"{sheet_name} holds the same RACI as the model: nothing to apply."))
            buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        else:
            self.setWindowTitle("Apply the RACI sheet?")
            layout.addWidget(QLabel(f"{len(result.changes)} cell(s) in {sheet_name} differ from the model:"))
            self.table = QTableWidget(len(result.changes), 5, self)
            self.table.setHorizontalHeaderLabels(["Where", "Activity", "Role", "Was", "Now"])
            for row, change in enumerate(result.changes):
                values = [change.where, change.activity, change.role, _shown(change.was), _shown(change.now)]
                for column, value in enumerate(values):
                    self.table.setItem(row, column, QTableWidgetItem(" ".join(value.split())))
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            self.table.resizeColumnsToContents()
            layout.addWidget(self.table)
            buttons.setStandardButtons(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
            buttons.button(QDialogButtonBox.StandardButton.Apply).setText("Apply as one step")
            buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 420)
