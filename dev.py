#!/usr/bin/env python3
"""Set up and run SMO Designer from a checkout, with nothing but Python 3.11+.

    python3 dev.py run [FILE.bpmn]   install what is needed, then open the app (on a sample)
    python3 dev.py test [ARGS...]    install what is needed, then run the whole test suite

Both create .venv beside this file on first use and refresh it when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
SAMPLE = ROOT / "samples" / "incident-management.bpmn"
BPMN_CHECK = ROOT.parent / "shared" / "bpmn-check"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"SMO Designer needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    python = venv_python()
    if not python.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("installing SMO Designer and its test tools into .venv …", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"],
            cwd=ROOT,
            check=True,
        )
        stamp.write_text(wanted)
    return python


def ensure_bpmn_check() -> None:
    """bpmn-moddle (the parser in bpmn-js and Camunda Modeler) checks the files we write."""
    npm = shutil.which("npm")
    if npm is None or not BPMN_CHECK.is_dir():
        print("note: npm or ../shared/bpmn-check not found; the bpmn-moddle checks will be skipped")
        return
    if not (BPMN_CHECK / "node_modules" / "bpmn-moddle").is_dir():
        print("installing bpmn-moddle into ../shared/bpmn-check …", flush=True)
        subprocess.run([npm, "ci", "--silent", "--prefix", str(BPMN_CHECK)], check=True)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    python = ensure_environment()
    if argv[0] == "run":
        target = argv[1:] or [str(SAMPLE)]
        return subprocess.call([str(python), "-m", "smo_designer", *target], cwd=ROOT)
    ensure_bpmn_check()
    return subprocess.call([str(python), "-m", "pytest", *argv[1:]], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
