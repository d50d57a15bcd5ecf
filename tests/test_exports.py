"""Admin exports: Excel on Chinese Windows opens them, names keep their Chinese, formula
cells are neutralised, and a row cap holds."""

import io
from urllib.parse import unquote

import openpyxl

from portal.models import Role
from tests import factories
from tests.conftest import login


def test_csv_has_a_byte_order_mark_chinese_headers_and_a_chinese_file_name(client, school, create_user):
    factories.create_rule(school, title="食品留样制度")
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.get("/admin/rules/export/csv/")
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("标题,类别,状态")
    assert "食品留样制度" in text
    disposition = response.headers["Content-Disposition"]
    assert "管理制度" in unquote(disposition.split("filename*=UTF-8''")[1])


def test_formula_cells_are_neutralised(client, school, create_user):
    for title in ('=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"):
        factories.create_rule(school, title=title)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    text = client.get("/admin/rules/export/csv/").data.decode("utf-8-sig")
    rows = [line.split(",")[0].strip('"') for line in text.splitlines()[1:]]
    assert rows and all(cell.startswith("'") for cell in rows)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/admin/rules/export/xlsx/").data))
    cells = [row[0].value for row in workbook.active.iter_rows(min_row=2)]
    assert cells and all(cell.startswith("'") for cell in cells)


def test_xlsx_opens_with_chinese_headers(client, school, create_user):
    holder = create_user(Role.STAFF, school, display_name="赵桂兰")
    factories.create_certificate(holder)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    response = client.get("/admin/certificates/export/xlsx/")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    header = [cell.value for cell in next(workbook.active.iter_rows(max_row=1))]
    assert header[:3] == ["持证人", "类别", "编号"]
    assert workbook.sheetnames == ["证件"]  # the view's name, not "Tablib Dataset"
    assert workbook.active.cell(row=2, column=1).value == "赵桂兰"


def test_exports_stop_at_the_row_cap(client, app, school, create_user, monkeypatch):
    for n in range(5):
        factories.create_rule(school, title=f"制度{n}")
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 3)
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    text = client.get("/admin/rules/export/csv/").data.decode("utf-8-sig")
    assert len(text.splitlines()) == 1 + 3


def test_a_staff_member_cannot_export(client, school, create_user):
    factories.create_rule(school)
    login(client, create_user(Role.STAFF, school))
    assert client.get("/admin/rules/export/csv/").status_code == 403
