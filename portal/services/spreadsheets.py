"""Tables read from a school's own Excel files (the student register's export, the dormitory's
bed list): the header row found by its column titles, each row as text, and memory kept small
whatever the file's size. An .xlsx is a zip: its members' declared sizes are checked before
anything is inflated (openpyxl reads all of xl/sharedStrings.xml into a list even in read-only
mode, so a 796 KB file whose strings inflate to 200 MB took 327 MB), and Python's zipfile never
inflates a member past its declared size. The older .xls (what many registers still export) is
read by xlrd, which holds the whole file in memory: it is refused above XLS_LIMIT_MB."""

import os
import zipfile

import xlrd
from flask import current_app
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from ..errors import DomainError

MAX_ROWS = 20000
HEADER_WITHIN = 20
MAX_MEMBERS = 1000
# A member this small may compress as well as it likes (an empty sheet's XML does).
RATIO_FROM_BYTES = 1024 * 1024
MAX_RATIO = 100
# An .xls of 3,000 students is 0.6 MB and took 3 MB more memory to read; xlrd holds it whole.
XLS_LIMIT_MB = 5
# The first bytes of an .xls (an OLE2 compound file).
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _opened(workbook_file):
    """A binary file of ``workbook_file`` (a path or a binary file), at its start."""
    if hasattr(workbook_file, "read"):
        workbook_file.seek(0)
        return workbook_file
    return open(workbook_file, "rb")  # noqa: SIM115 - closed by the caller


def is_xls(workbook_file):
    stream = _opened(workbook_file)
    try:
        return stream.read(len(OLE2_SIGNATURE)) == OLE2_SIGNATURE
    finally:
        if stream is workbook_file:
            stream.seek(0)
        else:
            stream.close()


def check_workbook(workbook_file, not_a_workbook):
    """Refuses a workbook whose parts would inflate beyond WORKBOOK_LIMIT_MB or compress
    suspiciously well, before any part is read; an .xls larger than XLS_LIMIT_MB.
    ``workbook_file``: a path or a binary file."""
    if is_xls(workbook_file):
        if _size(workbook_file) > XLS_LIMIT_MB * 1024 * 1024:
            raise DomainError(
                _l(
                    "An .xls file is read whole: at most %(mb)d MB. Save it as .xlsx, or export only the columns "
                    "the portal reads, and upload it again.",
                    mb=XLS_LIMIT_MB,
                )
            )
        return
    limit_mb = current_app.config["WORKBOOK_LIMIT_MB"]
    try:
        with zipfile.ZipFile(workbook_file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError(not_a_workbook) from None
    too_large = DomainError(
        _l(
            "The workbook would take more than %(mb)d MB once opened, far more than a list of students: "
            "export only the columns the portal reads and upload it again.",
            mb=limit_mb,
        )
    )
    if len(members) > MAX_MEMBERS:
        raise too_large
    if sum(member.file_size for member in members) > limit_mb * 1024 * 1024:
        raise too_large
    for member in members:
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise too_large
    if hasattr(workbook_file, "seek"):
        workbook_file.seek(0)


def _size(workbook_file):
    if hasattr(workbook_file, "seek"):
        size = workbook_file.seek(0, os.SEEK_END)
        workbook_file.seek(0)
        return size
    return os.path.getsize(workbook_file)


def _xls_rows(workbook_file):
    """The first sheet's rows of an .xls, as value tuples."""
    stream = _opened(workbook_file)
    try:
        book = xlrd.open_workbook(file_contents=stream.read(), on_demand=True)
    finally:
        if stream is not workbook_file:
            stream.close()
    try:
        sheet = book.sheet_by_index(0)
        for index in range(sheet.nrows):
            yield tuple(sheet.row_values(index))
    finally:
        book.release_resources()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header(titles, columns, required):
    """{column: its index} when ``titles`` is the header row, else None."""
    found = {key: next((titles.index(t) for t in names if t in titles), None) for key, names in columns.items()}
    return found if all(found[key] is not None for key in required) else None


def read_rows(workbook_file, columns, required, not_a_workbook, no_header, titles=None):
    """[(line, {column: text})] of the first sheet's rows under the header, empty rows left
    out, from a path or an open binary file. ``columns`` is {column: (titles it may have)};
    the header is the first of the first 20 rows holding every ``required`` column; a column
    the header lacks reads None. The two messages say what the file should be. ``titles``, a
    dict, receives {column: the title it was found under}."""
    check_workbook(workbook_file, not_a_workbook)
    if is_xls(workbook_file):
        try:
            return _table(list(_xls_rows(workbook_file)), columns, required, no_header, titles)
        except xlrd.XLRDError:
            raise DomainError(not_a_workbook) from None
    try:
        workbook = load_workbook(workbook_file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any file that is not a workbook
        raise DomainError(not_a_workbook) from None
    try:
        return _table(workbook.worksheets[0].iter_rows(values_only=True), columns, required, no_header, titles)
    finally:
        workbook.close()


def _table(value_rows, columns, required, no_header, titles):
    """read_rows's rows from a sheet's value tuples."""
    header, rows = None, []
    for line, values in enumerate(value_rows, start=1):
        if header is None:
            texts = [_text(value) for value in values]
            header = _header(texts, columns, required)
            if header is None and line >= HEADER_WITHIN:
                break
            if header is not None and titles is not None:
                titles.update({key: texts[i] for key, i in header.items() if i is not None})
            continue
        if line > MAX_ROWS:
            raise DomainError(_l("The file has more than %(n)d rows.", n=MAX_ROWS))
        cells = {key: None if i is None else _text(values[i]) if i < len(values) else "" for key, i in header.items()}
        if any(cells.values()):
            rows.append((line, cells))
    if header is None:
        raise DomainError(no_header)
    return rows
