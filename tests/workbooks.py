"""Workbooks for the import tests: a register export of any size, and a workbook bomb (a
small .xlsx whose shared strings inflate to hundreds of megabytes)."""

import io
import zipfile

from openpyxl import Workbook

HEADER = ("学籍号", "姓名", "班级", "是否享受营养餐")
# openpyxl writes strings inline; Excel (and the register's export) keeps them shared.
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_STRINGS_RELATION = (
    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def register(rows=3000):
    """A register export of ``rows`` students, as bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append((f"G4201{n:011d}", f"学生{n}", f"七({n % 12 + 1})班", "是" if n % 3 else "否"))
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def bomb(inflated_megabytes=200):
    """A register export whose xl/sharedStrings.xml inflates to ``inflated_megabytes``, written
    a megabyte at a time so that making it takes no such memory."""
    source = zipfile.ZipFile(io.BytesIO(register(rows=2)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            elif member.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", SHARED_STRINGS_RELATION + b"</Relationships>")
            archive.writestr(member, data)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            for _ in range(inflated_megabytes * 1024 * 1024 // len(chunk) // 1000):
                strings.write(chunk * 1000)
            strings.write(b"</sst>")
    return out.getvalue()
