"""The BPMN notation painter: every shape, marker, label and flow in the style of bpmn-js, drawn
with any QPainter (screen, QImage, SVG, PDF), from Looks read off the model (canvas layer)."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QStaticText,
    QTextOption,
    QTransform,
)

from ..model import bpmn as b
from ..model import di
from ..model.document import Document
from ..model.element import Element
from ..model.namespaces import bpmn

HEADER_SIZE = 30  # pool and lane header band: left of horizontal ones, on top of vertical ones
TASK_RADIUS = 10.0
EXTERNAL_LABEL_WIDTH = 90.0
LABEL_FONT_SIZE = 11  # external labels (events, gateways, data, flows)
INNER_FONT_SIZE = 12  # names drawn inside activities, pools, lanes and annotations
# Level-of-detail thresholds (on-screen scale). Below MIN_DETAIL_SHAPE a shape is one filled
# outline, below MIN_DETAIL_ICONS its markers and icons go, below MIN_DETAIL_TEXT its text.
MIN_DETAIL_SHAPE = 0.15
MIN_DETAIL_ICONS = 0.25
MIN_DETAIL_TEXT = 0.4

DATA_KINDS = frozenset({"dataObjectReference", "dataObject", "dataInput", "dataOutput"})
SWIMLANE_KINDS = frozenset({"participant", "lane"})
KNOWN_KINDS = (
    b.ACTIVITY_TYPES
    | b.EVENT_TYPES
    | b.GATEWAY_TYPES
    | DATA_KINDS
    | SWIMLANE_KINDS
    | {"dataStoreReference", "dataStore", "textAnnotation", "group"}
)
THROWING_KINDS = frozenset({"endEvent", "intermediateThrowEvent"})
GLOBAL_TASK_KINDS = {
    "globalTask": "task",
    "globalUserTask": "userTask",
    "globalManualTask": "manualTask",
    "globalScriptTask": "scriptTask",
    "globalBusinessRuleTask": "businessRuleTask",
}
# DI colour extensions: bpmn-js writes both; other tools (W4, Trisotech) the OMG one
BIOC = "http://bpmn.io/schema/bpmn/biocolor/1.0"
OMG_COLOR = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"
FILL_ATTRIBUTES = (f"{{{BIOC}}}fill", f"{{{OMG_COLOR}}}background-color")
STROKE_ATTRIBUTES = (f"{{{BIOC}}}stroke", f"{{{OMG_COLOR}}}border-color")
FONT_FAMILIES = ["Arial", "Helvetica", "Liberation Sans", "Arimo", "Nimbus Sans", "Segoe UI", "DejaVu Sans"]


# --- what a shape looks like ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Look:
    """Everything the painter needs to know about one shape, read once from the model."""

    kind: str
    name: str = ""
    trigger: str = "none"
    interrupting: bool = True
    throwing: bool = False
    loop: str | None = None
    compensation: bool = False
    expanded: bool = False
    event_subprocess: bool = False
    horizontal: bool = True
    marker_visible: bool = True
    instantiate: bool = False
    parallel_event_gateway: bool = False
    collection: bool = False
    data_role: str | None = None
    call_kind: str | None = None
    badges: tuple[str, ...] = ()
    fill: str | None = None  # DI colour extension (bioc:fill / color:background-color), "#rrggbb"
    stroke: str | None = None  # DI colour extension (bioc:stroke / color:border-color)


@dataclass(frozen=True, slots=True)
class EdgeLook:
    """What a flow looks like: its BPMN kind and the decorations it carries."""

    kind: str = "sequenceFlow"
    default: bool = False
    conditional: bool = False
    message: str | None = None  # "initiating" | "non_initiating": the envelope at the middle
    direction: str = "None"  # association direction: None | One | Both
    stroke: str | None = None


@dataclass(frozen=True, eq=False)
class Palette:
    """The colours of the notation. Compared by identity: palettes are a few module constants."""

    name: str
    background: QColor
    fill: QColor
    stroke: QColor
    text: QColor
    muted: QColor  # non-initiating message envelope, business rule table header
    header: QColor  # pool and lane header band
    badge: QColor
    badge_mark: QColor


LIGHT = Palette(
    name="light",
    background=QColor("#ffffff"),
    fill=QColor("#ffffff"),
    stroke=QColor("#22242a"),
    text=QColor("#22242a"),
    muted=QColor("#b9bcc6"),
    header=QColor("#ffffff"),
    badge=QColor("#2f6fde"),
    badge_mark=QColor("#ffffff"),
)
DARK = Palette(
    name="dark",
    background=QColor("#1d1f23"),
    fill=QColor("#272a30"),
    stroke=QColor("#d5d8de"),
    text=QColor("#e6e8ec"),
    muted=QColor("#6e7480"),
    header=QColor("#23262b"),
    badge=QColor("#6aa4ff"),
    badge_mark=QColor("#1d1f23"),
)


def look_of(element: Element | None, shape: Element, document: Document | None = None) -> Look:
    """The Look of a BPMNShape and the semantic element it draws (None when its bpmnElement
    is dangling). `document` resolves data objects and call activity targets."""
    fill, stroke = _di_colours(shape)
    if element is None:
        return Look(kind="unknown", fill=fill, stroke=stroke)
    kind = b.kind(element) or "unknown"
    if kind not in KNOWN_KINDS:
        return Look(kind="unknown", name=b.name(element), fill=fill, stroke=stroke)
    values: dict = {"kind": kind, "name": b.name(element), "fill": fill, "stroke": stroke}
    if kind in b.EVENT_TYPES:
        values["trigger"] = b.event_trigger(element)
        values["interrupting"] = b.is_interrupting(element)
        values["throwing"] = kind in THROWING_KINDS
    elif kind in b.ACTIVITY_TYPES:
        values["loop"] = b.loop_marker(element)
        values["compensation"] = element.get("isForCompensation") == "true"
        values["expanded"] = _is_expanded(element, shape)
        values["event_subprocess"] = b.is_event_subprocess(element)
        values["instantiate"] = kind == "receiveTask" and element.get("instantiate") == "true"
        if kind == "callActivity" and document is not None:
            values["call_kind"] = _called_task_kind(element, document)
    elif kind in b.GATEWAY_TYPES:
        if kind == "exclusiveGateway":
            # bpmn-js and the MIWG pictures show the X only when the file asks for it
            values["marker_visible"] = shape.get("isMarkerVisible") == "true"
        elif kind == "eventBasedGateway":
            values["instantiate"] = element.get("instantiate") == "true"
            values["parallel_event_gateway"] = element.get("eventGatewayType") == "Parallel"
    elif kind in SWIMLANE_KINDS:
        values["horizontal"] = di.is_horizontal(shape) is not False
        # a participant without a process is a black-box pool: no header band
        values["expanded"] = kind == "lane" or bool(element.get("processRef"))
    elif kind in DATA_KINDS:
        values["collection"] = _is_collection(element, document)
        if kind == "dataInput":
            values["data_role"] = "input"
        elif kind == "dataOutput":
            values["data_role"] = "output"
    elif kind == "textAnnotation":
        text = element.find(bpmn("text"))
        values["name"] = (text.text or "") if text is not None else ""
    elif kind == "group":
        values["name"] = _group_name(element, document)
    return Look(**values)


def _di_colours(shape: Element) -> tuple[str | None, str | None]:
    attributes = shape.attributes
    fill = next((attributes[key] for key in FILL_ATTRIBUTES if key in attributes), None)
    stroke = next((attributes[key] for key in STROKE_ATTRIBUTES if key in attributes), None)
    return fill, stroke


def _is_expanded(element: Element, shape: Element) -> bool:
    explicit = di.is_expanded(shape)
    if explicit is not None:
        return explicit
    if b.kind(element) not in b.SUBPROCESS_TYPES:
        return False
    # Some tools leave isExpanded out; a sub-process drawn well beyond the collapsed size
    # with its own flow inside is meant expanded.
    box = di.bounds(shape)
    has_content = any(b.kind(child) in b.FLOW_NODE_TYPES for child in element.children)
    return has_content and box is not None and box.width * box.height > 2 * 100 * 80


def _called_task_kind(call_activity: Element, document: Document) -> str | None:
    called = (call_activity.get("calledElement") or "").rpartition(":")[2]
    target = document.element(called) if called else None
    return GLOBAL_TASK_KINDS.get(b.kind(target) or "") if target is not None else None


def _is_collection(element: Element, document: Document | None) -> bool:
    if element.get("isCollection") == "true":
        return True
    if b.kind(element) == "dataObjectReference" and document is not None:
        ref = (element.get("dataObjectRef") or "").rpartition(":")[2]
        target = document.element(ref) if ref else None
        return target is not None and target.get("isCollection") == "true"
    return False


def _group_name(group: Element, document: Document | None) -> str:
    ref = (group.get("categoryValueRef") or "").rpartition(":")[2]
    if ref and document is not None:
        value = document.element(ref)
        if value is not None and value.get("value"):
            return value.get("value") or ""
    return b.name(group)


def look_of_edge(element: Element | None, edge_shape_element: Element, document: Document | None) -> EdgeLook:
    """The EdgeLook of a BPMNEdge: its kind ("unknown" for a dangling or non-BPMN element),
    the default slash, the conditional diamond, the message envelope and association arrows."""
    _fill, stroke = _di_colours(edge_shape_element)
    if element is None:
        return EdgeLook(kind="unknown", stroke=stroke)
    kind = b.kind(element) or "unknown"
    if kind not in b.CONNECTION_TYPES:
        return EdgeLook(kind="unknown", stroke=stroke)
    default = conditional = False
    if kind == "sequenceFlow":
        source_id = (element.get("sourceRef") or "").rpartition(":")[2]
        source = document.element(source_id) if document is not None and source_id else None
        source_kind = b.kind(source) if source is not None else None
        if source is not None and element.id and source.get("default") == element.id:
            default = True
        elif element.find(bpmn("conditionExpression")) is not None and source_kind in b.ACTIVITY_TYPES:
            # from a gateway a condition is implied; bpmn-js marks it only after an activity
            conditional = True
    message = edge_shape_element.get("messageVisibleKind") if kind == "messageFlow" else None
    if message not in ("initiating", "non_initiating"):
        message = None
    direction = element.get("associationDirection", "None") if kind == "association" else "None"
    return EdgeLook(kind, default, conditional, message, direction or "None", stroke)


def label_inside(look: Look) -> bool:
    """Whether paint_shape draws the name itself; the others get an external label."""
    kind = look.kind
    return kind in b.ACTIVITY_TYPES or kind in SWIMLANE_KINDS or kind in ("textAnnotation", "unknown")


# --- colours, pens, fonts and text (cached) ---------------------------------------------------


@lru_cache(maxsize=256)
def _colour(spec: str) -> QColor | None:
    colour = QColor(spec.strip())
    return colour if colour.isValid() else None


@lru_cache(maxsize=64)
def _readable(preferred_rgba: int, background_rgba: int) -> QColor:
    """The preferred colour, or black/white when it would vanish on this background."""
    preferred, background = QColor.fromRgba(preferred_rgba), QColor.fromRgba(background_rgba)
    if abs(_luminance(preferred) - _luminance(background)) >= 0.4:
        return preferred
    return QColor("#1b1c20") if _luminance(background) > 0.5 else QColor("#f2f3f5")


def _luminance(colour: QColor) -> float:
    return 0.2126 * colour.redF() + 0.7152 * colour.greenF() + 0.0722 * colour.blueF()


def _colours(look: Look, palette: Palette) -> tuple[QColor, QColor, QColor]:
    """Fill, stroke and text colour of a shape: the palette's, unless the file colours it."""
    fill = (_colour(look.fill) if look.fill else None) or palette.fill
    stroke = (_colour(look.stroke) if look.stroke else None) or palette.stroke
    text = palette.text
    if look.fill and fill is not palette.fill:
        text = _readable(text.rgba(), fill.rgba())
        # the file's colours are made for black lines: keep them, but a dark palette's light
        # lines would vanish on a light fill
        if not look.stroke and _luminance(fill) > 0.5 and _luminance(stroke) > 0.5:
            stroke = _readable(stroke.rgba(), fill.rgba())
    return fill, stroke, text


