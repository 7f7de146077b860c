"""Step tables: the steps a workshop names (step, role, kind, next, description) read from Excel or
CSV into a new swimlane document, and the field-by-field edits of quick capture (formats layer:
openpyxl and the csv module, no Qt).

A step is a flow node directly in the captured process: a task, a decision (exclusive gateway),
a parallel gateway, a sub-process or an event. Its number is its position among those nodes in
document order, so numbers stay put while a workshop types, and an imported table keeps its row
order. The step's role is the role its lane is bound to (the lane's partitionElementRef); a
task's role also holds R in the RACI. "Next" names the steps its sequence flows lead to, by
number or by name, optionally with a label ("yes: 4"). The format is described in
docs/workshop.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..layout.autolayout import create_planes, layout_diagram
from ..model import bpmn as b
from ..model import di, raci, smo
from ..model.document import Document, check_xml_text
from ..model.element import Element
from ..model.namespaces import bpmn
from ..model.references import references_to
from ..modeling import lanes as lane_editing
from ..modeling import shapes
from .workbook_files import WorkbookRefused, check_workbook_file

# --- limits: a step table is a page or two of a workshop, never a data dump -----------------------

MAX_STEPS = 10_000
MAX_NAME = 500  # characters in a step or role name
MAX_DESCRIPTION = 32_767  # what one Excel cell holds
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_XLSX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # all parts of a workbook together, unpacked
HEADER_SEARCH_ROWS = 20  # a title block above the header row is common
BLANK_ROWS_END = 1_000  # this many blank rows in a row end the table (formatted empty rows)
MAX_AHEAD = 20  # quick capture: "next 12" may create the steps up to 12, but not hundreds by a typo

# --- kinds ---------------------------------------------------------------------------------------

KINDS = ("task", "decision", "event")
# what a step's kind column may say → (family, the BPMN element; for events a start/end hint)
_KIND_WORDS: dict[str, tuple[str, str | None]] = {}
for _words, _meaning in (
    (("task", "activity", "step", "action", "process", "user task", "manual task"), ("task", "task")),
    (
        ("decision", "gateway", "xor", "exclusive gateway", "choice", "question", "branch"),
        ("decision", "exclusiveGateway"),
    ),
    (("parallel", "parallel gateway", "and", "fork", "join"), ("parallel", "parallelGateway")),
    (("sub-process", "subprocess", "sub process", "collapsed sub-process"), ("sub-process", "subProcess")),
    (("event", "intermediate event", "milestone", "intermediate"), ("event", None)),
    (("start", "start event", "trigger", "begin"), ("event", "startEvent")),
    (("end", "end event", "stop", "finish", "done"), ("event", "endEvent")),
):
    for _word in _words:
        _KIND_WORDS[_word] = _meaning

KIND_HELP = "task, decision or event (also start, end, parallel, sub-process)"
_NONE_EVENTS = ("startEvent", "endEvent", "intermediateThrowEvent")


class StepError(ValueError):
    """An entry a step cannot take, with a message for the user."""


def normalize(text: str) -> str:
    """How names are compared: spaces collapsed, case ignored."""
    return " ".join(text.split()).casefold()


def parse_kind(text: str) -> tuple[str, str | None]:
    """(family, element or hint) for what a kind cell says; an empty cell is a task."""
    key = normalize(text).replace("_", " ")
    if not key:
        return "task", "task"
    meaning = _KIND_WORDS.get(key) or _KIND_WORDS.get(key.removesuffix("s"))
    if meaning is None:
        raise StepError(f"unknown kind '{' '.join(text.split())}': use {KIND_HELP}")
    return meaning


def family(element: Element) -> str:
    """The kind a step shows in the table: task, decision, parallel, sub-process or event."""
    local = element.local
    if local in b.GATEWAY_TYPES:
        return "parallel" if local == "parallelGateway" else "decision"
    if local in b.SUBPROCESS_TYPES:
        return "sub-process"
    if local in b.EVENT_TYPES:
        return "event"
    return "task"


def kind_label(element: Element) -> str:
    """The kind as the table writes it: events say which (start event, end event)."""
    if element.local == "startEvent":
        return "start event"
    if element.local == "endEvent":
        return "end event"
    return family(element)


def split_next(text: str) -> list[str]:
    """The entries of a next cell: separated by commas, semicolons, bars or line breaks."""
    return [part for part in (" ".join(p.split()) for p in re.split(r"[,;|\n]", text)) if part]


def _resolve_entry(entry: str, lookup: Callable[[str], object | None]) -> tuple[str, object]:
    """(label, target) for one next entry: the entry names a step, or is 'label: step'.
    `lookup` returns the step an entry names, None when none, or raises StepError."""
    found = lookup(entry)
    if found is not None:
        return "", found
    label, colon, rest = entry.partition(":")
    if colon and label.strip() and rest.strip():
        found = lookup(rest.strip())
        if found is not None:
            return label.strip(), found
    raise StepError(f"there is no step '{entry}': give a step's number or name")


# --- reading a document as steps -----------------------------------------------------------------


@dataclass(frozen=True)
class StepRow:
    """One step as the quick-capture table shows it."""

    element_id: str
    number: int
    name: str
    role_id: str
    role: str
    kind: str
    next: str
    description: str


def capture_target(document: Document) -> tuple[Element | None, Element | None]:
    """(process, plane) quick capture works on: the process of the first diagram (of its first
    pool when the diagram draws a collaboration), else the first process; the first plane."""
    plane = next((p for d in di.diagrams(document) if (p := di.plane(d)) is not None), None)
    if plane is not None:
        root = document.element(_ref(plane.get("bpmnElement")))
        if root is not None and root.local == "process":
            return root, plane
        if root is not None and root.local == "collaboration":
            for participant in root.findall(bpmn("participant")):
                process = document.element(_ref(participant.get("processRef")))
                if process is not None and process.local == "process":
                    return process, plane
    processes = b.processes(document)
    return (processes[0] if processes else None), plane


def step_nodes(process: Element) -> list[Element]:
    """The steps of a process in document order (boundary events belong to their activity)."""
    return [c for c in process.children if b.kind(c) in b.FLOW_NODE_TYPES and c.local != "boundaryEvent"]


def read_steps(document: Document) -> list[StepRow]:
    process, _plane = capture_target(document)
    if process is None:
        return []
    nodes = step_nodes(process)
    number = {node.id: index for index, node in enumerate(nodes, 1) if node.id}
    innermost = _innermost_lanes(process)
    role_names = {role.id: role.name for role in smo.roles(document)}
    outgoing: dict[str, list[Element]] = {}
    for flow in process.findall(bpmn("sequenceFlow")):
        outgoing.setdefault(_ref(flow.get("sourceRef")), []).append(flow)
    rows = []
    for index, node in enumerate(nodes, 1):
        ident = node.id or ""
        role_id, role = _role_of(document, node, innermost.get(ident), role_names)
        entries = []
        for flow in outgoing.get(ident, []):
            target = _ref(flow.get("targetRef"))
            if target in number:
                shown = str(number[target])
            else:
                other = document.element(target)
                shown = (b.name(other) if other is not None else "") or target
            entries.append(f"{b.name(flow)}: {shown}" if b.name(flow) else shown)
        rows.append(
            StepRow(
                ident, index, b.name(node), role_id, role, kind_label(node), ", ".join(entries), b.documentation(node)
            )
        )
    return rows


def _innermost_lanes(process: Element) -> dict[str, Element]:
    innermost: dict[str, Element] = {}
    for lane in b.lanes(process):  # nested lanes come after their parents: the innermost wins
        for ref in lane.findall(bpmn("flowNodeRef")):
            innermost[(ref.text or "").strip()] = lane
    return innermost


def _role_of(document: Document, node: Element, lane: Element | None, names: dict[str, str]) -> tuple[str, str]:
    """The step's role: its lane's (or an enclosing lane's) role, else the lane's name, else the
    role holding R."""
    if lane is not None:
        role_id = raci.lane_role_of(document, lane.id or "")
        if role_id and role_id in names:
            return role_id, names[role_id]
        return "", b.name(lane)
    if node.local in b.ACTIVITY_TYPES:
        for role_id, letters in smo.raci(node).items():
            if "R" in letters and role_id in names:
                return role_id, names[role_id]
    return "", ""


def _ref(value: str | None) -> str:
    return value.rpartition(":")[2].strip() if value else ""


# --- editing steps (quick capture: each call is one command's edit) -------------------------------

FIELDS = ("name", "role", "kind", "next", "description")


def edit_step(document: Document, element_id: str | None, field_name: str, text: str) -> str:
    """Set one field of one step as typed in the table (element_id None: a new step at the end)
    and lay the diagram out again when steps, lanes or flows changed. Returns the step's id;
    raises StepError for an entry the step cannot take (the caller's edit then rolls back)."""
    if field_name not in FIELDS:
        raise ValueError(f"unknown step field {field_name!r}")
    process, plane = _ensure_target(document)
    structural = False
    if element_id is None:
        node = _new_step(document, process, "task")
        structural = True
    else:
        found = document.element(element_id)
        if found is None or found.parent is not process or found not in step_nodes(process):
            raise StepError("that step is no longer in the process")
        node = found
    if field_name == "name":
        name = _checked_name(text, "a step's name")
        shapes.set_label(document, node, name)
    elif field_name == "description":
        b.set_documentation(document, node, _checked_text(text.strip(), MAX_DESCRIPTION, "a description"))
    elif field_name == "role":
        structural |= _set_role(document, process, plane, node, text)
    elif field_name == "kind":
        node, changed = _set_kind(document, process, plane, node, text)
        structural |= changed
    else:
        structural |= _set_next(document, process, plane, node, text)
    if structural:
        layout_diagram(document, plane)
    return node.id or ""


def delete_steps(document: Document, element_ids: Iterable[str]) -> None:
    """Delete steps with their flows; lanes they leave empty go too. Lays the diagram out again."""
    process, plane = _ensure_target(document)
    doomed = [node for ident in element_ids if (node := document.element(ident)) is not None]
    if not doomed:
        return
    lanes_before = [lane for node in doomed for lane in _lanes_listing(process, node)]
    doomed_ids = {node.id for node in doomed}
    neighbours = set()
    for flow in process.findall(bpmn("sequenceFlow")):
        ends = (_ref(flow.get("sourceRef")), _ref(flow.get("targetRef")))
        if doomed_ids.intersection(ends):
            neighbours.update(ends)
    shapes.delete_elements(document, doomed)
    _settle_events(document, plane, process, neighbours - doomed_ids)
    _drop_emptied_lanes(document, process, lanes_before)
    layout_diagram(document, plane)


def _ensure_target(document: Document) -> tuple[Element, Element]:
    process, plane = capture_target(document)
    if process is None:
        process = b.create(document, document.root, "process", {"isExecutable": "false"}, id_prefix="Process")
    if plane is None:
        plane = create_planes(document, [process])[0]
    return process, plane


def _new_step(document: Document, process: Element, local: str, name: str = "") -> Element:
    attributes = {"name": name} if name else {}
    return b.create(document, process, local, attributes, id_prefix=shapes.id_prefix(local))


def _checked_name(text: str, what: str) -> str:
    name = " ".join(text.split())
    return _checked_text(name, MAX_NAME, what)


def _checked_text(text: str, limit: int, what: str) -> str:
    if len(text) > limit:
        raise StepError(f"{what} is longer than {limit:,} characters")
    try:
        return check_xml_text(text)
    except ValueError as error:
        raise StepError(f"{what}: {error}") from None


# roles and lanes


def find_role(document: Document, name: str) -> Element | None:
    wanted = normalize(name)
    for resource in b.resources(document):
        if normalize(b.name(resource)) == wanted:
            return resource
    return None


def role_lane(document: Document, process: Element, plane: Element | None, name: str) -> tuple[str, Element]:
    """The role called `name` (created when there is none) and the process's lane for it: the lane
    bound to it, else an unbound lane of that name (then bound), else a new lane at the bottom.
    The first lane of a process that no pool stands for on the plane puts it in a pool."""
    role = find_role(document, name)
    role_id = (role if role is not None else smo.add_role(document, name)).get("id") or ""
    lanes = b.lanes(process)
    lane = next((lane for lane in lanes if smo.lane_role(lane) == role_id), None)
    if lane is None:
        lane = next(
            (
                lane
                for lane in lanes
                if not smo.lane_role(lane)
                and normalize(b.name(lane)) == normalize(name)
                and lane.find(bpmn("childLaneSet")) is None
            ),
            None,
        )
        if lane is not None:
            smo.set_lane_role(document, lane, role_id)
    if lane is None:
        if not lanes and plane is not None:
            _ensure_pool(document, process, plane)
        lane_set = process.find(bpmn("laneSet")) or b.create(document, process, "laneSet", id_prefix="LaneSet")
        lane = b.create(document, lane_set, "lane", {"name": " ".join(name.split())}, id_prefix="Lane")
        smo.set_lane_role(document, lane, role_id)
    return role_id, lane


def _ensure_pool(document: Document, process: Element, plane: Element) -> None:
    """A swimlane diagram is a pool: a process diagram becomes a collaboration with one pool."""
    if any(_ref(p.get("processRef")) == process.id for p in b.participants(document)):
        return
    if document.element(_ref(plane.get("bpmnElement"))) is not process:
        return
    collaboration = b.create(document, document.root, "collaboration", id_prefix="Collaboration")
    name = b.name(process) or document.root.get("name") or "Process"
    b.create(
        document,
        collaboration,
        "participant",
        {"name": name, "processRef": process.id or ""},
        id_prefix="Participant",
    )
    document.set_attribute(plane, "bpmnElement", collaboration.id)


def _lanes_listing(process: Element, node: Element) -> list[Element]:
    return [
        lane
        for lane in b.lanes(process)
        if any((r.text or "").strip() == node.id for r in lane.findall(bpmn("flowNodeRef")))
    ]


def _put_in_lane(document: Document, process: Element, node: Element, lane: Element | None) -> None:
    """List the node in `lane` and the lanes round it, and in no other lane of the process."""
    wanted: list[Element] = []
    current: Element | None = lane
    while current is not None and current.local == "lane":
        wanted.append(current)
        lane_set = current.parent
        current = lane_set.parent if lane_set is not None and lane_set.local == "childLaneSet" else None
    for other in b.lanes(process):
        refs = [r for r in other.findall(bpmn("flowNodeRef")) if (r.text or "").strip() == node.id]
        keep = any(other is w for w in wanted)
        for ref in refs[1:] if keep else refs:
            document.remove(ref)
        if keep and not refs:
            b.create(document, other, "flowNodeRef", text=node.id)


def _set_role(document: Document, process: Element, plane: Element, node: Element, text: str) -> bool:
    name = _checked_name(text, "a role's name")
    old_lanes = _lanes_listing(process, node)
    names = {role.id: role.name for role in smo.roles(document)}
    old_role, _shown = _role_of(document, node, _innermost_lanes(process).get(node.id or ""), names)
    if not name:
        if not old_lanes and not old_role:
            return False
        _put_in_lane(document, process, node, None)
        if old_role and node.local in b.ACTIVITY_TYPES:
            _take_letter(document, node, old_role, "R")
        _drop_emptied_lanes(document, process, old_lanes)
        return True
    role_id, lane = role_lane(document, process, plane, name)
    innermost = _innermost_lanes(process).get(node.id or "")
    responsible = node.local not in b.ACTIVITY_TYPES or "R" in smo.raci(node).get(role_id, "")
    if role_id == old_role and innermost is lane and responsible:
        return False
    _put_in_lane(document, process, node, lane)
    if node.local in b.ACTIVITY_TYPES:
        if old_role and old_role != role_id:
            _take_letter(document, node, old_role, "R")
        _give_letter(document, node, role_id, "R")
    _drop_emptied_lanes(document, process, old_lanes)
    return True


def _give_letter(document: Document, node: Element, role_id: str, letter: str) -> None:
    letters = smo.raci(node).get(role_id, "")
    if letter not in letters:
        smo.set_raci(document, node, role_id, letters + letter)


def _take_letter(document: Document, node: Element, role_id: str, letter: str) -> None:
    letters = smo.raci(node).get(role_id, "")
    if letter in letters:
        smo.set_raci(document, node, role_id, letters.replace(letter, ""))


def _drop_emptied_lanes(document: Document, process: Element, lanes: Iterable[Element]) -> None:
    """Lanes a step left and that hold nothing now go, so that a mistyped role leaves no empty
    lane behind; the role goes with its lane when nothing else names it and it has no
    description (a role from the catalog, or described by someone, stays)."""
    for lane in dict.fromkeys(lanes):
        if lane.parent is None or lane.find(bpmn("childLaneSet")) is not None:
            continue
        if lane.findall(bpmn("flowNodeRef")) or process not in lane.ancestors():
            continue
        role_id = smo.lane_role(lane)
        lane_editing.delete_lane(document, None, lane)
        role = document.element(role_id) if role_id else None
        if role is not None and role.local == "resource" and not references_to(document, role_id or ""):
            if not b.documentation(role) and role.find(bpmn("extensionElements")) is None:
                document.remove(role)


# kinds


def _set_kind(document: Document, process: Element, plane: Element, node: Element, text: str) -> tuple[Element, bool]:
    wanted_family, local = parse_kind(text)
    incoming, outgoing = _flow_counts(process, node.id or "")
    if wanted_family == "event":
        if local == "startEvent" and incoming:
            raise StepError("a start event cannot follow another step: remove it from their next steps first")
        if local == "endEvent" and outgoing:
            raise StepError("an end event has no next step: clear its next steps first")
    if family(node) == wanted_family:
        if wanted_family != "event" or node.local not in _NONE_EVENTS or b.event_definitions(node):
            return node, False
        local = _event_local(incoming, outgoing, local or node.local)
        if local == node.local:
            return node, False
        return shapes.replace_element(document, plane, node, local), True
    if wanted_family == "event":
        local = _event_local(incoming, outgoing, local)
    assert local is not None
    role_id = ""
    if node.local in b.ACTIVITY_TYPES:
        for each, _letters in smo.raci(node).items():
            smo.set_raci(document, node, each, "")  # a RACI row belongs to activities only
    else:
        names = {role.id: role.name for role in smo.roles(document)}
        role_id, _shown = _role_of(document, node, _innermost_lanes(process).get(node.id or ""), names)
    new = shapes.replace_element(document, plane, node, local)
    if local in b.ACTIVITY_TYPES and role_id:
        _give_letter(document, new, role_id, "R")
    return new, True


def _event_local(incoming: int, outgoing: int, hint: str | None) -> str:
    """What a plain event is, from where it stands: nothing before it, a start; nothing after
    it, an end; both, an intermediate event. An event on its own is what was asked."""
    if not incoming and not outgoing:
        return hint if hint in ("startEvent", "endEvent") else "startEvent"
    if not incoming:
        return "startEvent"
    if not outgoing:
        return "endEvent"
    return "intermediateThrowEvent"


def _flow_counts(process: Element, ident: str) -> tuple[int, int]:
    incoming = outgoing = 0
    for flow in process.findall(bpmn("sequenceFlow")):
        incoming += _ref(flow.get("targetRef")) == ident
        outgoing += _ref(flow.get("sourceRef")) == ident
    return incoming, outgoing


def _settle_events(document: Document, plane: Element, process: Element, ids: Iterable[str]) -> None:
    """Plain events whose flows changed become the start, end or intermediate event their place
    asks for (a start event cannot have a flow in, nor an end event one out)."""
    for ident in dict.fromkeys(ids):
        node = document.element(ident)
        if node is None or node.parent is not process or node.local not in _NONE_EVENTS:
            continue
        if b.event_definitions(node) or node.find(bpmn("eventDefinitionRef")) is not None:
            continue
        local = _event_local(*_flow_counts(process, ident), node.local)
        if local != node.local:
            shapes.replace_element(document, plane, node, local)


# next steps


def _set_next(document: Document, process: Element, plane: Element, node: Element, text: str) -> bool:
    steps = step_nodes(process)
    changed = False

    def lookup(entry: str) -> Element | None:
        nonlocal changed
        if entry.isdigit():
            number = int(entry)
            if 1 <= number <= len(steps):
                return steps[number - 1]
            if len(steps) < number <= len(steps) + MAX_AHEAD:
                while len(steps) < number:  # the steps up to it, to be named in their rows
                    steps.append(_new_step(document, process, "task"))
                changed = True
                return steps[number - 1]
            raise StepError(f"there is no step {number}: the steps are numbered 1 to {len(steps)}")
        matches = [step for step in steps if normalize(b.name(step)) == normalize(entry)]
        if len(matches) > 1:
            numbers = ", ".join(str(steps.index(m) + 1) for m in matches)
            raise StepError(f"several steps are called '{entry}' ({numbers}): give the number")
        return matches[0] if matches else None

    wanted: dict[str, tuple[Element, str]] = {}
    for entry in split_next(_checked_text(text, MAX_DESCRIPTION, "the next steps")):
        label, target = _resolve_entry(entry, lookup)
        assert isinstance(target, Element)
        wanted.setdefault(target.id or "", (target, _checked_name(label, "a flow's label")))
    touched = {node.id or ""}
    kept: set[str] = set()
    for flow in [f for f in process.findall(bpmn("sequenceFlow")) if _ref(f.get("sourceRef")) == node.id]:
        target_id = _ref(flow.get("targetRef"))
        if target_id in wanted and target_id not in kept:
            kept.add(target_id)
            b.set_name(document, flow, wanted[target_id][1])
        else:
            shapes.delete_elements(document, [flow])
            touched.add(target_id)
            changed = True
    for target_id, (target, label) in wanted.items():
        if target_id not in kept:
            connect_steps(document, process, node, target, label)
            touched.add(target_id)
            changed = True
    _settle_events(document, plane, process, touched)
    return changed


def connect_steps(document: Document, process: Element, source: Element, target: Element, label: str = "") -> Element:
    """A sequence flow between two steps, with the incoming and outgoing references; drawn by
    the next layout."""
    attributes = {"name": label} if label else {}
    attributes.update({"sourceRef": source.id or "", "targetRef": target.id or ""})
    flow = b.create(document, process, "sequenceFlow", attributes, id_prefix="Flow")
    b.create(document, source, "outgoing", text=flow.id)
    b.create(document, target, "incoming", text=flow.id)
    return flow


# --- reading a step table ---------------------------------------------------------------------------

# header synonyms, compared after normalize() with '_' and '-' as spaces and trailing ':' '.' '?' '*' cut
_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "step id", "no", "nr", "number", "step no", "step number", "step nr", "#", "ref", "process step id"),
    "step": (
        "step",
        "step name",
        "name",
        "activity",
        "activity name",
        "task",
        "task name",
        "process step",
        "title",
        "what",
    ),
    "role": (
        "role",
        "who",
        "actor",
        "lane",
        "swimlane",
        "swim lane",
        "function",
        "responsible",
        "owner",
        "performer",
        "department",
        "team",
    ),
    "kind": ("kind", "type", "shape", "shape type", "step type", "element", "element type"),
    "next": (
        "next",
        "next step",
        "next steps",
        "next step id",
        "next step ids",
        "successor",
        "successors",
        "goes to",
        "then",
        "followed by",
    ),
    "description": (
        "description",
        "details",
        "detail",
        "notes",
        "note",
        "documentation",
        "comment",
        "comments",
        "text",
    ),
}
_HEADER_OF = {synonym: column for column, synonyms in _HEADERS.items() for synonym in synonyms}


