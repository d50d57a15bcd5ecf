"""What every section that holds ledgers does with them: each ledger of the section as a
table (and a workbook sheet, tables.py) with amended values beside the original and
withdrawn records said so, and the list of every amendment of the period."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..models.registry import KINDS
from ..services import ledgers
from .parts import Part, iso, school_time, sheet
from .tables import in_section


@dataclass
class Tables:
    """The ledgers of one section over the period."""

    records: dict  # ledger key -> its records, oldest first
    sheets: list
    amendments: list  # rows of the amendments sheet

    def standing(self, key):
        return [record for record in self.records[key] if not record.is_withdrawn]


def ledger_tables(section_key, scope):
    school = scope.school
    found, sheets, amendments = {}, [], []
    for table in in_section(section_key):
        records = table.records(school.id, scope.first, scope.last)
        found[table.key] = records
        amended = ledgers.amendments_of(table.key, [record.id for record in records])
        corrected = {
            record.id: ledgers.Corrected(record, ledgers.corrected_values(amended[record.id]))
            for record in records
            if record.id in amended
        }
        listed = table.listed(school, records) if table.listed else records
        sheets.append(table.sheet(listed, school, corrected))
        by_id = {record.id: record for record in records}
        amendments += [
            _amendment_row(table.kind, by_id[record_id], amendment, school)
            for record_id, record_amendments in amended.items()
            for amendment in record_amendments
        ]
    return Tables(found, sheets, amendments)


def _amendment_row(kind, record, amendment, school):
    return [
        str(kind.name),
        iso(record.ledger_day),
        str(record),
        ledgers.changes_text(record, amendment),
        amendment.reason,
        amendment.author.display_name,
        school_time(amendment.created_at, school),
    ]


def _amendments_sheet(rows):
    headers = [_l("Ledger"), _l("Date"), _l("Record"), _l("Correction"), _l("Reason"), _l("By"), _l("At")]
    return sheet(_l("Amendments"), headers, rows)


def ledger_part(section, tables, summary, workbook_only=(), leading=(), **context):
    """The section: in the bundle its summary, ``context``, the ``leading`` tables and the
    ledgers' tables; in the workbook the same tables as sheets, after ``workbook_only``."""
    shown = [*leading, *tables.sheets, _amendments_sheet(tables.amendments)]
    return Part(
        section.key,
        section.title,
        "evidence/section_ledgers.html",
        {"summary": summary, "tables": shown, **context},
        sheets=[*workbook_only, *shown],
        records={key: [record.id for record in records] for key, records in tables.records.items()},
    )


def ledger_records(key, scope):
    """The standing records of one ledger over the period (for a count of another section)."""
    records = KINDS[key].records(scope.school.id, scope.first, scope.last)
    return [record for record in records if not record.is_withdrawn]
