"""XML namespaces of the document and their preferred prefixes (model layer)."""

from __future__ import annotations

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"
# The project's own extension namespace; the trailing version changes only when the meaning of
# existing elements changes (docs/file-format.md).
SMO = "https://smo-designer.org/schema/bpmn-extensions/1.0"

PREFERRED_PREFIXES: dict[str, str] = {
    BPMN: "bpmn",
    BPMNDI: "bpmndi",
    DC: "dc",
    DI: "di",
    XSI: "xsi",
    SMO: "smo",
}


def clark(namespace: str, local: str) -> str:
    """The {namespace}local form used for element and attribute names throughout the model."""
    return f"{{{namespace}}}{local}"


def split_clark(name: str) -> tuple[str | None, str]:
    if name[:1] == "{":
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return None, name


def bpmn(local: str) -> str:
    return f"{{{BPMN}}}{local}"


def bpmndi(local: str) -> str:
    return f"{{{BPMNDI}}}{local}"


def dc(local: str) -> str:
    return f"{{{DC}}}{local}"


def di(local: str) -> str:
    return f"{{{DI}}}{local}"


def smo(local: str) -> str:
    return f"{{{SMO}}}{local}"
