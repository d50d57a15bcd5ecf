"""Dormitory housekeeping as a section of the period evidence: boarding days left unchecked,
each week's class ranking with its red flag and the rooms coached, then the checks and the
coaching as tables."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from ..models.dormitory import DormCheck, DormCoaching
from ..services import dormitory, dormitory_notices
from ..services.calendar import monday_of
from .ledgers import ledger_part, ledger_tables
from .parts import iso, sheet
from .tables import Table, column, name_of, register


def _rankings(school, first, last):
    """The weekly class ranking of every week the period touches, as one sheet."""
    rows, monday = [], monday_of(first)
    while monday <= last:
        ranking = dormitory_notices.weekly_ranking(school, monday)
        flag = "、".join(c.name for c in ranking.red_flag)
        for place, (school_class, average, checks) in enumerate(ranking.classes, start=1):
            rows.append([iso(monday), place, school_class.name, f"{average:.1f}", checks, flag if place == 1 else ""])
        monday += timedelta(days=7)
    headers = (_l("Week of"), _l("Place"), _l("Class"), _l("Average score"), _l("Checks"), _l("Red flag"))
    return sheet(_l("Weekly dormitory rankings"), headers, rows)


def build_dormitory(section, scope):
    school = scope.school
    tables = ledger_tables("dormitory", scope)
    missing = dormitory.unchecked_days(school, scope.first, scope.last)
    checks = tables.standing("dorm_checks")
    low = [check for check in checks if check.score < school.settings.dorm_coaching_below]
    summary = [
        (
            _l(
                "Rooms checked: %(checks)d checks; boarding days without a check: %(missing)d.",
                checks=len(checks),
                missing=len(missing),
            ),
            "、".join(iso(day) for day in missing),
        ),
        (
            _l(
                "Checks below the coaching line: %(low)d; rooms coached: %(coached)d.",
                low=len(low),
                coached=len(tables.standing("dorm_coachings")),
            ),
            "",
        ),
    ]
    return ledger_part(section, tables, summary, leading=[_rankings(school, scope.first, scope.last)])


def _deductions(check):
    return "；".join(
        f"{d['item']} −{d['points']}" + (f"（{d['note']}）" if d.get("note") else "") for d in check.deductions
    )


register(
    Table(
        "dorm_checks",
        "dormitory",
        (
            column(DormCheck.day, lambda c: iso(c.day)),
            column(DormCheck.room, lambda c: str(c.room)),
            column(DormCheck.score, lambda c: f"{c.score}/{c.full_score}"),
            column(_l("Deductions"), _deductions),
            column(DormCheck.note, lambda c: c.note),
            column(DormCheck.checked_by, lambda c: name_of(c.checked_by)),
        ),
        flag=lambda c: str(_l("below the coaching line")) if c.score < c.school.settings.dorm_coaching_below else "",
        loads=("room", "checked_by", "school"),
    )
)

register(
    Table(
        "dorm_coachings",
        "dormitory",
        (
            column(DormCoaching.day, lambda c: iso(c.day)),
            column(DormCoaching.room, lambda c: str(c.room)),
            column(DormCoaching.notes, lambda c: c.notes),
            column(DormCoaching.coached_by, lambda c: name_of(c.coached_by)),
        ),
        loads=("room", "coached_by"),
    )
)
