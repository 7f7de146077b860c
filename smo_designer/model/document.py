"""The document and the one mutation API every edit goes through (model layer).

Four primitive changes (set an attribute, set text, insert a child, remove a child) are the
only way the tree changes. Each is emitted to subscribers as it happens and recorded in the
current Edit, which can undo and redo them; commands wrap Edits, views listen to changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .element import Element
from .namespaces import BPMN, BPMNDI, DC, DI, PREFERRED_PREFIXES, SMO, XML

NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_xml_text(value: str) -> str:
    """The value, if a file can hold it; ValueError naming the character otherwise."""
    found = _NOT_XML.search(value)
    if found:
        raise ValueError(f"text cannot hold the control character U+{ord(found.group()):04X}")
    return value


_IDENTIFIED_PREFIXES = tuple("{" + namespace + "}" for namespace in (BPMN, BPMNDI, DI, DC, SMO))


def carries_id(element: Element) -> bool:
    """Whether the element's id attribute is a document id: BPMN, DI and our own elements.
    Other vendors' extension elements may use `id` for their own purposes."""
    return element.tag.startswith(_IDENTIFIED_PREFIXES)


@dataclass(frozen=True, eq=False)
class AttributeChanged:
    element: Element
    key: str
    old: str | None
    new: str | None
    # where the attribute stands among the element's attributes, so that undoing a removal
    # puts it back in place and the file comes out byte for byte as before
    position: int = -1

    def inverse(self) -> AttributeChanged:
        return AttributeChanged(self.element, self.key, self.new, self.old, self.position)


@dataclass(frozen=True, eq=False)
class TextChanged:
    element: Element
    old: str | None
    new: str | None

    def inverse(self) -> TextChanged:
        return TextChanged(self.element, self.new, self.old)


@dataclass(frozen=True, eq=False)
class ChildInserted:
    parent: Element
    index: int
    child: Element

    def inverse(self) -> ChildRemoved:
        return ChildRemoved(self.parent, self.index, self.child)


@dataclass(frozen=True, eq=False)
class ChildRemoved:
    parent: Element
    index: int
    child: Element

    def inverse(self) -> ChildInserted:
        return ChildInserted(self.parent, self.index, self.child)


@dataclass(frozen=True, eq=False)
class NamespaceDeclared:
    """A prefix declared on an element (prefix None: the default namespace); `uri` None
    removes the declaration. Made by the document itself when an edit first uses a namespace,
    so that undoing the edit removes the declaration too."""

    element: Element
    prefix: str | None
    old: str | None
    new: str | None

    def inverse(self) -> NamespaceDeclared:
        return NamespaceDeclared(self.element, self.prefix, self.new, self.old)


Change = AttributeChanged | TextChanged | ChildInserted | ChildRemoved | NamespaceDeclared
Listener = Callable[[Change], None]


@dataclass(eq=False)
class Edit:
    """The changes of one user intent, in the order they were made."""

    label: str
    changes: list[Change] = field(default_factory=list)

    def undo(self, document: Document) -> None:
        for change in reversed(self.changes):
            document._apply(change.inverse())

    def redo(self, document: Document) -> None:
        for change in self.changes:
            document._apply(change)


