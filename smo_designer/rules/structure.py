"""Structural checks of a BPMN model: bpmnlint's recommended rules, in Python, plus the lane
rules of rules/lanes.py behind one entry point, check_structure (rules layer, no Qt).

Each rule is named "bpmn.<bpmnlint rule name>" and reports the same element ids as bpmnlint
11.15 does for the same file, so that a model clean here is clean in Camunda Modeler's lint
panel and the other way round; severities are bpmnlint's "recommended" ones (docs/problems.md
gives each rule's reason). Where we deliberately differ, the rule's docstring says so, and
tests/rules/test_structure.py holds the list of differences on the MIWG reference models.

One difference runs through all of them: bpmnlint reads a node's flows from its <incoming>
and <outgoing> children, which BPMN makes optional, while these checks follow the sequence
flows' sourceRef and targetRef, which are what the flow is. For a file that writes both in step
(every file this program writes does) the answers are the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..model import bpmn as b
from ..model import di
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import bpmn
from ..model.problems import ERROR, WARNING, Problem

# rule name → (severity, what it is about, for docs/problems.md and the tests)
RULES: dict[str, tuple[str, str]] = {
    "bpmn.ad-hoc-sub-process": (ERROR, "no start or end event inside an ad hoc sub-process"),
    "bpmn.conditional-flows": (ERROR, "flows out of a choosing element carry a condition or are the default"),
    "bpmn.end-event-required": (ERROR, "every process and sub-process has an end event"),
    "bpmn.event-based-gateway": (ERROR, "an event-based gateway has two or more unconditional flows out"),
    "bpmn.event-sub-process-typed-start-event": (ERROR, "an event sub-process starts on a typed event"),
    "bpmn.fake-join": (WARNING, "an activity or event with several incoming flows does not join them"),
    "bpmn.global": (WARNING, "messages, signals, errors and escalations are named, used and named once"),
    "bpmn.label-required": (ERROR, "activities, events, deciding gateways, conditions, pools and lanes are named"),
    "bpmn.link-event": (ERROR, "link events are named and come in throw and catch pairs"),
    "bpmn.no-bpmndi": (ERROR, "every element is drawn in a diagram"),
    "bpmn.no-complex-gateway": (ERROR, "no complex gateway"),
    "bpmn.no-disconnected": (ERROR, "no activity, event or gateway without any sequence flow"),
    "bpmn.no-duplicate-sequence-flows": (ERROR, "no two sequence flows with the same ends and condition"),
    "bpmn.no-gateway-join-fork": (ERROR, "a gateway joins or splits, not both"),
    "bpmn.no-implicit-end": (ERROR, "the flow ends only at end events"),
    "bpmn.no-implicit-split": (ERROR, "an activity or event splits the flow only through a gateway or conditions"),
    "bpmn.no-implicit-start": (ERROR, "the flow starts only at start events"),
    "bpmn.no-inclusive-gateway": (WARNING, "no inclusive gateway"),
    "bpmn.no-overlapping-elements": (WARNING, "shapes do not overlap and stay inside their pool or sub-process"),
    "bpmn.single-blank-start-event": (ERROR, "at most one start event without a trigger per process"),
    "bpmn.single-event-definition": (ERROR, "an event has at most one trigger or result"),
    "bpmn.start-event-required": (ERROR, "every process and sub-process has a start event"),
    "bpmn.sub-process-blank-start-event": (ERROR, "a sub-process's start event has no trigger"),
    "bpmn.superfluous-gateway": (WARNING, "no gateway with one flow in and one flow out"),
    "bpmn.superfluous-label": (WARNING, "plain sequence flows carry no name"),
    "bpmn.superfluous-termination": (WARNING, "no terminate end event where a plain end event does the same"),
}

_PROCESS = bpmn("process")
_SEQUENCE_FLOW = bpmn("sequenceFlow")
_CONDITION = bpmn("conditionExpression")


def check_structure(document: Document) -> list[Problem]:
    """Every structural and lane problem of a document: the bpmnlint rules, then the lane rules."""
    from .lanes import check_lanes  # lanes.py reuses this module's helpers

    return check_bpmn(document) + check_lanes(document)


def check_bpmn(document: Document) -> list[Problem]:
    """The bpmnlint rules, in the order of RULES."""
    model = _Model(document)
    problems: list[Problem] = []
    for check in _CHECKS:
        problems.extend(check(model))
    # a file that repeats an id can make one rule say the same thing twice: say it once
    return list(dict.fromkeys(problems))


# --- reading the model ----------------------------------------------------------------------------


def ref_id(value: str | None) -> str | None:
    """The id a reference names: without the prefix a QName reference may carry."""
    if not value:
        return None
    if ":" not in value:  # nearly always: skip the split
        return value.strip() or None
    return value.strip().rpartition(":")[2] or None


def one_line(text: str) -> str:
    return " ".join(text.split())


def kind_name(element: Element) -> str:
    """userTask → 'user task', subProcess → 'sub-process', for messages."""
    local = element.local
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()
    return words.replace("sub process", "sub-process")


def describe(element: Element) -> str:
    """The kind and name ("user task 'Log incident'"), or the kind alone when it has no name (the id is shown beside
    every problem)."""
    name = one_line(b.name(element))
    return f"{kind_name(element)} '{name}'" if name else kind_name(element)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(eq=False)
class _Container:
    """A process or a sub-process with its direct flow elements."""

    element: Element
    flow_elements: list[Element]
    artifacts: list[Element]


class _Model:
    """What the rules need, read in one walk: the flow element containers, the sequence flows
    in and out of each node, and the diagram's drawings."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.containers: list[_Container] = []
        self.incoming: dict[str, list[Element]] = {}
        self.outgoing: dict[str, list[Element]] = {}
        pending = [(process, process) for process in b.processes(document)]
        self.process_of: dict[int, Element] = {}
        while pending:
            element, process = pending.pop(0)
            flow_elements = [c for c in element.children if b.is_a(c, "tFlowElement")]
            artifacts = [c for c in element.children if b.is_a(c, "tArtifact")]
            self.containers.append(_Container(element, flow_elements, artifacts))
            for child in flow_elements:
                self.process_of[id(child)] = process
                if child.tag == _SEQUENCE_FLOW:
                    source, target = ref_id(child.get("sourceRef")), ref_id(child.get("targetRef"))
                    if source:
                        self.outgoing.setdefault(source, []).append(child)
                    if target:
                        self.incoming.setdefault(target, []).append(child)
                elif b.is_a(child, "tSubProcess"):
                    pending.append((child, process))
        # element id → its drawings, over every diagram
        self.drawings: dict[str, list[Element]] = {}
        for drawing in di.diagram_elements(document):
            ident = ref_id(drawing.get("bpmnElement"))
            if ident:
                self.drawings.setdefault(ident, []).append(drawing)
        self.flow_nodes = [e for c in self.containers for e in c.flow_elements if b.is_a(e, "tFlowNode")]
        self.sequence_flows = [e for c in self.containers for e in c.flow_elements if e.tag == _SEQUENCE_FLOW]

    def ins(self, node: Element) -> list[Element]:
        return self.incoming.get(node.id or "", [])

    def outs(self, node: Element) -> list[Element]:
        return self.outgoing.get(node.id or "", [])

    def element(self, ident: str | None) -> Element | None:
        return self.document.element(ident)


