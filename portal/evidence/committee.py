"""The parents' meal committee as a section of the period evidence: its members of each
school year the period touches, its activities and the parents' accompanied meals in the
period, then the activities as a table."""

from flask_babel import lazy_gettext as _l

from ..models.committee import CommitteeActivity
from ..services import committee
from .ledgers import ledger_part, ledger_tables
from .parts import iso, sheet
from .tables import Table, column, label, name_of, register


def _sheets(school, first, last):
    """The members of each school year the period touches, and the year's activities and
    parents' meals that fall in the period."""
    members, year_rows = [], []
    for school_year in range(committee.school_year_of(first), committee.school_year_of(last) + 1):
        people, entries = committee.year_of(school.id, school_year)
        year = f"{school_year}–{school_year + 1}"
        members += [[year, m.name, m.class_name, str(_l("chair")) if m.chair else ""] for m in people]
        year_rows += [[iso(e.day), str(e.what), e.who, e.findings] for e in entries if first <= e.day <= last]
    return (
        sheet(_l("Committee members"), (_l("School year"), _l("Parent"), _l("Child's class"), _l("Chair")), members),
        sheet(
            _l("The committee's activities and parents' meals"),
            (_l("Date"), _l("What the committee did"), _l("Who took part"), _l("Findings")),
            year_rows,
        ),
    )


def build_committee(section, scope):
    tables = ledger_tables("committee", scope)
    members, activities = _sheets(scope.school, scope.first, scope.last)
    summary = [
        (
            _l(
                "Members: %(members)d; activities and parents' meals in the period: %(entries)d.",
                members=len(members.rows),
                entries=len(activities.rows),
            ),
            "",
        )
    ]
    return ledger_part(section, tables, summary, leading=[members, activities])


register(
    Table(
        "committee_activities",
        "committee",
        (
            column(CommitteeActivity.day, lambda a: iso(a.day)),
            column(CommitteeActivity.kind, lambda a: label(a.kind)),
            column(_l("Members present"), lambda a: a.present_names),
            column(CommitteeActivity.findings, lambda a: a.findings),
            column(CommitteeActivity.recorded_by, lambda a: name_of(a.recorded_by)),
        ),
        loads=("recorded_by",),
    )
)
