"""The role catalog: the document's roles in a table (name, kind, description, lanes, part in
the RACI), with roles to add from the ITIL set (editors layer). Every edit is a command."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..commands.roles import AddLaneForRoleCommand, AddRoleCommand, EditRoleCommand, RemoveRoleCommand
from ..model import bpmn, roles, smo
from ..model.document import Document
from .following import DocumentFollower

COLUMNS = ("name", "kind", "description", "lanes", "raci")
HEADERS = ("Role", "Kind", "Description", "Lanes", "R / A")
EDITABLE = {"name", "kind", "description"}


class RoleTableModel(QAbstractTableModel):
    rejected = Signal(str)

    def __init__(self, document: Document, push: Callable[[QUndoCommand], None], parent=None) -> None:
        super().__init__(parent)
        self._push = push
        self._follower = DocumentFollower(self, document, self.refresh)
        self._read()

    @property
    def document(self) -> Document:
        return self._follower.document

    def set_document(self, document: Document) -> None:
        self.beginResetModel()
        self._follower.follow(document)
        self._read()
        self.endResetModel()

    def _read(self) -> None:
        self.roles = smo.roles(self.document)
        self.lanes = {r.id: [bpmn.name(lane) for lane in roles.bound_lanes(self.document, r.id)] for r in self.roles}
        counts: dict[str, list[int]] = {r.id: [0, 0] for r in self.roles}
        for cells in smo.raci_matrix(self.document).values():
            for role, letters in cells.items():
                if role in counts:
                    counts[role][0] += "R" in letters
                    counts[role][1] += "A" in letters
        self.counts = counts

    def refresh(self) -> None:
        self._follower.timer.stop()
        old = [r.id for r in self.roles]
        self._read()
        if [r.id for r in self.roles] != old:
            self.beginResetModel()
            self.endResetModel()
        elif self.roles:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.roles) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.roles)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.roles[index.row()]
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == "lanes":
                return ", ".join(self.lanes[item.id])
            if column == "raci":
                responsible, accountable = self.counts[item.id]
                return f"{responsible} / {accountable}"
            return getattr(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "raci":
                return "Activities where the role is Responsible / Accountable"
            return item.description or item.name
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()] in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or COLUMNS[index.column()] not in EDITABLE:
            return False
        item = self.roles[index.row()]
        column = COLUMNS[index.column()]
        text = " ".join(str(value or "").split()) if column != "description" else str(value or "").strip()
        if column == "name" and not text:
            self.rejected.emit("A role needs a name")
            return False
        if text == getattr(item, column):
            return True
        self._push(EditRoleCommand(self.document, item.id, column, text))
        self.refresh()
        return True

    def add_role(self, name: str, description: str = "", kind: str = "") -> str | None:
        command = AddRoleCommand(self.document, name, description, kind)
        self._push(command)
        self.refresh()
        return command.role_id

    def remove_role(self, row: int) -> None:
        self._push(RemoveRoleCommand(self.document, self.roles[row].id))
        self.refresh()

    def add_lane(self, row: int) -> None:
        processes = bpmn.processes(self.document)
        if processes and processes[0].id:
            self._push(AddLaneForRoleCommand(self.document, processes[0].id, self.roles[row].id))
            self.refresh()


class RoleCatalogEditor(QWidget):
    """The table with Add (from the ITIL set or a new one), Remove and Add lane."""

    def __init__(self, model: RoleTableModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QTableView(self)
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(0, 200)
        self.add_button = QToolButton(self)
        self.add_button.setText("Add role")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_menu = QMenu(self)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.add_button.setMenu(self.add_menu)
        self.remove_button = QPushButton("Remove role", self)
        self.lane_button = QPushButton("Add lane for role", self)
        self.lane_button.setToolTip("A new lane at the bottom of the pool, named after the role and bound to it")
        tools = QHBoxLayout()
        for widget in (self.add_button, self.remove_button, self.lane_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(tools)
        layout.addWidget(self.view)
        self.remove_button.clicked.connect(self._remove)
        self.lane_button.clicked.connect(self._add_lane)

    def catalog_actions(self) -> list[QAction]:
        """One action per ITIL role not yet in the document, then a blank new role."""
        present = {role.name.casefold() for role in self.model.roles}
        actions = []
        for entry in roles.ITIL_ROLES:
            if entry.name.casefold() in present:
                continue
            action = QAction(entry.name, self)
            action.setToolTip(entry.description)
            action.triggered.connect(lambda _=False, e=entry: self.model.add_role(e.name, e.description, e.kind))
            actions.append(action)
        blank = QAction("New role…", self)
        blank.triggered.connect(self._add_blank)
        actions.append(blank)
        return actions

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        for action in self.catalog_actions():
            self.add_menu.addAction(action)

    def _add_blank(self) -> None:
        taken = {role.name for role in self.model.roles}
        number = 1
        while f"New role {number}" in taken:
            number += 1
        self.model.add_role(f"New role {number}")
        row = self.model.rowCount() - 1
        self.view.edit(self.model.index(row, 0))

    def _selected_row(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _remove(self) -> None:
        row = self._selected_row()
        if row is not None:
            self.model.remove_role(row)

    def _add_lane(self) -> None:
        row = self._selected_row()
        if row is not None:
            self.model.add_lane(row)
