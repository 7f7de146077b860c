"""The SMO part of the document: roles, RACI, lane-to-role binding, policies, KPIs and document
metadata, stored in BPMN where BPMN has a place and in the smo: extension otherwise
(model layer; the format is described in docs/file-format.md)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from . import bpmn as b
from .document import Document, check_xml_text
from .element import Element
from .namespaces import bpmn, smo

# Canonical order of RASCI letters in a cell: Responsible, Accountable, Supportive,
# Consulted, Informed.
RACI_LETTERS = "RASCI"
POLICY_STATUSES = ("draft", "in review", "approved", "retired")
# The lifecycle: where a policy may go from each status. A review can send a policy back to
# draft; an approved policy goes back into review for its periodic review or a revision.
POLICY_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("in review", "retired"),
    "in review": ("approved", "draft"),
    "approved": ("in review", "retired"),
    "retired": (),
}
FRAMEWORK_RELATIONS = ("implements", "supports", "related")
KPI_DIRECTIONS = ("higher", "lower")
# Months between an approval and the next review when the policy names none (ISO/IEC 20000-1
# asks for reviews "at planned intervals"; a year is the usual plan).
REVIEW_INTERVAL_MONTHS = 12
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_date(value: str, what: str = "date") -> str:
    """The value if it is empty or an ISO 8601 calendar date (2024-03-01); ValueError otherwise."""
    if value:
        try:
            if not _ISO_DATE.match(value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{what} '{value}' is not a date: write it as YYYY-MM-DD, such as 2024-03-01") from None
    return value


def add_months(date: str, months: int) -> str:
    """An ISO date `months` later, on the same day or the month's last day (2024-01-31 + 1 → 2024-02-29)."""
    day = dt.date.fromisoformat(date)
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last)).isoformat()
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def normalize_letters(letters: str) -> str:
    """'ar', 'A/R', 'R, A' → 'RA'. Raises ValueError for anything but R, A, S, C, I."""
    wanted = {c for c in letters.upper() if not c.isspace() and c not in "/,;+"}
    unknown = wanted - set(RACI_LETTERS)
    if unknown:
        raise ValueError(f"unknown RACI letter(s): {''.join(sorted(unknown))}")
    return "".join(c for c in RACI_LETTERS if c in wanted)


# --- roles --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    description: str = ""
    kind: str = ""


def roles(document: Document) -> list[Role]:
    out = []
    for resource in b.resources(document):
        marker = _smo_child(resource, "role")
        out.append(
            Role(
                resource.get("id", ""),
                b.name(resource),
                b.documentation(resource),
                marker.get("kind", "") if marker is not None else "",
            )
        )
    return out


def add_role(document: Document, name: str, description: str = "", kind: str = "") -> Element:
    """A new global bpmn:resource, placed after the last resource (or before the first process,
    collaboration or diagram) so that the definitions keep their schema order."""
    resource = Element(bpmn("resource"), {"id": document.new_id("Role"), "name": name})
    root = document.root
    existing = b.resources(document)
    if existing:
        index = existing[-1].index_in_parent() + 1
    else:
        index = next(
            (i for i, c in enumerate(root.children) if c.local in ("collaboration", "process", "BPMNDiagram")),
            len(root.children),
        )
    document.insert(root, index, resource)
    update_role(document, resource.get("id", ""), description=description, kind=kind)
    return resource


def update_role(
    document: Document,
    role_id: str,
    *,
    name: str | None = None,
    description: str | None = None,
    kind: str | None = None,
) -> None:
    resource = _require(document, role_id, "resource")
    if name is not None:
        b.set_name(document, resource, name)
    if description is not None:
        b.set_documentation(document, resource, description)
    if kind is not None:
        marker = _smo_child(resource, "role")
        if kind and marker is None:
            ext = b.extension_elements(document, resource)
            assert ext is not None
            document.append(ext, Element(smo("role"), {"kind": kind}))
        elif marker is not None:
            if kind:
                document.set_attribute(marker, "kind", kind)
            else:
                remove_extension(document, resource, marker)