def has_condition(flow: Element) -> bool:
    return flow.find(_CONDITION) is not None


def is_default(node: Element, flow: Element) -> bool:
    return flow.id is not None and ref_id(node.get("default")) == flow.id


def _definitions(event: Element) -> list[Element]:
    """The event definitions an event holds (not those it names by eventDefinitionRef, which
    bpmnlint does not count either)."""
    return [c for c in event.children if b.kind(c) in b.EVENT_DEFINITION_TYPES]


def _all_definitions(event: Element, local: str) -> bool:
    definitions = _definitions(event)
    return bool(definitions) and all(b.kind(d) == local for d in definitions)


def _in_ad_hoc(node: Element) -> bool:
    return node.parent is not None and b.kind(node.parent) == "adHocSubProcess"


def _is_event_sub_process(node: Element) -> bool:
    return b.is_a(node, "tSubProcess") and node.get("triggeredByEvent") == "true"


def _for_compensation(node: Element) -> bool:
    return b.is_a(node, "tActivity") and node.get("isForCompensation") == "true"


# --- the rules, each a function of the model --------------------------------------------------------


def _ad_hoc_sub_process(model: _Model) -> Iterator[Problem]:
    rule = "bpmn.ad-hoc-sub-process"
    for container in model.containers:
        if b.kind(container.element) != "adHocSubProcess":
            continue
        for node in container.flow_elements:
            if b.kind(node) in ("startEvent", "endEvent"):
                yield Problem(
                    ERROR,
                    node.id or "",
                    f"{_sentence(describe(node))} is in the ad hoc sub-process {describe(container.element)}, whose "
                    "activities run in any order: it can have no start or end event",
                    rule,
                )


