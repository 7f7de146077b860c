"""The KPI editor: the KPIs of one process in a table (name, description or formula, target,
unit, direction, frequency, owner role, data source), edited in place (editors layer). Every
edit is one command; the table redraws from the model's change events."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..commands.governance import AddKpiCommand, EditKpiCommand, GovernanceCommand, RemoveKpiCommand
from ..model import bpmn as b
from ..model import smo
from ..model.document import Document
from .following import DocumentFollower

COLUMNS = ("name", "description", "target", "unit", "direction", "frequency", "owner_role", "data_source")
HEADERS = ("KPI", "Description or formula", "Target", "Unit", "Better when", "Frequency", "Owner", "Data source")
DIRECTION_TEXT = {"higher": "Higher", "lower": "Lower"}
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "yearly")
KpiIdRole = Qt.ItemDataRole.UserRole + 1


class KpiTableModel(QAbstractTableModel):
    """The KPIs of the chosen process, one per row. `rejected` tells why a value was refused."""

    rejected = Signal(str)

    def __init__(self, document: Document, push: Callable[[QUndoCommand], None], parent=None) -> None:
        super().__init__(parent)
        self._push = push
        self._follower = DocumentFollower(self, document, self.refresh)
        self.process_id = ""
        self._read()

    @property
    def document(self) -> Document:
        return self._follower.document

    def set_document(self, document: Document) -> None:
        self.beginResetModel()
        self._follower.follow(document)
        self.process_id = ""
        self._read()
        self.endResetModel()

    def processes(self) -> list[tuple[str, str]]:
        """(id, name) of every process, the pool's name where the process has none."""
        pools = {p.get("processRef"): b.name(p) for p in b.participants(self.document) if p.get("processRef")}
        return [
            (process.id, b.name(process) or pools.get(process.id) or process.id)
            for process in b.processes(self.document)
            if process.id
        ]

    def set_process(self, process_id: str) -> None:
        self.beginResetModel()
        self.process_id = process_id
        self._read()
        self.endResetModel()

    def _read(self) -> None:
        ids = [ident for ident, _ in self.processes()]
        if self.process_id not in ids:
            self.process_id = ids[0] if ids else ""
        process = self.document.element(self.process_id) if self.process_id else None
        self.kpis = smo.kpis(process) if process is not None else []
        self.role_names = {role.id: role.name or role.id for role in smo.roles(self.document)}

    def refresh(self) -> None:
        self._follower.timer.stop()
        old_process, old = self.process_id, [k.id for k in self.kpis]
        self._read()
        if self.process_id != old_process or [k.id for k in self.kpis] != old:
            self.beginResetModel()
            self.endResetModel()
        elif self.kpis:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.kpis) - 1, len(COLUMNS) - 1))

    def row_of(self, kpi_id: str) -> int | None:
        return next((i for i, k in enumerate(self.kpis) if k.id == kpi_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.kpis)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        kpi = self.kpis[index.row()]
        column = COLUMNS[index.column()]
        value = getattr(kpi, column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "direction":
                return DIRECTION_TEXT.get(value, value)
            if column == "owner_role":
                return self.role_names.get(value, value)
            return value
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "target" and not value:
                return "A KPI without a target cannot tell good from bad"
            return kpi.description or None
        if role == KpiIdRole:
            return kpi.id
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        kpi = self.kpis[index.row()]
        column = COLUMNS[index.column()]
        text = str(value or "")
        text = text.strip() if column == "description" else " ".join(text.split())
        if column == "name" and not text:
            self.rejected.emit("A KPI needs a name")
            return False
        if text == getattr(kpi, column):
            return True
        label = f"Change KPI {HEADERS[index.column()].lower()}"
        return self._run(EditKpiCommand(self.document, kpi.id, label, **{column: text}))

    def add_kpi(self, name: str = "") -> str | None:
        if not self.process_id:
            self.rejected.emit("The model has no process to measure")
            return None
        taken = {k.name for k in self.kpis}
        number = 1
        while not name and f"New KPI {number}" in taken:
            number += 1
        kpi = smo.Kpi(name=name or f"New KPI {number}", direction="higher")
        command = AddKpiCommand(self.document, self.process_id, kpi)
        return command.kpi_id if self._run(command) else None

    def remove_kpi(self, row: int) -> bool:
        if not 0 <= row < len(self.kpis):
            return False
        return self._run(RemoveKpiCommand(self.document, self.kpis[row].id))

    def _run(self, command: GovernanceCommand) -> bool:
        try:
            command.validate(self.document)
        except (ValueError, KeyError) as error:
            text = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
            self.rejected.emit(text[:1].upper() + text[1:])
            return False
        self._push(command)
        self.refresh()
        return True


class KpiDelegate(QStyledItemDelegate):
    """Choices where there are some: direction, owner role, a frequency (or any other text)."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802 (Qt override)
        column = COLUMNS[index.column()]
        model = index.model()
        if column == "direction":
            combo = QComboBox(parent)
            combo.addItem("Higher is better", "higher")
            combo.addItem("Lower is better", "lower")
            return combo
        if column == "owner_role" and isinstance(model, KpiTableModel):
            combo = QComboBox(parent)
            combo.addItem("(none)", "")
            for role_id, name in model.role_names.items():
                combo.addItem(name, role_id)
            return combo
        if column == "frequency":
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(FREQUENCIES)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802 (Qt override)
        if not isinstance(editor, QComboBox):
            super().setEditorData(editor, index)
            return
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        position = editor.findData(value) if not editor.isEditable() else editor.findText(value)
        if position >= 0:
            editor.setCurrentIndex(position)
        elif editor.isEditable():
            editor.setEditText(value)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802 (Qt override)
        if not isinstance(editor, QComboBox):
            super().setModelData(editor, model, index)
            return
        value = editor.currentText() if editor.isEditable() else editor.currentData()
        model.setData(index, value, Qt.ItemDataRole.EditRole)


class KpiEditor(QWidget):
    """A process chooser above the KPI table, with Add and Remove. `select_kpi(id)` shows a KPI
    (a problem that names it); `select_process(id)` shows a process's KPIs."""

    message = Signal(str)

    def __init__(self, model: KpiTableModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.process_combo = QComboBox(self)
        self.process_combo.activated.connect(lambda *_: self.select_process(str(self.process_combo.currentData())))
        self.view = QTableView(self)
        self.view.setModel(model)
        self.view.setItemDelegate(KpiDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for name, width in (
            ("name", 190),
            ("target", 60),
            ("unit", 70),
            ("direction", 90),
            ("frequency", 90),
            ("owner_role", 170),
            ("data_source", 190),
        ):
            self.view.setColumnWidth(COLUMNS.index(name), width)
        self.add_button = QPushButton("Add KPI", self)
        self.add_button.clicked.connect(self._add)
        self.remove_button = QPushButton("Remove KPI", self)
        self.remove_button.clicked.connect(self._remove)
        self.feedback = QLabel(self)
        self.feedback.setStyleSheet("color: #9C0006")
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Process", self))
        tools.addWidget(self.process_combo)
        tools.addWidget(self.add_button)
        tools.addWidget(self.remove_button)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(tools)
        layout.addWidget(self.view)
        layout.addWidget(self.feedback)
        model.rejected.connect(self._report)
        model.modelReset.connect(self._fill_processes)
        self._fill_processes()

    def _report(self, text: str) -> None:
        self.feedback.setText(text)
        self.message.emit(text)

    def _fill_processes(self) -> None:
        self.process_combo.blockSignals(True)
        self.process_combo.clear()
        for ident, name in self.model.processes():
            self.process_combo.addItem(name, ident)
        self.process_combo.setCurrentIndex(max(0, self.process_combo.findData(self.model.process_id)))
        self.process_combo.blockSignals(False)
        self.add_button.setEnabled(bool(self.model.process_id))

    def select_process(self, process_id: str) -> None:
        if process_id and process_id != self.model.process_id:
            self.model.set_process(process_id)

    def select_kpi(self, kpi_id: str) -> None:
        """Show a KPI, switching to its process."""
        try:
            process = smo.kpi_process(self.model.document, kpi_id)
        except KeyError:
            return
        self.select_process(process.id or "")
        row = self.model.row_of(kpi_id)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def _add(self) -> None:
        self.feedback.setText("")
        kpi_id = self.model.add_kpi()
        row = self.model.row_of(kpi_id) if kpi_id else None
        if row is not None:
            index = self.model.index(row, 0)
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def _remove(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_kpi(index.row())
