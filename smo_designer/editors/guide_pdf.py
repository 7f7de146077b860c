"""The process guide as a PDF printed with Qt, and export_guide(), which writes the guide as HTML
or PDF by the file's suffix (editors layer: formats/ may not import Qt, and PySide6-Essentials
has no web engine, so the PDF is Qt's rich text laid out on A4 pages with the diagram painted
as vector graphics on landscape pages of its own).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from ..formats.guide import GuideDocument, GuideError, build_guide, write_guide_html
from ..model.document import Document
from ..model.problems import Problem

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgRenderer

MM = 96 / 25.4  # CSS pixels per millimetre: the rich text is laid out at 96 per inch
PORTRAIT_MARGINS = (17.0, 18.0, 17.0, 20.0)  # left, top, right, bottom in mm, as the browser's @page
LANDSCAPE_MARGINS = (15.0, 15.0, 15.0, 17.0)
FOOTER_GAP = 7.0  # mm from the text area's bottom to the footer's baseline
RESOLUTION = 1200
KEEP_WITH_HEADING = 110.0  # px of room a heading needs below it, or it moves to the next page
# Qt's rich text has no paged media and no rounded or per-side borders; these rules take the
# place of what the browser CSS does with them.
QT_CSS = """
table.grid { border-width: 1px; border-style: solid; border-color: #A6A6A6; }
h1 { margin-top: 0; }
body { line-height: 140%; }
h1, h2, h3, h4 { line-height: 125%; }
td.raci-list { line-height: 170%; }
"""


class _Application:
    """Qt's painting needs a GUI application; a batch command has none until it asks for a guide."""

    instance: QGuiApplication | None = None

    @classmethod
    def ensure(cls) -> None:
        if QGuiApplication.instance() is not None:
            return
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication  # the diagram scene is a widgets class

        cls.instance = QApplication(["smo-designer"])


def diagram_svg(document: Document) -> tuple[str | None, str]:
    """The drawing for the guide, and why there is none when there is none."""
    try:
        from ..canvas.export import diagram_svg as draw
    except ImportError:
        return None, "The diagram is not part of this edition of the guide: this installation cannot draw it."
    return draw(document), ""


def export_guide(
    document: Document,
    out_path: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
    problems: Sequence[Problem] = (),
    source_name: str = "",
) -> None:
    """Write the process guide to out_path: HTML for .html or .htm, PDF for .pdf. `problems` are
    those found when the model was read (the guide adds its checks); `source_name` is the model's
    file name for the cover. Raises GuideError with a one-line message."""
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise GuideError(f"{path}: choose a .html or .pdf file name for the guide")
    _Application.ensure()
    svg, note = diagram_svg(document)
    when = today or dt.date.today()
    if suffix == ".pdf":
        guide = build_guide(
            document, diagram_svg=svg, today=when, problems=problems, source_name=source_name, diagram_note=note
        )
        write_guide_pdf(guide, path)
    else:
        write_guide_html(
            document, path, diagram_svg=svg, today=when, problems=problems, source_name=source_name, diagram_note=note
        )


def write_guide_pdf(guide: GuideDocument, path: str | os.PathLike[str]) -> int:
    """Print the guide to a PDF file; returns the number of pages. GuideError when the file
    cannot be written."""
    _Application.ensure()
    target = Path(path)
    if target.is_dir():
        raise GuideError(f"{target}: is a folder, not a file name")
    if not target.parent.is_dir():
        raise GuideError(f"{target}: the folder {target.parent} does not exist")
    portrait = _layout(QPageLayout.Orientation.Portrait)
    landscape = _layout(QPageLayout.Orientation.Landscape)
    front = _text(guide, guide.front, portrait, PORTRAIT_MARGINS)
    back = _text(guide, guide.back, portrait, PORTRAIT_MARGINS)
    diagram_pages = _diagram_pages(guide)
    total = len(_pages_with_content(front)) + len(diagram_pages) + len(_pages_with_content(back))
    # printed beside the target and renamed over it, so a failed print leaves the old file whole
    temporary = ""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".pdf", dir=target.parent)
        os.close(handle)
        _print(guide, temporary, front, back, diagram_pages, portrait, landscape)
        os.chmod(temporary, _file_mode(target))
        os.replace(temporary, target)
    except OSError as error:
        raise GuideError(f"{target}: {error.strerror or error}") from None
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
    return total