SOLID, DASHED, DOTTED, DASH_DOT, MESSAGE_DASH = "solid", "dashed", "dotted", "dash-dot", "message"
# dash patterns in pixels; Qt wants them in pen widths
_DASHES_PX = {DASHED: (5.0, 4.0), MESSAGE_DASH: (10.0, 7.0), DASH_DOT: (10.0, 5.0, 1.5, 5.0)}


@lru_cache(maxsize=512)
def _pen(rgba: int, width: float, style: str = SOLID, cosmetic: bool = False) -> QPen:
    pen = QPen(QColor.fromRgba(rgba), width)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setCosmetic(cosmetic)
    if style == DOTTED:
        # zero-length dashes with round caps are dots
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setDashPattern([0.01, 4.5 / width])
    elif style in _DASHES_PX:
        pen.setDashPattern([length / width for length in _DASHES_PX[style]])
    return pen


@lru_cache(maxsize=256)
def _brush(rgba: int) -> QBrush:
    return QBrush(QColor.fromRgba(rgba))


NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)


@lru_cache(maxsize=8)
def _font(pixel_size: int) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPixelSize(pixel_size)
    return font


_TEXT_CACHE: OrderedDict[tuple, QStaticText] = OrderedDict()
_TEXT_CACHE_LIMIT = 20_000  # a large model's names, laid out once each (some 1.6 kB apiece)


def _static_text(text: str, width: float, pixel_size: int, alignment: Qt.AlignmentFlag) -> QStaticText:
    """The word-wrapped layout of a text, kept so that repainting does not lay it out again."""
    key = (text, round(width, 1), pixel_size, alignment)
    layout = _TEXT_CACHE.get(key)
    if layout is not None:
        _TEXT_CACHE.move_to_end(key)
        return layout
    # QStaticText drops "\n"; names written over several lines keep them as line separators
    layout = QStaticText(text.replace("\r\n", "\u2028").replace("\n", "\u2028").replace("\r", "\u2028"))
    layout.setTextFormat(Qt.TextFormat.PlainText)
    layout.setTextWidth(max(width, 1.0))
    option = QTextOption(alignment)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.prepare(QTransform(), _font(pixel_size))
    _TEXT_CACHE[key] = layout
    if len(_TEXT_CACHE) > _TEXT_CACHE_LIMIT:
        _TEXT_CACHE.popitem(last=False)
    return layout


def text_size(text: str, width: float, pixel_size: int = LABEL_FONT_SIZE) -> QSizeF:
    """The size of a text word-wrapped to `width` (its width is `width`)."""
    return _static_text(text, width, pixel_size, Qt.AlignmentFlag.AlignHCenter).size()


def _draw_text(
    painter: QPainter,
    text: str,
    box: QRectF,
    colour: QColor,
    pixel_size: int,
    alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignHCenter,
    vertical: str = "center",
) -> None:
    """Word-wrapped text in a box: centred vertically (or at the top) when it fits, from the top
    when it is taller than the box."""
    layout = _static_text(text, box.width(), pixel_size, alignment)
    height = layout.size().height()
    top = box.top()
    if vertical == "center" and height < box.height():
        top += (box.height() - height) / 2
    painter.setFont(_font(pixel_size))
    painter.setPen(_pen(colour.rgba(), 1.0))
    painter.drawStaticText(QPointF(box.left(), top), layout)


# --- painting shapes --------------------------------------------------------------------------


