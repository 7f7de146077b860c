"""Quick capture: a table where the facilitator types the steps the room names (step, role,
kind, next, description) while the diagram beside it draws itself (editors layer).

The document is the truth: rows are read from the captured process (formats.step_table) and
follow its changes, so undo and redo update the table too. Each cell edit is one command that
changes the model (step, role and lane, R, flows) and lays the diagram out again. The last row is
always blank: typing into it adds a step; Enter goes to the next row.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..commands.base import execute
from ..commands.diagram import DiagramCommand
from ..formats.step_table import StepError, StepRow, delete_steps, edit_step, read_steps
from ..model import smo
from ..model.document import Document
from .following import DocumentFollower

COLUMNS = ("number", "name", "role", "kind", "next", "description")
HEADERS = ("#", "Step", "Role", "Kind", "Next", "Description")
NAME_COLUMN = 1
KIND_CHOICES = ("task", "decision", "event", "start event", "end event", "parallel", "sub-process")
NEW_ROW_HINT = "Type a new step…"
HINT_COLOUR = QColor("#8a8a8a")
TOOLTIPS = {
    "number": "The step's number: its place in the process. Next steps refer to it.",
    "name": "What is done, as the room says it",
    "role": "Who does it: the lane, and R in the RACI. A new role gets its own lane.",
    "kind": "task, decision or event (start event, end event); parallel and sub-process too",
    "next": "The steps that follow, by number or name, separated by commas; a label first for a "
    "decision's ways out: yes: 4, no: 2",
    "description": "Notes for the process guide (the step's documentation)",
}

# (label of the undo step, function of the document) → what the function returned, or None when
# the edit was refused with a message shown elsewhere (DiagramView.run has this shape)
Run = Callable[[str, Callable[[Document], object]], object]


def command_runner(undo_stack: QUndoStack, document: Callable[[], Document]) -> Run:
    """A Run that pushes each edit as one DiagramCommand on `undo_stack` (without a canvas)."""

    def run(label: str, function: Callable[[Document], object]) -> object:
        command = DiagramCommand(document(), label, function)
        execute(undo_stack, command)
        return command.result

    return run


class QuickCaptureModel(QAbstractTableModel):
    """The steps of the captured process, one per row, and a blank row to add one."""

    rejected = Signal(str)  # an entry refused, with the reason
    step_edited = Signal(str)  # the id of the step a cell edit changed or created

    def __init__(self, document: Document, run: Run, parent=None) -> None:
        super().__init__(parent)
        self._run = run
        self._follower = DocumentFollower(self, document, self.refresh)
        self._read()

    def _read(self) -> None:
        fresh = read_steps(self.document)
        self._steps: dict[str, StepRow] = {row.element_id: row for row in fresh}
        # the element id of each row; None for the blank row at the end
        self._ids: list[str | None] = [row.element_id for row in fresh] + [None]
        self.role_names: list[str] = [role.name for role in smo.roles(self.document)]

    @property
    def rows(self) -> list[StepRow]:
        """The steps, in table order (without the blank row)."""
        return [self._steps[ident] for ident in self._ids if ident is not None and ident in self._steps]

    @property
    def document(self) -> Document:
        return self._follower.document

    def set_document(self, document: Document) -> None:
        self.beginResetModel()
        self._follower.follow(document)
        self._read()
        self.endResetModel()

    def refresh(self) -> None:
        """Read the steps again; rows that came or went are inserted and removed (not a reset),
        so the cell being typed in keeps its place."""
        self._follower.timer.stop()
        fresh = read_steps(self.document)
        self.role_names = [role.name for role in smo.roles(self.document)]
        wanted: list[str | None] = [row.element_id for row in fresh] + [None]
        # while rows come and go, a row that stays shows what it showed; the new data comes after
        old_steps = self._steps
        self._steps = {**old_steps, **{row.element_id: old_steps.get(row.element_id, row) for row in fresh}}
        if wanted != self._ids:
            matcher = SequenceMatcher(None, list(self._ids), wanted, autojunk=False)
            offset = 0
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag in ("delete", "replace"):
                    self.beginRemoveRows(QModelIndex(), i1 + offset, i2 - 1 + offset)
                    del self._ids[i1 + offset : i2 + offset]
                    self.endRemoveRows()
                    offset -= i2 - i1
                if tag in ("insert", "replace"):
                    self.beginInsertRows(QModelIndex(), i1 + offset, i1 + offset + (j2 - j1) - 1)
                    self._ids[i1 + offset : i1 + offset] = wanted[j1:j2]
                    self.endInsertRows()
                    offset += j2 - j1
        self._steps = {row.element_id: row for row in fresh}
        self._ids = wanted
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    # --- reading -------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS[COLUMNS[section]]
        return None

    def row_for(self, index: QModelIndex | QPersistentModelIndex) -> StepRow | None:
        """The step of a row; None for the blank row."""
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        ident = self._ids[index.row()]
        return self._steps.get(ident) if ident is not None else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = COLUMNS[index.column()]
        step = self.row_for(index)
        if step is None:
            if role == Qt.ItemDataRole.DisplayRole and column == "name":
                return NEW_ROW_HINT
            if role == Qt.ItemDataRole.EditRole:
                return ""
            if role == Qt.ItemDataRole.ForegroundRole and column == "name":
                return HINT_COLOUR
            if role == Qt.ItemDataRole.FontRole and column == "name":
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return TOOLTIPS[column]
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == "number":
                return str(step.number)
            return getattr(step, column)
        if role == Qt.ItemDataRole.UserRole:
            return step.element_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "number":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "name" and step.description:
                return step.description
            return TOOLTIPS[column]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()] != "number":
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # --- editing -------------------------------------------------------------------------------

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or COLUMNS[index.column()] == "number":
            return False
        column = COLUMNS[index.column()]
        text = str(value or "")
        step = self.row_for(index)
        if step is None:
            if not text.strip():
                return False  # nothing typed in the blank row: no step
            label = f"Add step {len(self.rows) + 1}"
        else:
            shown = getattr(step, column)
            same = text.strip() == shown if column == "description" else " ".join(text.split()) == shown
            if same:
                return True
            label = f"Set the {HEADERS[index.column()].lower()} of step {step.number}"
        element_id = step.element_id if step is not None else None
        try:
            result = self._run(label, lambda document: edit_step(document, element_id, column, text))
        except StepError as error:
            self.rejected.emit(f"Step {step.number if step else len(self.rows) + 1}: {error}")
            return False
        if not isinstance(result, str):
            return False  # refused by the canvas, which said why
        if step is None:
            # the blank row becomes the new step, and a fresh blank row follows it: the cell being
            # typed in stays with the step it created
            blank = len(self._ids)
            self.beginInsertRows(QModelIndex(), blank, blank)
            self._ids[-1] = result
            self._ids.append(None)
            self.endInsertRows()
        self.refresh()
        self.step_edited.emit(result)
        return True

    def delete_rows(self, rows: list[int]) -> None:
        """Delete the steps of these rows (with their flows) as one undo step."""
        steps = [step for row in sorted(set(rows)) if (step := self.row_for(self.index(row, 0))) is not None]
        if not steps:
            return
        ids = [step.element_id for step in steps]
        label = f"Delete step {steps[0].number}" if len(ids) == 1 else f"Delete {len(ids)} steps"
        self._run(label, lambda document: delete_steps(document, ids))
        self.refresh()


class QuickCaptureDelegate(QStyledItemDelegate):
    """Line editors that complete roles and kinds inline, as Excel completes a column: typing on
    past the suggestion (or Delete) keeps what was typed."""

    def __init__(self, model: QuickCaptureModel, parent=None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option, index: QModelIndex | QPersistentModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setFrame(False)
        column = COLUMNS[index.column()]
        words: list[str] = []
        if column == "role":
            words = self._model.role_names
        elif column == "kind":
            words = list(KIND_CHOICES)
        if words:
            completer = QCompleter(QStringListModel(words, editor), editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
            editor.setCompleter(completer)
        return editor


class QuickCaptureView(QTableView):
    """The table: Tab goes along a step, Enter to the next step (the blank row at the end adds
    one); Delete clears a cell, Ctrl+Delete deletes the step."""

    def __init__(self, model: QuickCaptureModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(QuickCaptureDelegate(model, self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setTabKeyNavigation(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(28)
        for column, width in ((2, 140), (3, 80), (4, 80), (5, 110)):
            self.setColumnWidth(column, width)

    def capture_model(self) -> QuickCaptureModel:
        return self.model()  # type: ignore[return-value]

    def start_new_step(self) -> None:
        """Put the cursor on the blank row, ready to type."""
        self.setCurrentIndex(self.model().index(self.model().rowCount() - 1, NAME_COLUMN))
        self.setFocus()

    def next_row(self) -> None:
        current = self.currentIndex()
        row = current.row() + 1 if current.isValid() else 0
        row = min(row, self.model().rowCount() - 1)
        target = self.model().index(row, NAME_COLUMN)
        self.setCurrentIndex(target)
        self.scrollTo(target)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: on to the next step
            self.next_row()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.next_row()
                event.accept()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                    self.delete_selected_steps()
                else:
                    self._clear_cells()
                event.accept()
                return
        super().keyPressEvent(event)

    def _clear_cells(self) -> None:
        model = self.capture_model()
        for index in self.selectedIndexes() or [self.currentIndex()]:
            if index.isValid() and model.flags(index) & Qt.ItemFlag.ItemIsEditable and model.row_for(index):
                model.setData(index, "")

    def selected_rows(self) -> list[int]:
        rows = {index.row() for index in self.selectedIndexes()}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(row for row in rows if row < len(self.capture_model().rows))

    def delete_selected_steps(self) -> None:
        self.capture_model().delete_rows(self.selected_rows())


class QuickCaptureEditor(QWidget):
    """The panel: a line of guidance, the table, Delete step, and the last refusal."""

    message = Signal(str)

    def __init__(self, model: QuickCaptureModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QuickCaptureView(model, self)
        guide = QLabel(
            "Type the steps as the room names them. Tab: next field · Enter: next step · "
            "Next: step numbers or names, a label for a decision's ways out (yes: 4, no: 2).",
            self,
        )
        guide.setWordWrap(True)
        guide.setStyleSheet("color: #555;")
        self.delete_button = QPushButton("Delete step", self)
        self.delete_button.setToolTip("Delete the selected steps with their flows (Ctrl+Delete)")
        self.delete_button.clicked.connect(self.view.delete_selected_steps)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #a61b1b;")
        tools = QHBoxLayout()
        tools.addWidget(self.delete_button)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(guide)
        layout.addWidget(self.view)
        layout.addLayout(tools)
        layout.addWidget(self.status)
        model.rejected.connect(self._show_refusal)
        model.step_edited.connect(lambda _ident: self.status.clear())

    def _show_refusal(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)
