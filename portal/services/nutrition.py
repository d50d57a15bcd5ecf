"""The nutrition plan's roster: the register's Excel export read and previewed before anything
is saved, enrolment changes recorded and checked by a second person, and eligible
student-days counted from the changes on the school calendar."""

import bisect
import dataclasses
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models.nutrition import EnrolmentChange, Student
from . import files, school_classes, spreadsheets
from .calendar import days_between, load_many

# Column titles of the register's export this reads (学籍管理系统 names them so); the first
# row holding the register number and the name is the header.
COLUMNS = {
    "register_number": ("学籍号", "全国学籍号", "学籍辅号"),
    "name": ("姓名", "学生姓名"),
    "class_name": ("班级", "班级名称"),
    "eligible": ("是否享受营养餐", "营养餐", "享受营养改善计划", "是否享受"),
}
YES = {"是", "享受", "y", "yes", "1", "√", "✓"}
NO = {"否", "不享受", "n", "no", "0", "×", ""}


# --- reading the register's export ------------------------------------------------------------


@dataclass
class RosterRow:
    line: int
    register_number: str
    name: str
    class_name: str
    # None when the file has no column that says (a beneficiary list): the clerk says, for all.
    eligible: bool | None


@dataclass
class Preview:
    """What an import would do: nothing is saved until the clerk confirms it."""

    new: list = field(default_factory=list)  # RosterRow
    changed: list = field(default_factory=list)  # (Student, RosterRow)
    leaving: list = field(default_factory=list)  # Student, enrolled but not in the file
    unchanged: int = 0
    problems: list = field(default_factory=list)  # (line, message)
    # Classes the file names that are not on the school's class list.
    unknown_classes: list = field(default_factory=list)

    @property
    def can_confirm(self):
        return not self.problems and bool(self.new or self.changed or self.leaving)


def read_register(path, titles=None):
    """([RosterRow], [(line, problem)]) from the register's xlsx export: unreadable rows are
    named, never guessed at. ``titles`` receives the column titles the header had."""
    found, problems = [], []
    for line, cells in spreadsheets.read_rows(
        path,
        COLUMNS,
        ("register_number", "name"),
        _l("The file is not an Excel workbook (.xlsx or .xls) exported from the student register."),
        _l("No header row with 学籍号 and 姓名 was found in the first 20 rows."),
        titles,
    ):
        row, problem = _row(line, cells)
        if problem:
            problems.append((line, problem))
        else:
            found.append(row)
    return found, problems


def keep_register(stored):
    """Reads an uploaded register export once: its rows and problems are kept on the file's
    record, where the preview, the missing classes and the import find them."""
    titles = {}
    rows, problems = read_register(files.absolute_path(stored.storage_key), titles)
    stored.contents = {
        "rows": [dataclasses.asdict(row) for row in rows],
        "problems": [[line, str(problem)] for line, problem in problems],
        "eligibility_column": titles.get("eligible"),
    }


def eligibility_column(stored):
    """The title of the column that says who is eligible, or None when the file has none (a
    file kept before the title was: its rows say whether it had one)."""
    contents = stored.contents or {}
    if "eligibility_column" in contents:
        return contents["eligibility_column"]
    rows = contents.get("rows", [])
    return COLUMNS["eligible"][0] if rows and all(row["eligible"] is not None for row in rows) else None


def with_eligibility(rows, all_eligible):
    """The rows of a file without an eligibility column, each as the clerk said for all."""
    return [dataclasses.replace(row, eligible=all_eligible) if row.eligible is None else row for row in rows]


def kept_register(stored):
    """([RosterRow], [(line, problem)]) as keep_register kept them."""
    if stored.contents is None:  # uploaded before the rows were kept
        return read_register(files.absolute_path(stored.storage_key))
    rows = [RosterRow(**row) for row in stored.contents["rows"]]
    return rows, [(line, problem) for line, problem in stored.contents["problems"]]


def _row(line, cells):
    if not cells["register_number"] or len(cells["register_number"]) > 32:
        return None, _l("no register number (学籍号), or one longer than 32 characters")
    if not cells["name"] or len(cells["name"]) > 50:
        return None, _l("no name, or one longer than 50 characters")
    if not cells["class_name"] or len(cells["class_name"]) > 40:
        return None, _l("no class, or one longer than 40 characters")
    class_name = school_classes.normal_name(cells["class_name"])
    if cells["eligible"] is None:
        return RosterRow(line, cells["register_number"], cells["name"], class_name, None), None
    eligible = cells["eligible"].lower()
    if eligible not in YES | NO:
        return None, _l("“%(value)s” is neither 是 nor 否 for the subsidy", value=cells["eligible"])
    return RosterRow(line, cells["register_number"], cells["name"], class_name, eligible in YES), None