# --- RACI ---------------------------------------------------------------------------------------


def raci(activity: Element) -> dict[str, str]:
    """role id → letters for one activity. Roles named by a plain performer (the standard
    BPMN way other tools write the Responsible role) count as R."""
    cells: dict[str, str] = {}
    table = _smo_child(activity, "raci")
    if table is not None:
        for assignment in table.findall(smo("assignment")):
            role = assignment.get("role")
            if role:
                cells[role] = assignment.get("letters", "")
    for role in _performer_roles(activity):
        if "R" not in cells.get(role, ""):
            cells[role] = normalize_letters(cells.get(role, "") + "R")
    return {role: letters for role, letters in cells.items() if letters}


def raci_matrix(document: Document) -> dict[str, dict[str, str]]:
    """activity id → role id → letters, for every activity that has any letter."""
    out = {}
    for process in document.root.iter(bpmn("process")):
        for element in b.flow_elements(process):
            if b.kind(element) in b.RACI_ACTIVITY_TYPES and element.id:
                cells = raci(element)
                if cells:
                    out[element.id] = cells
    return out


def set_raci(document: Document, activity: Element, role_id: str, letters: str) -> None:
    """Set one cell; an empty string clears it. R is also written as a standard performer."""
    letters = normalize_letters(letters)
    if not role_id:
        # an empty role would be written as an empty resourceRef, which the schema refuses
        raise ValueError("a RACI cell needs a role")
    table = _smo_child(activity, "raci")
    assignment = None
    if table is not None:
        assignment = next((a for a in table.findall(smo("assignment")) if a.get("role") == role_id), None)
    with document.edit("Set RACI"):
        if letters:
            if table is None:
                ext = b.extension_elements(document, activity)
                assert ext is not None
                table = Element(smo("raci"))
                document.append(ext, table)
            if assignment is None:
                document.append(table, Element(smo("assignment"), {"role": role_id, "letters": letters}))
            else:
                document.set_attribute(assignment, "letters", letters)
        elif assignment is not None and table is not None:
            document.remove(assignment)
            if not table.children:
                remove_extension(document, activity, table)
        performers = _managed_performers(activity, role_id)
        if "R" in letters and not performers:
            performer = Element(bpmn("performer"), {"id": document.new_id("Performer")})
            performer.children.append(Element(bpmn("resourceRef"), text=role_id))
            performer.children[0].parent = performer
            b.insert_in_order(document, activity, performer)
        elif "R" not in letters:
            for performer in performers:
                document.remove(performer)


def _performer_roles(activity: Element) -> list[str]:
    out = []
    for performer in activity.findall(bpmn("performer")):
        ref = performer.find(bpmn("resourceRef"))
        if ref is not None and ref.text:
            out.append(ref.text.strip().rpartition(":")[2])
    return out


def _managed_performers(activity: Element, role_id: str) -> list[Element]:
    return [
        p
        for p in activity.findall(bpmn("performer"))
        if (ref := p.find(bpmn("resourceRef"))) is not None and (ref.text or "").strip().rpartition(":")[2] == role_id
    ]


# --- lanes and roles ----------------------------------------------------------------------------


def lane_role(lane: Element) -> str | None:
    """The role a lane stands for: its standard partitionElementRef, when that names a role."""
    value = lane.get("partitionElementRef")
    return value.rpartition(":")[2] if value else None


def set_lane_role(document: Document, lane: Element, role_id: str | None) -> None:
    """Bind the lane to a role; None or "" unbinds it (an empty QName would make the file invalid)."""
    document.set_attribute(lane, "partitionElementRef", role_id or None)


# --- metadata -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """One line of the document's change history."""

    version: str
    date: str
    author: str = ""
    description: str = ""


@dataclass(frozen=True)
class Metadata:
    title: str = ""
    version: str = ""
    status: str = ""
    owner: str = ""
    created: str = ""
    modified: str = ""
    approver: str = ""
    scope: str = ""
    revisions: tuple[Revision, ...] = ()


