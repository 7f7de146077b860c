"""Round trips of the 21 MIWG reference models: nothing lost, valid, deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest
from bpmn_checks import moddle_warnings, xsd_errors
from conftest import miwg_files
from lxml import etree

from smo_designer.cli import main as cli_main
from smo_designer.formats.bpmn import parse_bpmn, read_bpmn, serialize

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
REFERENCES = pytest.mark.parametrize("reference", miwg_files(), ids=lambda p: p.stem)


def semantic_tree(data: bytes) -> list:
    """What a file says, independent of formatting: every element with its namespace, every
    attribute with its value (xsi:type QNames resolved), the namespaces in scope, every
    non-formatting text, and comments, in document order."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    rows: list = []
    for node in root.iter():
        if isinstance(node, etree._Comment):
            rows.append(("comment", node.text))
            continue
        if not isinstance(node.tag, str):
            rows.append(("pi", node.target, node.text))
            continue
        attributes = dict(node.attrib)
        if XSI_TYPE in attributes:
            prefix, _, local = attributes[XSI_TYPE].rpartition(":")
            attributes[XSI_TYPE] = f"{{{node.nsmap.get(prefix or None)}}}{local}"
        text = node.text if node.text and node.text.strip() else None
        # whitespace is formatting only between elements; a leaf keeps its text as it is
        if len(node) == 0 and node.text and node.text.strip():
            text = node.text
        tail = node.tail if node.tail and node.tail.strip() else None
        rows.append((node.tag, sorted(attributes.items()), sorted(node.nsmap.items(), key=str), text, tail))
    return rows


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every reference model saved by `smo-designer convert`, as a user would do it."""
    out = tmp_path_factory.mktemp("converted")
    saved = {}
    for reference in miwg_files():
        target = out / reference.name
        assert cli_main(["convert", str(reference), str(target)]) == 0
        saved[reference.name] = target
    return saved


def test_all_twenty_one_references_are_there() -> None:
    assert len(miwg_files()) == 21


@REFERENCES
def test_convert_loses_nothing(reference: Path, converted: dict[str, Path]) -> None:
    original = semantic_tree(reference.read_bytes())
    saved = semantic_tree(converted[reference.name].read_bytes())
    assert len(saved) == len(original)
    for before, after in zip(original, saved, strict=True):
        assert after == before


@REFERENCES
def test_converted_file_is_xsd_valid(reference: Path, converted: dict[str, Path]) -> None:
    assert xsd_errors(converted[reference.name].read_bytes()) == []


def test_converted_files_have_no_more_moddle_warnings(converted: dict[str, Path], bpmn_moddle: Path) -> None:
    before = moddle_warnings(bpmn_moddle, miwg_files())
    after = moddle_warnings(bpmn_moddle, list(converted.values()))
    for reference in miwg_files():
        original = [w for w in before[str(reference)] if w["kind"] != "encoding"]
        saved = after[str(converted[reference.name])]
        assert len(saved) <= len(original), (reference.name, saved)
        if reference.name != "C.8.1.bpmn":
            assert saved == []
    # the only ones left: C.8.1's three references to messages defined outside the file
    c81 = after[str(converted["C.8.1.bpmn"])]
    assert [w["kind"] for w in c81] == ["unresolvedReference"] * 3


@REFERENCES
def test_load_save_of_a_saved_file_is_byte_identical(reference: Path, converted: dict[str, Path]) -> None:
    first = converted[reference.name].read_bytes()
    again = serialize(parse_bpmn(first, "saved").document)
    assert again == first


@REFERENCES
def test_saving_twice_gives_identical_bytes(reference: Path) -> None:
    document = read_bpmn(reference).document
    assert serialize(document) == serialize(document)


@REFERENCES
def test_reloaded_document_equals_the_loaded_one(reference: Path) -> None:
    loaded = read_bpmn(reference).document
    reloaded = parse_bpmn(serialize(loaded), "saved").document
    assert reloaded.content() == loaded.content()


def test_written_file_is_utf8_with_declaration(converted: dict[str, Path]) -> None:
    data = converted["A.1.0.bpmn"].read_bytes()  # the original is ISO-8859-1
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    data.decode("utf-8")


def test_foreign_extensions_survive_in_place(converted: dict[str, Path]) -> None:
    # C.1.0 is a Signavio export with signavio:signavioMetaData inside extensionElements
    saved = etree.parse(str(converted["C.1.0.bpmn"])).getroot()
    original = etree.parse(str(Path(miwg_files()[0]).parent / "C.1.0.bpmn")).getroot()
    ns = "{http://www.signavio.com}signavioMetaData"
    before = [(e.getparent().getparent().get("id"), dict(e.attrib)) for e in original.iter(ns)]
    after = [(e.getparent().getparent().get("id"), dict(e.attrib)) for e in saved.iter(ns)]
    assert before and after == before