def paint_shape(painter: QPainter, look: Look, rect: QRectF, palette: Palette, detail: float = 1.0) -> None:
    """Draw a shape into `rect` (in the painter's coordinates), with its name inside when
    label_inside(look). `detail` is the on-screen scale: low values draw less. The painter's
    transform is left as it was; its pen, brush and font are not."""
    width, height = rect.width(), rect.height()
    if width <= 0 or height <= 0:
        return
    if detail < MIN_DETAIL_SHAPE:
        _paint_silhouette(painter, look, rect, palette)
        return
    fill, stroke, text = _colours(look, palette)
    style = _Style(fill, stroke, text, palette, detail >= MIN_DETAIL_ICONS, detail >= MIN_DETAIL_TEXT)
    painter.save()
    try:
        painter.translate(rect.x(), rect.y())
        kind = look.kind
        if kind in b.ACTIVITY_TYPES:
            _paint_activity(painter, look, width, height, style)
        elif kind in b.EVENT_TYPES:
            _paint_event(painter, look, width, height, style)
        elif kind in b.GATEWAY_TYPES:
            _paint_gateway(painter, look, width, height, style)
        elif kind in DATA_KINDS:
            _paint_data_object(painter, look, width, height, style)
        elif kind in ("dataStoreReference", "dataStore"):
            _paint_data_store(painter, width, height, style)
        elif kind in SWIMLANE_KINDS:
            _paint_swimlane(painter, look, width, height, style)
        elif kind == "textAnnotation":
            _paint_annotation(painter, look, width, height, style)
        elif kind == "group":
            _paint_group(painter, width, height, style)
        else:
            _paint_unknown(painter, look, width, height, style)
    finally:
        painter.restore()


@dataclass(frozen=True, slots=True)
class _Style:
    fill: QColor
    stroke: QColor
    text: QColor
    palette: Palette
    icons: bool
    words: bool

    def pen(self, width: float, style: str = SOLID) -> QPen:
        return _pen(self.stroke.rgba(), width, style)

    def fill_brush(self) -> QBrush:
        return _brush(self.fill.rgba())

    def stroke_brush(self) -> QBrush:
        return _brush(self.stroke.rgba())


_SILHOUETTES: dict[tuple, tuple[str, QPen, QBrush]] = {}


def _paint_silhouette(painter: QPainter, look: Look, rect: QRectF, palette: Palette) -> None:
    """The far-away drawing: one filled outline a hairline wide, no text or markers. It runs for
    every shape of a large model at once, so it avoids even saving the painter's state."""
    key = (look.kind, look.fill, look.stroke, palette)
    resolved = _SILHOUETTES.get(key)
    if resolved is None:
        kind = look.kind
        fill, stroke, _text = _colours(look, palette)
        filled = kind not in ("lane", "group", "textAnnotation", "unknown") or bool(look.fill)
        if kind in b.EVENT_TYPES:
            form = "ellipse"
        elif kind in b.GATEWAY_TYPES:
            form = "diamond"
        elif kind == "textAnnotation":
            form = "bracket"
        else:
            form = "rect"
        resolved = (form, _pen(stroke.rgba(), 1.0, SOLID, cosmetic=True), _brush(fill.rgba()) if filled else NO_BRUSH)
        _SILHOUETTES[key] = resolved
    form, pen, brush = resolved
    painter.setPen(pen)
    painter.setBrush(brush)
    if form == "rect":
        painter.drawRect(rect)
    elif form == "ellipse":
        painter.drawEllipse(rect)
    elif form == "diamond":
        painter.drawPolygon(_diamond(rect.width(), rect.height()).translated(rect.x(), rect.y()))
    else:
        painter.drawLine(QLineF(rect.topLeft(), rect.bottomLeft()))


# activities


def _paint_activity(painter: QPainter, look: Look, width: float, height: float, style: _Style) -> None:
    kind = look.kind
    radius = min(TASK_RADIUS, width / 2, height / 2)
    body = QRectF(0, 0, width, height)
    if kind == "callActivity":
        border = style.pen(4.0)
    elif look.event_subprocess:
        border = style.pen(2.0, DOTTED)
    elif kind == "transaction":
        border = style.pen(1.5)
    else:
        border = style.pen(2.0)
    painter.setPen(border)
    painter.setBrush(style.fill_brush())
    painter.drawRoundedRect(body, radius, radius)
    if kind == "transaction":
        inner_radius = max(radius - 3, 0)
        painter.setBrush(NO_BRUSH)
        painter.drawRoundedRect(body.adjusted(3, 3, -3, -3), inner_radius, inner_radius)

    markers = _activity_markers(look)
    if style.icons:
        if _has_type_icon(look):
            _paint_task_icon(painter, _icon_kind(look), look.instantiate, style)
        if markers:
            _paint_markers(painter, markers, width, height, style)
        if look.badges:
            _paint_badges(painter, look.badges, width, style)
    if style.words and look.name:
        if look.expanded:
            _draw_text(
                painter, look.name, QRectF(8, 5, max(width - 16, 1), height - 10), style.text, INNER_FONT_SIZE,
                Qt.AlignmentFlag.AlignLeft, vertical="top",
            )  # fmt: skip
        else:
            bottom = 16 if markers else 0
            box = QRectF(5, 5, max(width - 10, 1), max(height - 10 - bottom, 1))
            if style.icons and _has_type_icon(look):
                box = _below_icon(look.name, box)
            _draw_text(painter, look.name, box, style.text, INNER_FONT_SIZE)


ICON_BOTTOM = 25.0  # the task type icon's lowest point


def _icon_kind(look: Look) -> str | None:
    return look.call_kind if look.kind == "callActivity" else look.kind


def _has_type_icon(look: Look) -> bool:
    kind = _icon_kind(look)
    return not look.expanded and kind in b.TASK_TYPES and kind != "task"


def _below_icon(text: str, box: QRectF) -> QRectF:
    """The text box moved down, as far as it fits, when centred text would run into the icon."""
    text_height = text_size(text, box.width(), INNER_FONT_SIZE).height()
    centred_top = box.top() + (box.height() - text_height) / 2
    if centred_top >= ICON_BOTTOM:
        return box
    top = min(ICON_BOTTOM, box.bottom() - text_height)
    return QRectF(box.left(), top, box.width(), text_height) if top > centred_top else box


def _activity_markers(look: Look) -> list[str]:
    """The markers at the bottom centre, left to right as bpmn-js puts them."""
    markers: list[str] = []
    if look.compensation:
        markers.append("compensation")
    if look.loop:
        markers.append(look.loop)
    collapsible = look.kind in b.SUBPROCESS_TYPES or (look.kind == "callActivity" and look.call_kind is None)
    if collapsible and not look.expanded:
        markers.append("subprocess")
    if look.kind == "adHocSubProcess":
        markers.append("adhoc")
    return markers


MARKER_WIDTHS = {
    "compensation": 17.0,
    "loop": 13.0,
    "parallel": 11.0,
    "sequential": 11.0,
    "subprocess": 14.0,
    "adhoc": 16.0,
}
MARKER_GAP = 4.0


def _paint_markers(painter: QPainter, markers: list[str], width: float, height: float, style: _Style) -> None:
    total = sum(MARKER_WIDTHS[m] for m in markers) + MARKER_GAP * (len(markers) - 1)
    x = (width - total) / 2
    top = height - 20  # 14 px high boxes, 6 px above the bottom edge
    for marker in markers:
        marker_width = MARKER_WIDTHS[marker]
        painter.save()
        painter.translate(x, top)
        _paint_marker(painter, marker, style)
        painter.restore()
        x += marker_width + MARKER_GAP


