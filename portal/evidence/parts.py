"""What every evidence section is made of: the period it covers (Scope), the part it
contributes to the bundle (Part) and the workbook (Sheet)."""

from dataclasses import dataclass, field
from datetime import date

from ..timeutil import zone


@dataclass
class Scope:
    school: object
    first: date
    last: date
    generated_at: object = None
    generated_by: str = ""


@dataclass
class Sheet:
    name: str
    headers: list
    rows: list
    # The column that says what is wrong with a row; the bundle shows it in red when set.
    flag_column: int | None = None


@dataclass
class Part:
    """What one section contributes."""

    key: str
    title: str
    template: str | None = None
    context: dict = field(default_factory=dict)
    sheets: list = field(default_factory=list)
    records: dict = field(default_factory=dict)
    # Frozen PDFs appended as they are: [(bookmark title, InspectionEvidence)].
    frozen: list = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: object

    def part(self, scope):
        return self.build(self, scope)


def iso(value):
    return value.isoformat() if value else ""


def money(value):
    """Yuan as the tables write them: 1100.00."""
    return "" if value is None else f"{value:.2f}"


def sheet(title, headers, rows):
    """A table of a section, its title and headers (lazy or not) as text."""
    return Sheet(str(title), [str(header) for header in headers], rows)


def school_time(moment, school):
    """A stored UTC moment as the school reads it, for a workbook cell."""
    return moment.astimezone(zone(school)).strftime("%Y-%m-%d %H:%M") if moment else ""
