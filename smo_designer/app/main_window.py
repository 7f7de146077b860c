"""The main window (app layer): one document with its outline, RACI grid and problems,
File and Edit menus, and a title whose modified mark follows the undo stack.

The swimlane canvas becomes the centre of the window in a later step; the outline stands there
until then.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
)

from ..editors.raci_table import RaciEditor, RaciTableModel
from ..editors.role_catalog import RoleCatalogEditor, RoleTableModel
from ..formats.bpmn import BpmnReadError, BpmnWriteError
from ..model import bpmn, smo
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import bpmn as bpmn_tag
from ..model.problems import Problem
from .document_controller import DocumentController

BPMN_FILTER = "BPMN models (*.bpmn *.xml);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.controller = DocumentController(parent=self)
        self.outline = QTreeWidget()
        self.outline.setHeaderLabels(["Element", "Kind", "Id"])
        self.outline.setColumnWidth(0, 320)
        self.setCentralWidget(self.outline)

        self.raci_model = RaciTableModel(self.controller.document, self.controller.push, parent=self)
        self.raci_editor = RaciEditor(self.raci_model)
        self.raci_dock = self._dock("RACI", "raci", self.raci_editor, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.role_model = RoleTableModel(self.controller.document, self.controller.push, parent=self)
        self.role_editor = RoleCatalogEditor(self.role_model)
        self.roles_dock = self._dock("Roles", "roles", self.role_editor, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.problems = QListWidget()
        self.problems_dock = self._dock("Problems", "problems", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.raci_dock, self.roles_dock)
        self.tabifyDockWidget(self.roles_dock, self.problems_dock)
        self.raci_dock.raise_()

        self._build_menus()
        self.controller.modified_changed.connect(self._update_title)
        self.controller.replaced.connect(self._document_replaced)
        self.raci_model.problems_changed.connect(self._show_problems)
        self.resize(1200, 800)
        self._update_title()

    @property
    def document(self) -> Document:
        return self.controller.document

    @property
    def path(self) -> Path | None:
        return self.controller.path

    def _dock(self, title: str, name: str, widget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self._choose_file)
        self._action(file_menu, "&Save", QKeySequence.StandardKey.Save, self.save)
        self._action(file_menu, "Save &As…", QKeySequence.StandardKey.SaveAs, self.save_as)
        file_menu.addSeparator()
        self._action(file_menu, "Export RACI &workbook…", QKeySequence("Ctrl+Shift+E"), self._choose_raci_export)
        self._action(file_menu, "&Import RACI workbook…", QKeySequence("Ctrl+Shift+I"), self._choose_raci_import)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)

        edit_menu = self.menuBar().addMenu("&Edit")
        undo = self.controller.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.controller.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)

        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.raci_dock.toggleViewAction())
        view_menu.addAction(self.roles_dock.toggleViewAction())
        view_menu.addAction(self.problems_dock.toggleViewAction())

    def _action(self, menu, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- files -------------------------------------------------------------------------------

    def _choose_file(self) -> None:
        if not self._may_discard():
            return
        name, _ = QFileDialog.getOpenFileName(self, "Open model", "", BPMN_FILTER)
        if name:
            self.open_file(name)

    def open_file(self, path: str) -> bool:
        try:
            self.controller.load(path)
        except BpmnReadError as error:
            QMessageBox.warning(self, "Cannot open the model", str(error))
            self.statusBar().showMessage(str(error))
            return False
        self.statusBar().showMessage(
            f"Opened {Path(path).name}: {len(self.controller.problems)} problem(s) in the file"
        )
        return True

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as()
        return self._save_to(self.controller.path)

    def save_as(self) -> bool:
        name, _ = QFileDialog.getSaveFileName(self, "Save model as", str(self.controller.path or ""), BPMN_FILTER)
        return self._save_to(Path(name)) if name else False

    def _save_to(self, path: Path) -> bool:
        try:
            self.controller.save(path)
        except BpmnWriteError as error:
            QMessageBox.warning(self, "Cannot save the model", str(error))
            return False
        self._update_title()
        self.statusBar().showMessage(f"Saved {path.name}")
        return True

    def _choose_raci_export(self) -> None:
        suggestion = str(self.controller.path.with_suffix(".xlsx")) if self.controller.path else "raci.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, "Export RACI workbook", suggestion, "Excel workbooks (*.xlsx)")
        if name:
            self.export_raci(Path(name))

    def export_raci(self, path: Path) -> bool:
        from ..formats.raci_xlsx import RaciSheetWriteError, export_raci

        source = self.controller.path.name if self.controller.path else ""
        try:
            export_raci(self.document, path, source)
        except (RaciSheetWriteError, BpmnWriteError) as error:
            QMessageBox.warning(self, "Cannot export the RACI workbook", str(error))
            return False
        self.statusBar().showMessage(f"Exported the RACI workbook {path.name}")
        return True

    def _choose_raci_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import RACI workbook", "", "Excel workbooks (*.xlsx)")
        if name:
            self.import_raci(Path(name))

    def import_raci(self, path: Path) -> bool:
        """Read the sheet, show the report cell by cell, apply it as one undo step if the user
        agrees. Returns whether anything was applied."""
        from ..commands.raci import SetRaciCellsCommand
        from ..formats.raci_xlsx import IMPORT_LABEL, read_raci_sheet
        from .raci_import_dialog import RaciImportDialog

        result = read_raci_sheet(self.document, path)
        dialog = RaciImportDialog(result, path.name, self)
        if dialog.exec() != RaciImportDialog.DialogCode.Accepted or result.refused or not result.changes:
            return False
        self.controller.push(SetRaciCellsCommand(self.document, result.cells(), IMPORT_LABEL))
        self.statusBar().showMessage(f"Applied {len(result.changes)} RACI cell(s) from {path.name}")
        return True

    def _may_discard(self) -> bool:
        if not self.controller.modified:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "The model has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_discard():
            event.accept()
        else:
            event.ignore()

    def _document_replaced(self) -> None:
        self.raci_model.set_document(self.controller.document)
        self.role_model.set_document(self.controller.document)
        self._show_outline(self.controller.document)
        self._show_problems()
        self._update_title()

    def _update_title(self, *_) -> None:
        path = self.controller.path
        title = smo.metadata(self.document).title or (path.stem if path else "Untitled")
        self.setWindowTitle(f"{title} — {path.name if path else 'unsaved'}[*] — SMO Designer")
        self.setWindowModified(self.controller.modified)

    # --- panels ------------------------------------------------------------------------------

    def _show_problems(self, *_) -> None:
        problems: list[Problem] = list(self.controller.problems) + list(self.raci_model.problems)
        self.problems.clear()
        for problem in problems:
            self.problems.addItem(f"{problem.severity}: {problem}")
        self.problems_dock.setWindowTitle(f"Problems ({len(problems)})")

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
        label = " ".join(bpmn.name(element).split()) or "(unnamed)"
        item = QTreeWidgetItem([label, element.local, element.id or ""])
        if parent is None:
            self.outline.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item