@dataclass(frozen=True)
class StepProblem:
    """A reason a table is refused: a row (as the spreadsheet numbers it) or the whole file."""

    row: int | None
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}" if self.row is not None else self.message


@dataclass(frozen=True)
class TableStep:
    row: int
    ident: str  # the id column's value; "" without an id column
    name: str
    role: str  # as written, or the role of the row above when the cell was empty
    kind: str
    next: str | None  # None: the table has no next column
    description: str


@dataclass
class StepTable:
    source: str
    steps: list[TableStep] = field(default_factory=list)
    problems: list[StepProblem] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)


@dataclass
class StepImport:
    """The outcome of an import: a document, or the problems and no document at all."""

    source: str
    document: Document | None = None
    problems: list[StepProblem] = field(default_factory=list)
    steps: int = 0
    roles: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None and not self.problems

    def report(self) -> list[str]:
        return [str(problem) for problem in self.problems]


class _Refused(Exception):
    """The file as a whole cannot be read as a step table."""


def read_step_table(path: str | os.PathLike[str]) -> StepTable:
    """The steps of an .xlsx or .csv table and every problem found in them, row by row. The table
    is read whole and checked whole: a caller imports nothing when there is any problem."""
    path = Path(path)
    table = StepTable(path.name)
    try:
        if not path.exists():
            raise _Refused("the file does not exist")
        if path.is_dir():
            raise _Refused("is a folder, not a table")
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            rows = _xlsx_rows(path)
        elif suffix in (".csv", ".txt", ".tsv"):
            rows = _csv_rows(path)
        elif suffix == ".xls":
            raise _Refused("an old .xls workbook: save it as .xlsx (Excel Workbook) or .csv and import that")
        else:
            raise _Refused("not a step table: choose an Excel workbook (.xlsx) or a CSV file (.csv)")
        _read_table(rows, table)
    except _Refused as refusal:
        table.problems.append(StepProblem(None, f"{path.name}: {refusal}"))
        table.steps.clear()
    except OSError as error:
        table.problems.append(StepProblem(None, f"{path.name}: cannot be read: {error.strerror or error}"))
        table.steps.clear()
    return table


