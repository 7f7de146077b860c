"""BPMN 2.0 XML reading and writing with lxml (formats layer).

Reading is forgiving: any prefix or default namespace, with or without DI, from any tool;
problems (duplicate ids, dangling references, bad numbers) are collected, not raised.
Reading is also safe: no DTD, no entities, no network or file access, bounded size and depth.
Writing is strict and deterministic: UTF-8, two-space indentation, the document's own
namespace declarations, and an atomic replace of the target file.
"""

from __future__ import annotations

import gc
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..model import references
from ..model.bpmn_schema import SUPERTYPES
from ..model.document import Document
from ..model.element import COMMENT, PROCESSING_INSTRUCTION, Element
from ..model.namespaces import BPMN, BPMNDI, DC, DI, PREFERRED_PREFIXES, XML
from ..model.namespaces import bpmn as bpmn_tag
from ..model.namespaces import dc as dc_tag
from ..model.namespaces import di as di_tag
from ..model.problems import ERROR, Problem

MAX_FILE_BYTES = 256 * 1024 * 1024
INDENT = "  "
_STRUCTURAL_NAMESPACES = (BPMNDI, DC, DI)
# Numeric DI attributes checked on load; a value that is not a number would make the saved
# file invalid, so it is read as 0 and reported.
_NUMERIC_ATTRIBUTES = {
    dc_tag("Bounds"): ("x", "y", "width", "height"),
    di_tag("waypoint"): ("x", "y"),
    dc_tag("Point"): ("x", "y"),
}


class BpmnReadError(Exception):
    """A file that cannot be read as a BPMN model; str() is one line naming file and reason."""


class BpmnWriteError(Exception):
    """A file that cannot be written; str() is one line naming file and reason."""


@dataclass
class LoadResult:
    document: Document
    problems: list[Problem]


# --- reading ------------------------------------------------------------------------------------


def read_bpmn(path: str | os.PathLike[str]) -> LoadResult:
    """Read a .bpmn file. Raises BpmnReadError with a one-line message for anything that is not
    a readable BPMN 2.0 model."""
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if size > MAX_FILE_BYTES:
            raise BpmnReadError(
                f"{name}: the file is {-(-size // (1024 * 1024))} MiB, more than the "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MiB a model may have"
            )
        with open(name, "rb") as handle:
            # the size is only a hint: a device or a pipe says 0 and may never end, so read on
            # past it only up to the limit
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
        if len(data) > MAX_FILE_BYTES:
            raise BpmnReadError(
                f"{name}: the file is more than the {MAX_FILE_BYTES // (1024 * 1024)} MiB a model may have"
            )
    except IsADirectoryError:
        raise BpmnReadError(f"{name}: is a folder, not a file") from None
    except OSError as error:
        raise BpmnReadError(f"{name}: cannot be read: {error.strerror or error}") from None
    return parse_bpmn(data, name)