def _conditional_flows(model: _Model) -> Iterator[Problem]:
    rule = "bpmn.conditional-flows"
    for node in model.flow_nodes:
        outgoing = model.outs(node)
        chooses = model.element(ref_id(node.get("default"))) is not None or any(map(has_condition, outgoing))
        if not chooses:
            continue
        for flow in outgoing:
            if not has_condition(flow) and not is_default(node, flow):
                yield Problem(
                    ERROR,
                    flow.id or "",
                    f"{_sentence(describe(flow))} leaves {describe(node)}, which chooses its way by conditions, but "
                    "has no condition and is not the default flow",
                    rule,
                )


def _scopes_needing_events(model: _Model) -> Iterator[_Container]:
    for container in model.containers:
        element = container.element
        if element.tag == _PROCESS or (b.is_a(element, "tSubProcess") and b.kind(element) != "adHocSubProcess"):
            yield container


def _start_event_required(model: _Model) -> Iterator[Problem]:
    for container in _scopes_needing_events(model):
        if not any(b.kind(e) == "startEvent" for e in container.flow_elements):
            yield Problem(
                ERROR,
                container.element.id or "",
                f"{_sentence(describe(container.element))} has no start event: readers cannot tell where it begins",
                "bpmn.start-event-required",
            )


def _end_event_required(model: _Model) -> Iterator[Problem]:
    for container in _scopes_needing_events(model):
        if not any(b.kind(e) == "endEvent" for e in container.flow_elements):
            yield Problem(
                ERROR,
                container.element.id or "",
                f"{_sentence(describe(container.element))} has no end event: readers cannot tell where it finishes",
                "bpmn.end-event-required",
            )


def _event_based_gateway(model: _Model) -> Iterator[Problem]:
    rule = "bpmn.event-based-gateway"
    for node in model.flow_nodes:
        if b.kind(node) != "eventBasedGateway":
            continue
        outgoing = model.outs(node)
        if len(outgoing) < 2:
            yield Problem(
                ERROR,
                node.id or "",
                f"{_sentence(describe(node))} waits for the first of several events but has "
                f"{len(outgoing) or 'no'} flow{'s' if len(outgoing) != 1 else ''} out: it needs two or more",
                rule,
            )
        for flow in outgoing:
            if has_condition(flow):
                yield Problem(
                    ERROR,
                    flow.id or "",
                    f"{_sentence(describe(flow))} leaves an event-based gateway but carries a condition: there, the "
                    "event that happens first chooses the way",
                    rule,
                )


def _event_sub_process_typed_start_event(model: _Model) -> Iterator[Problem]:
    for container in model.containers:
        if not _is_event_sub_process(container.element):
            continue
        for node in container.flow_elements:
            if b.kind(node) == "startEvent" and not _definitions(node):
                yield Problem(
                    ERROR,
                    node.id or "",
                    f"{_sentence(describe(node))} starts the event sub-process {describe(container.element)} but has "
                    "no trigger: an event sub-process starts on a message, timer, error or other event",
                    "bpmn.event-sub-process-typed-start-event",
                )


def _fake_join(model: _Model) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if not (b.is_a(node, "tActivity") or b.is_a(node, "tEvent")):
            continue
        incoming = model.ins(node)
        if len(incoming) > 1:
            yield Problem(
                WARNING,
                node.id or "",
                f"{_sentence(describe(node))} has {len(incoming)} incoming flows and runs once for each of them: it "
                "does not wait for them all; merge or join them with a gateway first",
                "bpmn.fake-join",
            )