def _header_key(text: str) -> str:
    return normalize(text.replace("_", " ").replace("-", " ")).rstrip(":.?* ")


def _read_table(rows: Iterator[tuple[int, list[str]]], table: StepTable) -> None:
    header: dict[str, int] | None = None
    seen_rows: list[list[str]] = []
    for number, cells in rows:
        if header is None:
            if not any(cells):
                continue
            seen_rows.append(cells)
            found: dict[str, int] = {}
            for index, cell in enumerate(cells):
                column = _HEADER_OF.get(_header_key(cell))
                if column is not None and column not in found:
                    found[column] = index
            if "step" in found and "role" in found:
                header = found
                table.columns = found
            elif len(seen_rows) >= HEADER_SEARCH_ROWS:
                break
            continue
        if not any(cells):
            continue
        if len(table.steps) >= MAX_STEPS:
            raise _Refused(f"more than {MAX_STEPS:,} steps: a step table this long is not a workshop's; split it")
        table.steps.append(_table_step(number, cells, header))
    if header is None:
        first = next((row for row in seen_rows if any(row)), None)
        if first is None:
            raise _Refused("the table is empty: write a header row (step, role, kind, next, description) and the steps")
        found = {_HEADER_OF.get(_header_key(cell)) for cell in first}
        missing = [name for name in ("step", "role") if name not in found]
        shown = ", ".join(f"'{cell}'" for cell in first if cell)[:200]
        raise _Refused(
            f"no header row naming the columns step and role (missing: {', '.join(missing)}; the first row reads "
            f"{shown}); the columns are step, role, kind, next, description"
        )
    if not table.steps:
        raise _Refused("the table has a header row but no steps")
    _check_table(table)


