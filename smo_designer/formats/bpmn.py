"""BPMN 2.0 XML reading and writing with lxml (formats layer).

Reading is forgiving: any prefix or default namespace, with or without DI, from any tool;
problems (duplicate ids, dangling references, bad numbers) are collected, not raised.
Reading is also safe: no DTD, no entities, no network or file access, bounded size and depth.
Writing is strict and deterministic: UTF-8, two-space indentation, the document's own
namespace declarations, and an atomic replace of the target file.
"""

from __future__ import annotations

import os
import tempfile
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


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" or "warning"
    element: str  # the id of the element concerned, or a description where it has none
    message: str

    def __str__(self) -> str:
        return f"{self.element}: {self.message}"


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
            raise BpmnReadError(f"{name}: the file is {size // (1024 * 1024)} MiB, more than the "
                                f"{MAX_FILE_BYTES // (1024 * 1024)} MiB a model may have")
        with open(name, "rb") as handle:
            data = handle.read()
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
        document = _build(data)
    except _Refused as refusal:
        raise BpmnReadError(f"{source}: {refusal}") from None
    except etree.XMLSyntaxError as error:
        raise BpmnReadError(f"{source}: not well-formed XML ({_syntax_message(error)})") from None
    except (ValueError, LookupError) as error:  # unknown encodings and the like
        raise BpmnReadError(f"{source}: not readable XML ({error})") from None
    problems = _check(document)
    return LoadResult(document, problems)


class _Refused(Exception):
    pass


def _syntax_message(error: etree.XMLSyntaxError) -> str:
    message = (error.msg or str(error)).splitlines()[0]
    line = getattr(error, "lineno", None)
    return f"line {line}: {message}" if line else message


def _parser_events(data: bytes):
    # No DTD is loaded, no entity is expanded, nothing is fetched; libxml2's default limits
    # (huge_tree off) bound nesting depth and the size of a single text node.
    return etree.iterparse(
        _BytesSource(data),
        events=("start", "end", "start-ns", "comment", "pi"),
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )


