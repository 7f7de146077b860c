"""Pictures of the diagram: `smo-designer export --image` for every reference model, as PNG,
SVG and PDF, and clear messages when a picture cannot be made."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import MIWG, ROOT, miwg_files
from lxml import etree
from PySide6.QtGui import QColor, QImage

from smo_designer import cli
from smo_designer.canvas.export import diagram_svg
from smo_designer.formats.bpmn import read_bpmn


def ink_fraction(image: QImage) -> float:
    """The share of sampled pixels that are not white: a blank picture has none."""
    samples = inked = 0
    step = max(1, min(image.width(), image.height()) // 60)
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            samples += 1
            if QColor(image.pixel(x, y)).lightness() < 200:
                inked += 1
    return inked / max(samples, 1)


@pytest.mark.parametrize("path", miwg_files(), ids=lambda p: p.stem)
def test_every_reference_model_exports_as_png(qapp, path, tmp_path, capsys) -> None:
    target = tmp_path / f"{path.stem}.png"
    assert cli.main(["export", str(path), "--image", str(target), "--scale", "1"]) == cli.EXIT_OK
    image = QImage(str(target))
    assert not image.isNull()
    assert image.width() > 200 and image.height() > 100
    assert ink_fraction(image) > 0.002


def test_svg_and_pdf_are_written_by_suffix(qapp, tmp_path) -> None:
    svg, pdf = tmp_path / "b.svg", tmp_path / "b.pdf"
    source = str(MIWG / "B.2.0.bpmn")
    assert cli.main(["export", source, "--image", str(svg)]) == cli.EXIT_OK
    root = etree.fromstring(svg.read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 100
    assert cli.main(["export", source, "--image", str(pdf), "--page", "A3"]) == cli.EXIT_OK
    data = pdf.read_bytes()
    assert (
        data.startswith(b"%PDF")
        and data.count(b"/Type /Page\n") + data.count(b"/Type/Page\n") <= 1
        or b"/Count 1" in data
    )


def test_a_tiled_pdf_spreads_a_large_diagram_over_pages(qapp, tmp_path) -> None:
    pdf = tmp_path / "tiled.pdf"
    assert cli.main(["export", str(MIWG / "B.2.0.bpmn"), "--image", str(pdf), "--tile"]) == cli.EXIT_OK
    assert b"/Count 1\n" not in pdf.read_bytes() and b"/Count 1 " not in pdf.read_bytes()


def test_wrong_suffix_and_scale_get_one_line(qapp, tmp_path, capsys) -> None:
    source = str(MIWG / "A.1.0.bpmn")
    assert cli.main(["export", source, "--image", str(tmp_path / "x.gif")]) == cli.EXIT_UNREADABLE
    assert "choose a .png, .svg or .pdf" in capsys.readouterr().err
    assert cli.main(["export", source, "--image", str(tmp_path / "x.png"), "--scale", "0"]) == cli.EXIT_UNREADABLE
    assert "--scale" in capsys.readouterr().err
    target = tmp_path / "missing-folder" / "x.png"
    assert cli.main(["export", source, "--image", str(target)]) == cli.EXIT_UNREADABLE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "x.png" in err[0]


def test_the_command_draws_without_a_display(tmp_path) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    target = tmp_path / "a.png"
    run = subprocess.run(
        [sys.executable, "-m", "smo_designer", "export", str(MIWG / "A.1.0.bpmn"), "--image", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert QImage(str(target)).width() > 0


def test_a_model_without_diagram_is_placed_before_it_is_drawn(qapp, tmp_path, capsys) -> None:
    data = (MIWG / "A.2.0.bpmn").read_bytes()
    root = etree.fromstring(data)
    for diagram in root.findall("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNDiagram"):
        root.remove(diagram)
    source = tmp_path / "no-di.bpmn"
    source.write_bytes(etree.tostring(root))
    target = tmp_path / "no-di.png"
    assert cli.main(["export", str(source), "--image", str(target)]) == cli.EXIT_OK
    assert "had no position" in capsys.readouterr().err
    assert ink_fraction(QImage(str(target))) > 0.002


def test_diagram_svg_for_reports(qapp) -> None:
    svg = diagram_svg(read_bpmn(ROOT / "samples" / "incident-management.bpmn").document)
    assert svg.lstrip().startswith("<?xml") and "Log incident" in svg


def test_the_process_guide_is_exported_from_the_command_line(qapp, tmp_path, capsys) -> None:
    html, pdf = tmp_path / "guide.html", tmp_path / "guide.pdf"
    sample = str(ROOT / "samples" / "incident-management.bpmn")
    assert cli.main(["export", sample, "--guide", str(html)]) == cli.EXIT_OK
    text = html.read_text(encoding="utf-8")
    assert "<svg" in text and "Log incident" in text
    assert cli.main(["export", sample, "--guide", str(pdf)]) == cli.EXIT_OK
    assert pdf.read_bytes().startswith(b"%PDF")
    assert cli.main(["export", sample, "--guide", str(tmp_path / "guide.doc")]) == cli.EXIT_UNREADABLE
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
