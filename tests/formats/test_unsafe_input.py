"""Hostile and broken files: a clear one-line message or a load with its problems listed;
never a traceback, never a hang, never the content of another file."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from bpmn_checks import xsd_errors
from conftest import MIWG

from smo_designer.formats import bpmn as bpmn_format
from smo_designer.formats.bpmn import BpmnReadError, parse_bpmn, read_bpmn, serialize

SECRET = "TOP-SECRET-MARKER-4711"
HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
OPEN = b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="urn:test">'
CLOSE = b"</bpmn:definitions>"
XINCLUDE = "http://www.w3.org/2001/XInclude"


def model(body: bytes, prolog: bytes = b"") -> bytes:
    return HEAD + prolog + OPEN + body + CLOSE


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def refused(tmp_path: Path, data: bytes, name: str = "hostile.bpmn") -> str:
    """Write the bytes to a file, read it, and return the one-line message it is refused with."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BpmnReadError) as caught:
        read_bpmn(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path) + ": ")
    assert "Traceback" not in message and SECRET not in message
    return message


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "smo_designer", *args], capture_output=True, text=True, timeout=timeout
    )


def test_external_file_entity_is_refused(tmp_path: Path, secret_file: Path) -> None:
    data = model(
        b"<bpmn:process id='P'><bpmn:documentation>&e;</bpmn:documentation></bpmn:process>",
        f'<!DOCTYPE d [<!ENTITY e SYSTEM "{secret_file.as_uri()}">]>\n'.encode(),
    )
    assert "DTD" in refused(tmp_path, data)


def test_external_network_entity_is_refused(tmp_path: Path) -> None:
    data = model(
        b"<bpmn:process id='P'><bpmn:documentation>&e;</bpmn:documentation></bpmn:process>",
        b'<!DOCTYPE d [<!ENTITY e SYSTEM "http://127.0.0.1:9/secret">]>\n',
    )
    assert "DTD" in refused(tmp_path, data)


def test_parameter_entity_and_external_dtd_are_refused(tmp_path: Path, secret_file: Path) -> None:
    parameter = f'<!DOCTYPE d [<!ENTITY % p SYSTEM "{secret_file.as_uri()}"> %p;]>\n'.encode()
    assert "DTD" in refused(tmp_path, model(b"", parameter))
    external = f'<!DOCTYPE definitions SYSTEM "{secret_file.as_uri()}">\n'.encode()
    assert "DTD" in refused(tmp_path, model(b"", external), "external.bpmn")


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    entities = '<!ENTITY l0 "ha">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = model(b"<bpmn:process id='P' name='&l9;'/>", f"<!DOCTYPE d [{entities}]>\n".encode())
    assert "DTD" in refused(tmp_path, data)


def test_quadratic_blowup_is_refused(tmp_path: Path) -> None:
    big = "x" * 50_000
    data = model(
        b"<bpmn:process id='P'><bpmn:documentation>" + b"&a;" * 5_000 + b"</bpmn:documentation></bpmn:process>",
        f'<!DOCTYPE d [<!ENTITY a "{big}">]>\n'.encode(),
    )
    assert "DTD" in refused(tmp_path, data)


def test_xinclude_is_kept_as_an_element_and_never_followed(tmp_path: Path, secret_file: Path) -> None:
    body = (
        b"<bpmn:process id='P'><bpmn:extensionElements>"
        + f'<xi:include xmlns:xi="{XINCLUDE}" href="{secret_file.as_uri()}" parse="text"/>'.encode()
        + b"</bpmn:extensionElements></bpmn:process>"
    )
    path = tmp_path / "xinclude.bpmn"
    path.write_bytes(model(body))
    saved = serialize(read_bpmn(path).document)
    assert SECRET.encode() not in saved and b"xi:include" in saved


