"""公示: the school's public page shows what the school admin chose, from the day chosen, and nothing
personal (no leader's name or words, no telephone, no survey's written answers); nobody but the
school admin chooses. Read on the demo county, where the notice is published with every section."""

from datetime import timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import AccompaniedMeal, MenuDish, PublicNotice, School, User
from portal.services import public_notice
from portal.services.calendar import monday_of
from portal.timeutil import school_today
from tests.conftest import login


def _demo_school():
    return db.session.scalars(sa.select(School).order_by(School.id)).first()


def _person(username):
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_the_notice_shows_the_weeks_menu_and_meals_and_nothing_personal(app, demo_county):
    school = _demo_school()
    page = app.test_client().get(f"/p/{school.public_token}").get_data(as_text=True)
    monday = monday_of(school_today(school))
    this_week = db.session.scalars(
        sa.select(MenuDish.name).where(
            MenuDish.school_id == school.id, MenuDish.day.between(monday, monday + timedelta(days=6))
        )
    ).all()
    assert "本周食谱" in page and "本周校领导陪餐" in page
    assert all(name in page for name in this_week) if this_week else "本周食谱尚未录入" in page
    leaders = db.session.scalars(sa.select(AccompaniedMeal).where(AccompaniedMeal.school_id == school.id)).all()
    for meal in leaders:
        assert meal.leader.display_name not in page
        assert not meal.problems or meal.problems not in page
    for person in db.session.scalars(sa.select(User).where(User.school_id == school.id)):
        assert person.display_name not in page
    assert "13907310001" not in page  # the demo complaint's contact
    assert app.test_client().get("/p/no-such-school").status_code == 404


def test_only_the_school_admin_chooses_and_the_day_decides(app, client, demo_county):
    school = _demo_school()
    today = school_today(school)
    form = {"published_from": (today + timedelta(days=1)).isoformat(), "shows_menu": "y"}
    for username in ("xx-principal", "xx-director", "xx-cook1"):
        login(client, _person(username))
        assert client.post("/canteen/public", data=form).status_code == 403, username
    login(client, _person("xx-clerk"))
    assert client.post("/canteen/public", data=form).status_code == 302
    notice = db.session.get(PublicNotice, school.id)
    assert notice.shows_menu and not notice.shows_funds and not notice.is_published(today)
    tomorrow = app.test_client().get(f"/p/{school.public_token}").get_data(as_text=True)
    assert "尚未发布" in tomorrow and "本周食谱" not in tomorrow
    form["published_from"] = today.isoformat()
    client.post("/canteen/public", data=form)
    page = app.test_client().get(f"/p/{school.public_token}").get_data(as_text=True)
    assert "本周食谱" in page and "食堂经费" not in page and "本周校领导陪餐" not in page
    form["published_from"] = ""
    client.post("/canteen/public", data=form)
    assert "尚未发布" in app.test_client().get(f"/p/{school.public_token}").get_data(as_text=True)


def test_a_school_admin_of_another_school_changes_only_their_own(demo_county):
    from tests.conftest import refused

    school, other = db.session.scalars(sa.select(School).order_by(School.id)).all()[:2]
    other_clerk = db.session.scalar(sa.select(User).where(User.school_id == other.id, User.username.like("%-clerk")))
    refused(lambda: public_notice.save(other_clerk, school, None, {}), "学校管理员")