_METADATA_ATTRIBUTES = ("version", "status", "owner", "created", "modified", "approver")


def metadata(document: Document) -> Metadata:
    node = _find_document_data(document, "metadata")
    values = {key: node.get(key, "") if node is not None else "" for key in _METADATA_ATTRIBUTES}
    scope = node.find(smo("scope")) if node is not None else None
    revisions = tuple(
        Revision(r.get("version", ""), r.get("date", ""), r.get("author", ""), r.text or "")
        for r in (node.findall(smo("revision")) if node is not None else [])
    )
    return Metadata(
        title=document.root.get("name", ""),
        scope=scope.text or "" if scope is not None else "",
        revisions=revisions,
        **values,  # type: ignore[arg-type]
    )


def set_metadata(document: Document, value: Metadata) -> None:
    """Write the document's properties. Dates are checked where they change: a value another
    tool wrote stays as it is while the user edits something else."""
    old = metadata(document)
    for key in ("created", "modified"):
        if getattr(value, key) != getattr(old, key):
            check_date(getattr(value, key), f"the {key} date")
    for revision in set(value.revisions) - set(old.revisions):
        check_date(revision.date, f"the date of version {revision.version}")
    with document.edit("Document properties"):
        document.set_attribute(document.root, "name", value.title or None)
        node = _find_document_data(document, "metadata")
        wanted = {key: getattr(value, key) or None for key in _METADATA_ATTRIBUTES}
        if node is None:
            if not any(wanted.values()) and not value.scope and not value.revisions:
                return
            node = Element(smo("metadata"))
            document.append(document_home(document), node)
        for key, attr_value in wanted.items():
            document.set_attribute(node, key, attr_value)
        _set_text_child(document, node, "scope", value.scope)
        _replace_children(
            document,
            node,
            [
                Element(
                    smo("revision"),
                    _present(version=r.version, date=r.date, author=r.author),
                    text=r.description or None,
                )
                for r in value.revisions
            ],
            (smo("revision"),),
        )
        # metadata cleared: no empty element stays behind (one holding what others wrote stays)
        home = node.parent
        if not node.attributes and not node.children and home is not None and home.parent is not None:
            remove_extension(document, home.parent, node)


# --- policies -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkReference:
    framework: str
    clause: str
    relation: str = "implements"


@dataclass(frozen=True)
class StatusChange:
    status: str
    date: str


@dataclass(frozen=True)
class Policy:
    id: str = ""
    identifier: str = ""
    title: str = ""
    statement: str = ""
    rationale: str = ""
    scope: str = ""
    owner_role: str = ""
    approver: str = ""
    status: str = "draft"
    effective: str = ""
    next_review: str = ""
    links: tuple[str, ...] = ()
    frameworks: tuple[FrameworkReference, ...] = ()
    history: tuple[StatusChange, ...] = ()


_POLICY_ATTRIBUTES = {
    "identifier": "identifier",
    "owner_role": "ownerRole",
    "approver": "approver",
    "status": "status",
    "effective": "effective",
    "next_review": "nextReview",
}
_POLICY_TEXTS = ("title", "statement", "rationale", "scope")


def policies(document: Document) -> list[Policy]:
    container = _find_document_data(document, "policies")
    if container is None:
        return []
    return [_read_policy(node) for node in container.findall(smo("policy"))]


def _read_policy(node: Element) -> Policy:
    values: dict = {field_name: node.get(attr, "") for field_name, attr in _POLICY_ATTRIBUTES.items()}
    for local in _POLICY_TEXTS:
        child = node.find(smo(local))
        values[local] = child.text or "" if child is not None else ""
    return Policy(
        id=node.get("id", ""),
        links=tuple(link.get("ref", "") for link in node.findall(smo("link"))),
        frameworks=tuple(
            FrameworkReference(f.get("framework", ""), f.get("clause", ""), f.get("relation", "related"))
            for f in node.findall(smo("framework"))
        ),
        history=tuple(StatusChange(s.get("status", ""), s.get("date", "")) for s in node.findall(smo("transition"))),
        **values,
    )


