"""The RACI grid: a table model over the document, its view and the editor around it
(editors layer).

Rows are activities grouped by pool and lane in flow order, columns are roles. The model
never writes the document: every edit becomes a command pushed on the document's undo stack,
and the grid redraws from the model's change events.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeyEvent, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..commands.raci import ApplyLaneResponsibilityCommand, SetRaciCellsCommand
from ..model import raci, smo
from ..model.document import Document
from ..model.problems import ERROR, Problem
from ..model.raci import LETTER_COLOURS
from ..rules.raci import RaciSettings, check_raci
from .following import DocumentFollower

LANE_COLUMN = 0
ACTIVITY_COLUMN = 1
FIRST_ROLE_COLUMN = 2

ERROR_COLOUR = QColor("#f4b6b6")
WARNING_COLOUR = QColor("#fde9a9")
IMPLIED_COLOUR = QColor("#7a7a7a")

ActivityIdRole = Qt.ItemDataRole.UserRole + 1
RoleIdRole = Qt.ItemDataRole.UserRole + 2


class _Look:
    """Brushes and fonts the grid paints with, made once: a large grid asks for them for every
    visible cell on every paint."""

    def __init__(self) -> None:
        self.fill = {letter: QBrush(QColor("#" + fill)) for letter, (fill, _) in LETTER_COLOURS.items()}
        self.ink = {letter: QBrush(QColor("#" + ink)) for letter, (_, ink) in LETTER_COLOURS.items()}
        self.implied_ink = QBrush(IMPLIED_COLOUR)
        self.error_fill = QBrush(ERROR_COLOUR)
        self.warning_fill = QBrush(WARNING_COLOUR)
        self.letter_font = QFont()
        self.letter_font.setBold(True)
        self.implied_font = QFont()
        self.implied_font.setItalic(True)


_LOOK: list[_Look] = []


def _look() -> _Look:
    if not _LOOK:  # fonts can only be made once the application exists
        _LOOK.append(_Look())
    return _LOOK[0]


def display_letters(letters: str) -> str:
    """'RA' shows as 'R/A', the way RACI charts write combinations."""
    return "/".join(letters)


class RaciTableModel(QAbstractTableModel):
    """The matrix as an item model. `push` receives each command (the document controller's
    undo stack in the app); `rejected` tells the user why a typed value was refused."""

    rejected = Signal(str)
    problems_changed = Signal(list)

    def __init__(
        self,
        document: Document,
        push: Callable[[QUndoCommand], None],
        settings: RaciSettings | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._push = push
        self.settings = settings or RaciSettings()
        self._follower = DocumentFollower(self, document, self.refresh)
        self._read()

    # --- following the document -------------------------------------------------------------

    def set_document(self, document: Document) -> None:
        self.beginResetModel()
        self._follower.follow(document)
        self._read()
        self.endResetModel()

    @property
    def document(self) -> Document:
        return self._follower.document

    def _read(self) -> None:
        self._adopt(*self._compute())

    def _compute(self) -> tuple:
        document = self.document
        rows = raci.raci_rows(document)
        cells = []
        for row in rows:
            activity = document.element(row.activity_id)
            cells.append(smo.raci(activity) if activity is not None else {})
        implied = {(item.activity_id, item.role) for item in raci.lane_responsibilities(document, rows)}
        return rows, smo.roles(document), cells, implied, check_raci(document, self.settings, rows)

    def _adopt(self, rows, roles, cells, implied, problems) -> None:
        self.rows: list[raci.RaciRow] = rows
        self.roles: list[smo.Role] = roles
        self.cells: list[dict[str, str]] = cells
        self.implied: set[tuple[str, str]] = implied
        self.problems: list[Problem] = problems
        self._row_problems: dict[str, list[Problem]] = {}
        self._cell_problems: dict[tuple[str, str], list[Problem]] = {}
        for problem in problems:
            if problem.role:
                self._cell_problems.setdefault((problem.element, problem.role), []).append(problem)
            else:
                self._row_problems.setdefault(problem.element, []).append(problem)

    def refresh(self) -> None:
        self._follower.timer.stop()
        state = self._compute()
        rows, roles = state[0], state[1]
        same_shape = [r.activity_id for r in rows] == [r.activity_id for r in self.rows] and [r.id for r in roles] == [
            r.id for r in self.roles
        ]
        if same_shape:
            self._adopt(*state)
            if self.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        else:
            # rows or roles came or went: the view starts over
            self.beginResetModel()
            self._adopt(*state)
            self.endResetModel()
        self.problems_changed.emit(self.problems)

    # --- Qt's item model ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_ROLE_COLUMN + len(self.roles)

    def role_id(self, column: int) -> str | None:
        index = column - FIRST_ROLE_COLUMN
        return self.roles[index].id if 0 <= index < len(self.roles) else None

    def column_of_role(self, role_id: str) -> int | None:
        for offset, role in enumerate(self.roles):
            if role.id == role_id:
                return FIRST_ROLE_COLUMN + offset
        return None

    def row_of_activity(self, activity_id: str) -> int | None:
        for number, row in enumerate(self.rows):
            if row.activity_id == activity_id:
                return number
        return None

    def ensure_fresh(self) -> None:
        """Catch up with changes whose redraw is still queued, before an edit reads cells."""
        if self._follower.pending:
            self.refresh()

    def letters(self, row: int, column: int) -> str:
        role = self.role_id(column)
        return self.cells[row].get(role, "") if role is not None else ""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        item = self.rows[row]
        if role == ActivityIdRole:
            return item.activity_id
        if column == LANE_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return item.lane or item.pool
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Pool {item.pool}" + (f", lane {item.lane}" if item.lane else "")
            return None
        if column == ACTIVITY_COLUMN:
            problems = self._row_problems.get(item.activity_id, [])
            if role == Qt.ItemDataRole.DisplayRole:
                return " ".join(item.name.split()) or f"({item.kind})"
            if role == Qt.ItemDataRole.ToolTipRole:
                lines = [f"{item.kind} {item.activity_id}"] + [f"{p.severity}: {p.message}" for p in problems]
                return "\n".join(lines)
            if role == Qt.ItemDataRole.BackgroundRole and problems:
                return _look().error_fill if any(p.severity == ERROR for p in problems) else _look().warning_fill
            return None
        role_id = self.role_id(column)
        if role_id is None:
            return None
        letters = self.cells[row].get(role_id, "")
        implied_missing = (item.activity_id, role_id) in self.implied and "R" not in letters
        if role == Qt.ItemDataRole.DisplayRole:
            if implied_missing:
                return display_letters(letters) + " (R)" if letters else "(R)"
            return display_letters(letters)
        if role == Qt.ItemDataRole.EditRole:
            return letters
        if role == RoleIdRole:
            return role_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if implied_missing:
                return _look().implied_ink
            return _look().ink[letters[0]] if letters else None
        if role == Qt.ItemDataRole.FontRole:
            if implied_missing:
                return _look().implied_font
            return _look().letter_font if letters else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._cell_problems.get((item.activity_id, role_id)):
                return _look().warning_fill
            # the first letter in RASCI order colours the cell, as on the Excel sheet
            return _look().fill[letters[0]] if letters else None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{self.roles[column - FIRST_ROLE_COLUMN].name}: {display_letters(letters) or 'no part'}"]
            if implied_missing:
                lines.append(f"The activity is in lane {item.lane}: this role should be Responsible (Apply lane roles)")
            lines += [f"{p.severity}: {p.message}" for p in self._cell_problems.get((item.activity_id, role_id), [])]
            return "\n".join(lines)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        if section == LANE_COLUMN:
            return "Lane" if role == Qt.ItemDataRole.DisplayRole else None
        if section == ACTIVITY_COLUMN:
            return "Activity" if role == Qt.ItemDataRole.DisplayRole else None
        offset = section - FIRST_ROLE_COLUMN
        if not 0 <= offset < len(self.roles):
            return None
        role_item = self.roles[offset]
        if role == Qt.ItemDataRole.DisplayRole:
            return role_item.name or role_item.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return role_item.description or role_item.name
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() >= FIRST_ROLE_COLUMN:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() < FIRST_ROLE_COLUMN:
            return False
        return self.set_cells([(index.row(), index.column(), str(value or ""))])

    # --- edits -------------------------------------------------------------------------------

    def set_cells(self, cells: list[tuple[int, int, str]], label: str | None = None) -> bool:
        """Set cells given as (row, column, letters) in one command; refuse all if any is bad."""
        self.ensure_fresh()
        changes = []
        for row, column, text in cells:
            role_id = self.role_id(column)
            if role_id is None or not 0 <= row < len(self.rows):
                continue
            try:
                letters = smo.normalize_letters(text)
            except ValueError as error:
                self.rejected.emit(f"{text!r} is not a RACI value: {error}; use R, A, S, C or I")
                return False
            if letters != self.cells[row].get(role_id, ""):
                changes.append((self.rows[row].activity_id, role_id, letters))
        if not changes:
            return True
        self._push(SetRaciCellsCommand(self.document, changes, label))
        self.ensure_fresh()
        return True

    def apply_lane_roles(self, activity_ids: list[str] | None = None) -> None:
        self._push(ApplyLaneResponsibilityCommand(self.document, activity_ids))


class RoleFilterProxy(QSortFilterProxyModel):
    """Shows only the activities in which one role has a part (or all, with no role chosen)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.role_id: str | None = None

    def set_role(self, role_id: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self.role_id = role_id
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.role_id = role_id
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self.role_id is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, RaciTableModel)
        return bool(model.cells[source_row].get(self.role_id))


