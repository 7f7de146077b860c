"""Build the one-folder program with PyInstaller and check it: it must answer --version, draw a
template with `export --image`, and open a template in its window (offscreen).

    python packaging/build.py            (from the checkout, with the project's .venv)

The program lands in dist/smo-designer/; see packaging/README.md for Windows and macOS.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYINSTALLER = "pyinstaller>=6.10,<7"


def main() -> int:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", PYINSTALLER], check=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(ROOT / "dist"),
            "--workpath",
            str(ROOT / "build"),
            str(ROOT / "packaging" / "smo-designer.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    built = ROOT / "dist" / "smo-designer" / ("smo-designer.exe" if os.name == "nt" else "smo-designer")
    print(f"built {built} in {time.perf_counter() - started:.0f} s; folder {folder_size(built.parent):.0f} MB")
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    version = subprocess.run([str(built), "--version"], capture_output=True, text=True, check=True, env=environment)
    print(version.stdout.strip())
    template = ROOT / "samples" / "incident-management.bpmn"
    picture = ROOT / "dist" / "check-export.png"
    subprocess.run([str(built), "export", str(template), "--image", str(picture)], check=True, env=environment)
    window = ROOT / "dist" / "check-window.png"
    window.unlink(missing_ok=True)
    subprocess.run([str(built), str(template), "--screenshot", str(window)], check=True, env=environment, timeout=120)
    if not window.is_file() or window.stat().st_size < 10_000:
        print("the built program did not show its window", file=sys.stderr)
        return 1
    print(f"checked: {picture.name} and {window.name} in dist/")
    return 0


def folder_size(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


if __name__ == "__main__":
    sys.exit(main())