def _paint_marker(painter: QPainter, marker: str, style: _Style) -> None:
    """One activity marker in its box (MARKER_WIDTHS wide, 14 high) at the origin."""
    if marker in ("parallel", "sequential"):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.stroke_brush())
        for index in range(3):
            offset = 1 + index * 4.2
            bar = QRectF(offset, 1.5, 2.2, 11) if marker == "parallel" else QRectF(0, offset + 0.5, 11, 2.2)
            painter.drawRect(bar)
    elif marker == "loop":
        painter.setPen(style.pen(1.5))
        painter.setBrush(NO_BRUSH)
        painter.drawPath(_loop_marker_path())
    elif marker == "compensation":
        painter.setPen(style.pen(1.0))
        painter.setBrush(style.fill_brush())
        painter.drawPath(_compensation_path(QRectF(0, 2, 17, 10)))
    elif marker == "subprocess":
        painter.setPen(style.pen(1.5))
        painter.setBrush(style.fill_brush())
        painter.drawRect(QRectF(0.5, 0.5, 13, 13))
        painter.drawLine(QLineF(7, 3, 7, 11))
        painter.drawLine(QLineF(3, 7, 11, 7))
    elif marker == "adhoc":
        painter.setPen(style.pen(2.0))
        painter.setBrush(NO_BRUSH)
        painter.drawPath(_tilde_path())


@lru_cache(maxsize=1)
def _loop_marker_path() -> QPainterPath:
    """A circular arrow open at the bottom left, its head at the lower left end."""
    centre, radius = QPointF(7, 7.5), 5.0
    box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
    start, sweep = -65.0, 285.0  # Qt angles: counter-clockwise from three o'clock
    path = QPainterPath()
    path.arcMoveTo(box, start)
    path.arcTo(box, start, sweep)
    end_angle = math.radians(start + sweep)
    end = QPointF(centre.x() + radius * math.cos(end_angle), centre.y() - radius * math.sin(end_angle))
    # where a counter-clockwise arc heads, in y-down coordinates
    heading = QPointF(-math.sin(end_angle), -math.cos(end_angle))
    normal = QPointF(-heading.y(), heading.x())
    path.moveTo(end - heading * 3.6 + normal * 3.4)
    path.lineTo(end + heading * 0.4)
    path.lineTo(end - heading * 3.6 - normal * 3.4)
    return path


@lru_cache(maxsize=1)
def _tilde_path() -> QPainterPath:
    path = QPainterPath(QPointF(1, 8.5))
    path.cubicTo(3.5, 4.0, 6.5, 4.5, 8, 7)
    path.cubicTo(9.5, 9.5, 12.5, 10.0, 15, 5.5)
    return path


def _compensation_path(box: QRectF) -> QPainterPath:
    """Two triangles pointing left, side by side (rewind), filling `box`."""
    half = box.width() / 2
    middle = box.center().y()
    path = QPainterPath()
    for left in (box.left(), box.left() + half):
        path.addPolygon(
            QPolygonF([QPointF(left, middle), QPointF(left + half, box.top()), QPointF(left + half, box.bottom())])
        )
        path.closeSubpath()
    return path


def _paint_task_icon(painter: QPainter, kind: str, instantiate: bool, style: _Style) -> None:
    parts = _task_icon(kind, instantiate)
    for path, role in parts:
        if role == "outline":  # filled with the shape's fill, stroked
            painter.setPen(style.pen(1.0))
            painter.setBrush(style.fill_brush())
        elif role == "solid":  # filled with the stroke colour
            painter.setPen(style.pen(1.0))
            painter.setBrush(style.stroke_brush())
        elif role == "inverse":  # lines drawn on a solid part
            painter.setPen(_pen(style.fill.rgba(), 1.0))
            painter.setBrush(NO_BRUSH)
        elif role == "muted":
            painter.setPen(style.pen(1.0))
            painter.setBrush(_brush(style.palette.muted.rgba()))
        else:  # "line"
            painter.setPen(style.pen(1.0))
            painter.setBrush(NO_BRUSH)
        painter.drawPath(path)


@lru_cache(maxsize=16)
def _task_icon(kind: str, instantiate: bool) -> tuple[tuple[QPainterPath, str], ...]:
    """The task type icon at the top-left corner, as (path, role) parts drawn in order."""
    if kind == "userTask":
        return _user_icon()
    if kind == "manualTask":
        return _hand_icon()
    if kind == "serviceTask":
        parts: list[tuple[QPainterPath, str]] = []
        for centre in (QPointF(12, 12), QPointF(18.5, 18.5)):
            hole = QPainterPath()
            hole.addEllipse(centre, 2.4, 2.4)
            parts += [(_gear_path(centre, 7.2, 5.3), "outline"), (hole, "outline")]
        return tuple(parts)
    if kind == "sendTask":
        body, flap = _envelope(QRectF(7, 8, 20, 13))
        return ((body, "solid"), (flap, "inverse"))
    if kind == "receiveTask":
        if instantiate:
            circle = QPainterPath()
            circle.addEllipse(QPointF(17, 17), 11, 11)
            body, flap = _envelope(QRectF(10, 12.5, 14, 9.5))
            return ((circle, "outline"), (body, "outline"), (flap, "line"))
        body, flap = _envelope(QRectF(7, 8, 20, 13))
        return ((body, "outline"), (flap, "line"))
    if kind == "scriptTask":
        return _script_icon()
    if kind == "businessRuleTask":
        table = QPainterPath()
        table.addRect(QRectF(8, 8, 20, 14))
        header = QPainterPath()
        header.addRect(QRectF(8, 8, 20, 4.5))
        lines = QPainterPath()
        lines.moveTo(8, 17.2)
        lines.lineTo(28, 17.2)
        lines.moveTo(14, 12.5)
        lines.lineTo(14, 22)
        return ((table, "outline"), (header, "muted"), (lines, "line"))
    return ()


def _envelope(box: QRectF) -> tuple[QPainterPath, QPainterPath]:
    body = QPainterPath()
    body.addRect(box)
    flap = QPainterPath(box.topLeft())
    flap.lineTo(box.center().x(), box.top() + box.height() * 0.45)
    flap.lineTo(box.topRight())
    return body, flap


def _user_icon() -> tuple[tuple[QPainterPath, str], ...]:
    shoulders = QPainterPath(QPointF(6, 25))
    shoulders.lineTo(6, 20.5)
    shoulders.cubicTo(6, 16.8, 10, 15.2, 14.5, 15.2)
    shoulders.cubicTo(19, 15.2, 23, 16.8, 23, 20.5)
    shoulders.lineTo(23, 25)
    shoulders.closeSubpath()
    arms = QPainterPath()
    for x in (9.5, 19.5):
        arms.moveTo(x, 21)
        arms.lineTo(x, 25)
    head = QPainterPath()
    head.addEllipse(QPointF(14.5, 10), 4.3, 4.6)
    hair = QPainterPath()
    hair.arcMoveTo(QRectF(10.2, 5.4, 8.6, 9.2), 200)
    hair.arcTo(QRectF(10.2, 5.4, 8.6, 9.2), 200, -220)
    hair.cubicTo(17, 9.2, 13.5, 9.6, 11.5, 8.2)
    hair.cubicTo(11.0, 9.0, 10.6, 9.6, 10.25, 9.9)
    hair.closeSubpath()
    return ((shoulders, "outline"), (arms, "line"), (head, "outline"), (hair, "solid"))


def _hand_icon() -> tuple[tuple[QPainterPath, str], ...]:
    """A flat hand pointing right: the thumb raised above four fingers, all from the palm."""
    thumb = QPainterPath()
    thumb.addRoundedRect(QRectF(0, -1.7, 10.5, 3.4), 1.7, 1.7)
    parts: list[tuple[QPainterPath, str]] = [(QTransform().translate(9.0, 12.5).rotate(-32).map(thumb), "outline")]
    for index, reach in enumerate((26.5, 27.5, 26.0, 23.5)):
        finger = QPainterPath()
        finger.addRoundedRect(QRectF(12, 12 + index * 3.0, reach - 12, 3.0), 1.5, 1.5)
        parts.append((finger, "outline"))
    palm = QPainterPath()
    palm.addRoundedRect(QRectF(5, 11.5, 10.5, 12.5), 4, 4)
    parts.append((palm, "outline"))
    return tuple(parts)