def _table_step(number: int, cells: list[str], header: dict[str, int]) -> TableStep:
    def cell(column: str) -> str:
        index = header.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    return TableStep(
        row=number,
        ident=" ".join(cell("id").split()),
        name=" ".join(cell("step").split()),
        role=" ".join(cell("role").split()),
        kind=cell("kind"),
        next=cell("next") if "next" in header else None,
        description=cell("description").strip(),
    )


def _check_table(table: StepTable) -> None:
    """Fill roles left empty from the row above, and report every bad row."""
    problems = table.problems
    has_ids = "id" in table.columns
    steps: list[TableStep] = []
    previous_role = ""
    first_of: dict[str, int] = {}
    for step in table.steps:
        errors: list[str] = []
        if not step.name:
            errors.append("the step has no name")
        for text, limit, what in (
            (step.name, MAX_NAME, "the name"),
            (step.role, MAX_NAME, "the role"),
            (step.description, MAX_DESCRIPTION, "the description"),
            (step.next or "", MAX_DESCRIPTION, "the next steps"),
        ):
            try:
                _checked_text(text, limit, what)
            except StepError as error:
                errors.append(str(error))
        role = step.role or previous_role
        if not role:
            errors.append("the first step has no role (an empty role means: the role of the row above)")
        previous_role = role
        try:
            parse_kind(step.kind)
        except StepError as error:
            errors.append(str(error))
        key = normalize(step.ident) if has_ids else normalize(step.name)
        if key:
            if key in first_of:
                what = f"step id '{step.ident}'" if has_ids else f"step '{step.name}'"
                errors.append(f"duplicate step: {what} is already row {first_of[key]}")
            else:
                first_of[key] = step.row
        elif has_ids:
            errors.append("the step has no id (the id column names every step)")
        problems.extend(StepProblem(step.row, error) for error in errors)
        steps.append(TableStep(step.row, step.ident, step.name, role, step.kind, step.next, step.description))
    table.steps = steps
    _check_links(table)