def policy_by_id(document: Document, policy_id: str) -> Policy:
    """One policy by its id (KeyError when there is none)."""
    return _read_policy(_require(document, policy_id, "policy"))


def add_policy(document: Document, policy: Policy) -> Policy:
    check_policy(policy, None)
    with document.edit("Add policy"):
        container = _find_document_data(document, "policies")
        if container is None:
            container = Element(smo("policies"))
            document.append(document_home(document), container)
        policy = replace(policy, id=policy.id or document.new_id("Policy"))
        node = Element(smo("policy"), {"id": policy.id})
        document.append(container, node)
        _write_policy(document, node, policy)
    return policy


def update_policy(document: Document, policy: Policy) -> None:
    node = _require(document, policy.id, "policy")
    check_policy(policy, _read_policy(node))
    with document.edit("Edit policy"):
        _write_policy(document, node, policy)


def transition_policy(document: Document, policy_id: str, status: str, date: str) -> Policy:
    """Move a policy along its lifecycle and record the step with its date. Approval sets the
    effective date (when the policy has none) to the day of approval, and the next review (when
    it has none) REVIEW_INTERVAL_MONTHS later. Raises ValueError for a step the lifecycle does not
    allow or a date before the last recorded step."""
    current = _read_policy(_require(document, policy_id, "policy"))
    check_transition(current, status, date)
    changed = replace(current, status=status, history=(*current.history, StatusChange(status, date)))
    if status == "approved":
        changed = replace(
            changed,
            effective=current.effective or date,
            next_review=current.next_review or add_months(date, REVIEW_INTERVAL_MONTHS),
        )
    with document.edit(f"Policy {status}"):
        _write_policy(document, _require(document, policy_id, "policy"), changed)
    return changed


def check_transition(policy: Policy, status: str, date: str) -> None:
    """ValueError, with a message for the user, when the policy cannot take this step on this date."""
    if not date:
        raise ValueError("a lifecycle step needs a date")
    check_date(date, "the date of the step")
    start = policy.status or "draft"
    allowed = POLICY_TRANSITIONS.get(start, ())
    if status not in allowed:
        if allowed:
            raise ValueError(f"a policy {start} can go to {' or '.join(allowed)}, not to {status}")
        raise ValueError(f"a policy {start} has no further step")
    if policy.history and policy.history[-1].date > date:
        last = policy.history[-1]
        raise ValueError(f"{date} is before the last step ({last.status} on {last.date})")


def check_policy(policy: Policy, old: Policy | None) -> None:
    """Refuse values the file format does not allow, where they change (a value another
    version wrote stays as it is while the user edits something else)."""

    def changed(field_name: str) -> bool:
        return old is None or getattr(policy, field_name) != getattr(old, field_name)

    for field_name in ("identifier", "title", "statement", "rationale", "scope", "approver"):
        if changed(field_name):
            check_xml_text(getattr(policy, field_name))
    if changed("status") and policy.status and policy.status not in POLICY_STATUSES:
        raise ValueError(f"unknown policy status '{policy.status}': use {', '.join(POLICY_STATUSES)}")
    if changed("effective"):
        check_date(policy.effective, "the effective date")
    if changed("next_review"):
        check_date(policy.next_review, "the next review date")
    known = set(old.frameworks) if old is not None else set()
    for reference in policy.frameworks:
        if reference in known:
            continue
        if not reference.framework.strip() or not reference.clause.strip():
            raise ValueError("a framework reference needs a framework and a clause")
        if reference.relation not in FRAMEWORK_RELATIONS:
            raise ValueError(f"unknown relation '{reference.relation}': use {', '.join(FRAMEWORK_RELATIONS)}")
    steps = set(old.history) if old is not None else set()
    for step in policy.history:
        if step not in steps:
            check_date(step.date, f"the date of the step to {step.status}")
    if any(not link for link in policy.links):
        raise ValueError("a policy link needs the id of a process or an activity")


