"""The process guide: one self-contained HTML file a client can read, print or archive, with a
cover and document control, purpose and scope, the diagram, activities, roles and RACI, policies,
KPIs and open problems, in the order of the ITIL 4 practice guides (formats layer, no Qt).

The guide is built as a GuideDocument: its HTML for browsers (print CSS with A4 pages, a
landscape page for the diagram, running footers) and the same body in parts for the PDF printer
in editors/guide_pdf.py, which cannot show inline SVG and paints the diagram pages itself.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model import bpmn as b
from ..model import frameworks, raci, smo
from ..model.document import Document
from ..model.problems import ERROR, Problem
from ..model.raci import LETTER_COLOURS
from ..rules.governance import check_governance
from ..rules.raci import check_raci
from .bpmn import BpmnWriteError, write_atomic

GENERATOR = "SMO Designer"
NAVY = "#1F3864"
ACCENT = "#2E75B6"
PALE = "#D9E1F2"
RULE = "#A6A6A6"
MUTED = "#595959"
# Printed diagrams stay readable down to this scale (11 px labels at 0.6 print at about 5 pt);
# a wider diagram is also printed in parts side by side, each on its own landscape page.
MIN_PRINT_SCALE = 0.6
LANDSCAPE_WIDTH_PX = 1009  # A4 landscape less 15 mm margins, in CSS pixels (96 per inch)
LANDSCAPE_HEIGHT_PX = 580  # what is left of the page below the chapter heading and caption
TILE_OVERLAP = 0.04  # share of a part repeated on the next, so no shape is cut without a trace
STATUS_LABELS = {"draft": "Draft", "in review": "In review", "approved": "Approved", "retired": "Retired"}
RELATION_LABELS = {"implements": "Implements", "supports": "Supports", "related": "Related to"}
LETTER_NAMES = {"R": "Responsible", "A": "Accountable", "S": "Supportive", "C": "Consulted", "I": "Informed"}
LETTER_MEANINGS = {
    "R": "Does the work of the activity.",
    "A": "Owns the outcome and signs it off; exactly one role per activity.",
    "S": "Supports the Responsible role with resources or work.",
    "C": "Gives input before or during the activity (two-way).",
    "I": "Is kept informed of progress or outcome (one-way).",
}


class GuideError(Exception):
    """A guide that cannot be written; str() is one line naming the file and the reason."""


@dataclass(frozen=True)
class DiagramTile:
    """One printed part of the diagram: the region of the drawing (in its own units) it shows."""

    x: float
    y: float
    width: float
    height: float
    caption: str


@dataclass(frozen=True)
class GuideDiagram:
    svg: str  # the drawing as given, for painters that read SVG
    inline: str  # the same, ready to sit in HTML (no XML prolog, scalable, its group named)
    width: float
    height: float
    tiles: tuple[DiagramTile, ...]  # empty when the whole drawing prints legibly on one page
    caption: str


@dataclass(frozen=True)
class GuideDocument:
    """A rendered guide. `front` (cover to chapter 1) and `back` (chapter 3 on) are HTML body
    parts; between them stands chapter 2, the diagram, on landscape pages."""

    title: str
    css: str
    front: str
    diagram_heading: str
    diagram: GuideDiagram | None
    diagram_note: str  # shown instead of the drawing when there is none
    back: str
    footer: str  # the running footer's text: title, version, status
    problems: list[Problem] = field(default_factory=list)

    def html(self) -> str:
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="generator" content="{GENERATOR}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(self.title)}</title>\n<style>\n{self.css}{BROWSER_CSS}{_page_css(self.footer)}</style>\n"
            "</head>\n"
            f"<body>\n{self.front}\n{self._diagram_html()}\n{self.back}\n</body>\n</html>\n"
        )

    def _diagram_html(self) -> str:
        parts = ['<section class="landscape" id="diagram">', self.diagram_heading]
        if self.diagram is None:
            parts.append(f'<p class="note">{_e(self.diagram_note)}</p>')
        else:
            diagram = self.diagram
            parts.append(
                f'<div class="figure overview"><div class="scroll" style="--natural-width: {diagram.width:g}px">'
                f"{diagram.inline}</div>"
                f'<p class="caption">{_e(diagram.caption)}</p></div>'
            )
            for tile in diagram.tiles:
                parts.append(
                    f'<div class="figure tile"><svg class="diagram" viewBox="{tile.x:g} {tile.y:g} '
                    f'{tile.width:g} {tile.height:g}" xmlns="http://www.w3.org/2000/svg" '
                    f'xmlns:xlink="http://www.w3.org/1999/xlink" role="img" aria-label="{_e(tile.caption)}">'
                    '<use href="#guide-diagram" xlink:href="#guide-diagram"/></svg>'
                    f'<p class="caption">{_e(tile.caption)}</p></div>'
                )
        parts.append("</section>")
        return "\n".join(parts)


# --- building -----------------------------------------------------------------------------------


def build_guide(
    document: Document,
    *,
    diagram_svg: str | None,
    today: dt.date,
    problems: Sequence[Problem] = (),
    source_name: str = "",
    diagram_note: str = "",
) -> GuideDocument:
    """The guide of a document as of `today` (the issue date and the day review dates are
    judged against). `problems` are those found when the file was read; the guide adds the RACI
    and governance checks. `diagram_note` says why there is no diagram, when there is none."""
    meta = smo.metadata(document)
    processes = b.processes(document)
    title = meta.title or next((b.name(p) for p in processes if b.name(p)), "") or "Process"
    roles = smo.roles(document)
    rows = raci.raci_rows(document)
    policies = smo.policies(document)
    found = list(problems) + check_raci(document, rows=rows) + check_governance(document, today)
    found.sort(key=lambda p: p.severity != ERROR)  # errors first, each kind in the order found
    names = _Names(document, roles, policies)
    context = _Context(document, meta, title, roles, rows, policies, found, names, today, source_name)

    front = "\n".join([_cover(context), _contents(context), _general(context)])
    back = "\n".join(
        [_activities(context), _roles_chapter(context), _policies(context), _kpis(context), _open_problems(context)]
    )
    diagram = _diagram(diagram_svg, title) if diagram_svg else None
    note = diagram_note or "The diagram is not part of this edition of the guide."
    if diagram_svg and diagram is None:
        note = "The diagram could not be read and is left out of this edition of the guide."
    heading = _heading(2, "2", "Process diagram", "diagram-heading")
    footer = " · ".join(x for x in (title, "Process guide", f"Version {meta.version}" if meta.version else "") if x)
    return GuideDocument(title + " — Process guide", CSS, front, heading, diagram, note, back, footer, found)


def guide_html(
    document: Document,
    *,
    diagram_svg: str | None,
    today: dt.date,
    problems: Sequence[Problem] = (),
    source_name: str = "",
    diagram_note: str = "",
) -> str:
    """The guide as one self-contained HTML page (styles and the diagram inline, no scripts)."""
    return build_guide(
        document,
        diagram_svg=diagram_svg,
        today=today,
        problems=problems,
        source_name=source_name,
        diagram_note=diagram_note,
    ).html()


def write_guide_html(
    document: Document,
    path: str | os.PathLike[str],
    *,
    diagram_svg: str | None,
    today: dt.date | None = None,
    problems: Sequence[Problem] = (),
    source_name: str = "",
    diagram_note: str = "",
) -> None:
    """Write the HTML guide atomically; GuideError with a one-line message when it cannot be."""
    text = guide_html(
        document,
        diagram_svg=diagram_svg,
        today=today or dt.date.today(),
        problems=problems,
        source_name=source_name,
        diagram_note=diagram_note,
    )
    try:
        write_atomic(Path(path), text.encode("utf-8"))
    except BpmnWriteError as error:
        raise GuideError(str(error)) from None


# --- the pieces ---------------------------------------------------------------------------------


@dataclass
class _Context:
    document: Document
    meta: smo.Metadata
    title: str
    roles: list[smo.Role]
    rows: list[raci.RaciRow]
    policies: list[smo.Policy]
    problems: list[Problem]
    names: _Names
    today: dt.date
    source_name: str


class _Names:
    """What to call an element in the guide: an activity by its name, a policy by its identifier."""

    def __init__(self, document: Document, roles: list[smo.Role], policies: list[smo.Policy]) -> None:
        self.document = document
        self.roles = {role.id: role.name or role.id for role in roles}
        self.policies = {p.id: p for p in policies}

    def role(self, ident: str) -> str:
        return self.roles.get(ident, ident)

    def element(self, ident: str) -> str:
        if ident in self.roles:
            return f"Role: {self.roles[ident]}"
        if ident in self.policies:
            policy = self.policies[ident]
            return f"Policy {policy.identifier or policy.id}"
        element = self.document.element(ident)
        if element is None:
            return ident
        kind = b.kind(element)
        if element.local == "kpi":
            return f"KPI: {element.get('name', '') or ident}"
        name = _one_line(b.name(element)) if kind else ""
        label = _KIND_LABELS.get(kind or "", _words(kind or element.local).capitalize())
        return f"{label}: {name}" if name else f"{label} {ident}"


_KIND_LABELS = {"process": "Process", "participant": "Pool", "lane": "Lane", "sequenceFlow": "Flow"}


def _cover(c: _Context) -> str:
    meta = c.meta
    owner = meta.owner
    status = meta.status.capitalize() if meta.status else "Not set"
    control = [
        ("Document", f"{c.title} — Process guide"),
        ("Version", meta.version or "—"),
        ("Status", status),
        ("Owner", owner or "—"),
        ("Approver", meta.approver or "—"),
        ("Created", meta.created or "—"),
        ("Last modified", meta.modified or "—"),
        ("Issued", c.today.isoformat()),
    ]
    if c.source_name:
        control.append(("Model file", Path(c.source_name).name))
    rows = "\n".join(f'<tr><th class="row" scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in control)
    history = ""
    if meta.revisions:
        lines = "\n".join(
            f"<tr><td>{_e(r.version)}</td><td>{_e(r.date)}</td><td>{_e(r.author)}</td><td>{_e(r.description)}</td></tr>"
            for r in meta.revisions
        )
        history = (
            '<h3 class="cover-label">Change history</h3>\n'
            '<table class="grid history" width="100%" cellspacing="0" cellpadding="4">'
            '<thead><tr><th width="12%">Version</th><th width="16%">Date</th><th width="24%">Author</th>'
            f"<th>Changes</th></tr></thead>\n<tbody>{lines}</tbody></table>"
        )
    process_names = [b.name(p) for p in b.processes(c.document) if b.name(p)]
    subtitle = "Process guide"
    kicker = ", ".join(dict.fromkeys(process_names)) if process_names and process_names != [c.title] else ""
    return (
        '<section class="cover">\n'
        '<table class="cover-band" width="100%" cellspacing="0" cellpadding="36"><tr><td>'
        f'<p class="cover-kicker">{_e(owner or "Service management")}</p>'
        f'<h1 class="cover-title">{_e(c.title)}</h1>'
        f'<p class="cover-subtitle">{_e(subtitle)}</p>'
        + (f'<p class="cover-processes">{_e(kicker)}</p>' if kicker else "")
        + "</td></tr></table>\n"
        '<h3 class="cover-label">Document control</h3>\n'
        f'<table class="grid control" width="100%" cellspacing="0" cellpadding="4">{rows}</table>\n'
        f"{history}\n"
        f'<p class="cover-note">Generated by {GENERATOR} from the process model{_source(c)}. The model is the '
        "master copy: a printed guide is uncontrolled; check the version against the model before relying on it.</p>\n"
        "</section>"
    )


def _source(c: _Context) -> str:
    return f" {_e(Path(c.source_name).name)}" if c.source_name else ""


CHAPTERS = (
    ("general", "1", "General information"),
    ("diagram-heading", "2", "Process diagram"),
    ("activities", "3", "Activities"),
    ("roles", "4", "Roles and responsibilities"),
    ("policies", "5", "Policies"),
    ("kpis", "6", "Measurement and reporting"),
    ("problems", "7", "Open problems"),
)


def _contents(c: _Context) -> str:
    items = "\n".join(
        f'<tr><td class="toc-number">{number}</td><td><a href="#{anchor}">{_e(text)}</a></td></tr>'
        for anchor, number, text in CHAPTERS
    )
    about = (
        "This guide describes how the organisation carries out the process: what it is for, the flow of "
        "activities, who does what, the policies that govern it and how its performance is measured. "
        "Its structure follows the practice guides of ITIL 4: general information first, then the process "
        "and its activities, the organisation and people, and measurement and reporting."
    )
    return (
        '<section class="contents">\n'
        '<h1 class="plain" style="page-break-before: always">Contents</h1>\n'
        f'<table class="toc" cellspacing="0" cellpadding="3">{items}</table>\n'
        '<h2 class="plain">About this guide</h2>\n'
        f"<p>{_e(about)}</p>\n"
        "</section>"
    )


def _general(c: _Context) -> str:
    parts = [_heading(1, "1", "General information", "general", page_break=True)]
    parts.append(_heading(2, "1.1", "Purpose"))
    purposes = [(b.name(p), b.documentation(p)) for p in b.processes(c.document) if b.documentation(p)]
    if not purposes:
        parts.append('<p class="missing">The purpose of the process is not described in the model yet.</p>')
    for name, text in purposes:
        if len(purposes) > 1 and name:
            parts.append(f"<h4>{_e(name)}</h4>")
        parts.append(_paragraphs(text))
    parts.append(_heading(2, "1.2", "Scope"))
    if c.meta.scope:
        parts.append(_paragraphs(c.meta.scope))
    else:
        parts.append('<p class="missing">The scope of the process is not described in the model yet.</p>')
    parts.append(_heading(2, "1.3", "The process at a glance"))
    activities = len(c.rows)
    approved = sum(1 for p in c.policies if p.status == "approved")
    kpi_count = sum(len(smo.kpis(p)) for p in b.processes(c.document))
    lanes = sum(len(b.lanes(p)) for p in b.processes(c.document))
    errors = sum(1 for p in c.problems if p.severity == ERROR)
    facts = [
        ("Activities", str(activities), ""),
        ("Lanes", str(lanes), ""),
        ("Roles", str(len(c.roles)), ""),
        ("Policies", str(len(c.policies)), f"{approved} approved" if c.policies else ""),
        ("KPIs", str(kpi_count), ""),
        ("Open problems", str(len(c.problems)), _count(errors, "error") if c.problems else ""),
    ]
    cells = "".join(
        f'<td class="fact" width="{100 // len(facts)}%"><span class="fact-value">{_e(value)}</span><br>'
        f'<span class="fact-label">{_e(label)}</span><br><span class="small">{_e(note) or "&#160;"}</span></td>'
        for label, value, note in facts
    )
    parts.append(f'<table class="facts" width="100%" cellspacing="4" cellpadding="8"><tr>{cells}</tr></table>')
    return "<section>\n" + "\n".join(parts) + "\n</section>"


def _activities(c: _Context) -> str:
    # no page break of its own: the landscape pages of the diagram end before it
    parts = [_heading(1, "3", "Activities", "activities")]
    if not c.rows:
        parts.append('<p class="missing">The model has no activities yet.</p>')
        return "<section>\n" + "\n".join(parts) + "\n</section>"
    parts.append(
        "<p>The activities in the order the flow visits them, lane by lane. The RACI letters say who is "
        "Responsible, Accountable, Supportive, Consulted and Informed (see 4.2).</p>"
    )
    links = smo.policy_links(c.document)
    by_process: dict[str, list[raci.RaciRow]] = {}
    for row in c.rows:
        by_process.setdefault(row.process_id, []).append(row)
    number = 0
    for process_index, (process_id, rows) in enumerate(by_process.items(), start=1):
        if len(by_process) > 1:
            parts.append(_heading(2, f"3.{process_index}", rows[0].pool or process_id))
        body = []
        for row in rows:
            number += 1
            activity = c.document.element(row.activity_id)
            cells = smo.raci(activity) if activity is not None else {}
            description = b.documentation(activity) if activity is not None else ""
            governed = [c.names.policies[p] for p in links.get(row.activity_id, []) if p in c.names.policies]
            policy_line = ""
            if governed:
                refs = ", ".join(_e(p.identifier or p.title or p.id) for p in governed)
                policy_line = f'<br><span class="governed">Policy: {refs}</span>'
            lane = _e(row.lane) if row.lane else '<span class="missing">no lane</span>'
            lane_role = raci.lane_role_of(c.document, row.lane_id)
            if lane_role and c.names.role(lane_role) != row.lane:
                lane += f'<br><span class="small">role: {_e(c.names.role(lane_role))}</span>'
            body.append(
                "<tr>"
                f'<td class="number">{number}</td>'
                f'<td><span class="activity-name">{_e(_one_line(row.name) or row.activity_id)}</span>'
                + (f'<br><span class="description">{_e(description)}</span>' if description else "")
                + f"{policy_line}</td>"
                f"<td>{lane}</td>"
                f'<td class="raci-list">{_raci_list(cells, c)}</td>'
                "</tr>"
            )
        parts.append(
            '<table class="grid activities" width="100%" cellspacing="0" cellpadding="5">'
            '<thead><tr><th class="number" width="6%">No.</th><th width="49%">Activity and description</th>'
            '<th width="17%">Lane</th><th width="28%">RACI</th></tr></thead>\n<tbody>'
            + "\n".join(body)
            + "</tbody></table>"
        )
    return "<section>\n" + "\n".join(parts) + "\n</section>"


def _raci_list(cells: dict[str, str], c: _Context) -> str:
    if not cells:
        return '<span class="missing">none</span>'
    order = {letter: index for index, letter in enumerate("ARSCI")}
    entries = sorted(cells.items(), key=lambda item: (min(order[x] for x in item[1]), c.names.role(item[0])))
    return "<br>".join(f"{_letters(letters)} {_e(c.names.role(role))}" for role, letters in entries)


def _letters(letters: str) -> str:
    return "".join(
        f'<span class="letter letter-{x}" style="background-color: #{LETTER_COLOURS[x][0]}; '
        f'color: #{LETTER_COLOURS[x][1]}">&#160;{x}&#160;</span>'
        for x in "ARSCI"
        if x in letters
    )


def _roles_chapter(c: _Context) -> str:
    parts = [_heading(1, "4", "Roles and responsibilities", "roles", page_break=True)]
    parts.append(_heading(2, "4.1", "Roles"))
    if not c.roles:
        parts.append('<p class="missing">The model names no roles yet.</p>')
    else:
        matrix = smo.raci_matrix(c.document)
        counts = {role.id: [0, 0] for role in c.roles}
        for cells in matrix.values():
            for role, letters in cells.items():
                if role in counts:
                    counts[role][0] += "R" in letters
                    counts[role][1] += "A" in letters
        lanes = {
            role.id: [
                b.name(lane) for p in b.processes(c.document) for lane in b.lanes(p) if smo.lane_role(lane) == role.id
            ]
            for role in c.roles
        }
        body = "\n".join(
            "<tr>"
            f'<td><span class="activity-name">{_e(role.name or role.id)}</span>'
            + (f'<br><span class="small">{_e(role.kind)}</span>' if role.kind else "")
            + f"</td><td>{_e(role.description) or _missing('no description')}</td>"
            f"<td>{_e(', '.join(lanes[role.id])) or '—'}</td>"
            f'<td class="centre">{counts[role.id][0]}</td><td class="centre">{counts[role.id][1]}</td>'
            "</tr>"
            for role in c.roles
        )
        parts.append(
            '<table class="grid" width="100%" cellspacing="0" cellpadding="5">'
            '<thead><tr><th width="22%">Role</th><th>Description</th><th width="16%">Lane</th>'
            '<th width="8%">R</th><th width="8%">A</th></tr></thead>\n'
            f"<tbody>{body}</tbody></table>"
        )
        parts.append(
            '<p class="small">R and A: the number of activities where the role is Responsible or Accountable.</p>'
        )
    parts.append(_heading(2, "4.2", "RACI matrix", "raci", page_break=True))
    parts.append(_matrix(c))
    return "<section>\n" + "\n".join(parts) + "\n</section>"


def _matrix(c: _Context) -> str:
    if not c.rows or not c.roles:
        return '<p class="missing">There is no RACI matrix yet: it needs activities and roles.</p>'
    used = set()
    header = "".join(f'<th class="role-head">{_e(role.name or role.id)}</th>' for role in c.roles)
    width = max(6, min(14, 60 // len(c.roles)))
    body = []
    current_lane = None
    for index, row in enumerate(c.rows, start=1):
        if (row.pool, row.lane) != current_lane:
            current_lane = (row.pool, row.lane)
            label = " — ".join(x for x in (row.pool, row.lane) if x) or "Activities in no lane"
            body.append(f'<tr class="group"><td colspan="{len(c.roles) + 2}">{_e(label)}</td></tr>')
        activity = c.document.element(row.activity_id)
        cells = smo.raci(activity) if activity is not None else {}
        used.update("".join(cells.values()))
        letters = "".join(_matrix_cell(cells.get(role.id, ""), width) for role in c.roles)
        body.append(
            f'<tr><td class="number">{index}</td><td>{_e(_one_line(row.name) or row.activity_id)}</td>{letters}</tr>'
        )
    legend = "".join(
        f"<tr><td>{_letters(x)}</td><td><b>{LETTER_NAMES[x]}</b></td><td>{_e(LETTER_MEANINGS[x])}</td></tr>"
        for x in "RASCI"
        if x in used or x != "S"
    )
    return (
        '<table class="grid matrix" width="100%" cellspacing="0" cellpadding="4">'
        f'<thead><tr><th class="number" width="6%">No.</th><th>Activity</th>{header}</tr></thead>\n<tbody>'
        + "\n".join(body)
        + "</tbody></table>\n"
        "<h4>Legend</h4>\n"
        f'<table class="legend" cellspacing="0" cellpadding="3">{legend}</table>'
    )


def _matrix_cell(letters: str, width: int) -> str:
    if not letters:
        return f'<td class="cell" width="{width}%"></td>'
    first = next(x for x in "ARSCI" if x in letters)
    fill, ink = LETTER_COLOURS[first]
    text = "/".join(x for x in "ARSCI" if x in letters)
    return (
        f'<td class="cell" width="{width}%" style="background-color: #{fill}; color: #{ink}" '
        f'bgcolor="#{fill}"><b>{text}</b></td>'
    )


def _policies(c: _Context) -> str:
    parts = [_heading(1, "5", "Policies", "policies", page_break=True)]
    if not c.policies:
        parts.append('<p class="missing">No policy governs the process yet.</p>')
        return "<section>\n" + "\n".join(parts) + "\n</section>"
    parts.append(
        "<p>The policies below are the rules the process follows. Each one names the activities that carry it "
        "out and the frameworks and standards it answers to.</p>"
    )
    parts.append(_heading(2, "5.1", "Policy register"))
    register = "\n".join(
        "<tr>"
        f'<td><a href="#policy-{_e(p.id)}">{_e(p.identifier or p.id)}</a></td>'
        f"<td>{_e(p.title)}</td><td>{_status(p.status)}</td>"
        f"<td>{_e(c.names.role(p.owner_role)) if p.owner_role else _missing('none')}</td>"
        f"<td>{_e(p.next_review) or '—'}</td>"
        "</tr>"
        for p in c.policies
    )
    parts.append(
        '<table class="grid" width="100%" cellspacing="0" cellpadding="5">'
        '<thead><tr><th width="14%">Policy</th><th>Title</th><th width="13%">Status</th>'
        '<th width="24%">Owner</th><th width="14%">Next review</th></tr></thead>\n'
        f"<tbody>{register}</tbody></table>"
    )
    for index, policy in enumerate(c.policies, start=2):
        parts.append(_policy(policy, f"5.{index}", c))
    parts.append(_framework_map(c, f"5.{len(c.policies) + 2}"))
    return "<section>\n" + "\n".join(parts) + "\n</section>"


def _policy(policy: smo.Policy, number: str, c: _Context) -> str:
    heading = f"{policy.identifier} {policy.title}".strip() or policy.id
    rows = []

    def row(label: str, value: str) -> None:
        rows.append(f'<tr><th class="row" scope="row" width="22%">{_e(label)}</th><td>{value}</td></tr>')

    if policy.rationale:
        row("Rationale", _e(policy.rationale))
    if policy.scope:
        row("Scope", _e(policy.scope))
    row("Owner", _e(c.names.role(policy.owner_role)) if policy.owner_role else '<span class="missing">none</span>')
    row("Approver", _e(policy.approver) or "—")
    dates = [
        f"effective {policy.effective}" if policy.effective else "",
        f"next review {policy.next_review}" if policy.next_review else "",
    ]
    row("Status", _status(policy.status) + (" &#160; " + _e(", ".join(d for d in dates if d)) if any(dates) else ""))
    governs = []
    for ref in policy.links:
        element = c.document.element(ref)
        if element is None:
            governs.append(f'<span class="missing">{_e(ref)} (not in the model)</span>')
            continue
        kind = "Process" if b.kind(element) == "process" else "Activity"
        governs.append(f"{kind}: {_e(_one_line(b.name(element)) or ref)}")
    row("Governs", "<br>".join(governs) or '<span class="missing">nothing yet</span>')
    if policy.frameworks:
        refs = "<br>".join(
            f'<span class="relation">{_e(RELATION_LABELS.get(f.relation, f.relation))}</span> '
            f"{_e(f.framework)}: {_e(f.clause)}"
            for f in policy.frameworks
        )
        row("Frameworks", refs)
    if policy.history:
        steps = " &#8594; ".join(f"{_e(STATUS_LABELS.get(s.status, s.status))} {_e(s.date)}" for s in policy.history)
        row("History", steps)
    statement = _e(policy.statement) if policy.statement else '<span class="missing">No statement yet.</span>'
    return (
        f'<div class="policy" id="policy-{_e(policy.id)}">\n'
        + _heading(2, number, heading)
        + '\n<table class="statement" width="100%" cellspacing="0" cellpadding="8">'
        f"<tr><td>{statement}</td></tr></table>\n"
        f'<table class="grid policy-table" width="100%" cellspacing="0" cellpadding="4">{"".join(rows)}</table>\n'
        "</div>"
    )


def _framework_map(c: _Context, number: str) -> str:
    """Which policy answers to which clause, framework by framework: the view an auditor asks for."""
    by_clause: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for policy in c.policies:
        for ref in policy.frameworks:
            by_clause.setdefault((ref.framework, ref.clause), []).append(
                (policy.identifier or policy.id, RELATION_LABELS.get(ref.relation, ref.relation).lower())
            )
    if not by_clause:
        return ""
    known = [f.name for f in frameworks.FRAMEWORKS]

    def order(key: tuple[str, str]) -> tuple:
        framework_name, clause = key
        ready = frameworks.framework(framework_name)
        position = known.index(ready.name) if ready is not None else len(known)
        entry = ready.find(clause) if ready is not None else None
        clause_position = ready.clauses.index(entry) if ready is not None and entry is not None else 10_000
        return (position, framework_name.casefold(), clause_position, _natural(clause))

    body = []
    for framework_name, clause in sorted(by_clause, key=order):
        policies = ", ".join(f"{_e(ident)} ({_e(relation)})" for ident, relation in by_clause[(framework_name, clause)])
        body.append(f"<tr><td>{_e(framework_name)}</td><td>{_e(clause)}</td><td>{policies}</td></tr>")
    return (
        _heading(2, number, "Framework mapping")
        + "\n<p>Each framework clause the policies refer to, with the policies that answer it.</p>\n"
        '<table class="grid" width="100%" cellspacing="0" cellpadding="5">'
        '<thead><tr><th width="22%">Framework</th><th width="40%">Clause</th><th>Policies</th></tr></thead>\n'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _kpis(c: _Context) -> str:
    parts = [_heading(1, "6", "Measurement and reporting", "kpis", page_break=True)]
    processes = [p for p in b.processes(c.document) if smo.kpis(p) or any(True for _ in b.flow_elements(p))]
    if not any(smo.kpis(p) for p in processes):
        parts.append('<p class="missing">No KPI measures the process yet.</p>')
        return "<section>\n" + "\n".join(parts) + "\n</section>"
    parts.append(
        "<p>The key performance indicators that show whether the process achieves its purpose, with their "
        "targets, how often they are measured and who answers for them.</p>"
    )
    for index, process in enumerate(processes, start=1):
        kpis = smo.kpis(process)
        if not kpis:
            continue
        if len(processes) > 1:
            parts.append(_heading(2, f"6.{index}", b.name(process) or process.id or ""))
        body = "\n".join(
            "<tr>"
            f'<td><span class="activity-name">{_e(k.name) or "—"}</span>'
            + (f'<br><span class="description">{_e(k.description)}</span>' if k.description else "")
            + f'</td><td class="target">{_target(k)}</td>'
            f"<td>{_e(k.frequency) or '—'}</td>"
            f"<td>{_e(c.names.role(k.owner_role)) if k.owner_role else '—'}</td>"
            f"<td>{_e(k.data_source) or '—'}</td>"
            "</tr>"
            for k in kpis
        )
        parts.append(
            '<table class="grid" width="100%" cellspacing="0" cellpadding="5">'
            '<thead><tr><th>KPI and definition</th><th width="14%">Target</th><th width="11%">Frequency</th>'
            '<th width="17%">Owner</th><th width="17%">Data source</th></tr></thead>\n'
            f"<tbody>{body}</tbody></table>"
        )
    return "<section>\n" + "\n".join(parts) + "\n</section>"


def _target(kpi: smo.Kpi) -> str:
    if not kpi.target:
        return '<span class="missing">no target</span>'
    unit = kpi.unit.strip()
    value = f"{kpi.target}{unit}" if unit in ("%", "‰") else f"{kpi.target} {unit}".strip()
    sign = {"higher": "&#8805; ", "lower": "&#8804; "}.get(kpi.direction, "")
    better = {"higher": "higher is better", "lower": "lower is better"}.get(kpi.direction, "")
    return f"<b>{sign}{_e(value)}</b>" + (f'<br><span class="small">{better}</span>' if better else "")


def _open_problems(c: _Context) -> str:
    parts = [_heading(1, "7", "Open problems", "problems", page_break=True)]
    if not c.problems:
        parts.append(f"<p>The checks found nothing to report on {c.today.isoformat()}.</p>")
        return "<section>\n" + "\n".join(parts) + "\n</section>"
    errors = sum(1 for p in c.problems if p.severity == ERROR)
    parts.append(
        f"<p>What the model's checks found on {c.today.isoformat()}: {_count(errors, 'error')} and "
        f"{_count(len(c.problems) - errors, 'warning')}. Errors need fixing before the guide is approved; "
        "warnings are worth a look.</p>"
    )
    body = "\n".join(
        "<tr>"
        f'<td class="severity severity-{_e(p.severity)}">{_e(p.severity.capitalize())}</td>'
        f"<td>{_e(c.names.element(p.element))}</td><td>{_e(_sentence(p.message))}</td>"
        "</tr>"
        for p in c.problems
    )
    parts.append(
        '<table class="grid problems" width="100%" cellspacing="0" cellpadding="5">'
        '<thead><tr><th width="11%">Severity</th><th width="30%">Where</th><th>Problem</th></tr></thead>\n'
        f"<tbody>{body}</tbody></table>"
    )
    return "<section>\n" + "\n".join(parts) + "\n</section>"


# --- the diagram --------------------------------------------------------------------------------

_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.S)
_ATTRIBUTE = re.compile(r'([\w:.-]+)\s*=\s*("[^"]*"|\'[^\']*\')')
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _diagram(svg: str, title: str) -> GuideDiagram | None:
    """The drawing ready for the page: its size from the viewBox (or width and height), and the
    parts it prints in when one landscape page would shrink it below legibility."""
    opening = _SVG_OPEN.search(svg)
    close = svg.rfind("</svg>")
    if opening is None or close < opening.end():
        return None
    attributes = {k: v[1:-1] for k, v in _ATTRIBUTE.findall(opening.group())}
    box = [float(x) for x in _NUMBER.findall(attributes.get("viewBox", ""))]
    if len(box) != 4:
        sizes = [_NUMBER.match(attributes.get(key, "")) for key in ("width", "height")]
        if not all(sizes):
            return None
        box = [0.0, 0.0, float(sizes[0].group()), float(sizes[1].group())]  # type: ignore[union-attr]
    x, y, width, height = box
    if width <= 0 or height <= 0:
        return None
    kept = {k: v for k, v in attributes.items() if k.startswith("xmlns") and k != "xmlns"}
    declarations = "".join(f' {k}="{_e(v)}"' for k, v in kept.items())
    inner = svg[opening.end() : close]
    inline = (
        f'<svg class="diagram" viewBox="{x:g} {y:g} {width:g} {height:g}" xmlns="http://www.w3.org/2000/svg"'
        f'{declarations} role="img" aria-label="{_e(title)}" preserveAspectRatio="xMidYMid meet">'
        f'<g id="guide-diagram">{inner}</g></svg>'
    )
    fit = min(LANDSCAPE_WIDTH_PX / width, LANDSCAPE_HEIGHT_PX / height)
    tiles: list[DiagramTile] = []
    if fit < MIN_PRINT_SCALE:
        columns = max(1, math.ceil(width * MIN_PRINT_SCALE / LANDSCAPE_WIDTH_PX))
        rows = max(1, math.ceil(height * MIN_PRINT_SCALE / LANDSCAPE_HEIGHT_PX))
        tile_width, tile_height = width / columns, height / rows
        overlap_x, overlap_y = tile_width * TILE_OVERLAP, tile_height * TILE_OVERLAP
        count = rows * columns
        for row in range(rows):
            for column in range(columns):
                left = max(x, x + column * tile_width - overlap_x)
                top = max(y, y + row * tile_height - overlap_y)
                right = min(x + width, x + (column + 1) * tile_width + overlap_x)
                bottom = min(y + height, y + (row + 1) * tile_height + overlap_y)
                number = row * columns + column + 1
                where = _tile_position(row, column, rows, columns)
                tiles.append(
                    DiagramTile(
                        round(left, 2),
                        round(top, 2),
                        round(right - left, 2),
                        round(bottom - top, 2),
                        f"Figure 2.{number + 1}. {title}, part {number} of {count} ({where})",
                    )
                )
    caption = f"Figure 2.1. {title}: the whole process" + (", printed in parts on the next pages" if tiles else "")
    return GuideDiagram(svg, inline, width, height, tuple(tiles), caption)


def _tile_position(row: int, column: int, rows: int, columns: int) -> str:
    across = ["left", "right"] if columns == 2 else [f"column {i + 1}" for i in range(columns)]
    down = ["top", "bottom"] if rows == 2 else [f"row {i + 1}" for i in range(rows)]
    if rows == 1:
        return across[column] if columns > 1 else "whole"
    if columns == 1:
        return down[row]
    return f"{down[row]} {across[column]}"


# --- helpers ------------------------------------------------------------------------------------


def _heading(level: int, number: str, text: str, anchor: str = "", *, page_break: bool = False) -> str:
    ident = f' id="{anchor}"' if anchor else ""
    classes = ["chapter" if level == 1 else "section"]
    if page_break:
        classes.append("new-page")
    style = ' style="page-break-before: always"' if page_break else ""
    return (
        f'<h{level}{ident} class="{" ".join(classes)}"{style}><span class="number">{_e(number)}</span>'
        f"&#160;&#160;{_e(text)}</h{level}>"
    )


def _missing(text: str) -> str:
    return f'<span class="missing">{_e(text)}</span>'


def _status(status: str) -> str:
    label = STATUS_LABELS.get(status, status or "—")
    key = status.replace(" ", "-") if status in STATUS_LABELS else "other"
    return f'<span class="status status-{key}">{_e(label)}</span>'


def _paragraphs(text: str) -> str:
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "\n".join("<p>" + "<br>".join(_e(line) for line in block.splitlines()) + "</p>" for block in blocks)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _words(camel: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", camel).lower()


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", "!", "?")) else ".")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page_css(footer: str) -> str:
    """Paged media for browsers: A4, the cover without footer, the diagram on landscape pages."""
    box = f"font-family: {FONTS}; font-size: 7.5pt; color: {MUTED};"
    margins = (
        f"  @bottom-left {{ content: {_css_string(footer)}; {box} }}\n"
        f'  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box} }}\n'
    )
    return (
        f"@page {{ size: A4; margin: 18mm 17mm 20mm 17mm;\n{margins}}}\n"
        "@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }\n"
        f"@page landscape {{ size: A4 landscape; margin: 15mm 15mm 17mm 15mm;\n{margins}}}\n"
    )


FONTS = '"Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'


# Browsers only: screen layout, paged media and the diagram's parts. Qt's rich text, which prints
# the PDF, reads CSS (below) but not these rules.
BROWSER_CSS = f"""@media screen {{ body {{ max-width: 190mm; margin: 0 auto; padding: 12mm 10mm 24mm; }}
  section.landscape {{ max-width: none; }} .tile {{ display: none; }}
  .scroll {{ overflow-x: auto; }} .scroll svg.diagram {{ width: var(--natural-width); max-width: none; }}
  .cover {{ border-bottom: 1px solid {RULE}; padding-bottom: 12mm; margin-bottom: 12mm; }}
  section {{ margin-bottom: 8mm; }} }}
