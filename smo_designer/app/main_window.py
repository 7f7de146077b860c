"""The main window (app layer): the swimlane canvas in the centre with its palette, the
properties, overview and undo history beside it, the RACI grid, roles and problems below, and
a title whose modified mark follows the undo stack.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QCursor, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from ..canvas.find import FindBar
from ..canvas.items import ShapeItem
from ..canvas.overview import OverviewMap
from ..canvas.palette import Palette, PaletteEntry
from ..canvas.scene import DiagramScene
from ..canvas.view import DiagramView
from ..editors.kpi_editor import KpiEditor, KpiTableModel
from ..editors.policy_editor import PolicyEditor
from ..editors.properties import PropertiesPanel, kinds_for
from ..editors.raci_table import RaciEditor, RaciTableModel
from ..editors.role_catalog import RoleCatalogEditor, RoleTableModel
from ..formats.bpmn import BpmnReadError, BpmnWriteError, read_bpmn
from ..model import bpmn, smo
from ..model.di import Point
from ..model.document import Document
from ..model.element import Element
from ..model.problems import Problem
from ..modeling import shapes
from ..rules.governance import check_governed
from ..rules.structure import check_structure
from .disk_watch import DiskWatcher
from .document_controller import DocumentController
from .journal import DocumentJournal
from .workshop import install_workshop


def needs_placement(document: Document) -> bool:
    """No diagram at all, or a flow node of a drawn process without its shape."""
    from ..model import di

    diagram_planes = [plane for d in di.diagrams(document) if (plane := di.plane(d)) is not None]
    if not diagram_planes:
        return any(True for p in bpmn.processes(document) for e in bpmn.flow_elements(p))
    plane = diagram_planes[0]
    index = di.plane_index(document, plane)
    root = document.element((plane.get("bpmnElement") or "").rpartition(":")[2])
    if root is None:
        return False
    if root.local == "process":
        drawn_processes = [root]
    else:
        drawn_processes = [
            process
            for participant in root.findall(bpmn.bpmn("participant"))
            if (process := document.element((participant.get("processRef") or "").rpartition(":")[2])) is not None
            and index.drawing(participant.id) is not None
        ]
    return any(
        index.drawing(node.id) is None
        for process in drawn_processes
        for node in process.children
        if bpmn.kind(node) in bpmn.FLOW_NODE_TYPES
    )


RECENT_LIMIT = 10
TEMPLATE_FOLDER = Path(__file__).resolve().parents[2] / "samples"


def templates() -> list[Path]:
    """The ready-made processes (samples/): incident, problem, change … management."""
    return sorted(TEMPLATE_FOLDER.glob("*.bpmn"))


def recent_files() -> list[str]:
    value = QSettings().value("recentFiles", [])
    names = [value] if isinstance(value, str) else list(value or [])
    return [name for name in names if Path(name).is_file()]


def remember_recent(path: Path) -> None:
    name = str(path.resolve())
    names = [name, *(n for n in recent_files() if n != name)][:RECENT_LIMIT]
    QSettings().setValue("recentFiles", names)


BPMN_FILTER = "BPMN models (*.bpmn *.xml);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.controller = DocumentController(parent=self)
        self.journal = DocumentJournal(self.controller)
        self.disk_watch = DiskWatcher(self)
        self.scene = DiagramScene(self.controller.document)
        self.view = DiagramView(self.scene, self.controller.undo_stack)
        self.find_bar = FindBar(self.view)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.find_bar)
        centre_layout.addWidget(self.view)
        self.setCentralWidget(centre)
        self.palette_bar = Palette(self._choose_palette_entry, self)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.palette_bar)

        self.properties = PropertiesPanel(self.view.run)
        self.properties_dock = self._dock(
            "Properties", "properties", self.properties, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.overview = OverviewMap(self.view)
        self.overview_dock = self._dock("Overview", "overview", self.overview, Qt.DockWidgetArea.RightDockWidgetArea)
        self.history = QUndoView(self.controller.undo_stack)
        self.history.setEmptyLabel("Opened")
        self.history_dock = self._dock("History", "history", self.history, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.properties_dock, self.history_dock)
        self.properties_dock.raise_()

        self.raci_model = RaciTableModel(self.controller.document, self.controller.push, parent=self)
        self.raci_editor = RaciEditor(self.raci_model)
        self.raci_dock = self._dock("RACI", "raci", self.raci_editor, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.role_model = RoleTableModel(self.controller.document, self.controller.push, parent=self)
        self.role_editor = RoleCatalogEditor(self.role_model)
        self.roles_dock = self._dock("Roles", "roles", self.role_editor, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.policy_editor = PolicyEditor(self.controller.document, self.controller.push, parent=self)
        self.policies_dock = self._dock(
            "Policies", "policies", self.policy_editor, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.kpi_model = KpiTableModel(self.controller.document, self.controller.push, parent=self)
        self.kpi_editor = KpiEditor(self.kpi_model)
        self.kpis_dock = self._dock("KPIs", "kpis", self.kpi_editor, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.problems = QListWidget()
        self.problems.itemActivated.connect(self._select_problem)
        self.problems_dock = self._dock("Problems", "problems", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.raci_dock, self.roles_dock)
        self.tabifyDockWidget(self.roles_dock, self.policies_dock)
        self.tabifyDockWidget(self.policies_dock, self.kpis_dock)
        self.tabifyDockWidget(self.kpis_dock, self.problems_dock)
        self.raci_dock.raise_()
        self.resizeDocks([self.raci_dock], [220], Qt.Orientation.Vertical)

        self.zoom_label = QLabel("100 %")
        self.statusBar().addPermanentWidget(self.zoom_label)
        self._build_menus()
        self.workshop = install_workshop(self)
        self._connect_view()
        self.controller.modified_changed.connect(self._update_title)
        self.controller.replaced.connect(self._document_replaced)
        self.controller.undo_stack.indexChanged.connect(lambda _index: self.properties.refresh())
        self.raci_model.problems_changed.connect(self._recheck_if_shown)
        self.raci_editor.view.activity_selected.connect(self._select_from_grid)
        self.policy_editor.activity_selected.connect(self._select_from_grid)
        self.policy_editor.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.kpi_editor.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.controller.undo_stack.indexChanged.connect(lambda _index: self._problems_timer.start())
        self._problems_timer = QTimer(self)
        self._problems_timer.setSingleShot(True)
        self._problems_timer.setInterval(300)
        self._problems_timer.timeout.connect(self._recheck_if_shown)
        self._problems_stale = False
        self.problems_dock.visibilityChanged.connect(lambda shown: shown and self._recheck_if_shown())
        self.setAcceptDrops(True)
        self.resize(1400, 900)
        self._update_title()

    def apply_theme(self) -> None:
        """The diagram follows the system's light or dark colours."""
        from ..canvas import notation

        window_colour = self.palette().window().color()
        self.scene.set_palette(notation.DARK if window_colour.lightness() < 128 else notation.LIGHT)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.apply_theme()
        super().changeEvent(event)

    def _connect_view(self) -> None:
        self.view.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.view.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{round(zoom * 100)} %"))
        self.scene.element_selection_changed.connect(self._selection_changed)
        self.apply_theme()

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
        view = self.view
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New", QKeySequence.StandardKey.New, self.new_document)
        self.templates_menu = file_menu.addMenu("New from &template")
        self.templates_menu.aboutToShow.connect(self._fill_templates)
        self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self._choose_file)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "&Save", QKeySequence.StandardKey.Save, self.save)
        self._action(file_menu, "Save &As…", QKeySequence.StandardKey.SaveAs, self.save_as)
        file_menu.addSeparator()
        self._action(file_menu, "Export &picture (PNG, SVG, PDF)…", QKeySequence("Ctrl+E"), self._choose_image_export)
        self._action(
            file_menu, "Export process &guide (HTML, PDF)…", QKeySequence("Ctrl+Shift+G"), self._choose_guide_export
        )
        self._action(file_menu, "Print pre&view…", QKeySequence("Ctrl+Shift+P"), self.print_preview)
        self._action(file_menu, "&Print…", QKeySequence.StandardKey.Print, self.print_diagram)
        file_menu.addSeparator()
        self._action(file_menu, "Export RACI &workbook…", QKeySequence("Ctrl+Shift+E"), self._choose_raci_export)
        self._action(file_menu, "&Import RACI workbook…", QKeySequence("Ctrl+Shift+I"), self._choose_raci_import)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)

        edit_menu = self.menuBar().addMenu("&Edit")
        undo = self.controller.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.controller.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self._canvas_action(edit_menu, "Cu&t", QKeySequence.StandardKey.Cut, self.cut)
        self._canvas_action(edit_menu, "&Copy", QKeySequence.StandardKey.Copy, self.copy)
        self._canvas_action(edit_menu, "&Paste", QKeySequence.StandardKey.Paste, self.paste)
        self._canvas_action(edit_menu, "&Delete", QKeySequence.StandardKey.Delete, self.delete_selection)
        self._canvas_action(edit_menu, "Select &all", QKeySequence.StandardKey.SelectAll, self.select_all)
        edit_menu.addSeparator()
        self._canvas_action(edit_menu, "&Rename", QKeySequence("F2"), lambda: view.edit_label(), extra=("E",))
        self._canvas_action(edit_menu, "Change &type…", QKeySequence("R"), self.show_replace_menu)
        self._action(edit_menu, "&Find…", QKeySequence.StandardKey.Find, self.find_bar.open)
        self._canvas_action(edit_menu, "&Link to the chosen policy", QKeySequence("Ctrl+L"), self.link_to_policy)

        arrange = self.menuBar().addMenu("&Arrange")
        for label, how, key in (
            ("Align &left", "left", "Ctrl+Alt+Left"),
            ("Align &centre", "center", "Ctrl+Alt+C"),
            ("Align &right", "right", "Ctrl+Alt+Right"),
            ("Align &top", "top", "Ctrl+Alt+Up"),
            ("Align &middle", "middle", "Ctrl+Alt+M"),
            ("Align &bottom", "bottom", "Ctrl+Alt+Down"),
        ):
            self._canvas_action(arrange, label, QKeySequence(key), lambda _c=False, h=how: self.align(h))
        arrange.addSeparator()
        self._canvas_action(
            arrange, "Distribute &horizontally", QKeySequence("Ctrl+Alt+H"), lambda: self.distribute("horizontal")
        )
        self._canvas_action(
            arrange, "Distribute &vertically", QKeySequence("Ctrl+Alt+V"), lambda: self.distribute("vertical")
        )

        lanes_menu = self.menuBar().addMenu("&Lanes")
        self._canvas_action(
            lanes_menu, "Add lane &above", QKeySequence("Ctrl+Shift+Up"), lambda: self.add_lane("before")
        )
        self._canvas_action(
            lanes_menu, "Add lane &below", QKeySequence("Ctrl+Shift+Down"), lambda: self.add_lane("after")
        )
        self._canvas_action(lanes_menu, "Split lane in &two", QKeySequence("Ctrl+Shift+2"), lambda: self.split_lane(2))
        self._canvas_action(
            lanes_menu, "Split lane in t&hree", QKeySequence("Ctrl+Shift+3"), lambda: self.split_lane(3)
        )
        self._canvas_action(lanes_menu, "Move lane &up", QKeySequence("Alt+Shift+Up"), lambda: self.shift_lane(-1))
        self._canvas_action(lanes_menu, "Move lane &down", QKeySequence("Alt+Shift+Down"), lambda: self.shift_lane(1))

        insert = self.menuBar().addMenu("&Insert")
        tools_menu = self.menuBar().addMenu("&Tools")
        select = self._canvas_action(tools_menu, "&Select", QKeySequence("Escape"), lambda: view.set_tool("select"))
        del select
        for entry, action in self.palette_bar.entry_actions:
            (insert if entry.spec is not None else tools_menu).addAction(action)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            view.addAction(action)

        view_menu = self.menuBar().addMenu("&View")
        self._action(view_menu, "Zoom &in", QKeySequence.StandardKey.ZoomIn, view.zoom_in, extra=("Ctrl+=",))
        self._action(view_menu, "Zoom &out", QKeySequence.StandardKey.ZoomOut, view.zoom_out)
        self._action(view_menu, "&Fit the diagram", QKeySequence("Ctrl+0"), view.fit)
        self._action(view_menu, "&Actual size (100 %)", QKeySequence("Ctrl+1"), view.actual_size)
        self._action(view_menu, "Zoom to &selection", QKeySequence("Ctrl+2"), self.zoom_to_selection)
        view_menu.addSeparator()
        for dock in (
            self.properties_dock,
            self.overview_dock,
            self.history_dock,
            self.raci_dock,
            self.roles_dock,
            self.policies_dock,
            self.kpis_dock,
            self.problems_dock,
        ):
            view_menu.addAction(dock.toggleViewAction())

        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", QKeySequence("Ctrl+/"), self.show_shortcuts, extra=("F1",))

    def _action(self, menu, text: str, shortcut, slot, extra: tuple[str, ...] = ()) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(shortcut), *(QKeySequence(key) for key in extra)])
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _canvas_action(self, menu, text: str, shortcut, slot, extra: tuple[str, ...] = ()) -> QAction:
        """An action on the diagram: its keys work while the canvas has focus, so that typing
        R or Delete in the RACI grid or a text field stays theirs."""
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(shortcut), *(QKeySequence(key) for key in extra)])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.view.addAction(action)
        return action

    # --- canvas commands --------------------------------------------------------------------

    def _choose_palette_entry(self, entry: PaletteEntry) -> None:
        if entry.spec is None:
            self.view.set_tool(entry.tool)
        else:
            self.view.set_tool("create", entry.spec)
            self.statusBar().showMessage(f"Click where the {entry.label.lower()} goes (Shift: place several)", 4000)
        self.view.setFocus()

    def _selected(self) -> list[Element]:
        return self.scene.selected_elements()

    def delete_selection(self) -> None:
        elements = self._selected()
        if elements:
            self.view.run("Delete", lambda doc: shapes.delete_elements(doc, elements))

    def select_all(self) -> None:
        for item in self.scene.diagram_items():
            if not (isinstance(item, ShapeItem) and item.is_swimlane()):
                item.setSelected(True)

    def copy(self) -> None:
        from ..modeling.clipboard import MIME_TYPE, copy_elements

        plane = self.scene.plane
        if plane is None:
            return
        data = copy_elements(self.document, plane, self._selected())
        if data is None:
            self.statusBar().showMessage("Select shapes to copy (pools and lanes are not copied)", 4000)
            return
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray(data))
        mime.setText(data.decode("utf-8"))
        QApplication.clipboard().setMimeData(mime)
        self.statusBar().showMessage(f"Copied {len(self._selected())} element(s)", 3000)

    def cut(self) -> None:
        self.copy()
        elements = [e for e in self._selected() if e.local not in ("participant", "lane")]
        if elements:
            self.view.run("Cut", lambda doc: shapes.delete_elements(doc, elements))

    def paste(self) -> None:
        from ..modeling.clipboard import MIME_TYPE, paste_elements

        mime = QApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(MIME_TYPE):
            self.statusBar().showMessage("The clipboard holds no diagram elements", 4000)
            return
        data = bytes(mime.data(MIME_TYPE))
        plane = self.scene.plane
        cursor = self.view.mapToScene(self.view.mapFromGlobal(QCursor.pos()))
        at = None
        if self.view.viewport().rect().contains(self.view.mapFromGlobal(QCursor.pos())):
            at = Point(round(cursor.x()), round(cursor.y()))
        pasted = self.view.run("Paste", lambda doc: paste_elements(doc, plane, data, at))
        if isinstance(pasted, list):
            self.scene.select_elements([e.id for e in pasted if e.id])

    def align(self, how: str) -> None:
        drawings = [item.drawing for item in self.view.selected_shapes() if not item.is_swimlane()]
        if len(drawings) < 2:
            self.statusBar().showMessage("Select two or more shapes to align", 4000)
            return
        plane = self.scene.plane
        self.view.run("Align", lambda doc: shapes.align(doc, plane, drawings, how))

    def distribute(self, axis: str) -> None:
        drawings = [item.drawing for item in self.view.selected_shapes() if not item.is_swimlane()]
        if len(drawings) < 3:
            self.statusBar().showMessage("Select three or more shapes to distribute", 4000)
            return
        plane = self.scene.plane
        self.view.run("Distribute", lambda doc: shapes.distribute(doc, plane, drawings, axis))

    def _selected_swimlane(self) -> Element | None:
        for element in self._selected():
            if element.local in ("lane", "participant"):
                return element
        return None

    def add_lane(self, where: str) -> None:
        from ..modeling import lanes

        target = self._selected_swimlane()
        if target is None:
            self.statusBar().showMessage("Select a pool or lane first", 4000)
            return
        plane = self.scene.plane
        lane = self.view.run("Add lane", lambda doc: lanes.add_lane(doc, plane, target, where))
        if isinstance(lane, Element):
            self.scene.select_elements([lane.id])

    def split_lane(self, count: int) -> None:
        from ..modeling import lanes

        target = self._selected_swimlane()
        if target is None:
            self.statusBar().showMessage("Select a pool or lane to split", 4000)
            return
        plane = self.scene.plane
        self.view.run("Split lane", lambda doc: lanes.split_lane(doc, plane, target, count))

    def shift_lane(self, step: int) -> None:
        from ..modeling import lanes

        lane = self._selected_swimlane()
        if lane is None or lane.local != "lane" or lane.parent is None:
            self.statusBar().showMessage("Select a lane to move", 4000)
            return
        siblings = self.view._lane_siblings(self.scene.item_for(lane.id))  # type: ignore[arg-type]
        current = next((i for i, item in enumerate(siblings) if item.element is lane), None)
        if current is None or not 0 <= current + step < len(siblings):
            return
        plane = self.scene.plane
        self.view.run("Move lane", lambda doc: lanes.move_lane(doc, plane, lane, current + step))

    def show_replace_menu(self) -> None:
        elements = self._selected()
        if len(elements) != 1:
            return
        element = elements[0]
        kinds = kinds_for(element)
        if not kinds:
            return
        menu = QMenu(self)
        plane = self.scene.plane
        for label, local in kinds:
            action = menu.addAction(label)
            action.setEnabled(local != element.local)
            action.triggered.connect(
                lambda _c=False, lo=local: self.view.run(
                    "Change type", lambda doc: shapes.replace_element(doc, plane, element, lo)
                )
            )
        item = self.scene.item_for(element.id or "")
        anchor = self.view.mapFromScene(item.sceneBoundingRect().bottomLeft()) if item is not None else QPoint(0, 0)
        menu.popup(self.view.viewport().mapToGlobal(anchor))

    def zoom_to_selection(self) -> None:
        items = self.scene.selected_diagram_items()
        if not items:
            return
        rect = items[0].sceneBoundingRect()
        for item in items[1:]:
            rect = rect.united(item.sceneBoundingRect())
        self.view.zoom_to_rect(rect)

    def _selection_changed(self, ids: list[str]) -> None:
        element = self.document.element(ids[0]) if len(ids) == 1 else None
        self.properties.show_element(self.document, self.scene.plane, element)
        if element is not None and element.local in bpmn.RACI_ACTIVITY_TYPES:
            self.raci_editor.view.select_activity(element.id)

    def _select_from_grid(self, activity_id: str) -> None:
        item = self.scene.item_for(activity_id)
        if item is None:
            return
        self.scene.select_elements([activity_id])
        self.view.ensureVisible(item.sceneBoundingRect(), 60, 60)

    def _select_problem(self, list_item: QListWidgetItem) -> None:
        element_id = list_item.data(Qt.ItemDataRole.UserRole)
        if element_id:
            self._select_from_grid(element_id)

    def link_to_policy(self) -> None:
        """Link the policy chosen in the Policies panel to the selected activity or pool."""
        elements = self._selected()
        if len(elements) != 1:
            self.statusBar().showMessage("Select one activity or pool to link to the chosen policy", 4000)
            return
        if self.policy_editor.link_activity(elements[0].id or ""):
            self.statusBar().showMessage(f"Linked {bpmn.name(elements[0]) or elements[0].id} to the policy", 4000)

    def _choose_guide_export(self) -> None:
        suggestion = str(self.controller.path.with_suffix(".html")) if self.controller.path else "process-guide.html"
        name, _ = QFileDialog.getSaveFileName(
            self, "Export process guide", suggestion, "Web page (*.html);;PDF document (*.pdf)"
        )
        if name:
            self.export_guide(Path(name))

    def export_guide(self, path: Path) -> bool:
        from ..editors.guide_pdf import export_guide
        from ..formats.guide import GuideError

        source = self.controller.path.name if self.controller.path else ""
        try:
            export_guide(self.document, path, problems=self.controller.problems, source_name=source)
        except GuideError as error:
            QMessageBox.warning(self, "Cannot export the process guide", str(error))
            return False
        self.statusBar().showMessage(f"Exported the process guide {path.name}", 4000)
        return True

    def show_shortcuts(self) -> None:
        from .shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self).show()

    # --- pictures and printing ---------------------------------------------------------------

    def _choose_image_export(self) -> None:
        suggestion = str(self.controller.path.with_suffix(".png")) if self.controller.path else "diagram.png"
        name, _ = QFileDialog.getSaveFileName(
            self, "Export picture", suggestion, "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
        )
        if not name:
            return
        scale = 2.0
        if Path(name).suffix.lower() == ".png":
            dpi, accepted = QInputDialog.getInt(
                self, "Picture resolution", "Dots per inch (96 is the screen's size):", 192, 48, 1200, 48
            )
            if not accepted:
                return
            scale = dpi / 96
        self.export_image(Path(name), scale)

    def export_image(self, path: Path, scale: float = 2.0) -> bool:
        from ..canvas.export import ExportError, export_image

        try:
            export_image(self.scene, path, scale=scale, title=self._title())
        except ExportError as error:
            QMessageBox.warning(self, "Cannot export the picture", str(error))
            return False
        self.statusBar().showMessage(f"Exported {path.name}", 4000)
        return True

    def _printer(self):
        from PySide6.QtPrintSupport import QPrinter

        from ..canvas.export import page_layout

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout(self.scene))
        printer.setDocName(self._title())
        return printer

    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        from ..canvas.export import paint_pages

        dialog = QPrintPreviewDialog(self._printer(), self)
        dialog.paintRequested.connect(lambda printer: paint_pages(self.scene, printer))
        dialog.exec()

    def print_diagram(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        from ..canvas.export import paint_pages

        printer = self._printer()
        if QPrintDialog(printer, self).exec() == QPrintDialog.DialogCode.Accepted:
            paint_pages(self.scene, printer)

    def _title(self) -> str:
        path = self.controller.path
        return smo.metadata(self.document).title or (path.stem if path else "Untitled")

    # --- files -------------------------------------------------------------------------------

    def _choose_file(self) -> None:
        if not self._may_discard():
            return
        name, _ = QFileDialog.getOpenFileName(self, "Open model", "", BPMN_FILTER)
        if name:
            self.open_file(name)

    def new_document(self, template: Path | None = None) -> bool:
        """A blank process, or a copy of a template that has no file yet (Save asks where)."""
        if not self._may_discard():
            return False
        if template is None:
            self.controller.adopt(bpmn.new_document(), None)
            self.statusBar().showMessage("New process: draw a pool (Shift+P) or start with an event (1)", 6000)
            return True
        try:
            result = read_bpmn(template)
        except BpmnReadError as error:
            QMessageBox.warning(self, "Cannot open the template", str(error))
            return False
        self.controller.adopt(result.document, None, result.problems)
        self.statusBar().showMessage(f"New process from the template {template.stem}", 6000)
        return True

    def _fill_templates(self) -> None:
        self.templates_menu.clear()
        for template in templates():
            action = self.templates_menu.addAction(template.stem.replace("-", " ").capitalize())
            action.triggered.connect(lambda _c=False, t=template: self.new_document(t))
        if not self.templates_menu.actions():
            self.templates_menu.addAction("(no templates found)").setEnabled(False)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for name in recent_files():
            action = self.recent_menu.addAction(name)
            action.triggered.connect(lambda _c=False, n=name: self._may_discard() and self.open_file(n))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files and self._may_discard():
            self.open_file(files[0])
            event.acceptProposedAction()

    def open_file(self, path: str) -> bool:
        try:
            self.controller.load(path)
        except BpmnReadError as error:
            QMessageBox.warning(self, "Cannot open the model", str(error))
            self.statusBar().showMessage(str(error))
            return False
        remember_recent(Path(path))
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
            remember_recent(path)
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

    def reload_from_disk(self) -> None:
        """Read the file again, keeping the zoom and the part of the diagram in view."""
        path = self.controller.path
        assert path is not None
        transform = self.view.transform()
        horizontal, vertical = self.view.horizontalScrollBar().value(), self.view.verticalScrollBar().value()
        self.controller.load(path)
        self.view.setTransform(transform)
        self.view.horizontalScrollBar().setValue(horizontal)
        self.view.verticalScrollBar().setValue(vertical)
        self.view.zoom_changed.emit(self.view.zoom())

    def adopt_recovered(self, document: Document, path: Path | None) -> None:
        """Show a document recovered from the journal: modified, with its file if it had one."""
        self.controller.adopt(document, path, modified=True)
        self.journal.flush()  # this session's journal holds it from now on
        self.statusBar().showMessage("Recovered the edits made before SMO Designer stopped; save to keep them", 8000)

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
            self.journal.discard()  # closed on purpose: nothing to offer back next time
            event.accept()
        else:
            event.ignore()

    def _document_replaced(self) -> None:
        self.raci_model.set_document(self.controller.document)
        self.role_model.set_document(self.controller.document)
        self.policy_editor.set_document(self.controller.document)
        self.kpi_model.set_document(self.controller.document)
        self._show_canvas(self.controller.document)
        self._place_undrawn()
        self.problems.clear()
        self._recheck_if_shown()
        self._update_title()

    def _place_undrawn(self) -> None:
        """A file whose diagram lacks some of its flow nodes (or has no diagram at all) gets them
        placed, as an undoable step the user sees in the history."""
        if not needs_placement(self.document):
            return
        from ..commands.base import execute
        from ..commands.diagram import DiagramCommand
        from ..layout.placement import place_missing  # networkx: loaded only when needed

        command = DiagramCommand(self.document, "Place elements without a position", place_missing)
        execute(self.controller.undo_stack, command)
        self.scene.flush()
        self.view.fit()
        self.statusBar().showMessage(
            f"Placed {command.result} element(s) that had no position in the diagram (Undo removes them)", 8000
        )

    def _show_canvas(self, document: Document) -> None:
        self.scene.detach()
        old = self.scene
        self.scene = DiagramScene(document)
        self.view.setScene(self.scene)
        self._connect_view()
        self.overview.set_view(self.view)
        self.properties.show_element(None, None, None)
        old.deleteLater()
        self.view.fit()

    def _update_title(self, *_) -> None:
        path = self.controller.path
        self.setWindowTitle(f"{self._title()} — {path.name if path else 'unsaved'}[*] — SMO Designer")
        self.setWindowModified(self.controller.modified)

    # --- panels ------------------------------------------------------------------------------

    def _recheck_if_shown(self) -> None:
        """Checks of a large model take a moment: after an edit they run while the Problems
        panel is in view, otherwise when it comes into view."""
        if self.problems_dock.isVisible() and not self.problems_dock.visibleRegion().isEmpty():
            self._show_problems()
        else:
            self._problems_stale = True
            self.problems_dock.setWindowTitle("Problems (…)")

    def _show_problems(self, *_) -> None:
        self._problems_stale = False
        problems: list[Problem] = (
            list(self.controller.problems)
            + check_structure(self.document)
            + list(self.raci_model.problems)
            + check_governed(self.document, date.today())
        )
        self.problems.clear()
        for problem in problems:
            item = QListWidgetItem(f"{problem.severity}: {problem}")
            item.setData(Qt.ItemDataRole.UserRole, problem.element)
            self.problems.addItem(item)
        self.problems_dock.setWindowTitle(f"Problems ({len(problems)})")
