"""Hostile and broken files, as the reader and `smo-designer check` meet them: a one-line message
naming the file and the reason, or a load with each problem listed; never a traceback, never a
hang, never a byte of another file, never a network connection."""

from __future__ import annotations

import gzip
import io
import os
import random
import re
import select
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bpmn_checks import xsd_errors
from conftest import MIWG

from smo_designer.formats import bpmn as bpmn_format
from smo_designer.formats.bpmn import BpmnReadError, parse_bpmn, read_bpmn, serialize

SECRET = "SMO-SECRET-7f3a-never-in-a-model"
PASSWD = Path("/etc/passwd")
HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
OPEN = f'<bpmn:definitions xmlns:bpmn="{BPMN_NS}" id="D" targetNamespace="urn:test">'.encode()
CLOSE = b"</bpmn:definitions>"
XINCLUDE = "http://www.w3.org/2001/XInclude"
TIMEOUT = 30  # seconds; the worst cases run as a separate process so a hang fails instead of stalling


def model(body: bytes = b"", prolog: bytes = b"") -> bytes:
    return HEAD + prolog + OPEN + body + CLOSE


def documented(prolog: bytes, text: bytes = b"&e;") -> bytes:
    """A model whose process documentation holds `text` (an entity reference by default)."""
    return model(b"<bpmn:process id='P'><bpmn:documentation>" + text + b"</bpmn:documentation></bpmn:process>", prolog)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "smo_designer", *args], capture_output=True, text=True, timeout=TIMEOUT
    )


def foreign_markers() -> list[str]:
    """Strings that only another file holds: the secret file's marker and /etc/passwd's first line."""
    markers = [SECRET]
    if PASSWD.is_file():
        first = PASSWD.read_text(errors="replace").splitlines()[:1]
        markers += [line for line in first if len(line) > 8]
    return markers


def assert_nothing_foreign(text: str | bytes) -> None:
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    for marker in foreign_markers():
        assert marker not in shown


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file beside the model that a hostile model tries to pull in."""
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\n")
    return path


@pytest.fixture
def secret_xml(tmp_path: Path) -> Path:
    path = tmp_path / "secret.xml"
    path.write_text(f'<bpmn:documentation xmlns:bpmn="{BPMN_NS}">{SECRET}</bpmn:documentation>')
    return path


class Listener:
    """A local TCP port that records whether anything connected to it."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def contacted(self) -> bool:
        # a connection attempt completes in the kernel's backlog, accepted or not
        readable, _, _ = select.select([self.socket], [], [], 0)
        return bool(readable)


@pytest.fixture
def listener() -> Iterator[Listener]:
    port = Listener()
    yield port
    port.socket.close()


def zipped_model() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(MIWG / "A.1.0.bpmn", "A.1.0.bpmn")
    return buffer.getvalue()


def deep_model(depth: int) -> bytes:
    nested = b"<v:x xmlns:v='urn:v'>" * depth + b"</v:x>" * depth
    return model(
        b"<bpmn:process id='P'><bpmn:extensionElements>" + nested + b"</bpmn:extensionElements></bpmn:process>"
    )


def billion_laughs() -> bytes:
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return model(
        b"<bpmn:process id='P' name='&l9;'><bpmn:documentation>&l9;</bpmn:documentation></bpmn:process>",
        f"<!DOCTYPE d [{entities}]>\n".encode(),
    )


def quadratic_blowup() -> bytes:
    return documented(f'<!DOCTYPE d [<!ENTITY e "{"x" * 100_000}">]>\n'.encode(), b"&e;" * 20_000)


def cut(name: str, fraction: float) -> bytes:
    data = (MIWG / name).read_bytes()
    return data[: int(len(data) * fraction)]


@dataclass(frozen=True)
class Case:
    """A file that is refused: how to make its bytes (given the secret file and a listening port)
    and what the one-line message must say."""

    make: Callable[[Path, Listener], bytes]
    reason: str


