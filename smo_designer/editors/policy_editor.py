"""The policy editor: the document's policies in a list, the chosen one in a form (texts, owner,
approver, dates, lifecycle with its dated steps, links to processes and activities, framework
references picked from the ready lists) (editors layer). Every edit is one command; the list and
the form redraw from the model's change events."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..commands.governance import (
    AddPolicyCommand,
    EditPolicyCommand,
    GovernanceCommand,
    LinkPolicyCommand,
    RemovePolicyCommand,
    TransitionPolicyCommand,
    UnlinkPolicyCommand,
)
from ..model import bpmn as b
from ..model import frameworks, raci, smo
from ..model.document import Document
from .following import DocumentFollower

LIST_COLUMNS = ("identifier", "title", "status", "owner", "next_review")
LIST_HEADERS = ("Policy", "Title", "Status", "Owner", "Next review")
PolicyIdRole = Qt.ItemDataRole.UserRole + 1
STATUS_TEXT = {"draft": "Draft", "in review": "In review", "approved": "Approved", "retired": "Retired"}
# The button for each lifecycle step, by the status it leads to and where it comes from.
STEP_LABELS = {
    ("draft", "in review"): "Submit for review",
    ("in review", "approved"): "Approve",
    ("in review", "draft"): "Back to draft",
    ("approved", "in review"): "Start review",
    ("approved", "retired"): "Retire",
    ("draft", "retired"): "Withdraw",
}
RELATION_TEXT = {"implements": "Implements", "supports": "Supports", "related": "Related to"}


class _Commands:
    """Validates a command before pushing it: a refused edit becomes a message, not a step."""

    def __init__(self, push: Callable[[QUndoCommand], None], report: Callable[[str], None]) -> None:
        self.push = push
        self.report = report

    def run(self, document: Document, command: GovernanceCommand) -> bool:
        try:
            command.validate(document)
        except (ValueError, KeyError) as error:
            self.report(_message(error))
            return False
        self.push(command)
        return True


def _message(error: Exception) -> str:
    text = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    return text[:1].upper() + text[1:]


# --- the list -----------------------------------------------------------------------------------


class PolicyListModel(QAbstractTableModel):
    """The document's policies, one per row, in document order."""

    def __init__(self, document: Document, parent=None) -> None:
        super().__init__(parent)
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
        self.policies = smo.policies(self.document)
        self.role_names = {role.id: role.name or role.id for role in smo.roles(self.document)}

    def refresh(self) -> None:
        self._follower.timer.stop()
        old = [p.id for p in self.policies]
        self._read()
        if [p.id for p in self.policies] != old:
            self.beginResetModel()
            self.endResetModel()
        elif self.policies:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.policies) - 1, len(LIST_COLUMNS) - 1))

    def row_of(self, policy_id: str) -> int | None:
        return next((i for i, p in enumerate(self.policies) if p.id == policy_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.policies)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LIST_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return LIST_HEADERS[section] if 0 <= section < len(LIST_HEADERS) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        policy = self.policies[index.row()]
        column = LIST_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "status":
                return STATUS_TEXT.get(policy.status, policy.status)
            if column == "owner":
                return self.role_names.get(policy.owner_role, policy.owner_role)
            return " ".join(getattr(policy, column).split())
        if role == Qt.ItemDataRole.ToolTipRole:
            return policy.statement or policy.title or None
        if role == PolicyIdRole:
            return policy.id
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# --- framework references -----------------------------------------------------------------------


class FrameworkReferenceModel(QAbstractTableModel):
    """The framework references of one policy: framework, clause, relation, edited in place."""

    COLUMNS = ("framework", "clause", "relation")
    HEADERS = ("Framework", "Clause", "Relation")

    def __init__(self, run: Callable[[GovernanceCommand], bool], parent=None) -> None:
        super().__init__(parent)
        self._run = run  # validates and pushes a command, then redraws the form
        self.document: Document | None = None
        self.policy_id = ""
        self.references: tuple[smo.FrameworkReference, ...] = ()

    def show(self, document: Document | None, policy: smo.Policy | None) -> None:
        references = policy.frameworks if policy is not None else ()
        policy_id = policy.id if policy is not None else ""
        if policy_id != self.policy_id or len(references) != len(self.references):
            self.beginResetModel()
            self.document, self.policy_id, self.references = document, policy_id, references
            self.endResetModel()
        elif references != self.references:
            self.document, self.references = document, references
            self.dataChanged.emit(self.index(0, 0), self.index(len(references) - 1, len(self.COLUMNS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.references)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        reference = self.references[index.row()]
        column = self.COLUMNS[index.column()]
        value = getattr(reference, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return RELATION_TEXT.get(value, value) if column == "relation" else value
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole and column == "framework":
            ready = frameworks.framework(value)
            return ready.title if ready is not None else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.document is None:
            return False
        column = self.COLUMNS[index.column()]
        text = " ".join(str(value or "").split())
        reference = self.references[index.row()]
        if text == getattr(reference, column):
            return True
        changed = list(self.references)
        changed[index.row()] = replace(reference, **{column: text})
        label = f"Change framework {column}"
        return self._run(EditPolicyCommand(self.document, self.policy_id, label, frameworks=tuple(changed)))


class FrameworkDelegate(QStyledItemDelegate):
    """Combo boxes with the ready lists: frameworks, the clauses of the row's framework (both
    editable, for any other standard), and the three relations."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802 (Qt override)
        column = FrameworkReferenceModel.COLUMNS[index.column()]
        combo = QComboBox(parent)
        if column == "relation":
            for relation in smo.FRAMEWORK_RELATIONS:
                combo.addItem(RELATION_TEXT[relation], relation)
            return combo
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if column == "framework":
            combo.addItems([f.name for f in frameworks.FRAMEWORKS])
        else:
            ready = frameworks.framework(str(index.sibling(index.row(), 0).data(Qt.ItemDataRole.EditRole) or ""))
            if ready is not None:
                combo.addItems([clause.label for clause in ready.clauses])
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802 (Qt override)
        assert isinstance(editor, QComboBox)
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        position = editor.findData(value) if not editor.isEditable() else editor.findText(value)
        if position >= 0:
            editor.setCurrentIndex(position)
        elif editor.isEditable():
            editor.setEditText(value)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802 (Qt override)
        assert isinstance(editor, QComboBox)
        value = editor.currentText() if editor.isEditable() else editor.currentData()
        model.setData(index, value, Qt.ItemDataRole.EditRole)


# --- the editor ---------------------------------------------------------------------------------


class PolicyEditor(QWidget):
    """The list of policies and the form of the chosen one.

    `activity_selected(id)` asks the canvas to show an element the policy links to (a double
    click on a link); `link_activity(id)` links the chosen policy to an element picked on the
    canvas; `select_policy(id)` shows a policy (a problem that names it, say). `message` carries
    the reason an edit was refused, also shown at the foot of the form.
    """

    activity_selected = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        document: Document,
        push: Callable[[QUndoCommand], None],
        parent=None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._commands = _Commands(push, self._report)
        self.model = PolicyListModel(document, self)
        self._loading = False
        self._build()
        self.model.modelReset.connect(self._after_reset)
        self.model.dataChanged.connect(lambda *_: self._load())
        self._after_reset()

    @property
    def document(self) -> Document:
        return self.model.document

    def set_document(self, document: Document) -> None:
        self.model.set_document(document)

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.list_view = QTableView(self)
        self.list_view.setModel(self.model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.verticalHeader().hide()
        self.list_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.list_view.selectionModel().currentRowChanged.connect(lambda *_: self._load())
        self.new_button = QPushButton("New policy", self)
        self.new_button.clicked.connect(self.add_policy)
        self.delete_button = QPushButton("Delete policy", self)
        self.delete_button.clicked.connect(self.remove_policy)
        list_tools = QHBoxLayout()
        list_tools.addWidget(self.new_button)
        list_tools.addWidget(self.delete_button)
        list_tools.addStretch(1)
        list_side = QWidget(self)
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(list_tools)
        list_layout.addWidget(self.list_view)

        self.form = QWidget(self)
        form = QFormLayout(self.form)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        for name, label in (("identifier", "Identifier"), ("title", "Title")):
            edit = QLineEdit(self.form)
            edit.editingFinished.connect(lambda n=name: self._commit(n))
            self.fields[name] = edit
            form.addRow(label, edit)
        for name, label in (("statement", "Statement"), ("rationale", "Rationale"), ("scope", "Scope")):
            text = QPlainTextEdit(self.form)
            text.setTabChangesFocus(True)
            text.setFixedHeight(64 if name == "statement" else 48)
            text.installEventFilter(self)
            self.fields[name] = text
            form.addRow(label, text)
        self.owner_combo = QComboBox(self.form)
        self.owner_combo.activated.connect(lambda *_: self._commit_owner())
        form.addRow("Owner role", self.owner_combo)
        approver = QLineEdit(self.form)
        approver.editingFinished.connect(lambda: self._commit("approver"))
        self.fields["approver"] = approver
        form.addRow("Approver", approver)
        for name, label in (("effective", "Effective"), ("next_review", "Next review")):
            edit = QLineEdit(self.form)
            edit.setPlaceholderText("YYYY-MM-DD")
            edit.editingFinished.connect(lambda n=name: self._commit(n))
            self.fields[name] = edit
            form.addRow(label, edit)

        self.status_label = QLabel(self.form)
        self.step_date = QDateEdit(self.form)
        self.step_date.setCalendarPopup(True)
        self.step_date.setDisplayFormat("yyyy-MM-dd")
        self.step_date.setToolTip("The date the next lifecycle step is recorded with")
        self.step_actions: dict[str, QPushButton] = {}
        self._step_buttons: dict[str, QPushButton] = {}
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label)
        status_row.addSpacing(12)
        for target in smo.POLICY_STATUSES:
            button = QPushButton(self.form)
            button.clicked.connect(lambda _=False, t=target: self.transition(t))
            button.hide()
            self._step_buttons[target] = button
            status_row.addWidget(button)
        status_row.addWidget(QLabel("on", self.form))
        status_row.addWidget(self.step_date)
        status_row.addStretch(1)
        form.addRow("Status", status_row)
        self.history_label = QLabel(self.form)
        self.history_label.setWordWrap(True)
        form.addRow("History", self.history_label)

        links_box = QGroupBox("Governs (processes and activities)", self.form)
        self.links_list = QListWidget(links_box)
        self.links_list.setToolTip("Double-click to show it on the canvas")
        self.links_list.itemDoubleClicked.connect(self._show_link)
        self.link_button = QToolButton(links_box)
        self.link_button.setText("Link…")
        self.link_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.link_menu = QMenu(self.link_button)
        self.link_menu.aboutToShow.connect(self._fill_link_menu)
        self.link_button.setMenu(self.link_menu)
        self.unlink_button = QPushButton("Unlink", links_box)
        self.unlink_button.clicked.connect(self._unlink_selected)
        links_layout = QVBoxLayout(links_box)
        link_tools = QHBoxLayout()
        link_tools.addWidget(self.link_button)
        link_tools.addWidget(self.unlink_button)
        link_tools.addStretch(1)
        links_layout.addLayout(link_tools)
        links_layout.addWidget(self.links_list)

        frameworks_box = QGroupBox("Framework references", self.form)
        self.framework_model = FrameworkReferenceModel(self._run, self)
        self.framework_view = QTableView(frameworks_box)
        self.framework_view.setModel(self.framework_model)
        self.framework_view.setItemDelegate(FrameworkDelegate(self.framework_view))
        self.framework_view.verticalHeader().hide()
        self.framework_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.framework_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_reference_button = QToolButton(frameworks_box)
        self.add_reference_button.setText("Add reference")
        self.add_reference_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.reference_menu = self._reference_menu()
        self.add_reference_button.setMenu(self.reference_menu)
        self.remove_reference_button = QPushButton("Remove reference", frameworks_box)
        self.remove_reference_button.clicked.connect(self._remove_reference)
        frameworks_layout = QVBoxLayout(frameworks_box)
        reference_tools = QHBoxLayout()
        reference_tools.addWidget(self.add_reference_button)
        reference_tools.addWidget(self.remove_reference_button)
        reference_tools.addStretch(1)
        frameworks_layout.addLayout(reference_tools)
        frameworks_layout.addWidget(self.framework_view)
        form.addRow(links_box)
        form.addRow(frameworks_box)

        self.feedback = QLabel(self)
        self.feedback.setWordWrap(True)
        self.feedback.setStyleSheet("color: #9C0006")
        form_scroll = QScrollArea(self)
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setWidget(self.form)
        self.links_list.setMinimumHeight(72)
        self.links_list.setMaximumHeight(130)
        self.framework_view.setMinimumHeight(150)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(list_side)
        splitter.addWidget(form_scroll)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([380, 820])
        # the list names each policy; owner and review date are in the form beside it
        self.list_view.setColumnHidden(LIST_COLUMNS.index("owner"), True)
        self.list_view.setColumnHidden(LIST_COLUMNS.index("next_review"), True)
        self.list_view.setColumnWidth(0, 84)
        self.list_view.setColumnWidth(2, 80)
        self.list_view.setWordWrap(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.feedback)

    def _reference_menu(self) -> QMenu:
        """Framework → group → clause, from the ready lists; the last item adds a blank row."""
        menu = QMenu(self)
        for ready in frameworks.FRAMEWORKS:
            framework_menu = menu.addMenu(ready.name)
            for group in ready.groups():
                group_menu = framework_menu.addMenu(group)
                for clause in ready.clauses:
                    if clause.group == group:
                        action = group_menu.addAction(clause.label)
                        action.triggered.connect(
                            lambda _=False, f=ready.name, c=clause.label: self.add_reference(f, c, "implements")
                        )
        menu.addSeparator()
        other = menu.addAction("Other framework…")
        other.triggered.connect(lambda: self.add_reference("Framework", "Clause", "related"))
        return menu

    # --- what the user sees -----------------------------------------------------------------

    def current_policy(self) -> smo.Policy | None:
        index = self.list_view.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.policies):
            return None
        return self.model.policies[index.row()]

    def select_policy(self, policy_id: str) -> None:
        """Show a policy (a problem that names it, a link on the canvas)."""
        row = self.model.row_of(policy_id)
        if row is not None:
            self.list_view.setCurrentIndex(self.model.index(row, 0))

    def _after_reset(self) -> None:
        if self.current_policy() is None and self.model.policies:
            self.list_view.setCurrentIndex(self.model.index(0, 0))
        self._load()

    def _load(self) -> None:
        """Fill the form from the model. A field the user is typing in keeps what they typed."""
        policy = self.current_policy()
        self._loading = True
        try:
            self.form.setEnabled(policy is not None)
            self.delete_button.setEnabled(policy is not None)
            roles = smo.roles(self.document)
            self.owner_combo.clear()
            self.owner_combo.addItem("(none)", "")
            for role in roles:
                self.owner_combo.addItem(role.name or role.id, role.id)
            for name, widget in self.fields.items():
                value = getattr(policy, name) if policy is not None else ""
                if isinstance(widget, QLineEdit):
                    if not widget.isModified() and widget.text() != value:
                        widget.setText(value)
                elif not widget.document().isModified() and widget.toPlainText() != value:
                    widget.setPlainText(value)
                    widget.document().setModified(False)
            if policy is not None:
                position = self.owner_combo.findData(policy.owner_role)
                if position < 0:  # an owner that is not in the role catalog: shown, not lost
                    self.owner_combo.addItem(policy.owner_role, policy.owner_role)
                    position = self.owner_combo.count() - 1
                self.owner_combo.setCurrentIndex(position)
            self._load_status(policy)
            self._load_links(policy)
            self.framework_model.show(self.document if policy else None, policy)
        finally:
            self._loading = False

    def _load_status(self, policy: smo.Policy | None) -> None:
        # one button per status a step can lead to, made once and shown when the step is allowed
        self.step_actions = {}
        status = (policy.status or "draft") if policy is not None else ""
        allowed = smo.POLICY_TRANSITIONS.get(status, ())
        for target, button in self._step_buttons.items():
            button.setVisible(target in allowed)
            if target in allowed:
                button.setText(STEP_LABELS.get((status, target), target.capitalize()))
                self.step_actions[target] = button
        if policy is None:
            self.status_label.setText("")
            self.history_label.setText("")
            return
        self.status_label.setText(f"<b>{STATUS_TEXT.get(status, status)}</b>")
        last = policy.history[-1].date if policy.history else ""
        today = self._today()
        self.step_date.setDate(QDate(today.year, today.month, today.day))
        if last:
            minimum = dt.date.fromisoformat(last) if re.match(r"^\d{4}-\d{2}-\d{2}$", last) else None
            if minimum is not None and minimum > today:
                self.step_date.setDate(QDate(minimum.year, minimum.month, minimum.day))
        steps = " → ".join(f"{STATUS_TEXT.get(s.status, s.status)} {s.date}" for s in policy.history)
        self.history_label.setText(steps or "No steps recorded yet")

    def _load_links(self, policy: smo.Policy | None) -> None:
        self.links_list.clear()
        if policy is None:
            return
        for ref in policy.links:
            self.links_list.addItem(self._link_item(ref))

    def _link_item(self, ref: str) -> QListWidgetItem:
        element = self.document.element(ref)
        if element is None:
            text = f"{ref} (not in the model)"
        else:
            kind = "Process" if b.kind(element) == "process" else "Activity"
            text = f"{kind}: {' '.join(b.name(element).split()) or ref}"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, ref)
        return item

    def _report(self, text: str) -> None:
        self.feedback.setText(text)
        self.message.emit(text)

    # --- edits -------------------------------------------------------------------------------

    def _run(self, command: GovernanceCommand) -> bool:
        self.feedback.setText("")
        done = self._commands.run(self.document, command)
        self.model.refresh()
        self._load()
        return done

    def add_policy(self) -> str | None:
        """A new draft policy with the next free identifier, its creation recorded today."""
        today = self._today().isoformat()
        policy = smo.Policy(
            identifier=_next_identifier([p.identifier for p in self.model.policies]),
            title="New policy",
            status="draft",
            history=(smo.StatusChange("draft", today),),
        )
        command = AddPolicyCommand(self.document, policy)
        if not self._run(command) or command.policy_id is None:
            return None
        self.select_policy(command.policy_id)
        self.fields["title"].setFocus()
        return command.policy_id

    def remove_policy(self) -> None:
        policy = self.current_policy()
        if policy is not None:
            row = self.model.row_of(policy.id) or 0
            self._run(RemovePolicyCommand(self.document, policy.id))
            if self.model.policies:
                self.list_view.setCurrentIndex(self.model.index(min(row, len(self.model.policies) - 1), 0))

    def set_field(self, name: str, value: str) -> bool:
        """Change one field of the chosen policy, as the form does when the user leaves a field."""
        policy = self.current_policy()
        if policy is None:
            return False
        value = value.strip() if name not in ("statement", "rationale", "scope") else value.strip("\n ")
        if name in ("identifier", "title", "approver", "effective", "next_review"):
            value = " ".join(value.split())
        if value == getattr(policy, name):
            return True
        refusal = self._refusal(policy, name, value)
        if refusal:
            self._report(refusal)
            self._load_field(name, policy)
            return False
        label = f"Change policy {name.replace('_', ' ')}"
        done = self._run(EditPolicyCommand(self.document, policy.id, label, **{name: value}))
        if not done:
            self._load_field(name, policy)
        return done

    def _refusal(self, policy: smo.Policy, name: str, value: str) -> str:
        if name == "title" and not value:
            return "A policy needs a title"
        if name == "identifier":
            if not value:
                return "A policy needs an identifier, such as POL-001"
            taken = next((p for p in self.model.policies if p.id != policy.id and p.identifier == value), None)
            if taken is not None:
                return f"{value} is already the identifier of '{taken.title or taken.id}'"
        return ""

    def _load_field(self, name: str, policy: smo.Policy) -> None:
        widget = self.fields[name]
        if isinstance(widget, QLineEdit):
            widget.setText(getattr(policy, name))
            widget.setModified(False)
        else:
            widget.setPlainText(getattr(policy, name))
            widget.document().setModified(False)

    def _commit(self, name: str) -> None:
        widget = self.fields[name]
        if self._loading:
            return
        if isinstance(widget, QLineEdit):
            if not widget.isModified():
                return
            widget.setModified(False)
            self.set_field(name, widget.text())
        else:
            if not widget.document().isModified():
                return
            widget.document().setModified(False)
            self.set_field(name, widget.toPlainText())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FocusOut:
            for name, widget in self.fields.items():
                if widget is watched:
                    self._commit(name)
        return super().eventFilter(watched, event)

    def _commit_owner(self) -> None:
        if not self._loading:
            self.set_field("owner_role", str(self.owner_combo.currentData() or ""))

    def transition(self, status: str) -> bool:
        """Take the chosen policy to `status`, recorded with the date beside the buttons."""
        policy = self.current_policy()
        if policy is None:
            return False
        date = self.step_date.date().toString("yyyy-MM-dd")
        return self._run(TransitionPolicyCommand(self.document, policy.id, status, date))

    def link_activity(self, element_id: str) -> bool:
        """Link the chosen policy to a process or an activity (picked on the canvas or in the list)."""
        policy = self.current_policy()
        if policy is None:
            self._report("Choose a policy first, then link it")
            return False
        if element_id in policy.links:
            return True
        return self._run(LinkPolicyCommand(self.document, policy.id, element_id))

    def unlink(self, element_id: str) -> bool:
        policy = self.current_policy()
        if policy is None or element_id not in policy.links:
            return False
        return self._run(UnlinkPolicyCommand(self.document, policy.id, element_id))

    def _unlink_selected(self) -> None:
        item = self.links_list.currentItem()
        if item is not None:
            self.unlink(str(item.data(Qt.ItemDataRole.UserRole)))

    def _show_link(self, item: QListWidgetItem) -> None:
        self.activity_selected.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def link_choices(self) -> list[tuple[str, str]]:
        """(element id, label) of what the chosen policy can link to and does not yet: each
        process, then its activities in flow order."""
        policy = self.current_policy()
        linked = set(policy.links) if policy is not None else set()
        choices: list[tuple[str, str]] = []
        rows = raci.raci_rows(self.document)
        for process in b.processes(self.document):
            if process.id and process.id not in linked:
                choices.append((process.id, f"Process: {b.name(process) or process.id}"))
            for row in rows:
                if row.process_id == process.id and row.activity_id not in linked:
                    lane = f" ({row.lane})" if row.lane else ""
                    choices.append((row.activity_id, f"    {' '.join(row.name.split()) or row.activity_id}{lane}"))
        return choices

    def _fill_link_menu(self) -> None:
        self.link_menu.clear()
        for ident, label in self.link_choices():
            action = QAction(label, self.link_menu)
            action.triggered.connect(lambda _=False, i=ident: self.link_activity(i))
            self.link_menu.addAction(action)
        if self.link_menu.isEmpty():
            self.link_menu.addAction("Everything is linked already").setEnabled(False)

    def add_reference(self, framework: str, clause: str, relation: str = "implements") -> bool:
        policy = self.current_policy()
        if policy is None:
            return False
        reference = smo.FrameworkReference(framework, clause, relation)
        if reference in policy.frameworks:
            self._report(f"The policy already refers to {framework}: {clause}")
            return False
        return self._run(
            EditPolicyCommand(
                self.document, policy.id, "Add framework reference", frameworks=(*policy.frameworks, reference)
            )
        )

    def remove_reference(self, row: int) -> bool:
        policy = self.current_policy()
        if policy is None or not 0 <= row < len(policy.frameworks):
            return False
        remaining = policy.frameworks[:row] + policy.frameworks[row + 1 :]
        return self._run(
            EditPolicyCommand(self.document, policy.id, "Remove framework reference", frameworks=remaining)
        )

    def _remove_reference(self) -> None:
        index = self.framework_view.currentIndex()
        if index.isValid():
            self.remove_reference(index.row())


def _next_identifier(taken: list[str]) -> str:
    """After IM-POL-04 comes IM-POL-05 (the last identifier's number plus one, same width);
    POL-001 when there is none to follow."""
    used = set(taken)
    pattern = next((m for ident in reversed(taken) if (m := re.match(r"^(.*?)(\d+)$", ident))), None)
    prefix, number, width = (
        (pattern.group(1), int(pattern.group(2)), len(pattern.group(2))) if pattern else ("POL-", 0, 3)
    )
    while True:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"
        if candidate not in used:
            return candidate