def _gear_path(centre: QPointF, outer: float, inner: float, teeth: int = 8) -> QPainterPath:
    points = []
    step = 2 * math.pi / teeth
    for tooth in range(teeth):
        base = tooth * step
        # each tooth: a flat top over a third of its angle, flanks down to the root circle
        for angle, radius in (
            (base - step * 0.32, inner),
            (base - step * 0.19, outer),
            (base + step * 0.19, outer),
            (base + step * 0.32, inner),
        ):
            points.append(QPointF(centre.x() + radius * math.cos(angle), centre.y() + radius * math.sin(angle)))
    path = QPainterPath()
    path.addPolygon(QPolygonF(points))
    path.closeSubpath()
    return path


def _script_icon() -> tuple[tuple[QPainterPath, str], ...]:
    """A sheet with wavy sides and four lines of script."""

    def side(x: float) -> list[QPointF]:
        return [QPointF(x, 24), QPointF(x + 5.5, 19.5), QPointF(x - 3.5, 13.5), QPointF(x + 2.5, 9)]

    left, right = side(8), side(20)
    sheet = QPainterPath(left[0])
    sheet.cubicTo(left[1], left[2], left[3])
    sheet.lineTo(right[3])
    sheet.cubicTo(right[2], right[1], right[0])
    sheet.closeSubpath()
    lines = QPainterPath()
    for y in (12.0, 15.0, 18.0, 21.0):
        x = _cubic_x_at(left, y) + 2.2
        lines.moveTo(x, y)
        lines.lineTo(x + 6.5, y)
    return ((sheet, "outline"), (lines, "line"))


def _cubic_x_at(control: list[QPointF], y: float) -> float:
    """x of a y-monotonic cubic Bézier at height y (bisection: the icon is built once)."""
    low, high = 0.0, 1.0
    for _ in range(30):
        middle = (low + high) / 2
        point = _cubic_point(control, middle)
        if (point.y() > y) == (control[0].y() > control[3].y()):
            low = middle
        else:
            high = middle
    return _cubic_point(control, (low + high) / 2).x()


def _cubic_point(control: list[QPointF], t: float) -> QPointF:
    u = 1 - t
    return control[0] * u**3 + control[1] * (3 * u * u * t) + control[2] * (3 * u * t * t) + control[3] * t**3


def _paint_badges(painter: QPainter, badges: tuple[str, ...], width: float, style: _Style) -> None:
    """Small badges along the top-right corner, right to left: a shield for a policy."""
    palette = style.palette
    x = width - 18
    for badge in badges:
        painter.save()
        painter.translate(x, 4)
        painter.setPen(_pen(palette.badge.rgba(), 1.0))
        painter.setBrush(_brush(palette.badge.rgba()))
        if badge == "policy":
            painter.drawPath(_shield_path())
            painter.setPen(_pen(palette.badge_mark.rgba(), 1.6))
            painter.setBrush(NO_BRUSH)
            painter.drawPath(_check_path())
        else:
            painter.drawEllipse(QRectF(2, 2, 10, 10))
        painter.restore()
        x -= 16


@lru_cache(maxsize=1)
def _shield_path() -> QPainterPath:
    path = QPainterPath(QPointF(7, 0))
    path.cubicTo(9, 1.3, 11.5, 2, 14, 2)
    path.cubicTo(14, 9, 11.5, 12.5, 7, 15)
    path.cubicTo(2.5, 12.5, 0, 9, 0, 2)
    path.cubicTo(2.5, 2, 5, 1.3, 7, 0)
    path.closeSubpath()
    return path


@lru_cache(maxsize=1)
def _check_path() -> QPainterPath:
    path = QPainterPath(QPointF(3.8, 7.5))
    path.lineTo(6.2, 9.8)
    path.lineTo(10.4, 5.0)
    return path


# events


def _paint_event(painter: QPainter, look: Look, width: float, height: float, style: _Style) -> None:
    kind = look.kind
    circle = QRectF(0, 0, width, height)
    dashed = not look.interrupting and kind in ("startEvent", "boundaryEvent", "intermediateCatchEvent")
    line = DASHED if dashed else SOLID
    painter.setBrush(style.fill_brush())
    if kind == "startEvent":
        painter.setPen(style.pen(2.0, line))
        painter.drawEllipse(circle)
    elif kind == "endEvent":
        painter.setPen(style.pen(4.0))
        painter.drawEllipse(circle)
    else:
        painter.setPen(style.pen(1.5, line))
        painter.drawEllipse(circle)
        painter.setBrush(NO_BRUSH)
        painter.drawEllipse(circle.adjusted(3, 3, -3, -3))
    if style.icons and look.trigger != "none":
        _paint_trigger(painter, look.trigger, look.throwing, width, height, style)


def _paint_trigger(painter: QPainter, trigger: str, throwing: bool, width: float, height: float, style: _Style) -> None:
    if trigger == "timer":
        face, ticks, hands = _timer_paths(width, height)
        painter.setPen(style.pen(2.0))
        painter.setBrush(style.fill_brush())
        painter.drawPath(face)
        painter.setPen(style.pen(1.0))
        painter.drawPath(ticks)
        painter.setPen(style.pen(1.5))
        painter.drawPath(hands)
        return
    if trigger == "terminate":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.stroke_brush())
        painter.drawEllipse(_inset(width, height, 0.22))
        return
    shape, lines = _trigger_paths(trigger, width, height)
    filled = throwing and trigger not in ("parallelMultiple", "conditional")
    painter.setPen(style.pen(1.0))
    if filled:
        painter.setBrush(style.stroke_brush())
    else:
        painter.setBrush(style.fill_brush() if trigger in ("message", "conditional") else NO_BRUSH)
    painter.drawPath(shape)
    if not lines.isEmpty():
        painter.setPen(_pen(style.fill.rgba(), 1.0) if filled else style.pen(1.0))
        painter.setBrush(NO_BRUSH)
        painter.drawPath(lines)


def _inset(width: float, height: float, fraction: float) -> QRectF:
    """The shape's box shrunk on every side by a fraction of its size."""
    return QRectF(width * fraction, height * fraction, width * (1 - 2 * fraction), height * (1 - 2 * fraction))


def _scaled(path: QPainterPath, width: float, height: float, base: float = 36.0) -> QPainterPath:
    if width == base and height == base:
        return path
    return QTransform.fromScale(width / base, height / base).map(path)


def _polygon_path(points: list[tuple[float, float]]) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path


def _regular_polygon(centre: tuple[float, float], radius: float, corners: int, rotation: float = -90.0) -> list:
    cx, cy = centre
    return [
        (cx + radius * math.cos(math.radians(rotation + index * 360 / corners)),
         cy + radius * math.sin(math.radians(rotation + index * 360 / corners)))
        for index in range(corners)
    ]  # fmt: skip


def _cross(centre: tuple[float, float], half_length: float, half_width: float, angle: float = 0.0) -> list:
    """The twelve corners of a plus sign, turned by `angle` degrees."""
    a, w = half_length, half_width
    corners = [(-w, -a), (w, -a), (w, -w), (a, -w), (a, w), (w, w), (w, a), (-w, a), (-w, w), (-a, w), (-a, -w)]
    corners.append((-w, -w))
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return [(centre[0] + x * cos - y * sin, centre[1] + x * sin + y * cos) for x, y in corners]


