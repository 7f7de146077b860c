"""Test setup: Qt runs headless, and shared paths are found beside the checkout."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MIWG = SHARED / "miwg-reference"
BPMN_CHECK = SHARED / "bpmn-check"
XSD_VALIDATOR = SHARED / "bpmn-xsd" / "validate.py"


def miwg_files() -> list[Path]:
    return sorted(MIWG.glob("*.bpmn"))


@pytest.fixture(scope="session")
def bpmn_moddle() -> Path:
    """The bpmn-moddle checker; required in CI, skipped elsewhere when Node.js is missing."""
    ready = shutil.which("node") and (BPMN_CHECK / "node_modules" / "bpmn-moddle").is_dir()
    if not ready:
        if os.environ.get("CI"):
            pytest.fail("CI needs node and ../shared/bpmn-check/node_modules (python3 dev.py test installs it)")
        pytest.skip("Node.js or ../shared/bpmn-check/node_modules missing")
    return BPMN_CHECK / "check.mjs"


@pytest.fixture(autouse=True, scope="session")
def private_settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Preferences and recent files go to a folder of the test run, never the user's."""
    from PySide6.QtCore import QCoreApplication, QSettings

    folder = tmp_path_factory.mktemp("settings")
    QCoreApplication.setOrganizationName("SMO Designer tests")
    QCoreApplication.setApplicationName("SMO Designer tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def private_journal(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test journals into a folder of its own, never the user's."""
    folder = tmp_path_factory.mktemp("journal")
    monkeypatch.setenv("SMO_DESIGNER_JOURNAL", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog would wait forever for a click offscreen: fail instead. Tests that expect
    a dialog patch the method themselves (their patch replaces this one)."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, unexpected)
