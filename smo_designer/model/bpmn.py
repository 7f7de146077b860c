"""BPMN semantics over the document tree: element kinds, names, markers, containment and
schema-ordered creation (model layer)."""

from __future__ import annotations

from collections.abc import Iterator

from .bpmn_schema import CHILD_RANK, SUPERTYPES
from .document import Document
from .element import Element
from .namespaces import BPMN, bpmn

TASK_TYPES = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "scriptTask",
        "businessRuleTask",
    }
)
SUBPROCESS_TYPES = frozenset({"subProcess", "transaction", "adHocSubProcess"})
ACTIVITY_TYPES = TASK_TYPES | SUBPROCESS_TYPES | {"callActivity"}
EVENT_TYPES = frozenset({"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"})
GATEWAY_TYPES = frozenset(
    {
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "complexGateway",
        "eventBasedGateway",
    }
)
EVENT_DEFINITION_TYPES = frozenset(
    {
        "messageEventDefinition",
        "timerEventDefinition",
        "errorEventDefinition",
        "escalationEventDefinition",
        "cancelEventDefinition",
        "compensateEventDefinition",
        "conditionalEventDefinition",
        "linkEventDefinition",
        "signalEventDefinition",
        "terminateEventDefinition",
    }
)
DATA_TYPES = frozenset(
    {"dataObject", "dataObjectReference", "dataStore", "dataStoreReference", "dataInput", "dataOutput"}
)
ARTIFACT_TYPES = frozenset({"textAnnotation", "group", "association"})
CONNECTION_TYPES = frozenset(
    {"sequenceFlow", "messageFlow", "association", "dataInputAssociation", "dataOutputAssociation"}
)
FLOW_NODE_TYPES = ACTIVITY_TYPES | EVENT_TYPES | GATEWAY_TYPES
# Activities that appear as rows of the RACI matrix.
RACI_ACTIVITY_TYPES = ACTIVITY_TYPES


def kind(element: Element) -> str | None:
    """The BPMN local name (task, lane, …) of an element of the BPMN namespace, else None."""
    tag = element.tag
    if tag.startswith("{" + BPMN + "}"):
        return tag[len(BPMN) + 2 :]
    return None


def is_a(element: Element, schema_type: str) -> bool:
    """Whether the element's schema type is or extends `schema_type` (such as 'tActivity')."""
    return schema_type in SUPERTYPES.get(element.tag, ())


def name(element: Element) -> str:
    return element.attributes.get("name", "")


def documentation(element: Element) -> str:
    return "\n".join(doc.text or "" for doc in element.findall(bpmn("documentation")))


def event_definitions(event: Element) -> list[Element]:
    return [c for c in event.children if kind(c) in EVENT_DEFINITION_TYPES]


def event_trigger(event: Element) -> str:
    """none, message, timer, error, escalation, cancel, compensate, conditional, link, signal,
    terminate, multiple or parallelMultiple (also counting eventDefinitionRef)."""
    kinds = [kind(d).removesuffix("EventDefinition") for d in event_definitions(event)]  # type: ignore[union-attr]
    count = len(kinds) + len(event.findall(bpmn("eventDefinitionRef")))
    if count == 0:
        return "none"
    if count > 1:
        return "parallelMultiple" if event.get("parallelMultiple") == "true" else "multiple"
    return kinds[0] if kinds else "multiple"


def is_interrupting(event: Element) -> bool:
    if kind(event) == "boundaryEvent":
        return event.get("cancelActivity", "true") != "false"
    return event.get("isInterrupting", "true") != "false"


def loop_marker(activity: Element) -> str | None:
    """'loop', 'parallel' or 'sequential' (multi-instance), or None."""
    if activity.find(bpmn("standardLoopCharacteristics")) is not None:
        return "loop"
    multi = activity.find(bpmn("multiInstanceLoopCharacteristics"))
    if multi is not None:
        return "sequential" if multi.get("isSequential") == "true" else "parallel"
    return None


def is_event_subprocess(element: Element) -> bool:
    return kind(element) == "subProcess" and element.get("triggeredByEvent") == "true"


def processes(document: Document) -> list[Element]:
    return document.root.findall(bpmn("process"))


def collaborations(document: Document) -> list[Element]:
    return document.root.findall(bpmn("collaboration"))


def participants(document: Document) -> list[Element]:
    return [p for c in collaborations(document) for p in c.findall(bpmn("participant"))]


def resources(document: Document) -> list[Element]:
    return document.root.findall(bpmn("resource"))


def flow_elements(container: Element) -> Iterator[Element]:
    """Flow elements of a process or sub-process, including those of nested sub-processes."""
    stack = list(reversed(container.children))
    while stack:
        node = stack.pop()
        k = kind(node)
        if k is None:
            continue
        if k in FLOW_NODE_TYPES or k in DATA_TYPES or k in CONNECTION_TYPES or k in ARTIFACT_TYPES:
            yield node
        if k in SUBPROCESS_TYPES:
            stack.extend(reversed(node.children))