@lru_cache(maxsize=128)
def _trigger_paths(trigger: str, width: float, height: float) -> tuple[QPainterPath, QPainterPath]:
    """The event icon for a 36 px event, scaled: the shape and the lines drawn over it."""
    lines = QPainterPath()
    if trigger == "message":
        shape, lines = _envelope(QRectF(9.0, 12.0, 18.0, 12.5))
    elif trigger == "escalation":
        shape = _polygon_path([(18, 7.5), (26, 27.5), (18, 20), (10, 27.5)])
    elif trigger == "conditional":
        shape = QPainterPath()
        shape.addRect(QRectF(11, 8.5, 14, 19))
        for y in (12.0, 15.5, 19.0, 22.5):
            lines.moveTo(13.5, y)
            lines.lineTo(22.5, y)
    elif trigger == "link":
        shape = _polygon_path(
            [(8.5, 14.5), (18.5, 14.5), (18.5, 9.5), (27.5, 18), (18.5, 26.5), (18.5, 21.5)] + [(8.5, 21.5)]
        )
    elif trigger == "error":
        # a bolt from the lower left to the upper right: two slanted strips joined at the notches
        shape = _polygon_path([(7.5, 27), (14.5, 16.5), (22, 25.5), (28.5, 8), (21.5, 19), (14, 9.5)])
    elif trigger == "cancel":
        shape = _polygon_path(_cross((18, 18), 10.5, 2.6, 45))
    elif trigger == "compensate":
        shape = _compensation_path(QRectF(7.5, 11.5, 19, 13))
    elif trigger == "signal":
        shape = _polygon_path([(18, 7.5), (27.5, 24.5), (8.5, 24.5)])
    elif trigger == "multiple":
        shape = _polygon_path(_regular_polygon((18, 18.8), 10.0, 5))
    elif trigger == "parallelMultiple":
        shape = _polygon_path(_cross((18, 18), 10.0, 3.2))
    else:
        shape = QPainterPath()
    return _scaled(shape, width, height), _scaled(lines, width, height)


@lru_cache(maxsize=16)
def _timer_paths(width: float, height: float) -> tuple[QPainterPath, QPainterPath, QPainterPath]:
    centre, radius = QPointF(18, 18), 10.8
    face = QPainterPath()
    face.addEllipse(centre, radius, radius)
    ticks = QPainterPath()
    for hour in range(12):
        angle = math.radians(hour * 30)
        direction = QPointF(math.cos(angle), math.sin(angle))
        ticks.moveTo(centre + direction * (radius - 3.2))
        ticks.lineTo(centre + direction * (radius - 1.0))
    hands = QPainterPath(centre + QPointF(1.8, -7.0))
    hands.lineTo(centre)
    hands.lineTo(centre + QPointF(5.5, 1.5))
    return _scaled(face, width, height), _scaled(ticks, width, height), _scaled(hands, width, height)


# gateways


def _diamond(width: float, height: float) -> QPolygonF:
    return QPolygonF(
        [QPointF(width / 2, 0), QPointF(width, height / 2), QPointF(width / 2, height), QPointF(0, height / 2)]
    )


def _paint_gateway(painter: QPainter, look: Look, width: float, height: float, style: _Style) -> None:
    painter.setPen(style.pen(2.0))
    painter.setBrush(style.fill_brush())
    painter.drawPolygon(_diamond(width, height))
    if not style.icons:
        return
    kind = look.kind
    if kind == "exclusiveGateway" and not look.marker_visible:
        return
    if kind == "inclusiveGateway":
        painter.setPen(style.pen(2.5))
        painter.setBrush(NO_BRUSH)
        painter.drawEllipse(_inset(width, height, 0.24))
        return
    if kind == "eventBasedGateway":
        _paint_event_gateway(painter, look, width, height, style)
        return
    path = _gateway_marker(kind, width, height)
    if not path.isEmpty():
        painter.setPen(style.pen(1.0))
        painter.setBrush(style.stroke_brush())
        painter.drawPath(path)


@lru_cache(maxsize=32)
def _gateway_marker(kind: str, width: float, height: float) -> QPainterPath:
    """The filled marker of a 50 px gateway, scaled: X, + or the complex asterisk."""
    centre = (25.0, 25.0)
    if kind == "exclusiveGateway":
        path = _polygon_path(_cross(centre, 11.5, 2.4, 45))
    elif kind == "parallelGateway":
        path = _polygon_path(_cross(centre, 13.0, 2.6))
    elif kind == "complexGateway":
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        for angle in (0.0, 45.0):
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in _cross(centre, 12.0, 2.3, angle)]))
            path.closeSubpath()
        path = path.simplified()
    else:
        path = QPainterPath()
    return _scaled(path, width, height, 50.0)


def _paint_event_gateway(painter: QPainter, look: Look, width: float, height: float, style: _Style) -> None:
    painter.setBrush(NO_BRUSH)
    painter.setPen(style.pen(1.0))
    painter.drawEllipse(_inset(width, height, 0.2))
    figure = _event_gateway_figure(look.parallel_event_gateway, width, height)
    if not look.instantiate and not look.parallel_event_gateway:
        painter.drawEllipse(_inset(width, height, 0.25))
    painter.setPen(style.pen(1.5 if not look.parallel_event_gateway else 1.0))
    painter.drawPath(figure)


@lru_cache(maxsize=8)
def _event_gateway_figure(parallel: bool, width: float, height: float) -> QPainterPath:
    """The pentagon of an event-based gateway, or the hollow plus of a parallel one."""
    if parallel:
        figure = _polygon_path(_cross((25, 25), 9.0, 2.6))
    else:
        figure = _polygon_path(_regular_polygon((25, 25.6), 6.8, 5))
    return _scaled(figure, width, height, 50.0)


# data


def _paint_data_object(painter: QPainter, look: Look, width: float, height: float, style: _Style) -> None:
    painter.setPen(style.pen(1.5))
    painter.setBrush(style.fill_brush())
    painter.drawPath(_data_object_path(width, height))
    fold = _fold_size(width, height)
    painter.setBrush(NO_BRUSH)
    corner = QPainterPath(QPointF(width - fold, 0))
    corner.lineTo(width - fold, fold)
    corner.lineTo(width, fold)
    painter.drawPath(corner)
    if not style.icons:
        return
    if look.collection:
        painter.save()
        painter.translate((width - 11) / 2, height - 15)
        _paint_marker(painter, "parallel", style)
        painter.restore()
    if look.data_role is not None:
        arrow = _data_arrow_path()
        painter.setPen(style.pen(1.0))
        painter.setBrush(style.stroke_brush() if look.data_role == "output" else style.fill_brush())
        painter.drawPath(arrow)


def _fold_size(width: float, height: float) -> float:
    return min(10.0, width * 0.35, height * 0.35)


def _data_object_path(width: float, height: float) -> QPainterPath:
    fold = _fold_size(width, height)
    return _polygon_path([(0, 0), (width - fold, 0), (width, fold), (width, height), (0, height)])


@lru_cache(maxsize=1)
def _data_arrow_path() -> QPainterPath:
    return _polygon_path([(4, 8.5), (10.5, 8.5), (10.5, 5), (16, 10.5), (10.5, 16), (10.5, 12.5), (4, 12.5)])


def _paint_data_store(painter: QPainter, width: float, height: float, style: _Style) -> None:
    body, rims = _data_store_paths(width, height)
    painter.setPen(style.pen(1.5))
    painter.setBrush(style.fill_brush())
    painter.drawPath(body)
    painter.setBrush(NO_BRUSH)
    painter.drawPath(rims)


@lru_cache(maxsize=64)
def _data_store_paths(width: float, height: float) -> tuple[QPainterPath, QPainterPath]:
    """A cylinder: the outline, then the top ellipse and two rims below it."""
    rim = min(height * 0.12, 7.5)
    body = QPainterPath(QPointF(0, rim))
    body.lineTo(0, height - rim)
    body.arcTo(QRectF(0, height - 2 * rim, width, 2 * rim), 180, 180)
    body.lineTo(width, rim)
    body.arcTo(QRectF(0, 0, width, 2 * rim), 0, 180)
    body.closeSubpath()
    rims = QPainterPath()
    rims.addEllipse(QRectF(0, 0, width, 2 * rim))
    for offset in (rim * 0.8, rim * 1.6):
        box = QRectF(0, offset, width, 2 * rim)
        rims.arcMoveTo(box, 180)
        rims.arcTo(box, 180, 180)
    return body, rims


