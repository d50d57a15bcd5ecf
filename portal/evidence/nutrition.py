"""The nutrition plan as a section of the period evidence: the roster at the period's end,
the eligible student-days of the period, and the ledger of enrolment changes."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models.nutrition import Student
from ..services import nutrition
from .ledgers import ledger_part, ledger_tables


def build_nutrition(section, scope):
    school = scope.school
    tables = ledger_tables("nutrition", scope)
    enrolled, eligible = db.session.execute(
        sa.select(
            sa.func.count().filter(Student.enrolled),
            sa.func.count().filter(Student.enrolled & Student.eligible),
        ).where(Student.school_id == school.id)
    ).one()
    unchecked = [change for change in tables.standing("enrolment_changes") if change.checked_by_id is None]
    summary = [
        (
            _l(
                "On the roster now: %(enrolled)d students, %(eligible)d eligible.", enrolled=enrolled, eligible=eligible
            ),
            "",
        ),
        (
            _l(
                "Eligible student-days in the period: %(days)d.",
                days=nutrition.student_days(school.id, scope.first, scope.last),
            ),
            "",
        ),
        (
            _l(
                "Enrolment changes: %(n)d, %(unchecked)d not checked by a second person.",
                n=len(tables.standing("enrolment_changes")),
                unchecked=len(unchecked),
            ),
            "",
        ),
    ]
    return ledger_part(section, tables, summary)
