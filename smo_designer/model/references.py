"""References between elements (sourceRef, bpmnElement, flowNodeRef, …): finding, resolving and
checking them (model layer)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .bpmn_schema import REFERENCE_ATTRIBUTES, REFERENCE_CHILDREN
from .document import Document, carries_id
from .element import Element
from .namespaces import smo

# References whose target is usually outside the document (a type system, an implementation,
# a process in another file): kept as written and never reported as dangling.
EXTERNAL_REFERENCE_ATTRIBUTES = frozenset(
    {"structureRef", "evaluatesToTypeRef", "implementationRef", "calledElement", "type", "definition"}
)

# The project's own extension elements and the attributes that hold element ids.
SMO_REFERENCE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    smo("assignment"): ("role",),
    smo("link"): ("ref",),
    smo("policy"): ("ownerRole", "approverRole"),
    smo("kpi"): ("ownerRole",),
    smo("metadata"): ("ownerRole",),
}


@dataclass(frozen=True)
class Reference:
    """One reference: the element that holds it, where (attribute name, or the child element
    whose text it is) and the value as written."""

    holder: Element
    attribute: str | None
    child: Element | None
    value: str

    @property
    def external(self) -> bool:
        return self.attribute in EXTERNAL_REFERENCE_ATTRIBUTES

    @property
    def where(self) -> str:
        if self.attribute is not None:
            return self.attribute
        assert self.child is not None
        return self.child.local


def references_of(element: Element) -> Iterator[Reference]:
    """The references one element holds, in attributes and in reference-typed children."""
    attributes = REFERENCE_ATTRIBUTES.get(element.tag) or SMO_REFERENCE_ATTRIBUTES.get(element.tag, ())
    for attribute in attributes:
        value = element.attributes.get(attribute)
        if value is not None:
            yield Reference(element, attribute, None, value)
    child_tags = REFERENCE_CHILDREN.get(element.tag)
    if child_tags:
        for child in element.children:
            if child.tag in child_tags:
                yield Reference(element, None, child, (child.text or "").strip())


def all_references(document: Document) -> Iterator[Reference]:
    for element in document.root.iter():
        if element.is_element:
            yield from references_of(element)


def target_id(document: Document, reference: Reference) -> str | None:
    """The id a reference points at inside this document, or None when its prefix names
    another namespace (a reference into an imported file or a type system)."""
    value = reference.value
    prefix, colon, local = value.rpartition(":")
    if not colon:
        return value
    namespace = reference.holder.namespace_for_prefix(prefix)
    if namespace is None or namespace == document.root.get("targetNamespace"):
        return local
    return None


def resolve(document: Document, reference: Reference) -> Element | None:
    ident = target_id(document, reference)
    return document.element(ident) if ident is not None else None


def references_to(document: Document, ident: str) -> list[Reference]:
    return [ref for ref in all_references(document) if target_id(document, ref) == ident]


def dangling_references(document: Document) -> list[Reference]:
    """References to ids the document does not define (prefixed references into other
    namespaces and external type references excepted)."""
    ids = document.ids()
    out = []
    for ref in all_references(document):
        if ref.external:
            continue
        ident = target_id(document, ref)
        if ident is not None and ident not in ids:
            out.append(ref)
    return out


def duplicate_ids(document: Document) -> dict[str, list[Element]]:
    seen: dict[str, list[Element]] = {}
    for element in document.root.iter():
        ident = element.attributes.get("id")
        if ident is not None and carries_id(element):
            seen.setdefault(ident, []).append(element)
    return {ident: elements for ident, elements in seen.items() if len(elements) > 1}
