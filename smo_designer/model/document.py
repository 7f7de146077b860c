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
from .namespaces import BPMN, BPMNDI, DC, DI, SMO

NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


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

    def inverse(self) -> AttributeChanged:
        return AttributeChanged(self.element, self.key, self.new, self.old)


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


Change = AttributeChanged | TextChanged | ChildInserted | ChildRemoved
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

    # --- ids ---------------------------------------------------------------------------------

    def _rebuild_ids(self) -> None:
        ids: dict[str, Element] = {}
        for node in self.root.iter():
            ident = node.attributes.get("id")
            if ident is not None and ident not in ids and carries_id(node):
                ids[ident] = node
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
        old = element.attributes.get(key)
        if old != value:
            self._apply(AttributeChanged(element, key, old, value))

    def set_text(self, element: Element, text: str | None) -> None:
        if element.text != text:
            self._apply(TextChanged(element, element.text, text))

    def insert(self, parent: Element, index: int, child: Element) -> None:
        if child.parent is not None:
            raise ValueError(f"{child!r} already has a parent; remove it first")
        index = max(0, min(index, len(parent.children)))
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

    def _apply(self, change: Change) -> None:
        if isinstance(change, AttributeChanged):
            element = change.element
            if change.new is None:
                element.attributes.pop(change.key, None)
            else:
                element.attributes[change.key] = change.new
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