@media print {{ .new-page, .contents, section.landscape, .tile {{ break-before: page; }}
  section.landscape {{ page: landscape; }} .scroll svg.diagram {{ width: 100%; max-height: 150mm; }}
  .figure, .policy {{ break-inside: avoid; }} tr, .statement {{ break-inside: avoid; }}
  h1, h2, h3, h4 {{ break-after: avoid; }} thead {{ display: table-header-group; }}
  a {{ color: inherit; text-decoration: none; }} }}
"""

# Shared by the browser and Qt's rich text: plain selectors and properties both understand.
# Lengths other than font sizes are in px (a CSS pixel is 1/96 inch): Qt ignores pt there.
CSS = f"""body {{ font-family: {FONTS}; font-size: 10pt; line-height: 1.4; color: #222222; margin: 0; }}
h1, h2, h3, h4 {{ color: {NAVY}; font-weight: bold; line-height: 1.25; }}
h1 {{ font-size: 20pt; margin: 0 0 14px 0; padding-bottom: 5px; border-bottom: 2px solid {NAVY}; }}
h2 {{ font-size: 13.5pt; margin: 22px 0 8px 0; }}
h3 {{ font-size: 11pt; margin: 16px 0 6px 0; }}
h4 {{ font-size: 10pt; margin: 14px 0 6px 0; }}
h1 .number, h2 .number {{ color: {ACCENT}; }}
p {{ margin: 0 0 9px 0; }}
a {{ color: {ACCENT}; text-decoration: none; }}
table {{ border-collapse: collapse; }}
table.grid {{ border: 1px solid {RULE}; margin: 6px 0 14px 0; }}
table.grid th, table.grid td {{ border: 1px solid {RULE}; padding: 5px 7px; vertical-align: top; text-align: left; }}
table.grid thead th {{ background-color: {NAVY}; color: #ffffff; font-weight: bold; font-size: 9pt; }}
table.grid th.row {{ background-color: {PALE}; color: {NAVY}; font-weight: bold; }}
table.control th {{ background-color: {PALE}; color: {NAVY}; }}
table.cover-band {{ background-color: {NAVY}; margin: 0 0 24px 0; }}
table.cover-band td {{ background-color: {NAVY}; padding: 40px 32px 34px 32px; color: #ffffff; }}
p.cover-kicker {{ color: #BDD7EE; font-size: 10pt; letter-spacing: 1px; text-transform: uppercase;
  margin: 0 0 40px 0; }}
h1.cover-title {{ color: #ffffff; font-size: 30pt; border: none; margin: 0 0 8px 0; padding: 0; }}
p.cover-subtitle {{ color: #ffffff; font-size: 16pt; margin: 0; }}
p.cover-processes {{ color: #BDD7EE; font-size: 10pt; margin: 10px 0 0 0; }}
h3.cover-label {{ font-size: 11pt; text-transform: uppercase; letter-spacing: 1px; color: {NAVY};
  margin: 20px 0 6px 0; }}
p.cover-note {{ font-size: 8.5pt; color: {MUTED}; margin: 20px 0 0 0; }}
table.toc {{ margin: 8px 0 24px 0; }}
table.toc td {{ padding: 5px 10px 5px 0; font-size: 11pt; }}
table.toc td.toc-number {{ color: {ACCENT}; font-weight: bold; }}
table.facts {{ margin: 6px 0 10px 0; border-collapse: separate; border-spacing: 6px; }}
table.facts td.fact {{ background-color: #F2F6FC; border: 1px solid {PALE}; text-align: center; padding: 10px 4px; }}
span.fact-value {{ font-size: 16pt; font-weight: bold; color: {NAVY}; }}
span.fact-label {{ font-size: 8pt; color: {MUTED}; text-transform: uppercase; }}
td.number {{ color: {MUTED}; text-align: right; white-space: nowrap; }}
th.number {{ white-space: nowrap; }}
table.activities td {{ font-size: 9pt; }}
span.activity-name {{ font-weight: bold; color: #1a1a1a; font-size: 10pt; }}
span.description {{ color: #333333; font-size: 9pt; }}
span.governed {{ color: {ACCENT}; font-size: 8.5pt; }}
span.small, p.small {{ font-size: 8.5pt; color: {MUTED}; }}
span.missing {{ color: #9C2A00; font-style: italic; }}
p.missing {{ color: #9C2A00; font-style: italic; }}
p.note {{ color: {MUTED}; font-style: italic; border: 1px dashed {RULE}; padding: 16px; }}
td.raci-list {{ font-size: 9pt; line-height: 1.7; }}
span.letter {{ font-weight: bold; font-size: 8.5pt; }}
table.matrix thead th {{ vertical-align: bottom; }}
table.matrix th.role-head {{ font-size: 8pt; text-align: center; }}
table.matrix td {{ font-size: 9pt; }}
table.matrix td.cell {{ text-align: center; vertical-align: middle; font-size: 9.5pt; }}
table.matrix tr.group td {{ background-color: {PALE}; color: {NAVY}; font-weight: bold; font-size: 8.5pt; }}
table.legend td {{ padding: 3px 10px 3px 0; font-size: 9pt; vertical-align: top; }}
td.centre {{ text-align: center; }}
table.statement {{ background-color: #F2F6FC; border-left: 4px solid {ACCENT}; margin: 2px 0 8px 0; }}
table.statement td {{ background-color: #F2F6FC; font-size: 10.5pt; padding: 10px 12px; }}
span.status {{ font-weight: bold; }}
span.status-approved {{ color: #375623; }}
span.status-in-review {{ color: #7F6000; }}
span.status-draft {{ color: {MUTED}; }}
span.status-retired {{ color: #843C0C; }}
span.relation {{ font-weight: bold; color: {NAVY}; }}
td.target {{ white-space: nowrap; }}
td.severity {{ font-weight: bold; }}
td.severity-error {{ color: #9C0006; background-color: #FFC7CE; }}
td.severity-warning {{ color: #7F6000; background-color: #FFEB9C; }}
div.figure {{ margin: 8px 0 14px 0; }}
svg.diagram {{ display: block; width: 100%; height: auto; }}
div.tile svg.diagram {{ max-height: 160mm; }}
p.caption {{ font-size: 8.5pt; color: {MUTED}; margin-top: 6px; text-align: center; }}
"""
