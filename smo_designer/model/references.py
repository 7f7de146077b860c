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
    smo("policy"): ("ownerRole",),
    smo("kpi"): ("ownerRole",),
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


def dangling_references(document: Document, elements: list[Element] | None = None) -> list[Reference]:
    """References to ids the document does not define (prefixed references into other
    namespaces and external type references excepted). `elements` may give the document's
    elements when the caller has them at hand (the reader does), saving a walk of the tree."""
    ids = document.ids()
    target_namespace = document.root.get("targetNamespace")
    out = []
    for element in elements if elements is not None else document.root.iter():
        tag = element.tag
        attributes = REFERENCE_ATTRIBUTES.get(tag) or SMO_REFERENCE_ATTRIBUTES.get(tag)
        if attributes:
            values = element.attributes
            for attribute in attributes:
                value = values.get(attribute)
                if value is None or value in ids or attribute in EXTERNAL_REFERENCE_ATTRIBUTES:
                    continue
                ref = Reference(element, attribute, None, value)
                if _dangles(ref, ids, target_namespace):
                    out.append(ref)
        child_tags = REFERENCE_CHILDREN.get(tag)
        if child_tags:
            for child in element.children:
                if child.tag in child_tags:
                    value = (child.text or "").strip()
                    if value not in ids:
                        ref = Reference(element, None, child, value)
                        if _dangles(ref, ids, target_namespace):
                            out.append(ref)
    return out


def _dangles(ref: Reference, ids: dict[str, Element], target_namespace: str | None) -> bool:
    prefix, colon, local = ref.value.rpartition(":")
    if not colon:
        return True
    namespace = ref.holder.namespace_for_prefix(prefix)
    return (namespace is None or namespace == target_namespace) and local not in ids


def index_ids(elements: list[Element]) -> tuple[dict[str, Element], dict[str, int]]:
    """The document ids of these elements (first occurrence wins) and how often each
    repeated id occurs."""
    ids: dict[str, Element] = {}
    repeats: dict[str, int] = {}
    for element in elements:
        ident = element.attributes.get("id")
        if ident is None or not carries_id(element):
            continue
        if ident in ids:
            repeats[ident] = repeats.get(ident, 1) + 1
        else:
            ids[ident] = element
    return ids, repeats


def duplicate_ids(document: Document) -> dict[str, list[Element]]:
    seen: dict[str, list[Element]] = {}
    for element in document.root.iter():
        ident = element.attributes.get("id")
        if ident is not None and carries_id(element):
            seen.setdefault(ident, []).append(element)
    return {ident: elements for ident, elements in seen.items() if len(elements) > 1}
