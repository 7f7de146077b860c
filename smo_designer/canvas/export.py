"""Pictures of a diagram: PNG at a chosen scale, SVG, vector PDF and printed pages (canvas layer).

Everything renders the same scene the window shows, without selection or handles, so what
leaves the program looks like what the room saw.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from ..model.document import Document
from .scene import DiagramScene

BORDER = 20.0  # scene units of white around the drawing
SCREEN_DPI = 96.0  # one scene unit is one pixel on a 96 dpi screen
PAGE_SIZES = {
    "A4": QPageSize.PageSizeId.A4,
    "A3": QPageSize.PageSizeId.A3,
    "A2": QPageSize.PageSizeId.A2,
    "Letter": QPageSize.PageSizeId.Letter,
    "Legal": QPageSize.PageSizeId.Legal,
    "Tabloid": QPageSize.PageSizeId.Tabloid,
}
MAX_PIXELS = 400_000_000  # refuse images that would not fit in memory (20,000 x 20,000)


class ExportError(Exception):
    """A picture could not be made or written; the message names the file."""


def source_rect(scene: DiagramScene) -> QRectF:
    rect = scene.drawing_rect()
    if rect.isNull() or rect.isEmpty():
        rect = QRectF(0, 0, 100, 100)
    return rect.adjusted(-BORDER, -BORDER, BORDER, BORDER)


def _render(scene: DiagramScene, painter: QPainter, target: QRectF, source: QRectF) -> None:
    selected = scene.selectedItems()
    for item in selected:
        item.setSelected(False)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        for item in selected:
            item.setSelected(True)


def render_image(scene: DiagramScene, scale: float = 1.0, background: QColor | None = None) -> QImage:
    scene.flush()
    source = source_rect(scene)
    width, height = math.ceil(source.width() * scale), math.ceil(source.height() * scale)
    if width * height > MAX_PIXELS:
        raise ExportError(f"the image would be {width} x {height} pixels; choose a smaller scale")
    image = QImage(QSize(width, height), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(round(SCREEN_DPI * scale / 0.0254))
    image.setDotsPerMeterY(round(SCREEN_DPI * scale / 0.0254))
    image.fill(background if background is not None else QColor("white"))
    painter = QPainter(image)
    try:
        _render(scene, painter, QRectF(0, 0, width, height), source)
    finally:
        painter.end()
    return image


def export_png(scene: DiagramScene, path: str | Path, scale: float = 1.0) -> None:
    image = render_image(scene, scale)
    if not image.save(str(path), "PNG"):
        raise ExportError(f"{path}: cannot write the PNG file")


def svg_bytes(scene: DiagramScene, title: str = "") -> bytes:
    from PySide6.QtSvg import QSvgGenerator

    scene.flush()
    source = source_rect(scene)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(math.ceil(source.width()), math.ceil(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(title)
    generator.setDescription("Drawn by SMO Designer")
    painter = QPainter(generator)
    try:
        _render(scene, painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data())


def export_svg(scene: DiagramScene, path: str | Path, title: str = "") -> None:
    data = svg_bytes(scene, title)
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise ExportError(f"{path}: {error.strerror or error}") from None


def paint_pages(scene: DiagramScene, device: QPagedPaintDevice, *, fit: bool = True) -> int:
    """Paint the diagram onto a PDF writer or printer: one page scaled to fit, or at its
    natural size (one scene unit = 1/96 inch) over as many pages as it needs. Returns the
    number of pages."""
    scene.flush()
    source = source_rect(scene)
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError("cannot start painting on the output device")
    try:
        page = QRectF(painter.viewport())
        if fit:
            _render(scene, painter, page, source)
            return 1
        scale = device.logicalDpiX() / SCREEN_DPI
        tile_width, tile_height = page.width() / scale, page.height() / scale
        columns = max(1, math.ceil(source.width() / tile_width))
        rows = max(1, math.ceil(source.height() / tile_height))
        for row in range(rows):
            for column in range(columns):
                if row or column:
                    device.newPage()
                tile = QRectF(source.x() + column * tile_width, source.y() + row * tile_height, tile_width, tile_height)
                _render(scene, painter, page, tile)
        return rows * columns
    finally:
        painter.end()


def page_layout(scene: DiagramScene, page: str = "A4", orientation: str = "auto") -> QPageLayout:
    size_id = PAGE_SIZES.get(page)
    if size_id is None:
        raise ExportError(f"unknown page size {page!r}; use one of {', '.join(PAGE_SIZES)}")
    source = source_rect(scene)
    if orientation == "auto":
        landscape = source.width() >= source.height()
    else:
        landscape = orientation == "landscape"
    return QPageLayout(
        QPageSize(size_id),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(10, 10, 10, 10),
        QPageLayout.Unit.Millimeter,
    )


def export_pdf(
    scene: DiagramScene,
    path: str | Path,
    *,
    page: str = "A4",
    orientation: str = "auto",
    fit: bool = True,
    title: str = "",
) -> int:
    """A vector PDF; returns the number of pages."""
    layout = page_layout(scene, page, orientation)
    writer = QPdfWriter(str(path))
    writer.setPageLayout(layout)
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("SMO Designer")
    try:
        return paint_pages(scene, writer, fit=fit)
    except ExportError as error:
        raise ExportError(f"{path}: {error}") from None


def export_image(
    scene: DiagramScene, path: str | Path, *, scale: float = 1.0, page: str = "A4", fit: bool = True, title: str = ""
) -> None:
    """PNG, SVG or PDF, by the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        export_png(scene, path, scale)
    elif suffix == ".svg":
        export_svg(scene, path, title)
    elif suffix == ".pdf":
        export_pdf(scene, path, page=page, fit=fit, title=title)
    else:
        raise ExportError(f"{path}: choose a .png, .svg or .pdf file name")
    if not Path(path).is_file():
        raise ExportError(f"{path}: the file was not written")


def diagram_svg(document: Document) -> str:
    """The document's first diagram as SVG text, for reports such as the process guide."""
    scene = DiagramScene(document)
    try:
        return svg_bytes(scene).decode("utf-8")
    finally:
        scene.detach()


def png_bytes(scene: DiagramScene, scale: float = 1.0) -> bytes:
    image = render_image(scene, scale)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


__all__ = [
    "ExportError",
    "diagram_svg",
    "export_image",
    "export_pdf",
    "export_png",
    "export_svg",
    "paint_pages",
    "render_image",
]
