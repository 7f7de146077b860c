"""Saving is atomic: a `convert` killed with SIGKILL at any moment leaves the target as the whole
old file or the whole new one; the temporary file is never a visible .bpmn; an existing file
keeps its permissions; a folder that cannot be written gets one line and exit status 2."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MIWG

from smo_designer.cli import main as cli_main
from smo_designer.formats.bpmn import BpmnWriteError, read_bpmn, write_bpmn

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

COPIES = 10_000  # copies of a task with its shape: some 8 MB, about a second to convert
TIMEOUT = 60
MODE = 0o640  # a permission set no default umask gives, so keeping it is seen


def big_model(copies: int) -> bytes:
    """MIWG A.1.0 with its 'Task 2' and the task's shape repeated under new ids."""
    text = (MIWG / "A.1.0.bpmn").read_text("iso-8859-1")
    task = re.search(r'\s*<semantic:task [^>]*name="Task 2".*?</semantic:task>', text, re.S)
    shape = re.search(r'\s*<bpmndi:BPMNShape bpmnElement="_820c21c0[^"]*".*?</bpmndi:BPMNShape>', text, re.S)
    assert task is not None and shape is not None
    tasks = "".join(
        task.group(0).replace('name="Task 2" id="_', f'name="Task 2 copy {i}" id="copy{i}_') for i in range(copies)
    )
    shapes = "".join(
        shape.group(0).replace('bpmnElement="_', f'bpmnElement="copy{i}_').replace('id="S', f'id="copy{i}_S')
        for i in range(copies)
    )
    text = text.replace("\n    </semantic:process>", tasks + "\n    </semantic:process>", 1)
    text = text.replace("\n        </bpmndi:BPMNPlane>", shapes + "\n        </bpmndi:BPMNPlane>", 1)
    return text.encode("iso-8859-1")


@dataclass(frozen=True)
class Big:
    source: Path
    new: bytes  # what a complete convert of the source writes
    seconds: float  # how long one complete convert took here: to spread the kills over, not to assert


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Big:
    folder = tmp_path_factory.mktemp("big")
    source = folder / "big.bpmn"
    source.write_bytes(big_model(COPIES))
    expected = folder / "expected.bpmn"
    started = time.monotonic()
    run = subprocess.run(convert_command(source, expected), capture_output=True, text=True, timeout=TIMEOUT)
    seconds = time.monotonic() - started
    assert (run.returncode, run.stderr) == (0, "")
    new = expected.read_bytes()
    assert len(new) > 5_000_000 and new.count(b"Task 2 copy") == COPIES
    return Big(source, new, seconds)


@pytest.fixture
def old_target(tmp_path: Path) -> tuple[Path, bytes]:
    """An existing model in a folder of its own, with permissions of its own."""
    folder = tmp_path / "models"
    folder.mkdir()
    target = folder / "incident.bpmn"
    assert cli_main(["convert", str(MIWG / "C.1.0.bpmn"), str(target)]) == 0
    os.chmod(target, MODE)
    return target, target.read_bytes()


def convert_command(source: Path, target: Path) -> list[str]:
    return [sys.executable, "-m", "smo_designer", "convert", str(source), str(target)]


def kill(process: subprocess.Popen) -> None:
    try:
        process.send_signal(signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=TIMEOUT)


def leftovers(folder: Path, target: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p != target]


def assert_whole(target: Path, old: bytes, new: bytes) -> None:
    """The target is the whole old or the whole new file; a temporary file a killed save left
    behind is hidden, no .bpmn, and means the rename had not happened: the old file is there."""
    content = target.read_bytes()
    assert content in (old, new), f"target is neither file: {len(content)} bytes"
    assert stat.S_IMODE(os.stat(target).st_mode) == MODE
    for extra in leftovers(target.parent, target):
        assert extra.name.startswith(f".{target.name}.") and extra.name.endswith(".saving"), extra.name
        assert extra.suffix != ".bpmn"
        assert content == old  # a temporary file still there: the rename never happened
        assert new.startswith(extra.read_bytes())  # at most a part of the new file


@pytest.mark.parametrize("fraction", [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1])
def test_killed_after_a_delay_leaves_the_old_or_the_new_file(
    big: Big, old_target: tuple[Path, bytes], fraction: float
) -> None:
    target, old = old_target
    process = subprocess.Popen(convert_command(big.source, target), stdout=subprocess.DEVNULL)
    if fraction:
        time.sleep(big.seconds * fraction)
    kill(process)
    assert_whole(target, old, big.new)


