"""How the auditor reads each kind of record: its table in the bundle (also its workbook
sheet) and what is flagged in red. Each evidence section registers the tables of the kinds
it holds (models/registry.py), in the order it shows them."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import QueryableAttribute

from ..labels import column_label
from ..models.ledger import LedgerRecord
from ..models.registry import KINDS
from ..services.ledgers import amended_text
from .parts import Sheet, school_time


def yes_no(value):
    return str(_l("Yes") if value else _l("No"))


def label(value):
    return str(value.label) if value is not None else ""


def name_of(person):
    return person.display_name if person is not None else ""


@dataclass(frozen=True)
class Column:
    # The field the column shows (its label is the title), or a title of its own.
    title: object
    # (record, school) -> what the cell says
    value: object

    @property
    def heading(self):
        if isinstance(self.title, QueryableAttribute):
            return str(column_label(self.title.class_, self.title.key))
        return str(self.title)


def column(title, value):
    return Column(title, lambda record, school: value(record))


def flags(*found):
    """What is wrong with a record, in red in one cell: the flags that apply (None for one that
    does not), joined as a Chinese list."""
    return "；".join(str(flag) for flag in found if flag)


def moment(title, attribute):
    return Column(title, lambda record, school: school_time(getattr(record, attribute), school))


@dataclass(frozen=True)
class Table:
    key: str
    # The evidence section that holds it: "canteen", "food_safety", "storeroom", "nutrition",
    # "dormitory" or "committee".
    section: str
    columns: tuple
    # (record) -> what is wrong with it, said in red in the bundle; None when nothing ever is.
    flag: object = None
    # Relationships read by the columns, loaded with the records.
    loads: tuple = ()
    # (school, records) -> the records the table lists, when not all of them (the manifest
    # still counts every record).
    listed: object = None

    @property
    def kind(self):
        return KINDS[self.key]

    def records(self, school_id, first, last):
        return self.kind.records(school_id, first, last, self.loads)

    def sheet(self, records, school, corrected=None):
        """The table: an amended value beside the original (``corrected``: {record id: the
        record read through its amendments}); a withdrawn record says so in the last column."""
        corrected = corrected or {}
        headers = [column.heading for column in self.columns]
        rows = [self._row(record, corrected.get(record.id), school) for record in records]
        flag_column = None
        if self.flag is not None or issubclass(self.kind.model, LedgerRecord):
            headers.append(str(_l("Flags")))
            flag_column = len(headers) - 1
            for row, record in zip(rows, records, strict=True):
                row.append("；".join(text for text in (_withdrawn(record), self.flag and self.flag(record)) if text))
        return Sheet(str(self.kind.name), headers, rows, flag_column=flag_column)

    def _row(self, record, corrected, school):
        cells = [column.value(record, school) for column in self.columns]
        if corrected is None:
            return cells
        new_cells = [column.value(corrected, school) for column in self.columns]
        return [
            cell if new == cell else str(amended_text(new, cell)) for cell, new in zip(cells, new_cells, strict=True)
        ]


def _withdrawn(record):
    if not getattr(record, "is_withdrawn", False):
        return ""
    return str(_l("Withdrawn: %(reason)s", reason=record.withdrawal_reason))


TABLES = {}


def register(table):
    if table.key not in KINDS or table.key in TABLES:
        raise ValueError(f"an evidence table for an unknown kind of record, or a second one: {table.key}")
    TABLES[table.key] = table
    return table


def in_section(section):
    return [table for table in TABLES.values() if table.section == section]
