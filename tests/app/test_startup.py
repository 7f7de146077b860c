"""The program starts as a user starts it: `smo-designer FILE --screenshot OUT.png` opens the
window on the file, photographs it and quits (what the packaging check relies on)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT
from PySide6.QtGui import QImage


def test_the_program_opens_a_template_in_its_window(tmp_path, private_journal) -> None:
    picture = tmp_path / "window.png"
    environment = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        SMO_DESIGNER_JOURNAL=str(private_journal),
        XDG_CONFIG_HOME=str(tmp_path),  # recent files go to the test's folder
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "smo_designer",
            str(ROOT / "samples" / "incident-management.bpmn"),
            "--screenshot",
            str(picture),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    image = QImage(str(picture))
    assert image.width() >= 800 and image.height() >= 600