class RaciGridView(QTableView):
    """Typing R, A, S, C or I toggles that letter in every selected cell; Delete clears;
    Ctrl+C / Ctrl+V copy and paste blocks (tab-separated, as spreadsheets do); Ctrl+D fills down."""

    activity_selected = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(24)
        header = self.horizontalHeader()
        header.setDefaultSectionSize(96)
        header.setHighlightSections(True)
        # role names are long ("Change advisory board"): wrap them over two lines
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(2 * self.fontMetrics().height() + 10)

    # the view may show a filter proxy; edits go to the table model underneath
    def raci_model(self) -> RaciTableModel:
        model = self.model()
        while isinstance(model, QSortFilterProxyModel):
            model = model.sourceModel()
        assert isinstance(model, RaciTableModel)
        return model

    def _source(self, index: QModelIndex) -> QModelIndex:
        model = self.model()
        while isinstance(model, QSortFilterProxyModel):
            index = model.mapToSource(index)
            model = model.sourceModel()
        return index

    def _proxy(self, index: QModelIndex) -> QModelIndex:
        chain = []
        model = self.model()
        while isinstance(model, QSortFilterProxyModel):
            chain.append(model)
            model = model.sourceModel()
        for proxy in reversed(chain):
            index = proxy.mapFromSource(index)
        return index

    def selected_role_cells(self) -> list[tuple[int, int]]:
        cells = {(s.row(), s.column()) for s in map(self._source, self.selectedIndexes())}
        return sorted((r, c) for r, c in cells if c >= FIRST_ROLE_COLUMN)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.raci_model()
        model.ensure_fresh()
        text = event.text().upper()
        plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        cells = self.selected_role_cells()
        if plain and len(text) == 1 and text in smo.RACI_LETTERS and cells:
            everywhere = all(text in model.letters(r, c) for r, c in cells)
            updates = [
                (r, c, model.letters(r, c).replace(text, "") if everywhere else model.letters(r, c) + text)
                for r, c in cells
            ]
            model.set_cells(updates, f"{'Clear' if everywhere else 'Set'} {text}")
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and cells:
            model.set_cells([(r, c, "") for r, c in cells], "Clear RACI cells")
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        if event.key() == Qt.Key.Key_D and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.fill_down()
            return
        super().keyPressEvent(event)

    def copy_selection(self) -> None:
        cells = {(s.row(), s.column()) for s in map(self._source, self.selectedIndexes())}
        if not cells:
            return
        model = self.raci_model()
        rows = sorted({r for r, _ in cells})
        columns = sorted({c for _, c in cells})
        lines = []
        for r in rows:
            values = []
            for c in columns:
                if (r, c) not in cells:
                    values.append("")
                elif c >= FIRST_ROLE_COLUMN:
                    values.append(display_letters(model.letters(r, c)))
                else:
                    values.append(str(model.data(model.index(r, c)) or ""))
            lines.append("\t".join(values))
        QGuiApplication.clipboard().setText("\n".join(lines))

    def paste(self) -> None:
        text = QGuiApplication.clipboard().text()
        current = self._source(self.currentIndex())
        if not text or not current.isValid():
            return
        model = self.raci_model()
        start_row, start_column = current.row(), max(current.column(), FIRST_ROLE_COLUMN)
        updates = []
        visible_rows = [self._source(self.model().index(r, 0)).row() for r in range(self.model().rowCount())]
        first = visible_rows.index(start_row) if start_row in visible_rows else 0
        for row_offset, line in enumerate(text.rstrip("\n").split("\n")):
            if first + row_offset >= len(visible_rows):
                break
            for column_offset, value in enumerate(line.rstrip("\r").split("\t")):
                column = start_column + column_offset
                if column < model.columnCount():
                    updates.append((visible_rows[first + row_offset], column, value))
        model.set_cells(updates, "Paste RACI cells")

    def fill_down(self) -> None:
        cells = self.selected_role_cells()
        if not cells:
            return
        model = self.raci_model()
        top = {}
        for r, c in cells:
            top.setdefault(c, r)
        model.set_cells([(r, c, model.letters(top[c], c)) for r, c in cells if r != top[c]], "Fill down")

    def currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:
        super().currentChanged(current, previous)
        source = self._source(current)
        if source.isValid() and self._source(previous).row() != source.row():
            self.activity_selected.emit(self.raci_model().rows[source.row()].activity_id)

    def select_activity(self, activity_id: str) -> None:
        """Select the activity's row (when the user selects it elsewhere, such as on the canvas)."""
        model = self.raci_model()
        row = model.row_of_activity(activity_id)
        if row is None:
            return
        index = self._proxy(model.index(row, ACTIVITY_COLUMN))
        if index.isValid() and self._source(self.currentIndex()).row() != row:
            self.setCurrentIndex(index)
            self.scrollTo(index)


