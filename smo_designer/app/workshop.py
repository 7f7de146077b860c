"""The workshop tools in the main window (app layer): the Quick capture panel, Tidy up (the whole
diagram or the selection, one undo step each), File → Import step table… into a new diagram, and
presentation mode. `install_workshop(window)` adds them to an existing MainWindow without the
window knowing them: menus are found by their titles, and the canvas is read from the window at
the moment of use (the current tab's; its scene is replaced when a file is opened)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMenu, QMessageBox

from ..editors.quick_capture import QuickCaptureEditor, QuickCaptureModel
from ..model import bpmn as b
from ..model.document import Document

STEP_TABLE_FILTER = "Step tables (*.xlsx *.csv *.txt);;Excel workbooks (*.xlsx);;CSV files (*.csv *.txt);;All files (*)"
CAPTURE_WIDTH = 600  # the panel's width when it opens: every column readable
LEGIBLE_ZOOM = 0.5  # the canvas zooms out to show the whole growing diagram, down to this
REPORT_LINES = 20  # rows of a refused table's report shown in the message; the rest are counted


class Workshop(QObject):
    """What install_workshop adds to a window, kept together so that it lives as long as it."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        from .presentation import PresentationMode

        self.window = window
        controller = window.controller  # type: ignore[attr-defined]
        self.capture_model = QuickCaptureModel(controller.document, self._run, parent=window)
        self.capture_editor = QuickCaptureEditor(self.capture_model)
        self.capture_dock = QDockWidget("Quick capture", window)
        self.capture_dock.setObjectName("quick_capture")
        self.capture_dock.setWidget(self.capture_editor)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.capture_dock)
        self.capture_dock.hide()  # opened for a workshop from View → Quick capture
        self.presentation = PresentationMode(window)

        self.capture_action = self._action("&Quick capture", "Ctrl+K", self.open_quick_capture)
        self.tidy_action = self._action("&Tidy up diagram", "Ctrl+Shift+T", self.tidy_up)
        self.tidy_selection_action = self._action("Tidy up se&lection", "Ctrl+Alt+Shift+T", self.tidy_up_selection)
        self.import_action = self._action("Import &step table…", "Ctrl+Shift+O", self.choose_step_table)
        self.presentation_action = self._action("&Presentation mode", "F5", self.presentation.toggle)
        self._add_to_menus()

        self.capture_editor.message.connect(self._status)
        self.capture_model.step_edited.connect(self._show_on_canvas)
        self.capture_editor.view.selectionModel().currentRowChanged.connect(self._row_changed)
        # the table shows the document in front: another tab, or a file opened into this one
        window.current_document_changed.connect(self._document_replaced)  # type: ignore[attr-defined]

    # --- menus ---------------------------------------------------------------------------------

    def _action(self, text: str, key: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)  # the key works wherever the focus is in the window
        return action

    def _add_to_menus(self) -> None:
        file_menu = self._menu("&File")
        _insert_after(file_menu, "&Import RACI workbook…", [self.import_action])
        arrange = self._menu("&Arrange")
        arrange.addSeparator()
        arrange.addAction(self.tidy_action)
        arrange.addAction(self.tidy_selection_action)
        view_menu = self._menu("&View")
        _insert_after(view_menu, "Zoom to &selection", [self.presentation_action, self.capture_action])
        view_menu.addAction(self.capture_dock.toggleViewAction())

    def _menu(self, title: str) -> QMenu:
        for action in self.window.menuBar().actions():
            menu = action.menu()
            if menu is not None and action.text() == title:
                return menu  # type: ignore[return-value]
        return self.window.menuBar().addMenu(title)

    def _status(self, text: str, timeout: int = 6000) -> None:
        self.window.statusBar().showMessage(text, timeout)

    # --- quick capture -------------------------------------------------------------------------

    def _run(self, label: str, function) -> object:
        return self.window.view.run(label, function)  # type: ignore[attr-defined]

    def open_quick_capture(self) -> None:
        """Show the panel with the cursor on the blank row, ready to type."""
        if not self.capture_dock.isVisible():
            self.capture_dock.show()
            self.window.resizeDocks([self.capture_dock], [CAPTURE_WIDTH], Qt.Orientation.Horizontal)
        self.capture_dock.raise_()
        self.capture_editor.view.start_new_step()

    def _show_on_canvas(self, element_id: str) -> None:
        """The diagram grows as the room speaks: keep all of it in view while it stays legible,
        else the step just typed."""
        view = self.window.view  # type: ignore[attr-defined]
        scene = self.window.scene  # type: ignore[attr-defined]
        drawing = scene.drawing_rect()
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        if not drawing.isNull() and not visible.contains(drawing):
            fitting = min(
                view.viewport().width() / (drawing.width() + 40), view.viewport().height() / (drawing.height() + 40)
            )
            if fitting >= LEGIBLE_ZOOM:
                view.fit()
                return
        item = scene.item_for(element_id)
        if item is not None:
            view.ensureVisible(item.sceneBoundingRect(), 40, 40)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The step the table's cursor is on is selected on the canvas, so the room sees it."""
        step = self.capture_model.row_for(current)
        scene = self.window.scene  # type: ignore[attr-defined]
        if step is not None and scene.item_for(step.element_id) is not None:
            scene.select_elements([step.element_id])
            self._show_on_canvas(step.element_id)

    def _document_replaced(self) -> None:
        self.capture_model.set_document(self.window.controller.document)  # type: ignore[attr-defined]
        self.capture_editor.view.selectionModel().setCurrentIndex(
            QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate
        )

    # --- tidy up -------------------------------------------------------------------------------

    def tidy_up(self) -> None:
        from ..layout.autolayout import layout_diagram  # networkx: loaded when first used

        plane = self.window.scene.plane  # type: ignore[attr-defined]
        stack = self.window.controller.undo_stack  # type: ignore[attr-defined]
        before = stack.index()
        self.window.view.run("Tidy up", lambda document: layout_diagram(document, plane))  # type: ignore[attr-defined]
        if plane is not None:
            self._status("Tidied up the diagram (Undo puts it back)" if stack.index() != before else "Already tidy")

    def tidy_up_selection(self) -> None:
        from ..layout.placement import tidy_selection

        scene = self.window.scene  # type: ignore[attr-defined]
        chosen = {
            element.id
            for element in scene.selected_elements()
            if element.id and b.kind(element) not in b.CONNECTION_TYPES and element.local not in ("lane", "participant")
        }
        if not chosen:
            self._status("Select the steps to tidy up (or use Tidy up diagram)", 4000)
            return
        plane = scene.plane
        stack = self.window.controller.undo_stack  # type: ignore[attr-defined]
        before = stack.index()
        self.window.view.run("Tidy up selection", lambda document: tidy_selection(document, plane, chosen))  # type: ignore[attr-defined]
        self._status(
            f"Tidied up {len(chosen)} element(s) (Undo puts them back)" if stack.index() != before else "Already tidy"
        )

    # --- import --------------------------------------------------------------------------------

    def choose_step_table(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Import step table", "", STEP_TABLE_FILTER)
        if name:
            self.import_step_table(Path(name))

    def import_step_table(self, path: Path) -> bool:
        """Build a new diagram from a step table and show it in a tab of its own (unsaved). A
        table with any bad row is refused, with the rows and reasons, and changes nothing."""
        from ..formats.step_table import import_step_table

        result = import_step_table(path)
        if not result.ok or result.document is None:
            lines = result.report()
            shown = lines[:REPORT_LINES]
            if len(lines) > len(shown):
                shown.append(f"… and {len(lines) - len(shown)} more (smo-designer import-steps lists them all)")
            count = len(lines)
            QMessageBox.warning(
                self.window,
                "Cannot import the step table",
                f"{path.name}: nothing imported, {count} problem{'s' * (count != 1)} to fix in the table:\n\n"
                + "\n".join(shown),
            )
            return False
        self._open_new(result.document)
        lanes = len(result.roles)
        self._status(
            f"Imported {result.steps} steps in {lanes} lane{'s' * (lanes != 1)} from {path.name}: "
            "a new diagram, not saved yet",
            10000,
        )
        return True

    def _open_new(self, document: Document) -> None:
        """Show a document that has no file yet: modified, so that closing asks to save it."""
        self.window.open_document(document, None, modified=True)  # type: ignore[attr-defined]


def _insert_after(menu: QMenu, text: str, actions: list[QAction]) -> None:
    """Put actions after the menu's action called `text`, or at the end without one."""
    present = menu.actions()
    position = next((i for i, action in enumerate(present) if action.text() == text), len(present) - 1)
    if position + 1 < len(present):
        menu.insertActions(present[position + 1], actions)
    else:
        menu.addActions(actions)


def install_workshop(window: QMainWindow) -> Workshop:
    """Add quick capture, tidy up, step-table import and presentation mode to a main window."""
    return Workshop(window)