def table_links(table: StepTable) -> list[list[tuple[int, str]]]:
    """For each step, the (index of the next step, label) pairs; entries that name no step raise
    nothing here: _check_links reports them."""
    return _links(table, None)


def _check_links(table: StepTable) -> None:
    links = _links(table, table.problems)
    incoming: dict[int, list[int]] = {}
    for index, targets in enumerate(links):
        for target, _label in targets:
            incoming.setdefault(target, []).append(table.steps[index].row)
    for index, step in enumerate(table.steps):
        try:
            _family, local = parse_kind(step.kind)
        except StepError:
            continue
        if local == "startEvent" and index in incoming:
            rows = ", ".join(str(row) for row in incoming[index])
            table.problems.append(
                StepProblem(step.row, f"a start event cannot follow another step (row {rows} leads to it)")
            )
        if local == "endEvent" and links[index]:
            table.problems.append(StepProblem(step.row, "an end event has no next step"))
    table.problems.sort(key=lambda problem: problem.row or 0)


def _links(table: StepTable, problems: list[StepProblem] | None) -> list[list[tuple[int, str]]]:
    steps = table.steps
    has_ids = "id" in table.columns
    by_id: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for index, step in enumerate(steps):
        if has_ids and step.ident:
            by_id.setdefault(normalize(step.ident), index)
        by_name.setdefault(normalize(step.name), []).append(index)

    def lookup(entry: str) -> int | None:
        key = normalize(entry)
        if has_ids and key in by_id:
            return by_id[key]
        if not has_ids and entry.isdigit():
            number = int(entry)
            if 1 <= number <= len(steps):
                return number - 1
            raise StepError(f"next step {number} does not exist: the table has steps 1 to {len(steps)}")
        found = by_name.get(key, [])
        if len(found) > 1:
            rows = ", ".join(str(steps[i].row) for i in found)
            raise StepError(f"next step '{entry}' names several steps (rows {rows}): give its id")
        return found[0] if found else None

    out: list[list[tuple[int, str]]] = []
    for index, step in enumerate(steps):
        targets: dict[int, str] = {}
        if step.next is None:
            if index + 1 < len(steps):
                targets[index + 1] = ""  # no next column: the steps follow one another
        else:
            for entry in split_next(step.next):
                try:
                    label, target = _resolve_entry(entry, lookup)
                except StepError as error:
                    if problems is not None:
                        message = str(error)
                        if message.startswith("there is no step"):
                            message = f"next step '{entry}' does not exist"
                        problems.append(StepProblem(step.row, message))
                    continue
                assert isinstance(target, int)
                targets.setdefault(target, label)
        out.append(list(targets.items()))
    return out


