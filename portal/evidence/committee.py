"""The parents' meal committee as a section of the period evidence: its members of each
school year the period touches, its activities and the parents' accompanied meals in the
period, then the activities as a table."""

from flask_babel import lazy_gettext as _l

from ..services import committee
from .ledgers import ledger_part, ledger_tables
from .parts import Sheet, iso


def _sheets(school, first, last):
    members, year_rows = [], []
    for school_year in range(committee.school_year_of(first), committee.school_year_of(last) + 1):
        people, entries = committee.year_of(school.id, school_year)
        members += [
            [f"{school_year}–{school_year + 1}", m.name, m.class_name, str(_l("chair")) if m.chair else ""]
            for m in people
        ]
        year_rows += [[iso(e.day), str(e.what), e.who, e.findings] for e in entries if first <= e.day <= last]
    return (
        [
            Sheet(
                str(_l("Committee members")),
                [str(h) for h in (_l("School year"), _l("Parent"), _l("Child's class"), _l("Chair"))],
                members,
            ),
            Sheet(
                str(_l("The committee's activities and parents' meals")),
                [str(h) for h in (_l("Date"), _l("What the committee did"), _l("Who took part"), _l("Findings"))],
                year_rows,
            ),
        ],
        len(year_rows),
        len(members),
    )


def build_committee(section, scope):
    tables = ledger_tables("committee", scope)
    leading, entries, members = _sheets(scope.school, scope.first, scope.last)
    summary = [
        (
            _l(
                "Members: %(members)d; activities and parents' meals in the period: %(entries)d.",
                members=members,
                entries=entries,
            ),
            "",
        )
    ]
    return ledger_part(section, tables, summary, leading=leading)