_GLOBAL_KINDS = {"message": "messageRef", "signal": "signalRef", "error": "errorRef", "escalation": "escalationRef"}


def _global(model: _Model) -> Iterator[Problem]:
    """Named, used, and named once. bpmnlint lets a message without a name attribute pass the
    name test (only name="" fails it) and then calls all unnamed messages "not unique"; here an
    unnamed one has no name, and only equal names clash."""
    rule = "bpmn.global"
    root = model.document.root
    globals_ = [e for e in root.children if b.kind(e) in _GLOBAL_KINDS]
    if not globals_:
        return
    used: set[tuple[str, str]] = set()  # (kind, id)

    def note(kind: str, value: str | None) -> None:
        ident = ref_id(value)
        if ident:
            used.add((kind, ident))

    # where bpmnlint looks: event definitions of the events in processes and sub-processes,
    # message flows, send and receive tasks
    for node in model.flow_nodes:
        if b.is_a(node, "tEvent"):
            for definition in _definitions(node):
                kind = (b.kind(definition) or "").removesuffix("EventDefinition")
                if kind in _GLOBAL_KINDS:
                    note(kind, definition.get(_GLOBAL_KINDS[kind]))
        if b.kind(node) in ("sendTask", "receiveTask"):
            note("message", node.get("messageRef"))
    for collaboration in b.collaborations(model.document):
        for flow in collaboration.findall(bpmn("messageFlow")):
            note("message", flow.get("messageRef"))
    names: dict[tuple[str, str], int] = {}
    for element in globals_:
        name = one_line(b.name(element))
        if name:
            key = (element.local, name)
            names[key] = names.get(key, 0) + 1
    for element in globals_:
        kind, name = element.local, one_line(b.name(element))
        what = f"{kind} '{name}'" if name else f"the {kind}"
        if not name:
            yield Problem(WARNING, element.id or "", f"{_sentence(what)} has no name", rule)
        if (kind, element.id or "") not in used:
            yield Problem(WARNING, element.id or "", f"{_sentence(what)} is used by no event, task or flow", rule)
        if name and names[(kind, name)] > 1:
            yield Problem(
                WARNING, element.id or "", f"{names[(kind, name)]} {kind}s are named '{name}': tell them apart", rule
            )


def _label_required(model: _Model) -> Iterator[Problem]:
    rule = "bpmn.label-required"

    def missing(element: Element, why: str) -> Problem:
        return Problem(ERROR, element.id or "", f"{_sentence(kind_name(element))} has no name: {why}", rule)

    for node in model.flow_nodes:
        local = b.kind(node)
        if local in ("parallelGateway", "eventBasedGateway") or b.is_a(node, "tSubProcess"):
            continue
        if b.is_a(node, "tGateway"):
            if len(model.outs(node)) <= 1:
                continue  # a gateway that merges says nothing to name
            if not b.name(node).strip():
                yield missing(node, "name the decision it takes, as a question")
            continue
        if not b.name(node).strip():
            yield missing(node, "say what happens here")
    for flow in model.sequence_flows:
        if has_condition(flow) and not b.name(flow).strip():
            yield missing(flow, "name the condition it carries, so that readers see which way is taken when")
    for participant in b.participants(model.document):
        if not b.name(participant).strip():
            yield missing(participant, "name the organisation or party it stands for")
    for process in b.processes(model.document):
        for lane in b.lanes(process):
            if not b.name(lane).strip():
                yield missing(lane, "name the role or team it stands for")
    for container in model.containers:
        if container.element.tag != _PROCESS:
            for lane in b.lanes(container.element):
                if not b.name(lane).strip():
                    yield missing(lane, "name the role or team it stands for")