def test_truncated_file_gets_one_line(tmp_path: Path) -> None:
    data = (MIWG / "B.2.0.bpmn").read_bytes()
    message = refused(tmp_path, data[: len(data) // 2])
    assert "not well-formed XML" in message and "line" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (HEAD + b'<process xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>', "root element is <process>"),
        (HEAD + b'<definitions xmlns="http://schema.omg.org/spec/BPMN/2.0"/>', "http://schema.omg.org/spec/BPMN/2.0"),
        (HEAD + b"<definitions/>", "no namespace"),
        (HEAD + b'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>', "not a BPMN 2.0 model"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"PK\x03\x04" + zlib.compress(b"<definitions/>") + b"\x00" * 30, "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"just some notes", "not well-formed XML"),
        (b'<?xml version="1.0" encoding="no-such-encoding"?><a/>', "encoding"),
        ('<?xml version="1.0" encoding="UTF-8"?><definitions name="caf\u00e9"/>'.encode("latin-1"), "not well-formed"),
    ],
    ids=[
        "wrong-root",
        "beta-namespace",
        "no-namespace",
        "schema",
        "empty",
        "blank",
        "png",
        "zip",
        "bytes",
        "text",
        "unknown-encoding",
        "wrong-encoding",
    ],
)
def test_files_that_are_not_models_get_one_line(tmp_path: Path, data: bytes, expected: str) -> None:
    assert expected in refused(tmp_path, data)


def test_a_folder_and_a_missing_file_get_one_line(tmp_path: Path) -> None:
    for path, expected in ((tmp_path, "folder"), (tmp_path / "missing.bpmn", "cannot be read")):
        with pytest.raises(BpmnReadError) as caught:
            read_bpmn(path)
        assert str(caught.value).startswith(str(path)) and expected in str(caught.value)


def test_deep_nesting_is_refused_without_hanging(tmp_path: Path) -> None:
    depth = 100_000
    body = b"<bpmn:extensionElements>" + b"<v:x xmlns:v='urn:v'>" * depth + b"</v:x>" * depth
    data = model(b"<bpmn:process id='P'>" + body + b"</bpmn:extensionElements></bpmn:process>")
    path = tmp_path / "deep.bpmn"
    path.write_bytes(data)
    run = cli("check", str(path), timeout=60)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert run.stderr.strip() == f"{path}: refused: elements are nested more than 256 levels deep"


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bpmn_format, "MAX_FILE_BYTES", 1024)
    message = refused(tmp_path, model(b"<bpmn:process id='P'/>" + b" " * 2000))
    assert "MiB" in message


def test_dangling_references_load_with_problems_listed() -> None:
    data = model(
        b"<bpmn:process id='P'><bpmn:task id='T'/>"
        b"<bpmn:sequenceFlow id='F' sourceRef='T' targetRef='Missing'/></bpmn:process>"
    )
    result = parse_bpmn(data, "dangling.bpmn")
    assert [(p.severity, p.element, p.message) for p in result.problems] == [
        ("error", "F", "targetRef refers to 'Missing', which is not in the file")
    ]
    assert serialize(result.document).count(b'targetRef="Missing"') == 1


def test_duplicate_ids_load_with_problems_listed() -> None:
    data = model(b"<bpmn:process id='P'><bpmn:task id='T' name='one'/><bpmn:task id='T' name='two'/></bpmn:process>")
    result = parse_bpmn(data, "duplicates.bpmn")
    assert [(p.element, p.message) for p in result.problems] == [("T", "the id is used by 2 elements")]
    assert result.document.element("T").get("name") == "one"


@pytest.mark.parametrize("value", ["abc", "NaN", "inf", "-INF", "1,5", ""])
def test_bounds_that_are_not_numbers_are_listed_and_saved_valid(value: str) -> None:
    data = (MIWG / "A.1.0.bpmn").read_bytes()
    broken = data.replace(b'width="83.0"', f'width="{value}"'.encode(), 1)
    assert broken != data
    result = parse_bpmn(broken, "bounds.bpmn")
    assert [p.message for p in result.problems] == [f"Bounds width='{value}' is not a number; read as 0"]
    assert xsd_errors(serialize(result.document)) == []


def test_check_on_hostile_files_exits_2_with_one_line_each(tmp_path: Path, secret_file: Path) -> None:
    files = []
    for name, data in {
        "entity.bpmn": model(b"", f'<!DOCTYPE d [<!ENTITY e SYSTEM "{secret_file.as_uri()}">]>\n'.encode()),
        "binary.bpmn": bytes(range(256)),
        "truncated.bpmn": (MIWG / "A.1.0.bpmn").read_bytes()[:500],
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        files.append(str(path))
    run = cli("check", *files)
    assert run.returncode == 2
    lines = run.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith(f) for line, f in zip(lines, files, strict=True))
    assert "Traceback" not in run.stderr and SECRET not in run.stderr + run.stdout
