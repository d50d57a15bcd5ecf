"""Form labels and units read right in Chinese: the goods of a delivery have a 品名 and a
数量, tableware has 消毒物品, times are in the unit the form asks for, clock times have no
seconds, and a school's time zone is chosen, never typed."""

import re

from portal.models import Role
from tests import factories
from tests.conftest import login
from tests.test_no_codes_on_the_chinese_ui import visible_text


def test_the_delivery_form_asks_for_the_name_and_the_quantity_of_the_goods(client, school, create_user):
    factories.create_supplier(school)
    login(client, create_user(Role.DIRECTOR, school))
    day = factories.open_day(school)
    text = visible_text(client.get(f"/canteen/{day.isoformat()}/deliveries").get_data(as_text=True))
    assert "品名" in text and "数量" in text
    assert "检查项" not in text and "份量" not in text


def test_the_meal_page_asks_for_the_items_disinfected_and_gives_minima_in_minutes(client, school, create_user):
    login(client, create_user(Role.PRINCIPAL, school))  # a school leader: the accompanied-meal form too
    day = factories.open_day(school)
    text = visible_text(client.get(f"/canteen/{day.isoformat()}/lunch").get_data(as_text=True))
    assert "消毒物品" in text and "检查项" not in text
    assert "≥ 10 分钟" in text and "≥ 40 秒（约 0.7 分钟）" in text
    assert not re.search(r"≥ \d+ s\b", text)
    assert "份量" in text  # the leader's opinion of the portion


def test_clock_times_have_no_seconds(client, school, create_user):
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    for url in ("/admin/school_settings/", f"/admin/school_settings/details/?id={school.id}"):
        text = visible_text(client.get(url).get_data(as_text=True))
        assert "22:00" in text and "22:00:00" not in text


def test_a_schools_time_zone_is_chosen_from_a_list(client, create_user):
    login(client, create_user(Role.COUNTY_ADMIN))
    page = client.get("/admin/schools/new/").get_data(as_text=True)
    assert re.search(r'<select[^>]*id="timezone"', page) and "北京时间" in page
    refused = client.post("/admin/schools/new/", data={"name": "新学校", "county": "郧西县", "timezone": "Mars/Base"})
    assert refused.status_code == 200 and "新学校" in refused.get_data(as_text=True)


def test_every_recorded_column_has_a_chinese_name_in_the_audit_log(app):
    """The audit log and the "changed by others" notice name each field in words: every
    column of every record (generated from the models) has a label. The trail's own tables
    and the password-failure counter are never recorded; secrets never leave the database."""
    from portal.extensions import db
    from portal.labels import field_label
    from portal.services.audit import SECRET_COLUMNS

    never_recorded = {"AuditEvent", "AuditChainHead", "PasswordFailure"}
    with app.test_request_context():  # the catalogue test sees to it that each label is translated
        unnamed = [
            f"{mapper.class_.__name__}.{column.key}"
            for mapper in db.Model.registry.mappers
            if mapper.class_.__name__ not in never_recorded
            for column in mapper.columns
            if column.key not in SECRET_COLUMNS and str(field_label(mapper.class_.__name__, column.key)) == column.key
        ]
    assert unnamed == []


def test_every_admin_list_column_has_a_label(app):
    """Generated from the admin views: a column without a label would show Flask-Admin's
    English header ("Record State") on the Chinese list and in its export."""
    unlabelled = [
        f"{view.endpoint}.{name}"
        for admin in app.extensions["admin"]
        for view in admin._views
        if getattr(view, "column_list", None)
        for name in (*view.column_list, *(view.column_details_list or ()), *(view.column_export_list or ()))
        if isinstance(name, str) and name not in (view.column_labels or {})
    ]
    assert unlabelled == [], unlabelled


def test_a_fields_name_is_declared_once_on_its_column(app):
    """The admin, the evidence tables and the audit trail read a field's label from its column
    (models/types.label): no admin view names a field again, and every evidence column that
    shows a field of its record heads it with that field's own label."""
    import sqlalchemy as sa
    from flask_babel import force_locale
    from sqlalchemy.orm import QueryableAttribute

    from portal.admin import all_views
    from portal.evidence.tables import TABLES
    from portal.labels import column_label

    declared_again = [
        f"{endpoint}.{name}"
        for view_class, model, endpoint, _name in all_views()
        for klass in view_class.__mro__
        if klass.__module__.startswith("portal")
        for name in vars(klass).get("column_labels") or {}
        if "." not in name and name in sa.inspect(model).attrs and column_label(model, name) is not None
    ]
    assert declared_again == []
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        columns = [column for table in TABLES.values() for column in table.columns]
        fields = [column.title for column in columns if isinstance(column.title, QueryableAttribute)]
        assert len(fields) > 100 and all(column_label(field.class_, field.key) is not None for field in fields)
        assert not any(column.heading.isascii() for column in columns)
