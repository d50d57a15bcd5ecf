"""Simplified Chinese first, complete; English second."""

import os

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.extensions import db
from portal.models import Role, User
from tests import factories
from tests.conftest import login

# The catalogue and the words on the pages do not depend on the database.
pytestmark = pytest.mark.one_database

ROOT = os.path.dirname(os.path.dirname(__file__))
PO_FILE = os.path.join(ROOT, "portal/translations/zh_Hans_CN/LC_MESSAGES/messages.po")


def _catalogue():
    with open(PO_FILE, "rb") as po:
        return read_po(po, locale="zh_Hans_CN")


def test_the_chinese_catalogue_has_no_empty_or_fuzzy_entry():
    catalogue = _catalogue()
    untranslated = [m.id for m in catalogue if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_every_string_in_the_code_is_in_the_catalogue():
    method_map = [("portal/**.py", "python"), ("portal/**/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    in_code = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(ROOT, method_map, keywords=keywords)
    }
    in_catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue() if m.id}
    assert sorted(in_code - in_catalogue) == []


def test_the_login_page_is_chinese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "<title>登录 · 后勤管理平台</title>" in page


def test_flask_admin_speaks_chinese_too(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    page = client.get("/admin/rules/").get_data(as_text=True)
    assert "列表" in page and "创建" in page and "添加筛选器" in page


def test_form_validation_messages_are_chinese(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    page = client.post("/admin/certificate_kinds/new/", data={"name": ""}).get_data(as_text=True)
    assert "This field is required" not in page and "必填" in page


def test_dates_are_shown_the_chinese_way(client, school, create_user):
    staff = create_user(Role.STAFF, school)
    factories.create_certificate(staff, expires_on=__import__("datetime").date(2027, 3, 5))
    login(client, staff)
    assert "2027年3月5日" in client.get("/my/certificates").get_data(as_text=True)


def test_the_language_switch_is_remembered_per_user(app, client, school, create_user):
    user = create_user(Role.STAFF, school)
    login(client, user)
    client.post("/language", data={"locale": "en", "next": "/"})
    assert db.session.get(User, user.id).locale == "en"
    page = client.get("/").get_data(as_text=True)
    assert "Rules you still have to read" in page or "Daily work" in page
    elsewhere = app.test_client()  # another browser, same person
    login(elsewhere, db.session.get(User, user.id))
    assert "Daily work" in elsewhere.get("/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client):
    client.post("/language", data={"locale": "xx", "next": "/login"})
    assert "登录" in client.get("/login").get_data(as_text=True)