class _BytesSource:
    """A file-like object over bytes (iterparse wants a file or a name)."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = len(self._data) - self._position
        chunk = self._data[self._position : self._position + size]
        self._position += len(chunk)
        return chunk.tobytes()


def _build(data: bytes) -> Document:
    events = _parser_events(data)
    stack: list[tuple[Element, etree._Element]] = []
    pending_namespaces: dict[str | None, str] = {}
    prolog: list[Element] = []
    root: Element | None = None
    for event, node in events:
        if event == "start-ns":
            prefix, uri = node
            pending_namespaces[prefix or None] = uri
        elif event == "start":
            if root is None:
                docinfo = node.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None:
                    raise _Refused(
                        "refused: the file declares a DTD (<!DOCTYPE>); BPMN models have none, "
                        "and entities or external references are not read"
                    )
                _check_root(node)
            element = Element(node.tag, dict(node.attrib), namespaces=pending_namespaces)
            pending_namespaces = {}
            if stack:
                parent = stack[-1][0]
                element.parent = parent
                parent.children.append(element)
            else:
                root = element
            stack.append((element, node))
        elif event == "end":
            element, _ = stack.pop()
            _finish(element, node)
            if stack:
                # the parent keeps what it needs; dropping finished subtrees keeps memory flat
                pass
        else:  # comment or processing instruction
            if event == "comment":
                item = Element(COMMENT, text=node.text)
            else:
                item = Element(PROCESSING_INSTRUCTION, {"target": node.target}, text=node.text)
            if stack:
                item.parent = stack[-1][0]
                stack[-1][0].children.append(item)
            elif root is None:
                prolog.append(item)
            # comments after the root element are not kept: nothing reads them there
    if root is None:
        raise _Refused("not a BPMN model: no root element")
    return Document(root, prolog)


def _check_root(node: etree._Element) -> None:
    tag = node.tag
    if not isinstance(tag, str):
        raise _Refused("not a BPMN model: no root element")
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local != "definitions":
        raise _Refused(f"not a BPMN 2.0 model: the root element is <{local}>, not <definitions>")
    if namespace != BPMN:
        shown = namespace or "no namespace"
        raise _Refused(f"not a BPMN 2.0 model: <definitions> is in {shown}, not in {BPMN}")


def _finish(element: Element, node: etree._Element) -> None:
    """Take text and tails once the element is complete; drop whitespace that only formats."""
    text = node.text
    children = element.children
    if children:
        tails = [child.tail for child in node]
        formatting = (text is None or not text.strip()) and all(t is None or not t.strip() for t in tails)
        if formatting:
            element.text = None
        else:
            element.text = text
            for child, tail in zip(children, tails, strict=True):
                child.tail = tail
    elif text is not None and not text.strip() and _structural(element.tag):
        element.text = None
    else:
        element.text = text


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


def _check(document: Document) -> list[Problem]:
    problems: list[Problem] = []
    for ident, elements in references.duplicate_ids(document).items():
        problems.append(Problem("error", ident, f"the id is used by {len(elements)} elements"))
    for ref in references.dangling_references(document):
        problems.append(
            Problem("error", _label(ref.holder), f"{ref.where} refers to '{ref.value}', which is not in the file")
        )
    for element in document.root.iter():
        numeric = _NUMERIC_ATTRIBUTES.get(element.tag)
        if numeric is None:
            continue
        for key in numeric:
            value = element.attributes.get(key)
            if value is None:
                continue
            try:
                number = float(value)
                good = number == number and number not in (float("inf"), float("-inf"))
            except ValueError:
                good = False
            if not good:
                # written back as 0 so the saved file stays valid; the problem says so
                element.attributes[key] = "0"
                owner = element.parent if element.parent is not None else element
                problems.append(
                    Problem("error", _label(owner), f"{element.local} {key}='{value}' is not a number; read as 0")
                )
    return problems


# --- writing ------------------------------------------------------------------------------------


def serialize(document: Document) -> bytes:
    """The document as UTF-8 BPMN XML; the same document always gives the same bytes."""
    root = document.root
    root_namespaces = dict(root.namespaces)
    declared = set(root_namespaces.values())
    for node in root.iter():
        declared.update(node.namespaces.values())
    for namespace in sorted(_used_namespaces(root) - declared - {XML}):
        prefix = PREFERRED_PREFIXES.get(namespace, "ns")
        candidate, number = prefix, 1
        while candidate in root_namespaces:
            number += 1
            candidate = f"{prefix}{number}"
        root_namespaces[candidate] = namespace

    lx_root = etree.Element(root.tag, root.attributes, nsmap=root_namespaces)
    lx_root.text = root.text
    stack: list[tuple[Element, etree._Element, int]] = [(root, lx_root, 0)]
    while stack:
        element, lx_element, depth = stack.pop()
        children = element.children
        if not children:
            continue
        pretty = element.text is None and all(child.tail is None for child in children)
        inner = "\n" + INDENT * (depth + 1)
        if pretty:
            lx_element.text = inner
        pending = []
        for child in children:
            if child.tag == COMMENT:
                lx_child = etree.Comment(child.text)
                lx_element.append(lx_child)
            elif child.tag == PROCESSING_INSTRUCTION:
                lx_child = etree.ProcessingInstruction(child.attributes.get("target", "pi"), child.text)
                lx_element.append(lx_child)
            else:
                lx_child = etree.SubElement(
                    lx_element, child.tag, child.attributes, nsmap=child.namespaces or None
                )
                lx_child.text = child.text
                if child.children:
                    pending.append((child, lx_child, depth + 1))
            lx_child.tail = inner if pretty else child.tail
        if pretty:
            lx_child.tail = "\n" + INDENT * depth
        stack.extend(reversed(pending))

    for item in document.prolog:
        if item.tag == COMMENT:
            lx_root.addprevious(etree.Comment(item.text))
        elif item.tag == PROCESSING_INSTRUCTION:
            lx_root.addprevious(etree.ProcessingInstruction(item.attributes.get("target", "pi"), item.text))
    body = etree.tostring(lx_root.getroottree(), encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def _used_namespaces(root: Element) -> set[str]:
    used: set[str] = set()
    for node in root.iter():
        if node.tag[:1] == "{":
            used.add(node.tag[1:].partition("}")[0])
        for key in node.attributes:
            if key[:1] == "{":
                used.add(key[1:].partition("}")[0])
    return used


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
_ = (BPMN, bpmn_tag)
