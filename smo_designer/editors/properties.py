"""The properties panel: name, type, trigger, documentation and lane role of the selection
(editors layer).

Every field commits through the canvas's `run` (one command per change), so editing here is
undone like any edit on the canvas.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..model import bpmn as b
from ..model import smo
from ..model.document import Document
from ..model.element import Element
from ..modeling import shapes

Run = Callable[[str, Callable[[Document], object]], object]

TASK_KINDS = [
    ("Task", "task"),
    ("User task", "userTask"),
    ("Manual task", "manualTask"),
    ("Service task", "serviceTask"),
    ("Send task", "sendTask"),
    ("Receive task", "receiveTask"),
    ("Script task", "scriptTask"),
    ("Business rule task", "businessRuleTask"),
    ("Call activity", "callActivity"),
    ("Sub-process", "subProcess"),
    ("Transaction", "transaction"),
    ("Ad-hoc sub-process", "adHocSubProcess"),
]
EVENT_KINDS = [
    ("Start event", "startEvent"),
    ("Intermediate catch event", "intermediateCatchEvent"),
    ("Intermediate throw event", "intermediateThrowEvent"),
    ("End event", "endEvent"),
]
GATEWAY_KINDS = [
    ("Exclusive gateway", "exclusiveGateway"),
    ("Parallel gateway", "parallelGateway"),
    ("Inclusive gateway", "inclusiveGateway"),
    ("Event-based gateway", "eventBasedGateway"),
    ("Complex gateway", "complexGateway"),
]
TRIGGERS = [
    ("None", "none"),
    ("Message", "message"),
    ("Timer", "timer"),
    ("Conditional", "conditional"),
    ("Signal", "signal"),
    ("Escalation", "escalation"),
    ("Error", "error"),
    ("Compensation", "compensate"),
    ("Link", "link"),
    ("Terminate", "terminate"),
    ("Cancel", "cancel"),
]


def kinds_for(element: Element) -> list[tuple[str, str]]:
    """The types an element can be replaced by, keeping its connections."""
    local = element.local
    if local in b.ACTIVITY_TYPES:
        return TASK_KINDS
    if local in b.EVENT_TYPES and local != "boundaryEvent":
        return EVENT_KINDS
    if local in b.GATEWAY_TYPES:
        return GATEWAY_KINDS
    return []


class PropertiesPanel(QWidget):
    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self.document: Document | None = None
        self.plane: Element | None = None
        self.element: Element | None = None
        self._updating = False
        self.heading = QLabel("Nothing selected")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name")
        self.name.editingFinished.connect(self._commit_name)
        self.kind = QComboBox()
        self.kind.activated.connect(self._commit_kind)
        self.trigger = QComboBox()
        for label, value in TRIGGERS:
            self.trigger.addItem(label, value)
        self.trigger.activated.connect(self._commit_trigger)
        self.role = QComboBox()
        self.role.activated.connect(self._commit_role)
        self.documentation = _DocumentationEdit(self._commit_documentation)
        self.documentation.setPlaceholderText("What happens here, in the words of the process guide")
        self.raci = QLabel()
        self.raci.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Type", self.kind)
        form.addRow("Trigger", self.trigger)
        form.addRow("Role", self.role)
        form.addRow("RACI", self.raci)
        form.addRow("Documentation", self.documentation)
        self._form = form
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addStretch(1)
        self.show_element(None, None, None)

    def show_element(self, document: Document | None, plane: Element | None, element: Element | None) -> None:
        self._updating = True
        try:
            self.document, self.plane, self.element = document, plane, element
            enabled = element is not None and document is not None
            for widget in (self.name, self.kind, self.trigger, self.role, self.documentation):
                widget.setEnabled(enabled)
            if not enabled:
                self.heading.setText("Select a shape or flow to see and edit its properties")
                self.name.clear()
                self.documentation.setPlainText("")
                self._show_rows(kind=False, trigger=False, role=False, raci=False)
                return
            assert element is not None and document is not None
            self.heading.setText(f"<b>{_words(element.local).capitalize()}</b> · <code>{element.id}</code>")
            self.name.setText(shapes.label_text(element))
            self.documentation.setPlainText(b.documentation(element))
            kinds = kinds_for(element)
            self.kind.clear()
            for label, value in kinds:
                self.kind.addItem(label, value)
            self.kind.setCurrentIndex(max(0, self.kind.findData(element.local)))
            is_event = element.local in b.EVENT_TYPES
            if is_event:
                self.trigger.setCurrentIndex(max(0, self.trigger.findData(b.event_trigger(element))))
            is_lane = element.local == "lane"
            if is_lane:
                self.role.clear()
                self.role.addItem("(no role)", "")
                for role in smo.roles(document):
                    self.role.addItem(role.name, role.id)
                self.role.setCurrentIndex(max(0, self.role.findData(smo.lane_role(element) or "")))
            is_activity = element.local in b.ACTIVITY_TYPES
            if is_activity:
                names = {role.id: role.name for role in smo.roles(document)}
                cells = smo.raci(element)
                parts = [f"{letters}: {names.get(role, role)}" for role, letters in cells.items()]
                self.raci.setText(" · ".join(parts) or "No RACI yet: fill it in the RACI panel")
            self._show_rows(kind=bool(kinds), trigger=is_event, role=is_lane, raci=is_activity)
        finally:
            self._updating = False

    def _show_rows(self, *, kind: bool, trigger: bool, role: bool, raci: bool) -> None:
        for widget, visible in ((self.kind, kind), (self.trigger, trigger), (self.role, role), (self.raci, raci)):
            self._form.setRowVisible(widget, visible)

    def refresh(self) -> None:
        """Re-read the shown element (after an undo, say); it may be gone."""
        element = self.element
        if element is not None and self.document is not None and self.document.element(element.id) is not element:
            element = self.document.element(element.id)
        self.show_element(self.document, self.plane, element)

    def _commit_name(self) -> None:
        element = self.element
        if self._updating or element is None:
            return
        text = self.name.text()
        if text != shapes.label_text(element):
            self._run("Rename", lambda doc: shapes.set_label(doc, element, text))

    def _commit_documentation(self) -> None:
        element = self.element
        if self._updating or element is None:
            return
        text = self.documentation.toPlainText()
        if text != b.documentation(element):
            self._run("Edit documentation", lambda doc: b.set_documentation(doc, element, text))

    def _commit_kind(self) -> None:
        element, plane = self.element, self.plane
        new_local = self.kind.currentData()
        if self._updating or element is None or plane is None or new_local == element.local:
            return
        trigger = b.event_trigger(element) if element.local in b.EVENT_TYPES else None
        result = self._run(
            "Change type",
            lambda doc: shapes.replace_element(doc, plane, element, new_local, trigger=trigger),
        )
        if isinstance(result, Element):
            self.show_element(self.document, plane, result)

    def _commit_trigger(self) -> None:
        element, plane = self.element, self.plane
        trigger = self.trigger.currentData()
        if self._updating or element is None or plane is None or trigger == b.event_trigger(element):
            return
        result = self._run(
            "Change trigger",
            lambda doc: shapes.replace_element(doc, plane, element, element.local, trigger=trigger),
        )
        if isinstance(result, Element):
            self.show_element(self.document, plane, result)

    def _commit_role(self) -> None:
        element = self.element
        role = self.role.currentData() or None
        if self._updating or element is None or role == smo.lane_role(element):
            return
        self._run("Set lane role", lambda doc: smo.set_lane_role(doc, element, role))


class _DocumentationEdit(QPlainTextEdit):
    """Commits when focus leaves, so one sitting of typing is one undo step."""

    def __init__(self, commit: Callable[[], None]) -> None:
        super().__init__()
        self._commit = commit
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self._commit()


def _words(local: str) -> str:
    return "".join(" " + c.lower() if c.isupper() else c for c in local)