# files


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        check_workbook_file(path, max_bytes=MAX_XLSX_BYTES, max_unpacked=MAX_UNZIPPED_BYTES, what="a step table")
    except WorkbookRefused as refusal:
        raise _Refused(str(refusal)) from None
    from openpyxl import load_workbook  # loaded only when a workbook is read

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for damaged workbooks
        raise _Refused(f"not a readable Excel workbook ({' '.join(str(error).split())[:200] or 'damaged'})") from None
    try:
        sheets = [sheet for sheet in workbook.worksheets if hasattr(sheet, "iter_rows")]
        chosen = _sheet_with_header(sheets) or (sheets[0] if sheets else None)
        if chosen is None:
            raise _Refused("the workbook has no worksheet")
        rows = list(_sheet_rows(chosen))
    except _Refused:
        raise
    except Exception as error:
        raise _Refused(f"not a readable Excel workbook ({' '.join(str(error).split())[:200] or 'damaged'})") from None
    finally:
        workbook.close()
    return iter(rows)


def _sheet_with_header(sheets: list) -> object | None:
    """The first sheet with a step and a role column among its first rows (a workbook may keep
    instructions or lists on other sheets)."""
    for sheet in sheets:
        for _number, cells in _limited(_sheet_rows(sheet), HEADER_SEARCH_ROWS):
            columns = {_HEADER_OF.get(_header_key(cell)) for cell in cells}
            if "step" in columns and "role" in columns:
                return sheet
    return None


