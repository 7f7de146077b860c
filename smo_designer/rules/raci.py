"""RACI checks: one Accountable, at least one Responsible, roles without a part, overloaded
roles, activities nobody does, segregation of duties, lanes out of step (rules layer)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import raci, smo
from ..model.document import Document
from ..model.problems import ERROR, WARNING, Problem


@dataclass(frozen=True)
class RaciSettings:
    # share of all activities above which one role's R is flagged (preferences)
    max_responsible_share: float = 0.5
    # whether a role may not be both Responsible and Accountable for one activity
    segregation_of_duties: bool = False


def check_raci(
    document: Document, settings: RaciSettings | None = None, rows: list[raci.RaciRow] | None = None
) -> list[Problem]:
    """The RACI problems of a document; `rows` may pass the matrix rows when the caller has them."""
    settings = settings or RaciSettings()
    roles = {role.id: role.name or role.id for role in smo.roles(document)}
    rows = raci.raci_rows(document) if rows is None else rows
    if not roles or not any(smo.raci(a) for a in map(document.element, (r.activity_id for r in rows)) if a):
        return []  # a model without roles or without a single letter has no RACI to check yet
    problems: list[Problem] = []
    responsible_count: dict[str, int] = {role: 0 for role in roles}
    has_part: set[str] = set()
    for row in rows:
        activity = document.element(row.activity_id)
        if activity is None:
            continue
        cells = smo.raci(activity)
        label = row.activity_id
        what = f"'{_one_line(row.name)}'" if row.name else "the activity"
        accountable = [role for role, letters in cells.items() if "A" in letters]
        responsible = [role for role, letters in cells.items() if "R" in letters]
        for role in responsible:
            responsible_count[role] = responsible_count.get(role, 0) + 1
        has_part.update(role for role, letters in cells.items() if "R" in letters or "A" in letters)
        if not accountable:
            problems.append(Problem(ERROR, label, f"{what} has no Accountable role", "raci.one-accountable"))
        elif len(accountable) > 1:
            names = ", ".join(roles.get(r, r) for r in accountable)
            problems.append(
                Problem(
                    ERROR,
                    label,
                    f"{what} has {len(accountable)} Accountable roles ({names}); one is needed",
                    "raci.one-accountable",
                )
            )
        if not responsible:
            problems.append(Problem(ERROR, label, f"{what} has no Responsible role", "raci.responsible"))
        if cells and all(set(letters) <= {"C", "I"} for letters in cells.values()):
            problems.append(
                Problem(
                    WARNING,
                    label,
                    f"{what} has only Consulted and Informed roles: nobody does it",
                    "raci.only-consulted-informed",
                )
            )
        if settings.segregation_of_duties:
            for role, letters in cells.items():
                if "R" in letters and "A" in letters:
                    problems.append(
                        Problem(
                            WARNING,
                            label,
                            f"{roles.get(role, role)} is both Responsible and Accountable for {what}",
                            "raci.segregation-of-duties",
                            role,
                        )
                    )
        for role in cells:
            if role not in roles:
                problems.append(
                    Problem(
                        ERROR,
                        label,
                        f"{what} names role '{role}', which is not in the role catalog",
                        "raci.unknown-role",
                        role,
                    )
                )
    for item in raci.lane_responsibilities(document, rows):
        if not item.has_r:
            problems.append(
                Problem(
                    WARNING,
                    item.activity_id,
                    f"the activity's lane belongs to {roles.get(item.role, item.role)}, who is not Responsible",
                    "raci.lane-role",
                    item.role,
                )
            )
    if rows:
        for role, name in roles.items():
            if role not in has_part:
                problems.append(
                    Problem(
                        WARNING,
                        role,
                        f"role {name} is neither Responsible nor Accountable anywhere",
                        "raci.role-without-part",
                        role,
                    )
                )
            share = responsible_count.get(role, 0) / len(rows)
            if share > settings.max_responsible_share and len(rows) > 1:
                problems.append(
                    Problem(
                        WARNING,
                        role,
                        f"role {name} is Responsible for {share:.0%} of the activities "
                        f"(more than {settings.max_responsible_share:.0%})",
                        "raci.overloaded-role",
                        role,
                    )
                )
    return problems


def _one_line(text: str) -> str:
    return " ".join(text.split())
