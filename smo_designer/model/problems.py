"""A problem found in a document, by the reader or by a check (model layer)."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str  # ERROR or WARNING
    element: str  # the id of the element concerned, or a description where it has none
    message: str
    rule: str = ""  # the check that found it, such as "raci.one-accountable"
    role: str = ""  # for RACI problems: the role (column) concerned, if one

    def __str__(self) -> str:
        return f"{self.element}: {self.message}"
