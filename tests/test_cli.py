"""The command line as a user runs it: help, version, check and convert exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MIWG

from smo_designer import __version__

# a sequence flow's source in A.1.0, replaced by an id the file does not have
DANGLE_FROM = b'sourceRef="_93c466ab-b271-4376-a427-f4c353d55ce8"'


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "smo_designer", *args], capture_output=True, text=True, timeout=120)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"smo-designer {__version__}"


@pytest.mark.parametrize("command", [[], ["check"], ["convert"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0 and result.stdout.startswith("usage: smo-designer")
    if command:
        assert "Exit" in result.stdout


def test_check_of_a_clean_model_exits_0_silently() -> None:
    result = run("check", str(MIWG / "A.1.0.bpmn"), str(MIWG / "C.1.0.bpmn"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_check_lists_problems_and_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.bpmn"
    data = (MIWG / "A.1.0.bpmn").read_bytes()
    assert DANGLE_FROM in data
    broken.write_bytes(data.replace(DANGLE_FROM, b'sourceRef="Gone"', 1))
    result = run("check", str(MIWG / "A.1.0.bpmn"), str(broken))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{broken}: ")
    assert "sourceRef refers to 'Gone', which is not in the file" in lines[0]


def test_check_exits_2_when_a_file_cannot_be_read(tmp_path: Path) -> None:
    result = run("check", str(MIWG / "A.1.0.bpmn"), str(tmp_path / "missing.bpmn"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "missing.bpmn" in result.stderr


def test_convert_writes_and_prints_problems_as_warnings(tmp_path: Path) -> None:
    source = tmp_path / "dangling.bpmn"
    source.write_bytes((MIWG / "A.1.0.bpmn").read_bytes().replace(DANGLE_FROM, b'sourceRef="Gone"', 1))
    target = tmp_path / "out.bpmn"
    result = run("convert", str(source), str(target))
    assert result.returncode == 0 and target.exists()
    assert result.stderr.startswith(f"warning: {source}: ") and "Gone" in result.stderr


def test_convert_exits_2_for_unreadable_input_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "notes.bpmn"
    source.write_text("meeting notes")
    target = tmp_path / "out.bpmn"
    result = run("convert", str(source), str(target))
    assert result.returncode == 2 and not target.exists()
    assert result.stderr.strip().startswith(f"{source}: not well-formed XML")


def test_convert_exits_2_for_unwritable_output(tmp_path: Path) -> None:
    result = run("convert", str(MIWG / "A.1.0.bpmn"), str(tmp_path / "missing" / "out.bpmn"))
    assert result.returncode == 2 and "cannot be written" in result.stderr


def test_check_reports_raci_problems(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "samples" / "incident-management.bpmn"
    broken = tmp_path / "incident.bpmn"
    data = sample.read_bytes()
    # take the Accountable letter away from one activity
    assert data.count(b'letters="A"') > 1
    broken.write_bytes(data.replace(b'letters="A"', b'letters="C"', 1))
    result = run("check", str(sample), str(broken))
    assert result.returncode == 1
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == [str(broken)]
    assert "has no Accountable role" in result.stdout