class Document:
    """A BPMN document: the root `definitions` element, what stands before it, and its ids."""

    def __init__(self, root: Element, prolog: list[Element] | None = None) -> None:
        self.root = root
        # Comments and processing instructions before the root element.
        self.prolog: list[Element] = prolog or []
        self._listeners: list[Listener] = []
        self._edit: Edit | None = None
        self._ids: dict[str, Element] = {}
        self._ids_stale = True
        self._id_counters: dict[str, int] = {}
        # Indexes other modules derive from the tree (such as a diagram's shape index). They
        # are dropped when an element with an id comes or goes, or a reference changes.
        self.derived: dict[object, object] = {}

    # --- ids ---------------------------------------------------------------------------------

    def _rebuild_ids(self) -> None:
        ids: dict[str, Element] = {}
        for node in self.root.iter():
            ident = node.attributes.get("id")
            if ident is not None and ident not in ids and carries_id(node):
                ids[ident] = node
        self._ids = ids
        self._ids_stale = False

    def adopt_ids(self, ids: dict[str, Element]) -> None:
        """Take an id index built by whoever read the document (it walked the tree already)."""
        self._ids = ids
        self._ids_stale = False

    def element(self, ident: str | None) -> Element | None:
        """The element with this id (the first one, if a file repeated it)."""
        if ident is None:
            return None
        if self._ids_stale:
            self._rebuild_ids()
        return self._ids.get(ident)

    def ids(self) -> dict[str, Element]:
        if self._ids_stale:
            self._rebuild_ids()
        return self._ids

    def new_id(self, prefix: str) -> str:
        """An id not used in the document, a valid NCName of the form Prefix_N."""
        prefix = re.sub(r"[^A-Za-z0-9_.\-]", "_", prefix) or "Element"
        if not NCNAME.match(prefix):
            prefix = "_" + prefix
        ids = self.ids()
        number = self._id_counters.get(prefix, 0)
        while True:
            number += 1
            candidate = f"{prefix}_{number}"
            if candidate not in ids:
                self._id_counters[prefix] = number
                return candidate

    # --- events ------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # --- the mutation API --------------------------------------------------------------------

    @contextmanager
    def edit(self, label: str) -> Iterator[Edit]:
        """Group the changes made inside into one Edit. If the block raises, every change made
        in it is rolled back, so an edit is applied whole or not at all. Nested blocks join the
        outer one."""
        if self._edit is not None:
            yield self._edit
            return
        edit = Edit(label)
        self._edit = edit
        try:
            yield edit
        except BaseException:
            self._edit = None
            edit.undo(self)
            raise
        finally:
            self._edit = None

    def set_attribute(self, element: Element, key: str, value: str | None) -> None:
        """Set (or with None remove) an attribute; key is a Clark name for namespaced ones."""
        if value is not None:
            check_xml_text(value)
            if key[:1] == "{":
                self._declare_namespaces(element, [key[1:].partition("}")[0]])
        attributes = element.attributes
        old = attributes.get(key)
        if old != value:
            position = list(attributes).index(key) if key in attributes else len(attributes)
            self._apply(AttributeChanged(element, key, old, value, position))

    def set_text(self, element: Element, text: str | None) -> None:
        """Set the text of an element; an empty text is no text (as a file reads back)."""
        text = check_xml_text(text) if text else None
        if element.text != text:
            self._apply(TextChanged(element, element.text, text))

    def insert(self, parent: Element, index: int, child: Element) -> None:
        if child.parent is not None:
            raise ValueError(f"{child!r} already has a parent; remove it first")
        for node in child.iter():
            for value in (node.text, node.tail, *node.attributes.values()):
                if value:
                    check_xml_text(value)
        index = max(0, min(index, len(parent.children)))
        self._declare_namespaces(parent, _namespaces_used(child))
        self._apply(ChildInserted(parent, index, child))

    def append(self, parent: Element, child: Element) -> None:
        self.insert(parent, len(parent.children), child)

    def remove(self, child: Element) -> int:
        """Detach `child` (with everything below it) from its parent; returns its old index."""
        parent = child.parent
        if parent is None:
            raise ValueError(f"{child!r} has no parent")
        index = child.index_in_parent()
        self._apply(ChildRemoved(parent, index, child))
        return index

    def _declare_namespaces(self, where: Element, namespaces: list[str]) -> None:
        """Declare on the root each namespace not yet in scope at `where`, with its usual prefix."""
        in_scope: set[str] | None = None
        for namespace in namespaces:
            if namespace == XML:
                continue
            if in_scope is None:
                in_scope = {uri for node in (where, *where.ancestors()) for uri in node.namespaces.values()}
            if namespace in in_scope:
                continue
            taken = self.root.namespaces
            base = PREFERRED_PREFIXES.get(namespace, "ns")
            prefix, number = base, 1
            while prefix in taken:
                number += 1
                prefix = f"{base}{number}"
            self._apply(NamespaceDeclared(self.root, prefix, None, namespace))
            in_scope.add(namespace)

    def _apply(self, change: Change) -> None:
        if self.derived and _changes_structure(change):
            self.derived.clear()
        if isinstance(change, NamespaceDeclared):
            declarations = dict(change.element.namespaces)  # the shared empty mapping is read-only
            if change.new is None:
                declarations.pop(change.prefix, None)
            else:
                declarations[change.prefix] = change.new
            change.element.namespaces = declarations
        elif isinstance(change, AttributeChanged):
            attributes = change.element.attributes
            if change.new is None:
                attributes.pop(change.key, None)
            elif change.key in attributes or change.position >= len(attributes) or change.position < 0:
                attributes[change.key] = change.new
            else:
                items = list(attributes.items())
                items.insert(change.position, (change.key, change.new))
                attributes.clear()
                attributes.update(items)
            if change.key == "id":
                self._ids_stale = True
        elif isinstance(change, TextChanged):
            change.element.text = change.new
        elif isinstance(change, ChildInserted):
            change.parent.children.insert(change.index, change.child)
            change.child.parent = change.parent
            if not self._ids_stale:
                for node in change.child.iter():
                    ident = node.attributes.get("id")
                    if ident is not None and carries_id(node):
                        self._ids.setdefault(ident, node)
        else:
            removed = change.parent.children.pop(change.index)
            assert removed is change.child, "removal index out of step with the tree"
            removed.parent = None
            if not self._ids_stale and any(
                self._ids.get(node.attributes.get("id", "")) is node for node in removed.iter()
            ):
                # another element may carry the same id (a file with duplicates): re-index
                self._ids_stale = True
        if self._edit is not None:
            self._edit.changes.append(change)
        for listener in list(self._listeners):
            listener(change)

    # --- comparison --------------------------------------------------------------------------

    def content(self) -> tuple:
        """Everything the document holds, for equality checks in tests and round trips."""
        return (tuple(node.content() for node in self.prolog), self.root.content())


STRUCTURAL_ATTRIBUTES = frozenset({"id", "bpmnElement", "sourceRef", "targetRef", "attachedToRef", "processRef"})


def _changes_structure(change: Change) -> bool:
    """Whether a change can alter which element is where: an element with an id inserted or
    removed, or an attribute that names or links elements. Bounds, waypoints and texts do not."""
    if isinstance(change, (ChildInserted, ChildRemoved)):
        child = change.child
        return (
            "id" in child.attributes or child.local in ("sourceRef", "targetRef", "flowNodeRef") or bool(child.children)
        )
    if isinstance(change, AttributeChanged):
        return change.key in STRUCTURAL_ATTRIBUTES
    if isinstance(change, TextChanged):
        return change.element.local in ("sourceRef", "targetRef", "flowNodeRef")
    return False


def _namespaces_used(element: Element) -> list[str]:
    """Namespaces of the tags and attributes in a subtree, in first-use order, excluding
    those the subtree declares itself."""
    used: dict[str, None] = {}
    declared: set[str] = set()
    for node in element.iter():
        declared.update(node.namespaces.values())
        if node.tag[:1] == "{":
            used[node.tag[1:].partition("}")[0]] = None
        for key in node.attributes:
            if key[:1] == "{":
                used[key[1:].partition("}")[0]] = None
    return [namespace for namespace in used if namespace not in declared]
