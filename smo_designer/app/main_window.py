"""The main window (app layer): opens a model and shows its outline and problems.

The swimlane canvas replaces the outline as the centre of the window in a later step; the
document handling here (open, title, error messages) stays.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
)

from ..formats.bpmn import BpmnReadError, Problem, read_bpmn
from ..model import bpmn, smo
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import bpmn as bpmn_tag


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.document: Document | None = None
        self.path: Path | None = None
        self.outline = QTreeWidget()
        self.outline.setHeaderLabels(["Element", "Kind", "Id"])
        self.outline.setColumnWidth(0, 320)
        self.setCentralWidget(self.outline)
        self.problems = QListWidget()
        dock = QDockWidget("Problems", self)
        dock.setObjectName("problems")
        dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self._build_menus()
        self.resize(1000, 700)
        self._update_title()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self._choose_file)
        file_menu.addAction(open_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open model", "", "BPMN models (*.bpmn *.xml);;All files (*)")
        if name:
            self.open_file(name)

    def open_file(self, path: str) -> bool:
        try:
            result = read_bpmn(path)
        except BpmnReadError as error:
            QMessageBox.warning(self, "Cannot open the model", str(error))
            self.statusBar().showMessage(str(error))
            return False
        self.document = result.document
        self.path = Path(path)
        self._show_outline(result.document)
        self._show_problems(result.problems)
        self._update_title()
        self.statusBar().showMessage(f"Opened {self.path.name}: {len(result.problems)} problem(s)")
        return True

    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle("SMO Designer")
            return
        title = smo.metadata(self.document).title or (self.path.stem if self.path else "Untitled")
        self.setWindowTitle(f"{title} — {self.path.name if self.path else 'unsaved'} — SMO Designer")

    def _show_problems(self, problems: list[Problem]) -> None:
        self.problems.clear()
        for problem in problems:
            self.problems.addItem(f"{problem.severity}: {problem}")

    def _show_outline(self, document: Document) -> None:
        self.outline.clear()
        roles = {role.id: role.name for role in smo.roles(document)}
        pools = {p.get("processRef"): bpmn.name(p) for p in bpmn.participants(document)}
        for process in bpmn.processes(document):
            top = self._item(None, process)
            if not bpmn.name(process) and pools.get(process.id):
                top.setText(0, f"{pools[process.id]} (pool)")
            lane_items: dict[str, QTreeWidgetItem] = {}
            for lane in bpmn.lanes(process):
                parent = lane_items.get(lane.parent.parent.id) if lane.parent and lane.parent.parent else None
                item = self._item(parent or top, lane)
                role = smo.lane_role(lane)
                if role in roles:
                    item.setText(1, f"lane · role {roles[role]}")
                lane_items[lane.id or ""] = item
                for ref in lane.findall(bpmn_tag("flowNodeRef")):
                    node = document.element((ref.text or "").strip())
                    if node is not None:
                        self._item(item, node)
            if not lane_items:
                for node in bpmn.flow_elements(process):
                    if bpmn.kind(node) in bpmn.FLOW_NODE_TYPES:
                        self._item(top, node)
        self.outline.expandAll()

    def _item(self, parent: QTreeWidgetItem | None, element: Element) -> QTreeWidgetItem:
        item = QTreeWidgetItem([bpmn.name(element) or "(unnamed)", element.local, element.id or ""])
        if parent is None:
            self.outline.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item