def lanes(container: Element) -> list[Element]:
    """Every lane of a process, nested lanes after their parent, in document order."""
    found: list[Element] = []

    def walk(lane_set: Element) -> None:
        for lane in lane_set.findall(bpmn("lane")):
            found.append(lane)
            child_set = lane.find(bpmn("childLaneSet"))
            if child_set is not None:
                walk(child_set)

    for lane_set in container.findall(bpmn("laneSet")):
        walk(lane_set)
    return found


def owning_process(element: Element) -> Element | None:
    for ancestor in element.ancestors():
        if ancestor.tag == bpmn("process"):
            return ancestor
    return None


def lanes_of(document: Document, node: Element) -> list[Element]:
    """The lanes whose flowNodeRef names this node (innermost last)."""
    process = owning_process(node)
    if process is None or node.id is None:
        return []
    return [lane for lane in lanes(process) if any(ref.text == node.id for ref in lane.findall(bpmn("flowNodeRef")))]


# --- creating elements in schema order --------------------------------------------------------


def schema_index(parent: Element, child_tag: str) -> int:
    """Where a child with this tag belongs among parent's children so that the XSD's sequence
    order holds: after every child of the same or an earlier position."""
    ranks = CHILD_RANK.get(parent.tag)
    if ranks is None or child_tag not in ranks:
        return len(parent.children)
    wanted = ranks[child_tag]
    index = 0
    for position, sibling in enumerate(parent.children):
        rank = ranks.get(sibling.tag)
        if rank is not None and rank <= wanted:
            index = position + 1
        elif rank is not None and rank > wanted:
            break
        else:
            # comments and foreign elements stay with the element before them
            if position == index:
                index = position + 1
    return index


def insert_in_order(document: Document, parent: Element, child: Element) -> None:
    document.insert(parent, schema_index(parent, child.tag), child)


def create(
    document: Document,
    parent: Element,
    local: str,
    attributes: dict[str, str] | None = None,
    *,
    id_prefix: str | None = None,
    text: str | None = None,
) -> Element:
    """Create a BPMN element with a fresh id under `parent`, in schema order."""
    attrs: dict[str, str] = {}
    if id_prefix is not None:
        attrs["id"] = document.new_id(id_prefix)
    attrs.update(attributes or {})
    element = Element(bpmn(local), attrs, text=text)
    insert_in_order(document, parent, element)
    return element


def extension_elements(document: Document, element: Element, create_missing: bool = True) -> Element | None:
    found = element.find(bpmn("extensionElements"))
    if found is None and create_missing:
        found = create(document, element, "extensionElements")
    return found


def set_name(document: Document, element: Element, value: str) -> None:
    document.set_attribute(element, "name", value or None)


def set_documentation(document: Document, element: Element, text: str) -> None:
    """Set the first documentation text; an empty text removes it."""
    docs = element.findall(bpmn("documentation"))
    if not text:
        for doc in docs:
            document.remove(doc)
        return
    if docs:
        document.set_text(docs[0], text)
        for doc in docs[1:]:
            document.remove(doc)
    else:
        create(document, element, "documentation", text=text)


def new_document(title: str = "New process") -> Document:
    """A blank document: definitions with one (non-executable) process and its diagram."""
    from .namespaces import BPMNDI, DC, DI, bpmndi

    definitions = Element(
        bpmn("definitions"),
        {
            "id": "Definitions_1",
            "name": title,
            "targetNamespace": "https://smo-designer.org/processes",
            "exporter": "SMO Designer",
        },
        namespaces={"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI},
    )
    process = Element(bpmn("process"), {"id": "Process_1", "isExecutable": "false"})
    diagram = Element(
        bpmndi("BPMNDiagram"),
        {"id": "BPMNDiagram_1"},
        [Element(bpmndi("BPMNPlane"), {"id": "BPMNPlane_1", "bpmnElement": "Process_1"})],
    )
    definitions.children = [process, diagram]
    process.parent = diagram.parent = definitions
    return Document(definitions)


def connection_ends(connection: Element) -> tuple[str | None, str | None]:
    """The ids a connection runs from and to. Data associations keep one end as a child
    element and the other as their parent activity (or event)."""
    local = connection.local
    if local == "dataInputAssociation":
        source = connection.find(bpmn("sourceRef"))
        parent = connection.parent
        return (source.text.strip() if source is not None and source.text else None), (
            parent.id if parent is not None else None
        )
    if local == "dataOutputAssociation":
        target = connection.find(bpmn("targetRef"))
        parent = connection.parent
        return (parent.id if parent is not None else None), (
            target.text.strip() if target is not None and target.text else None
        )
    return _local_ref(connection.get("sourceRef")), _local_ref(connection.get("targetRef"))


def _local_ref(value: str | None) -> str | None:
    return value.rpartition(":")[2] if value else None
