"""The main window (app layer): open documents in tabs in the centre, each with its own canvas
and undo history; the palette beside them; the properties, overview and undo history to the
right and the RACI grid, roles, policies, KPIs and problems below, all showing the current
tab's document; a title whose modified mark follows its undo stack.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QCursor, QKeySequence, QUndoCommand, QUndoGroup
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
    QTabWidget,
    QUndoView,
)

from ..canvas import notation
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
from ..formats.bpmn import BpmnReadError, BpmnWriteError, Problem, read_bpmn
from ..model import bpmn, smo
from ..model.di import Point
from ..model.document import Document
from ..model.element import Element
from ..modeling import shapes
from ..rules.governance import check_governed
from ..rules.structure import check_structure
from .disk_watch import DiskWatcher
from .document_controller import DocumentController
from .document_tab import DocumentTab
from .icons import install_icons
from .journal import DocumentJournal
from .preferences import Preferences, PreferencesDialog, load_preferences, save_preferences
from .progress import Cancelled, run_in_background, steps_with_progress
from .session import save_session
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
# from this many elements on, drawing an opened model takes long enough to say so first
LARGE_MODEL_ELEMENTS = 5_000


def same_file(first: Path, second: Path) -> bool:
    return first.resolve() == second.resolve()


class MainWindow(QMainWindow):
    current_document_changed = Signal()  # another tab came to the front, or its document was replaced

    def __init__(self) -> None:
        super().__init__()
        self._ready = False  # the docks exist: tab changes re-bind them from now on
        self.preferences = load_preferences()
        self.undo_group = QUndoGroup(self)  # Undo, Redo and History act on the current tab's stack
        self._canvas_actions: list[QAction] = []  # added to every tab's canvas
        self.tabs = QTabWidget()
        self.tabs.setObjectName("documents")
        self.tabs.setDocumentMode(True)
        self.tabs.setMovable(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideMiddle)
        self.tabs.tabCloseRequested.connect(lambda index: self.close_tab(self.tabs.widget(index)))
        self.tabs.currentChanged.connect(self._current_tab_changed)
        self.setCentralWidget(self.tabs)
        self._add_tab(self._new_tab(blank=True))
        self.palette_bar = Palette(self._choose_palette_entry, self)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.palette_bar)

        self.properties = PropertiesPanel(self._run)
        self.properties_dock = self._dock(
            "Properties", "properties", self.properties, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.overview = OverviewMap(self.view)
        self.overview_dock = self._dock("Overview", "overview", self.overview, Qt.DockWidgetArea.RightDockWidgetArea)
        self.history = QUndoView(self.undo_group)
        self.history.setEmptyLabel("Opened")
        self.history_dock = self._dock("History", "history", self.history, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.properties_dock, self.history_dock)
        self.properties_dock.raise_()

        self.raci_model = RaciTableModel(self.document, self._push, parent=self)
        self.raci_editor = RaciEditor(self.raci_model)
        self.raci_dock = self._dock("RACI", "raci", self.raci_editor, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.role_model = RoleTableModel(self.document, self._push, parent=self)
        self.role_editor = RoleCatalogEditor(self.role_model)
        self.roles_dock = self._dock("Roles", "roles", self.role_editor, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.policy_editor = PolicyEditor(self.document, self._push, parent=self)
        self.policies_dock = self._dock(
            "Policies", "policies", self.policy_editor, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.kpi_model = KpiTableModel(self.document, self._push, parent=self)
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
        self.icons = install_icons(self)
        self.raci_model.problems_changed.connect(self._recheck_if_shown)
        self.raci_editor.view.activity_selected.connect(self._select_from_grid)
        self.policy_editor.activity_selected.connect(self._select_from_grid)
        self.policy_editor.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.kpi_editor.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self._problems_timer = QTimer(self)
        self._problems_timer.setSingleShot(True)
        self._problems_timer.setInterval(300)
        self._problems_timer.timeout.connect(self._recheck_if_shown)
        self._problems_stale = False
        self.problems_dock.visibilityChanged.connect(lambda shown: shown and self._recheck_if_shown())
        self.setAcceptDrops(True)
        self.resize(1400, 900)
        self._ready = True
        self.apply_preferences()
        self._bind_current_tab()

    # --- the current tab ---------------------------------------------------------------------

    @property
    def current_tab(self) -> DocumentTab:
        return self.tabs.currentWidget()  # type: ignore[return-value]

    def document_tabs(self) -> list[DocumentTab]:
        return [self.tabs.widget(index) for index in range(self.tabs.count())]  # type: ignore[misc]

    @property
    def controller(self) -> DocumentController:
        return self.current_tab.controller

    @property
    def journal(self) -> DocumentJournal:
        return self.current_tab.journal

    @property
    def disk_watch(self) -> DiskWatcher:
        return self.current_tab.disk_watch

    @property
    def scene(self) -> DiagramScene:
        return self.current_tab.scene

    @property
    def view(self) -> DiagramView:
        return self.current_tab.view

    @property
    def find_bar(self) -> FindBar:
        return self.current_tab.find_bar

    @property
    def document(self) -> Document:
        return self.controller.document

    @property
    def path(self) -> Path | None:
        return self.controller.path

    def _push(self, command: QUndoCommand) -> None:
        """The panels' edits go to the current tab's undo stack."""
        self.controller.push(command)

    def _run(self, *args, **kwargs) -> object:
        """The properties panel's edits run on the current tab's canvas."""
        return self.view.run(*args, **kwargs)

    def show_tab(self, tab: DocumentTab) -> None:
        self.tabs.setCurrentWidget(tab)

    def tab_for(self, path: Path) -> DocumentTab | None:
        """The tab showing that file, if it is open."""
        return next((tab for tab in self.document_tabs() if tab.path is not None and same_file(tab.path, path)), None)

    def _next_untitled_number(self) -> int:
        taken = {tab.untitled_number for tab in self.document_tabs() if tab.path is None}
        return next(number for number in range(1, len(taken) + 2) if number not in taken)

    def _new_tab(self, *, blank: bool) -> DocumentTab:
        tab = DocumentTab(self, self._next_untitled_number(), blank=blank)
        tab.set_notation_palette(self._notation_palette())
        tab.view.grid = self.preferences.grid
        tab.view.addActions(self._canvas_actions)
        controller = tab.controller
        self.undo_group.addStack(controller.undo_stack)
        controller.modified_changed.connect(lambda _modified: self._show_tab_state(tab))
        controller.saved.connect(lambda: self._show_tab_state(tab))
        controller.undo_stack.indexChanged.connect(lambda _index: self._edited(tab))
        tab.document_replaced.connect(lambda: self._tab_document_replaced(tab))
        tab.selection_changed.connect(lambda ids: self._selection_changed(ids) if self._in_front(tab) else None)
        tab.view.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        tab.view.zoom_changed.connect(lambda zoom: self._show_zoom(zoom) if self._in_front(tab) else None)
        return tab

    def _in_front(self, tab: DocumentTab) -> bool:
        """Whether the panels show this tab's document. Not while the window is being destroyed:
        the tabs' undo stacks signal as they go, after the tab widget has."""
        return self._ready and shiboken6.isValid(self.tabs) and tab is self.tabs.currentWidget()

    def _add_tab(self, tab: DocumentTab) -> DocumentTab:
        """Put the tab last and bring it to the front."""
        index = self.tabs.addTab(tab, tab.label())
        self.tabs.setTabToolTip(index, tab.tooltip())
        self.tabs.setCurrentIndex(index)
        return tab

    def _current_tab_changed(self, index: int) -> None:
        if self._ready and index >= 0:
            self.statusBar().clearMessage()  # it spoke of the document left behind
            self._bind_current_tab()

    def _bind_current_tab(self) -> None:
        """Every panel, the undo actions and the title follow the tab now in front."""
        tab = self.current_tab
        self.undo_group.setActiveStack(tab.controller.undo_stack)
        self.raci_model.set_document(tab.document)
        self.role_model.set_document(tab.document)
        self.policy_editor.set_document(tab.document)
        self.kpi_model.set_document(tab.document)
        self.overview.set_view(tab.view)
        self._selection_changed([item.element_id for item in tab.scene.selected_diagram_items() if item.element_id])
        self.problems.clear()
        self._recheck_if_shown()
        self._show_zoom(tab.view.zoom())
        self._update_title()
        self.current_document_changed.emit()

    def _tab_document_replaced(self, tab: DocumentTab) -> None:
        self._place_undrawn(tab)
        self._show_tab_state(tab)
        if self._in_front(tab):
            self._bind_current_tab()

    def _show_tab_state(self, tab: DocumentTab) -> None:
        """The tab's name, modified mark and file, and the window title if it is in front."""
        if not shiboken6.isValid(self.tabs) or (index := self.tabs.indexOf(tab)) < 0:
            return  # the tab or the window is closing
        self.tabs.setTabText(index, tab.label())
        self.tabs.setTabToolTip(index, tab.tooltip())
        if self._in_front(tab):
            self._update_title()

    def _edited(self, tab: DocumentTab) -> None:
        if self._in_front(tab):
            self.properties.refresh()
            self._problems_timer.start()

    def _show_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)} %")

    def next_tab(self, step: int = 1) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    # --- preferences and theme ---------------------------------------------------------------

    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self.preferences, self)
        if dialog.exec() == PreferencesDialog.DialogCode.Accepted:
            self.set_preferences(dialog.chosen())

    def set_preferences(self, preferences: Preferences) -> None:
        save_preferences(preferences)
        self.preferences = preferences
        self.apply_preferences()

    def apply_preferences(self) -> None:
        for tab in self.document_tabs():
            tab.view.grid = self.preferences.grid
        self.apply_theme()

    def _notation_palette(self) -> notation.Palette:
        """The diagram's colours: as chosen, or the system's light or dark."""
        theme = self.preferences.theme
        if theme == "system":
            theme = "dark" if self.palette().window().color().lightness() < 128 else "light"
        return notation.DARK if theme == "dark" else notation.LIGHT

    def apply_theme(self) -> None:
        palette = self._notation_palette()
        for tab in self.document_tabs():
            tab.set_notation_palette(palette)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._ready and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.apply_theme()
        super().changeEvent(event)

    def _dock(self, title: str, name: str, widget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New", QKeySequence.StandardKey.New, lambda: self.new_document())
        self.templates_menu = file_menu.addMenu("New from &template")
        self.templates_menu.aboutToShow.connect(self._fill_templates)
        self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self._choose_file)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "&Save", QKeySequence.StandardKey.Save, self.save)
        self._action(file_menu, "Save &As…", QKeySequence.StandardKey.SaveAs, self.save_as)
        self._action(file_menu, "&Close", QKeySequence("Ctrl+W"), lambda: self.close_tab())
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
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, "&Redo")
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
        self._canvas_action(edit_menu, "&Rename", QKeySequence("F2"), lambda: self.view.edit_label(), extra=("E",))
        self._canvas_action(edit_menu, "Change &type…", QKeySequence("R"), self.show_replace_menu)
        self._action(edit_menu, "&Find…", QKeySequence.StandardKey.Find, lambda: self.find_bar.open())
        self._canvas_action(edit_menu, "&Link to the chosen policy", QKeySequence("Ctrl+L"), self.link_to_policy)
        edit_menu.addSeparator()
        self._action(edit_menu, "Pre&ferences…", QKeySequence("Ctrl+,"), self.show_preferences)

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
        self._canvas_action(tools_menu, "&Select", QKeySequence("Escape"), lambda: self.view.set_tool("select"))
        for entry, action in self.palette_bar.entry_actions:
            (insert if entry.spec is not None else tools_menu).addAction(action)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self._add_canvas_action(action)

        view_menu = self.menuBar().addMenu("&View")
        self._action(
            view_menu, "Zoom &in", QKeySequence.StandardKey.ZoomIn, lambda: self.view.zoom_in(), extra=("Ctrl+=",)
        )
        self._action(view_menu, "Zoom &out", QKeySequence.StandardKey.ZoomOut, lambda: self.view.zoom_out())
        self._action(view_menu, "&Fit the diagram", QKeySequence("Ctrl+0"), lambda: self.view.fit())
        self._action(view_menu, "&Actual size (100 %)", QKeySequence("Ctrl+1"), lambda: self.view.actual_size())
        self._action(view_menu, "Zoom to &selection", QKeySequence("Ctrl+2"), self.zoom_to_selection)
        view_menu.addSeparator()
        self._action(view_menu, "&Next document", QKeySequence("Ctrl+Tab"), self.next_tab, extra=("Ctrl+PgDown",))
        self._action(
            view_menu,
            "P&revious document",
            QKeySequence("Ctrl+Shift+Tab"),
            lambda: self.next_tab(-1),
            extra=("Ctrl+PgUp",),
        )
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
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _canvas_action(self, menu, text: str, shortcut, slot, extra: tuple[str, ...] = ()) -> QAction:
        """An action on the diagram: its keys work while a canvas has focus, so that typing
        R or Delete in the RACI grid or a text field stays theirs."""
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(shortcut), *(QKeySequence(key) for key in extra)])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self._add_canvas_action(action)
        return action

    def _add_canvas_action(self, action: QAction) -> None:
        """Every tab's canvas has the action (its keys are heard where the focus is)."""
        self._canvas_actions.append(action)
        for tab in self.document_tabs():
            tab.view.addAction(action)

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
            with self._saying_for_large(self.document, "Exporting", f"Writing {path.name}…"):
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
                self,
                "Picture resolution",
                "Dots per inch (96 is the screen's size):",
                self.preferences.png_dpi,
                48,
                1200,
                48,
            )
            if not accepted:
                return
            scale = dpi / 96
        self.export_image(Path(name), scale)

    def export_image(self, path: Path, scale: float = 2.0) -> bool:
        from ..canvas.export import ExportError, export_image

        try:
            with self._saying_for_large(self.document, "Exporting", f"Drawing {path.name}…"):
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
        return smo.metadata(self.document).title or (self.path.stem if self.path else self.current_tab.name())

    # --- files -------------------------------------------------------------------------------

    def _choose_file(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Open models", "", BPMN_FILTER)
        for name in names:
            self.open_file(name)

    def new_document(self, template: Path | None = None) -> bool:
        """A blank process in a new tab, or a copy of a template that has no file yet (Save asks
        where)."""
        if template is None:
            self._add_tab(self._new_tab(blank=True))
            self.statusBar().showMessage("New process: draw a pool (Shift+P) or start with an event (1)", 6000)
            return True
        try:
            result = read_bpmn(template)
        except BpmnReadError as error:
            QMessageBox.warning(self, "Cannot open the template", str(error))
            return False
        self.open_document(result.document, None, result.problems)
        self.statusBar().showMessage(f"New process from the template {template.stem}", 6000)
        return True

    def open_document(
        self, document: Document, path: Path | None, problems: list[Problem] | None = None, *, modified: bool = False
    ) -> DocumentTab:
        """Show a document in a tab of its own, or in the current tab if that holds a blank
        document nobody has touched (which would only be in the way)."""
        current = self.current_tab
        tab = current if current.is_untouched() else self._add_tab(self._new_tab(blank=False))
        tab.controller.adopt(document, path, problems, modified=modified)
        self.show_tab(tab)
        return tab

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
            action.triggered.connect(lambda _c=False, n=name: self.open_file(n))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        for name in files:
            self.open_file(name)
        if files:
            event.acceptProposedAction()

    def open_file(self, path: str | Path) -> bool:
        """Open a file in a tab of its own; a file already open comes to the front instead."""
        path = Path(path)
        already = self.tab_for(path)
        if already is not None:
            self.show_tab(already)
            self.statusBar().showMessage(f"{path.name} is already open", 4000)
            return True
        try:
            tab = self.open_quietly(path, report=True)
        except Cancelled:
            self.statusBar().showMessage(f"Did not open {path.name}", 4000)
            return False
        except BpmnReadError as error:
            QMessageBox.warning(self, "Cannot open the model", str(error))
            self.statusBar().showMessage(str(error))
            return False
        assert tab is not None
        remember_recent(path)
        self.statusBar().showMessage(f"Opened {path.name}: {len(tab.controller.problems)} problem(s) in the file")
        return True

    def open_quietly(self, path: Path, *, report: bool = False) -> DocumentTab | None:
        """Open a file (or show its tab) without a dialog: None if it cannot be read, or the
        read error raised when `report` is set."""
        already = self.tab_for(path)
        if already is not None:
            return already
        try:
            # read in a worker thread, so that a large file shows a progress dialog (Cancel
            # leaves nothing opened) while the window keeps painting
            result = run_in_background(self, "Opening", f"Reading {path.name}…", lambda: read_bpmn(path))
        except BpmnReadError:
            if report:
                raise
            return None
        with self._saying_for_large(result.document, "Opening", f"Drawing {path.name}…"):
            return self.open_document(result.document, path, result.problems)

    def _saying_for_large(self, document: Document, title: str, label: str):
        """For a large model, a progress dialog shown before one long call on this thread
        (drawing the diagram, rendering it), so that the window does not just freeze."""
        if len(document.ids()) < LARGE_MODEL_ELEMENTS:
            return contextlib.nullcontext()
        return steps_with_progress(self, title, label, 1, delay_ms=0, cancellable=False)

    def save(self) -> bool:
        return self.save_tab(self.current_tab)

    def save_as(self) -> bool:
        return self.save_tab_as(self.current_tab)

    def save_tab(self, tab: DocumentTab) -> bool:
        if tab.path is None:
            return self.save_tab_as(tab)
        return self._save_to(tab.path, tab)

    def save_tab_as(self, tab: DocumentTab) -> bool:
        self.show_tab(tab)  # the dialog is about the document in view
        name, _ = QFileDialog.getSaveFileName(self, "Save model as", str(tab.path or tab.name()), BPMN_FILTER)
        if not name:
            return False
        other = self.tab_for(Path(name))
        if other is not None and other is not tab:
            QMessageBox.warning(
                self, "Cannot save the model", f"{Path(name).name} is open in another tab: close that one first."
            )
            return False
        return self._save_to(Path(name), tab)

    def _save_to(self, path: Path, tab: DocumentTab | None = None) -> bool:
        tab = tab or self.current_tab
        try:
            tab.controller.save(path)
            remember_recent(path)
        except BpmnWriteError as error:
            QMessageBox.warning(self, "Cannot save the model", str(error))
            return False
        self._show_tab_state(tab)
        self.statusBar().showMessage(f"Saved {path.name}")
        return True

    def _choose_raci_export(self) -> None:
        suggestion = str(self.controller.path.with_suffix(".xlsx")) if self.controller.path else "raci.xlsx"
        name, _ = QFileDialog.getSaveFileName(self, "Export RACI workbook", suggestion, "Excel workbooks (*.xlsx)")
        if name:
            self.export_raci(Path(name))

    def export_raci(self, path: Path) -> bool:
        from ..formats.bpmn import write_atomic
        from ..formats.raci_xlsx import RaciSheetWriteError, raci_workbook_bytes

        source = self.controller.path.name if self.controller.path else ""
        document = self.document
        try:
            # the bytes are made in a worker thread, and written here once they are complete,
            # so that Cancel leaves no file behind
            data = run_in_background(
                self, "Exporting", f"Writing {path.name}…", lambda: raci_workbook_bytes(document, source)
            )
            write_atomic(path, data)
        except Cancelled:
            self.statusBar().showMessage(f"Did not export {path.name}", 4000)
            return False
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

    def adopt_recovered(self, document: Document, path: Path | None) -> DocumentTab:
        """Show a document recovered from the journal, modified, with its file if it had one: in
        the tab of that file if it is open without edits (the recovered edits are newer), else in
        a tab of its own."""
        tab = self.tab_for(path) if path is not None else None
        if tab is not None and not tab.controller.modified:
            tab.controller.adopt(document, path, modified=True)
            self.show_tab(tab)
        else:
            tab = self.open_document(document, path, modified=True)
        tab.journal.flush()  # this session's journal holds it from now on
        self.statusBar().showMessage("Recovered the edits made before SMO Designer stopped; save to keep them", 8000)
        return tab

    # --- closing -----------------------------------------------------------------------------

    def close_tab(self, tab: DocumentTab | None = None) -> bool:
        """Close a tab (the current one by default), asking first about unsaved changes. The
        window always shows a document: closing the last tab leaves a blank one."""
        tab = tab or self.current_tab
        if tab.controller.modified:
            self.show_tab(tab)
            if not self._save_or_discard(tab):
                return False
        self.tabs.removeTab(self.tabs.indexOf(tab))
        self.undo_group.removeStack(tab.controller.undo_stack)
        tab.close_document()
        tab.deleteLater()
        if self.tabs.count() == 0:
            self._add_tab(self._new_tab(blank=True))
        return True

    def _save_or_discard(self, tab: DocumentTab) -> bool:
        """Save, Discard or Cancel for one document; whether it may go."""
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"{tab.name()} has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save_tab(tab)
        return answer == QMessageBox.StandardButton.Discard

    def _may_close_all(self) -> bool:
        """Closing the window: one question about every document with unsaved changes (Save all,
        Discard all, Cancel); with one such document, the same question as closing its tab."""
        modified = [tab for tab in self.document_tabs() if tab.controller.modified]
        if not modified:
            return True
        if len(modified) == 1:
            self.show_tab(modified[0])
            return self._save_or_discard(modified[0])
        listing = "\n".join(f"• {tab.name()}" for tab in modified)
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"{len(modified)} documents have changes that are not saved:\n\n{listing}\n\n"
            "Save all of them, or discard all their changes?",
            QMessageBox.StandardButton.SaveAll | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.SaveAll:
            return all(self.save_tab(tab) for tab in modified)  # stops at the first one not saved
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        presentation = self.workshop.presentation
        if presentation.active:
            presentation.leave()  # the session remembers the window as it is when not presenting
        if not self._may_close_all():
            event.ignore()
            return
        save_session(self)
        for tab in self.document_tabs():
            tab.journal.discard()  # closed on purpose: nothing to offer back next time
        event.accept()

    def _place_undrawn(self, tab: DocumentTab) -> None:
        """A file whose diagram lacks some of its flow nodes (or has no diagram at all) gets them
        placed, as an undoable step the user sees in the history."""
        if not needs_placement(tab.document):
            return
        from ..commands.base import execute
        from ..commands.diagram import DiagramCommand
        from ..layout.placement import place_missing  # networkx: loaded only when needed

        command = DiagramCommand(tab.document, "Place elements without a position", place_missing)
        execute(tab.controller.undo_stack, command)
        tab.scene.flush()
        tab.view.fit()
        self.statusBar().showMessage(
            f"Placed {command.result} element(s) that had no position in the diagram (Undo removes them)", 8000
        )

    def _update_title(self, *_) -> None:
        path = self.path
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
