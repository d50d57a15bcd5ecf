"""People in 拼音 order, found by their initials: the lists of people (the users' and students'
admin lists, every chooser of a person) order them as a Chinese reader expects, not by the
characters' code points, and "wxy" finds 王晓燕."""

import re

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.extensions import db
from portal.models import Role
from portal.pinyin import initials, sort_key
from portal.services import rectification
from tests import factories
from tests.conftest import KEYS, login
from tests.test_migrations import empty_database_url  # noqa: F401 - the fixture

# In code-point order 安 < 张 < 曾 < 王; in pinyin an, wang, zeng, zhang.
NAMES = ["张伟", "曾强", "王晓燕", "安娜"]
IN_PINYIN = ["安娜", "王晓燕", "曾强", "张伟"]


def test_a_name_in_pinyin_and_its_initials():
    assert (sort_key("王晓燕"), initials("王晓燕")) == ("wang xiao yan", "wxy")
    assert initials("曾小贤") == "zxx"  # 曾 as a surname is zēng
    assert (sort_key("Tom 李"), initials("Tom 李")) == ("tom li", "tl")
    assert sort_key("") == initials("") == ""


def _shown(page, names):
    found = {name: page.find(name) for name in names}
    return [name for name in sorted(names, key=found.get) if found[name] >= 0]


def test_the_users_list_and_the_choosers_are_in_pinyin_order(client, school, create_user):
    clerk = create_user(Role.SCHOOL_ADMIN, school, display_name="管理员")
    for name in NAMES:
        create_user(Role.STAFF, school, display_name=name)
    login(client, clerk)
    assert _shown(client.get("/admin/users/").get_data(as_text=True), NAMES) == IN_PINYIN
    chosen = [user.display_name for user in rectification.responsible_candidates(school.id)]
    assert [name for name in chosen if name in NAMES] == IN_PINYIN


def test_initials_find_a_person_and_follow_a_new_name(client, school, create_user):
    clerk = create_user(Role.SCHOOL_ADMIN, school, display_name="管理员")
    staff = {name: create_user(Role.STAFF, school, display_name=name) for name in NAMES}
    login(client, clerk)
    assert _shown(client.get("/admin/users/?search=wxy").get_data(as_text=True), NAMES) == ["王晓燕"]
    assert _shown(client.get("/admin/users/?search=WXY").get_data(as_text=True), NAMES) == ["王晓燕"]
    staff["王晓燕"].display_name = "李晓燕"
    db.session.commit()
    assert staff["王晓燕"].name_initials == "lxy"
    assert "李晓燕" in client.get("/admin/users/?search=lxy").get_data(as_text=True)
    assert "李晓燕" not in client.get("/admin/users/?search=wxy").get_data(as_text=True)


def test_students_are_found_by_initials(client, school, create_user):
    clerk = create_user(Role.SCHOOL_ADMIN, school)
    for number, name in enumerate(NAMES):
        factories.enrol(school, clerk, name=name, register_number=f"G{number:016d}")
    login(client, clerk)
    assert _shown(client.get("/admin/students/?search=wxy").get_data(as_text=True), NAMES) == ["王晓燕"]
    page = client.get("/admin/students/").get_data(as_text=True)
    sort_by_name = re.search(r'href="(/admin/students/\?sort=\d+[^"]*)"[^>]*>学生<', page)
    assert sort_by_name, "the name's heading sorts"
    assert _shown(client.get(sort_by_name.group(1).replace("&amp;", "&")).get_data(as_text=True), NAMES) == IN_PINYIN


def test_the_migration_spells_the_people_there_are(empty_database_url):  # noqa: F811
    app = create_app(KEYS | {"DATABASE_URL": empty_database_url})
    with app.app_context():
        upgrade()
        school = factories.create_school("第一中学")
        factories.create_user(Role.STAFF, school, display_name="曾小贤")
        db.session.commit()
        downgrade(revision="0035_school_lists_index")
        upgrade()
        spelled = db.session.execute(sa.text('SELECT name_pinyin, name_initials FROM "user"')).all()
        assert ("zeng xiao xian", "zxx") in spelled
        db.session.remove()
        db.engine.dispose()