def _limited(rows: Iterator[tuple[int, list[str]]], count: int) -> Iterator[tuple[int, list[str]]]:
    for index, row in enumerate(rows):
        if index >= count:
            return
        yield row


def _sheet_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # a wrong declared size would cut rows off; read what is there
    blanks = 0
    steps = 0
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
        cells = [_cell_text(value).strip() for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            blanks = 0
            steps += 1
            if steps > MAX_STEPS + HEADER_SEARCH_ROWS + 1:
                raise _Refused(f"more than {MAX_STEPS:,} steps: a step table this long is not a workshop's; split it")
        else:
            blanks += 1
            if blanks >= BLANK_ROWS_END:
                return
        yield number, cells


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise _Refused(f"{size / 2**20:.0f} MB: too large for a step table (at most {MAX_CSV_BYTES // 2**20} MB)")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise _Refused("a zip file or workbook named .csv: give it its own name (.xlsx) or export it as CSV")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")  # Excel's "Unicode text"
    else:
        if b"\x00" in data:
            raise _Refused("not a text file (it holds NUL bytes): export the table as CSV")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # what Excel writes on Western Windows
    sample = text[:65536]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    steps = 0
    try:
        for number, values in enumerate(reader, 1):
            cells = [value.strip() for value in values]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                steps += 1
                if steps > MAX_STEPS + HEADER_SEARCH_ROWS + 1:
                    raise _Refused(
                        f"more than {MAX_STEPS:,} steps: a step table this long is not a workshop's; split it"
                    )
            rows.append((number, cells))
    except csv.Error as error:
        raise _Refused(f"row {reader.line_num}: not readable as CSV ({error})") from None
    return iter(rows)


# --- building the document ------------------------------------------------------------------------


def import_step_table(path: str | os.PathLike[str], title: str | None = None) -> StepImport:
    """Read a step table and build its swimlane document; nothing when any row is bad."""
    table = read_step_table(path)
    result = StepImport(table.source, problems=list(table.problems))
    if table.problems:
        return result
    result.document = build_document(table, title or title_from_file(Path(path)))
    result.steps = len(table.steps)
    result.roles = list(dict.fromkeys(step.role for step in table.steps))
    return result


def title_from_file(path: Path) -> str:
    words = " ".join(path.stem.replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:] if words else "Process"


def build_document(table: StepTable, title: str) -> Document:
    """A new document: one pool named `title`, a lane per role in order of first appearance
    (bound to the role), the steps in table order with R for their role, documentation from the
    description, the flows, laid out. The table must have no problems."""
    if table.problems:
        raise ValueError("a table with problems is not imported")
    document = b.new_document(title)
    process, plane = _ensure_target(document)
    b.set_name(document, process, title)
    links = table_links(table)
    lanes: dict[str, tuple[str, Element]] = {}
    for step in table.steps:
        if normalize(step.role) not in lanes:
            lanes[normalize(step.role)] = role_lane(document, process, plane, step.role)
    incoming = {target for targets in links for target, _label in targets}
    # appended in order rather than inserted in schema order: a new process holds only its lane
    # set before them, and searching for the place of each of thousands of steps is quadratic
    nodes: list[Element] = []
    for index, step in enumerate(table.steps):
        wanted_family, local = parse_kind(step.kind)
        if wanted_family == "event":
            local = _event_local(int(index in incoming), len(links[index]), local)
        assert local is not None
        node = Element(bpmn(local), {"id": document.new_id(shapes.id_prefix(local)), "name": step.name})
        document.append(process, node)
        role_id, lane = lanes[normalize(step.role)]
        document.append(lane, Element(bpmn("flowNodeRef"), text=node.id))
        if step.description:
            b.set_documentation(document, node, step.description)
        if local in b.ACTIVITY_TYPES:
            smo.set_raci(document, node, role_id, "R")
        nodes.append(node)
    for index, targets in enumerate(links):
        for target, label in targets:
            source, goal = nodes[index], nodes[target]
            attributes = {"id": document.new_id("Flow"), **({"name": label} if label else {})}
            flow = Element(
                bpmn("sequenceFlow"), {**attributes, "sourceRef": source.id or "", "targetRef": goal.id or ""}
            )
            document.append(process, flow)
            b.create(document, source, "outgoing", text=flow.id)
            b.create(document, goal, "incoming", text=flow.id)
    layout_diagram(document, plane)
    return document
