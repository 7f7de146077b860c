"""The command line as a user runs it: help and version, the exit codes of check and convert,
what they print, and that the batch commands never load Qt."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from bpmn_checks import xsd_errors
from conftest import MIWG, ROOT

from smo_designer import __version__
from smo_designer.cli import SUBCOMMANDS

CLEAN = MIWG / "A.1.0.bpmn"
# the start event of A.1.0: a sequence flow's source, and a task's id to repeat
START_EVENT = b'sourceRef="_93c466ab-b271-4376-a427-f4c353d55ce8"'
TASK_1 = "_ec59e164-68b4-4f94-98de-ffb1c58a84af"
DANGLING_LINE = (
    "{path}: _e16564d7-0c4c-413e-95f6-f668a3f851fb: error: sourceRef refers to 'Gone', which is not in the file"
)
# the start event whose flow lost its source is then connected to nothing (structure rules)
DANGLING_LINES = [
    DANGLING_LINE,
    "{path}: _93c466ab-b271-4376-a427-f4c353d55ce8: error: Start event 'Start Event' is connected to nothing: "
    "no sequence flow leads to it or away from it",
    "{path}: _93c466ab-b271-4376-a427-f4c353d55ce8: error: Start event 'Start Event' has no outgoing sequence "
    "flow, so the flow stops there without an end event: add the end event, or the flow that continues",
]
DUPLICATE_LINE = f"{{path}}: {TASK_1}: error: the id is used by 2 elements"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "smo_designer", *args], capture_output=True, text=True, timeout=120)


def dangling(tmp_path: Path) -> Path:
    """A.1.0 with the first sequence flow coming from an id the file does not have."""
    path = tmp_path / "dangling.bpmn"
    data = CLEAN.read_bytes()
    assert data.count(START_EVENT) == 1
    path.write_bytes(data.replace(START_EVENT, b'sourceRef="Gone"'))
    return path


def duplicate(tmp_path: Path) -> Path:
    """A.1.0 with a second task under the id of Task 1."""
    path = tmp_path / "duplicate.bpmn"
    data = CLEAN.read_bytes()
    end = b"</semantic:process>"
    assert data.count(end) == 1
    path.write_bytes(data.replace(end, f'<semantic:task id="{TASK_1}" name="Copy"/>'.encode() + end))
    return path


def unreadable(tmp_path: Path) -> Path:
    path = tmp_path / "notes.bpmn"
    path.write_text("meeting notes, not a model")
    return path


def test_version() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"smo-designer {__version__}\n", "")


@pytest.mark.parametrize("command", ["", *SUBCOMMANDS])
def test_every_command_has_help(command: str) -> None:
    result = run(*filter(None, [command]), "--help")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith(f"usage: smo-designer {command}".rstrip())
    if command:
        assert "Exit 0" in " ".join(result.stdout.split())  # what each exit status means


def test_help_names_every_command() -> None:
    result = run("--help")
    for command in SUBCOMMANDS:
        assert command in result.stdout


# --- check ---------------------------------------------------------------------------------------


def test_check_of_clean_models_exits_0_silently() -> None:
    result = run("check", str(CLEAN), str(MIWG / "C.9.1.bpmn"), str(ROOT / "samples" / "problem-management.bpmn"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_check_of_a_dangling_reference_exits_1_with_file_element_message(tmp_path: Path) -> None:
    path = dangling(tmp_path)
    result = run("check", str(CLEAN), str(path))
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.splitlines() == [line.format(path=path) for line in DANGLING_LINES]


def test_check_of_a_duplicate_id_exits_1_with_file_element_message(tmp_path: Path) -> None:
    path = duplicate(tmp_path)
    result = run("check", str(path))
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.splitlines() == [DUPLICATE_LINE.format(path=path)]


def test_check_lists_the_problems_of_every_file(tmp_path: Path) -> None:
    first, second = dangling(tmp_path), duplicate(tmp_path)
    result = run("check", str(first), str(CLEAN), str(second))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        *(line.format(path=first) for line in DANGLING_LINES),
        DUPLICATE_LINE.format(path=second),
    ]


def test_check_exits_2_with_one_line_for_an_unreadable_file(tmp_path: Path) -> None:
    path = unreadable(tmp_path)
    result = run("check", str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{path}: not well-formed XML")
    assert "Traceback" not in result.stderr


def test_check_exits_2_for_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.bpmn"
    result = run("check", str(CLEAN), str(missing))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"{missing}: cannot be read: No such file or directory\n"


def test_an_unreadable_file_outweighs_problems_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    bad, problems = unreadable(tmp_path), dangling(tmp_path)
    result = run("check", str(bad), str(problems))
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith(f"{bad}: ") and result.stderr.count("\n") == 1
    assert result.stdout.splitlines() == [line.format(path=problems) for line in DANGLING_LINES]


def test_check_without_a_file_is_a_usage_error() -> None:
    result = run("check")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("usage: smo-designer check") and "FILE" in result.stderr


def test_check_reports_raci_problems(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "incident-management.bpmn"
    broken = tmp_path / "incident.bpmn"
    data = sample.read_bytes()
    # take the Accountable letter away from one activity
    assert data.count(b'letters="A"') > 1
    broken.write_bytes(data.replace(b'letters="A"', b'letters="C"', 1))
    result = run("check", str(sample), str(broken))
    assert result.returncode == 1
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == [str(broken)]
    assert "has no Accountable role" in result.stdout


# --- convert -------------------------------------------------------------------------------------


def test_convert_writes_a_valid_model_silently(tmp_path: Path) -> None:
    target = tmp_path / "out.bpmn"
    result = run("convert", str(CLEAN), str(target))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    written = target.read_bytes()
    assert written.startswith(b'<?xml version="1.0" encoding="UTF-8"?>') and xsd_errors(written) == []
    assert b'name="Task 1"' in written
    assert run("check", str(target)).returncode == 0


def test_convert_prints_problems_as_warnings_and_still_writes(tmp_path: Path) -> None:
    source = dangling(tmp_path)
    target = tmp_path / "out.bpmn"
    result = run("convert", str(source), str(target))
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"warning: {source}: _e16564d7-0c4c-413e-95f6-f668a3f851fb: "
        "sourceRef refers to 'Gone', which is not in the file"
    ]
    assert b'sourceRef="Gone"' in target.read_bytes()  # kept as written, for the user to fix


def test_convert_warns_about_duplicate_ids(tmp_path: Path) -> None:
    source = duplicate(tmp_path)
    target = tmp_path / "out.bpmn"
    result = run("convert", str(source), str(target))
    assert result.returncode == 0
    assert result.stderr == f"warning: {source}: {TASK_1}: the id is used by 2 elements\n"
    assert target.read_bytes().count(f'id="{TASK_1}"'.encode()) == 2


def test_convert_exits_2_for_unreadable_input_and_leaves_the_target_alone(tmp_path: Path) -> None:
    source = unreadable(tmp_path)
    target = tmp_path / "out.bpmn"
    target.write_bytes(b"the model from yesterday")
    result = run("convert", str(source), str(target))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{source}: not well-formed XML")
    assert target.read_bytes() == b"the model from yesterday"


def test_convert_exits_2_for_a_missing_input(tmp_path: Path) -> None:
    target = tmp_path / "out.bpmn"
    result = run("convert", str(tmp_path / "missing.bpmn"), str(target))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "missing.bpmn: cannot be read" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("where", ["missing-folder", "file-as-folder", "folder-as-target"])
def test_convert_exits_2_with_one_line_for_unwritable_output(tmp_path: Path, where: str) -> None:
    (tmp_path / "notes.txt").write_text("notes")
    (tmp_path / "folder.bpmn").mkdir()
    target = {
        "missing-folder": tmp_path / "missing" / "out.bpmn",
        "file-as-folder": tmp_path / "notes.txt" / "out.bpmn",
        "folder-as-target": tmp_path / "folder.bpmn",
    }[where]
    result = run("convert", str(CLEAN), str(target))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{target}: cannot be written: ")
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.bpmn", "notes.txt"]


def test_convert_with_one_file_is_a_usage_error() -> None:
    result = run("convert", str(CLEAN))
    assert result.returncode == 2 and result.stderr.startswith("usage: smo-designer convert")


# --- no Qt for batch work ------------------------------------------------------------------------

BATCH_WITHOUT_QT = """
import sys
from smo_designer.cli import main
statuses = [main(args) for args in ({runs})]
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
print(statuses, loaded)
"""


def test_check_and_convert_import_no_qt(tmp_path: Path) -> None:
    assert importlib.util.find_spec("PySide6") is not None  # installed: its absence below means something
    runs = [
        ["check", str(CLEAN)],
        ["check", str(dangling(tmp_path))],
        ["check", str(unreadable(tmp_path))],
        ["convert", str(CLEAN), str(tmp_path / "out.bpmn")],
        ["convert", str(dangling(tmp_path)), str(tmp_path / "out2.bpmn")],
    ]
    child = subprocess.run(
        [sys.executable, "-c", BATCH_WITHOUT_QT.format(runs=", ".join(map(repr, runs)))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[-1] == "[0, 1, 2, 0, 0] []"


@pytest.mark.parametrize("command", ["check", "convert"])
def test_the_installed_command_imports_no_qt(tmp_path: Path, command: str) -> None:
    args = [str(CLEAN)] if command == "check" else [str(CLEAN), str(tmp_path / "out.bpmn")]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "smo_designer", command, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "smo_designer.formats.bpmn" in imported  # the import log is complete
    assert not [name for name in imported if name.split(".")[0] in ("PySide6", "shiboken6")]