def _file_mode(target: Path) -> int:
    """The mode the file had, or what a new file gets under the umask (mkstemp makes it private)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _print(
    guide: GuideDocument,
    path: str,
    front: QTextDocument,
    back: QTextDocument,
    diagram_pages: list[_DiagramPage],
    portrait: QPageLayout,
    landscape: QPageLayout,
) -> None:
    front_pages, back_pages = _pages_with_content(front), _pages_with_content(back)
    total = len(front_pages) + len(diagram_pages) + len(back_pages)
    writer = QPdfWriter(path)
    writer.setResolution(RESOLUTION)
    writer.setTitle(guide.title)
    writer.setCreator("SMO Designer")
    writer.setPageLayout(portrait)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("cannot write the PDF file")
    painter.scale(RESOLUTION / 96, RESOLUTION / 96)  # from here on, units are CSS pixels
    number = 0
    try:
        for index in front_pages:
            number += 1
            if number > 1:
                writer.newPage()
            _paint_text_page(painter, front, index, portrait, PORTRAIT_MARGINS)
            if number > 1:  # the cover has no footer
                _footer(painter, guide.footer, number, total, portrait, PORTRAIT_MARGINS)
        if diagram_pages:
            writer.setPageLayout(landscape)
            for page in diagram_pages:
                number += 1
                writer.newPage()
                page.paint(painter, landscape)
                _footer(painter, guide.footer, number, total, landscape, LANDSCAPE_MARGINS)
            writer.setPageLayout(portrait)
        for index in back_pages:
            number += 1
            writer.newPage()
            _paint_text_page(painter, back, index, portrait, PORTRAIT_MARGINS)
            _footer(painter, guide.footer, number, total, portrait, PORTRAIT_MARGINS)
    finally:
        painter.end()


# --- pages --------------------------------------------------------------------------------------


def _layout(orientation: QPageLayout.Orientation) -> QPageLayout:
    # margins of zero: the footer is painted in what the text leaves free, so the painter
    # must reach the whole sheet
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0))


def _sheet(layout: QPageLayout) -> QSizeF:
    """The sheet in CSS pixels."""
    size = layout.fullRect(QPageLayout.Unit.Millimeter).size()
    return QSizeF(size.width() * MM, size.height() * MM)


def _body(layout: QPageLayout, margins: tuple[float, float, float, float]) -> QRectF:
    sheet = _sheet(layout)
    left, top, right, bottom = (m * MM for m in margins)
    return QRectF(left, top, sheet.width() - left - right, sheet.height() - top - bottom)


def _text(
    guide: GuideDocument, body: str, layout: QPageLayout, margins: tuple[float, float, float, float]
) -> QTextDocument:
    """The body laid out on pages. Qt's rich text has no 'break-after: avoid': a heading that
    lands at the foot of a page, with no room for what it introduces, gets a page break before
    it, one heading at a time (each break moves what follows it)."""
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setDefaultFont(_font(10))
    document.setHtml(f"<html><head><style>{guide.css}{QT_CSS}</style></head><body>{body}</body></html>")
    document.setPageSize(_body(layout, margins).size())
    moved: set[int] = set()
    while (stranded := _stranded_heading(document, moved)) is not None:
        moved.add(stranded)
        form = QTextBlockFormat()
        form.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        # the layout is complete here (_stranded_heading saw to it): changing a block of a text
        # laid out only in part upsets Qt's lazy layout
        QTextCursor(document.findBlockByNumber(stranded)).mergeBlockFormat(form)
    return document


def _stranded_heading(document: QTextDocument, done: set[int]) -> int | None:
    """The number of the first heading too close to the foot of its page, if any (its text
    laid out in full first)."""
    document.pageCount()  # lays the whole text out: the layout is otherwise made lazily
    page = document.pageSize().height()
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0 and block.blockNumber() not in done:
            rect = _lines_rect(block)
            offset = rect.top() % page
            if 2 < offset < page - 2 and page - offset < rect.height() + KEEP_WITH_HEADING:
                return block.blockNumber()
        block = block.next()
    return None


def _pages_with_content(document: QTextDocument) -> list[int]:
    """The pages that show something. A table ending at the foot of a page leaves an empty
    paragraph behind it, which a page break right after would print as a blank page."""
    count = document.pageCount()  # lays the whole text out: the layout is otherwise made lazily
    page = document.pageSize().height()
    layout = document.documentLayout()
    used: set[int] = set()
    iterator = document.rootFrame().begin()
    while not iterator.atEnd():
        frame = iterator.currentFrame()
        if frame is not None:
            rect = layout.frameBoundingRect(frame)
        else:
            block = iterator.currentBlock()
            rect = _lines_rect(block) if block.text().strip() else None
        if rect is not None and rect.height() > 0:
            # a frame's rectangle takes its margin along: a few pixels over a page's foot show nothing
            first = int((rect.top() + 1) // page)  # + 1: a page top computed as 7.99994 pages
            used.update(range(first, max(first, int((rect.bottom() - 24) // page)) + 1))
        iterator += 1
    return sorted(page_index for page_index in used if page_index < count)


def _lines_rect(block: QTextBlock) -> QRectF:
    """Where a block's text stands in the document. Its bounding rectangle would also hold the
    space a page break puts before it, which lies on the page before."""
    text = block.layout()
    if text.lineCount() == 0:
        return QRectF()
    first, last = text.lineAt(0).rect(), text.lineAt(text.lineCount() - 1).rect()
    origin = text.position()
    return QRectF(origin.x(), origin.y() + first.top(), first.width(), last.bottom() - first.top())


def _font(points: float) -> QFont:
    font = QFont()
    font.setFamilies(["Liberation Sans", "Arial", "Helvetica", "DejaVu Sans"])
    font.setPointSizeF(points)
    return font


def _paint_text_page(
    painter: QPainter,
    document: QTextDocument,
    index: int,
    layout: QPageLayout,
    margins: tuple[float, float, float, float],
) -> None:
    body = _body(layout, margins)
    painter.save()
    painter.translate(body.left(), body.top() - index * body.height())
    document.drawContents(painter, QRectF(0, index * body.height(), body.width(), body.height()))
    painter.restore()


def _footer(
    painter: QPainter,
    text: str,
    number: int,
    total: int,
    layout: QPageLayout,
    margins: tuple[float, float, float, float],
) -> None:
    body = _body(layout, margins)
    baseline = body.bottom() + FOOTER_GAP * MM
    painter.save()
    font = QFont()
    font.setFamilies(["Liberation Sans", "Arial", "Helvetica", "DejaVu Sans"])
    font.setPixelSize(10)  # 7.5 pt: the painter counts in CSS pixels
    painter.setFont(font)
    painter.setPen(QPen(QColor("#A6A6A6"), 0.75))
    rule = baseline - 4 * MM
    painter.drawLine(QPointF(body.left(), rule), QPointF(body.right(), rule))
    painter.setPen(QColor("#595959"))
    area = QRectF(body.left(), rule + 1 * MM, body.width(), 5 * MM)
    painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
    painter.drawText(
        area, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"Page {number} of {total}"
    )
    painter.restore()


class _DiagramPage:
    """One landscape page: the chapter heading (on the first), a view of the drawing, a caption."""

    def __init__(
        self,
        guide: GuideDocument,
        heading: str,
        caption: str,
        view: QRectF | None,
        drawing: PrintedDiagram | None,
        *,
        part: bool = False,
    ) -> None:
        self.guide, self.heading, self.caption, self.view = guide, heading, caption, view
        self.drawing, self.part = drawing, part

    def paint(self, painter: QPainter, layout: QPageLayout) -> None:
        body = _body(layout, LANDSCAPE_MARGINS)
        top = body.top()
        if self.heading:
            heading = _snippet(self.guide, self.heading, body.width())
            painter.save()
            painter.translate(body.left(), top)
            heading.drawContents(painter)
            painter.restore()
            top += heading.size().height() + 4 * MM
        caption = _snippet(self.guide, f'<p class="caption">{_escape(self.caption)}</p>', body.width())
        space = QRectF(body.left(), top, body.width(), body.bottom() - top - caption.size().height() - 3 * MM)
        if self.view is None or self.drawing is None:
            painter.save()
            painter.translate(space.left(), space.top())
            _snippet(self.guide, f'<p class="note">{_escape(self.guide.diagram_note)}</p>', body.width()).drawContents(
                painter
            )
            painter.restore()
            return
        renderer = self.drawing.part(self.view) if self.part else self.drawing.whole
        if not renderer.isValid():
            return
        renderer.setViewBox(self.view)
        scale = min(space.width() / self.view.width(), space.height() / self.view.height())
        size = QSizeF(self.view.width() * scale, self.view.height() * scale)
        target = QRectF(QPointF(space.left() + (space.width() - size.width()) / 2, space.top()), size)
        painter.save()
        painter.setClipRect(target)
        renderer.render(painter, target)
        painter.restore()
        painter.save()
        painter.translate(body.left(), target.bottom() + 3 * MM)
        caption.drawContents(painter)
        painter.restore()


def _diagram_pages(guide: GuideDocument) -> list[_DiagramPage]:
    diagram = guide.diagram
    if diagram is None:
        return [_DiagramPage(guide, guide.diagram_heading, "", None, None)]
    box = _view_box(diagram.inline)
    parts = [QRectF(tile.x, tile.y, tile.width, tile.height) for tile in diagram.tiles]
    drawing = PrintedDiagram(diagram.svg, parts)
    pages = [_DiagramPage(guide, guide.diagram_heading, diagram.caption, box, drawing)]
    for tile, view in zip(diagram.tiles, parts, strict=True):
        pages.append(_DiagramPage(guide, "", tile.caption, view, drawing, part=True))
    return pages


class PrintedDiagram:
    """The diagram, read once for all its pages. The overview shows the whole of it; the page of
    a part is printed from the shapes that reach into that part only.

    A part of a long process is a small piece of a drawing that grows with the model: giving
    every part the whole drawing, clipped to the part, made each page read and paint (and the
    PDF hold) all of it, so the parts of a 5,000-task model cost as much as 1,000 whole diagrams.
    The drawing is split into the pieces its root group holds in order (QSvgGenerator writes one
    group per change of pen, brush or transform); each piece's bounds come from Qt's own reading
    of the SVG, and a part's SVG is the same document with only the pieces that touch the part,
    in their order, so what lies on the page is painted exactly as before."""

    # drawing units added around a piece's bounds before asking whether it reaches a part:
    # a piece kept in vain costs a little, a piece left out would be a hole in the drawing
    SLACK = 8.0
    PLACEHOLDER = "smo-designer-diagram-pieces"  # a comment marking where the pieces go
    NON_DRAWING = frozenset({"desc", "title", "metadata", "defs", "style", "script"})

    def __init__(self, svg: str, parts: Sequence[QRectF]) -> None:
        self._parts = list(parts)
        self._head = self._tail = b""
        self._pieces: list[bytes] = []
        self._names: list[str | None] = []  # a piece's id; None: on every part; "": draws nothing
        self._index: _PieceIndex | None = None
        named = self._split(svg) if self._parts else None
        # the overview reads the SVG with its pieces named (ids change nothing in the picture), so
        # that the same reading measures the pieces
        self.whole = _trusted_renderer(named if named is not None else svg.encode("utf-8"))

    def part(self, view: QRectF) -> QSvgRenderer:
        """A renderer of the pieces that reach into view (the whole drawing when it could not be split)."""
        svg = self.part_svg(view)
        return self.whole if svg is None else _trusted_renderer(svg)

    def part_svg(self, view: QRectF) -> bytes | None:
        """The SVG of the pieces that reach into view, in the drawing's order; None when the
        drawing could not be split."""
        if not self._pieces:
            return None
        if self._index is None:
            self._index = self._measure()
        return self._head + b"".join(self._pieces[i] for i in self._index.reaching(view)) + self._tail

    def _split(self, svg: str) -> bytes | None:
        """Cut the SVG into head, pieces and tail; returns the whole SVG with its pieces named,
        or None (the parts are then printed from the whole drawing) when it cannot be read."""
        from lxml import etree

        try:
            root = etree.fromstring(svg.encode("utf-8"), etree.XMLParser(huge_tree=True))
        except etree.XMLSyntaxError:
            return None
        holder = root
        while True:  # down through the groups that only wrap the drawing (the painter's first state)
            drawing = [
                child for child in holder if isinstance(child.tag, str) and _local(child) not in self.NON_DRAWING
            ]
            if len(drawing) == 1 and _local(drawing[0]) == "g" and len(drawing[0]) > 0:
                holder = drawing[0]
            else:
                break
        children = list(holder)
        if not children:
            return None
        # what may be referred to from anywhere is kept on every part
        referable = set(holder.xpath("*[@id or .//*[@id]]"))
        pieces: list[bytes] = []
        names: list[str | None] = []
        for number, child in enumerate(children):
            tag = child.tag
            if not isinstance(tag, str) or child in referable:  # also comments and processing instructions
                names.append(None)
            else:
                local = tag.rsplit("}", 1)[-1]
                if local in self.NON_DRAWING:
                    names.append(None)
                elif local == "g" and not len(child):
                    pieces.append(b"")  # an empty group draws nothing
                    names.append("")
                    continue
                else:
                    name = f"smo-guide-piece-{number}"
                    child.set("id", name)
                    names.append(name)
            pieces.append(etree.tostring(child))
        whole = etree.tostring(root)
        for child in children:
            holder.remove(child)
        holder.append(etree.Comment(self.PLACEHOLDER))
        frame = etree.tostring(root).split(f"<!--{self.PLACEHOLDER}-->".encode())
        if len(frame) != 2:
            return None
        self._head, self._tail = frame
        self._pieces = pieces
        self._names = names
        return whole

    def _measure(self) -> _PieceIndex:
        bounds: list[QRectF | None] = []
        for name in self._names:
            if name is None:
                bounds.append(None)
            elif name == "":
                bounds.append(QRectF())  # reaches no part
            else:
                rect = self.whole.boundsOnElement(name)
                # what Qt finds no bounds for cannot be placed, so it goes on every part
                bounds.append(
                    None if rect.isNull() else rect.adjusted(-self.SLACK, -self.SLACK, self.SLACK, self.SLACK)
                )
        return _PieceIndex(bounds, self._parts)


class _PieceIndex:
    """Which pieces of the drawing reach a part: a grid over the drawing, cells the size of the
    smallest part, each listing the pieces over it, so a part looks at its neighbourhood only."""

    def __init__(self, bounds: Sequence[QRectF | None], parts: Sequence[QRectF]) -> None:
        self.bounds = bounds
        self.everywhere = [i for i, rect in enumerate(bounds) if rect is None]
        self.left = min(part.left() for part in parts)
        self.top = min(part.top() for part in parts)
        self.width = max(1.0, min(part.width() for part in parts))
        self.height = max(1.0, min(part.height() for part in parts))
        extent = QRectF()
        for part in parts:
            extent = extent.united(part)
        self.cells: dict[tuple[int, int], list[int]] = {}
        for number, rect in enumerate(bounds):
            if rect is None or rect.isEmpty():
                continue
            # what lies beyond every part reaches none (and a piece measured as vast stays cheap)
            rect = rect.intersected(extent)
            if rect.isEmpty():
                continue
            for cell in self._cells(rect):
                self.cells.setdefault(cell, []).append(number)

    def reaching(self, view: QRectF) -> list[int]:
        """The pieces that reach into view, in the drawing's order."""
        found = set(self.everywhere)
        for cell in self._cells(view):
            for number in self.cells.get(cell, ()):
                rect = self.bounds[number]
                if rect is not None and rect.intersects(view):
                    found.add(number)
        return sorted(found)

    def _cells(self, rect: QRectF):
        first_column, last_column = (int((x - self.left) // self.width) for x in (rect.left(), rect.right()))
        first_row, last_row = (int((y - self.top) // self.height) for y in (rect.top(), rect.bottom()))
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                yield column, row


def _trusted_renderer(svg: bytes) -> QSvgRenderer:
    """A renderer of the canvas's own drawing. Qt skips, as too slow to rasterise, any shape wider
    than 2^23 device pixels unless the source is trusted; the pool and lane frames of a long
    process are that wide on the page of a part (at 1200 dpi, from about 7,000 tasks), and the
    PDF is vector output that never rasterises them."""
    from PySide6 import QtSvg
    from PySide6.QtCore import QByteArray

    renderer = QtSvg.QSvgRenderer()
    options = getattr(QtSvg, "QtSvg", None)  # Qt 6.7 on; before it, no option lifted the check
    if options is not None and hasattr(renderer, "setOptions"):
        renderer.setOptions(options.Option.AssumeTrustedSource)
    renderer.load(QByteArray(svg))
    return renderer


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _view_box(inline: str) -> QRectF:
    start = inline.index('viewBox="') + len('viewBox="')
    x, y, width, height = (float(v) for v in inline[start : inline.index('"', start)].split())
    return QRectF(x, y, width, height)


def _snippet(guide: GuideDocument, html: str, width: float) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setDefaultFont(_font(10))
    document.setHtml(f"<html><head><style>{guide.css}{QT_CSS}</style></head><body>{html}</body></html>")
    document.setTextWidth(width)
    return document


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