def policy_links(document: Document) -> dict[str, list[str]]:
    """element id → ids of the policies that link to it, for badges and the guide."""
    out: dict[str, list[str]] = {}
    for item in policies(document):
        for link in item.links:
            if item.id not in out.setdefault(link, []):
                out[link].append(item.id)
    return out


def remove_policy(document: Document, policy_id: str) -> None:
    node = _require(document, policy_id, "policy")
    with document.edit("Delete policy"):
        container = node.parent
        document.remove(node)
        if container is not None and not container.children:
            remove_extension(document, container.parent.parent, container)  # type: ignore[union-attr]


def _write_policy(document: Document, node: Element, policy: Policy) -> None:
    for field_name, attr in _POLICY_ATTRIBUTES.items():
        document.set_attribute(node, attr, getattr(policy, field_name) or None)
    for local in _POLICY_TEXTS:
        _set_text_child(document, node, local, getattr(policy, local))
    _replace_children(
        document,
        node,
        [
            *(Element(smo("link"), {"ref": ref}) for ref in dict.fromkeys(policy.links)),
            *(
                Element(smo("framework"), {"framework": f.framework, "clause": f.clause, "relation": f.relation})
                for f in policy.frameworks
            ),
            *(Element(smo("transition"), {"status": s.status, "date": s.date}) for s in policy.history),
        ],
        (smo("link"), smo("framework"), smo("transition")),
    )


# --- KPIs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    id: str = ""
    name: str = ""
    description: str = ""
    target: str = ""
    unit: str = ""
    direction: str = "higher"  # higher or lower is better
    frequency: str = ""
    owner_role: str = ""
    data_source: str = ""


_KPI_ATTRIBUTES = {
    "name": "name",
    "target": "target",
    "unit": "unit",
    "direction": "direction",
    "frequency": "frequency",
    "owner_role": "ownerRole",
    "data_source": "dataSource",
}


def kpis(process: Element) -> list[Kpi]:
    container = _smo_child(process, "kpis")
    if container is None:
        return []
    return [_read_kpi(node) for node in container.findall(smo("kpi"))]


def _read_kpi(node: Element) -> Kpi:
    values = {field_name: node.get(attr, "") for field_name, attr in _KPI_ATTRIBUTES.items()}
    description = node.find(smo("description"))
    return Kpi(id=node.get("id", ""), description=description.text or "" if description is not None else "", **values)


def kpi_by_id(document: Document, kpi_id: str) -> Kpi:
    """One KPI by its id (KeyError when there is none)."""
    return _read_kpi(_require(document, kpi_id, "kpi"))


def kpi_process(document: Document, kpi_id: str) -> Element:
    """The process that holds a KPI (KeyError when there is no such KPI)."""
    node = _require(document, kpi_id, "kpi")
    owner = node.parent.parent.parent if node.parent is not None and node.parent.parent is not None else None
    if owner is None:
        raise KeyError(f"the KPI {kpi_id!r} belongs to no process")
    return owner


def check_kpi(kpi: Kpi, old: Kpi | None) -> None:
    """ValueError, with a message for the user, for a value a KPI cannot hold."""
    for field_name in ("name", "description", "target", "unit", "frequency", "data_source"):
        if old is None or getattr(kpi, field_name) != getattr(old, field_name):
            check_xml_text(getattr(kpi, field_name))
    if (old is None or kpi.direction != old.direction) and kpi.direction and kpi.direction not in KPI_DIRECTIONS:
        raise ValueError(f"a KPI's direction is 'higher' or 'lower' (which is better), not '{kpi.direction}'")


