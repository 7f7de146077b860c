"""The process guide: what a reader finds in the HTML (document control, purpose and scope,
diagram, activities with RACI, roles, policies, KPIs, open problems), that it stands alone and
escapes what the model holds, and the PDF printed from it; export by file suffix."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from lxml import html as lxml_html

from smo_designer.formats.bpmn import read_bpmn
from smo_designer.formats.guide import GuideError, build_guide, guide_html, write_guide_html
from smo_designer.model import bpmn, smo
from smo_designer.model.problems import ERROR, Problem

SAMPLE = ROOT / "samples" / "incident-management.bpmn"
TODAY = dt.date(2026, 11, 23)
WIDE_SVG = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<svg width="635mm" height="159mm" viewBox="0 0 2400 600" xmlns="http://www.w3.org/2000/svg" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" version="1.2" baseProfile="tiny">'
    '<rect x="10" y="10" width="2380" height="580" fill="none" stroke="black"/>'
    '<text x="100" y="300">Log incident</text></svg>\n'
)
SMALL_SVG = '<svg viewBox="0 0 600 300" xmlns="http://www.w3.org/2000/svg"><circle cx="50" cy="50" r="20"/></svg>'


def sample():
    return read_bpmn(SAMPLE).document


def page(document=None, **options) -> lxml_html.HtmlElement:
    options.setdefault("diagram_svg", WIDE_SVG)
    options.setdefault("today", TODAY)
    return lxml_html.fromstring(guide_html(document or sample(), **options))


def texts(tree: lxml_html.HtmlElement, xpath: str) -> list[str]:
    """The text a reader sees in each node: a line break reads as a space."""
    out = []
    for node in tree.xpath(xpath):
        for line_break in node.iter("br"):
            line_break.tail = " " + (line_break.tail or "")
        out.append(" ".join(node.text_content().split()))
    return out


def control_block(tree) -> dict[str, str]:
    rows = tree.xpath('//table[contains(@class, "control")]//tr')
    return {" ".join(row[0].text_content().split()): " ".join(row[1].text_content().split()) for row in rows}


def test_the_chapters_follow_the_practice_guides(tmp_path: Path) -> None:
    tree = page()
    assert texts(tree, "//h1[contains(@class, 'chapter')]") == [
        "1 General information",
        "3 Activities",
        "4 Roles and responsibilities",
        "5 Policies",
        "6 Measurement and reporting",
        "7 Open problems",
    ]
    assert texts(tree, "//section[@id='diagram']/h2") == ["2 Process diagram"]
    assert texts(tree, "//table[contains(@class, 'toc')]//td[2]") == [
        "General information",
        "Process diagram",
        "Activities",
        "Roles and responsibilities",
        "Policies",
        "Measurement and reporting",
        "Open problems",
    ]
    anchors = [a.get("href")[1:] for a in tree.xpath("//table[contains(@class, 'toc')]//a")]
    assert all(tree.xpath(f"//*[@id='{anchor}']") for anchor in anchors)


def test_the_cover_carries_the_document_control_block_and_change_history() -> None:
    tree = page(source_name="/models/incident-management.bpmn")
    assert texts(tree, "//h1[contains(@class, 'cover-title')]") == ["Incident management"]
    assert control_block(tree) == {
        "Document": "Incident management — Process guide",
        "Version": "1.2",
        "Status": "Approved",
        "Owner": "Service Management Office",
        "Approver": "Head of IT service management",
        "Created": "2024-01-15",
        "Last modified": "2026-03-02",
        "Issued": "2026-11-23",
        "Model file": "incident-management.bpmn",
    }
    history = tree.xpath("//table[contains(@class, 'history')]/tbody/tr")
    assert [row[0].text_content() for row in history] == ["0.1", "1.0", "1.1", "1.2"]
    assert history[-1][1].text_content() == "2026-03-02"


def test_purpose_and_scope_come_from_the_model() -> None:
    tree = page()
    general = tree.xpath("//h1[@id='general']/..")[0]
    paragraphs = texts(general, ".//p")
    assert any(p.startswith("Restore normal service operation as quickly as possible") for p in paragraphs)
    assert any(p.startswith("All incidents affecting the services") for p in paragraphs)


def test_the_diagram_is_inline_svg_with_parts_for_print_when_it_is_wide() -> None:
    tree = page()
    figure = tree.xpath("//section[@id='diagram']")[0]
    svgs = figure.xpath(".//*[local-name()='svg']")
    assert len(svgs) == 3  # the whole diagram and, for print, its two halves
    assert svgs[0].get("viewbox") == "0 0 2400 600" or svgs[0].get("viewBox") == "0 0 2400 600"
    assert "Log incident" in svgs[0].text_content()
    assert texts(figure, ".//p[@class='caption']") == [
        "Figure 2.1. Incident management: the whole process, printed in parts on the next pages",
        "Figure 2.2. Incident management, part 1 of 2 (left)",
        "Figure 2.3. Incident management, part 2 of 2 (right)",
    ]
    small = page(diagram_svg=SMALL_SVG).xpath("//section[@id='diagram']//*[local-name()='svg']")
    assert len(small) == 1


def test_without_a_diagram_the_guide_says_why() -> None:
    tree = page(diagram_svg=None, diagram_note="The diagram is not part of this edition: no canvas.")
    assert texts(tree, "//section[@id='diagram']//p[@class='note']") == [
        "The diagram is not part of this edition: no canvas."
    ]
    broken = page(diagram_svg="<html>not a drawing</html>")
    assert "could not be read" in texts(broken, "//section[@id='diagram']//p[@class='note']")[0]


def test_the_activity_table_has_description_lane_and_raci_letters() -> None:
    tree = page()
    rows = tree.xpath("//table[contains(@class, 'activities')]/tbody/tr")
    assert len(rows) == 10
    number, activity, lane, letters = texts(rows[0], "td")
    assert number == "1"
    assert activity.startswith("Log incident Record the incident in the ITSM tool")
    assert activity.endswith("Policy: IM-POL-01")
    assert lane == "Service desk agent"
    assert letters == "A Incident manager R Service desk agent"
    review = next(row for row in rows if "Review major incident" in row.text_content())
    assert texts(review, "td")[3].startswith("A Incident management process owner R Incident")


def test_the_roles_and_the_raci_matrix() -> None:
    tree = page()
    roles = tree.xpath("//h2[contains(., 'Roles')]/following-sibling::table[1]/tbody/tr")
    assert texts(roles[0], "td")[0] == "Service desk agent operational"
    matrix = tree.xpath("//table[contains(@class, 'matrix')]")[0]
    assert texts(matrix, ".//th[@class='role-head']") == [
        "Service desk agent",
        "Incident manager",
        "Support group specialist (2nd line)",
        "Incident management process owner",
    ]
    log = next(row for row in matrix.xpath(".//tbody/tr") if "Log incident" in row.text_content())
    assert [cell.text_content() for cell in log[2:]] == ["R", "A", "", ""]
    coordinate = next(row for row in matrix.xpath(".//tbody/tr") if "Coordinate" in row.text_content())
    assert [cell.text_content() for cell in coordinate[2:]] == ["I", "A/R", "C", "I"]
    assert "background-color: #F4B183" in coordinate[3].get("style")  # the A colour of the grid and the sheet


def test_the_policies_with_statements_and_framework_references() -> None:
    tree = page()
    register = tree.xpath("//h2[contains(., 'Policy register')]/following-sibling::table[1]/tbody/tr")
    assert [texts(row, "td")[:3] for row in register][2] == [
        "IM-POL-03",
        "Major incidents follow the major incident procedure",
        "In review",
    ]
    first = tree.xpath("//div[@class='policy']")[0]
    assert texts(first, "h2") == ["5.2 IM-POL-01 Every incident is logged"]
    assert texts(first, ".//table[@class='statement']")[0].startswith("Every incident reported to the service desk")
    details = {
        row[0]: row[1]
        for row in (texts(tr, "th|td") for tr in first.xpath(".//table[contains(@class, 'policy-table')]//tr"))
    }
    assert details["Owner"] == "Incident manager"
    assert details["Governs"] == "Activity: Log incident"
    assert details["Frameworks"] == (
        "Implements ITIL 4: Incident management practice "
        "Implements ISO/IEC 20000-1:2018: 8.6.1 Incident management "
        "Supports COBIT 2019: DSS02 Managed Service Requests and Incidents"
    )
    mapping = tree.xpath("//h2[contains(., 'Framework mapping')]/following-sibling::table[1]/tbody/tr")
    assert [texts(row, "td")[0] for row in mapping] == [
        "ITIL 4",
        "COBIT 2019",
        "ISO/IEC 20000-1:2018",
        "NIST CSF 2.0",
        "ISO/IEC 27001:2022",
    ]


def test_the_kpis_with_their_targets() -> None:
    tree = page()
    rows = tree.xpath("//h1[@id='kpis']/following-sibling::table[1]/tbody/tr")
    assert [texts(row, "td") for row in rows][0] == [
        "Mean time to resolve Average time from logging to resolution of the incidents resolved in the period, "
        "excluding time on hold waiting for the user.",
        "≤ 8 hours lower is better",
        "monthly",
        "Incident manager",
        "ITSM tool, incident records",
    ]
    assert texts(rows[1], "td")[1] == "≥ 70% higher is better"


def test_open_problems_list_what_the_checks_find() -> None:
    document = sample()
    assert texts(page(document), "//h1[@id='problems']/following-sibling::p") == [
        "The checks found nothing to report on 2026-11-23."
    ]
    later = page(document, today=dt.date(2027, 6, 1), problems=[Problem(ERROR, "Flow_Log", "refers to nothing")])
    rows = [texts(row, "td") for row in later.xpath("//table[contains(@class, 'problems')]/tbody/tr")]
    assert rows[0] == ["Error", "Flow Flow_Log", "Refers to nothing."]
    assert [
        "Warning",
        "Policy IM-POL-01",
        "Policy IM-POL-01 'Every incident is logged' was due for review on 2027-03-01.",
    ] in rows
    facts = texts(later, "//td[@class='fact']")
    assert "4 Open problems 1 error" in facts


def test_the_guide_stands_alone_and_escapes_what_the_model_holds() -> None:
    document = sample()
    policy = smo.policies(document)[0]
    smo.update_policy(document, smo.replace(policy, title='<script>alert("x")</script> & <b>bold</b>'))
    text = guide_html(document, diagram_svg=None, today=TODAY)
    assert "<script" not in text and "<link" not in text
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", text)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in text
    tree = lxml_html.fromstring(text)
    assert texts(tree, "//div[@class='policy']/h2")[0] == '5.2 IM-POL-01 <script>alert("x")</script> & <b>bold</b>'


def test_an_empty_model_gives_a_guide_that_says_what_is_missing() -> None:
    tree = page(bpmn.new_document("New process"), diagram_svg=None)
    missing = texts(tree, "//*[contains(@class, 'missing')]")
    assert "The purpose of the process is not described in the model yet." in missing
    assert "The model has no activities yet." in missing
    assert "No policy governs the process yet." in missing
    assert "No KPI measures the process yet." in missing


def test_the_html_file_is_written_and_a_bad_place_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "guide.html"
    write_guide_html(sample(), path, diagram_svg=SMALL_SVG, today=TODAY)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(GuideError) as refused:
        write_guide_html(sample(), tmp_path / "missing" / "guide.html", diagram_svg=None, today=TODAY)
    assert "\n" not in str(refused.value) and "guide.html" in str(refused.value)


# --- PDF and export by suffix ---------------------------------------------------------------------


@pytest.fixture
def guide_pdf(qapp):
    from smo_designer.editors import guide_pdf

    return guide_pdf


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_has_the_cover_the_landscape_diagram_pages_and_the_chapters(guide_pdf, tmp_path: Path) -> None:
    path = tmp_path / "guide.pdf"
    guide = build_guide(sample(), diagram_svg=WIDE_SVG, today=TODAY, source_name="incident-management.bpmn")
    pages = guide_pdf.write_guide_pdf(guide, path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and pdf_pages(data) == pages
    assert 10 <= pages <= 20
    text = pdf_text(path)
    first = text.split("\f")[0]
    assert "Incident management" in first and "DOCUMENT CONTROL" in first and "Page 1 of" not in first
    assert f"Page 2 of {pages}" in text.split("\f")[1]
    for expected in ("1 General information", "Figure 2.1", "IM-POL-04", "Mean time to resolve", "7 Open problems"):
        assert expected in text, expected
    landscape = [size for size in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)]
    assert sum(1 for width, height in landscape if float(width) > float(height)) == 3  # overview and two halves


def test_export_guide_picks_html_or_pdf_by_suffix(guide_pdf, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(guide_pdf, "diagram_svg", lambda document: (SMALL_SVG, ""))
    guide_pdf.export_guide(sample(), tmp_path / "guide.HTML", today=TODAY)
    assert '<svg class="diagram"' in (tmp_path / "guide.HTML").read_text(encoding="utf-8")
    guide_pdf.export_guide(sample(), tmp_path / "guide.pdf", today=TODAY)
    assert (tmp_path / "guide.pdf").read_bytes().startswith(b"%PDF")
    (tmp_path / "folder.pdf").mkdir()
    for bad, reason in (
        ("guide.docx", "choose a .html or .pdf file name"),
        ("missing/guide.pdf", "does not exist"),
        ("folder.pdf", "is a folder"),
        ("missing/guide.html", "guide.html"),
    ):
        with pytest.raises(GuideError) as refused:
            guide_pdf.export_guide(sample(), tmp_path / bad, today=TODAY)
        assert reason in str(refused.value) and "\n" not in str(refused.value)


def test_without_the_canvas_the_guide_has_a_note_instead_of_the_diagram(guide_pdf, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "smo_designer.canvas.export", None)  # importing it raises ImportError
    svg, note = guide_pdf.diagram_svg(sample())
    assert svg is None and "cannot draw it" in note
    guide_pdf.export_guide(sample(), tmp_path / "guide.html", today=TODAY)
    tree = lxml_html.fromstring((tmp_path / "guide.html").read_text(encoding="utf-8"))
    assert "cannot draw it" in texts(tree, "//section[@id='diagram']//p[@class='note']")[0]


def test_the_sample_guide_carries_the_drawing_of_the_canvas(guide_pdf, tmp_path: Path) -> None:
    pytest.importorskip("smo_designer.canvas.export", exc_type=ImportError)
    path = tmp_path / "incident.html"
    guide_pdf.export_guide(sample(), path, today=TODAY)
    tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    drawing = tree.xpath("//section[@id='diagram']//*[local-name()='svg']")[0]
    labels = {" ".join(node.text_content().split()) for node in drawing.xpath(".//*[local-name()='text']")}
    assert {"Log incident", "Close incident", "Initial diagnosis"} <= labels


def test_each_part_of_a_wide_diagram_is_printed_from_the_shapes_that_reach_into_it(guide_pdf) -> None:
    # a part's page used to carry the whole drawing, clipped: pages and file grew with the
    # square of the model; what the page shows must stay the same
    pytest.importorskip("smo_designer.canvas.export", exc_type=ImportError)
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    def picture(renderer: QSvgRenderer, view: QRectF) -> QImage:
        image = QImage(round(view.width() * 1.5), round(view.height() * 1.5), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        renderer.setViewBox(view)
        renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
        painter.end()
        return image

    svg, _ = guide_pdf.diagram_svg(sample())
    diagram = build_guide(sample(), diagram_svg=svg, today=TODAY).diagram
    assert diagram is not None and len(diagram.tiles) == 2
    parts = [QRectF(tile.x, tile.y, tile.width, tile.height) for tile in diagram.tiles]
    drawing = guide_pdf.PrintedDiagram(diagram.svg, parts)
    left, right = (drawing.part_svg(part) for part in parts)
    assert b">Log incident<" in left and b">Log incident<" not in right
    assert b">Close incident<" in right and b">Close incident<" not in left
    whole = QSvgRenderer(diagram.svg.encode("utf-8"))
    for part in parts:
        assert picture(drawing.part(part), part) == picture(whole, part)
    assert drawing.whole.isValid() and picture(drawing.whole, parts[0]) == picture(whole, parts[0])


def test_a_split_drawing_keeps_what_may_be_referred_to_on_every_part_and_unreadable_ones_print_whole(guide_pdf) -> None:
    from PySide6.QtCore import QRectF

    left, right = QRectF(0, 0, 1250, 600), QRectF(1150, 0, 1250, 600)
    drawing = guide_pdf.PrintedDiagram(WIDE_SVG, [left, right])  # its shapes stand at the root
    assert b">Log incident<" in drawing.part_svg(left) and b">Log incident<" not in drawing.part_svg(right)
    assert all(b"<rect" in drawing.part_svg(part) for part in (left, right))  # the frame spans both
    referred = WIDE_SVG.replace(
        "</svg>", '<g id="mark"><circle cx="2300" cy="50" r="9"/></g><use href="#mark" x="-2200"/></svg>'
    )
    drawing = guide_pdf.PrintedDiagram(referred, [left, right])
    assert all(b'id="mark"' in drawing.part_svg(part) for part in (left, right))  # what a <use> may show
    unreadable = guide_pdf.PrintedDiagram('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg', [left])
    assert unreadable.part_svg(left) is None and unreadable.part(left) is unreadable.whole
