"""Render MIWG reference models with `smo-designer export --image` into docs/rendering/, to be
looked at beside the reference pictures in ../shared/miwg-reference/.

    python tools/render_references.py [NAME ...]      (default: A.1.0 A.4.0 B.1.0 B.2.0 C.1.0)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smo_designer import cli  # noqa: E402

MIWG = ROOT.parent / "shared" / "miwg-reference"
DEFAULT = ["A.1.0", "A.4.0", "B.1.0", "B.2.0", "C.1.0"]


def main(names: list[str]) -> int:
    target = ROOT / "docs" / "rendering"
    target.mkdir(parents=True, exist_ok=True)
    status = 0
    for name in names or DEFAULT:
        out = target / f"{name}.png"
        status |= cli.main(["export", str(MIWG / f"{name}.bpmn"), "--image", str(out), "--scale", "1"])
        print(f"{out.relative_to(ROOT)}  (reference: ../shared/miwg-reference/{name}.png)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