def preview(school_id, rows, problems):
    result = Preview(problems=list(problems))
    seen = {}
    for row in rows:
        if row.register_number in seen:
            result.problems.append(
                (
                    row.line,
                    _l(
                        "register number %(number)s already on line %(other)d",
                        number=row.register_number,
                        other=seen[row.register_number],
                    ),
                )
            )
        seen.setdefault(row.register_number, row.line)
    classes = school_classes.names_of(school_id)
    unknown = {}
    for row in rows:
        if row.class_name not in classes:
            unknown.setdefault(row.class_name, []).append(row.line)
    for name, lines in unknown.items():
        result.problems.append(
            (
                lines[0],
                _l(
                    "class “%(name)s” is not on the school's class list (%(n)d rows, from this one on)",
                    name=name,
                    n=len(lines),
                ),
            )
        )
    result.unknown_classes = sorted(unknown)
    students = {
        student.register_number: student
        for student in db.session.scalars(sa.select(Student).where(Student.school_id == school_id))
    }
    for row in rows:
        student = students.get(row.register_number)
        if student is None or not student.enrolled:
            result.new.append(row)
        elif (student.name, student.class_name, student.eligible) != (
            row.name,
            row.class_name,
            student.eligible if row.eligible is None else row.eligible,
        ):
            result.changed.append((student, row))
        else:
            result.unchanged += 1
    in_file = set(seen)
    result.leaving = sorted(
        (s for s in students.values() if s.enrolled and s.register_number not in in_file),
        key=lambda s: (s.class_name, s.register_number),
    )
    result.problems.sort(key=lambda problem: problem[0])
    return result


# --- eligible student-days --------------------------------------------------------------------


def eligible_intervals(changes):
    """[(first day, day after the last)] a student was enrolled and eligible, from their
    changes in effective order; an open interval ends with None."""
    state = {"enrolled": False, "eligible": False}
    intervals, start = [], None
    for change in changes:
        state |= change.kind.sets
        counting = state["enrolled"] and state["eligible"]
        if counting and start is None:
            start = change.effective_on
        elif not counting and start is not None:
            if change.effective_on > start:
                intervals.append((start, change.effective_on))
            start = None
    if start is not None:
        intervals.append((start, None))
    return intervals


def _intervals_many(school_ids, last, changed_after=None):
    """{school id: [[(start, end)] of each student]} from the standing changes effective up
    to ``last`` (of the students with a change effective after ``changed_after``, or all),
    in one query."""
    query = (
        sa.select(
            EnrolmentChange.school_id, EnrolmentChange.student_id, EnrolmentChange.kind, EnrolmentChange.effective_on
        )
        .where(
            EnrolmentChange.school_id.in_(school_ids), EnrolmentChange.standing(), EnrolmentChange.effective_on <= last
        )
        .order_by(EnrolmentChange.student_id, EnrolmentChange.effective_on, EnrolmentChange.id)
    )
    if changed_after is not None:
        later = sa.orm.aliased(EnrolmentChange)
        query = query.where(
            sa.exists().where(
                later.student_id == EnrolmentChange.student_id,
                later.withdrawn_at.is_(None),
                later.effective_on > changed_after,
            )
        )
    by_student = {}
    for change in db.session.execute(query):
        by_student.setdefault((change.school_id, change.student_id), []).append(change)
    found = {school_id: [] for school_id in school_ids}
    for (school_id, _student), student_changes in by_student.items():
        found[school_id].append(eligible_intervals(student_changes))
    return found


def _intervals(school_id, last):
    return _intervals_many([school_id], last)[school_id]


def _days_within(school_days, intervals):
    total = 0
    for start, end in intervals:
        low = bisect.bisect_left(school_days, start)
        high = len(school_days) if end is None else bisect.bisect_left(school_days, end)
        total += max(high - low, 0)
    return total


def student_days_many(school_ids, first, last):
    """{school id: eligible student-days first..last}: for every school day, the students
    enrolled and eligible on it (a change counts from its effective day).

    A student with no change effective after ``first`` is in the state the roster shows now
    for the whole period: those are counted by the database, and only the few students with
    later changes are followed through their history. Five queries whatever the number of
    schools and students."""
    calendars = load_many(school_ids, first, last)
    steady = dict(
        db.session.execute(
            sa.select(Student.school_id, sa.func.count())
            .where(
                Student.school_id.in_(school_ids),
                Student.enrolled,
                Student.eligible,
                # NOT EXISTS, not NOT IN: an anti-join whatever the planner's statistics say.
                ~sa.exists().where(
                    EnrolmentChange.student_id == Student.id,
                    EnrolmentChange.standing(),
                    EnrolmentChange.effective_on > first,
                ),
            )
            .group_by(Student.school_id)
        ).all()
    )
    followed = _intervals_many(school_ids, last, changed_after=first)
    found = {}
    for school_id in school_ids:
        school_days = [day for day in days_between(first, last) if calendars[school_id].is_school_day(day)]
        found[school_id] = steady.get(school_id, 0) * len(school_days) + sum(
            _days_within(school_days, intervals) for intervals in followed[school_id]
        )
    return found


def student_days(school_id, first, last):
    return student_days_many([school_id], first, last)[school_id]


def eligible_on(school_id, day):
    """The students enrolled and eligible on ``day``."""
    return sum(
        1
        for intervals in _intervals(school_id, day)
        if any(start <= day and (end is None or day < end) for start, end in intervals)
    )