REFUSED: dict[str, Case] = {
    "file-entity": Case(lambda s, _: documented(f'<!DOCTYPE x [<!ENTITY e SYSTEM "{s.as_uri()}">]>\n'.encode()), "DTD"),
    "passwd-entity": Case(lambda *_: documented(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'), "DTD"),
    "network-entity": Case(
        lambda _, n: documented(f'<!DOCTYPE x [<!ENTITY e SYSTEM "{n.url("x")}">]>\n'.encode()), "DTD"
    ),
    "fixed-port-entity": Case(
        lambda *_: documented(b'<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>\n'), "DTD"
    ),
    "billion-laughs": Case(lambda *_: billion_laughs(), "DTD"),
    "quadratic-blowup": Case(lambda *_: quadratic_blowup(), "DTD"),
    "parameter-entity": Case(
        lambda s, _: model(prolog=f'<!DOCTYPE x [<!ENTITY % p SYSTEM "{s.as_uri()}"> %p;]>\n'.encode()), "DTD"
    ),
    "network-parameter-entity": Case(
        lambda _, n: model(prolog=f'<!DOCTYPE x [<!ENTITY % p SYSTEM "{n.url("p.dtd")}"> %p;]>\n'.encode()), "DTD"
    ),
    "external-dtd": Case(lambda s, _: documented(f'<!DOCTYPE definitions SYSTEM "{s.as_uri()}">\n'.encode()), "DTD"),
    "network-dtd": Case(
        lambda _, n: documented(f'<!DOCTYPE definitions PUBLIC "-//X//DTD X//EN" "{n.url("x.dtd")}">\n'.encode()), "DTD"
    ),
    "undeclared-entity": Case(
        lambda *_: documented(b"", b"&e;"), "not well-formed XML (line 2: Entity 'e' not defined"
    ),
    "truncated-half": Case(lambda *_: cut("B.2.0.bpmn", 0.5), "not well-formed XML (line "),
    "truncated-third": Case(lambda *_: cut("A.1.0.bpmn", 0.33), "not well-formed XML (line "),
    "truncated-end": Case(lambda *_: (MIWG / "C.1.0.bpmn").read_bytes().rstrip()[:-5], "not well-formed XML (line "),
    "declaration-only": Case(lambda *_: HEAD, "not well-formed XML"),
    "two-roots": Case(lambda *_: model() + model()[len(HEAD) :], "not well-formed XML"),
    "wrong-root": Case(
        lambda *_: HEAD + f'<process xmlns="{BPMN_NS}" id="P"/>'.encode(),
        "not a BPMN 2.0 model: the root element is <process>, not <definitions>",
    ),
    "html": Case(lambda *_: b"<!-- page --><html><body>hello</body></html>", "the root element is <html>"),
    "svg": Case(lambda *_: b'<svg xmlns="http://www.w3.org/2000/svg"/>', "the root element is <svg>"),
    "beta-namespace": Case(
        lambda *_: HEAD + b'<definitions xmlns="http://schema.omg.org/spec/BPMN/2.0" id="D"/>',
        f"<definitions> is in http://schema.omg.org/spec/BPMN/2.0, not in {BPMN_NS}",
    ),
    "no-namespace": Case(
        lambda *_: HEAD + b'<definitions id="D"/>', f"<definitions> is in no namespace, not in {BPMN_NS}"
    ),
    "di-namespace": Case(
        lambda *_: HEAD + b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/DI"/>', "not a BPMN 2.0 model"
    ),
    "random-bytes": Case(
        lambda *_: random.Random(4711).randbytes(4096), "not a BPMN model: the file holds binary data"
    ),
    "random-text-bytes": Case(
        lambda *_: bytes(random.Random(4712).randrange(1, 256) for _ in range(4096)), "not well-formed XML"
    ),
    "png": Case(lambda *_: (MIWG / "A.1.0.png").read_bytes(), "binary data"),
    "zip": Case(lambda *_: zipped_model(), "binary data"),
    "gzip": Case(lambda *_: gzip.compress((MIWG / "A.1.0.bpmn").read_bytes(), mtime=0), "binary data"),
    "empty": Case(lambda *_: b"", "the file is empty"),
    "blank": Case(lambda *_: b" \n\t\n", "the file is empty"),
    "utf16-declared-8bit-bytes": Case(
        lambda *_: b'<?xml version="1.0" encoding="UTF-16"?>' + OPEN + CLOSE, "not well-formed XML"
    ),
    "utf8-declared-latin1-bytes": Case(
        lambda *_: model(b"<bpmn:process id='P' name='Caf\xe9'/>"), "not well-formed XML (line 2: Invalid bytes"
    ),
    "unknown-encoding": Case(
        lambda *_: b'<?xml version="1.0" encoding="x-no-such-encoding"?>' + OPEN + CLOSE, "encoding"
    ),
    "deep-nesting": Case(lambda *_: deep_model(100_000), "refused: elements are nested more than 256 levels deep"),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_refused_with_one_line_from_reader_and_check(
    case: str, tmp_path: Path, secret: Path, listener: Listener
) -> None:
    path = tmp_path / f"{case}.bpmn"
    path.write_bytes(REFUSED[case].make(secret, listener))
    # the command first: it runs under a timeout, so a hang fails the test instead of stalling it
    run = cli("check", str(path))
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.endswith("\n") and run.stderr.count("\n") == 1, run.stderr
    line = run.stderr.rstrip("\n")
    assert line.startswith(f"{path}: ") and REFUSED[case].reason in line, line
    assert "Traceback" not in line
    assert_nothing_foreign(run.stderr)

    with pytest.raises(BpmnReadError) as caught:
        read_bpmn(path)
    assert str(caught.value) == line
    assert not listener.contacted()


def test_a_folder_and_a_missing_file_get_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.bpmn"
    for path, reason in ((tmp_path, "is a folder, not a file"), (missing, "cannot be read: No such file")):
        with pytest.raises(BpmnReadError) as caught:
            read_bpmn(path)
        assert str(caught.value).startswith(f"{path}: ") and reason in str(caught.value)
        run = cli("check", str(path))
        assert run.returncode == 2 and run.stderr == f"{caught.value}\n" and run.stdout == ""


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bpmn_format, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "huge.bpmn"
    path.write_bytes(model(b"<bpmn:process id='P'/>" + b" " * (1024 * 1024)))

    def no_reading(*_: object, **__: object) -> None:
        raise AssertionError("an oversized file was opened")

    monkeypatch.setattr(bpmn_format, "open", no_reading, raising=False)
    with pytest.raises(BpmnReadError) as caught:
        read_bpmn(path)
    assert str(caught.value) == f"{path}: the file is 2 MiB, more than the 1 MiB a model may have"


def test_a_file_just_within_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bpmn_format, "MAX_FILE_BYTES", 1024 * 1024)
    data = model(b"<bpmn:process id='P'/>")
    path = tmp_path / "padded.bpmn"
    path.write_bytes(data + b"\n" * (1024 * 1024 - len(data)))
    assert read_bpmn(path).document.element("P") is not None


# A child process with the size limit lowered, so that an endless source is cut off quickly, and
# its memory capped, so that a reader that does not stop fails fast instead of filling the machine.
LIMITED_CHECK = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
from smo_designer.formats import bpmn
from smo_designer.cli import main
bpmn.MAX_FILE_BYTES = 1024 * 1024
sys.exit(main(["check", sys.argv[1]]))
"""


def limited_check(path: str, stdin: int | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", LIMITED_CHECK, path],
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_cut_off_at_the_limit() -> None:
    # /dev/zero says it has 0 bytes and never ends: the size check alone cannot catch it
    run = limited_check("/dev/zero")
    assert run.returncode == 2
    assert run.stderr == "/dev/zero: the file is more than the 1 MiB a model may have\n"


@pytest.mark.skipif(not Path("/dev/stdin").exists(), reason="needs /dev/stdin")
def test_an_endless_pipe_is_cut_off_at_the_limit() -> None:
    read_end, write_end = os.pipe()

    def flood() -> None:
        chunk = model(b"<bpmn:process id='P'>" + b"<bpmn:task id='T'/>" * 1000)
        try:  # closing the stream flushes into the pipe the reader has closed, too
            with os.fdopen(write_end, "wb") as stream:
                while True:
                    stream.write(chunk)
        except (BrokenPipeError, ValueError, OSError):
            pass

    writer = threading.Thread(target=flood, daemon=True)
    writer.start()
    try:
        run = limited_check("/dev/stdin", stdin=read_end)
    finally:
        os.close(read_end)
    writer.join(timeout=TIMEOUT)
    assert run.returncode == 2
    assert run.stderr == "/dev/stdin: the file is more than the 1 MiB a model may have\n"


def test_deep_nesting_just_within_the_limit_is_read(tmp_path: Path) -> None:
    # definitions, process, extensionElements and 250 levels of extension: under libxml2's 256
    path = tmp_path / "deep.bpmn"
    path.write_bytes(deep_model(250))
    result = read_bpmn(path)
    assert result.problems == []
    assert serialize(result.document).count(b"<v:x") == 250


# --- files that load, with what is wrong in them listed ------------------------------------------


def xinclude_model(secret: Path, secret_xml: Path, listener: Listener) -> bytes:
    body = (
        f'<bpmn:process id="P" xmlns:xi="{XINCLUDE}">'
        f'<bpmn:documentation>See <xi:include href="{secret.as_uri()}" parse="text"/></bpmn:documentation>'
        "<bpmn:extensionElements>"
        f'<xi:include href="{secret_xml.as_uri()}"/>'
        '<xi:include href="file:///etc/passwd" parse="text"><xi:fallback>none</xi:fallback></xi:include>'
        f'<xi:include href="{listener.url("x.xml")}"/>'
        f'<xi:include href="{secret.name}" parse="text"/>'
        "</bpmn:extensionElements>"
        "</bpmn:process>"
    )
    stylesheet = f'<?xml-stylesheet type="text/xsl" href="{listener.url("s.xsl")}"?>\n'.encode()
    return model(body.encode(), stylesheet)


def test_xinclude_is_kept_as_written_and_never_followed(
    tmp_path: Path, secret: Path, secret_xml: Path, listener: Listener
) -> None:
    path = tmp_path / "xinclude.bpmn"
    path.write_bytes(xinclude_model(secret, secret_xml, listener))
    result = read_bpmn(path)
    assert result.problems == []
    saved = serialize(result.document)
    assert_nothing_foreign(saved)
    assert saved.count(b"<xi:include ") == 5 and b"<xi:fallback>none</xi:fallback>" in saved
    assert xsd_errors(saved) == []

    target = tmp_path / "converted.bpmn"
    run = cli("convert", str(path), str(target))
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert target.read_bytes() == saved
    assert not listener.contacted()


DANGLING = model(
    b"<bpmn:process id='P'><bpmn:task id='T'/>"
    b"<bpmn:sequenceFlow id='F' sourceRef='Missing' targetRef='T'/></bpmn:process>"
)


def test_a_dangling_reference_loads_with_the_problem_naming_the_element(tmp_path: Path) -> None:
    path = tmp_path / "dangling.bpmn"
    path.write_bytes(DANGLING)
    result = read_bpmn(path)
    assert [(p.severity, p.element, p.message) for p in result.problems] == [
        ("error", "F", "sourceRef refers to 'Missing', which is not in the file")
    ]
    assert b'sourceRef="Missing"' in serialize(result.document)  # kept as written
    run = cli("check", str(path))
    assert run.returncode == 1 and run.stderr == ""
    # the reader's problem comes first; the structure checks follow (this file has no end event …)
    assert run.stdout.splitlines()[0] == f"{path}: F: error: sourceRef refers to 'Missing', which is not in the file"


def test_dangling_references_in_children_and_diagram_name_their_holder() -> None:
    data = (
        HEAD
        + (
            f'<bpmn:definitions xmlns:bpmn="{BPMN_NS}" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
            'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="D" targetNamespace="urn:test">'
            '<bpmn:process id="P"><bpmn:laneSet id="LS"><bpmn:lane id="L"><bpmn:flowNodeRef>Ghost</bpmn:flowNodeRef>'
            '</bpmn:lane></bpmn:laneSet><bpmn:task id="T"/></bpmn:process>'
            '<bpmndi:BPMNDiagram id="G"><bpmndi:BPMNPlane id="PL" bpmnElement="P">'
            '<bpmndi:BPMNShape id="S" bpmnElement="Nobody"><dc:Bounds x="1" y="2" width="3" height="4"/>'
            "</bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
        ).encode()
    )
    result = parse_bpmn(data, "refs.bpmn")
    assert sorted(str(p) for p in result.problems) == [
        "L: flowNodeRef refers to 'Ghost', which is not in the file",
        "S: bpmnElement refers to 'Nobody', which is not in the file",
    ]


def test_duplicate_ids_load_with_the_problem_listed(tmp_path: Path) -> None:
    path = tmp_path / "duplicates.bpmn"
    path.write_bytes(
        model(b"<bpmn:process id='P'><bpmn:task id='T' name='one'/><bpmn:task id='T' name='two'/></bpmn:process>")
    )
    result = read_bpmn(path)
    assert [(p.severity, p.element, p.message) for p in result.problems] == [
        ("error", "T", "the id is used by 2 elements")
    ]
    assert result.document.element("T").get("name") == "one"  # the first keeps the id
    assert serialize(result.document).count(b'id="T"') == 2  # both are saved as they were
    run = cli("check", str(path))
    assert run.returncode == 1 and run.stdout.splitlines()[0] == f"{path}: T: error: the id is used by 2 elements"


def test_text_from_the_file_cannot_forge_lines_of_the_report(tmp_path: Path) -> None:
    forged = "&#10;other.bpmn: X: error: forged"
    path = tmp_path / "forged.bpmn"
    path.write_bytes(
        model(
            f"<bpmn:process id='P'><bpmn:task id='T{forged}'/><bpmn:task id='T{forged}'/>"
            f"<bpmn:sequenceFlow id='F' sourceRef='P' targetRef='Gone{forged}'/>"
            "<bpmn:task id='U'><bpmn:incoming>G&#13;&#x2028;H</bpmn:incoming></bpmn:task></bpmn:process>".encode()
        )
    )
    result = read_bpmn(path)
    assert [str(p) for p in result.problems] == [
        "T\\nother.bpmn: X: error: forged: the id is used by 2 elements",
        "F: targetRef refers to 'Gone\\nother.bpmn: X: error: forged', which is not in the file",
        "U: incoming refers to 'G\\r\\u2028H', which is not in the file",
    ]
    run = cli("check", str(path))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    # the reader's three problems first, then the structure checks; no line forged by the file
    assert len(lines) >= 3 and all(line.split(": ")[0] == str(path) for line in lines)


# (as written in the file, as the problem quotes it): character references are read, then
# anything unprintable is escaped
NOT_NUMBERS = [
    ("abc", "abc"),
    ("NaN", "NaN"),
    ("nan", "nan"),
    ("INF", "INF"),
    ("-INF", "-INF"),
    ("Infinity", "Infinity"),
    ("1e999", "1e999"),
    ("", ""),
    (" ", " "),
    ("12px", "12px"),
    ("0x1A", "0x1A"),
    ("1,5", "1,5"),
    ("1_000", "1_000"),  # Python's float() takes it, xs:double does not
    ("\u0661\u0662", "\u0661\u0662"),  # Arabic-Indic digits: the same
    ("\uff11\uff12", "\uff11\uff12"),  # full-width digits
    ("&#x85;12", "\\x8512"),  # NEL, which float() strips as white space
    ("&#xa0;12", "\\xa012"),
]


@pytest.mark.parametrize(("value", "shown"), NOT_NUMBERS, ids=[repr(v) for v, _ in NOT_NUMBERS])
def test_bounds_that_are_not_numbers_are_listed_and_saved_valid(value: str, shown: str) -> None:
    # C.1.0 is UTF-8, so any character can stand in for a number
    data = (MIWG / "C.1.0.bpmn").read_bytes()
    shape = re.search(rb'<bpmndi:BPMNShape [^>]*id="([^"]+)"[^>]*>\s*<\w+:Bounds [^>]*width="1007.0"', data)
    assert shape is not None
    broken = data.replace(b'width="1007.0"', f'width="{value}"'.encode(), 1)
    result = parse_bpmn(broken, "bounds.bpmn")
    assert [str(p) for p in result.problems] == [
        f"{shape.group(1).decode()}: Bounds width='{shown}' is not a number; read as 0"
    ]
    saved = serialize(result.document)
    assert xsd_errors(saved) == []
    assert parse_bpmn(saved, "saved.bpmn").problems == []


@pytest.mark.parametrize("value", ["1.", ".5", "+3", "-0", "1E+2", "2.5e-3", " 12 ", "007"])
def test_numbers_in_any_form_the_schema_allows_are_kept(value: str) -> None:
    data = (MIWG / "C.1.0.bpmn").read_bytes()
    result = parse_bpmn(data.replace(b'width="1007.0"', f'width="{value}"'.encode(), 1), "bounds.bpmn")
    assert result.problems == []
    saved = serialize(result.document)
    assert f'width="{value}"'.encode() in saved and xsd_errors(saved) == []


def test_a_waypoint_that_is_not_a_number_is_listed() -> None:
    data = (MIWG / "A.1.0.bpmn").read_bytes()
    broken = data.replace(b'<di:waypoint x="342.0"', b'<di:waypoint x="far"', 1)
    assert broken != data
    result = parse_bpmn(broken, "waypoint.bpmn")
    assert [str(p) for p in result.problems] == [
        "E1373649849864__d77dd5ec-e4e7-420e-bbe7-8ac9cd1df599: waypoint x='far' is not a number; read as 0"
    ]
    assert xsd_errors(serialize(result.document)) == []


def test_check_on_many_bad_files_gives_one_line_each_in_order(tmp_path: Path, secret: Path, listener: Listener) -> None:
    names = ["file-entity", "billion-laughs", "truncated-half", "png", "beta-namespace", "empty"]
    files = []
    for name in names:
        path = tmp_path / f"{name}.bpmn"
        path.write_bytes(REFUSED[name].make(secret, listener))
        files.append(str(path))
    files.insert(2, str(MIWG / "A.1.0.bpmn"))  # a good file among them is checked as usual
    run = cli("check", *files)
    assert run.returncode == 2 and run.stdout == ""
    lines = run.stderr.splitlines()
    bad = [f for f in files if not f.endswith("A.1.0.bpmn")]
    assert [line.split(": ")[0] for line in lines] == bad
    assert "Traceback" not in run.stderr
    assert_nothing_foreign(run.stderr)
