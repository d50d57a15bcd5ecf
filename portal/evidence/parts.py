"""What every evidence section is made of: the period it covers (Scope), the part it
contributes to the bundle (Part) and the workbook (Sheet)."""

import re
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

    @property
    def widths(self):
        """Per column, the share of the page's width (%) that keeps its longest date, time or
        number on one line, or None: Chinese text wraps anywhere (-pdf-word-wrap: CJK), so a
        narrow column broke "2026-11-30" after any digit."""
        widths = [_unbroken_width(self.rows, column) for column in range(len(self.headers))]
        fixed = sum(width for width in widths if width)
        scale = min(1, FIXED_AT_MOST_PT / fixed) if fixed else 1  # leave the text columns room
        return [round(100 * width * scale / TEXT_WIDTH_PT, 1) if width else None for width in widths]


# The bundle's small type: an ASCII character of LXGW WenKai is at most 5.4 pt at 8.5 pt, plus padding;
# an A4 page's text is 510 pt wide, and the fixed columns take at most 70 % of it.
ASCII_PT, PADDING_PT, SHORTEST_KEPT, TEXT_WIDTH_PT, FIXED_AT_MOST_PT = 5.4, 8, 6, 510, 360
ASCII_RUN = re.compile(r"[!-~]+")


def _unbroken_width(rows, column):
    """The width of the longest run of ASCII in the column (a date inside Chinese text too:
    "2026-12-04；猪肉")."""
    longest = max(
        (
            len(run)
            for row in rows
            if column < len(row) and row[column] is not None
            for run in ASCII_RUN.findall(str(row[column]))
        ),
        default=0,
    )
    return round(longest * ASCII_PT + PADDING_PT) if longest >= SHORTEST_KEPT else None


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