def add_kpi(document: Document, process: Element, kpi: Kpi) -> Kpi:
    check_kpi(kpi, None)
    with document.edit("Add KPI"):
        container = _smo_child(process, "kpis")
        if container is None:
            ext = b.extension_elements(document, process)
            assert ext is not None
            container = Element(smo("kpis"))
            document.append(ext, container)
        kpi = replace(kpi, id=kpi.id or document.new_id("Kpi"))
        node = Element(smo("kpi"), {"id": kpi.id})
        document.append(container, node)
        _write_kpi(document, node, kpi)
    return kpi


def update_kpi(document: Document, kpi: Kpi) -> None:
    node = _require(document, kpi.id, "kpi")
    check_kpi(kpi, _read_kpi(node))
    with document.edit("Edit KPI"):
        _write_kpi(document, node, kpi)


def remove_kpi(document: Document, kpi_id: str) -> None:
    node = _require(document, kpi_id, "kpi")
    with document.edit("Delete KPI"):
        container = node.parent
        document.remove(node)
        if container is not None and not container.children:
            remove_extension(document, container.parent.parent, container)  # type: ignore[union-attr]


def _write_kpi(document: Document, node: Element, kpi: Kpi) -> None:
    for field_name, attr in _KPI_ATTRIBUTES.items():
        document.set_attribute(node, attr, getattr(kpi, field_name) or None)
    _set_text_child(document, node, "description", kpi.description)


# --- where document-level data lives ------------------------------------------------------------


def document_home(document: Document) -> Element:
    """The extensionElements that hold document-level data (metadata, policies).

    bpmn:definitions cannot carry extensionElements, so the data lives in the first
    collaboration or, without one, the first process (created when the document has neither);
    data already in a file stays where it was found.
    """
    for kind in ("metadata", "policies"):
        node = _find_document_data(document, kind)
        if node is not None and node.parent is not None:
            return node.parent
    owners = b.collaborations(document) or b.processes(document)
    if owners:
        owner = owners[0]
    else:
        owner = Element(bpmn("process"), {"id": document.new_id("Process"), "isExecutable": "false"})
        b.insert_in_order(document, document.root, owner)
    home = b.extension_elements(document, owner)
    assert home is not None
    return home


def _find_document_data(document: Document, local: str) -> Element | None:
    for owner in b.collaborations(document) + b.processes(document):
        node = _smo_child(owner, local)
        if node is not None:
            return node
    return None


# --- helpers ------------------------------------------------------------------------------------


def _smo_child(element: Element, local: str) -> Element | None:
    ext = element.find(bpmn("extensionElements"))
    return ext.find(smo(local)) if ext is not None else None


def remove_extension(document: Document, owner: Element, child: Element) -> None:
    """Remove one of our extension elements and the extensionElements left empty by it."""
    ext = child.parent
    document.remove(child)
    if ext is not None and ext.parent is owner and not ext.children and not ext.attributes:
        document.remove(ext)


def _require(document: Document, ident: str, local: str) -> Element:
    node = document.element(ident)
    if node is None or node.local != local:
        raise KeyError(f"no {local} with id {ident!r}")
    return node


def _set_text_child(document: Document, node: Element, local: str, text: str) -> None:
    child = node.find(smo(local))
    if text and child is None:
        # text children come first, in a fixed order, so that files diff cleanly
        order = [smo(name) for name in (*_POLICY_TEXTS, "description")]
        index = sum(1 for c in node.children if c.tag in order and order.index(c.tag) < order.index(smo(local)))
        document.insert(node, index, Element(smo(local), text=text))
    elif text and child is not None:
        document.set_text(child, text)
    elif not text and child is not None:
        document.remove(child)


def _present(**attributes: str) -> dict[str, str]:
    """Attributes with a value, in the order given: an empty value is never written."""
    return {key: value for key, value in attributes.items() if value}


def _replace_children(document: Document, node: Element, wanted: list[Element], tags: tuple[str, ...]) -> None:
    current = [c for c in node.children if c.tag in tags]
    if [c.content() for c in current] == [w.content() for w in wanted]:
        return
    for child in current:
        document.remove(child)
    for child in wanted:
        document.append(node, child)
