"""Saves are atomic: a convert killed at any moment leaves the whole old file or the whole new
one, never a mix; an existing file keeps its permissions; a failed write says so in one line."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MIWG, ROOT

from smo_designer.cli import main as cli_main
from smo_designer.formats.bpmn import BpmnWriteError, read_bpmn, write_bpmn

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


@pytest.fixture(scope="module")
def big_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A 5,000-task model (some 5 MB) and the bytes a complete convert of it writes."""
    folder = tmp_path_factory.mktemp("big")
    source = folder / "big.bpmn"
    source.write_bytes(generate(5000))
    expected = folder / "expected.bpmn"
    assert cli_main(["convert", str(source), str(expected)]) == 0
    return source, expected.read_bytes()


def start_convert(source: Path, target: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "smo_designer", "convert", str(source), str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill(process: subprocess.Popen) -> None:
    try:
        process.send_signal(signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3, 0.45, 0.6, 0.8, 1.2])
def test_killed_convert_leaves_the_old_or_the_new_file(tmp_path: Path, big_model, delay: float) -> None:
    source, new = big_model
    target = tmp_path / "incident.bpmn"
    assert cli_main(["convert", str(MIWG / "A.1.0.bpmn"), str(target)]) == 0
    old = target.read_bytes()
    process = start_convert(source, target)
    time.sleep(delay)
    kill(process)
    assert target.read_bytes() in (old, new)
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".bpmn"] == ["incident.bpmn"]


def test_killed_while_the_new_file_is_being_written(tmp_path: Path, big_model) -> None:
    source, new = big_model
    target = tmp_path / "incident.bpmn"
    assert cli_main(["convert", str(MIWG / "A.1.0.bpmn"), str(target)]) == 0
    old = target.read_bytes()
    outcomes = set()
    for _ in range(3):
        target.write_bytes(old)
        process = start_convert(source, target)
        deadline = time.monotonic() + 30
        # kill the moment the temporary file beside the target appears: mid-write
        while time.monotonic() < deadline and process.poll() is None:
            if any(p.name.endswith(".saving") for p in tmp_path.iterdir()):
                break
            time.sleep(0.0005)
        kill(process)
        content = target.read_bytes()
        assert content in (old, new)
        outcomes.add("old" if content == old else "new")
    assert outcomes  # each attempt ended in one of the two whole files


def test_saving_keeps_the_permissions_of_the_file(tmp_path: Path) -> None:
    target = tmp_path / "shared.bpmn"
    target.write_text("placeholder")
    os.chmod(target, 0o640)
    write_bpmn(read_bpmn(MIWG / "A.1.0.bpmn").document, target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert read_bpmn(target).problems == []


def test_a_folder_that_is_a_file_gets_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    with pytest.raises(BpmnWriteError) as caught:
        write_bpmn(read_bpmn(MIWG / "A.1.0.bpmn").document, blocker / "out.bpmn")
    assert "\n" not in str(caught.value) and str(caught.value).startswith(str(blocker / "out.bpmn"))
    assert blocker.read_text() == "not a folder"


def test_a_missing_folder_gets_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "no-such-folder" / "out.bpmn"
    assert cli_main(["convert", str(MIWG / "A.1.0.bpmn"), str(target)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith(str(target)) and "cannot be written" in error
    assert not target.exists()


def test_a_target_that_is_a_folder_is_not_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "model.bpmn"
    folder.mkdir()
    with pytest.raises(BpmnWriteError):
        write_bpmn(read_bpmn(MIWG / "A.1.0.bpmn").document, folder)
    assert folder.is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["model.bpmn"]