# artifacts, swimlanes and the unknown


def _paint_annotation(painter: QPainter, look: Look, width: float, height: float, style: _Style) -> None:
    bracket = QPainterPath(QPointF(min(10.0, width), 0))
    bracket.lineTo(0, 0)
    bracket.lineTo(0, height)
    bracket.lineTo(min(10.0, width), height)
    painter.setPen(style.pen(1.5))
    painter.setBrush(NO_BRUSH)
    painter.drawPath(bracket)
    if style.words and look.name:
        box = QRectF(6, 3, max(width - 9, 1), max(height - 6, 1))
        _draw_text(painter, look.name, box, style.text, INNER_FONT_SIZE, Qt.AlignmentFlag.AlignLeft)


def _paint_group(painter: QPainter, width: float, height: float, style: _Style) -> None:
    painter.setPen(style.pen(1.5, DASH_DOT))
    painter.setBrush(NO_BRUSH)
    radius = min(TASK_RADIUS, width / 2, height / 2)
    painter.drawRoundedRect(QRectF(0, 0, width, height), radius, radius)


def _paint_swimlane(painter: QPainter, look: Look, width: float, height: float, style: _Style) -> None:
    pool = look.kind == "participant"
    box = QRectF(0, 0, width, height)
    header = HEADER_SIZE if look.expanded else 0.0
    if pool or look.fill:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.fill_brush())
        painter.drawRect(box)
        if header and not look.fill and style.palette.header != style.palette.fill:
            painter.setBrush(_brush(style.palette.header.rgba()))
            painter.drawRect(QRectF(0, 0, header, height) if look.horizontal else QRectF(0, 0, width, header))
    painter.setPen(style.pen(1.5 if pool else 1.0))
    painter.setBrush(NO_BRUSH)
    painter.drawRect(box)
    if header and pool:  # lanes keep their band without a line, as bpmn-js and the MIWG pictures
        if look.horizontal:
            painter.drawLine(QLineF(header, 0, header, height))
        else:
            painter.drawLine(QLineF(0, header, width, header))
    if not (style.words and look.name):
        return
    if not header:  # black-box pool: the name in the middle
        _draw_text(painter, look.name, box.adjusted(5, 5, -5, -5), style.text, INNER_FONT_SIZE)
    elif look.horizontal:
        painter.save()
        painter.translate(0, height)
        painter.rotate(-90)
        _draw_text(painter, look.name, QRectF(5, 0, max(height - 10, 1), header), style.text, INNER_FONT_SIZE)
        painter.restore()
    else:
        _draw_text(painter, look.name, QRectF(5, 0, max(width - 10, 1), header), style.text, INNER_FONT_SIZE)


def _paint_unknown(painter: QPainter, look: Look, width: float, height: float, style: _Style) -> None:
    painter.setPen(style.pen(1.0, DASHED))
    painter.setBrush(NO_BRUSH)
    painter.drawRect(QRectF(0, 0, width, height))
    if style.words and look.name:
        box = QRectF(4, 4, max(width - 8, 1), max(height - 8, 1))
        _draw_text(painter, look.name, box, style.text, LABEL_FONT_SIZE)


# --- outlines and labels ----------------------------------------------------------------------


def outline(look: Look, rect: QRectF) -> QPainterPath:
    """The shape's hit and selection area in `rect`'s coordinates."""
    path = QPainterPath()
    kind = look.kind
    if kind in b.EVENT_TYPES:
        path.addEllipse(rect)
    elif kind in b.GATEWAY_TYPES:
        path.addPolygon(_diamond(rect.width(), rect.height()).translated(rect.topLeft()))
        path.closeSubpath()
    elif kind in b.ACTIVITY_TYPES or kind == "group":
        radius = min(TASK_RADIUS, rect.width() / 2, rect.height() / 2)
        path.addRoundedRect(rect, radius, radius)
    elif kind in DATA_KINDS:
        path = _data_object_path(rect.width(), rect.height()).translated(rect.topLeft())
    else:
        path.addRect(rect)
    return path


def paint_label(painter: QPainter, text: str, rect: QRectF, palette: Palette, detail: float = 1.0) -> None:
    """An external label: centred and word-wrapped in `rect`, 11 px."""
    if not text or detail < MIN_DETAIL_TEXT or rect.width() <= 0:
        return
    _draw_text(painter, text, rect, palette.text, LABEL_FONT_SIZE)


def external_label_rect(look: Look, rect: QRectF, text: str) -> QRectF:
    """Where an external label goes when the file gives no BPMNLabel bounds: centred below the
    shape (a group's at the top inside it), 90 wide, as tall as the wrapped text."""
    width = EXTERNAL_LABEL_WIDTH
    height = text_size(text, width).height() if text else 0.0
    if look.kind == "group":
        return QRectF(rect.center().x() - width / 2, rect.top() + 5, width, height)
    return QRectF(rect.center().x() - width / 2, rect.bottom() + 5, width, height)


# --- flows ------------------------------------------------------------------------------------

ARROW_LENGTH, ARROW_HALF_WIDTH = 10.0, 4.0
CORNER_RADIUS = 5.0


def paint_edge(
    painter: QPainter,
    kind: str | EdgeLook | list[QPointF],
    points: list[QPointF] | EdgeLook,
    palette: Palette,
    detail: float = 1.0,
    *,
    default: bool = False,
    conditional: bool = False,
    message: str | None = None,
    direction: str = "None",
) -> None:
    """Draw a flow through its waypoints (in the painter's coordinates).

    Called as paint_edge(painter, kind, points, palette, detail, default=…, …), or with an
    EdgeLook in place of `kind`, or as paint_edge(painter, points, edge_look, palette, detail).
    """
    if isinstance(kind, EdgeLook):
        look = kind
    elif isinstance(kind, str):
        look = EdgeLook(kind, default, conditional, message, direction)
    else:  # (points, edge_look), the order items.py uses
        look, points = points, kind  # type: ignore[assignment]
    if not isinstance(look, EdgeLook) or not isinstance(points, list) or len(points) < 2:
        return
    stroke = (_colour(look.stroke) if look.stroke else None) or palette.stroke
    rgba = stroke.rgba()
    if detail < MIN_DETAIL_SHAPE:
        painter.setPen(_pen(rgba, 1.0, SOLID, cosmetic=True))
        painter.setBrush(NO_BRUSH)
        painter.drawPolyline(QPolygonF(points))
        return
    if look.kind == "sequenceFlow":
        pen = _pen(rgba, 1.5)
    elif look.kind == "messageFlow":
        pen = _pen(rgba, 1.5, MESSAGE_DASH)
    elif look.kind in ("association", "dataInputAssociation", "dataOutputAssociation"):
        pen = _pen(rgba, 1.5, DOTTED)
    else:
        pen = _pen(rgba, 1.0, DASHED)
    if detail < MIN_DETAIL_TEXT:
        _paint_edge_lean(painter, look, points, pen, rgba, palette)
        return
    geometry = _edge_geometry(look, tuple((p.x(), p.y()) for p in points))
    if geometry is None:
        return
    line, solid_parts, open_parts, lines, envelope = geometry
    painter.setPen(pen)
    painter.setBrush(NO_BRUSH)
    painter.drawPath(line)
    plain = _pen(rgba, 1.5)
    if not solid_parts.isEmpty():
        painter.setPen(_pen(rgba, 1.0))
        painter.setBrush(_brush(rgba))
        painter.drawPath(solid_parts)
    if not open_parts.isEmpty():
        painter.setPen(_pen(rgba, 1.0))
        painter.setBrush(_brush(palette.fill.rgba()))
        painter.drawPath(open_parts)
    if not lines.isEmpty():
        painter.setPen(plain)
        painter.setBrush(NO_BRUSH)
        painter.drawPath(lines)
    if envelope is not None:
        body, flap = envelope
        painter.setPen(_pen(rgba, 1.0))
        colour = palette.fill if look.message == "initiating" else palette.muted
        painter.setBrush(_brush(colour.rgba()))
        painter.drawPath(body)
        painter.setBrush(NO_BRUSH)
        painter.drawPath(flap)