def test_killed_the_moment_the_folder_changes(big: Big, old_target: tuple[Path, bytes]) -> None:
    # the first change a save makes beside the old file, or to it, is when it is killed: a save
    # that wrote into the old file in place would be caught half-way
    target, old = old_target
    for _ in range(3):
        for extra in leftovers(target.parent, target):
            extra.unlink()
        target.write_bytes(old)
        os.chmod(target, MODE)
        before = os.stat(target)
        process = subprocess.Popen(convert_command(big.source, target), stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            now = os.stat(target)
            changed = (now.st_ino, now.st_size, now.st_mtime_ns) != (before.st_ino, before.st_size, before.st_mtime_ns)
            if changed or leftovers(target.parent, target):
                break
        kill(process)
        assert_whole(target, old, big.new)


# The convert, stopped at one step of the save until it is killed: the file object's write
# (half the bytes written and flushed), the fsync, the rename, or just after the rename. The
# steps are found by patching os before the command runs; a save that no longer passes a step
# fails the test ("finished without reaching").
PAUSED_CONVERT = r"""
import os, sys, time
step, marker = sys.argv[1], sys.argv[2]

def pause():
    with open(marker, "w") as note:
        note.write(step)
    time.sleep(600)

if step == "write":
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, stream):
            self.stream = stream
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.stream.close()
        def write(self, data):
            self.stream.write(data[: len(data) // 2])
            self.stream.flush()
            pause()
        def __getattr__(self, name):
            return getattr(self.stream, name)

    os.fdopen = lambda *args, **kwargs: HalfWriter(real_fdopen(*args, **kwargs))
elif step == "fsync":
    os.fsync = lambda fd: pause()
elif step == "rename":
    os.replace = lambda *args: pause()
elif step == "after-rename":
    real_replace = os.replace

    def replace_then_pause(*args):
        real_replace(*args)
        pause()

    os.replace = replace_then_pause
sys.argv = ["smo-designer", *sys.argv[3:]]
from smo_designer.cli import run
run()
"""


@pytest.mark.parametrize(
    ("step", "expected"), [("write", "old"), ("fsync", "old"), ("rename", "old"), ("after-rename", "new")]
)
def test_killed_at_each_step_of_the_save(
    tmp_path: Path, big: Big, old_target: tuple[Path, bytes], step: str, expected: str
) -> None:
    target, old = old_target
    marker = tmp_path / "reached.txt"
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_CONVERT, step, str(marker), "convert", str(big.source), str(target)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not marker.exists():
            assert process.poll() is None, f"the convert finished without reaching the {step} step"
            assert time.monotonic() < deadline, f"the convert did not reach the {step} step"
            time.sleep(0.01)
    finally:
        kill(process)
    assert marker.read_text() == step
    assert target.read_bytes() == (old if expected == "old" else big.new)
    assert_whole(target, old, big.new)
    temporary = leftovers(target.parent, target)
    if expected == "old":
        assert len(temporary) == 1  # the killed save's temporary file, which no .bpmn glob finds
        written = temporary[0].read_bytes()
        assert written == (big.new[: len(big.new) // 2] if step == "write" else big.new)
    else:
        assert temporary == []
    assert [p.name for p in target.parent.glob("*.bpmn")] == [target.name]


def test_a_complete_convert_replaces_the_file_and_keeps_its_permissions(
    big: Big, old_target: tuple[Path, bytes]
) -> None:
    target, _ = old_target
    run = subprocess.run(convert_command(big.source, target), capture_output=True, text=True, timeout=TIMEOUT)
    assert (run.returncode, run.stderr) == (0, "")
    assert target.read_bytes() == big.new
    assert stat.S_IMODE(os.stat(target).st_mode) == MODE
    assert leftovers(target.parent, target) == []


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o664, 0o444])
def test_saving_keeps_the_permissions_of_an_existing_file(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "shared.bpmn"
    target.write_text("an older model")
    os.chmod(target, mode)
    write_bpmn(read_bpmn(MIWG / "A.1.0.bpmn").document, target)
    assert stat.S_IMODE(os.stat(target).st_mode) == mode
    assert read_bpmn(target).problems == []
    assert [p.name for p in tmp_path.iterdir()] == ["shared.bpmn"]


def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path: Path) -> None:
    # the temporary file is made private (0600); the saved model must not stay that way
    target = tmp_path / "new.bpmn"
    run = subprocess.run(
        convert_command(MIWG / "A.1.0.bpmn", target), capture_output=True, text=True, timeout=TIMEOUT, umask=0o027
    )
    assert run.returncode == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


def one_line_write_error(target: Path) -> str:
    with pytest.raises(BpmnWriteError) as caught:
        write_bpmn(read_bpmn(MIWG / "A.1.0.bpmn").document, target)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{target}: cannot be written: ")
    return message


def cli_write_error(target: Path) -> str:
    run = subprocess.run(convert_command(MIWG / "A.1.0.bpmn", target), capture_output=True, text=True, timeout=TIMEOUT)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith(f"{target}: cannot be written: ")
    assert "Traceback" not in run.stderr
    return run.stderr


def test_a_missing_folder_gets_one_line_and_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.bpmn"
    assert "No such file or directory" in one_line_write_error(target)
    assert "No such file or directory" in cli_write_error(target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_gets_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    target = folder / "out.bpmn"
    target.write_text("an older model")
    os.chmod(folder, 0o555)
    try:
        assert "Permission denied" in one_line_write_error(target)
        assert "Permission denied" in cli_write_error(target)
        assert target.read_text() == "an older model"
        assert [p.name for p in folder.iterdir()] == ["out.bpmn"]
    finally:
        os.chmod(folder, 0o755)


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_a_folder_no_one_may_create_files_in_gets_one_line_and_exit_2() -> None:
    # sysfs refuses new files even to root, so this runs wherever the tests run on Linux
    target = Path("/sys/kernel/smo-designer-test.bpmn")
    one_line_write_error(target)
    cli_write_error(target)
    assert not target.exists()


def test_a_folder_that_is_a_file_gets_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    one_line_write_error(blocker / "out.bpmn")
    cli_write_error(blocker / "out.bpmn")
    assert blocker.read_text() == "not a folder"


def test_a_target_that_is_a_folder_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "model.bpmn"
    folder.mkdir()
    (folder / "inside.txt").write_text("kept")
    one_line_write_error(folder)
    cli_write_error(folder)
    assert (folder / "inside.txt").read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["model.bpmn"]  # no temporary file left behind