def _link_event(model: _Model) -> Iterator[Problem]:
    rule = "bpmn.link-event"
    for container in model.containers:
        links = [
            e
            for e in container.flow_elements
            if b.is_a(e, "tEvent") and any(b.kind(d) == "linkEventDefinition" for d in _definitions(e))
        ]
        by_name: dict[str, list[Element]] = {}
        for event in links:
            definition = next(d for d in _definitions(event) if b.kind(d) == "linkEventDefinition")
            name = (definition.get("name") or "").strip()
            if not name:
                yield Problem(
                    ERROR,
                    event.id or "",
                    f"{_sentence(describe(event))} has no link name: a throw and a catch link event are paired by it",
                    rule,
                )
                continue
            by_name.setdefault(name, []).append(event)
        for name, events in by_name.items():
            catches = [e for e in events if b.is_a(e, "tCatchEvent")]
            throws = [e for e in events if b.is_a(e, "tThrowEvent")]
            if len(events) == 1:
                missing_side = "catch" if throws else "throw"
                yield Problem(
                    ERROR,
                    events[0].id or "",
                    f"{_sentence(describe(events[0]))} links to '{name}', but no link {missing_side} event of that "
                    f"name is in {describe(container.element)}",
                    rule,
                )
            elif len(catches) > 1:
                for event in catches:
                    yield Problem(
                        ERROR, event.id or "", f"{len(catches)} link catch events are named '{name}' in one scope", rule
                    )
            elif not catches:
                for event in events:
                    yield Problem(
                        ERROR,
                        event.id or "",
                        f"{_sentence(describe(event))} links to '{name}', but no link catch event of that name is in "
                        f"{describe(container.element)}",
                        rule,
                    )


def _no_bpmndi(model: _Model) -> Iterator[Problem]:
    """Every flow element (data objects aside: they are drawn through their references),
    artifact, pool, lane and message flow is drawn. bpmnlint looks at the first lane set of a
    process only; here every lane set counts."""
    document = model.document
    drawn = model.drawings
    wanted: list[Element] = []
    for collaboration in b.collaborations(document):
        wanted += [c for c in collaboration.children if b.kind(c) in ("participant", "messageFlow")]
        wanted += [c for c in collaboration.children if b.is_a(c, "tArtifact")]
    for container in model.containers:
        wanted += [e for e in container.flow_elements if b.kind(e) != "dataObject"]
        wanted += container.artifacts
        wanted += b.lanes(container.element)
    for element in wanted:
        if element.id and element.id not in drawn:
            yield Problem(
                ERROR,
                element.id,
                f"{_sentence(describe(element))} is not drawn in any diagram: other modelers will not show it",
                "bpmn.no-bpmndi",
            )


def _no_complex_gateway(model: _Model) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if b.kind(node) == "complexGateway":
            yield Problem(
                ERROR,
                node.id or "",
                f"{_sentence(describe(node))}: few readers and tools understand complex gateways; model the "
                "decision with exclusive, parallel or event-based gateways",
                "bpmn.no-complex-gateway",
            )


def _compensation_linked(node: Element) -> bool:
    if b.kind(node) == "boundaryEvent":
        definitions = _definitions(node)
        if len(definitions) == 1 and b.kind(definitions[0]) == "compensateEventDefinition":
            return True
    return _for_compensation(node)


def _no_disconnected(model: _Model) -> Iterator[Problem]:
    """bpmnlint leaves call activities out of this rule (it looks at tasks, sub-processes,
    gateways and events); a call activity with no flow is reported here too."""
    for node in model.flow_nodes:
        if _is_event_sub_process(node) or _compensation_linked(node) or _in_ad_hoc(node):
            continue
        if not (b.is_a(node, "tActivity") or b.is_a(node, "tGateway") or b.is_a(node, "tEvent")):
            continue
        if not model.ins(node) and not model.outs(node):
            yield Problem(
                ERROR,
                node.id or "",
                f"{_sentence(describe(node))} is connected to nothing: no sequence flow leads to it or away from it",
                "bpmn.no-disconnected",
            )


def _flow_key(flow: Element) -> tuple[str, str, str]:
    condition = flow.find(_CONDITION)
    text = (condition.text or "") if condition is not None else ""
    return (ref_id(flow.get("sourceRef")) or "", ref_id(flow.get("targetRef")) or "", text)


