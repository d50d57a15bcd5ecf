"""Admin lists that scale (generated from the admin's views): every sort a list offers and
every default sort reads an index in the database; every searched column has a trigram
index on PostgreSQL; a list counts no further than its pages reach and says how to narrow
it; the related rows a list shows are loaded in one query each, not one per row."""

import json

import pytest
import sqlalchemy as sa
from flask_admin.contrib.sqla import ModelView

from portal.admin.base import PortalModelView
from portal.extensions import db
from portal.models import Role
from tests import factories
from tests.conftest import login


def _views(app):
    return [view for view in app.extensions["admin"][0]._views if isinstance(view, ModelView)]


def _leading_index_columns(table):
    inspector = sa.inspect(db.engine)
    leading = {index["column_names"][0] for index in inspector.get_indexes(table)}
    leading |= {constraint["column_names"][0] for constraint in inspector.get_unique_constraints(table)}
    return leading | set(inspector.get_pk_constraint(table)["constrained_columns"])


def _column(model, dotted):
    """'dish.name' -> the column menu_dish.name."""
    *relations, name = dotted.split(".")
    for relation in relations:
        model = getattr(model, relation).property.mapper.class_
    return getattr(model, name).expression


def test_every_sort_offered_or_default_reads_an_index_in_the_database(app):
    with app.test_request_context():
        for view in _views(app):
            columns = [getattr(column, "expression", column) for column in view.get_sortable_columns().values()]
            if view.column_default_sort:
                columns.append(_column(view.model, view.column_default_sort[0]))
            for column in columns:
                assert column.name in _leading_index_columns(column.table.name), (view.endpoint, column)


def test_a_sort_no_index_serves_is_not_offered(app):
    with app.test_request_context():
        samples = next(view for view in _views(app) if view.endpoint == "food_samples")
        assert "grams" in ModelView.get_sortable_columns(samples)
        assert "grams" not in samples.get_sortable_columns()


def test_every_searched_column_has_a_trigram_index_on_postgresql(app):
    searched = {
        (column.table.name, column.name)
        for view in _views(app)
        for column in (_column(view.model, name) for name in view.column_searchable_list or ())
    }
    assert ("menu_dish", "name") in searched and ("audit_event", "action") in searched
    trigram = set(
        db.session.execute(
            sa.text("SELECT tablename, indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")
        ).all()
        if db.engine.dialect.name == "postgresql"
        else []
    )
    if db.engine.dialect.name == "postgresql":
        assert {(table, f"trgm_{table}_{column}") for table, column in searched} <= trigram
    else:  # SQLite scans: the list's bounded count and page keep that scan short
        assert trigram == set()


@pytest.fixture
def clerk(school, create_user):
    return create_user(Role.SCHOOL_ADMIN, school)


def test_a_long_list_counts_only_as_far_as_its_pages_reach(app, client, school, clerk, monkeypatch):
    monkeypatch.setitem(app.config, "ADMIN_PAGE_SIZE", 2)
    monkeypatch.setattr(PortalModelView, "MAX_PAGES", 3)
    for number in range(9):
        factories.create_rule(school, title=f"制度{number:02d}")
    login(client, clerk)
    page = client.get("/admin/rules/").get_data(as_text=True)
    assert "超过 6 条记录" in page and "筛选或搜索" in page
    last = client.get("/admin/rules/?page=40")
    assert last.status_code == 200 and "制度05" in last.get_data(as_text=True)  # page 3 of 3, sorted by title
    few = client.get("/admin/rules/?search=制度00").get_data(as_text=True)
    assert "超过" not in few
    assert client.get("/admin/rules/export/csv/").status_code == 200  # an export says nothing later
    assert "超过" not in client.get("/admin/rules/?search=制度01").get_data(as_text=True)


def _list_queries(client, url):
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def _add(kind, school, people):
    if kind == "inspection_records":
        factories.create_inspection(people.director)
    elif kind == "rules":
        factories.create_rule(school)
    elif kind == "training_sessions":
        factories.create_training(school, attendees=[people.director, people.cook])


@pytest.mark.parametrize("kind", ["inspection_records", "rules", "training_sessions"])
def test_a_list_asks_as_often_for_five_rows_as_for_one(client, school, create_user, clerk, kind):
    from types import SimpleNamespace

    people = SimpleNamespace(
        director=create_user(Role.DIRECTOR, school), cook=create_user(Role.STAFF, school, canteen_worker=True)
    )
    _add(kind, school, people)
    login(client, clerk)
    client.get(f"/admin/{kind}/")
    one = _list_queries(client, f"/admin/{kind}/")
    for _ in range(4):
        _add(kind, school, people)
    assert _list_queries(client, f"/admin/{kind}/") == one


def test_every_school_owned_list_can_be_narrowed_to_a_school(app):
    from portal.admin.filters import SchoolEqual

    for view in _views(app):
        if "school_id" in view.model.__table__.c:
            assert any(isinstance(flt, SchoolEqual) for flt in view._filters), view.endpoint


def test_the_school_filter_narrows_a_county_list_and_offers_only_what_the_user_may_see(
    app, client, school, clerk, create_user
):
    from portal.admin.filters import SchoolEqual

    other = factories.create_school("第二中学")
    factories.create_rule(school, title="本校制度")
    factories.create_rule(other, title="外校制度")
    view = next(view for view in _views(app) if view.endpoint == "rules")
    index, flt = next((i, f) for i, f in enumerate(view._filters) if isinstance(f, SchoolEqual))
    narrowed = f"/admin/rules/?flt1_{view.get_filter_arg(index, flt)}={other.id}"
    login(client, create_user(Role.COUNTY_ADMIN))
    county = client.get(narrowed).get_data(as_text=True)
    assert "外校制度" in county and "本校制度" not in county
    offered = json.dumps("第一中学")[1:-1]  # in the filters' JSON
    assert offered in client.get("/admin/rules/").get_data(as_text=True)
    login(client, clerk)
    own = client.get(narrowed).get_data(as_text=True)
    assert "外校制度" not in own and json.dumps("第二中学")[1:-1] not in own  # neither the rows nor the name
    assert client.get(f"/admin/rules/?flt1_{view.get_filter_arg(index, flt)}=abc").status_code == 200
