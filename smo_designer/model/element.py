"""A node of the document tree: one XML element with everything it was read with (model layer).

The model keeps the document as a tree of these nodes so that nothing a file holds is lost,
whatever vendor wrote it; the typed views in bpmn.py, di.py and smo.py read and edit it.
Nodes are changed only through Document's mutation methods, which emit change events.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType

COMMENT = "#comment"
PROCESSING_INSTRUCTION = "#pi"
# Almost no element declares namespaces; they share this empty, read-only mapping instead of
# holding an empty dict each (a model of 20,000 tasks has some 300,000 elements).
NO_DECLARATIONS: MappingProxyType = MappingProxyType({})


class Element:
    """An XML element: a Clark-notation tag, ordered attributes, children and text.

    `namespaces` holds the prefix declarations written on this element (prefix None is the
    default namespace); they are kept so that prefixed values such as xsi:type="bpmn:tFoo"
    keep meaning what they meant. `tail` is text after the element inside mixed content.
    """

    __slots__ = ("tag", "attributes", "children", "text", "tail", "namespaces", "parent")

    def __init__(
        self,
        tag: str,
        attributes: dict[str, str] | None = None,
        children: list[Element] | None = None,
        text: str | None = None,
        namespaces: dict[str | None, str] | None = None,
    ) -> None:
        self.tag = tag
        self.attributes: dict[str, str] = attributes if attributes is not None else {}
        self.text = text
        self.tail: str | None = None
        self.namespaces: dict[str | None, str] = namespaces if namespaces else NO_DECLARATIONS  # type: ignore[assignment]
        self.parent: Element | None = None
        if children:
            self.children: list[Element] = children
            for child in children:
                child.parent = self
        else:
            self.children = []

    def __repr__(self) -> str:
        ident = self.attributes.get("id")
        return f"<Element {self.local}{' #' + ident if ident else ''}>"

    @property
    def local(self) -> str:
        return self.tag.rpartition("}")[2]

    @property
    def namespace(self) -> str | None:
        return self.tag[1:].partition("}")[0] if self.tag[:1] == "{" else None

    @property
    def id(self) -> str | None:
        return self.attributes.get("id")

    @property
    def is_comment(self) -> bool:
        return self.tag == COMMENT

    @property
    def is_element(self) -> bool:
        return self.tag[:1] != "#"

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.attributes.get(key, default)

    def find(self, tag: str) -> Element | None:
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def findall(self, tag: str) -> list[Element]:
        return [child for child in self.children if child.tag == tag]

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """This element and all below it in document order, without recursion."""
        stack = [self]
        while stack:
            node = stack.pop()
            if tag is None or node.tag == tag:
                yield node
            stack.extend(reversed(node.children))

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def index_in_parent(self) -> int:
        assert self.parent is not None
        for index, sibling in enumerate(self.parent.children):
            if sibling is self:
                return index
        raise ValueError(f"{self!r} is not a child of its parent")

    def namespace_for_prefix(self, prefix: str | None) -> str | None:
        node: Element | None = self
        while node is not None:
            if prefix in node.namespaces:
                return node.namespaces[prefix]
            node = node.parent
        return None

    def copy(self) -> Element:
        """A deep copy, detached from any parent, keeping every id as it is."""
        clone = Element(self.tag, dict(self.attributes), None, self.text, dict(self.namespaces) or None)
        clone.tail = self.tail
        clone.children = [child.copy() for child in self.children]
        for child in clone.children:
            child.parent = clone
        return clone

    def content(self) -> tuple:
        """Everything the element holds, as nested tuples, for comparing documents."""
        return (
            self.tag,
            tuple(self.attributes.items()),
            self.text,
            self.tail,
            tuple(sorted(self.namespaces.items(), key=lambda item: item[0] or "")),
            tuple(child.content() for child in self.children),
        )