def _no_duplicate_sequence_flows(model: _Model) -> Iterator[Problem]:
    rule = "bpmn.no-duplicate-sequence-flows"
    seen: dict[tuple[str, str, str], Element] = {}
    reported_sources: set[str] = set()
    reported_targets: set[str] = set()
    for flow in model.sequence_flows:
        key = _flow_key(flow)
        first = seen.setdefault(key, flow)
        if first is flow:
            continue
        source, target = key[0], key[1]
        source_element, target_element = model.element(source), model.element(target)
        ends = (
            f"from {describe(source_element) if source_element is not None else source} "
            f"to {describe(target_element) if target_element is not None else target}"
        )
        yield Problem(ERROR, flow.id or "", f"The sequence flow repeats {first.id} {ends}: one of them is enough", rule)
        if source not in reported_sources:
            reported_sources.add(source)
            yield Problem(ERROR, source, f"Two sequence flows run {ends}", rule)
        if target not in reported_targets:
            reported_targets.add(target)
            yield Problem(ERROR, target, f"Two sequence flows run {ends}", rule)


def _no_gateway_join_fork(model: _Model) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if not b.is_a(node, "tGateway"):
            continue
        ins, outs = len(model.ins(node)), len(model.outs(node))
        if ins > 1 and outs > 1:
            yield Problem(
                ERROR,
                node.id or "",
                f"{_sentence(describe(node))} both joins {ins} flows and splits into {outs}: use one gateway to "
                "join and another to split, so that each says one thing",
                "bpmn.no-gateway-join-fork",
            )


def _has_compensation_activity(model: _Model, node: Element) -> bool:
    """bpmnlint looks for an association from the boundary event among the artifacts of the
    process (not of a sub-process) holding it."""
    process = model.process_of.get(id(node))
    if process is None:
        return False
    return any(
        b.kind(a) == "association" and ref_id(a.get("sourceRef")) == node.id
        for a in process.children
        if b.is_a(a, "tArtifact")
    )


def _no_implicit_end(model: _Model) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if not (b.is_a(node, "tEvent") or b.is_a(node, "tActivity") or b.is_a(node, "tGateway")):
            continue
        local = b.kind(node)
        if (
            _is_event_sub_process(node)
            or (local == "intermediateThrowEvent" and _all_definitions(node, "linkEventDefinition"))
            or _in_ad_hoc(node)
            or local == "endEvent"
            or (
                local == "boundaryEvent"
                and _all_definitions(node, "compensateEventDefinition")
                and _has_compensation_activity(model, node)
            )
            or _for_compensation(node)
        ):
            continue
        if not model.outs(node):
            yield Problem(
                ERROR,
                node.id or "",
                f"{_sentence(describe(node))} has no outgoing sequence flow, so the flow stops there without an end "
                "event: add the end event, or the flow that continues",
                "bpmn.no-implicit-end",
            )


def _no_implicit_split(model: _Model) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if not (b.is_a(node, "tActivity") or b.is_a(node, "tEvent")):
            continue
        plain = [f for f in model.outs(node) if not has_condition(f) and not is_default(node, f)]
        if len(plain) > 1:
            yield Problem(
                ERROR,
                node.id or "",
                f"{_sentence(describe(node))} has {len(plain)} unconditional flows out, which all run at once: split "
                "with a gateway (parallel to do all, exclusive to choose one)",
                "bpmn.no-implicit-split",
            )


def _no_implicit_start(model: _Model) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if not (b.is_a(node, "tEvent") or b.is_a(node, "tActivity") or b.is_a(node, "tGateway")):
            continue
        local = b.kind(node)
        if (
            _for_compensation(node)
            or _in_ad_hoc(node)
            or _is_event_sub_process(node)
            or (local == "intermediateCatchEvent" and _all_definitions(node, "linkEventDefinition"))
            or local in ("startEvent", "boundaryEvent")
        ):
            continue
        if not model.ins(node):
            yield Problem(
                ERROR,
                node.id or "",
                f"{_sentence(describe(node))} has no incoming sequence flow, so the flow starts there without a "
                "start event: connect it, or start with a start event",
                "bpmn.no-implicit-start",
            )


def _no_inclusive_gateway(model: _Model) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if b.kind(node) == "inclusiveGateway":
            yield Problem(
                WARNING,
                node.id or "",
                f"{_sentence(describe(node))}: readers often misjudge which branches of an inclusive gateway run and "
                "what its join waits for; exclusive and parallel gateways say it plainly",
                "bpmn.no-inclusive-gateway",
            )