def parse_bpmn(data: bytes, source: str = "<memory>") -> LoadResult:
    if len(data) > MAX_FILE_BYTES:
        raise BpmnReadError(f"{source}: more than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    if not data.strip():
        raise BpmnReadError(f"{source}: the file is empty")
    if b"\x00" in data[:1024] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BpmnReadError(f"{source}: not a BPMN model: the file holds binary data, not XML")
    try:
        with _collector_paused():
            document, built = _build(data)
    except _Refused as refusal:
        raise BpmnReadError(f"{source}: {refusal}") from None
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in str(error):
            raise BpmnReadError(f"{source}: refused: elements are nested more than 256 levels deep") from None
        raise BpmnReadError(f"{source}: not well-formed XML ({_syntax_message(error)})") from None
    except (ValueError, LookupError) as error:  # unknown encodings and the like
        raise BpmnReadError(f"{source}: not readable XML ({error})") from None
    problems = _check(document, built.elements, built.numeric)
    return LoadResult(document, problems)


class _Refused(Exception):
    pass


def _syntax_message(error: etree.XMLSyntaxError) -> str:
    message = (error.msg or str(error)).splitlines()[0]
    line = getattr(error, "lineno", None)
    return f"line {line}: {message}" if line else message


class _TreeBuilder:
    """An lxml parser target that builds model elements as libxml2 reads, so the file is read
    once and no lxml tree is made. Refuses a DTD and anything whose root is not a BPMN 2.0
    definitions element, before reading further."""

    def __init__(self, undo_ampersands: bool) -> None:
        self._undo_ampersands = undo_ampersands
        self.root: Element | None = None
        self.prolog: list[Element] = []
        self.elements: list[Element] = []
        self.numeric: list[Element] = []  # elements with coordinates, checked after reading
        self._open: list[Element] = []
        self._last: Element | None = None  # the last child closed: text now is its tail

    def doctype(self, *_: object) -> None:
        raise _Refused(
            "refused: the file declares a DTD (<!DOCTYPE>); BPMN models have none, "
            "and entities or external references are not read"
        )

    def start(self, tag: str, attrib: dict[str, str], nsmap: dict[str | None, str]) -> None:
        # lxml hands over a new dict for each element with attributes: it becomes ours
        attributes = attrib if attrib.__class__ is dict else {}
        if self._undo_ampersands:
            for key, value in attributes.items():
                if "&" in value:
                    attributes[key] = value.replace("&#38;", "&")
        # lxml names the default namespace '' here and None elsewhere; the model uses None
        element = Element(tag, attributes, None, None, {p or None: u for p, u in nsmap.items()} if nsmap else None)
        open_elements = self._open
        if open_elements:
            parent = open_elements[-1]
            element.parent = parent
            parent.children.append(element)
        else:
            _check_root(tag)
            self.root = element
        open_elements.append(element)
        self.elements.append(element)
        if tag in _NUMERIC_ATTRIBUTES:
            self.numeric.append(element)
        self._last = None

    def data(self, text: str) -> None:
        # libxml2 may hand one text over in several pieces
        last = self._last
        if last is not None:
            last.tail = text if last.tail is None else last.tail + text
        elif self._open:
            element = self._open[-1]
            element.text = text if element.text is None else element.text + text

    def end(self, _tag: str) -> None:
        element = self._open.pop()
        if element.children or element.text is not None:
            _settle_whitespace(element)
        self._last = element

    def comment(self, text: str) -> None:
        self._special(Element(COMMENT, text=text))

    def pi(self, target: str, text: str | None) -> None:
        self._special(Element(PROCESSING_INSTRUCTION, {"target": target}, text=text))

    def _special(self, item: Element) -> None:
        if self._open:
            item.parent = self._open[-1]
            self._open[-1].children.append(item)
            self._last = item
        elif self.root is None:
            self.prolog.append(item)
        # comments after the root element are not kept: nothing reads them there

    def close(self) -> None:
        return None


def _parser(target: object) -> etree.XMLParser:
    # No DTD is loaded, no entity is expanded, nothing is fetched; libxml2's default limits
    # (huge_tree off) bound nesting depth and the size of a single text node.
    return etree.XMLParser(
        target=target,
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
    )


class _AttributeProbe:
    def __init__(self) -> None:
        self.value = ""

    def start(self, _tag: str, attrib: dict[str, str]) -> None:
        self.value = attrib["v"]

    def close(self) -> None:
        return None


def _ampersand_kept_as_reference() -> bool:
    """Whether libxml2, not replacing entities, hands attribute values over with every '&'
    written as '&#38;' (it does in the versions seen so far); if so, the reader undoes it."""
    probe = _AttributeProbe()
    etree.fromstring(b'<a v="&amp;"/>', _parser(probe))
    return probe.value == "&#38;"


_AMPERSAND_KEPT_AS_REFERENCE = _ampersand_kept_as_reference()


def _build(data: bytes) -> tuple[Document, _TreeBuilder]:
    """Read the bytes into model elements. Returns the document and the builder, which
    knows all elements in document order (for the checks)."""
    builder = _TreeBuilder(undo_ampersands=_AMPERSAND_KEPT_AS_REFERENCE and b"&" in data)
    etree.fromstring(data, _parser(builder))
    if builder.root is None:
        raise _Refused("not a BPMN model: no root element")
    return Document(builder.root, builder.prolog), builder


def _check_root(tag: str) -> None:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local != "definitions":
        raise _Refused(f"not a BPMN 2.0 model: the root element is <{local}>, not <definitions>")
    if namespace != BPMN:
        shown = namespace or "no namespace"
        raise _Refused(f"not a BPMN 2.0 model: <definitions> is in {shown}, not in {BPMN}")


def _settle_whitespace(element: Element) -> None:
    """Once an element's children are read: whitespace between elements only formats the
    file, and is dropped; mixed content (text among children) is kept exactly."""
    children = element.children
    if not children:
        _settle_leaf_text(element)
        return
    text = element.text
    if text is not None and not text.isspace():
        return
    for child in children:
        tail = child.tail
        if tail is not None and not tail.isspace():
            return
    element.text = None
    for child in children:
        child.tail = None


def _settle_leaf_text(element: Element) -> None:
    text = element.text
    if text is not None and (not text or text.isspace()) and _structural(element.tag):
        element.text = None


def _structural(tag: str) -> bool:
    if tag == bpmn_tag("extensionElements"):
        return True
    if "tBaseElement" in SUPERTYPES.get(tag, ()):
        return True
    return tag[1:].partition("}")[0] in _STRUCTURAL_NAMESPACES


def _label(element: Element) -> str:
    """How a problem names an element: its id, or its kind and the id of what holds it."""
    if element.id:
        return element.id
    holder = next((a for a in element.ancestors() if a.id), None)
    return f"{element.local} in {holder.id}" if holder is not None else element.local


def one_line(text: str) -> str:
    """Text from the file as a problem quotes it: line breaks and other control characters
    escaped, so each problem stays one line and a file cannot forge lines of a report."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _check(document: Document, elements: list[Element], numeric_elements: list[Element]) -> list[Problem]:
    """Duplicate ids, dangling references and numbers that are not numbers, in one pass."""
    problems: list[Problem] = []
    ids, duplicates = references.index_ids(elements)
    document.adopt_ids(ids)
    for ident, count in duplicates.items():
        problems.append(Problem(ERROR, one_line(ident), f"the id is used by {count} elements"))
    for ref in references.dangling_references(document, elements):
        problems.append(
            Problem(
                ERROR,
                one_line(_label(ref.holder)),
                f"{ref.where} refers to '{one_line(ref.value)}', which is not in the file",
            )
        )
    for element in numeric_elements:
        numeric = _NUMERIC_ATTRIBUTES[element.tag]
        attributes = element.attributes
        for key in numeric:
            value = attributes.get(key)
            if value is None:
                continue
            try:
                # float() also takes '1_000' and non-ASCII digits, which xs:double does not
                number = float(value) if value.isascii() and "_" not in value else float("nan")
                good = number == number and number not in (float("inf"), float("-inf"))
            except ValueError:
                good = False
            if not good:
                # written back as 0 so the saved file stays valid; the problem says so
                attributes[key] = "0"
                owner = element.parent if element.parent is not None else element
                problems.append(
                    Problem(
                        ERROR,
                        one_line(_label(owner)),
                        f"{element.local} {key}='{one_line(value)}' is not a number; read as 0",
                    )
                )
    return problems


# --- writing ------------------------------------------------------------------------------------


def serialize(document: Document) -> bytes:
    """The document as UTF-8 BPMN XML; the same document always gives the same bytes."""
    with _collector_paused():
        return _serialize(document)


def _serialize(document: Document) -> bytes:
    # Namespaces are declared where the file (or the model's edits) declared them; one that
    # a tree built in code uses without declaring it gets a declaration where it is used.
    root = document.root

    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    for item in document.prolog:
        out.append(_special_markup(item))
        out.append("\n")
    _write_tree(root, out)
    out.append("\n")
    return "".join(out).encode("utf-8")


_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\n\r\t]')


def _escape_text(text: str) -> str:
    if _TEXT_SPECIAL.search(text) is None:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _as_is(value: str) -> str:
    return value


def _escape_attribute(value: str) -> str:
    # line breaks and tabs are written as references, or a parser would turn them into spaces
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _special_markup(item: Element) -> str:
    if item.tag == COMMENT:
        return f"<!--{item.text or ''}-->"
    text = f" {item.text}" if item.text else ""
    return f"<?{item.attributes.get('target', 'pi')}{text}?>"


class _Scope:
    """The namespace prefixes in force at one element: for element names (the default
    namespace counts) and for attributes (it does not), with the qualified names already
    worked out in this scope."""

    __slots__ = ("elements", "attributes", "default", "names", "keys")

    def __init__(self, elements: dict[str, str], attributes: dict[str, str], default: str | None) -> None:
        self.elements = elements  # uri -> "prefix:" or "" for the default namespace
        self.attributes = attributes  # uri -> "prefix:"
        self.default = default
        self.names: dict[str, str] = {}  # Clark tag -> qualified name
        self.keys: dict[str, str] = {}  # Clark attribute name -> qualified name

    def declare(self, declarations: dict[str | None, str]) -> _Scope:
        redeclared = {f"{p}:" for p in declarations if p is not None}
        default_redeclared = None in declarations
        elements = {
            u: p for u, p in self.elements.items() if p not in redeclared and not (p == "" and default_redeclared)
        }
        attributes = {u: p for u, p in self.attributes.items() if p not in redeclared}
        default = self.default
        for prefix, uri in declarations.items():
            if prefix is None:
                default = uri or None
                if uri:
                    elements.setdefault(uri, "")
            else:
                elements[uri] = f"{prefix}:"
                attributes[uri] = f"{prefix}:"
        return _Scope(elements, attributes, default)


_XML_SCOPE = {XML: "xml:"}


def _declaration(prefix: str | None, uri: str) -> str:
    return f' xmlns="{_escape_attribute(uri)}"' if prefix is None else f' xmlns:{prefix}="{_escape_attribute(uri)}"'


def _open_tag(element: Element, scope: _Scope, generated: list[int]) -> tuple[str, str, _Scope]:
    """The start tag (without its closing '>'), the qualified name and the element's scope."""
    namespaces = element.namespaces
    declarations = "".join(_declaration(p, u) for p, u in namespaces.items()) if namespaces else ""
    if namespaces:
        scope = scope.declare(namespaces)
    tag = element.tag
    name = scope.names.get(tag)
    if name is None:
        if tag[:1] == "{":
            uri, _, local = tag[1:].partition("}")
            prefix = scope.elements.get(uri)
            if prefix is None:
                prefix = _new_prefix(scope, uri, generated)
                declarations += _declaration(prefix[:-1], uri)
                scope = scope.declare({prefix[:-1]: uri})
            name = prefix + local
        elif scope.default:
            name = tag
            declarations += _declaration(None, "")
            scope = scope.declare({None: ""})
        else:
            name = tag
        scope.names[tag] = name
    attributes = element.attributes
    if not attributes:
        return f"<{name}{declarations}", name, scope
    parts = ["<", name, declarations]
    # most values need no escaping: look at them all at once before looking at each
    escape = _escape_attribute if _ATTRIBUTE_SPECIAL.search("".join(attributes.values())) else _as_is
    keys = scope.keys
    for key, value in attributes.items():
        if key[:1] == "{":
            qualified = keys.get(key)
            if qualified is None:
                uri, _, local = key[1:].partition("}")
                prefix = scope.attributes.get(uri)
                if prefix is None:
                    prefix = _new_prefix(scope, uri, generated)
                    parts.append(_declaration(prefix[:-1], uri))
                    scope = scope.declare({prefix[:-1]: uri})
                    keys = scope.keys
                qualified = keys[key] = prefix + local
            key = qualified
        parts.append(f' {key}="{escape(value)}"')
    return "".join(parts), name, scope


def _write_tree(root: Element, out: list[str]) -> None:
    """Write the element tree as XML text, without recursion: two-space indentation where
    content is only elements, mixed content exactly as it is."""
    write = out.append
    generated = [0]
    # the stack holds markup to write (str) and elements to open with their parent's scope
    stack: list = [(root, _Scope(dict(_XML_SCOPE), dict(_XML_SCOPE), None), 0)]
    pop, extend = stack.pop, stack.extend
    while stack:
        entry = pop()
        if entry.__class__ is str:
            write(entry)
            continue
        element, scope, depth = entry
        if element.tag[:1] == "#":
            write(_special_markup(element))
            continue
        opening, name, scope = _open_tag(element, scope, generated)
        children = element.children
        text = element.text
        if not children:
            write(f"{opening}>{_escape_text(text)}</{name}>" if text else opening + "/>")
            continue
        write(opening + ">")
        if text is None and all(child.tail is None for child in children):
            inner = "\n" + INDENT * (depth + 1)
            pending: list = [f"\n{INDENT * depth}</{name}>"]
            for child in reversed(children):
                pending.append((child, scope, depth + 1))
                pending.append(inner)
        else:
            pending = [f"</{name}>"]
            for child in reversed(children):
                if child.tail:
                    pending.append(_escape_text(child.tail))
                pending.append((child, scope, depth + 1))
            if text:
                pending.append(_escape_text(text))
        extend(pending)


def _new_prefix(scope: _Scope, uri: str, generated: list[int]) -> str:
    """A prefix for a namespace no declaration in scope names (trees built in code only)."""
    preferred = PREFERRED_PREFIXES.get(uri)
    taken = set(scope.elements.values()) | set(scope.attributes.values())
    if preferred and f"{preferred}:" not in taken:
        return f"{preferred}:"
    while True:
        generated[0] += 1
        candidate = f"ns{generated[0]}:"
        if candidate not in taken:
            return candidate


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading or writing makes tens of thousands of objects that all live on; pausing the
    cyclic garbage collector meanwhile saves it from scanning them again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_bpmn(document: Document, path: str | os.PathLike[str]) -> None:
    """Save atomically: write a temporary file beside the target, flush and fsync it, then
    rename it over the target, so the target is always the whole old or the whole new file."""
    data = serialize(document)
    write_atomic(Path(path), data)


def write_atomic(target: Path, data: bytes) -> None:
    directory = target.parent if str(target.parent) else Path(".")
    try:
        mode = os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as error:
        raise BpmnWriteError(f"{target}: cannot be written: {error.strerror or error}") from None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".saving", dir=directory)
    except OSError as error:
        raise BpmnWriteError(f"{target}: cannot be written: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise BpmnWriteError(f"{target}: cannot be written: {error.strerror or error}") from None
    try:
        directory_handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # some platforms cannot open folders; the rename itself is done
    try:
        os.fsync(directory_handle)
    except OSError:
        pass
    finally:
        os.close(directory_handle)


__all__ = [
    "BpmnReadError",
    "BpmnWriteError",
    "LoadResult",
    "Problem",
    "parse_bpmn",
    "read_bpmn",
    "serialize",
    "write_bpmn",
]