class RaciEditor(QWidget):
    """The grid with its tool row: a role filter, Apply lane roles, and what the checks found."""

    def __init__(self, model: RaciTableModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = RoleFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.view = RaciGridView(self)
        self.view.setModel(self.proxy)
        self.role_filter = QComboBox(self)
        self.role_filter.setToolTip("Show only the activities in which this role has a part")
        self.apply_button = QPushButton("Apply lane roles", self)
        self.apply_button.setToolTip("Make each lane's role Responsible for the activities in the lane (one undo step)")
        self.status = QLabel(self)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #a00000")
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Role:", self))
        tools.addWidget(self.role_filter)
        tools.addWidget(self.apply_button)
        tools.addStretch(1)
        tools.addWidget(self.message)
        tools.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(tools)
        layout.addWidget(self.view)
        self.role_filter.currentIndexChanged.connect(self._filter_changed)
        self.apply_button.clicked.connect(self._apply_lane_roles)
        model.rejected.connect(self.message.setText)
        model.problems_changed.connect(self._show_status)
        model.modelReset.connect(self._after_reset)
        self._after_reset()

    def _apply_lane_roles(self) -> None:
        self.model.apply_lane_roles()

    def _after_reset(self) -> None:
        current = self.proxy.role_id
        self.role_filter.blockSignals(True)
        self.role_filter.clear()
        self.role_filter.addItem("All roles", None)
        for role in self.model.roles:
            self.role_filter.addItem(role.name or role.id, role.id)
        position = self.role_filter.findData(current)
        self.role_filter.setCurrentIndex(max(position, 0))
        self.role_filter.blockSignals(False)
        if position < 0:
            self.proxy.set_role(None)
        self._span_lanes()
        self.view.setColumnWidth(LANE_COLUMN, 140)
        self.view.setColumnWidth(ACTIVITY_COLUMN, 240)
        self._show_status(self.model.problems)

    def _span_lanes(self) -> None:
        """One lane cell per group of rows, as a swimlane reads."""
        self.view.clearSpans()
        rows = self.proxy.rowCount()
        start = 0
        for row in range(1, rows + 1):
            if row == rows or self.proxy.index(row, LANE_COLUMN).data() != self.proxy.index(start, LANE_COLUMN).data():
                if row - start > 1:
                    self.view.setSpan(start, LANE_COLUMN, row - start, 1)
                start = row

    def _filter_changed(self) -> None:
        self.proxy.set_role(self.role_filter.currentData())
        self._span_lanes()

    def _show_status(self, problems: list[Problem]) -> None:
        errors = sum(1 for p in problems if p.severity == ERROR)
        warnings = len(problems) - errors
        self.status.setText(f"{len(self.model.rows)} activities · {errors} errors · {warnings} warnings")
        self.message.clear()