def _no_overlapping_elements(model: _Model) -> Iterator[Problem]:
    """bpmnlint's geometry: shapes overlap when they touch or cross (a shared border counts);
    a boundary event may overlap its host; flow elements of a pool stay inside the pool, of an
    expanded sub-process inside it (data store references may stand outside)."""
    rule = "bpmn.no-overlapping-elements"
    document = model.document
    # the last drawing wins, as in bpmnlint's map
    shapes = {ident: drawings[-1] for ident, drawings in model.drawings.items()}
    overlapping: list[Element] = []
    outside: list[Element] = []

    def boxes(elements: list[Element]) -> list[tuple[Element, di.Bounds]]:
        found = []
        seen: set[str] = set()
        for element in elements:
            if element.id in seen:
                continue  # an id the file repeats: its drawing is the first element's
            seen.add(element.id or "")
            drawing = shapes.get(element.id or "")
            box = di.bounds(drawing) if drawing is not None and di.is_shape(drawing) else None
            if box is not None:
                found.append((element, box))
        return found

    def sweep(elements: list[Element]) -> None:
        """Left to right: each shape is compared only with those that start before it ends."""
        drawn = sorted(
            ((box.x, box.x + box.width, box.y, box.y + box.height, element) for element, box in boxes(elements)),
            key=lambda item: item[0],
        )
        hit: set[int] = set()
        for i, (_, right, top, bottom, element) in enumerate(drawn):
            for j in range(i + 1, len(drawn)):
                left, _, other_top, other_bottom, other = drawn[j]
                if left > right:
                    break
                if other_top > bottom or top > other_bottom:
                    continue
                if ref_id(element.get("attachedToRef")) == other.id or ref_id(other.get("attachedToRef")) == element.id:
                    continue
                hit.update((id(element), id(other)))
        overlapping.extend(e for e in elements if id(e) in hit)

    participants = b.participants(document)
    for collaboration in b.collaborations(document):
        # pools of different collaborations are drawn in different diagrams
        sweep(collaboration.findall(bpmn("participant")))
    pool_of: dict[str, di.Bounds] = {}
    for participant in participants:
        process = ref_id(participant.get("processRef"))
        drawing = shapes.get(participant.id or "")
        box = di.bounds(drawing) if drawing is not None else None
        if process and box is not None:
            pool_of[process] = box
    for container in model.containers:
        element = container.element
        if element.tag == _PROCESS:
            parent = pool_of.get(element.id or "")
        else:
            drawing = shapes.get(element.id or "")
            parent = di.bounds(drawing) if drawing is not None and di.is_expanded(drawing) else None
        sweep(container.flow_elements)
        if parent is None:
            continue
        for child, box in boxes(container.flow_elements):
            if b.kind(child) == "dataStoreReference":
                continue
            if not (
                parent.x <= box.x
                and parent.y <= box.y
                and box.x + box.width <= parent.x + parent.width
                and box.y + box.height <= parent.y + parent.height
            ):
                outside.append(child)
    reported: set[tuple[int, str]] = set()
    for element in overlapping:
        if (id(element), "overlap") not in reported:
            reported.add((id(element), "overlap"))
            yield Problem(
                WARNING,
                element.id or "",
                f"{_sentence(describe(element))} is drawn on top of another shape: move one of them",
                rule,
            )
    for element in outside:
        if (id(element), "outside") not in reported:
            reported.add((id(element), "outside"))
            where = "its pool" if b.owning_process(element) is element.parent else "its sub-process"
            yield Problem(WARNING, element.id or "", f"{_sentence(describe(element))} is drawn outside {where}", rule)


def _single_blank_start_event(model: _Model) -> Iterator[Problem]:
    for container in model.containers:
        blank = [e for e in container.flow_elements if b.kind(e) == "startEvent" and not _definitions(e)]
        if len(blank) > 1:
            yield Problem(
                ERROR,
                container.element.id or "",
                f"{_sentence(describe(container.element))} has {len(blank)} start events without a trigger: a reader "
                "cannot tell what starts which; keep one, or give the others their trigger (message, timer …)",
                "bpmn.single-blank-start-event",
            )