def _paint_edge_lean(
    painter: QPainter, look: EdgeLook, points: list[QPointF], pen: QPen, rgba: int, palette: Palette
) -> None:
    """A flow seen from afar, when thousands may be on screen: sharp bends, the arrowheads only,
    built on the fly (drawn QPainterPaths keep kilobytes of Qt's caches, too many to keep)."""
    end = points[-1]
    before = next((p for p in reversed(points[:-1]) if p != end), None)
    if before is None:
        return
    direction = _unit(before, end)
    trimmed = list(points)
    if look.kind == "sequenceFlow":
        trimmed[-1] = end - direction * (ARROW_LENGTH - 1)
        head, brush = _arrow_head(end, direction, ARROW_LENGTH, ARROW_HALF_WIDTH), _brush(rgba)
    elif look.kind == "messageFlow":
        trimmed[-1] = end - direction * 8.5
        head, brush = _arrow_head(end, direction, 9.0, 4.0), _brush(palette.fill.rgba())
    else:
        head, brush = None, NO_BRUSH
    painter.setPen(pen)
    painter.setBrush(NO_BRUSH)
    painter.drawPolyline(QPolygonF(trimmed))
    if head is not None:
        painter.setPen(_pen(rgba, 1.0))
        painter.setBrush(brush)
        painter.drawPolygon(head)


# Full-detail geometry per look and waypoints, for the few hundred flows on screen at that zoom;
# each entry costs some 9 kB once drawn (Qt caches inside the paths), hence the bound.
_EDGE_CACHE: OrderedDict[tuple, tuple | None] = OrderedDict()
_EDGE_CACHE_LIMIT = 2048


def _edge_geometry(look: EdgeLook, points: tuple[tuple[float, float], ...]):
    """The flow's line (trimmed where markers sit, corners rounded), its filled markers, its
    hollow markers, its marker lines and its message envelope; cached per look and waypoints."""
    key = (look, points)
    cached = _EDGE_CACHE.get(key, False)
    if cached is not False:
        _EDGE_CACHE.move_to_end(key)
        return cached
    geometry = _build_edge_geometry(look, [QPointF(x, y) for x, y in points])
    _EDGE_CACHE[key] = geometry
    if len(_EDGE_CACHE) > _EDGE_CACHE_LIMIT:
        _EDGE_CACHE.popitem(last=False)
    return geometry


def _build_edge_geometry(look: EdgeLook, points: list[QPointF]):
    # drop repeated points: they have no direction
    clean = [points[0]]
    for point in points[1:]:
        if QLineF(clean[-1], point).length() > 1e-6:
            clean.append(point)
    if len(clean) < 2:
        return None
    start_dir = _unit(clean[0], clean[1])
    end_dir = _unit(clean[-2], clean[-1])
    start, end = clean[0], clean[-1]
    solid, hollow, lines = QPainterPath(), QPainterPath(), QPainterPath()
    trim_start = trim_end = 0.0
    kind = look.kind
    if kind == "sequenceFlow":
        solid.addPolygon(_arrow_head(end, end_dir, ARROW_LENGTH, ARROW_HALF_WIDTH))
        solid.closeSubpath()
        trim_end = ARROW_LENGTH - 1
        if look.conditional:
            hollow.addPolygon(_source_diamond(start, start_dir))
            hollow.closeSubpath()
            trim_start = 14.0
        elif look.default:
            centre = start + start_dir * 9.0
            slash = _rotate(start_dir, 60.0) * 5.5
            lines.moveTo(centre - slash)
            lines.lineTo(centre + slash)
    elif kind == "messageFlow":
        hollow.addEllipse(start + start_dir * 3.5, 3.5, 3.5)
        hollow.addPolygon(_arrow_head(end, end_dir, 9.0, 4.0))
        hollow.closeSubpath()
        trim_start, trim_end = 7.0, 8.5
    elif kind in ("dataInputAssociation", "dataOutputAssociation") or (
        kind == "association" and look.direction in ("One", "Both")
    ):
        _open_arrow(lines, end, end_dir)
        if kind == "association" and look.direction == "Both":
            _open_arrow(lines, start, QPointF(-start_dir.x(), -start_dir.y()))
    line = _rounded_polyline(_trimmed(clean, trim_start, trim_end))
    envelope = _message_envelope(clean) if kind == "messageFlow" and look.message else None
    return line, solid, hollow, lines, envelope


def _unit(a: QPointF, b_: QPointF) -> QPointF:
    dx, dy = b_.x() - a.x(), b_.y() - a.y()
    length = math.hypot(dx, dy) or 1.0
    return QPointF(dx / length, dy / length)


def _rotate(vector: QPointF, degrees: float) -> QPointF:
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return QPointF(vector.x() * cos - vector.y() * sin, vector.x() * sin + vector.y() * cos)


def _arrow_head(tip: QPointF, direction: QPointF, length: float, half_width: float) -> QPolygonF:
    base = tip - direction * length
    normal = QPointF(-direction.y(), direction.x()) * half_width
    return QPolygonF([tip, base + normal, base - normal])


def _open_arrow(path: QPainterPath, tip: QPointF, direction: QPointF) -> None:
    base = tip - direction * 9.0
    normal = QPointF(-direction.y(), direction.x()) * 4.5
    path.moveTo(base + normal)
    path.lineTo(tip)
    path.lineTo(base - normal)


def _source_diamond(start: QPointF, direction: QPointF) -> QPolygonF:
    normal = QPointF(-direction.y(), direction.x()) * 4.5
    middle = start + direction * 7.0
    return QPolygonF([start, middle + normal, start + direction * 14.0, middle - normal])


def _trimmed(points: list[QPointF], trim_start: float, trim_end: float) -> list[QPointF]:
    """The polyline shortened at its ends (never past its first or last segment)."""
    result = list(points)
    if trim_start:
        first = QLineF(result[0], result[1])
        cut = min(trim_start, first.length() * 0.9)
        result[0] = first.pointAt(cut / first.length())
    if trim_end:
        last = QLineF(result[-1], result[-2])
        cut = min(trim_end, last.length() * 0.9)
        result[-1] = last.pointAt(cut / last.length())
    return result


def _rounded_polyline(points: list[QPointF]) -> QPainterPath:
    """A polyline with its bends rounded, as bpmn-js draws flows."""
    path = QPainterPath(points[0])
    for index in range(1, len(points) - 1):
        before, corner, after = points[index - 1], points[index], points[index + 1]
        incoming, outgoing = QLineF(corner, before), QLineF(corner, after)
        radius = min(CORNER_RADIUS, incoming.length() / 2, outgoing.length() / 2)
        if radius < 0.5:
            path.lineTo(corner)
            continue
        path.lineTo(incoming.pointAt(radius / incoming.length()))
        path.quadTo(corner, outgoing.pointAt(radius / outgoing.length()))
    path.lineTo(points[-1])
    return path


def _message_envelope(points: list[QPointF]) -> tuple[QPainterPath, QPainterPath]:
    lengths = [QLineF(a, c).length() for a, c in zip(points, points[1:], strict=False)]
    remaining = sum(lengths) / 2
    middle = points[-1]
    for (a, c), length in zip(zip(points, points[1:], strict=False), lengths, strict=True):
        if remaining <= length:
            middle = QLineF(a, c).pointAt(remaining / length if length else 0.0)
            break
        remaining -= length
    return _envelope(QRectF(middle.x() - 10, middle.y() - 6.5, 20, 13))


def edge_shape(points: list[QPointF], width: float = 8.0) -> QPainterPath:
    """The area around a flow's waypoints that picks it."""
    path = QPainterPath()
    if not points:
        return path
    path.addPolygon(QPolygonF(points))
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return stroker.createStroke(path)