def _single_event_definition(model: _Model) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if b.is_a(node, "tEvent") and len(_definitions(node)) > 1:
            yield Problem(
                ERROR,
                node.id or "",
                f"{_sentence(describe(node))} has {len(_definitions(node))} event definitions: an event has one "
                "trigger or result; split it into several events",
                "bpmn.single-event-definition",
            )


def _sub_process_blank_start_event(model: _Model) -> Iterator[Problem]:
    for container in model.containers:
        element = container.element
        if not b.is_a(element, "tSubProcess") or _is_event_sub_process(element):
            continue
        for node in container.flow_elements:
            if b.kind(node) == "startEvent" and _definitions(node):
                yield Problem(
                    ERROR,
                    node.id or "",
                    f"{_sentence(describe(node))} of {describe(element)} has a trigger, but a sub-process starts when "
                    "the flow reaches it: its start event is blank",
                    "bpmn.sub-process-blank-start-event",
                )


def _superfluous_gateway(model: _Model) -> Iterator[Problem]:
    for node in model.flow_nodes:
        if b.is_a(node, "tGateway") and len(model.ins(node)) == 1 and len(model.outs(node)) == 1:
            yield Problem(
                WARNING,
                node.id or "",
                f"{_sentence(describe(node))} has one flow in and one flow out: it decides nothing and can go",
                "bpmn.superfluous-gateway",
            )


def _superfluous_label(model: _Model) -> Iterator[Problem]:
    for flow in model.sequence_flows:
        if not b.name(flow).strip() or has_condition(flow):
            continue
        source = model.element(ref_id(flow.get("sourceRef")))
        if source is not None:
            if is_default(source, flow):
                continue
            if b.kind(source) in ("exclusiveGateway", "inclusiveGateway") and len(model.outs(source)) > 1:
                continue
        yield Problem(
            WARNING,
            flow.id or "",
            f"{_sentence(describe(flow))} is named, but it carries no condition and leaves no decision: the name "
            "says nothing the diagram does not; remove it, or make the flow a condition",
            "bpmn.superfluous-label",
        )


def _is_terminate_end(node: Element) -> bool:
    return b.kind(node) == "endEvent" and any(b.kind(d) == "terminateEventDefinition" for d in _definitions(node))


def _superfluous_termination(model: _Model) -> Iterator[Problem]:
    for container in model.containers:
        element = container.element
        if element.tag != _PROCESS and not b.is_a(element, "tSubProcess"):
            continue
        ends = [e for e in container.flow_elements if b.is_a(e, "tFlowNode") and not model.outs(e)]
        terminates = [e for e in ends if _is_terminate_end(e)]
        if len(terminates) != 1:
            continue

        def interrupting_event_sub_process(node: Element) -> bool:
            return _is_event_sub_process(node) and any(
                b.kind(c) == "startEvent" and c.get("isInterrupting", "true") != "false" for c in node.children
            )

        if all(interrupting_event_sub_process(e) or _is_terminate_end(e) for e in ends):
            yield Problem(
                WARNING,
                terminates[0].id or "",
                f"{_sentence(describe(terminates[0]))} is the only way {describe(element)} ends, so terminating "
                "stops nothing else: a plain end event says the same",
                "bpmn.superfluous-termination",
            )


_CHECKS: tuple[Callable[[_Model], Iterator[Problem]], ...] = (
    _ad_hoc_sub_process,
    _conditional_flows,
    _end_event_required,
    _event_based_gateway,
    _event_sub_process_typed_start_event,
    _fake_join,
    _global,
    _label_required,
    _link_event,
    _no_bpmndi,
    _no_complex_gateway,
    _no_disconnected,
    _no_duplicate_sequence_flows,
    _no_gateway_join_fork,
    _no_implicit_end,
    _no_implicit_split,
    _no_implicit_start,
    _no_inclusive_gateway,
    _no_overlapping_elements,
    _single_blank_start_event,
    _single_event_definition,
    _start_event_required,
    _sub_process_blank_start_event,
    _superfluous_gateway,
    _superfluous_label,
    _superfluous_termination,
)
